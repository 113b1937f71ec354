/* grid: aligned text or a JSON array, from a cell callback. Widths follow
 * the content, so long IPv6 addresses and trap names stay aligned; the
 * last column is not padded.
 */
#include <string.h>

#include "grid.h"

#define GRID_CELL 128

void grid_json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(fp, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", fp);
		else if (ch == '\t')
			fputs("\\t", fp);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(fp, "\\u%04x", ch);
		else
			fputc(ch, fp);
	}
	fputc('"', fp);
}

static void print_json(FILE *fp, const struct grid *g)
{
	char buf[GRID_CELL];
	size_t r, c;

	fputc('[', fp);
	for (r = 0; r < g->nrows; r++) {
		fputs(r ? ",{" : "{", fp);
		for (c = 0; c < g->ncols; c++) {
			const char *v = g->cell(buf, sizeof(buf), r, c, g->arg);
			const char *h;

			fputs(c ? ",\"" : "\"", fp);
			for (h = g->cols[c].head; *h; h++)
				fputc(*h | 0x20, fp);
			fputs("\":", fp);
			if (!strcmp(v, "-"))
				fputs("null", fp);
			else if (g->cols[c].numeric)
				fputs(v, fp);
			else
				grid_json_str(fp, v);
		}
		fputc('}', fp);
	}
	fputs("]\n", fp);
}

/* The cell, then spaces to its column's width plus one; the last ends the line. */
static void put_cell(FILE *fp, const char *v, int width, bool last)
{
	int w;

	fputs(v, fp);
	if (last) {
		putc('\n', fp);
		return;
	}
	/* fprintf's "%-*s ", without its cost on large tables */
	for (w = (int)strlen(v); w <= width; w++)
		putc(' ', fp);
}

static void print_text(FILE *fp, const struct grid *g)
{
	char buf[GRID_CELL];
	int width[GRID_MAX_COLS];
	size_t r, c, ncols = g->ncols < GRID_MAX_COLS ? g->ncols : GRID_MAX_COLS;

	for (c = 0; c < ncols; c++)
		width[c] = (int)strlen(g->cols[c].head);
	for (r = 0; r < g->nrows; r++)
		for (c = 0; c < ncols; c++) {
			int w = (int)strlen(g->cell(buf, sizeof(buf), r, c, g->arg));

			if (w > width[c])
				width[c] = w;
		}
	for (c = 0; c < ncols; c++)
		put_cell(fp, g->cols[c].head, width[c], c + 1 == ncols);
	for (r = 0; r < g->nrows; r++)
		for (c = 0; c < ncols; c++)
			put_cell(fp, g->cell(buf, sizeof(buf), r, c, g->arg), width[c],
				 c + 1 == ncols);
}

void grid_print(FILE *fp, const struct grid *g, bool json)
{
	if (json)
		print_json(fp, g);
	else
		print_text(fp, g);
}
