/* libFuzzer target: tcfilter_parse(), the tc filter dump's parser, on the
 * input as one RTM_NEWTFILTER message (nlmsg_len forced to the input size
 * and, when it fits, as given), then mnl_cb_run over the input's whole
 * messages as the dump reader does. Every rule must come out with its kind
 * NUL-terminated, a cookie no longer than TCF_COOKIE_MAX, and a name and a
 * hex cookie that fit the buffers trapmon gives them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "fuzz_common.h"
#include "tcfilter.h"

#define RULES 8

static void parse_all(const struct nlmsghdr *nlh)
{
	struct tcf_rule r[RULES];
	char name[128], hex[2 * TCF_COOKIE_MAX + 1];
	int n = tcfilter_parse(nlh, r, RULES), i;

	FUZZ_CHECK(n >= -1 && n <= RULES);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(memchr(r[i].kind, '\0', sizeof(r[i].kind)) != NULL);
		FUZZ_CHECK(r[i].cookie_len > 0 && r[i].cookie_len <= TCF_COOKIE_MAX);
		/* What the ACL column shows of it. */
		tcfilter_format(&r[i], "eth0", name, sizeof(name));
		FUZZ_CHECK(memchr(name, '\0', sizeof(name)) != NULL);
		tcfilter_hex(r[i].cookie, r[i].cookie_len, hex);
		FUZZ_CHECK(strlen(hex) == 2u * r[i].cookie_len);
	}
	/* Asked for fewer rules, it never writes more. */
	FUZZ_CHECK(tcfilter_parse(nlh, r, 1) <= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_messages(data, size, parse_all);
}
