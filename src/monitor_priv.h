/* monitor_priv: the session's state, shared by monitor.c (lifecycle) and
 * monitor_loop.c (the loop and what it serves). Nothing else includes it:
 * main and the tests see struct monitor only through include/monitor.h.
 */
#ifndef TRAPMON_MONITOR_PRIV_H
#define TRAPMON_MONITOR_PRIV_H

#include "aggregate.h"
#include "capture.h"
#include "ctlsock.h"
#include "devlink.h"
#include "dlwatch.h"
#include "exporter.h"
#include "famwatch.h"
#include "journal.h"
#include "kallsyms.h"
#include "monitor.h"
#include "netdm.h"
#include "notify.h"
#include "output.h"
#include "portnames.h"
#include "rx.h"
#include "tpsource.h"
#include "tcfilter.h"
#include "trapctl.h"

struct monitor {
	struct monitor_opts opt;
	struct trapctl *tc;		/* requested trap changes, may be empty */
	struct netdm dm;
	struct netdm_memo memo;		/* the last alert's attributes, for its like */
	struct devlink dl;
	bool have_dm, have_dl;
	struct journal journal;
	struct dlwatch dw;		/* devlink as a source: traps, events, counters */
	struct aggregate agg;		/* the counts: this interval's, since start */
	bool have_agg;
	struct out_loss loss;
	struct netdm_stats kstats_base;	/* at the last table */
	struct netdm_stats kstats_start;
	struct netdm_stats kstats_seen;	/* the latest answer, since start */
	struct netdm_stats kstats_carry; /* counted before drop_monitor was reloaded */
	struct famwatch fw;		/* NET_DM unloaded and loaded again */
	bool have_fw;
	bool dm_gone;			/* drop_monitor was unloaded */
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
	struct tcfilter *acl;		/* ACL cookies -> tc rules, opened on first use */
	bool table_full_said;		/* the flow table could not grow: said once */
	bool names_oom_said;		/* a trap's name found no memory: said once */
	bool table_short_said;		/* a table of trap totals only: said once */
	bool acl_failed;		/* said once: cookies show without their rule */
	/* An egress ACL drop's candidate out-ports (acl_rule() in
	 * monitor_loop.c), from ports_dl refreshed once a table.
	 */
	uint32_t *acl_ports;
	size_t acl_ports_cap;
	bool acl_ports_fresh;
	/* After a batch that did not fill the buffers the event socket rests
	 * until then (monotonic seconds), so that alerts gather: a handful of
	 * wakeups and system calls for many alerts.
	 */
	double rx_hold;
	bool rx_rest_due;		/* a partial batch: rest from the next turn */
	struct tpsource tp;		/* trap reports, when opened */
	bool have_tp;
	struct errmsg tp_why;		/* why trap reports could not be opened */
	unsigned int tp_types;		/* TYPE_BIT()s counted from trap reports */
	uint64_t tp_lost_base;		/* tp.lost at the last table */
	double started;			/* monotonic seconds the loop started: -s's span */
	double table_start;		/* and the last table was printed: RATE's span */
	/* -r: the capture's clock (nanoseconds), which stamps and splits tables. */
	struct {
		const struct replay_stats *st;	/* the first and latest record's time */
		uint64_t step;		/* the interval; 0: one table */
		bool started;		/* the first interval started */
		uint64_t next;		/* the end of the current interval */
		long printed;
		bool done;		/* count tables printed: the rest is not read */
	} clock;
	struct notify notify;		/* systemd: ready, status, watchdog */
};

/* monitor.c, for monitor_loop.c: drop_monitor loaded again under -p. */
int netdm_back(struct monitor *m, struct errmsg *e);
/* -w: write a selected alert (a NULL: a summary); a failure said once. */
void capture_alert(struct monitor *m, const struct nlmsghdr *nlh, const struct drop_alert *a);
/* -G's rotation and the periodic flush. */
void capture_tick_now(struct monitor *m);

/* monitor_loop.c, for monitor.c: the alert path, the reports, the wait. */
void count_malformed(struct monitor *m);
bool handle_alert(struct monitor *m, const struct drop_alert *a);
int on_netdm_msg(const struct nlmsghdr *nlh, void *data);
int render_metrics(FILE *fp, void *arg);
void write_textfile(struct monitor *m);
int wait_and_serve(struct monitor *m, double wake, struct errmsg *e);
/* One table of this interval, covering span seconds, stamped at (NULL: now). */
int print_table(struct monitor *m, double span, const struct timespec *at);
double live_span(const struct monitor *m);
void read_trap_reports(struct monitor *m);
long read_alerts(struct monitor *m, struct errmsg *e);

#endif
