/* traplist: --list of devlink traps, groups and policers. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "output.h"
#include "traplist.h"

#define MAX_COLS 10
#define CELL (2 * DL_NAME_MAX + 8)

int traplist_parse(const char *arg)
{
	static const char *const names[] = { "traps", "groups", "policers" };
	int i;

	if (!arg)
		return TRAPLIST_TRAPS;
	for (i = 0; i < 3; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	return -1;
}

/* A table of string cells, printed aligned or as a JSON array of objects
 * whose keys are the lower-cased headings; numeric columns print bare.
 */
struct grid {
	const char *const *heads;
	const bool *numeric;
	size_t ncols;
	char (*cells)[MAX_COLS][CELL];
	size_t nrows;
};

static void grid_cell(FILE *fp, const char *text, int width, bool last)
{
	if (last)
		fprintf(fp, "%s\n", text);
	else
		fprintf(fp, "%-*s ", width, text);
}

static void grid_print(FILE *fp, const struct grid *g, bool json)
{
	int width[MAX_COLS];
	size_t r, c;

	if (json) {
		fputc('[', fp);
		for (r = 0; r < g->nrows; r++) {
			fputs(r ? ",{" : "{", fp);
			for (c = 0; c < g->ncols; c++) {
				char key[32];
				size_t k;

				for (k = 0; g->heads[c][k] && k < sizeof(key) - 1; k++)
					key[k] = (char)(g->heads[c][k] | 0x20);
				key[k] = '\0';
				fprintf(fp, "%s\"%s\":", c ? "," : "", key);
				if (g->numeric[c] && strcmp(g->cells[r][c], "-"))
					fputs(g->cells[r][c], fp);
				else if (!strcmp(g->cells[r][c], "-"))
					fputs("null", fp);
				else
					output_json_str(fp, g->cells[r][c]);
			}
			fputc('}', fp);
		}
		fputs("]\n", fp);
		return;
	}
	for (c = 0; c < g->ncols; c++) {
		width[c] = (int)strlen(g->heads[c]);
		for (r = 0; r < g->nrows; r++)
			if ((int)strlen(g->cells[r][c]) > width[c])
				width[c] = (int)strlen(g->cells[r][c]);
	}
	for (c = 0; c < g->ncols; c++)
		grid_cell(fp, g->heads[c], width[c], c + 1 == g->ncols);
	for (r = 0; r < g->nrows; r++)
		for (c = 0; c < g->ncols; c++)
			grid_cell(fp, g->cells[r][c], width[c], c + 1 == g->ncols);
}

static void u64_cell(char *cell, bool known, uint64_t v)
{
	if (known)
		snprintf(cell, CELL, "%" PRIu64, v);
	else
		snprintf(cell, CELL, "-");
}

static int list_traps(FILE *fp, struct devlink *dl, bool json, const struct trapctl *tc,
		      struct errmsg *e)
{
	static const char *const heads[] = { "DEVICE", "TRAP", "TYPE", "ACTION", "GROUP",
					     "GENERIC", "METADATA", "PACKETS", "BYTES", "DROPS" };
	static const bool numeric[] = { 0, 0, 0, 0, 0, 1, 0, 1, 1, 1 };
	struct dl_traps traps;
	struct grid g = { heads, numeric, 10, NULL, 0 };
	size_t i;

	if (devlink_trap_dump(dl, &traps, e) < 0)
		return -1;
	g.cells = calloc(traps.n ? traps.n : 1, sizeof(*g.cells));
	if (!g.cells) {
		dl_traps_free(&traps);
		errmsg_set(e, ENOMEM, "out of memory listing traps");
		return -1;
	}
	for (i = 0; i < traps.n; i++) {
		const struct dl_trap *t = &traps.v[i];
		char (*row)[CELL] = g.cells[g.nrows];

		if (tc && !trapctl_dev_selected(tc, t->bus, t->dev))
			continue;
		snprintf(row[0], CELL, "%s/%s", t->bus, t->dev);
		snprintf(row[1], CELL, "%s", t->name);
		snprintf(row[2], CELL, "%s", devlink_type_str(t->type));
		snprintf(row[3], CELL, "%s", devlink_action_str(t->action));
		snprintf(row[4], CELL, "%s", t->group[0] ? t->group : "-");
		snprintf(row[5], CELL, "%s", t->generic ? "true" : "false");
		snprintf(row[6], CELL, "%s%s%s", t->meta_in_port ? "input_port" : "",
			 t->meta_in_port && t->meta_cookie ? "," : "",
			 t->meta_cookie ? "flow_action_cookie" : "");
		if (!row[6][0])
			snprintf(row[6], CELL, "-");
		u64_cell(row[7], t->has_stats, t->rx_packets);
		u64_cell(row[8], t->has_stats, t->rx_bytes);
		u64_cell(row[9], t->has_stats, t->rx_dropped);
		g.nrows++;
	}
	grid_print(fp, &g, json);
	free(g.cells);
	dl_traps_free(&traps);
	return 0;
}

static int list_groups(FILE *fp, struct devlink *dl, bool json, const struct trapctl *tc,
		       struct errmsg *e)
{
	static const char *const heads[] = { "DEVICE", "GROUP", "GENERIC", "POLICER", "PACKETS",
					     "BYTES" };
	static const bool numeric[] = { 0, 0, 1, 1, 1, 1 };
	struct dl_groups groups;
	struct grid g = { heads, numeric, 6, NULL, 0 };
	size_t i;

	if (devlink_group_dump(dl, &groups, e) < 0)
		return -1;
	g.cells = calloc(groups.n ? groups.n : 1, sizeof(*g.cells));
	if (!g.cells) {
		dl_groups_free(&groups);
		errmsg_set(e, ENOMEM, "out of memory listing trap groups");
		return -1;
	}
	for (i = 0; i < groups.n; i++) {
		const struct dl_group *gr = &groups.v[i];
		char (*row)[CELL] = g.cells[g.nrows];

		if (tc && !trapctl_dev_selected(tc, gr->bus, gr->dev))
			continue;
		snprintf(row[0], CELL, "%s/%s", gr->bus, gr->dev);
		snprintf(row[1], CELL, "%s", gr->name);
		snprintf(row[2], CELL, "%s", gr->generic ? "true" : "false");
		u64_cell(row[3], gr->policer_id != 0, gr->policer_id);
		u64_cell(row[4], true, gr->rx_packets);
		u64_cell(row[5], true, gr->rx_bytes);
		g.nrows++;
	}
	grid_print(fp, &g, json);
	free(g.cells);
	dl_groups_free(&groups);
	return 0;
}

static int list_policers(FILE *fp, struct devlink *dl, bool json, const struct trapctl *tc,
			 struct errmsg *e)
{
	static const char *const heads[] = { "DEVICE", "POLICER", "RATE", "BURST", "DROPS" };
	static const bool numeric[] = { 0, 1, 1, 1, 1 };
	struct dl_policers pol;
	struct errmsg pe = { 0 };
	struct grid g = { heads, numeric, 5, NULL, 0 };
	size_t i;

	if (devlink_policer_dump(dl, &pol, &pe) < 0) {
		if (pe.errnum != EOPNOTSUPP) {
			errmsg_set(e, pe.errnum, "%s", pe.text);
			return -1;
		}
		/* Nothing to list is not an error: say why the list is empty. */
		fprintf(stderr, "trapmon: %s (devlink trap policers need Linux 5.7 or later)\n",
			pe.text);
	}
	g.cells = calloc(pol.n ? pol.n : 1, sizeof(*g.cells));
	if (!g.cells) {
		dl_policers_free(&pol);
		errmsg_set(e, ENOMEM, "out of memory listing trap policers");
		return -1;
	}
	for (i = 0; i < pol.n; i++) {
		const struct dl_policer *p = &pol.v[i];
		char (*row)[CELL] = g.cells[g.nrows];

		if (tc && !trapctl_dev_selected(tc, p->bus, p->dev))
			continue;
		snprintf(row[0], CELL, "%s/%s", p->bus, p->dev);
		u64_cell(row[1], true, p->id);
		u64_cell(row[2], true, p->rate);
		u64_cell(row[3], true, p->burst);
		u64_cell(row[4], true, p->drops);
		g.nrows++;
	}
	grid_print(fp, &g, json);
	free(g.cells);
	dl_policers_free(&pol);
	return 0;
}

int traplist_print(FILE *fp, struct devlink *dl, enum traplist_what what, bool json,
		   const struct trapctl *tc, struct errmsg *e)
{
	switch (what) {
	case TRAPLIST_GROUPS:
		return list_groups(fp, dl, json, tc, e);
	case TRAPLIST_POLICERS:
		return list_policers(fp, dl, json, tc, e);
	default:
		return list_traps(fp, dl, json, tc, e);
	}
}
