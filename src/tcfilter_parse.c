/* tcfilter_parse: rtnetlink's tc filter messages into the actions that
 * carry cookies. Table-driven: each classifier kind names the attribute
 * inside its TCA_OPTIONS that holds its actions. No socket.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>

#include "nlparse.h"
#include "tcfilter.h"

static const struct {
	const char *kind;
	unsigned int act_attr;
} classifiers[] = {
	{ "flower", TCA_FLOWER_ACT }, { "matchall", TCA_MATCHALL_ACT }, { "u32", TCA_U32_ACT },
	{ "basic", TCA_BASIC_ACT }, { "bpf", TCA_BPF_ACT },
};

#define ACT_ATTR_MAX 16	/* above every act_attr of the table */

static unsigned int act_attr_of(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(classifiers) / sizeof(classifiers[0]); i++)
		if (strcmp(kind, classifiers[i].kind) == 0)
			return classifiers[i].act_attr;
	return 0;
}

/* The actions of the table tab (TCA_ACT_TAB: one nest per priority). */
static int parse_actions(const struct nlattr *tab, const struct tcf_rule *base,
			 struct tcf_rule *out, size_t max)
{
	const struct nlattr *prio[TCA_ACT_MAX_PRIO + 1] = { NULL };
	size_t n = 0;
	unsigned int i;

	if (nlparse_nested(tab, prio, TCA_ACT_MAX_PRIO) < 0)
		return -1;
	for (i = 1; i <= TCA_ACT_MAX_PRIO; i++) {
		const struct nlattr *act[TCA_ACT_COOKIE + 1] = { NULL };
		uint16_t len;

		if (!prio[i])
			continue;
		if (nlparse_nested(prio[i], act, TCA_ACT_COOKIE) < 0)
			return -1;
		if (!act[TCA_ACT_COOKIE])
			continue;
		len = mnl_attr_get_payload_len(act[TCA_ACT_COOKIE]);
		if (len == 0 || len > TCF_COOKIE_MAX)
			return -1;
		if (n == max)
			break;
		out[n] = *base;
		memcpy(out[n].cookie, mnl_attr_get_payload(act[TCA_ACT_COOKIE]), len);
		out[n].cookie_len = (uint8_t)len;
		n++;
	}
	return (int)n;
}

int tcfilter_parse(const struct nlmsghdr *nlh, struct tcf_rule *out, size_t max)
{
	const struct nlattr *tb[TCA_OPTIONS + 1] = { NULL }, *opt[ACT_ATTR_MAX + 1] = { NULL };
	const struct tcmsg *tcm;
	struct tcf_rule base;
	unsigned int act;
	int n;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*tcm))
		goto err_inval;
	tcm = mnl_nlmsg_get_payload(nlh);
	if (nlparse_attrs((const char *)tcm + NLMSG_ALIGN(sizeof(*tcm)),
			  nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*tcm)), tb, TCA_OPTIONS) < 0)
		goto err_inval;
	if (!tb[TCA_KIND] || !nlparse_is_str(tb[TCA_KIND]))
		return 0;
	memset(&base, 0, sizeof(base));
	snprintf(base.kind, sizeof(base.kind), "%s", mnl_attr_get_str(tb[TCA_KIND]));
	act = act_attr_of(base.kind);
	if (!act || !tb[TCA_OPTIONS])
		return 0;
	if (nlparse_nested(tb[TCA_OPTIONS], opt, ACT_ATTR_MAX) < 0)
		goto err_inval;
	if (!opt[act])
		return 0;
	if ((uint32_t)tcm->tcm_ifindex == TCM_IFINDEX_MAGIC_BLOCK) {
		base.block = tcm->tcm_block_index;	/* tcm_parent's place */
	} else {
		base.ifindex = (uint32_t)tcm->tcm_ifindex;
		base.parent = tcm->tcm_parent;
	}
	base.handle = tcm->tcm_handle;
	base.pref = (uint16_t)(tcm->tcm_info >> 16);
	base.protocol = (uint16_t)(tcm->tcm_info & 0xffff);
	n = parse_actions(opt[act], &base, out, max);
	if (n < 0)
		goto err_inval;
	return n;

err_inval:
	errno = EINVAL;
	return -1;
}

static const char *direction(uint32_t parent, char *buf, size_t n)
{
	if (TC_H_MAJ(parent) == TC_H_MAJ(TC_H_CLSACT) && TC_H_MIN(parent) == TC_H_MIN_EGRESS)
		return "egress";
	if (TC_H_MAJ(parent) == TC_H_MAJ(TC_H_CLSACT))
		return "ingress";
	snprintf(buf, n, "parent %x:%x", TC_H_MAJ(parent) >> 16, TC_H_MIN(parent));
	return buf;
}

void tcfilter_format(const struct tcf_rule *r, const char *ifname, char *buf, size_t n)
{
	char dir[32], block[24];

	if (r->block) {
		snprintf(block, sizeof(block), "block %u", r->block);
		ifname = block;
	}
	snprintf(buf, n, "%s %s pref %u %s handle 0x%x", ifname, direction(r->parent, dir, sizeof(dir)),
		 r->pref, r->kind, r->handle);
}

void tcfilter_hex(const uint8_t *cookie, size_t len, char *buf)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		buf[2 * i] = digits[cookie[i] >> 4];
		buf[2 * i + 1] = digits[cookie[i] & 15];
	}
	buf[2 * len] = '\0';
}
