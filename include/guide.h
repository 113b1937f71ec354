/* guide: trapmon's knowledge base of drops, compiled in: for every generic
 * devlink trap and trap group and every software drop reason of the
 * kernel, its type, a severity, what the device saw and what to check
 * first. The data is src/guide.def; this is its lookup. Pure.
 */
#ifndef TRAPMON_GUIDE_H
#define TRAPMON_GUIDE_H

#include <stddef.h>
#include <stdint.h>

enum guide_kind {
	GUIDE_KIND_TRAP,
	GUIDE_KIND_GROUP,
	GUIDE_KIND_REASON,	/* software drop reason, as NET_DM names it (NO_SOCKET) */
};

/* The rule behind each is in trapmon(8) and src/guide.def. */
enum guide_severity {
	GUIDE_SEV_ERROR,
	GUIDE_SEV_WARNING,
	GUIDE_SEV_NOTICE,
};

#define GUIDE_NAME_MAX 40

struct guide_entry {
	char name[GUIDE_NAME_MAX];	/* inline, so name lists can be walked by stride */
	uint8_t kind;			/* enum guide_kind */
	uint8_t type;			/* DEVLINK_TRAP_TYPE_*; drop for drop reasons */
	uint8_t severity;		/* enum guide_severity */
	const char *saw;		/* one line: what the device (or kernel) saw */
	const char *check;		/* one line: what to check first */
};

/* Every entry, traps first, then groups, then drop reasons. */
const struct guide_entry *guide_entries(size_t *n);

/* The entry of that kind and exact name, or NULL. */
const struct guide_entry *guide_find(enum guide_kind kind, const char *name);

/* error, warning, notice. */
const char *guide_severity_name(uint8_t severity);

/* trap, group, reason. */
const char *guide_kind_name(uint8_t kind);

#endif
