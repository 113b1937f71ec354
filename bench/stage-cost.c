/* stage-cost: the CPU each stage of trapmon -r adds, by running the same
 * capture through trapmon's own reader and stopping after a given stage.
 * bench/run.sh times each stage beside cat and trapmon -r (its "stages"
 * part); the differences between neighbouring stages are what the stages
 * cost, which callgrind's instruction counts alone do not tell when a
 * stage waits on memory or mispredicted branches.
 *
 *   stage-cost STAGE FILE
 *
 * STAGE, each including the ones before it:
 *   read    trapmon's pcap reader, every NET_DM message handed over
 *   walk    + a bare walk over each message's attributes: lengths only, no
 *           checks and nothing kept; a floor for parsing, not a parser
 *   parse   + the packet alert parsed (netdm_parse_alert_memo, as trapmon does)
 *   intern  + its trap name interned (flowtab_trap_id_len, as aggregate_alert does)
 *   dissect + its payload dissected into a flow key (dissect_packet)
 *   count   the parsed alert counted by aggregate_alert(), which interns,
 *           dissects and counts, as trapmon -r does without printing
 *
 * Prints "messages N alerts M flows F" so that no stage's work is unused.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/net_dropmon.h>
#include <linux/netlink.h>

#include "aggregate.h"
#include "dissect.h"
#include "errmsg.h"
#include "flowtab.h"
#include "netdm.h"
#include "nlparse.h"
#include "replay.h"

enum stage { S_READ, S_WALK, S_PARSE, S_INTERN, S_DISSECT, S_COUNT };

static const char *const stage_names[] = {
	[S_READ] = "read", [S_WALK] = "walk", [S_PARSE] = "parse", [S_INTERN] = "intern",
	[S_DISSECT] = "dissect", [S_COUNT] = "count",
};

struct run {
	enum stage stage;
	struct aggregate ag;
	uint64_t messages;
	uint64_t alerts;
	uint64_t sink;		/* folds what a stage produced, so it is kept */
	struct netdm_memo memo;
};

/* What any parser of the message must at least do: follow the chain of
 * attribute lengths to its end.
 */
static uint64_t bare_walk(const struct nlmsghdr *nlh)
{
	const uint8_t *p = (const uint8_t *)nlh + NLMSG_HDRLEN + 4;
	const uint8_t *end = (const uint8_t *)nlh + nlh->nlmsg_len;
	uint64_t types = 0;

	while (end - p >= 4) {
		const struct nlattr *at = (const void *)p;

		if (at->nla_len < 4)
			break;
		types += at->nla_type;
		p += NLA_ALIGN(at->nla_len);
	}
	return types;
}

static void on_msg(const struct nlmsghdr *nlh, uint64_t ts_ns, void *arg)
{
	struct run *r = arg;
	struct drop_alert a;
	struct flow_key key;
	int id;

	(void)ts_ns;
	r->messages++;
	if (r->stage == S_WALK)
		r->sink += bare_walk(nlh);
	if (r->stage <= S_WALK || nlparse_genl_cmd(nlh) != NET_DM_CMD_PACKET_ALERT ||
	    netdm_parse_alert_memo(nlh, &a, &r->memo) < 0)
		return;
	r->alerts++;
	r->sink += a.payload_len;
	if (r->stage == S_COUNT) {
		aggregate_alert(&r->ag, &a);
		return;
	}
	if (r->stage == S_PARSE)
		return;
	if (a.trap_name)
		id = flowtab_trap_id_len(&r->ag.ft, (uint8_t)a.origin, a.trap_name, a.trap_name_len,
					 a.trap_group);
	else
		id = flowtab_trap_id(&r->ag.ft, (uint8_t)a.origin, "-", a.trap_group);
	r->sink += (uint64_t)id;
	if (r->stage == S_INTERN)
		return;
	dissect_packet(a.payload, a.payload_len, a.proto, &key);
	r->sink += key.sport ^ key.dport ^ key.saddr[15];
}

static int stage_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(stage_names) / sizeof(stage_names[0]); i++)
		if (strcmp(name, stage_names[i]) == 0)
			return (int)i;
	return -1;
}

int main(int argc, char **argv)
{
	const struct agg_opts opts = { .max_flows = FLOWTAB_DEFAULT_MAX_FLOWS };
	struct run r = { 0 };
	struct replay_ops ops = { .netdm_msg = on_msg, .arg = &r };
	struct replay_stats st = { 0 };
	struct errmsg e = { 0 };
	int stage = argc == 3 ? stage_of(argv[1]) : -1;

	if (stage < 0) {
		fprintf(stderr, "usage: stage-cost read|walk|parse|intern|dissect|count FILE\n");
		return 2;
	}
	r.stage = (enum stage)stage;
	if (aggregate_init(&r.ag, &opts, &e) < 0) {
		fprintf(stderr, "stage-cost: %s\n", e.text);
		return 1;
	}
	if (replay_file(argv[2], &ops, &st, &e) < 0) {
		fprintf(stderr, "stage-cost: %s\n", e.text);
		aggregate_fini(&r.ag);
		return 1;
	}
	printf("messages %llu alerts %llu flows %u sink %llu\n", (unsigned long long)r.messages,
	       (unsigned long long)r.alerts, r.ag.ft.nflows, (unsigned long long)r.sink);
	aggregate_fini(&r.ag);
	return 0;
}
