/* libFuzzer target: replay_file() on the input as a capture file in a memfd
 * (see fuzz_make_pcap() for how the first byte shapes it). The callbacks do
 * what the monitor does: NET_DM messages go to the alert and summary
 * parsers, frames to the dissector, each from an exact-size copy.
 *
 * Then the same file goes through the reference reader (tests/pcapref.c:
 * libpcap's pcap_next_ex(), with its own record splitting and NET_DM
 * family learning on top). replay_file() must return the same, count the
 * same and make the same callbacks in the same order, with the same bytes
 * and timestamps.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>

#include "../pcapref.h"
#include "dissect.h"
#include "errmsg.h"
#include "fuzz_common.h"
#include "netdm.h"
#include "replay.h"

#define MAX_EVENTS 2048

struct log {
	struct replay_stats st;
	size_t n;
	struct pcapref_event ev[MAX_EVENTS];
};

static struct log got, want;
static struct pcapref ref;

static void add(void *arg, char kind, uint32_t len, uint32_t caplen, uint64_t ts,
		const void *data)
{
	struct log *l = arg;

	if (l->n < MAX_EVENTS)
		l->ev[l->n++] = pcapref_event(kind, len, caplen, ts, data);
}

/* replay_file()'s callbacks ------------------------------------------------- */

static void on_msg(const struct nlmsghdr *nlh, uint64_t ts_ns, void *arg)
{
	static struct drop_summary_entry v[NETDM_SUMMARY_MAX];
	struct nlmsghdr *copy;
	struct drop_alert a;
	struct flow_key k;

	(void)arg;
	FUZZ_CHECK(((uintptr_t)nlh & 3) == 0);
	FUZZ_CHECK(nlh->nlmsg_len >= sizeof(*nlh));
	add(&got, 'M', nlh->nlmsg_len, nlh->nlmsg_len, ts_ns, nlh);
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
	uint8_t *copy = fuzz_dup(frame, caplen);
	struct flow_key k;

	(void)arg;
	add(&got, 'F', len, caplen, ts_ns, frame);
	dissect_eth(copy, caplen, &k);
	free(copy);
}

static void on_malformed(void *arg)
{
	(void)arg;
	add(&got, 'X', 0, 0, 0, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct replay_ops ops = { .netdm_msg = on_msg, .ether_frame = on_frame,
					       .malformed = on_malformed };
	struct errmsg e = { 0 };
	char path[64];
	size_t len, i;
	uint8_t *file = fuzz_make_pcap(data, size, &len);
	/* Odd sizes: nobody else holds the file open. */
	int fd = fuzz_memfd(file, len, path, sizeof(path), size & 1);
	int rc, ref_rc;

	memset(&got, 0, offsetof(struct log, ev));
	rc = replay_file(path, &ops, &got.st, &e);
	want.n = 0;
	ref.note = add;
	ref.arg = &want;
	ref_rc = pcapref_run(&ref, path);
	want.st = ref.st;
	close(fd);
	free(file);
	FUZZ_CHECK(rc == 0 || (rc == -1 && e.text[0]));
	FUZZ_CHECK(rc == ref_rc);
	FUZZ_CHECK(got.st.records == want.st.records);
	FUZZ_CHECK(got.st.frames == want.st.frames && got.st.netdm_msgs == want.st.netdm_msgs);
	FUZZ_CHECK(got.st.skipped == want.st.skipped && got.st.malformed == want.st.malformed);
	FUZZ_CHECK(got.n == want.n);
	for (i = 0; i < got.n; i++) {
		const struct pcapref_event *g = &got.ev[i], *w = &want.ev[i];

		FUZZ_CHECK(g->kind == w->kind && g->len == w->len && g->caplen == w->caplen);
		FUZZ_CHECK(g->ts == w->ts && g->digest == w->digest);
	}
	return 0;
}
