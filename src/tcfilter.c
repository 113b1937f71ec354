/* tcfilter: the rtnetlink side of ACL attribution. Filters are dumped per
 * port (clsact ingress and egress) the first time a cookie is looked for
 * there, and kept until the tc multicast group reports any change (or
 * overruns): then everything is dumped again on demand.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "tcfilter.h"

#define DUMPED_MAX 1024		/* ports whose filters are cached: a switch's, with room */

struct tcfilter {
	struct mnl_socket *req;
	struct mnl_socket *mon;	/* RTMGRP_TC, non-blocking: changes invalidate */
	uint32_t seq;
	struct tcf_rule *rules;
	size_t nrules, cap;
	uint32_t dumped[DUMPED_MAX];
	size_t ndumped;
	uint32_t dumping_ifindex, dumping_parent;	/* a shared block's rules are the dumped port's */
	char name[IF_NAMESIZE + 96];
};

struct tcfilter *tcfilter_open(struct errmsg *e)
{
	struct tcfilter *tf = calloc(1, sizeof(*tf));

	if (!tf) {
		errmsg_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	tf->req = mnl_socket_open(NETLINK_ROUTE);
	tf->mon = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!tf->req || !tf->mon || mnl_socket_bind(tf->req, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(tf->mon, RTMGRP_TC, MNL_SOCKET_AUTOPID) < 0) {
		errmsg_set(e, errno, "cannot open rtnetlink for tc filters: %s", strerror(errno));
		tcfilter_close(tf);
		return NULL;
	}
	tf->seq = (uint32_t)time(NULL);
	return tf;
}

void tcfilter_close(struct tcfilter *tf)
{
	if (!tf)
		return;
	if (tf->req)
		mnl_socket_close(tf->req);
	if (tf->mon)
		mnl_socket_close(tf->mon);
	free(tf->rules);
	free(tf);
}

/* Any tc notification (or an overrun, which may hide one) drops the cache. */
static void check_changes(struct tcfilter *tf)
{
	char buf[8192];
	bool changed = false;
	ssize_t n;

	while ((n = mnl_socket_recvfrom(tf->mon, buf, sizeof(buf))) > 0 || (n < 0 && errno == ENOBUFS))
		changed = true;
	if (changed)
		tf->nrules = tf->ndumped = 0;
}

static int on_filter(const struct nlmsghdr *nlh, void *data)
{
	struct tcfilter *tf = data;
	struct tcf_rule got[8];
	int n, i;

	if (nlh->nlmsg_type != RTM_NEWTFILTER)
		return MNL_CB_OK;
	n = tcfilter_parse(nlh, got, sizeof(got) / sizeof(got[0]));
	for (i = 0; i < n; i++) {
		if (tf->nrules == tf->cap) {
			size_t cap = tf->cap ? tf->cap * 2 : 16;
			struct tcf_rule *v = realloc(tf->rules, cap * sizeof(*v));

			if (!v)
				return MNL_CB_ERROR;
			tf->rules = v;
			tf->cap = cap;
		}
		if (got[i].block) {
			got[i].ifindex = tf->dumping_ifindex;
			got[i].parent = tf->dumping_parent;
		}
		tf->rules[tf->nrules++] = got[i];
	}
	return MNL_CB_OK;
}

/* Dump the filters under one parent of ifindex; a port without such a
 * qdisc answers with an error, which means no filters.
 */
static void dump_parent(struct tcfilter *tf, uint32_t ifindex, uint32_t parent)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm;
	uint32_t seq = ++tf->seq, portid = mnl_socket_get_portid(tf->req);
	ssize_t n;
	int ret = MNL_CB_OK;

	nlh->nlmsg_type = RTM_GETTFILTER;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = (int)ifindex;
	tcm->tcm_parent = parent;
	tf->dumping_ifindex = ifindex;
	tf->dumping_parent = parent;
	if (mnl_socket_sendto(tf->req, nlh, nlh->nlmsg_len) < 0)
		return;
	while (ret > MNL_CB_STOP && (n = mnl_socket_recvfrom(tf->req, buf, sizeof(buf))) > 0)
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, on_filter, tf);
}

static bool listed(uint32_t ifindex, const uint32_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == ifindex)
			return true;
	return false;
}

static void dump_port(struct tcfilter *tf, uint32_t ifindex)
{
	if (listed(ifindex, tf->dumped, tf->ndumped))
		return;
	if (tf->ndumped == DUMPED_MAX)
		tf->nrules = tf->ndumped = 0;
	tf->dumped[tf->ndumped++] = ifindex;
	dump_parent(tf, ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS));
	dump_parent(tf, ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS));
}

/* The first rule whose action carries the cookie: on ifindex, in either
 * direction, or (ifindex 0) under the clsact egress of one of out_ports.
 */
static const struct tcf_rule *find_rule(const struct tcfilter *tf, uint32_t ifindex,
					const uint32_t *out_ports, size_t nout, const char *cookie_hex)
{
	const uint32_t egress = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);
	char hex[2 * TCF_COOKIE_MAX + 1];
	size_t i;

	for (i = 0; i < tf->nrules; i++) {
		const struct tcf_rule *r = &tf->rules[i];

		if (ifindex ? r->ifindex != ifindex : r->parent != egress)
			continue;
		tcfilter_hex(r->cookie, r->cookie_len, hex);
		if (strcmp(hex, cookie_hex) == 0 && (ifindex || listed(r->ifindex, out_ports, nout)))
			return r;
	}
	return NULL;
}

const char *tcfilter_name(struct tcfilter *tf, uint32_t in_ifindex, const char *cookie_hex,
			  const uint32_t *out_ports, size_t nout)
{
	char ifname[IF_NAMESIZE];
	const struct tcf_rule *r;
	size_t i;

	if (!in_ifindex)
		return NULL;
	check_changes(tf);
	dump_port(tf, in_ifindex);
	r = find_rule(tf, in_ifindex, NULL, 0, cookie_hex);
	if (!r && nout) {
		for (i = 0; i < nout; i++)
			dump_port(tf, out_ports[i]);
		r = find_rule(tf, 0, out_ports, nout, cookie_hex);
	}
	if (!r)
		return NULL;
	if (!if_indextoname(r->ifindex, ifname))
		snprintf(ifname, sizeof(ifname), "if%u", r->ifindex);
	tcfilter_format(r, ifname, tf->name, sizeof(tf->name));
	return tf->name;
}
