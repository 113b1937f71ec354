/* libFuzzer target: replay_file() on the input as a capture file in a memfd
 * (see fuzz_make_pcap() for how the first byte shapes it). The callbacks do
 * what the monitor does: NET_DM messages go to the alert and summary
 * parsers, frames to the dissector, each from an exact-size copy.
 *
 * Then the same file goes through a reference reader: libpcap's
 * pcap_next_ex() and the record splitting and NET_DM family learning that
 * src/replay.c first had on top of it. replay_file() reads classic pcap
 * itself now; it must return the same, count the same and make the same
 * callbacks in the same order, with the same bytes and timestamps.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>
#include <pcap/pcap.h>

#include "dissect.h"
#include "errmsg.h"
#include "fuzz_common.h"
#include "netdm.h"
#include "nlparse.h"
#include "replay.h"

#define MAX_EVENTS 2048

/* One callback: 'M' NET_DM message, 'F' frame, 'X' malformed record. */
struct event {
	char kind;
	uint32_t len, caplen;
	uint64_t ts, hash;
};

struct log {
	struct replay_stats st;
	size_t n;
	struct event ev[MAX_EVENTS];
};

static struct log got, want;

static uint64_t fnv(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

static void add(struct log *l, char kind, uint32_t len, uint32_t caplen, uint64_t ts,
		const void *data)
{
	if (l->n < MAX_EVENTS)
		l->ev[l->n++] = (struct event){ kind, len, caplen, ts, data ? fnv(data, caplen) : 0 };
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

/* The reference reader --------------------------------------------------------- */

static struct {
	bool known;
	uint16_t family;
	union {
		uint64_t align;
		uint8_t bytes[262144 + 64];
	} scratch;
} ref;

static void ref_malformed(void)
{
	want.st.malformed++;
	add(&want, 'X', 0, 0, 0, NULL);
}

static void ref_learn(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	int cmd = nlparse_genl_cmd(nlh);
	const struct nlattr *name, *id;

	if (cmd != CTRL_CMD_NEWFAMILY && cmd != CTRL_CMD_GETFAMILY && cmd != CTRL_CMD_DELFAMILY)
		return;
	if (nlparse_genl(nlh, tb, CTRL_ATTR_MAX) < 0)
		return;
	name = tb[CTRL_ATTR_FAMILY_NAME];
	id = tb[CTRL_ATTR_FAMILY_ID];
	if (!name || !nlparse_is_str(name) || strcmp(mnl_attr_get_str(name), "NET_DM") != 0 ||
	    !id || mnl_attr_validate(id, MNL_TYPE_U16) < 0 || mnl_attr_get_u16(id) < GENL_MIN_ID)
		return;
	if (cmd == CTRL_CMD_DELFAMILY) {
		if (ref.known && ref.family == mnl_attr_get_u16(id))
			ref.known = false;
		return;
	}
	ref.family = mnl_attr_get_u16(id);
	ref.known = true;
}

static bool ref_looks_like_netdm(const struct nlmsghdr *nlh)
{
	struct drop_alert a;
	int cmd;

	if (nlh->nlmsg_type < GENL_MIN_ID)
		return false;
	cmd = nlparse_genl_cmd(nlh);
	if (cmd == NET_DM_CMD_ALERT)
		return true;
	return cmd == NET_DM_CMD_PACKET_ALERT && netdm_parse_alert(nlh, &a) == 0;
}

static void ref_message(const struct nlmsghdr *nlh, uint64_t ts)
{
	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		ref_learn(nlh);
		want.st.skipped++;
		return;
	}
	if (ref.known ? nlh->nlmsg_type != ref.family : !ref_looks_like_netdm(nlh)) {
		want.st.skipped++;
		return;
	}
	ref.known = true;
	ref.family = nlh->nlmsg_type;
	want.st.netdm_msgs++;
	add(&want, 'M', nlh->nlmsg_len, nlh->nlmsg_len, ts, nlh);
}

/* The reference walks the lengths itself, on purpose: a model sharing
 * nlparse_valid_len() with replay.c could not catch a fault in it.
 */
static void ref_netlink(const uint8_t *data, uint32_t caplen, uint64_t ts)
{
	size_t off = 16;
	bool any = false;
	uint32_t len;

	if (caplen < 16) {
		ref_malformed();
		return;
	}
	if ((data[14] << 8 | data[15]) != NETLINK_GENERIC) {
		want.st.skipped++;
		return;
	}
	while (caplen - off >= NLMSG_HDRLEN) {
		memcpy(&len, data + off, sizeof(len));
		if (len < NLMSG_HDRLEN || len > caplen - off) {
			ref_malformed();
			return;
		}
		memcpy(ref.scratch.bytes, data + off, len);
		ref_message((const struct nlmsghdr *)(const void *)ref.scratch.bytes, ts);
		any = true;
		off += NLMSG_ALIGN(len);
		if (off >= caplen)
			break;
	}
	if (!any)
		ref_malformed();
}

static int ref_replay(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int dlt, rc;

	memset(&want, 0, offsetof(struct log, ev));
	ref.known = false;
	ref.family = 0;
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p)
		return -1;
	dlt = pcap_datalink(p);
	if (dlt != DLT_NETLINK && dlt != DLT_EN10MB) {
		pcap_close(p);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		uint64_t ts = h->ts.tv_sec < 0 || h->ts.tv_usec < 0 ? 0 :
			      (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;

		want.st.records++;
		if (dlt == DLT_NETLINK) {
			ref_netlink(data, h->caplen, ts);
		} else {
			want.st.frames++;
			add(&want, 'F', h->len, h->caplen, ts, data);
		}
	}
	pcap_close(p);
	return rc == PCAP_ERROR_BREAK ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct replay_ops ops = { on_msg, on_frame, on_malformed, NULL };
	struct errmsg e = { 0 };
	char path[64];
	size_t len, i;
	uint8_t *file = fuzz_make_pcap(data, size, &len);
	int fd = fuzz_memfd(file, len, path, sizeof(path));
	int rc, ref_rc;

	memset(&got, 0, offsetof(struct log, ev));
	rc = replay_file(path, &ops, &got.st, &e);
	ref_rc = ref_replay(path);
	close(fd);
	free(file);
	FUZZ_CHECK(rc == 0 || (rc == -1 && e.text[0]));
	FUZZ_CHECK(rc == ref_rc);
	FUZZ_CHECK(got.st.records == want.st.records);
	FUZZ_CHECK(got.st.frames == want.st.frames && got.st.netdm_msgs == want.st.netdm_msgs);
	FUZZ_CHECK(got.st.skipped == want.st.skipped && got.st.malformed == want.st.malformed);
	FUZZ_CHECK(got.n == want.n);
	for (i = 0; i < got.n; i++) {
		const struct event *g = &got.ev[i], *w = &want.ev[i];

		FUZZ_CHECK(g->kind == w->kind && g->len == w->len && g->caplen == w->caplen);
		FUZZ_CHECK(g->ts == w->ts && g->hash == w->hash);
	}
	return 0;
}
