/* netdm_parse: NET_DM's messages, parsed straight out of the receive
 * buffer with no allocation and no socket: packet alerts (one pass over the
 * attributes), summaries and statistics. Pure: the fuzzers and unit tests
 * link it alone.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "netdm.h"
#include "nlparse.h"
#include "unaligned.h"

/* Alerts are parsed in one pass, without library calls: the checks are
 * exactly nlparse_attrs()'s framing and libmnl's mnl_attr_validate() for
 * the types below (u16/u32/u64: exact length; NUL_STRING: at least the NUL;
 * NESTED: empty or at least one header), applied, as with a tb[] array, to
 * the last attribute of each type.
 */
#define ALERT_HDRLEN (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)))

static inline uint16_t attr_plen(const struct nlattr *at)
{
	return (uint16_t)(at->nla_len - MNL_ATTR_HDRLEN);
}

static inline const uint8_t *attr_data(const struct nlattr *at)
{
	return (const uint8_t *)at + MNL_ATTR_HDRLEN;
}

/* Absent, or exactly n bytes. */
static inline bool bad_fixed(const struct nlattr *at, uint16_t n)
{
	return at && attr_plen(at) != n;
}

/* Absent, or a NUL-terminated string. */
static inline bool bad_str(const struct nlattr *at)
{
	return at && (attr_plen(at) == 0 || attr_data(at)[attr_plen(at) - 1] != '\0');
}

/* Walk the attributes after the genl header as nlparse_attrs() does,
 * keeping the last one of each type in tb[alert_slot[type]] (slot 0 takes
 * what is ignored). Returns 0, or -1 for a bad length or 1..3 trailing
 * bytes.
 */
static inline int walk_attrs(const uint8_t *p, size_t left, const uint8_t *slot,
			     const struct nlattr **tb)
{
	while (left >= MNL_ATTR_HDRLEN) {
		const struct nlattr *at = (const void *)p;
		size_t len = at->nla_len, step;

		/* len in [4, left], in one unsigned compare */
		if (len - MNL_ATTR_HDRLEN > left - MNL_ATTR_HDRLEN)
			return -1;
		tb[slot[at->nla_type & 0x3fff]] = at;	/* NLA_TYPE_MASK */
		/* The last attribute may go without its padding. */
		step = MNL_ALIGN(len);
		if (step >= left)
			return 0;
		left -= step;
		p += step;
	}
	return left ? -1 : 0;
}

/* The in-port nest: ifindex (type 0) and name; other types ignored. */
static inline int parse_in_port(const struct nlattr *nest, struct drop_alert *a)
{
	const struct nlattr *ifindex = NULL, *name = NULL;
	const uint8_t *p = attr_data(nest), *end = p + attr_plen(nest);

	while (end - p >= (ptrdiff_t)MNL_ATTR_HDRLEN) {
		const struct nlattr *at = (const void *)p;
		unsigned int type = at->nla_type & NLA_TYPE_MASK;

		if ((size_t)at->nla_len - MNL_ATTR_HDRLEN > (size_t)(end - p) - MNL_ATTR_HDRLEN)
			return -1;
		if (type == NET_DM_ATTR_PORT_NETDEV_IFINDEX)
			ifindex = at;
		else if (type == NET_DM_ATTR_PORT_NETDEV_NAME)
			name = at;
		p += MNL_ALIGN(at->nla_len);
	}
	if (p < end || bad_fixed(ifindex, 4) || bad_str(name))
		return -1;
	if (ifindex)
		memcpy(&a->in_ifindex, attr_data(ifindex), 4);
	a->in_port_name = name ? (const char *)attr_data(name) : NULL;
	return 0;
}

enum {
	A_IGNORED, A_PC, A_SYMBOL, A_IN_PORT, A_TIMESTAMP, A_PROTO, A_PAYLOAD, A_ORIG_LEN,
	A_ORIGIN, A_GROUP, A_NAME, A_COOKIE, A_REASON, A_SLOTS
};

_Static_assert((NLA_TYPE_MASK & 0xffff) == 0x3fff, "attribute types are 14 bits");

/* Indexed by any type (14 bits, 16 KiB of zeros but for the first line):
 * no bounds test per attribute.
 */
static const uint8_t alert_slot[0x4000] = {
	[NET_DM_ATTR_PC] = A_PC,
	[NET_DM_ATTR_SYMBOL] = A_SYMBOL,
	[NET_DM_ATTR_IN_PORT] = A_IN_PORT,
	[NET_DM_ATTR_TIMESTAMP] = A_TIMESTAMP,
	[NET_DM_ATTR_PROTO] = A_PROTO,
	[NET_DM_ATTR_PAYLOAD] = A_PAYLOAD,
	[NET_DM_ATTR_ORIG_LEN] = A_ORIG_LEN,
	[NET_DM_ATTR_ORIGIN] = A_ORIGIN,
	[NET_DM_ATTR_HW_TRAP_GROUP_NAME] = A_GROUP,
	[NET_DM_ATTR_HW_TRAP_NAME] = A_NAME,
	[NET_DM_ATTR_FLOW_ACTION_COOKIE] = A_COOKIE,
	[NET_DM_ATTR_REASON] = A_REASON,
};

static inline const char *str_or_null(const struct nlattr *at)
{
	return at ? (const char *)attr_data(at) : NULL;
}

_Static_assert(A_SLOTS == 13, "parse_alert() clears each slot of tb[] by name");

/* netdm_parse_alert(), leaving in tb[] the attribute each field came from.
 * Inlined in both callers: a call would cost the memo's misses a tenth.
 */
static inline __attribute__((always_inline)) int
parse_alert(const struct nlmsghdr *nlh, struct drop_alert *a, const struct nlattr **tb)
{
	const uint8_t *p = (const uint8_t *)nlh;

	/* Slot by slot: gcc turns "= { NULL }" into rep stosq here, whose
	 * start-up cost was a sixth of the whole parse in time (bench/run.sh,
	 * stages); these become six vector stores and one.
	 */
	tb[0] = tb[1] = tb[2] = tb[3] = tb[4] = tb[5] = tb[6] = NULL;
	tb[7] = tb[8] = tb[9] = tb[10] = tb[11] = tb[12] = NULL;
	if (nlh->nlmsg_len < ALERT_HDRLEN ||
	    walk_attrs(p + ALERT_HDRLEN, nlh->nlmsg_len - ALERT_HDRLEN, alert_slot, tb) < 0)
		goto err_inval;
	if (bad_fixed(tb[A_PC], 8) || bad_str(tb[A_SYMBOL]) || bad_fixed(tb[A_TIMESTAMP], 8) ||
	    bad_fixed(tb[A_PROTO], 2) || bad_fixed(tb[A_ORIG_LEN], 4) ||
	    bad_fixed(tb[A_ORIGIN], 2) || bad_str(tb[A_GROUP]) || bad_str(tb[A_NAME]) ||
	    bad_str(tb[A_REASON]) ||
	    (tb[A_IN_PORT] && attr_plen(tb[A_IN_PORT]) &&
	     attr_plen(tb[A_IN_PORT]) < MNL_ATTR_HDRLEN))
		goto err_inval;
	/* Every field is written: absent attributes leave zeros and NULLs. */
	a->origin = NET_DM_ORIGIN_SW;
	if (tb[A_ORIGIN])
		memcpy(&a->origin, attr_data(tb[A_ORIGIN]), 2);
	a->proto = 0;
	if (tb[A_PROTO])
		memcpy(&a->proto, attr_data(tb[A_PROTO]), 2);
	a->orig_len = 0;
	if (tb[A_ORIG_LEN])
		memcpy(&a->orig_len, attr_data(tb[A_ORIG_LEN]), 4);
	a->timestamp_ns = 0;
	if (tb[A_TIMESTAMP])
		memcpy(&a->timestamp_ns, attr_data(tb[A_TIMESTAMP]), 8);
	a->pc = 0;
	if (tb[A_PC])
		memcpy(&a->pc, attr_data(tb[A_PC]), 8);
	a->trap_name = str_or_null(tb[A_NAME]);
	a->trap_name_len = tb[A_NAME] ? (uint16_t)(attr_plen(tb[A_NAME]) - 1) : 0;
	a->reason_len = tb[A_REASON] ? (uint16_t)(attr_plen(tb[A_REASON]) - 1) : 0;
	a->trap_group = str_or_null(tb[A_GROUP]);
	a->symbol = str_or_null(tb[A_SYMBOL]);
	a->reason = str_or_null(tb[A_REASON]);
	a->payload = NULL;
	a->payload_len = 0;
	if (tb[A_PAYLOAD]) {
		a->payload = attr_data(tb[A_PAYLOAD]);
		a->payload_len = attr_plen(tb[A_PAYLOAD]);
		if (!tb[A_ORIG_LEN])
			a->orig_len = a->payload_len;
		else if (a->payload_len > a->orig_len)
			goto err_inval;
	}
	a->memo_id = 0;
	a->cookie = NULL;
	a->cookie_len = 0;
	if (tb[A_COOKIE]) {
		a->cookie = attr_data(tb[A_COOKIE]);
		a->cookie_len = attr_plen(tb[A_COOKIE]);
	}
	a->in_ifindex = 0;
	a->in_port_name = NULL;
	if (tb[A_IN_PORT] && parse_in_port(tb[A_IN_PORT], a) < 0)
		goto err_inval;
	return 0;

err_inval:
	memset(a, 0, sizeof(*a));	/* nothing half-filled */
	errno = EINVAL;
	return -1;
}

int netdm_parse_alert(const struct nlmsghdr *nlh, struct drop_alert *a)
{
	const struct nlattr *tb[A_SLOTS];

	return parse_alert(nlh, a, tb);
}

/* The memo ------------------------------------------------------------------
 * A flood is a run of alerts from one drop point, trap and port: their
 * attributes before the payload are the same bytes but for the time and the
 * packet's length. When the bytes before a final PAYLOAD attribute match an
 * alert parsed in that way, the full parse would walk the same attributes
 * to the same slots and pass the same checks, so its fields are taken from
 * the memo and only time, length and payload read anew. A few entries, as a
 * switch's drops interleave a few traps and ports.
 */

static inline uint16_t offset_of(const struct nlmsghdr *nlh, const void *at)
{
	return at ? (uint16_t)((const uint8_t *)at - (const uint8_t *)nlh) : 0;
}

static inline const void *at_offset(const struct nlmsghdr *nlh, uint16_t off)
{
	return off ? (const uint8_t *)nlh + off : NULL;
}

/* struct drop_alert's pointers into the message, each kept in an entry as
 * an offset (field_at): learnt and filled from this one list.
 */
#define MEMO_POINTERS(X) X(trap_name) X(trap_group) X(in_port_name) X(symbol) X(reason) X(cookie)
#define MEMO_LEARN(f) e->f##_at = offset_of(nlh, a->f);
#define MEMO_FILL(f) a->f = at_offset(nlh, e->f##_at);

/* Remember a parsed alert whose last attribute is its payload, in place of
 * the entry learnt longest ago: the bytes before the payload, and where the
 * time's and the length's values lie in them.
 */
static void memo_learn(struct netdm_memo *m, const struct nlmsghdr *nlh,
		       const struct drop_alert *a, const struct nlattr **tb)
{
	size_t end = (size_t)((const uint8_t *)tb[A_PAYLOAD] - (const uint8_t *)nlh);
	struct netdm_memo_entry *e = &m->e[m->next];

	if (end - ALERT_HDRLEN > NETDM_MEMO_PREFIX || end - ALERT_HDRLEN < 4 ||
	    end + MNL_ALIGN(tb[A_PAYLOAD]->nla_len) < nlh->nlmsg_len)
		return;	/* a long prefix or none, or attributes after the payload */
	e->ts_at = tb[A_TIMESTAMP] ? offset_of(nlh, attr_data(tb[A_TIMESTAMP])) : 0;
	e->orig_len_at = tb[A_ORIG_LEN] ? offset_of(nlh, attr_data(tb[A_ORIG_LEN])) : 0;
	memcpy(e->prefix, (const uint8_t *)nlh + ALERT_HDRLEN, end - ALERT_HDRLEN);
	e->a = *a;
	e->a.memo_id = ++m->learnt;
	MEMO_POINTERS(MEMO_LEARN)
	m->end[m->next] = (uint16_t)end;
	/* Until an alert differs from it: the trap's or drop point's name. */
	m->tell[m->next] = a->trap_name ? (uint16_t)(e->trap_name_at - ALERT_HDRLEN) :
			   a->symbol ? (uint16_t)(e->symbol_at - ALERT_HDRLEN) : 0;
	m->after[m->last] = m->next;
	m->last = m->next;
	m->next = (uint8_t)((m->next + 1) % NETDM_MEMO_ENTRIES);
}

/* The message ends in a PAYLOAD attribute, as the full parse would take
 * it, right where an entry's prefix ends (end): a few loads that turn most
 * entries away before their compare.
 */
static inline bool payload_at(const struct nlmsghdr *nlh, uint16_t end)
{
	const struct nlattr *pl;
	size_t left, len;

	if (!end || nlh->nlmsg_len < (uint32_t)end + MNL_ATTR_HDRLEN)
		return false;
	pl = at_offset(nlh, end);
	left = nlh->nlmsg_len - end;
	len = pl->nla_len;
	return (pl->nla_type & 0x3fff) == NET_DM_ATTR_PAYLOAD &&
	       len - MNL_ATTR_HDRLEN <= left - MNL_ATTR_HDRLEN && MNL_ALIGN(len) >= left;
}

/* The same bytes before the payload but for the time and the length, which
 * are copied into the entry first so that one compare covers the rest. A
 * word at a time, not memcmp(): under the lab's emulated CPU libc's vector
 * compare made a replay slower than parsing every alert in full did
 * (bench/RESULTS.md, session 11). Attributes start 4-byte aligned, so the
 * prefix is whole 4-byte words. Compared whole, with no test on the way:
 * an entry tried is mostly the one (entries that are not are mostly turned
 * away by their noted word first).
 */
static inline __attribute__((always_inline)) bool
entry_same(struct netdm_memo_entry *e, uint16_t end, const struct nlmsghdr *nlh)
{
	const uint8_t *p = (const uint8_t *)nlh + ALERT_HDRLEN, *q = e->prefix;
	size_t n = end - ALERT_HDRLEN, i;
	uint64_t d = 0;

	if (e->ts_at)
		memcpy(e->prefix + (e->ts_at - ALERT_HDRLEN), p + (e->ts_at - ALERT_HDRLEN), 8);
	if (e->orig_len_at)
		memcpy(e->prefix + (e->orig_len_at - ALERT_HDRLEN), p + (e->orig_len_at - ALERT_HDRLEN), 4);
	/* Four words a turn: under the emulated CPU each turn of a loop is a
	 * jump between translated blocks. A prefix of about a hundred bytes
	 * takes three turns and a tail; two words a turn cost the 200k
	 * replay 2.6 million instructions more (bench/RESULTS.md).
	 */
	for (i = 0; i + 32 <= n; i += 32)
		d |= (load_u64(p + i) ^ load_u64(q + i)) | (load_u64(p + i + 8) ^ load_u64(q + i + 8)) |
		     (load_u64(p + i + 16) ^ load_u64(q + i + 16)) |
		     (load_u64(p + i + 24) ^ load_u64(q + i + 24));
	if (i + 16 <= n) {
		d |= (load_u64(p + i) ^ load_u64(q + i)) | (load_u64(p + i + 8) ^ load_u64(q + i + 8));
		i += 16;
	}
	if (i + 8 <= n) {
		d |= load_u64(p + i) ^ load_u64(q + i);
		i += 8;
	}
	if (i < n)
		d |= load_u32(p + i) ^ load_u32(q + i);
	return d == 0;
}

/* After a compare that failed: the first 4-byte word that differs (never
 * the time's or the length's, which were copied), noted for entry i.
 */
static void note_tell(struct netdm_memo *m, unsigned int i, const struct nlmsghdr *nlh)
{
	const uint8_t *p = (const uint8_t *)nlh + ALERT_HDRLEN, *q = m->e[i].prefix;
	size_t n = m->end[i] - ALERT_HDRLEN, w;

	for (w = 0; w + 4 <= n; w += 4)
		if (load_u32(p + w) != load_u32(q + w)) {
			m->tell[i] = (uint16_t)w;
			return;
		}
}

/* Entry i's noted word differs: the entry is not the message's. */
static inline bool tell_differs(const struct netdm_memo *m, unsigned int i, const struct nlmsghdr *nlh)
{
	const uint8_t *p = (const uint8_t *)nlh + ALERT_HDRLEN;

	return load_u32(p + m->tell[i]) != load_u32(m->e[i].prefix + m->tell[i]);
}

/* The entry's alert with this message's time, length and payload; -1 when
 * the length is below the payload's, which the full parse refuses. Every
 * pointer is set here: a field added to struct drop_alert needs a look.
 */
_Static_assert(sizeof(struct drop_alert) == 104, "entry_fill() sets each pointer of struct drop_alert");
static inline int entry_fill(const struct netdm_memo_entry *e, uint16_t end,
			     const struct nlmsghdr *nlh, struct drop_alert *a)
{
	const struct nlattr *pl = at_offset(nlh, end);

	*a = e->a;
	a->payload = attr_data(pl);
	a->payload_len = attr_plen(pl);
	if (e->orig_len_at) {
		memcpy(&a->orig_len, at_offset(nlh, e->orig_len_at), 4);
		if (a->payload_len > a->orig_len)
			return -1;
	} else {
		a->orig_len = a->payload_len;
	}
	if (e->ts_at)
		memcpy(&a->timestamp_ns, at_offset(nlh, e->ts_at), 8);
	MEMO_POINTERS(MEMO_FILL)
	return 0;
}

/* Entry i, whose payload would start where the message has one: its
 * noted word first, then the whole prefix; a compare that fails notes
 * where, for the next time.
 */
static inline __attribute__((always_inline)) bool
other_hit(struct netdm_memo *m, unsigned int i, const struct nlmsghdr *nlh,
	  struct drop_alert *a)
{
	if (tell_differs(m, i, nlh))
		return false;
	if (!entry_same(&m->e[i], m->end[i], nlh)) {
		note_tell(m, i, nlh);
		return false;
	}
	return entry_fill(&m->e[i], m->end[i], nlh, a) == 0;
}

/* The entry that hit last first, compared whole: a flood is a run, and
 * meets only this. Out of a run, its noted word is tried first. Next the
 * entry that followed it last time: drops that take turns (two ports, a
 * few traps in a fixed order) follow each other again. Then the others,
 * only where the message has its payload where theirs starts: once one
 * such place is found, entries with another are passed over (a message
 * that fits two would be a miss, no worse).
 */
static inline bool memo_find(struct netdm_memo *m, const struct nlmsghdr *nlh, struct drop_alert *a)
{
	unsigned int i, last = m->last, next = m->after[last];
	uint16_t good = 0, bad = m->end[last], end;

	if (payload_at(nlh, bad)) {
		good = bad;
		if (m->run ? entry_same(&m->e[last], good, nlh) &&
			     entry_fill(&m->e[last], good, nlh, a) == 0 :
			     other_hit(m, last, nlh, a))
			return m->run = true;
	}
	m->run = false;
	for (i = next;; i = (i + 1) % NETDM_MEMO_ENTRIES) {
		end = m->end[i];
		if (i == last || !end || (good ? end != good : end == bad))
			goto pass;
		if (!good && !payload_at(nlh, end)) {
			bad = end;
			goto pass;
		}
		good = end;
		if (other_hit(m, i, nlh, a)) {
			m->after[last] = (uint8_t)i;
			m->last = (uint8_t)i;
			return true;
		}
pass:
		if ((i + 1) % NETDM_MEMO_ENTRIES == next)
			return false;
	}
}

int netdm_parse_alert_memo(const struct nlmsghdr *nlh, struct drop_alert *a,
			   struct netdm_memo *m)
{
	const struct nlattr *tb[A_SLOTS];
	bool learn = false;

	if (m->wait) {
		m->wait--;	/* backing off: no search, nothing learnt */
	} else if (memo_find(m, nlh, a)) {
		m->misses = m->backoff = 0;
		return 0;
	} else {
		/* Alerts that match nothing cost a search each: after as many
		 * misses in a row as there are entries, the next ones are
		 * parsed without the memo, twice as many each time up to
		 * NETDM_MEMO_BACKOFF.
		 */
		learn = true;
		if (++m->misses % NETDM_MEMO_ENTRIES == 0) {
			m->backoff = m->backoff ? m->backoff * 2 : 1;
			if (m->backoff > NETDM_MEMO_BACKOFF)
				m->backoff = NETDM_MEMO_BACKOFF;
			m->wait = m->backoff;
		}
	}
	if (parse_alert(nlh, a, tb) < 0)
		return -1;
	if (learn && tb[A_PAYLOAD])
		memo_learn(m, nlh, a, tb);
	return 0;
}

static int summary_hw(const struct nlattr *entries, struct drop_summary_entry *out, int n)
{
	const struct nlattr *e = mnl_attr_get_payload(entries);
	size_t left = mnl_attr_get_payload_len(entries);

	while (left > 0) {
		const struct nlattr *tb[NET_DM_ATTR_MAX + 1] = { NULL };
		size_t step;

		if (left < sizeof(*e) || !mnl_attr_ok(e, (int)left))
			return -1;
		step = (size_t)MNL_ALIGN(e->nla_len) < left ? (size_t)MNL_ALIGN(e->nla_len) : left;
		if (mnl_attr_get_type(e) == NET_DM_ATTR_HW_ENTRY) {
			if (nlparse_nested(e, tb, NET_DM_ATTR_MAX) < 0 || !tb[NET_DM_ATTR_HW_TRAP_NAME] ||
			    !tb[NET_DM_ATTR_HW_TRAP_COUNT] || !nlparse_is_str(tb[NET_DM_ATTR_HW_TRAP_NAME]) ||
			    mnl_attr_validate(tb[NET_DM_ATTR_HW_TRAP_COUNT], MNL_TYPE_U32) < 0)
				return -1;
			if (n == NETDM_SUMMARY_MAX)
				return -1;
			out[n].origin = NET_DM_ORIGIN_HW;
			out[n].trap_name = mnl_attr_get_str(tb[NET_DM_ATTR_HW_TRAP_NAME]);
			out[n].pc = 0;
			out[n].count = mnl_attr_get_u32(tb[NET_DM_ATTR_HW_TRAP_COUNT]);
			n++;
		}
		left -= step;
		e = (const void *)((const char *)e + step);
	}
	return n;
}

int netdm_parse_summary(const struct nlmsghdr *nlh, struct drop_summary_entry *out)
{
	struct drop_summary_entry tmp[NETDM_SUMMARY_MAX];
	const struct nlattr *tb[NET_DM_ATTR_MAX + 1] = { NULL };
	int n = 0;

	if (nlparse_genl(nlh, tb, NET_DM_ATTR_MAX) < 0)
		goto err_inval;
	if (tb[NET_DM_ATTR_UNSPEC]) {
		/* struct net_dm_alert_msg: u32 entries, then {u8 pc[8]; u32 count} each. */
		const uint8_t *p = mnl_attr_get_payload(tb[NET_DM_ATTR_UNSPEC]);
		size_t len = mnl_attr_get_payload_len(tb[NET_DM_ATTR_UNSPEC]);
		const size_t point = sizeof(struct net_dm_drop_point);
		uint32_t entries, i;

		if (len < sizeof(uint32_t))
			goto err_inval;
		memcpy(&entries, p, sizeof(entries));
		if (entries > NETDM_SUMMARY_MAX || sizeof(uint32_t) + (size_t)entries * point > len)
			goto err_inval;
		for (i = 0; i < entries; i++) {
			const uint8_t *dp = p + sizeof(uint32_t) + i * point;

			tmp[n].origin = NET_DM_ORIGIN_SW;
			tmp[n].trap_name = NULL;
			memcpy(&tmp[n].pc, dp, sizeof(tmp[n].pc));
			memcpy(&tmp[n].count, dp + 8, sizeof(tmp[n].count));
			n++;
		}
	}
	if (tb[NET_DM_ATTR_HW_ENTRIES]) {
		n = summary_hw(tb[NET_DM_ATTR_HW_ENTRIES], tmp, n);
		if (n < 0)
			goto err_inval;
	}
	memcpy(out, tmp, (size_t)n * sizeof(*tmp));
	return n;

err_inval:
	errno = EINVAL;
	return -1;
}

static int stats_nest(const struct nlattr *nest, uint64_t *dropped)
{
	const struct nlattr *tb[NET_DM_ATTR_STATS_MAX + 1] = { NULL };

	if (nlparse_nested(nest, tb, NET_DM_ATTR_STATS_MAX) < 0)
		return -1;
	if (tb[NET_DM_ATTR_STATS_DROPPED]) {
		if (mnl_attr_validate(tb[NET_DM_ATTR_STATS_DROPPED], MNL_TYPE_U64) < 0)
			return -1;
		*dropped = mnl_attr_get_u64(tb[NET_DM_ATTR_STATS_DROPPED]);
	}
	return 0;
}

int netdm_parse_stats(const struct nlmsghdr *nlh, struct netdm_stats *st)
{
	const struct nlattr *tb[NET_DM_ATTR_MAX + 1] = { NULL };

	memset(st, 0, sizeof(*st));
	if (nlparse_genl(nlh, tb, NET_DM_ATTR_MAX) < 0)
		goto err_inval;
	if (tb[NET_DM_ATTR_STATS] && stats_nest(tb[NET_DM_ATTR_STATS], &st->sw_dropped) < 0)
		goto err_inval;
	if (tb[NET_DM_ATTR_HW_STATS] && stats_nest(tb[NET_DM_ATTR_HW_STATS], &st->hw_dropped) < 0)
		goto err_inval;
	return 0;

err_inval:
	errno = EINVAL;
	return -1;
}
