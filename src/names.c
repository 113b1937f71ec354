/* names: one table each for trap types, trap actions (devlink's
 * DEVLINK_TRAP_TYPE_* and DEVLINK_TRAP_ACTION_* values), NET_DM origins,
 * the sources of counts; generic traps' types from the guide; the closest
 * names to a typo.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/devlink.h>
#include <linux/net_dropmon.h>

#include "guide.h"
#include "names.h"

static const char *const type_names[] = {
	[DEVLINK_TRAP_TYPE_DROP] = "drop",
	[DEVLINK_TRAP_TYPE_EXCEPTION] = "exception",
	[DEVLINK_TRAP_TYPE_CONTROL] = "control",
};

static const char *const action_names[] = {
	[DEVLINK_TRAP_ACTION_DROP] = "drop",
	[DEVLINK_TRAP_ACTION_TRAP] = "trap",
	[DEVLINK_TRAP_ACTION_MIRROR] = "mirror",
};

/* enum trap_source (flowtab.h): where a trap's counts came from. */
static const char *const source_names[] = { "netdm", "tracepoint", "devlink" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *trap_source_name(uint8_t source)
{
	return source < COUNT(source_names) ? source_names[source] : "";
}

const char *trap_type_name(uint8_t type)
{
	return type < COUNT(type_names) ? type_names[type] : NULL;
}

const char *trap_action_name(uint8_t action)
{
	return action < COUNT(action_names) ? action_names[action] : NULL;
}

int trap_action_parse(const char *word)
{
	size_t i;

	for (i = 0; i < COUNT(action_names); i++)
		if (strcmp(word, action_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *drop_origin_name(uint8_t origin)
{
	return origin == NET_DM_ORIGIN_HW ? "hw" : "sw";
}

/* The guide knows every generic trap's type: one table serves both. */
int generic_trap_type(const char *name)
{
	const struct guide_entry *g = guide_find(GUIDE_KIND_TRAP, name);

	return g ? g->type : -1;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[NAMES_CLOSEST_MAX + 1];

	if (lb > NAMES_CLOSEST_MAX)
		lb = NAMES_CLOSEST_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = row[0], tmp;

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);

			tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

void names_closest(const char *want, const char *names, size_t n, size_t stride, char *out,
		   size_t outlen)
{
	const char *best[3] = { NULL };
	size_t dist[3] = { SIZE_MAX, SIZE_MAX, SIZE_MAX }, i, k;

	for (i = 0; i < n; i++) {
		const char *name = names + i * stride;
		size_t d = edit_distance(want, name);

		for (k = 0; k < 3; k++)
			if (best[k] && strcmp(best[k], name) == 0)
				break;
		if (k < 3)
			continue;
		for (k = 0; k < 3; k++)
			if (d < dist[k]) {
				memmove(&best[k + 1], &best[k], (2 - k) * sizeof(best[0]));
				memmove(&dist[k + 1], &dist[k], (2 - k) * sizeof(dist[0]));
				best[k] = name;
				dist[k] = d;
				break;
			}
	}
	snprintf(out, outlen, "%s%s%s%s%s", best[0] ? best[0] : "(none)", best[1] ? ", " : "",
		 best[1] ? best[1] : "", best[2] ? ", " : "", best[2] ? best[2] : "");
}
