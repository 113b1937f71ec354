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
#include <string.h>

#include "dissect.h"
#include "unaligned.h"

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
	uint32_t last;		/* the entry the last alert went to, if below nflows */
	bool last_repeated;	/* and the one before went there too */
	/* flowtab_defer(): an alert past the fast path waits in pend for the
	 * next one, while its index slot is fetched into the cache.
	 */
	bool defer, pending;
	struct flow_pending {
		struct agg_key key;
		uint64_t bytes, time_ns, hash;
	} pend;
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

/* The trap cache's slot of a name of len bytes (name[len] readable): its
 * origin, length, and first and last eight bytes (or fewer), so that names
 * alike at both ends but for a digit ("ipv4_lpm_miss", "ipv6_lpm_miss")
 * rarely share a slot; no byte past name[len] is read.
 */
static inline uint32_t flowtab_cache_slot(uint8_t origin, const char *name, size_t len)
{
	uint64_t h = (uint64_t)origin << 56 ^ len;

	if (len >= 8)
		h ^= load_u64(name) ^ load_u64(name + len - 8) * 0x9e3779b97f4a7c15ull;
	else if (len >= 4)
		h ^= (uint64_t)load_u32(name) << 32 ^ load_u32(name + len - 4);
	else
		h ^= (uint64_t)(uint8_t)name[0] << 24 ^ (uint64_t)(uint8_t)name[len / 2] << 16 ^
		     (uint64_t)(uint8_t)name[len ? len - 1 : 0] << 8;
	h *= 0xff51afd7ed558ccdull;
	return (uint32_t)(h >> 58);
}

/* len bytes of two names, each with len + 1 readable (the NUL): words,
 * the last one overlapping, in place of a call to strcmp().
 */
static inline bool flowtab_same_name(const char *a, const char *b, size_t len)
{
	size_t i;

	if (len >= 8) {
		for (i = 0; i + 8 < len; i += 8)
			if (load_u64(a + i) != load_u64(b + i))
				return false;
		return load_u64(a + len - 8) == load_u64(b + len - 8);
	}
	if (len >= 4)
		return load_u32(a) == load_u32(b) &&
		       load_u32(a + len - 4) == load_u32(b + len - 4);
	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* flowtab_trap_id_len() past its cache: the index, then a new entry; and
 * a cached trap's group, first known now.
 */
int flowtab_trap_id_miss(struct flowtab *ft, uint8_t origin, const char *name, const char *group,
			 uint32_t cslot);
void flowtab_note_group(struct trap_stat *t, const char *group);

/* The same as flowtab_trap_id(), for a name whose length is known:
 * name[len] is a NUL (it may end sooner, at a NUL inside; such a name is
 * found the slow way). Inline: every alert's name is a hit in the cache,
 * but the first.
 */
static inline __attribute__((always_inline)) int
flowtab_trap_id_len(struct flowtab *ft, uint8_t origin, const char *name, size_t len,
		    const char *group)
{
	uint32_t cslot = flowtab_cache_slot(origin, name, len);
	uint16_t cached = ft->trap_cache[cslot];

	if (cached) {
		struct trap_stat *t = &ft->traps[cached - 1];

		if (t->origin == origin && t->name_len == len && flowtab_same_name(t->name, name, len)) {
			if (__builtin_expect(!t->group && group, 0))
				flowtab_note_group(t, group);
			return cached - 1;
		}
	}
	return flowtab_trap_id_miss(ft, origin, name, group, cslot);
}

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

/* From here on, an alert that misses the fast path is hashed, its index
 * slot fetched, and its flow counted at the next such alert or at
 * flowtab_settle(): the slot's cache miss overlaps the next alert's work
 * (bench/RESULTS.md, session 14: replay about 8% less CPU). Per-trap counts
 * stay immediate. Whoever reads flows, nflows, folded or out_of_memory
 * settles first; flowtab_mark() settles, flowtab_reset() forgets the alert
 * waiting with the rest.
 */
static inline void flowtab_defer(struct flowtab *ft)
{
	ft->defer = true;
}

/* Count the alert waiting, if any: the table is then exact. */
void flowtab_settle(struct flowtab *ft);

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
