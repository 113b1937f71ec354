/* output_rows: the table's rows, before they are printed. Collected from a
 * flowtab view (flows, each trap's folded and flowless counts), merged on
 * what the table shows (the in-ports a view without PORT leaves out, or
 * --by's key, which can leave out the trap itself), ordered by --sort.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "netdm.h"
#include "output.h"

/* Most packets first; ties in a fixed order, so tables are reproducible. */
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
		struct out_row *r = &v[n];

		flowtab_view_flow(view, i, &packets, &bytes);
		if (!packets)
			continue;	/* nothing since the mark */
		*r = (struct out_row){ .trap = &ft->traps[e->key.trap_id], .key = &e->key,
				       .packets = packets, .bytes = bytes };
		flowtab_view_times(view, i, &r->first_ns, &r->last_ns);
		if (place && place->origin == FLOWTAB_ORIGIN_COOKIE)
			r->cookie = place->name;
		else if (place)
			r->location = place->name;
		n++;
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

/* b's counts into a: sums, and the earliest first and latest last time. */
static void merge_row(struct out_row *a, const struct out_row *b)
{
	a->packets += b->packets;
	a->bytes += b->bytes;
	if (b->first_ns && (!a->first_ns || b->first_ns < a->first_ns))
		a->first_ns = b->first_ns;
	if (b->last_ns > a->last_ns)
		a->last_ns = b->last_ns;
}

/* Sort by cmp, then fold each run of equal rows into its first. */
static size_t merge_runs(struct out_row *rows, size_t n,
			 int (*cmp)(const void *, const void *, void *), void *arg)
{
	size_t i, m = 0;

	if (n == 0)
		return 0;
	qsort_r(rows, n, sizeof(*rows), cmp, arg);
	for (i = 0; i < n; i++) {
		if (m && !cmp(&rows[m - 1], &rows[i], arg))
			merge_row(&rows[m - 1], &rows[i]);
		else
			rows[m++] = rows[i];
	}
	return m;
}

/* Order by trap, then flow ignoring the in-port. A trap has at most one
 * folded and one flowless row, so rows without a flow never merge.
 */
static int flow_cmp_noport(const void *a, const void *b, void *arg)
{
	const struct out_row *x = a, *y = b;
	int d = strcmp(x->trap->name, y->trap->name);

	(void)arg;
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
	n = merge_runs(rows, n, flow_cmp_noport, NULL);
	qsort(rows, n, sizeof(*rows), row_cmp);
	return n;
}

static const struct agg_key no_key;

static const char *group_of(const struct out_row *r)
{
	return r->trap->group ? r->trap->group : "";
}

static const char *reason_of(const struct out_row *r)
{
	return r->trap->origin == NET_DM_ORIGIN_SW && !r->trap->no_reason ? r->trap->name : "";
}

static const char *device_of(const struct out_row *r, const struct out_opts *o)
{
	const char *d = r->key && r->key->ifindex && o->device_of ?
			o->device_of(r->key->ifindex, o->device_arg) : NULL;

	return d ? d : "";
}

/* Equal on every key of --by: the trap's words by name, the device by
 * the port's, the flow's fields as bytes (what --by leaves out is 0).
 */
static int by_cmp(const void *a, const void *b, void *arg)
{
	const struct out_row *x = a, *y = b;
	const struct out_opts *o = arg;
	const struct agg_key *kx = x->key ? x->key : &no_key, *ky = y->key ? y->key : &no_key;
	int d = 0;

	if (x->other != y->other)
		return x->other - y->other;
	if (o->by & BY_BIT(BY_TRAP) && !(d = strcmp(x->trap->name, y->trap->name)))
		d = (int)x->trap->origin - (int)y->trap->origin;
	if (!d && o->by & BY_BIT(BY_GROUP))
		d = strcmp(group_of(x), group_of(y));
	if (!d && o->by & BY_BIT(BY_REASON))
		d = strcmp(reason_of(x), reason_of(y));
	if (!d && o->by & BY_BIT(BY_PORT) && kx->ifindex != ky->ifindex)
		d = kx->ifindex < ky->ifindex ? -1 : 1;
	if (!d && o->by & BY_BIT(BY_DEVICE))
		d = strcmp(device_of(x, o), device_of(y, o));
	return d ? d : memcmp(&kx->flow, &ky->flow, sizeof(kx->flow));
}

size_t output_merge_by(struct out_row *rows, size_t n, const struct out_opts *o)
{
	n = merge_runs(rows, n, by_cmp, (void *)o);
	output_sort(rows, n, SORT_COUNT);
	return n;
}

/* Earliest first; rows without a time last. */
static int first_cmp(const void *a, const void *b)
{
	const struct out_row *x = a, *y = b;

	if (x->first_ns != y->first_ns)
		return !y->first_ns || (x->first_ns && x->first_ns < y->first_ns) ? -1 : 1;
	return row_cmp(a, b);
}

static int last_cmp(const void *a, const void *b)
{
	const struct out_row *x = a, *y = b;

	if (x->last_ns != y->last_ns)
		return x->last_ns > y->last_ns ? -1 : 1;
	return row_cmp(a, b);
}

void output_sort(struct out_row *rows, size_t n, enum sort_order order)
{
	/* One table covers one span: its rates are in the order of its counts. */
	static int (*const cmp[])(const void *, const void *) = {
		[SORT_COUNT] = row_cmp, [SORT_RATE] = row_cmp, [SORT_FIRST] = first_cmp,
		[SORT_LAST] = last_cmp,
	};

	qsort(rows, n, sizeof(*rows), cmp[order]);
}
