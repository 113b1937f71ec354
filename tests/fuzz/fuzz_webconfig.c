/* libFuzzer target: --web-config's YAML parser (webconfig_parse, libyaml
 * underneath) on arbitrary text. Accepted files must be self-consistent
 * (TLS names both a certificate and a key, versions in order, every hash
 * the 60 bytes of bcrypt's format); refused ones must say why on one line.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>

#include "errmsg.h"
#include "fuzz_common.h"
#include "webconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errmsg e = { 0 };
	struct webconfig wc;
	char *text = fuzz_dup(data, size);
	size_t i;

	if (!text)
		return 0;
	if (webconfig_parse(&wc, text, size, "fuzz.yml", "/etc/trapmon", &e) == 0) {
		FUZZ_CHECK(!wc.tls || (wc.cert_file && wc.key_file));
		FUZZ_CHECK(wc.min_version >= 10 && wc.min_version <= wc.max_version &&
			   wc.max_version <= 13);
		FUZZ_CHECK(!wc.client_ca_file || wc.client_auth != WEBCONFIG_NO_CLIENT_CERT);
		FUZZ_CHECK(!strncmp(wc.priorities, "NORMAL:-VERS-ALL:+VERS-TLS1.", 28));
		for (i = 0; i < wc.n_users; i++)
			FUZZ_CHECK(wc.users[i].name[0] && !strchr(wc.users[i].name, ':') &&
				   strlen(wc.users[i].hash) == 60);
	} else {
		FUZZ_CHECK(e.text[0] && !strchr(e.text, '\n'));
	}
	webconfig_fini(&wc);
	free(text);
	return 0;
}
