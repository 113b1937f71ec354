/* libFuzzer target: the NET_DM parsers (netdm_parse_alert, _summary, _stats)
 * on the input as one netlink message, with nlmsg_len forced to the input
 * size and, when it fits, as given; then the daemon's read loop: mnl_cb_run
 * over the input's whole messages (nlparse_valid_len()), each
 * message handed to the parsers.
 * Whatever a parser returns must point inside the message it was given,
 * and netdm_parse_alert() must agree with a reference parser built on
 * libmnl's tb[] arrays (how src/netdm.c first did it); its memo, once it
 * has learnt the message, with netdm_parse_alert() on changed copies.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "../alert_same.h"
#include "dissect.h"
#include "fuzz_common.h"
#include "netdm.h"
#include "nlparse.h"

static volatile uint64_t fuzz_sink;
static unsigned long memo_variants, memo_hits;	/* for bench/equiv-netdm's count */

/* The reference: netdm_parse_alert() as it was written first, on libmnl and
 * nlparse's tb[] arrays. The one-pass parser in src/netdm.c must accept and
 * reject exactly the same messages and decode the same fields.
 */
static const enum mnl_attr_data_type ref_policy[NET_DM_ATTR_MAX + 1] = {
	[NET_DM_ATTR_PC] = MNL_TYPE_U64,
	[NET_DM_ATTR_SYMBOL] = MNL_TYPE_NUL_STRING,
	[NET_DM_ATTR_IN_PORT] = MNL_TYPE_NESTED,
	[NET_DM_ATTR_TIMESTAMP] = MNL_TYPE_U64,
	[NET_DM_ATTR_PROTO] = MNL_TYPE_U16,
	[NET_DM_ATTR_ORIG_LEN] = MNL_TYPE_U32,
	[NET_DM_ATTR_ORIGIN] = MNL_TYPE_U16,
	[NET_DM_ATTR_HW_TRAP_GROUP_NAME] = MNL_TYPE_NUL_STRING,
	[NET_DM_ATTR_HW_TRAP_NAME] = MNL_TYPE_NUL_STRING,
	[NET_DM_ATTR_REASON] = MNL_TYPE_NUL_STRING,
};

static int ref_parse_alert(const struct nlmsghdr *nlh, struct drop_alert *a)
{
	const struct nlattr *tb[NET_DM_ATTR_MAX + 1] = { NULL };
	const struct nlattr *port[NET_DM_ATTR_PORT_MAX + 1] = { NULL };
	unsigned int t;

	memset(a, 0, sizeof(*a));
	if (nlparse_genl(nlh, tb, NET_DM_ATTR_MAX) < 0)
		return -1;
	for (t = 1; t <= NET_DM_ATTR_MAX; t++)
		if (tb[t] && ref_policy[t] != MNL_TYPE_UNSPEC &&
		    (ref_policy[t] == MNL_TYPE_NUL_STRING ? !nlparse_is_str(tb[t])
		     : mnl_attr_validate(tb[t], ref_policy[t]) < 0))
			return -1;
	a->origin = tb[NET_DM_ATTR_ORIGIN] ? mnl_attr_get_u16(tb[NET_DM_ATTR_ORIGIN])
					   : NET_DM_ORIGIN_SW;
	if (tb[NET_DM_ATTR_PROTO])
		a->proto = mnl_attr_get_u16(tb[NET_DM_ATTR_PROTO]);
	if (tb[NET_DM_ATTR_ORIG_LEN])
		a->orig_len = mnl_attr_get_u32(tb[NET_DM_ATTR_ORIG_LEN]);
	if (tb[NET_DM_ATTR_TIMESTAMP])
		a->timestamp_ns = mnl_attr_get_u64(tb[NET_DM_ATTR_TIMESTAMP]);
	if (tb[NET_DM_ATTR_PC])
		a->pc = mnl_attr_get_u64(tb[NET_DM_ATTR_PC]);
	if (tb[NET_DM_ATTR_HW_TRAP_NAME]) {
		a->trap_name = mnl_attr_get_str(tb[NET_DM_ATTR_HW_TRAP_NAME]);
		a->trap_name_len =
			(uint16_t)(mnl_attr_get_payload_len(tb[NET_DM_ATTR_HW_TRAP_NAME]) - 1);
	}
	if (tb[NET_DM_ATTR_HW_TRAP_GROUP_NAME])
		a->trap_group = mnl_attr_get_str(tb[NET_DM_ATTR_HW_TRAP_GROUP_NAME]);
	if (tb[NET_DM_ATTR_SYMBOL])
		a->symbol = mnl_attr_get_str(tb[NET_DM_ATTR_SYMBOL]);
	if (tb[NET_DM_ATTR_REASON]) {
		a->reason = mnl_attr_get_str(tb[NET_DM_ATTR_REASON]);
		a->reason_len = (uint16_t)(mnl_attr_get_payload_len(tb[NET_DM_ATTR_REASON]) - 1);
	}
	if (tb[NET_DM_ATTR_PAYLOAD]) {
		a->payload = mnl_attr_get_payload(tb[NET_DM_ATTR_PAYLOAD]);
		a->payload_len = mnl_attr_get_payload_len(tb[NET_DM_ATTR_PAYLOAD]);
		if (!tb[NET_DM_ATTR_ORIG_LEN])
			a->orig_len = a->payload_len;
		else if (a->payload_len > a->orig_len)
			return -1;
	}
	if (tb[NET_DM_ATTR_FLOW_ACTION_COOKIE]) {
		a->cookie = mnl_attr_get_payload(tb[NET_DM_ATTR_FLOW_ACTION_COOKIE]);
		a->cookie_len = mnl_attr_get_payload_len(tb[NET_DM_ATTR_FLOW_ACTION_COOKIE]);
	}
	if (tb[NET_DM_ATTR_IN_PORT]) {
		if (nlparse_nested(tb[NET_DM_ATTR_IN_PORT], port, NET_DM_ATTR_PORT_MAX) < 0)
			return -1;
		if (port[NET_DM_ATTR_PORT_NETDEV_IFINDEX]) {
			if (mnl_attr_validate(port[NET_DM_ATTR_PORT_NETDEV_IFINDEX], MNL_TYPE_U32) < 0)
				return -1;
			a->in_ifindex = mnl_attr_get_u32(port[NET_DM_ATTR_PORT_NETDEV_IFINDEX]);
		}
		if (port[NET_DM_ATTR_PORT_NETDEV_NAME]) {
			if (!nlparse_is_str(port[NET_DM_ATTR_PORT_NETDEV_NAME]))
				return -1;
			a->in_port_name = mnl_attr_get_str(port[NET_DM_ATTR_PORT_NETDEV_NAME]);
		}
	}
	return 0;
}

static void check_alert(const struct nlmsghdr *nlh)
{
	const size_t len = nlh->nlmsg_len;
	struct drop_alert a, ref;
	struct flow_key k;
	int rc = netdm_parse_alert(nlh, &a), ref_rc = ref_parse_alert(nlh, &ref);

	FUZZ_CHECK(rc == ref_rc);
	if (rc < 0)
		return;
	FUZZ_CHECK(a.origin == ref.origin && a.proto == ref.proto && a.in_ifindex == ref.in_ifindex);
	FUZZ_CHECK(a.orig_len == ref.orig_len && a.payload_len == ref.payload_len);
	FUZZ_CHECK(a.timestamp_ns == ref.timestamp_ns && a.pc == ref.pc);
	FUZZ_CHECK(a.trap_name == ref.trap_name && a.trap_group == ref.trap_group);
	FUZZ_CHECK(a.in_port_name == ref.in_port_name && a.symbol == ref.symbol);
	FUZZ_CHECK(a.reason == ref.reason && a.payload == ref.payload);
	FUZZ_CHECK(a.cookie == ref.cookie && a.cookie_len == ref.cookie_len);
	FUZZ_CHECK(a.trap_name_len == ref.trap_name_len && a.reason_len == ref.reason_len);
	/* What interning relies on: a NUL at each length. */
	FUZZ_CHECK(!a.trap_name || a.trap_name[a.trap_name_len] == '\0');
	FUZZ_CHECK(!a.reason || a.reason[a.reason_len] == '\0');
	FUZZ_CHECK(!a.trap_name || fuzz_str_inside(nlh, len, a.trap_name));
	FUZZ_CHECK(!a.trap_group || fuzz_str_inside(nlh, len, a.trap_group));
	FUZZ_CHECK(!a.in_port_name || fuzz_str_inside(nlh, len, a.in_port_name));
	FUZZ_CHECK(!a.symbol || fuzz_str_inside(nlh, len, a.symbol));
	FUZZ_CHECK(!a.reason || fuzz_str_inside(nlh, len, a.reason));
	FUZZ_CHECK(a.payload ? fuzz_inside(nlh, len, a.payload, a.payload_len) : !a.payload_len);
	FUZZ_CHECK(!a.payload || a.payload_len <= a.orig_len);
	FUZZ_CHECK(a.cookie ? fuzz_inside(nlh, len, a.cookie, a.cookie_len) : !a.cookie_len);
	/* What the monitor does next with an accepted alert. */
	dissect_packet(a.payload, a.payload_len, a.proto, &k);
}

/* The memo after it learnt nlh in entry `at`, on a copy of nlh changed as
 * `how` says (chosen by the message's last byte): it must answer as
 * netdm_parse_alert() does.
 */
static void memo_variant(const struct nlmsghdr *nlh, const struct netdm_memo *learnt,
			 unsigned int at, int how)
{
	const size_t len = nlh->nlmsg_len;
	const uint8_t pick = ((const uint8_t *)nlh)[len - 1];
	struct netdm_memo m = *learnt;
	const struct netdm_memo_entry *e = &m.e[at];
	struct drop_alert a, b;
	uint8_t *p = malloc(len + 8);
	struct nlmsghdr *c = (struct nlmsghdr *)p;
	uint32_t v;
	int rc;

	if (!p)
		abort();
	memcpy(p, nlh, len);
	memset(p + len, 0, 8);

	switch (how) {
	case 0:	/* what the memo reads anew: the time and the length */
		if (e->ts_at)
			p[e->ts_at + pick % 8] ^= (uint8_t)(pick | 1);
		if (e->orig_len_at) {
			memcpy(&v, p + e->orig_len_at, 4);
			v = pick & 1 ? v - (pick >> 1) : v + pick;
			memcpy(p + e->orig_len_at, &v, 4);
		}
		break;
	case 1:	/* the message's end */
		c->nlmsg_len = (uint32_t)(len - pick % 9);
		break;
	case 2:	/* bytes after it, maybe an attribute */
		memset(p + len, pick, 8);
		c->nlmsg_len = (uint32_t)(len + 1 + pick % 8);
		break;
	default:	/* one byte the memo compares, or of the payload's header */
		p[20 + pick % (m.end[at] - 20 + 4)] ^= (uint8_t)(1u << (pick % 8));
		break;
	}
	rc = netdm_parse_alert_memo(c, &a, &m);
	FUZZ_CHECK(rc == netdm_parse_alert(c, &b));
	FUZZ_CHECK(alert_same(&a, &b));
	memo_variants++;
	memo_hits += m.misses == 0;
	free(c);
}

/* A second layout learnt after nlh's entry (`at`): nlh with one byte of
 * its entry's prefix changed, from the end back, until the memo learns a
 * copy. The variants then meet nlh's entry through the search, not first.
 * At most six tries: with nlh's own miss, seven in a row, one short of the
 * backoff that would take the memo out of the variants' way. Returns
 * false when no such copy was learnt.
 */
static bool learn_other(const struct nlmsghdr *nlh, struct netdm_memo *m, unsigned int at)
{
	const size_t len = nlh->nlmsg_len;
	uint8_t *p = malloc(len);
	struct drop_alert a;
	size_t off;
	bool learnt = false;

	if (!p)
		abort();
	for (off = m->end[at]; !learnt && off-- > 20 && off + 6 >= m->end[at];) {
		memcpy(p, nlh, len);
		p[off] ^= 0x01;
		learnt = netdm_parse_alert_memo((const struct nlmsghdr *)p, &a, m) == 0 && m->last != at;
	}
	free(p);
	return learnt;
}

static void check_memo(const struct nlmsghdr *nlh)
{
	struct netdm_memo m = { 0 };
	struct drop_alert a, b;
	int rc = netdm_parse_alert_memo(nlh, &a, &m), how;
	unsigned int at = m.last;

	FUZZ_CHECK(rc == netdm_parse_alert(nlh, &b));
	FUZZ_CHECK(alert_same(&a, &b));
	if (!m.end[at])
		return;
	FUZZ_CHECK(m.end[at] >= 20 && m.end[at] <= 20 + NETDM_MEMO_PREFIX &&
		   m.end[at] + MNL_ATTR_HDRLEN <= nlh->nlmsg_len);
	for (how = 0; how < 4; how++)
		memo_variant(nlh, &m, at, how);
	if (!learn_other(nlh, &m, at))
		return;
	for (how = 0; how < 4; how++)
		memo_variant(nlh, &m, at, how);
}

static void check_summary(const struct nlmsghdr *nlh)
{
	static struct drop_summary_entry v[NETDM_SUMMARY_MAX];
	int n = netdm_parse_summary(nlh, v), i;

	FUZZ_CHECK(n >= -1 && n <= NETDM_SUMMARY_MAX);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(v[i].origin == NET_DM_ORIGIN_SW || v[i].origin == NET_DM_ORIGIN_HW);
		FUZZ_CHECK(v[i].origin == NET_DM_ORIGIN_SW ? !v[i].trap_name
			   : fuzz_str_inside(nlh, nlh->nlmsg_len, v[i].trap_name));
	}
}

static void check_stats(const struct nlmsghdr *nlh)
{
	struct netdm_stats st;

	if (netdm_parse_stats(nlh, &st) == 0)
		fuzz_sink += st.sw_dropped ^ st.hw_dropped;
}

static void parse_all(const struct nlmsghdr *nlh)
{
	check_alert(nlh);
	check_memo(nlh);
	check_summary(nlh);
	check_stats(nlh);
	(void)nlparse_genl_cmd(nlh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_messages(data, size, parse_all);
}
