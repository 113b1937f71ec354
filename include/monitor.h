/* monitor: the live session. Sets trap actions, starts the drop monitor,
 * aggregates alerts into the flow table, prints a table per interval, and
 * on every exit stops what it started and puts trap actions back.
 */
#ifndef TRAPMON_MONITOR_H
#define TRAPMON_MONITOR_H

#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "aggregate.h"
#include "devlink.h"
#include "dlwatch.h"
#include "flowtab.h"
#include "capture.h"
#include "ctlsock.h"
#include "exporter.h"
#include "filter.h"
#include "journal.h"
#include "kallsyms.h"
#include "netdm.h"
#include "output.h"
#include "portnames.h"
#include "rx.h"
#include "trapctl.h"

struct monitor_opts {
	unsigned int type_mask;		/* TYPE_BIT(TRAP_TYPE_*); 0: all */
	bool timestamp;
	bool json;
	bool wide;
	bool hw, sw;
	bool passive;
	bool force;
	bool keep_actions;
	bool apply_only;		/* set actions, keep them, exit */
	bool summary;			/* NET_DM summary alerts: counts only */
	uint32_t trunc_len;
	uint32_t queue_len;		/* 0: keep the kernel's */
	uint32_t max_flows;
	int rcvbuf;
	const char *write_path;		/* -w */
	struct capture_opts cap;	/* -w's format and rotation */
	const char *filter_expr;	/* --filter */
	const char *listen;		/* --listen [ADDR:]PORT */
	const char *textfile;		/* --textfile PATH */
	unsigned int flow_top;		/* --flow-metrics N */
	bool compat_trapagg;		/* --compat trapagg */
	bool aggregator;		/* -p: serve the control socket */
	bool drop_privs;		/* -Z: become uid/gid after setup */
	uid_t uid;
	gid_t gid;
	const char *cmdline;		/* how the aggregator was started, for -p refusals */
	double interval;		/* seconds; 0: until a signal */
	long count;			/* tables to print; 0: forever */
};

struct monitor {
	struct monitor_opts opt;
	struct trapctl *tc;		/* requested trap changes, may be empty */
	struct netdm dm;
	struct devlink dl;
	bool have_dm, have_dl;
	struct journal journal;
	struct dlwatch dw;		/* devlink as a source: traps, events, counters */
	struct aggregate agg;		/* the counts: this interval's, since start */
	bool have_agg;
	struct out_loss loss;
	struct netdm_stats kstats_base;	/* at the last table */
	struct netdm_stats kstats_start;
	struct out_loss total;		/* overruns and malformed since start */
	struct dl_ports ports_dl;	/* in-port -> devlink device, for metrics */
	struct exporter *exporter;
	struct ctlsock ctl;
	bool textfile_failed;
	struct kallsyms ksyms;
	struct capture *cap;
	bool capture_failed;		/* said once; trapmon exits 1 at the end */
	bool capture_closed;		/* -w -: the reader went away; a clean end */
	FILE *out;			/* tables: stdout, or stderr when -w - */
	struct portnames ports;		/* in-port names, from alerts or the kernel */
	struct rx rx;			/* alerts read in batches */
	/* After a batch that did not fill the buffers the event socket rests
	 * until then (monotonic seconds), so that alerts gather: a handful of
	 * wakeups and system calls for many alerts.
	 */
	double rx_hold;
};

/* Set by the signal handler; the loop ends when it is set. */
extern volatile sig_atomic_t monitor_stop;

/* Signals that end the loop: the handler only sets monitor_stop. */
void monitor_signals(void);

int monitor_init(struct monitor *m, const struct monitor_opts *o, struct trapctl *tc,
		 struct errmsg *e);
int monitor_setup(struct monitor *m, struct errmsg *e);
int monitor_run(struct monitor *m, struct errmsg *e);
/* -r: feed a capture file through the same parser and print one table. */
int monitor_replay(struct monitor *m, const char *path, struct errmsg *e);
/* Stop monitoring, restore actions and config; returns -1 if that failed. */
int monitor_fini(struct monitor *m, struct errmsg *e);

#endif
