/* bykey: --by's aggregation keys and --sort's orders, as names and bits.
 * Pure: the table of words, the parser of "KEY[,KEY...]" (unknown words get
 * the closest ones) and the parser of --sort's word.
 */
#ifndef TRAPMON_BYKEY_H
#define TRAPMON_BYKEY_H

#include "errmsg.h"

/* The keys a table can be broken down by, in the order their columns print. */
enum by_key {
	BY_TRAP, BY_GROUP, BY_DEVICE, BY_PORT, BY_SIP, BY_DIP, BY_SPORT, BY_DPORT, BY_PROTO,
	BY_ENCAP, BY_VLAN, BY_REASON,
	BY_MAX,
};

#define BY_BIT(k) (1u << (k))

/* trapagg's key, what a table without --by is broken down by. */
#define BY_DEFAULT (BY_BIT(BY_TRAP) | BY_BIT(BY_SIP) | BY_BIT(BY_DIP) | BY_BIT(BY_SPORT) | \
		    BY_BIT(BY_DPORT) | BY_BIT(BY_PROTO) | BY_BIT(BY_ENCAP))

/* Keys that live in the flow key (dissected from the packet). */
#define BY_FLOW (BY_BIT(BY_SIP) | BY_BIT(BY_DIP) | BY_BIT(BY_SPORT) | BY_BIT(BY_DPORT) | \
		 BY_BIT(BY_PROTO) | BY_BIT(BY_ENCAP) | BY_BIT(BY_VLAN))

/* Keys read from the trap (its name, group, drop reason). */
#define BY_TRAPWISE (BY_BIT(BY_TRAP) | BY_BIT(BY_GROUP) | BY_BIT(BY_REASON))

/* --by's word for k ("trap", "port", ...). */
const char *by_key_name(enum by_key k);

/* "trap,port" into BY_BIT()s; -1 with e set (closest names) when a word is
 * not a key or the list is empty.
 */
int by_parse(const char *list, unsigned int *mask, struct errmsg *e);

/* --sort: the rows' order. */
enum sort_order {
	SORT_COUNT,	/* most packets first (the default) */
	SORT_RATE,	/* highest packets per second first */
	SORT_FIRST,	/* earliest first seen first */
	SORT_LAST,	/* latest last seen first */
};

/* --sort's word into *order; -1 when it is none of count, rate, first, last. */
int sort_parse(const char *word, enum sort_order *order);

#endif
