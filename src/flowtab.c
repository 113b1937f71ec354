/* flowtab: bounded <trap, flow> aggregation with interned trap names. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flowtab.h"

_Static_assert(sizeof(struct agg_key) % 8 == 0, "agg_key is hashed as 64-bit words");

#define TRAP_INDEX_SIZE (FLOWTAB_MAX_TRAPS * 2)

static uint32_t pow2_at_least(uint64_t n)
{
	uint32_t p = 16;

	while (p < n && p < (1u << 31))
		p <<= 1;
	return p;
}

int flowtab_init(struct flowtab *ft, uint32_t max_flows)
{
	memset(ft, 0, sizeof(*ft));
	if (max_flows == 0)
		max_flows = 1;
	ft->max_flows = max_flows;
	/* Load factor at most 1/2 keeps probes short. */
	ft->mask = pow2_at_least((uint64_t)max_flows * 2) - 1;
	ft->index = calloc((size_t)ft->mask + 1, sizeof(*ft->index));
	ft->entries = malloc((size_t)max_flows * sizeof(*ft->entries));
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
	uint32_t i;

	if (ft->traps)
		for (i = 0; i < ft->ntraps; i++) {
			free(ft->traps[i].name);
			free(ft->traps[i].group);
		}
	free(ft->traps);
	free(ft->trap_index);
	free(ft->entries);
	free(ft->index);
	memset(ft, 0, sizeof(*ft));
}

static uint32_t str_hash(uint8_t origin, const char *s)
{
	uint32_t h = 2166136261u ^ origin;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

int flowtab_trap_id(struct flowtab *ft, uint8_t origin, const char *name, const char *group)
{
	uint32_t slot = str_hash(origin, name) & (TRAP_INDEX_SIZE - 1);
	struct trap_stat *t;

	for (;; slot = (slot + 1) & (TRAP_INDEX_SIZE - 1)) {
		uint16_t id = ft->trap_index[slot];

		if (!id)
			break;
		t = &ft->traps[id - 1];
		if (t->origin == origin && strcmp(t->name, name) == 0) {
			if (!t->group && group)
				t->group = strdup(group);
			return id - 1;
		}
	}
	/* The last id is kept for everything past the bound. */
	if (ft->ntraps == FLOWTAB_MAX_TRAPS)
		return FLOWTAB_MAX_TRAPS - 1;
	if (ft->ntraps == FLOWTAB_MAX_TRAPS - 1) {
		name = "(other traps)";
		group = NULL;
	}
	t = &ft->traps[ft->ntraps];
	t->name = strdup(name);
	t->group = group ? strdup(group) : NULL;
	if (!t->name || (group && !t->group)) {
		free(t->name);
		free(t->group);
		t->name = t->group = NULL;
		return -1;
	}
	t->origin = origin;
	t->type = TRAP_TYPE_UNKNOWN;
	ft->trap_index[slot] = (uint16_t)(++ft->ntraps);
	return ft->ntraps - 1;
}

uint32_t flowtab_hash(const struct agg_key *key)
{
	const unsigned char *p = (const unsigned char *)key;
	uint64_t h = 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = 0; i < sizeof(*key); i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	return (uint32_t)(h ^ (h >> 32));
}

void flowtab_add(struct flowtab *ft, const struct agg_key *key, uint64_t bytes)
{
	struct trap_stat *t = &ft->traps[key->trap_id];
	uint32_t hash = flowtab_hash(key);
	uint32_t slot = hash & ft->mask;
	struct flow_entry *e;

	t->packets++;
	t->bytes += bytes;
	for (;; slot = (slot + 1) & ft->mask) {
		uint32_t idx = ft->index[slot];

		if (!idx)
			break;
		e = &ft->entries[idx - 1];
		if (e->hash == hash && memcmp(&e->key, key, sizeof(*key)) == 0) {
			e->packets++;
			e->bytes += bytes;
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
	e->hash = hash;
	e->pad = 0;
	ft->index[slot] = ++ft->nflows;
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

	memset(ft->index, 0, ((size_t)ft->mask + 1) * sizeof(*ft->index));
	ft->nflows = 0;
	ft->folded = 0;
	for (i = 0; i < ft->ntraps; i++) {
		struct trap_stat *t = &ft->traps[i];

		t->packets = t->bytes = t->other_packets = t->other_bytes = 0;
		t->bare_packets = t->bare_bytes = 0;
	}
}
