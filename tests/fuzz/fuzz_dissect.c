/* libFuzzer target: the frame dissector. dissect_eth() on the input, and
 * dissect_packet() as the monitor calls it with proto 0 (a hardware
 * alert's frame, which may take the fast path for plain TCP and UDP), IPv4
 * and IPv6 (which may read the input as a raw IP packet). Each key must be
 * self-consistent: the documented families, zero tails, ports 0 where no
 * port was read; an Ethernet frame's key is dissect_eth()'s, byte for byte.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>

#include "dissect.h"
#include "fuzz_common.h"

#define KNOWN_FLAGS (FLOW_F_TRUNCATED | FLOW_F_FRAGMENT | FLOW_F_ICMP | FLOW_F_VLAN | \
		     FLOW_F_MALFORMED | FLOW_F_MIRROR)

static bool zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static bool addr_ok(uint8_t family, const uint8_t *s, const uint8_t *d)
{
	switch (family) {
	case FLOW_FAMILY_NONE:
		return zero(s, 16) && zero(d, 16);
	case FLOW_FAMILY_IPV4:
		return zero(s + 4, 12) && zero(d + 4, 12);
	case FLOW_FAMILY_IPV6:
		return true;
	}
	return false;
}

static void check_key(unsigned int ret, const struct flow_key *k)
{
	FUZZ_CHECK(ret == k->flags);
	FUZZ_CHECK((k->flags & ~KNOWN_FLAGS) == 0);
	FUZZ_CHECK(k->pad == 0);
	FUZZ_CHECK(addr_ok(k->family, k->saddr, k->daddr));
	FUZZ_CHECK(addr_ok(k->outer_family, k->outer_saddr, k->outer_daddr));
	FUZZ_CHECK(k->is_encap <= 1);
	/* outer_* hold a tunnel's outer addresses or, for ERSPAN, the mirror's. */
	FUZZ_CHECK((k->is_encap || (k->flags & FLOW_F_MIRROR)) ==
		   (k->outer_family != FLOW_FAMILY_NONE));
	/* A mirror is reported on its outer GRE flow, never inside a tunnel's. */
	if (k->flags & FLOW_F_MIRROR)
		FUZZ_CHECK(!k->is_encap && k->ip_proto == 47 && k->family != FLOW_FAMILY_NONE &&
			   !k->sport && !k->dport && !(k->flags & FLOW_F_ICMP) && !k->icmp_code);
	/* Nothing past IP is known without an IP header. */
	if (k->family == FLOW_FAMILY_NONE)
		FUZZ_CHECK(!k->sport && !k->dport && !k->ip_proto && !k->is_encap &&
			   !(k->flags & (FLOW_F_FRAGMENT | FLOW_F_ICMP)));
	FUZZ_CHECK((k->flags & FLOW_F_VLAN) ? k->vlan < 4096 : k->vlan == 0);
	if (k->flags & FLOW_F_ICMP)
		FUZZ_CHECK(k->ip_proto == 1 || k->ip_proto == 58);
	else if (!(k->flags & FLOW_F_MIRROR))	/* mirror_proto shares icmp_type */
		FUZZ_CHECK(!k->icmp_type && !k->icmp_code);
	if (k->flags & (FLOW_F_FRAGMENT | FLOW_F_ICMP))
		FUZZ_CHECK(!k->sport && !k->dport);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t protos[] = { 0, 0x0800, 0x86dd };
	struct flow_key k, again;
	unsigned int ret, i;

	memset(&k, 0xaa, sizeof(k));
	ret = dissect_eth(data, size, &k);
	check_key(ret, &k);
	/* Pure: the same bytes give the same key, whatever was in it before. */
	memset(&again, 0x55, sizeof(again));
	dissect_eth(data, size, &again);
	FUZZ_CHECK(memcmp(&k, &again, sizeof(k)) == 0);

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		bool raw = dissect_is_raw_ip(data, size, protos[i]);

		memset(&k, 0xaa, sizeof(k));
		ret = dissect_packet(data, size, protos[i], &k);
		check_key(ret, &k);
		if (raw) {
			FUZZ_CHECK(k.ethertype == protos[i]);
			FUZZ_CHECK(k.family != FLOW_FAMILY_NONE ||
				   (k.flags & (FLOW_F_TRUNCATED | FLOW_F_MALFORMED)));
		} else {
			/* Not raw IP: exactly dissect_eth's key. */
			dissect_eth(data, size, &again);
			FUZZ_CHECK(memcmp(&k, &again, sizeof(k)) == 0);
		}
	}
	return 0;
}
