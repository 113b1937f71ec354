/* metrics: the Prometheus text exposition of trapmon's counters. Pure
 * formatting into a FILE: the exporter serves it, --textfile writes it.
 */
#ifndef TRAPMON_METRICS_H
#define TRAPMON_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "devlink.h"
#include "flowtab.h"
#include "journal.h"
#include "output.h"

#define METRICS_DEFAULT_FLOWS 100

struct metrics_input {
	const struct flowtab *ft;	/* cumulative since start */
	const struct dl_traps *traps;	/* devlink's counters, or NULL */
	/* "bus/dev" owning an in-port, or NULL when unknown. */
	const char *(*device_of)(uint32_t ifindex, void *arg);
	void *arg;
	/* An in-port's current name, or NULL (--by port's in_port label). */
	const char *(*port_name)(uint32_t ifindex, void *arg);
	void *port_arg;
	/* The originals trapmon will put back (its journal); trap entries
	 * become trapmon_trap_action_changed, the others are skipped.
	 */
	const struct journal_entry *changed;
	size_t nchanged;
	const struct out_loss *loss;	/* cumulative */
	unsigned int flow_top;		/* flows exported, highest counts first */
	unsigned int by;		/* --by: the flow series' labels; 0: trapagg's */
	bool compat_trapagg;		/* also node_net_trapagg_total */
	/* NET_DM's presence (drop_monitor unloaded and loaded again). */
	bool netdm_watched;
	bool netdm_up;
	unsigned int netdm_gaps;
	double netdm_down_seconds;
};

/* 0, or -1 when a write failed or memory ran out: then the text is partial
 * and must not be served.
 */
int metrics_render(FILE *fp, const struct metrics_input *in);

/* Bytes a flow adds while the per-flow series (--flow-metrics) are
 * rendered: its copy to sort, and qsort's two pointers for an element that
 * large. Freed after each scrape.
 */
size_t metrics_flow_bytes(void);

/* A label value with Prometheus' escapes: backslash, quote, newline. */
void metrics_label_value(FILE *fp, const char *value);

#endif
