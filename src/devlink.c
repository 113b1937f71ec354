/* devlink: trap dumps and notifications (generic netlink family "devlink").
 * Requests through libnl-genl-3, message parsing through libmnl.
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
#include "errmsg.h"
#include "nlparse.h"
#include "nlreq.h"

static int copy_str(char *dst, const struct nlattr *a)
{
	if (!nlparse_is_str(a))
		return -1;
	snprintf(dst, DL_NAME_MAX, "%s", mnl_attr_get_str(a));
	return 0;
}

static int parse_stats(const struct nlattr *nest, struct dl_trap *t)
{
	const struct nlattr *tb[DEVLINK_ATTR_STATS_MAX + 1] = { NULL };
	uint64_t *dst[] = {
		[DEVLINK_ATTR_STATS_RX_PACKETS] = &t->rx_packets,
		[DEVLINK_ATTR_STATS_RX_BYTES] = &t->rx_bytes,
		[DEVLINK_ATTR_STATS_RX_DROPPED] = &t->rx_dropped,
	};
	unsigned int i;

	if (nlparse_nested(nest, tb, DEVLINK_ATTR_STATS_MAX) < 0)
		return -1;
	for (i = 0; i <= DEVLINK_ATTR_STATS_RX_DROPPED; i++) {
		if (!tb[i])
			continue;
		if (mnl_attr_validate(tb[i], MNL_TYPE_U64) < 0)
			return -1;
		*dst[i] = mnl_attr_get_u64(tb[i]);
	}
	t->has_stats = true;
	return 0;
}

int devlink_parse_trap(const struct nlmsghdr *nlh, struct dl_trap *t)
{
	const struct nlattr *tb[DEVLINK_ATTR_MAX + 1] = { NULL };
	const struct nlattr *meta[DEVLINK_ATTR_TRAP_METADATA_TYPE_FA_COOKIE + 1] = { NULL };

	memset(t, 0, sizeof(*t));
	if (nlparse_genl(nlh, tb, DEVLINK_ATTR_MAX) < 0)
		goto err_inval;
	if (!tb[DEVLINK_ATTR_BUS_NAME] || !tb[DEVLINK_ATTR_DEV_NAME] || !tb[DEVLINK_ATTR_TRAP_NAME])
		goto err_inval;
	if (copy_str(t->bus, tb[DEVLINK_ATTR_BUS_NAME]) < 0 ||
	    copy_str(t->dev, tb[DEVLINK_ATTR_DEV_NAME]) < 0 ||
	    copy_str(t->name, tb[DEVLINK_ATTR_TRAP_NAME]) < 0)
		goto err_inval;
	if (tb[DEVLINK_ATTR_TRAP_GROUP_NAME] && copy_str(t->group, tb[DEVLINK_ATTR_TRAP_GROUP_NAME]) < 0)
		goto err_inval;
	if (tb[DEVLINK_ATTR_TRAP_TYPE]) {
		if (mnl_attr_validate(tb[DEVLINK_ATTR_TRAP_TYPE], MNL_TYPE_U8) < 0)
			goto err_inval;
		t->type = mnl_attr_get_u8(tb[DEVLINK_ATTR_TRAP_TYPE]);
	}
	if (tb[DEVLINK_ATTR_TRAP_ACTION]) {
		if (mnl_attr_validate(tb[DEVLINK_ATTR_TRAP_ACTION], MNL_TYPE_U8) < 0)
			goto err_inval;
		t->action = mnl_attr_get_u8(tb[DEVLINK_ATTR_TRAP_ACTION]);
	}
	t->generic = tb[DEVLINK_ATTR_TRAP_GENERIC] != NULL;
	if (tb[DEVLINK_ATTR_TRAP_METADATA]) {
		if (nlparse_nested(tb[DEVLINK_ATTR_TRAP_METADATA], meta,
				   DEVLINK_ATTR_TRAP_METADATA_TYPE_FA_COOKIE) < 0)
			goto err_inval;
		t->meta_in_port = meta[DEVLINK_ATTR_TRAP_METADATA_TYPE_IN_PORT] != NULL;
		t->meta_cookie = meta[DEVLINK_ATTR_TRAP_METADATA_TYPE_FA_COOKIE] != NULL;
	}
	if (tb[DEVLINK_ATTR_STATS] && parse_stats(tb[DEVLINK_ATTR_STATS], t) < 0)
		goto err_inval;
	return 0;

err_inval:
	errno = EINVAL;
	return -1;
}

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
	nl_socket_free(dl->req);
	dl->req = NULL;
	return -1;
}

void devlink_fini(struct devlink *dl)
{
	if (dl->ev)
		mnl_socket_close(dl->ev);
	if (dl->req)
		nl_socket_free(dl->req);
	dl->ev = NULL;
	dl->req = NULL;
}

static int trap_collect(struct nl_msg *msg, void *arg)
{
	struct dl_traps *traps = arg;
	struct dl_trap t;

	if (devlink_parse_trap(nlmsg_hdr(msg), &t) < 0)
		return NL_SKIP;
	if (traps->n == traps->cap) {
		size_t cap = traps->cap ? traps->cap * 2 : 32;
		struct dl_trap *v = realloc(traps->v, cap * sizeof(*v));

		if (!v)
			return NL_STOP;
		traps->v = v;
		traps->cap = cap;
	}
	traps->v[traps->n++] = t;
	return NL_OK;
}

int devlink_trap_dump(struct devlink *dl, struct dl_traps *out, struct errmsg *e)
{
	struct nlreq_result r;
	struct nl_msg *msg;

	memset(out, 0, sizeof(*out));
	msg = nlreq_new(dl->family, DEVLINK_CMD_TRAP_GET, NLM_F_DUMP, DEVLINK_GENL_VERSION);
	if (!msg || nlreq_run(dl->req, msg, trap_collect, out, &r) < 0) {
		errmsg_set(e, r.error, "cannot dump devlink traps: %s", strerror(r.error));
		dl_traps_free(out);
		return -1;
	}
	return 0;
}

void dl_traps_free(struct dl_traps *traps)
{
	free(traps->v);
	memset(traps, 0, sizeof(*traps));
}

const struct dl_trap *dl_traps_find(const struct dl_traps *traps, const char *name)
{
	size_t i;

	for (i = 0; i < traps->n; i++)
		if (strcmp(traps->v[i].name, name) == 0)
			return &traps->v[i];
	return NULL;
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

const char *devlink_type_str(uint8_t type)
{
	static const char *const names[] = { "drop", "exception", "control" };

	return type < 3 ? names[type] : "unknown";
}

const char *devlink_action_str(uint8_t action)
{
	static const char *const names[] = { "drop", "trap", "mirror" };

	return action < 3 ? names[action] : "unknown";
}
