/* equiv_common: what the bench/equiv-* drivers share: one reproducible
 * random stream, and for the drivers that grow random inputs from seed
 * files (equiv-dissect, equiv-netdm) their command line,
 *   PROG [-n COUNT] [-s SEED] SEED_FILE...
 * and the loading of the seeds.
 */
#ifndef TRAPMON_BENCH_EQUIV_COMMON_H
#define TRAPMON_BENCH_EQUIV_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64*: the same stream from the same -s. Each driver sets its own
 * start before reading its options.
 */
extern uint64_t equiv_rng;
uint64_t equiv_rnd(void);
void equiv_seed_rng(const char *arg);

struct equiv_seed {
	const char *name;
	uint8_t *b;
	size_t len;
};

struct equiv_run {
	const char *prog;	/* for messages: "equiv-dissect" */
	const char *inputs;	/* for the usage line: "SEED_FRAME" */
	size_t max_len;		/* a seed's bytes past this are not read */
	size_t min_len;		/* a shorter seed is refused, saying short_why */
	const char *short_why;
	unsigned long count;	/* -n; the driver's default until then */
	struct equiv_seed *seeds;
	size_t nseeds;
};

/* Reads -n and -s, then loads every seed file; exits 2 on bad usage or a
 * seed it cannot take.
 */
void equiv_start(struct equiv_run *run, int argc, char **argv);
void equiv_end(struct equiv_run *run);

#endif
