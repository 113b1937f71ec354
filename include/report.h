/* report: what reads the aggregate and writes it out, for the session: the
 * table (aligned text or JSON lines, through output) and node_exporter's
 * textfile, replaced atomically. Metrics text itself is metrics.c's.
 */
#ifndef TRAPMON_REPORT_H
#define TRAPMON_REPORT_H

#include <stdio.h>
#include <time.h>

#include "flowtab.h"
#include "output.h"

/* One table of the view with its Lost line, merged and ordered as oo says,
 * stamped at (NULL: now). 0; 1 when, out of memory for the flows' rows,
 * it printed each trap's totals only; -1 when even that failed.
 */
int report_table(FILE *fp, const struct flowtab_view *view, const struct out_loss *loss,
		 const struct out_opts *oo, const struct timespec *at);

/* Write render's output to PATH.PID.tmp and rename it over path, so a
 * reader never sees half a file. -1 with errno set on failure.
 */
int report_textfile(const char *path, int (*render)(FILE *fp, void *arg), void *arg);

#endif
