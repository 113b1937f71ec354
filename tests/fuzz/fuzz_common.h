/* Shared helpers of the libFuzzer targets: invariant checks that abort (so
 * libFuzzer records the input), exact-size copies (so ASan sees any read
 * past the bytes a parser was given), and pcap files in a memfd.
 */
#ifndef TRAPMON_FUZZ_COMMON_H
#define TRAPMON_FUZZ_COMMON_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "nlparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                              \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,    \
				__LINE__, #cond);                                     \
			abort();                                                      \
		}                                                                     \
	} while (0)

/* Is [p, p+n) inside [lo, lo+len)? */
static inline bool fuzz_inside(const void *lo, size_t len, const void *p, size_t n)
{
	const char *b = lo, *q = p;

	return q >= b && n <= len && (size_t)(q - b) <= len - n;
}

/* A NUL-terminated string that lies wholly inside [lo, lo+len). */
static inline bool fuzz_str_inside(const void *lo, size_t len, const char *s)
{
	const char *b = lo;

	return s >= b && (size_t)(s - b) < len && memchr(s, '\0', len - (size_t)(s - b)) != NULL;
}

/* An exact-size heap copy: 16-byte aligned, ASan redzone right after it. */
static inline void *fuzz_dup(const void *data, size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	return p;
}

/* The read loops hand libmnl only the prefix of a datagram that is whole
 * messages (nlparse_valid_len(), the one length check of live reads and
 * replays): libmnl 1.0.4's mnl_nlmsg_ok() compares (int)nlmsg_len <= len,
 * so a message claiming nlmsg_len >= 2^31 would pass and send mnl_cb_run()
 * gigabytes ahead or round to zero and loop. The targets do the same;
 * -DFUZZ_MNL_OVERLONG hands libmnl the whole input instead, to show why.
 */
#ifdef FUZZ_MNL_OVERLONG
#define FUZZ_CB_LEN(buf, len) (len)
#else
#define FUZZ_CB_LEN(buf, len) nlparse_valid_len(buf, len)
#endif

/* The netlink targets' harness: parse is given the input as one message
 * (nlmsg_len forced to the input's size, and as given when it fits), then
 * each message a read loop would hand to mnl_cb_run(), in an exact-size
 * copy so ASan catches a read past nlmsg_len. Only with -DFUZZ_MNL_OVERLONG
 * can a message claim more than the buffer holds: it is parsed in place.
 */
struct fuzz_run {
	const uint8_t *buf;
	size_t len;
	void (*parse)(const struct nlmsghdr *nlh);
};

static inline int fuzz_on_msg(const struct nlmsghdr *nlh, void *arg)
{
	const struct fuzz_run *r = arg;
	struct nlmsghdr *copy;

	if (nlh->nlmsg_len > r->len - (size_t)((const uint8_t *)nlh - r->buf)) {
		r->parse(nlh);
		return MNL_CB_OK;
	}
	copy = fuzz_dup(nlh, nlh->nlmsg_len);
	r->parse(copy);
	free(copy);
	return MNL_CB_OK;
}

static inline int fuzz_messages(const uint8_t *data, size_t size,
				void (*parse)(const struct nlmsghdr *nlh))
{
	struct fuzz_run r = { NULL, size, parse };
	struct nlmsghdr *nlh;
	uint32_t raw;

	if (size < sizeof(*nlh))
		return 0;
	nlh = fuzz_dup(data, size);
	raw = nlh->nlmsg_len;
	nlh->nlmsg_len = (uint32_t)size;
	parse(nlh);
	free(nlh);
	/* nlmsg_len as given, when it fits: exactly that many bytes. */
	if (raw != size && raw >= sizeof(*nlh) && raw <= size) {
		nlh = fuzz_dup(data, raw);
		parse(nlh);
		free(nlh);
	}
	nlh = fuzz_dup(data, size);
	r.buf = (const uint8_t *)nlh;
	mnl_cb_run(nlh, FUZZ_CB_LEN(nlh, size), 0, 0, fuzz_on_msg, &r);
	free(nlh);
	return 0;
}

/* pcap file and record headers, nanosecond magic, host byte order. */
#define FUZZ_DLT_EN10MB 1
#define FUZZ_DLT_NETLINK 253

static inline size_t fuzz_pcap_header(uint8_t *out, uint32_t dlt)
{
	const uint32_t magic = 0xa1b23c4d, snaplen = 262144, zero = 0;
	const uint16_t major = 2, minor = 4;

	memcpy(out, &magic, 4);
	memcpy(out + 4, &major, 2);
	memcpy(out + 6, &minor, 2);
	memcpy(out + 8, &zero, 4);
	memcpy(out + 12, &zero, 4);
	memcpy(out + 16, &snaplen, 4);
	memcpy(out + 20, &dlt, 4);
	return 24;
}

static inline size_t fuzz_pcap_record(uint8_t *out, uint32_t caplen, uint32_t len)
{
	const uint32_t sec = 1700000000, nsec = 123456789;

	memcpy(out, &sec, 4);
	memcpy(out + 4, &nsec, 4);
	memcpy(out + 8, &caplen, 4);
	memcpy(out + 12, &len, 4);
	return 16;
}

/* LINKTYPE_NETLINK's cooked header for NETLINK_GENERIC, as capture.c writes it. */
static const uint8_t fuzz_cooked[16] = {
	0x00, 0x04, 0x03, 0x38, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x10,
};

/* Turn an input into a capture file. The first byte picks the shape, so the
 * fuzzer reaches the record parsers without having to guess a pcap header:
 *   0: the rest is the whole file (libpcap's own parsing included)
 *   1: a LINKTYPE_NETLINK file header, then the rest (records)
 *   2: a LINKTYPE_ETHERNET file header, then the rest (records)
 *   3: a LINKTYPE_NETLINK file with one record: the cooked header and the
 *      rest as its netlink messages
 * Returns a malloc'ed buffer and its length in *len.
 */
static inline uint8_t *fuzz_make_pcap(const uint8_t *data, size_t size, size_t *len)
{
	uint8_t *out = malloc(size + 64), *p = out;
	unsigned int mode = size ? data[0] % 4 : 0;

	if (!out)
		abort();
	if (size) {
		data++;
		size--;
	}
	switch (mode) {
	case 1:
		p += fuzz_pcap_header(p, FUZZ_DLT_NETLINK);
		break;
	case 2:
		p += fuzz_pcap_header(p, FUZZ_DLT_EN10MB);
		break;
	case 3:
		p += fuzz_pcap_header(p, FUZZ_DLT_NETLINK);
		p += fuzz_pcap_record(p, (uint32_t)(16 + size), (uint32_t)(16 + size));
		memcpy(p, fuzz_cooked, 16);
		p += 16;
		break;
	}
	if (size)
		memcpy(p, data, size);
	*len = (size_t)(p - out) + size;
	return out;
}

/* The bytes in a memfd; *path names it for fopen(). Returns the fd. With
 * read_only, the descriptor kept is a read-only one and the writable one
 * is closed, as for a capture nobody else has open.
 */
static inline int fuzz_memfd(const uint8_t *buf, size_t len, char *path, size_t pathlen,
			     bool read_only)
{
	int fd = memfd_create("trapmon-fuzz", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		abort();
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	if (read_only) {
		int ro = open(path, O_RDONLY | O_CLOEXEC);

		if (ro < 0)
			abort();
		close(fd);
		fd = ro;
		snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	}
	return fd;
}

#endif
