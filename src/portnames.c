/* portnames: input-port names by ifindex, remembered from alerts and
 * asked of the kernel (if_indextoname) only on a miss. Ports get renamed
 * and move to other namespaces, where their ifindex may be taken again:
 * each alert's name replaces the one remembered, and what was asked of the
 * kernel (or a name's ifindex) is asked again for each table.
 */
#include <stdio.h>
#include <string.h>

#include "portnames.h"

void portnames_remember(struct portnames *pn, uint32_t ifindex, const char *name)
{
	struct portname_slot *p = &pn->slot[ifindex % PORTNAMES_SLOTS];

	if (!name || (p->ifindex == ifindex && !p->asked && !strncmp(p->name, name, sizeof(p->name))))
		return;
	p->ifindex = ifindex;
	p->asked = false;
	snprintf(p->name, sizeof(p->name), "%s", name);
}

void portnames_new_table(struct portnames *pn)
{
	size_t i;

	for (i = 0; i < PORTNAMES_SLOTS; i++) {
		if (pn->slot[i].asked)
			pn->slot[i].ifindex = 0;
		pn->byname[i].ifindex = 0;
	}
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
		p->asked = true;
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
