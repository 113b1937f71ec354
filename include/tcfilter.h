/* tcfilter: ACL rule attribution. A hardware ACL drop
 * (ingress_flow_action_drop, egress_flow_action_drop) carries the cookie
 * of the tc action that dropped it; the rule carrying that cookie is found
 * in the in-port's tc filters (an egress drop's, in the egress filters of
 * its device's other ports too), dumped over rtnetlink with libmnl and kept
 * until rtnetlink's tc group says something changed. The message parser
 * (tcfilter_parse.c) is pure; the sockets live in tcfilter.c.
 */
#ifndef TRAPMON_TCFILTER_H
#define TRAPMON_TCFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errmsg.h"

struct nlmsghdr;

#define TCF_COOKIE_MAX 32	/* the kernel's TC_COOKIE_MAX_SIZE is 16 */
#define TCF_KIND_MAX 16

/* One action with a cookie, and the filter it belongs to. A filter of a
 * shared block (tc qdisc add dev X ingress_block N clsact) comes with the
 * block's index in place of its port and direction: tcfilter_parse()
 * leaves those 0, and the dump that asked on a port fills them in.
 */
struct tcf_rule {
	uint32_t ifindex;
	uint32_t block;		/* the shared block's index, or 0 */
	uint32_t parent;	/* ffff:fff2 clsact ingress, ffff:fff3 egress, ffff: ingress qdisc */
	uint32_t handle;
	uint16_t pref;
	uint16_t protocol;	/* ethertype, network order as tc shows it */
	char kind[TCF_KIND_MAX];	/* flower, matchall, u32, ... */
	uint8_t cookie[TCF_COOKIE_MAX];
	uint8_t cookie_len;
};

/* One RTM_NEWTFILTER message: up to max rules, one per action that carries
 * a cookie, into out. Returns how many, or -1 (errno EINVAL) when the
 * message is malformed. Filter kinds whose actions it does not know give 0.
 */
int tcfilter_parse(const struct nlmsghdr *nlh, struct tcf_rule *out, size_t max);

/* The rule as WJH names an ACL rule: "eth1 ingress pref 10 flower handle 0x1",
 * or for a shared block's "block 10 ingress pref 10 flower handle 0x1".
 */
void tcfilter_format(const struct tcf_rule *r, const char *ifname, char *buf, size_t n);

/* A cookie as lower-case hex (buf >= 2 * len + 1), as trapmon shows it. */
void tcfilter_hex(const uint8_t *cookie, size_t len, char *buf);

struct tcfilter;

/* The dump socket and the tc group listener; NULL with e set on failure. */
struct tcfilter *tcfilter_open(struct errmsg *e);
void tcfilter_close(struct tcfilter *tf);

/* The rule whose action carries the cookie given in hex: on the in-port
 * (ingress or egress), else on the egress of one of out_ports, the ports
 * an egress drop may have been leaving by (NET_DM names only the in-port);
 * NULL when there is none. The string lives until the next call.
 */
const char *tcfilter_name(struct tcfilter *tf, uint32_t in_ifindex, const char *cookie_hex,
			  const uint32_t *out_ports, size_t nout);

#endif
