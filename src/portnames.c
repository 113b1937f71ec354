/* portnames: input-port names by ifindex, remembered from alerts and
 * asked of the kernel (if_indextoname) only on a miss.
 */
#include <stdio.h>

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
