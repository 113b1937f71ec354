/* replay: read a capture file and hand each drop to the same code as live
 * alerts.
 *
 * Classic pcap files (trapmon -w, dwdump, tcpdump -w) are read here, out
 * of a window of the file at a time (filebuf: mapped from the page cache,
 * else by read() a MiB at a time): no system call, copy or allocation per
 * record. The checks on each record are libpcap's own (sf-pcap.c, 1.10),
 * with its error texts. Anything else (pcapng, old or odd pcap variants,
 * files that are no capture at all) goes to libpcap, which is handed the
 * bytes already read, so its answers are unchanged.
 *
 * LINKTYPE_NETLINK records (trapmon, dwdump, nlmon) are a 16-byte cooked
 * header, whose protocol field (big-endian, as Wireshark reads it) says
 * which netlink bus, followed by one or more netlink messages in host
 * order. NET_DM's generic netlink id differs between hosts, so it is
 * learnt from nlctrl records (NEWFAMILY, or GETFAMILY dump replies as
 * dwdump writes them); before any, a message that looks like a NET_DM
 * alert is taken and its id remembered. A message is handed on where it
 * lies when it is 4-byte aligned (trapmon's and dwdump's always are: the
 * buffer keeps the file's alignment), else from an aligned scratch copy.
 * "skipped" counts messages, plus whole records of other netlink buses;
 * "malformed" counts records.
 */
#include "config.h"

#include <byteswap.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>
#include <linux/netlink.h>
#include <pcap/pcap.h>

#include "errmsg.h"
#include "filebuf.h"
#include "netdm.h"
#include "nlparse.h"
#include "replay.h"

#define COOKED_LEN 16
#define MAX_CAPLEN 262144	/* libpcap's MAXIMUM_SNAPLEN: larger records are errors */
#define SCRATCH_SIZE (MAX_CAPLEN + 64)
#define FILE_HDR 24
#define REC_HDR 16

struct replay {
	const struct replay_ops *ops;
	struct replay_stats *st;
	bool known;		/* family holds NET_DM's id */
	uint16_t family;
	struct filebuf in;
	uint64_t *scratch;	/* SCRATCH_SIZE bytes, once a message is misaligned */
};

/* A classic pcap file header this reader takes on: version 2.4, microsecond
 * or nanosecond magic in either byte order, Ethernet or netlink.
 */
struct classic {
	bool swapped;
	bool nano;
	int dlt;
	uint32_t snapshot;
};

static void __attribute__((noinline, cold)) malformed(struct replay *r)
{
	r->st->malformed++;
	if (r->ops->malformed)
		r->ops->malformed(r->ops->arg);
}

/* nlctrl: NEWFAMILY (announcements, GETFAMILY replies) names NET_DM's id;
 * DELFAMILY (module unloaded) retires it.
 */
static void __attribute__((noinline, cold)) learn_family(struct replay *r,
							   const struct nlmsghdr *nlh)
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
		return;		/* an id below GENL_MIN_ID is no family's: keep guessing */
	if (cmd == CTRL_CMD_DELFAMILY) {
		if (r->known && r->family == mnl_attr_get_u16(id))
			r->known = false;
		return;
	}
	r->family = mnl_attr_get_u16(id);
	r->known = true;
}

/* Without nlctrl records: a generic netlink message carrying a NET_DM
 * alert command (a packet alert must also parse as one).
 */
static bool __attribute__((noinline, cold)) looks_like_netdm(const struct nlmsghdr *nlh)
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

static void on_message(struct replay *r, const struct nlmsghdr *nlh, uint64_t ts_ns)
{
	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		learn_family(r, nlh);
		r->st->skipped++;
		return;
	}
	if (r->known ? nlh->nlmsg_type != r->family : !looks_like_netdm(nlh)) {
		r->st->skipped++;
		return;
	}
	r->known = true;
	r->family = nlh->nlmsg_type;
	r->st->netdm_msgs++;
	if (r->ops->netdm_msg)
		r->ops->netdm_msg(nlh, ts_ns, r->ops->arg);
}

/* One LINKTYPE_NETLINK record: the messages before a bad one still count. */
static void on_netlink(struct replay *r, const uint8_t *data, uint32_t caplen, uint64_t ts_ns)
{
	size_t off = 0;
	bool any = false;
	uint32_t len;

	if (caplen < COOKED_LEN) {
		malformed(r);
		return;
	}
	if ((data[14] << 8 | data[15]) != NETLINK_GENERIC) {
		r->st->skipped++;	/* rtnetlink and the rest of an nlmon capture */
		return;
	}
	data += COOKED_LEN;
	caplen -= COOKED_LEN;
	/* One pass; a bad length stops it, or there was no message at all. */
	while ((len = nlparse_msg_len(data + off, caplen - off)) != 0) {
		const uint8_t *at = data + off;

		if ((uintptr_t)at & 3) {
			if (!r->scratch && !(r->scratch = malloc(SCRATCH_SIZE))) {
				malformed(r);	/* out of memory: cannot align it */
				return;
			}
			memcpy(r->scratch, at, len);
			at = (const uint8_t *)r->scratch;
		}
		on_message(r, (const struct nlmsghdr *)(const void *)at, ts_ns);
		any = true;
		off += NLMSG_ALIGN(len);
		if (off >= caplen)
			return;
	}
	if (caplen - off >= NLMSG_HDRLEN || !any)
		malformed(r);
}

static void on_record(struct replay *r, int dlt, const uint8_t *data, uint32_t caplen,
		      uint32_t len, uint64_t ts_ns)
{
	if (!r->st->records++)
		r->st->first_ns = ts_ns;
	r->st->last_ns = ts_ns;
	if (dlt == DLT_NETLINK) {
		on_netlink(r, data, caplen, ts_ns);
	} else {
		r->st->frames++;
		if (r->ops->ether_frame)
			r->ops->ether_frame(data, caplen, len, ts_ns, r->ops->arg);
	}
}

static int open_input(const char *path)
{
	if (strcmp(path, "-") != 0)
		return open(path, O_RDONLY | O_CLOEXEC);
	/* The reader closes its descriptor: give it a copy of stdin. */
	return fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
}

static const char *open_fix(int err)
{
	switch (err) {
	case ENOENT: case ENOTDIR:
		return "check the path";
	case EACCES: case EPERM:
		return "check the file's permissions";
	default:
		return "give a readable capture file";
	}
}

static uint32_t rd32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? bswap_32(v) : v;
}

static bool classic_header(const uint8_t *h, struct classic *c)
{
	uint32_t magic = rd32(h, false), snaplen, linktype;
	uint16_t major, minor;

	c->swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	if (c->swapped)
		magic = bswap_32(magic);
	if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d)
		return false;
	c->nano = magic == 0xa1b23c4d;
	memcpy(&major, h + 4, sizeof(major));
	memcpy(&minor, h + 6, sizeof(minor));
	if (c->swapped) {
		major = bswap_16(major);
		minor = bswap_16(minor);
	}
	snaplen = rd32(h + 16, c->swapped);
	linktype = rd32(h + 20, c->swapped);
	if (major != 2 || minor != 4 || (linktype != 1 && linktype != 253))
		return false;
	c->dlt = linktype == 1 ? DLT_EN10MB : DLT_NETLINK;
	/* libpcap's pcap_adjust_snapshot() */
	c->snapshot = snaplen == 0 || snaplen > INT32_MAX ? MAX_CAPLEN : snaplen;
	return true;
}

/* The records of a classic pcap file, as libpcap's pcap_next_packet()
 * reads them. Returns 0 at its end, or -1 with errbuf set. Inlined twice,
 * with swapped constant, so the common case has no byte-order tests.
 */
static inline __attribute__((always_inline)) int
read_records(struct replay *r, const struct classic *c, bool swapped, char *errbuf)
{
	for (;;) {
		size_t avail = r->in.len - r->in.pos;
		uint32_t sec, frac, caplen, len, keep;
		const uint8_t *h;
		uint64_t ts = 0;

		if (avail < REC_HDR)
			avail = filebuf_fill(&r->in, REC_HDR);
		if (avail < REC_HDR) {
			if (r->in.read_err)
				goto err_read;
			if (avail == 0)
				return 0;
			snprintf(errbuf, PCAP_ERRBUF_SIZE, "truncated dump file; tried to read %d "
				 "header bytes, only got %zu", REC_HDR, avail);
			return -1;
		}
		h = r->in.buf + r->in.pos;
		sec = rd32(h, swapped);
		frac = rd32(h + 4, swapped);
		caplen = rd32(h + 8, swapped);
		len = rd32(h + 12, swapped);
		if (caplen > MAX_CAPLEN) {
			if (caplen > c->snapshot)
				snprintf(errbuf, PCAP_ERRBUF_SIZE, "invalid packet capture length %u, "
					 "bigger than snaplen of %d", caplen, (int)c->snapshot);
			else
				snprintf(errbuf, PCAP_ERRBUF_SIZE, "invalid packet capture length %u, "
					 "bigger than maximum of %u", caplen, MAX_CAPLEN);
			return -1;
		}
		if (avail < REC_HDR + (size_t)caplen) {
			avail = filebuf_fill(&r->in, REC_HDR + (size_t)caplen);
			h = r->in.buf + r->in.pos;
			if (avail < REC_HDR + (size_t)caplen) {
				size_t got = avail - REC_HDR;

				if (r->in.read_err)
					goto err_read;
				if (caplen > c->snapshot && got < c->snapshot)
					snprintf(errbuf, PCAP_ERRBUF_SIZE, "truncated dump file; tried "
						 "to read %d captured bytes, only got %zu",
						 (int)c->snapshot, got);
				else
					snprintf(errbuf, PCAP_ERRBUF_SIZE, "truncated dump file; tried "
						 "to read %u captured bytes, only got %zu", caplen, got);
				return -1;
			}
		}
		/* A mapped file cut short reads as zeros: read again by read(). */
		if (!filebuf_sound(&r->in, REC_HDR + (size_t)caplen))
			continue;
		/* Longer than the file's snapshot length: the rest is dropped. */
		keep = caplen > c->snapshot ? c->snapshot : caplen;
		r->in.pos += REC_HDR + (size_t)caplen;
		/* Nanoseconds; microsecond files are scaled, as libpcap does.
		 * libpcap 1.10 takes both time fields as signed in a file of the
		 * host's byte order but as unsigned in a swapped one (past 2038
		 * the two differ); record_ts() makes a negative stamp 0.
		 */
		if (swapped || ((int32_t)sec >= 0 && (int32_t)frac >= 0))
			ts = (uint64_t)sec * 1000000000u + (uint64_t)frac * (c->nano ? 1u : 1000u);
		on_record(r, c->dlt, h + REC_HDR, keep, len, ts);
	}

err_read:
	snprintf(errbuf, PCAP_ERRBUF_SIZE, "error reading dump file: %s", strerror(r->in.read_err));
	return -1;
}

static int read_classic(struct replay *r, const struct classic *c, char *errbuf)
{
	return c->swapped ? read_records(r, c, true, errbuf) : read_records(r, c, false, errbuf);
}

/* libpcap reads what is left through a FILE: first the bytes already in
 * the buffer, then the descriptor.
 */
static ssize_t cookie_read(void *arg, char *out, size_t n)
{
	struct replay *r = arg;
	size_t have = r->in.len - r->in.pos;
	ssize_t got;

	if (have) {
		if (n > have)
			n = have;
		memcpy(out, r->in.buf + r->in.pos, n);
		r->in.pos += n;
		return (ssize_t)n;
	}
	do
		got = read(r->in.fd, out, n);
	while (got < 0 && errno == EINTR);
	return got;
}

static int cookie_close(void *arg)
{
	struct replay *r = arg;
	int fd = r->in.fd;

	r->in.fd = -1;
	return fd >= 0 ? close(fd) : 0;
}

static uint64_t record_ts(const struct pcap_pkthdr *h)
{
	/* Nanosecond precision: tv_usec holds nanoseconds, also for
	 * microsecond files (libpcap scales them).
	 */
	if (h->ts.tv_sec < 0 || h->ts.tv_usec < 0)
		return 0;
	return (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
}

/* Everything but classic pcap: libpcap's own reader. */
static int read_libpcap(struct replay *r, const char *shown, struct errmsg *e)
{
	static const cookie_io_functions_t io = { .read = cookie_read, .close = cookie_close };
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	const char *lt;
	pcap_t *p;
	FILE *f;
	int dlt, rc;

	f = fopencookie(r, "rb", io);
	if (!f) {
		errmsg_set(e, ENOMEM, "cannot read %.300s: out of memory: "
			   "raise the memory limit (ulimit -v)", shown);
		return -1;
	}
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		errmsg_set(e, EINVAL, "cannot read %.300s: %s: give a pcap or pcapng file "
			   "(trapmon -w, dwdump, tcpdump -w)", shown, errbuf);
		fclose(f);
		return -1;
	}
	dlt = pcap_datalink(p);
	if (dlt != DLT_NETLINK && dlt != DLT_EN10MB) {
		lt = pcap_datalink_val_to_name(dlt);
		errmsg_set(e, EINVAL, "%.300s has link type %s (%d): trapmon reads netlink "
			   "(NET_DM) and Ethernet captures", shown, lt ? lt : "unknown", dlt);
		pcap_close(p);	/* closes f too */
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1)
		on_record(r, dlt, data, h->caplen, h->len, record_ts(h));
	if (rc != PCAP_ERROR_BREAK) {
		errmsg_set(e, EIO, "reading %.300s failed after %llu records: %s: the capture "
			   "was cut short or is damaged; repair it (e.g. editcap) to read the rest",
			   shown, (unsigned long long)r->st->records, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	pcap_close(p);
	return 0;
}

int replay_file(const char *path, const struct replay_ops *ops, struct replay_stats *st,
		struct errmsg *e)
{
	const char *shown = strcmp(path, "-") == 0 ? "standard input" : path;
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct replay_stats local;
	struct classic c;
	struct replay *r;
	int fd, ret;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	fd = open_input(path);
	if (fd < 0) {
		errmsg_set(e, errno, "cannot open %.300s: %s: %s", shown, strerror(errno),
			   open_fix(errno));
		return -1;
	}
	r = calloc(1, sizeof(*r));
	if (!r || filebuf_init(&r->in, fd) < 0) {
		if (r)
			filebuf_fini(&r->in);	/* closes fd */
		else
			close(fd);
		free(r);
		errmsg_set(e, ENOMEM, "cannot read %.300s: out of memory: "
			   "raise the memory limit (ulimit -v)", shown);
		return -1;
	}
	r->ops = ops;
	r->st = st;
	if (filebuf_fill(&r->in, FILE_HDR) >= FILE_HDR && classic_header(r->in.buf, &c)) {
		r->in.pos = FILE_HDR;
		/* This reader's records can come straight from the page cache. */
		filebuf_map(&r->in);
		ret = read_classic(r, &c, errbuf);
		if (ret < 0)
			errmsg_set(e, EIO, "reading %.300s failed after %llu records: %s: the "
				   "capture was cut short or is damaged; repair it (e.g. editcap) "
				   "to read the rest", shown, (unsigned long long)st->records, errbuf);
	} else {
		r->in.eof = false;	/* libpcap reads on, and sees errors for itself */
		ret = read_libpcap(r, shown, e);
	}
	filebuf_fini(&r->in);
	free(r->scratch);
	free(r);
	return ret;
}
