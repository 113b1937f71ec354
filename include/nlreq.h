/* nlreq: generic netlink requests through libnl-genl-3, with the kernel's
 * errno and extack text captured for the one-line error.
 */
#ifndef TRAPMON_NLREQ_H
#define TRAPMON_NLREQ_H

#include <netlink/genl/genl.h>

struct nlreq_result {
	int error;		/* positive errno from the kernel, 0 on success */
	char extack[256];	/* kernel's extended ack message, "" if none */
	char warning[256];	/* extack text sent with a successful ack */
};

struct mnl_socket;

/* Open a generic netlink request socket with extended acks enabled. */
struct nl_sock *nlreq_socket(void);

/* A family module's request socket and event socket (libmnl), either of
 * them NULL or both, closed and cleared.
 */
void nlreq_close(struct nl_sock **req, struct mnl_socket **ev);

/* Send msg (consumed) and collect replies until the ack or dump end. Each
 * reply is passed to parse (may be NULL). Returns 0 or -errno; res holds
 * details.
 */
int nlreq_run(struct nl_sock *sk, struct nl_msg *msg,
	      int (*parse)(struct nl_msg *, void *), void *arg,
	      struct nlreq_result *res);

/* The kernel's extack text as every error shows it: ": kernel says: TEXT",
 * or "" when it gave none.
 */
const char *nlreq_kernel_says(const struct nlreq_result *r, char *buf, size_t len);

/* A new genl request header for family/cmd; flags as for nlmsg. */
struct nl_msg *nlreq_new(int family, uint8_t cmd, int flags, uint8_t version);

#endif
