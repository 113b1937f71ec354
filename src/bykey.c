/* bykey: --by's and --sort's words. One table each; the closest names to a
 * typo come from names_closest(), as for --set-action.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bykey.h"
#include "names.h"

struct word {
	char name[8];
};

static const struct word by_words[BY_MAX] = {
	[BY_TRAP] = { "trap" },   [BY_GROUP] = { "group" }, [BY_DEVICE] = { "device" },
	[BY_PORT] = { "port" },   [BY_SIP] = { "sip" },     [BY_DIP] = { "dip" },
	[BY_SPORT] = { "sport" }, [BY_DPORT] = { "dport" }, [BY_PROTO] = { "proto" },
	[BY_ENCAP] = { "encap" }, [BY_VLAN] = { "vlan" },   [BY_REASON] = { "reason" },
};

static const struct word sort_words[] = {
	[SORT_COUNT] = { "count" }, [SORT_RATE] = { "rate" }, [SORT_FIRST] = { "first" },
	[SORT_LAST] = { "last" },
};

const char *by_key_name(enum by_key k)
{
	return k < BY_MAX ? by_words[k].name : "?";
}

static int word_index(const struct word *v, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(v[i].name) == len && !memcmp(v[i].name, s, len))
			return (int)i;
	return -1;
}

int by_parse(const char *list, unsigned int *mask, struct errmsg *e)
{
	const char *p = list;

	*mask = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		int k = word_index(by_words, BY_MAX, p, len);

		if (k < 0) {
			char want[NAMES_CLOSEST_MAX + 1], near[128];

			snprintf(want, sizeof(want), "%.*s", (int)len, p);
			names_closest(want, by_words[0].name, BY_MAX, sizeof(by_words[0]), near,
				      sizeof(near));
			errmsg_set(e, EINVAL, "--by: no key '%s': closest: %s (keys: trap, group, "
				   "device, port, vlan, sip, dip, sport, dport, proto, encap, reason)",
				   want, near);
			return -1;
		}
		*mask |= BY_BIT(k);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int sort_parse(const char *word, enum sort_order *order)
{
	int i = word_index(sort_words, sizeof(sort_words) / sizeof(sort_words[0]), word,
			   strlen(word));

	if (i < 0)
		return -1;
	*order = (enum sort_order)i;
	return 0;
}
