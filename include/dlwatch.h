/* dlwatch: devlink as a source of events. Its "config" group tells of traps
 * and devices appearing and going: a new trap gets its type known (for
 * -d/-e) and the requested action; a vanished device is said once. -c's
 * control-trap counts come from devlink's counters, as deltas since the
 * last table, into the aggregate.
 */
#ifndef TRAPMON_DLWATCH_H
#define TRAPMON_DLWATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "aggregate.h"
#include "devlink.h"
#include "trapctl.h"

struct dlwatch {
	struct devlink *dl;
	struct trapctl *tc;		/* requested trap changes, or NULL */
	struct dl_traps traps;		/* the last dump, grown by notifications */
	uint8_t buf[1 << 17];		/* one notification datagram */
};

void dlwatch_init(struct dlwatch *w, struct devlink *dl, struct trapctl *tc);
void dlwatch_fini(struct dlwatch *w);

/* Handle every notification waiting on devlink's event socket. */
void dlwatch_read_events(struct dlwatch *w);

/* Count control traps' devlink counters since the last call (flowless). */
void dlwatch_count_control(struct dlwatch *w, struct aggregate *ag);

/* Whether any device has a control trap (Linux 5.8 and later). */
bool dlwatch_has_control(const struct dlwatch *w);

#endif
