/* netdm: the kernel's drop monitor, generic netlink family NET_DM: family
 * and events group by name, CONFIG/START/STOP/CONFIG_GET/STATS_GET through
 * libnl-genl-3 (nlreq.c). The alert, summary and stats parsers, which need
 * no socket, are netdm_parse.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "errmsg.h"
#include "netdm.h"
#include "nlparse.h"
#include "nlreq.h"

#define NET_DM_GENL_VERSION 2

/* Requests ---------------------------------------------------------------- */

static bool in_initial_netns(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/net", &self) < 0 || stat("/proc/1/ns/net", &init) < 0)
		return true;	/* cannot tell: do not blame the namespace */
	return self.st_ino == init.st_ino && self.st_dev == init.st_dev;
}

int netdm_init(struct netdm *dm, struct errmsg *e)
{
	memset(dm, 0, sizeof(*dm));
	dm->req = nlreq_socket();
	if (!dm->req) {
		errmsg_set(e, errno, "cannot open a generic netlink socket: %s", strerror(errno));
		return -1;
	}
	dm->family = genl_ctrl_resolve(dm->req, "NET_DM");
	if (dm->family < 0) {
		if (!in_initial_netns())
			errmsg_set(e, ENOENT, "NET_DM exists only in the initial network namespace: "
				   "run trapmon there, e.g. 'nsenter -t 1 -n trapmon'");
		else
			errmsg_set(e, ENOENT, "the kernel's drop monitor (NET_DM) is not loaded: "
				   "load drop_monitor: modprobe drop_monitor");
		goto err_free;
	}
	dm->events_group = genl_ctrl_resolve_grp(dm->req, "NET_DM", "events");
	if (dm->events_group < 0) {
		errmsg_set(e, ENOENT, "NET_DM has no 'events' multicast group: "
			   "this kernel's drop_monitor is too old, upgrade to Linux >= 5.4");
		goto err_free;
	}
	return 0;

err_free:
	nlreq_close(&dm->req, &dm->ev);
	return -1;
}

void netdm_fini(struct netdm *dm)
{
	nlreq_close(&dm->req, &dm->ev);
}

int netdm_reattach(struct netdm *dm, int rcvbuf, struct errmsg *e)
{
	bool passive = dm->passive;

	if (netdm_init(dm, e) < 0)
		return -1;
	dm->passive = passive;
	if (netdm_subscribe(dm, rcvbuf, e) < 0) {
		netdm_fini(dm);
		return -1;
	}
	return 0;
}

int netdm_event_fd(const struct netdm *dm)
{
	return dm->ev ? mnl_socket_get_fd(dm->ev) : -1;
}

int netdm_subscribe(struct netdm *dm, int rcvbuf, struct errmsg *e)
{
	int grp = dm->events_group;
	int fd;

	dm->ev = mnl_socket_open(NETLINK_GENERIC);
	if (!dm->ev) {
		errmsg_set(e, errno, "cannot open a netlink event socket: %s", strerror(errno));
		return -1;
	}
	if (mnl_socket_bind(dm->ev, 0, MNL_SOCKET_AUTOPID) < 0) {
		errmsg_set(e, errno, "cannot bind the netlink event socket: %s", strerror(errno));
		goto err_close;
	}
	fd = mnl_socket_get_fd(dm->ev);
	if (rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_setsockopt(dm->ev, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		if (errno == EPERM || errno == EACCES)
			errmsg_set(e, errno, "joining NET_DM's events group needs CAP_SYS_ADMIN: "
				   "run trapmon as root");
		else
			errmsg_set(e, errno, "cannot join NET_DM's events group: %s", strerror(errno));
		goto err_close;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return 0;

err_close:
	mnl_socket_close(dm->ev);
	dm->ev = NULL;
	return -1;
}

static int config_parse(struct nl_msg *msg, void *arg)
{
	struct netdm_config *cfg = arg;
	struct nlattr *tb[NET_DM_ATTR_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NET_DM_ATTR_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[NET_DM_ATTR_ALERT_MODE])
		cfg->alert_mode = nla_get_u8(tb[NET_DM_ATTR_ALERT_MODE]);
	if (tb[NET_DM_ATTR_TRUNC_LEN])
		cfg->trunc_len = nla_get_u32(tb[NET_DM_ATTR_TRUNC_LEN]);
	if (tb[NET_DM_ATTR_QUEUE_LEN])
		cfg->queue_len = nla_get_u32(tb[NET_DM_ATTR_QUEUE_LEN]);
	return NL_OK;
}

static void request_error(struct errmsg *e, const char *what, const struct nlreq_result *r)
{
	char says[300];

	if (r->error == EPERM || r->error == EACCES)
		errmsg_set(e, r->error, "%s needs CAP_NET_ADMIN: run trapmon as root, "
			   "or add --passive to only listen", what);
	else
		errmsg_set(e, r->error, "%s failed: %s%s", what, strerror(r->error),
			   nlreq_kernel_says(r, says, sizeof(says)));
}

/* A GET request whose reply parse() reads into arg. */
static int get(struct netdm *dm, uint8_t cmd, int (*parse)(struct nl_msg *, void *), void *arg,
	       const char *what, struct errmsg *e)
{
	struct nlreq_result r = { .error = ENOMEM };	/* until a request runs */
	struct nl_msg *msg;

	msg = nlreq_new(dm->family, cmd, NLM_F_ACK, NET_DM_GENL_VERSION);
	if (!msg || nlreq_run(dm->req, msg, parse, arg, &r) < 0) {
		request_error(e, what, &r);
		return -1;
	}
	return 0;
}

int netdm_config_get(struct netdm *dm, struct netdm_config *cfg, struct errmsg *e)
{
	memset(cfg, 0, sizeof(*cfg));
	return get(dm, NET_DM_CMD_CONFIG_GET, config_parse, cfg, "reading NET_DM's config", e);
}

/* A request for cmd, or NULL with r saying ENOMEM. */
static struct nl_msg *new_msg(const struct netdm *dm, uint8_t cmd, struct nlreq_result *r)
{
	struct nl_msg *msg = nlreq_new(dm->family, cmd, NLM_F_ACK, NET_DM_GENL_VERSION);

	if (!msg)
		r->error = ENOMEM;
	return msg;
}

static int config_set(struct netdm *dm, const struct netdm_config *cfg,
		      struct nlreq_result *r)
{
	struct nl_msg *msg = new_msg(dm, NET_DM_CMD_CONFIG, r);

	if (!msg)
		return -ENOMEM;
	nla_put_u8(msg, NET_DM_ATTR_ALERT_MODE, cfg->alert_mode);
	nla_put_u32(msg, NET_DM_ATTR_TRUNC_LEN, cfg->trunc_len);
	if (cfg->queue_len)
		nla_put_u32(msg, NET_DM_ATTR_QUEUE_LEN, cfg->queue_len);
	return nlreq_run(dm->req, msg, NULL, NULL, r);
}

/* START or STOP for exactly the origins asked for. */
static int trace_cmd(struct netdm *dm, uint8_t cmd, bool hw, bool sw,
		     struct nlreq_result *r)
{
	struct nl_msg *msg = new_msg(dm, cmd, r);

	if (!msg)
		return -ENOMEM;
	if (hw)
		nla_put_flag(msg, NET_DM_ATTR_HW_DROPS);
	if (sw)
		nla_put_flag(msg, NET_DM_ATTR_SW_DROPS);
	return nlreq_run(dm->req, msg, NULL, NULL, r);
}

static void go_passive(struct netdm *dm, char *warn, size_t warnlen)
{
	dm->passive = true;
	if (warn)
		snprintf(warn, warnlen, "drop monitoring is already on (dwdump or another "
			 "trapmon?): listening passively and leaving it on at exit; "
			 "--force takes over a stale session");
}

/* START one origin (hardware or software): 0, 1 when another session has
 * monitoring on (passive from now on), or -1.
 */
static int start_origin(struct netdm *dm, bool hw, const char *what, char *warn,
			size_t warnlen, struct errmsg *e)
{
	struct nlreq_result r = { .error = ENOMEM };	/* until a request runs */

	if (trace_cmd(dm, NET_DM_CMD_START, hw, !hw, &r) == 0) {
		*(hw ? &dm->started_hw : &dm->started_sw) = true;
		return 0;
	}
	if (r.error == EAGAIN) {
		go_passive(dm, warn, warnlen);
		return 1;
	}
	request_error(e, what, &r);
	return -1;
}

int netdm_start(struct netdm *dm, const struct netdm_start_opts *o,
		char *warn, size_t warnlen, struct errmsg *e)
{
	struct netdm_config cfg;
	struct nlreq_result r = { .error = ENOMEM };	/* until a request runs */
	int rc;

	if (warn && warnlen)
		warn[0] = '\0';
	if (o->passive) {
		dm->passive = true;
		return 0;
	}
	if (o->force && netdm_stop_all(dm, e) < 0)
		return -1;
	if (netdm_config_get(dm, &dm->saved, e) < 0)
		return -1;
	cfg.alert_mode = o->alert_mode;
	cfg.trunc_len = o->trunc_len;
	cfg.queue_len = o->queue_len;
	if (config_set(dm, &cfg, &r) < 0) {
		if (r.error == EBUSY) {
			go_passive(dm, warn, warnlen);
			return 0;
		}
		request_error(e, "configuring NET_DM", &r);
		return -1;
	}
	dm->config_changed = true;
	rc = 0;
	if (o->hw)
		rc = start_origin(dm, true, "starting hardware drop monitoring", warn, warnlen, e);
	if (o->sw && rc == 0)
		rc = start_origin(dm, false, "starting software drop monitoring", warn, warnlen, e);
	return rc < 0 ? -1 : 0;
}

int netdm_stop(struct netdm *dm, struct errmsg *e)
{
	struct nlreq_result r = { .error = ENOMEM };	/* until a request runs */
	int ret = 0;

	if (!dm->req)
		return 0;
	if ((dm->started_hw || dm->started_sw) &&
	    trace_cmd(dm, NET_DM_CMD_STOP, dm->started_hw, dm->started_sw, &r) < 0) {
		request_error(e, "stopping NET_DM monitoring", &r);
		ret = -1;
	}
	dm->started_hw = dm->started_sw = false;
	/* The kernel refuses CONFIG while any monitoring is on. */
	if (dm->config_changed && ret == 0) {
		if (config_set(dm, &dm->saved, &r) < 0) {
			request_error(e, "restoring NET_DM's config", &r);
			ret = -1;
		}
		dm->config_changed = false;
	}
	return ret;
}

int netdm_stop_all(struct netdm *dm, struct errmsg *e)
{
	struct nlreq_result r = { .error = ENOMEM };	/* until a request runs */

	if (trace_cmd(dm, NET_DM_CMD_STOP, true, true, &r) < 0) {
		request_error(e, "stopping NET_DM monitoring", &r);
		return -1;
	}
	return 0;
}

static int stats_parse(struct nl_msg *msg, void *arg)
{
	if (netdm_parse_stats(nlmsg_hdr(msg), arg) < 0)
		return NL_SKIP;
	return NL_OK;
}

int netdm_stats_get(struct netdm *dm, struct netdm_stats *st, struct errmsg *e)
{
	memset(st, 0, sizeof(*st));
	return get(dm, NET_DM_CMD_STATS_GET, stats_parse, st, "reading NET_DM's statistics", e);
}
