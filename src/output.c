/* output: the aggregated <trap, flow> table as text or JSON lines.
 * Columns are the seed's (trapagg's) in its order; widths follow content so
 * long IPv6 addresses and trap names stay aligned.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netdm.h"
#include "names.h"
#include "grid.h"
#include "output.h"
#include "textfmt.h"
#include "why.h"

enum col {
	COL_ORIGIN, COL_TRAP, COL_GROUP, COL_DEVICE, COL_PORT, COL_SIP, COL_DIP, COL_SPORT,
	COL_DPORT, COL_PROTO, COL_ENCAP, COL_VLAN, COL_REASON, COL_OSIP, COL_ODIP, COL_ICMP,
	COL_MIRROR, COL_LOC, COL_COOKIE, COL_ACL, COL_BYTES, COL_FIRST, COL_LAST, COL_RATE,
	COL_COUNT,
	COL_MAX,
};

/* Every cell's buffer: MIRROR's two IPv6 addresses and protocol fit. One
 * size for all callers also lets the compiler specialise cell() for it.
 */
#define CELL_SIZE 96

/* by: the --by key a column shows, or -1; never: not without --by. */
static const struct {
	const char *head;
	bool wide_only;
	bool by_only;
	int by;
} cols[COL_MAX] = {
	[COL_ORIGIN] = { "ORIGIN", false, false, -1 },
	[COL_TRAP]   = { "TRAP", false, false, BY_TRAP },
	[COL_GROUP]  = { "GROUP", true, false, BY_GROUP },
	[COL_DEVICE] = { "DEVICE", false, true, BY_DEVICE },
	[COL_PORT]   = { "PORT", true, false, BY_PORT },
	[COL_SIP]    = { "SIP", false, false, BY_SIP },
	[COL_DIP]    = { "DIP", false, false, BY_DIP },
	[COL_SPORT]  = { "SPORT", false, false, BY_SPORT },
	[COL_DPORT]  = { "DPORT", false, false, BY_DPORT },
	[COL_PROTO]  = { "IP_PROTO", false, false, BY_PROTO },
	[COL_ENCAP]  = { "IS_ENCAP", false, false, BY_ENCAP },
	[COL_VLAN]   = { "VLAN", true, false, BY_VLAN },
	[COL_REASON] = { "REASON", false, true, BY_REASON },
	[COL_OSIP]   = { "OUTER_SIP", true, false, -1 },
	[COL_ODIP]   = { "OUTER_DIP", true, false, -1 },
	[COL_ICMP]   = { "ICMP", true, false, -1 },
	[COL_MIRROR] = { "MIRROR", true, false, -1 },
	[COL_LOC]    = { "LOCATION", true, false, -1 },
	[COL_COOKIE] = { "COOKIE", true, false, -1 },
	[COL_ACL]    = { "ACL", true, false, -1 },
	[COL_BYTES]  = { "BYTES", true, false, -1 },
	[COL_FIRST]  = { "FIRST", true, false, -1 },
	[COL_LAST]   = { "LAST", true, false, -1 },
	[COL_RATE]   = { "RATE", true, false, -1 },
	[COL_COUNT]  = { "COUNT", false, false, -1 },
};

/* --by: its keys' columns, then COUNT (with --wide, BYTES, FIRST, LAST, RATE). */
static bool by_col_shown(int c, const struct out_opts *o)
{
	if (c == COL_ORIGIN)
		return o->show_origin && o->by & BY_BIT(BY_TRAP);
	if (cols[c].by >= 0)
		return o->by & BY_BIT(cols[c].by);
	if (c == COL_BYTES || c == COL_FIRST || c == COL_LAST || c == COL_RATE)
		return o->wide;
	return c == COL_COUNT;
}

static bool col_shown(int c, const struct out_opts *o)
{
	if (o->by)
		return by_col_shown(c, o);
	if (cols[c].by_only)
		return false;
	if (c == COL_ORIGIN)
		return o->show_origin;
	if (c == COL_LOC)
		return o->wide && o->show_location;
	if (c == COL_COOKIE || c == COL_ACL)
		return o->wide && o->show_acl;
	return !cols[c].wide_only || o->wide;
}

static const char *addr_str(uint8_t family, const uint8_t *addr, char *buf, size_t n)
{
	if (family == FLOW_FAMILY_IPV4)
		return n >= TEXTFMT_IPV4_LEN ? textfmt_ipv4(addr, buf) : inet_ntop(AF_INET, addr, buf, n);
	if (family == FLOW_FAMILY_IPV6)
		return n >= TEXTFMT_IPV6_LEN ? textfmt_ipv6(addr, buf) : inet_ntop(AF_INET6, addr, buf, n);
	return "-";
}

/* ERSPAN's mirrored packet as SIP>DIP/PROTO, or "-". */
static const char *mirror_str(const struct flow_key *f, char *buf, size_t n)
{
	char s[CELL_SIZE], d[CELL_SIZE];

	if (!(f->flags & FLOW_F_MIRROR))
		return "-";
	snprintf(buf, n, "%s>%s/%u", addr_str(f->mirror_family, f->mirror_saddr, s, sizeof(s)),
		 addr_str(f->mirror_family, f->mirror_daddr, d, sizeof(d)), f->mirror_proto);
	return buf;
}

/* A drop's time as local HH:MM:SS.mmm, or "-". */
static const char *fmt_time(char *buf, size_t n, uint64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t len;

	if (!ns || !localtime_r(&sec, &tm))
		return "-";
	len = strftime(buf, n, "%H:%M:%S", &tm);
	snprintf(buf + len, n - len, ".%03u", (unsigned int)(ns / 1000000u % 1000u));
	return buf;
}

static const char *fmt_rate(char *buf, size_t n, const struct out_row *r, const struct out_opts *o)
{
	if (!(o->span > 0))
		return "-";
	snprintf(buf, n, "%.1f", (double)r->packets / o->span);
	return buf;
}

/* The column that says "(other)" in a folded row: SIP, or --by's first flow key. */
static int other_col(const struct out_opts *o)
{
	int c;

	if (!o->by)
		return COL_SIP;
	for (c = COL_DEVICE; c <= COL_REASON; c++)
		if (o->by & BY_BIT(cols[c].by))
			return c;
	return COL_SIP;
}

/* Cells that do not depend on the flow; NULL for the others. */
static const char *trap_cell(char *buf, size_t n, int c, const struct out_row *r,
			     const struct out_opts *o)
{
	const char *s;

	switch (c) {
	case COL_ORIGIN:
		return drop_origin_name(r->trap->origin);
	case COL_TRAP:
		return r->trap->name;
	case COL_GROUP:
		return r->trap->group ? r->trap->group : "-";
	case COL_REASON:
		return r->trap->origin == NET_DM_ORIGIN_SW && !r->trap->no_reason ? r->trap->name : "-";
	case COL_COUNT:
		return textfmt_u64(buf, n, r->packets);
	case COL_BYTES:
		return textfmt_u64(buf, n, r->bytes);
	case COL_FIRST:
		return fmt_time(buf, n, r->first_ns);
	case COL_LAST:
		return fmt_time(buf, n, r->last_ns);
	case COL_RATE:
		return fmt_rate(buf, n, r, o);
	case COL_LOC:
		return r->location ? r->location : "-";
	case COL_COOKIE:
		return r->cookie ? r->cookie : "-";
	case COL_ACL:
		s = r->cookie && r->key && o->acl_name ?
			    o->acl_name(r->trap->name, r->key->ifindex, r->cookie, o->acl_arg) : NULL;
		return s ? s : "-";
	}
	return NULL;
}

/* One cell as text; returns buf or a constant. */
static const char *cell(char *buf, size_t n, int c, const struct out_row *r,
			const struct out_opts *o)
{
	const struct flow_key *f = r->key ? &r->key->flow : NULL;
	const char *s = trap_cell(buf, n, c, r, o);

	if (s)
		return s;
	if (r->other)
		return c == other_col(o) ? "(other)" : "-";
	if (!f)
		return "-";
	switch (c) {
	case COL_DEVICE:
		s = r->key->ifindex && o->device_of ? o->device_of(r->key->ifindex, o->device_arg)
						     : NULL;
		return s ? s : "-";
	case COL_PORT:
		s = r->key->ifindex && o->port_name ? o->port_name(r->key->ifindex, o->port_arg) : NULL;
		if (s)
			return s;
		if (!r->key->ifindex)
			return "-";
		snprintf(buf, n, "if%u", r->key->ifindex);
		return buf;
	case COL_SIP:
		return addr_str(f->family, f->saddr, buf, n);
	case COL_DIP:
		return addr_str(f->family, f->daddr, buf, n);
	case COL_OSIP:
		if (f->flags & FLOW_F_MIRROR)	/* the same bytes hold mirror_* */
			return "-";
		return addr_str(f->outer_family, f->outer_saddr, buf, n);
	case COL_ODIP:
		if (f->flags & FLOW_F_MIRROR)
			return "-";
		return addr_str(f->outer_family, f->outer_daddr, buf, n);
	case COL_MIRROR:
		return mirror_str(f, buf, n);
	}
	/* No IP header (no packet, or not IP): ports and protocol do not apply. */
	if (f->family == FLOW_FAMILY_NONE && c >= COL_SPORT && c <= COL_ENCAP)
		return "-";
	switch (c) {
	case COL_SPORT:
		return textfmt_u64(buf, n, f->sport);
	case COL_DPORT:
		return textfmt_u64(buf, n, f->dport);
	case COL_PROTO:
		return textfmt_u64(buf, n, f->ip_proto);
	case COL_ENCAP:
		return textfmt_u64(buf, n, f->is_encap);
	case COL_VLAN:
		if (!(f->flags & FLOW_F_VLAN))
			return "-";
		snprintf(buf, n, "%u", f->vlan);
		return buf;
	case COL_ICMP:
		if (!(f->flags & FLOW_F_ICMP))
			return "-";
		snprintf(buf, n, "%u/%u", f->icmp_type, f->icmp_code);
		return buf;
	}
	return "-";
}

static void print_loss_text(FILE *fp, const struct out_loss *l)
{
	if (l->kernel_known)
		fprintf(fp, "Lost: %" PRIu64 " in kernel queue (hw %" PRIu64 ", sw %" PRIu64 ")",
			l->kernel_hw + l->kernel_sw, l->kernel_hw, l->kernel_sw);
	else if (!l->perf_known)
		fprintf(fp, "Lost: kernel queue unknown");
	if (l->perf_known)
		fprintf(fp, "%s%" PRIu64 " in perf rings", l->kernel_known ? ", " : "Lost: ",
			l->perf_lost);
	fprintf(fp, ", %" PRIu64 " socket overruns, %" PRIu64 " alerts folded into (other), %"
		PRIu64 " malformed\n", l->overruns, l->folded, l->malformed);
}

/* --top: the rows printed, and the packets of those it leaves out. */
static size_t shown_rows(size_t n, const struct out_opts *o)
{
	return o->top && o->top < n ? o->top : n;
}

static uint64_t packets_past(const struct out_rows *t, size_t shown)
{
	struct out_row r;
	uint64_t sum = 0;

	while (shown < t->n) {
		output_row(t, shown++, &r);
		sum += r.packets;
	}
	return sum;
}

/* The shown columns, in order, and what grid's callback needs to fill them. */
struct text_table {
	const struct out_rows *rows;
	const struct out_opts *o;
	int col[COL_MAX];
	size_t cur;		/* the row in row, built once for all its cells */
	struct out_row row;
};

static const char *text_cell(char *buf, size_t n, size_t row, size_t col, void *arg)
{
	struct text_table *t = arg;

	if (t->cur != row) {
		output_row(t->rows, row, &t->row);
		t->cur = row;
	}
	return cell(buf, n, t->col[col], &t->row, t->o);
}

static void print_text(FILE *fp, const struct out_rows *rows, const struct out_loss *loss,
		       const struct out_opts *o)
{
	struct text_table t = { rows, o, { 0 }, SIZE_MAX, { 0 } };
	size_t n = rows->n;
	struct grid_col gc[COL_MAX];
	struct grid g = { gc, 0, shown_rows(n, o), text_cell, &t };
	int c;

	for (c = 0; c < COL_MAX; c++) {
		if (!col_shown(c, o))
			continue;
		gc[g.ncols] = (struct grid_col){ cols[c].head, false };
		t.col[g.ncols++] = c;
	}
	grid_print(fp, &g, false);
	if (g.nrows < n)
		fprintf(fp, "\u2026 %zu more row%s (%" PRIu64 " packets)\n", n - g.nrows,
			n - g.nrows == 1 ? "" : "s", packets_past(rows, g.nrows));
	print_loss_text(fp, loss);
}

static void json_kv_str(FILE *fp, const char *k, const char *v, bool comma)
{
	fprintf(fp, "%s\"%s\":", comma ? "," : "", k);
	if (v)
		grid_json_str(fp, v);
	else
		fputs("null", fp);
}

/* Software drops: the kernel's drop reason, or null when the kernel gave
 * none (before Linux 5.18, or in summaries) and the name is a function.
 */
static void json_reason(FILE *fp, const struct trap_stat *t)
{
	if (t->origin == NET_DM_ORIGIN_SW)
		json_kv_str(fp, "reason", t->no_reason ? NULL : t->name, true);
}

/* --wide: ERSPAN's mirrored packet, or null. */
static void print_json_mirror(FILE *fp, const struct flow_key *f)
{
	char s[CELL_SIZE], d[CELL_SIZE];

	if (!(f->flags & FLOW_F_MIRROR)) {
		fputs(",\"mirror\":null", fp);
		return;
	}
	fputs(",\"mirror\":{", fp);
	json_kv_str(fp, "sip", addr_str(f->mirror_family, f->mirror_saddr, s, sizeof(s)), false);
	json_kv_str(fp, "dip", addr_str(f->mirror_family, f->mirror_daddr, d, sizeof(d)), true);
	fprintf(fp, ",\"ip_proto\":%u}", f->mirror_proto);
}

/* FIRST, LAST (seconds since the epoch, to the microsecond) and RATE: -j
 * always carries them.
 */
static void print_json_times(FILE *fp, const struct out_row *r, const struct out_opts *o)
{
	const char *k[] = { "first", "last" };
	uint64_t t[] = { r->first_ns, r->last_ns };
	int i;

	for (i = 0; i < 2; i++)
		if (t[i])
			fprintf(fp, ",\"%s\":%" PRIu64 ".%06" PRIu64, k[i], t[i] / 1000000000u,
				t[i] / 1000u % 1000000u);
		else
			fprintf(fp, ",\"%s\":null", k[i]);
	if (o->span > 0)
		fprintf(fp, ",\"rate\":%.3f", (double)r->packets / o->span);
	else
		fputs(",\"rate\":null", fp);
}

/* --by's keys in JSON: each key's name, and whether it prints bare. */
static const struct {
	const char *name;
	bool numeric;
} by_json[BY_MAX] = {
	[BY_TRAP] = { "trap", false },      [BY_GROUP] = { "group", false },
	[BY_DEVICE] = { "device", false },  [BY_PORT] = { "in_port", false },
	[BY_SIP] = { "sip", false },        [BY_DIP] = { "dip", false },
	[BY_SPORT] = { "sport", true },     [BY_DPORT] = { "dport", true },
	[BY_PROTO] = { "ip_proto", true },  [BY_ENCAP] = { "is_encap", true },
	[BY_VLAN] = { "vlan", true },       [BY_REASON] = { "reason", false },
};

/* A row of a --by table: its keys only, then the counts. */
static void print_json_by_row(FILE *fp, const struct out_row *r, const struct out_opts *o)
{
	char buf[CELL_SIZE];
	int c;

	fprintf(fp, "{\"other\":%s", r->other ? "true" : "false");
	if (o->by & BY_BIT(BY_TRAP))
		json_kv_str(fp, "origin", drop_origin_name(r->trap->origin), true);
	for (c = COL_TRAP; c <= COL_REASON; c++) {
		const char *v;

		if (!(o->by & BY_BIT(cols[c].by)))
			continue;
		v = r->other && c != COL_TRAP && c != COL_GROUP ? "-" : cell(buf, sizeof(buf), c, r, o);
		if (strcmp(v, "-") && by_json[cols[c].by].numeric)
			fprintf(fp, ",\"%s\":%s", by_json[cols[c].by].name, v);
		else
			json_kv_str(fp, by_json[cols[c].by].name, strcmp(v, "-") ? v : NULL, true);
	}
	fprintf(fp, ",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64, r->packets, r->bytes);
	print_json_times(fp, r, o);
	fputc('}', fp);
}

const char *output_key_text(char *buf, size_t n, enum by_key k, const struct out_row *r,
			    const struct out_opts *o)
{
	int c;

	for (c = COL_TRAP; c <= COL_REASON; c++)
		if (cols[c].by == (int)k)
			return cell(buf, n, c, r, o);
	return "-";
}

static void print_json_row(FILE *fp, const struct out_row *r, const struct out_opts *o)
{
	static const int flow_cols[] = { COL_SIP, COL_DIP, COL_SPORT, COL_DPORT, COL_PROTO,
					 COL_ENCAP };
	static const char *const flow_keys[] = { "sip", "dip", "sport", "dport", "ip_proto",
						 "is_encap" };
	char buf[CELL_SIZE];
	size_t i;

	fputc('{', fp);
	json_kv_str(fp, "trap", r->trap->name, false);
	json_kv_str(fp, "group", r->trap->group, true);
	json_kv_str(fp, "origin", drop_origin_name(r->trap->origin), true);
	json_reason(fp, r->trap);
	fprintf(fp, ",\"other\":%s", r->other ? "true" : "false");
	for (i = 0; i < sizeof(flow_cols) / sizeof(flow_cols[0]); i++) {
		const char *v = r->other ? "-" : cell(buf, sizeof(buf), flow_cols[i], r, o);

		if (i < 2 || !r->key || r->other || !strcmp(v, "-"))
			json_kv_str(fp, flow_keys[i], strcmp(v, "-") ? v : NULL, true);
		else
			fprintf(fp, ",\"%s\":%s", flow_keys[i], v);
	}
	json_kv_str(fp, "in_port", r->key && r->key->ifindex ? cell(buf, sizeof(buf), COL_PORT, r, o)
				   : NULL, true);
	if (o->wide && r->key && !r->other) {
		const struct flow_key *f = &r->key->flow;

		if (f->flags & FLOW_F_VLAN)
			fprintf(fp, ",\"vlan\":%u", f->vlan);
		else
			fputs(",\"vlan\":null", fp);
		bool outer = f->outer_family && !(f->flags & FLOW_F_MIRROR);

		json_kv_str(fp, "outer_sip", outer ? cell(buf, sizeof(buf), COL_OSIP, r, o) : NULL, true);
		json_kv_str(fp, "outer_dip", outer ? cell(buf, sizeof(buf), COL_ODIP, r, o) : NULL, true);
		if (f->flags & FLOW_F_ICMP)
			fprintf(fp, ",\"icmp_type\":%u,\"icmp_code\":%u", f->icmp_type, f->icmp_code);
		print_json_mirror(fp, f);
	}
	if (o->wide && r->location)
		json_kv_str(fp, "location", r->location, true);
	if (r->cookie) {
		json_kv_str(fp, "cookie", r->cookie, true);
		json_kv_str(fp, "acl", strcmp(cell(buf, sizeof(buf), COL_ACL, r, o), "-") ?
			    cell(buf, sizeof(buf), COL_ACL, r, o) : NULL, true);
	}
	fprintf(fp, ",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64, r->packets, r->bytes);
	print_json_times(fp, r, o);
	fputc('}', fp);
}

/* What the guide says about the trap (--why's words), always in JSON. */
static void why_json(FILE *fp, const struct trap_stat *t)
{
	char buf[320];
	struct why_info w;

	why_of(t, buf, sizeof(buf), &w);
	json_kv_str(fp, "severity", w.severity, true);
	json_kv_str(fp, "description", w.description, true);
	json_kv_str(fp, "check", w.check, true);
}

static void print_json(FILE *fp, const struct out_rows *rows, const struct out_loss *l,
		       const struct out_opts *o, const struct timespec *now)
{
	const struct flowtab_view *view = &rows->view;
	const struct flowtab *ft = view->ft;
	size_t n = rows->n;
	struct out_row r;
	struct trap_mark c;
	size_t i;
	bool first = true;

	fprintf(fp, "{\"timestamp\":%lld.%03ld,\"flows\":[", (long long)now->tv_sec,
		now->tv_nsec / 1000000);
	for (i = 0; i < shown_rows(n, o); i++) {
		if (i)
			fputc(',', fp);
		output_row(rows, i, &r);
		if (o->by)
			print_json_by_row(fp, &r, o);
		else
			print_json_row(fp, &r, o);
	}
	fputc(']', fp);
	if (o->top)
		fprintf(fp, ",\"more_rows\":%zu,\"more_packets\":%" PRIu64, n - shown_rows(n, o),
			packets_past(rows, shown_rows(n, o)));
	fputs(",\"traps\":[", fp);
	for (i = 0; i < ft->ntraps; i++) {
		const struct trap_stat *t = &ft->traps[i];

		flowtab_view_trap(view, (uint32_t)i, &c);
		if (!c.packets)
			continue;
		fputs(first ? "{" : ",{", fp);
		first = false;
		json_kv_str(fp, "trap", t->name, false);
		json_kv_str(fp, "group", t->group, true);
		json_kv_str(fp, "type", trap_type_name(t->type), true);
		json_kv_str(fp, "origin", drop_origin_name(t->origin), true);
		json_reason(fp, t);
		why_json(fp, t);
		fprintf(fp, ",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64
			",\"folded_packets\":%" PRIu64 "}", c.packets, c.bytes, c.other_packets);
	}
	fputs("],\"loss\":{", fp);
	if (l->kernel_known)
		fprintf(fp, "\"kernel_queue_hw\":%" PRIu64 ",\"kernel_queue_sw\":%" PRIu64 ",",
			l->kernel_hw, l->kernel_sw);
	else
		fputs("\"kernel_queue_hw\":null,\"kernel_queue_sw\":null,", fp);
	if (l->perf_known)
		fprintf(fp, "\"perf_rings\":%" PRIu64 ",", l->perf_lost);
	else
		fputs("\"perf_rings\":null,", fp);
	fprintf(fp, "\"socket_overruns\":%" PRIu64 ",\"folded\":%" PRIu64 ",\"malformed\":%" PRIu64
		"}}\n", l->overruns, l->folded, l->malformed);
}

void output_print(FILE *fp, const struct out_rows *rows, const struct out_loss *loss,
		  const struct out_opts *opts, const struct timespec *now)
{
	struct out_opts acl = *opts, *o = &acl;
	struct out_row r;
	size_t i;

	for (i = 0; i < rows->n && !acl.show_acl; i++) {
		output_row(rows, i, &r);
		acl.show_acl = r.cookie != NULL;
	}
	if (o->json) {
		print_json(fp, rows, loss, o, now);
	} else {
		if (o->timestamp) {
			char tbuf[32];
			struct tm tm;

			localtime_r(&now->tv_sec, &tm);
			strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
			fprintf(fp, "%s\n", tbuf);
		}
		print_text(fp, rows, loss, o);
		if (o->why)
			why_legend(fp, &rows->view);
		fputc('\n', fp);
	}
	fflush(fp);
}
