/* traplist: --list of devlink traps, groups and policers. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "grid.h"
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

/* --list's tables are small: cells are filled first, then printed. */
struct cells {
	char (*v)[MAX_COLS][CELL];
	size_t n;
};

static const char *list_cell(char *buf, size_t n, size_t row, size_t col, void *arg)
{
	const struct cells *cs = arg;

	(void)buf;
	(void)n;
	return cs->v[row][col];
}

static void print_cells(FILE *fp, const struct grid_col *cols, size_t ncols,
			const struct cells *cs, bool json)
{
	struct grid g = { cols, ncols, cs->n, list_cell, (void *)cs };

	grid_print(fp, &g, json);
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
	static const struct grid_col cols[] = {
		{ "DEVICE", false }, { "TRAP", false }, { "TYPE", false }, { "ACTION", false },
		{ "GROUP", false }, { "GENERIC", true }, { "METADATA", false },
		{ "PACKETS", true }, { "BYTES", true }, { "DROPS", true },
	};
	struct dl_traps traps;
	struct cells g = { NULL, 0 };
	size_t i;

	if (devlink_trap_dump(dl, &traps, e) < 0)
		return -1;
	g.v = calloc(traps.n ? traps.n : 1, sizeof(*g.v));
	if (!g.v) {
		dl_traps_free(&traps);
		errmsg_set(e, ENOMEM, "out of memory listing traps");
		return -1;
	}
	for (i = 0; i < traps.n; i++) {
		const struct dl_trap *t = &traps.v[i];
		char (*row)[CELL] = g.v[g.n];

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
		g.n++;
	}
	print_cells(fp, cols, sizeof(cols) / sizeof(cols[0]), &g, json);
	free(g.v);
	dl_traps_free(&traps);
	return 0;
}

static int list_groups(FILE *fp, struct devlink *dl, bool json, const struct trapctl *tc,
		       struct errmsg *e)
{
	static const struct grid_col cols[] = {
		{ "DEVICE", false }, { "GROUP", false }, { "GENERIC", true }, { "POLICER", true },
		{ "PACKETS", true }, { "BYTES", true },
	};
	struct dl_groups groups;
	struct cells g = { NULL, 0 };
	size_t i;

	if (devlink_group_dump(dl, &groups, e) < 0)
		return -1;
	g.v = calloc(groups.n ? groups.n : 1, sizeof(*g.v));
	if (!g.v) {
		dl_groups_free(&groups);
		errmsg_set(e, ENOMEM, "out of memory listing trap groups");
		return -1;
	}
	for (i = 0; i < groups.n; i++) {
		const struct dl_group *gr = &groups.v[i];
		char (*row)[CELL] = g.v[g.n];

		if (tc && !trapctl_dev_selected(tc, gr->bus, gr->dev))
			continue;
		snprintf(row[0], CELL, "%s/%s", gr->bus, gr->dev);
		snprintf(row[1], CELL, "%s", gr->name);
		snprintf(row[2], CELL, "%s", gr->generic ? "true" : "false");
		u64_cell(row[3], gr->policer_id != 0, gr->policer_id);
		u64_cell(row[4], true, gr->rx_packets);
		u64_cell(row[5], true, gr->rx_bytes);
		g.n++;
	}
	print_cells(fp, cols, sizeof(cols) / sizeof(cols[0]), &g, json);
	free(g.v);
	dl_groups_free(&groups);
	return 0;
}

static int list_policers(FILE *fp, struct devlink *dl, bool json, const struct trapctl *tc,
			 struct errmsg *e)
{
	static const struct grid_col cols[] = {
		{ "DEVICE", false }, { "POLICER", true }, { "RATE", true }, { "BURST", true },
		{ "DROPS", true },
	};
	struct dl_policers pol;
	struct errmsg pe = { 0 };
	struct cells g = { NULL, 0 };
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
	g.v = calloc(pol.n ? pol.n : 1, sizeof(*g.v));
	if (!g.v) {
		dl_policers_free(&pol);
		errmsg_set(e, ENOMEM, "out of memory listing trap policers");
		return -1;
	}
	for (i = 0; i < pol.n; i++) {
		const struct dl_policer *p = &pol.v[i];
		char (*row)[CELL] = g.v[g.n];

		if (tc && !trapctl_dev_selected(tc, p->bus, p->dev))
			continue;
		snprintf(row[0], CELL, "%s/%s", p->bus, p->dev);
		u64_cell(row[1], true, p->id);
		u64_cell(row[2], true, p->rate);
		u64_cell(row[3], true, p->burst);
		u64_cell(row[4], true, p->drops);
		g.n++;
	}
	print_cells(fp, cols, sizeof(cols) / sizeof(cols[0]), &g, json);
	free(g.v);
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
