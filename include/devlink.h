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

struct dl_group {
	char bus[DL_NAME_MAX];
	char dev[DL_NAME_MAX];
	char name[DL_NAME_MAX];
	bool generic;
	uint32_t policer_id;	/* 0: none */
	uint64_t rx_packets;
	uint64_t rx_bytes;
};

struct dl_groups {
	struct dl_group *v;
	size_t n;
	size_t cap;
};

struct dl_policer {
	char bus[DL_NAME_MAX];
	char dev[DL_NAME_MAX];
	uint32_t id;
	uint64_t rate;		/* packets per second */
	uint64_t burst;
	uint64_t drops;		/* packets the policer dropped */
};

struct dl_policers {
	struct dl_policer *v;
	size_t n;
	size_t cap;
};

/* Parse one TRAP_GET reply or TRAP_NEW/TRAP_DEL notification. Pure.
 * Returns 0, or -1 (errno EINVAL) when malformed or lacking names.
 */
int devlink_parse_trap(const struct nlmsghdr *nlh, struct dl_trap *t);

/* The device handle of any devlink message (e.g. DEVLINK_CMD_DEL). */
int devlink_parse_handle(const struct nlmsghdr *nlh, char *bus, char *dev);

int devlink_parse_group(const struct nlmsghdr *nlh, struct dl_group *g);

/* Which devlink device owns a netdev: from a port dump. */
struct dl_port {
	uint32_t ifindex;
	char device[2 * DL_NAME_MAX + 2];	/* "bus/dev" */
};

struct dl_ports {
	struct dl_port *v;
	size_t n;
	size_t cap;
};

int devlink_parse_port(const struct nlmsghdr *nlh, struct dl_port *p);
int devlink_parse_policer(const struct nlmsghdr *nlh, struct dl_policer *p);

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

int devlink_group_dump(struct devlink *dl, struct dl_groups *out, struct errmsg *e);
/* A kernel without the command (trap policers before Linux 5.7) fails the
 * dump with errnum EOPNOTSUPP and "this kernel has no trap policers".
 */
int devlink_policer_dump(struct devlink *dl, struct dl_policers *out, struct errmsg *e);
void dl_groups_free(struct dl_groups *groups);

/* Refill ports with every devlink port that has a netdev. */
int devlink_port_map(struct devlink *dl, struct dl_ports *ports, struct errmsg *e);
void dl_ports_free(struct dl_ports *ports);
void dl_policers_free(struct dl_policers *policers);

/* Read one trap back (a non-dump TRAP_GET). */
int devlink_trap_get(struct devlink *dl, const char *bus, const char *dev, const char *name,
		     struct dl_trap *out, struct errmsg *e);

/* Sets. On failure e holds the kernel's errno and extack text. A success
 * may still carry an extack warning (e.g. for non-drop traps): warn, if not
 * NULL, receives it.
 */
int devlink_trap_set(struct devlink *dl, const char *bus, const char *dev, const char *name,
		     uint8_t action, char *warn, size_t warnlen, struct errmsg *e);
/* policer_id, when not 0, is sent along (re-binding the group's current
 * policer), so drivers check the whole group set at once.
 */
int devlink_group_set(struct devlink *dl, const char *bus, const char *dev, const char *name,
		      uint8_t action, uint32_t policer_id, struct errmsg *e);
int devlink_policer_set(struct devlink *dl, const char *bus, const char *dev, uint32_t id,
			uint64_t rate, uint64_t burst, struct errmsg *e);

/* The first trap named name, or NULL. */
const struct dl_trap *dl_traps_find(const struct dl_traps *traps, const char *name);

/* Join the "config" group; notifications are read from devlink_event_fd(). */
int devlink_subscribe(struct devlink *dl, struct errmsg *e);
int devlink_event_fd(const struct devlink *dl);

const char *devlink_type_str(uint8_t type);
const char *devlink_action_str(uint8_t action);
/* "drop", "trap" or "mirror" to DEVLINK_TRAP_ACTION_*, or -1. */
int devlink_action_parse(const char *s);

#endif
