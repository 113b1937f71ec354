/* output: the aggregated table as aligned text or one JSON object per line.
 * Formatting only: rows come from the flow table and extra stats rows.
 */
#ifndef TRAPMON_OUTPUT_H
#define TRAPMON_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "bykey.h"
#include "flowtab.h"

struct out_row {
	const struct trap_stat *trap;
	const struct agg_key *key;	/* NULL: no flow known, columns print "-" */
	bool other;			/* the trap's "(other)" row of folded flows */
	const char *location;		/* software drop location (--wide), or NULL */
	const char *cookie;		/* hardware ACL drop's flow action cookie (hex), or NULL */
	uint64_t packets;
	uint64_t bytes;
	uint64_t first_ns, last_ns;	/* first and last seen; 0: unknown */
};

struct out_loss {
	bool kernel_known;		/* STATS_GET answered */
	uint64_t kernel_hw;		/* alerts dropped in the kernel's queues */
	uint64_t kernel_sw;
	uint64_t overruns;		/* ENOBUFS on the event socket */
	uint64_t folded;		/* alerts folded past --max-flows */
	uint64_t malformed;		/* messages that failed to parse */
	bool perf_known;		/* trap reports are read from perf rings */
	uint64_t perf_lost;		/* samples the rings had no room for */
};

struct out_opts {
	bool wide;
	bool json;
	bool timestamp;
	bool why;			/* --why: the legend under the text table */
	bool show_origin;		/* --hw --sw: tell them apart */
	bool show_location;		/* --sw --wide: LOCATION column */
	bool show_acl;			/* set by output_print: some row has a cookie */
	/* The tc rule carrying an ACL drop's cookie (the trap says which
	 * direction), or NULL.
	 */
	const char *(*acl_name)(const char *trap, uint32_t ifindex, const char *cookie, void *arg);
	void *acl_arg;
	/* Name of an in-port ifindex, or NULL. */
	const char *(*port_name)(uint32_t ifindex, void *arg);
	void *port_arg;
	/* The devlink device ("bus/name") of an in-port, or NULL (--by device). */
	const char *(*device_of)(uint32_t ifindex, void *arg);
	void *device_arg;
	unsigned int by;		/* --by's BY_BIT()s; 0: trapagg's columns (or --wide's) */
	enum sort_order sort;		/* --sort */
	uint32_t top;			/* --top: rows printed, the rest summed in one line; 0: all */
	double span;			/* seconds the table covers, for RATE; 0: unknown */
};

/* The table's rows in order: each an entry number of the view's table
 * (4 bytes a flow, read when printed) or, with the top bit, one of the rows
 * built when collected or merged.
 */
struct out_rows {
	struct flowtab_view view;
	uint32_t *ref;
	size_t n;
	struct out_row *built;		/* folded, flowless, extra and merged rows */
	size_t nbuilt, cap;
};

/* Rows for every flow, every trap's folded "(other)" row, every trap's
 * flowless count (summary alerts, devlink counters) and nextra extra rows
 * (copied), sorted by count, highest first. 0, or -1 on allocation
 * failure; output_rows_fini() frees them.
 */
int output_collect(const struct flowtab_view *view, const struct out_row *extra, size_t nextra,
		   struct out_rows *t);
void output_rows_fini(struct out_rows *t);

/* The fallback when output_collect() finds no memory: one flowless row of
 * each trap's totals (a few hundred bytes), so that the counts are not
 * lost. -1 if even that fails.
 */
int output_collect_traps(const struct flowtab_view *view, struct out_rows *t);

/* Bytes a flow adds while a table is printed, at most: its row's entry
 * number, qsort_r's copy of it, and a merged row for every two flows
 * (output_merge_ports, output_merge_by). Freed after each table.
 */
size_t output_flow_bytes(void);

/* Row i as printed. */
void output_row(const struct out_rows *t, size_t i, struct out_row *r);

/* Merge rows that differ only in their in-port, for views that do not
 * show it (text without --wide); still sorted. 0, or -1 on allocation
 * failure. (output_rows.c, like the two below.)
 */
int output_merge_ports(struct out_rows *t);

/* Merge rows equal on every key of o->by, sorted by count; 0 or -1. */
int output_merge_by(struct out_rows *t, const struct out_opts *o);

/* Order rows for --sort: count and rate, most first; first, earliest
 * first; last, latest first.
 */
void output_sort(struct out_rows *t, enum sort_order order);

/* The text of row r's key k, as the table prints it ("-": none), for the
 * metrics' labels. buf holds at least 96 bytes.
 */
const char *output_key_text(char *buf, size_t n, enum by_key k, const struct out_row *r,
			    const struct out_opts *o);

/* Print one table (text or JSON line per opts). now is the table's time. */
void output_print(FILE *fp, const struct out_rows *t, const struct out_loss *loss,
		  const struct out_opts *o, const struct timespec *now);

#endif
