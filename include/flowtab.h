/* flowtab: the bounded <trap, flow> aggregation table.
 * Open addressing over a dense entry array and an index that double
 * together with the flows, up to the bound: no allocation per alert
 * between doublings, memory bounded whatever the traffic. Flows beyond the
 * bound fold into their trap's "(other)" counters, so per-trap totals stay
 * exact. Trap names are interned into small ids that survive resets.
 */
#ifndef TRAPMON_FLOWTAB_H
#define TRAPMON_FLOWTAB_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

#define FLOWTAB_MAX_TRAPS 4096
#define FLOWTAB_DEFAULT_MAX_FLOWS 65536

/* Interned names that are not traps: software drop locations (--wide) and
 * hardware ACL drops' flow action cookies, in hex (--wide, -j).
 */
#define FLOWTAB_ORIGIN_LOCATION 0xff
#define FLOWTAB_ORIGIN_COOKIE 0xfe

/* Trap types, as devlink numbers them; UNKNOWN when devlink did not say. */
enum trap_type {
	TRAP_TYPE_DROP = 0,
	TRAP_TYPE_EXCEPTION = 1,
	TRAP_TYPE_CONTROL = 2,
	TRAP_TYPE_UNKNOWN = 255,
};

/* Where a trap's counts came from (the metrics' source label). */
enum trap_source {
	TRAP_SOURCE_NETDM = 0,		/* drop monitor alerts or summaries, live or replayed */
	TRAP_SOURCE_TRACEPOINT = 1,	/* devlink:devlink_trap_report events */
	TRAP_SOURCE_DEVLINK = 2,	/* devlink's per-trap counters */
};

/* Hashed and compared as bytes: keep it free of padding holes. */
struct agg_key {
	struct flow_key flow;
	uint32_t ifindex;	/* in-port, only with --wide or -j */
	uint16_t trap_id;	/* interned per origin, so it implies hw or sw */
	uint16_t loc_id;	/* the drop's place: software location (--wide) or ACL cookie: trap id + 1, 0: none */
};

/* 104 bytes: with the index (4 bytes a slot, at most half full) a flow
 * costs at most 112 bytes. Entries and index double as flows arrive.
 */
struct flow_entry {
	struct agg_key key;
	uint64_t packets;
	uint64_t bytes;
};

struct trap_stat {
	char *name;
	char *group;		/* NULL if unknown */
	uint8_t origin;
	uint8_t type;		/* enum trap_type */
	bool no_reason;		/* software: the kernel gave no drop reason, name is a function */
	uint8_t source;		/* enum trap_source: where its counts came from */
	uint32_t name_len;	/* strlen(name), and its hash: interning compares these first */
	uint32_t name_hash;
	uint64_t packets;	/* exact, folded alerts included */
	uint64_t bytes;
	uint64_t other_packets;	/* folded past the flow bound */
	uint64_t other_bytes;
	uint64_t bare_packets;	/* counted without a flow: summary alerts, devlink counters */
	uint64_t bare_bytes;
};

/* Counts at the last flowtab_mark(): figures since the mark are the
 * difference, so one insertion serves both the interval and the totals.
 */
struct flow_mark {
	uint64_t packets;
	uint64_t bytes;
};

struct trap_mark {
	uint64_t packets, bytes;
	uint64_t other_packets, other_bytes;
	uint64_t bare_packets, bare_bytes;
};

/* When a flow was seen first and last (nanoseconds, CLOCK_REALTIME or the
 * capture's clock; 0: no time known). Kept beside the entries, not in
 * them, and only in tables that show it (flowtab_keep_times).
 */
struct flow_time {
	uint64_t first;
	uint64_t last;
};

struct flowtab {
	uint32_t max_flows;	/* the bound; lowered to nflows when growth fails */
	uint32_t nflows;
	uint32_t cap;		/* entries (and per-flow arrays) allocated; doubles with the index */
	bool out_of_memory;	/* growth failed: flows past nflows fold into (other) */
	uint16_t unnamed_id;	/* 1 + the id counting traps whose names found no memory, or 0 */
	uint32_t mask;
	/* Open addressing, linear probing. 0: empty slot; else the entry
	 * number + 1 in the low bits (id_mask) and, above them, as many bits
	 * of the key's hash as are left over, so most probes that miss never
	 * touch an entry.
	 */
	uint32_t *index;
	uint32_t id_mask;
	uint64_t secret[12];	/* keys the hash: flows cannot be crafted to collide */
	struct flow_entry *entries;
	struct trap_stat *traps;
	uint32_t ntraps;
	uint16_t *trap_index;	/* name hash -> trap id + 1 */
	/* The names seen last, by origin and first bytes -> trap id + 1: a
	 * hit costs one strcmp, with no strlen or hash.
	 */
	uint16_t trap_cache[64];
	uint64_t folded;	/* alerts folded into (other) rows */
	/* Only in a marked table (flowtab_init_marked); else NULL. */
	struct flow_mark *flow_marks;	/* per entry; entries past nflows stay 0 */
	struct trap_mark *trap_marks;	/* per trap id */
	uint64_t folded_mark;
	/* Only after flowtab_keep_times(); else NULL. */
	struct flow_time *times;	/* per entry */
	uint64_t *first_mark;		/* marked tables: first seen since the mark, 0: not yet */
};

/* A table read whole (since start) or since its last mark (this interval). */
struct flowtab_view {
	const struct flowtab *ft;
	bool since_mark;
};

int flowtab_init(struct flowtab *ft, uint32_t max_flows);

/* The same, with marks: the table is never reset, flowtab_mark() starts a
 * new interval, and views with since_mark read the counts since then.
 * Costs 16 bytes per flow more, grown with the entries.
 */
int flowtab_init_marked(struct flowtab *ft, uint32_t max_flows);
void flowtab_fini(struct flowtab *ft);

/* Intern (origin, name); group is recorded when first known. Returns the
 * trap id, or the id of "(other traps)" when FLOWTAB_MAX_TRAPS is reached,
 * or -1 on allocation failure.
 */
int flowtab_trap_id(struct flowtab *ft, uint8_t origin, const char *name, const char *group);

/* The same, for a name whose length is known: name[len] is a NUL (it may
 * end sooner, at a NUL inside; such a name is found the slow way).
 */
int flowtab_trap_id_len(struct flowtab *ft, uint8_t origin, const char *name, size_t len,
			const char *group);

/* Also keep each flow's first and last time: 16 bytes per flow, and 8 more
 * in a marked table (the first time since the mark). Call right after init.
 */
int flowtab_keep_times(struct flowtab *ft);

/* Count one alert of bytes under key (key->trap_id must be valid), seen at
 * time_ns (0: unknown; kept only with flowtab_keep_times).
 */
void flowtab_add_at(struct flowtab *ft, const struct agg_key *key, uint64_t bytes,
		    uint64_t time_ns);

static inline void flowtab_add(struct flowtab *ft, const struct agg_key *key, uint64_t bytes)
{
	flowtab_add_at(ft, key, bytes, 0);
}

/* Count packets known only per trap (summary mode, devlink statistics). */
void flowtab_add_bare(struct flowtab *ft, uint16_t trap_id, uint64_t packets, uint64_t bytes);

/* Forget all flows and counts; keep interned trap names. */
void flowtab_reset(struct flowtab *ft);

/* Remember every count as it is now (a marked table only). */
void flowtab_mark(struct flowtab *ft);

/* Counts as the view sees them: whole, or since the last mark. */
void flowtab_view_flow(const struct flowtab_view *v, uint32_t i, uint64_t *packets,
		       uint64_t *bytes);
void flowtab_view_trap(const struct flowtab_view *v, uint32_t id, struct trap_mark *out);
uint64_t flowtab_view_folded(const struct flowtab_view *v);

/* Flow i's first and last time as the view sees them (0, 0 without times). */
void flowtab_view_times(const struct flowtab_view *v, uint32_t i, uint64_t *first,
			uint64_t *last);

/* Bytes a flow costs a table at most: its entry, the index at its largest
 * (it doubles when half full: under 4 slots a flow), and the marks and
 * times such a table keeps. What a memory limit's bound divides by (cgmem).
 */
static inline size_t flowtab_flow_bytes(bool marked, bool times)
{
	size_t n = sizeof(struct flow_entry) + 4 * sizeof(uint32_t);

	if (marked)
		n += sizeof(struct flow_mark);
	if (times)
		n += sizeof(struct flow_time) + (marked ? sizeof(uint64_t) : 0);
	return n;
}

/* The key's hash, unseeded (each table seeds its own). */
uint32_t flowtab_hash(const struct agg_key *key);

#endif
