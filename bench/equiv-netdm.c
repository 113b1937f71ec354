/* equiv-netdm: the one-pass NET_DM alert parser against the libmnl parser
 * it replaced, on mutated messages.
 *
 *   equiv-netdm [-n COUNT] [-s SEED] SEED_MESSAGE...
 *
 * The comparison is tests/fuzz/fuzz_netdm.c's, compiled in here unchanged:
 * its ref_parse_alert() is netdm_parse_alert() as first written on
 * libmnl's tb[] arrays, and each input goes through both (accept or
 * reject alike, same fields, same pointers), through the summary and
 * stats parsers, and through mnl_cb_run() as the read loop does. What
 * libFuzzer would do by chance this does by rule, reproducibly: COUNT
 * (2,000,000) messages, each a seed message (tests/fuzz/corpus/netdm) with
 * one to four mutations that aim at what a one-pass walk can get wrong:
 * attribute lengths (0-3, odd, past the end), types (unknown, nested bit,
 * repeated so the last one must win), removed or repeated attributes,
 * messages cut inside an attribute, and random bytes.
 *
 * Prints how many messages were compared and how many each parser
 * accepted; a disagreement aborts with the invariant that failed, the
 * message number and its bytes (exit status 134 from the shell).
 */
#include "../tests/fuzz/fuzz_netdm.c"

#include <signal.h>

#include "equiv_common.h"

#define MAX_MSG 4096

static uint8_t cur[MAX_MSG];
static size_t cur_len;
static unsigned long cur_no;

/* On a failed invariant: which message, and its bytes, to reproduce it. */
static void on_abort(int sig)
{
	size_t i;

	(void)sig;
	fprintf(stderr, "equiv-netdm: parsers disagree on message %lu (%zu bytes):\n", cur_no,
		cur_len);
	for (i = 0; i < cur_len; i++)
		fprintf(stderr, "%02x%s", cur[i], i % 32 == 31 ? "\n" : "");
	fprintf(stderr, "\n");
	signal(SIGABRT, SIG_DFL);
}

/* Offsets of the top-level attributes after the 20-byte nlmsghdr and
 * genlmsghdr, as far as their lengths hold.
 */
static size_t attrs(const uint8_t *b, size_t len, size_t *at, size_t max)
{
	size_t off = 20, n = 0;

	while (n < max && len >= off + 4) {
		uint16_t l;

		memcpy(&l, b + off, 2);
		if (l < 4 || l > len - off)
			break;
		at[n++] = off;
		off += (l + 3u) & ~3u;
	}
	return n;
}

static void set16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* Lengths a length check must get right. */
static uint16_t odd_len(uint16_t real, size_t room)
{
	static const int delta[] = { -4, -3, -2, -1, 1, 2, 3, 4, 5, 8 };

	switch (equiv_rnd() % 4) {
	case 0:
		return (uint16_t)(equiv_rnd() % 5);		/* 0..4: shorter than a header, or bare */
	case 1:
		return (uint16_t)(real + delta[equiv_rnd() % 10]);
	case 2:
		return (uint16_t)(room + equiv_rnd() % 3);	/* to the end, and just past it */
	default:
		return (uint16_t)equiv_rnd();
	}
}

/* One mutation of the message in cur. */
static void mutate(const struct equiv_seed *seeds, size_t nseeds)
{
	size_t at[128], n = attrs(cur, cur_len, at, 128), k, l, room;
	uint8_t tmp[MAX_MSG];

	switch (n ? equiv_rnd() % 8 : 6 + equiv_rnd() % 2) {
	case 0:	/* an attribute's length */
		k = at[equiv_rnd() % n];
		set16(cur + k, odd_len(get16(cur + k), cur_len - k));
		break;
	case 1:	/* an attribute's type: another known one, unknown, nested bit */
		k = at[equiv_rnd() % n];
		set16(cur + k + 2, (uint16_t)(equiv_rnd() % 3 == 0 ? equiv_rnd() : equiv_rnd() % 40) |
				   (equiv_rnd() % 4 == 0 ? 0x8000 : 0));
		break;
	case 2:	/* repeat an attribute at the end: the last one wins */
		k = at[equiv_rnd() % n];
		l = (get16(cur + k) + 3u) & ~3u;
		if (cur_len + l <= MAX_MSG && k + l <= cur_len) {
			memcpy(cur + cur_len, cur + k, l);
			cur_len += l;
		}
		break;
	case 3:	/* remove an attribute */
		k = at[equiv_rnd() % n];
		l = (get16(cur + k) + 3u) & ~3u;
		if (k + l <= cur_len) {
			memmove(cur + k, cur + k + l, cur_len - k - l);
			cur_len -= l;
		}
		break;
	case 4:	/* cut inside an attribute */
		k = at[equiv_rnd() % n];
		room = cur_len - k;
		cur_len = k + equiv_rnd() % (room + 1);
		break;
	case 5:	/* an attribute of another seed message, spliced in */
		{
			const struct equiv_seed *o = &seeds[equiv_rnd() % nseeds];
			size_t oat[128], on = attrs(o->b, o->len, oat, 128), from;

			if (!on)
				break;
			from = oat[equiv_rnd() % on];
			l = (get16(o->b + from) + 3u) & ~3u;
			if (from + l > o->len || cur_len + l > MAX_MSG)
				break;
			k = at[equiv_rnd() % n];
			memcpy(tmp, cur + k, cur_len - k);
			memcpy(cur + k, o->b + from, l);
			memcpy(cur + k + l, tmp, cur_len - k);
			cur_len += l;
		}
		break;
	case 6:	/* a random byte, anywhere past nlmsg_len */
		if (cur_len > 4)
			cur[4 + equiv_rnd() % (cur_len - 4)] = (uint8_t)equiv_rnd();
		break;
	default:	/* a random bit */
		if (cur_len)
			cur[equiv_rnd() % cur_len] ^= (uint8_t)(1u << (equiv_rnd() % 8));
		break;
	}
}

int main(int argc, char **argv)
{
	struct equiv_run run = {
		.prog = "equiv-netdm", .inputs = "SEED_MESSAGE", .max_len = MAX_MSG,
		.min_len = 20, .short_why = "not a generic netlink message", .count = 2000000,
	};
	unsigned long accepted = 0, i;

	equiv_rng = 0x243f6a8885a308d3ull;
	equiv_start(&run, argc, argv);
	signal(SIGABRT, on_abort);

	for (i = 0; i < run.count; i++) {
		const struct equiv_seed *s = &run.seeds[equiv_rnd() % run.nseeds];
		unsigned int m = 1 + equiv_rnd() % 4;
		struct drop_alert a;

		memcpy(cur, s->b, s->len);
		cur_len = s->len;
		while (m--)
			mutate(run.seeds, run.nseeds);
		/* The header says the size, unless a mutation is to lie about it. */
		if (cur_len >= 4 && equiv_rnd() % 8) {
			uint32_t l = (uint32_t)cur_len;

			memcpy(cur, &l, 4);
		}
		cur_no = i + 1;
		LLVMFuzzerTestOneInput(cur, cur_len);
		if (cur_len >= 16) {
			struct nlmsghdr *copy = fuzz_dup(cur, cur_len);

			copy->nlmsg_len = (uint32_t)cur_len;
			accepted += netdm_parse_alert(copy, &a) == 0;
			free(copy);
		}
	}
	printf("equiv-netdm: %lu mutated messages from %zu seeds: the one-pass parser and the "
	       "libmnl reference agree on every one (%lu taken as alerts, %lu refused)\n", run.count,
	       run.nseeds, accepted, run.count - accepted);
	printf("equiv-netdm: the memo agrees with the parser on %lu changed copies of the messages "
	       "it learnt (%lu answered from the memo)\n", memo_variants, memo_hits);
	equiv_end(&run);
	return 0;
}
