/* webconfig_parse: --web-config's YAML into struct webconfig. Pure: text
 * in, struct out, no files and no sockets. libyaml builds the document;
 * each mapping is walked against a table of its keys, so an unknown key,
 * a key trapmon does not support, a duplicate or a wrong type is a
 * one-line error naming the line and the fix.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "errmsg.h"
#include "webconfig.h"

struct ctx {
	struct webconfig *wc;
	yaml_document_t *doc;
	const char *name;	/* the file, as errors call it */
	const char *dir;
	struct errmsg *e;
};

struct rule;
typedef int (*take_fn)(struct ctx *c, const struct rule *r, yaml_node_t *value);

struct word {
	const char *word;
	int value;
};

struct rule {
	const char *key;
	take_fn take;
	size_t off;			/* where the value lands in struct webconfig */
	const struct word *words;	/* take_word: the accepted values, NULL-ended */
	const char *hint;		/* take_unsupported: what to do instead */
};

__attribute__((format(printf, 3, 4)))
static int fail(struct ctx *c, const yaml_node_t *at, const char *fmt, ...)
{
	char what[400], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* Values quoted from the file stay on the error's one line. */
	for (p = what; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = '?';
	if (at)
		errmsg_set(c->e, EINVAL, "%s: line %zu: %s", c->name, at->start_mark.line + 1, what);
	else
		errmsg_set(c->e, EINVAL, "%s: %s", c->name, what);
	return -1;
}

/* A scalar's text, or NULL (error set) for a list, a mapping or a NUL. */
static const char *scalar(struct ctx *c, const yaml_node_t *n, const char *key)
{
	if (n->type != YAML_SCALAR_NODE) {
		fail(c, n, "%s takes a single value, not a %s", key,
		     n->type == YAML_MAPPING_NODE ? "mapping" : "list");
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		fail(c, n, "%s holds a NUL byte", key);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static int take_path(struct ctx *c, const struct rule *r, yaml_node_t *value)
{
	char **field = (char **)((char *)c->wc + r->off);
	const char *s = scalar(c, value, r->key);

	if (!s)
		return -1;
	if (s[0] == '/' || !c->dir || !*c->dir) {
		*field = strdup(s);
	} else if (asprintf(field, "%s/%s", c->dir, s) < 0) {
		*field = NULL;
	}
	if (!*field) {
		errmsg_set(c->e, ENOMEM, "out of memory");
		return -1;
	}
	c->wc->tls = true;
	return 0;
}

static int take_word(struct ctx *c, const struct rule *r, yaml_node_t *value)
{
	const char *s = scalar(c, value, r->key);
	char known[256] = "";
	const struct word *w;

	if (!s)
		return -1;
	for (w = r->words; w->word; w++) {
		if (!strcmp(s, w->word)) {
			memcpy((char *)c->wc + r->off, &w->value, sizeof(int));
			c->wc->tls = true;
			return 0;
		}
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 w == r->words ? "" : ", ", w->word);
	}
	return fail(c, value, "%s takes one of %s, not '%s'", r->key, known, s);
}

static int take_unsupported(struct ctx *c, const struct rule *r, yaml_node_t *value)
{
	return fail(c, value, "%s is not supported by trapmon: %s", r->key, r->hint);
}

/* Go's strict YAML reading refuses duplicates; so does trapmon. */
static int duplicate(struct ctx *c, const yaml_node_pair_t *start, const yaml_node_pair_t *pair)
{
	const char *key = (const char *)yaml_document_get_node(c->doc, pair->key)->data.scalar.value;
	const yaml_node_pair_t *p;

	for (p = start; p < pair; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);

		if (k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
			return fail(c, yaml_document_get_node(c->doc, pair->key),
				    "%s is given twice: keep one", key);
	}
	return 0;
}

/* Walk a mapping against its table of keys. An empty value (key: with
 * nothing after it) counts as not given, as in exporter-toolkit.
 */
static int walk(struct ctx *c, yaml_node_t *map, const char *section, const struct rule *rules,
		size_t n_rules)
{
	yaml_node_pair_t *pair;
	char known[400];
	size_t i;

	if (map->type != YAML_MAPPING_NODE)
		return fail(c, map, "%s must be a mapping of keys", section);
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, pair->value);
		const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : NULL;

		if (!key)
			return fail(c, k, "a key in %s is not a plain word", section);
		if (duplicate(c, map->data.mapping.pairs.start, pair) < 0)
			return -1;
		for (i = 0; i < n_rules && strcmp(rules[i].key, key); i++)
			;
		if (i == n_rules) {
			known[0] = '\0';
			for (i = 0; i < n_rules; i++)
				if (rules[i].take != take_unsupported)
					snprintf(known + strlen(known), sizeof(known) - strlen(known),
						 "%s%s", known[0] ? ", " : "", rules[i].key);
			return fail(c, k, "unknown key '%s' in %s (known: %s)", key, section, known);
		}
		if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
			continue;
		if (rules[i].take(c, &rules[i], v) < 0)
			return -1;
	}
	return 0;
}

/* bcrypt's modular crypt format: $2a$, $2b$ or $2y$, a two-digit cost
 * from 04 to 31, '$', then 22 characters of salt and 31 of hash in
 * bcrypt's base64 alphabet.
 */
static bool is_bcrypt(const char *h)
{
	static const char alphabet[] =
		"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	int cost;

	if (strlen(h) != 60 || h[0] != '$' || h[1] != '2' || !strchr("aby", h[2]) || h[3] != '$' ||
	    h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9' || h[6] != '$')
		return false;
	cost = (h[4] - '0') * 10 + (h[5] - '0');
	return cost >= 4 && cost <= 31 && strspn(h + 7, alphabet) == 53;
}

static int add_user(struct ctx *c, yaml_node_t *k, yaml_node_t *v)
{
	struct webconfig *wc = c->wc;
	const char *name = scalar(c, k, "a user name"), *hash;
	struct webconfig_user *u;

	if (!name)
		return -1;
	hash = scalar(c, v, name);
	if (!hash)
		return -1;
	if (!*name || strchr(name, ':'))
		return fail(c, k, "user name '%s' cannot be used in basic auth: "
			    "it must be non-empty and without ':'", name);
	if (!is_bcrypt(hash))
		return fail(c, v, "the password of '%s' is not a bcrypt hash: make one with "
			    "htpasswd -nBC 10 \"\" | tr -d ':\\n'", name);
	u = realloc(wc->users, (wc->n_users + 1) * sizeof(*u));
	if (!u)
		goto err_nomem;
	wc->users = u;
	u += wc->n_users;
	u->name = strdup(name);
	u->hash = strdup(hash);
	wc->n_users++;
	if (!u->name || !u->hash)
		goto err_nomem;
	return 0;

err_nomem:
	errmsg_set(c->e, ENOMEM, "out of memory");
	return -1;
}

static int take_users(struct ctx *c, const struct rule *r, yaml_node_t *value)
{
	yaml_node_pair_t *pair;

	if (value->type != YAML_MAPPING_NODE)
		return fail(c, value, "%s must map each user name to a bcrypt hash", r->key);
	for (pair = value->data.mapping.pairs.start; pair < value->data.mapping.pairs.top; pair++) {
		if (duplicate(c, value->data.mapping.pairs.start, pair) < 0 ||
		    add_user(c, yaml_document_get_node(c->doc, pair->key),
			     yaml_document_get_node(c->doc, pair->value)) < 0)
			return -1;
	}
	return 0;
}

static const struct word client_auth_words[] = {
	{ "NoClientCert", WEBCONFIG_NO_CLIENT_CERT },
	{ "RequestClientCert", WEBCONFIG_REQUEST_CERT },
	{ "RequireAnyClientCert", WEBCONFIG_REQUIRE_ANY_CERT },
	{ "RequireClientCert", WEBCONFIG_REQUIRE_ANY_CERT },	/* the older spelling */
	{ "VerifyClientCertIfGiven", WEBCONFIG_VERIFY_IF_GIVEN },
	{ "RequireAndVerifyClientCert", WEBCONFIG_REQUIRE_AND_VERIFY },
	{ NULL, 0 },
};

static const struct word version_words[] = {
	{ "TLS10", 10 }, { "TLS11", 11 }, { "TLS12", 12 }, { "TLS13", 13 }, { NULL, 0 },
};

#define AT(f) offsetof(struct webconfig, f)
#define UNSUPPORTED(k, h) { .key = (k), .take = take_unsupported, .hint = (h) }

static const struct rule tls_rules[] = {
	{ .key = "cert_file", .take = take_path, .off = AT(cert_file) },
	{ .key = "key_file", .take = take_path, .off = AT(key_file) },
	{ .key = "client_ca_file", .take = take_path, .off = AT(client_ca_file) },
	{ .key = "client_auth_type", .take = take_word, .off = AT(client_auth),
	  .words = client_auth_words },
	{ .key = "min_version", .take = take_word, .off = AT(min_version), .words = version_words },
	{ .key = "max_version", .take = take_word, .off = AT(max_version), .words = version_words },
	UNSUPPORTED("cert", "put the certificate in a file and name it with cert_file"),
	UNSUPPORTED("key", "put the key in a file (mode 0600) and name it with key_file"),
	UNSUPPORTED("client_ca", "put the CA in a file and name it with client_ca_file"),
	UNSUPPORTED("cipher_suites", "GnuTLS's defaults apply; remove the line"),
	UNSUPPORTED("curve_preferences", "GnuTLS's defaults apply; remove the line"),
	UNSUPPORTED("prefer_server_cipher_suites", "GnuTLS's defaults apply; remove the line"),
	UNSUPPORTED("client_allowed_sans", "use a client CA that signs only Prometheus' "
		    "certificate; remove the line"),
};

static int take_tls(struct ctx *c, const struct rule *r, yaml_node_t *value)
{
	return walk(c, value, r->key, tls_rules, sizeof(tls_rules) / sizeof(tls_rules[0]));
}

static const struct rule top_rules[] = {
	{ .key = "tls_server_config", .take = take_tls },
	{ .key = "basic_auth_users", .take = take_users },
	UNSUPPORTED("http_server_config", "trapmon serves HTTP/1.1 without extra headers; "
		    "remove the section"),
	UNSUPPORTED("rate_limit", "trapmon bounds connections itself; remove the section"),
};

/* GnuTLS's defaults with only the versions from min to max. */
static int priorities(struct webconfig *wc)
{
	size_t used = (size_t)snprintf(wc->priorities, sizeof(wc->priorities), "NORMAL:-VERS-ALL");
	int v;

	for (v = wc->max_version; v >= wc->min_version; v--)
		used += (size_t)snprintf(wc->priorities + used, sizeof(wc->priorities) - used,
					 ":+VERS-TLS1.%d", v - 10);
	return 0;
}

/* What the keys mean together, once all are read. */
static int check(struct ctx *c)
{
	const struct webconfig *wc = c->wc;
	bool verifies = wc->client_auth == WEBCONFIG_VERIFY_IF_GIVEN ||
			wc->client_auth == WEBCONFIG_REQUIRE_AND_VERIFY;

	if (wc->tls && (!wc->cert_file || !wc->key_file))
		return fail(c, NULL, "tls_server_config needs both cert_file and key_file");
	if (wc->client_ca_file && wc->client_auth == WEBCONFIG_NO_CLIENT_CERT)
		return fail(c, NULL, "client_ca_file is set but client_auth_type is NoClientCert: "
			    "add client_auth_type: RequireAndVerifyClientCert");
	if (verifies && !wc->client_ca_file)
		return fail(c, NULL, "client_auth_type verifies client certificates against "
			    "client_ca_file: add it");
	if (wc->min_version > wc->max_version)
		return fail(c, NULL, "min_version TLS%d is above max_version TLS%d",
			    wc->min_version, wc->max_version);
	return priorities(c->wc);
}

int webconfig_parse(struct webconfig *wc, const char *text, size_t len, const char *name,
		    const char *dir, struct errmsg *e)
{
	struct ctx c = { .wc = wc, .name = name, .dir = dir, .e = e };
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int ret = -1;

	memset(wc, 0, sizeof(*wc));
	wc->min_version = WEBCONFIG_TLS_DEFAULT_MIN;
	wc->max_version = WEBCONFIG_TLS_DEFAULT_MAX;
	if (!yaml_parser_initialize(&parser)) {
		errmsg_set(e, ENOMEM, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		errmsg_set(e, EINVAL, "%s: line %zu: not YAML: %s%s%s", name,
			   parser.problem_mark.line + 1, parser.problem ? parser.problem : "?",
			   parser.context ? " " : "", parser.context ? parser.context : "");
		goto err_parser;
	}
	c.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	/* An empty file is valid: plain HTTP, no users, as in exporter-toolkit. */
	if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0) &&
	    walk(&c, root, "the file", top_rules, sizeof(top_rules) / sizeof(top_rules[0])) < 0)
		goto err_doc;
	ret = check(&c);
err_doc:
	yaml_document_delete(&doc);
err_parser:
	yaml_parser_delete(&parser);
	return ret;
}

/* Here, beside the parser, so the fuzzer links no GnuTLS. */
void webconfig_fini(struct webconfig *wc)
{
	size_t i;

	if (!wc)
		return;
	for (i = 0; i < wc->n_users; i++) {
		free(wc->users[i].name);
		free(wc->users[i].hash);
	}
	free(wc->users);
	free(wc->cert_file);
	free(wc->key_file);
	free(wc->client_ca_file);
	free(wc->cert_pem);
	if (wc->key_pem)
		explicit_bzero(wc->key_pem, wc->key_len);
	free(wc->key_pem);
	free(wc->ca_pem);
	memset(wc, 0, sizeof(*wc));
}
