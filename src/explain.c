/* explain: --explain. Names are matched without regard to case, so both
 * NO_SOCKET and no_socket find the drop reason; a name that is both a trap
 * and a group (stp, lacp, ...) prints both entries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain.h"
#include "grid.h"
#include "guide.h"
#include "names.h"

/* Whether entry g is named in list (NULL: every entry is). */
static bool listed(const struct guide_entry *g, const char *list)
{
	size_t len = strlen(g->name);
	const char *p = list;

	if (!list)
		return true;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == len && strncasecmp(p, g->name, n) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

int explain_check(const char *list, struct errmsg *e)
{
	const struct guide_entry *v;
	const char *p = list;
	size_t n, i;

	if (!list)
		return 0;
	v = guide_entries(&n);
	while (*p) {
		size_t len = strcspn(p, ",");
		char want[GUIDE_NAME_MAX + 24], near[256];

		for (i = 0; i < n; i++)
			if (strlen(v[i].name) == len && strncasecmp(p, v[i].name, len) == 0)
				break;
		if (i == n) {
			snprintf(want, sizeof(want), "%.*s", (int)(len < GUIDE_NAME_MAX + 16 ? len : GUIDE_NAME_MAX + 16), p);
			names_closest(want, v[0].name, n, sizeof(v[0]), near, sizeof(near));
			errmsg_set(e, ENOENT, "--explain: no trap, group or drop reason '%s': closest: %s",
				   want, near);
			return -1;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

static void print_json_entry(FILE *fp, const struct guide_entry *g, bool first)
{
	fputs(first ? "{\"name\":" : ",{\"name\":", fp);
	grid_json_str(fp, g->name);
	fprintf(fp, ",\"kind\":\"%s\",\"type\":\"%s\",\"severity\":\"%s\",\"description\":",
		guide_kind_name(g->kind), trap_type_name(g->type), guide_severity_name(g->severity));
	grid_json_str(fp, g->saw);
	fputs(",\"check\":", fp);
	grid_json_str(fp, g->check);
	fputc('}', fp);
}

int explain_print(FILE *fp, const char *list, bool json)
{
	const struct guide_entry *v;
	bool first = true;
	size_t n, i;

	v = guide_entries(&n);
	if (json)
		fputc('[', fp);
	for (i = 0; i < n; i++) {
		const struct guide_entry *g = &v[i];

		if (!listed(g, list))
			continue;
		if (json)
			print_json_entry(fp, g, first);
		else
			fprintf(fp, "%s%s (%s, %s, %s)\n  saw:   %s\n  check: %s\n", first ? "" : "\n",
				g->name, guide_kind_name(g->kind), trap_type_name(g->type),
				guide_severity_name(g->severity), g->saw, g->check);
		first = false;
	}
	if (json)
		fputs("]\n", fp);
	return ferror(fp) ? -1 : 0;
}
