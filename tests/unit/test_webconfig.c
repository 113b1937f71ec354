/* webconfig: --web-config files, table-driven. Good files land in the
 * struct as exporter-toolkit's docs describe them (defaults TLS12..TLS13,
 * NoClientCert, relative paths from the file's directory); each bad one is
 * refused with a line that names the key and the line. Then the file
 * checks (permissions, a key that is not the certificate's, a CA file
 * without certificates) on files made here with openssl, and passwords
 * against bcrypt hashes made by Apache's htpasswd -B, not by libxcrypt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "tap.h"
#include "webconfig.h"

/* htpasswd -nbBC 5 "" 's3cret' and htpasswd -nbBC 4 "" 'pa:ss word'. */
#define HASH_S3CRET "$2y$05$ihgliSDIzARf2UYLa/3no.AMppcpzidthNMayVz7BmBylDXuPtpYq"
#define HASH_COLON "$2y$04$313oKAM4T5/WWWB/lkkL6ubg1LyZvEXK1jZiG8gZrOAU0rNBSDzT2"

static const struct good {
	const char *what, *yaml;
	bool tls;
	const char *cert, *key, *ca;
	enum webconfig_client_auth auth;
	const char *priorities;
	size_t users;
} goods[] = {
	{ "an empty file: plain HTTP, nobody to check", "", false, NULL, NULL, NULL,
	  WEBCONFIG_NO_CLIENT_CERT, "", 0 },
	{ "only comments", "# nothing yet\n", false, NULL, NULL, NULL,
	  WEBCONFIG_NO_CLIENT_CERT, "", 0 },
	{ "basic auth without TLS",
	  "basic_auth_users:\n  prom: " HASH_S3CRET "\n  'alice': \"" HASH_COLON "\"\n",
	  false, NULL, NULL, NULL, WEBCONFIG_NO_CLIENT_CERT, "", 2 },
	{ "TLS with relative paths, TLS12..TLS13 by default",
	  "tls_server_config:\n  cert_file: srv.crt\n  key_file: /abs/srv.key\n",
	  true, "/etc/trapmon/srv.crt", "/abs/srv.key", NULL, WEBCONFIG_NO_CLIENT_CERT,
	  "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2", 0 },
	{ "mTLS with a CA, TLS13 only",
	  "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: ca.pem\n"
	  "  client_auth_type: RequireAndVerifyClientCert\n  min_version: TLS13\n",
	  true, "/etc/trapmon/a", "/etc/trapmon/b", "/etc/trapmon/ca.pem",
	  WEBCONFIG_REQUIRE_AND_VERIFY, "NORMAL:-VERS-ALL:+VERS-TLS1.3", 0 },
	{ "the older RequireClientCert spelling, TLS10..TLS11",
	  "tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireClientCert,\n"
	  "  min_version: TLS10, max_version: TLS11}\n",
	  true, "/etc/trapmon/a", "/etc/trapmon/b", NULL, WEBCONFIG_REQUIRE_ANY_CERT,
	  "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0", 0 },
	{ "empty values count as not given",
	  "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file:\n"
	  "basic_auth_users:\n",
	  true, "/etc/trapmon/a", "/etc/trapmon/b", NULL, WEBCONFIG_NO_CLIENT_CERT,
	  "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2", 0 },
};

static const struct bad {
	const char *what, *yaml, *error;	/* error: a part of the one line */
} bads[] = {
	{ "not YAML", "tls_server_config: [a\n", "web.yml: line 2: not YAML" },
	{ "a list at the top", "- a\n- b\n", "line 1: the file must be a mapping" },
	{ "an unknown key at the top", "\ntls_config:\n  cert_file: a\n",
	  "line 2: unknown key 'tls_config' in the file (known: tls_server_config, "
	  "basic_auth_users)" },
	{ "an unknown key in tls_server_config",
	  "tls_server_config:\n  cert_file: a\n  keyfile: b\n",
	  "line 3: unknown key 'keyfile' in tls_server_config" },
	{ "a section trapmon does not support", "http_server_config:\n  http2: false\n",
	  "line 2: http_server_config is not supported by trapmon" },
	{ "cipher_suites", "tls_server_config:\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n",
	  "cipher_suites is not supported by trapmon" },
	{ "an inline key", "tls_server_config:\n  key: secret\n",
	  "key is not supported by trapmon: put the key in a file" },
	{ "an unknown client_auth_type",
	  "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Mutual\n",
	  "line 4: client_auth_type takes one of NoClientCert, RequestClientCert" },
	{ "a newline in a quoted value stays out of the line",
	  "tls_server_config:\n  min_version: \"TLS\\n12\"\n", "not 'TLS?12'" },
	{ "an unknown TLS version", "tls_server_config:\n  min_version: TLS14\n",
	  "min_version takes one of TLS10, TLS11, TLS12, TLS13, not 'TLS14'" },
	{ "min above max",
	  "tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS13\n"
	  "  max_version: TLS12\n", "min_version TLS13 is above max_version TLS12" },
	{ "a certificate without its key", "tls_server_config:\n  cert_file: a\n",
	  "tls_server_config needs both cert_file and key_file" },
	{ "an empty cert_file with a key", "tls_server_config:\n  cert_file: ''\n  key_file: b\n",
	  "tls_server_config needs both cert_file and key_file" },
	{ "a CA without a client auth type",
	  "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: c\n",
	  "client_ca_file is set but client_auth_type is NoClientCert" },
	{ "verifying without a CA",
	  "tls_server_config:\n  cert_file: a\n  key_file: b\n"
	  "  client_auth_type: VerifyClientCertIfGiven\n",
	  "verifies client certificates against client_ca_file: add it" },
	{ "a list for a file name", "tls_server_config:\n  cert_file: [a, b]\n",
	  "line 2: cert_file takes a single value, not a list" },
	{ "tls_server_config as a word", "tls_server_config: yes\n",
	  "line 1: tls_server_config must be a mapping" },
	{ "a key given twice", "tls_server_config:\n  cert_file: a\n  cert_file: b\n",
	  "line 3: cert_file is given twice" },
	{ "a user given twice",
	  "basic_auth_users:\n  prom: " HASH_S3CRET "\n  prom: " HASH_S3CRET "\n",
	  "line 3: prom is given twice" },
	{ "a password in clear", "basic_auth_users:\n  prom: s3cret\n",
	  "line 2: the password of 'prom' is not a bcrypt hash" },
	{ "a bcrypt hash with cost 3", "basic_auth_users:\n  prom: "
	  "$2y$03$ihgliSDIzARf2UYLa/3no.AMppcpzidthNMayVz7BmBylDXuPtpYq\n",
	  "not a bcrypt hash" },
	{ "a cut bcrypt hash", "basic_auth_users:\n  prom: "
	  "$2y$05$ihgliSDIzARf2UYLa/3no.AMppcpzidthNMayVz7BmBylDXuPtpY\n",
	  "not a bcrypt hash" },
	{ "an MD5 crypt hash", "basic_auth_users:\n  prom: $1$abcdefgh$0123456789012345678901\n",
	  "not a bcrypt hash" },
	{ "a user name with a colon", "basic_auth_users:\n  'a:b': " HASH_S3CRET "\n",
	  "user name 'a:b' cannot be used in basic auth" },
	{ "users as a list", "basic_auth_users:\n  - prom\n",
	  "line 2: basic_auth_users must map each user name to a bcrypt hash" },
};

static void test_good(const struct good *g)
{
	struct webconfig wc;
	struct errmsg e = { 0 };
	int r = webconfig_parse(&wc, g->yaml, strlen(g->yaml), "web.yml", "/etc/trapmon", &e);

	if (!tap_ok(r == 0, "good: %s", g->what))
		tap_diag("error: %s", e.text);
	tap_ok(wc.tls == g->tls, "  tls %d", wc.tls);
	tap_ok(!strcmp(wc.cert_file ? wc.cert_file : "", g->cert ? g->cert : "") &&
	       !strcmp(wc.key_file ? wc.key_file : "", g->key ? g->key : "") &&
	       !strcmp(wc.client_ca_file ? wc.client_ca_file : "", g->ca ? g->ca : ""),
	       "  files '%s' '%s' '%s'", wc.cert_file, wc.key_file, wc.client_ca_file);
	tap_ok(wc.client_auth == g->auth, "  client auth %d", (int)wc.client_auth);
	tap_ok(!g->tls || !strcmp(wc.priorities, g->priorities), "  priorities '%s'",
	       wc.priorities);
	tap_ok(wc.n_users == g->users, "  %zu users", wc.n_users);
	webconfig_fini(&wc);
}

static void test_bad(const struct bad *b)
{
	struct webconfig wc;
	struct errmsg e = { 0 };
	int r = webconfig_parse(&wc, b->yaml, strlen(b->yaml), "web.yml", "/etc/trapmon", &e);

	tap_ok(r < 0 && strstr(e.text, b->error) && !strchr(e.text, '\n'),
	       "bad: %s: '%s'", b->what, e.text);
	webconfig_fini(&wc);
}

static void test_passwords(void)
{
	static const char yaml[] =
		"basic_auth_users:\n  prom: " HASH_S3CRET "\n  alice: " HASH_COLON "\n";
	struct webconfig wc;
	struct errmsg e = { 0 };

	tap_ok(webconfig_parse(&wc, yaml, sizeof(yaml) - 1, "web.yml", ".", &e) == 0,
	       "users parsed %s", e.text);
	tap_ok(webconfig_authorized(&wc, "prom", "s3cret"), "prom's right password passes");
	tap_ok(webconfig_authorized(&wc, "prom", "s3cret"), "  and again, from the cache");
	tap_ok(!webconfig_authorized(&wc, "prom", "s3cret "), "a password one space longer fails");
	tap_ok(!webconfig_authorized(&wc, "prom", ""), "an empty password fails");
	tap_ok(!webconfig_authorized(&wc, "alice", "s3cret"), "prom's password for alice fails");
	tap_ok(webconfig_authorized(&wc, "alice", "pa:ss word"),
	       "alice's password with a colon and a space passes");
	tap_ok(!webconfig_authorized(&wc, "bob", "s3cret"), "an unknown user fails");
	tap_ok(!webconfig_authorized(&wc, "Prom", "s3cret"), "user names are case-sensitive");
	webconfig_fini(&wc);
}

static int sh(const char *dir, const char *cmd)
{
	char line[1024];

	snprintf(line, sizeof(line), "cd '%s' && { %s; } > /dev/null 2>&1", dir, cmd);
	return system(line);
}

static void load_case(const char *dir, const char *what, const char *prep, const char *error)
{
	struct webconfig wc;
	struct errmsg e = { 0 };
	char path[512];
	int r;

	snprintf(path, sizeof(path), "%s/web.yml", dir);
	if (sh(dir, prep) != 0) {
		tap_ok(0, "load: %s: preparing failed", what);
		return;
	}
	r = webconfig_load(&wc, path, &e);
	if (!error)
		tap_ok(r == 0 && wc.cert_pem && wc.key_pem && strstr(wc.cert_pem, "BEGIN CERTIFICATE"),
		       "load: %s %s", what, e.text);
	else
		tap_ok(r < 0 && strstr(e.text, error), "load: %s: '%s'", what, e.text);
	webconfig_fini(&wc);
}

/* Files made by openssl: a server pair, a key of another pair, a CA. */
static void test_load(void)
{
	char dir[] = "/tmp/test_webconfig.XXXXXX";
	static const char *mk =
		"openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
		"-subj /CN=t -keyout srv.key -out srv.crt && "
		"openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
		"-subj /CN=o -keyout other.key -out other.crt && chmod 600 srv.key other.key && "
		"printf 'tls_server_config:\\n  cert_file: srv.crt\\n  key_file: srv.key\\n"
		"  client_ca_file: other.crt\\n  client_auth_type: RequireAndVerifyClientCert\\n'"
		" > web.yml";

	if (!mkdtemp(dir) || system("command -v openssl > /dev/null") != 0) {
		tap_ok(0, "openssl makes the test's certificates: apt-get install openssl");
		return;
	}
	load_case(dir, "a certificate, its key and a CA", mk, NULL);
	load_case(dir, "a key file anyone can read", "chmod 644 srv.key", "key_file");
	load_case(dir, "  says so and how to fix it", "true", "is readable by anyone: chmod o-rwx");
	load_case(dir, "a group-readable key (ssl-cert style) is fine", "chmod 640 srv.key", NULL);
	load_case(dir, "a world-writable CA", "chmod 666 other.crt",
		  "client_ca_file");
	load_case(dir, "a world-writable web config", "chmod 644 other.crt && chmod 666 web.yml",
		  "web.yml is writable by anyone: chmod o-w");
	load_case(dir, "a missing key file", "chmod 644 web.yml && mv srv.key gone.key",
		  "key_file");
	load_case(dir, "a directory as key file", "mkdir srv.key", "is not a regular file");
	load_case(dir, "another pair's key", "rmdir srv.key && cp -p other.key srv.key",
		  "are not a PEM certificate and its unencrypted key");
	load_case(dir, "a CA file without certificates",
		  "cp -p gone.key srv.key && echo 'not a certificate' > other.crt",
		  "client_ca_file");
	load_case(dir, "a config that is not there", "rm web.yml", "No such file");
	{
		char rm[600];

		snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
		if (system(rm) != 0)
			tap_diag("could not remove %s", dir);
	}
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++)
		test_good(&goods[i]);
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++)
		test_bad(&bads[i]);
	test_passwords();
	test_load();
	return tap_done();
}
