/* ctlsock: the background aggregator's control socket, a Unix stream
 * socket under /run/trapmon/ with mode 0600. Each connection carries one
 * request line and its reply; peers must be root or the aggregator's user.
 */
#ifndef TRAPMON_CTLSOCK_H
#define TRAPMON_CTLSOCK_H

#include <stdio.h>
#include <sys/types.h>

struct errmsg;

struct ctlsock {
	int fd;
	char path[256];
};

/* The socket's path: $TRAPMON_RUN_DIR/trapmon.sock (default /run/trapmon). */
const char *ctlsock_path(char *buf, size_t len);

/* Bind and listen. If another aggregator answers there, fail naming it;
 * a stale socket file is replaced.
 */
int ctlsock_listen(struct ctlsock *c, struct errmsg *e);

/* Serve one pending client: read its request line and let handle() write
 * the reply. Unauthorised peers get "refused" and nothing else.
 */
void ctlsock_serve(struct ctlsock *c, void (*handle)(const char *request, FILE *reply, void *arg),
		   void *arg);

void ctlsock_close(struct ctlsock *c);

/* Client: send request, copy the reply to out. Returns 0, or -1 with e set
 * (no aggregator running, permission denied, refused).
 */
int ctlsock_request(const char *request, FILE *out, struct errmsg *e);

#endif
