/* alert_same: two parses of one NET_DM alert gave the same result, field
 * by field (pointers into the same message compare equal), for the tests
 * and fuzzers that hold one parser to another.
 */
#ifndef TRAPMON_TESTS_ALERT_SAME_H
#define TRAPMON_TESTS_ALERT_SAME_H

#include <stdbool.h>

#include "netdm.h"

static inline bool alert_same(const struct drop_alert *a, const struct drop_alert *b)
{
	return a->origin == b->origin && a->proto == b->proto && a->in_ifindex == b->in_ifindex &&
	       a->orig_len == b->orig_len && a->payload_len == b->payload_len &&
	       a->timestamp_ns == b->timestamp_ns && a->pc == b->pc &&
	       a->trap_name == b->trap_name && a->trap_group == b->trap_group &&
	       a->in_port_name == b->in_port_name && a->symbol == b->symbol &&
	       a->reason == b->reason && a->payload == b->payload && a->cookie == b->cookie &&
	       a->cookie_len == b->cookie_len && a->trap_name_len == b->trap_name_len &&
	       a->reason_len == b->reason_len;
}

#endif
