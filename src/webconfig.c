/* webconfig: --web-config's files. Reads the YAML (parsed by
 * webconfig_parse.c) and the certificate, key and CA it names, refusing
 * permissions that let others change what trapmon trusts or read its key;
 * GnuTLS checks that the certificate and key make a pair and that the CA
 * file holds certificates, so a bad file fails at start, not at the first
 * scrape. Passwords are checked with libxcrypt's crypt_r(), with a small
 * cache so a scrape every second costs no bcrypt round each time.
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "errmsg.h"
#include "webconfig.h"

/* Larger than any sensible certificate chain or web config. */
#define MAX_FILE_BYTES (1 << 20)

/* A bcrypt hash of a random word no one knows, checked for unknown users
 * so they take as long as known ones.
 */
static const char decoy_hash[] = "$2y$10$AzKkcGVUvuKOXnktxXNULeDKXRo5io2EzpV5MZuXYMYsv.16zv7cK";

/* Read a whole file. what names it in errors ("key_file"); a secret one
 * must not be readable by others, and none may be writable by others.
 */
static int read_file(const char *path, const char *what, bool secret, char **out, size_t *len,
		     struct errmsg *e)
{
	struct stat st;
	ssize_t got;
	size_t have = 0;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		errmsg_set(e, errno, "%s %s: %s: check the path", what, path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		errmsg_set(e, EINVAL, "%s %s is not a regular file", what, path);
		goto err_close;
	}
	if (st.st_mode & S_IWOTH) {
		errmsg_set(e, EPERM, "%s %s is writable by anyone: chmod o-w %s", what, path, path);
		goto err_close;
	}
	if (secret && (st.st_mode & S_IROTH)) {
		errmsg_set(e, EPERM, "%s %s is readable by anyone: chmod o-rwx %s", what, path, path);
		goto err_close;
	}
	if (st.st_size > MAX_FILE_BYTES) {
		errmsg_set(e, EFBIG, "%s %s is larger than 1 MiB: is it the right file?", what, path);
		goto err_close;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		errmsg_set(e, ENOMEM, "out of memory");
		goto err_close;
	}
	while (have < (size_t)st.st_size &&
	       (got = read(fd, buf + have, (size_t)st.st_size - have)) > 0)
		have += (size_t)got;
	if (have != (size_t)st.st_size) {
		errmsg_set(e, EIO, "%s %s: cannot read it whole", what, path);
		goto err_free;
	}
	buf[have] = '\0';
	close(fd);
	*out = buf;
	*len = have;
	return 0;

err_free:
	free(buf);
err_close:
	close(fd);
	return -1;
}

/* GnuTLS takes the pair and the CA now, or the file names say why not. */
static int check_pem(const struct webconfig *wc, struct errmsg *e)
{
	gnutls_certificate_credentials_t cred;
	gnutls_datum_t cert = { (unsigned char *)wc->cert_pem, (unsigned int)wc->cert_len };
	gnutls_datum_t key = { (unsigned char *)wc->key_pem, (unsigned int)wc->key_len };
	gnutls_datum_t ca = { (unsigned char *)wc->ca_pem, (unsigned int)wc->ca_len };
	int r, ret = -1;

	if (gnutls_certificate_allocate_credentials(&cred) < 0) {
		errmsg_set(e, ENOMEM, "out of memory");
		return -1;
	}
	r = gnutls_certificate_set_x509_key_mem(cred, &cert, &key, GNUTLS_X509_FMT_PEM);
	if (r < 0) {
		errmsg_set(e, EINVAL, "cert_file %s and key_file %s are not a PEM certificate and "
			   "its unencrypted key: %s", wc->cert_file, wc->key_file, gnutls_strerror(r));
		goto err_free;
	}
	if (wc->ca_pem) {
		r = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			errmsg_set(e, EINVAL, "client_ca_file %s holds no PEM certificate%s%s",
				   wc->client_ca_file, r < 0 ? ": " : "", r < 0 ? gnutls_strerror(r) : "");
			goto err_free;
		}
	}
	ret = 0;
err_free:
	gnutls_certificate_free_credentials(cred);
	return ret;
}

static int load_tls(struct webconfig *wc, struct errmsg *e)
{
	if (!wc->tls)
		return 0;
	if (read_file(wc->cert_file, "cert_file", false, &wc->cert_pem, &wc->cert_len, e) < 0 ||
	    read_file(wc->key_file, "key_file", true, &wc->key_pem, &wc->key_len, e) < 0)
		return -1;
	if (wc->client_ca_file &&
	    read_file(wc->client_ca_file, "client_ca_file", false, &wc->ca_pem, &wc->ca_len, e) < 0)
		return -1;
	return check_pem(wc, e);
}

int webconfig_load(struct webconfig *wc, const char *path, struct errmsg *e)
{
	const char *slash = strrchr(path, '/');
	char *text = NULL, *dir;
	size_t len;
	int ret = -1;

	memset(wc, 0, sizeof(*wc));
	/* Relative file names start from the file's directory, as in exporter-toolkit. */
	dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
	if (!dir) {
		errmsg_set(e, ENOMEM, "out of memory");
		return -1;
	}
	if (read_file(path, "--web-config", false, &text, &len, e) < 0)
		goto err_dir;
	if (webconfig_parse(wc, text, len, path, dir, e) < 0 || load_tls(wc, e) < 0)
		goto err_text;
	ret = 0;
err_text:
	free(text);
err_dir:
	free(dir);
	return ret;
}

int webconfig_check(const char *path, struct errmsg *e)
{
	struct webconfig wc;
	int ret = webconfig_load(&wc, path, e);

	webconfig_fini(&wc);
	return ret;
}

/* The cache's key: user, password and hash, so a changed hash or a
 * different password never hits an old answer.
 */
static int digest(const char *user, const char *password, const char *hash, uint8_t out[32])
{
	gnutls_hash_hd_t h;

	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return -1;
	gnutls_hash(h, user, strlen(user) + 1);
	gnutls_hash(h, password, strlen(password) + 1);
	gnutls_hash(h, hash, strlen(hash));
	gnutls_hash_deinit(h, out);
	return 0;
}

/* Compare without an early exit, so timing says nothing about the hash. */
static bool same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = la != lb;

	for (i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return !diff;
}

static bool check_password(const char *password, const char *hash)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	const char *out;
	bool ok;

	if (!cd)
		return false;
	out = crypt_r(password, hash, cd);
	ok = out && out[0] != '*' && same(out, hash);
	free(cd);
	return ok;
}

bool webconfig_authorized(struct webconfig *wc, const char *user, const char *password)
{
	const char *hash = decoy_hash;
	struct webconfig_cached *slot;
	bool known = false, ok;
	uint8_t key[32];
	size_t i;

	for (i = 0; i < wc->n_users; i++)
		if (!strcmp(wc->users[i].name, user)) {
			hash = wc->users[i].hash;
			known = true;
		}
	if (digest(user, password, hash, key) < 0)
		return false;
	for (i = 0; i < WEBCONFIG_AUTH_CACHE; i++)
		if (wc->cache[i].used && !memcmp(wc->cache[i].digest, key, sizeof(key)))
			return wc->cache[i].ok;
	ok = check_password(password, hash) && known;
	slot = &wc->cache[wc->cache_next++ % WEBCONFIG_AUTH_CACHE];
	memcpy(slot->digest, key, sizeof(key));
	slot->used = true;
	slot->ok = ok;
	return ok;
}
