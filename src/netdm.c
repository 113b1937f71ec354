/* netdm: the kernel's drop monitor, generic netlink family NET_DM.
 * Requests go through libnl-genl-3 (nlreq.c); alerts are parsed here with
 * libmnl straight out of the receive buffer, with no allocation.
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

/* Alerts are parsed in one pass, without library calls: the checks are
 * exactly nlparse_attrs()'s framing and libmnl's mnl_attr_validate() for
 * the types below (u16/u32/u64: exact length; NUL_STRING: at least the NUL;
 * NESTED: empty or at least one header), applied, as with a tb[] array, to
 * the last attribute of each type.
 */
#define ALERT_HDRLEN (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)))

static inline uint16_t attr_plen(const struct nlattr *at)
{
	return (uint16_t)(at->nla_len - MNL_ATTR_HDRLEN);
}

static inline const uint8_t *attr_data(const struct nlattr *at)
{
	return (const uint8_t *)at + MNL_ATTR_HDRLEN;
}

/* Absent, or exactly n bytes. */
static inline bool bad_fixed(const struct nlattr *at, uint16_t n)
{
	return at && attr_plen(at) != n;
}

/* Absent, or a NUL-terminated string. */
static inline bool bad_str(const struct nlattr *at)
{
	return at && (attr_plen(at) == 0 || attr_data(at)[attr_plen(at) - 1] != '\0');
}

/* Walk the attributes after the genl header as nlparse_attrs() does,
 * keeping the last one of each type in tb[alert_slot[type]] (slot 0 takes
 * what is ignored). Returns 0, or -1 for a bad length or 1..3 trailing
 * bytes.
 */
static inline int walk_attrs(const uint8_t *p, size_t left, const uint8_t *slot,
			     const struct nlattr **tb)
{
	while (left >= MNL_ATTR_HDRLEN) {
		const struct nlattr *at = (const void *)p;
		size_t len = at->nla_len, step;

		/* len in [4, left], in one unsigned compare */
		if (len - MNL_ATTR_HDRLEN > left - MNL_ATTR_HDRLEN)
			return -1;
		tb[slot[at->nla_type & 0x3fff]] = at;	/* NLA_TYPE_MASK */
		/* The last attribute may go without its padding. */
		step = MNL_ALIGN(len);
		if (step >= left)
			return 0;
		left -= step;
		p += step;
	}
	return left ? -1 : 0;
}

/* The in-port nest: ifindex (type 0) and name; other types ignored. */
static inline int parse_in_port(const struct nlattr *nest, struct drop_alert *a)
{
	const struct nlattr *ifindex = NULL, *name = NULL;
	const uint8_t *p = attr_data(nest), *end = p + attr_plen(nest);

	while (end - p >= (ptrdiff_t)MNL_ATTR_HDRLEN) {
		const struct nlattr *at = (const void *)p;
		unsigned int type = at->nla_type & NLA_TYPE_MASK;

		if ((size_t)at->nla_len - MNL_ATTR_HDRLEN > (size_t)(end - p) - MNL_ATTR_HDRLEN)
			return -1;
		if (type == NET_DM_ATTR_PORT_NETDEV_IFINDEX)
			ifindex = at;
		else if (type == NET_DM_ATTR_PORT_NETDEV_NAME)
			name = at;
		p += MNL_ALIGN(at->nla_len);
	}
	if (p < end || bad_fixed(ifindex, 4) || bad_str(name))
		return -1;
	if (ifindex)
		memcpy(&a->in_ifindex, attr_data(ifindex), 4);
	a->in_port_name = name ? (const char *)attr_data(name) : NULL;
	return 0;
}

enum {
	A_IGNORED, A_PC, A_SYMBOL, A_IN_PORT, A_TIMESTAMP, A_PROTO, A_PAYLOAD, A_ORIG_LEN,
	A_ORIGIN, A_GROUP, A_NAME, A_COOKIE, A_REASON, A_SLOTS
};

_Static_assert((NLA_TYPE_MASK & 0xffff) == 0x3fff, "attribute types are 14 bits");

/* Indexed by any type (14 bits, 16 KiB of zeros but for the first line):
 * no bounds test per attribute.
 */
static const uint8_t alert_slot[0x4000] = {
	[NET_DM_ATTR_PC] = A_PC,
	[NET_DM_ATTR_SYMBOL] = A_SYMBOL,
	[NET_DM_ATTR_IN_PORT] = A_IN_PORT,
	[NET_DM_ATTR_TIMESTAMP] = A_TIMESTAMP,
	[NET_DM_ATTR_PROTO] = A_PROTO,
	[NET_DM_ATTR_PAYLOAD] = A_PAYLOAD,
	[NET_DM_ATTR_ORIG_LEN] = A_ORIG_LEN,
	[NET_DM_ATTR_ORIGIN] = A_ORIGIN,
	[NET_DM_ATTR_HW_TRAP_GROUP_NAME] = A_GROUP,
	[NET_DM_ATTR_HW_TRAP_NAME] = A_NAME,
	[NET_DM_ATTR_FLOW_ACTION_COOKIE] = A_COOKIE,
	[NET_DM_ATTR_REASON] = A_REASON,
};

static inline const char *str_or_null(const struct nlattr *at)
{
	return at ? (const char *)attr_data(at) : NULL;
}

int netdm_parse_alert(const struct nlmsghdr *nlh, struct drop_alert *a)
{
	const struct nlattr *tb[A_SLOTS] = { NULL };
	const uint8_t *p = (const uint8_t *)nlh;

	if (nlh->nlmsg_len < ALERT_HDRLEN ||
	    walk_attrs(p + ALERT_HDRLEN, nlh->nlmsg_len - ALERT_HDRLEN, alert_slot, tb) < 0)
		goto err_inval;
	if (bad_fixed(tb[A_PC], 8) || bad_str(tb[A_SYMBOL]) || bad_fixed(tb[A_TIMESTAMP], 8) ||
	    bad_fixed(tb[A_PROTO], 2) || bad_fixed(tb[A_ORIG_LEN], 4) ||
	    bad_fixed(tb[A_ORIGIN], 2) || bad_str(tb[A_GROUP]) || bad_str(tb[A_NAME]) ||
	    bad_str(tb[A_REASON]) ||
	    (tb[A_IN_PORT] && attr_plen(tb[A_IN_PORT]) &&
	     attr_plen(tb[A_IN_PORT]) < MNL_ATTR_HDRLEN))
		goto err_inval;
	/* Every field is written: absent attributes leave zeros and NULLs. */
	a->origin = NET_DM_ORIGIN_SW;
	if (tb[A_ORIGIN])
		memcpy(&a->origin, attr_data(tb[A_ORIGIN]), 2);
	a->proto = 0;
	if (tb[A_PROTO])
		memcpy(&a->proto, attr_data(tb[A_PROTO]), 2);
	a->orig_len = 0;
	if (tb[A_ORIG_LEN])
		memcpy(&a->orig_len, attr_data(tb[A_ORIG_LEN]), 4);
	a->timestamp_ns = 0;
	if (tb[A_TIMESTAMP])
		memcpy(&a->timestamp_ns, attr_data(tb[A_TIMESTAMP]), 8);
	a->pc = 0;
	if (tb[A_PC])
		memcpy(&a->pc, attr_data(tb[A_PC]), 8);
	a->trap_name = str_or_null(tb[A_NAME]);
	a->trap_group = str_or_null(tb[A_GROUP]);
	a->symbol = str_or_null(tb[A_SYMBOL]);
	a->reason = str_or_null(tb[A_REASON]);
	a->payload = NULL;
	a->payload_len = 0;
	if (tb[A_PAYLOAD]) {
		a->payload = attr_data(tb[A_PAYLOAD]);
		a->payload_len = attr_plen(tb[A_PAYLOAD]);
		if (!tb[A_ORIG_LEN])
			a->orig_len = a->payload_len;
		else if (a->payload_len > a->orig_len)
			goto err_inval;
	}
	a->cookie = NULL;
	a->cookie_len = 0;
	if (tb[A_COOKIE]) {
		a->cookie = attr_data(tb[A_COOKIE]);
		a->cookie_len = attr_plen(tb[A_COOKIE]);
	}
	a->in_ifindex = 0;
	a->in_port_name = NULL;
	if (tb[A_IN_PORT] && parse_in_port(tb[A_IN_PORT], a) < 0)
		goto err_inval;
	return 0;

err_inval:
	memset(a, 0, sizeof(*a));	/* nothing half-filled */
	errno = EINVAL;
	return -1;
}

static int summary_hw(const struct nlattr *entries, struct drop_summary_entry *out, int n)
{
	const struct nlattr *e = mnl_attr_get_payload(entries);
	size_t left = mnl_attr_get_payload_len(entries);

	while (left > 0) {
		const struct nlattr *tb[NET_DM_ATTR_MAX + 1] = { NULL };
		size_t step;

		if (left < sizeof(*e) || !mnl_attr_ok(e, (int)left))
			return -1;
		step = (size_t)MNL_ALIGN(e->nla_len) < left ? (size_t)MNL_ALIGN(e->nla_len) : left;
		if (mnl_attr_get_type(e) == NET_DM_ATTR_HW_ENTRY) {
			if (nlparse_nested(e, tb, NET_DM_ATTR_MAX) < 0 || !tb[NET_DM_ATTR_HW_TRAP_NAME] ||
			    !tb[NET_DM_ATTR_HW_TRAP_COUNT] || !nlparse_is_str(tb[NET_DM_ATTR_HW_TRAP_NAME]) ||
			    mnl_attr_validate(tb[NET_DM_ATTR_HW_TRAP_COUNT], MNL_TYPE_U32) < 0)
				return -1;
			if (n == NETDM_SUMMARY_MAX)
				return -1;
			out[n].origin = NET_DM_ORIGIN_HW;
			out[n].trap_name = mnl_attr_get_str(tb[NET_DM_ATTR_HW_TRAP_NAME]);
			out[n].pc = 0;
			out[n].count = mnl_attr_get_u32(tb[NET_DM_ATTR_HW_TRAP_COUNT]);
			n++;
		}
		left -= step;
		e = (const void *)((const char *)e + step);
	}
	return n;
}

int netdm_parse_summary(const struct nlmsghdr *nlh, struct drop_summary_entry *out)
{
	struct drop_summary_entry tmp[NETDM_SUMMARY_MAX];
	const struct nlattr *tb[NET_DM_ATTR_MAX + 1] = { NULL };
	int n = 0;

	if (nlparse_genl(nlh, tb, NET_DM_ATTR_MAX) < 0)
		goto err_inval;
	if (tb[NET_DM_ATTR_UNSPEC]) {
		/* struct net_dm_alert_msg: u32 entries, then {u8 pc[8]; u32 count} each. */
		const uint8_t *p = mnl_attr_get_payload(tb[NET_DM_ATTR_UNSPEC]);
		size_t len = mnl_attr_get_payload_len(tb[NET_DM_ATTR_UNSPEC]);
		const size_t point = sizeof(struct net_dm_drop_point);
		uint32_t entries, i;

		if (len < sizeof(uint32_t))
			goto err_inval;
		memcpy(&entries, p, sizeof(entries));
		if (entries > NETDM_SUMMARY_MAX || sizeof(uint32_t) + (size_t)entries * point > len)
			goto err_inval;
		for (i = 0; i < entries; i++) {
			const uint8_t *dp = p + sizeof(uint32_t) + i * point;

			tmp[n].origin = NET_DM_ORIGIN_SW;
			tmp[n].trap_name = NULL;
			memcpy(&tmp[n].pc, dp, sizeof(tmp[n].pc));
			memcpy(&tmp[n].count, dp + 8, sizeof(tmp[n].count));
			n++;
		}
	}
	if (tb[NET_DM_ATTR_HW_ENTRIES]) {
		n = summary_hw(tb[NET_DM_ATTR_HW_ENTRIES], tmp, n);
		if (n < 0)
			goto err_inval;
	}
	memcpy(out, tmp, (size_t)n * sizeof(*tmp));
	return n;

err_inval:
	errno = EINVAL;
	return -1;
}

static int stats_nest(const struct nlattr *nest, uint64_t *dropped)
{
	const struct nlattr *tb[NET_DM_ATTR_STATS_MAX + 1] = { NULL };

	if (nlparse_nested(nest, tb, NET_DM_ATTR_STATS_MAX) < 0)
		return -1;
	if (tb[NET_DM_ATTR_STATS_DROPPED]) {
		if (mnl_attr_validate(tb[NET_DM_ATTR_STATS_DROPPED], MNL_TYPE_U64) < 0)
			return -1;
		*dropped = mnl_attr_get_u64(tb[NET_DM_ATTR_STATS_DROPPED]);
	}
	return 0;
}

int netdm_parse_stats(const struct nlmsghdr *nlh, struct netdm_stats *st)
{
	const struct nlattr *tb[NET_DM_ATTR_MAX + 1] = { NULL };

	memset(st, 0, sizeof(*st));
	if (nlparse_genl(nlh, tb, NET_DM_ATTR_MAX) < 0)
		goto err_inval;
	if (tb[NET_DM_ATTR_STATS] && stats_nest(tb[NET_DM_ATTR_STATS], &st->sw_dropped) < 0)
		goto err_inval;
	if (tb[NET_DM_ATTR_HW_STATS] && stats_nest(tb[NET_DM_ATTR_HW_STATS], &st->hw_dropped) < 0)
		goto err_inval;
	return 0;

err_inval:
	errno = EINVAL;
	return -1;
}

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
	nl_socket_free(dm->req);
	dm->req = NULL;
	return -1;
}

void netdm_fini(struct netdm *dm)
{
	if (dm->ev)
		mnl_socket_close(dm->ev);
	if (dm->req)
		nl_socket_free(dm->req);
	dm->ev = NULL;
	dm->req = NULL;
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

int netdm_config_get(struct netdm *dm, struct netdm_config *cfg, struct errmsg *e)
{
	struct nlreq_result r = { .error = ENOMEM };	/* until a request runs */
	struct nl_msg *msg;

	memset(cfg, 0, sizeof(*cfg));
	msg = nlreq_new(dm->family, NET_DM_CMD_CONFIG_GET, NLM_F_ACK, NET_DM_GENL_VERSION);
	if (!msg || nlreq_run(dm->req, msg, config_parse, cfg, &r) < 0) {
		request_error(e, "reading NET_DM's config", &r);
		return -1;
	}
	return 0;
}

static int config_set(struct netdm *dm, const struct netdm_config *cfg,
		      struct nlreq_result *r)
{
	struct nl_msg *msg;

	msg = nlreq_new(dm->family, NET_DM_CMD_CONFIG, NLM_F_ACK, NET_DM_GENL_VERSION);
	if (!msg) {
		r->error = ENOMEM;
		return -ENOMEM;
	}
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
	struct nl_msg *msg;

	msg = nlreq_new(dm->family, cmd, NLM_F_ACK, NET_DM_GENL_VERSION);
	if (!msg) {
		r->error = ENOMEM;
		return -ENOMEM;
	}
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

int netdm_start(struct netdm *dm, const struct netdm_start_opts *o,
		char *warn, size_t warnlen, struct errmsg *e)
{
	struct netdm_config cfg;
	struct nlreq_result r = { .error = ENOMEM };	/* until a request runs */

	if (warn && warnlen)
		warn[0] = '\0';
	if (o->passive) {
		dm->passive = true;
		return 0;
	}
	if (o->force && trace_cmd(dm, NET_DM_CMD_STOP, true, true, &r) < 0) {
		request_error(e, "stopping NET_DM monitoring", &r);
		return -1;
	}
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
	if (o->hw) {
		if (trace_cmd(dm, NET_DM_CMD_START, true, false, &r) < 0) {
			if (r.error == EAGAIN) {
				go_passive(dm, warn, warnlen);
				return 0;
			}
			request_error(e, "starting hardware drop monitoring", &r);
			return -1;
		}
		dm->started_hw = true;
	}
	if (o->sw) {
		if (trace_cmd(dm, NET_DM_CMD_START, false, true, &r) < 0) {
			if (r.error == EAGAIN) {
				go_passive(dm, warn, warnlen);
				return 0;
			}
			request_error(e, "starting software drop monitoring", &r);
			return -1;
		}
		dm->started_sw = true;
	}
	return 0;
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
	struct nlreq_result r = { .error = ENOMEM };	/* until a request runs */
	struct nl_msg *msg;

	memset(st, 0, sizeof(*st));
	msg = nlreq_new(dm->family, NET_DM_CMD_STATS_GET, NLM_F_ACK, NET_DM_GENL_VERSION);
	if (!msg || nlreq_run(dm->req, msg, stats_parse, st, &r) < 0) {
		request_error(e, "reading NET_DM's statistics", &r);
		return -1;
	}
	return 0;
}
