/* output: the aggregated <trap, flow> table as text or JSON lines.
 * Columns are the seed's (trapagg's) in its order; widths follow content so
 * long IPv6 addresses and trap names stay aligned.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "netdm.h"
#include "names.h"
#include "grid.h"
#include "output.h"
#include "why.h"

enum col {
	COL_ORIGIN, COL_TRAP, COL_GROUP, COL_PORT, COL_SIP, COL_DIP, COL_SPORT, COL_DPORT,
	COL_PROTO, COL_ENCAP, COL_VLAN, COL_OSIP, COL_ODIP, COL_ICMP, COL_MIRROR, COL_LOC, COL_COOKIE,
	COL_ACL, COL_BYTES, COL_COUNT,
	COL_MAX,
};

/* Every cell's buffer: MIRROR's two IPv6 addresses and protocol fit. One
 * size for all callers also lets the compiler specialise cell() for it.
 */
#define CELL_SIZE 96

static const struct {
	const char *head;
	bool wide_only;
} cols[COL_MAX] = {
	[COL_ORIGIN] = { "ORIGIN", false },
	[COL_TRAP]   = { "TRAP", false },
	[COL_GROUP]  = { "GROUP", true },
	[COL_PORT]   = { "PORT", true },
	[COL_SIP]    = { "SIP", false },
	[COL_DIP]    = { "DIP", false },
	[COL_SPORT]  = { "SPORT", false },
	[COL_DPORT]  = { "DPORT", false },
	[COL_PROTO]  = { "IP_PROTO", false },
	[COL_ENCAP]  = { "IS_ENCAP", false },
	[COL_VLAN]   = { "VLAN", true },
	[COL_OSIP]   = { "OUTER_SIP", true },
	[COL_ODIP]   = { "OUTER_DIP", true },
	[COL_ICMP]   = { "ICMP", true },
	[COL_MIRROR] = { "MIRROR", true },
	[COL_LOC]    = { "LOCATION", true },
	[COL_COOKIE] = { "COOKIE", true },
	[COL_ACL]    = { "ACL", true },
	[COL_BYTES]  = { "BYTES", true },
	[COL_COUNT]  = { "COUNT", false },
};

static bool col_shown(int c, const struct out_opts *o)
{
	if (c == COL_ORIGIN)
		return o->show_origin;
	if (c == COL_LOC)
		return o->wide && o->show_location;
	if (c == COL_COOKIE || c == COL_ACL)
		return o->wide && o->show_acl;
	return !cols[c].wide_only || o->wide;
}

/* Decimal without printf, at the end of buf (n >= 21); returns the start. */
static const char *fmt_u64(char *buf, size_t n, uint64_t v)
{
	char *p = buf + n;

	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return p;
}

/* Dotted quad into buf (>= 16 bytes), as inet_ntop writes it. */
static const char *fmt_ipv4(const uint8_t *a, char *buf)
{
	char *p = buf;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned int v = a[i];

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
	return buf;
}

static const char *addr_str(uint8_t family, const uint8_t *addr, char *buf, size_t n)
{
	if (family == FLOW_FAMILY_IPV4)
		return n >= 16 ? fmt_ipv4(addr, buf) : inet_ntop(AF_INET, addr, buf, n);
	if (family == FLOW_FAMILY_IPV6)
		return inet_ntop(AF_INET6, addr, buf, n);
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

/* One cell as text; returns buf or a constant. */
static const char *cell(char *buf, size_t n, int c, const struct out_row *r,
			const struct out_opts *o)
{
	const struct flow_key *f = r->key ? &r->key->flow : NULL;
	const char *s;

	switch (c) {
	case COL_ORIGIN:
		return drop_origin_name(r->trap->origin);
	case COL_TRAP:
		return r->trap->name;
	case COL_GROUP:
		return r->trap->group ? r->trap->group : "-";
	case COL_COUNT:
		return fmt_u64(buf, n, r->packets);
	case COL_BYTES:
		return fmt_u64(buf, n, r->bytes);
	case COL_LOC:
		return r->location ? r->location : "-";
	case COL_COOKIE:
		return r->cookie ? r->cookie : "-";
	case COL_ACL:
		s = r->cookie && r->key && o->acl_name ? o->acl_name(r->key->ifindex, r->cookie, o->acl_arg)
						    : NULL;
		return s ? s : "-";
	}
	if (r->other)
		return c == COL_SIP ? "(other)" : "-";
	if (!f)
		return "-";
	switch (c) {
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
		return fmt_u64(buf, n, f->sport);
	case COL_DPORT:
		return fmt_u64(buf, n, f->dport);
	case COL_PROTO:
		return fmt_u64(buf, n, f->ip_proto);
	case COL_ENCAP:
		return fmt_u64(buf, n, f->is_encap);
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

static int row_cmp(const void *a, const void *b)
{
	const struct out_row *x = a, *y = b;
	int d;

	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	d = strcmp(x->trap->name, y->trap->name);
	if (d)
		return d;
	if (x->other != y->other)
		return x->other ? 1 : -1;
	if (x->key && y->key)
		return memcmp(x->key, y->key, sizeof(*x->key));
	return (x->key != NULL) - (y->key != NULL);
}

long output_collect(const struct flowtab_view *view, const struct out_row *extra, size_t nextra,
		    struct out_row **rows)
{
	const struct flowtab *ft = view->ft;
	size_t n = 0, cap = (size_t)ft->nflows + 2 * (size_t)ft->ntraps + nextra + 1;
	struct out_row *v = malloc(cap * sizeof(*v));
	struct trap_mark c;
	uint64_t packets, bytes;
	uint32_t i;

	if (!v)
		return -1;
	for (i = 0; i < ft->nflows; i++) {
		const struct flow_entry *e = &ft->entries[i];
		const struct trap_stat *place = e->key.loc_id ? &ft->traps[e->key.loc_id - 1] : NULL;

		flowtab_view_flow(view, i, &packets, &bytes);
		if (!packets)
			continue;	/* nothing since the mark */
		v[n++] = (struct out_row){ .trap = &ft->traps[e->key.trap_id], .key = &e->key,
					   .packets = packets, .bytes = bytes };
		if (place && place->origin == FLOWTAB_ORIGIN_COOKIE)
			v[n - 1].cookie = place->name;
		else if (place)
			v[n - 1].location = place->name;
	}
	for (i = 0; i < ft->ntraps; i++) {
		const struct trap_stat *t = &ft->traps[i];

		flowtab_view_trap(view, i, &c);
		if (c.other_packets)
			v[n++] = (struct out_row){ .trap = t, .other = true,
						   .packets = c.other_packets,
						   .bytes = c.other_bytes };
		if (c.bare_packets)
			v[n++] = (struct out_row){ .trap = t, .packets = c.bare_packets,
						   .bytes = c.bare_bytes };
	}
	if (nextra)
		memcpy(v + n, extra, nextra * sizeof(*extra));
	n += nextra;
	qsort(v, n, sizeof(*v), row_cmp);
	*rows = v;
	return (long)n;
}

/* Order by trap, then flow ignoring the in-port. */
static int flow_cmp_noport(const void *a, const void *b)
{
	const struct out_row *x = a, *y = b;
	int d = strcmp(x->trap->name, y->trap->name);

	if (d)
		return d;
	if (x->trap != y->trap)
		return x->trap < y->trap ? -1 : 1;
	if (x->other != y->other || !x->key || !y->key)
		return (x->other - y->other) * 2 + (x->key != NULL) - (y->key != NULL);
	d = memcmp(&x->key->flow, &y->key->flow, sizeof(x->key->flow));
	return d ? d : (int)x->key->loc_id - (int)y->key->loc_id;
}

size_t output_merge_ports(struct out_row *rows, size_t n)
{
	size_t i, m = 0;

	if (n == 0)
		return 0;
	qsort(rows, n, sizeof(*rows), flow_cmp_noport);
	for (i = 0; i < n; i++) {
		if (m && rows[i].key && rows[m - 1].key && !flow_cmp_noport(&rows[m - 1], &rows[i])) {
			rows[m - 1].packets += rows[i].packets;
			rows[m - 1].bytes += rows[i].bytes;
		} else {
			rows[m++] = rows[i];
		}
	}
	qsort(rows, m, sizeof(*rows), row_cmp);
	return m;
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

/* The shown columns, in order, and what grid's callback needs to fill them. */
struct text_table {
	const struct out_row *rows;
	const struct out_opts *o;
	int col[COL_MAX];
};

static const char *text_cell(char *buf, size_t n, size_t row, size_t col, void *arg)
{
	const struct text_table *t = arg;

	return cell(buf, n, t->col[col], &t->rows[row], t->o);
}

static void print_text(FILE *fp, const struct out_row *rows, size_t n,
		       const struct out_loss *loss, const struct out_opts *o)
{
	struct text_table t = { rows, o, { 0 } };
	struct grid_col gc[COL_MAX];
	struct grid g = { gc, 0, n, text_cell, &t };
	int c;

	for (c = 0; c < COL_MAX; c++) {
		if (!col_shown(c, o))
			continue;
		gc[g.ncols] = (struct grid_col){ cols[c].head, false };
		t.col[g.ncols++] = c;
	}
	grid_print(fp, &g, false);
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
	fprintf(fp, ",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", r->packets, r->bytes);
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

static void print_json(FILE *fp, const struct out_row *rows, size_t n,
		       const struct flowtab_view *view, const struct out_loss *l,
		       const struct out_opts *o, const struct timespec *now)
{
	const struct flowtab *ft = view->ft;
	struct trap_mark c;
	size_t i;
	bool first = true;

	fprintf(fp, "{\"timestamp\":%lld.%03ld,\"flows\":[", (long long)now->tv_sec,
		now->tv_nsec / 1000000);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', fp);
		print_json_row(fp, &rows[i], o);
	}
	fputs("],\"traps\":[", fp);
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

void output_print(FILE *fp, const struct out_row *rows, size_t n, const struct flowtab_view *view,
		  const struct out_loss *loss, const struct out_opts *opts, const struct timespec *now)
{
	struct out_opts acl = *opts, *o = &acl;
	size_t i;

	for (i = 0; i < n && !acl.show_acl; i++)
		acl.show_acl = rows[i].cookie != NULL;
	if (o->json) {
		print_json(fp, rows, n, view, loss, o, now);
	} else {
		if (o->timestamp) {
			char tbuf[32];
			struct tm tm;

			localtime_r(&now->tv_sec, &tm);
			strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
			fprintf(fp, "%s\n", tbuf);
		}
		print_text(fp, rows, n, loss, o);
		if (o->why)
			why_legend(fp, view);
		fputc('\n', fp);
	}
	fflush(fp);
}
