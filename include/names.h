/* names: the words trapmon prints for devlink trap types and actions and
 * for NET_DM's origins, one table each, shared by the table, JSON, metrics,
 * --list and error messages, and the closest names to a typo. Pure.
 */
#ifndef TRAPMON_NAMES_H
#define TRAPMON_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* drop, exception, control; NULL for a type this trapmon does not know. */
const char *trap_type_name(uint8_t type);

/* drop, trap, mirror; NULL for an unknown action. */
const char *trap_action_name(uint8_t action);

/* The action a word names, or -1. */
int trap_action_parse(const char *word);

/* hw or sw. */
const char *drop_origin_name(uint8_t origin);

/* "netdm", "tracepoint" or "devlink": enum trap_source's names. */
const char *trap_source_name(uint8_t source);

/* The type of a generic trap (include/net/devlink.h), for captures replayed
 * where no devlink device can say; -1 for a name that is not generic.
 */
int generic_trap_type(const char *name);

/* Names longer than this are compared by their first NAMES_CLOSEST_MAX bytes. */
#define NAMES_CLOSEST_MAX 64

/* "a, b, c": the (up to) three of n names, spaced stride bytes apart, that
 * are the fewest edits away from want, for "unknown X: closest: ..." errors.
 */
void names_closest(const char *want, const char *names, size_t n, size_t stride, char *out,
		   size_t outlen);

#endif
