/* flowtab: bounded <trap, flow> aggregation.
 *
 * Per alert: one keyed hash of the 88-byte key (six 64x64->128 multiplies),
 * one index probe that usually settles on the hash bits kept in the slot,
 * one key compare, two counter updates. A run of one flow's alerts skips
 * the hash (the fast path). In a deferred table (the session's) the probe
 * waits for the next alert, while its slot comes into the cache. Trap
 * names are interned in flowtab_names.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "flowtab.h"
#include "flowtab_priv.h"

_Static_assert(sizeof(struct agg_key) == 88, "agg_key is hashed and compared as 11 words");
_Static_assert(sizeof(struct flow_entry) == 104, "flow_entry: key and two counters");

#define KEY_WORDS (sizeof(struct agg_key) / 8)
#define SECRET_WORDS (KEY_WORDS + 1)
#define INDEX_START 4096	/* slots of a new table's index (16 KiB) */

_Static_assert(SECRET_WORDS == sizeof(((struct flowtab *)0)->secret) / 8, "secret size");

/* The flow hash's constants; each table xors in its own random ones. */
static const uint64_t unseeded[SECRET_WORDS] = {
	0xa0761d6478bd642full, 0xe7037ed1a0b428dbull, 0x8ebc6af09c88c6e3ull,
	0x589965cc75374cc3ull, 0x1d8e4e27c47d124full, 0x9e3779b97f4a7c15ull,
	0xbf58476d1ce4e5b9ull, 0x94d049bb133111ebull, 0xd6e8feb86659fd93ull,
	0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull, 0x27d4eb2f165667c5ull,
};

static uint32_t pow2_at_least(uint64_t n)
{
	uint32_t p = 16;

	while (p < n && p < (1u << 31))
		p <<= 1;
	return p;
}

static uint64_t new_seed(const void *salt)
{
	uint64_t s = 0;
	struct timespec ts;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) == (ssize_t)sizeof(s))
		return s;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)(uintptr_t)salt ^ (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^
	       (uint64_t)ts.tv_sec;
}

int flowtab_init(struct flowtab *ft, uint32_t max_flows)
{
	uint32_t bits = 1;
	uint64_t seed;
	size_t i;

	memset(ft, 0, sizeof(*ft));
	if (max_flows == 0)
		max_flows = 1;
	ft->max_flows = max_flows;
	/* Load factor at most 1/2 keeps probes short. The index starts
	 * small and doubles as flows arrive (grow): a few thousand flows
	 * probe a few cache-resident pages, not a bound's worth.
	 */
	ft->mask = pow2_at_least((uint64_t)max_flows * 2) - 1;
	if (ft->mask > INDEX_START - 1)
		ft->mask = INDEX_START - 1;
	/* Entry numbers 1..max_flows take the low bits of a slot. */
	while (bits < 32 && (1ull << bits) <= max_flows)
		bits++;
	ft->id_mask = (uint32_t)((1ull << bits) - 1);
	seed = new_seed(ft);
	for (i = 0; i < SECRET_WORDS; i++) {
		/* splitmix64 */
		uint64_t z = (seed += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		ft->secret[i] = unseeded[i] ^ z ^ (z >> 31);
	}
	/* Entries grow with the index (grow): the address space tracks the
	 * flows seen, so a limit on it (ulimit -v) stops the table where it
	 * is, not at start.
	 */
	ft->cap = max_flows < (ft->mask + 1) / 2 ? max_flows : (ft->mask + 1) / 2;
	ft->index = calloc((size_t)ft->mask + 1, sizeof(*ft->index));
	ft->entries = malloc((size_t)ft->cap * sizeof(*ft->entries));
	ft->traps = calloc(FLOWTAB_MAX_TRAPS, sizeof(*ft->traps));
	ft->trap_index = calloc(TRAP_INDEX_SIZE, sizeof(*ft->trap_index));
	if (!ft->index || !ft->entries || !ft->traps || !ft->trap_index) {
		flowtab_fini(ft);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void flowtab_fini(struct flowtab *ft)
{
	flowtab_free_names(ft);
	free(ft->traps);
	free(ft->flow_marks);
	free(ft->times);
	free(ft->first_mark);
	free(ft->trap_marks);
	free(ft->trap_index);
	free(ft->entries);
	free(ft->index);
	memset(ft, 0, sizeof(*ft));
}

/* Flows ---------------------------------------------------------------------- */

/* 64x64->128 multiply, folded: the two halves' xor. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* Keyed: every word is xored with its own secret before it is multiplied,
 * so nobody can choose words that cancel a product. Words are paired: five
 * independent products, summed, and a last one over the odd word.
 */
static inline uint64_t key_hash(const struct agg_key *key, const uint64_t *k)
{
	const unsigned char *p = (const unsigned char *)key;
	uint64_t h = 0;
	size_t i;

#pragma GCC unroll 8
	for (i = 0; i + 1 < KEY_WORDS; i += 2)
		h += mum(load_u64(p + i * 8) ^ k[i], load_u64(p + i * 8 + 8) ^ k[i + 1]);
	return mum(h ^ load_u64(p + (KEY_WORDS - 1) * 8) ^ k[KEY_WORDS - 1], k[KEY_WORDS]);
}

static inline int key_eq(const struct agg_key *a, const struct agg_key *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
#ifdef __SSE2__
	/* 5 x 16 bytes and the last 8: a dozen vector instructions. */
	__m128i d = _mm_setzero_si128();
	size_t i;

#pragma GCC unroll 8
	for (i = 0; i + 16 <= sizeof(*a); i += 16)
		d = _mm_or_si128(d, _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(x + i)),
						  _mm_loadu_si128((const __m128i *)(const void *)(y + i))));
	d = _mm_or_si128(d, _mm_xor_si128(_mm_loadl_epi64((const __m128i *)(const void *)(x + i)),
					  _mm_loadl_epi64((const __m128i *)(const void *)(y + i))));
	return _mm_movemask_epi8(_mm_cmpeq_epi8(d, _mm_setzero_si128())) == 0xffff;
#else
	uint64_t d = 0;
	size_t i;

#pragma GCC unroll 16
	for (i = 0; i < KEY_WORDS; i++)
		d |= load_u64(x + i * 8) ^ load_u64(y + i * 8);
	return d == 0;
#endif
}

uint32_t flowtab_hash(const struct agg_key *key)
{
	return (uint32_t)key_hash(key, unseeded);
}

/* Flow i's slot for hash: the first empty one from its home. */
static inline uint32_t *free_slot(const struct flowtab *ft, uint64_t hash)
{
	uint32_t slot = (uint32_t)hash & ft->mask;

	while (ft->index[slot])
		slot = (slot + 1) & ft->mask;
	return &ft->index[slot];
}

/* A per-flow array of n, grown to m with zeros after n: calloc, so that
 * large arrays come as fresh pages that cost nothing until touched.
 */
static int grow_zeroed(void *pp, size_t size, uint32_t n, uint32_t m)
{
	void **p = pp, *q;

	if (!*p)
		return 0;
	q = calloc(m, size);
	if (!q)
		return -1;
	memcpy(q, *p, (size_t)n * size);
	free(*p);
	*p = q;
	return 0;
}

/* Entries full: twice the entries and the index's slots (kept at most
 * half full), every flow placed again. Out of memory, the table takes no
 * more flows (they fold into "(other)", counts stay exact) and says so in
 * out_of_memory. realloc moves large entry arrays by remapping pages, not
 * by copying them.
 */
static void __attribute__((noinline)) grow(struct flowtab *ft)
{
	uint32_t *old = ft->index, i, mask = ft->mask * 2 + 1;
	uint32_t cap = ft->max_flows < (mask + 1) / 2 ? ft->max_flows : (mask + 1) / 2;
	struct flow_entry *e = realloc(ft->entries, (size_t)cap * sizeof(*e));
	uint32_t *index;

	if (e)
		ft->entries = e;
	index = e ? calloc((size_t)mask + 1, sizeof(*index)) : NULL;
	if (!index || grow_zeroed(&ft->flow_marks, sizeof(*ft->flow_marks), ft->cap, cap) < 0 ||
	    grow_zeroed(&ft->times, sizeof(*ft->times), ft->cap, cap) < 0 ||
	    grow_zeroed(&ft->first_mark, sizeof(*ft->first_mark), ft->cap, cap) < 0) {
		free(index);
		ft->max_flows = ft->nflows;
		ft->out_of_memory = true;
		return;
	}
	ft->index = index;
	ft->mask = mask;
	ft->cap = cap;
	for (i = 0; i < ft->nflows; i++) {
		uint64_t hash = key_hash(&ft->entries[i].key, ft->secret);

		*free_slot(ft, hash) = ((uint32_t)(hash >> 32) & ~ft->id_mask) | (i + 1);
	}
	free(old);
}

/* Alerts from several CPUs arrive a little out of order: min and max. */
static void __attribute__((noinline)) note_time(struct flowtab *ft, uint32_t i, uint64_t t)
{
	struct flow_time *ti = &ft->times[i];

	if (!t)
		return;
	if (!ti->first || t < ti->first)
		ti->first = t;
	if (t > ti->last)
		ti->last = t;
	if (ft->first_mark && (!ft->first_mark[i] || t < ft->first_mark[i]))
		ft->first_mark[i] = t;
}

/* Two words where flows differ most, the source address's first and the
 * ports: most keys that differ do so there, for a few instructions.
 */
static inline bool quick_differ(const struct agg_key *a, const struct agg_key *b)
{
	const size_t ports = offsetof(struct agg_key, flow.sport);

	return ((load_u64(a) ^ load_u64(b)) |
		(load_u64((const char *)a + ports) ^ load_u64((const char *)b + ports))) != 0;
}

/* The probe and, for a new flow, an entry, for a key already hashed:
 * flowtab_add_at() past its fast path.
 */
static inline __attribute__((always_inline)) void
add_hashed(struct flowtab *ft, struct trap_stat *t, const struct agg_key *key, uint64_t bytes,
	   uint64_t time_ns, uint64_t hash)
{
	uint32_t slot = (uint32_t)hash & ft->mask;
	uint32_t tag = (uint32_t)(hash >> 32) & ~ft->id_mask;
	struct flow_entry *e;

	for (;; slot = (slot + 1) & ft->mask) {
		uint32_t v = ft->index[slot];

		if (!v)
			break;
		if ((v & ~ft->id_mask) != tag)
			continue;
		e = &ft->entries[(v & ft->id_mask) - 1];
		if (key_eq(&e->key, key)) {
			e->packets++;
			e->bytes += bytes;
			ft->last_repeated = ft->last == (v & ft->id_mask) - 1;
			ft->last = (v & ft->id_mask) - 1;
			if (ft->times)
				note_time(ft, ft->last, time_ns);
			return;
		}
	}
	if (ft->nflows == ft->max_flows) {
		t->other_packets++;
		t->other_bytes += bytes;
		ft->folded++;
		return;
	}
	e = &ft->entries[ft->nflows];
	e->key = *key;
	e->packets = 1;
	e->bytes = bytes;
	ft->last = ft->nflows;
	ft->last_repeated = false;
	if (ft->times)
		note_time(ft, ft->nflows, time_ns);
	ft->index[slot] = tag | ++ft->nflows;
	if (ft->nflows == ft->cap && ft->cap < ft->max_flows)
		grow(ft);
}

/* Apart from flowtab_add_at(), so that its fast path saves no registers. */
static void __attribute__((noinline)) add_by_hash(struct flowtab *ft, struct trap_stat *t,
						   const struct agg_key *key, uint64_t bytes,
						   uint64_t time_ns)
{
	add_hashed(ft, t, key, bytes, time_ns, key_hash(key, ft->secret));
}

/* Inlined in add_deferred(), the alert path, saving a call an alert;
 * flowtab_settle() keeps its own copy.
 */
static inline __attribute__((always_inline)) void settle(struct flowtab *ft)
{
	struct flow_pending *p = &ft->pend;

	add_hashed(ft, &ft->traps[p->key.trap_id], &p->key, p->bytes, p->time_ns, p->hash);
}

/* The alert before, whose slot was fetched then, is counted; this one
 * waits with its slot on the way.
 */
static void __attribute__((noinline)) add_deferred(struct flowtab *ft, const struct agg_key *key,
						   uint64_t bytes, uint64_t time_ns)
{
	uint64_t hash = key_hash(key, ft->secret);

	__builtin_prefetch(&ft->index[(uint32_t)hash & ft->mask]);
	if (ft->pending)
		settle(ft);
	ft->pend.key = *key;
	ft->pend.bytes = bytes;
	ft->pend.time_ns = time_ns;
	ft->pend.hash = hash;
	ft->pending = true;
}

void flowtab_settle(struct flowtab *ft)
{
	if (ft->pending) {
		ft->pending = false;
		settle(ft);
	}
}

void flowtab_add_at(struct flowtab *ft, const struct agg_key *key, uint64_t bytes,
		    uint64_t time_ns)
{
	struct trap_stat *t = &ft->traps[key->trap_id];
	struct flow_entry *e = &ft->entries[ft->last];

	t->packets++;
	t->bytes += bytes;
	/* A flood is one flow's packets: once two alerts in a row went to
	 * one entry, it is tried before the hash. Entries never move and keys
	 * are unique, so an equal key there is the flow's entry.
	 */
	if (ft->last_repeated && ft->last < ft->nflows && !quick_differ(&e->key, key) &&
	    key_eq(&e->key, key)) {
		e->packets++;
		e->bytes += bytes;
		if (ft->times)
			note_time(ft, ft->last, time_ns);
		return;
	}
	if (ft->defer)
		add_deferred(ft, key, bytes, time_ns);
	else
		add_by_hash(ft, t, key, bytes, time_ns);
}

void flowtab_add_bare(struct flowtab *ft, uint16_t trap_id, uint64_t packets, uint64_t bytes)
{
	struct trap_stat *t = &ft->traps[trap_id];

	t->packets += packets;
	t->bytes += bytes;
	t->bare_packets += packets;
	t->bare_bytes += bytes;
}

void flowtab_reset(struct flowtab *ft)
{
	uint32_t i;

	ft->pending = false;	/* forgotten with the rest */
	if (ft->flow_marks) {
		memset(ft->flow_marks, 0, (size_t)ft->nflows * sizeof(*ft->flow_marks));
		memset(ft->trap_marks, 0, FLOWTAB_MAX_TRAPS * sizeof(*ft->trap_marks));
		ft->folded_mark = 0;
	}
	if (ft->times)
		memset(ft->times, 0, (size_t)ft->nflows * sizeof(*ft->times));
	if (ft->first_mark)
		memset(ft->first_mark, 0, (size_t)ft->nflows * sizeof(*ft->first_mark));
	memset(ft->index, 0, ((size_t)ft->mask + 1) * sizeof(*ft->index));
	ft->nflows = 0;
	ft->folded = 0;
	for (i = 0; i < ft->ntraps; i++) {
		struct trap_stat *t = &ft->traps[i];

		t->packets = t->bytes = t->other_packets = t->other_bytes = 0;
		t->bare_packets = t->bare_bytes = 0;
	}
}

/* Marks -------------------------------------------------------------------- */

int flowtab_init_marked(struct flowtab *ft, uint32_t max_flows)
{
	if (flowtab_init(ft, max_flows) < 0)
		return -1;
	ft->flow_marks = calloc(ft->cap, sizeof(*ft->flow_marks));
	ft->trap_marks = calloc(FLOWTAB_MAX_TRAPS, sizeof(*ft->trap_marks));
	if (!ft->flow_marks || !ft->trap_marks) {
		flowtab_fini(ft);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int flowtab_keep_times(struct flowtab *ft)
{
	ft->times = calloc(ft->cap, sizeof(*ft->times));
	if (ft->times && ft->flow_marks)
		ft->first_mark = calloc(ft->cap, sizeof(*ft->first_mark));
	if (!ft->times || (ft->flow_marks && !ft->first_mark)) {
		free(ft->times);
		ft->times = NULL;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

static void trap_counts(const struct trap_stat *t, struct trap_mark *c)
{
	*c = (struct trap_mark){
		.packets = t->packets, .bytes = t->bytes,
		.other_packets = t->other_packets, .other_bytes = t->other_bytes,
		.bare_packets = t->bare_packets, .bare_bytes = t->bare_bytes,
	};
}

void flowtab_mark(struct flowtab *ft)
{
	uint32_t i;

	flowtab_settle(ft);
	if (!ft->flow_marks)
		return;
	for (i = 0; i < ft->nflows; i++)
		ft->flow_marks[i] = (struct flow_mark){ ft->entries[i].packets, ft->entries[i].bytes };
	for (i = 0; i < ft->ntraps; i++)
		trap_counts(&ft->traps[i], &ft->trap_marks[i]);
	ft->folded_mark = ft->folded;
	if (ft->first_mark)
		memset(ft->first_mark, 0, (size_t)ft->nflows * sizeof(*ft->first_mark));
}

static bool view_marked(const struct flowtab_view *v)
{
	return v->since_mark && v->ft->flow_marks;
}

void flowtab_view_flow(const struct flowtab_view *v, uint32_t i, uint64_t *packets,
		       uint64_t *bytes)
{
	const struct flow_entry *e = &v->ft->entries[i];

	*packets = e->packets;
	*bytes = e->bytes;
	if (view_marked(v)) {
		*packets -= v->ft->flow_marks[i].packets;
		*bytes -= v->ft->flow_marks[i].bytes;
	}
}

void flowtab_view_trap(const struct flowtab_view *v, uint32_t id, struct trap_mark *out)
{
	const struct trap_mark *m;

	trap_counts(&v->ft->traps[id], out);
	if (!view_marked(v))
		return;
	m = &v->ft->trap_marks[id];
	out->packets -= m->packets;
	out->bytes -= m->bytes;
	out->other_packets -= m->other_packets;
	out->other_bytes -= m->other_bytes;
	out->bare_packets -= m->bare_packets;
	out->bare_bytes -= m->bare_bytes;
}

uint64_t flowtab_view_folded(const struct flowtab_view *v)
{
	return v->ft->folded - (view_marked(v) ? v->ft->folded_mark : 0);
}

void flowtab_view_times(const struct flowtab_view *v, uint32_t i, uint64_t *first,
			uint64_t *last)
{
	const struct flowtab *ft = v->ft;

	*first = *last = 0;
	if (!ft->times)
		return;
	*first = view_marked(v) && ft->first_mark ? ft->first_mark[i] : ft->times[i].first;
	*last = ft->times[i].last;
}
