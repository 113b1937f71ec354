/* nlreq: generic netlink requests through libnl-genl-3.
 * One place sends, waits for the ack or NLMSG_DONE, and keeps the kernel's
 * errno and extack text, so every caller can print an actionable error.
 * Both families' modules also close their two sockets here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

#include "nlreq.h"

struct nlreq_ctx {
	int done;
	int (*parse)(struct nl_msg *, void *);
	void *arg;
	struct nlreq_result *res;
};

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	char *out = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(out, 256, "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/* The ack TLVs follow struct nlmsgerr and, unless capped, the echoed request. */
static void extack_copy(const struct nlmsghdr *nlh, char *out)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*err))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	if (NLMSG_HDRLEN + MNL_ALIGN(off) > nlh->nlmsg_len)
		return;
	mnl_attr_parse(nlh, MNL_ALIGN(off), extack_attr_cb, out);
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlreq_ctx *ctx = arg;

	return ctx->parse ? ctx->parse(msg, ctx->arg) : NL_OK;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlreq_ctx *ctx = arg;

	(void)msg;
	ctx->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct nlreq_ctx *ctx = arg;

	extack_copy(nlmsg_hdr(msg), ctx->res->warning);
	ctx->done = 1;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nlreq_ctx *ctx = arg;
	const struct nlmsghdr *nlh = (const void *)((const char *)err - NLMSG_HDRLEN);

	(void)nla;
	ctx->res->error = -err->error;
	extack_copy(nlh, ctx->res->extack);
	ctx->done = 1;
	return NL_STOP;
}

struct nl_sock *nlreq_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1;

	if (!sk)
		return NULL;
	if (genl_connect(sk) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	nl_socket_disable_auto_ack(sk);
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return sk;
}

void nlreq_close(struct nl_sock **req, struct mnl_socket **ev)
{
	if (*ev)
		mnl_socket_close(*ev);
	if (*req)
		nl_socket_free(*req);
	*ev = NULL;
	*req = NULL;
}

struct nl_msg *nlreq_new(int family, uint8_t cmd, int flags, uint8_t version)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, version)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int nlreq_run(struct nl_sock *sk, struct nl_msg *msg,
	      int (*parse)(struct nl_msg *, void *), void *arg,
	      struct nlreq_result *res)
{
	struct nlreq_ctx ctx = { .parse = parse, .arg = arg, .res = res };
	struct nl_cb *cb;
	int ret;

	memset(res, 0, sizeof(*res));
	ret = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		res->error = EIO;
		return -EIO;
	}
	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!cb) {
		res->error = ENOMEM;
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &ctx);
	while (!ctx.done) {
		ret = nl_recvmsgs(sk, cb);
		if (ret < 0 && !ctx.done) {
			res->error = ret == -NLE_NOMEM ? ENOMEM : EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return -res->error;
}

const char *nlreq_kernel_says(const struct nlreq_result *r, char *buf, size_t len)
{
	if (!r->extack[0])
		return "";
	snprintf(buf, len, ": kernel says: %s", r->extack);
	return buf;
}
