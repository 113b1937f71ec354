/* output_rows: the table's rows, before they are printed. A row is a flow
 * entry's number, read from the flowtab view when it is printed, or a row
 * built here (each trap's folded and flowless counts, extra rows, merged
 * rows): 4 bytes per flow rather than a copy, sorted in place when the
 * table is big (bench/RESULTS.md, memory per flow). Merged on what the
 * table shows (the in-ports a view without PORT leaves out, or --by's key,
 * which can leave out the trap itself), ordered by --sort.
 */
#include "config.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "netdm.h"
#include "output.h"
#include "unaligned.h"

#define OUT_BUILT 0x80000000u

_Static_assert(OUT_BUILT > (1u << 28), "--max-flows keeps entry numbers below OUT_BUILT");

/* Tables up to this many rows are sorted by qsort_r (fewer comparisons,
 * a copy of the refs on the side); bigger ones in place.
 */
#define SORT_COPY_MAX 65536

static void ref_row(const struct out_rows *t, uint32_t ref, struct out_row *r)
{
	const struct flowtab *ft = t->view.ft;
	const struct flow_entry *e;
	const struct trap_stat *place;

	if (ref & OUT_BUILT) {
		*r = t->built[ref & ~OUT_BUILT];
		return;
	}
	e = &ft->entries[ref];
	place = e->key.loc_id ? &ft->traps[e->key.loc_id - 1] : NULL;
	*r = (struct out_row){ .trap = &ft->traps[e->key.trap_id], .key = &e->key };
	flowtab_view_flow(&t->view, ref, &r->packets, &r->bytes);
	flowtab_view_times(&t->view, ref, &r->first_ns, &r->last_ns);
	if (place && place->origin == FLOWTAB_ORIGIN_COOKIE)
		r->cookie = place->name;
	else if (place)
		r->location = place->name;
}

/* Flow ref's packets as the view counts them (since the mark, if any). */
static inline uint64_t flow_packets(const struct out_rows *t, uint32_t ref)
{
	const struct flowtab *ft = t->view.ft;
	uint64_t packets = ft->entries[ref].packets;

	if (t->view.since_mark && ft->flow_marks)
		packets -= ft->flow_marks[ref].packets;
	return packets;
}

/* What every order but FIRST's and LAST's compares: the counts, trap and
 * key, without the times and the drop's place.
 */
static inline void ref_peek(const struct out_rows *t, uint32_t ref, struct out_row *r)
{
	const struct flowtab *ft = t->view.ft;
	const struct flow_entry *e;

	if (ref & OUT_BUILT) {
		*r = t->built[ref & ~OUT_BUILT];
		return;
	}
	e = &ft->entries[ref];
	r->trap = &ft->traps[e->key.trap_id];
	r->key = &e->key;
	r->other = false;
	r->packets = flow_packets(t, ref);
}

void output_row(const struct out_rows *t, size_t i, struct out_row *r)
{
	ref_row(t, t->ref[i], r);
}

/* Most packets first; ties in a fixed order, so tables are reproducible. */
static int row_cmp(const struct out_row *x, const struct out_row *y)
{
	int d;

	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	if (x->trap != y->trap && (d = strcmp(x->trap->name, y->trap->name)))
		return d;
	if (x->other != y->other)
		return x->other ? 1 : -1;
	if (x->key && y->key)
		return memcmp(x->key, y->key, sizeof(*x->key));
	return (x->key != NULL) - (y->key != NULL);
}

/* Earliest first; rows without a time last. */
static int first_cmp(const struct out_row *x, const struct out_row *y)
{
	if (x->first_ns != y->first_ns)
		return !y->first_ns || (x->first_ns && x->first_ns < y->first_ns) ? -1 : 1;
	return row_cmp(x, y);
}

static int last_cmp(const struct out_row *x, const struct out_row *y)
{
	if (x->last_ns != y->last_ns)
		return x->last_ns > y->last_ns ? -1 : 1;
	return row_cmp(x, y);
}

typedef int row_cmp_fn(const struct out_row *x, const struct out_row *y, const void *arg);

static row_cmp_fn count_order, first_order, last_order;

struct sort_ctx {
	const struct out_rows *t;
	row_cmp_fn *cmp;
	const void *arg;
	bool times;		/* cmp reads first_ns and last_ns */
	const uint32_t *rank;	/* count and port-merge orders: per trap id, its name's place */
};

/* memcmp()'s order of n bytes, a word at a time: the first word that
 * differs, read big-endian, orders them as its first differing byte does.
 */
static inline int bytes_order(const void *a, const void *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 8) {
		uint64_t u = be64toh(load_u64((const uint8_t *)a + i));
		uint64_t v = be64toh(load_u64((const uint8_t *)b + i));

		if (u != v)
			return u < v ? -1 : 1;
	}
	return 0;
}

_Static_assert(sizeof(struct agg_key) % 8 == 0 && sizeof(struct flow_key) % 8 == 0,
	       "keys compare in whole words");

/* strcmp()'s order of two traps' names, by their ranks. */
static inline int name_order(const struct sort_ctx *c, uint16_t a, uint16_t b)
{
	return c->rank[a] == c->rank[b] ? 0 : c->rank[a] < c->rank[b] ? -1 : 1;
}

/* The count order of two flow entries, as row_cmp() and ref_cmp() give
 * it, straight from the entries: names by their place in c->rank, keys
 * by bytes_order(). A table of a million flows spent most of its sorts
 * building rows and in strcmp() and memcmp() (bench/RESULTS.md).
 */
static inline int flow_cmp(const struct sort_ctx *c, uint32_t x, uint32_t y)
{
	const struct flow_entry *e = &c->t->view.ft->entries[x], *f = &c->t->view.ft->entries[y];
	uint64_t px = flow_packets(c->t, x), py = flow_packets(c->t, y);
	int d;

	if (px != py)
		return px < py ? 1 : -1;
	if ((d = name_order(c, e->key.trap_id, f->key.trap_id)))
		return d;
	d = bytes_order(&e->key, &f->key, sizeof(e->key));
	return d ? d : (x > y) - (x < y);
}

static row_cmp_fn flow_cmp_noport;

/* flow_cmp_noport() for two flow entries, then the count order. */
static inline int flow_noport_cmp(const struct sort_ctx *c, uint32_t x, uint32_t y)
{
	const struct flow_entry *e = &c->t->view.ft->entries[x], *f = &c->t->view.ft->entries[y];
	int d;

	if (e->key.trap_id != f->key.trap_id) {
		if ((d = name_order(c, e->key.trap_id, f->key.trap_id)))
			return d;
		return e->key.trap_id < f->key.trap_id ? -1 : 1;
	}
	d = bytes_order(&e->key.flow, &f->key.flow, sizeof(e->key.flow));
	if (!d && e->key.loc_id != f->key.loc_id)
		d = (int)e->key.loc_id - (int)f->key.loc_id;
	return d ? d : flow_cmp(c, x, y);
}

/* The order, then row_cmp, then the ref: a total order, so that every
 * sort gives the same table and a run of equal rows starts with the one
 * the count order puts first.
 */
static int ref_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	struct out_row rx, ry;
	int d;

	if (c->rank && !((x | y) & OUT_BUILT))
		return c->cmp == count_order ? flow_cmp(c, x, y) : flow_noport_cmp(c, x, y);
	if (c->times) {
		ref_row(c->t, x, &rx);
		ref_row(c->t, y, &ry);
	} else {
		ref_peek(c->t, x, &rx);
		ref_peek(c->t, y, &ry);
	}
	d = c->cmp(&rx, &ry, c->arg);
	if (!d && c->cmp != count_order)
		d = row_cmp(&rx, &ry);
	return d ? d : (x > y) - (x < y);
}

/* Bottom-up: down the larger children to a leaf (one comparison a level),
 * back up to where v[root] belongs, and the path shifts up one level.
 */
static void sift_down(uint32_t *v, size_t root, size_t n, struct sort_ctx *c)
{
	uint32_t x = v[root], up, tmp;
	size_t j = root, k;

	while ((k = 2 * j + 1) < n) {
		if (k + 1 < n && ref_cmp(&v[k], &v[k + 1], c) < 0)
			k++;
		j = k;
	}
	while (j > root && ref_cmp(&v[j], &x, c) < 0)
		j = (j - 1) / 2;
	up = v[j];
	v[j] = x;
	while (j > root) {
		j = (j - 1) / 2;
		tmp = v[j];
		v[j] = up;
		up = tmp;
	}
}

static int name_cmp(const void *a, const void *b, void *arg)
{
	const struct trap_stat *traps = arg;

	return strcmp(traps[*(const uint32_t *)a].name, traps[*(const uint32_t *)b].name);
}

/* Each trap id's place among the names, equal names equal; NULL when out
 * of memory (the sort then compares names). A few traps, once a sort.
 */
static uint32_t *trap_ranks(const struct flowtab *ft)
{
	uint32_t *rank = malloc(2 * (ft->ntraps + (size_t)1) * sizeof(*rank));
	uint32_t *byname, i, place = 0;

	if (!rank)
		return NULL;
	byname = rank + ft->ntraps + 1;
	for (i = 0; i < ft->ntraps; i++)
		byname[i] = i;
	qsort_r(byname, ft->ntraps, sizeof(*byname), name_cmp, ft->traps);
	for (i = 0; i < ft->ntraps; i++) {
		if (i && name_cmp(&byname[i - 1], &byname[i], ft->traps))
			place++;
		rank[byname[i]] = place;
	}
	return rank;
}

/* qsort_r copies what it sorts (4 more bytes per row at the peak); a big
 * table is heap-sorted in place instead. The order is total (ref_cmp), so
 * both give the same result.
 */
static void sort_refs(struct out_rows *t, row_cmp_fn *cmp, const void *arg)
{
	struct sort_ctx c = { t, cmp, arg, cmp == first_order || cmp == last_order, NULL };
	uint32_t *v = t->ref, *rank = NULL, tmp;
	size_t i, n = t->n;

	if ((cmp == count_order || cmp == flow_cmp_noport) && n > 1)
		c.rank = rank = trap_ranks(t->view.ft);
	if (n <= SORT_COPY_MAX) {
		qsort_r(v, n, sizeof(*v), ref_cmp, &c);
		goto out;
	}
	for (i = n / 2; i-- > 0;)
		sift_down(v, i, n, &c);
	for (i = n; i-- > 1;) {
		tmp = v[0];
		v[0] = v[i];
		v[i] = tmp;
		sift_down(v, 0, i, &c);
	}
out:
	free(rank);
}

static int count_order(const struct out_row *x, const struct out_row *y, const void *arg)
{
	(void)arg;
	return row_cmp(x, y);
}

/* A built row's ref; -1 when it cannot grow. */
static long add_built(struct out_rows *t, const struct out_row *r)
{
	if (t->nbuilt == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct out_row *b = realloc(t->built, cap * sizeof(*b));

		if (!b)
			return -1;
		t->built = b;
		t->cap = cap;
	}
	t->built[t->nbuilt] = *r;
	return (long)(OUT_BUILT | t->nbuilt++);
}

/* r built and placed last in the order. */
static int add_ref(struct out_rows *t, const struct out_row *r)
{
	long ref = add_built(t, r);

	if (ref < 0)
		return -1;
	t->ref[t->n++] = (uint32_t)ref;
	return 0;
}

/* Empty rows of the view with room for n refs; -1 when out of memory. */
static int rows_start(struct out_rows *t, const struct flowtab_view *view, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->view = *view;
	t->ref = malloc((n + 1) * sizeof(*t->ref));
	return t->ref ? 0 : -1;
}

size_t output_flow_bytes(void)
{
	return 2 * sizeof(uint32_t) + sizeof(struct out_row) / 2;
}

int output_collect(const struct flowtab_view *view, const struct out_row *extra, size_t nextra,
		   struct out_rows *t)
{
	const struct flowtab *ft = view->ft;
	uint64_t packets, bytes;
	struct trap_mark c;
	uint32_t i;

	if (rows_start(t, view, (size_t)ft->nflows + 2 * (size_t)ft->ntraps + nextra) < 0)
		return -1;
	for (i = 0; i < ft->nflows; i++) {
		flowtab_view_flow(view, i, &packets, &bytes);
		if (packets)	/* else: nothing since the mark */
			t->ref[t->n++] = i;
	}
	for (i = 0; i < ft->ntraps; i++) {
		const struct trap_stat *tr = &ft->traps[i];
		struct out_row other = { .trap = tr, .other = true }, bare = { .trap = tr };

		flowtab_view_trap(view, i, &c);
		other.packets = c.other_packets;
		other.bytes = c.other_bytes;
		bare.packets = c.bare_packets;
		bare.bytes = c.bare_bytes;
		if (c.other_packets && add_ref(t, &other) < 0)
			goto err_free;
		if (c.bare_packets && add_ref(t, &bare) < 0)
			goto err_free;
	}
	for (i = 0; i < nextra; i++)
		if (add_ref(t, &extra[i]) < 0)
			goto err_free;
	sort_refs(t, count_order, NULL);
	return 0;

err_free:
	output_rows_fini(t);
	return -1;
}

int output_collect_traps(const struct flowtab_view *view, struct out_rows *t)
{
	const struct flowtab *ft = view->ft;
	struct trap_mark c;
	uint32_t i;

	if (rows_start(t, view, (size_t)ft->ntraps) < 0)
		return -1;
	for (i = 0; i < ft->ntraps; i++) {
		struct out_row total = { .trap = &ft->traps[i] };

		flowtab_view_trap(view, i, &c);
		total.packets = c.packets;
		total.bytes = c.bytes;
		if (c.packets && add_ref(t, &total) < 0) {
			output_rows_fini(t);
			return -1;
		}
	}
	sort_refs(t, count_order, NULL);
	return 0;
}

void output_rows_fini(struct out_rows *t)
{
	free(t->ref);
	free(t->built);
	memset(t, 0, sizeof(*t));
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

/* Sort by cmp, then fold each run of equal rows into one built row that
 * keeps its first row's keys. Then in count order. -1: out of memory.
 */
static int merge_runs(struct out_rows *t, row_cmp_fn *cmp, const void *arg)
{
	size_t i, m = 0;
	struct out_row a, b;
	bool merged = false;
	long ref;

	sort_refs(t, cmp, arg);
	for (i = 0; i < t->n; i++) {
		ref_row(t, t->ref[i], &b);
		if (m && !cmp(&a, &b, arg)) {
			merge_row(&a, &b);
			merged = true;
			continue;
		}
		if (merged && (ref = add_built(t, &a)) < 0)
			return -1;
		if (merged)
			t->ref[m - 1] = (uint32_t)ref;
		merged = false;
		a = b;
		t->ref[m++] = t->ref[i];
	}
	if (merged && (ref = add_built(t, &a)) < 0)
		return -1;
	if (merged)
		t->ref[m - 1] = (uint32_t)ref;
	t->n = m;
	sort_refs(t, count_order, NULL);
	return 0;
}

/* Order by trap, then flow ignoring the in-port. A trap has at most one
 * folded and one flowless row, so rows without a flow never merge.
 */
static int flow_cmp_noport(const struct out_row *x, const struct out_row *y, const void *arg)
{
	int d = x->trap == y->trap ? 0 : strcmp(x->trap->name, y->trap->name);

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

int output_merge_ports(struct out_rows *t)
{
	const struct flowtab *ft = t->view.ft;
	uint32_t i;

	/* No flow keeps its in-port: nothing can merge. */
	for (i = 0; i < ft->nflows && !ft->entries[i].key.ifindex; i++)
		;
	if (i == ft->nflows)
		return 0;
	return merge_runs(t, flow_cmp_noport, NULL);
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
static int by_cmp(const struct out_row *x, const struct out_row *y, const void *arg)
{
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

int output_merge_by(struct out_rows *t, const struct out_opts *o)
{
	return merge_runs(t, by_cmp, o);
}

static int first_order(const struct out_row *x, const struct out_row *y, const void *arg)
{
	(void)arg;
	return first_cmp(x, y);
}

static int last_order(const struct out_row *x, const struct out_row *y, const void *arg)
{
	(void)arg;
	return last_cmp(x, y);
}

void output_sort(struct out_rows *t, enum sort_order order)
{
	/* One table covers one span: its rates are in the order of its counts. */
	static row_cmp_fn *const cmp[] = {
		[SORT_COUNT] = count_order, [SORT_RATE] = count_order, [SORT_FIRST] = first_order,
		[SORT_LAST] = last_order,
	};

	sort_refs(t, cmp[order], NULL);
}
