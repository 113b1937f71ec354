/* guide: the table of src/guide.def expanded once, and its lookups. A
 * linear search: a lookup happens once per trap name, never per alert.
 */
#include <string.h>

#include <linux/devlink.h>

#include "guide.h"

#define TYPE(t) DEVLINK_TRAP_TYPE_##t
#define SEV(s) GUIDE_SEV_##s

static const struct guide_entry entries[] = {
#define GUIDE_TRAP(name, type, sev, saw, check) \
	{ name, GUIDE_KIND_TRAP, TYPE(type), SEV(sev), saw, check },
#define GUIDE_GROUP(name, type, sev, saw, check) \
	{ name, GUIDE_KIND_GROUP, TYPE(type), SEV(sev), saw, check },
#define GUIDE_REASON(name, sev, saw, check) \
	{ name, GUIDE_KIND_REASON, DEVLINK_TRAP_TYPE_DROP, SEV(sev), saw, check },
#include "guide.def"
#undef GUIDE_TRAP
#undef GUIDE_GROUP
#undef GUIDE_REASON
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct guide_entry *guide_entries(size_t *n)
{
	*n = COUNT(entries);
	return entries;
}

const struct guide_entry *guide_find(enum guide_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < COUNT(entries); i++)
		if (entries[i].kind == kind && strcmp(entries[i].name, name) == 0)
			return &entries[i];
	return NULL;
}

const char *guide_severity_name(uint8_t severity)
{
	static const char *const names[] = {
		[GUIDE_SEV_ERROR] = "error", [GUIDE_SEV_WARNING] = "warning",
		[GUIDE_SEV_NOTICE] = "notice",
	};

	return severity < COUNT(names) ? names[severity] : "unknown";
}

const char *guide_kind_name(uint8_t kind)
{
	static const char *const names[] = {
		[GUIDE_KIND_TRAP] = "trap", [GUIDE_KIND_GROUP] = "group",
		[GUIDE_KIND_REASON] = "reason",
	};

	return kind < COUNT(names) ? names[kind] : "unknown";
}
