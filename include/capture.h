/* capture: pcap files of what trapmon receives, through libpcap.
 * The default is LINKTYPE_NETLINK (253) in the layout Wireshark's net_dm
 * dissector decodes: each record is a 16-byte cooked header followed by the
 * whole NET_DM message, and every file starts with an nlctrl NEWFAMILY
 * record naming NET_DM, so each file decodes on its own. --linktype=ether
 * writes the dropped frames only. Rotation follows tcpdump: -C, -G, -W.
 */
#ifndef TRAPMON_CAPTURE_H
#define TRAPMON_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct nlmsghdr;
struct errmsg;

enum capture_linktype {
	CAPTURE_NETLINK,	/* LINKTYPE_NETLINK with the NET_DM message */
	CAPTURE_ETHER,		/* LINKTYPE_ETHERNET with the payload only */
};

struct capture_opts {
	const char *path;	/* "-" writes to stdout; strftime patterns with -G */
	enum capture_linktype linktype;
	uint64_t rotate_bytes;	/* -C: rotate when a file reaches this size; 0: never */
	unsigned int rotate_seconds;	/* -G: rotate every N seconds; 0: never */
	unsigned int ring_files;	/* -W: keep at most N files, reusing names; 0: no limit */
	bool packet_buffered;	/* -U: flush after every record */
	uint16_t family_id;	/* NET_DM's generic netlink family id, for the preamble */
};

struct capture;

/* Open the first file (and write its preamble). NULL on error, e says why
 * in one line (e.g. permission denied, no such directory).
 */
struct capture *capture_open(const struct capture_opts *o, struct errmsg *e);

/* Write one NET_DM message. ts_ns is the kernel's drop time (realtime ns);
 * 0 means "now". For CAPTURE_ETHER, payload/payload_len/orig_len are the
 * frame to write and nlh is ignored. Returns 0, or -1 once writing failed
 * (disk full, EIO): after that every call returns -1 without writing, and
 * capture_error() says why. The file stays readable up to its last whole
 * record.
 */
int capture_write(struct capture *c, const struct nlmsghdr *nlh, const uint8_t *payload,
		  uint32_t payload_len, uint32_t orig_len, uint64_t ts_ns);

/* Call at least once a second: flushes buffered output and rotates by time
 * (-G) even when no packet arrives: -G's seconds counted on mono
 * (CLOCK_MONOTONIC), file names from now (CLOCK_REALTIME); NULL reads the
 * clock. Returns 0 or -1 as capture_write.
 */
int capture_tick(struct capture *c, const struct timespec *now, const struct timespec *mono);

/* Why writing failed, or NULL. */
const char *capture_error(const struct capture *c);

/* The errno of that failure (EPIPE: the reader went away), or 0. */
int capture_errno(const struct capture *c);

/* Flush and close; returns -1 if any write failed. NULL is fine. */
int capture_close(struct capture *c);

/* Parse "-C" sizes: millions of bytes by default, k/m/g suffixes accepted
 * (as tcpdump: 1k = 1024, 1m = 1024*1024, 1g = 1024^3). 0 on success.
 */
int capture_parse_size(const char *s, uint64_t *bytes);

#endif
