/* flowtab_names: trap names interned to small ids, for flowtab.
 *
 * An alert's name is looked up in a cache by its origin, length and both ends,
 * and checked by length and a few word compares (an alert's name comes
 * with its attribute's length: no strcmp() call). A miss hashes the name a
 * word at a time into an open-addressing index, comparing length and hash
 * before any byte. A name that finds no memory counts under one fixed
 * name; past FLOWTAB_MAX_TRAPS, names share "(other traps)".
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "flowtab.h"
#include "flowtab_priv.h"

/* The entry that counts drops of traps whose names found no memory. */
static char unnamed_trap_name[] = "(trap name: out of memory)";

void flowtab_free_names(struct flowtab *ft)
{
	uint32_t i;

	if (!ft->traps)
		return;
	for (i = 0; i < ft->ntraps; i++) {
		if (ft->traps[i].name != unnamed_trap_name)
			free(ft->traps[i].name);
		free(ft->traps[i].group);
	}
}

static inline uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 29);
}

/* Eight bytes at a time; the tail is one overlapping load (or two for
 * short names), so nothing past the NUL is read.
 */
static uint32_t name_hash(uint8_t origin, const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)origin << 56) ^ len;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		h = mix(h, load_u64(s + i));
	if (i < len) {
		if (len >= 8)
			h = mix(h, load_u64(s + len - 8));
		else if (len >= 4)
			h = mix(h, (uint64_t)load_u32(s) << 32 | load_u32(s + len - 4));
		else
			h = mix(h, (uint64_t)(uint8_t)s[0] << 16 | (uint64_t)(uint8_t)s[len / 2] << 8 |
				(uint8_t)s[len - 1]);
	}
	return (uint32_t)(h ^ (h >> 32));
}

#define TRAP_CACHE_SIZE (sizeof(((struct flowtab *)0)->trap_cache) / sizeof(uint16_t))
_Static_assert(TRAP_CACHE_SIZE == 64, "flowtab_cache_slot() keeps the hash's top 6 bits");

void flowtab_note_group(struct trap_stat *t, const char *group)
{
	if (!t->group && group)
		t->group = strdup(group);
}

/* No memory for a new trap's name (ulimit -v): its drops count under one
 * fixed name, totals exact; the name is not indexed, so it is tried again.
 */
static int __attribute__((cold)) unnamed_trap(struct flowtab *ft, uint8_t origin)
{
	struct trap_stat *t;

	if (ft->unnamed_id)
		return ft->unnamed_id - 1;
	t = &ft->traps[ft->ntraps];
	t->name = unnamed_trap_name;
	t->group = NULL;
	t->origin = origin;
	t->type = TRAP_TYPE_UNKNOWN;
	t->name_len = (uint32_t)strlen(unnamed_trap_name);
	t->name_hash = name_hash(origin, unnamed_trap_name, t->name_len);
	ft->unnamed_id = (uint16_t)++ft->ntraps;
	return ft->ntraps - 1;
}

/* Not in the cache: the index, then a new entry. */
int flowtab_trap_id_miss(struct flowtab *ft, uint8_t origin, const char *name, const char *group,
			 uint32_t cslot)
{
	size_t len = strlen(name);
	uint32_t hash = name_hash(origin, name, len), slot;
	struct trap_stat *t;

	for (slot = hash & (TRAP_INDEX_SIZE - 1);; slot = (slot + 1) & (TRAP_INDEX_SIZE - 1)) {
		uint16_t id = ft->trap_index[slot];

		if (!id)
			break;
		t = &ft->traps[id - 1];
		if (t->name_hash == hash && t->name_len == len && t->origin == origin &&
		    memcmp(t->name, name, len) == 0) {
			flowtab_note_group(t, group);
			ft->trap_cache[cslot] = id;
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
	if (!t->name)
		return unnamed_trap(ft, origin);
	t->group = group ? strdup(group) : NULL;	/* NULL: flowtab_note_group() tries again */
	t->origin = origin;
	t->type = TRAP_TYPE_UNKNOWN;
	/* What a lookup compares: the stored name's, which "(other traps)"
	 * makes differ from the one asked for, so that name keeps landing on
	 * the bound above.
	 */
	t->name_len = (uint32_t)strlen(t->name);
	t->name_hash = name_hash(origin, t->name, t->name_len);
	ft->trap_index[slot] = (uint16_t)(++ft->ntraps);
	if (strcmp(t->name, name) == 0)
		ft->trap_cache[cslot] = (uint16_t)ft->ntraps;
	return ft->ntraps - 1;
}

int flowtab_trap_id(struct flowtab *ft, uint8_t origin, const char *name, const char *group)
{
	return flowtab_trap_id_len(ft, origin, name, strlen(name), group);
}

