/* traplist: --list of devlink traps, groups and policers, as an aligned
 * table or JSON, with devlink's own counters.
 */
#ifndef TRAPMON_TRAPLIST_H
#define TRAPMON_TRAPLIST_H

#include <stdbool.h>
#include <stdio.h>

#include "devlink.h"
#include "trapctl.h"

enum traplist_what {
	TRAPLIST_TRAPS,
	TRAPLIST_GROUPS,
	TRAPLIST_POLICERS,
};

/* Parse --list's argument ("traps", "groups", "policers"); -1 if unknown. */
int traplist_parse(const char *arg);

/* Dump and print; tc selects devices (--dev). Returns 0 or -1. */
int traplist_print(FILE *fp, struct devlink *dl, enum traplist_what what, bool json,
		   const struct trapctl *tc, struct errmsg *e);

#endif
