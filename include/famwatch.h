/* famwatch: generic netlink families coming and going, from nlctrl's
 * "notify" group: how trapmon learns that drop_monitor was unloaded
 * (rmmod) or loaded again, rather than guessing from a silence.
 */
#ifndef TRAPMON_FAMWATCH_H
#define TRAPMON_FAMWATCH_H

#include <stdbool.h>
#include <stddef.h>

struct errmsg;
struct mnl_socket;
struct nlmsghdr;

struct famwatch {
	struct mnl_socket *sk;
	char family[16];		/* the family watched, e.g. "NET_DM" */
	bool down;			/* gone and not back yet */
	double down_since;		/* monotonic seconds it went */
	unsigned int gaps;		/* times it went away */
	double down_seconds;		/* over the gaps that ended */
	char buf[8192];
};

enum famwatch_event {
	FAMWATCH_NONE = 0,
	FAMWATCH_GONE = 1,		/* CTRL_CMD_DELFAMILY for the family */
	FAMWATCH_BACK = 2,		/* CTRL_CMD_NEWFAMILY for it */
};

/* Join nlctrl's "notify" group for family's events. Returns 0 or -1. */
int famwatch_open(struct famwatch *fw, const char *family, struct errmsg *e);
void famwatch_close(struct famwatch *fw);
int famwatch_fd(const struct famwatch *fw);

/* Read what is pending: the last of GONE or BACK seen for the family, or
 * NONE; the gaps are timed with now (monotonic seconds). An overrun
 * (ENOBUFS) reads as nothing.
 */
enum famwatch_event famwatch_read(struct famwatch *fw, double now);

/* Seconds the family was away, the gap still open included. */
double famwatch_down_seconds(const struct famwatch *fw, double now);

/* Pure: what one nlctrl message says about family (a unit test feeds it). */
enum famwatch_event famwatch_parse(const struct nlmsghdr *nlh, const char *family);

#endif
