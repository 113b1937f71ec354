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

/* Text rows are built whole and written once: a 200k-flow table's
 * printing spent nearly half its instructions in a putc() a space and an
 * fputs() a cell (bench/RESULTS.md, session 15). Names from a capture can
 * be longer than the buffer: what does not fit is written as it comes.
 */
struct row_out {
	FILE *fp;
	size_t len;
	char buf[4096];
};

static void row_flush(struct row_out *o)
{
	fwrite(o->buf, 1, o->len, o->fp);
	o->len = 0;
}

static void row_put(struct row_out *o, const char *s, size_t n)
{
	if (n > sizeof(o->buf) - o->len)
		row_flush(o);
	if (n > sizeof(o->buf)) {
		fwrite(s, 1, n, o->fp);
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void row_pad(struct row_out *o, size_t n)
{
	while (n) {
		size_t k;

		if (o->len == sizeof(o->buf))
			row_flush(o);
		k = sizeof(o->buf) - o->len < n ? sizeof(o->buf) - o->len : n;
		memset(o->buf + o->len, ' ', k);
		o->len += k;
		n -= k;
	}
}

/* fprintf's "%-*s " for a cell; the last column's "%s\n" ends the row. */
static void put_cell(struct row_out *o, const char *v, int width, bool last)
{
	size_t len = strlen(v);

	row_put(o, v, len);
	if (last) {
		row_put(o, "\n", 1);
		row_flush(o);
	} else if (len <= (size_t)width) {
		row_pad(o, (size_t)width - len + 1);
	}
}

static void print_text(FILE *fp, const struct grid *g)
{
	char buf[GRID_CELL];
	int width[GRID_MAX_COLS];
	size_t r, c, ncols = g->ncols < GRID_MAX_COLS ? g->ncols : GRID_MAX_COLS;
	struct row_out o = { .fp = fp };

	for (c = 0; c < ncols; c++)
		width[c] = (int)strlen(g->cols[c].head);
	for (r = 0; r < g->nrows; r++)
		for (c = 0; c < ncols; c++) {
			int w = (int)strlen(g->cell(buf, sizeof(buf), r, c, g->arg));

			if (w > width[c])
				width[c] = w;
		}
	for (c = 0; c < ncols; c++)
		put_cell(&o, g->cols[c].head, width[c], c + 1 == ncols);
	for (r = 0; r < g->nrows; r++)
		for (c = 0; c < ncols; c++)
			put_cell(&o, g->cell(buf, sizeof(buf), r, c, g->arg), width[c],
				 c + 1 == ncols);
	row_flush(&o);
}

void grid_print(FILE *fp, const struct grid *g, bool json)
{
	if (json)
		print_json(fp, g);
	else
		print_text(fp, g);
}
