/* Tests for grid_print()'s text layout where cells outgrow its row buffer
 * (4 KiB): a trap name of 5,000 bytes from a capture, a column padded past
 * the buffer, and many rows. The expected text is printed here with
 * fprintf()'s "%-*s " and "%s\n", the layout grid.c documents.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "grid_render.h"
#include "tap.h"

#define ROWS 3000
#define LONG 5000

static char long_name[LONG + 1];

/* Row 7's trap is 5,000 bytes; the others are short and end in their row
 * number, so the first column is padded past 4 KiB on every other row.
 */
static const char *cell_of(char *buf, size_t n, size_t row, size_t col, void *arg)
{
	(void)arg;
	if (col == 0)
		return row == 7 ? long_name : (snprintf(buf, n, "trap%zu", row), buf);
	if (col == 1)
		return (snprintf(buf, n, "%zu", row * 37 % 1000), buf);
	return (snprintf(buf, n, "x%zu", row % 3 ? row : 0), buf);
}

static char *expected(const struct grid *g)
{
	char *s = NULL, buf[128];
	size_t len = 0, r, c;
	int width[3];
	FILE *fp = open_memstream(&s, &len);

	for (c = 0; c < g->ncols; c++)
		width[c] = (int)strlen(g->cols[c].head);
	for (r = 0; r < g->nrows; r++)
		for (c = 0; c < g->ncols; c++) {
			int w = (int)strlen(cell_of(buf, sizeof(buf), r, c, NULL));

			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r <= g->nrows; r++)
		for (c = 0; c < g->ncols; c++) {
			const char *v = r ? cell_of(buf, sizeof(buf), r - 1, c, NULL) : g->cols[c].head;

			if (c + 1 < g->ncols)
				fprintf(fp, "%-*s ", width[c], v);
			else
				fprintf(fp, "%s\n", v);
		}
	fclose(fp);
	return s;
}

int main(void)
{
	static const struct grid_col cols[] = { { "TRAP", false }, { "PACKETS", true },
						{ "NOTE", false } };
	struct grid g = { cols, 3, ROWS, cell_of, NULL };
	char *got, *want;

	memset(long_name, 'n', LONG);
	got = grid_render(&g, false);
	want = expected(&g);
	tap_ok(got && want && strlen(got) > (size_t)ROWS * LONG,
	       "%d rows with a first column %d wide: %zu bytes", ROWS, LONG, got ? strlen(got) : 0);
	tap_ok(got && want && !strcmp(got, want),
	       "the text is fprintf()'s: cells padded to their column plus one, the last unpadded");
	free(got);
	free(want);

	/* 4,095 bytes: every short row's first cell and its space fill the
	 * buffer exactly, and the next cell finds it full.
	 */
	g.nrows = 20;
	long_name[4095] = '\0';
	got = grid_render(&g, false);
	want = expected(&g);
	tap_ok(got && want && !strcmp(got, want), "a first column of 4,095 bytes, among 20 rows");
	free(got);
	free(want);
	return tap_done();
}
