/* names: one table each for trap types, trap actions (devlink's
 * DEVLINK_TRAP_TYPE_* and DEVLINK_TRAP_ACTION_* values) and NET_DM origins.
 */
#include <string.h>

#include <linux/devlink.h>
#include <linux/net_dropmon.h>

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

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

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
