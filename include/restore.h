/* restore: journals of dead trapmons: --restore, and the check every run
 * makes before it changes anything.
 */
#ifndef TRAPMON_RESTORE_H
#define TRAPMON_RESTORE_H

#include <stdbool.h>

#include "errmsg.h"

/* --restore: undo what each dead trapmon journaled; with force also stop
 * drop monitoring that nobody journaled. 0, or -1 with e set.
 */
int restore_run(bool force, struct errmsg *e);

/* Warn about a dead trapmon's journal; with want_changes refuse (-1, e set),
 * since new changes stacked on it could not be undone in order.
 */
int restore_check_stale(bool want_changes, struct errmsg *e);

#endif
