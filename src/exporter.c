/* exporter: --listen, the Prometheus endpoint, served by libmicrohttpd in
 * external-poll mode: its epoll fd sits in trapmon's ppoll loop and the
 * metrics are rendered in the same thread that aggregates, so no locks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "errmsg.h"
#include "exporter.h"

/* Bounds that keep a hostile or buggy client from costing memory. */
#define MAX_CONNECTIONS 256
#define REQUEST_MEMORY (16 * 1024)
#define CONNECTION_TIMEOUT_S 10

struct exporter {
	struct MHD_Daemon *mhd;
	exporter_render_fn render;
	void *arg;
};

static const char landing[] =
	"<html><head><title>trapmon</title></head><body>\n"
	"<h1>trapmon</h1>\n"
	"<p>Hardware and software packet drops per {trap, flow}, from the kernel's drop "
	"monitor.</p>\n"
	"<p><a href=\"/metrics\">Metrics</a></p>\n"
	"</body></html>\n";

static int parse(const char *listen, struct sockaddr_storage *ss, struct errmsg *e)
{
	char host[128] = "127.0.0.1";
	const char *colon = strrchr(listen, ':'), *port_s = listen;
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char *end;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (colon) {
		size_t len = (size_t)(colon - listen);

		if (len >= 2 && listen[0] == '[' && listen[len - 1] == ']') {
			listen++;
			len -= 2;
		}
		if (len == 0 || len >= sizeof(host))
			goto err_usage;
		memcpy(host, listen, len);
		host[len] = '\0';
		port_s = colon + 1;
	}
	errno = 0;
	port = strtol(port_s, &end, 10);
	if (errno || *end || end == port_s || port < 1 || port > 65535)
		goto err_usage;
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
	} else {
		goto err_usage;
	}
	return 0;

err_usage:
	errmsg_set(e, EINVAL, "--listen takes [ADDR:]PORT with a numeric address, e.g. 9432, "
		   "0.0.0.0:9432 or [::1]:9432; not '%s'", listen);
	return -1;
}

int exporter_parse(const char *listen, struct errmsg *e)
{
	struct sockaddr_storage ss;

	return parse(listen, &ss, e);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     void *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	struct exporter *x = cls;
	static int first_call;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)version;
	(void)upload;
	/* The first call only announces the request; answer on the second. */
	if (!*state) {
		*state = &first_call;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;	/* a body is never needed: drop it */
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", (void *)"GET only\n", 9,
			     MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", (void *)landing,
			     sizeof(landing) - 1, MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", (void *)"not found\n", 10,
			     MHD_RESPMEM_PERSISTENT);
	fp = open_memstream(&buf, &len);
	if (!fp)
		return MHD_NO;
	if (x->render(fp, x->arg) < 0 || fclose(fp) != 0) {
		free(buf);
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
			     (void *)"cannot render metrics\n", 22, MHD_RESPMEM_PERSISTENT);
	}
	return reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", buf, len,
		     MHD_RESPMEM_MUST_FREE);
}

struct exporter *exporter_start(const char *listen, exporter_render_fn render, void *arg,
				struct errmsg *e)
{
	struct exporter *x;
	struct sockaddr_storage ss;

	if (parse(listen, &ss, e) < 0)
		return NULL;
	x = calloc(1, sizeof(*x));
	if (!x) {
		errmsg_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	x->render = render;
	x->arg = arg;
	errno = 0;
	x->mhd = MHD_start_daemon(MHD_USE_EPOLL | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
				  0, NULL, NULL, on_request, x,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONNECTION_TIMEOUT_S,
				  MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
				  MHD_OPTION_END);
	if (!x->mhd) {
		int err = errno ? errno : EADDRINUSE;

		errmsg_set(e, err, "cannot listen on %s: %s: pick another port with --listen "
			   "or stop what uses it", listen, strerror(err));
		free(x);
		return NULL;
	}
	return x;
}

int exporter_fd(const struct exporter *x)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(x->mhd, MHD_DAEMON_INFO_EPOLL_FD);

	return info ? info->epoll_fd : -1;
}

int exporter_timeout_ms(const struct exporter *x)
{
	MHD_UNSIGNED_LONG_LONG t;

	if (MHD_get_timeout(x->mhd, &t) != MHD_YES)
		return -1;
	return t > 60000 ? 60000 : (int)t;
}

void exporter_run(struct exporter *x)
{
	MHD_run(x->mhd);
}

void exporter_stop(struct exporter *x)
{
	if (!x)
		return;
	MHD_stop_daemon(x->mhd);
	free(x);
}
