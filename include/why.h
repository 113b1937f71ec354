/* why: what the guide says about a trap or drop reason as trapmon counted
 * it: the guide's entry, or, for names outside the guide (driver-specific
 * traps, software drops named by function), words built from what devlink
 * or the kernel did say. The --why legend under a table. Pure.
 */
#ifndef TRAPMON_WHY_H
#define TRAPMON_WHY_H

#include <stdio.h>

#include "flowtab.h"

struct why_info {
	const char *severity;		/* error, warning, notice; NULL when unknown */
	const char *description;	/* what the device (or kernel) saw */
	const char *check;		/* what to check first */
};

/* Fill w for t; buf (>= 256 bytes) holds words built for names outside
 * the guide, so w lives as long as buf and t.
 */
void why_of(const struct trap_stat *t, char *buf, size_t n, struct why_info *w);

/* The legend: one line per trap or reason with packets in the view, with
 * severity, meaning and what to check.
 */
void why_legend(FILE *fp, const struct flowtab_view *view);

#endif
