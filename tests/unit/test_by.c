/* Tests for --by, --sort, --top and FIRST/LAST: the key words (bykey.c),
 * the key aggregate keeps for --by (hand-made IPv4/UDP packets whose
 * distinct values are known), each flow's first and last time, and the
 * rows merged, ordered and cut as the table prints them (output_rows.c),
 * and the trap ids aggregate keeps by the parser's memo_id. Expected values
 * come from the inputs, counted by hand.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "bykey.h"
#include "metrics.h"
#include "output.h"
#include "tap.h"

static void test_words(void)
{
	struct errmsg e = { 0 };
	unsigned int mask = 0;
	enum sort_order so = SORT_COUNT;

	tap_ok(by_parse("trap,port", &mask, &e) == 0 && mask == (BY_BIT(BY_TRAP) | BY_BIT(BY_PORT)),
	       "--by trap,port: two bits");
	tap_ok(by_parse("group", &mask, &e) == 0 && mask == BY_BIT(BY_GROUP), "--by group");
	tap_ok(by_parse("trap,prot", &mask, &e) < 0 && strstr(e.text, "'prot'") &&
	       strstr(e.text, "closest: proto"), "--by typo names the closest key: %s", e.text);
	tap_ok(by_parse("", &mask, &e) < 0, "--by with an empty list is refused");
	tap_ok(by_parse("trap,", &mask, &e) < 0, "--by with a trailing comma is refused");
	tap_ok(sort_parse("last", &so) == 0 && so == SORT_LAST && sort_parse("size", &so) < 0,
	       "--sort: last parses, size does not");
}

/* A raw IPv4/UDP packet (the kernel's proto says IPv4; no MAC header). */
static size_t udp_packet(uint8_t *p, const char *sip, const char *dip, uint16_t sport,
			 uint16_t dport)
{
	memset(p, 0, 28);
	p[0] = 0x45;
	p[3] = 28;
	p[8] = 64;
	p[9] = 17;
	inet_pton(AF_INET, sip, p + 12);
	inet_pton(AF_INET, dip, p + 16);
	p[20] = (uint8_t)(sport >> 8);
	p[21] = (uint8_t)sport;
	p[22] = (uint8_t)(dport >> 8);
	p[23] = (uint8_t)dport;
	p[25] = 8;
	return 28;
}

static void alert(struct aggregate *ag, const char *trap, const char *group, uint32_t ifindex,
		  const char *sip, uint16_t sport, uint64_t t)
{
	uint8_t pkt[28];
	struct drop_alert a = {
		.origin = NET_DM_ORIGIN_HW, .proto = 0x0800, .in_ifindex = ifindex,
		.trap_name = trap, .trap_group = group, .payload = pkt, .timestamp_ns = t,
	};

	a.payload_len = a.orig_len = (uint32_t)udp_packet(pkt, sip, "192.0.2.1", sport, 53);
	aggregate_alert(ag, &a);
}

/* 5 flows over 2 ports and 2 traps of one group: 3 from 10.0.0.1-3 on
 * port 5 (blackhole_route), 2 from 10.0.0.4-5 on port 6 (one of them
 * unresolved_neigh, both l3_drops). Times: port 5 at 300, 100, 200 us,
 * port 6 at 400, 500 us after the epoch.
 */
static void feed(struct aggregate *ag)
{
	alert(ag, "blackhole_route", "l3_drops", 5, "10.0.0.1", 1001, 300000);
	alert(ag, "blackhole_route", "l3_drops", 5, "10.0.0.2", 1002, 100000);
	alert(ag, "blackhole_route", "l3_drops", 5, "10.0.0.3", 1003, 200000);
	alert(ag, "blackhole_route", "l3_drops", 6, "10.0.0.4", 1004, 400000);
	alert(ag, "unresolved_neigh", "l3_drops", 6, "10.0.0.5", 1005, 500000);
}

static const char *port_name(uint32_t ifindex, void *arg)
{
	(void)arg;
	return ifindex == 5 ? "swp1" : ifindex == 6 ? "swp2" : NULL;
}

static char *render(struct aggregate *ag, const struct out_opts *o, long *nrows)
{
	struct flowtab_view v = aggregate_interval(ag);
	struct timespec now = { 1700000000, 0 };
	struct out_rows rows;
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	struct out_loss none = { 0 };

	if (output_collect(&v, NULL, 0, &rows) < 0 || (o->by && output_merge_by(&rows, o) < 0))
		abort();
	output_sort(&rows, o->sort);
	output_print(fp, &rows, &none, o, &now);
	fclose(fp);
	if (nrows)
		*nrows = (long)rows.n;
	output_rows_fini(&rows);
	return s;
}

static void test_key(void)
{
	struct agg_opts def = { .max_flows = 64, .keep_ports = true };
	struct agg_opts by_port = { .max_flows = 64, .by = BY_BIT(BY_PORT), .keep_ports = true,
				    .times = true };
	struct aggregate ag;
	struct errmsg e = { 0 };
	const struct flowtab *ft;
	uint64_t first, last;
	uint32_t i;
	bool p5 = false, p6 = false;

	aggregate_init(&ag, &def, &e);
	feed(&ag);
	tap_ok(ag.ft.nflows == 5 && !ag.ft.times, "trapagg's key: 5 flows, no times kept");
	aggregate_fini(&ag);

	aggregate_init(&ag, &by_port, &e);
	feed(&ag);
	ft = &ag.ft;
	/* The trap stays in the key: (blackhole_route, 5), (blackhole_route, 6),
	 * (unresolved_neigh, 6).
	 */
	tap_ok(ft->nflows == 3, "--by port: 3 (trap, port) flows (got %u)", ft->nflows);
	for (i = 0; i < ft->nflows; i++) {
		const struct flow_entry *en = &ft->entries[i];

		flowtab_view_times(&(struct flowtab_view){ ft, false }, i, &first, &last);
		if (en->key.ifindex == 5)
			p5 = en->packets == 3 && first == 100000 && last == 300000 &&
			     en->key.flow.sport == 0 && en->key.flow.family == 0;
		if (en->key.ifindex == 6 && en->packets == 1 && first == 400000)
			p6 = last == 400000;
	}
	tap_ok(p5, "--by port: port 5's flow has 3 packets, first 100 us, last 300 us, no ports or family");
	tap_ok(p6, "--by port: port 6's blackhole_route flow seen once at 400 us");
	aggregate_fini(&ag);
}

static void test_rows(void)
{
	struct agg_opts ao = { .max_flows = 64, .by = BY_BIT(BY_TRAP) | BY_BIT(BY_PORT),
			       .keep_ports = true, .times = true };
	struct out_opts o = { .by = BY_BIT(BY_GROUP), .port_name = port_name, .wide = true,
			      .span = 2.0 };
	struct aggregate ag;
	struct errmsg e = { 0 };
	char *t;
	long n;

	aggregate_init(&ag, &ao, &e);
	feed(&ag);
	t = render(&ag, &o, &n);
	tap_ok(n == 1 && !strncmp(t, "GROUP    BYTES FIRST", 20) &&
	       strstr(t, "\nl3_drops 140   ") && strstr(t, " 2.5  5\n"),
	       "--by group --wide: one l3_drops row, 5 packets, 140 bytes, rate 5 / 2 s:\n%s", t);
	free(t);

	o = (struct out_opts){ .by = BY_BIT(BY_TRAP) | BY_BIT(BY_PORT), .port_name = port_name };
	t = render(&ag, &o, &n);
	tap_ok(n == 3 && !strncmp(t, "TRAP             PORT COUNT\n"
				     "blackhole_route  swp1 3\n"
				     "blackhole_route  swp2 1\n"
				     "unresolved_neigh swp2 1\n", 84),
	       "--by trap,port: three rows, by count then name:\n%s", t);
	free(t);

	o.top = 1;
	t = render(&ag, &o, NULL);
	tap_ok(strstr(t, "\nblackhole_route swp1 3\n\xe2\x80\xa6 2 more rows (2 packets)\nLost: ") != NULL,
	       "--top 1: one row, then the 2 rows and 2 packets left out:\n%s", t);
	free(t);

	o.top = 0;
	o.sort = SORT_LAST;
	o.json = true;
	t = render(&ag, &o, NULL);
	tap_ok(strstr(t, "\"flows\":[{\"other\":false,\"origin\":\"hw\",\"trap\":\"unresolved_neigh\","
			 "\"in_port\":\"swp2\",\"packets\":1,\"bytes\":28,\"first\":0.000500,"
			 "\"last\":0.000500,\"rate\":null},{") != NULL,
	       "--sort=last -j: the latest (unresolved_neigh at 500) first, keys only:\n%s", t);
	free(t);

	o.sort = SORT_FIRST;
	o.json = false;
	t = render(&ag, &o, NULL);
	tap_ok(strstr(t, "COUNT\nblackhole_route  swp1 3\nblackhole_route  swp2 1\nunresolved_neigh") != NULL,
	       "--sort=first: swp1 (first at 100 us) before swp2 (400) before unresolved_neigh (500)");
	free(t);
	aggregate_fini(&ag);
}

/* Marked tables: FIRST since the mark, LAST whenever. */
static void test_marked_times(void)
{
	struct flowtab ft;
	struct agg_key k = { 0 };
	uint64_t first, last;

	flowtab_init_marked(&ft, 4);
	flowtab_keep_times(&ft);
	k.trap_id = (uint16_t)flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", NULL);
	flowtab_add_at(&ft, &k, 1, 50);
	flowtab_add_at(&ft, &k, 1, 10);
	flowtab_mark(&ft);
	flowtab_add_at(&ft, &k, 1, 70);
	flowtab_add_at(&ft, &k, 1, 60);
	flowtab_view_times(&(struct flowtab_view){ &ft, true }, 0, &first, &last);
	tap_ok(first == 60 && last == 70, "since the mark: first 60, last 70 (got %llu, %llu)",
	       (unsigned long long)first, (unsigned long long)last);
	flowtab_view_times(&(struct flowtab_view){ &ft, false }, 0, &first, &last);
	tap_ok(first == 10 && last == 70, "since start: first 10, last 70");
	flowtab_add_at(&ft, &k, 1, 0);
	flowtab_view_times(&(struct flowtab_view){ &ft, false }, 0, &first, &last);
	tap_ok(first == 10 && last == 70 && ft.entries[0].packets == 5,
	       "an alert without a time counts, and moves no time");
	flowtab_fini(&ft);
}

static void test_metrics(void)
{
	struct agg_opts ao = { .max_flows = 64, .by = BY_BIT(BY_TRAP) | BY_BIT(BY_PORT),
			       .keep_ports = true, .totals = true };
	struct out_loss none = { 0 };
	struct aggregate ag;
	struct errmsg e = { 0 };
	char *s = NULL;
	size_t len = 0;
	FILE *fp;

	aggregate_init(&ag, &ao, &e);
	feed(&ag);
	fp = open_memstream(&s, &len);
	metrics_render(fp, &(struct metrics_input){ .ft = aggregate_totals(&ag), .loss = &none,
						    .flow_top = 2, .by = ao.by });
	fclose(fp);
	tap_ok(strstr(s, "\ntrapmon_flow_packets_total{trap=\"blackhole_route\",in_port=\"if5\"} 3\n") &&
	       strstr(s, "\ntrapmon_flow_packets_total{trap=\"blackhole_route\",in_port=\"if6\"} 1\n") &&
	       !strstr(s, "unresolved_neigh\",in_port"),
	       "metrics --by trap,port: labels follow the key, the top 2 rows");
	tap_ok(strstr(s, "trapmon_trap_packets_total{device=\"\",trap=\"unresolved_neigh\"") != NULL,
	       "metrics: per-trap totals keep every trap");
	free(s);
	aggregate_fini(&ag);
}

static uint64_t trap_packets(struct aggregate *ag, uint8_t origin, const char *name)
{
	int id = flowtab_trap_id(&ag->ft, origin, name, NULL);

	return id < 0 ? 0 : ag->ft.traps[id].packets;
}

static void named_alert(struct aggregate *ag, uint64_t memo_id, uint8_t origin, const char *name)
{
	uint8_t pkt[28];
	struct drop_alert a = {
		.origin = origin, .proto = 0x0800, .payload = pkt, .memo_id = memo_id,
		.trap_name = origin == NET_DM_ORIGIN_HW ? name : NULL,
		.reason = origin == NET_DM_ORIGIN_SW ? name : NULL,
	};

	a.payload_len = a.orig_len = (uint32_t)udp_packet(pkt, "10.0.0.1", "192.0.2.1", 1001, 53);
	aggregate_alert(ag, &a);
}

/* Alerts the parser's memo answered from one entry share their names, so
 * the trap found for the first is kept by memo_id and the names are not
 * read again (shown here by a second alert whose name the memo could not
 * have given): for hardware traps whose type is known and software drops;
 * a hardware trap of unknown type is looked up each time, as devlink may
 * learn it; an id's slot goes to the id seen last.
 */
static void test_memo_names(void)
{
	struct agg_opts ao = { .max_flows = 64 };
	struct aggregate ag;
	struct errmsg e = { 0 };

	if (aggregate_init(&ag, &ao, &e) < 0) {
		tap_ok(false, "init: %s", e.text);
		return;
	}
	named_alert(&ag, 5, NET_DM_ORIGIN_HW, "blackhole_route");
	named_alert(&ag, 5, NET_DM_ORIGIN_HW, "ttl_value_is_too_small");
	tap_ok(trap_packets(&ag, NET_DM_ORIGIN_HW, "blackhole_route") == 2 &&
	       trap_packets(&ag, NET_DM_ORIGIN_HW, "ttl_value_is_too_small") == 0,
	       "memo id 5 twice: both under the first alert's trap");
	named_alert(&ag, 13, NET_DM_ORIGIN_HW, "ttl_value_is_too_small");
	named_alert(&ag, 5, NET_DM_ORIGIN_HW, "ttl_value_is_too_small");
	tap_ok(trap_packets(&ag, NET_DM_ORIGIN_HW, "ttl_value_is_too_small") == 2,
	       "memo id 13 takes 5's slot: 5 is looked up again");
	named_alert(&ag, 0, NET_DM_ORIGIN_HW, "blackhole_route");
	named_alert(&ag, 0, NET_DM_ORIGIN_HW, "ttl_value_is_too_small");
	tap_ok(trap_packets(&ag, NET_DM_ORIGIN_HW, "blackhole_route") == 3 &&
	       trap_packets(&ag, NET_DM_ORIGIN_HW, "ttl_value_is_too_small") == 3,
	       "memo id 0 (parsed in full): looked up each time");
	named_alert(&ag, 21, NET_DM_ORIGIN_HW, "vendor_trap_a");
	named_alert(&ag, 21, NET_DM_ORIGIN_HW, "vendor_trap_b");
	tap_ok(trap_packets(&ag, NET_DM_ORIGIN_HW, "vendor_trap_a") == 1 &&
	       trap_packets(&ag, NET_DM_ORIGIN_HW, "vendor_trap_b") == 1,
	       "a hardware trap of unknown type: looked up each time");
	named_alert(&ag, 7, NET_DM_ORIGIN_SW, "NO_SOCKET");
	named_alert(&ag, 7, NET_DM_ORIGIN_SW, "OTHERHOST");
	tap_ok(trap_packets(&ag, NET_DM_ORIGIN_SW, "NO_SOCKET") == 2 &&
	       trap_packets(&ag, NET_DM_ORIGIN_SW, "OTHERHOST") == 0,
	       "a software drop's reason: kept by memo id");
	aggregate_fini(&ag);
}

int main(void)
{
	test_words();
	test_memo_names();
	test_key();
	test_rows();
	test_marked_times();
	test_metrics();
	return tap_done();
}
