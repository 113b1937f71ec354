/* monitor_loop: the session's running part. Events from the sources
 * (alerts from rx, devlink's notifications, exporter and control-socket
 * requests) are served in one ppoll() loop with the timers for tables, the
 * capture's flush and the textfile; alerts are counted by
 * monitor_alerts.c; tables and metrics are rendered from the aggregate.
 * The handler of the signals that end the loop only sets a flag.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "metrics.h"
#include "monitor_priv.h"
#include "report.h"

volatile sig_atomic_t monitor_stop;

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

/* Tables ------------------------------------------------------------------ */

static void update_loss(struct monitor *m)
{
	struct flowtab_view iv = aggregate_interval(&m->agg);
	struct netdm_stats st;
	struct errmsg e = { 0 };

	m->loss.kernel_known = false;
	m->loss.folded = flowtab_view_folded(&iv);
	m->loss.perf_known = m->have_tp;
	m->loss.perf_lost = m->tp.lost - m->tp_lost_base;
	m->tp_lost_base = m->tp.lost;
	if (!m->have_dm || netdm_stats_get(&m->dm, &st, &e) < 0)
		return;
	m->loss.kernel_known = true;
	m->loss.kernel_hw = st.hw_dropped - m->kstats_base.hw_dropped;
	m->loss.kernel_sw = st.sw_dropped - m->kstats_base.sw_dropped;
	m->kstats_base = st;
}

/* The ports an egress drop that came in on ifindex may have been leaving
 * by: the other ports of its devlink device, from a map refreshed once a
 * table. None without devlink or memory: the in-port is searched alone.
 */
static size_t out_ports(struct monitor *m, uint32_t ifindex)
{
	const char *dev = NULL;
	size_t i, n = 0;

	if (!m->have_dl)
		return 0;
	if (!m->acl_ports_fresh) {
		devlink_port_map(&m->dl, &m->ports_dl, NULL);
		m->acl_ports_fresh = true;
	}
	for (i = 0; i < m->ports_dl.n && !dev; i++)
		if (m->ports_dl.v[i].ifindex == ifindex)
			dev = m->ports_dl.v[i].device;
	if (!dev)
		return 0;
	if (m->acl_ports_cap < m->ports_dl.n) {
		uint32_t *v = realloc(m->acl_ports, m->ports_dl.n * sizeof(*v));

		if (!v)
			return 0;
		m->acl_ports = v;
		m->acl_ports_cap = m->ports_dl.n;
	}
	for (i = 0; i < m->ports_dl.n; i++)
		if (m->ports_dl.v[i].ifindex != ifindex && strcmp(m->ports_dl.v[i].device, dev) == 0)
			m->acl_ports[n++] = m->ports_dl.v[i].ifindex;
	return n;
}

/* The tc rule that carries an ACL drop's cookie: on its in-port, or for an
 * egress drop on another port's egress. Live runs only: a replayed
 * capture's cookies belong to another time or host.
 */
static const char *acl_rule(const char *trap, uint32_t ifindex, const char *cookie, void *arg)
{
	struct monitor *m = arg;
	struct errmsg e = { 0 };
	size_t n = 0;

	if (!m->have_dm || m->acl_failed)
		return NULL;
	if (!m->acl && !(m->acl = tcfilter_open(&e))) {
		fprintf(stderr, "trapmon: %s; ACL drops show their cookies only\n", e.text);
		m->acl_failed = true;
		return NULL;
	}
	if (strcmp(trap, "egress_flow_action_drop") == 0)
		n = out_ports(m, ifindex);
	return tcfilter_name(m->acl, ifindex, cookie, m->acl_ports, n);
}

static const char *device_of_port(uint32_t ifindex, void *arg)
{
	struct monitor *m = arg;
	size_t i;

	for (i = 0; i < m->ports_dl.n; i++)
		if (m->ports_dl.v[i].ifindex == ifindex)
			return m->ports_dl.v[i].device;
	return NULL;
}

static int render_table(struct monitor *m, FILE *fp, const struct flowtab_view *view,
			const struct out_loss *loss, bool json, double span,
			const struct timespec *at)
{
	struct out_opts oo = {
		.wide = m->opt.wide, .json = json, .timestamp = m->opt.timestamp, .why = m->opt.why,
		.show_origin = m->opt.hw && m->opt.sw, .show_location = m->opt.sw,
		.port_name = portnames_lookup, .port_arg = &m->ports,
		.acl_name = acl_rule, .acl_arg = m,
		.device_of = device_of_port, .device_arg = m,
		.by = m->opt.by, .sort = m->opt.sort, .top = m->opt.top, .span = span,
	};

	portnames_new_table(&m->ports);
	m->acl_ports_fresh = false;
	/* Ports move between devices only with the devices: asked per table. */
	if (m->opt.by & BY_BIT(BY_DEVICE) && m->have_dl)
		devlink_port_map(&m->dl, &m->ports_dl, NULL);
	return report_table(fp, view, loss, &oo, at);
}

/* Seconds a live table covers: since the last one, or since the start. */
double live_span(const struct monitor *m)
{
	return mono_now() - m->table_start;
}

int print_table(struct monitor *m, double span, const struct timespec *at)
{
	struct flowtab_view iv;
	int ret;

	read_trap_reports(m);
	/* Control traps without trap reports: devlink's counters. */
	if (m->opt.type_mask & TYPE_BIT(TRAP_TYPE_CONTROL) && m->have_dl &&
	    !(m->tp_types & TYPE_BIT(TRAP_TYPE_CONTROL)))
		dlwatch_count_control(&m->dw, &m->agg);
	update_loss(m);
	iv = aggregate_interval(&m->agg);
	ret = render_table(m, m->out, &iv, &m->loss, m->opt.json, span, at);
	if (ret < 0)
		return -1;
	if (ret > 0 && !m->table_short_said) {
		m->table_short_said = true;
		fprintf(stderr, "trapmon: out of memory for the table's %u flows: it shows each "
			"trap's totals only: raise the memory limit (ulimit -v)\n", iv.ft->nflows);
	}
	aggregate_next_interval(&m->agg);
	m->loss.overruns = m->loss.malformed = 0;
	if (!at)
		m->table_start = mono_now();
	return 0;
}

/* The totals since start: the interval table itself when nothing resets it. */
static const struct flowtab *since_start(struct monitor *m)
{
	const struct flowtab *t = aggregate_totals(&m->agg);

	return t ? t : aggregate_interval(&m->agg).ft;
}

/* Loss since start: the kernel's counters against their start values. */
static void total_loss(struct monitor *m, struct out_loss *l)
{
	struct netdm_stats st;

	read_trap_reports(m);
	*l = m->total;
	l->folded = since_start(m)->folded;
	l->perf_known = m->have_tp;
	l->perf_lost = m->tp.lost;
	l->kernel_known = m->have_dm && netdm_stats_get(&m->dm, &st, NULL) == 0;
	if (l->kernel_known) {
		m->kstats_seen = st;
		l->kernel_hw = m->kstats_carry.hw_dropped + st.hw_dropped - m->kstats_start.hw_dropped;
		l->kernel_sw = m->kstats_carry.sw_dropped + st.sw_dropped - m->kstats_start.sw_dropped;
	}
}

int render_metrics(FILE *fp, void *arg)
{
	struct monitor *m = arg;
	struct out_loss l;
	struct dl_traps traps = { 0 };
	struct errmsg e = { 0 };
	struct metrics_input in = {
		.ft = since_start(m), .device_of = device_of_port, .arg = m, .by = m->opt.by,
		.port_name = portnames_lookup, .port_arg = &m->ports,
		.loss = &l, .flow_top = m->opt.flow_top, .compat_trapagg = m->opt.compat_trapagg,
		.changed = m->journal.v, .nchanged = m->journal.n,
		.netdm_watched = m->have_fw, .netdm_up = !m->dm_gone, .netdm_gaps = m->fw.gaps,
		.netdm_down_seconds = famwatch_down_seconds(&m->fw, mono_now()),
	};
	int ret;

	total_loss(m, &l);
	portnames_new_table(&m->ports);
	if (m->have_dl && devlink_trap_dump(&m->dl, &traps, &e) == 0)
		in.traps = &traps;
	else if (e.errnum == ENOMEM)
		return -1;	/* devlink's series missing would read as resets */
	if (m->have_dl)
		devlink_port_map(&m->dl, &m->ports_dl, NULL);
	ret = metrics_render(fp, &in);
	dl_traps_free(&traps);
	return ret;
}

/* --textfile: said once when it fails, and again only after it worked. */
void write_textfile(struct monitor *m)
{
	if (report_textfile(m->opt.textfile, render_metrics, m) == 0) {
		m->textfile_failed = false;
		return;
	}
	if (!m->textfile_failed)
		fprintf(stderr, "trapmon: cannot write --textfile %s: %s\n", m->opt.textfile,
			strerror(errno));
	m->textfile_failed = true;
}

/* Control socket requests: "status", "stats [json]", "stop". */
static void on_control(const char *req, FILE *reply, void *arg)
{
	struct monitor *m = arg;

	if (!strcmp(req, "status")) {
		fprintf(reply, "pid %d: %s\n", (int)getpid(), m->opt.cmdline ? m->opt.cmdline : "trapmon -p");
	} else if (!strncmp(req, "stats", 5)) {
		struct out_loss l;

		total_loss(m, &l);
		render_table(m, reply, &(struct flowtab_view){ since_start(m), false }, &l,
			     strstr(req, "json") != NULL, mono_now() - m->started, NULL);
	} else if (!strcmp(req, "stop")) {
		fprintf(reply, "stopping %d\n", (int)getpid());
		monitor_stop = 1;
	} else {
		fprintf(reply, "unknown request '%s'\n", req);
	}
}

/* systemd's status line: alerts since start, alerts lost (kernel queue,
 * socket, trap reports' perf ring), traps held changed.
 */
static void status_line(struct monitor *m, char *buf, size_t len)
{
	const struct flowtab *ft = since_start(m);
	struct out_loss l;
	uint64_t alerts = 0;
	size_t i, changed = 0;

	total_loss(m, &l);
	for (i = 0; i < ft->ntraps; i++)
		alerts += ft->traps[i].packets;
	for (i = 0; i < m->journal.n; i++)
		changed += m->journal.v[i].kind == JOURNAL_TRAP;
	notify_format_status(buf, len, m->opt.hw, m->opt.sw, alerts,
			     l.kernel_hw + l.kernel_sw + l.overruns + l.perf_lost, changed);
}

static void notify_now(struct monitor *m, double now)
{
	char status[160];

	status_line(m, status, sizeof(status));
	if (now)
		notify_tick(&m->notify, now, status);
	else
		notify_ready(&m->notify, status);
}

/* drop_monitor unloaded (nlctrl's DELFAMILY; only a passive session lets
 * it go) or loaded again. A session ends with what it has; the aggregator
 * waits and listens again, the kernel's loss counters carried over.
 */
static int on_netdm_family(struct monitor *m, struct errmsg *e)
{
	enum famwatch_event ev = famwatch_read(&m->fw, mono_now());

	if (ev == FAMWATCH_GONE && !m->dm_gone) {
		m->dm_gone = true;
		if (m->have_dm && read_alerts(m, e) < 0)
			return -1;
		netdm_fini(&m->dm);
		m->have_dm = false;
		if (!m->opt.aggregator)
			monitor_stop = 1;
		else
			fprintf(stderr, "trapmon: the drop monitor went away (drop_monitor unloaded): "
				"waiting for it to come back\n");
	} else if (ev == FAMWATCH_BACK && m->dm_gone && m->opt.aggregator) {
		if (netdm_back(m, e) < 0)
			return -1;
		fprintf(stderr, "trapmon: the drop monitor is back: listening again (%.1f s without it)\n",
			famwatch_down_seconds(&m->fw, mono_now()));
	}
	return 0;
}

/* Wait until something is ready or wake (monotonic seconds, 0: none) and
 * serve it; now is the clock as the caller read it this turn. One read a
 * turn: in the lab's guest the clock is the HPET and each read a system
 * call (bench/RESULTS.md, session 12). Returns -1 on a fatal error.
 */
static int serve_at(struct monitor *m, double now, double wake, struct errmsg *e)
{
	enum { P_NETDM, P_DEVLINK, P_HTTP, P_CTL, P_NLCTRL, P_RINGS, P_MAX = P_RINGS + TP_POLL_MAX };
	struct pollfd pfd[P_MAX] = {
		[P_NETDM] = { .fd = m->have_dm ? netdm_event_fd(&m->dm) : -1, .events = POLLIN },
		[P_DEVLINK] = { .fd = m->have_dl ? devlink_event_fd(&m->dl) : -1, .events = POLLIN },
		[P_HTTP] = { .fd = m->exporter ? exporter_fd(m->exporter) : -1, .events = POLLIN },
		[P_CTL] = { .fd = m->ctl.fd, .events = POLLIN },
		[P_NLCTRL] = { .fd = m->have_fw ? famwatch_fd(&m->fw) : -1, .events = POLLIN },
	};
	struct timespec tmo, *tp = NULL;
	int nfds = P_RINGS, i;
	sigset_t empty;
	long n;

	if (m->have_tp)
		nfds += tpsource_pollfds(&m->tp, pfd + P_RINGS, TP_POLL_MAX);

	/* Resting after a partial batch: everything else is still served.
	 * The rest starts at the turn after the batch, whose clock read is
	 * this one.
	 */
	if (m->rx_rest_due) {
		m->rx_rest_due = false;
		m->rx_hold = now + RX_HOLD;
	}
	if (m->rx_hold) {
		if (now < m->rx_hold) {
			pfd[P_NETDM].fd = -1;
			if (!wake || m->rx_hold < wake)
				wake = m->rx_hold;
		} else {
			m->rx_hold = 0;
		}
	}
	if (m->exporter) {
		int ms = exporter_timeout_ms(m->exporter);

		if (ms >= 0 && (!wake || now + ms / 1000.0 < wake))
			wake = now + ms / 1000.0;
	}
	if (wake) {
		double left = wake - now;

		if (left < 0)
			left = 0;
		tmo.tv_sec = (time_t)left;
		tmo.tv_nsec = (long)((left - (double)tmo.tv_sec) * 1e9);
		tp = &tmo;
	}
	sigemptyset(&empty);
	if (ppoll(pfd, (nfds_t)nfds, tp, &empty) < 0) {
		if (errno == EINTR)
			return 0;
		errmsg_set(e, errno, "poll failed: %s", strerror(errno));
		return -1;
	}
	if (pfd[P_NETDM].revents & (POLLIN | POLLERR)) {
		n = read_alerts(m, e);
		if (n < 0)
			return -1;
		/* A partial batch: let alerts gather before the next one. */
		if (n < RX_SLOTS)
			m->rx_rest_due = true;
	}
	if (pfd[P_DEVLINK].revents & POLLIN)
		dlwatch_read_events(&m->dw);
	if (pfd[P_NLCTRL].revents & POLLIN && on_netdm_family(m, e) < 0)
		return -1;
	for (i = P_RINGS; i < nfds; i++)
		if (pfd[i].revents & POLLIN) {
			read_trap_reports(m);
			break;
		}
	if (m->exporter)
		exporter_run(m->exporter);
	if (pfd[P_CTL].revents & POLLIN)
		ctlsock_serve(&m->ctl, on_control, m);
	return 0;
}

int wait_and_serve(struct monitor *m, double wake, struct errmsg *e)
{
	return serve_at(m, mono_now(), wake, e);
}

int monitor_run(struct monitor *m, struct errmsg *e)
{
	const struct monitor_opts *o = &m->opt;
	double next = o->interval > 0 ? mono_now() + o->interval : 0;
	double tick = mono_now() + 1;
	/* --textfile: every interval, or every 10 s without one. */
	double text_period = o->interval > 0 ? o->interval : 10, text_next = mono_now() + text_period;
	long printed = 0;

	m->started = m->table_start = mono_now();
	if (!o->interval && !o->json && !o->aggregator)
		fprintf(stderr, "Tracing packet traps... Hit Ctrl-C to end.\n");
	if (m->notify.on)
		notify_now(m, 0);	/* READY=1: set up and monitoring */
	while (!monitor_stop) {
		double now = mono_now(), wake = 0;
		bool worked = false;	/* so now is stale: read the clock again */

		/* The watchdog is fed only from here: a stuck loop gets killed. */
		if (notify_due(&m->notify) && now >= notify_due(&m->notify)) {
			notify_now(m, now);
			worked = true;
		}

		/* Tables first: the last ends the run before a -G rotation (an empty file). */
		if (next && now >= next) {
			/* Alerts resting in the socket belong to this table. */
			if (m->have_dm && read_alerts(m, e) < 0)
				return -1;
			if (print_table(m, live_span(m), NULL) < 0)
				goto err_nomem;
			if (o->textfile)
				write_textfile(m);
			if (o->count && ++printed >= o->count)
				return 0;
			next += o->interval;
			continue;
		}
		if (m->cap && now >= tick) {
			capture_tick_now(m);
			tick = now + 1;
			worked = true;
		}
		if (o->textfile && !o->interval && now >= text_next) {
			write_textfile(m);
			text_next = now + text_period;
			worked = true;
		}
		if (worked)
			now = mono_now();
		if (next)
			wake = next;
		if (m->cap && (!wake || tick < wake))
			wake = tick;
		if (o->textfile && !o->interval && (!wake || text_next < wake))
			wake = text_next;
		if (notify_due(&m->notify) && (!wake || notify_due(&m->notify) < wake))
			wake = notify_due(&m->notify);
		if (serve_at(m, now, wake, e) < 0)
			return -1;
	}
	if (o->aggregator)
		return 0;	/* -u: the totals were for -s; nobody reads a table now */
	/* Interrupted: what was gathered is still printed. */
	if (m->have_dm && read_alerts(m, e) < 0)
		return -1;
	if (print_table(m, live_span(m), NULL) < 0)
		return -1;
	if (m->dm_gone) {
		errmsg_set(e, ENOENT, "the kernel's drop monitor went away (drop_monitor was "
			   "unloaded): counts above are up to then; load it and start trapmon again");
		return -1;
	}
	return 0;

err_nomem:
	errmsg_set(e, ENOMEM, "out of memory printing the table: lower --max-flows");
	return -1;
}

void monitor_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Delivered only inside ppoll, so a signal can never slip between
	 * the flag check and the wait.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);
}

