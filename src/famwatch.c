/* famwatch: nlctrl's family notifications (CTRL_CMD_NEWFAMILY and
 * CTRL_CMD_DELFAMILY on its "notify" group), read with libmnl, for one
 * family by name. The group's id is resolved by name through libnl.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>

#include "errmsg.h"
#include "famwatch.h"
#include "nlparse.h"
#include "nlreq.h"

enum famwatch_event famwatch_parse(const struct nlmsghdr *nlh, const char *family)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { 0 };
	int cmd = nlparse_genl_cmd(nlh);

	if (nlh->nlmsg_type != GENL_ID_CTRL || (cmd != CTRL_CMD_NEWFAMILY && cmd != CTRL_CMD_DELFAMILY))
		return FAMWATCH_NONE;
	if (nlparse_genl(nlh, tb, CTRL_ATTR_MAX) < 0 || !tb[CTRL_ATTR_FAMILY_NAME] ||
	    !nlparse_is_str(tb[CTRL_ATTR_FAMILY_NAME]) ||
	    strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), family))
		return FAMWATCH_NONE;
	return cmd == CTRL_CMD_DELFAMILY ? FAMWATCH_GONE : FAMWATCH_BACK;
}

static int notify_group(struct errmsg *e)
{
	struct nl_sock *req = nlreq_socket();
	struct mnl_socket *none = NULL;
	int grp;

	if (!req) {
		errmsg_set(e, errno, "cannot open a generic netlink socket: %s", strerror(errno));
		return -1;
	}
	grp = genl_ctrl_resolve_grp(req, "nlctrl", "notify");
	nlreq_close(&req, &none);
	if (grp < 0)
		errmsg_set(e, ENOENT, "nlctrl has no 'notify' group: cannot watch drop_monitor");
	return grp;
}

int famwatch_open(struct famwatch *fw, const char *family, struct errmsg *e)
{
	int grp = notify_group(e);

	snprintf(fw->family, sizeof(fw->family), "%s", family);
	if (grp < 0)
		return -1;
	fw->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!fw->sk) {
		errmsg_set(e, errno, "cannot open a netlink socket: %s", strerror(errno));
		return -1;
	}
	if (mnl_socket_bind(fw->sk, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(fw->sk, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0) {
		errmsg_set(e, errno, "cannot join nlctrl's notify group: %s", strerror(errno));
		goto err_close;
	}
	fcntl(mnl_socket_get_fd(fw->sk), F_SETFL,
	      fcntl(mnl_socket_get_fd(fw->sk), F_GETFL) | O_NONBLOCK);
	return 0;

err_close:
	famwatch_close(fw);
	return -1;
}

void famwatch_close(struct famwatch *fw)
{
	if (fw->sk)
		mnl_socket_close(fw->sk);
	fw->sk = NULL;
}

int famwatch_fd(const struct famwatch *fw)
{
	return fw->sk ? mnl_socket_get_fd(fw->sk) : -1;
}

enum famwatch_event famwatch_read(struct famwatch *fw, double now)
{
	enum famwatch_event last = FAMWATCH_NONE;
	ssize_t n;

	while ((n = recv(famwatch_fd(fw), fw->buf, sizeof(fw->buf), 0)) > 0 ||
	       (n < 0 && errno == ENOBUFS)) {
		int left = n > 0 ? (int)nlparse_valid_len(fw->buf, (size_t)n) : 0;
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)fw->buf;

		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			enum famwatch_event ev = famwatch_parse(nlh, fw->family);

			if (ev != FAMWATCH_NONE)
				last = ev;
		}
	}
	if (last == FAMWATCH_GONE && !fw->down) {
		fw->down = true;
		fw->down_since = now;
		fw->gaps++;
	} else if (last == FAMWATCH_BACK && fw->down) {
		fw->down = false;
		fw->down_seconds += now - fw->down_since;
	}
	return last;
}

double famwatch_down_seconds(const struct famwatch *fw, double now)
{
	return fw->down_seconds + (fw->down ? now - fw->down_since : 0);
}
