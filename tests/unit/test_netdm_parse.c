/* Table-driven tests for netdm_parse_alert() and netdm_parse_stats().
 * Messages are built with libmnl the way the kernel lays them out; malformed
 * ones by appending one forged attribute (or raw bytes) to a good alert.
 * Hex holds nested attribute headers, so it assumes a little-endian host.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "netdm.h"
#include "nlparse.h"
#include "tap.h"

#define FAMILY 28		/* any id >= NLMSG_MIN_TYPE will do */
#define TS 1700000000123456789ull
#define RAW 0xffff		/* row appends its hex as is, no attribute header */
#define NEST(t) ((uint16_t)((t) | NLA_F_NESTED))

static uint64_t msgbuf[1024];	/* uint64_t: netlink alignment */
static uint8_t frame[142];
static const void *payload_at;	/* where hw_alert() put PAYLOAD's data */

/* A hardware alert as net_dm_hw_packet_report_fill() (Linux 6.1) emits it.
 * mnl_attr_nest_start sets NLA_F_NESTED, as the kernel's nla_nest_start does.
 */
static struct nlmsghdr *hw_alert(bool with_payload, bool with_orig_len)
{
	struct nlmsghdr *nlh = nlb_start(msgbuf, FAMILY, NET_DM_CMD_PACKET_ALERT, 2);

	mnl_attr_put_u16(nlh, NET_DM_ATTR_ORIGIN, NET_DM_ORIGIN_HW);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_GROUP_NAME, "l3_drops");
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_NAME, "blackhole_route");
	nlb_in_port(nlh, 5, "eth0");
	mnl_attr_put_u64(nlh, NET_DM_ATTR_TIMESTAMP, TS);
	if (with_orig_len)
		mnl_attr_put_u32(nlh, NET_DM_ATTR_ORIG_LEN, sizeof(frame));
	if (with_payload) {
		mnl_attr_put_u16(nlh, NET_DM_ATTR_PROTO, 0x0800);
		payload_at = (char *)mnl_nlmsg_get_payload_tail(nlh) + MNL_ATTR_HDRLEN;
		mnl_attr_put(nlh, NET_DM_ATTR_PAYLOAD, sizeof(frame), frame);
	}
	return nlh;
}

static bool str_is(const char *got, const char *want)
{
	if (got && want ? strcmp(got, want) == 0 : got == want)
		return true;
	tap_diag("got \"%s\", want \"%s\"", got ? got : "(null)", want ? want : "(null)");
	return false;
}

/* Everything hw_alert(true, true) put in, decoded. */
static bool base_fields(const struct drop_alert *a)
{
	return a->origin == NET_DM_ORIGIN_HW && str_is(a->trap_name, "blackhole_route") &&
	       str_is(a->trap_group, "l3_drops") && a->in_ifindex == 5 &&
	       str_is(a->in_port_name, "eth0") && a->timestamp_ns == TS &&
	       a->orig_len == sizeof(frame) && a->proto == 0x0800 &&
	       a->payload == payload_at && a->payload_len == sizeof(frame) &&
	       !a->symbol && !a->reason && a->pc == 0;
}

static bool base_ok(const struct drop_alert *a)
{
	return base_fields(a) && !a->cookie && a->cookie_len == 0;
}

static bool cookie_ok(const struct drop_alert *a)
{
	return base_fields(a) && a->cookie_len == 5 && a->cookie &&
	       memcmp(a->cookie, "\x01\x02\x03\x04\x05", 5) == 0;
}

static bool port7_ok(const struct drop_alert *a)
{
	return a->in_ifindex == 7 && !a->in_port_name && str_is(a->trap_name, "blackhole_route");
}

static bool port0_ok(const struct drop_alert *a)
{
	return a->in_ifindex == 0 && !a->in_port_name && a->payload_len == sizeof(frame);
}

static bool empty_name_ok(const struct drop_alert *a)
{
	return str_is(a->trap_name, "") && a->trap_name_len == 0 && a->in_ifindex == 5;
}

static bool orig256_ok(const struct drop_alert *a)
{
	return a->orig_len == 256 && a->payload_len == sizeof(frame);
}

/* One attribute (or raw bytes) appended to the full hardware alert. A later
 * attribute of the same type replaces the earlier one, so bad rows poison
 * exactly one field. check == NULL on an accepted row means base_ok.
 */
struct mcase {
	const char *name;
	uint16_t type;
	const char *hex;
	bool forge;		/* use nla_len instead of 4 + data length */
	uint16_t nla_len;
	bool ok;
	bool (*check)(const struct drop_alert *a);
};

#define LEN(n) .forge = true, .nla_len = (n)
#define ACCEPT .ok = true
#define REJECT .ok = false
#define T(x) NET_DM_ATTR_##x

static const struct mcase cases[] = {
	/* attribute framing */
	{ "nla_len 0", T(PAD), "", LEN(0), REJECT },
	{ "nla_len 3", T(PAD), "", LEN(3), REJECT },
	{ "nla_len past the message end", T(PAD), "00000000", LEN(64), REJECT },
	{ "trailing 4 garbage bytes", RAW, "deadbeef", REJECT },
	{ "trailing 8 zero bytes", RAW, "0000000000000000", REJECT },
	{ "trailing 2 bytes (no room for a header)", RAW, "0800", REJECT },
	/* strings */
	{ "trap name without NUL", T(HW_TRAP_NAME), "61626364", REJECT },
	{ "trap group without NUL", T(HW_TRAP_GROUP_NAME), "6c335f64726f7073", REJECT },
	{ "symbol without NUL", T(SYMBOL), "5f5f756470", REJECT },
	{ "reason without NUL", T(REASON), "4e4f5f534f434b4554", REJECT },
	{ "in-port name without NUL", NEST(T(IN_PORT)), "08000100 65746830", REJECT },
	{ "trap name, empty payload", T(HW_TRAP_NAME), "", REJECT },
	{ "reason, empty payload", T(REASON), "", REJECT },
	{ "in-port name, empty payload", NEST(T(IN_PORT)), "04000100", REJECT },
	{ "trap name \"\" (just the NUL) is accepted", T(HW_TRAP_NAME), "00", ACCEPT,
	  .check = empty_name_ok },
	/* fixed-size integers: exact length, as libmnl validates */
	{ "ORIGIN u16 with 1 byte", T(ORIGIN), "01", REJECT },
	{ "PROTO u16 with 1 byte", T(PROTO), "08", REJECT },
	{ "PROTO u16 with 4 bytes", T(PROTO), "00080000", REJECT },
	{ "ORIG_LEN u32 with 2 bytes", T(ORIG_LEN), "8e00", REJECT },
	{ "TIMESTAMP u64 with 4 bytes", T(TIMESTAMP), "01020304", REJECT },
	{ "PC u64 with 4 bytes", T(PC), "01020304", REJECT },
	{ "PAYLOAD (142) larger than ORIG_LEN 141", T(ORIG_LEN), "8d000000", REJECT },
	/* IN_PORT nest */
	{ "IN_PORT holding nla_len 2", NEST(T(IN_PORT)), "02000000", REJECT },
	{ "IN_PORT with a 2-byte payload", NEST(T(IN_PORT)), "0000", REJECT },
	{ "IN_PORT inner nla_len past the nest", NEST(T(IN_PORT)), "10000000 07000000", REJECT },
	{ "IN_PORT ifindex with 2 bytes", NEST(T(IN_PORT)), "06000000 0700 0000", REJECT },
	{ "IN_PORT ifindex with 8 bytes", NEST(T(IN_PORT)), "0c000000 0700000000000000", REJECT },
	{ "IN_PORT nested type 0 is the ifindex", NEST(T(IN_PORT)), "08000000 07000000",
	  ACCEPT, .check = port7_ok },
	{ "IN_PORT without NLA_F_NESTED (pre-5.2 kernels)", T(IN_PORT), "08000000 07000000",
	  ACCEPT, .check = port7_ok },
	{ "IN_PORT unknown inner type 9 ignored", NEST(T(IN_PORT)),
	  "08000900 01020304 08000000 07000000", ACCEPT, .check = port7_ok },
	{ "IN_PORT empty nest", NEST(T(IN_PORT)), "", ACCEPT, .check = port0_ok },
	/* tolerated */
	{ "unknown type 200 ignored", 200, "01020304", ACCEPT },
	{ "type NET_DM_ATTR_MAX+1 ignored", NET_DM_ATTR_MAX + 1, "01020304", ACCEPT },
	{ "type 0x3fff ignored", 0x3fff, "", ACCEPT },
	{ "UNSPEC (type 0) at top level ignored", T(UNSPEC), "0102030405060708", ACCEPT },
	{ "PAD ignored", T(PAD), "0000000000000000", ACCEPT },
	{ "FLOW_ACTION_COOKIE decoded", T(FLOW_ACTION_COOKIE), "0102030405", ACCEPT,
	  .check = cookie_ok },
	/* mnl_attr_get_type() masks the flag bits; the value is still read in
	 * host order, NLA_F_NET_BYTEORDER does not swap it. */
	{ "ORIG_LEN|NLA_F_NET_BYTEORDER: flag masked, host order", T(ORIG_LEN) | NLA_F_NET_BYTEORDER,
	  "00010000", ACCEPT, .check = orig256_ok },
	{ "ORIG_LEN|NLA_F_NESTED: flag masked", T(ORIG_LEN) | NLA_F_NESTED, "00010000",
	  ACCEPT, .check = orig256_ok },
};

/* Parse, and on failure insist on errno EINVAL. */
static bool parse_as(const struct nlmsghdr *nlh, struct drop_alert *a, bool ok)
{
	int rc;

	errno = 0;
	rc = netdm_parse_alert(nlh, a);
	if (ok ? rc == 0 : rc == -1 && errno == EINVAL)
		return true;
	tap_diag("rc %d errno %d, want %s", rc, errno, ok ? "0" : "-1/EINVAL");
	return false;
}

static void run_case(const struct mcase *c)
{
	struct nlmsghdr *nlh = hw_alert(true, true);
	unsigned char data[256];
	struct drop_alert a;
	int n = tap_unhex(c->hex, data, (int)sizeof(data));
	bool good;

	if (n < 0) {
		tap_ok(0, "%s: bad hex", c->name);
		return;
	}
	if (c->type == RAW)
		nlb_put_bytes(nlh, data, (size_t)n);
	else
		nlb_put_raw(nlh, c->type, c->forge ? c->nla_len : (uint16_t)(MNL_ATTR_HDRLEN + n),
			data, (size_t)n);
	good = parse_as(nlh, &a, c->ok);
	if (good && c->ok)
		good = c->check ? c->check(&a) : base_ok(&a);
	tap_ok(good, "%s: %s", c->ok ? "accept" : "reject", c->name);
}

static void test_hw_alert(void)
{
	struct nlmsghdr *nlh = hw_alert(true, true);
	const char *lo = (const char *)nlh, *hi = lo + nlh->nlmsg_len;
	struct drop_alert a;
	bool ok = parse_as(nlh, &a, true);

	tap_ok(ok && a.origin == NET_DM_ORIGIN_HW && str_is(a.trap_name, "blackhole_route") &&
	       str_is(a.trap_group, "l3_drops") && !a.symbol && !a.reason,
	       "6.1 hw alert: origin, trap and group names");
	tap_ok(ok && a.trap_name_len == 15 && a.reason_len == 0,
	       "6.1 hw alert: the trap name's length from its attribute (15), no reason's");
	tap_ok(ok && a.in_ifindex == 5 && str_is(a.in_port_name, "eth0"),
	       "6.1 hw alert: in-port ifindex 5, name eth0");
	tap_ok(ok && a.timestamp_ns == TS && a.orig_len == 142 && a.proto == 0x0800 && a.pc == 0,
	       "6.1 hw alert: timestamp, orig_len 142, proto 0x0800");
	tap_ok(ok && a.payload == payload_at && a.payload_len == 142 &&
	       memcmp(a.payload, frame, sizeof(frame)) == 0,
	       "6.1 hw alert: payload points into the message, 142 bytes");
	tap_ok(ok && a.trap_name > lo && a.trap_name < hi && a.in_port_name > lo &&
	       a.in_port_name < hi, "6.1 hw alert: strings are zero-copy");

	/* payload_len 0: the kernel stops after ORIG_LEN (no PROTO, no PAYLOAD) */
	nlh = hw_alert(false, true);
	ok = parse_as(nlh, &a, true);
	tap_ok(ok && !a.payload && a.payload_len == 0 && a.orig_len == 142 && a.proto == 0,
	       "no PAYLOAD: payload NULL, len 0, orig_len kept");

	nlh = hw_alert(true, false);
	ok = parse_as(nlh, &a, true);
	tap_ok(ok && a.orig_len == 142 && a.payload_len == 142,
	       "no ORIG_LEN: orig_len = payload_len");
}

static void test_sw_alert(void)
{
	struct nlmsghdr *nlh = nlb_start(msgbuf, FAMILY, NET_DM_CMD_PACKET_ALERT, 2);
	struct drop_alert a;
	bool ok;

	mnl_attr_put_u64(nlh, NET_DM_ATTR_PC, 0xffffffff81a2b3c4ull);
	nlb_in_port(nlh, 3, NULL);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_SYMBOL, "__udp4_lib_rcv+0x9a2/0xc30");
	mnl_attr_put_strz(nlh, NET_DM_ATTR_REASON, "NO_SOCKET");
	mnl_attr_put_u64(nlh, NET_DM_ATTR_TIMESTAMP, TS);
	mnl_attr_put_u32(nlh, NET_DM_ATTR_ORIG_LEN, 60);
	ok = parse_as(nlh, &a, true);
	tap_ok(ok && a.origin == NET_DM_ORIGIN_SW && a.pc == 0xffffffff81a2b3c4ull &&
	       str_is(a.symbol, "__udp4_lib_rcv+0x9a2/0xc30") && str_is(a.reason, "NO_SOCKET") &&
	       a.in_ifindex == 3 && !a.in_port_name && !a.trap_name && !a.trap_group &&
	       a.orig_len == 60 && !a.payload && a.payload_len == 0,
	       "sw alert without ORIGIN: origin SW, pc, symbol, reason, ifindex only");
	tap_ok(ok && a.reason_len == 9 && a.trap_name_len == 0,
	       "sw alert: the reason's length from its attribute (9), no trap name's");
}

static void test_headers(void)
{
	struct nlmsghdr *nlh;
	struct drop_alert a;

	nlh = nlb_start(msgbuf, FAMILY, NET_DM_CMD_PACKET_ALERT, 2);
	tap_ok(parse_as(nlh, &a, true) && a.origin == NET_DM_ORIGIN_SW && !a.trap_name &&
	       !a.payload && a.in_ifindex == 0 && a.timestamp_ns == 0,
	       "accept: genl header and no attributes, all fields empty");

	nlh = hw_alert(true, true);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	tap_ok(parse_as(nlh, &a, false), "reject: nlmsg_len cuts the genl header");
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN;
	tap_ok(parse_as(nlh, &a, false), "reject: nlmsg_len with no genl header at all");

	/* The last attribute may go without its padding. */
	nlh = nlb_start(msgbuf, FAMILY, NET_DM_CMD_PACKET_ALERT, 2);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_NAME, "abcd");
	nlh->nlmsg_len -= 3;
	tap_ok(parse_as(nlh, &a, true) && str_is(a.trap_name, "abcd"),
	       "accept: last attribute unpadded (nlmsg_len not 4-aligned)");

	/* Where 64-bit access must be aligned the kernel pads u64s with PAD. */
	nlh = nlb_start(msgbuf, FAMILY, NET_DM_CMD_PACKET_ALERT, 2);
	mnl_attr_put_u16(nlh, NET_DM_ATTR_ORIGIN, NET_DM_ORIGIN_HW);
	mnl_attr_put(nlh, NET_DM_ATTR_PAD, 0, "");
	mnl_attr_put_u64(nlh, NET_DM_ATTR_TIMESTAMP, TS);
	tap_ok(parse_as(nlh, &a, true) && a.timestamp_ns == TS && a.origin == NET_DM_ORIGIN_HW,
	       "accept: PAD before TIMESTAMP (nla_put_u64_64bit)");
}

/* A STATS_NEW reply: nests of {DROPPED u64}, optionally padded. */
static struct nlmsghdr *stats_msg(bool pad)
{
	struct nlmsghdr *nlh = nlb_start(msgbuf, FAMILY, NET_DM_CMD_STATS_NEW, 2);
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, NET_DM_ATTR_STATS);
	if (pad)
		mnl_attr_put(nlh, NET_DM_ATTR_PAD, 0, "");
	mnl_attr_put_u64(nlh, NET_DM_ATTR_STATS_DROPPED, 7);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, NET_DM_ATTR_HW_STATS);
	if (pad)
		mnl_attr_put(nlh, NET_DM_ATTR_PAD, 0, "");
	mnl_attr_put_u64(nlh, NET_DM_ATTR_STATS_DROPPED, 9);
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

static void stats_case(const struct nlmsghdr *nlh, int want_rc, uint64_t sw, uint64_t hw,
		       const char *name)
{
	struct netdm_stats st;
	int rc;

	errno = 0;
	rc = netdm_parse_stats(nlh, &st);
	if (rc < 0)
		tap_ok(want_rc < 0 && errno == EINVAL, "stats: %s", name);
	else
		tap_ok(want_rc == 0 && st.sw_dropped == sw && st.hw_dropped == hw, "stats: %s", name);
}

static void test_stats(void)
{
	static const uint8_t garbage[] = { 2, 0, 0, 0 }, short_u64[] = { 8, 0, 0, 0, 1, 0, 0, 0 };
	struct nlmsghdr *nlh;

	stats_case(stats_msg(false), 0, 7, 9, "STATS{DROPPED 7} HW_STATS{DROPPED 9}");
	stats_case(stats_msg(true), 0, 7, 9, "with PAD inside the nests");
	nlh = nlb_start(msgbuf, FAMILY, NET_DM_CMD_STATS_NEW, 2);
	stats_case(nlh, 0, 0, 0, "no nests: both 0");
	nlb_put_raw(nlh, NEST(NET_DM_ATTR_STATS), 8, garbage, sizeof(garbage));
	stats_case(nlh, -1, 0, 0, "STATS nest holding nla_len 2");
	nlh = nlb_start(msgbuf, FAMILY, NET_DM_CMD_STATS_NEW, 2);
	nlb_put_raw(nlh, NEST(NET_DM_ATTR_HW_STATS), 12, short_u64, sizeof(short_u64));
	stats_case(nlh, -1, 0, 0, "HW_STATS DROPPED with 4 bytes");
	nlh = stats_msg(false);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 1;
	stats_case(nlh, -1, 0, 0, "nlmsg_len cuts the genl header");
}

/* The read loop of src/main.c: mnl_cb_run over one recv() buffer. */
struct counts {
	unsigned int good, malformed;
};

static int on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct counts *c = data;
	struct drop_alert a;

	if (nlparse_genl_cmd(nlh) != NET_DM_CMD_PACKET_ALERT)
		return MNL_CB_OK;
	if (netdm_parse_alert(nlh, &a) < 0)
		c->malformed++;
	else if (a.payload_len == sizeof(frame) && str_is(a.trap_name, "blackhole_route"))
		c->good++;
	return MNL_CB_OK;
}

static void test_cb_run(void)
{
	static uint64_t batch[2048];
	static const uint8_t bad[] = { 0x61, 0x62, 0x63, 0x64 };
	struct counts c = { 0, 0 };
	size_t len = 0;
	int i, rc;

	for (i = 0; i < 3; i++) {
		struct nlmsghdr *nlh = hw_alert(true, true);

		if (i == 1)	/* trap name without NUL */
			nlb_put_raw(nlh, NET_DM_ATTR_HW_TRAP_NAME, 8, bad, sizeof(bad));
		memcpy((char *)batch + len, nlh, nlh->nlmsg_len);
		len += MNL_ALIGN(nlh->nlmsg_len);
	}
	rc = mnl_cb_run(batch, len, 0, 0, on_msg, &c);
	tap_ok(rc >= 0 && c.good == 2 && c.malformed == 1,
	       "mnl_cb_run over good, malformed, good: %u good, %u malformed", c.good,
	       c.malformed);
}

int main(void)
{
	size_t i;

	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__) {
		printf("1..0 # SKIP hex attribute headers are little-endian\n");
		return 0;
	}
	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7 + 1);
	test_hw_alert();
	test_sw_alert();
	test_headers();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_stats();
	test_cb_run();
	return tap_done();
}
