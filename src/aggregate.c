/* aggregate: events in, counts out. Selection (-d/-e/-c, --filter), the
 * flow key (trapagg's 5-tuple plus IS_ENCAP, the whole key with --wide, or
 * --by's fields: a byte mask made once and applied to every key) and the
 * bounded tables of flowtab. The trap stays in every key, so per-trap
 * totals stay exact; rows of --by keys without the trap merge at report
 * time.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "bykey.h"
#include "dissect.h"
#include "names.h"
#include "tcfilter.h"

#define KEEP(f) memset(&k->f, 0xff, sizeof(k->f))

/* --by's fields; the address family goes with any address or port. */
static void keep_by(struct agg_key *k, unsigned int by)
{
	if (by & (BY_FLOW & ~BY_BIT(BY_VLAN)))
		KEEP(flow.family);
	if (by & BY_BIT(BY_SIP))
		KEEP(flow.saddr);
	if (by & BY_BIT(BY_DIP))
		KEEP(flow.daddr);
	if (by & BY_BIT(BY_SPORT))
		KEEP(flow.sport);
	if (by & BY_BIT(BY_DPORT))
		KEEP(flow.dport);
	if (by & BY_BIT(BY_PROTO))
		KEEP(flow.ip_proto);
	if (by & BY_BIT(BY_ENCAP))
		KEEP(flow.is_encap);
	if (by & BY_BIT(BY_VLAN)) {
		KEEP(flow.vlan);
		k->flow.flags = FLOW_F_VLAN;
	}
}

/* What flow_key_of() keeps of a dissected key (the same as its fast path
 * for trapagg's and --wide's keys). The ethertype never counts.
 */
static void keep_mask(struct agg_key *k, const struct agg_opts *o)
{
	memset(k, 0, sizeof(*k));
	if (o->by) {
		keep_by(k, o->by);
	} else if (o->wide) {
		KEEP(flow);
		k->flow.ethertype = 0;
	} else {
		/* trapagg's key: trap and 5-tuple plus IS_ENCAP only. */
		KEEP(flow.saddr);
		KEEP(flow.daddr);
		KEEP(flow.sport);
		KEEP(flow.dport);
		KEEP(flow.family);
		KEEP(flow.ip_proto);
		KEEP(flow.is_encap);
	}
	if (o->keep_ports)
		KEEP(ifindex);
	/* --by has no room for drop locations and cookies. */
	if (!o->by)
		KEEP(loc_id);
}

#undef KEEP

int aggregate_init(struct aggregate *ag, const struct agg_opts *o, struct errmsg *e)
{
	int ret;

	memset(ag, 0, sizeof(*ag));
	ag->opt = *o;
	keep_mask(&ag->keep, o);
	/* Totals across intervals: one table, intervals read since its mark. */
	if (o->totals && o->intervals)
		ret = flowtab_init_marked(&ag->ft, o->max_flows);
	else
		ret = flowtab_init(&ag->ft, o->max_flows);
	if (ret < 0 || (o->times && flowtab_keep_times(&ag->ft) < 0)) {
		if (ret == 0)
			flowtab_fini(&ag->ft);
		errmsg_set(e, ENOMEM, "cannot allocate the flow table: lower --max-flows");
		return -1;
	}
	if (filter_compile(&ag->filter, o->filter_expr, e) < 0)
		goto err_filter;
	return 0;

err_filter:
	aggregate_fini(ag);
	return -1;
}

void aggregate_fini(struct aggregate *ag)
{
	filter_fini(&ag->filter);
	flowtab_fini(&ag->ft);
}

void aggregate_set_traps(struct aggregate *ag, const struct dl_traps *traps)
{
	ag->traps = traps;
}

static uint8_t trap_type_of(const struct aggregate *ag, const char *name)
{
	const struct dl_trap *t = ag->traps ? dl_traps_find(ag->traps, name) : NULL;
	int generic;

	if (t)
		return t->type;
	generic = generic_trap_type(name);
	return generic >= 0 ? (uint8_t)generic : TRAP_TYPE_UNKNOWN;
}

/* Intern a name and check it against -d/-e/-c; returns the id or -1.
 * Inlined: on each alert, the call cost a fifth of it.
 */
static inline __attribute__((always_inline)) int trap_selected(struct aggregate *ag, uint8_t origin, const char *name, size_t len,
			 const char *group, uint8_t type)
{
	int id = flowtab_trap_id_len(&ag->ft, origin, name, len, group);
	struct trap_stat *ts;

	if (id < 0)
		return -1;
	ts = &ag->ft.traps[id];
	if (type != TRAP_TYPE_UNKNOWN)
		ts->type = type;
	else if (ts->type == TRAP_TYPE_UNKNOWN && origin == NET_DM_ORIGIN_HW)
		ts->type = trap_type_of(ag, name);
	if (ag->opt.type_mask && !(ts->type < 8 && (ag->opt.type_mask & TYPE_BIT(ts->type))))
		return -1;
	return id;
}

/* A name's length: the one its attribute gave, else strlen(). */
static inline size_t name_len(const char *name, uint16_t len)
{
	return len ? len : strlen(name);
}

/* A software drop is named by its reason, else by its function. */
static const char *sw_drop_name(const struct drop_alert *a, char *buf, size_t n, size_t *len)
{
	int w;

	if (a->reason) {
		*len = name_len(a->reason, a->reason_len);
		return a->reason;
	}
	if (!a->symbol) {
		*len = 1;
		return "-";
	}
	w = snprintf(buf, n, "%.*s", (int)strcspn(a->symbol, "+"), a->symbol);
	*len = w < 0 ? 0 : (size_t)w < n ? (size_t)w : n - 1;
	return buf;
}

/* The drop's place, interned: where the kernel freed a software drop,
 * without the offset (--wide), or a hardware ACL drop's flow action cookie
 * in hex (--wide, -j: whatever keeps in-ports), so each ACL rule gets its
 * own rows.
 */
static uint16_t place_id(struct aggregate *ag, const struct drop_alert *a)
{
	char name[128];
	uint8_t origin = FLOWTAB_ORIGIN_LOCATION;
	int id;

	if (a->symbol && ag->opt.wide) {
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(a->symbol, "+"), a->symbol);
	} else if (a->cookie_len && ag->opt.keep_ports) {
		tcfilter_hex(a->cookie, a->cookie_len < TCF_COOKIE_MAX ? a->cookie_len : TCF_COOKIE_MAX,
			     name);
		origin = FLOWTAB_ORIGIN_COOKIE;
	} else {
		return 0;
	}
	id = flowtab_trap_id(&ag->ft, origin, name, NULL);
	return id < 0 ? 0 : (uint16_t)(id + 1);
}

/* --by's key: the dissected flow and in-port through its mask, eleven
 * words. Out of line, so the default key's path stays as short as it was.
 */
static void __attribute__((noinline)) by_key_of(const struct aggregate *ag,
						 const struct drop_alert *a, struct agg_key *key)
{
	unsigned char *k = (unsigned char *)key;
	const unsigned char *m = (const unsigned char *)&ag->keep;
	size_t i;

	key->ifindex = a->in_ifindex;
	key->trap_id = key->loc_id = 0;
#pragma GCC unroll 16
	for (i = 0; i < sizeof(*key); i += 8) {
		uint64_t w = load_u64(k + i) & load_u64(m + i);

		memcpy(k + i, &w, sizeof(w));
	}
}

/* The dissected flow and in-port, with what the key leaves out zeroed:
 * trapagg's and --wide's keys field by field (a few stores), --by's
 * through its mask.
 */
static void flow_key_of(const struct aggregate *ag, const struct drop_alert *a, struct agg_key *key)
{
	dissect_packet(a->payload, a->payload_len, a->proto, &key->flow);
	if (ag->opt.by) {
		by_key_of(ag, a, key);
		return;
	}
	if (!ag->opt.wide) {
		/* trapagg's key: trap and 5-tuple plus IS_ENCAP only. */
		memset(key->flow.outer_saddr, 0, sizeof(key->flow.outer_saddr) * 2);
		key->flow.outer_family = 0;
		key->flow.vlan = 0;
		key->flow.icmp_type = key->flow.icmp_code = 0;
		key->flow.flags = 0;
	}
	key->flow.ethertype = 0;
	key->ifindex = ag->opt.keep_ports ? a->in_ifindex : 0;
}

/* The alert's trap, interned and checked against -d/-e/-c: -1 when left
 * out. Kept by memo_id once the trap's type is settled (a hardware trap's
 * is looked up again while unknown, as devlink may learn it) and its name
 * was stored.
 */
static inline __attribute__((always_inline)) int alert_trap(struct aggregate *ag,
							   const struct drop_alert *a)
{
	struct agg_named *n = &ag->named[a->memo_id % (sizeof(ag->named) / sizeof(ag->named[0]))];
	char sym[128];
	const char *name;
	size_t len;
	int id;

	if (a->memo_id && n->memo_id == a->memo_id)
		return n->id;
	if (a->origin != NET_DM_ORIGIN_HW) {
		name = sw_drop_name(a, sym, sizeof(sym), &len);
	} else if (a->trap_name) {
		name = a->trap_name;
		len = name_len(name, a->trap_name_len);
	} else {
		name = "-";
		len = 1;
	}
	id = trap_selected(ag, (uint8_t)a->origin, name, len, a->trap_group, TRAP_TYPE_UNKNOWN);
	if (a->memo_id && id >= 0 && (uint32_t)id + 1 != ag->ft.unnamed_id &&
	    (a->origin != NET_DM_ORIGIN_HW || ag->ft.traps[id].type != TRAP_TYPE_UNKNOWN)) {
		n->memo_id = a->memo_id;
		n->id = id;
	}
	return id;
}

/* flatten: the dissector's layer loop and the flow table's fast path are
 * inlined here (link-time), each a call an alert fewer; the table's own
 * slow paths stay calls, as they are marked noinline.
 */
__attribute__((flatten)) bool aggregate_alert(struct aggregate *ag, const struct drop_alert *a)
{
	struct agg_key key;
	int id = alert_trap(ag, a);

	if (id < 0)
		return false;
	/* Kernels before drop reasons (5.4) name software drops by function. */
	if (a->origin == NET_DM_ORIGIN_SW && !a->reason)
		ag->ft.traps[id].no_reason = true;
	if (ag->filter.active &&
	    !filter_match(&ag->filter, a->payload, a->payload_len, a->orig_len,
			  dissect_is_raw_ip(a->payload, a->payload_len, a->proto)))
		return false;
	flow_key_of(ag, a, &key);
	key.trap_id = (uint16_t)id;
	key.loc_id = place_id(ag, a) & ag->keep.loc_id;
	flowtab_add_at(&ag->ft, &key, a->orig_len, a->timestamp_ns);
	return true;
}

bool aggregate_count(struct aggregate *ag, const struct agg_count *c)
{
	int id = trap_selected(ag, c->origin, c->name, strlen(c->name), c->group, c->type);

	if (id < 0)
		return false;
	if (c->no_reason)
		ag->ft.traps[id].no_reason = true;
	ag->ft.traps[id].source = c->source;
	flowtab_add_bare(&ag->ft, (uint16_t)id, c->packets, c->bytes);
	return true;
}

bool aggregate_report(struct aggregate *ag, const struct trap_report *r, uint32_t ifindex,
		      unsigned int types)
{
	int id = trap_selected(ag, NET_DM_ORIGIN_HW, r->trap, strlen(r->trap), r->group,
			       TRAP_TYPE_UNKNOWN);
	uint8_t type;
	struct agg_key key;

	if (id < 0)
		return false;
	/* The type interning looked up once; a type this source does not
	 * count (NET_DM counts it) is left out, its trap shown nowhere
	 * without packets.
	 */
	type = ag->ft.traps[id].type;
	if (type >= 8 || !(types & TYPE_BIT(type)))
		return false;
	ag->ft.traps[id].source = TRAP_SOURCE_TRACEPOINT;
	memset(&key, 0, sizeof(key));
	key.trap_id = (uint16_t)id;
	/* Trap reports keep their port unless --by leaves it out. */
	key.ifindex = ag->opt.by ? ifindex & ag->keep.ifindex : ifindex;
	flowtab_add_at(&ag->ft, &key, 0, r->time_ns);
	return true;
}

struct flowtab_view aggregate_interval(struct aggregate *ag)
{
	flowtab_settle(&ag->ft);
	return (struct flowtab_view){ &ag->ft, ag->opt.totals && ag->opt.intervals };
}

const struct flowtab *aggregate_totals(struct aggregate *ag)
{
	flowtab_settle(&ag->ft);
	/* Without totals, intervals empty the table: nothing spans them. */
	return ag->opt.totals || !ag->opt.intervals ? &ag->ft : NULL;
}

void aggregate_next_interval(struct aggregate *ag)
{
	if (!ag->opt.intervals)
		return;
	if (ag->opt.totals)
		flowtab_mark(&ag->ft);
	else
		flowtab_reset(&ag->ft);
}
