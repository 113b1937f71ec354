/* exporter: --listen, the Prometheus endpoint, served by libmicrohttpd in
 * external-poll mode: its epoll fd sits in trapmon's ppoll loop and the
 * metrics are rendered in the same thread that aggregates, so no locks.
 * With --web-config, libmicrohttpd's own TLS (GnuTLS) with the file's
 * certificate, versions and client-certificate policy, and basic auth
 * checked against its bcrypt hashes (webconfig).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "errmsg.h"
#include "exporter.h"
#include "webconfig.h"

/* Bounds that keep a hostile or buggy client from costing memory. */
#define MAX_CONNECTIONS 256
#define REQUEST_MEMORY (16 * 1024)
#define CONNECTION_TIMEOUT_S 10

struct exporter {
	struct MHD_Daemon *mhd;
	exporter_render_fn render;
	void *arg;
	bool have_wc;
	bool unavailable_said;	/* a scrape got 503 for want of memory */
	struct webconfig wc;
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

/* 127.0.0.0/8 and ::1: reachable from this host only. */
static bool loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
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

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);	/* not taken over */
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The metrics could not be rendered whole (out of memory: ulimit -v): 503
 * rather than a partial text, whose missing series would read as counter
 * resets. Said once on stderr, and again only after a scrape worked.
 */
static enum MHD_Result unavailable(struct exporter *x, struct MHD_Connection *c)
{
	static const char body[] = "out of memory rendering the metrics: try again later\n";

	if (!x->unavailable_said)
		fprintf(stderr, "trapmon: out of memory rendering the metrics: scrapes get 503 "
			"until it passes; counting goes on: raise the memory limit (ulimit -v)\n");
	x->unavailable_said = true;
	return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", (void *)body,
		     sizeof(body) - 1, MHD_RESPMEM_PERSISTENT);
}

/* basic_auth_users: the request's user and password against the hashes. */
static bool authorized(struct exporter *x, struct MHD_Connection *c)
{
	char *password = NULL;
	char *user = MHD_basic_auth_get_username_password(c, &password);
	bool ok = user && password && webconfig_authorized(&x->wc, user, password);

	if (password) {
		explicit_bzero(password, strlen(password));
		MHD_free(password);
	}
	if (user)
		MHD_free(user);
	return ok;
}

static enum MHD_Result refuse(struct MHD_Connection *c)
{
	static const char body[] = "Unauthorized\n";
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
								  MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
	ret = MHD_queue_basic_auth_fail_response(c, "trapmon", r);
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
	if (x->have_wc && x->wc.n_users && !authorized(x, c))
		return refuse(c);
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
		return unavailable(x, c);
	if (x->render(fp, x->arg) < 0 || ferror(fp)) {
		fclose(fp);
		free(buf);
		return unavailable(x, c);
	}
	if (fclose(fp) != 0) {
		free(buf);
		return unavailable(x, c);
	}
	x->unavailable_said = false;
	return reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", buf, len,
		     MHD_RESPMEM_MUST_FREE);
}

/* Each TLS session, before its handshake: client_auth_type as GnuTLS's
 * certificate request and, for the verifying types, GnuTLS's own check
 * of the chain against client_ca_file (expired, unknown CA: no handshake).
 */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	static const struct {
		gnutls_certificate_request_t request;
		bool verify;
	} policy[] = {
		[WEBCONFIG_NO_CLIENT_CERT] = { GNUTLS_CERT_IGNORE, false },
		[WEBCONFIG_REQUEST_CERT] = { GNUTLS_CERT_REQUEST, false },
		[WEBCONFIG_REQUIRE_ANY_CERT] = { GNUTLS_CERT_REQUIRE, false },
		[WEBCONFIG_VERIFY_IF_GIVEN] = { GNUTLS_CERT_REQUEST, true },
		[WEBCONFIG_REQUIRE_AND_VERIFY] = { GNUTLS_CERT_REQUIRE, true },
	};
	struct exporter *x = cls;
	const union MHD_ConnectionInfo *info;

	(void)socket_context;
	if (code != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!info || !info->tls_session)
		return;
	gnutls_certificate_server_set_request(info->tls_session, policy[x->wc.client_auth].request);
	if (policy[x->wc.client_auth].verify)
		gnutls_session_set_verify_cert(info->tls_session, NULL, 0);
}

/* The daemon's options: the bounds always, TLS when the web config has it. */
static void options(struct exporter *x, struct sockaddr_storage *ss, struct MHD_OptionItem *o)
{
	const struct webconfig *wc = &x->wc;
	size_t n = 0;

#define OPT(opt, v, p) (o[n++] = (struct MHD_OptionItem){ (opt), (intptr_t)(v), (p) })
	OPT(MHD_OPTION_SOCK_ADDR, 0, ss);
	OPT(MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS, NULL);
	OPT(MHD_OPTION_CONNECTION_MEMORY_LIMIT, REQUEST_MEMORY, NULL);
	OPT(MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S, NULL);
	OPT(MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, NULL);
	if (x->have_wc && wc->tls) {
		OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, wc->cert_pem);
		OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, wc->key_pem);
		OPT(MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)wc->priorities);
		if (wc->ca_pem)
			OPT(MHD_OPTION_HTTPS_MEM_TRUST, 0, wc->ca_pem);
		OPT(MHD_OPTION_NOTIFY_CONNECTION, on_connection, x);
	}
	OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
}

struct exporter *exporter_start(const char *listen, const char *web_config,
				exporter_render_fn render, void *arg, struct errmsg *e)
{
	struct MHD_OptionItem opts[16];
	struct sockaddr_storage ss;
	unsigned int flags;
	struct exporter *x;

	if (parse(listen, &ss, e) < 0)
		return NULL;
	x = calloc(1, sizeof(*x));
	if (!x) {
		errmsg_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	x->render = render;
	x->arg = arg;
	if (web_config) {
		if (webconfig_load(&x->wc, web_config, e) < 0)
			goto err_free;
		x->have_wc = true;
	} else if (!loopback(&ss)) {
		fprintf(stderr, "trapmon: warning: --listen %s serves plain HTTP without "
			"authentication to anyone who can reach it: add --web-config FILE\n", listen);
	}
	options(x, &ss, opts);
	flags = MHD_USE_EPOLL | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0) |
		(x->have_wc && x->wc.tls ? MHD_USE_TLS : 0);
	errno = 0;
	x->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, x,
				  MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!x->mhd) {
		int err = errno ? errno : EADDRINUSE;

		errmsg_set(e, err, "cannot listen on %s: %s: pick another port with --listen "
			   "or stop what uses it", listen, strerror(err));
		goto err_free;
	}
	return x;

err_free:
	webconfig_fini(&x->wc);
	free(x);
	return NULL;
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
	webconfig_fini(&x->wc);
	free(x);
}
