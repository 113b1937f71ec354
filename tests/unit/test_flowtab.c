/* Tests for the bounded <trap, flow> table: aggregation, folding past
 * max_flows with exact per-trap totals, reset, trap-name interning, and
 * marked tables, whose interval figures are differences from the mark.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/net_dropmon.h>

#include "flowtab.h"
#include "tap.h"

/* A UDP flow 10.0.<n/256>.<n%256> -> 192.0.2.1, sport 1000 + n. */
static struct agg_key flow(uint16_t trap_id, uint32_t n)
{
	struct agg_key k;

	memset(&k, 0, sizeof(k));
	k.flow.family = FLOW_FAMILY_IPV4;
	k.flow.saddr[0] = 10;
	k.flow.saddr[2] = (uint8_t)(n >> 8);
	k.flow.saddr[3] = (uint8_t)n;
	k.flow.daddr[0] = 192;
	k.flow.daddr[2] = 2;
	k.flow.daddr[3] = 1;
	k.flow.sport = (uint16_t)(1000 + n);
	k.flow.dport = 53;
	k.flow.ip_proto = 17;
	k.trap_id = trap_id;
	return k;
}

/* The entry holding key, or NULL. */
static const struct flow_entry *find(const struct flowtab *ft, const struct agg_key *k)
{
	uint32_t i;

	for (i = 0; i < ft->nflows; i++)
		if (memcmp(&ft->entries[i].key, k, sizeof(*k)) == 0)
			return &ft->entries[i];
	return NULL;
}

/* Packets of key's entry; UINT64_MAX when it has none. */
static uint64_t pkts(const struct flowtab *ft, const struct agg_key *k)
{
	const struct flow_entry *e = find(ft, k);

	return e ? e->packets : UINT64_MAX;
}

/* Sum of a trap's flow entries plus its folded row must equal its total. */
static bool trap_consistent(const struct flowtab *ft, int id)
{
	const struct trap_stat *t = &ft->traps[id];
	uint64_t p = t->other_packets, b = t->other_bytes;
	uint32_t i;

	for (i = 0; i < ft->nflows; i++)
		if (ft->entries[i].key.trap_id == id) {
			p += ft->entries[i].packets;
			b += ft->entries[i].bytes;
		}
	if (p == t->packets && b == t->bytes)
		return true;
	tap_diag("trap %d: rows %llu/%llu, totals %llu/%llu", id, (unsigned long long)p,
		 (unsigned long long)b, (unsigned long long)t->packets,
		 (unsigned long long)t->bytes);
	return false;
}

static void test_aggregate(void)
{
	struct flowtab ft;
	struct agg_key a, b;
	const struct flow_entry *e;
	int id;

	tap_ok(flowtab_init(&ft, 16) == 0 && ft.nflows == 0 && ft.ntraps == 0 &&
	       ft.max_flows == 16 && ft.mask + 1 >= 32, "init: empty, index at least 2x max_flows");
	id = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", "l3_drops");
	a = flow((uint16_t)id, 1);
	flowtab_add(&ft, &a, 100);
	flowtab_add(&ft, &a, 200);
	flowtab_add(&ft, &a, 300);
	e = find(&ft, &a);
	tap_ok(id == 0 && ft.nflows == 1 && e && e->packets == 3 && e->bytes == 600,
	       "identical key x3: one entry, 3 packets, 600 bytes");

	b = flow((uint16_t)id, 2);
	flowtab_add(&ft, &b, 50);
	tap_ok(ft.nflows == 2 && pkts(&ft, &b) == 1 && pkts(&ft, &a) == 3, "distinct key: a second entry");

	/* Every key field takes part: location, in-port, trap id, flow bytes. */
	b = a;
	b.loc_id = 3;
	flowtab_add(&ft, &b, 1);
	b = a;
	b.ifindex = 7;
	flowtab_add(&ft, &b, 1);
	b = a;
	b.flow.is_encap = 1;
	flowtab_add(&ft, &b, 1);
	b = a;
	b.trap_id = (uint16_t)flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "ttl_value_is_too_small",
					       NULL);
	flowtab_add(&ft, &b, 1);
	tap_ok(ft.nflows == 6 && pkts(&ft, &a) == 3,
	       "location, ifindex, is_encap, trap_id each make a distinct entry");
	tap_ok(ft.traps[0].packets == 7 && ft.traps[0].bytes == 653 && ft.traps[1].packets == 1 &&
	       trap_consistent(&ft, 0) && trap_consistent(&ft, 1), "per-trap packets and bytes summed");
	tap_ok(flowtab_hash(&a) == flowtab_hash(&a) && flowtab_hash(&a) != flowtab_hash(&b),
	       "hash: stable, differs for different keys");
	flowtab_fini(&ft);

	tap_ok(flowtab_init(&ft, 0) == 0 && ft.max_flows == 1, "max_flows 0 is taken as 1");
	flowtab_fini(&ft);
}

static void test_fold(void)
{
	struct flowtab ft;
	struct agg_key k;
	uint32_t i;
	int x, y;

	flowtab_init(&ft, 4);
	x = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", NULL);
	for (i = 0; i < 10; i++) {
		k = flow((uint16_t)x, i);
		flowtab_add(&ft, &k, 10 + i);
	}
	tap_ok(ft.nflows == 4 && ft.traps[x].packets == 10 && ft.traps[x].other_packets == 6 &&
	       ft.folded == 6, "max_flows 4, 10 flows: 4 entries, 10 packets, 6 other, 6 folded");
	tap_ok(ft.traps[x].bytes == 145 && ft.traps[x].other_bytes == 14 + 15 + 16 + 17 + 18 + 19 &&
	       trap_consistent(&ft, x), "folded bytes summed, rows add up to the trap's total");

	/* A flow already in the table still aggregates when the table is full. */
	k = flow((uint16_t)x, 0);
	flowtab_add(&ft, &k, 10);
	tap_ok(pkts(&ft, &k) == 2 && ft.folded == 6 && ft.traps[x].other_packets == 6,
	       "known flow in a full table: counted in its entry, not folded");

	/* A second trap: every new flow folds, both totals stay exact. */
	y = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "ttl_value_is_too_small", NULL);
	for (i = 0; i < 5; i++) {
		k = flow((uint16_t)y, i);
		flowtab_add(&ft, &k, 1);
		flowtab_add(&ft, &k, 1);
	}
	tap_ok(ft.traps[x].packets == 11 && ft.traps[y].packets == 10 &&
	       ft.traps[y].other_packets == 10 && ft.folded == 16 && trap_consistent(&ft, x) &&
	       trap_consistent(&ft, y), "two traps folding: per-trap totals exact");

	flowtab_reset(&ft);
	tap_ok(ft.nflows == 0 && ft.folded == 0 && ft.traps[x].packets == 0 &&
	       ft.traps[x].bytes == 0 && ft.traps[x].other_packets == 0 &&
	       ft.traps[y].other_bytes == 0 && ft.ntraps == 2, "reset: flows and counts cleared");
	tap_ok(flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", NULL) == x &&
	       flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "ttl_value_is_too_small", NULL) == y &&
	       ft.ntraps == 2, "reset: same names keep their ids");
	k = flow((uint16_t)x, 9);	/* was folded before the reset */
	flowtab_add(&ft, &k, 5);
	flowtab_add(&ft, &k, 5);
	tap_ok(ft.nflows == 1 && pkts(&ft, &k) == 2 &&
	       ft.traps[x].packets == 2 && ft.folded == 0, "after reset: fresh entries again");
	flowtab_fini(&ft);
}

static void test_intern(void)
{
	struct flowtab ft;
	int hw, sw, again;

	flowtab_init(&ft, 4);
	hw = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "drop", NULL);
	sw = flowtab_trap_id(&ft, NET_DM_ORIGIN_SW, "drop", NULL);
	again = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "drop", NULL);
	tap_ok(hw >= 0 && sw >= 0 && hw != sw && again == hw && ft.ntraps == 2 &&
	       ft.traps[hw].origin == NET_DM_ORIGIN_HW && ft.traps[sw].origin == NET_DM_ORIGIN_SW,
	       "same name hw vs sw: two ids; same origin again: same id");
	tap_ok(!ft.traps[hw].group && ft.traps[hw].type == TRAP_TYPE_UNKNOWN &&
	       strcmp(ft.traps[hw].name, "drop") == 0, "new trap: name copied, no group, type unknown");
	flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "drop", "l2_drops");
	flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "drop", "other_group");
	tap_ok(ft.traps[hw].group && strcmp(ft.traps[hw].group, "l2_drops") == 0 &&
	       !ft.traps[sw].group, "group recorded when first known, then kept");
	flowtab_fini(&ft);
}

/* Names by length (flowtab_trap_id_len): every length from 1 to 24, each
 * name a prefix of the next and differing from a same-length one only in
 * its last byte or in its middle, so every branch of the word compare
 * must look at every byte; an attribute whose string ends early at a NUL
 * is the string up to it.
 */
static void test_intern_len(void)
{
	static const char base[] = "abcdefghijklmnopqrstuvwx";
	struct flowtab ft;
	char name[32], other[32], odd[] = "abc\0defgh";
	int ids[25], len, wrong = 0;

	flowtab_init(&ft, 4);
	for (len = 1; len <= 24; len++) {
		memcpy(name, base, (size_t)len);
		name[len] = '\0';
		ids[len] = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, name, NULL);
	}
	for (len = 1; len <= 24; len++) {
		memcpy(name, base, (size_t)len);
		name[len] = '\0';
		memcpy(other, name, (size_t)len + 1);
		other[len - 1] = 'Z';
		if (flowtab_trap_id_len(&ft, NET_DM_ORIGIN_HW, name, (size_t)len, NULL) != ids[len] ||
		    flowtab_trap_id_len(&ft, NET_DM_ORIGIN_HW, name, (size_t)len, NULL) != ids[len] ||
		    flowtab_trap_id_len(&ft, NET_DM_ORIGIN_HW, other, (size_t)len, NULL) == ids[len])
			wrong++;
		other[len - 1] = name[len - 1];
		other[len / 2] = 'Z';
		if (flowtab_trap_id_len(&ft, NET_DM_ORIGIN_HW, other, (size_t)len, NULL) == ids[len])
			wrong++;
	}
	tap_ok(wrong == 0, "by length 1..24: each name its own id, found again by length; "
	       "a last or middle byte changed is another trap (%d wrong)", wrong);
	tap_ok(flowtab_trap_id_len(&ft, NET_DM_ORIGIN_HW, odd, sizeof(odd) - 1, NULL) == ids[3] &&
	       flowtab_trap_id_len(&ft, NET_DM_ORIGIN_HW, odd, sizeof(odd) - 1, NULL) == ids[3],
	       "a NUL inside: the name is the string before it (\"abc\"), twice");
	tap_ok(flowtab_trap_id_len(&ft, NET_DM_ORIGIN_SW, "abc", 3, NULL) != ids[3],
	       "the same name by length from the other origin is another trap");
	{
		int v4 = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "ipv4_lpm_miss", NULL);
		int v6 = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "ipv6_lpm_miss", NULL);
		int i, bad = 0;

		for (i = 0; i < 10; i++)
			bad += flowtab_trap_id_len(&ft, NET_DM_ORIGIN_HW, i & 1 ? "ipv6_lpm_miss" :
						   "ipv4_lpm_miss", 13, NULL) != (i & 1 ? v6 : v4);
		tap_ok(v4 != v6 && bad == 0, "names alike but for a middle digit, in turn: "
		       "each keeps its id (%d wrong)", bad);
	}
	flowtab_fini(&ft);
}

static void test_many(void)
{
	struct flowtab ft;
	const struct flow_entry *before;
	uint64_t sum = 0;
	uint32_t i;
	bool ok = true;
	int id;

	flowtab_init(&ft, FLOWTAB_DEFAULT_MAX_FLOWS);
	before = ft.entries;
	id = flowtab_trap_id(&ft, NET_DM_ORIGIN_SW, "NO_SOCKET", NULL);
	/* 50000 flows, every 3rd seen twice; n < 65536 keeps keys distinct */
	for (i = 0; i < 50000; i++) {
		struct agg_key k = flow((uint16_t)id, i);

		flowtab_add(&ft, &k, 64);
		if (i % 3 == 0)
			flowtab_add(&ft, &k, 64);
	}
	for (i = 0; i < ft.nflows; i++) {
		sum += ft.entries[i].packets;
		if (ft.entries[i].packets != (i % 3 == 0 ? 2u : 1u))
			ok = false;
	}
	tap_ok(ft.nflows == 50000 && ft.folded == 0 && sum == 66667 &&
	       ft.traps[id].packets == 66667 && ft.traps[id].bytes == 66667 * 64 && ok,
	       "66667 inserts, 50000 flows, max 65536: all exact, none folded");
	tap_ok(before && ft.cap == 65536 && !ft.out_of_memory,
	       "the entries grew with the flows, by doubling: 65536 (got %u)", ft.cap);
	/* The index grew from 4096 slots as the flows came: every flow is
	 * still found (one more packet each, no new flow).
	 */
	for (i = 0; i < 50000; i++) {
		struct agg_key k = flow((uint16_t)id, i);

		flowtab_add(&ft, &k, 64);
	}
	for (i = 0, ok = true; i < ft.nflows; i++)
		if (ft.entries[i].packets != (i % 3 == 0 ? 3u : 2u))
			ok = false;
	tap_ok(ft.nflows == 50000 && ok && ft.mask + 1 == 131072,
	       "after the index grew to 131072 slots, each of the 50000 flows is found again");
	flowtab_fini(&ft);
}

/* Interning past FLOWTAB_MAX_TRAPS, in a child with an alarm: the code
 * may loop or blow the stack. Exit 0 only when the behaviour is right.
 */
static int intern_overflow_child(void)
{
	struct flowtab ft;
	char name[32];
	int i, id, other, other2;

	if (flowtab_init(&ft, 4) < 0)
		return 2;
	for (i = 0; i < FLOWTAB_MAX_TRAPS - 1; i++) {
		snprintf(name, sizeof(name), "trap%d", i);
		if (flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, name, NULL) != i)
			return 3;
	}
	other = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "one_too_many", NULL);
	other2 = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "two_too_many", "g");
	id = flowtab_trap_id(&ft, NET_DM_ORIGIN_SW, "sw_too_many", NULL);
	if (other != FLOWTAB_MAX_TRAPS - 1 || other2 != other || id != other ||
	    strcmp(ft.traps[other].name, "(other traps)") != 0 || ft.ntraps != FLOWTAB_MAX_TRAPS)
		return 4;
	if (flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "trap17", NULL) != 17)
		return 5;
	flowtab_fini(&ft);
	return 0;
}

static void test_intern_overflow(void)
{
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(3);
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		_exit(intern_overflow_child());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		tap_ok(0, "interning past FLOWTAB_MAX_TRAPS: fork failed");
		return;
	}
	if (WIFSIGNALED(status))
		tap_diag("child killed by signal %d%s", WTERMSIG(status),
			 WTERMSIG(status) == SIGALRM ? " (endless loop)" : "");
	else if (WEXITSTATUS(status))
		tap_diag("child exit %d", WEXITSTATUS(status));
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "interning past FLOWTAB_MAX_TRAPS returns the \"(other traps)\" id");
}

/* One insertion serves both views: the whole table counts since start,
 * the view since the mark counts only what came after it. Expected values
 * are the packets added here, by hand.
 */
static void test_marks(void)
{
	struct flowtab ft;
	struct flowtab_view whole = { &ft, false }, since = { &ft, true };
	struct agg_key a, b, c;
	struct trap_mark tm;
	uint64_t p, by;
	int t1, t2, i;

	if (flowtab_init_marked(&ft, 2) < 0) {
		tap_ok(0, "flowtab_init_marked");
		return;
	}
	t1 = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", "l3_drops");
	a = flow(t1, 1);
	b = flow(t1, 2);
	c = flow(t1, 3);
	for (i = 0; i < 3; i++)
		flowtab_add(&ft, &a, 100);
	flowtab_add_bare(&ft, t1, 5, 500);
	flowtab_mark(&ft);
	flowtab_view_flow(&since, 0, &p, &by);
	tap_ok(p == 0 && by == 0, "right after the mark, a flow has nothing since it");
	flowtab_view_flow(&whole, 0, &p, &by);
	tap_ok(p == 3 && by == 300, "the whole view keeps 3 packets, 300 bytes");

	flowtab_add(&ft, &a, 100);
	flowtab_add(&ft, &b, 60);
	flowtab_add(&ft, &c, 40);	/* third flow: folds, bound is 2 */
	t2 = flowtab_trap_id(&ft, NET_DM_ORIGIN_SW, "NO_SOCKET", NULL);
	flowtab_add_bare(&ft, t2, 7, 70);
	flowtab_view_flow(&since, 0, &p, &by);
	tap_ok(p == 1 && by == 100, "old flow: 1 packet since the mark (got %llu)",
	       (unsigned long long)p);
	flowtab_view_flow(&since, 1, &p, &by);
	tap_ok(p == 1 && by == 60, "flow new after the mark: all of it since the mark");
	flowtab_view_trap(&since, t1, &tm);
	tap_ok(tm.packets == 3 && tm.bytes == 200 && tm.other_packets == 1 && tm.bare_packets == 0,
	       "trap since the mark: 3 packets, 1 folded, no bare ones (got %llu/%llu/%llu)",
	       (unsigned long long)tm.packets, (unsigned long long)tm.other_packets,
	       (unsigned long long)tm.bare_packets);
	flowtab_view_trap(&whole, t1, &tm);
	tap_ok(tm.packets == 11 && tm.bare_packets == 5, "trap since start: 11 packets, 5 bare");
	flowtab_view_trap(&since, t2, &tm);
	tap_ok(tm.packets == 7 && tm.bare_bytes == 70, "trap interned after the mark: all since it");
	tap_ok(flowtab_view_folded(&since) == 1 && flowtab_view_folded(&whole) == 1,
	       "folded: 1 since the mark, 1 in all");
	flowtab_mark(&ft);
	flowtab_view_trap(&since, t1, &tm);
	tap_ok(tm.packets == 0 && flowtab_view_folded(&since) == 0, "a second mark empties the view");
	flowtab_fini(&ft);

	/* An unmarked table read "since the mark" reads whole. */
	flowtab_init(&ft, 4);
	t1 = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "ttl_value_is_too_small", NULL);
	a = flow(t1, 9);
	flowtab_add(&ft, &a, 64);
	flowtab_mark(&ft);
	flowtab_view_flow(&since, 0, &p, &by);
	tap_ok(p == 1 && by == 64, "without marks the view is the whole table");
	flowtab_fini(&ft);
}

/* Runs of one flow take the entry the last alert went to, without the
 * hash: counts, totals and times must come out as they would by the hash,
 * flows that differ only past the words compared first stay apart, and a
 * reset (entries reused for other flows) leaves no stale entry behind.
 */
static void test_runs(void)
{
	struct flowtab ft;
	struct agg_key a, b, a_other_dst, a_other_trap;
	int t1, t2, i;

	if (flowtab_init(&ft, 16) < 0 || flowtab_keep_times(&ft) < 0) {
		tap_ok(0, "flowtab_init");
		return;
	}
	t1 = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", NULL);
	t2 = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "ingress_vlan_filter", NULL);
	a = flow(t1, 1);
	b = flow(t1, 2);
	a_other_dst = a;
	a_other_dst.flow.daddr[3] = 99;
	a_other_trap = flow(t2, 1);
	for (i = 0; i < 5; i++)
		flowtab_add_at(&ft, &a, 10, 1000 + i);
	for (i = 0; i < 3; i++)
		flowtab_add_at(&ft, &a_other_dst, 20, 2000 + i);
	for (i = 0; i < 3; i++)
		flowtab_add_at(&ft, &a_other_trap, 30, 3000 + i);
	for (i = 0; i < 4; i++)
		flowtab_add_at(&ft, &b, 40, 4000 + i);
	flowtab_add_at(&ft, &a, 10, 5000);
	tap_ok(ft.nflows == 4 && pkts(&ft, &a) == 6 && pkts(&ft, &a_other_dst) == 3 &&
	       pkts(&ft, &a_other_trap) == 3 && pkts(&ft, &b) == 4,
	       "runs a x5, other destination x3, other trap x3, b x4, a: 4 flows, 6 3 3 4 packets");
	tap_ok(find(&ft, &a)->bytes == 60 && ft.times[0].first == 1000 && ft.times[0].last == 5000 &&
	       ft.times[3].first == 4000 && ft.times[3].last == 4003,
	       "bytes and first/last times kept along the runs");
	tap_ok(trap_consistent(&ft, t1) && trap_consistent(&ft, t2) && ft.traps[t1].packets == 13,
	       "trap totals: blackhole_route 13, each trap's rows add up");
	/* b's entry (the fourth) is the last, repeated; after the reset it is
	 * past nflows, its key still b's.
	 */
	flowtab_add_at(&ft, &b, 40, 5001);
	flowtab_add_at(&ft, &b, 40, 5002);
	flowtab_reset(&ft);
	flowtab_add_at(&ft, &b, 40, 6000);
	for (i = 0; i < 2; i++)
		flowtab_add_at(&ft, &a, 10, 7000 + i);
	tap_ok(ft.nflows == 2 && pkts(&ft, &b) == 1 && pkts(&ft, &a) == 2 &&
	       ft.entries[0].key.flow.sport == b.flow.sport && ft.traps[t1].packets == 3,
	       "after a reset: b, then a x2 in new entries, 1 and 2 packets");
	flowtab_fini(&ft);
}

/* The same tables, whole, flow for flow: entries in order, counts, times,
 * folded alerts, per-trap figures and marks.
 */
static bool tables_same(const struct flowtab *a, const struct flowtab *b)
{
	uint32_t i;

	if (a->nflows != b->nflows || a->folded != b->folded || a->ntraps != b->ntraps ||
	    a->folded_mark != b->folded_mark)
		return false;
	for (i = 0; i < a->nflows; i++)
		if (memcmp(&a->entries[i], &b->entries[i], sizeof(a->entries[i])) != 0 ||
		    memcmp(&a->times[i], &b->times[i], sizeof(a->times[i])) != 0 ||
		    memcmp(&a->flow_marks[i], &b->flow_marks[i], sizeof(a->flow_marks[i])) != 0 ||
		    a->first_mark[i] != b->first_mark[i])
			return false;
	for (i = 0; i < a->ntraps; i++)
		if (a->traps[i].packets != b->traps[i].packets ||
		    a->traps[i].other_packets != b->traps[i].other_packets ||
		    a->traps[i].other_bytes != b->traps[i].other_bytes)
			return false;
	return true;
}

/* A deferred table (the session's) counts exactly what an immediate one
 * does, once settled: runs of one flow (the fast path), new flows, flows
 * seen again, a bound that folds the rest, times out of order and a mark
 * between them. Until it settles, the alert that missed the fast path last
 * is not in the flows.
 */
static void test_deferred(void)
{
	struct flowtab now, later;
	struct agg_key k;
	uint32_t i, state = 12345;
	bool same = true, waited = false;
	int id;

	if (flowtab_init_marked(&now, 300) < 0 || flowtab_init_marked(&later, 300) < 0 ||
	    flowtab_keep_times(&now) < 0 || flowtab_keep_times(&later) < 0) {
		tap_ok(false, "init");
		return;
	}
	flowtab_defer(&later);
	id = flowtab_trap_id(&now, NET_DM_ORIGIN_HW, "blackhole_route", "l3_drops");
	flowtab_trap_id(&later, NET_DM_ORIGIN_HW, "blackhole_route", "l3_drops");
	for (i = 0; i < 5000; i++) {
		uint32_t n, run;

		state = state * 1103515245u + 12345u;
		n = (state >> 8) % 400;		/* past the bound of 300: some fold */
		run = (state >> 20) % 4 ? 1 : 1 + (state >> 24) % 6;
		k = flow((uint16_t)id, n);
		while (run--) {
			uint64_t t = 1000000 + (uint64_t)((i * 7919u) % 5003u);

			flowtab_add_at(&now, &k, 60 + n, t);
			flowtab_add_at(&later, &k, 60 + n, t);
		}
		if (i == 2500) {
			waited = later.pending;
			flowtab_mark(&now);
			flowtab_mark(&later);
			same = same && tables_same(&now, &later);
		}
	}
	tap_ok(waited && same, "a mark settles the deferred table first: the same at the mark");
	tap_ok(later.pending && !tables_same(&now, &later),
	       "unsettled, the deferred table lacks the alert waiting");
	flowtab_settle(&later);
	tap_ok(!later.pending && tables_same(&now, &later) && now.folded > 0,
	       "settled: flow for flow the immediate table (%u flows, %llu folded)", later.nflows,
	       (unsigned long long)later.folded);
	flowtab_reset(&later);
	tap_ok(!later.pending && later.nflows == 0, "a reset forgets the alert waiting too");
	flowtab_fini(&now);
	flowtab_fini(&later);
}

int main(void)
{
	test_aggregate();
	test_fold();
	test_intern();
	test_intern_len();
	test_many();
	test_intern_overflow();
	test_marks();
	test_runs();
	test_deferred();
	return tap_done();
}
