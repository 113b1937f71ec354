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

#include <stdio.h>
#include <sys/types.h>

#include "aggregate.h"
#include "bykey.h"
#include "capture.h"
#include "errmsg.h"
#include "netdm.h"
#include "trapctl.h"

/* Where hardware drops are heard (--source). */
enum monitor_source {
	SOURCE_NETDM,		/* the drop monitor's alerts, with packets */
	SOURCE_TRACEPOINT,	/* devlink:devlink_trap_report events: per trap and port */
};

struct monitor_opts {
	unsigned int type_mask;		/* TYPE_BIT(TRAP_TYPE_*); 0: all */
	enum monitor_source source;
	bool timestamp;
	bool json;
	bool wide;
	bool why;			/* --why: a legend under each table */
	unsigned int by;		/* --by: BY_BIT()s; 0: trapagg's key */
	enum sort_order sort;		/* --sort */
	uint32_t top;			/* --top N; 0: every row */
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
	const char *web_config;		/* --web-config FILE: TLS, basic auth */
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

/* The session, opaque outside src/monitor*.c. */
struct monitor;


/* Set by the signal handler; the loop ends when it is set. */
extern volatile sig_atomic_t monitor_stop;

/* Signals that end the loop: the handler only sets monitor_stop. */
void monitor_signals(void);

/* A session's memory (NULL when out of memory), released by monitor_free()
 * after monitor_fini().
 */
struct monitor *monitor_new(void);
void monitor_free(struct monitor *m);

int monitor_init(struct monitor *m, const struct monitor_opts *o, struct trapctl *tc,
		 struct errmsg *e);
int monitor_setup(struct monitor *m, struct errmsg *e);
int monitor_run(struct monitor *m, struct errmsg *e);
/* -r: feed a capture file through the same parser and print one table,
 * or with an interval one per interval of the capture's own clock.
 */
int monitor_replay(struct monitor *m, const char *path, struct errmsg *e);
/* Stop monitoring, restore actions and config; returns -1 if that failed. */
int monitor_fini(struct monitor *m, struct errmsg *e);

/* A capture write failed during the run (said once then): exit 1. */
bool monitor_capture_failed(const struct monitor *m);

/* Where tables go (stdout, or stderr with -w -); a seam for tests. */
void monitor_set_output(struct monitor *m, FILE *out);

/* A seam for tests of the read loop: alerts come from dm's event socket,
 * already open; nothing is configured or started.
 */
void monitor_attach_netdm(struct monitor *m, const struct netdm *dm);

#endif
