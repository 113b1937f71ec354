/* libFuzzer target: replay_file() on the input as a capture file in a memfd
 * (see fuzz_make_pcap() for how the first byte shapes it). The callbacks do
 * what the monitor does: NET_DM messages go to the alert and summary
 * parsers, frames to the dissector, each from an exact-size copy.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "dissect.h"
#include "errmsg.h"
#include "fuzz_common.h"
#include "netdm.h"
#include "replay.h"

struct counts {
	uint64_t msgs, frames, malformed;
};

static void on_msg(const struct nlmsghdr *nlh, uint64_t ts_ns, void *arg)
{
	static struct drop_summary_entry v[NETDM_SUMMARY_MAX];
	struct counts *c = arg;
	struct nlmsghdr *copy;
	struct drop_alert a;
	struct flow_key k;

	(void)ts_ns;
	c->msgs++;
	FUZZ_CHECK(((uintptr_t)nlh & 3) == 0);
	FUZZ_CHECK(nlh->nlmsg_len >= sizeof(*nlh));
	copy = fuzz_dup(nlh, nlh->nlmsg_len);
	if (netdm_parse_alert(copy, &a) == 0) {
		FUZZ_CHECK(!a.payload || fuzz_inside(copy, copy->nlmsg_len, a.payload, a.payload_len));
		FUZZ_CHECK(!a.trap_name || fuzz_str_inside(copy, copy->nlmsg_len, a.trap_name));
		dissect_packet(a.payload, a.payload_len, a.proto, &k);
	}
	FUZZ_CHECK(netdm_parse_summary(copy, v) <= NETDM_SUMMARY_MAX);
	free(copy);
}

static void on_frame(const uint8_t *frame, uint32_t caplen, uint32_t len, uint64_t ts_ns,
		     void *arg)
{
	struct counts *c = arg;
	uint8_t *copy = fuzz_dup(frame, caplen);
	struct flow_key k;

	(void)len;
	(void)ts_ns;
	c->frames++;
	dissect_eth(copy, caplen, &k);
	free(copy);
}

static void on_malformed(void *arg)
{
	struct counts *c = arg;

	c->malformed++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct counts c = { 0, 0, 0 };
	const struct replay_ops ops = { on_msg, on_frame, on_malformed, &c };
	struct replay_stats st;
	struct errmsg e = { 0, "" };
	char path[64];
	size_t len;
	uint8_t *file = fuzz_make_pcap(data, size, &len);
	int fd = fuzz_memfd(file, len, path, sizeof(path));
	int rc = replay_file(path, &ops, &st, &e);

	close(fd);
	free(file);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(rc == 0 || e.text[0]);
	FUZZ_CHECK(c.msgs == st.netdm_msgs && c.frames == st.frames && c.malformed == st.malformed);
	FUZZ_CHECK(st.frames <= st.records && st.malformed <= st.records);
	return 0;
}
