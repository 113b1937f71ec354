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

/* The buffer a read loop hands to mnl_cb_run(). */
struct run {
	const uint8_t *buf;
	size_t len;
};

/* The read loop's callback: each message gets an exact-size copy, so ASan
 * catches any read past nlmsg_len. Only with -DFUZZ_MNL_OVERLONG can a
 * message claim more than the buffer holds: it is parsed in place then, as
 * trapmon's read loops do.
 */
static int on_msg(const struct nlmsghdr *nlh, void *arg)
{
	const struct run *r = arg;
	struct nlmsghdr *copy;

	if (nlh->nlmsg_len > r->len - (size_t)((const uint8_t *)nlh - r->buf)) {
		parse_all(nlh);
		return MNL_CB_OK;
	}
	copy = fuzz_dup(nlh, nlh->nlmsg_len);
	parse_all(copy);
	free(copy);
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	struct run r;
	uint32_t raw;

	if (size < sizeof(*nlh))
		return 0;
	nlh = fuzz_dup(data, size);
	raw = nlh->nlmsg_len;
	nlh->nlmsg_len = (uint32_t)size;
	parse_all(nlh);
	free(nlh);
	/* nlmsg_len as given, when it fits: exactly that many bytes. */
	if (raw != size && raw >= sizeof(*nlh) && raw <= size) {
		nlh = fuzz_dup(data, raw);
		parse_all(nlh);
		free(nlh);
	}

	nlh = fuzz_dup(data, size);
	r.buf = (const uint8_t *)nlh;
	r.len = size;
	mnl_cb_run(nlh, FUZZ_CB_LEN(nlh, size), 0, 0, on_msg, &r);
	free(nlh);
	return 0;
}
