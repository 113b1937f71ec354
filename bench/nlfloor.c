/* nlfloor: the batching floor of bench/live-cost.sh. It does what trapmon
 * must do to receive software drop alerts and nothing else: sets NET_DM to
 * packet mode (queue, truncation), starts the sw origin, joins the events
 * group with the same forced receive buffer, reads with recvmmsg() in
 * trapmon's batches (RX_SLOTS slots of RX_SLOT_SIZE, include/rx.h) and,
 * after a batch that did not fill them, leaves the socket alone for
 * RX_HOLD seconds as trapmon's loop does. Datagrams are counted, never
 * parsed. SIGINT or SIGTERM stops monitoring and prints
 * "datagrams N overruns M".
 *
 *   nlfloor [-l QUEUE_LEN] [-b RCVBUF] [-t TRUNC]
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/net_dropmon.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "rx.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* One NET_DM request with its flags and values; 0 or a negative errno. */
static int request(struct nl_sock *sk, int family, uint8_t cmd, uint32_t queue, uint32_t trunc)
{
	struct nl_msg *msg = nlmsg_alloc();
	int ret;

	if (!msg)
		return -ENOMEM;
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_REQUEST, cmd, 2);
	if (cmd == NET_DM_CMD_CONFIG) {
		nla_put_u8(msg, NET_DM_ATTR_ALERT_MODE, NET_DM_ALERT_MODE_PACKET);
		nla_put_u32(msg, NET_DM_ATTR_TRUNC_LEN, trunc);
		nla_put_u32(msg, NET_DM_ATTR_QUEUE_LEN, queue);
	} else {
		nla_put_flag(msg, NET_DM_ATTR_SW_DROPS);
	}
	ret = nl_send_sync(sk, msg);	/* frees msg */
	return ret < 0 ? -1 : 0;
}

static int setup(struct nl_sock *req, struct nl_sock *ev, int *family, int rcvbuf,
		 uint32_t queue, uint32_t trunc)
{
	int grp;

	if (genl_connect(req) < 0 || genl_connect(ev) < 0)
		return -1;
	*family = genl_ctrl_resolve(req, "NET_DM");
	grp = genl_ctrl_resolve_grp(req, "NET_DM", "events");
	if (*family < 0 || grp < 0) {
		fprintf(stderr, "nlfloor: no NET_DM family (modprobe drop_monitor)\n");
		return -1;
	}
	nl_socket_disable_seq_check(ev);
	if (nl_socket_add_membership(ev, grp) < 0 || nl_socket_set_nonblocking(ev) < 0 ||
	    setsockopt(nl_socket_get_fd(ev), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) < 0) {
		fprintf(stderr, "nlfloor: event socket: %s\n", strerror(errno));
		return -1;
	}
	if (request(req, *family, NET_DM_CMD_CONFIG, queue, trunc) < 0 ||
	    request(req, *family, NET_DM_CMD_START, 0, 0) < 0) {
		fprintf(stderr, "nlfloor: cannot configure and start NET_DM (busy, or not root?)\n");
		return -1;
	}
	return 0;
}

/* trapmon's read loop without the alerts' work. */
static void receive(int fd, unsigned long *datagrams, unsigned long *overruns)
{
	static struct mmsghdr msgs[RX_SLOTS];
	static struct iovec iov[RX_SLOTS];
	static uint8_t buf[RX_SLOTS][RX_SLOT_SIZE];
	const struct timespec hold = { 0, (long)(RX_HOLD * 1e9) };
	struct pollfd pfd = { fd, POLLIN, 0 };
	long total;
	int i, n;

	for (i = 0; i < RX_SLOTS; i++) {
		iov[i] = (struct iovec){ buf[i], RX_SLOT_SIZE };
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (!stop) {
		if (poll(&pfd, 1, -1) < 0)
			continue;
		total = 0;
		do {
			n = recvmmsg(fd, msgs, RX_SLOTS, MSG_DONTWAIT, NULL);
			if (n < 0 && errno == ENOBUFS)
				++*overruns;
			if (n > 0)
				total += n;
		} while (n == RX_SLOTS || (n < 0 && errno == ENOBUFS));
		*datagrams += (unsigned long)total;
		/* A partial batch: let alerts gather, as trapmon does. */
		if (total < RX_SLOTS)
			nanosleep(&hold, NULL);
	}
}

int main(int argc, char **argv)
{
	unsigned long queue = 1000, trunc = 0, datagrams = 0, overruns = 0;
	int rcvbuf = 4 << 20, family = -1, opt, ret = 1;
	struct nl_sock *req, *ev;

	while ((opt = getopt(argc, argv, "l:b:t:")) != -1) {
		if (opt == 'l')
			queue = strtoul(optarg, NULL, 0);
		else if (opt == 'b')
			rcvbuf = atoi(optarg);
		else if (opt == 't')
			trunc = strtoul(optarg, NULL, 0);
		else {
			fprintf(stderr, "usage: nlfloor [-l QUEUE_LEN] [-b RCVBUF] [-t TRUNC]\n");
			return 64;
		}
	}
	req = nl_socket_alloc();
	ev = nl_socket_alloc();
	if (!req || !ev)
		goto out;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (setup(req, ev, &family, rcvbuf, (uint32_t)queue, (uint32_t)trunc) < 0)
		goto out;
	fprintf(stderr, "nlfloor: started\n");
	receive(nl_socket_get_fd(ev), &datagrams, &overruns);
	request(req, family, NET_DM_CMD_STOP, 0, 0);
	printf("datagrams %lu overruns %lu\n", datagrams, overruns);
	ret = 0;
out:
	nl_socket_free(ev);
	nl_socket_free(req);
	return ret;
}
