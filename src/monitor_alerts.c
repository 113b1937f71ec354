/* monitor_alerts: the session's events in, counted. NET_DM's alerts and
 * summaries, read in batches from rx, and the trap-report tracepoint's
 * records go to the aggregate and, selected, to the capture; malformed
 * messages and overruns go to the loss counts; a full table or a trap
 * name without memory is said once. The loop (monitor_loop.c) calls
 * read_alerts() and read_trap_reports() when their sockets are ready.
 */
#include "config.h"

#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/net_dropmon.h>

#include "monitor_priv.h"
#include "nlparse.h"

void count_malformed(struct monitor *m)
{
	m->loss.malformed++;
	m->total.malformed++;
}

/* The flow table could not grow, or a new trap's name found no memory
 * (ulimit -v): each said once; counting goes on, new flows fold into
 * (other) and such traps into one named entry, so totals stay exact.
 * Looked at after each batch of alerts and before each table, not per
 * alert: the deferred table settles here first.
 */
static void check_table_full(struct monitor *m)
{
	flowtab_settle(&m->agg.ft);
	if (m->agg.ft.out_of_memory && !m->table_full_said) {
		m->table_full_said = true;
		fprintf(stderr, "trapmon: out of memory: the flow table stays at %u flows; new flows "
			"are counted in (other) and totals stay exact: raise the memory limit "
			"(ulimit -v)\n", m->agg.ft.nflows);
	}
	if (m->agg.ft.unnamed_id && !m->names_oom_said) {
		m->names_oom_said = true;
		fprintf(stderr, "trapmon: out of memory for a new trap's name: its drops are counted "
			"as \"(trap name: out of memory)\" and totals stay exact: raise the memory "
			"limit (ulimit -v)\n");
	}
}

/* Count one alert (false when -d/-e/-c or --filter leave it out) and
 * remember the name of the port it came in on, where rows show ports: a
 * replay names them as the capture did, not as this host would.
 */
bool handle_alert(struct monitor *m, const struct drop_alert *a)
{
	if (!aggregate_alert(&m->agg, a))
		return false;
	if (a->in_ifindex && a->in_port_name && m->agg.keep.ifindex)
		portnames_remember(&m->ports, a->in_ifindex, a->in_port_name);
	return true;
}

static void on_trap_report(const struct trap_report *r, void *arg)
{
	struct monitor *m = arg;

	aggregate_report(&m->agg, r, portnames_index(&m->ports, r->port), m->tp_types);
}

void read_trap_reports(struct monitor *m)
{
	if (m->have_tp)
		tpsource_drain(&m->tp, on_trap_report, m);
	check_table_full(m);
}

/* Summary mode: counts per hardware trap and per software drop point. */
static void handle_summary(struct monitor *m, const struct nlmsghdr *nlh)
{
	struct drop_summary_entry v[NETDM_SUMMARY_MAX];
	int n = netdm_parse_summary(nlh, v), i;

	if (n < 0) {
		count_malformed(m);
		return;
	}
	for (i = 0; i < n; i++) {
		char sym[160];
		const char *name = v[i].trap_name;
		bool sw = v[i].origin == NET_DM_ORIGIN_SW;

		if (sw)
			name = kallsyms_name(&m->ksyms, v[i].pc, sym, sizeof(sym));
		/* Summaries carry drop points, never reasons. */
		aggregate_count(&m->agg, &(struct agg_count){
			.origin = (uint8_t)v[i].origin, .name = name, .type = TRAP_TYPE_UNKNOWN,
			.no_reason = sw, .source = TRAP_SOURCE_NETDM, .packets = v[i].count });
	}
}

int on_netdm_msg(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	struct drop_alert a;

	switch (nlparse_genl_cmd(nlh)) {
	case -1:	/* too short for its genl header */
		count_malformed(m);
		return MNL_CB_OK;
	case NET_DM_CMD_PACKET_ALERT:
		break;
	case NET_DM_CMD_ALERT:
		handle_summary(m, nlh);
		if (m->opt.cap.linktype == CAPTURE_NETLINK)
			capture_alert(m, nlh, NULL);
		return MNL_CB_OK;
	default:
		return MNL_CB_OK;
	}
	if (netdm_parse_alert_memo(nlh, &a, &m->memo) < 0) {
		count_malformed(m);
		return MNL_CB_OK;
	}
	if (handle_alert(m, &a) && m->cap)	/* no call per alert without -w */
		capture_alert(m, nlh, &a);
	return MNL_CB_OK;
}

static void rx_malformed(void *arg)
{
	count_malformed(arg);
}

static void rx_overrun(void *arg)
{
	struct monitor *m = arg;

	m->loss.overruns++;
	m->total.overruns++;
}

/* Drain the event socket; returns how many datagrams were read, or -1. */
long read_alerts(struct monitor *m, struct errmsg *e)
{
	const struct rx_ops ops = { on_netdm_msg, rx_malformed, rx_overrun, m };
	long n = rx_drain(&m->rx, netdm_event_fd(&m->dm), &ops, e);

	check_table_full(m);
	return n;
}
