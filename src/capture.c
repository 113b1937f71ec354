/* capture: pcap files of what trapmon receives, written through libpcap.
 *
 * libpcap's pcap_dump() reports nothing, so the dumper writes into a FILE
 * of our own with a large buffer, and errors are found with ferror() and
 * fflush(). To keep a file readable after a failed write (ENOSPC with a
 * partial record at its end), the end offset of every record since the
 * last successful flush is remembered; on the first error the buffer is
 * dropped and the file cut back to the last record that fully reached it.
 *
 * Rotation follows tcpdump (4.99): with -C the first file is the name
 * itself, then name1, name2, ...; with -W the names get a counter 0..N-1
 * padded to the width of N-1 ("-W 12": 00..11) that wraps and overwrites;
 * -G expands strftime(3) patterns at each rotation and restarts the -C
 * counter. Two deliberate differences: -C rotates before a record would
 * push the file past the size (tcpdump: once the file is already past it),
 * so files stay within -C unless one record alone is larger; and -W always
 * means "keep at most N files": where tcpdump exits after N files (-G) or
 * ignores the limit (-G with -C), the oldest file of this run is deleted.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "errmsg.h"

#define SNAPLEN 262144
#define COOKED_LEN 16
#define PCAP_FILE_HDR 24
#define PCAP_REC_HDR 16
#define VBUF_SIZE (256 * 1024)
#define MAX_MARKS 1024		/* a flush is forced when this many records wait */

/* LINKTYPE_NETLINK's cooked header. Wireshark reads hatype and protocol
 * big-endian (dwdump writes them with htons): pkttype 4, hatype 824
 * (ARPHRD_NETLINK), halen 0, 8 address bytes, protocol 16 (NETLINK_GENERIC).
 */
static const uint8_t cooked[COOKED_LEN] = {
	0x00, 0x04, 0x03, 0x38, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x10,
};

struct capture {
	struct capture_opts o;
	bool to_stdout;
	bool can_truncate;	/* a regular file we created */
	bool failed;
	int errnum;		/* why it failed */
	pcap_t *dead;
	pcap_dumper_t *dumper;
	FILE *f;
	char *vbuf;		/* the FILE's buffer, reused by every file */
	uint8_t *rec;		/* cooked header + message, for pcap_dump() */
	uint64_t bytes;		/* size of the current file, buffered bytes included */
	uint64_t records;	/* alert records in the current file */
	uint64_t flushed;	/* end of the last record known to be in the file */
	uint64_t marks[MAX_MARKS];	/* record ends since that flush, ascending */
	unsigned int nmarks;
	unsigned int seq;	/* -C: number of the current file in this -G interval */
	time_t g_start;		/* -G: when the current interval began (its name) */
	struct timespec g_mono;	/* the same on the monotonic clock (its length) */
	char **ring;		/* -W: names created by this run, oldest first */
	unsigned int ring_len;
	uint64_t preamble[32];	/* nlctrl NEWFAMILY naming NET_DM */
	char err[512];
	char pattern[PATH_MAX];
	char name[PATH_MAX];
};

static const char *open_fix(int err)
{
	switch (err) {
	case EACCES: case EPERM: case EROFS:
		return "choose a writable path";
	case ENOENT: case ENOTDIR:
		return "create the directory or fix the path";
	case EISDIR:
		return "give a file name, not a directory";
	case ENAMETOOLONG:
		return "use a shorter path";
	case ENOSPC: case EDQUOT:
		return "free space or write elsewhere";
	case EMFILE: case ENFILE:
		return "raise the open file limit (ulimit -n)";
	case ENOMEM:
		return "raise the memory limit (ulimit -v)";
	default:
		return "choose another path";
	}
}

static const char *write_fix(int err)
{
	switch (err) {
	case ENOSPC: case EDQUOT:
		return "free space or use -C/-W to bound the capture";
	case EFBIG:
		return "raise the file size limit (ulimit -f) or use -C to split the capture";
	case EPIPE:
		return "keep the program reading the capture running";
	case EIO:
		return "check the disk (dmesg) or write elsewhere";
	case ENOMEM:
		return "raise the memory limit (ulimit -v)";
	default:
		return "check the output device or write elsewhere";
	}
}

static const char *shown_name(const struct capture *c)
{
	return c->to_stdout ? "standard output" : c->name;
}

/* The first error sticks: drop what is buffered, cut the file back to its
 * last whole record, and refuse every later write.
 */
static int fail(struct capture *c, int err)
{
	struct stat st;
	uint64_t keep = c->flushed;
	unsigned int i;

	if (c->failed)
		return -1;
	c->failed = true;
	c->errnum = err;
	snprintf(c->err, sizeof(c->err), "writing %.300s failed: %s: %s", shown_name(c),
		 strerror(err), write_fix(err));
	if (!c->f)
		return -1;
	__fpurge(c->f);		/* or fclose() would write it after the cut */
	if (!c->can_truncate || fstat(fileno(c->f), &st) < 0)
		return -1;
	for (i = 0; i < c->nmarks && c->marks[i] <= (uint64_t)st.st_size; i++)
		keep = c->marks[i];
	if (keep == 0)		/* not even the file header: leave no file */
		unlink(c->name);
	else if (ftruncate(fileno(c->f), (off_t)keep) < 0)
		return -1;
	return -1;
}

static int flush(struct capture *c)
{
	if (fflush(c->f) != 0)
		return fail(c, errno ? errno : EIO);
	c->flushed = c->bytes;
	c->nmarks = 0;
	return 0;
}

static int put_record(struct capture *c, const struct pcap_pkthdr *h, const uint8_t *data)
{
	errno = 0;
	pcap_dump((u_char *)c->dumper, h, data);
	if (ferror(c->f))
		return fail(c, errno ? errno : EIO);
	c->bytes += PCAP_REC_HDR + h->caplen;
	c->marks[c->nmarks++] = c->bytes;
	if (c->o.packet_buffered || c->nmarks == MAX_MARKS)
		return flush(c);
	return 0;
}

static void set_ts(struct pcap_pkthdr *h, uint64_t ts_ns)
{
	/* With nanosecond precision libpcap writes tv_usec as nanoseconds. */
	h->ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	h->ts.tv_usec = (suseconds_t)(ts_ns % 1000000000u);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int put_netlink(struct capture *c, const struct nlmsghdr *nlh, uint64_t ts_ns)
{
	struct pcap_pkthdr h;
	uint32_t len = nlh->nlmsg_len;

	set_ts(&h, ts_ns);
	h.len = COOKED_LEN + len;
	h.caplen = h.len < SNAPLEN ? h.len : SNAPLEN;
	memcpy(c->rec + COOKED_LEN, nlh, h.caplen - COOKED_LEN);
	return put_record(c, &h, c->rec);
}

/* What the kernel's ctrl_fill_info() sends for NET_DM, minus ops and
 * groups: Wireshark learns the family id -> "NET_DM" mapping from it.
 */
static void build_preamble(struct capture *c)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(c->preamble);
	struct genlmsghdr *g;

	nlh->nlmsg_type = GENL_ID_CTRL;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_NEWFAMILY;
	g->version = 2;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "NET_DM");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, c->o.family_id);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 2);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, NET_DM_ATTR_MAX);
}

/* tcpdump's width for -W N: the digits of N-1, none for N == 1. */
static int ring_digits(unsigned int n)
{
	int d = 0;

	for (n = n ? n - 1 : 0; n; n /= 10)
		d++;
	return d;
}

static int make_name(struct capture *c, time_t when)
{
	char base[PATH_MAX];
	int digits = ring_digits(c->o.ring_files), n;
	unsigned int cnt = c->o.ring_files ? c->seq % c->o.ring_files : c->seq;
	struct tm tm;

	if (c->o.rotate_seconds) {
		/* The user's -w pattern is the format, as with tcpdump -G. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		if (!localtime_r(&when, &tm) || strftime(base, sizeof(base), c->pattern, &tm) == 0)
			goto err_long;
#pragma GCC diagnostic pop
	} else {
		snprintf(base, sizeof(base), "%s", c->pattern);
	}
	if (c->o.rotate_bytes && (cnt || digits))
		n = snprintf(c->name, sizeof(c->name), "%s%0*u", base, digits, cnt);
	else
		n = snprintf(c->name, sizeof(c->name), "%s", base);
	if (n < 0 || (size_t)n >= sizeof(c->name))
		goto err_long;
	return 0;

err_long:
	snprintf(c->err, sizeof(c->err),
		 "the file name made from %.200s is empty or too long: use a shorter -w path",
		 c->pattern);
	c->errnum = ENAMETOOLONG;
	return -1;
}

/* Remember a file this run created; past -W files, delete the oldest. A
 * name that comes round again (the -C ring) was overwritten, not added.
 */
static void ring_add(struct capture *c, char *copy)
{
	unsigned int i;

	for (i = 0; i < c->ring_len; i++) {
		if (strcmp(c->ring[i], c->name) == 0) {
			free(c->ring[i]);
			memmove(&c->ring[i], &c->ring[i + 1], (c->ring_len - i - 1) * sizeof(char *));
			c->ring_len--;
			break;
		}
	}
	if (c->ring_len == c->o.ring_files) {
		unlink(c->ring[0]);
		free(c->ring[0]);
		memmove(&c->ring[0], &c->ring[1], (c->ring_len - 1) * sizeof(char *));
		c->ring_len--;
	}
	c->ring[c->ring_len++] = copy;
}

static FILE *open_stream(struct capture *c)
{
	int fd;
	FILE *f;

	if (!c->to_stdout)
		return fopen(c->name, "wbe");
	/* A FILE of our own on a copy of fd 1: its buffer is ours, and
	 * closing it leaves stdout to main().
	 */
	fflush(stdout);
	fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "wb");
	if (!f)
		close(fd);
	return f;
}

/* Open c->name, write the file header and the preamble, and flush them so
 * that a full disk shows at once. On error c->err says why. The ring's
 * copy of the name is made first: out of memory, no file is created.
 */
static int open_file(struct capture *c, uint64_t ts_ns)
{
	char *copy = NULL;
	struct stat st;
	int err;

	if (c->ring && !(copy = strdup(c->name))) {
		snprintf(c->err, sizeof(c->err), "cannot write %.300s: out of memory: "
			 "free memory or use a smaller -W", c->name);
		c->errnum = ENOMEM;
		goto err_open;
	}
	c->f = open_stream(c);
	if (!c->f) {
		err = errno;
		snprintf(c->err, sizeof(c->err), "cannot write %.300s: %s: %s", shown_name(c),
			 strerror(err), open_fix(err));
		c->errnum = err;
		goto err_open;
	}
	c->can_truncate = !c->to_stdout && fstat(fileno(c->f), &st) == 0 && S_ISREG(st.st_mode);
	setvbuf(c->f, c->vbuf, _IOFBF, VBUF_SIZE);
	c->dumper = pcap_dump_fopen(c->dead, c->f);
	if (!c->dumper) {
		err = errno ? errno : EIO;
		snprintf(c->err, sizeof(c->err), "cannot write %.300s: %s: %s", shown_name(c),
			 pcap_geterr(c->dead), open_fix(err));
		c->errnum = err;
		goto err_dump;
	}
	c->bytes = PCAP_FILE_HDR;
	c->flushed = 0;
	c->marks[0] = PCAP_FILE_HDR;
	c->nmarks = 1;
	c->records = 0;
	if (c->o.linktype == CAPTURE_NETLINK &&
	    put_netlink(c, (const struct nlmsghdr *)c->preamble, ts_ns) < 0)
		goto err_write;
	if (flush(c) < 0)
		goto err_write;
	if (copy)
		ring_add(c, copy);
	return 0;

err_write:
	pcap_dump_close(c->dumper);
	c->dumper = NULL;
	c->f = NULL;
	goto err_open;
err_dump:
	fclose(c->f);
	c->f = NULL;
err_open:
	free(copy);
	c->failed = true;
	return -1;
}

static void close_file(struct capture *c)
{
	if (c->dumper)
		pcap_dump_close(c->dumper);	/* fclose(): the buffer went out before */
	c->dumper = NULL;
	c->f = NULL;
}

static int rotate(struct capture *c, time_t when, uint64_t ts_ns)
{
	if (flush(c) < 0)
		return -1;
	close_file(c);
	if (make_name(c, when) < 0) {
		c->failed = true;
		return -1;
	}
	return open_file(c, ts_ns);
}

struct capture *capture_open(const struct capture_opts *o, struct errmsg *e)
{
	struct capture *c = calloc(1, sizeof(*c));
	int dlt = o->linktype == CAPTURE_NETLINK ? DLT_NETLINK : DLT_EN10MB;
	uint64_t ts = now_ns();

	if (!c)
		goto err_nomem;
	c->o = *o;
	c->to_stdout = strcmp(o->path, "-") == 0;
	c->g_start = (time_t)(ts / 1000000000u);
	clock_gettime(CLOCK_MONOTONIC, &c->g_mono);
	if (c->to_stdout && (o->rotate_bytes || o->rotate_seconds)) {
		errmsg_set(e, EINVAL, "cannot rotate standard output: "
			   "write to a file with -w FILE, or drop -C/-G");
		goto err_free;
	}
	if (snprintf(c->pattern, sizeof(c->pattern), "%s", o->path) >= (int)sizeof(c->pattern)) {
		errmsg_set(e, ENAMETOOLONG, "cannot write %.200s...: %s: %s", o->path,
			   strerror(ENAMETOOLONG), open_fix(ENAMETOOLONG));
		goto err_free;
	}
	if (!c->to_stdout && o->ring_files && (o->rotate_bytes || o->rotate_seconds)) {
		c->ring = calloc(o->ring_files, sizeof(char *));
		if (!c->ring)
			goto err_nomem;
	}
	c->vbuf = malloc(VBUF_SIZE);
	c->rec = malloc(COOKED_LEN + SNAPLEN);
	c->dead = pcap_open_dead_with_tstamp_precision(dlt, SNAPLEN, PCAP_TSTAMP_PRECISION_NANO);
	if (!c->vbuf || !c->rec || !c->dead)
		goto err_nomem;
	memcpy(c->rec, cooked, COOKED_LEN);
	build_preamble(c);
	if (make_name(c, c->g_start) < 0) {
		errmsg_set(e, ENAMETOOLONG, "%s", c->err);
		goto err_free;
	}
	if (open_file(c, ts) < 0) {
		errmsg_set(e, c->errnum, "%s", c->err);
		goto err_free;
	}
	return c;

err_nomem:
	errmsg_set(e, ENOMEM, "cannot set up the capture: out of memory: "
		   "free memory or use a smaller -W");
err_free:
	capture_close(c);
	return NULL;
}

int capture_write(struct capture *c, const struct nlmsghdr *nlh, const uint8_t *payload,
		  uint32_t payload_len, uint32_t orig_len, uint64_t ts_ns)
{
	struct pcap_pkthdr h;
	uint32_t caplen;

	if (c->failed)
		return -1;
	if (!ts_ns)
		ts_ns = now_ns();
	if (c->o.linktype == CAPTURE_ETHER) {
		if (!payload || !payload_len)
			return 0;	/* summary alerts carry no frame to write */
		caplen = payload_len < SNAPLEN ? payload_len : SNAPLEN;
	} else {
		/* A caller bug, not an output error: do not latch. */
		if (!nlh || nlh->nlmsg_len < sizeof(*nlh)) {
			errno = EINVAL;
			return -1;
		}
		caplen = COOKED_LEN + nlh->nlmsg_len;
		caplen = caplen < SNAPLEN ? caplen : SNAPLEN;
	}
	if (c->o.rotate_bytes && c->records &&
	    c->bytes + PCAP_REC_HDR + caplen > c->o.rotate_bytes) {
		c->seq++;
		if (rotate(c, c->g_start, ts_ns) < 0)
			return -1;
	}
	c->records++;
	if (c->o.linktype == CAPTURE_NETLINK)
		return put_netlink(c, nlh, ts_ns);
	set_ts(&h, ts_ns);
	h.caplen = caplen;
	h.len = orig_len > payload_len ? orig_len : payload_len;
	return put_record(c, &h, payload);
}

static int64_t ns_between(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(b->tv_sec - a->tv_sec) * 1000000000 + (b->tv_nsec - a->tv_nsec);
}

/* -G measures its intervals on the monotonic clock, so that the wall clock
 * stepped back neither stalls rotation nor, stepped forward, hurries it;
 * the wall clock names the files.
 */
int capture_tick(struct capture *c, const struct timespec *now, const struct timespec *mono)
{
	struct timespec ts, ms;

	if (c->failed)
		return -1;
	if (!now) {
		clock_gettime(CLOCK_REALTIME, &ts);
		now = &ts;
	}
	if (!mono) {
		clock_gettime(CLOCK_MONOTONIC, &ms);
		mono = &ms;
	}
	/* As tcpdump: the next interval starts now, not on a boundary. */
	if (c->o.rotate_seconds &&
	    ns_between(&c->g_mono, mono) >= (int64_t)c->o.rotate_seconds * 1000000000) {
		c->g_start = now->tv_sec;
		c->g_mono = *mono;
		c->seq = 0;
		return rotate(c, now->tv_sec,
			      (uint64_t)now->tv_sec * 1000000000u + (uint64_t)now->tv_nsec);
	}
	return flush(c);
}

const char *capture_error(const struct capture *c)
{
	return c && c->failed ? c->err : NULL;
}

int capture_errno(const struct capture *c)
{
	return c && c->failed ? c->errnum : 0;
}

int capture_close(struct capture *c)
{
	int rc;
	unsigned int i;

	if (!c)
		return 0;
	if (c->f && !c->failed)
		flush(c);
	rc = c->failed ? -1 : 0;
	close_file(c);
	if (c->dead)
		pcap_close(c->dead);
	for (i = 0; i < c->ring_len; i++)
		free(c->ring[i]);
	free(c->ring);
	free(c->rec);
	free(c->vbuf);
	free(c);
	return rc;
}

int capture_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v = 0, unit = 1000000;
	const char *p = s;

	if (!s || *s < '0' || *s > '9')
		return -1;	/* no sign, no blanks, not empty */
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'k': case 'K':
		unit = 1024;
		break;
	case 'm': case 'M':
		unit = 1024 * 1024;
		break;
	case 'g': case 'G':
		unit = 1024 * 1024 * 1024;
		break;
	default:
		return -1;
	}
	if (*p && p[1])
		return -1;	/* one letter only, as tcpdump */
	if (v == 0 || v > UINT64_MAX / unit)
		return -1;
	*bytes = v * unit;
	return 0;
}
