/* Tests for output_collect() and output_print(): the text table (columns,
 * alignment, order, "(other)" and loss lines, an exact golden copy), the
 * wide columns, and the JSON line (validity, totals, string escapes); and
 * report_table() when the rows of every flow find no memory. The binary is
 * linked with --wrap=malloc (Makefile.am) so that trapmon's own mallocs
 * can be made to fail above a size.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/net_dropmon.h>

#include "flowtab.h"
#include "grid.h"
#include "grid_render.h"
#include "output.h"
#include "report.h"
#include "tap.h"
#include "textfmt.h"

#define LONG6 "2001:db8:1234:5678:9abc:def0:1234:5678"

/* malloc from trapmon's objects and this file: above fail_over bytes it
 * fails, as under ulimit -v, while fail_over is not 0.
 */
void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
static size_t fail_over;
static unsigned int failed;

void *__wrap_malloc(size_t n)
{
	if (fail_over && n > fail_over) {
		failed++;
		errno = ENOMEM;
		return NULL;
	}
	return __real_malloc(n);
}

static const struct timespec NOW = { 1700000000, 5000000 };

static struct agg_key key(int trap, int family, const char *s, const char *d, uint8_t proto,
			  uint16_t sport, uint16_t dport, uint32_t ifindex)
{
	struct agg_key k;

	memset(&k, 0, sizeof(k));
	k.flow.family = (uint8_t)family;
	if (family) {
		inet_pton(family == FLOW_FAMILY_IPV4 ? AF_INET : AF_INET6, s, k.flow.saddr);
		inet_pton(family == FLOW_FAMILY_IPV4 ? AF_INET : AF_INET6, d, k.flow.daddr);
	}
	k.flow.ip_proto = proto;
	k.flow.sport = sport;
	k.flow.dport = dport;
	k.ifindex = ifindex;
	k.trap_id = (uint16_t)trap;
	return k;
}

static void add_n(struct flowtab *ft, const struct agg_key *k, int n, uint64_t bytes)
{
	while (n--)
		flowtab_add(ft, k, bytes);
}

/* max_flows 4: four flows fit, three more of the second trap fold. Counts
 * are distinct so the order is fixed: 7, 5, (other) 3, 2, 1. 18 in all.
 */
static void build(struct flowtab *ft)
{
	struct agg_key k;
	int bh, ttl, i;

	flowtab_init(ft, 4);
	bh = flowtab_trap_id(ft, NET_DM_ORIGIN_HW, "blackhole_route", "l3_drops");
	ttl = flowtab_trap_id(ft, NET_DM_ORIGIN_HW, "ttl_value_is_too_small", "l3_exceptions");
	ft->traps[bh].type = TRAP_TYPE_DROP;
	ft->traps[ttl].type = TRAP_TYPE_EXCEPTION;
	k = key(bh, 4, "10.0.0.1", "192.0.2.1", 17, 1234, 53, 5);
	add_n(ft, &k, 7, 100);
	k = key(bh, 6, LONG6, "2001:db8::2", 6, 40000, 443, 5);
	add_n(ft, &k, 5, 1500);
	k = key(bh, 0, NULL, NULL, 0, 0, 0, 9);	/* ARP: no addresses */
	add_n(ft, &k, 2, 60);
	k = key(ttl, 4, "198.51.100.7", "203.0.113.9", 1, 0, 0, 0);
	k.flow.is_encap = 1;
	k.flow.outer_family = FLOW_FAMILY_IPV4;
	inet_pton(AF_INET, "192.0.2.100", k.flow.outer_saddr);
	inet_pton(AF_INET, "192.0.2.200", k.flow.outer_daddr);
	k.flow.flags = FLOW_F_ICMP | FLOW_F_VLAN;
	k.flow.icmp_type = 11;
	k.flow.vlan = 100;
	add_n(ft, &k, 1, 90);
	for (i = 0; i < 3; i++) {
		k = key(ttl, 4, "198.51.100.8", "203.0.113.9", 17, (uint16_t)(i + 1), 33434, 0);
		add_n(ft, &k, 1, 80);
	}
}

static const char *port_name(uint32_t ifindex, void *arg)
{
	(void)arg;
	return ifindex == 5 ? "eth0" : NULL;
}

static const struct out_loss LOSS = { .kernel_known = true, .kernel_hw = 5, .kernel_sw = 7,
				      .overruns = 2, .folded = 3, .malformed = 1 };

/* Collect and print into a malloc'ed string. */
static char *render(const struct flowtab *ft, const struct out_row *extra, size_t nextra,
		    const struct out_loss *loss, const struct out_opts *o, long *nrows)
{
	struct out_rows rows;
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	struct flowtab_view view = { ft, false };
	long n = output_collect(&view, extra, nextra, &rows) < 0 ? -1 : (long)rows.n;

	if (n >= 0)
		output_print(fp, &rows, loss, o, &NOW);
	fclose(fp);
	output_rows_fini(&rows);
	if (nrows)
		*nrows = n;
	return s;
}

/* Line i of s (0-based) into buf, without the newline; false past the end. */
static bool line_at(const char *s, int i, char *buf, size_t n)
{
	const char *e;

	for (; i > 0 && s; i--)
		s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL;
	if (!s || !*s)
		return false;
	e = strchr(s, '\n');
	snprintf(buf, n, "%.*s", (int)(e ? e - s : (long)strlen(s)), s);
	return true;
}

/* Whitespace-separated tokens joined by single spaces. */
static void squeeze(const char *in, char *out, size_t n)
{
	size_t o = 0;

	for (; *in && o + 1 < n; in++)
		if (*in != ' ' || (o && out[o - 1] != ' '))
			out[o++] = *in;
	if (o && out[o - 1] == ' ')
		o--;
	out[o] = 0;
}

/* Every data row has a cell starting exactly where each header word does. */
static bool aligned(const char *text, int first_line)
{
	char head[512], row[512];
	int i, c, ncols = 0, off[32];
	bool ok = true;

	line_at(text, first_line, head, sizeof(head));
	for (c = 0; head[c]; c++)
		if (head[c] != ' ' && (c == 0 || head[c - 1] == ' ') && ncols < 32)
			off[ncols++] = c;
	for (i = first_line + 1; line_at(text, i, row, sizeof(row)) && strncmp(row, "Lost: ", 6); i++)
		for (c = 1; c < ncols; c++)
			if ((int)strlen(row) <= off[c] || row[off[c] - 1] != ' ' || row[off[c]] == ' ') {
				tap_diag("line %d, column %d misaligned: '%s'", i, c, row);
				ok = false;
				break;
			}
	return ok && ncols > 1;
}

/* Written by hand from build()'s inputs, not copied from trapmon's output.
 * Columns: trapagg's, as man/trapmon.8.in lists them (TRAP SIP DIP SPORT
 * DPORT IP_PROTO IS_ENCAP COUNT). Rows by count: 7, 5, the 3 flows that did
 * not fit in max_flows 4 as (other) with '-' cells, the ARP flow ('-' in
 * every flow column: no IP header, so none applies, as the man page says
 * of columns that do not apply), the ICMP flow in a tunnel
 * (is_encap 1). Each column but COUNT is as wide as its widest cell or
 * header plus one space: TRAP 22 (ttl_value_is_too_small), SIP 38 (LONG6),
 * DIP 11, SPORT 5, DPORT 5, IP_PROTO 8, IS_ENCAP 8. The Lost line is the
 * man page's, filled from LOSS (hw 5 + sw 7 = 12), then a blank line.
 * golden_cells and layout() state the same rule; a test holds them equal.
 */
static const char GOLDEN[] =
	"TRAP                   SIP                                    DIP         SPORT DPORT IP_PROTO IS_ENCAP COUNT\n"
	"blackhole_route        10.0.0.1                               192.0.2.1   1234  53    17       0        7\n"
	"blackhole_route        2001:db8:1234:5678:9abc:def0:1234:5678 2001:db8::2 40000 443   6        0        5\n"
	"ttl_value_is_too_small (other)                                -           -     -     -        -        3\n"
	"blackhole_route        -                                      -           -     -     -        -        2\n"
	"ttl_value_is_too_small 198.51.100.7                           203.0.113.9 0     0     1        1        1\n"
	"Lost: 12 in kernel queue (hw 5, sw 7), 2 socket overruns, 3 alerts folded into (other), 1 malformed\n"
	"\n";

static const char *const golden_cells[][8] = {
	{ "TRAP", "SIP", "DIP", "SPORT", "DPORT", "IP_PROTO", "IS_ENCAP", "COUNT" },
	{ "blackhole_route", "10.0.0.1", "192.0.2.1", "1234", "53", "17", "0", "7" },
	{ "blackhole_route", LONG6, "2001:db8::2", "40000", "443", "6", "0", "5" },
	{ "ttl_value_is_too_small", "(other)", "-", "-", "-", "-", "-", "3" },
	{ "blackhole_route", "-", "-", "-", "-", "-", "-", "2" },
	{ "ttl_value_is_too_small", "198.51.100.7", "203.0.113.9", "0", "0", "1", "1", "1" },
};

/* The layout rule on its own: widest cell + 1 space, COUNT unpadded. */
static void layout(char *out, size_t n)
{
	size_t r, c, nr = sizeof(golden_cells) / sizeof(golden_cells[0]), o = 0;
	int w[8] = { 0 };

	for (r = 0; r < nr; r++)
		for (c = 0; c < 8; c++)
			if ((int)strlen(golden_cells[r][c]) > w[c])
				w[c] = (int)strlen(golden_cells[r][c]);
	for (r = 0; r < nr; r++)
		for (c = 0; c < 8 && o < n; c++)
			o += (size_t)snprintf(out + o, n - o, c < 7 ? "%-*s " : "%*s\n",
					      c < 7 ? w[c] : 0, golden_cells[r][c]);
	if (o < n)
		snprintf(out + o, n - o, "Lost: 12 in kernel queue (hw 5, sw 7), 2 socket overruns, "
			 "3 alerts folded into (other), 1 malformed\n\n");
}

static void test_text(const struct flowtab *ft)
{
	struct out_opts o = { .port_name = port_name };
	char buf[512], sq[512];
	unsigned long long prev = ~0ull, cnt;
	long n;
	char *t = render(ft, NULL, 0, &LOSS, &o, &n);
	int i, last = 0;
	bool sorted = true, other = false, nonip = false;
	char rule[1024];

	tap_ok(n == 5 && ft->folded == 3, "collect: 4 flows + 1 (other) row");
	line_at(t, 0, buf, sizeof(buf));
	squeeze(buf, sq, sizeof(sq));
	tap_ok(strcmp(sq, "TRAP SIP DIP SPORT DPORT IP_PROTO IS_ENCAP COUNT") == 0,
	       "text header has the seed's columns: '%s'", sq);
	tap_ok(aligned(t, 0), "text columns aligned with the header (long IPv6 included)");
	for (i = 1; line_at(t, i, buf, sizeof(buf)); i++) {
		if (!strncmp(buf, "Lost: ", 6))
			break;
		squeeze(buf, sq, sizeof(sq));
		cnt = strtoull(strrchr(sq, ' ') + 1, NULL, 10);
		sorted = sorted && cnt <= prev;
		prev = cnt;
		other = other || !strcmp(sq, "ttl_value_is_too_small (other) - - - - - 3");
		nonip = nonip || !strcmp(sq, "blackhole_route - - - - - - 2");
	}
	tap_ok(sorted && i == 6, "rows sorted by count, highest first");
	tap_ok(other, "folded flows show as the trap's (other) row");
	tap_ok(nonip, "non-IP flow prints '-' in every flow column");
	for (i = 0; line_at(t, i, buf, sizeof(buf)); i++)
		if (buf[0])
			last = i;
	line_at(t, last, buf, sizeof(buf));
	tap_ok(!strncmp(buf, "Lost: ", 6) && strlen(t) > 2 && !strcmp(t + strlen(t) - 2, "\n\n"),
	       "last line starts with 'Lost: ', then a blank separator line");
	layout(rule, sizeof(rule));
	tap_ok(!strcmp(rule, GOLDEN), "golden copy follows the layout rule");
	if (strcmp(rule, GOLDEN))
		tap_diag("rule gives:\n%s", rule);
	tap_ok(!strcmp(t, GOLDEN), "text table equals the golden copy");
	if (strcmp(t, GOLDEN))
		tap_diag("got:\n%s", t);
	free(t);

	o.show_origin = true;
	o.timestamp = true;
	t = render(ft, NULL, 0, &LOSS, &o, NULL);
	line_at(t, 0, buf, sizeof(buf));
	tap_ok(strlen(buf) == 8 && buf[2] == ':' && buf[5] == ':', "--timestamp: HH:MM:SS line first");
	line_at(t, 1, buf, sizeof(buf));
	line_at(t, 2, sq, sizeof(sq));
	tap_ok(!strncmp(buf, "ORIGIN TRAP ", 12) && !strncmp(sq, "hw     blackhole_route ", 23) &&
	       aligned(t, 1), "show_origin: ORIGIN column first, 'hw'");
	free(t);

	t = render(ft, NULL, 0, &(struct out_loss){ .folded = 3 }, &(struct out_opts){ 0 }, NULL);
	tap_ok(strstr(t, "\nLost: kernel queue unknown, 0 socket overruns, 3 alerts folded into "
			 "(other), 0 malformed\n\n") != NULL, "loss line when STATS_GET did not answer");
	free(t);
}

static void test_wide(const struct flowtab *ft)
{
	struct out_opts o = { .wide = true, .port_name = port_name };
	char buf[512], sq[512];
	char *t = render(ft, NULL, 0, &LOSS, &o, NULL);
	bool f1 = false, f3 = false, f4 = false;
	int i;

	line_at(t, 0, buf, sizeof(buf));
	squeeze(buf, sq, sizeof(sq));
	tap_ok(!strcmp(sq, "TRAP GROUP PORT SIP DIP SPORT DPORT IP_PROTO IS_ENCAP VLAN OUTER_SIP "
			   "OUTER_DIP ICMP MIRROR BYTES FIRST LAST RATE COUNT"), "wide header: '%s'", sq);
	tap_ok(aligned(t, 0), "wide columns aligned");
	for (i = 1; line_at(t, i, buf, sizeof(buf)); i++) {
		squeeze(buf, sq, sizeof(sq));
		f1 = f1 || !strcmp(sq, "blackhole_route l3_drops eth0 10.0.0.1 192.0.2.1 1234 53 17 0 "
				       "- - - - - 700 - - - 7");
		f3 = f3 || !strcmp(sq, "blackhole_route l3_drops if9 - - - - - - - - - - - 120 - - - 2");
		f4 = f4 || !strcmp(sq, "ttl_value_is_too_small l3_exceptions - 198.51.100.7 "
				       "203.0.113.9 0 0 1 1 100 192.0.2.100 192.0.2.200 11/0 - 90 - - - 1");
	}
	tap_ok(f1, "wide: port name from the callback, BYTES 700");
	tap_ok(f3, "wide: unnamed ifindex prints if9");
	tap_ok(f4, "wide: vlan, outer addresses, icmp type/code");
	free(t);
}

/* Brackets balance outside strings and the line is one object. */
static bool json_balanced(const char *s)
{
	char stack[64];
	int depth = 0;
	bool str = false;

	for (; *s; s++) {
		if (str) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				str = false;
			else if ((unsigned char)*s < 0x20)
				return false;
		} else if (*s == '"') {
			str = true;
		} else if (*s == '{' || *s == '[') {
			if (depth == 64)
				return false;
			stack[depth++] = *s == '{' ? '}' : ']';
		} else if (*s == '}' || *s == ']') {
			if (!depth || stack[--depth] != *s)
				return false;
			if (!depth)
				return !strcmp(s + 1, "\n");
		}
	}
	return false;
}

/* Sum of "packets" in the objects of array "name" (string-aware scan). */
static unsigned long long json_sum(const char *s, const char *name)
{
	char pat[32];
	unsigned long long sum = 0;
	int depth = 0;
	bool str = false;

	snprintf(pat, sizeof(pat), "\"%s\":[", name);
	s = strstr(s, pat);
	if (!s)
		return ~0ull;
	for (s += strlen(pat) - 1; *s; s++) {
		if (str) {
			if (*s == '\\')
				s++;
			else if (*s == '"')
				str = false;
		} else if (*s == '"') {
			if (depth == 2 && !strncmp(s, "\"packets\":", 10))
				sum += strtoull(s + 10, NULL, 10);
			str = true;
		} else if (*s == '[' || *s == '{') {
			depth++;
		} else if ((*s == ']' || *s == '}') && --depth == 0) {
			break;
		}
	}
	return sum;
}

/* Run a python3 script (no single quotes) on the line as its stdin; its
 * first output line goes to out. Returns false with *missing set when
 * python3 cannot run.
 */
static bool python_run(const char *script, const char *json, char *out, size_t n, bool *missing)
{
	char path[] = "/tmp/trapmon-json-XXXXXX", cmd[2048];
	int fd = mkstemp(path), st;
	FILE *p;

	*missing = false;
	out[0] = 0;
	if (fd < 0 || write(fd, json, strlen(json)) != (ssize_t)strlen(json)) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 -c '%s' < %s 2>/dev/null", script, path);
	p = popen(cmd, "r");
	if (p && !fgets(out, (int)n, p))
		out[0] = 0;
	st = p ? pclose(p) : -1;
	unlink(path);
	*missing = st == -1 || (WIFEXITED(st) && WEXITSTATUS(st) == 127);
	out[strcspn(out, "\n")] = 0;
	return st == 0;
}

/* Both packet sums, loss.folded and the trap names in hex. */
static bool python_check(const char *json, char *out, size_t n, bool *missing)
{
	return python_run("import json,sys; d=json.load(sys.stdin); "
			  "print(sum(t[\"packets\"] for t in d[\"traps\"]), "
			  "sum(f[\"packets\"] for f in d[\"flows\"]), d[\"loss\"][\"folded\"], "
			  "*[t[\"trap\"].encode().hex() for t in d[\"traps\"]])", json, out, n, missing);
}

static void test_json(const struct flowtab *ft)
{
	struct out_opts o = { .json = true, .port_name = port_name };
	char *t = render(ft, NULL, 0, &LOSS, &o, NULL);
	char py[256];
	bool missing;

	tap_ok(strchr(t, '\n') == t + strlen(t) - 1 && !strncmp(t, "{\"timestamp\":1700000000.005,", 28),
	       "json: one line, timestamp with milliseconds");
	tap_ok(json_balanced(t) && strstr(t, "\"flows\":[") && strstr(t, "\"traps\":[") &&
	       strstr(t, "\"loss\":{"), "json: balanced, has flows, traps, loss");
	tap_ok(json_sum(t, "traps") == 18 && json_sum(t, "flows") == 18,
	       "json: packets sum to 18 in traps and in flows");
	tap_ok(strstr(t, "\"other\":false,\"sip\":null,\"dip\":null,\"sport\":null,\"dport\":null,"
			 "\"ip_proto\":null,\"is_encap\":null,") &&
	       strstr(t, "\"other\":true,") && strstr(t, "\"dip\":null,\"sport\":null,\"dport\":null") &&
	       strstr(t, "\"type\":\"exception\""), "json: non-IP and (other) rows use null");
	/* "(other)" is the text table's marker, not an address. */
	tap_ok(strstr(t, "\"sip\":\"(other)\"") == NULL &&
	       strstr(t, "\"other\":true,\"sip\":null,\"dip\":null,"),
	       "json: (other) row has sip null");
	/* A missing python3 is a visible skip: run-all.sh fails on any. */
	if (!python_check(t, py, sizeof(py), &missing) && missing)
		tap_ok(1, "json: python3 parses it # SKIP python3 missing");
	else
		tap_ok(!strncmp(py, "18 18 3 ", 8), "json: python3 parses it: '%s'", py);
	free(t);
}

/* Written by hand from test_json_small()'s inputs: one flow of
 * key(id, 4, "10.0.0.1", "192.0.2.1", 17, 1234, 53, 5) added 7 times with
 * 100 bytes (packets 7, bytes 700), a quarter second apart from
 * 1699999999.5 (first 1699999999.500000, last 1700000001.000000), over a
 * span of 2 s (rate 7 / 2 = 3.5), ifindex 5 named eth0 by port_name(),
 * NOW's 5000000 ns as .005, no STATS_GET answer (kernel queues null). Keys
 * in the order man/trapmon.8.in lists them under --json for the object,
 * "flows" and "loss". The man page does not list the keys of "traps" one by
 * one, so their order is trapmon's; python3 checks the same values against
 * JSON_WANT below without relying on it.
 */
static const char GOLDEN_JSON[] =
	"{\"timestamp\":1700000000.005,\"flows\":[{\"trap\":\"blackhole_route\",\"group\":\"l3_drops\","
	"\"origin\":\"hw\",\"other\":false,\"sip\":\"10.0.0.1\",\"dip\":\"192.0.2.1\",\"sport\":1234,"
	"\"dport\":53,\"ip_proto\":17,\"is_encap\":0,\"in_port\":\"eth0\",\"packets\":7,\"bytes\":700,"
	"\"first\":1699999999.500000,\"last\":1700000001.000000,\"rate\":3.500}],"
	"\"traps\":[{\"trap\":\"blackhole_route\",\"group\":\"l3_drops\",\"type\":\"drop\",\"origin\":"
	"\"hw\",\"severity\":\"notice\",\"description\":\"the destination matched a blackhole route, so the router discarded the packet on purpose\","
	"\"check\":\"ip route show type blackhole (and your routing daemon's null routes): is this destination meant to be discarded?\","
	"\"packets\":7,\"bytes\":700,\"folded_packets\":0}],\"loss\":{\"kernel_queue_hw\":null,"
	"\"kernel_queue_sw\":null,\"perf_rings\":null,\"socket_overruns\":0,\"folded\":0,\"malformed\":0}}\n";

/* The same expectation, compared as parsed values (so 0 is not false),
 * with the man page's key order checked where it gives one.
 */
static const char JSON_WANT[] =
	"import json,sys\n"
	"d=json.load(sys.stdin)\n"
	"w={\"timestamp\":1700000000.005,\n"
	" \"flows\":[{\"trap\":\"blackhole_route\",\"group\":\"l3_drops\",\"origin\":\"hw\",\n"
	"   \"other\":False,\"sip\":\"10.0.0.1\",\"dip\":\"192.0.2.1\",\"sport\":1234,\"dport\":53,\n"
	"   \"ip_proto\":17,\"is_encap\":0,\"in_port\":\"eth0\",\"packets\":7,\"bytes\":700,\n"
	"   \"first\":1699999999.5,\"last\":1700000001.0,\"rate\":3.5}],\n"
	" \"traps\":[{\"trap\":\"blackhole_route\",\"group\":\"l3_drops\",\"type\":\"drop\",\n"
	"   \"origin\":\"hw\",\"severity\":\"notice\",\n"
	"   \"description\":\"the destination matched a blackhole route, so the router discarded the packet on purpose\",\n"
	"   \"check\":\"ip route show type blackhole (and your routing daemon\\u0027s null routes): is this destination meant to be discarded?\",\n"
	"   \"packets\":7,\"bytes\":700,\"folded_packets\":0}],\n"
	" \"loss\":{\"kernel_queue_hw\":None,\"kernel_queue_sw\":None,\"perf_rings\":None,\n"
	"   \"socket_overruns\":0,\n"
	"   \"folded\":0,\"malformed\":0}}\n"
	"def flat(x,p=\"\"):\n"
	" if isinstance(x,dict): return [r for k,v in x.items() for r in flat(v,p+\".\"+k)]\n"
	" if isinstance(x,list): return [r for i,v in enumerate(x) for r in flat(v,p+str(i))]\n"
	" return [(p,repr(x))]\n"
	"g,e=flat(d),flat(w)\n"
	"bad=sorted(set(g)^set(e))\n"
	"order=[p for p,v in g if not p.startswith(\".traps\")]==[p for p,v in e if not p.startswith(\".traps\")]\n"
	"print(\"ok\" if not bad and order else \"differs: %s%s\" % (bad, \"\" if order else \" key order\"))\n";

static void test_json_small(void)
{
	static const char weird[] = "we\"ird\\na\nme";
	struct out_opts o = { .json = true, .port_name = port_name, .span = 2.0 };
	struct out_loss none = { 0 };
	struct flowtab ft;
	struct agg_key k;
	char *t, *s = NULL, py[256], hex[64];
	size_t len = 0, i;
	FILE *fp;
	bool missing;
	int id;

	flowtab_init(&ft, 16);
	flowtab_keep_times(&ft);
	id = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", "l3_drops");
	ft.traps[id].type = TRAP_TYPE_DROP;
	k = key(id, 4, "10.0.0.1", "192.0.2.1", 17, 1234, 53, 5);
	/* Out of order, as alerts from several CPUs come. */
	for (i = 0; i < 7; i++)
		flowtab_add_at(&ft, &k, 100, 1699999999500000000ull + (i * 3 % 7) * 250000000ull);
	t = render(&ft, NULL, 0, &none, &o, NULL);
	tap_ok(!strcmp(t, GOLDEN_JSON), "json: one-flow table equals the golden line");
	if (strcmp(t, GOLDEN_JSON))
		tap_diag("got: %s", t);
	if (!python_run(JSON_WANT, t, py, sizeof(py), &missing) && missing)
		tap_ok(1, "json: python3 finds the inputs field by field # SKIP python3 missing");
	else
		tap_ok(!strcmp(py, "ok"), "json: python3 finds the inputs field by field: %s", py);
	free(t);

	/* RFC 8259 section 7: " and \ escaped, \n and \t short forms, other
	 * controls as \u00XX; DEL escaped too, which the RFC allows.
	 */
	fp = open_memstream(&s, &len);
	grid_json_str(fp, "q\"b\\s\nt\tc\001d\177u\xc3\xa9");
	fclose(fp);
	tap_ok(!strcmp(s, "\"q\\\"b\\\\s\\nt\\tc\\u0001d\\u007fu\xc3\xa9\""),
	       "grid_json_str escapes \" \\ newline tab controls, keeps UTF-8: %s", s);
	free(s);

	/* A trap name with ", \ and a newline, in both arrays. */
	flowtab_reset(&ft);
	id = flowtab_trap_id(&ft, NET_DM_ORIGIN_SW, weird, NULL);
	k = key(id, 4, "10.0.0.1", "192.0.2.1", 17, 1, 2, 0);
	add_n(&ft, &k, 2, 10);
	t = render(&ft, NULL, 0, &none, &o, NULL);
	tap_ok(strstr(t, "[{\"trap\":\"we\\\"ird\\\\na\\nme\",\"group\":null,\"origin\":\"sw\"") &&
	       strstr(t, ",{\"trap\":\"blackhole_route\"") == NULL && json_balanced(t),
	       "json: trap name with \" \\ newline escaped exactly");
	for (i = 0; weird[i]; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)weird[i]);
	if (!python_check(t, py, sizeof(py), &missing) && missing)
		tap_ok(1, "json: python3 reads the name back # SKIP python3 missing");
	else
		tap_ok(!strncmp(py, "2 2 0 ", 6) && !strcmp(py + 6, hex),
		       "json: python3 reads the name back byte for byte: '%s'", py);
	free(t);

	/* Software drops carry the reason; without one (5.4), null. */
	flowtab_reset(&ft);
	id = flowtab_trap_id(&ft, NET_DM_ORIGIN_SW, "NO_SOCKET", NULL);
	k = key(id, 4, "127.0.0.1", "127.0.0.1", 17, 1, 9999, 0);
	add_n(&ft, &k, 3, 10);
	id = flowtab_trap_id(&ft, NET_DM_ORIGIN_SW, "__udp4_lib_rcv", NULL);
	ft.traps[id].no_reason = true;
	k = key(id, 4, "127.0.0.1", "127.0.0.1", 17, 1, 9998, 0);
	add_n(&ft, &k, 2, 10);
	t = render(&ft, NULL, 0, &none, &o, NULL);
	tap_ok(strstr(t, "{\"trap\":\"NO_SOCKET\",\"group\":null,\"origin\":\"sw\",\"reason\":\"NO_SOCKET\",") &&
	       strstr(t, "{\"trap\":\"__udp4_lib_rcv\",\"group\":null,\"origin\":\"sw\",\"reason\":null,"),
	       "json: flows name the drop reason, or null when the kernel gave none");
	tap_ok(strstr(t, "{\"trap\":\"NO_SOCKET\",\"group\":null,\"type\":null,\"origin\":\"sw\",\"reason\":\"NO_SOCKET\",\"severity\":\"notice\",") &&
	       strstr(t, "{\"trap\":\"__udp4_lib_rcv\",\"group\":null,\"type\":null,\"origin\":\"sw\",\"reason\":null,\"severity\":null,"),
	       "json: traps[] say the same, with the guide's severity (null without a reason)");
	tap_ok(!strstr(GOLDEN_JSON, "\"reason\""), "json: hardware rows have no reason key");
	free(t);
	flowtab_fini(&ft);
}

/* Extra rows (control traps) have no key: every flow column is "-". */
static void test_extra(const struct flowtab *ft)
{
	struct out_opts o = { 0 };
	static char name[] = "igmp_v2_report";
	struct trap_stat ctl = { .name = name, .origin = NET_DM_ORIGIN_HW,
				 .type = TRAP_TYPE_CONTROL };
	struct out_row extra = { .trap = &ctl, .packets = 4 };
	char buf[512], sq[512];
	long n;
	char *t = render(ft, &extra, 1, &LOSS, &o, &n);

	line_at(t, 3, buf, sizeof(buf));
	squeeze(buf, sq, sizeof(sq));
	tap_ok(n == 6 && !strcmp(sq, "igmp_v2_report - - - - - - 4") && aligned(t, 0),
	       "extra keyless row sorted in (4 between 5 and 3), flow columns '-'");
	free(t);
	o.json = true;
	t = render(ft, &extra, 1, &LOSS, &o, NULL);
	tap_ok(strstr(t, "{\"trap\":\"igmp_v2_report\",\"group\":null,\"origin\":\"hw\",\"other\":false,"
			 "\"sip\":null,\"dip\":null,\"sport\":null,\"dport\":null,\"ip_proto\":null,"
			 "\"is_encap\":null,\"in_port\":null,\"packets\":4,\"bytes\":0,\"first\":null,"
			 "\"last\":null,\"rate\":null}") != NULL,
	       "json: extra row with null flow fields");
	free(t);

	t = render(ft, NULL, 0, &LOSS, &o, NULL);
	tap_ok(!strstr(t, "igmp_v2_report"), "extra rows are not remembered");
	free(t);
}

static void test_empty(void)
{
	struct flowtab ft;
	struct out_opts o = { 0 };
	struct out_loss none = { 0 };
	char *t;

	flowtab_init(&ft, 4);
	t = render(&ft, NULL, 0, &none, &o, NULL);
	/* By hand: with no rows each column is its header plus one space (the
	 * rule above), and the Lost line's form without STATS_GET is README's
	 * (the -c example).
	 */
	tap_ok(!strcmp(t, "TRAP SIP DIP SPORT DPORT IP_PROTO IS_ENCAP COUNT\nLost: kernel queue unknown, "
			  "0 socket overruns, 0 alerts folded into (other), 0 malformed\n\n"),
	       "empty table: header at minimal widths, loss line");
	free(t);
	o.json = true;
	t = render(&ft, NULL, 0, &none, &o, NULL);
	tap_ok(strstr(t, "\"flows\":[],\"traps\":[],\"loss\":{") && json_balanced(t),
	       "empty table: json with empty arrays");
	free(t);
	flowtab_fini(&ft);
}

/* --why: a legend under the Lost line, one line per trap counted: the
 * guide's severity for a generic trap; devlink's type and group and the
 * driver's documentation for a driver-specific one (netdevsim's fid_miss);
 * JSON carries the same words per trap.
 */
static void test_why(void)
{
	struct out_opts o = { .why = true };
	struct out_loss none = { 0 };
	struct flowtab ft;
	struct agg_key k;
	char *t, line[512];
	int bh, fid, unused, i, legend = -1;

	flowtab_init(&ft, 16);
	bh = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", "l3_drops");
	fid = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "fid_miss", "l2_drops");
	unused = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "tail_drop", "buffer_drops");
	ft.traps[bh].type = TRAP_TYPE_DROP;
	ft.traps[fid].type = TRAP_TYPE_EXCEPTION;
	ft.traps[unused].type = TRAP_TYPE_DROP;
	k = key(bh, 4, "10.0.0.1", "192.0.2.1", 17, 1, 2, 0);
	add_n(&ft, &k, 3, 100);
	k = key(fid, 4, "10.0.0.1", "192.0.2.1", 17, 1, 3, 0);
	add_n(&ft, &k, 1, 100);
	t = render(&ft, NULL, 0, &none, &o, NULL);
	for (i = 0; line_at(t, i, line, sizeof(line)); i++)
		if (!strcmp(line, "Why:"))
			legend = i;
	tap_ok(legend > 0 && line_at(t, legend - 1, line, sizeof(line)) && !strncmp(line, "Lost: ", 6),
	       "why: 'Why:' follows the Lost line");
	tap_ok(line_at(t, legend + 1, line, sizeof(line)) &&
	       !strncmp(line, "  blackhole_route  notice   ", 28) && strstr(line, ". Check: "),
	       "why: blackhole_route with its severity, meaning and check: '%s'", line);
	tap_ok(line_at(t, legend + 2, line, sizeof(line)) && !strncmp(line, "  fid_miss         -  ", 22) &&
	       strstr(line, "exception trap in group l2_drops; driver-specific trap: see the driver's "
			    "documentation"), "why: driver-specific trap: devlink's type and group: '%s'", line);
	tap_ok(!strstr(t, "tail_drop"), "why: traps without packets have no line");
	tap_ok(line_at(t, legend + 3, line, sizeof(line)) && line[0] == 0 &&
	       !line_at(t, legend + 4, line, sizeof(line)), "why: the blank separator line ends it");
	free(t);
	o.why = false;
	t = render(&ft, NULL, 0, &none, &o, NULL);
	tap_ok(!strstr(t, "Why:"), "why: no legend without --why");
	free(t);
	o.json = true;
	t = render(&ft, NULL, 0, &none, &o, NULL);
	tap_ok(strstr(t, "\"trap\":\"fid_miss\",\"group\":\"l2_drops\",\"type\":\"exception\","
			 "\"origin\":\"hw\",\"severity\":null,\"description\":\"exception trap in group "
			 "l2_drops; driver-specific trap: see the driver's documentation\",\"check\":") != NULL,
	       "why: JSON's traps carry severity (null), description and check without --why");
	free(t);
	flowtab_fini(&ft);
}

/* grid, the printer --list shares with the table: widths, the unpadded
 * last column, and JSON's keys, nulls and bare numbers, by hand.
 */
static const char *const grid_cells[2][3] = {
	{ "netdevsim/netdevsim10", "blackhole_route", "12" },
	{ "pci/0000:01:00.0", "a\"b", "-" },
};

static const char *grid_cell_of(char *buf, size_t n, size_t row, size_t col, void *arg)
{
	(void)buf;
	(void)n;
	(void)arg;
	return grid_cells[row][col];
}

static void test_grid(void)
{
	static const struct grid_col cols[] = { { "DEVICE", false }, { "TRAP", false },
						{ "PACKETS", true } };
	struct grid g = { cols, 3, 2, grid_cell_of, NULL };
	char *s = grid_render(&g, false);

	tap_ok(s && !strcmp(s, "DEVICE                TRAP            PACKETS\n"
			      "netdevsim/netdevsim10 blackhole_route 12\n"
			      "pci/0000:01:00.0      a\"b             -\n"),
	       "grid text: columns as wide as their widest cell plus one, last unpadded:\n%s", s);
	free(s);
	s = grid_render(&g, true);
	tap_ok(s && !strcmp(s, "[{\"device\":\"netdevsim/netdevsim10\",\"trap\":\"blackhole_route\","
			      "\"packets\":12},{\"device\":\"pci/0000:01:00.0\",\"trap\":\"a\\\"b\","
			      "\"packets\":null}]\n"),
	       "grid JSON: lower-cased keys, escaped strings, bare numbers, - as null: %s", s);
	free(s);
}

/* ERSPAN: the row is the outer GRE flow; with --wide the mirrored copy's
 * addresses and protocol (flow_key's mirror_*) show in MIRROR and in JSON,
 * and the outer columns stay empty, since mirror_* share their bytes.
 */
static void test_mirror(void)
{
	struct out_opts o = { .wide = true };
	struct flowtab ft;
	struct agg_key k;
	char buf[512], sq[512];
	char *t;
	int gre;

	flowtab_init(&ft, 4);
	gre = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", "l3_drops");
	k = key(gre, FLOW_FAMILY_IPV4, "192.0.2.1", "192.0.2.2", 47, 0, 0, 0);
	k.flow.flags = FLOW_F_MIRROR;
	k.flow.mirror_family = FLOW_FAMILY_IPV6;
	inet_pton(AF_INET6, LONG6, k.flow.mirror_saddr);
	inet_pton(AF_INET6, "fd00::2", k.flow.mirror_daddr);
	k.flow.mirror_proto = 6;
	add_n(&ft, &k, 2, 100);
	t = render(&ft, NULL, 0, &LOSS, &o, NULL);
	line_at(t, 1, buf, sizeof(buf));
	squeeze(buf, sq, sizeof(sq));
	tap_ok(!strcmp(sq, "blackhole_route l3_drops - 192.0.2.1 192.0.2.2 0 0 47 0 - - - - "
			   LONG6 ">fd00::2/6 200 - - - 2"), "wide: MIRROR shows the mirrored flow: '%s'", sq);
	free(t);
	o.json = true;
	t = render(&ft, NULL, 0, &LOSS, &o, NULL);
	tap_ok(strstr(t, "\"outer_sip\":null,\"outer_dip\":null,\"mirror\":{\"sip\":\"" LONG6
			 "\",\"dip\":\"fd00::2\",\"ip_proto\":6}") != NULL,
	       "wide JSON: outer addresses null, the mirror object");
	free(t);
	flowtab_fini(&ft);
}

/* textfmt against libc: inet_ntop() for addresses (every zero-run shape,
 * v4-mapped and -compatible, random groups), snprintf for decimals.
 */
static void test_textfmt(void)
{
	char want[INET6_ADDRSTRLEN], got[TEXTFMT_IPV6_LEN], dec[TEXTFMT_U64_LEN];
	unsigned int seed = 1, bad6 = 0, bad4 = 0, badu = 0, mask, i;
	uint8_t a[16];

	/* Each of the 256 patterns of zero and non-zero groups, twice, with
	 * groups of 1 to 4 hex digits; then v4-compatible and -mapped tails.
	 */
	for (mask = 0; mask < 512; mask++) {
		for (i = 0; i < 8; i++) {
			unsigned int v = (mask >> i & 1) ? 0 : (rand_r(&seed) % 0xffff + 1) >> (rand_r(&seed) % 16);

			a[2 * i] = (uint8_t)((v ? v : 1) >> 8);
			a[2 * i + 1] = (uint8_t)(v ? v : 1);
			if (mask >> i & 1)
				a[2 * i] = a[2 * i + 1] = 0;
		}
		if (mask & 256) {
			memset(a, 0, 10);
			a[10] = a[11] = (mask & 1) ? 0xff : 0;
		}
		inet_ntop(AF_INET6, a, want, sizeof(want));
		bad6 += strcmp(textfmt_ipv6(a, got), want) != 0;
		inet_ntop(AF_INET, a + 12, want, sizeof(want));
		bad4 += strcmp(textfmt_ipv4(a + 12, got), want) != 0;
	}
	for (i = 0; i < 64; i++) {
		uint64_t v = i < 2 ? (i ? UINT64_MAX : 0) : (uint64_t)rand_r(&seed) << (i % 40);

		snprintf(want, sizeof(want), "%" PRIu64, v);
		badu += strcmp(textfmt_u64(dec, sizeof(dec), v), want) != 0;
	}
	tap_ok(bad6 == 0, "textfmt_ipv6 writes what inet_ntop writes (512 addresses, %u differ)", bad6);
	tap_ok(bad4 == 0, "textfmt_ipv4 writes what inet_ntop writes (%u differ)", bad4);
	tap_ok(badu == 0, "textfmt_u64 writes what %%" PRIu64 " writes (%u differ)", badu);
}

/* The fallback out of memory: one flowless row per trap with its totals
 * (hand-counted from build(): 7 + 5 + 2 and 1 + 3 folded), most first.
 */
static void test_traps_only(const struct flowtab *ft)
{
	struct flowtab_view view = { ft, false };
	struct out_rows rows;
	struct out_row a, b;
	int ret = output_collect_traps(&view, &rows);

	tap_ok(ret == 0 && rows.n == 2, "trap totals only: one row per trap (got %zu)", rows.n);
	if (ret < 0 || rows.n != 2)
		return;
	output_row(&rows, 0, &a);
	output_row(&rows, 1, &b);
	tap_ok(!strcmp(a.trap->name, "blackhole_route") && a.packets == 14 && a.bytes == 8320 &&
	       !a.key && !a.other, "blackhole_route's total: 14 packets, 8320 bytes, no flow");
	tap_ok(!strcmp(b.trap->name, "ttl_value_is_too_small") && b.packets == 4 && !b.key &&
	       !b.other, "ttl_value_is_too_small's total: 4 packets, folded ones included");
	output_rows_fini(&rows);
}

/* The count on trap's row in text: -1 when it has none, -2 when more than
 * one.
 */
static long long trap_count(const char *text, const char *trap)
{
	char buf[512], sq[512];
	long long found = -1;
	int i;

	for (i = 1; line_at(text, i, buf, sizeof(buf)); i++) {
		squeeze(buf, sq, sizeof(sq));
		if (!strncmp(sq, trap, strlen(trap)) && sq[strlen(trap)] == ' ')
			found = found < 0 ? strtoll(strrchr(sq, ' ') + 1, NULL, 10) : -2;
	}
	return found;
}

/* 1,000 flows of one trap and three of another: the refs of every flow
 * take 4 KiB, the trap totals' a few bytes. With mallocs over 2 KiB
 * failing, report_table() prints each trap's total instead of no table,
 * and says so by returning 1.
 */
static void test_report_out_of_memory(void)
{
	struct out_opts o = { .port_name = port_name };
	struct flowtab_view view;
	struct flowtab ft;
	struct agg_key k;
	char *s = NULL, addr[32];
	const char *p;
	size_t len = 0;
	FILE *fp;
	int bh, ttl, i, rc;

	flowtab_init(&ft, 4096);
	bh = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "blackhole_route", "l3_drops");
	ttl = flowtab_trap_id(&ft, NET_DM_ORIGIN_HW, "ttl_value_is_too_small", "l3_exceptions");
	for (i = 0; i < 1000; i++) {
		snprintf(addr, sizeof(addr), "10.0.%d.%d", i / 250, i % 250);
		k = key(bh, 4, addr, "192.0.2.1", 17, 1234, 53, 0);
		add_n(&ft, &k, 1, 100);
	}
	for (i = 0; i < 3; i++) {
		k = key(ttl, 4, "198.51.100.7", "203.0.113.9", 17, (uint16_t)(5000 + i), 53, 0);
		add_n(&ft, &k, 2, 90);
	}
	view = (struct flowtab_view){ &ft, false };

	fp = open_memstream(&s, &len);
	fail_over = 2048;
	failed = 0;
	rc = report_table(fp, &view, &LOSS, &o, &NOW);
	fail_over = 0;
	fclose(fp);
	tap_ok(rc == 1 && failed > 0, "report, out of memory for the flows' rows: trap totals (rc %d, "
	       "%u mallocs failed)", rc, failed);
	tap_ok(trap_count(s, "blackhole_route") == 1000 && trap_count(s, "ttl_value_is_too_small") == 6,
	       "trap totals: blackhole_route 1000, ttl_value_is_too_small 6, one row each");
	tap_ok(!strstr(s, "10.0.1.7") && strstr(s, "Lost: "), "trap totals: no flow's address, the "
	       "loss line kept");
	free(s);

	s = NULL;
	fp = open_memstream(&s, &len);
	rc = report_table(fp, &view, &LOSS, &o, &NOW);
	fclose(fp);
	for (i = 0, p = s; (p = strstr(p, "198.51.100.7")); p++)
		i++;
	tap_ok(rc == 0 && strstr(s, "10.0.1.7") && i == 3,
	       "report with memory: every flow's row (rc %d, %d of ttl's 3 flows)", rc, i);
	free(s);
	flowtab_fini(&ft);
}

int main(void)
{
	struct flowtab ft;

	build(&ft);
	test_text(&ft);
	test_wide(&ft);
	test_json(&ft);
	test_extra(&ft);
	test_traps_only(&ft);
	flowtab_fini(&ft);
	test_report_out_of_memory();
	test_json_small();
	test_empty();
	test_why();
	test_grid();
	test_mirror();
	test_textfmt();
	return tap_done();
}
