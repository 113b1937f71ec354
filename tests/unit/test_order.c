/* Tests for the table's order where counts tie: output_collect()'s count
 * order and output_merge_ports()'s merge, held to an order worked out here
 * with strcmp() and memcmp() (the rows' documented order: most packets,
 * then the trap's name, then the key's bytes), on both of the sort's
 * paths (qsort_r up to 65,536 rows, the in-place heap above).
 *
 * The keys differ where a little-endian word compare and memcmp() order
 * them differently (byte 0 against byte 7 of a word), and two traps share
 * a name (one per origin) while the traps' ids run against their names'
 * order.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/net_dropmon.h>

#include "flowtab.h"
#include "output.h"
#include "tap.h"

struct want {
	uint64_t packets;
	const char *name;
	struct agg_key key;
};

static int want_cmp(const void *a, const void *b)
{
	const struct want *x = a, *y = b;
	int d;

	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	if ((d = strcmp(x->name, y->name)))
		return d;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/* Flow i's key: its bytes 0 and 7 (saddr) and 33 (daddr's second) swap
 * roles across i, so that word and byte orders disagree.
 */
static struct agg_key key_of(unsigned int i, uint16_t trap, uint32_t ifindex)
{
	struct agg_key k;

	memset(&k, 0, sizeof(k));
	k.flow.family = FLOW_FAMILY_IPV4;
	k.flow.saddr[0] = (uint8_t)(i & 3);
	k.flow.saddr[7] = (uint8_t)(3 - (i & 3));
	k.flow.saddr[2] = (uint8_t)(i >> 2);
	k.flow.saddr[3] = (uint8_t)(i >> 10);
	k.flow.daddr[1] = (uint8_t)(i * 7);
	k.flow.ip_proto = 17;
	k.flow.sport = (uint16_t)(i * 257);
	k.ifindex = ifindex;
	k.trap_id = trap;
	return k;
}

/* Flow i's trap, not in step with its key's bytes 0 and 7. */
static unsigned int trap_of(unsigned int i)
{
	return (i ^ (i >> 3)) % 4;
}

/* Traps: ids 0..3 named zeta (hw), alpha (hw), zeta (sw), mid (hw). */
static void make_traps(struct flowtab *ft, int *id)
{
	id[0] = flowtab_trap_id(ft, NET_DM_ORIGIN_HW, "zeta", "g");
	id[1] = flowtab_trap_id(ft, NET_DM_ORIGIN_HW, "alpha", "g");
	id[2] = flowtab_trap_id(ft, NET_DM_ORIGIN_SW, "zeta", NULL);
	id[3] = flowtab_trap_id(ft, NET_DM_ORIGIN_HW, "mid", "g");
}

/* n flows over the four traps, 1 to 3 packets each (many ties); the rows
 * of output_collect() against the order want_cmp() gives.
 */
static void check_count_order(unsigned int n)
{
	struct flowtab ft;
	struct flowtab_view view = { &ft, false };
	struct out_rows rows;
	struct want *w = calloc(n, sizeof(*w));
	unsigned int i, bad = 0;
	int id[4];

	flowtab_init(&ft, n);
	make_traps(&ft, id);
	for (i = 0; i < n; i++) {
		struct agg_key k = key_of(i, (uint16_t)id[trap_of(i)], 0);
		unsigned int p;

		w[i].packets = 1 + (i / 4) % 3;
		w[i].name = ft.traps[k.trap_id].name;
		w[i].key = k;
		for (p = 0; p < w[i].packets; p++)
			flowtab_add(&ft, &k, 100);
	}
	qsort(w, n, sizeof(*w), want_cmp);
	if (output_collect(&view, NULL, 0, &rows) < 0 || rows.n != n) {
		tap_ok(false, "%u flows: collected (%zu rows)", n, rows.n);
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct out_row r;

		output_row(&rows, i, &r);
		if (!r.key || r.packets != w[i].packets || memcmp(r.key, &w[i].key, sizeof(*r.key))) {
			if (!bad)
				tap_diag("row %u: %s %" PRIu64 " packets, want %s %" PRIu64, i,
					 r.trap->name, r.packets, w[i].name, w[i].packets);
			bad++;
		}
	}
	tap_ok(!bad, "%u flows, %s: rows in the order strcmp() and memcmp() give (%u out of place)",
	       n, n > 65536 ? "sorted in place" : "sorted by qsort_r", bad);
	output_rows_fini(&rows);
out:
	flowtab_fini(&ft);
	free(w);
}

/* ft's rows, collected and merged across in-ports; false (said) when
 * either fails.
 */
static bool merged_rows(struct flowtab *ft, struct out_rows *rows, unsigned int n)
{
	struct flowtab_view view = { ft, false };

	if (output_collect(&view, NULL, 0, rows) == 0 && output_merge_ports(rows) == 0)
		return true;
	tap_ok(false, "%u flows on several ports: collected and merged", n);
	return false;
}

/* Each flow twice, on in-ports 1 and 2, with 2 packets on each where
 * f % 3 == 0 (else 1) and one more on port 2 where f is odd, so that the
 * two halves of a flow do not meet in count order: merged, one row a flow
 * with both counts summed, in count order.
 */
static void check_port_merge(unsigned int n)
{
	struct flowtab ft;
	struct out_rows rows;
	unsigned int i, bad = 0;
	int id[4];

	flowtab_init(&ft, 2 * n);
	make_traps(&ft, id);
	for (i = 0; i < 2 * n; i++) {
		unsigned int f = i % n, port = 1 + i / n;
		struct agg_key k = key_of(f, (uint16_t)id[trap_of(f)], port);

		flowtab_add(&ft, &k, 100);
		if (f % 3 == 0)
			flowtab_add(&ft, &k, 100);
		if (port == 2 && f % 2)
			flowtab_add(&ft, &k, 100);
	}
	if (!merged_rows(&ft, &rows, n)) {
		flowtab_fini(&ft);
		return;
	}
	for (i = 0; i < rows.n; i++) {
		struct out_row r, prev;
		struct want a, b;

		output_row(&rows, i, &r);
		if (!r.key) {
			bad++;
			continue;
		}
		if (!i)
			continue;
		output_row(&rows, i - 1, &prev);
		a = (struct want){ prev.packets, prev.trap->name, *prev.key };
		b = (struct want){ r.packets, r.trap->name, *r.key };
		a.key.ifindex = b.key.ifindex = 0;
		if (want_cmp(&a, &b) >= 0)
			bad++;
	}
	tap_ok(rows.n == n && !bad, "%u flows on two ports: %zu rows, one a flow, in count order "
	       "(%u out of place)", n, rows.n, bad);
	for (i = 0, bad = 0; i < rows.n; i++) {
		struct out_row r;
		unsigned int f;

		output_row(&rows, i, &r);
		f = r.key->flow.saddr[0] | (unsigned int)r.key->flow.saddr[2] << 2 |
		    (unsigned int)r.key->flow.saddr[3] << 10;
		if (r.packets != (f % 3 == 0 ? 4u : 2u) + f % 2)
			bad++;
	}
	tap_ok(!bad, "%u flows on two ports: each row sums both ports' packets (%u wrong)", n, bad);
	output_rows_fini(&rows);
	flowtab_fini(&ft);
}

/* Each flow three times: in-port 1 at place 1 (1 packet), port 2 at place
 * 2 (2 packets), port 3 at place 1 (3 packets). A row differs by its
 * place, so each flow leaves two rows: place 1 with 4 packets, place 2
 * with 2.
 */
static void check_place_merge(unsigned int n)
{
	static const uint16_t place[3] = { 1, 2, 1 };
	struct flowtab ft;
	struct out_rows rows;
	unsigned int i, p, bad = 0;
	int id[4];

	flowtab_init(&ft, 3 * n);
	make_traps(&ft, id);
	for (i = 0; i < n; i++)
		for (p = 0; p < 3; p++) {
			struct agg_key k = key_of(i, (uint16_t)id[trap_of(i)], p + 1);
			unsigned int c;

			k.loc_id = place[p];
			for (c = 0; c <= p; c++)
				flowtab_add(&ft, &k, 100);
		}
	if (!merged_rows(&ft, &rows, n)) {
		flowtab_fini(&ft);
		return;
	}
	for (i = 0; i < rows.n; i++) {
		struct out_row r;

		output_row(&rows, i, &r);
		if (!r.key || r.packets != (r.key->loc_id == 1 ? 4u : 2u))
			bad++;
	}
	tap_ok(rows.n == 2 * n && !bad, "%u flows, each on three ports at two places: %zu rows, "
	       "%u with a wrong count", n, rows.n, bad);
	output_rows_fini(&rows);
	flowtab_fini(&ft);
}

int main(void)
{
	check_count_order(997);
	check_count_order(70001);
	check_port_merge(1001);
	check_port_merge(70003);
	check_place_merge(50);
	check_place_merge(30011);
	return tap_done();
}
