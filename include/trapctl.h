/* trapctl: change devlink trap actions and policers all or nothing, journal
 * the originals before each change, and put everything back on exit.
 */
#ifndef TRAPMON_TRAPCTL_H
#define TRAPMON_TRAPCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devlink.h"
#include "journal.h"

struct errmsg;

struct action_req {
	char name[DL_NAME_MAX];	/* trap or group */
	uint8_t action;
	bool group;
};

struct policer_req {
	uint32_t id;
	uint64_t rate;
	uint64_t burst;
	bool burst_set;
};

struct trapctl {
	struct devlink *dl;
	struct journal *journal;	/* originals of what was changed */
	struct action_req *reqs;
	size_t nreqs;
	struct policer_req *preqs;
	size_t npreqs;
	char (*devs)[2 * DL_NAME_MAX];	/* --dev BUS/NAME filters; none: all */
	size_t ndevs;
};

/* Parse "TRAP=ACTION[,TRAP=ACTION...]" (group: "GROUP=ACTION...") and
 * "ID=RATE[/BURST]" into the request lists; usage errors go to e.
 */
int trapctl_parse_actions(struct trapctl *tc, const char *arg, bool group, struct errmsg *e);
int trapctl_parse_policer(struct trapctl *tc, const char *arg, struct errmsg *e);
int trapctl_add_dev(struct trapctl *tc, const char *arg, struct errmsg *e);

bool trapctl_wants_changes(const struct trapctl *tc);
bool trapctl_dev_selected(const struct trapctl *tc, const char *bus, const char *dev);

/* Check every request against the devices first, then apply them in
 * order, verifying each by reading it back. Unknown names, devices and
 * non-drop traps are refused before anything changes. If a change fails,
 * the ones already made are undone. Returns 0 or -1.
 */
int trapctl_apply(struct trapctl *tc, struct errmsg *e);

/* Put back everything in the journal, newest first, and clear it. Devices
 * that have gone are skipped. Returns 0, or -1 if something could not be
 * restored (e then says what).
 */
int trapctl_restore(struct devlink *dl, struct journal *j, struct errmsg *e);

/* A trap announced while running (a new device, or a driver reload that
 * reset it): apply matching requests. Returns 1 if it was changed (to
 * *action), 0 if not, -1 on failure.
 */
int trapctl_on_new_trap(struct trapctl *tc, const struct dl_trap *t, uint8_t *action,
			struct errmsg *e);

/* A device went away: forget its journal entries. Returns how many. */
size_t trapctl_on_device_gone(struct trapctl *tc, const char *bus, const char *dev);

void trapctl_fini(struct trapctl *tc);

#endif
