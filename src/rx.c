/* rx: batched reads of NET_DM's event socket with recvmmsg(). The buffers
 * are sized for whole packets whatever --trunc says (passive, another
 * session may have set none); only the pages an alert reaches are touched.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "nlparse.h"
#include "rx.h"

static int rx_init(struct rx *rx, struct errmsg *e)
{
	unsigned int i;

	rx->msgs = calloc(RX_SLOTS, sizeof(*rx->msgs));
	rx->iov = calloc(RX_SLOTS, sizeof(*rx->iov));
	rx->buf = malloc((size_t)RX_SLOTS * RX_SLOT_SIZE);
	if (!rx->msgs || !rx->iov || !rx->buf) {
		rx_fini(rx);
		errmsg_set(e, ENOMEM, "cannot allocate the alert buffers: out of memory");
		return -1;
	}
	for (i = 0; i < RX_SLOTS; i++) {
		rx->iov[i].iov_base = rx->buf + (size_t)i * RX_SLOT_SIZE;
		rx->iov[i].iov_len = RX_SLOT_SIZE;
		rx->msgs[i].msg_hdr.msg_iov = &rx->iov[i];
		rx->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return 0;
}

void rx_fini(struct rx *rx)
{
	free(rx->msgs);
	free(rx->iov);
	free(rx->buf);
	rx->msgs = NULL;
	rx->iov = NULL;
	rx->buf = NULL;
}

/* One datagram: its whole messages go to libmnl, the rest is malformed.
 * The kernel sends each alert as a datagram of one data message; such a
 * datagram goes straight to the callback, which is all mnl_cb_run() would
 * do with it (seq and port 0 check nothing), without the library's six
 * calls per alert: under the lab's emulated CPU every call and return is
 * a lookup, and they cost more than the alert's parse (bench/RESULTS.md,
 * session 12). Several messages, control messages and interrupted dumps
 * still go to the library.
 */
void rx_dispatch(const void *buf, size_t n, int msg_flags, const struct rx_ops *ops)
{
	const struct nlmsghdr *nlh = buf;
	uint32_t first;
	size_t valid;

	if (msg_flags & MSG_TRUNC) {
		ops->on_malformed(ops->arg);
		return;
	}
	first = nlparse_msg_len(buf, n);
	if (first && NLMSG_ALIGN(first) >= n &&		/* one whole message, filling it */
	    nlh->nlmsg_type >= NLMSG_MIN_TYPE && !(nlh->nlmsg_flags & NLM_F_DUMP_INTR)) {
		if (ops->on_msg(nlh, ops->arg) < 0)
			ops->on_malformed(ops->arg);
		return;
	}
	valid = nlparse_valid_len(buf, n);
	if (valid < n)
		ops->on_malformed(ops->arg);
	if (valid && mnl_cb_run(buf, valid, 0, 0, ops->on_msg, ops->arg) < 0)
		ops->on_malformed(ops->arg);
}

long rx_drain(struct rx *rx, int fd, const struct rx_ops *ops, struct errmsg *e)
{
	long total = 0;

	if (!rx->msgs && rx_init(rx, e) < 0)
		return -1;
	for (;;) {
		int n = recvmmsg(fd, rx->msgs, RX_SLOTS, MSG_DONTWAIT, NULL), i;

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return total;
			if (errno == ENOBUFS) {
				ops->on_overrun(ops->arg);
				continue;
			}
			errmsg_set(e, errno, "reading drop alerts failed: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < n; i++)
			rx_dispatch(rx->msgs[i].msg_hdr.msg_iov->iov_base, rx->msgs[i].msg_len,
				    rx->msgs[i].msg_hdr.msg_flags, ops);
		total += n;
		if (n < RX_SLOTS)
			return total;
	}
}
