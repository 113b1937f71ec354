/* ctlsock: the aggregator's control socket (-p, -s, -u). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlsock.h"
#include "errmsg.h"
#include "journal.h"

#define REQUEST_MAX 256

const char *ctlsock_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/trapmon.sock", journal_dir());
	return buf;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		close(fd);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int ctlsock_listen(struct ctlsock *c, struct errmsg *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char running[512];
	int fd;

	c->fd = -1;
	ctlsock_path(c->path, sizeof(c->path));
	if (mkdir(journal_dir(), 0700) < 0 && errno != EEXIST) {
		errmsg_set(e, errno, "cannot create %s: %s: run as root", journal_dir(), strerror(errno));
		return -1;
	}
	/* Someone answers: refuse, naming them. */
	fd = connect_to(c->path);
	if (fd >= 0) {
		ssize_t n;

		if (write(fd, "status\n", 7) == 7 && (n = read(fd, running, sizeof(running) - 1)) > 0) {
			running[n] = '\0';
			running[strcspn(running, "\n")] = '\0';
		} else {
			snprintf(running, sizeof(running), "an aggregator");
		}
		close(fd);
		errmsg_set(e, EEXIST, "a trapmon aggregator is already running (%s): 'trapmon -s' "
			   "reads it, 'trapmon -u' stops it", running);
		return -1;
	}
	unlink(c->path);	/* stale: its aggregator is gone */
	if (strlen(c->path) >= sizeof(sa.sun_path)) {
		errmsg_set(e, ENAMETOOLONG, "control socket path %s is too long: shorten "
			   "TRAPMON_RUN_DIR", c->path);
		return -1;
	}
	memcpy(sa.sun_path, c->path, strlen(c->path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(c->path, 0600) < 0 || listen(c->fd, 16) < 0) {
		errmsg_set(e, errno, "cannot create the control socket %s: %s", c->path,
			   strerror(errno));
		ctlsock_close(c);
		return -1;
	}
	return 0;
}

static int peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return 0;
	return cred.uid == 0 || cred.uid == geteuid();
}

void ctlsock_serve(struct ctlsock *c, void (*handle)(const char *request, FILE *reply, void *arg),
		   void *arg)
{
	struct timeval tv = { .tv_sec = 1 };
	char req[REQUEST_MAX];
	size_t got = 0;
	FILE *reply;
	int fd;

	fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* A client that says nothing cannot stall the aggregator for long. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!peer_allowed(fd)) {
		if (write(fd, "refused\n", 8) < 0) {
			/* nothing more to say to it */
		}
		close(fd);
		return;
	}
	while (got < sizeof(req) - 1) {
		ssize_t n = read(fd, req + got, sizeof(req) - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(req, '\n', got))
			break;
	}
	req[got] = '\0';
	req[strcspn(req, "\n")] = '\0';
	reply = fdopen(fd, "w");
	if (!reply) {
		close(fd);
		return;
	}
	handle(req, reply, arg);
	fclose(reply);
}

void ctlsock_close(struct ctlsock *c)
{
	if (c->fd >= 0) {
		close(c->fd);
		unlink(c->path);
	}
	c->fd = -1;
}

int ctlsock_request(const char *request, FILE *out, struct errmsg *e)
{
	char path[256], buf[65536];
	ssize_t n;
	bool first = true;
	int fd;

	ctlsock_path(path, sizeof(path));
	fd = connect_to(path);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			errmsg_set(e, errno, "the aggregator's socket %s is for root: run as root", path);
		else
			errmsg_set(e, errno, "no trapmon aggregator is running (%s): start one with "
				   "'trapmon -p'", path);
		return -1;
	}
	if (write(fd, request, strlen(request)) < 0 || write(fd, "\n", 1) < 0) {
		errmsg_set(e, errno, "cannot talk to the aggregator: %s", strerror(errno));
		close(fd);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (first && n >= 8 && !memcmp(buf, "refused\n", 8)) {
			errmsg_set(e, EPERM, "the aggregator refused this user: run as root");
			close(fd);
			return -1;
		}
		first = false;
		fwrite(buf, 1, (size_t)n, out);
	}
	close(fd);
	return 0;
}
