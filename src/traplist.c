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

/* DEVICE, the first cell of every list; false when --dev leaves it out. */
static bool device_cell(char (*row)[CELL], const struct trapctl *tc, const char *bus,
			const char *dev)
{
	if (tc && !trapctl_dev_selected(tc, bus, dev))
		return false;
	snprintf(row[0], CELL, "%s/%s", bus, dev);
	return true;
}

static bool trap_row(const void *item, const struct trapctl *tc, char (*row)[CELL])
{
	const struct dl_trap *t = item;

	if (!device_cell(row, tc, t->bus, t->dev))
		return false;
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
	return true;
}

static bool group_row(const void *item, const struct trapctl *tc, char (*row)[CELL])
{
	const struct dl_group *gr = item;

	if (!device_cell(row, tc, gr->bus, gr->dev))
		return false;
	snprintf(row[1], CELL, "%s", gr->name);
	snprintf(row[2], CELL, "%s", gr->generic ? "true" : "false");
	u64_cell(row[3], gr->policer_id != 0, gr->policer_id);
	u64_cell(row[4], true, gr->rx_packets);
	u64_cell(row[5], true, gr->rx_bytes);
	return true;
}

static bool policer_row(const void *item, const struct trapctl *tc, char (*row)[CELL])
{
	const struct dl_policer *p = item;

	if (!device_cell(row, tc, p->bus, p->dev))
		return false;
	u64_cell(row[1], true, p->id);
	u64_cell(row[2], true, p->rate);
	u64_cell(row[3], true, p->burst);
	u64_cell(row[4], true, p->drops);
	return true;
}

/* One --list table: its columns and how an item of the dump fills a row. */
struct list_kind {
	const struct grid_col *cols;
	size_t ncols;
	size_t item_size;
	bool (*row)(const void *item, const struct trapctl *tc, char (*row)[CELL]);
	const char *oom;
};

static const struct grid_col trap_cols[] = {
	{ "DEVICE", false }, { "TRAP", false }, { "TYPE", false }, { "ACTION", false },
	{ "GROUP", false }, { "GENERIC", true }, { "METADATA", false },
	{ "PACKETS", true }, { "BYTES", true }, { "DROPS", true },
};
static const struct grid_col group_cols[] = {
	{ "DEVICE", false }, { "GROUP", false }, { "GENERIC", true }, { "POLICER", true },
	{ "PACKETS", true }, { "BYTES", true },
};
static const struct grid_col policer_cols[] = {
	{ "DEVICE", false }, { "POLICER", true }, { "RATE", true }, { "BURST", true },
	{ "DROPS", true },
};
#define COLS(c) c, sizeof(c) / sizeof(c[0])
static const struct list_kind trap_list = {
	COLS(trap_cols), sizeof(struct dl_trap), trap_row, "out of memory listing traps",
};
static const struct list_kind group_list = {
	COLS(group_cols), sizeof(struct dl_group), group_row, "out of memory listing trap groups",
};
static const struct list_kind policer_list = {
	COLS(policer_cols), sizeof(struct dl_policer), policer_row,
	"out of memory listing trap policers",
};

/* The n items of a dump, as k's table. */
static int print_list(FILE *fp, const struct list_kind *k, const void *items, size_t n,
		      bool json, const struct trapctl *tc, struct errmsg *e)
{
	struct cells g = { calloc(n ? n : 1, sizeof(*g.v)), 0 };
	size_t i;

	if (!g.v) {
		errmsg_set(e, ENOMEM, "%s", k->oom);
		return -1;
	}
	for (i = 0; i < n; i++)
		g.n += k->row((const char *)items + i * k->item_size, tc, g.v[g.n]);
	print_cells(fp, k->cols, k->ncols, &g, json);
	free(g.v);
	return 0;
}

static int list_traps(FILE *fp, struct devlink *dl, bool json, const struct trapctl *tc,
		      struct errmsg *e)
{
	struct dl_traps traps;
	int ret;

	if (devlink_trap_dump(dl, &traps, e) < 0)
		return -1;
	ret = print_list(fp, &trap_list, traps.v, traps.n, json, tc, e);
	dl_traps_free(&traps);
	return ret;
}

static int list_groups(FILE *fp, struct devlink *dl, bool json, const struct trapctl *tc,
		       struct errmsg *e)
{
	struct dl_groups groups;
	int ret;

	if (devlink_group_dump(dl, &groups, e) < 0)
		return -1;
	ret = print_list(fp, &group_list, groups.v, groups.n, json, tc, e);
	dl_groups_free(&groups);
	return ret;
}

static int list_policers(FILE *fp, struct devlink *dl, bool json, const struct trapctl *tc,
			 struct errmsg *e)
{
	struct dl_policers pol;
	struct errmsg pe = { 0 };
	int ret;

	if (devlink_policer_dump(dl, &pol, &pe) < 0) {
		if (pe.errnum != EOPNOTSUPP) {
			errmsg_set(e, pe.errnum, "%s", pe.text);
			return -1;
		}
		/* Nothing to list is not an error: say why the list is empty. */
		fprintf(stderr, "trapmon: %s (devlink trap policers need Linux 5.7 or later)\n",
			pe.text);
	}
	ret = print_list(fp, &policer_list, pol.v, pol.n, json, tc, e);
	dl_policers_free(&pol);
	return ret;
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
