/* rx: NET_DM's event socket read in batches. recvmmsg() fills up to
 * RX_SLOTS datagrams a system call; each datagram's netlink messages are
 * length-checked before libmnl walks them and handed to a callback.
 * Receive-buffer overruns (ENOBUFS) and malformed datagrams are reported,
 * never hidden.
 */
#ifndef TRAPMON_RX_H
#define TRAPMON_RX_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "errmsg.h"

#define RX_SLOTS 64
#define RX_SLOT_SIZE (65536 + 4096)	/* any alert: payload attribute and the rest */
#define RX_HOLD 0.02		/* seconds the socket rests after a partial batch */

struct nlmsghdr;

struct rx {
	struct mmsghdr *msgs;
	struct iovec *iov;
	uint8_t *buf;		/* RX_SLOTS buffers, allocated on the first read */
};

struct rx_ops {
	int (*on_msg)(const struct nlmsghdr *nlh, void *arg);	/* a libmnl callback */
	void (*on_malformed)(void *arg);	/* a datagram cut short or badly framed */
	void (*on_overrun)(void *arg);		/* the socket dropped datagrams (ENOBUFS) */
	void *arg;
};

/* Read fd until it would block. Returns the datagrams read (fewer than
 * RX_SLOTS in the last batch: the queue is empty), or -1 with e set.
 */
long rx_drain(struct rx *rx, int fd, const struct rx_ops *ops, struct errmsg *e);

/* One datagram of n bytes, as recvmsg() flagged it: each whole message to
 * on_msg, as mnl_cb_run() would hand them; a datagram cut short
 * (MSG_TRUNC), bytes past the last whole message, or on_msg failing,
 * to on_malformed.
 */
void rx_dispatch(const void *buf, size_t n, int msg_flags, const struct rx_ops *ops);

void rx_fini(struct rx *rx);

#endif
