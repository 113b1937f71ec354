/* Table-driven tests for netdm_parse_alert_memo(): after it has parsed one
 * alert, each row changes a copy of that alert and the memo must give what
 * netdm_parse_alert() gives on the copy, whether it took the fields from
 * the memo (a hit) or parsed the copy in full (a miss). Rows say which
 * they expect, and hand-checked fields of their own.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "../alert_same.h"
#include "netdm.h"
#include "tap.h"

#define FAMILY 28
#define TS 1700000000123456789ull
#define FRAME 142

static uint64_t first_buf[512], copy_buf[512];	/* uint64_t: netlink alignment */
/* The learnt alert's trap: its name's length sets whether the bytes before
 * the payload end in a half word (4 of 8 bytes), which the compare reads
 * apart.
 */
static const char *trap;
static uint8_t frame[FRAME];

/* Where the fields lie in hw_alert()'s message, found as it is built. */
static struct layout {
	size_t trap_name, in_port_name, ts, orig_len, proto, payload_hdr;
} at;

static size_t offset_in(const struct nlmsghdr *nlh)
{
	return (size_t)((const char *)mnl_nlmsg_get_payload_tail(nlh) - (const char *)nlh);
}

/* A hardware alert as Linux 6.1 lays it out, payload last. */
static struct nlmsghdr *hw_alert(void *buf, const char *trap_name)
{
	struct nlmsghdr *nlh = nlb_start(buf, FAMILY, NET_DM_CMD_PACKET_ALERT, 2);

	mnl_attr_put_u16(nlh, NET_DM_ATTR_ORIGIN, NET_DM_ORIGIN_HW);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_GROUP_NAME, "l3_drops");
	at.trap_name = offset_in(nlh) + MNL_ATTR_HDRLEN;
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_NAME, trap_name);
	at.in_port_name = offset_in(nlh) + 2 * MNL_ATTR_HDRLEN + 8;
	nlb_in_port(nlh, 5, "eth0");
	at.ts = offset_in(nlh) + MNL_ATTR_HDRLEN;
	mnl_attr_put_u64(nlh, NET_DM_ATTR_TIMESTAMP, TS);
	at.orig_len = offset_in(nlh) + MNL_ATTR_HDRLEN;
	mnl_attr_put_u32(nlh, NET_DM_ATTR_ORIG_LEN, FRAME);
	at.proto = offset_in(nlh) + MNL_ATTR_HDRLEN;
	mnl_attr_put_u16(nlh, NET_DM_ATTR_PROTO, 0x0800);
	at.payload_hdr = offset_in(nlh);
	mnl_attr_put(nlh, NET_DM_ATTR_PAYLOAD, FRAME, frame);
	return nlh;
}

static uint8_t *byte_at(struct nlmsghdr *nlh, size_t off)
{
	return (uint8_t *)nlh + off;
}

static void put_u32(struct nlmsghdr *nlh, size_t off, uint32_t v)
{
	memcpy(byte_at(nlh, off), &v, 4);
}

static void put_u64(struct nlmsghdr *nlh, size_t off, uint64_t v)
{
	memcpy(byte_at(nlh, off), &v, 8);
}

static struct nlattr *payload_attr(struct nlmsghdr *nlh)
{
	return (struct nlattr *)byte_at(nlh, at.payload_hdr);
}

/* The rows' changes to the copy. */
static void same(struct nlmsghdr *c)
{
	(void)c;
}

static void new_time_and_length(struct nlmsghdr *c)
{
	put_u64(c, at.ts, TS + 1000);
	put_u32(c, at.orig_len, 1500);
	byte_at(c, at.payload_hdr + MNL_ATTR_HDRLEN)[20] ^= 0xff;	/* the packet too */
}

static void shorter_payload(struct nlmsghdr *c)
{
	payload_attr(c)->nla_len = MNL_ATTR_HDRLEN + 100;
	c->nlmsg_len = (uint32_t)(at.payload_hdr + MNL_ALIGN(MNL_ATTR_HDRLEN + 100));
}

static void payload_unpadded(struct nlmsghdr *c)
{
	payload_attr(c)->nla_len = MNL_ATTR_HDRLEN + 99;
	c->nlmsg_len = (uint32_t)(at.payload_hdr + MNL_ATTR_HDRLEN + 99);
}

static void orig_len_below_payload(struct nlmsghdr *c)
{
	put_u32(c, at.orig_len, FRAME - 1);
}

static void other_trap_name(struct nlmsghdr *c)
{
	byte_at(c, at.trap_name)[0] = 'w';	/* "wlackhole_route" */
}

static void other_proto(struct nlmsghdr *c)
{
	uint16_t ipv6 = 0x86dd;

	memcpy(byte_at(c, at.proto), &ipv6, 2);
}

static void other_port_name(struct nlmsghdr *c)
{
	byte_at(c, at.in_port_name)[3] = '1';
}

static void payload_past_the_end(struct nlmsghdr *c)
{
	payload_attr(c)->nla_len = MNL_ATTR_HDRLEN + FRAME + 8;
}

static void cut_in_payload_header(struct nlmsghdr *c)
{
	c->nlmsg_len = (uint32_t)(at.payload_hdr + 2);
}

static void cut_before_payload(struct nlmsghdr *c)
{
	c->nlmsg_len = (uint32_t)at.payload_hdr;
}

static void payload_now_pad(struct nlmsghdr *c)
{
	payload_attr(c)->nla_type = NET_DM_ATTR_PAD;
}

static void payload_type_flags(struct nlmsghdr *c)
{
	payload_attr(c)->nla_type |= NLA_F_NET_BYTEORDER;
}

static void attr_after_payload(struct nlmsghdr *c)
{
	mnl_attr_put_u32(c, NET_DM_ATTR_ORIG_LEN, 4000);
}

static void byte_after_padding(struct nlmsghdr *c)
{
	c->nlmsg_len = (uint32_t)(at.payload_hdr + MNL_ALIGN(MNL_ATTR_HDRLEN + FRAME) + 1);
}

static void nul_lost_in_trap_name(struct nlmsghdr *c)
{
	byte_at(c, at.trap_name)[strlen(trap)] = 'x';
}

/* Hand-checked: what the hits must read from the copy, not the memo. */
static bool new_fields(const struct drop_alert *a, const struct nlmsghdr *c)
{
	return a->timestamp_ns == TS + 1000 && a->orig_len == 1500 && a->payload_len == FRAME &&
	       (a->payload[20] ^ frame[20]) == 0xff &&
	       a->trap_name == (const char *)c + at.trap_name &&
	       a->in_port_name == (const char *)c + at.in_port_name &&
	       strcmp(a->trap_group, "l3_drops") == 0 && a->in_ifindex == 5;
}

static bool hundred(const struct drop_alert *a, const struct nlmsghdr *c)
{
	(void)c;
	return a->payload_len == 100 && a->orig_len == FRAME;
}

static bool ninety_nine(const struct drop_alert *a, const struct nlmsghdr *c)
{
	(void)c;
	return a->payload_len == 99 && a->orig_len == FRAME;
}

static bool w_trap(const struct drop_alert *a, const struct nlmsghdr *c)
{
	(void)c;
	return a->trap_name[0] == 'w' && strcmp(a->trap_name + 1, trap + 1) == 0;
}

static bool ipv6(const struct drop_alert *a, const struct nlmsghdr *c)
{
	(void)c;
	return a->proto == 0x86dd && a->payload_len == FRAME;
}

static bool eth1(const struct drop_alert *a, const struct nlmsghdr *c)
{
	(void)c;
	return strcmp(a->in_port_name, "eth1") == 0 && a->in_ifindex == 5;
}

static bool no_payload(const struct drop_alert *a, const struct nlmsghdr *c)
{
	(void)c;
	return !a->payload && a->payload_len == 0 && a->orig_len == FRAME;
}

static bool later_orig_len(const struct drop_alert *a, const struct nlmsghdr *c)
{
	(void)c;
	return a->orig_len == 4000 && a->payload_len == FRAME;
}

struct row {
	const char *name;
	void (*change)(struct nlmsghdr *c);
	bool hit;	/* the memo's fields taken, not a full parse */
	bool ok;
	bool (*check)(const struct drop_alert *a, const struct nlmsghdr *c);
};

static const struct row rows[] = {
	{ "the same message", same, true, true, NULL },
	{ "new time, length and packet", new_time_and_length, true, true, new_fields },
	{ "a shorter payload, padded", shorter_payload, true, true, hundred },
	{ "a shorter payload, unpadded at the end", payload_unpadded, true, true, ninety_nine },
	{ "payload type with NLA_F_NET_BYTEORDER", payload_type_flags, true, true, NULL },
	{ "ORIG_LEN below the payload", orig_len_below_payload, false, false, NULL },
	{ "another trap name", other_trap_name, false, true, w_trap },
	{ "another PROTO value", other_proto, false, true, ipv6 },
	{ "another in-port name", other_port_name, false, true, eth1 },
	{ "the trap name's NUL gone", nul_lost_in_trap_name, false, false, NULL },
	{ "payload nla_len past the end", payload_past_the_end, false, false, NULL },
	{ "message cut in the payload's header", cut_in_payload_header, false, false, NULL },
	{ "message cut before the payload", cut_before_payload, false, true, no_payload },
	{ "payload attribute now PAD", payload_now_pad, false, true, no_payload },
	{ "an attribute after the payload", attr_after_payload, false, true, later_orig_len },
	{ "one byte after the payload's padding", byte_after_padding, false, false, NULL },
};

static const struct drop_alert zero;

static void run_row(const struct row *r)
{
	struct nlmsghdr *first = hw_alert(first_buf, trap), *c;
	struct netdm_memo m = { 0 };
	struct drop_alert a, want;
	int rc, want_rc;
	bool good;

	memcpy(copy_buf, first_buf, sizeof(copy_buf));
	c = (struct nlmsghdr *)copy_buf;
	r->change(c);
	if (netdm_parse_alert_memo(first, &a, &m) < 0 || !m.end[m.last]) {
		tap_ok(0, "%s: the first alert was not remembered", r->name);
		return;
	}
	memset(first_buf, 0xee, sizeof(first_buf));	/* nothing may point back at it */
	errno = 0;
	rc = netdm_parse_alert_memo(c, &a, &m);
	good = r->ok ? rc == 0 : rc == -1 && errno == EINVAL && alert_same(&a, &zero);
	want_rc = netdm_parse_alert(c, &want);
	good = good && rc == want_rc && alert_same(&a, &want);
	/* A hit leaves no miss counted; a miss counts one more (the first
	 * alert, which found the memo empty, was one).
	 */
	good = good && (r->hit ? m.misses == 0 : m.misses == 2);
	if (good && rc == 0 && r->check)
		good = r->check(&a, c);
	tap_ok(good, "%s, %s: %s, %s", trap, r->name, r->hit ? "taken from the memo" : "parsed in full",
	       r->ok ? "accepted" : "refused");
}

/* Six traps interleaved, as gencap's captures and a switch's drops on a
 * few traps and ports: each is learnt once, and every alert after the
 * first six is a hit.
 */
static void test_interleaved(void)
{
	static const char *const names[] = { "blackhole_route", "ttl_value_is_too_small",
					      "ingress_vlan_filter", "local_route",
					      "unresolved_neigh", "abc" };
	static uint64_t bufs[6][512];
	struct netdm_memo m = { 0 };
	struct drop_alert x, want;
	unsigned int i, hits = 0, misses = 0;
	bool ok = true;

	for (i = 0; i < 6; i++)
		hw_alert(bufs[i], names[i]);
	for (i = 0; i < 600; i++) {
		const struct nlmsghdr *n = (const struct nlmsghdr *)bufs[(i * 5) % 6];

		ok = ok && netdm_parse_alert_memo(n, &x, &m) == 0 &&
		     netdm_parse_alert(n, &want) == 0 && alert_same(&x, &want);
		if (m.misses == 0)
			hits++;
		else if (i >= 6)
			misses++;
	}
	tap_ok(ok && hits == 594 && misses == 0 && m.wait == 0,
	       "six traps interleaved: 594 of 600 alerts taken from the memo (got %u, %u misses after the first six)",
	       hits, misses);
}

/* Three ports of one trap, in turns: the first compare against the wrong
 * entry notes the word that tells them apart (the port name's), and each
 * entry learns which one follows it, also when the order changes.
 */
static void test_ports_in_turn(void)
{
	static uint64_t bufs[3][512];
	static const unsigned int first_order[] = { 0, 1, 2 }, second_order[] = { 0, 2, 1 };
	const unsigned int *order = first_order;
	struct netdm_memo m = { 0 };
	struct drop_alert x, want;
	unsigned int i, hits = 0, word;
	bool ok = true;

	for (i = 0; i < 3; i++) {
		hw_alert(bufs[i], "blackhole_route");
		byte_at((struct nlmsghdr *)bufs[i], at.in_port_name)[3] = (uint8_t)('0' + i);
	}
	word = (unsigned int)(at.in_port_name - 20);	/* from the attributes' start */
	for (i = 0; i < 24; i++) {
		const struct nlmsghdr *n;

		if (i == 6) {
			tap_ok(m.after[0] == 1 && m.after[1] == 2 && m.after[2] == 0,
			       "ports in turn 0 1 2: each entry's next is the port after it (%u %u %u)",
			       m.after[0], m.after[1], m.after[2]);
			order = second_order;
		}
		n = (const struct nlmsghdr *)bufs[order[i % 3]];
		ok = ok && netdm_parse_alert_memo(n, &x, &m) == 0 &&
		     netdm_parse_alert(n, &want) == 0 && alert_same(&x, &want);
		if (m.misses == 0)
			hits++;
	}
	tap_ok(ok && hits == 21, "three ports in turn: all but the first three from the memo (%u)", hits);
	tap_ok(m.after[0] == 2 && m.after[2] == 1 && m.after[1] == 0,
	       "in turn 0 2 1: the next entries follow (%u %u %u)", m.after[0], m.after[1], m.after[2]);
	tap_ok(m.tell[0] == word && m.tell[1] == word && m.tell[2] == word,
	       "each entry's noted word is the port name's (%u: %u %u %u)", word, m.tell[0], m.tell[1],
	       m.tell[2]);
}

/* Alerts that never repeat: after each eight misses in a row the next
 * 1, 2, 4 ... 64 alerts are parsed without the memo; a run then ends it.
 */
static void test_backoff(void)
{
	struct nlmsghdr *a = hw_alert(first_buf, "blackhole_route"), *b;
	struct netdm_memo m = { 0 };
	struct drop_alert x;
	unsigned int i, started[8] = { 0 }, gap[8] = { 0 }, n = 0, since = 0;
	char name[16];
	bool ok = true;

	for (i = 0; i < 2000 && n < 8; i++) {
		snprintf(name, sizeof(name), "t%05u", i);
		b = hw_alert(copy_buf, name);
		ok = ok && netdm_parse_alert_memo(b, &x, &m) == 0;
		since++;
		if (m.wait && m.wait == m.backoff) {
			gap[n] = since;
			started[n++] = m.wait;
			since = 0;
		}
	}
	ok = ok && n == 8;
	/* Eight misses, after the previous backoff's alerts. */
	for (i = 0; ok && i < n; i++) {
		unsigned int want = 1u << i < NETDM_MEMO_BACKOFF ? 1u << i : NETDM_MEMO_BACKOFF;

		ok = started[i] == want && gap[i] == NETDM_MEMO_ENTRIES + (i ? started[i - 1] : 0);
	}
	tap_ok(ok, "alerts that never repeat: backoffs of 1, 2, 4 ... 64, 64 after 8 misses each (got %u %u %u %u %u %u %u %u)",
	       started[0], started[1], started[2], started[3], started[4], started[5], started[6],
	       started[7]);

	/* A run after that: hits, and the backoff ends. */
	for (i = 0; i < 200; i++)
		netdm_parse_alert_memo(a, &x, &m);
	tap_ok(m.misses == 0 && m.backoff == 0 && m.wait == 0,
	       "a run of one trap: the memo hits and the backoff ends");
}

/* Each byte before the payload, but for the time's and the length's
 * values, changed alone: the memo must see the change (a miss), whatever
 * the full parse then makes of the alert.
 */
static void test_every_byte(void)
{
	struct nlmsghdr *first = hw_alert(first_buf, trap), *c = (struct nlmsghdr *)copy_buf;
	size_t off, end = at.payload_hdr, tried = 0, missed = 0;
	struct drop_alert a, want;
	bool ok = true;

	for (off = MNL_NLMSG_HDRLEN + GENL_HDRLEN; off < end; off++) {
		struct netdm_memo m = { 0 };
		int rc;

		if ((off >= at.ts && off < at.ts + 8) || (off >= at.orig_len && off < at.orig_len + 4))
			continue;
		memcpy(copy_buf, first_buf, sizeof(copy_buf));
		*byte_at(c, off) ^= 0x01;
		if (netdm_parse_alert_memo(first, &a, &m) < 0 || !m.end[m.last]) {
			ok = false;
			break;
		}
		rc = netdm_parse_alert_memo(c, &a, &m);
		tried++;
		if (m.misses == 2)
			missed++;
		else if (ok)
			tap_diag("%s: byte %zu changed, taken from the memo", trap, off);
		ok = ok && m.misses == 2 && rc == netdm_parse_alert(c, &want) &&
		     (rc < 0 || alert_same(&a, &want));
	}
	tap_ok(ok && tried, "%s: each of the %zu bytes before the payload, changed alone, is a miss (%zu)",
	       trap, tried, missed);
}

/* memo_id: 0 for an alert parsed in full, its entry's number for one
 * answered from the memo (the same number while that entry answers, a
 * new one for each entry learnt, never one used before).
 */
static void test_memo_ids(void)
{
	static uint64_t bufs[3][512];
	struct netdm_memo m = { 0 };
	struct drop_alert x;
	uint64_t first_a, first_b;
	bool ok;

	hw_alert(bufs[0], "blackhole_route");
	hw_alert(bufs[1], "ttl_value_is_too_small");
	hw_alert(bufs[2], "ingress_vlan_filter");
	ok = netdm_parse_alert_memo((struct nlmsghdr *)bufs[0], &x, &m) == 0 && x.memo_id == 0;
	ok = ok && netdm_parse_alert_memo((struct nlmsghdr *)bufs[0], &x, &m) == 0 && x.memo_id;
	first_a = x.memo_id;
	tap_ok(ok, "learnt: memo_id 0; answered from the memo: its entry's (%llu)",
	       (unsigned long long)first_a);
	ok = netdm_parse_alert_memo((struct nlmsghdr *)bufs[1], &x, &m) == 0 && x.memo_id == 0;
	ok = ok && netdm_parse_alert_memo((struct nlmsghdr *)bufs[1], &x, &m) == 0;
	first_b = x.memo_id;
	ok = ok && netdm_parse_alert_memo((struct nlmsghdr *)bufs[0], &x, &m) == 0 &&
	     x.memo_id == first_a;
	tap_ok(ok && first_b && first_b != first_a,
	       "another trap's entry: another id (%llu); the first keeps its own",
	       (unsigned long long)first_b);
	memset(&m, 0, sizeof(m));
	m.learnt = first_b;	/* as if the memo had been emptied and learnt on */
	ok = netdm_parse_alert_memo((struct nlmsghdr *)bufs[2], &x, &m) == 0 &&
	     netdm_parse_alert_memo((struct nlmsghdr *)bufs[2], &x, &m) == 0;
	tap_ok(ok && x.memo_id > first_b, "an entry learnt later: a number not used before (%llu)",
	       (unsigned long long)x.memo_id);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7 + 1);
	/* 96 bytes of attributes before the payload: six pairs of words, which
	 * the compare takes together; 92: five pairs, a word and a half word;
	 * 84: five pairs and a half word.
	 */
	trap = "blackhole_route";
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(&rows[i]);
	test_every_byte();
	trap = "local_route";
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(&rows[i]);
	test_every_byte();
	trap = "abc";
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(&rows[i]);
	test_every_byte();
	test_interleaved();
	test_ports_in_turn();
	test_memo_ids();
	test_backoff();
	return tap_done();
}
