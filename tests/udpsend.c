/* udpsend: send COUNT UDP datagrams of SIZE bytes to HOST:PORT as fast as
 * possible, for lab scenarios and benchmarks that need software drops
 * (a closed port makes the kernel free each one with NO_SOCKET). With
 * FLOWS, datagram i goes to port PORT + i % FLOWS: that many flows.
 * UDPSEND_RT=1 sends as a real-time (SCHED_FIFO) task: ordinary kernel
 * workers, NET_DM's among them, then wait until the burst is over.
 */
#include <arpa/inet.h>
#include <sched.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	char payload[1500] = { 0 };
	long count, i, sent = 0, flows = 1;
	uint16_t port;
	size_t size = 32;
	int fd;

	if (argc < 4 || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: udpsend HOST PORT COUNT [SIZE [FLOWS]]\n");
		return 64;
	}
	port = (uint16_t)atoi(argv[2]);
	count = atol(argv[3]);
	if (argc > 5)
		flows = atol(argv[5]);
	if (flows < 1 || port + flows - 1 > 65535) {
		fprintf(stderr, "udpsend: PORT + FLOWS - 1 must be a port\n");
		return 64;
	}
	if (argc > 4)
		size = (size_t)atoi(argv[4]) > sizeof(payload) ? sizeof(payload) : (size_t)atoi(argv[4]);
	if (getenv("UDPSEND_RT")) {
		struct sched_param sp = { .sched_priority = 10 };

		if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
			perror("udpsend: SCHED_FIFO");
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udpsend: socket");
		return 1;
	}
	for (i = 0; i < count; i++) {
		dst.sin_port = htons((uint16_t)(port + i % flows));
		if (sendto(fd, payload, size, 0, (struct sockaddr *)&dst, sizeof(dst)) >= 0)
			sent++;
	}
	close(fd);
	printf("%ld\n", sent);
	return sent == count ? 0 : 1;
}
