/* explain: --explain[=NAME,...], the guide's entries printed as text or
 * as one JSON array: all of them, or those named (traps, groups, drop
 * reasons; drop reasons in any case).
 */
#ifndef TRAPMON_EXPLAIN_H
#define TRAPMON_EXPLAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "errmsg.h"

/* -1 when a name of the comma-separated list has no entry, with the
 * closest names in e; list NULL means all and is always fine.
 */
int explain_check(const char *list, struct errmsg *e);

/* Print the entries list names (NULL: all). -1 when out of memory. */
int explain_print(FILE *fp, const char *list, bool json);

#endif
