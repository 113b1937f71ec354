/* grid_render: a grid printed by grid_print() into a string (the caller
 * frees it), for the unit tests that compare a layout with another.
 */
#ifndef TRAPMON_TESTS_GRID_RENDER_H
#define TRAPMON_TESTS_GRID_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "grid.h"

static inline char *grid_render(const struct grid *g, bool json)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	grid_print(fp, g, json);
	fclose(fp);
	return s;
}

#endif
