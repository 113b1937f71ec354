/* cli: trapmon's command line. argp with trapagg's --help layout; options
 * land in struct cli through tables (flags, trap types, counts, strings)
 * and a few parsers of their own; combinations that make no sense are
 * usage errors (exit 64) with one line that names the fix.
 */
#ifndef TRAPMON_CLI_H
#define TRAPMON_CLI_H

#include <stdbool.h>

#include "errmsg.h"
#include "monitor.h"
#include "trapctl.h"

#define EXIT_USAGE 64

struct cli {
	struct monitor_opts mon;
	struct trapctl tc;
	int list;			/* -1: no --list, else enum traplist_what */
	bool restore;
	bool trunc_set;
	bool stats, unpin, foreground;
	bool explain;			/* --explain */
	const char *explain_names;	/* its NAME,... or NULL: all */
	const char *replay;		/* -r */
	int ready_fd;			/* -p: tells the parent setup is done */
	char *cmdline;
	struct errmsg err;		/* first usage error from a sub-parser */
};

/* Parse argv. NULL after a usage error (said on stderr; *status is 64) or
 * when out of memory (*status 1).
 */
struct cli *cli_parse(int argc, char **argv, int *status);
void cli_free(struct cli *cli);

#endif
