/* aggregate: the pure core between the sources and the reports. Each event
 * (a NET_DM packet alert, live or replayed; a summary count; a devlink
 * counter delta) passes the type filter (-d/-e/-c) and --filter, is
 * dissected into a flow key and counted once, into one table. With both
 * intervals and totals, an interval's figures are read since the table's
 * mark, and --max-flows then bounds the flows since start. No sockets, no
 * globals: the unit tests and fuzzers drive it directly.
 */
#ifndef TRAPMON_AGGREGATE_H
#define TRAPMON_AGGREGATE_H

#include <stdbool.h>
#include <stdint.h>

#include "devlink.h"
#include "errmsg.h"
#include "filter.h"
#include "flowtab.h"
#include "netdm.h"
#include "tracepoint.h"

#define TYPE_BIT(t) (1u << (t))

struct agg_opts {
	unsigned int type_mask;	/* TYPE_BIT(TRAP_TYPE_*); 0: all */
	bool wide;		/* --wide: the whole flow key and drop locations */
	bool keep_ports;	/* key flows by input port too (--wide, -j, totals) */
	bool totals;		/* keep since-start totals (-p, --listen, --textfile) */
	bool intervals;		/* the interval table is reset after each table */
	uint32_t max_flows;
	const char *filter_expr;	/* --filter, or NULL */
	unsigned int by;	/* --by: BY_BIT()s; 0: trapagg's key (or --wide's whole key) */
	bool times;		/* keep each flow's first and last time (FIRST, LAST, -j) */
};

struct aggregate {
	struct agg_opts opt;
	/* The bytes of a flow's key that the key keeps (the others are 0):
	 * trapagg's 5-tuple and IS_ENCAP, --wide's whole key, or --by's fields.
	 */
	struct agg_key keep;
	struct flowtab ft;		/* marked when it holds both interval and totals */
	struct filter filter;
	const struct dl_traps *traps;	/* devlink's view of trap types, or NULL */
	/* The trap ids of the alerts the parser's memo answered last, by
	 * memo_id (alerts of one entry share their names): no interning.
	 */
	struct agg_named {
		uint64_t memo_id;
		int id;
	} named[8];
};

int aggregate_init(struct aggregate *ag, const struct agg_opts *o, struct errmsg *e);
void aggregate_fini(struct aggregate *ag);

/* Trap types come from devlink where it knows the trap (traps may change
 * or be NULL), else from the kernel's list of generic traps.
 */
void aggregate_set_traps(struct aggregate *ag, const struct dl_traps *traps);

/* Count one packet alert, seen at a->timestamp_ns; false when -d/-e/-c or
 * --filter leave it out.
 */
bool aggregate_alert(struct aggregate *ag, const struct drop_alert *a);

/* A flowless figure: a summary entry or a devlink counter delta. */
struct agg_count {
	uint8_t origin;		/* NET_DM_ORIGIN_* */
	const char *name;
	const char *group;	/* NULL if unknown */
	uint8_t type;		/* TRAP_TYPE_*, or UNKNOWN: looked up for hardware */
	bool no_reason;		/* a software drop named by its function */
	uint8_t source;		/* enum trap_source */
	uint64_t packets;
	uint64_t bytes;
};

/* Count c; false when the type filter leaves it out. */
bool aggregate_count(struct aggregate *ag, const struct agg_count *c);

/* Count one trap-report event (no packet: no flow) under its trap and
 * in-port (ifindex, 0 if none), seen at r->time_ns, when its trap's type is in types
 * (TYPE_BIT()s: the types this source is counting). False otherwise.
 */
bool aggregate_report(struct aggregate *ag, const struct trap_report *r, uint32_t ifindex,
		      unsigned int types);

/* This interval's counts, and the since-start table (NULL when intervals
 * empty it and no totals are kept); both settle a deferred table first
 * (flowtab_defer), so what they give is exact.
 */
struct flowtab_view aggregate_interval(struct aggregate *ag);
const struct flowtab *aggregate_totals(struct aggregate *ag);

/* After a table is printed: the next interval starts from zero. */
void aggregate_next_interval(struct aggregate *ag);

#endif
