/* equiv-dissect: src/dissect.c against itself built as it was before the
 * first IP header stopped clearing fields that are still zero and before
 * dissect_packet() had a fast path for plain TCP and UDP
 * (bench/dissect-ref.c, DISSECT_ALWAYS_CLEAR, DISSECT_NO_FAST_PATH).
 *
 *   equiv-dissect [-n COUNT] [-s SEED] SEED_FRAME...
 *
 * COUNT (20,000,000) random frames, each a seed frame
 * (tests/fuzz/corpus/dissect) with one to four changes: a byte in the
 * first 160 (where the headers are) or anywhere, an EtherType, IP
 * version, header length, next header or port set to one the dissector
 * acts on, a cut, or random bytes appended; one in sixteen is random bytes
 * from the start. Both builds dissect each frame with dissect_eth() and
 * with dissect_packet() as a hardware alert's frame (protocol 0), as IPv4
 * and as IPv6; the keys and return values
 * must be identical, byte for byte.
 *
 * Prints the count and how many keys reached an IP layer or a tunnel;
 * exits 1 at the first difference, with the frame in hex and both keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dissect.h"
#include "equiv_common.h"

unsigned int ref_dissect_eth(const uint8_t *frame, size_t len, struct flow_key *key);
unsigned int ref_dissect_packet(const uint8_t *pkt, size_t len, uint16_t proto,
				struct flow_key *key);

#define MAX_FRAME 512

/* Values the dissector branches on, written big-endian at a random place. */
static const uint16_t hot16[] = {
	0x0800, 0x86dd, 0x8100, 0x88a8, 0x9100, 0x6558, 0x88be, 0x0000, 0xffff,
	4789, 6081, 0x2000, 0x3000, 0xb000, 0x8000, 0x4000, 0x0006, 0x0005,
};
static const uint8_t hot8[] = {
	0x45, 0x46, 0x4f, 0x44, 0x60, 0x40, 0x00, 0xff, 0, 4, 6, 17, 41, 43, 44, 47,
	50, 51, 58, 59, 60, 132, 136, 1, 2,
};

static void mutate(uint8_t *f, size_t *len)
{
	size_t at;

	switch (equiv_rnd() % 8) {
	case 0:
	case 1:
		if (*len)
			f[equiv_rnd() % (*len < 160 ? *len : 160)] = (uint8_t)equiv_rnd();
		break;
	case 2:
		if (*len)
			f[equiv_rnd() % *len] ^= (uint8_t)(1u << (equiv_rnd() % 8));
		break;
	case 3:
		if (*len >= 2) {
			uint16_t v = hot16[equiv_rnd() % (sizeof(hot16) / sizeof(hot16[0]))];

			at = equiv_rnd() % (*len - 1);
			f[at] = (uint8_t)(v >> 8);
			f[at + 1] = (uint8_t)v;
		}
		break;
	case 4:
		if (*len)
			f[equiv_rnd() % *len] = hot8[equiv_rnd() % sizeof(hot8)];
		break;
	case 5:
		*len = *len ? equiv_rnd() % (*len + 1) : 0;	/* cut */
		break;
	case 6:
		for (at = equiv_rnd() % 64; at && *len < MAX_FRAME; at--)
			f[(*len)++] = (uint8_t)equiv_rnd();
		break;
	default:	/* move a header: repeat a stretch further in */
		if (*len > 16) {
			size_t from = equiv_rnd() % (*len - 8), n = 8 + equiv_rnd() % 48, to = equiv_rnd() % *len;

			if (from + n > *len)
				n = *len - from;
			if (to + n > MAX_FRAME)
				n = MAX_FRAME - to;
			memmove(f + to, f + from, n);
			if (to + n > *len)
				*len = to + n;
		}
		break;
	}
}

static void hex(const char *what, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	fprintf(stderr, "  %s:", what);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s%02x", i % 32 ? "" : "\n    ", b[i]);
	fprintf(stderr, "\n");
}

static void compare(unsigned long no, const char *how, const uint8_t *f, size_t len,
		    unsigned int r1, const struct flow_key *k1, unsigned int r2,
		    const struct flow_key *k2)
{
	if (r1 == r2 && memcmp(k1, k2, sizeof(*k1)) == 0)
		return;
	fprintf(stderr, "equiv-dissect: frame %lu, %s: the keys differ (returns %u and %u)\n",
		no, how, r1, r2);
	hex("frame", f, len);
	hex("dissect.c key", k1, sizeof(*k1));
	hex("reference key", k2, sizeof(*k2));
	exit(1);
}

/* Frames shaped for dissect_packet()'s fast path, counted so the run
 * shows it was reached: Ethernet, at most one 802.1Q tag, IPv4 with IHL 5
 * or IPv6, TCP or UDP (lengths aside).
 */
static int fast_shape(const uint8_t *f, size_t len)
{
	size_t off = 14;
	unsigned int type;

	if (len < 18)
		return 0;
	type = (unsigned int)f[12] << 8 | f[13];
	if (type == 0x8100) {
		type = (unsigned int)f[16] << 8 | f[17];
		off = 18;
	}
	if (type == 0x0800 && len > off + 9 && f[off] == 0x45)
		return f[off + 9] == 6 || f[off + 9] == 17;
	if (type == 0x86dd && len > off + 6 && f[off] >> 4 == 6)
		return f[off + 6] == 6 || f[off + 6] == 17;
	return 0;
}

int main(int argc, char **argv)
{
	struct equiv_run run = {
		.prog = "equiv-dissect", .inputs = "SEED_FRAME", .max_len = MAX_FRAME,
		.count = 20000000,
	};
	unsigned long i, ip = 0, encap = 0, fast = 0;
	size_t j;

	equiv_rng = 0x13198a2e03707344ull;
	equiv_start(&run, argc, argv);
	for (i = 0; i < run.count; i++) {
		uint8_t f[MAX_FRAME];
		struct flow_key k1, k2;
		unsigned int r1, r2, m;
		size_t len;

		if (equiv_rnd() % 16 == 0) {
			len = equiv_rnd() % 200;
			for (j = 0; j < len; j++)
				f[j] = (uint8_t)equiv_rnd();
		} else {
			const struct equiv_seed *s = &run.seeds[equiv_rnd() % run.nseeds];

			memcpy(f, s->b, s->len);
			len = s->len;
			for (m = 1 + equiv_rnd() % 4; m; m--)
				mutate(f, &len);
		}
		/* Different leftovers in each key: both must overwrite all. */
		memset(&k1, 0xa5, sizeof(k1));
		memset(&k2, 0x5a, sizeof(k2));
		r1 = dissect_eth(f, len, &k1);
		r2 = ref_dissect_eth(f, len, &k2);
		compare(i + 1, "dissect_eth", f, len, r1, &k1, r2, &k2);
		ip += k1.family != FLOW_FAMILY_NONE;
		encap += k1.is_encap;
		/* A hardware alert's frame: the fast path, or the loop. */
		memset(&k1, 0xa5, sizeof(k1));
		r1 = dissect_packet(f, len, 0, &k1);
		r2 = ref_dissect_packet(f, len, 0, &k2);
		compare(i + 1, "dissect_packet as Ethernet", f, len, r1, &k1, r2, &k2);
		fast += fast_shape(f, len);
		r1 = dissect_packet(f, len, 0x0800, &k1);
		r2 = ref_dissect_packet(f, len, 0x0800, &k2);
		compare(i + 1, "dissect_packet as IPv4", f, len, r1, &k1, r2, &k2);
		r1 = dissect_packet(f, len, 0x86dd, &k1);
		r2 = ref_dissect_packet(f, len, 0x86dd, &k2);
		compare(i + 1, "dissect_packet as IPv6", f, len, r1, &k1, r2, &k2);
	}
	printf("equiv-dissect: %lu random frames from %zu seeds, 4 dissections each: identical "
	       "keys (%lu reached IP, %lu a tunnel, %lu of the fast path's shape)\n", run.count,
	       run.nseeds, ip, encap, fast);
	equiv_end(&run);
	return 0;
}
