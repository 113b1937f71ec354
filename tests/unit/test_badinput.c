/* The bad-input catalogue, end to end through replay and aggregation
 * (monitor_replay), under ASan/UBSan in CI.
 *
 * Netlink cases: a LINKTYPE_NETLINK capture holding the nlctrl preamble, a
 * good hardware alert (blackhole_route, UDP 192.0.2.1:1111 > 198.51.100.1:2222),
 * the bad message and the same good alert again. The table printed as JSON
 * must count the bad one as malformed (where that applies) and still show
 * the good flow with 2 packets and the trap with 2 in all.
 * Frame cases: the bad frame is the payload of an otherwise good alert. It
 * is not malformed: its flow just has fewer fields (checked on
 * dissect_packet()'s key), the good flow keeps 2 and the trap totals 3.
 * Live read loop cases: bad datagrams sent to a netlink socket read by
 * monitor_run() (root only).
 * Hex holds attribute headers, so it assumes a little-endian host.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "dissect.h"
#include "errmsg.h"
#include "monitor.h"
#include "nlreq.h"
#include "tap.h"

#define FAMILY 28
#define TS 1700000000123456789ull
#define NEST(t) ((uint16_t)((t) | NLA_F_NESTED))
#define T(x) NET_DM_ATTR_##x

static char dir[] = "/tmp/trapmon-badinput-XXXXXX";
static char path[128];
static uint64_t msgbuf[4096], badbuf[4096];	/* uint64_t: netlink alignment */
static uint8_t good[64];
static size_t good_len;

#define ETH "020000000002020000000001 "
#define A4B4 "c0000201c0000202 "
#define A6B6 "20010db8000000000000000000000001 20010db8000000000000000000000002 "
#define R4(x) x x x x
#define R16(x) R4(R4(x))
#define COOKED "00040338000000000000000000000010 "

/* Messages ----------------------------------------------------------------- */

static struct nlmsghdr *alert(void *buf, const uint8_t *payload, size_t len, uint16_t proto)
{
	struct nlmsghdr *nlh = nlb_start(buf, FAMILY, NET_DM_CMD_PACKET_ALERT, 2);
	struct nlattr *nest;

	mnl_attr_put_u16(nlh, T(ORIGIN), NET_DM_ORIGIN_HW);
	mnl_attr_put_strz(nlh, T(HW_TRAP_GROUP_NAME), "l3_drops");
	mnl_attr_put_strz(nlh, T(HW_TRAP_NAME), "blackhole_route");
	nest = mnl_attr_nest_start(nlh, T(IN_PORT));
	mnl_attr_put_u32(nlh, NET_DM_ATTR_PORT_NETDEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_PORT_NETDEV_NAME, "eth0");
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u64(nlh, T(TIMESTAMP), TS);
	mnl_attr_put_u32(nlh, T(ORIG_LEN), (uint32_t)len);
	mnl_attr_put_u16(nlh, T(PROTO), proto);
	mnl_attr_put(nlh, T(PAYLOAD), len, payload);
	return nlh;
}

static struct nlmsghdr *good_alert(void)
{
	return alert(msgbuf, good, good_len, 0x0800);
}

/* Capture files: every record is written as given, cooked header included. */
static pcap_t *wdead;
static pcap_dumper_t *wdump;

static void wrec(const void *data, size_t len)
{
	struct pcap_pkthdr h = { .caplen = (uint32_t)len, .len = (uint32_t)len };

	h.ts.tv_sec = 1700000000;
	pcap_dump((u_char *)wdump, &h, data);
}

/* A record of len bytes of msg behind the cooked header (NETLINK_GENERIC,
 * or NETLINK_ROUTE when rtnl).
 */
static void wmsg(const void *msg, size_t len, bool rtnl)
{
	static uint8_t rec[16 + 65536];

	tap_unhex(COOKED, rec, 16);
	rec[15] = rtnl ? 0 : rec[15];
	memcpy(rec + 16, msg, len);
	wrec(rec, 16 + len);
}

/* Open the file: the nlctrl preamble naming NET_DM, then a good alert. */
static void wopen(void)
{
	struct nlmsghdr *nlh = nlb_start(msgbuf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 2);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "NET_DM");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	wdead = pcap_open_dead_with_tstamp_precision(DLT_NETLINK, 262144, PCAP_TSTAMP_PRECISION_NANO);
	wdump = pcap_dump_open(wdead, path);
	if (!wdump)
		exit(99);
	wmsg(nlh, nlh->nlmsg_len, false);
	nlh = good_alert();
	wmsg(nlh, nlh->nlmsg_len, false);
}

static void wclose(void)
{
	struct nlmsghdr *nlh = good_alert();

	wmsg(nlh, nlh->nlmsg_len, false);
	pcap_dump_close(wdump);
	pcap_close(wdead);
}

/* Replay and read the JSON table ------------------------------------------- */

struct result {
	long malformed;		/* "loss":{..."malformed":N} */
	long flow;		/* packets of the good flow's row */
	long total;		/* packets of trap blackhole_route */
};

/* The good flow's row: its "packets" follows. */
#define GOOD_FLOW "\"sip\":\"192.0.2.1\",\"dip\":\"198.51.100.1\",\"sport\":1111,\"dport\":2222,"

static long num_after(const char *s, const char *key)
{
	const char *p = s ? strstr(s, key) : NULL;

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static bool replay(struct result *r, char **json)
{
	const struct monitor_opts o = { .hw = true, .max_flows = 65536, .trunc_len = 256,
					.json = true };
	struct monitor *m = monitor_new();
	struct errmsg e = { 0 };
	char *text = NULL, *p;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int rc = -1;

	if (m && out && monitor_init(m, &o, NULL, &e) == 0) {
		monitor_set_output(m, out);
		rc = monitor_replay(m, path, &e);
	}
	if (m)
		monitor_fini(m, &e);
	monitor_free(m);
	if (out)
		fclose(out);
	r->malformed = num_after(text, "\"malformed\":");
	r->flow = num_after(text ? strstr(text, GOOD_FLOW) : NULL, "\"packets\":");
	p = text ? strstr(text, "\"traps\":[") : NULL;
	r->total = num_after(p ? strstr(p, "{\"trap\":\"blackhole_route\"") : NULL, "\"packets\":");
	if (rc < 0)
		tap_diag("monitor_replay: %s", e.text);
	*json = text;
	return rc == 0;
}

/* Report one end-to-end case; a known src bug is a TAP TODO. */
static void report(const char *what, const char *name, const struct result *want,
		   const char *todo, bool extra_ok)
{
	struct result got;
	char *json = NULL;
	bool ok = replay(&got, &json) && extra_ok && got.malformed == want->malformed &&
		  got.flow == want->flow && got.total == want->total;

	if (!ok)
		tap_diag("got malformed %ld flow %ld total %ld, want %ld %ld %ld; %.*s",
			 got.malformed, got.flow, got.total, want->malformed, want->flow,
			 want->total, json ? (int)strcspn(json, "\n") : 11,
			 json ? json : "(no output)");
	if (todo && !ok)
		printf("not ok %d - %s: %s # TODO %s\n", ++tap_count, what, name, todo);
	else
		tap_ok(ok, "%s: %s", what, name);
	free(json);
}

/* Malformed netlink messages ----------------------------------------------- */

enum kind {
	ATTR,		/* the good alert plus one forged attribute */
	TAIL,		/* the good alert plus raw bytes */
	SUMMARY,	/* a summary alert (NET_DM_CMD_ALERT) plus one forged attribute */
	LEN,		/* the good alert with nlmsg_len set to len, record cut to cut bytes */
	RECORD,		/* the whole record as hex, cooked header included */
	OTHER,		/* the good alert under another nlmsg_type/cmd/netlink bus */
};

struct nlcase {
	const char *name;
	enum kind kind;
	uint16_t type;		/* ATTR, SUMMARY: attribute type; OTHER: nlmsg_type */
	uint16_t nla_len;	/* 0: 4 + data length; NLA_LEN_0: a real 0 */
	const char *hex;
	uint32_t len, cut;	/* LEN (len 4: the real length + 4) */
	uint8_t cmd;		/* OTHER: genl command, 0: PACKET_ALERT */
	bool rtnl;		/* OTHER: cooked header says NETLINK_ROUTE */
	bool tolerated;		/* not malformed: ignored, or accepted */
	bool accepted;		/* counted as a third alert */
	const char *todo;	/* known src bug, reported: TAP TODO */
};

#define NLA_LEN_0 0xffff
/* Little-endian attribute types inside HW_ENTRIES. */
#define HE "1200 "	/* NET_DM_ATTR_HW_ENTRY */
#define HN "1000 "	/* NET_DM_ATTR_HW_TRAP_NAME */
#define HC "1300 "	/* NET_DM_ATTR_HW_TRAP_COUNT */

static const struct nlcase nl_cases[] = {
	/* attribute framing */
	{ "nla_len 0", ATTR, .type = T(PAD), .nla_len = NLA_LEN_0, .hex = "" },
	{ "nla_len 3", ATTR, .type = T(PAD), .nla_len = 3, .hex = "" },
	{ "nla_len past the message end", ATTR, .type = T(PAD), .nla_len = 64,
	  .hex = "00000000" },
	{ "PAYLOAD nla_len past the message end", ATTR, .type = T(PAYLOAD), .nla_len = 200,
	  .hex = "0102030405060708" },
	{ "trailing 4 garbage bytes", TAIL, .hex = "deadbeef" },
	{ "trailing zero attribute header", TAIL, .hex = "00000000" },
	{ "trailing 2 bytes", TAIL, .hex = "0800" },
	/* strings without NUL */
	{ "trap name without NUL", ATTR, .type = T(HW_TRAP_NAME), .hex = "61626364" },
	{ "trap group without NUL", ATTR, .type = T(HW_TRAP_GROUP_NAME),
	  .hex = "6c335f64726f7073" },
	{ "symbol without NUL", ATTR, .type = T(SYMBOL), .hex = "5f5f756470" },
	{ "reason without NUL", ATTR, .type = T(REASON), .hex = "4e4f5f534f434b4554" },
	{ "in-port name without NUL", ATTR, .type = NEST(T(IN_PORT)), .hex = "08000100 65746830" },
	{ "trap name, empty", ATTR, .type = T(HW_TRAP_NAME), .hex = "" },
	/* sizes */
	{ "PAYLOAD (46) larger than ORIG_LEN 10", ATTR, .type = T(ORIG_LEN), .hex = "0a000000" },
	{ "ORIGIN u16 with 1 byte", ATTR, .type = T(ORIGIN), .hex = "01" },
	{ "PROTO u16 with 4 bytes", ATTR, .type = T(PROTO), .hex = "00080000" },
	{ "ORIG_LEN u32 with 2 bytes", ATTR, .type = T(ORIG_LEN), .hex = "8e00" },
	{ "TIMESTAMP u64 with 4 bytes", ATTR, .type = T(TIMESTAMP), .hex = "01020304" },
	{ "PC u64 with 12 bytes", ATTR, .type = T(PC), .hex = "010203040506070809101112" },
	/* IN_PORT nest */
	{ "IN_PORT holding nla_len 2", ATTR, .type = NEST(T(IN_PORT)), .hex = "02000000" },
	{ "IN_PORT with a 2-byte payload", ATTR, .type = NEST(T(IN_PORT)), .hex = "0000" },
	{ "IN_PORT inner nla_len past the nest", ATTR, .type = NEST(T(IN_PORT)),
	  .hex = "10000000 07000000" },
	{ "IN_PORT ifindex with 2 bytes", ATTR, .type = NEST(T(IN_PORT)),
	  .hex = "06000000 0700 0000" },
	{ "IN_PORT ifindex with 8 bytes", ATTR, .type = NEST(T(IN_PORT)),
	  .hex = "0c000000 0700000000000000" },
	{ "IN_PORT garbage", ATTR, .type = NEST(T(IN_PORT)), .hex = "ffffffff ffffffff" },
	/* summary alerts */
	{ "summary: 3 drop points, room for 1", SUMMARY, .type = T(UNSPEC),
	  .hex = "03000000 0102030405060708 07000000" },
	{ "summary: 0xffffffff drop points", SUMMARY, .type = T(UNSPEC),
	  .hex = "ffffffff 0102030405060708 07000000" },
	{ "summary: drop point count cut to 2 bytes", SUMMARY, .type = T(UNSPEC), .hex = "0100" },
	{ "summary: HW_ENTRIES garbage", SUMMARY, .type = NEST(T(HW_ENTRIES)),
	  .hex = "ffff0000 01020304" },
	{ "summary: HW_ENTRY without count", SUMMARY, .type = NEST(T(HW_ENTRIES)),
	  .hex = "0c00" HE "0600" HN "7800 0000" },
	{ "summary: HW_ENTRY name without NUL", SUMMARY, .type = NEST(T(HW_ENTRIES)),
	  .hex = "1400" HE "0500" HN "78000000 0800" HC "01000000" },
	{ "summary: HW_ENTRY count as u16", SUMMARY, .type = NEST(T(HW_ENTRIES)),
	  .hex = "1400" HE "0600" HN "7800 0000 0600" HC "0100 0000" },
	{ "summary: HW_ENTRY nla_len 2", SUMMARY, .type = NEST(T(HW_ENTRIES)), .hex = "0200" HE },
	/* message lengths */
	{ "nlmsg_len 4 past the record", LEN, .len = 4 },
	{ "nlmsg_len 0x7fffffff", LEN, .len = 0x7fffffff },
	{ "nlmsg_len 0x80000000", LEN, .len = 0x80000000 },
	{ "nlmsg_len 0xffffffff", LEN, .len = 0xffffffff },
	{ "zero-length message (nlmsg_len 0)", LEN, .len = 0 },
	{ "nlmsg_len 15", LEN, .len = 15 },
	{ "genl header cut (18 bytes)", LEN, .len = 18, .cut = 18 },
	{ "no genl header (16 bytes)", LEN, .len = 16, .cut = 16 },
	/* records */
	{ "empty record", RECORD, .hex = "" },
	{ "record cut inside the cooked header", RECORD, .hex = "0004033800000000" },
	{ "cooked header only", RECORD, .hex = COOKED },
	{ "cooked header and 12 bytes", RECORD, .hex = COOKED "2000000000000000 00000000" },
	/* tolerated */
	{ "tolerated: unknown attribute 200", ATTR, .type = 200, .hex = "01020304", .tolerated = true,
	  .accepted = true },
	{ "tolerated: rtnetlink record", OTHER, .type = FAMILY, .rtnl = true, .tolerated = true },
	{ "tolerated: another genl family", OTHER, .type = FAMILY + 1, .tolerated = true },
	{ "tolerated: unknown NET_DM command", OTHER, .type = FAMILY, .cmd = 200,
	  .tolerated = true },
};

static void nl_case(const struct nlcase *c)
{
	const struct result want = { !c->tolerated, 2 + c->accepted, 2 + c->accepted };
	uint8_t data[256];
	int n = tap_unhex(c->hex ? c->hex : "", data, (int)sizeof(data));
	struct nlmsghdr *nlh;
	size_t len;

	wopen();
	nlh = c->kind == SUMMARY ? nlb_start(badbuf, FAMILY, NET_DM_CMD_ALERT, 2)
				 : alert(badbuf, good, good_len, 0x0800);
	len = nlh->nlmsg_len;
	switch (c->kind) {
	case ATTR:
	case SUMMARY:
		nlb_put_raw(nlh, c->type, c->nla_len == NLA_LEN_0 ? 0 : c->nla_len ? c->nla_len
			: (uint16_t)(MNL_ATTR_HDRLEN + n), data, (size_t)n);
		len = nlh->nlmsg_len;
		break;
	case TAIL:
		memcpy(mnl_nlmsg_get_payload_tail(nlh), data, (size_t)n);
		len = nlh->nlmsg_len += (uint32_t)n;
		break;
	case LEN:
		nlh->nlmsg_len = c->len == 4 ? (uint32_t)len + 4 : c->len;
		len = c->cut ? c->cut : len;
		break;
	case RECORD:
		break;
	case OTHER:
		nlh->nlmsg_type = c->type;
		((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
			c->cmd ? c->cmd : NET_DM_CMD_PACKET_ALERT;
		break;
	}
	if (c->kind == RECORD)
		wrec(data, (size_t)n);
	else
		wmsg(nlh, len, c->rtnl);
	wclose();
	report("netlink", c->name, &want, c->todo, true);
}

/* Malformed frames ---------------------------------------------------------- */

#define F_VXLAN ETH "0800 4500005a000100004011f68e" A4B4 "c00012b500460000 " \
	"0800000000138800 020000000008020000000007 0800 4500002800010000400666cd0a0000010a000002 " \
	"15b31a0a00000001000000005002ffff00000000"
#define F_GENEVE ETH "0800 4500005a000100004011f68e" A4B4 "c35017c100460000 " \
	"0200655800004d000102800101020304 02000000000a020000000009 0800 " \
	"4500002000010000401166ca0a0000010a000002 0035041d000c0000 deadbeef"
#define F_GRE ETH "0800 4500003800010000402ff692" A4B4 "00000800 " \
	"4500002000010000401166ca0a0000010a000002 03e80035000c0000 deadbeef"
#define F_IPIP ETH "0800 45000034000100004004f6c1" A4B4 \
	"4500002000010000401166ca0a0000010a000002 115c15b3000c0000 deadbeef"
#define F_6IN4 ETH "0800 45000050000100004029f680" A4B4 "6000000000140640 " \
	"fd000000000000000000000000000001 fd000000000000000000000000000002 " \
	"04d2005000000001000000005002ffff00000000"
#define F_IP6_UDP ETH "86dd 60000000000c1140" A6B6 "02220223000c0000 deadbeef"
#define F_IP6_HBH ETH "86dd 6000000000140040" A6B6 "1100010400000000 03e807d0000c0000 deadbeef"
#define F_IP6_RH ETH "86dd 60000000002c2b40" A6B6 \
	"060204000000000020010db8000000000000000000000002 0401001600000001000000005002ffff00000000"
#define F_IP6_FRAG ETH "86dd 6000000000202c40" A6B6 "1100000100001234 0fa00fa100180000 " \
	"00000000000000000000000000000000"
#define F_TCP ETH "0800 45000028000100004006f6cb" A4B4 "9c40005000000001000000005002ffff00000000"
#define F_ICMP ETH "0800 4500001c000100004001f6dc" A4B4 "0800000000010001"
#define F_VLAN1 ETH "8100 60640800 45000020000100004011f6c8" A4B4 "04d210e1000c0000 deadbeef"
#define UDP8 "0001000200080000"

/* Ports come from a transport header cut short once its first 4 bytes are
 * there, as tshark shows them (issue: truncated transport headers).
 */
struct fcase {
	const char *name;
	const char *hex;
	int cut;		/* > 0: only the first cut bytes */
	uint16_t proto;		/* NET_DM_ATTR_PROTO */
	uint8_t family, ip_proto, encap, flags;
	uint16_t sport, dport;
};

#define TR FLOW_F_TRUNCATED
#define MF FLOW_F_MALFORMED
#define VL FLOW_F_VLAN
/* family, ip_proto, is_encap, flags, sport, dport */
#define K(f, p, e, fl, s, d) .family = f, .ip_proto = p, .encap = e, .flags = fl, .sport = s, \
	.dport = d
#define IP4 0x0800
#define IP6 0x86dd

static const struct fcase frame_cases[] = {
	{ "ipv6 24 chained hop-by-hop headers", ETH "86dd 6000000000c80040" A6B6
	  R16("0000000000000000 ") R4("0000000000000000 ") R4("0000000000000000 ") UDP8,
	  0, IP6, K(6, 0, 0, MF, 0, 0) },
	{ "ipv6 20 dest-opts headers", ETH "86dd 6000000000a83c40" A6B6 R16("3c00010400000000 ")
	  "3c00010400000000 3c00010400000000 3c00010400000000 1100010400000000" UDP8,
	  0, IP6, K(6, 60, 0, MF, 0, 0) },
	{ "64 nested vlan tags", ETH R16(R4("81000001")) "0800 4500001c0001000040110000" A4B4 UDP8,
	  0, IP4, K(0, 0, 0, VL | MF, 0, 0) },
	{ "5 vlan tags", ETH R4("81000001") "81000001 0800 4500001c0001000040110000" A4B4 UDP8,
	  0, IP4, K(0, 0, 0, VL | MF, 0, 0) },
	{ "vxlan inner frame with 5 vlan tags", ETH "0800 450000460001000040110000" A4B4
	  "c00012b500320000 0800000000138800" ETH R4("81000001") "81000001 0800",
	  0, IP4, K(4, 17, 1, VL | MF, 49152, 4789) },
	{ "gre header cut", ETH "0800 4500001800010000402f0000" A4B4 "0000", 0, IP4,
	  K(4, 47, 0, TR, 0, 0) },
	{ "gre key bit, key cut", ETH "0800 4500001c00010000402f0000" A4B4 "20000800 0000", 0, IP4,
	  K(4, 47, 0, TR, 0, 0) },
	{ "gre inner ipv4 cut", F_GRE, 48, IP4, K(4, 47, 1, TR, 0, 0) },
	{ "gre inner udp cut", F_GRE, 62, IP4, K(4, 17, 1, TR, 1000, 53) },
	{ "vxlan header cut", F_VXLAN, 46, IP4, K(4, 17, 0, TR, 49152, 4789) },
	{ "vxlan inner ethernet cut", F_VXLAN, 56, IP4, K(4, 17, 1, TR, 49152, 4789) },
	{ "vxlan inner ipv4 cut", F_VXLAN, 74, IP4, K(4, 17, 1, TR, 49152, 4789) },
	{ "vxlan inner tcp cut", F_VXLAN, 94, IP4, K(4, 6, 1, TR, 5555, 6666) },
	{ "geneve header cut", F_GENEVE, 46, IP4, K(4, 17, 0, TR, 50000, 6081) },
	{ "geneve options cut", F_GENEVE, 54, IP4, K(4, 17, 0, TR, 50000, 6081) },
	{ "geneve option length past the packet", ETH "0800 450000240001000040110000" A4B4
	  "c35017c100100000 3f00655800004d00", 0, IP4, K(4, 17, 0, TR, 50000, 6081) },
	{ "geneve inner ethernet cut", F_GENEVE, 66, IP4, K(4, 17, 1, TR, 50000, 6081) },
	{ "ipv4 IHL 4", ETH "0800 4400001c0001000040110000" A4B4 UDP8, 0, IP4, K(0, 0, 0, MF, 0, 0) },
	{ "ipv4 IHL 0", ETH "0800 4000001c0001000040110000" A4B4 UDP8, 0, IP4, K(0, 0, 0, MF, 0, 0) },
	{ "ipv4 total length 16 < header", ETH "0800 450000100001000040110000" A4B4 UDP8, 0, IP4,
	  K(0, 0, 0, MF, 0, 0) },
	{ "ipv4 total length cuts udp", ETH "0800 450000180001000040110000" A4B4 UDP8 "deadbeef",
	  0, IP4, K(4, 17, 0, MF, 1, 2) },
	{ "ipv4 version 6 under 0x0800", ETH "0800 6500001c0001000040110000" A4B4 UDP8, 0, IP4,
	  K(0, 0, 0, MF, 0, 0) },
	{ "ipv4 IHL 15, options past the capture", ETH "0800 4f00003c0001000040110000" A4B4 UDP8,
	  0, IP4, K(0, 0, 0, TR, 0, 0) },
	{ "ipv6 payload length cuts an ext header", ETH "86dd 6000000000040040" A6B6
	  "1100010400000000" UDP8, 0, IP6, K(6, 0, 0, MF, 0, 0) },
	{ "ipv6 version 4 under 0x86dd", ETH "86dd 40000000000c1140" A6B6 UDP8 "deadbeef", 0, IP6,
	  K(0, 0, 0, MF, 0, 0) },
	{ "cut: ethernet", F_IP6_UDP, 13, IP6, K(0, 0, 0, TR, 0, 0) },
	{ "cut: vlan tag", F_VLAN1, 16, IP4, K(0, 0, 0, TR, 0, 0) },
	{ "cut: ipv4 header", F_TCP, 30, IP4, K(0, 0, 0, TR, 0, 0) },
	{ "cut: ipv6 header", F_IP6_UDP, 50, IP6, K(0, 0, 0, TR, 0, 0) },
	{ "cut: hop-by-hop header", F_IP6_HBH, 58, IP6, K(6, 0, 0, TR, 0, 0) },
	{ "cut: routing header body", F_IP6_RH, 70, IP6, K(6, 43, 0, TR, 0, 0) },
	{ "cut: fragment header", F_IP6_FRAG, 58, IP6, K(6, 44, 0, TR, 0, 0) },
	{ "cut: tcp", F_TCP, 44, IP4, K(4, 6, 0, TR, 40000, 80) },
	{ "cut: udp", F_VLAN1, 42, IP4, K(4, 17, 0, VL | TR, 1234, 4321) },
	{ "cut: icmp", F_ICMP, 36, IP4, K(4, 1, 0, TR, 0, 0) },
	{ "cut: ipip inner ipv4", F_IPIP, 46, IP4, K(4, 4, 1, TR, 0, 0) },
	{ "cut: 6in4 inner ipv6", F_6IN4, 64, IP4, K(4, 41, 1, TR, 0, 0) },
	{ "zero-length payload", "", 0, IP4, K(0, 0, 0, TR, 0, 0) },
	{ "1-byte payload", "02", 0, IP4, K(0, 0, 0, TR, 0, 0) },
	{ "raw ipv4 (no MAC header), 10 bytes", "4500002000010000 4011", 0, IP4, K(0, 0, 0, TR, 0, 0) },
	{ "raw ipv6 (no MAC header), 30 bytes", "60000000000c1140" A6B6, 30, IP6, K(0, 0, 0, TR, 0, 0) },
	{ "ipip nested 5 deep (tunnel limit 4)", ETH "0800 450000800001000040040000" A4B4
	  "4500006c00010000400425bac6336404c6336468 4500005800010000400425d0c6336403c6336467 "
	  "4500004400010000400425e6c6336402c6336466 4500003000010000400425fcc6336401c6336465 "
	  "4500001c00010000401166ce0a0000010a000002" UDP8, 0, IP4, K(4, 4, 1, MF, 0, 0) },
};

static void frame_case(const struct fcase *c)
{
	static uint8_t buf[1024];
	const struct result want = { 0, 2, 3 };
	struct nlmsghdr *nlh;
	struct flow_key k;
	int n = tap_unhex(c->hex, buf, (int)sizeof(buf));
	uint8_t *frame;
	bool ok;

	if (n < 0 || c->cut > n) {
		tap_ok(0, "frame: %s: bad test frame", c->name);
		return;
	}
	if (c->cut)
		n = c->cut;
	/* At the end of the buffer, so ASan sees any read past the frame. */
	frame = memmove(buf + sizeof(buf) - n, buf, (size_t)n);
	dissect_packet(frame, (size_t)n, c->proto, &k);
	ok = k.family == c->family && k.ip_proto == c->ip_proto && k.is_encap == c->encap &&
	     k.flags == c->flags && k.sport == c->sport && k.dport == c->dport;
	if (!ok)
		tap_diag("key: family %u proto %u encap %u flags %#x ports %u > %u", k.family,
			 k.ip_proto, k.is_encap, k.flags, k.sport, k.dport);
	wopen();
	nlh = alert(badbuf, frame, (size_t)n, c->proto);
	wmsg(nlh, nlh->nlmsg_len, false);
	wclose();
	report("frame", c->name, &want, NULL, ok);
}

/* The live read loop ------------------------------------------------------- */

/* rx_drain() (src/rx.c) hands mnl_cb_run() only the prefix of a datagram
 * that nlparse_valid_len() passes, and counts the rest malformed. Without
 * that check a message running past the datagram would stop libmnl with
 * MNL_CB_OK, uncounted; worse, mnl_nlmsg_ok() (libmnl 1.0.4) compares
 * (int)nlmsg_len <= len, so nlmsg_len >= 2^31 passes: mnl_cb_run() would
 * step that far ahead and fault (0xfffffffc) or, MNL_ALIGN() wrapping to 0,
 * call back forever (0xfffffffd..0xffffffff). Sending to the event socket
 * takes CAP_NET_ADMIN (skipped without); each case runs in a child, so a
 * crash or a hang fails one test, not the file.
 */

/* live_child()'s exit codes. Only LIVE_NO_NETLINK and LIVE_NO_CAP say the
 * host cannot run the case (skips); every other setup failure is a failure.
 */
enum {
	LIVE_OK = 0,
	LIVE_WRONG = 2,		/* ran, but the counts are wrong */
	LIVE_NO_NETLINK,	/* the kernel has no generic netlink sockets */
	LIVE_NO_CAP,		/* sendto: EPERM, no CAP_NET_ADMIN */
	LIVE_NOMEM,
	LIVE_TX,		/* the sending socket would not open or bind */
	LIVE_INIT,		/* monitor_init() */
	LIVE_EV,		/* the event socket would not open or bind */
	LIVE_REQ,		/* nlreq_socket() */
	LIVE_SEND,		/* sendto, other than EPERM */
	LIVE_CODES
};

static const char *const live_what[LIVE_CODES] = {
	[LIVE_NOMEM] = "out of memory",
	[LIVE_TX] = "sending socket",
	[LIVE_INIT] = "monitor_init()",
	[LIVE_EV] = "event socket",
	[LIVE_REQ] = "nlreq_socket()",
	[LIVE_SEND] = "sendto",
};

/* The child's reason as a TAP comment, flushed: it leaves with _exit(). */
static int live_fail(int code, const char *detail)
{
	printf("# live read loop setup: %s: %s\n", live_what[code], detail);
	fflush(stdout);
	return code;
}

static int live_child(uint32_t bad_len)
{
	const struct monitor_opts o = { .hw = true, .max_flows = 1024, .trunc_len = 256,
					.json = true };
	struct monitor *m;
	struct netdm dm = { .family = 0xffff };	/* STATS_GET to it fails: "unknown" */
	FILE *out;
	struct mnl_socket *tx = mnl_socket_open(NETLINK_GENERIC);
	struct errmsg e = { 0 };
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = good_alert();
	struct result r;
	char *text = NULL;
	size_t len = 0, i;
	int fd;

	alarm(3);
	/* The first socket tells whether this kernel has netlink at all. */
	if (!tx && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT ||
		    errno == ESOCKTNOSUPPORT))
		return LIVE_NO_NETLINK;
	if (!tx || mnl_socket_bind(tx, 0, MNL_SOCKET_AUTOPID) < 0)
		return live_fail(LIVE_TX, strerror(errno));
	m = monitor_new();
	if (!m)
		return live_fail(LIVE_NOMEM, "struct monitor");
	if (monitor_init(m, &o, NULL, &e) < 0)
		return live_fail(LIVE_INIT, e.text);
	out = open_memstream(&text, &len);
	if (!out)
		return live_fail(LIVE_NOMEM, "open_memstream");
	monitor_set_output(m, out);
	dm.ev = mnl_socket_open(NETLINK_GENERIC);
	if (!dm.ev || mnl_socket_bind(dm.ev, 0, MNL_SOCKET_AUTOPID) < 0)
		return live_fail(LIVE_EV, strerror(errno));
	dm.req = nlreq_socket();
	if (!dm.req)
		return live_fail(LIVE_REQ, strerror(errno));
	monitor_attach_netdm(m, &dm);
	fd = mnl_socket_get_fd(dm.ev);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	to.nl_pid = mnl_socket_get_portid(dm.ev);
	for (i = 0; i < 3; i++) {
		uint32_t keep = nlh->nlmsg_len;

		if (i == 1)
			nlh->nlmsg_len = bad_len;
		if (sendto(mnl_socket_get_fd(tx), nlh, keep, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			return errno == EPERM ? LIVE_NO_CAP : live_fail(LIVE_SEND, strerror(errno));
		nlh->nlmsg_len = keep;
	}
	monitor_stop = 1;
	monitor_run(m, &e);
	fflush(out);
	r.malformed = num_after(text, "\"malformed\":");
	r.flow = num_after(text ? strstr(text, GOOD_FLOW) : NULL, "\"packets\":");
	printf("# live read loop: malformed %ld, flow %ld\n", r.malformed, r.flow);
	fflush(stdout);
	return r.malformed == 1 && r.flow == 2 ? LIVE_OK : LIVE_WRONG;
}

static void live_case(uint32_t bad_len)
{
	pid_t pid;
	int status = 0, code;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fclose(stderr);	/* ASan's report of the expected crash */
		_exit(live_child(bad_len));
	}
	waitpid(pid, &status, 0);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (code == LIVE_NO_NETLINK || code == LIVE_NO_CAP)
		printf("ok %d # SKIP live read loop: %s\n", ++tap_count, code == LIVE_NO_CAP ?
		       "sending to a netlink socket needs CAP_NET_ADMIN" : "no netlink sockets");
	else if (code == LIVE_OK)
		tap_ok(1, "live read loop: nlmsg_len %#x counted malformed", bad_len);
	else if (code > LIVE_NO_CAP && code < LIVE_CODES)
		tap_ok(0, "live read loop: nlmsg_len %#x: setup failed: %s", bad_len,
		       live_what[code]);
	else
		tap_ok(0, "live read loop: nlmsg_len %#x (%s %d)", bad_len,
		       WIFSIGNALED(status) ? "signal" : "exit",
		       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

int main(void)
{
	size_t i;

	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__) {
		printf("1..0 # SKIP hex attribute headers are little-endian\n");
		return 0;
	}
	good_len = (size_t)tap_unhex(ETH "0800 45000020000100004011 0000 c0000201 c6336401 "
				     "045708ae000c0000 deadbeef", good, (int)sizeof(good));
	if (!mkdtemp(dir))
		return 99;
	snprintf(path, sizeof(path), "%s/case.pcap", dir);

	/* The baseline, written by trapmon's own capture writer. */
	{
		struct capture_opts co = { .path = path, .linktype = CAPTURE_NETLINK,
					   .family_id = FAMILY };
		struct errmsg e = { 0 };
		struct capture *cap = capture_open(&co, &e);
		const struct result want = { 0, 2, 2 };

		for (i = 0; cap && i < 2; i++)
			capture_write(cap, good_alert(), good, (uint32_t)good_len,
				      (uint32_t)good_len, TS);
		report("baseline", "capture_write: two good alerts", &want, NULL,
		       cap && capture_close(cap) == 0);
	}
	for (i = 0; i < sizeof(nl_cases) / sizeof(nl_cases[0]); i++)
		nl_case(&nl_cases[i]);
	for (i = 0; i < sizeof(frame_cases) / sizeof(frame_cases[0]); i++)
		frame_case(&frame_cases[i]);
	live_case(good_alert()->nlmsg_len + 4);
	live_case(0xfffffffc);
	live_case(0xffffffff);
	tap_diag("%zu netlink cases, %zu frame cases", sizeof(nl_cases) / sizeof(nl_cases[0]),
		 sizeof(frame_cases) / sizeof(frame_cases[0]));

	unlink(path);
	rmdir(dir);
	return tap_done();
}
