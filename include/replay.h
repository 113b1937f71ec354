/* replay: read a capture file and feed each drop into the same parser and
 * aggregation as live alerts. Accepts trapmon's and dwdump's LINKTYPE_NETLINK
 * files, raw nlmon captures (NET_DM found through their nlctrl records), and
 * plain Ethernet pcaps, where each frame is a drop with trap "-".
 */
#ifndef TRAPMON_REPLAY_H
#define TRAPMON_REPLAY_H

#include <stdint.h>

struct nlmsghdr;
struct errmsg;

struct replay_ops {
	/* One NET_DM message (any command), 4-byte aligned, nlmsg_len bytes
	 * valid. ts_ns is the record's timestamp.
	 */
	void (*netdm_msg)(const struct nlmsghdr *nlh, uint64_t ts_ns, void *arg);
	/* One Ethernet frame of a plain pcap. */
	void (*ether_frame)(const uint8_t *frame, uint32_t caplen, uint32_t len, uint64_t ts_ns,
			    void *arg);
	/* A record that could not be read as netlink (truncated, bad length). */
	void (*malformed)(void *arg);
	void *arg;
};

struct replay_stats {
	uint64_t records;	/* pcap records read */
	uint64_t first_ns;	/* the first record's timestamp (any record: the capture's start) */
	uint64_t last_ns;	/* the last record's */
	uint64_t netdm_msgs;	/* NET_DM messages passed to netdm_msg */
	uint64_t frames;	/* Ethernet frames passed to ether_frame */
	uint64_t skipped;	/* other netlink traffic (nlmon), nlctrl records */
	uint64_t malformed;
};

/* Read the whole file ("-" is stdin). Returns 0, or -1 with e set: cannot
 * open, not a pcap, an unsupported link type, or a read error midway (what
 * was read before still went to the callbacks).
 */
int replay_file(const char *path, const struct replay_ops *ops, struct replay_stats *st,
		struct errmsg *e);

#endif
