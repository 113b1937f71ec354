/* libFuzzer target: the devlink message parsers (trap, group, policer,
 * device handle) on the input as one netlink message, with nlmsg_len forced
 * to the input size and, when it fits, as given; then mnl_cb_run over the
 * input's whole messages as the event loop reads the "config" group. Names must come out
 * NUL-terminated within DL_NAME_MAX.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/devlink.h>

#include "devlink.h"
#include "fuzz_common.h"
#include "nlparse.h"

static bool name_ok(const char *s)
{
	return memchr(s, '\0', DL_NAME_MAX) != NULL;
}

static void parse_all(const struct nlmsghdr *nlh)
{
	char bus[DL_NAME_MAX], dev[DL_NAME_MAX];
	struct dl_policer p;
	struct dl_group g;
	struct dl_trap t;

	if (devlink_parse_trap(nlh, &t) == 0) {
		FUZZ_CHECK(name_ok(t.bus) && name_ok(t.dev) && name_ok(t.name) && name_ok(t.group));
		FUZZ_CHECK(t.has_stats || (!t.rx_packets && !t.rx_bytes && !t.rx_dropped));
		/* What the monitor prints of a trap. */
		(void)devlink_type_str(t.type);
		(void)devlink_action_str(t.action);
	}
	if (devlink_parse_group(nlh, &g) == 0)
		FUZZ_CHECK(name_ok(g.bus) && name_ok(g.dev) && name_ok(g.name));
	if (devlink_parse_policer(nlh, &p) == 0)
		FUZZ_CHECK(name_ok(p.bus) && name_ok(p.dev));
	if (devlink_parse_handle(nlh, bus, dev) == 0)
		FUZZ_CHECK(name_ok(bus) && name_ok(dev));
	(void)nlparse_genl_cmd(nlh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_messages(data, size, parse_all);
}
