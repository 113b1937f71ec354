/* nlparse: strict libmnl attribute walking shared by the event parsers. */
#ifndef TRAPMON_NLPARSE_H
#define TRAPMON_NLPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/genetlink.h>

struct nlattr;

/* Fill tb[type] for each attribute in [start, start+len); types above max
 * are ignored. Unlike mnl_attr_parse, trailing bytes that do not form an
 * attribute (length 0..3, or past the end) make it return -1.
 */
int nlparse_attrs(const void *start, size_t len, const struct nlattr **tb, unsigned int max);

/* The same for the attributes after a generic netlink header. */
int nlparse_genl(const struct nlmsghdr *nlh, const struct nlattr **tb, unsigned int max);

/* The attributes nested in attr. */
int nlparse_nested(const struct nlattr *attr, const struct nlattr **tb, unsigned int max);

/* The genl command of a message, or -1 if too short for the netlink and
 * genl headers. Inline: every alert asks it first.
 */
static inline int nlparse_genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = (const void *)((const char *)nlh + NLMSG_HDRLEN);

	return nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ? -1 : g->cmd;
}

bool nlparse_is_str(const struct nlattr *attr);

/* The prefix of buf made of whole netlink messages: each length at least a
 * header and within what is left. One check for live reads, replays and
 * fuzzers; libmnl 1.0.4 compares nlmsg_len as an int, so a length of 2^31
 * or more would send it gigabytes ahead or round to zero and loop.
 */
size_t nlparse_valid_len(const void *buf, size_t len);

/* The same check for the one message at buf with left bytes to go: its
 * nlmsg_len, or 0 when it is not a whole message. Inline: replays walk
 * messages with it in a single pass.
 */
static inline uint32_t nlparse_msg_len(const void *buf, size_t left)
{
	uint32_t l;

	if (left < 16)		/* NLMSG_HDRLEN */
		return 0;
	memcpy(&l, buf, sizeof(l));
	return l < 16 || l > left ? 0 : l;
}

#endif
