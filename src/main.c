/* trapmon: command line and wiring. Options are parsed here; everything
 * else lives in the modules: netdm (drop monitor), devlink (traps), dissect
 * (flow keys), flowtab (aggregation), output (tables).
 */
#include "config.h"

#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/devlink.h>
#include <netlink/version.h>
#include <pcap/pcap.h>

#include "devlink.h"
#include "dissect.h"
#include "errmsg.h"
#include "flowtab.h"
#include "netdm.h"
#include "nlparse.h"
#include "output.h"

#define EXIT_USAGE 64
#define TYPE_BIT(t) (1u << (t))

struct options {
	unsigned int type_mask;		/* TYPE_BIT(TRAP_TYPE_*); 0: all */
	bool timestamp;
	bool json;
	bool wide;
	bool hw, sw;
	bool passive;
	bool force;
	uint32_t trunc_len;
	uint32_t max_flows;
	int rcvbuf;
	double interval;		/* seconds; 0: until a signal */
	long count;			/* tables to print; 0: forever */
};

struct port_name {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
};

#define PORT_CACHE 256

struct trapmon {
	struct options opt;
	struct netdm dm;
	struct devlink dl;
	bool have_dm, have_dl;
	struct dl_traps traps;		/* last devlink dump: types, control stats */
	struct flowtab ft;
	struct out_loss loss;
	struct netdm_stats kstats_base;
	struct port_name ports[PORT_CACHE];
	uint8_t buf[1 << 17];
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

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
};

const char *argp_program_bug_address = PACKAGE_BUGREPORT;

static const char doc[] =
	"Aggregate hardware (and software) packet drops per {trap, flow}.\n"
	"\n"
	"USAGE: trapmon [-d] [-e] [-c] [-T] [-j] [--wide] [--hw] [--sw] [interval] [count]\n"
	"\n"
	"EXAMPLES:\n"
	"    trapmon                 # aggregate until Ctrl-C, then print\n"
	"    trapmon -d              # drop traps only\n"
	"    trapmon -c              # control traps, from devlink's counters\n"
	"    trapmon 1 10            # print 1 second summaries, 10 times\n"
	"    trapmon -T 1            # 1s summaries with timestamps\n"
	"    trapmon -j 5 1          # one 5 second table as a JSON line\n"
	"    trapmon --sw 3 1        # software drops, by kernel drop reason\n"
	"\n"
	"Exit status: 0 success, 1 runtime error, 64 usage error."
	"\v"
	"trapmon listens to the kernel's drop monitor (NET_DM), which reports the "
	"packets that devlink traps send to the CPU. It needs no eBPF.";

static const struct argp_option options[] = {
	{ "drop", 'd', NULL, 0, "Trace drop traps only", 0 },
	{ "exception", 'e', NULL, 0, "Trace exception traps only", 0 },
	{ "control", 'c', NULL, 0,
	  "Control traps only (counts from devlink; they never reach NET_DM)", 0 },
	{ "timestamp", 'T', NULL, 0, "Include timestamp on output", 0 },
	{ "json", 'j', NULL, 0, "Print each table as one JSON object per line", 0 },
	{ "wide", OPT_WIDE, NULL, 0,
	  "Add GROUP, PORT, VLAN, outer addresses, ICMP type/code and BYTES", 0 },
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
	{ "rcvbuf", OPT_RCVBUF, "BYTES", 0, "Socket receive buffer (default 8 MiB)", 1 },
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

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct options *o = state->input;
	unsigned long v;
	char *end;

	switch (key) {
	case 'd':
		o->type_mask |= TYPE_BIT(TRAP_TYPE_DROP);
		break;
	case 'e':
		o->type_mask |= TYPE_BIT(TRAP_TYPE_EXCEPTION);
		break;
	case 'c':
		o->type_mask |= TYPE_BIT(TRAP_TYPE_CONTROL);
		break;
	case 'T':
		o->timestamp = true;
		break;
	case 'j':
		o->json = true;
		break;
	case OPT_WIDE:
		o->wide = true;
		break;
	case OPT_HW:
		o->hw = true;
		break;
	case OPT_SW:
		o->sw = true;
		break;
	case OPT_PASSIVE:
		o->passive = true;
		break;
	case OPT_FORCE:
		o->force = true;
		break;
	case OPT_TRUNC:
		if (parse_ulong(arg, 65535, &v) < 0)
			argp_error(state, "--trunc takes a byte count from 0 to 65535, not '%s'", arg);
		o->trunc_len = (uint32_t)v;
		break;
	case OPT_MAX_FLOWS:
		if (parse_ulong(arg, 1u << 28, &v) < 0 || v == 0)
			argp_error(state, "--max-flows takes a count from 1 to %u, not '%s'",
				   1u << 28, arg);
		o->max_flows = (uint32_t)v;
		break;
	case OPT_RCVBUF:
		if (parse_ulong(arg, INT_MAX, &v) < 0)
			argp_error(state, "--rcvbuf takes a byte count, not '%s'", arg);
		o->rcvbuf = (int)v;
		break;
	case ARGP_KEY_ARG:
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

/* In-port names --------------------------------------------------------- */

static void port_remember(struct trapmon *tm, uint32_t ifindex, const char *name)
{
	struct port_name *p = &tm->ports[ifindex % PORT_CACHE];

	if (p->ifindex == ifindex || !name)
		return;
	p->ifindex = ifindex;
	snprintf(p->name, sizeof(p->name), "%s", name);
}

static const char *port_lookup(uint32_t ifindex, void *arg)
{
	struct trapmon *tm = arg;
	struct port_name *p = &tm->ports[ifindex % PORT_CACHE];

	if (p->ifindex != ifindex) {
		char name[IF_NAMESIZE];

		if (!if_indextoname(ifindex, name))
			return NULL;
		port_remember(tm, ifindex, name);
	}
	return p->name;
}

/* Alerts ------------------------------------------------------------------ */

/* A software drop is named by its reason, else by its function. */
static const char *sw_drop_name(const struct drop_alert *a, char *buf, size_t n)
{
	size_t len;

	if (a->reason)
		return a->reason;
	if (!a->symbol)
		return "-";
	len = strcspn(a->symbol, "+");
	snprintf(buf, n, "%.*s", (int)len, a->symbol);
	return buf;
}

static uint8_t trap_type_of(const struct trapmon *tm, const char *name)
{
	const struct dl_trap *t = dl_traps_find(&tm->traps, name);

	return t ? t->type : TRAP_TYPE_UNKNOWN;
}

static void handle_alert(struct trapmon *tm, const struct drop_alert *a)
{
	struct agg_key key;
	struct trap_stat *ts;
	char sym[128];
	const char *name;
	int id;

	if (a->origin == NET_DM_ORIGIN_HW)
		name = a->trap_name ? a->trap_name : "-";
	else
		name = sw_drop_name(a, sym, sizeof(sym));
	id = flowtab_trap_id(&tm->ft, (uint8_t)a->origin, name, a->trap_group);
	if (id < 0)
		return;
	ts = &tm->ft.traps[id];
	if (ts->type == TRAP_TYPE_UNKNOWN && a->origin == NET_DM_ORIGIN_HW)
		ts->type = trap_type_of(tm, name);
	if (tm->opt.type_mask && !(ts->type < 8 && (tm->opt.type_mask & TYPE_BIT(ts->type))))
		return;

	dissect_eth(a->payload, a->payload_len, &key.flow);
	if (!tm->opt.wide) {
		/* trapagg's key: trap and 5-tuple plus IS_ENCAP only. */
		memset(key.flow.outer_saddr, 0, sizeof(key.flow.outer_saddr) * 2);
		key.flow.outer_family = 0;
		key.flow.vlan = 0;
		key.flow.icmp_type = key.flow.icmp_code = 0;
		key.flow.flags = 0;
	}
	key.flow.ethertype = 0;
	key.ifindex = tm->opt.wide || tm->opt.json ? a->in_ifindex : 0;
	key.trap_id = (uint16_t)id;
	key.origin = (uint8_t)a->origin;
	key.pad = 0;
	if (a->in_ifindex && a->in_port_name)
		port_remember(tm, a->in_ifindex, a->in_port_name);
	flowtab_add(&tm->ft, &key, a->orig_len);
}

static int on_netdm_msg(const struct nlmsghdr *nlh, void *data)
{
	struct trapmon *tm = data;
	struct drop_alert a;

	if (nlparse_genl_cmd(nlh) != NET_DM_CMD_PACKET_ALERT)
		return MNL_CB_OK;
	if (netdm_parse_alert(nlh, &a) < 0) {
		tm->loss.malformed++;
		return MNL_CB_OK;
	}
	handle_alert(tm, &a);
	return MNL_CB_OK;
}

/* Drain the event socket until it would block. */
static int read_alerts(struct trapmon *tm, struct errmsg *e)
{
	int fd = netdm_event_fd(&tm->dm);

	for (;;) {
		ssize_t n = recv(fd, tm->buf, sizeof(tm->buf), 0);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			if (errno == ENOBUFS) {
				tm->loss.overruns++;
				continue;
			}
			errmsg_set(e, errno, "reading drop alerts failed: %s", strerror(errno));
			return -1;
		}
		if (mnl_cb_run(tm->buf, (size_t)n, 0, 0, on_netdm_msg, tm) < 0)
			tm->loss.malformed++;
	}
}

static void learn_trap(struct trapmon *tm, const struct dl_trap *t)
{
	struct dl_traps *v = &tm->traps;

	if (dl_traps_find(v, t->name))
		return;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		struct dl_trap *nv = realloc(v->v, cap * sizeof(*nv));

		if (!nv)
			return;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = *t;
}

/* New traps announced by devlink: learn their types for -d/-e. */
static int on_devlink_msg(const struct nlmsghdr *nlh, void *data)
{
	struct trapmon *tm = data;
	struct dl_trap t;

	if (nlparse_genl_cmd(nlh) == DEVLINK_CMD_TRAP_NEW && devlink_parse_trap(nlh, &t) == 0)
		learn_trap(tm, &t);
	return MNL_CB_OK;
}

static void read_devlink_events(struct trapmon *tm)
{
	int fd = devlink_event_fd(&tm->dl);
	ssize_t n;

	while ((n = recv(fd, tm->buf, sizeof(tm->buf), 0)) > 0 || (n < 0 && errno == ENOBUFS))
		if (n > 0)
			mnl_cb_run(tm->buf, (size_t)n, 0, 0, on_devlink_msg, tm);
}

/* Tables ------------------------------------------------------------------ */

/* Control traps: devlink's counters since the last table, summed per trap. */
static size_t control_rows(struct trapmon *tm, struct out_row **rows)
{
	struct dl_traps now;
	struct errmsg e = { 0 };
	size_t i, n = 0;

	*rows = NULL;
	if (!tm->have_dl || devlink_trap_dump(&tm->dl, &now, &e) < 0)
		return 0;
	*rows = calloc(now.n ? now.n : 1, sizeof(**rows));
	for (i = 0; *rows && i < now.n; i++) {
		const struct dl_trap *t = &now.v[i], *old = NULL;
		struct trap_stat *ts;
		size_t j;
		int id;

		if (t->type != DEVLINK_TRAP_TYPE_CONTROL)
			continue;
		for (j = 0; j < tm->traps.n && !old; j++)
			if (!strcmp(tm->traps.v[j].bus, t->bus) && !strcmp(tm->traps.v[j].dev, t->dev) &&
			    !strcmp(tm->traps.v[j].name, t->name))
				old = &tm->traps.v[j];
		id = flowtab_trap_id(&tm->ft, NET_DM_ORIGIN_HW, t->name, t->group);
		if (id < 0)
			continue;
		ts = &tm->ft.traps[id];
		ts->type = TRAP_TYPE_CONTROL;
		ts->packets += t->rx_packets - (old ? old->rx_packets : 0);
		ts->bytes += t->rx_bytes - (old ? old->rx_bytes : 0);
	}
	for (i = 0; *rows && i < tm->ft.ntraps; i++) {
		struct trap_stat *ts = &tm->ft.traps[i];

		if (ts->type == TRAP_TYPE_CONTROL && n < (now.n ? now.n : 1))
			(*rows)[n++] = (struct out_row){ .trap = ts, .packets = ts->packets,
							 .bytes = ts->bytes };
	}
	dl_traps_free(&tm->traps);
	tm->traps = now;
	return n;
}

static void update_loss(struct trapmon *tm)
{
	struct netdm_stats st;
	struct errmsg e = { 0 };

	tm->loss.kernel_known = false;
	tm->loss.folded = tm->ft.folded;
	if (!tm->have_dm || netdm_stats_get(&tm->dm, &st, &e) < 0)
		return;
	tm->loss.kernel_known = true;
	tm->loss.kernel_hw = st.hw_dropped - tm->kstats_base.hw_dropped;
	tm->loss.kernel_sw = st.sw_dropped - tm->kstats_base.sw_dropped;
	tm->kstats_base = st;
}

static int print_table(struct trapmon *tm)
{
	struct out_opts oo = {
		.wide = tm->opt.wide, .json = tm->opt.json, .timestamp = tm->opt.timestamp,
		.show_origin = tm->opt.hw && tm->opt.sw,
		.port_name = port_lookup, .port_arg = tm,
	};
	struct out_row *extra = NULL, *rows;
	struct timespec now;
	size_t nextra = 0;
	long n;

	clock_gettime(CLOCK_REALTIME, &now);
	if (tm->opt.type_mask & TYPE_BIT(TRAP_TYPE_CONTROL))
		nextra = control_rows(tm, &extra);
	update_loss(tm);
	n = output_collect(&tm->ft, extra, nextra, &rows);
	free(extra);
	if (n < 0)
		return -1;
	output_print(stdout, rows, (size_t)n, &tm->ft, &tm->loss, &oo, &now);
	free(rows);
	flowtab_reset(&tm->ft);
	tm->loss.overruns = tm->loss.malformed = 0;
	return 0;
}

/* Setup and the loop ------------------------------------------------------ */

static bool only_control(const struct options *o)
{
	return o->type_mask == TYPE_BIT(TRAP_TYPE_CONTROL);
}

static int setup(struct trapmon *tm, struct errmsg *e)
{
	const struct options *o = &tm->opt;
	bool need_dl = o->type_mask != 0;
	struct netdm_start_opts so = {
		.hw = o->hw, .sw = o->sw, .alert_mode = NET_DM_ALERT_MODE_PACKET,
		.trunc_len = o->trunc_len, .passive = o->passive, .force = o->force,
	};
	char warn[256];

	if (devlink_init(&tm->dl, need_dl ? e : NULL) == 0) {
		tm->have_dl = true;
		if (devlink_trap_dump(&tm->dl, &tm->traps, need_dl ? e : NULL) < 0 && need_dl)
			return -1;
		devlink_subscribe(&tm->dl, NULL);
	} else if (need_dl) {
		return -1;
	}
	if (need_dl && tm->traps.n == 0) {
		errmsg_set(e, ENODEV, "no devlink device with traps found: -d, -e and -c need "
			   "one (a switch driver such as mlxsw, or netdevsim)");
		return -1;
	}
	if (o->type_mask & TYPE_BIT(TRAP_TYPE_CONTROL))
		fprintf(stderr, "trapmon: control traps never reach the drop monitor; showing "
			"devlink's per-trap counters, without flows\n");
	if (only_control(o))
		return 0;

	if (netdm_init(&tm->dm, e) < 0)
		return -1;
	tm->have_dm = true;
	if (netdm_subscribe(&tm->dm, o->rcvbuf, e) < 0)
		return -1;
	if (netdm_start(&tm->dm, &so, warn, sizeof(warn), e) < 0)
		return -1;
	if (warn[0])
		fprintf(stderr, "trapmon: %s\n", warn);
	netdm_stats_get(&tm->dm, &tm->kstats_base, NULL);
	return 0;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(struct trapmon *tm, struct errmsg *e)
{
	const struct options *o = &tm->opt;
	double next = o->interval > 0 ? mono_now() + o->interval : 0;
	long printed = 0;
	sigset_t empty;

	sigemptyset(&empty);
	if (!o->interval && !o->json)
		fprintf(stderr, "Tracing packet traps... Hit Ctrl-C to end.\n");
	while (!stop_requested) {
		struct pollfd pfd[2] = {
			{ .fd = tm->have_dm ? netdm_event_fd(&tm->dm) : -1, .events = POLLIN },
			{ .fd = devlink_event_fd(&tm->dl), .events = POLLIN },
		};
		struct timespec tmo, *tp = NULL;

		if (next) {
			double left = next - mono_now();

			if (left <= 0) {
				if (print_table(tm) < 0)
					goto err_nomem;
				if (o->count && ++printed >= o->count)
					return 0;
				next += o->interval;
				continue;
			}
			tmo.tv_sec = (time_t)left;
			tmo.tv_nsec = (long)((left - (double)tmo.tv_sec) * 1e9);
			tp = &tmo;
		}
		if (ppoll(pfd, 2, tp, &empty) < 0) {
			if (errno == EINTR)
				continue;
			errmsg_set(e, errno, "poll failed: %s", strerror(errno));
			return -1;
		}
		if ((pfd[0].revents & (POLLIN | POLLERR)) && read_alerts(tm, e) < 0)
			return -1;
		if (pfd[1].revents & POLLIN)
			read_devlink_events(tm);
	}
	/* Interrupted: what was gathered is still printed. */
	if (tm->have_dm && read_alerts(tm, e) < 0)
		return -1;
	return print_table(tm);

err_nomem:
	errmsg_set(e, ENOMEM, "out of memory printing the table: lower --max-flows");
	return -1;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Delivered only inside ppoll, so a signal can never slip between
	 * the flag check and the wait.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "[interval [count]]", doc,
					  NULL, NULL, NULL };
	struct trapmon *tm;
	struct errmsg e = { 0 };
	int ret = 1;

	argp_err_exit_status = EXIT_USAGE;
	tm = calloc(1, sizeof(*tm));
	if (!tm) {
		fprintf(stderr, "trapmon: out of memory\n");
		return 1;
	}
	tm->opt.trunc_len = 256;
	tm->opt.max_flows = FLOWTAB_DEFAULT_MAX_FLOWS;
	tm->opt.rcvbuf = 8 << 20;
	argv[0] = (char *)"trapmon";	/* getopt's own messages name argv[0] */
	argp_parse(&argp, argc, argv, 0, NULL, &tm->opt);
	if (!tm->opt.hw && !tm->opt.sw)
		tm->opt.hw = true;
	if (tm->opt.passive && tm->opt.force) {
		fprintf(stderr, "trapmon: --passive and --force contradict each other: pick one\n");
		free(tm);
		return EXIT_USAGE;
	}

	if (flowtab_init(&tm->ft, tm->opt.max_flows) < 0) {
		errmsg_set(&e, ENOMEM, "cannot allocate the flow table: lower --max-flows");
		goto out;
	}
	install_signals();
	if (setup(tm, &e) == 0 && run(tm, &e) == 0)
		ret = 0;
out:
	if (tm->have_dm) {
		struct errmsg se = { 0 };

		if (netdm_stop(&tm->dm, &se) < 0 && ret == 0) {
			e = se;
			ret = 1;
		}
		netdm_fini(&tm->dm);
	}
	if (tm->have_dl)
		devlink_fini(&tm->dl);
	dl_traps_free(&tm->traps);
	flowtab_fini(&tm->ft);
	if (ret)
		fprintf(stderr, "trapmon: %s\n", e.text[0] ? e.text : "failed");
	free(tm);
	return ret;
}
