/* grid: the one printer for trapmon's tables, the drop table and --list
 * alike: aligned text under a heading line, or a JSON array of objects
 * keyed by the lower-cased headings. Cells come from a callback, so a
 * table of a million flows is printed without copying it.
 */
#ifndef TRAPMON_GRID_H
#define TRAPMON_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define GRID_MAX_COLS 32	/* columns past it are not printed */

struct grid_col {
	const char *head;
	bool numeric;		/* JSON: printed bare, not as a string */
};

/* A cell's text: in buf (n bytes) or a constant; "-" is JSON's null. */
typedef const char *(*grid_cell_fn)(char *buf, size_t n, size_t row, size_t col, void *arg);

struct grid {
	const struct grid_col *cols;
	size_t ncols;
	size_t nrows;
	grid_cell_fn cell;
	void *arg;
};

void grid_print(FILE *fp, const struct grid *g, bool json);

/* A JSON string literal, escaped; UTF-8 passes through. */
void grid_json_str(FILE *fp, const char *s);

#endif
