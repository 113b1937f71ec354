/* portnames: input-port names by ifindex, cached. Hardware alerts carry the
 * port's name, which is remembered (the latest wins: ports get renamed);
 * other ports are asked of the kernel once per table. A small direct-mapped
 * cache: a collision only costs a lookup.
 */
#ifndef TRAPMON_PORTNAMES_H
#define TRAPMON_PORTNAMES_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#define PORTNAMES_SLOTS 256

struct portname_slot {
	uint32_t ifindex;
	bool asked;		/* from the kernel, not an alert: ask again next table */
	char name[IF_NAMESIZE];
};

struct portnames {
	struct portname_slot slot[PORTNAMES_SLOTS];	/* by ifindex */
	struct portname_slot byname[PORTNAMES_SLOTS];	/* by a hash of the name */
};

/* Remember the name an alert gave for ifindex (name may be NULL). */
void portnames_remember(struct portnames *pn, uint32_t ifindex, const char *name);

/* A table is about to be printed: forget what was asked of the kernel, which
 * a rename or a move to another namespace may have changed since.
 */
void portnames_new_table(struct portnames *pn);

/* The ifindex of a port named name, 0 when there is none (trap reports
 * name their port; the table keys ports by ifindex).
 */
uint32_t portnames_index(struct portnames *pn, const char *name);

/* The name of ifindex, or NULL; arg is the struct portnames (the shape of
 * out_opts.port_name).
 */
const char *portnames_lookup(uint32_t ifindex, void *arg);

#endif
