/* devlink: trap dumps, sets and notifications (generic netlink family
 * "devlink"), requests through libnl-genl-3; the messages are parsed by
 * devlink_parse.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/devlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "devlink.h"
#include "names.h"
#include "errmsg.h"
#include "nlparse.h"
#include "nlreq.h"

int devlink_init(struct devlink *dl, struct errmsg *e)
{
	memset(dl, 0, sizeof(*dl));
	dl->req = nlreq_socket();
	if (!dl->req) {
		errmsg_set(e, errno, "cannot open a generic netlink socket: %s", strerror(errno));
		return -1;
	}
	dl->family = genl_ctrl_resolve(dl->req, DEVLINK_GENL_NAME);
	if (dl->family < 0) {
		errmsg_set(e, ENOENT, "this kernel has no devlink (CONFIG_NET_DEVLINK): "
			   "use a kernel built with devlink and a driver with traps");
		goto err_free;
	}
	dl->config_group = genl_ctrl_resolve_grp(dl->req, DEVLINK_GENL_NAME,
						 DEVLINK_GENL_MCGRP_CONFIG_NAME);
	return 0;

err_free:
	nlreq_close(&dl->req, &dl->ev);
	return -1;
}

void devlink_fini(struct devlink *dl)
{
	nlreq_close(&dl->req, &dl->ev);
}

/* Growable arrays of parsed objects share one collector. */
struct collect {
	void **v;
	size_t *n, *cap;
	size_t size;
	int (*parse)(const struct nlmsghdr *, void *);
	bool nomem;	/* a reply was lost to a failed allocation */
};

static int collect_one(struct nl_msg *msg, void *arg)
{
	struct collect *c = arg;

	if (*c->n == *c->cap) {
		size_t cap = *c->cap ? *c->cap * 2 : 32;
		void *v = realloc(*c->v, cap * c->size);

		if (!v) {
			/* Read the dump to its end, then fail it whole. */
			c->nomem = true;
			return NL_SKIP;
		}
		*c->v = v;
		*c->cap = cap;
	}
	if (c->parse(nlmsg_hdr(msg), (char *)*c->v + *c->n * c->size) == 0)
		(*c->n)++;
	return NL_OK;
}

static int dump(struct devlink *dl, uint8_t cmd, struct collect *c, const char *what,
		struct errmsg *e)
{
	struct nlreq_result r = { .error = ENOMEM };	/* until a request runs */
	struct nl_msg *msg;

	msg = nlreq_new(dl->family, cmd, NLM_F_DUMP, DEVLINK_GENL_VERSION);
	if (msg && nlreq_run(dl->req, msg, collect_one, c, &r) == 0 && c->nomem)
		r.error = ENOMEM;
	if (!msg || r.error) {
		/* An older kernel has no such command: say what it lacks. */
		if (r.error == EOPNOTSUPP)
			errmsg_set(e, r.error, "this kernel has no %s", what);
		else
			errmsg_set(e, r.error, "cannot dump %s: %s", what, strerror(r.error));
		free(*c->v);
		*c->v = NULL;
		*c->n = *c->cap = 0;
		return -1;
	}
	return 0;
}

static int parse_trap_cb(const struct nlmsghdr *nlh, void *obj)
{
	return devlink_parse_trap(nlh, obj);
}

static int parse_group_cb(const struct nlmsghdr *nlh, void *obj)
{
	return devlink_parse_group(nlh, obj);
}

static int parse_policer_cb(const struct nlmsghdr *nlh, void *obj)
{
	return devlink_parse_policer(nlh, obj);
}

int devlink_trap_dump(struct devlink *dl, struct dl_traps *out, struct errmsg *e)
{
	struct collect c = { (void **)&out->v, &out->n, &out->cap, sizeof(*out->v), parse_trap_cb, false };

	memset(out, 0, sizeof(*out));
	return dump(dl, DEVLINK_CMD_TRAP_GET, &c, "devlink traps", e);
}

int devlink_group_dump(struct devlink *dl, struct dl_groups *out, struct errmsg *e)
{
	struct collect c = { (void **)&out->v, &out->n, &out->cap, sizeof(*out->v), parse_group_cb, false };

	memset(out, 0, sizeof(*out));
	return dump(dl, DEVLINK_CMD_TRAP_GROUP_GET, &c, "trap groups", e);
}

int devlink_policer_dump(struct devlink *dl, struct dl_policers *out, struct errmsg *e)
{
	struct collect c = { (void **)&out->v, &out->n, &out->cap, sizeof(*out->v),
			     parse_policer_cb, false };

	memset(out, 0, sizeof(*out));
	return dump(dl, DEVLINK_CMD_TRAP_POLICER_GET, &c, "trap policers", e);
}

static int parse_port_cb(const struct nlmsghdr *nlh, void *obj)
{
	return devlink_parse_port(nlh, obj);
}

int devlink_port_map(struct devlink *dl, struct dl_ports *ports, struct errmsg *e)
{
	struct collect c = { (void **)&ports->v, &ports->n, &ports->cap, sizeof(*ports->v),
			     parse_port_cb, false };

	ports->n = 0;
	return dump(dl, DEVLINK_CMD_PORT_GET, &c, "devlink ports", e);
}

static struct nl_msg *handle_msg(struct devlink *dl, uint8_t cmd, int flags, const char *bus,
				 const char *dev)
{
	struct nl_msg *msg = nlreq_new(dl->family, cmd, flags, DEVLINK_GENL_VERSION);

	if (msg && (nla_put_string(msg, DEVLINK_ATTR_BUS_NAME, bus) < 0 ||
		    nla_put_string(msg, DEVLINK_ATTR_DEV_NAME, dev) < 0)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int trap_one(struct nl_msg *msg, void *arg)
{
	return devlink_parse_trap(nlmsg_hdr(msg), arg) == 0 ? NL_OK : NL_SKIP;
}

int devlink_trap_get(struct devlink *dl, const char *bus, const char *dev, const char *name,
		     struct dl_trap *out, struct errmsg *e)
{
	struct nl_msg *msg = handle_msg(dl, DEVLINK_CMD_TRAP_GET, NLM_F_ACK, bus, dev);
	struct nlreq_result r = { .error = ENOMEM };

	memset(out, 0, sizeof(*out));
	if (!msg || nla_put_string(msg, DEVLINK_ATTR_TRAP_NAME, name) < 0 ||
	    nlreq_run(dl->req, msg, trap_one, out, &r) < 0 || !out->name[0]) {
		char says[300];

		errmsg_set(e, r.error ? r.error : ENOENT, "cannot read trap %s of %s/%s: %s%s", name,
			   bus, dev, strerror(r.error ? r.error : ENOENT),
			   nlreq_kernel_says(&r, says, sizeof(says)));
		return -1;
	}
	return 0;
}

/* mirror: the request asked for the mirror action. */
static void set_error(struct errmsg *e, const char *what, const char *bus, const char *dev,
		      bool mirror, const struct nlreq_result *r)
{
	char buf[300];
	const char *says = nlreq_kernel_says(r, buf, sizeof(buf));

	/* Kernels before 5.8 know only drop and trap, and say "Invalid trap action". */
	if (r->error == EINVAL && mirror)
		errmsg_set(e, r->error, "setting %s on %s/%s failed: this kernel has no mirror "
			   "action%s: use trap", what, bus, dev, says);
	else if (r->error == EPERM || r->error == EACCES)
		errmsg_set(e, r->error, "setting %s on %s/%s needs CAP_NET_ADMIN: run trapmon as root",
			   what, bus, dev);
	else
		errmsg_set(e, r->error, "setting %s on %s/%s failed: %s%s", what, bus, dev,
			   strerror(r->error), says);
}

int devlink_trap_set(struct devlink *dl, const char *bus, const char *dev, const char *name,
		     uint8_t action, char *warn, size_t warnlen, struct errmsg *e)
{
	struct nl_msg *msg = handle_msg(dl, DEVLINK_CMD_TRAP_SET, NLM_F_ACK, bus, dev);
	struct nlreq_result r = { .error = ENOMEM };
	char what[128];

	snprintf(what, sizeof(what), "trap %s action %s", name, devlink_action_str(action));
	if (!msg || nla_put_string(msg, DEVLINK_ATTR_TRAP_NAME, name) < 0 ||
	    nla_put_u8(msg, DEVLINK_ATTR_TRAP_ACTION, action) < 0 ||
	    nlreq_run(dl->req, msg, NULL, NULL, &r) < 0) {
		set_error(e, what, bus, dev, action == DEVLINK_TRAP_ACTION_MIRROR, &r);
		return -1;
	}
	if (warn && warnlen)
		snprintf(warn, warnlen, "%s", r.warning);
	return 0;
}

int devlink_group_set(struct devlink *dl, const char *bus, const char *dev, const char *name,
		      uint8_t action, uint32_t policer_id, struct errmsg *e)
{
	struct nl_msg *msg = handle_msg(dl, DEVLINK_CMD_TRAP_GROUP_SET, NLM_F_ACK, bus, dev);
	struct nlreq_result r = { .error = ENOMEM };
	char what[128];

	snprintf(what, sizeof(what), "group %s action %s", name, devlink_action_str(action));
	if (!msg || nla_put_string(msg, DEVLINK_ATTR_TRAP_GROUP_NAME, name) < 0 ||
	    nla_put_u8(msg, DEVLINK_ATTR_TRAP_ACTION, action) < 0 ||
	    (policer_id && nla_put_u32(msg, DEVLINK_ATTR_TRAP_POLICER_ID, policer_id) < 0) ||
	    nlreq_run(dl->req, msg, NULL, NULL, &r) < 0) {
		set_error(e, what, bus, dev, action == DEVLINK_TRAP_ACTION_MIRROR, &r);
		return -1;
	}
	return 0;
}

int devlink_policer_set(struct devlink *dl, const char *bus, const char *dev, uint32_t id,
			uint64_t rate, uint64_t burst, struct errmsg *e)
{
	struct nl_msg *msg = handle_msg(dl, DEVLINK_CMD_TRAP_POLICER_SET, NLM_F_ACK, bus, dev);
	struct nlreq_result r = { .error = ENOMEM };
	char what[128];

	snprintf(what, sizeof(what), "policer %u rate %llu burst %llu", id,
		 (unsigned long long)rate, (unsigned long long)burst);
	if (!msg || nla_put_u32(msg, DEVLINK_ATTR_TRAP_POLICER_ID, id) < 0 ||
	    nla_put_u64(msg, DEVLINK_ATTR_TRAP_POLICER_RATE, rate) < 0 ||
	    nla_put_u64(msg, DEVLINK_ATTR_TRAP_POLICER_BURST, burst) < 0 ||
	    nlreq_run(dl->req, msg, NULL, NULL, &r) < 0) {
		set_error(e, what, bus, dev, false, &r);
		return -1;
	}
	return 0;
}

int devlink_subscribe(struct devlink *dl, struct errmsg *e)
{
	int grp = dl->config_group;

	if (grp < 0)
		return 0;	/* nothing to hear about; traps still come from dumps */
	dl->ev = mnl_socket_open(NETLINK_GENERIC);
	if (!dl->ev || mnl_socket_bind(dl->ev, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(dl->ev, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		errmsg_set(e, errno, "cannot join devlink's config group: %s", strerror(errno));
		if (dl->ev)
			mnl_socket_close(dl->ev);
		dl->ev = NULL;
		return -1;
	}
	fcntl(mnl_socket_get_fd(dl->ev), F_SETFL, O_NONBLOCK);
	return 0;
}

int devlink_event_fd(const struct devlink *dl)
{
	return dl->ev ? mnl_socket_get_fd(dl->ev) : -1;
}
