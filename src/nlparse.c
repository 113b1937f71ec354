/* nlparse: strict libmnl attribute walking shared by the event parsers. */
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "nlparse.h"

int nlparse_attrs(const void *start, size_t len, const struct nlattr **tb, unsigned int max)
{
	const struct nlattr *attr = start;
	size_t left = len;

	while (left >= sizeof(*attr) && mnl_attr_ok(attr, (int)left)) {
		size_t step = MNL_ALIGN(attr->nla_len);
		uint16_t type = mnl_attr_get_type(attr);

		if (type <= max)
			tb[type] = attr;
		if (step >= left)
			return 0;
		left -= step;
		attr = (const void *)((const char *)attr + step);
	}
	return left == 0 ? 0 : -1;
}

int nlparse_genl(const struct nlmsghdr *nlh, const struct nlattr **tb, unsigned int max)
{
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr));

	if (nlh->nlmsg_len < hdr)
		return -1;
	return nlparse_attrs((const char *)nlh + hdr, nlh->nlmsg_len - hdr, tb, max);
}

int nlparse_nested(const struct nlattr *attr, const struct nlattr **tb, unsigned int max)
{
	return nlparse_attrs(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr), tb, max);
}

bool nlparse_is_str(const struct nlattr *attr)
{
	return mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0;
}

size_t nlparse_valid_len(const void *buf, size_t len)
{
	size_t off = 0;
	uint32_t l;

	while ((l = nlparse_msg_len((const char *)buf + off, len - off)) != 0)
		off += NLMSG_ALIGN(l) < len - off ? NLMSG_ALIGN(l) : len - off;
	return off;
}
