/* tcfilter_parse: rtnetlink tc filter messages, built here attribute by
 * attribute as the kernel lays them out (tcmsg, TCA_KIND, TCA_OPTIONS with
 * the classifier's actions table, one nest per priority holding
 * TCA_ACT_KIND and TCA_ACT_COOKIE): which actions carry cookies, the
 * filter's pref/handle/parent, the name trapmon shows, and malformed input.
 */
#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "tcfilter.h"
#include "tap.h"
#include "../nlbuild.h"

static char buf[4096];

/* A filter of kind on ifindex 7 at pref 10, handle 1 (nlbuild.h). */
static struct nlmsghdr *filter(const char *kind, uint16_t act_attr, uint32_t parent,
			       const char *const *cookies, int nact)
{
	memset(buf, 0, sizeof(buf));
	return nlb_tc_filter(buf, kind, act_attr, parent, cookies, nact);
}

int main(void)
{
	const char *two[] = { "\x1a\x2b\x3c\x4d", NULL, "\xff" };
	const char *big[] = { "0123456789abcdef0123456789abcdef0" };	/* 33 bytes */
	struct tcf_rule r[4];
	struct nlmsghdr *nlh;
	char name[128], hex[2 * TCF_COOKIE_MAX + 1];
	int n;

	nlh = filter("matchall", TCA_MATCHALL_ACT, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), two, 3);
	n = tcfilter_parse(nlh, r, 4);
	tap_ok(n == 2, "matchall: the two actions with cookies of three (%d)", n);
	tcfilter_hex(r[0].cookie, r[0].cookie_len, hex);
	tap_ok(n == 2 && !strcmp(hex, "1a2b3c4d"), "first cookie in hex: %s", hex);
	tcfilter_hex(r[1].cookie, r[1].cookie_len, hex);
	tap_ok(n == 2 && !strcmp(hex, "ff"), "second cookie: %s", hex);
	tap_ok(r[0].ifindex == 7 && r[0].block == 0 && r[0].pref == 10 && r[0].handle == 1 &&
	       !strcmp(r[0].kind, "matchall"), "ifindex, pref, handle and kind from the message");
	tcfilter_format(&r[0], "eth1", name, sizeof(name));
	tap_ok(!strcmp(name, "eth1 ingress pref 10 matchall handle 0x1"), "named as WJH names it: '%s'", name);

	nlh = filter("flower", TCA_FLOWER_ACT, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS), two, 1);
	n = tcfilter_parse(nlh, r, 4);
	tcfilter_format(&r[0], "eth1", name, sizeof(name));
	tap_ok(n == 1 && !strcmp(name, "eth1 egress pref 10 flower handle 0x1"),
	       "flower on egress: '%s'", name);
	/* A shared block's filter: the kernel puts the block's index where
	 * the parent goes (tcm_block_index) and a magic ifindex.
	 */
	nlh = filter("matchall", TCA_MATCHALL_ACT, 10, two, 1);
	((struct tcmsg *)mnl_nlmsg_get_payload(nlh))->tcm_ifindex = (int)TCM_IFINDEX_MAGIC_BLOCK;
	n = tcfilter_parse(nlh, r, 4);
	tap_ok(n == 1 && r[0].block == 10 && r[0].ifindex == 0 && r[0].parent == 0,
	       "shared block: its index, no port and no direction (block %u, ifindex %u)", r[0].block,
	       r[0].ifindex);
	r[0].parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);	/* as the port's dump fills in */
	tcfilter_format(&r[0], "eth1", name, sizeof(name));
	tap_ok(n == 1 && !strcmp(name, "block 10 ingress pref 10 matchall handle 0x1"),
	       "a shared block's rule is named by its block: '%s'", name);

	nlh = filter("flower", TCA_FLOWER_ACT, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), two, 3);
	tap_ok(tcfilter_parse(nlh, r, 1) == 1, "no more rules than asked for");
	nlh = filter("fw", TCA_FW_ACT, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), two, 1);
	tap_ok(tcfilter_parse(nlh, r, 4) == 0, "a classifier without a table entry gives none");
	nlh = filter("matchall", TCA_MATCHALL_ACT, TC_H_MAKE(0x10000, 0), two + 1, 1);
	tap_ok(tcfilter_parse(nlh, r, 4) == 0, "actions without cookies give none");

	nlh = filter("matchall", TCA_MATCHALL_ACT, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), big, 1);
	errno = 0;
	tap_ok(tcfilter_parse(nlh, r, 4) == -1 && errno == EINVAL, "a cookie over 32 bytes is malformed");
	nlh = filter("matchall", TCA_MATCHALL_ACT, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), two, 1);
	nlh->nlmsg_len += 3;	/* 3 stray bytes: no attribute fits */
	tap_ok(tcfilter_parse(nlh, r, 4) == -1, "trailing bytes that are no attribute are malformed");
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	tap_ok(tcfilter_parse(nlh, r, 4) == -1, "a message shorter than its tcmsg is malformed");
	return tap_done();
}
