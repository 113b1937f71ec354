/* why: the guide applied to what was counted, and the --why legend. */
#include <string.h>

#include <linux/net_dropmon.h>

#include "guide.h"
#include "names.h"
#include "why.h"

static void from_entry(const struct guide_entry *g, struct why_info *w)
{
	w->severity = guide_severity_name(g->severity);
	w->description = g->saw;
	w->check = g->check;
}

void why_of(const struct trap_stat *t, char *buf, size_t n, struct why_info *w)
{
	const struct guide_entry *g;
	const char *type = trap_type_name(t->type);

	w->severity = NULL;
	if (t->origin == NET_DM_ORIGIN_SW) {
		g = t->no_reason ? NULL : guide_find(GUIDE_KIND_REASON, t->name);
		if (g)
			return from_entry(g, w);
		w->description = t->no_reason ?
			"freed by this kernel function; the kernel gives no drop reason (before 5.18)" :
			"a drop reason this trapmon does not know, from a newer kernel";
		w->check = t->no_reason ? "trapmon --sw --wide shows the place; dropwatch -l kas too" :
			   "the kernel's include/net/dropreason.h for this reason";
		return;
	}
	g = guide_find(GUIDE_KIND_TRAP, t->name);
	if (g)
		return from_entry(g, w);
	/* What devlink said about it, and where the rest is written. */
	snprintf(buf, n, "%s trap in group %s; driver-specific trap: see the driver's documentation",
		 type ? type : "a", t->group ? t->group : "(unknown)");
	w->description = buf;
	w->check = "devlink trap show: the trap's driver, then its documentation";
}

static bool counted(const struct flowtab_view *view, uint32_t id)
{
	struct trap_mark c;

	flowtab_view_trap(view, id, &c);
	return c.packets != 0;
}

void why_legend(FILE *fp, const struct flowtab_view *view)
{
	const struct flowtab *ft = view->ft;
	char buf[320];
	int width = 0;
	uint32_t i;

	for (i = 0; i < ft->ntraps; i++)
		if (counted(view, i) && (int)strlen(ft->traps[i].name) > width)
			width = (int)strlen(ft->traps[i].name);
	if (!width)
		return;
	fputs("Why:\n", fp);
	for (i = 0; i < ft->ntraps; i++) {
		const struct trap_stat *t = &ft->traps[i];
		struct why_info w;

		if (t->origin >= FLOWTAB_ORIGIN_COOKIE || !counted(view, i))
			continue;
		why_of(t, buf, sizeof(buf), &w);
		fprintf(fp, "  %-*s  %-7s  %s. Check: %s\n", width, t->name,
			w.severity ? w.severity : "-", w.description, w.check);
	}
}
