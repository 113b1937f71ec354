/* flood: an exporter attacker for the lab guest, which has no TLS client
 * library to script: COUNT TCP connections to HOST:PORT, all opened before
 * any sends (a barrier), each then doing MODE, held SECONDS at most:
 *   hello   send FILE's bytes at once, then say nothing; FILE is a TLS
 *           ClientHello captured from `openssl s_client` (of a file that
 *           starts with a TLS handshake record, only that record is sent):
 *           the server answers with its key share and signature, the
 *           expensive half of a handshake
 *   random  send BYTES random bytes instead of a handshake
 *   loris   send FILE a byte every GAP milliseconds (a handshake trickled,
 *           which is activity: no idle timeout ends it)
 *   silent  never send a byte
 * Prints one line of key=value figures: connections opened, connects that
 * failed, connections the server answered with a TLS handshake record,
 * connections the server closed (EOF or reset) and after how long the
 * last one, and those still open at the end. Exit 0 once the SECONDS are
 * up or every connection is closed; 64 for usage errors; 1 when a system
 * call the flood needs fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 1000
#define MAX_FILE 16384
#define MAX_SECONDS 600

enum mode { HELLO, RANDOM, LORIS, SILENT };

struct conn {
	int fd;			/* -1 once closed or never opened */
	size_t sent;		/* loris: bytes of the file sent so far */
	int answered;		/* the server sent a TLS handshake record */
};

struct flood {
	enum mode mode;
	struct conn c[MAX_CONNS];
	int n;
	unsigned char file[MAX_FILE];
	size_t file_len;
	size_t random_len;
	long gap_ms;
	double hold_s;
	int opened, failed, answered, closed;
	double last_close_s;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: flood [-f FILE] [-b BYTES] [-g GAP_MS] HOST PORT "
		"hello|random|loris|silent COUNT SECONDS\n");
	return 64;
}

static int parse_mode(const char *s, enum mode *m)
{
	static const char *const names[] = { "hello", "random", "loris", "silent" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*m = (enum mode)i;
			return 0;
		}
	return -1;
}

static int read_file(struct flood *f, const char *path)
{
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		fprintf(stderr, "flood: %s: %s\n", path, strerror(errno));
		return -1;
	}
	f->file_len = fread(f->file, 1, sizeof(f->file), fp);
	fclose(fp);
	if (!f->file_len) {
		fprintf(stderr, "flood: %s is empty\n", path);
		return -1;
	}
	/* A captured handshake: its first record only (what follows may be the
	 * capturing client's alert as it gave up). */
	if (f->file_len >= 5 && f->file[0] == 0x16) {
		size_t rec = 5 + ((size_t)f->file[3] << 8 | f->file[4]);

		if (rec < f->file_len)
			f->file_len = rec;
	}
	return 0;
}

/* A blocking connect bounded by a 5 s send timeout, then non-blocking. */
static int connect_one(const struct sockaddr_in *dst)
{
	struct timeval tv = { .tv_sec = 5 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (const struct sockaddr *)dst, sizeof(*dst)) < 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void closed_by_server(struct flood *f, struct conn *c, double t0)
{
	close(c->fd);
	c->fd = -1;
	f->closed++;
	f->last_close_s = now_s() - t0;
}

/* What every connection sends once all are open. */
static void send_first(struct flood *f, double t0)
{
	unsigned char junk[4096];

	for (int i = 0; i < f->n; i++) {
		struct conn *c = &f->c[i];
		const unsigned char *p = f->file;
		size_t len = f->file_len;

		if (c->fd < 0 || f->mode == SILENT || f->mode == LORIS)
			continue;
		if (f->mode == RANDOM) {
			for (size_t k = 0; k < sizeof(junk); k++)
				junk[k] = (unsigned char)random();
			p = junk;
			len = f->random_len < sizeof(junk) ? f->random_len : sizeof(junk);
		}
		if (send(c->fd, p, len, MSG_NOSIGNAL) < 0 && errno != EAGAIN)
			closed_by_server(f, c, t0);
	}
}

/* loris: the next byte of the file on every open connection. */
static void trickle(struct flood *f, double t0)
{
	for (int i = 0; i < f->n; i++) {
		struct conn *c = &f->c[i];

		if (c->fd < 0 || c->sent >= f->file_len)
			continue;
		if (send(c->fd, f->file + c->sent, 1, MSG_NOSIGNAL) == 1)
			c->sent++;
		else if (errno != EAGAIN)
			closed_by_server(f, c, t0);
	}
}

/* Reads what the server sent on each readable connection; EOF or an error
 * is the server closing it. */
static void drain(struct flood *f, struct pollfd *p, int np, const int *idx, double t0)
{
	unsigned char buf[4096];

	for (int k = 0; k < np; k++) {
		struct conn *c = &f->c[idx[k]];
		ssize_t r;

		if (!p[k].revents)
			continue;
		r = recv(c->fd, buf, sizeof(buf), 0);
		if (r > 0) {
			if (!c->answered && buf[0] == 0x16) {
				c->answered = 1;
				f->answered++;
			}
		} else if (r == 0 || errno != EAGAIN) {
			closed_by_server(f, c, t0);
		}
	}
}

static void hold(struct flood *f, double t0)
{
	static struct pollfd p[MAX_CONNS];
	static int idx[MAX_CONNS];
	double next_trickle = t0;

	while (now_s() - t0 < f->hold_s) {
		int np = 0, wait_ms;

		if (f->mode == LORIS && now_s() >= next_trickle) {
			trickle(f, t0);
			next_trickle += (double)f->gap_ms / 1000.0;
		}
		for (int i = 0; i < f->n; i++)
			if (f->c[i].fd >= 0) {
				p[np] = (struct pollfd){ .fd = f->c[i].fd, .events = POLLIN };
				idx[np++] = i;
			}
		if (!np)
			break;
		wait_ms = f->mode == LORIS ? (int)f->gap_ms : 100;
		if (poll(p, (nfds_t)np, wait_ms) > 0)
			drain(f, p, np, idx, t0);
	}
}

int main(int argc, char **argv)
{
	static struct flood f = { .random_len = 2048, .gap_ms = 500 };
	struct sockaddr_in dst = { .sin_family = AF_INET };
	const char *file = NULL;
	int opt, still_open = 0;
	double t0;

	while ((opt = getopt(argc, argv, "f:b:g:")) != -1) {
		switch (opt) {
		case 'f': file = optarg; break;
		case 'b': f.random_len = strtoul(optarg, NULL, 10); break;
		case 'g': f.gap_ms = strtol(optarg, NULL, 10); break;
		default: return usage();
		}
	}
	if (argc - optind != 5 || inet_pton(AF_INET, argv[optind], &dst.sin_addr) != 1 ||
	    parse_mode(argv[optind + 2], &f.mode) < 0)
		return usage();
	dst.sin_port = htons((uint16_t)atoi(argv[optind + 1]));
	f.n = atoi(argv[optind + 3]);
	f.hold_s = atof(argv[optind + 4]);
	if (f.n < 1 || f.n > MAX_CONNS || f.hold_s <= 0 || f.hold_s > MAX_SECONDS ||
	    f.gap_ms < 1 || f.gap_ms > 60000)
		return usage();
	if ((f.mode == HELLO || f.mode == LORIS) && (!file || read_file(&f, file) < 0))
		return file ? 1 : usage();
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));

	for (int i = 0; i < f.n; i++) {
		f.c[i].fd = connect_one(&dst);
		if (f.c[i].fd < 0)
			f.failed++;
		else
			f.opened++;
	}
	t0 = now_s();
	send_first(&f, t0);
	hold(&f, t0);
	for (int i = 0; i < f.n; i++)
		if (f.c[i].fd >= 0) {
			still_open++;
			close(f.c[i].fd);
		}
	printf("mode=%s opened=%d connect_failed=%d answered=%d closed=%d last_close_s=%.1f "
	       "open=%d held_s=%.1f\n", argv[optind + 2], f.opened, f.failed, f.answered,
	       f.closed, f.last_close_s, still_open, now_s() - t0);
	return 0;
}
