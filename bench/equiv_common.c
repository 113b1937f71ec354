/* equiv_common: the random stream, command line and seed loading of the
 * bench/equiv-* drivers (equiv_common.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "equiv_common.h"

uint64_t equiv_rng;

uint64_t equiv_rnd(void)
{
	equiv_rng ^= equiv_rng >> 12;
	equiv_rng ^= equiv_rng << 25;
	equiv_rng ^= equiv_rng >> 27;
	return equiv_rng * 0x2545f4914f6cdd1dull;
}

void equiv_seed_rng(const char *arg)
{
	equiv_rng = strtoull(arg, NULL, 0) * 0x9e3779b97f4a7c15ull | 1;
}

static void load(const struct equiv_run *run, struct equiv_seed *s, const char *path)
{
	FILE *f = fopen(path, "rb");

	s->name = path;
	s->b = malloc(run->max_len);
	if (!f || !s->b) {
		fprintf(stderr, "%s: %s: %s\n", run->prog, path, strerror(errno));
		exit(2);
	}
	s->len = fread(s->b, 1, run->max_len, f);
	fclose(f);
	if (s->len < run->min_len) {
		fprintf(stderr, "%s: %s: %s\n", run->prog, path, run->short_why);
		exit(2);
	}
}

static void __attribute__((noreturn)) usage(const struct equiv_run *run)
{
	fprintf(stderr, "usage: %s [-n COUNT] [-s SEED] %s...\n", run->prog, run->inputs);
	exit(2);
}

void equiv_start(struct equiv_run *run, int argc, char **argv)
{
	size_t j;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		switch (opt) {
		case 'n':
			run->count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			equiv_seed_rng(optarg);
			break;
		default:
			usage(run);
		}
	}
	if (optind >= argc)
		usage(run);
	run->nseeds = (size_t)(argc - optind);
	run->seeds = calloc(run->nseeds, sizeof(*run->seeds));
	if (!run->seeds)
		exit(2);
	for (j = 0; j < run->nseeds; j++)
		load(run, &run->seeds[j], argv[optind + (int)j]);
}

void equiv_end(struct equiv_run *run)
{
	size_t j;

	for (j = 0; j < run->nseeds; j++)
		free(run->seeds[j].b);
	free(run->seeds);
}
