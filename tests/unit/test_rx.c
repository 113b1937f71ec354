/* Tests for rx_dispatch(): each row is a datagram as recvmsg() would give
 * it, with the callback's calls and the malformed count worked out by hand
 * from the netlink framing rules (nlmsg_len covers the header, messages
 * start 4-byte aligned, the last may end unpadded) and libmnl 1.0.4's
 * mnl_cb_run() (NOOP and OVERRUN pass, ERROR with an error code fails,
 * DONE stops, other control types are skipped, an interrupted dump
 * fails). Every row is also held to the reference: mnl_cb_run() itself
 * over the datagram's whole messages, as rx.c read datagrams before its
 * one-message fast path.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "nlparse.h"
#include "rx.h"
#include "tap.h"

#define DATA 0x1c	/* a generic netlink family's id: a data message */

struct counts {
	int calls, malformed, wrong_ptr;
	int ret;		/* what the callback returns */
	const uint8_t *at[3];	/* where each data message starts, in order */
};

static int on_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct counts *c = arg;

	if (c->calls >= 3 || (const uint8_t *)nlh != c->at[c->calls])
		c->wrong_ptr++;
	c->calls++;
	return c->ret;
}

static void on_malformed(void *arg)
{
	((struct counts *)arg)->malformed++;
}

static void on_overrun(void *arg)
{
	(void)arg;
}

/* A message at off: header, then body bytes of 0xab. */
static size_t put(uint8_t *buf, size_t off, uint32_t len, uint16_t type, uint16_t flags)
{
	struct nlmsghdr h = { .nlmsg_len = len, .nlmsg_type = type, .nlmsg_flags = flags };

	memcpy(buf + off, &h, sizeof(h));
	if (len > sizeof(h))
		memset(buf + off + sizeof(h), 0xab, len - sizeof(h));
	if (type == NLMSG_ERROR && len >= sizeof(h) + sizeof(struct nlmsgerr)) {
		struct nlmsgerr err = { .error = -EPERM };

		memcpy(buf + off + sizeof(h), &err, sizeof(err));
	}
	return off + NLMSG_ALIGN(len);
}

struct row {
	const char *name;
	struct { uint32_t len; uint16_t type, flags; } msg[3];
	int nmsg;
	int size;		/* the datagram's bytes; 0: the messages, padded */
	int msg_flags;		/* recvmsg()'s flags */
	int ret;		/* the callback's return */
	int calls, malformed;	/* by hand */
};

static const struct row rows[] = {
	{ "one data message", { { 36, DATA, 0 } }, 1, 0, 0, MNL_CB_OK, 1, 0 },
	{ "one data message, unaligned, padded", { { 34, DATA, 0 } }, 1, 0, 0, MNL_CB_OK, 1, 0 },
	{ "one data message, unaligned, unpadded", { { 34, DATA, 0 } }, 1, 34, 0, MNL_CB_OK, 1, 0 },
	{ "the lowest data type", { { 20, NLMSG_MIN_TYPE, 0 } }, 1, 0, 0, MNL_CB_OK, 1, 0 },
	{ "two data messages", { { 36, DATA, 0 }, { 28, DATA, 0 } }, 2, 0, 0, MNL_CB_OK, 2, 0 },
	{ "three, the middle unaligned", { { 20, DATA, 0 }, { 21, DATA, 0 }, { 16, DATA, 0 } }, 3,
	  0, 0, MNL_CB_OK, 3, 0 },
	{ "data, then 8 stray bytes", { { 36, DATA, 0 } }, 1, 44, 0, MNL_CB_OK, 1, 1 },
	{ "data, then 4 stray bytes", { { 36, DATA, 0 } }, 1, 40, 0, MNL_CB_OK, 1, 1 },
	{ "a message running past the datagram", { { 36, DATA, 0 } }, 1, 28, 0, MNL_CB_OK, 0, 1 },
	{ "an empty datagram", { { 0, 0, 0 } }, 0, 0, 0, MNL_CB_OK, 0, 0 },
	{ "a header only", { { 16, DATA, 0 } }, 1, 0, 0, MNL_CB_OK, 1, 0 },
	{ "a length below the header", { { 12, DATA, 0 } }, 1, 16, 0, MNL_CB_OK, 0, 1 },
	{ "cut short by the socket", { { 36, DATA, 0 } }, 1, 0, MSG_TRUNC, MNL_CB_OK, 0, 1 },
	{ "an interrupted dump", { { 36, DATA, NLM_F_DUMP_INTR } }, 1, 0, 0, MNL_CB_OK, 0, 1 },
	{ "data, then an interrupted dump", { { 36, DATA, 0 }, { 36, DATA, NLM_F_DUMP_INTR } }, 2,
	  0, 0, MNL_CB_OK, 1, 1 },
	{ "multipart data", { { 36, DATA, NLM_F_MULTI } }, 1, 0, 0, MNL_CB_OK, 1, 0 },
	{ "the callback fails", { { 36, DATA, 0 } }, 1, 0, 0, MNL_CB_ERROR, 1, 1 },
	{ "the callback stops", { { 36, DATA, 0 }, { 36, DATA, 0 } }, 2, 0, 0, MNL_CB_STOP, 1, 0 },
	{ "NLMSG_NOOP", { { 16, NLMSG_NOOP, 0 } }, 1, 0, 0, MNL_CB_OK, 0, 0 },
	{ "NLMSG_ERROR with an error", { { 36, NLMSG_ERROR, 0 } }, 1, 0, 0, MNL_CB_OK, 0, 1 },
	{ "NLMSG_DONE, then data", { { 20, NLMSG_DONE, 0 }, { 36, DATA, 0 } }, 2, 0, 0, MNL_CB_OK,
	  0, 0 },
	{ "NLMSG_OVERRUN, then data", { { 16, NLMSG_OVERRUN, 0 }, { 36, DATA, 0 } }, 2, 0, 0,
	  MNL_CB_OK, 1, 0 },
	{ "a reserved control type, then data", { { 16, 0x0f, 0 }, { 36, DATA, 0 } }, 2, 0, 0,
	  MNL_CB_OK, 1, 0 },
};

/* rx.c before the fast path: libmnl walks the whole messages. */
static void reference(const void *buf, size_t n, int msg_flags, const struct rx_ops *ops)
{
	size_t valid;

	if (msg_flags & MSG_TRUNC) {
		ops->on_malformed(ops->arg);
		return;
	}
	valid = nlparse_valid_len(buf, n);
	if (valid < n)
		ops->on_malformed(ops->arg);
	if (valid && mnl_cb_run(buf, valid, 0, 0, ops->on_msg, ops->arg) < 0)
		ops->on_malformed(ops->arg);
}

static void run(const struct row *r, bool ref, struct counts *c)
{
	/* Aligned as recvmmsg()'s buffers are; the datagram ends the buffer's
	 * meaningful part, and the byte after it is poison.
	 */
	static uint8_t buf[512] __attribute__((aligned(8)));
	struct rx_ops ops = { on_msg, on_malformed, on_overrun, c };
	size_t off = 0;
	int i, data = 0;

	memset(buf, 0xee, sizeof(buf));
	memset(c, 0, sizeof(*c));
	for (i = 0; i < r->nmsg; i++) {
		if (r->msg[i].type >= NLMSG_MIN_TYPE)
			c->at[data++] = buf + off;
		off = put(buf, off, r->msg[i].len, r->msg[i].type, r->msg[i].flags);
	}
	if (r->size)
		off = (size_t)r->size;
	c->ret = r->ret;
	(ref ? reference : rx_dispatch)(buf, off, r->msg_flags, &ops);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct counts got, want;

		run(r, false, &got);
		run(r, true, &want);
		tap_ok(got.calls == r->calls && got.malformed == r->malformed && !got.wrong_ptr,
		       "%s: %d calls, %d malformed (got %d, %d%s)", r->name, r->calls,
		       r->malformed, got.calls, got.malformed,
		       got.wrong_ptr ? ", a message passed at the wrong place" : "");
		tap_ok(got.calls == want.calls && got.malformed == want.malformed,
		       "%s: as mnl_cb_run() over its whole messages (%d calls, %d malformed)",
		       r->name, want.calls, want.malformed);
	}
	return tap_done();
}
