/* portnames: input-port names by ifindex, remembered from alerts and
 * asked of the kernel (if_indextoname) only on a miss.
 */
#include <stdio.h>
#include <string.h>

#include "portnames.h"

void portnames_remember(struct portnames *pn, uint32_t ifindex, const char *name)
{
	struct portname_slot *p = &pn->slot[ifindex % PORTNAMES_SLOTS];

	if (p->ifindex == ifindex || !name)
		return;
	p->ifindex = ifindex;
	snprintf(p->name, sizeof(p->name), "%s", name);
}

const char *portnames_lookup(uint32_t ifindex, void *arg)
{
	struct portnames *pn = arg;
	struct portname_slot *p = &pn->slot[ifindex % PORTNAMES_SLOTS];

	if (p->ifindex != ifindex) {
		char name[IF_NAMESIZE];

		if (!if_indextoname(ifindex, name))
			return NULL;
		portnames_remember(pn, ifindex, name);
	}
	return p->name;
}

static uint32_t name_slot(const char *name)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return h % PORTNAMES_SLOTS;
}

uint32_t portnames_index(struct portnames *pn, const char *name)
{
	struct portname_slot *p;
	uint32_t ifindex;

	if (!name[0])
		return 0;
	p = &pn->byname[name_slot(name)];
	if (p->ifindex && !strcmp(p->name, name))
		return p->ifindex;
	ifindex = if_nametoindex(name);
	if (!ifindex)
		return 0;
	p->ifindex = ifindex;
	snprintf(p->name, sizeof(p->name), "%s", name);
	portnames_remember(pn, ifindex, name);
	return ifindex;
}
