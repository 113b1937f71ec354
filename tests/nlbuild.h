/* nlbuild: netlink messages for tests, fuzz seeds and benchmarks, written
 * the way the kernel lays them out (libmnl puts the headers and well-formed
 * attributes; nlb_put_raw() can lie about an attribute's length on
 * purpose). Header-only, so each program takes just what it uses.
 */
#ifndef TRAPMON_TESTS_NLBUILD_H
#define TRAPMON_TESTS_NLBUILD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>

/* A generic netlink message of family type and command cmd at buf. */
static inline struct nlmsghdr *nlb_start(void *buf, uint16_t type, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = type;
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/* An attribute whose nla_len may lie; the message grows by the aligned data. */
static inline void nlb_put_raw(struct nlmsghdr *nlh, uint16_t type, uint16_t nla_len,
			       const void *data, size_t dlen)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

	a->nla_type = type;
	a->nla_len = nla_len;
	memcpy(a + 1, data, dlen);
	memset((char *)(a + 1) + dlen, 0, MNL_ALIGN(dlen) - dlen);
	nlh->nlmsg_len += MNL_ATTR_HDRLEN + MNL_ALIGN(dlen);
}

/* Bytes as they are, with no attribute header. */
static inline void nlb_put_bytes(struct nlmsghdr *nlh, const void *data, size_t n)
{
	memcpy(mnl_nlmsg_get_payload_tail(nlh), data, n);
	nlh->nlmsg_len += n;
}

/* NET_DM's IN_PORT nest: ifindex, and the name when given (hardware). */
static inline void nlb_in_port(struct nlmsghdr *nlh, uint32_t ifindex, const char *name)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, NET_DM_ATTR_IN_PORT);

	mnl_attr_put_u32(nlh, NET_DM_ATTR_PORT_NETDEV_IFINDEX, ifindex);
	if (name)
		mnl_attr_put_strz(nlh, NET_DM_ATTR_PORT_NETDEV_NAME, name);
	mnl_attr_nest_end(nlh, nest);
}

/* Decode hex, skipping spaces and newlines; bytes written, or -1 past max
 * or with an odd digit left over.
 */
static inline int nlb_unhex(const char *hex, size_t n, unsigned char *out, size_t max)
{
	size_t i, len = 0;
	int hi = -1;

	for (i = 0; i < n && hex[i]; i++) {
		int v;
		char c = hex[i];

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (len == max)
			return -1;
		out[len++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)len : -1;	/* an odd digit left over */
}

/* An RTM_NEWTFILTER as a filter dump returns it: kind on ifindex 7 at
 * pref 10, handle 1, under parent, with one gact action per cookie
 * (NULL: an action without one) in the classifier's table act_attr.
 */
static inline struct nlmsghdr *nlb_tc_filter(void *buf, const char *kind, uint16_t act_attr,
					     uint32_t parent, const char *const *cookies, int nact)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *opt, *tab, *act;
	struct tcmsg *tcm;
	int i;

	nlh->nlmsg_type = RTM_NEWTFILTER;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_ifindex = 7;
	tcm->tcm_parent = parent;
	tcm->tcm_handle = 0x1;
	tcm->tcm_info = (10u << 16) | 0x0300;	/* pref 10, protocol all (htons(ETH_P_ALL)) */
	mnl_attr_put_strz(nlh, TCA_KIND, kind);
	opt = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put_u32(nlh, 1, 0);		/* a classid-like attribute first */
	tab = mnl_attr_nest_start(nlh, act_attr);
	for (i = 0; i < nact; i++) {
		act = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
		mnl_attr_put_strz(nlh, TCA_ACT_KIND, "gact");
		if (cookies[i])
			mnl_attr_put(nlh, TCA_ACT_COOKIE, strlen(cookies[i]), cookies[i]);
		mnl_attr_nest_end(nlh, act);
	}
	mnl_attr_nest_end(nlh, tab);
	mnl_attr_nest_end(nlh, opt);
	return nlh;
}

#endif
