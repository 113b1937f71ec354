/* webconfig: --web-config FILE, the web configuration format Prometheus
 * exporters share (exporter-toolkit's, what node_exporter reads with
 * --web.config.file): TLS for the exporter, client certificates, and
 * basic-auth users with bcrypt hashes.
 *
 * webconfig_parse() (src/webconfig_parse.c) is pure: YAML text into the
 * struct, every key checked against a table, one-line errors with the
 * line. webconfig_load() (src/webconfig.c) reads the file and the files it
 * names, refuses loose permissions, and checks the PEM data with GnuTLS;
 * webconfig_authorized() checks a user's password with crypt().
 */
#ifndef TRAPMON_WEBCONFIG_H
#define TRAPMON_WEBCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct errmsg;

/* exporter-toolkit's client_auth_type values, as Go's tls.ClientAuthType. */
enum webconfig_client_auth {
	WEBCONFIG_NO_CLIENT_CERT,	/* NoClientCert (the default) */
	WEBCONFIG_REQUEST_CERT,		/* RequestClientCert: asked for, not checked */
	WEBCONFIG_REQUIRE_ANY_CERT,	/* RequireAnyClientCert: needed, not checked */
	WEBCONFIG_VERIFY_IF_GIVEN,	/* VerifyClientCertIfGiven */
	WEBCONFIG_REQUIRE_AND_VERIFY,	/* RequireAndVerifyClientCert: mTLS */
};

/* TLS versions as 10 * major + minor past 1.0: TLS10 = 10 ... TLS13 = 13. */
#define WEBCONFIG_TLS_DEFAULT_MIN 12
#define WEBCONFIG_TLS_DEFAULT_MAX 13

struct webconfig_user {
	char *name;
	char *hash;		/* bcrypt: $2a$, $2b$ or $2y$, cost, salt and hash */
};

/* Recently checked passwords: a SHA-256 of user, password and hash, so a
 * scrape every few seconds costs no bcrypt round each time.
 */
#define WEBCONFIG_AUTH_CACHE 8
struct webconfig_cached {
	uint8_t digest[32];
	bool used, ok;
};

struct webconfig {
	bool tls;			/* any tls_server_config key given */
	char *cert_file, *key_file;	/* relative ones resolved against the file's directory */
	char *client_ca_file;
	enum webconfig_client_auth client_auth;
	int min_version, max_version;	/* 10..13 */
	char priorities[96];		/* GnuTLS's priority string for those versions */
	struct webconfig_user *users;	/* basic_auth_users; none: no authentication */
	size_t n_users;
	/* webconfig_load() only: the files' contents, NUL-terminated. */
	char *cert_pem, *key_pem, *ca_pem;
	size_t cert_len, key_len, ca_len;
	struct webconfig_cached cache[WEBCONFIG_AUTH_CACHE];
	unsigned int cache_next;
};

/* Parse YAML text. name is what errors call the file, dir where relative
 * paths start. 0, or -1 with e set ("NAME: line N: ..."); wc is left for
 * webconfig_fini() either way.
 */
int webconfig_parse(struct webconfig *wc, const char *text, size_t len, const char *name,
		    const char *dir, struct errmsg *e);

/* Read and parse path, refuse a world-writable file and a key file others
 * can read or any named file others can write, read the PEM files and
 * check that GnuTLS takes them. 0, or -1 with e set.
 */
int webconfig_load(struct webconfig *wc, const char *path, struct errmsg *e);

/* Load and drop: what the command line does to refuse a bad file early. */
int webconfig_check(const char *path, struct errmsg *e);

/* Whether user and password match one of basic_auth_users. An unknown
 * user costs a bcrypt round as well, so timing does not tell users apart.
 */
bool webconfig_authorized(struct webconfig *wc, const char *user, const char *password);

void webconfig_fini(struct webconfig *wc);

#endif
