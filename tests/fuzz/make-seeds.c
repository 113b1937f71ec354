/* make-seeds: write the fuzzers' seed corpora (`make fuzz-seeds`).
 *   make-seeds OUTDIR TEST_DISSECT_C
 * OUTDIR/netdm:   NET_DM messages as the kernel lays them out: hardware and
 *                 software packet alerts, summary alerts, STATS_NEW, a batch.
 * OUTDIR/devlink: TRAP_NEW, TRAP_GROUP_NEW, TRAP_POLICER_NEW, DEL, a batch.
 * OUTDIR/tcfilter: RTM_NEWTFILTER as a filter dump returns them: matchall
 *                 and flower with cookies on their actions, matchall in a
 *                 shared block, u32 without, a batch.
 * OUTDIR/dissect: every frame of tests/unit/test_dissect.c, plus raw IP.
 * OUTDIR/replay:  one shape byte (see fuzz_make_pcap()) and then capture
 *                 files written by trapmon's capture writer, their records,
 *                 or bare netlink messages.
 * Output is deterministic, so regenerating shows no diff.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/devlink.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>
#include <linux/pkt_sched.h>

#include "capture.h"
#include "../nlbuild.h"
#include "errmsg.h"

#define FAMILY 28
#define TS 1700000000123456789ull

static const char *outdir;
static uint64_t buf[8192];
static size_t used;		/* bytes of buf taken by finished messages */

static void die(const char *what)
{
	fprintf(stderr, "make-seeds: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void put_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, dir);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die(path);
}

/* Frames ----------------------------------------------------------------- */

/* IPv4/UDP 192.0.2.1:1111 > 198.51.100.1:2222, as the unit tests use. */
static const char good_hex[] =
	"020000000002020000000001 0800 45000020000100004011 0000 c0000201 c6336401 "
	"045708ae000c0000 deadbeef";
static const char ip6_hex[] =
	"020000000002020000000001 86dd 60000000000c1140 20010db8000000000000000000000001 "
	"20010db8000000000000000000000002 02220223000c0000 deadbeef";
static uint8_t good[64], ip6[128];
static int good_len, ip6_len;

/* Every "static const char F_NAME[] = "..." "...";" of test_dissect.c. */
static void dissect_frames(const char *test_c)
{
	static char src[1 << 20];
	FILE *f = fopen(test_c, "r");
	size_t n;
	char *p;

	if (!f)
		die(test_c);
	n = fread(src, 1, sizeof(src) - 1, f);
	fclose(f);
	src[n] = '\0';
	for (p = src; (p = strstr(p, "static const char F_")); ) {
		char name[64], file[80], *end, *q;
		uint8_t frame[1024];
		size_t len = 0, i;

		p += strlen("static const char F_");
		for (i = 0; i < sizeof(name) - 1 && p[i] != '['; i++)
			name[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
		name[i] = '\0';
		end = strchr(p, ';');
		if (!end)
			break;
		for (q = strchr(p, '"'); q && q < end; q = strchr(q + 1, '"')) {
			char *close = strchr(q + 1, '"');
			int got = nlb_unhex(q + 1, (size_t)(close - q - 1), frame + len, sizeof(frame) - len);

			if (got < 0)
				break;
			len += (size_t)got;
			q = close;
		}
		snprintf(file, sizeof(file), "%s.bin", name);
		put_file("dissect", file, frame, len);
		/* A few as tun devices deliver them: no MAC header. */
		if (!strcmp(name, "ip4_udp") || !strcmp(name, "ip6_chain") || !strcmp(name, "gre_teb") ||
		    !strcmp(name, "srv6_eth") || !strcmp(name, "gpe_nsh") || !strcmp(name, "gre_erspan3")) {
			snprintf(file, sizeof(file), "raw_%s.bin", name);
			put_file("dissect", file, frame + 14, len - 14);
		}
		p = end;
	}
}

/* Netlink messages --------------------------------------------------------- */

static struct nlmsghdr *start(uint16_t type, uint8_t cmd)
{
	return nlb_start((char *)buf + used, type, cmd, type == FAMILY ? 2 : 1);
}

/* Keep the message in buf (for batches) and write it to dir/name. */
static struct nlmsghdr *finish(struct nlmsghdr *nlh, const char *dir, const char *name)
{
	if (dir)
		put_file(dir, name, nlh, nlh->nlmsg_len);
	used += MNL_ALIGN(nlh->nlmsg_len);
	return nlh;
}

static struct nlmsghdr *hw_alert(const char *name, bool cookie)
{
	struct nlmsghdr *nlh = start(FAMILY, NET_DM_CMD_PACKET_ALERT);

	mnl_attr_put_u16(nlh, NET_DM_ATTR_ORIGIN, NET_DM_ORIGIN_HW);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_GROUP_NAME, "l3_drops");
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_NAME, "blackhole_route");
	nlb_in_port(nlh, 5, "eth0");
	if (cookie) {
		mnl_attr_put(nlh, NET_DM_ATTR_FLOW_ACTION_COOKIE, 5, "\x01\x02\x03\x04\x05");
		mnl_attr_put(nlh, NET_DM_ATTR_PAD, 0, "");
	}
	mnl_attr_put_u64(nlh, NET_DM_ATTR_TIMESTAMP, TS);
	mnl_attr_put_u32(nlh, NET_DM_ATTR_ORIG_LEN, (uint32_t)good_len + 100);
	mnl_attr_put_u16(nlh, NET_DM_ATTR_PROTO, 0x0800);
	mnl_attr_put(nlh, NET_DM_ATTR_PAYLOAD, (size_t)good_len, good);
	return finish(nlh, name ? "netdm" : NULL, name);
}

static struct nlmsghdr *sw_alert(const char *name, bool raw_ip)
{
	struct nlmsghdr *nlh = start(FAMILY, NET_DM_CMD_PACKET_ALERT);
	size_t skip = raw_ip ? 14 : 0;

	mnl_attr_put_u64(nlh, NET_DM_ATTR_PC, 0xffffffff81a2b3c4ull);
	nlb_in_port(nlh, 3, NULL);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_SYMBOL, "__udp6_lib_rcv+0x9a2/0xc30");
	mnl_attr_put_strz(nlh, NET_DM_ATTR_REASON, "NO_SOCKET");
	mnl_attr_put_u64(nlh, NET_DM_ATTR_TIMESTAMP, TS);
	mnl_attr_put_u32(nlh, NET_DM_ATTR_ORIG_LEN, (uint32_t)((size_t)ip6_len - skip));
	mnl_attr_put_u16(nlh, NET_DM_ATTR_PROTO, 0x86dd);
	mnl_attr_put(nlh, NET_DM_ATTR_PAYLOAD, (size_t)ip6_len - skip, ip6 + skip);
	return finish(nlh, name ? "netdm" : NULL, name);
}

static struct nlmsghdr *summary_sw(const char *name)
{
	struct nlmsghdr *nlh = start(FAMILY, NET_DM_CMD_ALERT);
	uint8_t legacy[4 + 2 * 12] = { 2, 0, 0, 0 };
	const uint64_t pc[2] = { 0xffffffff81a2b3c4ull, 0xffffffff81000010ull };
	const uint32_t count[2] = { 7, 1 };
	int i;

	for (i = 0; i < 2; i++) {
		memcpy(legacy + 4 + i * 12, &pc[i], 8);
		memcpy(legacy + 4 + i * 12 + 8, &count[i], 4);
	}
	mnl_attr_put(nlh, NET_DM_ATTR_UNSPEC, sizeof(legacy), legacy);
	return finish(nlh, name ? "netdm" : NULL, name);
}

static struct nlmsghdr *summary_hw(const char *name)
{
	struct nlmsghdr *nlh = start(FAMILY, NET_DM_CMD_ALERT);
	struct nlattr *entries = mnl_attr_nest_start(nlh, NET_DM_ATTR_HW_ENTRIES);
	static const char *const traps[] = { "blackhole_route", "ttl_value_is_too_small" };
	int i;

	for (i = 0; i < 2; i++) {
		struct nlattr *e = mnl_attr_nest_start(nlh, NET_DM_ATTR_HW_ENTRY);

		mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_NAME, traps[i]);
		mnl_attr_put_u32(nlh, NET_DM_ATTR_HW_TRAP_COUNT, (uint32_t)(3 + i));
		mnl_attr_nest_end(nlh, e);
	}
	mnl_attr_nest_end(nlh, entries);
	return finish(nlh, name ? "netdm" : NULL, name);
}

static struct nlmsghdr *stats(const char *name)
{
	struct nlmsghdr *nlh = start(FAMILY, NET_DM_CMD_STATS_NEW);
	struct nlattr *n = mnl_attr_nest_start(nlh, NET_DM_ATTR_STATS);

	mnl_attr_put(nlh, NET_DM_ATTR_PAD, 0, "");
	mnl_attr_put_u64(nlh, NET_DM_ATTR_STATS_DROPPED, 7);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, NET_DM_ATTR_HW_STATS);
	mnl_attr_put_u64(nlh, NET_DM_ATTR_STATS_DROPPED, 9);
	mnl_attr_nest_end(nlh, n);
	return finish(nlh, name ? "netdm" : NULL, name);
}

static struct nlmsghdr *newfamily(void)
{
	struct nlmsghdr *nlh = start(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "NET_DM");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 2);
	return finish(nlh, NULL, NULL);
}

static void dl_handle(struct nlmsghdr *nlh)
{
	mnl_attr_put_strz(nlh, DEVLINK_ATTR_BUS_NAME, "netdevsim");
	mnl_attr_put_strz(nlh, DEVLINK_ATTR_DEV_NAME, "netdevsim10");
}

static void dl_stats(struct nlmsghdr *nlh)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, DEVLINK_ATTR_STATS);

	mnl_attr_put(nlh, DEVLINK_ATTR_PAD, 0, "");
	mnl_attr_put_u64(nlh, DEVLINK_ATTR_STATS_RX_PACKETS, 12);
	mnl_attr_put_u64(nlh, DEVLINK_ATTR_STATS_RX_BYTES, 1200);
	mnl_attr_put_u64(nlh, DEVLINK_ATTR_STATS_RX_DROPPED, 3);
	mnl_attr_nest_end(nlh, n);
}

static void devlink_seeds(void)
{
	size_t first = used;
	struct nlmsghdr *nlh;
	struct nlattr *meta;

	nlh = start(FAMILY + 1, DEVLINK_CMD_TRAP_NEW);
	dl_handle(nlh);
	mnl_attr_put_strz(nlh, DEVLINK_ATTR_TRAP_NAME, "blackhole_route");
	mnl_attr_put_u8(nlh, DEVLINK_ATTR_TRAP_TYPE, DEVLINK_TRAP_TYPE_DROP);
	mnl_attr_put_u8(nlh, DEVLINK_ATTR_TRAP_ACTION, DEVLINK_TRAP_ACTION_TRAP);
	mnl_attr_put(nlh, DEVLINK_ATTR_TRAP_GENERIC, 0, "");
	mnl_attr_put_strz(nlh, DEVLINK_ATTR_TRAP_GROUP_NAME, "l3_drops");
	meta = mnl_attr_nest_start(nlh, DEVLINK_ATTR_TRAP_METADATA);
	mnl_attr_put(nlh, DEVLINK_ATTR_TRAP_METADATA_TYPE_IN_PORT, 0, "");
	mnl_attr_put(nlh, DEVLINK_ATTR_TRAP_METADATA_TYPE_FA_COOKIE, 0, "");
	mnl_attr_nest_end(nlh, meta);
	dl_stats(nlh);
	finish(nlh, "devlink", "trap_new.bin");

	nlh = start(FAMILY + 1, DEVLINK_CMD_TRAP_GROUP_NEW);
	dl_handle(nlh);
	mnl_attr_put_strz(nlh, DEVLINK_ATTR_TRAP_GROUP_NAME, "l3_drops");
	mnl_attr_put(nlh, DEVLINK_ATTR_TRAP_GENERIC, 0, "");
	mnl_attr_put_u32(nlh, DEVLINK_ATTR_TRAP_POLICER_ID, 1);
	dl_stats(nlh);
	finish(nlh, "devlink", "group_new.bin");

	nlh = start(FAMILY + 1, DEVLINK_CMD_TRAP_POLICER_NEW);
	dl_handle(nlh);
	mnl_attr_put_u32(nlh, DEVLINK_ATTR_TRAP_POLICER_ID, 1);
	mnl_attr_put_u64(nlh, DEVLINK_ATTR_TRAP_POLICER_RATE, 1000);
	mnl_attr_put_u64(nlh, DEVLINK_ATTR_TRAP_POLICER_BURST, 128);
	dl_stats(nlh);
	finish(nlh, "devlink", "policer_new.bin");

	nlh = start(FAMILY + 1, DEVLINK_CMD_DEL);
	dl_handle(nlh);
	finish(nlh, "devlink", "dev_del.bin");
	put_file("devlink", "batch.bin", (char *)buf + first, used - first);
}

/* tc filters ------------------------------------------------------------------ */

/* A filter (nlbuild.h) at the end of buf, for the batch. */
static struct nlmsghdr *tc_seed(const char *kind, uint16_t act_attr, uint32_t parent,
				const char *const *cookies, int nact)
{
	return nlb_tc_filter((char *)buf + used, kind, act_attr, parent, cookies, nact);
}

static void tcfilter_seeds(void)
{
	const char *one[] = { "\x1a\x2b\x3c\x4d" };
	const char *two[] = { "\x01\x02", NULL, "\xff\xee\xdd\xcc\xbb\xaa\x99\x88" };
	const char *none[] = { NULL };
	size_t first = used;
	struct nlmsghdr *nlh;

	finish(tc_seed("matchall", TCA_MATCHALL_ACT, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
		       one, 1), "tcfilter", "matchall_ingress.bin");
	/* A shared block's filter: the block's index where the parent goes. */
	nlh = tc_seed("matchall", TCA_MATCHALL_ACT, 10, one, 1);
	((struct tcmsg *)mnl_nlmsg_get_payload(nlh))->tcm_ifindex = (int)TCM_IFINDEX_MAGIC_BLOCK;
	finish(nlh, "tcfilter", "matchall_block.bin");
	finish(tc_seed("flower", TCA_FLOWER_ACT, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS),
		       two, 3), "tcfilter", "flower_egress.bin");
	finish(tc_seed("u32", TCA_U32_ACT, TC_H_MAKE(TC_H_INGRESS, 0), none, 1),
	       "tcfilter", "u32_no_cookie.bin");
	put_file("tcfilter", "batch.bin", (char *)buf + first, used - first);
}

/* Capture files --------------------------------------------------------------- */

static size_t slurp(const char *path, uint8_t *out, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		die(path);
	n = fread(out, 1, max, f);
	fclose(f);
	return n;
}

/* A capture through capture.c, then the shapes fuzz_make_pcap() builds. */
static void replay_seeds(void)
{
	char dir[] = "/tmp/trapmon-seeds-XXXXXX", path[64];
	static uint8_t file[1 << 16];
	struct capture_opts o = { .path = path, .family_id = FAMILY };
	struct errmsg e = { 0 };
	struct capture *c;
	size_t n, first;
	uint32_t sec = 1700000000, nsec = 0;

	if (!mkdtemp(dir))
		die("mkdtemp");
	snprintf(path, sizeof(path), "%s/nl.pcap", dir);
	used = 0;
	c = capture_open(&o, &e);
	if (!c) {
		fprintf(stderr, "make-seeds: %s\n", e.text);
		exit(1);
	}
	capture_write(c, hw_alert(NULL, true), good, (uint32_t)good_len, (uint32_t)good_len, TS);
	capture_write(c, sw_alert(NULL, false), ip6, (uint32_t)ip6_len, (uint32_t)ip6_len, TS + 1);
	capture_write(c, summary_sw(NULL), NULL, 0, 0, TS + 2);
	capture_write(c, summary_hw(NULL), NULL, 0, 0, TS + 3);
	if (capture_close(c) < 0)
		die("capture_close");
	n = slurp(path, file + 1, sizeof(file) - 1);
	/* The preamble is stamped "now": pin it so the seed is reproducible. */
	memcpy(file + 1 + 24, &sec, 4);
	memcpy(file + 1 + 28, &nsec, 4);
	file[0] = 0;
	put_file("replay", "netlink_file.bin", file, n + 1);
	file[24] = 1;
	put_file("replay", "netlink_records.bin", file + 24, n + 1 - 24);
	unlink(path);

	o.linktype = CAPTURE_ETHER;
	c = capture_open(&o, &e);
	if (!c)
		die("capture_open ether");
	capture_write(c, NULL, good, (uint32_t)good_len, (uint32_t)good_len, TS);
	capture_write(c, NULL, ip6, (uint32_t)ip6_len, (uint32_t)ip6_len + 20, TS + 1);
	if (capture_close(c) < 0)
		die("capture_close");
	n = slurp(path, file + 1, sizeof(file) - 1);
	file[0] = 0;
	put_file("replay", "ether_file.bin", file, n + 1);
	file[24] = 2;
	put_file("replay", "ether_records.bin", file + 24, n + 1 - 24);
	unlink(path);
	rmdir(dir);

	/* Shape 3: bare messages in one record, with and without nlctrl. */
	used = 0;
	memset(buf, 0, 8);
	used = 8;	/* byte 0 is the shape; messages start 4-byte aligned after it */
	first = used;
	newfamily();
	hw_alert(NULL, false);
	summary_hw(NULL);
	((uint8_t *)buf)[first - 1] = 3;
	put_file("replay", "messages.bin", (char *)buf + first - 1, used - first + 1);
	first = used;
	((uint8_t *)buf)[first - 1] = 3;
	hw_alert(NULL, false);
	put_file("replay", "guess_family.bin", (char *)buf + first - 1, used - first + 1);
}

/* OUTDIR/tracepoint: the 6.1 format file (first byte 0), and a perf ring
 * holding a lost record and a sample in that kernel's layout.
 */
static void tracepoint_seeds(const char *format_path)
{
	static const char *const strs[] = { "netdevsim", "netdevsim10", "netdevsim",
					    "blackhole_route", "l3_drops" };
	uint8_t ring[512] = { 1 }, raw[128] = { 0 };
	char text[4096];
	size_t n, at = 1, off = 44, i;
	uint32_t raw_len, word;
	uint64_t v;
	FILE *f = fopen(format_path, "r");

	if (!f)
		die(format_path);
	text[0] = 0;
	n = fread(text + 1, 1, sizeof(text) - 1, f);
	fclose(f);
	put_file("tracepoint", "format61.bin", text, n + 1);
	for (i = 0; i < 5; i++) {
		word = (uint32_t)(strlen(strs[i]) + 1) << 16 | (uint32_t)off;
		memcpy(raw + 8 + 4 * i, &word, 4);
		memcpy(raw + off, strs[i], strlen(strs[i]) + 1);
		off += strlen(strs[i]) + 1;
	}
	memcpy(raw + 28, "eth0", 4);
	raw_len = (uint32_t)((off + 4 + 7) / 8 * 8 - 4);	/* the record stays 8-aligned */
	/* PERF_RECORD_LOST (2): id, lost */
	memcpy(ring + at, &(uint32_t){ 2 }, 4);
	memcpy(ring + at + 6, &(uint16_t){ 24 }, 2);
	v = 7;
	memcpy(ring + at + 16, &v, 8);
	at += 24;
	/* PERF_RECORD_SAMPLE (9): time, size, raw */
	memcpy(ring + at, &(uint32_t){ 9 }, 4);
	memcpy(ring + at + 6, &(uint16_t){ (uint16_t)(20 + raw_len) }, 2);
	v = 1700000000000000000ull;
	memcpy(ring + at + 8, &v, 8);
	memcpy(ring + at + 16, &raw_len, 4);
	memcpy(ring + at + 20, raw, raw_len);
	at += 20 + raw_len;
	put_file("tracepoint", "ring61.bin", ring, at);
}

int main(int argc, char **argv)
{
	size_t first;

	if (argc != 4) {
		fprintf(stderr, "usage: make-seeds OUTDIR TEST_DISSECT_C TRACEPOINT_FORMAT\n");
		return 64;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0755) < 0 && errno != EEXIST)
		die(outdir);
	good_len = nlb_unhex(good_hex, strlen(good_hex), good, sizeof(good));
	ip6_len = nlb_unhex(ip6_hex, strlen(ip6_hex), ip6, sizeof(ip6));
	put_file("dissect", "good_ip4_udp.bin", good, (size_t)good_len);
	dissect_frames(argv[2]);

	first = used;
	hw_alert("hw_alert.bin", false);
	hw_alert("hw_alert_cookie.bin", true);
	sw_alert("sw_alert.bin", false);
	sw_alert("sw_alert_raw_ip.bin", true);
	summary_sw("summary_sw.bin");
	summary_hw("summary_hw.bin");
	stats("stats.bin");
	put_file("netdm", "batch.bin", (char *)buf + first, used - first);

	used = 0;
	devlink_seeds();
	replay_seeds();
	tracepoint_seeds(argv[3]);
	used = 0;
	tcfilter_seeds();
	return 0;
}
