/* libFuzzer target: the NET_DM parsers (netdm_parse_alert, _summary, _stats)
 * on the input as one netlink message, with nlmsg_len forced to the input
 * size and, when it fits, as given; then the daemon's read loop: mnl_cb_run
 * over the input's whole messages (see fuzz_nl_valid_prefix()), each
 * message handed to the parsers.
 * Whatever a parser returns must point inside the message it was given.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "dissect.h"
#include "fuzz_common.h"
#include "netdm.h"
#include "nlparse.h"

static volatile uint64_t fuzz_sink;

static void check_alert(const struct nlmsghdr *nlh)
{
	const size_t len = nlh->nlmsg_len;
	struct drop_alert a;
	struct flow_key k;

	if (netdm_parse_alert(nlh, &a) < 0)
		return;
	FUZZ_CHECK(!a.trap_name || fuzz_str_inside(nlh, len, a.trap_name));
	FUZZ_CHECK(!a.trap_group || fuzz_str_inside(nlh, len, a.trap_group));
	FUZZ_CHECK(!a.in_port_name || fuzz_str_inside(nlh, len, a.in_port_name));
	FUZZ_CHECK(!a.symbol || fuzz_str_inside(nlh, len, a.symbol));
	FUZZ_CHECK(!a.reason || fuzz_str_inside(nlh, len, a.reason));
	FUZZ_CHECK(a.payload ? fuzz_inside(nlh, len, a.payload, a.payload_len) : !a.payload_len);
	FUZZ_CHECK(!a.payload || a.payload_len <= a.orig_len);
	FUZZ_CHECK(a.cookie ? fuzz_inside(nlh, len, a.cookie, a.cookie_len) : !a.cookie_len);
	/* What the monitor does next with an accepted alert. */
	dissect_packet(a.payload, a.payload_len, a.proto, &k);
}

static void check_summary(const struct nlmsghdr *nlh)
{
	static struct drop_summary_entry v[NETDM_SUMMARY_MAX];
	int n = netdm_parse_summary(nlh, v), i;

	FUZZ_CHECK(n >= -1 && n <= NETDM_SUMMARY_MAX);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(v[i].origin == NET_DM_ORIGIN_SW || v[i].origin == NET_DM_ORIGIN_HW);
		FUZZ_CHECK(v[i].origin == NET_DM_ORIGIN_SW ? !v[i].trap_name
			   : fuzz_str_inside(nlh, nlh->nlmsg_len, v[i].trap_name));
	}
}

static void check_stats(const struct nlmsghdr *nlh)
{
	struct netdm_stats st;

	if (netdm_parse_stats(nlh, &st) == 0)
		fuzz_sink += st.sw_dropped ^ st.hw_dropped;
}

static void parse_all(const struct nlmsghdr *nlh)
{
	check_alert(nlh);
	check_summary(nlh);
	check_stats(nlh);
	(void)nlparse_genl_cmd(nlh);
}

/* The read loop's callback: each message gets an exact-size copy, so ASan
 * catches any read past nlmsg_len.
 */
static int on_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct nlmsghdr *copy = fuzz_dup(nlh, nlh->nlmsg_len);

	(void)arg;
	parse_all(copy);
	free(copy);
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	uint32_t raw;

	if (size < sizeof(*nlh))
		return 0;
	nlh = fuzz_dup(data, size);
	raw = nlh->nlmsg_len;
	nlh->nlmsg_len = (uint32_t)size;
	parse_all(nlh);
	if (raw != size && raw <= size) {
		nlh->nlmsg_len = raw;
		parse_all(nlh);
	}
	free(nlh);

	nlh = fuzz_dup(data, size);
	mnl_cb_run(nlh, FUZZ_CB_LEN(nlh, size), 0, 0, on_msg, NULL);
	free(nlh);
	return 0;
}
