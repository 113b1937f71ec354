/* flowtab's private parts, shared by flowtab.c (flows) and flowtab_names.c
 * (trap names).
 */
#ifndef TRAPMON_FLOWTAB_PRIV_H
#define TRAPMON_FLOWTAB_PRIV_H

#include <stdint.h>
#include <string.h>

#include "flowtab.h"

#define TRAP_INDEX_SIZE (FLOWTAB_MAX_TRAPS * 2)

/* The traps' names and groups freed (the table itself is flowtab_fini's). */
void flowtab_free_names(struct flowtab *ft);

#endif
