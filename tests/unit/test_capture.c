#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* unshare() */
#endif
/* Tests for capture.c: files are read back with libpcap and, when tshark is
 * on PATH, decoded by Wireshark's net_dm dissector (the reason for the
 * cooked header and the nlctrl preamble). Rotation by size, ring and time;
 * size parsing; write errors on /dev/full, a full tmpfs (root only) and
 * under RLIMIT_FSIZE, where the file must stay readable to its last record;
 * each of capture.c's own allocations failing in turn (the test links
 * with -Wl,--wrap for malloc, calloc and strdup: libc's and libpcap's
 * allocations inside are left alone).
 * Writing to "-" is tested with replay from "-" in test_replay.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "errmsg.h"
#include "nlparse.h"
#include "tap.h"

#define FAMILY 28
#define TS 1700000000123456789ull
#define MAXREC 64

/* Allocation failures on demand: when fail_in reaches 0 the allocation
 * fails with ENOMEM; -1 never. failed counts the failures given.
 */
static int fail_in = -1, failed;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
char *__wrap_strdup(const char *s);

static bool fail_now(void)
{
	if (fail_in < 0 || fail_in-- > 0)
		return false;
	failed++;
	errno = ENOMEM;
	return true;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

static char dir[] = "/tmp/trapmon-capture-XXXXXX";
static uint64_t msgbuf[1024];
static uint8_t frame[142];
static bool have_tshark;
static struct errmsg e;

/* A 142-byte Ethernet/IPv4/UDP frame, 192.0.2.1:40000 -> 198.51.100.1:9
 * (IPv4 header checksum 0x3c03 precomputed).
 */
static void build_frame(void)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 128, 0x12, 0x34, 0x40, 0, 64, 17, 0x3c, 0x03, 192, 0, 2, 1, 198, 51, 100, 1,
		0x9c, 0x40, 0, 9, 0, 108, 0, 0,
	};
	size_t i;

	memcpy(frame, hdr, sizeof(hdr));
	for (i = sizeof(hdr); i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7);
}

/* A hardware PACKET_ALERT as the kernel sends it, with TIMESTAMP ts. */
static struct nlmsghdr *hw_alert(uint64_t ts)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct genlmsghdr *g;
	struct nlattr *nest;

	nlh->nlmsg_type = FAMILY;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = NET_DM_CMD_PACKET_ALERT;
	g->version = 2;
	mnl_attr_put_u16(nlh, NET_DM_ATTR_ORIGIN, NET_DM_ORIGIN_HW);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_GROUP_NAME, "l3_drops");
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_NAME, "blackhole_route");
	nest = mnl_attr_nest_start(nlh, NET_DM_ATTR_IN_PORT);
	mnl_attr_put_u32(nlh, NET_DM_ATTR_PORT_NETDEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_PORT_NETDEV_NAME, "eth0");
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u64(nlh, NET_DM_ATTR_TIMESTAMP, ts);
	mnl_attr_put_u32(nlh, NET_DM_ATTR_ORIG_LEN, sizeof(frame));
	mnl_attr_put_u16(nlh, NET_DM_ATTR_PROTO, 0x0800);
	mnl_attr_put(nlh, NET_DM_ATTR_PAYLOAD, sizeof(frame), frame);
	return nlh;
}

static int put_alert(struct capture *c, uint64_t ts)
{
	return capture_write(c, hw_alert(ts), NULL, 0, 0, ts);
}

/* n alerts stamped ts0, ts0 + 1, ...; then close. */
static bool put_alerts_close(struct capture *c, int n, uint64_t ts0)
{
	int i, rc = 0;

	for (i = 0; c && i < n; i++)
		rc |= put_alert(c, ts0 + (uint64_t)i);
	return c && rc == 0 && capture_close(c) == 0;
}

/* What libpcap reads back from a file. */
struct readback {
	int dlt;
	int n;
	bool error;
	uint64_t ts[MAXREC];
	uint32_t caplen[MAXREC], len[MAXREC];
	uint64_t data[MAXREC][64];	/* first 512 bytes, 8-aligned */
};

static struct readback rb;

static bool read_back(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	int rc;

	memset(&rb, 0, sizeof(rb));
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		tap_diag("%s", errbuf);
		return false;
	}
	rb.dlt = pcap_datalink(p);
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		if (rb.n < MAXREC) {
			rb.ts[rb.n] = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
			rb.caplen[rb.n] = h->caplen;
			rb.len[rb.n] = h->len;
			memcpy(rb.data[rb.n], d, h->caplen < 512 ? h->caplen : 512);
		}
		rb.n++;
	}
	if (rc != PCAP_ERROR_BREAK) {
		tap_diag("%s: %s", path, pcap_geterr(p));
		rb.error = true;
	}
	pcap_close(p);
	return !rb.error;
}

static const uint8_t cooked[16] = { 0, 4, 3, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };

/* Record i is the nlctrl NEWFAMILY naming NET_DM with id FAMILY. */
static bool is_preamble(int i)
{
	const struct nlmsghdr *nlh = (const void *)((const uint8_t *)rb.data[i] + 16);
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };

	return memcmp(rb.data[i], cooked, 16) == 0 && rb.caplen[i] == rb.len[i] &&
	       nlh->nlmsg_len + 16 == rb.caplen[i] && nlh->nlmsg_type == GENL_ID_CTRL &&
	       nlparse_genl_cmd(nlh) == CTRL_CMD_NEWFAMILY &&
	       nlparse_genl(nlh, tb, CTRL_ATTR_MAX) == 0 && tb[CTRL_ATTR_FAMILY_ID] &&
	       mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]) == FAMILY &&
	       tb[CTRL_ATTR_FAMILY_NAME] && nlparse_is_str(tb[CTRL_ATTR_FAMILY_NAME]) &&
	       strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), "NET_DM") == 0;
}

/* Record i is the alert with TIMESTAMP ts, byte for byte, stamped ts. */
static bool is_alert(int i, uint64_t ts)
{
	const struct nlmsghdr *nlh = hw_alert(ts);

	return rb.ts[i] == ts && rb.caplen[i] == 16 + nlh->nlmsg_len && rb.len[i] == rb.caplen[i] &&
	       memcmp(rb.data[i], cooked, 16) == 0 &&
	       memcmp((const uint8_t *)rb.data[i] + 16, nlh, nlh->nlmsg_len) == 0;
}

/* Records tshark shows for a display filter; -1 if tshark failed or
 * complained (e.g. about a record cut short).
 */
static int tshark_count(const char *path, const char *filter)
{
	char cmd[1024], line[512];
	int n = 0, bad = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "tshark -n -r '%s' -Y '%s' -T fields -e frame.number 2>&1",
		 path, filter);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		if (line[0] >= '0' && line[0] <= '9')
			n++;
		else if (strncmp(line, "Running as user", 15) != 0 && ++bad)
			tap_diag("tshark: %s", line);
	}
	return pclose(p) == 0 && !bad ? n : -1;
}

static void tshark_ok(const char *path, const char *filter, int want, const char *what)
{
	int n;

	if (!have_tshark) {
		tap_ok(1, "%s # SKIP tshark not on PATH", what);
		return;
	}
	n = tshark_count(path, filter);
	tap_ok(n == want, "%s (tshark counts %d, want %d)", what, n, want);
}

static bool one_line(const char *s)
{
	return s && *s && !strchr(s, '\n');
}

#define OPTS(p) { .path = (p), .linktype = CAPTURE_NETLINK, .family_id = FAMILY }

static struct capture *open_cap(const struct capture_opts *o)
{
	errmsg_clear(&e);
	return capture_open(o, &e);
}

static void test_parse_size(void)
{
	static const struct {
		const char *s;
		uint64_t want;	/* 0: rejected */
	} cases[] = {
		{ "1", 1000000 }, { "250", 250000000 }, { "1k", 1024 }, { "2K", 2048 },
		{ "3m", 3 << 20 }, { "1M", 1 << 20 }, { "1g", 1ull << 30 }, { "4G", 4ull << 30 },
		{ "", 0 }, { "0", 0 }, { "0k", 0 }, { "-1", 0 }, { "+1", 0 }, { " 1", 0 },
		{ "1.5", 0 }, { "1kb", 0 }, { "k", 0 }, { "1x", 0 }, { "1 ", 0 },
		{ "99999999999999999999", 0 }, { "18446744073709551615", 0 }, { "17179869184g", 0 },
	};
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t got = 0;
		int rc = capture_parse_size(cases[i].s, &got);

		if (cases[i].want ? rc != 0 || got != cases[i].want : rc == 0) {
			tap_diag("\"%s\": rc %d, %llu", cases[i].s, rc, (unsigned long long)got);
			bad++;
		}
	}
	tap_ok(!bad, "capture_parse_size: %zu cases (MB default, k/m/g binary, garbage)", i);
	tap_ok(capture_parse_size(NULL, &(uint64_t){ 0 }) < 0, "capture_parse_size: NULL rejected");
}

static void test_netlink(void)
{
	char path[128];
	struct capture_opts o = OPTS(path);
	struct capture *c;
	struct timespec t0, t1;
	int i, rc = 0, good = 0;
	uint64_t lo, hi;
	bool ok;

	snprintf(path, sizeof(path), "%s/drops.pcap", dir);
	c = open_cap(&o);
	tap_ok(c != NULL, "netlink: capture_open %s", e.text);
	if (!c)
		return;
	for (i = 0; i < 5; i++)
		rc |= put_alert(c, TS + (uint64_t)i * 1000);
	clock_gettime(CLOCK_REALTIME, &t0);
	rc |= capture_write(c, hw_alert(TS), NULL, 0, 0, 0);	/* 0: now */
	clock_gettime(CLOCK_REALTIME, &t1);
	tap_ok(rc == 0 && capture_error(c) == NULL && capture_close(c) == 0,
	       "netlink: 6 writes and close succeed");
	ok = read_back(path);
	tap_ok(ok && rb.dlt == DLT_NETLINK && rb.n == 7,
	       "netlink: libpcap reads linktype %d, %d records", rb.dlt, rb.n);
	tap_ok(is_preamble(0), "netlink: record 1 is nlctrl NEWFAMILY NET_DM id %d", FAMILY);
	for (i = 0; i < 5; i++)
		good += is_alert(i + 1, TS + (uint64_t)i * 1000);
	tap_ok(good == 5, "netlink: 5 alerts byte-identical behind the cooked header, ns stamps");
	lo = (uint64_t)t0.tv_sec * 1000000000u + (uint64_t)t0.tv_nsec;
	hi = (uint64_t)t1.tv_sec * 1000000000u + (uint64_t)t1.tv_nsec;
	tap_ok(rb.ts[6] >= lo && rb.ts[6] <= hi, "netlink: ts_ns 0 stamps the record with now");
	tshark_ok(path, "net_dm.hw_trap_name == \"blackhole_route\"", 6,
		  "netlink: Wireshark decodes the trap name in every alert");
	tshark_ok(path, "netlink.hatype == 824 && netlink.family == 16", 7,
		  "netlink: cooked header decodes (hatype 824, family 16, big-endian)");
	tshark_ok(path, "genl.ctrl.family_name == \"NET_DM\" && genl.ctrl.family_id == 28", 1,
		  "netlink: preamble decodes as nlctrl NET_DM = 28");
	tshark_ok(path, "ip.src == 192.0.2.1 && ip.dst == 198.51.100.1 && udp", 6,
		  "netlink: the payload decodes as IPv4/UDP");
}

static void test_ether(void)
{
	char path[128];
	struct capture_opts o = OPTS(path);
	struct capture *c;
	int i, rc = 0, good = 0;
	bool ok;

	snprintf(path, sizeof(path), "%s/ether.pcap", dir);
	o.linktype = CAPTURE_ETHER;
	c = open_cap(&o);
	tap_ok(c != NULL, "ether: capture_open %s", e.text);
	if (!c)
		return;
	for (i = 0; i < 3; i++)
		rc |= capture_write(c, NULL, frame, sizeof(frame), 200, TS + (uint64_t)i);
	rc |= capture_write(c, NULL, NULL, 0, 60, TS);	/* no payload: nothing */
	tap_ok(rc == 0 && capture_close(c) == 0, "ether: writes and close succeed");
	ok = read_back(path);
	tap_ok(ok && rb.dlt == DLT_EN10MB && rb.n == 3,
	       "ether: linktype %d, %d records, no preamble", rb.dlt, rb.n);
	for (i = 0; i < 3 && i < rb.n; i++)
		good += rb.caplen[i] == sizeof(frame) && rb.len[i] == 200 &&
			rb.ts[i] == TS + (uint64_t)i && memcmp(rb.data[i], frame, sizeof(frame)) == 0;
	tap_ok(good == 3, "ether: caplen 142, len 200 (orig_len), frame bytes, ns stamps");
	tshark_ok(path, "eth && ip.src == 192.0.2.1", 3, "ether: tshark sees Ethernet from 192.0.2.1");
}

/* Regular files in d whose name starts with prefix. */
static int count_files(const char *d, const char *prefix)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	if (!dp)
		return -1;
	while ((de = readdir(dp)))
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(dp);
	return n;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void test_rotate_size(void)
{
	char base[128], name[160];
	struct capture_opts o = OPTS(base);
	struct capture *c;
	int i, files, alerts = 0, ok = 1, tshark_bad = 0;
	struct stat st;

	snprintf(base, sizeof(base), "%s/size.pcap", dir);
	o.rotate_bytes = 1000;
	c = open_cap(&o);
	tap_ok(put_alerts_close(c, 7, TS), "-C 1000: 7 alerts written %s", e.text);
	files = count_files(dir, "size.pcap");
	for (i = 0; i < files; i++) {
		int k;

		snprintf(name, sizeof(name), "%s%.0d", base, i);	/* no digit for 0 */
		ok &= stat(name, &st) == 0 && st.st_size <= 1000 && read_back(name) &&
		      rb.n >= 2 && is_preamble(0);
		for (k = 1; k < rb.n; k++)
			ok &= is_alert(k, TS + (uint64_t)alerts++);
		if (have_tshark)
			tshark_bad += tshark_count(name, "net_dm.hw_trap_name") != rb.n - 1;
	}
	tap_ok(files >= 3 && ok && alerts == 7,
	       "-C: %d files (name, name1, ...), each <= 1000 bytes, preamble first, 7 alerts in order",
	       files);
	tap_ok(!tshark_bad, "-C: each file decodes alone in tshark%s",
	       have_tshark ? "" : " # SKIP tshark not on PATH");
}

static void test_ring(void)
{
	char base[128], name[160];
	struct capture_opts o = OPTS(base);
	struct capture *c;
	uint64_t last = 0;
	int i, ok = 1, alerts = 0;

	snprintf(base, sizeof(base), "%s/ring.pcap", dir);
	o.rotate_bytes = 1000;
	o.ring_files = 3;
	c = open_cap(&o);
	tap_ok(put_alerts_close(c, 20, TS), "-C -W 3: 20 alerts written %s", e.text);
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "%s%d", base, i);
		ok &= read_back(name) && is_preamble(0);
		alerts += rb.n - 1;
		if (rb.n > 1 && rb.ts[rb.n - 1] > last)
			last = rb.ts[rb.n - 1];
	}
	tap_ok(ok && count_files(dir, "ring.pcap") == 3 && !exists(base) && alerts < 20 &&
	       last == TS + 19, "-C -W 3: only ring.pcap0..2 remain, holding the newest alerts");

	snprintf(base, sizeof(base), "%s/wide.pcap", dir);
	o.ring_files = 12;
	ok = put_alerts_close(open_cap(&o), 1, TS);
	snprintf(name, sizeof(name), "%s00", base);
	tap_ok(ok && exists(name) && count_files(dir, "wide.pcap") == 1,
	       "-W 12 pads like tcpdump: the first file is wide.pcap00");
}

/* sub = dir/leaf, pat = sub/prefix-%s.pcap: %s (epoch seconds) names files. */
static void time_dir(char *sub, char *pat, const char *leaf, const char *prefix)
{
	snprintf(sub, 128, "%s/%s", dir, leaf);
	mkdir(sub, 0700);
	snprintf(pat, 160, "%s/%s-%%s.pcap", sub, prefix);
}

static const char *epoch_name(const char *sub, const char *prefix, time_t sec, const char *sfx)
{
	static char name[192];

	snprintf(name, sizeof(name), "%s/%s-%lld.pcap%s", sub, prefix, (long long)sec, sfx);
	return name;
}

/* The monotonic time that goes with a made-up wall-clock time: the two
 * clocks' offset, added to it.
 */
static const struct timespec *mono_of(const struct timespec *real)
{
	static struct timespec m;
	static int64_t offset;	/* read once: whole seconds apart stay so */
	struct timespec r, mn;
	int64_t ns;

	if (!offset) {
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_MONOTONIC, &mn);
		offset = ((int64_t)mn.tv_sec - r.tv_sec) * 1000000000 + (mn.tv_nsec - r.tv_nsec);
	}
	ns = (int64_t)real->tv_sec * 1000000000 + real->tv_nsec + offset;
	m.tv_sec = (time_t)(ns / 1000000000);
	m.tv_nsec = (long)(ns % 1000000000);
	return &m;
}

/* The wall clock stepped during -G: intervals follow the monotonic clock,
 * names the wall clock.
 */
static void test_rotate_clock_step(void)
{
	char sub[128], pat[160];
	struct capture_opts o = OPTS(pat);
	struct timespec real, mono;
	struct capture *c;
	int ok;

	time_dir(sub, pat, "g4", "s");
	o.rotate_seconds = 2;
	c = open_cap(&o);
	tap_ok(c != NULL, "-G 2 opens %s", e.text);
	if (!c)
		return;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	real.tv_sec += 3600;	/* an hour forward, at once */
	ok = capture_tick(c, &real, &mono) == 0 && count_files(sub, "s-") == 1;
	tap_ok(ok, "-G 2: the wall clock an hour forward within the interval: no rotation");
	real.tv_sec -= 7200;	/* then an hour back, 2 s after the open */
	mono.tv_sec += 2;
	ok = capture_tick(c, &real, &mono) == 0 && count_files(sub, "s-") == 2 &&
	     exists(epoch_name(sub, "s", real.tv_sec, ""));
	tap_ok(ok, "-G 2: stepped an hour back, 2 monotonic seconds on: rotated, named by the wall clock");
	capture_close(c);
}

static void test_rotate_time(void)
{
	char sub[128], pat[160];
	struct capture_opts o = OPTS(pat);
	struct timespec t0;
	struct capture *c;
	int i, ok;

	time_dir(sub, pat, "g1", "g");
	o.rotate_seconds = 1;
	c = open_cap(&o);
	tap_ok(c && count_files(sub, "g-") == 1, "-G 1: the first file is open %s", e.text);
	if (!c)
		return;
	clock_gettime(CLOCK_REALTIME, &t0);
	t0.tv_sec++;
	ok = capture_tick(c, &t0, mono_of(&t0)) == 0 && read_back(epoch_name(sub, "g", t0.tv_sec, "")) &&
	     rb.n == 1 && is_preamble(0);
	tap_ok(ok, "-G 1: a tick 1 s later rotates with no packet; strftime names it g-<epoch>");
	t0.tv_nsec = 999999999;
	ok = capture_tick(c, &t0, mono_of(&t0)) == 0 && count_files(sub, "g-") == 2;
	t0.tv_sec++;
	ok &= capture_tick(c, &t0, mono_of(&t0)) == 0 && put_alert(c, TS) == 0 && capture_close(c) == 0;
	ok &= count_files(sub, "g-") == 3 && read_back(epoch_name(sub, "g", t0.tv_sec, "")) &&
	      rb.n == 2 && is_preamble(0) && is_alert(1, TS);
	tap_ok(ok, "-G 1: no rotation within the second; the next one gets the alert");

	time_dir(sub, pat, "g2", "g");
	o.ring_files = 2;
	c = open_cap(&o);
	clock_gettime(CLOCK_REALTIME, &t0);
	for (ok = c != NULL, i = 1; ok && i <= 3; i++) {
		t0.tv_sec++;
		ok = capture_tick(c, &t0, mono_of(&t0)) == 0;
	}
	ok &= capture_close(c) == 0 && count_files(sub, "g-") == 2 &&
	      exists(epoch_name(sub, "g", t0.tv_sec, "")) &&
	      exists(epoch_name(sub, "g", t0.tv_sec - 1, ""));
	tap_ok(ok, "-G 1 -W 2: 4 files made, the 2 newest kept");

	time_dir(sub, pat, "g3", "h");
	o.ring_files = 10;
	o.rotate_bytes = 1000;
	c = open_cap(&o);
	for (ok = c != NULL, i = 0; ok && i < 5; i++)
		ok = put_alert(c, TS) == 0;
	clock_gettime(CLOCK_REALTIME, &t0);
	t0.tv_sec++;
	ok &= capture_tick(c, &t0, mono_of(&t0)) == 0 && capture_close(c) == 0 &&
	      exists(epoch_name(sub, "h", t0.tv_sec, "0")) && count_files(sub, "h-") >= 4;
	tap_ok(ok, "-G -C -W: the counter restarts at 0 in each interval (h-<epoch>.pcap0)");
}

static void test_open_errors(void)
{
	char path[160];
	struct capture_opts o = OPTS(path);
	struct capture *c;

	snprintf(path, sizeof(path), "%s/no/such/dir.pcap", dir);
	c = open_cap(&o);
	tap_ok(!c && one_line(e.text) && strstr(e.text, "No such file or directory") &&
	       strstr(e.text, "create the directory"), "open: missing directory: %s", e.text);
	snprintf(path, sizeof(path), "%s/drops.pcap/x", dir);
	c = open_cap(&o);
	tap_ok(!c && one_line(e.text) && strstr(e.text, "Not a directory"),
	       "open: path under a file: %s", e.text);
	snprintf(path, sizeof(path), "-");
	o.rotate_bytes = 1000;
	c = open_cap(&o);
	tap_ok(!c && one_line(e.text) && strstr(e.text, "standard output"),
	       "open: -C on stdout refused: %s", e.text);
	o.rotate_bytes = 0;
	snprintf(path, sizeof(path), "/dev/full");
	c = open_cap(&o);
	tap_ok(!exists(path) || (!c && e.errnum == ENOSPC && one_line(e.text) &&
				 strstr(e.text, "No space left on device") &&
				 strstr(e.text, "free space")),
	       "open: /dev/full fails at once (header flushed): %s%s", e.text,
	       exists(path) ? "" : " # SKIP no /dev/full");
	capture_close(c);
	tap_ok(capture_close(NULL) == 0, "capture_close(NULL) is fine");
}

/* Write until a write fails, then check the error sticks and the file
 * reads to its last whole record in libpcap and tshark.
 */
static void fill_until_error(const char *path, int tick_every, const char *errtext,
			     const char *what)
{
	struct capture_opts o = OPTS(path);
	struct capture *c = open_cap(&o);
	struct timespec now;
	int i, rc = 0, good = 0;
	const char *err;
	char label[128];

	for (i = 0; c && rc == 0 && i < 100000; i++) {
		rc = put_alert(c, TS + (uint64_t)i);
		if (rc == 0 && tick_every && i % tick_every == tick_every - 1) {
			clock_gettime(CLOCK_REALTIME, &now);
			rc = capture_tick(c, &now, NULL);
		}
	}
	err = capture_error(c);
	tap_ok(c && rc == -1 && one_line(err) && strstr(err, errtext),
	       "%s: a write fails after %d alerts: %s", what, i, err ? err : e.text);
	if (!c)
		return;
	tap_ok(put_alert(c, TS) == -1 && capture_tick(c, NULL, NULL) == -1 && capture_close(c) == -1,
	       "%s: the error sticks (write, tick and close return -1)", what);
	rc = read_back(path);
	tap_ok(rc && rb.n >= 2 && is_preamble(0), "%s: libpcap reads %d records, no error",
	       what, rb.n);
	for (i = 1; i < rb.n && i < MAXREC; i++)
		good += is_alert(i, TS + (uint64_t)i - 1);
	tap_ok(good == (rb.n < MAXREC ? rb.n : MAXREC) - 1, "%s: the records kept are whole", what);
	snprintf(label, sizeof(label), "%s: tshark reads the cut file without error", what);
	tshark_ok(path, "net_dm.hw_trap_name", rb.n - 1, label);
}

static void test_disk_full(void)
{
	char mnt[128], path[160];
	struct rlimit old, lim;

	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	mkdir(mnt, 0700);
	/* A private mount namespace: the tmpfs goes away with this process. */
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if (mount("trapmon-test", mnt, "tmpfs", 0, "size=64k") < 0) {
		tap_ok(1, "tmpfs full # SKIP cannot mount tmpfs: %s", strerror(errno));
	} else {
		snprintf(path, sizeof(path), "%s/full.pcap", mnt);
		fill_until_error(path, 50, "No space left on device: free space or use -C/-W",
				 "tmpfs 64k full");
		umount2(mnt, MNT_DETACH);
	}
	/* RLIMIT_FSIZE makes write() fail with EFBIG past the limit, no root needed. */
	snprintf(path, sizeof(path), "%s/fsize.pcap", dir);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 200000;	/* within the 256 KiB buffer: its first write is cut */
	setrlimit(RLIMIT_FSIZE, &lim);
	fill_until_error(path, 0, "File too large", "RLIMIT_FSIZE");
	setrlimit(RLIMIT_FSIZE, &old);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_flushing(void)
{
	char path[128];
	struct capture_opts o = OPTS(path);
	struct capture *c;
	long s0, s1, s2, rec = 32 + (long)hw_alert(TS)->nlmsg_len;

	snprintf(path, sizeof(path), "%s/buffered.pcap", dir);
	c = open_cap(&o);
	s0 = file_size(path);
	put_alert(c, TS);
	s1 = file_size(path);
	capture_tick(c, NULL, NULL);
	s2 = file_size(path);
	capture_close(c);
	tap_ok(s0 > 24 && s1 == s0 && s2 == s0 + rec,
	       "buffered: header+preamble on disk at open, the alert after capture_tick");

	snprintf(path, sizeof(path), "%s/unbuffered.pcap", dir);
	o.packet_buffered = true;
	c = open_cap(&o);
	s0 = file_size(path);
	put_alert(c, TS);
	s1 = file_size(path);
	capture_close(c);
	tap_ok(s1 == s0 + rec, "-U: each record is on disk once capture_write returns");

}

/* capture_open() with its k-th allocation failing, for every k that it
 * makes: NULL, one line naming the fix, no file left behind, nothing
 * leaked (ASan). Then a rotation whose ring cannot remember the new name:
 * the error sticks, and what was written reads back whole.
 */
static void test_out_of_memory(void)
{
	char base[128], name[160];
	struct capture_opts o = OPTS(base);
	struct capture *c;
	int k, fails = 0, ok = 1, i, rc = 0, writes;
	const char *why;

	snprintf(base, sizeof(base), "%s/nomem.pcap", dir);
	o.rotate_bytes = 1000;
	o.ring_files = 3;
	for (k = 0; k < 16; k++) {
		failed = 0;
		fail_in = k;
		c = open_cap(&o);
		fail_in = -1;
		if (!failed) {
			capture_close(c);
			break;
		}
		fails++;
		if (!(!c && e.errnum == ENOMEM && one_line(e.text) &&
		      strstr(e.text, "out of memory") && strstr(e.text, "smaller -W") &&
		      count_files(dir, "nomem.pcap") == 0)) {
			tap_diag("allocation %d: %s; %d files", k, e.text, count_files(dir, "nomem.pcap"));
			ok = 0;
		}
	}
	tap_ok(ok && fails >= 4 && k < 16,
	       "open: each of its %d allocations failing gives NULL, ENOMEM, one line naming the "
	       "fix and no file", fails);

	/* Every write with its first allocation failing: only a rotation
	 * allocates (the ring's copy of the new name).
	 */
	snprintf(base, sizeof(base), "%s/nomem-ring.pcap", dir);
	c = open_cap(&o);
	for (i = 0; c && i < 20 && rc == 0; i++) {
		failed = 0;
		fail_in = 0;
		rc = put_alert(c, TS + (uint64_t)i);
		fail_in = -1;
	}
	writes = i;
	why = c ? capture_error(c) : NULL;
	tap_ok(c && rc < 0 && failed == 1 && capture_errno(c) == ENOMEM && writes > 1 &&
	       one_line(why) && strstr(why, "out of memory") && strstr(why, "smaller -W"),
	       "-C -W: a rotation out of memory fails write %d with ENOMEM, one line naming "
	       "the fix: %s", writes, why ? why : "(none)");
	tap_ok(c && capture_close(c) < 0, "... and capture_close reports it");
	/* The file before it: the preamble, then every alert but the last. */
	snprintf(name, sizeof(name), "%s0", base);
	ok = read_back(name) && is_preamble(0) && !rb.error && rb.n == writes;
	for (i = 1; ok && i < rb.n; i++)
		ok &= is_alert(i, TS + (uint64_t)(i - 1));
	snprintf(name, sizeof(name), "%s1", base);
	tap_ok(ok && !exists(name) && count_files(dir, "nomem-ring.pcap") == 1,
	       "... the file before it reads back whole, its %d alerts in order; no new file",
	       writes - 1);
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	have_tshark = system("command -v tshark >/dev/null 2>&1") == 0;
	build_frame();
	test_parse_size();
	test_netlink();
	test_ether();
	test_rotate_size();
	test_ring();
	test_rotate_time();
	test_rotate_clock_step();
	test_open_errors();
	test_disk_full();
	test_flushing();
	test_out_of_memory();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
