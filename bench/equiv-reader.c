/* equiv-reader: src/replay.c's own classic-pcap reader against libpcap.
 *
 *   equiv-reader [-s SEED] [-q] [-k] BASE... [-F FUZZINPUT...]
 *
 * Each BASE is a capture file. From a classic pcap BASE this derives more
 * files in memory: all four header encodings (either byte order,
 * microsecond or nanosecond stamps), other snapshot lengths (records cut
 * to them, or refused), files cut short at many offsets, files with a
 * corrupted byte or field, and a few headers only libpcap takes. Inputs
 * after -F are libFuzzer inputs of tests/fuzz/fuzz_replay, shaped into
 * files by fuzz_make_pcap() and then treated as BASEs. Any other file
 * (pcapng, say) is read as it is and cut short a few times.
 *
 * Every file goes through replay_file() (from a memfd, every other one
 * read-only) and through the
 * reference reader of tests/pcapref.c (libpcap's pcap_next_ex() with its
 * own record splitting and NET_DM family learning above it); the four
 * encodings and some cut files also reach replay_file() through a pipe on
 * standard input, written in odd-sized pieces. The two must return the
 * same, count the same, make the same callbacks in the same order with the
 * same bytes, lengths and timestamps, and fail with libpcap's error text.
 *
 * Prints what it compared; exits 1 at the first file that differs (named,
 * with the first difference; -k goes on and counts them), 2 on bad usage
 * or a base it cannot read.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <byteswap.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <pcap/pcap.h>

#include "../tests/fuzz/fuzz_common.h"
#include "../tests/pcapref.h"
#include "equiv_common.h"
#include "errmsg.h"
#include "replay.h"

/* What one reader made of one file. */
struct outcome {
	struct replay_stats st;
	struct pcapref_event *ev;
	size_t n, cap;
	int rc;
	char err[PCAP_ERRBUF_SIZE + 600];
};

static struct outcome got, want;
static bool quiet, keep_going;
static unsigned long n_files, n_pipes, n_events, n_differ;

/* What a file is, for the summary line. */
enum kind { K_WHOLE, K_SNAPLEN, K_CUT, K_CORRUPT, K_HEADER, K_OTHER, K_MAX };
static const char *const kind_names[K_MAX] = {
	"whole: as they are, four encodings", "snapshot lengths", "cut short", "corrupted",
	"headers left to libpcap", "not classic pcap (pcapng)",
};
static unsigned long n_kind[K_MAX];

static void note(void *arg, char kind, uint32_t len, uint32_t caplen, uint64_t ts,
		 const void *data)
{
	struct outcome *o = arg;

	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 1024;
		o->ev = realloc(o->ev, o->cap * sizeof(*o->ev));
		if (!o->ev)
			abort();
	}
	o->ev[o->n++] = pcapref_event(kind, len, caplen, ts, data);
}

static void reset(struct outcome *o)
{
	memset(&o->st, 0, sizeof(o->st));
	o->n = 0;
	o->rc = 0;
	o->err[0] = '\0';
}

/* replay_file()'s side ------------------------------------------------------ */

static void on_msg(const struct nlmsghdr *nlh, uint64_t ts_ns, void *arg)
{
	(void)arg;
	note(&got, 'M', nlh->nlmsg_len, nlh->nlmsg_len, ts_ns, nlh);
}

static void on_frame(const uint8_t *frame, uint32_t caplen, uint32_t len, uint64_t ts_ns,
		     void *arg)
{
	(void)arg;
	note(&got, 'F', len, caplen, ts_ns, frame);
}

static void on_malformed(void *arg)
{
	(void)arg;
	note(&got, 'X', 0, 0, 0, NULL);
}

static void run_replay(const char *path)
{
	static const struct replay_ops ops = { .netdm_msg = on_msg, .ether_frame = on_frame,
					       .malformed = on_malformed };
	struct errmsg e = { 0 };

	reset(&got);
	got.rc = replay_file(path, &ops, &got.st, &e);
	snprintf(got.err, sizeof(got.err), "%s", e.text);
}

/* The reference: tests/pcapref.c. */
static void run_reference(const char *path)
{
	static struct pcapref ref = { .note = note, .arg = &want };

	reset(&want);
	want.rc = pcapref_run(&ref, path);
	want.st = ref.st;
	snprintf(want.err, sizeof(want.err), "%s", ref.err);
}

/* Comparing ------------------------------------------------------------------- */

static void show_event(const char *who, const struct pcapref_event *e)
{
	fprintf(stderr, "  %s: %c len %u caplen %u ts %llu bytes %016llx\n", who, e->kind, e->len,
		e->caplen, (unsigned long long)e->ts, (unsigned long long)e->digest);
}

static bool same_event(const struct pcapref_event *a, const struct pcapref_event *b)
{
	return a->kind == b->kind && a->len == b->len && a->caplen == b->caplen &&
	       a->ts == b->ts && a->digest == b->digest;
}

static const char *differs(void)
{
	static char why[128];
	size_t i;

	if (got.rc != want.rc)
		return "return value";
	if (want.rc < 0 && !strstr(got.err, want.err))
		return "error text";
	if (memcmp(&got.st, &want.st, sizeof(got.st)) != 0)
		return "counts";
	if (got.n != want.n)
		return "number of callbacks";
	for (i = 0; i < got.n; i++) {
		if (!same_event(&got.ev[i], &want.ev[i])) {
			snprintf(why, sizeof(why), "callback %zu", i + 1);
			show_event("replay_file", &got.ev[i]);
			show_event("libpcap    ", &want.ev[i]);
			return why;
		}
	}
	return NULL;
}

static void report(const char *name, const char *how, const char *why)
{
	fprintf(stderr, "DIFFERENT: %s (%s): %s\n", name, how, why);
	fprintf(stderr, "  replay_file: rc %d records %llu netdm %llu frames %llu skipped %llu "
		"malformed %llu, %zu callbacks\n  error: %s\n", got.rc,
		(unsigned long long)got.st.records, (unsigned long long)got.st.netdm_msgs,
		(unsigned long long)got.st.frames, (unsigned long long)got.st.skipped,
		(unsigned long long)got.st.malformed, got.n, got.err);
	fprintf(stderr, "  libpcap:     rc %d records %llu netdm %llu frames %llu skipped %llu "
		"malformed %llu, %zu callbacks\n  error: %s\n", want.rc,
		(unsigned long long)want.st.records, (unsigned long long)want.st.netdm_msgs,
		(unsigned long long)want.st.frames, (unsigned long long)want.st.skipped,
		(unsigned long long)want.st.malformed, want.n, want.err);
	n_differ++;
	if (!keep_going)
		exit(1);
}

/* Feed buf to replay_file("-") through a pipe on stdin, in pieces of
 * random size so records straddle reads.
 */
static void replay_through_pipe(const uint8_t *buf, size_t len)
{
	int fds[2], saved = dup(STDIN_FILENO), status;
	uint64_t seed = equiv_rnd();
	pid_t pid;

	if (saved < 0 || pipe(fds) < 0)
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		size_t off = 0;

		close(fds[0]);
		equiv_rng = seed | 1;
		while (off < len) {
			size_t piece = 1 + equiv_rnd() % 70000;
			ssize_t n;

			if (piece > len - off)
				piece = len - off;
			n = write(fds[1], buf + off, piece);
			if (n <= 0)
				_exit(n < 0 && errno == EPIPE ? 0 : 1);
			off += (size_t)n;
		}
		_exit(0);
	}
	close(fds[1]);
	if (dup2(fds[0], STDIN_FILENO) < 0)
		abort();
	close(fds[0]);
	run_replay("-");
	dup2(saved, STDIN_FILENO);
	close(saved);
	waitpid(pid, &status, 0);
}

/* Compare both readers on one file's bytes; also through a pipe if asked. */
static void check(const char *name, enum kind kind, const uint8_t *buf, size_t len,
		  bool pipe_too)
{
	char path[64];
	const char *why;
	/* Every other file read-only, as a capture nobody else has open. */
	int fd = fuzz_memfd(buf, len, path, sizeof(path), n_files & 1);

	run_reference(path);
	run_replay(path);
	close(fd);
	if ((why = differs()))
		report(name, "file", why);
	n_files++;
	n_kind[kind]++;
	n_events += want.n;
	if (!pipe_too)
		return;
	replay_through_pipe(buf, len);
	if ((why = differs()))
		report(name, "pipe", why);
	n_pipes++;
}

/* Deriving files from a classic pcap ------------------------------------------ */

struct rec {
	uint32_t sec, frac;	/* frac as the base file has it */
	uint32_t caplen, len;
	const uint8_t *data;
};

struct capfile {
	uint32_t linktype, snaplen;
	bool nano;
	size_t n;
	struct rec *r;
};

static uint32_t get32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? bswap_32(v) : v;
}

static void put32(uint8_t *p, uint32_t v, bool swap)
{
	if (swap)
		v = bswap_32(v);
	memcpy(p, &v, 4);
}

/* Split a classic pcap (either order and precision, version 2.4) into its
 * records; false if it is not one or a record runs past the end.
 */
static bool parse_classic(const uint8_t *b, size_t len, struct capfile *c)
{
	uint32_t magic;
	bool swap, nano;
	size_t off = 24;

	if (len < 24)
		return false;
	memcpy(&magic, b, 4);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	if (swap)
		magic = bswap_32(magic);
	if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d)
		return false;
	nano = magic == 0xa1b23c4d;
	c->nano = nano;
	c->snaplen = get32(b + 16, swap);
	c->linktype = get32(b + 20, swap);
	c->n = 0;
	c->r = NULL;
	while (len - off >= 16) {
		struct rec r = {
			.sec = get32(b + off, swap),
			.frac = get32(b + off + 4, swap),
			.caplen = get32(b + off + 8, swap),
			.len = get32(b + off + 12, swap),
			.data = b + off + 16,
		};

		if (r.caplen > len - off - 16)
			return false;
		c->r = realloc(c->r, (c->n + 1) * sizeof(*c->r));
		if (!c->r)
			abort();
		c->r[c->n++] = r;
		off += 16 + r.caplen;
	}
	return off == len;
}

/* Write c in one of the four encodings; *len gets the size. */
static uint8_t *encode(const struct capfile *c, bool swap, bool nano, uint32_t snaplen,
		       size_t *len)
{
	size_t total = 24, i, off = 24;
	uint8_t *b;

	for (i = 0; i < c->n; i++)
		total += 16 + c->r[i].caplen;
	b = malloc(total);
	if (!b)
		abort();
	put32(b, nano ? 0xa1b23c4d : 0xa1b2c3d4, swap);
	b[4] = swap ? 0 : 2;
	b[5] = swap ? 2 : 0;
	b[6] = swap ? 0 : 4;
	b[7] = swap ? 4 : 0;
	memset(b + 8, 0, 8);
	put32(b + 16, snaplen, swap);
	put32(b + 20, c->linktype, swap);
	for (i = 0; i < c->n; i++) {
		const struct rec *r = &c->r[i];
		uint32_t frac = r->frac;

		/* The other precision: scaled, wrapping or not (negative stays). */
		if (nano != c->nano && !(frac & 0x80000000u))
			frac = nano ? frac * 1000u : frac / 1000u;
		put32(b + off, r->sec, swap);
		put32(b + off + 4, frac, swap);
		put32(b + off + 8, r->caplen, swap);
		put32(b + off + 12, r->len, swap);
		memcpy(b + off + 16, r->data, r->caplen);
		off += 16 + r->caplen;
	}
	*len = total;
	return b;
}

/* Offsets of each record header in an encoding of c. */
static size_t record_offset(const struct capfile *c, size_t k)
{
	size_t off = 24, i;

	for (i = 0; i < k; i++)
		off += 16 + c->r[i].caplen;
	return off;
}

static const uint32_t odd_lengths[] = {
	0, 1, 15, 16, 17, 19, 20, 64, 65535, 262143, 262144, 262145, 1u << 20,
	0x7fffffff, 0x80000000u, 0xfffffff0u, 0xffffffffu,
};

/* One corrupted copy of an encoding: a record header field set to an odd
 * value, a timestamp made negative, or a byte anywhere changed.
 */
static void corrupt(uint8_t *b, size_t len, const struct capfile *c, bool swap, char *what,
		    size_t whatlen)
{
	size_t k = c->n ? equiv_rnd() % c->n : 0, at;
	uint32_t v = odd_lengths[equiv_rnd() % (sizeof(odd_lengths) / sizeof(odd_lengths[0]))];

	switch (c->n ? equiv_rnd() % 5 : 4) {
	case 0:
		at = record_offset(c, k) + 8;
		put32(b + at, v, swap);
		snprintf(what, whatlen, "record %zu caplen %u", k + 1, v);
		break;
	case 1:
		at = record_offset(c, k) + 12;
		put32(b + at, v, swap);
		snprintf(what, whatlen, "record %zu len %u", k + 1, v);
		break;
	case 2:
		at = record_offset(c, k) + (equiv_rnd() & 1) * 4;
		put32(b + at, 0x80000000u | (uint32_t)equiv_rnd(), swap);
		snprintf(what, whatlen, "record %zu negative time at %zu", k + 1, at);
		break;
	case 3:
		/* Inside a record: netlink lengths and attributes go astray. */
		at = record_offset(c, k) + 16 + (c->r[k].caplen ? equiv_rnd() % c->r[k].caplen : 0);
		if (at >= len)
			at = len - 1;
		b[at] = (uint8_t)equiv_rnd();
		snprintf(what, whatlen, "byte %zu (record %zu) = %#x", at, k + 1, b[at]);
		break;
	default:
		at = equiv_rnd() % len;
		b[at] = (uint8_t)equiv_rnd();
		snprintf(what, whatlen, "byte %zu = %#x", at, b[at]);
		break;
	}
}

#define N_CORRUPT 24
#define N_RANDOM_CUTS 12

static void variants(const char *base, const struct capfile *c)
{
	static const uint32_t snaplens[] = { 0, 1, 60, 100, 65535, 0x7fffffff, 0x80000000u };
	char name[4096], what[128];
	size_t len, i, cut;
	unsigned int enc;
	uint8_t *b;

	/* Both byte orders, both precisions: whole, and through a pipe. */
	for (enc = 0; enc < 4; enc++) {
		bool swap = enc & 1, nano = enc & 2;

		b = encode(c, swap, nano, c->snaplen, &len);
		snprintf(name, sizeof(name), "%s [%s-endian, %s]", base,
			 swap ? "swapped" : "host", nano ? "ns" : "us");
		check(name, K_WHOLE, b, len, true);
		free(b);
	}
	/* Snapshot lengths that cut records, or that libpcap adjusts. */
	for (i = 0; i < sizeof(snaplens) / sizeof(snaplens[0]); i++) {
		b = encode(c, i & 1, true, snaplens[i], &len);
		snprintf(name, sizeof(name), "%s [snaplen %u]", base, snaplens[i]);
		check(name, K_SNAPLEN, b, len, false);
		free(b);
	}
	/* Cut short: inside the file header, the first record header and
	 * record, at random places, and one byte before the end.
	 */
	b = encode(c, false, true, c->snaplen, &len);
	for (cut = 0; cut <= 48 && cut < len; cut += cut < 24 ? 6 : 1) {
		snprintf(name, sizeof(name), "%s [cut at %zu]", base, cut);
		check(name, K_CUT, b, cut, cut % 8 == 0);
	}
	for (i = 0; i < N_RANDOM_CUTS && len > 0; i++) {
		cut = equiv_rnd() % len;
		snprintf(name, sizeof(name), "%s [cut at %zu]", base, cut);
		check(name, K_CUT, b, cut, i < 3);
	}
	if (len > 0) {
		snprintf(name, sizeof(name), "%s [cut at %zu]", base, len - 1);
		check(name, K_CUT, b, len - 1, true);
	}
	free(b);
	/* Corrupted, in either byte order. */
	for (i = 0; i < N_CORRUPT; i++) {
		bool swap = i & 1;

		b = encode(c, swap, !(i & 2), c->snaplen, &len);
		corrupt(b, len, c, swap, what, sizeof(what));
		snprintf(name, sizeof(name), "%s [%s-endian, %s]", base, swap ? "swapped" : "host",
			 what);
		check(name, K_CORRUPT, b, len, false);
		free(b);
	}
	/* Headers replay.c leaves to libpcap: other versions and link types. */
	b = encode(c, false, false, c->snaplen, &len);
	b[6] = 3;	/* version 2.3 */
	snprintf(name, sizeof(name), "%s [version 2.3]", base);
	check(name, K_HEADER, b, len, false);
	b[6] = 4;
	b[4] = 1;	/* version 1.4 */
	snprintf(name, sizeof(name), "%s [version 1.4]", base);
	check(name, K_HEADER, b, len, false);
	b[4] = 2;
	put32(b + 20, 0x10000000u | c->linktype, false);	/* an FCS length */
	snprintf(name, sizeof(name), "%s [linktype with FCS bits]", base);
	check(name, K_HEADER, b, len, false);
	put32(b + 20, 105, false);	/* 802.11 */
	snprintf(name, sizeof(name), "%s [linktype 105]", base);
	check(name, K_HEADER, b, len, false);
	free(b);
}

/* A file that is no classic pcap: as it is, and cut short. */
static void other_file(const char *base, const uint8_t *buf, size_t len)
{
	char name[4096];
	size_t i, cut;

	check(base, K_OTHER, buf, len, true);
	for (i = 0; i < N_RANDOM_CUTS && len > 0; i++) {
		cut = equiv_rnd() % len;
		snprintf(name, sizeof(name), "%s [cut at %zu]", base, cut);
		check(name, K_CUT, buf, cut, i < 2);
	}
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat sb;
	uint8_t *b;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t off = 0;

	if (fd < 0 || fstat(fd, &sb) < 0) {
		fprintf(stderr, "equiv-reader: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	b = malloc((size_t)sb.st_size + 1);
	if (!b)
		abort();
	while (off < (size_t)sb.st_size) {
		ssize_t n = read(fd, b + off, (size_t)sb.st_size - off);

		if (n <= 0) {
			fprintf(stderr, "equiv-reader: %s: short read\n", path);
			exit(2);
		}
		off += (size_t)n;
	}
	close(fd);
	*len = off;
	return b;
}

static void one_base(const char *path, bool fuzz_input)
{
	unsigned long before = n_files;
	struct capfile c = { 0 };
	uint8_t *raw, *b;
	size_t len, rawlen;

	raw = slurp(path, &rawlen);
	if (fuzz_input) {
		b = fuzz_make_pcap(raw, rawlen, &len);
		free(raw);
	} else {
		b = raw;
		len = rawlen;
	}
	if (parse_classic(b, len, &c)) {
		check(path, K_WHOLE, b, len, false);	/* as it is, before any rewriting */
		variants(path, &c);
		free(c.r);
	} else {
		free(c.r);
		other_file(path, b, len);
	}
	if (!quiet)
		printf("%s: %lu files equal\n", path, n_files - before);
	free(b);
}

int main(int argc, char **argv)
{
	bool fuzz_inputs = false;
	int opt, i;

	equiv_rng = 0x9e3779b97f4a7c15ull;
	while ((opt = getopt(argc, argv, "+s:qk")) != -1) {
		switch (opt) {
		case 's':
			equiv_seed_rng(optarg);
			break;
		case 'q':
			quiet = true;
			break;
		case 'k':
			keep_going = true;
			break;
		default:
			fprintf(stderr, "usage: equiv-reader [-s SEED] [-q] [-k] BASE... [-F FUZZINPUT...]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: equiv-reader [-s SEED] [-q] [-k] BASE... [-F FUZZINPUT...]\n");
		return 2;
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-F") == 0)
			fuzz_inputs = true;
		else
			one_base(argv[i], fuzz_inputs);
	}
	if (n_differ) {
		printf("equiv-reader: %lu of %lu files differ\n", n_differ, n_files);
		return 1;
	}
	for (i = 0; i < K_MAX; i++)
		printf("  %-32s %6lu\n", kind_names[i], n_kind[i]);
	printf("equiv-reader: %lu files (%lu also through a pipe), %lu callbacks: "
	       "replay_file() and libpcap agree on every one\n", n_files, n_pipes, n_events);
	return 0;
}
