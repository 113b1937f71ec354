/* monitor: the session's lifecycle. Setup sets trap actions, starts the
 * drop monitor and opens what was asked for (capture, exporter, control
 * socket); the loop runs in monitor_loop.c; every exit stops what was
 * started and puts trap actions back. -r feeds a file through the same
 * alert path. main sees only include/monitor.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <linux/devlink.h>

#include "cgmem.h"
#include "metrics.h"
#include "monitor_priv.h"
#include "privs.h"
#include "replay.h"
#include "restore.h"

/* Setup and the loop ------------------------------------------------------ */

static bool only_control(const struct monitor_opts *o)
{
	return o->type_mask == TYPE_BIT(TRAP_TYPE_CONTROL);
}

/* -c: control traps never reach the drop monitor. They are counted per
 * port from trap reports when the tracepoint opens, else from devlink's
 * per-trap counters; one line says which and why. Older kernels (5.4) and
 * some drivers have no control traps, which -c alone cannot show.
 */
static int check_control_traps(struct monitor *m, struct errmsg *e)
{
	bool none = !dlwatch_has_control(&m->dw);

	if (none && only_control(&m->opt)) {
		errmsg_set(e, ENOENT, "no devlink device here has control traps (this kernel or "
			   "driver has none): -c has nothing to count; -d and -e show the others");
		return -1;
	}
	if (none) {
		fprintf(stderr, "trapmon: no devlink device here has control traps (this kernel or "
			"driver has none); -c counts nothing\n");
		return 0;
	}
	if (m->tp_types & TYPE_BIT(TRAP_TYPE_CONTROL))
		fprintf(stderr, "trapmon: control traps: counted per port from "
			"devlink:devlink_trap_report events\n");
	else
		fprintf(stderr, "trapmon: control traps: devlink's per-trap counters, without ports "
			"or flows (%s)\n", m->tp_why.text);
	return 0;
}

/* The trap-report source: all that --source=tracepoint counts, or -c's
 * control traps beside NET_DM. Opened before privileges are dropped.
 */
static int open_trap_reports(struct monitor *m, struct errmsg *e)
{
	const struct monitor_opts *o = &m->opt;
	unsigned int all = TYPE_BIT(TRAP_TYPE_DROP) | TYPE_BIT(TRAP_TYPE_EXCEPTION);

	if (o->source == SOURCE_TRACEPOINT) {
		if (tpsource_open(&m->tp, e) < 0)
			return -1;
		m->tp_types = o->type_mask ? o->type_mask : all;
		fprintf(stderr, "trapmon: counting devlink:devlink_trap_report events per trap and "
			"port; no drop monitor, no packets\n");
	} else if (o->type_mask & TYPE_BIT(TRAP_TYPE_CONTROL)) {
		if (tpsource_open(&m->tp, &m->tp_why) < 0)
			return 0;	/* check_control_traps() says why */
		m->tp_types = TYPE_BIT(TRAP_TYPE_CONTROL);
	} else {
		return 0;
	}
	m->have_tp = true;
	return 0;
}

static void journal_netdm(struct monitor *m)
{
	struct journal_entry en = {
		.kind = JOURNAL_NETDM, .hw = m->dm.started_hw, .sw = m->dm.started_sw,
		.alert_mode = m->dm.saved.alert_mode, .trunc_len = m->dm.saved.trunc_len,
		.queue_len = m->dm.saved.queue_len,
	};
	struct errmsg e = { 0 };

	if (!en.hw && !en.sw)
		return;
	if (journal_add(&m->journal, &en) < 0 || journal_write(&m->journal, &e) < 0)
		fprintf(stderr, "trapmon: %s; if trapmon is killed, stop monitoring with "
			"'trapmon --restore --force'\n", e.text[0] ? e.text : "out of memory");
}

static double mib(uint64_t bytes)
{
	return (double)bytes / (1024 * 1024);
}

/* Under a cgroup's memory.max the OOM killer, not malloc, says memory ran
 * out, and it takes the counts with it; above memory.high the kernel
 * throttles trapmon, which then reads alerts late. A flow table that would
 * not fit is bounded at start, even below an explicit --max-flows (flows
 * past it fold into (other), totals stay exact). A flow's cost is the
 * table's and, at the peak, what printing a table or rendering the flow
 * metrics adds.
 */
static void bound_by_cgroup(struct agg_opts *ao, const struct monitor_opts *o)
{
	size_t per_flow = output_flow_bytes();
	struct cgmem cg;
	uint32_t bound;

	if (cgmem_find(&cg, "/proc/self") <= 0)
		return;
	if ((o->listen || o->textfile) && o->flow_top && metrics_flow_bytes() > per_flow)
		per_flow = metrics_flow_bytes();
	per_flow += flowtab_flow_bytes(ao->totals && ao->intervals, ao->times);
	bound = cgmem_flow_bound(cg.limit, cg.used, per_flow);
	if (bound >= ao->max_flows)
		return;
	fprintf(stderr, "trapmon: cgroup %s has %s %.1f MiB, %.1f MiB in use: the flow "
		"table is bounded at %u flows (--max-flows %u would not fit); new flows fold into "
		"(other) and totals stay exact: raise the limit (%s) or pass --max-flows %u\n",
		cg.path, cg.file, mib(cg.limit), mib(cg.used), bound, ao->max_flows,
		strcmp(cg.file, "memory.high") ? "MemoryMax=, the container's memory limit" :
		"MemoryHigh=", bound);
	ao->max_flows = bound;
}

int monitor_init(struct monitor *m, const struct monitor_opts *o, struct trapctl *tc,
		 struct errmsg *e)
{
	struct agg_opts ao = {
		.type_mask = o->type_mask, .wide = o->wide, .max_flows = o->max_flows,
		.filter_expr = o->filter_expr, .by = o->by,
	};

	/* No transparent huge pages (where the kernel's setting is "always",
	 * as Debian's is): a fault in a sparse buffer (rx's slots, a table's
	 * last pages) would take 2 MiB where a few KiB are used, 12 MiB of a
	 * session's 40 in the lab, and a cgroup limit would be charged for it.
	 */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	memset(m, 0, sizeof(*m));
	m->opt = *o;
	m->tc = tc;
	journal_init(&m->journal);
	if (tc)
		tc->journal = &m->journal;
	m->out = o->write_path && !strcmp(o->write_path, "-") ? stderr : stdout;
	m->ctl.fd = -1;
	notify_init(&m->notify);
	ao.totals = o->listen || o->textfile || o->aggregator;
	ao.intervals = o->interval > 0;
	/* In-ports: shown (--wide, -j, --by port or device) or exported per device. */
	if (o->by)
		ao.keep_ports = o->by & (BY_BIT(BY_PORT) | BY_BIT(BY_DEVICE)) || ao.totals;
	else
		ao.keep_ports = o->wide || o->json || ao.totals;
	/* FIRST and LAST: where shown or sorted on; -s may ask -p for JSON. */
	ao.times = o->wide || o->json || o->aggregator || o->sort == SORT_FIRST ||
		   o->sort == SORT_LAST;
	bound_by_cgroup(&ao, o);
	if (aggregate_init(&m->agg, &ao, e) < 0)
		return -1;
	/* Reports read it through aggregate_interval()/_totals(), which settle. */
	flowtab_defer(&m->agg.ft);
	m->have_agg = true;
	dlwatch_init(&m->dw, &m->dl, tc);
	aggregate_set_traps(&m->agg, &m->dw.traps);
	return 0;
}

/* Loaded once; summaries are resolved with a binary search. */
static void load_kallsyms(struct monitor *m)
{
	if (!m->opt.summary || !m->opt.sw || m->ksyms.n)
		return;
	if (kallsyms_load(&m->ksyms, "/proc/kallsyms") < 0)
		fprintf(stderr, "trapmon: cannot read kernel symbols from /proc/kallsyms (run as root): "
			"software drop points show as addresses\n");
}

/* The exporter and the control socket, for live runs and replays alike. */
static int monitor_serve(struct monitor *m, struct errmsg *e)
{
	if (m->opt.listen) {
		m->exporter = exporter_start(m->opt.listen, m->opt.web_config, render_metrics, m, e);
		if (!m->exporter)
			return -1;
	}
	if (m->opt.aggregator && ctlsock_listen(&m->ctl, e) < 0)
		return -1;
	return 0;
}

/* devlink: its traps (types for the aggregate, what -d/-e/-c select) and
 * its config group; needed when trap types or changes are asked for.
 */
static int setup_devlink(struct monitor *m, bool need_dl, struct errmsg *e)
{
	struct errmsg sub_err = { 0 };

	if (devlink_init(&m->dl, need_dl ? e : NULL) == 0) {
		m->have_dl = true;
		if (devlink_trap_dump(&m->dl, &m->dw.traps, need_dl ? e : NULL) < 0 && need_dl)
			return -1;
		/* Subscribe before changing actions, so no new device slips by. */
		if (devlink_subscribe(&m->dl, &sub_err) < 0)
			fprintf(stderr, "trapmon: %s: devices added later are not followed\n",
				sub_err.text[0] ? sub_err.text : "cannot join devlink's config group");
	} else if (need_dl) {
		return -1;
	}
	if (m->opt.type_mask && m->dw.traps.n == 0) {
		errmsg_set(e, ENODEV, "no devlink device with traps found: -d, -e and -c need "
			   "one (a switch driver such as mlxsw, or netdevsim)");
		return -1;
	}
	return 0;
}

int monitor_setup(struct monitor *m, struct errmsg *e)
{
	const struct monitor_opts *o = &m->opt;
	bool want_changes = m->tc && trapctl_wants_changes(m->tc);
	bool need_dl = o->type_mask != 0 || want_changes || o->source == SOURCE_TRACEPOINT;
	struct netdm_start_opts so = {
		.hw = o->hw, .sw = o->sw,
		.alert_mode = o->summary ? NET_DM_ALERT_MODE_SUMMARY : NET_DM_ALERT_MODE_PACKET,
		.trunc_len = o->trunc_len, .queue_len = o->queue_len,
		.passive = o->passive, .force = o->force,
	};
	char warn[256];

	if (restore_check_stale(m->tc && trapctl_wants_changes(m->tc), e) < 0)
		return -1;
	if (setup_devlink(m, need_dl, e) < 0)
		return -1;
	if (want_changes) {
		m->tc->dl = &m->dl;
		if (trapctl_apply(m->tc, e) < 0)
			return -1;
	}
	if (o->apply_only)
		return 0;
	if (monitor_serve(m, e) < 0)
		return -1;
	if (open_trap_reports(m, e) < 0)
		return -1;
	if (o->type_mask & TYPE_BIT(TRAP_TYPE_CONTROL) && check_control_traps(m, e) < 0)
		return -1;
	if (only_control(o) || o->source == SOURCE_TRACEPOINT) {
		if (o->drop_privs &&
		    (journal_hold(&m->journal, e) < 0 || privs_drop(o->uid, o->gid, e) < 0))
			return -1;
		return 0;
	}

	if (netdm_init(&m->dm, e) < 0)
		return -1;
	m->have_dm = true;
	if (netdm_subscribe(&m->dm, o->rcvbuf, e) < 0)
		return -1;
	/* A passive session's drop_monitor can be unloaded: nlctrl says so. */
	m->have_fw = famwatch_open(&m->fw, "NET_DM", &(struct errmsg){ 0 }) == 0;
	if (o->drop_privs) {
		/* Everything that needs root is done: sockets joined, actions
		 * set, journal open. Starting, stopping and restoring need only
		 * CAP_NET_ADMIN; the capture is opened as the user.
		 */
		load_kallsyms(m);
		if (journal_hold(&m->journal, e) < 0 || privs_drop(o->uid, o->gid, e) < 0)
			return -1;
	}
	if (o->write_path) {
		struct capture_opts co = o->cap;

		co.path = o->write_path;
		co.family_id = (uint16_t)m->dm.family;
		m->cap = capture_open(&co, e);
		if (!m->cap)
			return -1;
	}
	if (netdm_start(&m->dm, &so, warn, sizeof(warn), e) < 0)
		return -1;
	if (warn[0])
		fprintf(stderr, "trapmon: %s\n", warn);
	journal_netdm(m);
	netdm_stats_get(&m->dm, &m->kstats_base, NULL);
	m->kstats_start = m->kstats_seen = m->kstats_base;
	/* After START so no drop waits for it. */
	load_kallsyms(m);
	return 0;
}

/* drop_monitor is loaded again (-p): listen again, with the loss counters
 * of the unloaded module carried over (the new one counts from 0).
 */
int netdm_back(struct monitor *m, struct errmsg *e)
{
	struct netdm_stats st = { 0 };

	if (netdm_reattach(&m->dm, m->opt.rcvbuf, e) < 0)
		return -1;
	m->have_dm = true;
	m->dm_gone = false;
	m->kstats_carry.hw_dropped += m->kstats_seen.hw_dropped - m->kstats_start.hw_dropped;
	m->kstats_carry.sw_dropped += m->kstats_seen.sw_dropped - m->kstats_start.sw_dropped;
	netdm_stats_get(&m->dm, &st, NULL);
	m->kstats_start = m->kstats_base = m->kstats_seen = st;
	return 0;
}

static bool is_netdm_entry(const struct journal_entry *en, void *arg)
{
	(void)arg;
	return en->kind == JOURNAL_NETDM;
}

static bool is_trapctl_entry(const struct journal_entry *en, void *arg)
{
	(void)arg;
	return en->kind != JOURNAL_NETDM;
}

int monitor_fini(struct monitor *m, struct errmsg *e)
{
	int ret = 0;

	notify_stopping(&m->notify, "stopping: turning monitoring off, putting trap actions back");
	/* The last textfile, while NET_DM and devlink can still be asked. */
	if (m->opt.textfile && m->have_agg && aggregate_totals(&m->agg))
		write_textfile(m);
	if (m->have_tp)
		tpsource_close(&m->tp);
	m->have_tp = false;
	if (m->have_fw)
		famwatch_close(&m->fw);
	m->have_fw = false;
	if (m->have_dm) {
		if (netdm_stop(&m->dm, e) < 0)
			ret = -1;
		else
			journal_drop(&m->journal, is_netdm_entry, NULL);
		netdm_fini(&m->dm);
		m->have_dm = false;
	}
	if (m->tc && m->have_dl && !m->opt.keep_actions &&
	    trapctl_restore(&m->dl, &m->journal, e) < 0)
		ret = -1;
	if (m->opt.keep_actions)
		journal_drop(&m->journal, is_trapctl_entry, NULL);
	/* What could not be restored stays journaled for --restore. */
	journal_write(&m->journal, NULL);
	journal_fini(&m->journal);
	if (m->have_dl)
		devlink_fini(&m->dl);
	m->have_dl = false;
	if (capture_close(m->cap) < 0 && !m->capture_failed && !m->capture_closed) {
		errmsg_set(e, EIO, "%s", capture_error(m->cap) ? capture_error(m->cap) : "capture failed");
		ret = -1;
	}
	m->cap = NULL;
	exporter_stop(m->exporter);
	m->exporter = NULL;
	ctlsock_close(&m->ctl);
	dl_ports_free(&m->ports_dl);
	if (m->have_agg)
		aggregate_fini(&m->agg);
	m->have_agg = false;
	dlwatch_fini(&m->dw);
	kallsyms_fini(&m->ksyms);
	tcfilter_close(m->acl);
	m->acl = NULL;
	free(m->acl_ports);
	m->acl_ports = NULL;
	m->acl_ports_cap = 0;
	rx_fini(&m->rx);
	return ret;
}

static struct timespec ns_to_ts(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
}

/* Print the tables of the intervals that end by ts (empty ones too, like
 * tshark -z io,stat), each stamped with its end. Intervals start at the
 * capture's first record, whatever it holds.
 */
static void __attribute__((noinline)) replay_tables_until(struct monitor *m, uint64_t ts)
{
	if (m->clock.done)
		return;
	if (!m->clock.started) {
		m->clock.started = true;
		m->clock.next = m->clock.st->first_ns + m->clock.step;
	}
	while (ts >= m->clock.next && !m->clock.done) {
		struct timespec at = ns_to_ts(m->clock.next);

		print_table(m, m->opt.interval, &at);
		m->clock.next += m->clock.step;
		m->clock.done = m->opt.count && ++m->clock.printed >= m->opt.count;
	}
	/* Done: every later record comes here, and is not counted. */
	if (m->clock.done)
		m->clock.next = 0;
}

/* The capture's clock reached ts; false once count tables are out: the
 * rest of the file is not counted. One comparison per record: next is
 * 0 until the first interval starts and once count tables are out, and
 * never reached without an interval. (Alerts keep the kernel's timestamp
 * that the capture holds, for FIRST and LAST.)
 */
static inline bool replay_tick(struct monitor *m, uint64_t ts)
{
	if (__builtin_expect(ts >= m->clock.next, 0)) {
		replay_tables_until(m, ts);
		return !m->clock.done;
	}
	return true;
}

static void replay_netdm(const struct nlmsghdr *nlh, uint64_t ts_ns, void *arg)
{
	if (replay_tick(arg, ts_ns))
		on_netdm_msg(nlh, arg);
}

/* A plain Ethernet capture: every frame is a drop with trap "-". */
static void replay_frame(const uint8_t *frame, uint32_t caplen, uint32_t len, uint64_t ts_ns,
			 void *arg)
{
	struct drop_alert a = {
		.origin = NET_DM_ORIGIN_HW, .trap_name = "-", .payload = frame,
		.payload_len = caplen, .orig_len = len, .timestamp_ns = ts_ns,
	};

	if (replay_tick(arg, ts_ns))
		handle_alert(arg, &a);
}

/* The last table (or the only one): the interval it ends, or the capture's span. */
static int replay_last_table(struct monitor *m, const struct replay_stats *st)
{
	struct timespec at;

	if (m->clock.done)
		return 0;
	if (!st->records)
		return print_table(m, 0, NULL);
	if (m->clock.step) {
		at = ns_to_ts(m->clock.started ? m->clock.next : st->first_ns + m->clock.step);
		return print_table(m, m->opt.interval, &at);
	}
	at = ns_to_ts(st->last_ns);
	return print_table(m, (double)(st->last_ns - st->first_ns) / 1e9, &at);
}

static void replay_malformed(void *arg)
{
	struct monitor *m = arg;

	count_malformed(m);
}

int monitor_replay(struct monitor *m, const char *path, struct errmsg *e)
{
	const struct replay_ops ops = {
		.netdm_msg = replay_netdm, .ether_frame = replay_frame,
		.malformed = replay_malformed, .arg = m,
	};
	struct replay_stats st = { 0 };
	int ret;

	m->clock.st = &st;
	m->clock.step = (uint64_t)(m->opt.interval * 1e9);
	m->clock.next = m->clock.step ? 0 : UINT64_MAX;
	ret = replay_file(path, &ops, &st, e);

	/* What was read before an error still counts. */
	if (ret < 0 && st.records == 0)
		return -1;
	if (replay_last_table(m, &st) < 0 && ret == 0) {
		errmsg_set(e, ENOMEM, "out of memory printing the table: lower --max-flows");
		ret = -1;
	}
	if (ret < 0 || !m->opt.listen)
		return ret;
	/* --listen: keep serving what was replayed until a signal. */
	if (monitor_serve(m, e) < 0)
		return -1;
	while (!monitor_stop)
		if (wait_and_serve(m, 0, e) < 0)
			return -1;
	return 0;
}

struct monitor *monitor_new(void)
{
	return calloc(1, sizeof(struct monitor));
}

void monitor_free(struct monitor *m)
{
	free(m);
}

/* A full disk: say so once and keep counting. A reader that went away
 * (-w - into a pipe): stop like any other end, table on stderr.
 */
static void capture_failed(struct monitor *m)
{
	if (!capture_error(m->cap))
		return;
	m->capture_failed = true;
	if (capture_errno(m->cap) == EPIPE) {
		m->capture_failed = false;
		m->capture_closed = true;
		monitor_stop = 1;
		fprintf(stderr, "trapmon: the capture's reader went away; stopping\n");
		return;
	}
	fprintf(stderr, "trapmon: %s; still counting\n", capture_error(m->cap));
}

/* -w: write what was selected; after a failure say so once, keep counting. */
void capture_alert(struct monitor *m, const struct nlmsghdr *nlh, const struct drop_alert *a)
{
	if (!m->cap || m->capture_failed || m->capture_closed)
		return;
	if (capture_write(m->cap, nlh, a ? a->payload : NULL, a ? a->payload_len : 0,
			  a ? a->orig_len : 0, a ? a->timestamp_ns : 0) < 0)
		capture_failed(m);
}

/* -w: flush at least once a second and rotate by time (-G) even when no
 * drop arrives.
 */
void capture_tick_now(struct monitor *m)
{
	if (!m->cap || m->capture_failed || m->capture_closed)
		return;
	if (capture_tick(m->cap, NULL, NULL) < 0)
		capture_failed(m);
}

bool monitor_capture_failed(const struct monitor *m)
{
	return m->capture_failed;
}

void monitor_set_output(struct monitor *m, FILE *out)
{
	m->out = out;
}

void monitor_attach_netdm(struct monitor *m, const struct netdm *dm)
{
	m->dm = *dm;
	m->have_dm = true;
}
