/* cli: the command line, parsed into struct cli for main's dispatch. */
#include "config.h"

#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/version.h>
#include <pcap/pcap.h>

#include "bykey.h"
#include "capture.h"
#include "cli.h"
#include "explain.h"
#include "exporter.h"
#include "filter.h"
#include "flowtab.h"
#include "metrics.h"
#include "privs.h"
#include "traplist.h"
#include "webconfig.h"

/* Command line ------------------------------------------------------------ */

enum {
	OPT_WIDE = 0x100,
	OPT_HW,
	OPT_SW,
	OPT_PASSIVE,
	OPT_FORCE,
	OPT_TRUNC,
	OPT_MAX_FLOWS,
	OPT_RCVBUF,
	OPT_LIST,
	OPT_SET_ACTION,
	OPT_SET_GROUP_ACTION,
	OPT_SET_POLICER,
	OPT_DEV,
	OPT_KEEP_ACTIONS,
	OPT_APPLY,
	OPT_RESTORE,
	OPT_SUMMARY,
	OPT_QUEUE_LEN,
	OPT_LINKTYPE,
	OPT_FILTER,
	OPT_FOREGROUND,
	OPT_TEXTFILE,
	OPT_FLOW_METRICS,
	OPT_COMPAT,
	OPT_SOURCE,
	OPT_EXPLAIN,
	OPT_WHY,
	OPT_BY,
	OPT_SORT,
	OPT_TOP,
	OPT_WEB_CONFIG,
};

/* No argp_program_bug_address: trapmon has no public bug tracker, and
 * --help must not send users to an address that does not exist.
 */

static const char doc[] =
	"Aggregate hardware (and software) packet drops per {trap, flow}.\n"
	"\n"
	"USAGE: trapmon [-d] [-e] [-c] [-T] [-j] [--wide] [--hw] [--sw] [--summary]\n"
	"               [--set-action TRAP=ACTION] [interval] [count]\n"
	"\n"
	"EXAMPLES:\n"
	"    trapmon                 # aggregate until Ctrl-C, then print\n"
	"    trapmon -d              # drop traps only\n"
	"    trapmon -c --wide 3 1   # control traps per port (devlink_trap_report)\n"
	"    trapmon --source=tracepoint 3 1  # per trap and port, without drop_monitor\n"
	"    trapmon 1 10            # print 1 second summaries, 10 times\n"
	"    trapmon -T 1            # 1s summaries with timestamps\n"
	"    trapmon --by trap,port 5 1      # which port is it coming from?\n"
	"    trapmon --by group --sort=rate --top=5 5 1   # the 5 busiest trap groups\n"
	"    trapmon -j 5 1          # one 5 second table as a JSON line\n"
	"    trapmon --sw 3 1        # software drops, by kernel drop reason\n"
	"    trapmon --hw --set-action blackhole_route=trap   # trap, then restore\n"
	"    trapmon --list          # devlink traps, actions and counters\n"
	"    trapmon --why 5 1       # one table, and what each trap means\n"
	"    trapmon --explain=tail_drop   # what a trap or drop reason means\n"
	"    trapmon -w drops.pcap   # also write the drops; open them in Wireshark\n"
	"    trapmon -r drops.pcap   # the same table from a capture, no privileges\n"
	"    trapmon -r drops.pcap 1 # one table per second of the capture's own clock\n"
	"\n"
	"Exit status: 0 success, 1 runtime error, 64 usage error."
	"\v"
	"trapmon listens to the kernel's drop monitor (NET_DM), which reports the "
	"packets that devlink traps send to the CPU. It needs no eBPF.";

static const struct argp_option options[] = {
	{ "drop", 'd', NULL, 0, "Trace drop traps only", 0 },
	{ "exception", 'e', NULL, 0, "Trace exception traps only", 0 },
	{ "control", 'c', NULL, 0,
	  "Control traps only (per port from devlink_trap_report events, else devlink's counters)",
	  0 },
	{ "timestamp", 'T', NULL, 0, "Include timestamp on output", 0 },
	{ "json", 'j', NULL, 0, "Print each table as one JSON object per line", 0 },
	{ "wide", OPT_WIDE, NULL, 0,
	  "Add GROUP, PORT, VLAN, outer addresses, ICMP type/code, MIRROR, BYTES, FIRST and LAST "
	  "seen and RATE (packets/s)", 0 },
	{ "by", OPT_BY, "KEY[,KEY...]", 0,
	  "Break the table down by these keys: trap, group, device, port, vlan, sip, dip, sport, "
	  "dport, proto, encap, reason (default: trap and trapagg's 5-tuple with is_encap)", 0 },
	{ "sort", OPT_SORT, "ORDER", 0,
	  "Order rows by count (default), rate, first (earliest first seen first) or last "
	  "(latest last seen first)", 0 },
	{ "top", OPT_TOP, "N", 0,
	  "Print the first N rows, then one line with the rows and packets left out", 0 },
	{ "why", OPT_WHY, NULL, 0,
	  "Under each table, a legend: each trap's or reason's severity, meaning and what to check", 0 },
	{ "hw", OPT_HW, NULL, 0, "Monitor hardware drops (the default)", 1 },
	{ "sw", OPT_SW, NULL, 0, "Monitor software drops (by drop reason)", 1 },
	{ "passive", OPT_PASSIVE, NULL, 0,
	  "Only listen: never configure, start or stop the drop monitor", 1 },
	{ "force", OPT_FORCE, NULL, 0,
	  "Take over a drop monitor session left on by another program", 1 },
	{ "trunc", OPT_TRUNC, "BYTES", 0,
	  "Bytes of each dropped packet the kernel sends (default 256; 0: all)", 1 },
	{ "max-flows", OPT_MAX_FLOWS, "N", 0,
	  "Bound of the flow table; more flows fold into (other) (default 65536)", 1 },
	{ "source", OPT_SOURCE, "SOURCE", 0,
	  "netdm (drop monitor alerts with packets, the default) or tracepoint (devlink's "
	  "trap-report events: per trap and port, no packets, no drop_monitor)", 1 },
	{ "summary", OPT_SUMMARY, NULL, 0,
	  "Summary alerts: counts per trap and per kernel drop point, no packets (cheapest)", 1 },
	{ "queue-len", OPT_QUEUE_LEN, "N", 0,
	  "Alerts the kernel queues per CPU before dropping them (restored at exit)", 1 },
	{ "rcvbuf", OPT_RCVBUF, "BYTES", 0, "Socket receive buffer (default 8 MiB)", 1 },
	{ "write", 'w', "FILE", 0,
	  "Write dropped packets to a pcap file Wireshark decodes ('-': stdout)", 3 },
	{ "linktype", OPT_LINKTYPE, "TYPE", 0,
	  "-w format: netlink (NET_DM messages, default) or ether (frames only)", 3 },
	{ NULL, 'U', NULL, 0, "Flush the capture after every packet", 3 },
	{ NULL, 'C', "SIZE", 0,
	  "Rotate the capture at SIZE million bytes (k, m, g suffixes), like tcpdump", 3 },
	{ NULL, 'G', "SECONDS", 0, "Rotate the capture every SECONDS; FILE takes strftime(3) patterns",
	  3 },
	{ NULL, 'W', "N", 0, "Keep at most N capture files, reusing the oldest", 3 },
	{ "relinquish-privileges", 'Z', "USER", 0,
	  "After setup run as USER, keeping only CAP_NET_ADMIN (to stop and restore); "
	  "-w files are then opened as USER", 3 },
	{ "read", 'r', "FILE", 0,
	  "Replay a capture (trapmon's, dwdump's, nlmon's or plain Ethernet) instead of listening",
	  3 },
	{ "filter", OPT_FILTER, "EXPR", 0,
	  "Only packets matching a tcpdump filter expression, see pcap-filter(7)", 3 },
	{ "pin", 'p', NULL, 0,
	  "Start a background aggregator with these options and return once it monitors", 4 },
	{ "stats", 's', NULL, 0, "Print the aggregator's statistics since it started, and exit", 4 },
	{ "unpin", 'u', NULL, 0, "Stop the aggregator: monitoring off, actions restored", 4 },
	{ "foreground", OPT_FOREGROUND, NULL, 0,
	  "With -p: stay in the foreground (systemd); SIGTERM stops cleanly", 4 },
	{ "listen", 'l', "[ADDR:]PORT", 0,
	  "Serve Prometheus metrics on /metrics (default address 127.0.0.1; port 9432 is usual)", 4 },
	{ "web-config", OPT_WEB_CONFIG, "FILE", 0,
	  "TLS, client certificates and basic auth for --listen, in exporter-toolkit's web "
	  "config format (node_exporter's --web.config.file)", 4 },
	{ "textfile", OPT_TEXTFILE, "PATH", 0,
	  "Write the metrics to PATH for node_exporter's textfile collector, every interval", 4 },
	{ "flow-metrics", OPT_FLOW_METRICS, "N", 0,
	  "Export the N flows with the highest counts (default 100)", 4 },
	{ "compat", OPT_COMPAT, "trapagg", 0,
	  "Also export trapagg-exporter's node_net_trapagg_total series", 4 },
	{ "list", OPT_LIST, "WHAT", OPTION_ARG_OPTIONAL,
	  "List devlink traps (WHAT: traps, groups or policers) with their counters, and exit", 2 },
	{ "explain", OPT_EXPLAIN, "NAME,...", OPTION_ARG_OPTIONAL,
	  "Explain generic traps, trap groups and drop reasons (all without NAME; -j: JSON), and exit",
	  2 },
	{ "set-action", OPT_SET_ACTION, "TRAP=ACTION[,...]", 0,
	  "Set drop traps' actions (trap, drop, mirror) while monitoring; restored at exit", 2 },
	{ "set-group-action", OPT_SET_GROUP_ACTION, "GROUP=ACTION[,...]", 0,
	  "The same for every drop trap of a trap group", 2 },
	{ "set-policer", OPT_SET_POLICER, "ID=RATE[/BURST]", 0,
	  "Set a trap policer (packets/s) to protect the CPU; restored at exit", 2 },
	{ "dev", OPT_DEV, "BUS/NAME", 0,
	  "Only this devlink device (repeatable), e.g. netdevsim/netdevsim10", 2 },
	{ "keep-actions", OPT_KEEP_ACTIONS, NULL, 0, "Leave the changed actions in place at exit", 2 },
	{ "apply", OPT_APPLY, NULL, 0,
	  "Apply --set-action/--set-group-action/--set-policer, keep them, exit", 2 },
	{ "restore", OPT_RESTORE, NULL, 0,
	  "Put back what a killed trapmon changed (its journal in /run/trapmon); "
	  "with --force also stop monitoring it left on", 2 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *out > max)
		return -1;
	return 0;
}

/* Options that set a flag, add a trap type, take a bounded count or keep
 * their argument: where each one lands, so parse_opt() handles only the rest.
 */
#define MON(f) offsetof(struct cli, mon.f)
#define CLI(f) offsetof(struct cli, f)

/* Every count lands in a 32-bit field. */
_Static_assert(sizeof(((struct cli *)0)->mon.rcvbuf) == 4 &&
	       sizeof(((struct cli *)0)->mon.flow_top) == 4 &&
	       sizeof(((struct cli *)0)->mon.top) == 4 &&
	       sizeof(((struct cli *)0)->mon.cap.ring_files) == 4 &&
	       sizeof(((struct cli *)0)->mon.cap.rotate_seconds) == 4, "count fields are 32 bits");

enum table_kind { SETS_FLAG, ADDS_TYPE, KEEPS_ARG, TAKES_COUNT };

static const struct table_opt {
	int key;
	enum table_kind kind;
	size_t off;
	unsigned int type_bit;		/* ADDS_TYPE */
	unsigned long min, max;		/* TAKES_COUNT */
	const char *usage;		/* TAKES_COUNT: the error, before ", not 'ARG'" */
} table_opts[] = {
#define FLAG(k, o) { .key = (k), .kind = SETS_FLAG, .off = (o) }
#define TYPE(k, t) { .key = (k), .kind = ADDS_TYPE, .off = MON(type_mask), .type_bit = TYPE_BIT(t) }
#define STRING(k, o) { .key = (k), .kind = KEEPS_ARG, .off = (o) }
#define COUNT(k, lo, hi, o, u) \
	{ .key = (k), .kind = TAKES_COUNT, .off = (o), .min = (lo), .max = (hi), .usage = (u) }
	FLAG(OPT_KEEP_ACTIONS, MON(keep_actions)), FLAG(OPT_RESTORE, CLI(restore)),
	FLAG('T', MON(timestamp)), FLAG('j', MON(json)), FLAG(OPT_WIDE, MON(wide)),
	FLAG(OPT_HW, MON(hw)), FLAG(OPT_SW, MON(sw)), FLAG(OPT_PASSIVE, MON(passive)),
	FLAG(OPT_FORCE, MON(force)), FLAG(OPT_SUMMARY, MON(summary)),
	FLAG('U', MON(cap.packet_buffered)), FLAG('p', MON(aggregator)), FLAG('s', CLI(stats)),
	FLAG('u', CLI(unpin)), FLAG(OPT_FOREGROUND, CLI(foreground)), FLAG(OPT_WHY, MON(why)),
	TYPE('d', TRAP_TYPE_DROP), TYPE('e', TRAP_TYPE_EXCEPTION), TYPE('c', TRAP_TYPE_CONTROL),
	STRING('w', MON(write_path)), STRING('r', CLI(replay)), STRING(OPT_TEXTFILE, MON(textfile)),
	STRING(OPT_FILTER, MON(filter_expr)), STRING(OPT_WEB_CONFIG, MON(web_config)),
	COUNT(OPT_TRUNC, 0, 65535, MON(trunc_len), "--trunc takes a byte count from 0 to 65535"),
	COUNT(OPT_MAX_FLOWS, 1, 1u << 28, MON(max_flows),
	      "--max-flows takes a count from 1 to 268435456"),
	COUNT('G', 1, 31536000, MON(cap.rotate_seconds), "-G takes seconds above 0"),
	COUNT('W', 1, 1000000, MON(cap.ring_files), "-W takes a file count above 0"),
	COUNT(OPT_FLOW_METRICS, 0, 100000, MON(flow_top), "--flow-metrics takes a count"),
	COUNT(OPT_QUEUE_LEN, 1, UINT32_MAX, MON(queue_len), "--queue-len takes a count above 0"),
	COUNT(OPT_RCVBUF, 0, INT_MAX, MON(rcvbuf), "--rcvbuf takes a byte count"),
	COUNT(OPT_TOP, 1, UINT32_MAX, MON(top), "--top takes a row count above 0"),
#undef FLAG
#undef TYPE
#undef STRING
#undef COUNT
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The table-driven options; false when key is not one of them. */
static bool parse_table_opt(int key, const char *arg, struct argp_state *state)
{
	const struct table_opt *t = table_opts;
	char *at;
	unsigned long v;
	uint32_t v32;

	while (t < table_opts + COUNT_OF(table_opts) && t->key != key)
		t++;
	if (t == table_opts + COUNT_OF(table_opts))
		return false;
	at = (char *)state->input + t->off;
	switch (t->kind) {
	case SETS_FLAG:
		*(bool *)at = true;
		break;
	case ADDS_TYPE:
		*(unsigned int *)at |= t->type_bit;
		break;
	case KEEPS_ARG:
		*(const char **)at = arg;
		break;
	case TAKES_COUNT:
		if (parse_ulong(arg, t->max, &v) < 0 || v < t->min)
			argp_error(state, "%s, not '%s'", t->usage, arg);
		v32 = (uint32_t)v;
		memcpy(at, &v32, sizeof(v32));
		break;
	}
	return true;
}

/* The interval and the count. */
static void parse_arg(struct argp_state *state, const char *arg, struct monitor_opts *o)
{
	unsigned long v;
	char *end;

	if (state->arg_num == 0) {
		errno = 0;
		o->interval = strtod(arg, &end);
		if (errno || *end || end == arg || !(o->interval > 0) || o->interval > 86400)
			argp_error(state, "interval must be seconds above 0, not '%s'", arg);
	} else if (state->arg_num == 1) {
		if (parse_ulong(arg, LONG_MAX, &v) < 0 || v == 0)
			argp_error(state, "count must be a positive number, not '%s'", arg);
		o->count = (long)v;
	} else {
		argp_error(state, "unexpected argument '%s'", arg);
	}
}

/* Options whose argument is one of two words, each an enum value. */
_Static_assert(sizeof(((struct cli *)0)->mon.cap.linktype) == sizeof(int) &&
	       sizeof(((struct cli *)0)->mon.source) == sizeof(int), "word options are ints");
static const struct {
	int key;
	const char *words[2];
	int values[2];
	size_t off;
	const char *usage;	/* the error, before ", not 'ARG'" */
} word_opts[] = {
	{ OPT_LINKTYPE, { "netlink", "ether" }, { CAPTURE_NETLINK, CAPTURE_ETHER },
	  MON(cap.linktype), "--linktype takes netlink or ether" },
	{ OPT_SOURCE, { "netdm", "tracepoint" }, { SOURCE_NETDM, SOURCE_TRACEPOINT },
	  MON(source), "--source takes netdm or tracepoint" },
};

static bool parse_word_opt(int key, const char *arg, struct argp_state *state)
{
	size_t i, w;

	for (i = 0; i < sizeof(word_opts) / sizeof(word_opts[0]); i++) {
		if (word_opts[i].key != key)
			continue;
		for (w = 0; w < 2; w++)
			if (!strcmp(arg, word_opts[i].words[w])) {
				memcpy((char *)state->input + word_opts[i].off, &word_opts[i].values[w],
				       sizeof(int));
				return true;
			}
		argp_error(state, "%s, not '%s'", word_opts[i].usage, arg);
		return true;
	}
	return false;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct cli *cli = state->input;
	struct monitor_opts *o = &cli->mon;
	const char *oom = "out of memory";

	if (parse_table_opt(key, arg, state)) {
		cli->trunc_set |= key == OPT_TRUNC;
		return 0;
	}
	if (parse_word_opt(key, arg, state))
		return 0;
	switch (key) {
	case OPT_LIST:
		cli->list = traplist_parse(arg);
		if (cli->list < 0)
			argp_error(state, "--list takes traps, groups or policers, not '%s'", arg);
		break;
	case OPT_EXPLAIN:
		cli->explain = true;
		cli->explain_names = arg && *arg ? arg : NULL;
		if (explain_check(cli->explain_names, &cli->err) < 0)
			argp_error(state, "%s", cli->err.text);
		break;
	case OPT_BY:
		if (by_parse(arg, &o->by, &cli->err) < 0)
			argp_error(state, "%s", cli->err.text);
		break;
	case OPT_SORT:
		if (sort_parse(arg, &o->sort) < 0)
			argp_error(state, "--sort takes count, rate, first or last, not '%s'", arg);
		break;
	case OPT_SET_ACTION:
	case OPT_SET_GROUP_ACTION:
		if (trapctl_parse_actions(&cli->tc, arg, key == OPT_SET_GROUP_ACTION, &cli->err) < 0)
			argp_error(state, "%s", cli->err.text[0] ? cli->err.text : oom);
		break;
	case OPT_SET_POLICER:
		if (trapctl_parse_policer(&cli->tc, arg, &cli->err) < 0)
			argp_error(state, "%s", cli->err.text[0] ? cli->err.text : oom);
		break;
	case OPT_DEV:
		if (trapctl_add_dev(&cli->tc, arg, &cli->err) < 0)
			argp_error(state, "%s", cli->err.text[0] ? cli->err.text : oom);
		break;
	case OPT_APPLY:
		o->apply_only = true;
		o->keep_actions = true;
		break;
	case 'C':
		if (capture_parse_size(arg, &o->cap.rotate_bytes) < 0)
			argp_error(state, "-C takes a size in millions of bytes (k, m, g suffixes), "
				   "not '%s'", arg);
		break;
	case 'Z':
		if (privs_lookup(arg, &o->uid, &o->gid, &cli->err) < 0)
			argp_error(state, "%s", cli->err.text);
		o->drop_privs = true;
		break;
	case 'l':
		if (exporter_parse(arg, &cli->err) < 0)
			argp_error(state, "%s", cli->err.text);
		o->listen = arg;
		break;
	case OPT_COMPAT:
		if (strcmp(arg, "trapagg"))
			argp_error(state, "--compat takes trapagg, not '%s'", arg);
		o->compat_trapagg = true;
		break;
	case ARGP_KEY_ARG:
		parse_arg(state, arg, o);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void print_version(FILE *fp, struct argp_state *state)
{
	(void)state;
	fprintf(fp, "trapmon %s\n%s\nlibnl %d.%d.%d\nlibmnl %s\n", PACKAGE_VERSION,
		pcap_lib_version(), nl_ver_maj, nl_ver_min, nl_ver_mic, LIBMNL_VERSION);
}

void (*argp_program_version_hook)(FILE *, struct argp_state *) = print_version;

static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	for (i = 0; s && i < argc; i++) {
		strcat(s, argv[i]);
		if (i + 1 < argc)
			strcat(s, " ");
	}
	return s;
}

void cli_free(struct cli *cli)
{
	if (!cli)
		return;
	trapctl_fini(&cli->tc);
	free(cli->cmdline);
	free(cli);
}

/* Options that contradict each other: the usage error, or NULL. */
static const char *contradiction(const struct cli *cli)
{
	const struct monitor_opts *o = &cli->mon;

	if (o->passive && o->force && !cli->restore)
		return "--passive and --force contradict each other: pick one";
	if (o->apply_only && !trapctl_wants_changes(&cli->tc))
		return "--apply needs --set-action, --set-group-action or --set-policer";
	if ((cli->list >= 0) + cli->restore + o->apply_only + (cli->replay != NULL) +
	    o->aggregator + cli->stats + cli->unpin + cli->explain > 1)
		return "--list, --explain, --restore, --apply, -r, -p, -s and -u are separate "
		       "commands: pick one";
	if (o->aggregator && o->interval)
		return "-p aggregates since it starts: drop the interval "
		       "(trapmon -s reads the totals)";
	if (cli->foreground && !o->aggregator)
		return "--foreground goes with -p";
	if (cli->replay && (trapctl_wants_changes(&cli->tc) || o->write_path))
		return "-r replays a file into tables: drop -w and trap changes";
	if (!o->write_path && (o->cap.rotate_bytes || o->cap.rotate_seconds ||
			       o->cap.ring_files || o->cap.packet_buffered))
		return "-C, -G, -W and -U shape -w's capture: add -w FILE";
	if (o->source == SOURCE_TRACEPOINT &&
	    (o->write_path || o->filter_expr || o->sw || o->summary || cli->replay))
		return "--source=tracepoint counts trap reports, which carry no packet: drop -w, "
		       "--filter, --sw, --summary and -r (or use --source=netdm)";
	if (o->web_config && !o->listen)
		return "--web-config sets up --listen's TLS and users: add --listen [ADDR:]PORT";
	if (o->source == SOURCE_TRACEPOINT && (o->passive || o->force))
		return "--passive and --force are about the drop monitor, which "
		       "--source=tracepoint does not use";
	return NULL;
}

static struct cli *usage_error(struct cli *cli, int *status, const char *msg)
{
	fprintf(stderr, "trapmon: %s\n", msg);
	cli_free(cli);
	*status = EXIT_USAGE;
	return NULL;
}

struct cli *cli_parse(int argc, char **argv, int *status)
{
	static const struct argp argp = { options, parse_opt, "[interval [count]]", doc,
					  NULL, NULL, NULL };
	struct errmsg e = { 0 };
	const char *msg;
	struct cli *cli;

	argp_err_exit_status = EXIT_USAGE;
	*status = 1;
	cli = calloc(1, sizeof(*cli));
	if (!cli) {
		fprintf(stderr, "trapmon: out of memory\n");
		return NULL;
	}
	cli->list = -1;
	cli->ready_fd = -1;
	cli->mon.flow_top = METRICS_DEFAULT_FLOWS;
	cli->mon.trunc_len = 256;
	cli->mon.max_flows = FLOWTAB_DEFAULT_MAX_FLOWS;
	cli->mon.rcvbuf = 8 << 20;
	argv[0] = (char *)"trapmon";	/* getopt's own messages name argv[0] */
	cli->cmdline = join_args(argc, argv);
	cli->mon.cmdline = cli->cmdline;
	argp_parse(&argp, argc, argv, 0, NULL, cli);
	if (!cli->mon.hw && !cli->mon.sw)
		cli->mon.hw = true;
	msg = contradiction(cli);
	if (msg)
		return usage_error(cli, status, msg);
	if (cli->mon.filter_expr) {
		struct filter f;

		if (filter_compile(&f, cli->mon.filter_expr, &e) < 0)
			return usage_error(cli, status, e.text);
		filter_fini(&f);
	}
	if (cli->mon.web_config && webconfig_check(cli->mon.web_config, &e) < 0)
		return usage_error(cli, status, e.text);
	/* -w keeps whole packets unless --trunc says otherwise. */
	if (cli->mon.write_path && !cli->trunc_set)
		cli->mon.trunc_len = 0;
	*status = 0;
	return cli;

}
