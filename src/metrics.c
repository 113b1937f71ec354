/* metrics: Prometheus text exposition (version 0.0.4) of the aggregate,
 * devlink's own trap counters, the trap actions trapmon holds changed, loss
 * and build information.
 */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "metrics.h"
#include "names.h"
#include "netdm.h"
#include "why.h"

void metrics_label_value(FILE *fp, const char *value)
{
	fputc('"', fp);
	for (; *value; value++) {
		if (*value == '\\')
			fputs("\\\\", fp);
		else if (*value == '"')
			fputs("\\\"", fp);
		else if (*value == '\n')
			fputs("\\n", fp);
		else
			fputc(*value, fp);
	}
	fputc('"', fp);
}

static void label(FILE *fp, const char *name, const char *value, bool first)
{
	fprintf(fp, "%s%s=", first ? "" : ",", name);
	metrics_label_value(fp, value ? value : "");
}

static void head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const char *type_name(uint8_t type)
{
	const char *name = trap_type_name(type);

	return name ? name : "";
}

/* Per (trap, device) sums of the flows, plus each trap's flowless counts. */
struct trap_dev {
	uint16_t trap_id;
	const char *device;
	uint64_t packets, bytes;
};

static int by_trap_dev(const void *a, const void *b)
{
	const struct trap_dev *x = a, *y = b;

	if (x->trap_id != y->trap_id)
		return x->trap_id < y->trap_id ? -1 : 1;
	return strcmp(x->device, y->device);
}

/* Every (trap, device) pair's sums, sorted; *n set. NULL when out of memory. */
static struct trap_dev *trap_devs(const struct metrics_input *in, size_t *count)
{
	const struct flowtab *ft = in->ft;
	size_t n = 0, i, cap = (size_t)ft->nflows + ft->ntraps + 1;
	struct trap_dev *v = malloc(cap * sizeof(*v));

	if (!v)
		return NULL;
	for (i = 0; i < ft->nflows; i++) {
		const struct flow_entry *e = &ft->entries[i];
		const char *dev = e->key.ifindex && in->device_of ?
				  in->device_of(e->key.ifindex, in->arg) : NULL;

		v[n++] = (struct trap_dev){ e->key.trap_id, dev ? dev : "", e->packets, e->bytes };
	}
	/* Folded and flowless counts have no in-port: device unknown. */
	for (i = 0; i < ft->ntraps; i++) {
		const struct trap_stat *t = &ft->traps[i];

		if (t->other_packets + t->bare_packets)
			v[n++] = (struct trap_dev){ (uint16_t)i, "", t->other_packets + t->bare_packets,
						    t->other_bytes + t->bare_bytes };
	}
	qsort(v, n, sizeof(*v), by_trap_dev);
	*count = n;
	return v;
}

static int alert_metrics(FILE *fp, const struct metrics_input *in)
{
	const struct flowtab *ft = in->ft;
	size_t n, i;
	struct trap_dev *v = trap_devs(in, &n);

	if (!v)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		const char *metric = pass ? "trapmon_trap_bytes_total" : "trapmon_trap_packets_total";

		head(fp, metric, "counter", pass ? "Bytes of trapped packets, per trap; 0 where the "
			"source carries no packet (tracepoint)."
			: "Trapped or dropped packets per trap (or drop reason); source: netdm (drop "
			"monitor alerts), tracepoint (devlink_trap_report events) or devlink (its "
			"per-trap counters).");
		for (i = 0; i < n;) {
			size_t j = i;
			uint64_t sum = 0;
			const struct trap_stat *t = &ft->traps[v[i].trap_id];

			for (; j < n && !by_trap_dev(&v[i], &v[j]); j++)
				sum += pass ? v[j].bytes : v[j].packets;
			fprintf(fp, "%s{", metric);
			label(fp, "device", v[i].device, true);
			label(fp, "trap", t->name, false);
			label(fp, "group", t->group, false);
			label(fp, "type", type_name(t->type), false);
			label(fp, "origin", drop_origin_name(t->origin), false);
			label(fp, "source", trap_source_name(t->source), false);
			/* Software series say whether trap is a drop reason. */
			if (t->origin != NET_DM_ORIGIN_HW)
				label(fp, "reason", t->no_reason ? "unknown" : t->name, false);
			fprintf(fp, "} %" PRIu64 "\n", sum);
			i = j;
		}
	}
	free(v);
	return 0;
}

/* One trap of the info metric: its device as the counters name it. */
struct info_row {
	char device[2 * DL_NAME_MAX + 2];
	struct trap_stat t;	/* name, group, origin, type, no_reason */
};

static int by_device_trap(const void *a, const void *b)
{
	const struct info_row *x = a, *y = b;
	int d = strcmp(x->device, y->device);

	return d ? d : strcmp(x->t.name, y->t.name);
}

/* trapmon_trap_info: one series per (device, trap) that the counters name,
 * with the guide's severity; an info metric (value 1), so dashboards join
 * it on device and trap instead of multiplying the counter series.
 */
static int info_metrics(FILE *fp, const struct metrics_input *in)
{
	size_t n = 0, i, m = 0, ndl = in->traps ? in->traps->n : 0;
	struct trap_dev *v = trap_devs(in, &n);
	struct info_row *rows = v ? malloc((n + ndl + 1) * sizeof(*rows)) : NULL;
	char buf[320];
	int ret = -1;

	if (!rows)
		goto out;
	for (i = 0; i < n; i++, m++) {
		rows[m].t = in->ft->traps[v[i].trap_id];
		snprintf(rows[m].device, sizeof(rows[m].device), "%s", v[i].device);
	}
	for (i = 0; i < ndl; i++, m++) {
		const struct dl_trap *d = &in->traps->v[i];

		rows[m].t = (struct trap_stat){ .name = (char *)d->name, .group = (char *)d->group,
						.origin = NET_DM_ORIGIN_HW, .type = d->type };
		snprintf(rows[m].device, sizeof(rows[m].device), "%s/%s", d->bus, d->dev);
	}
	qsort(rows, m, sizeof(*rows), by_device_trap);
	head(fp, "trapmon_trap_info", "gauge",
	     "Each trap's (or drop reason's) type and severity from trapmon's guide, value 1.");
	for (i = 0; i < m; i++) {
		struct why_info w;

		if (i && !by_device_trap(&rows[i - 1], &rows[i]))
			continue;
		why_of(&rows[i].t, buf, sizeof(buf), &w);
		fputs("trapmon_trap_info{", fp);
		label(fp, "device", rows[i].device, true);
		label(fp, "trap", rows[i].t.name, false);
		label(fp, "group", rows[i].t.group, false);
		label(fp, "type", type_name(rows[i].t.type), false);
		label(fp, "severity", w.severity ? w.severity : "unknown", false);
		fputs("} 1\n", fp);
	}
	ret = 0;
out:
	free(rows);
	free(v);
	return ret;
}

static void devlink_metrics(FILE *fp, const struct dl_traps *traps)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} m[] = {
		{ "trapmon_devlink_trap_rx_packets_total", "Packets devlink counted for the trap.",
		  offsetof(struct dl_trap, rx_packets) },
		{ "trapmon_devlink_trap_rx_bytes_total", "Bytes devlink counted for the trap.",
		  offsetof(struct dl_trap, rx_bytes) },
		{ "trapmon_devlink_trap_policer_drops_total",
		  "Packets of the trap dropped by its policer.", offsetof(struct dl_trap, rx_dropped) },
	};
	size_t k, i;

	for (k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
		head(fp, m[k].name, "counter", m[k].help);
		for (i = 0; i < traps->n; i++) {
			const struct dl_trap *t = &traps->v[i];
			char dev[2 * DL_NAME_MAX + 2];
			uint64_t val;

			if (!t->has_stats)
				continue;
			memcpy(&val, (const char *)t + m[k].off, sizeof(val));
			snprintf(dev, sizeof(dev), "%s/%s", t->bus, t->dev);
			fprintf(fp, "%s{", m[k].name);
			label(fp, "device", dev, true);
			label(fp, "trap", t->name, false);
			label(fp, "group", t->group, false);
			label(fp, "type", type_name(t->type), false);
			label(fp, "action", devlink_action_str(t->action), false);
			fprintf(fp, "} %" PRIu64 "\n", val);
		}
	}
}

static const struct dl_trap *find_trap(const struct dl_traps *traps, const struct journal_entry *en)
{
	size_t i;

	for (i = 0; traps && i < traps->n; i++)
		if (!strcmp(traps->v[i].name, en->name) && !strcmp(traps->v[i].bus, en->bus) &&
		    !strcmp(traps->v[i].dev, en->dev))
			return &traps->v[i];
	return NULL;
}

/* One series per trap whose original action trapmon keeps to put back, so
 * that an alert can say a trap was left changed. The action is the one
 * devlink reports now; "unknown" when devlink could not be asked.
 */
static void changed_metrics(FILE *fp, const struct metrics_input *in)
{
	size_t i;

	head(fp, "trapmon_trap_action_changed", "gauge",
	     "1 while trapmon holds the trap's action changed from original (put back at exit).");
	for (i = 0; i < in->nchanged; i++) {
		const struct journal_entry *en = &in->changed[i];
		const struct dl_trap *t = find_trap(in->traps, en);
		char dev[2 * DL_NAME_MAX + 2];

		if (en->kind != JOURNAL_TRAP)
			continue;
		/* Gone with its device, or back as found: nothing held. */
		if (in->traps && (!t || t->action == en->action))
			continue;
		snprintf(dev, sizeof(dev), "%s/%s", en->bus, en->dev);
		fputs("trapmon_trap_action_changed{", fp);
		label(fp, "device", dev, true);
		label(fp, "trap", en->name, false);
		label(fp, "action", t ? devlink_action_str(t->action) : "unknown", false);
		label(fp, "original", devlink_action_str(en->action), false);
		fputs("} 1\n", fp);
	}
}

/* Flows merged on the labels they are exported with, so that flows that
 * differ only in in-port or --wide fields make one series.
 */
struct flow_series {
	uint16_t trap_id;
	uint8_t family, ip_proto, is_encap;
	uint8_t saddr[16], daddr[16];
	uint16_t sport, dport;
	uint64_t packets;
};

static int series_cmp(const struct flow_series *a, const struct flow_series *b)
{
	if (a->trap_id != b->trap_id)
		return a->trap_id < b->trap_id ? -1 : 1;
	if (a->family != b->family)
		return a->family - b->family;
	if (a->ip_proto != b->ip_proto)
		return a->ip_proto - b->ip_proto;
	if (a->is_encap != b->is_encap)
		return a->is_encap - b->is_encap;
	if (a->sport != b->sport)
		return a->sport - b->sport;
	if (a->dport != b->dport)
		return a->dport - b->dport;
	int d = memcmp(a->saddr, b->saddr, 16);

	return d ? d : memcmp(a->daddr, b->daddr, 16);
}

static int by_labels(const void *a, const void *b)
{
	return series_cmp(a, b);
}

static int by_packets(const void *a, const void *b)
{
	const struct flow_series *x = a, *y = b;

	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	return series_cmp(x, y);
}

static const char *addr(uint8_t family, const uint8_t *a, char *buf, size_t len)
{
	if (family == FLOW_FAMILY_IPV4)
		return inet_ntop(AF_INET, a, buf, (socklen_t)len);
	if (family == FLOW_FAMILY_IPV6)
		return inet_ntop(AF_INET6, a, buf, (socklen_t)len);
	return "";
}

static void flow_labels(FILE *fp, const struct flowtab *ft, const struct flow_series *s)
{
	char a[64], b[64], num[16];

	label(fp, "trap", ft->traps[s->trap_id].name, true);
	label(fp, "sip", addr(s->family, s->saddr, a, sizeof(a)), false);
	label(fp, "dip", addr(s->family, s->daddr, b, sizeof(b)), false);
	snprintf(num, sizeof(num), "%u", s->sport);
	label(fp, "sport", num, false);
	snprintf(num, sizeof(num), "%u", s->dport);
	label(fp, "dport", num, false);
	snprintf(num, sizeof(num), "%u", s->ip_proto);
	label(fp, "ip_proto", num, false);
	snprintf(num, sizeof(num), "%u", s->is_encap);
	label(fp, "is_encap", num, false);
}

/* --by's labels: in_port for port, ip_proto and is_encap as trapagg's. */
static const char *const by_label[BY_MAX] = {
	[BY_TRAP] = "trap", [BY_GROUP] = "group", [BY_DEVICE] = "device", [BY_PORT] = "in_port",
	[BY_SIP] = "sip", [BY_DIP] = "dip", [BY_SPORT] = "sport", [BY_DPORT] = "dport",
	[BY_PROTO] = "ip_proto", [BY_ENCAP] = "is_encap", [BY_VLAN] = "vlan", [BY_REASON] = "reason",
};

/* With --by, the flow series are the table's rows, one label per key
 * ("" where the table prints "-"; folded rows are left out, as above).
 */
static int by_flow_metrics(FILE *fp, const struct metrics_input *in)
{
	struct flowtab_view view = { in->ft, false };
	struct out_opts o = { .by = in->by, .device_of = in->device_of, .device_arg = in->arg,
			      .port_name = in->port_name, .port_arg = in->port_arg };
	struct out_rows rows;
	struct out_row r;
	size_t i, shown = 0;
	char buf[128];
	int k, ret = -1;

	if (output_collect(&view, NULL, 0, &rows) < 0)
		return -1;
	if (output_merge_by(&rows, &o) < 0)
		goto out;
	head(fp, "trapmon_flow_packets_total", "counter",
	     "Dropped packets per --by key; only the rows with the highest counts.");
	for (i = 0; i < rows.n && shown < in->flow_top; i++) {
		const char *sep = "";

		output_row(&rows, i, &r);
		if (r.other)
			continue;
		fputs("trapmon_flow_packets_total{", fp);
		for (k = 0; k < BY_MAX; k++) {
			const char *v;

			if (!(in->by & BY_BIT(k)))
				continue;
			v = output_key_text(buf, sizeof(buf), (enum by_key)k, &r, &o);
			fprintf(fp, "%s%s=", sep, by_label[k]);
			metrics_label_value(fp, strcmp(v, "-") ? v : "");
			sep = ",";
		}
		fprintf(fp, "} %" PRIu64 "\n", r.packets);
		shown++;
	}
	ret = 0;
out:
	output_rows_fini(&rows);
	return ret;
}

size_t metrics_flow_bytes(void)
{
	return sizeof(struct flow_series) + 2 * sizeof(void *);
}

static int flow_metrics(FILE *fp, const struct metrics_input *in)
{
	const struct flowtab *ft = in->ft;
	struct flow_series *v = malloc(((size_t)ft->nflows + 1) * sizeof(*v));
	size_t n = 0, i, m = 0;

	if (!v)
		return -1;
	for (i = 0; i < ft->nflows; i++) {
		const struct flow_entry *e = &ft->entries[i];
		const struct flow_key *f = &e->key.flow;
		struct flow_series s = { .trap_id = e->key.trap_id, .family = f->family,
					 .ip_proto = f->ip_proto, .is_encap = f->is_encap,
					 .sport = f->sport, .dport = f->dport, .packets = e->packets };

		memcpy(s.saddr, f->saddr, 16);
		memcpy(s.daddr, f->daddr, 16);
		v[n++] = s;
	}
	qsort(v, n, sizeof(*v), by_labels);
	for (i = 0; i < n; i++) {
		if (m && !series_cmp(&v[m - 1], &v[i]))
			v[m - 1].packets += v[i].packets;
		else
			v[m++] = v[i];
	}
	qsort(v, m, sizeof(*v), by_packets);
	if (m > in->flow_top)
		m = in->flow_top;
	head(fp, "trapmon_flow_packets_total", "counter",
	     "Dropped packets per trap and flow; only the flows with the highest counts.");
	for (i = 0; i < m; i++) {
		fputs("trapmon_flow_packets_total{", fp);
		flow_labels(fp, ft, &v[i]);
		fprintf(fp, "} %" PRIu64 "\n", v[i].packets);
	}
	if (in->compat_trapagg) {
		/* trapagg-exporter.py's series: the seed's labels, sorted by name. */
		head(fp, "node_net_trapagg_total", "counter", "Aggregated trap data");
		for (i = 0; i < m; i++) {
			char a[64], b[64];
			const struct flow_series *s = &v[i];

			fputs("node_net_trapagg_total{", fp);
			label(fp, "dip", addr(s->family, s->daddr, b, sizeof(b)), true);
			fprintf(fp, ",dport=\"%u\",ip_proto=\"%u\",is_encap=\"%u\"", s->dport, s->ip_proto,
				s->is_encap);
			label(fp, "sip", addr(s->family, s->saddr, a, sizeof(a)), false);
			fprintf(fp, ",sport=\"%u\"", s->sport);
			label(fp, "trap", ft->traps[s->trap_id].name, false);
			fprintf(fp, "} %" PRIu64 "\n", s->packets);
		}
	}
	free(v);
	return 0;
}

static void loss_metrics(FILE *fp, const struct out_loss *l)
{
	head(fp, "trapmon_kernel_queue_drops_total", "counter",
	     "Alerts the kernel dropped because its per-CPU queue was full (NET_DM STATS).");
	fprintf(fp, "trapmon_kernel_queue_drops_total{origin=\"hw\"} %" PRIu64 "\n", l->kernel_hw);
	fprintf(fp, "trapmon_kernel_queue_drops_total{origin=\"sw\"} %" PRIu64 "\n", l->kernel_sw);
	head(fp, "trapmon_socket_overruns_total", "counter",
	     "Receive-buffer overruns (ENOBUFS) on the alert socket.");
	fprintf(fp, "trapmon_socket_overruns_total %" PRIu64 "\n", l->overruns);
	head(fp, "trapmon_flows_folded_total", "counter",
	     "Alerts folded into a trap's (other) row because the flow table was full.");
	fprintf(fp, "trapmon_flows_folded_total %" PRIu64 "\n", l->folded);
	head(fp, "trapmon_malformed_messages_total", "counter",
	     "NET_DM messages that failed to parse.");
	fprintf(fp, "trapmon_malformed_messages_total %" PRIu64 "\n", l->malformed);
	if (l->perf_known) {
		head(fp, "trapmon_tracepoint_samples_lost_total", "counter",
		     "Trap reports the perf rings had no room for (PERF_RECORD_LOST).");
		fprintf(fp, "trapmon_tracepoint_samples_lost_total %" PRIu64 "\n", l->perf_lost);
	}
}

/* The gaps a live session had while drop_monitor was unloaded. */
static void netdm_metrics(FILE *fp, const struct metrics_input *in)
{
	head(fp, "trapmon_netdm_up", "gauge",
	     "1 while the kernel's drop monitor (NET_DM) is loaded, 0 while trapmon waits for it.");
	fprintf(fp, "trapmon_netdm_up %d\n", in->netdm_up);
	head(fp, "trapmon_netdm_gaps_total", "counter",
	     "Times the drop monitor went away (drop_monitor unloaded) while trapmon ran.");
	fprintf(fp, "trapmon_netdm_gaps_total %u\n", in->netdm_gaps);
	head(fp, "trapmon_netdm_down_seconds_total", "counter",
	     "Seconds without the drop monitor: no alerts could be counted then.");
	fprintf(fp, "trapmon_netdm_down_seconds_total %.3f\n", in->netdm_down_seconds);
}

int metrics_render(FILE *fp, const struct metrics_input *in)
{
	int ret = 0;

	head(fp, "trapmon_up", "gauge", "1 while trapmon is aggregating.");
	fputs("trapmon_up 1\n", fp);
	head(fp, "trapmon_build_info", "gauge", "trapmon's version and libraries, value 1.");
	fputs("trapmon_build_info{", fp);
	label(fp, "version", PACKAGE_VERSION, true);
	label(fp, "libpcap", pcap_lib_version(), false);
	fputs("} 1\n", fp);
	/* A series left out for want of memory would read as a reset: fail. */
	if (alert_metrics(fp, in) < 0 || info_metrics(fp, in) < 0)
		return -1;
	if (in->traps)
		devlink_metrics(fp, in->traps);
	/* Replays have neither: no family that could never have a series. */
	if (in->traps || in->nchanged)
		changed_metrics(fp, in);
	ret = in->by ? by_flow_metrics(fp, in) : flow_metrics(fp, in);
	if (ret < 0)
		return -1;
	loss_metrics(fp, in->loss);
	if (in->netdm_watched)
		netdm_metrics(fp, in);
	return ferror(fp) ? -1 : 0;
}
