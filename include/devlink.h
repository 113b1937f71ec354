/* devlink: trap listing and control over generic netlink family "devlink".
 * Dumps and sets go through libnl-genl-3; trap messages, whether dump replies
 * or notifications from the "config" group, are parsed with libmnl.
 */
#ifndef TRAPMON_DEVLINK_H
#define TRAPMON_DEVLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;
struct nl_sock;
struct mnl_socket;
struct errmsg;

#define DL_NAME_MAX 64

struct dl_trap {
	char bus[DL_NAME_MAX];
	char dev[DL_NAME_MAX];
	char name[DL_NAME_MAX];
	char group[DL_NAME_MAX];
	uint8_t type;		/* DEVLINK_TRAP_TYPE_* */
	uint8_t action;		/* DEVLINK_TRAP_ACTION_* */
	bool generic;
	bool meta_in_port;
	bool meta_cookie;
	bool has_stats;
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t rx_dropped;
};

struct dl_traps {
	struct dl_trap *v;
	size_t n;
	size_t cap;
};

/* Parse one TRAP_GET reply or TRAP_NEW/TRAP_DEL notification. Pure.
 * Returns 0, or -1 (errno EINVAL) when malformed or lacking names.
 */
int devlink_parse_trap(const struct nlmsghdr *nlh, struct dl_trap *t);

struct devlink {
	struct nl_sock *req;
	struct mnl_socket *ev;
	int family;
	int config_group;
};

int devlink_init(struct devlink *dl, struct errmsg *e);
void devlink_fini(struct devlink *dl);

/* Dump every trap of every device, with statistics. */
int devlink_trap_dump(struct devlink *dl, struct dl_traps *out, struct errmsg *e);
void dl_traps_free(struct dl_traps *traps);

/* The first trap named name, or NULL. */
const struct dl_trap *dl_traps_find(const struct dl_traps *traps, const char *name);

/* Join the "config" group; notifications are read from devlink_event_fd(). */
int devlink_subscribe(struct devlink *dl, struct errmsg *e);
int devlink_event_fd(const struct devlink *dl);

const char *devlink_type_str(uint8_t type);
const char *devlink_action_str(uint8_t action);

#endif
