/* dissect: turn the bytes of a dropped Ethernet frame into a flow key.
 * This file has the layer loop, Ethernet with VLAN tags, IPv4, IPv6 with
 * its extension headers and the transport header; dissect_tunnel.c has
 * the encapsulations (GRE and what it carries, UDP tunnels, MPLS, NSH,
 * PPPoE, ERSPAN's mirrored copy).
 *
 * One loop walks the layers: each step reads the header at c.off and
 * returns the next layer. c.end bounds the current packet: the capture
 * length, narrowed by the IPv4 total length and IPv6 payload length (a zero
 * length, as in GSO/TSO and jumbograms, does not narrow it).
 *
 * Partial results follow three rules, so a key never mixes half-read values:
 *  - A layer's fields are written only once its whole header (with IPv4
 *    options, the whole extension header, the fixed ICMP header, the tunnel
 *    header with its options) is inside c.end. When it is not, the fields
 *    of the layers before stay and FLOW_F_TRUNCATED is set;
 *    FLOW_F_MALFORMED instead when an IP length field, not the capture, cut
 *    it short. The one exception is the TCP, UDP, UDP-Lite and SCTP ports:
 *    the first 4 bytes of the header are enough for them, as for tshark.
 *  - A tunnel counts as crossed (is_encap = 1, outer_* = the outermost IP
 *    addresses) once its own header is complete: the outer IP header for
 *    IPIP/6in4/4in6/6in6/SRv6, the GRE header, the VXLAN, VXLAN-GPE or
 *    MPLS-over-UDP header, the Geneve header with its options. Layers with
 *    no IP header outside them (MPLS or PPPoE straight on Ethernet) are not
 *    tunnels: is_encap stays 0 until an IP header has been seen.
 *  - saddr/daddr/sport/dport/ip_proto describe the innermost flow whose IP
 *    header was fully read. If a tunnel's inner IP header is cut, malformed
 *    or not IP at all (VXLAN carrying ARP), they keep the outer flow (for
 *    VXLAN: the UDP ports, dport 4789; for GRE: ip_proto 47, ports 0) while
 *    is_encap and outer_* already say that a tunnel was crossed.
 *
 * ethertype is the last EtherType acted on: Ethernet/VLAN type, GRE or
 * Geneve protocol type (also one where dissection stops), or the
 * 0x0800/0x86dd that an IP-in-IP tunnel, an MPLS payload's first nibble,
 * a PPP protocol or an NSH/VXLAN-GPE next protocol implies. For 802.3
 * frames it is the length field. vlan is the first VLAN id in the frame,
 * so a VLAN inside VXLAN shows when the outer frame is untagged.
 */
#include <string.h>

#include "dissect.h"
#include "dissect_priv.h"

#define MAX_VLAN_TAGS	4	/* per Ethernet header; QinQ uses 2 */
#define MAX_IPV6_EXT	16	/* breaks next-header loops */
#define MAX_TUNNELS	4

#define IPPROTO_ETHERNET 143	/* RFC 8986: SRv6 End.DX2 and friends */

#define VXLAN_PORT	4789
#define VXLAN_GPE_PORT	4790
#define GENEVE_PORT	6081
#define MPLS_UDP_PORT	6635

static void set_addrs(struct flow_key *k, uint8_t family, const uint8_t *s,
		      const uint8_t *d, size_t alen)
{
	/* An IPv4 inner flow may replace an IPv6 outer one: clear the tail,
	 * and the outer ports. The first IP header finds all of it zero, so
	 * it skips that; DISSECT_ALWAYS_CLEAR builds the version that clears
	 * every time, which bench/equiv-dissect holds this one to.
	 */
#ifndef DISSECT_ALWAYS_CLEAR
	if (k->family != FLOW_FAMILY_NONE)
#endif
	{
		memset(k->saddr, 0, sizeof(k->saddr));
		memset(k->daddr, 0, sizeof(k->daddr));
		k->sport = 0;
		k->dport = 0;
	}
	memcpy(k->saddr, s, alen);
	memcpy(k->daddr, d, alen);
	k->family = family;
}

int dissect_enter_tunnel(struct cursor *c, int next)
{
	struct flow_key *k = c->k;

	if (c->tunnels == MAX_TUNNELS)
		return stop_malformed(c);
	c->tunnels++;
	/* Without an IP header outside (MPLS on Ethernet) there is no outer flow. */
	if (!k->is_encap && k->family != FLOW_FAMILY_NONE) {
		memcpy(k->outer_saddr, k->saddr, sizeof(k->saddr));
		memcpy(k->outer_daddr, k->daddr, sizeof(k->daddr));
		k->outer_family = k->family;
		k->is_encap = 1;
	}
	return next;
}

static int do_eth(struct cursor *c)
{
	struct flow_key *k = c->k;
	unsigned int tags;
	uint16_t type;

	if (!need(c, 14))
		return L_DONE;
	type = rd16(c->pkt + c->off + 12);
	c->off += 14;
	for (tags = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100;
	     tags++) {
		k->ethertype = type;
		if (tags == MAX_VLAN_TAGS)
			return stop_malformed(c);
		const uint8_t *h = c->pkt + c->off;

		if (!need(c, 4))
			return L_DONE;
		if (!(k->flags & FLOW_F_VLAN)) {
			k->vlan = rd16(h) & 0x0fff;
			k->flags |= FLOW_F_VLAN;
		}
		type = rd16(h + 2);
		c->off += 4;
	}
	k->ethertype = type;
	if (type == ETH_P_IP)
		return L_IP4;
	if (type == ETH_P_IPV6)
		return L_IP6;
	return dissect_ethertype_other(c, type);
}

static int do_ipv4(struct cursor *c)
{
	struct flow_key *k = c->k;
	const uint8_t *h = c->pkt + c->off;
	size_t hlen, tot;

	if (!need(c, 20))
		return L_DONE;
	hlen = (size_t)(h[0] & 0x0f) * 4;
	tot = rd16(h + 2);
	/* tot == 0 is what GSO/TSO captures carry: trust the capture. */
	if (h[0] >> 4 != 4 || hlen < 20 || (tot && tot < hlen))
		return stop_malformed(c);
	if (!need(c, hlen))
		return L_DONE;
	set_addrs(k, FLOW_FAMILY_IPV4, h + 12, h + 16, 4);
	k->ip_proto = h[9];
	if (tot && tot < c->end - c->off)
		c->end = c->off + tot;
	c->off += hlen;
	if (rd16(h + 6) & 0x1fff) {
		k->flags |= FLOW_F_FRAGMENT;
		return L_DONE;
	}
	return L_L4;
}

static int is_ipv6_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60;
}

static int do_ipv6(struct cursor *c)
{
	struct flow_key *k = c->k;
	const uint8_t *h = c->pkt + c->off;
	unsigned int n;
	size_t plen, hlen;
	uint8_t nh;

	if (!need(c, 40))
		return L_DONE;
	if (h[0] >> 4 != 6)
		return stop_malformed(c);
	set_addrs(k, FLOW_FAMILY_IPV6, h + 8, h + 24, 16);
	plen = rd16(h + 4);
	nh = h[6];
	c->off += 40;
	/* plen == 0: jumbogram (BIG TCP) or GSO, trust the capture. */
	if (plen && plen < c->end - c->off)
		c->end = c->off + plen;
	/* A cut chain leaves ip_proto at the header that could not be read. */
	for (n = 0;; n++) {
		k->ip_proto = nh;
		if (!is_ipv6_ext(nh))
			return L_L4;
		if (n == MAX_IPV6_EXT)
			return stop_malformed(c);
		if (!need(c, 8))	/* every extension header is >= 8 */
			return L_DONE;
		h = c->pkt + c->off;
		if (nh == 44) {
			hlen = 8;
			if (rd16(h + 2) & 0xfff8) {
				k->ip_proto = h[0];
				k->flags |= FLOW_F_FRAGMENT;
				return L_DONE;
			}
		} else if (nh == 51) {
			hlen = ((size_t)h[1] + 2) * 4;
		} else {
			hlen = ((size_t)h[1] + 1) * 8;
		}
		if (!need(c, hlen))
			return L_DONE;
		nh = h[0];
		c->off += hlen;
	}
}

/* A transport header cut short: its ports are its first 4 bytes, in TCP,
 * UDP, UDP-Lite and SCTP alike. Kept out of line, off the common path.
 */
static __attribute__((noinline, cold)) int cut_ports(struct cursor *c)
{
	const uint8_t *h = c->pkt + c->off;

	if (c->end - c->off >= 4) {
		c->k->sport = rd16(h);
		c->k->dport = rd16(h + 2);
	}
	return L_DONE;
}

static int is_udp_tunnel_port(uint16_t port)
{
	return port == VXLAN_PORT || port == VXLAN_GPE_PORT || port == GENEVE_PORT ||
	       port == MPLS_UDP_PORT;
}

static int do_l4(struct cursor *c)
{
	struct flow_key *k = c->k;
	const uint8_t *h = c->pkt + c->off;
	size_t hlen;

	switch (k->ip_proto) {
	case 6:		/* TCP */
		hlen = 20;
		break;
	case 17:	/* UDP */
	case 136:	/* UDP-Lite */
		hlen = 8;
		break;
	case 132:	/* SCTP */
		hlen = 12;
		break;
	case 1:		/* ICMP */
	case 58:	/* ICMPv6 */
		if (!need(c, 4))
			return L_DONE;
		k->icmp_type = h[0];
		k->icmp_code = h[1];
		k->flags |= FLOW_F_ICMP;
		return L_DONE;
	case 4:		/* IPv4 in IPv4/IPv6 */
		k->ethertype = ETH_P_IP;
		return dissect_enter_tunnel(c, L_IP4);
	case 41:	/* IPv6 in IPv4/IPv6 */
		k->ethertype = ETH_P_IPV6;
		return dissect_enter_tunnel(c, L_IP6);
	case 47:
		return dissect_gre(c);
	case IPPROTO_ETHERNET:
		if (k->family != FLOW_FAMILY_IPV6)
			return L_DONE;
		return dissect_enter_tunnel(c, L_ETH);
	default:
		return L_DONE;
	}
	if (!need(c, hlen))
		return cut_ports(c);
	k->sport = rd16(h);
	k->dport = rd16(h + 2);
	c->off += hlen;
	/* One comparison for most UDP: every tunnel port is in this range. */
	if (k->ip_proto == 17 && (unsigned int)(k->dport - VXLAN_PORT) <= MPLS_UDP_PORT - VXLAN_PORT &&
	    is_udp_tunnel_port(k->dport))
		return dissect_udp_tunnel(c, k->dport);
	return L_DONE;
}

/* Inlined into the entry points, which start from a known layer. */
static inline unsigned int run(struct cursor *c, int layer)
{
	memset(c->k, 0, sizeof(*c->k));
	/* Each step consumes a header, and tunnels, tags and extension
	 * headers are bounded, so this ends.
	 */
	while (layer != L_DONE) {
		/* A chain, not a switch: a jump table costs plain IP more. */
		if (layer == L_IP4)
			layer = do_ipv4(c);
		else if (layer == L_L4)
			layer = do_l4(c);
		else if (layer == L_ETH)
			layer = do_eth(c);
		else if (layer == L_IP6)
			layer = do_ipv6(c);
		else
			layer = dissect_tunnel_step(c, layer);
	}
	return c->k->flags;
}

unsigned int dissect_run(struct cursor *c, int layer)
{
	return run(c, layer);
}

unsigned int dissect_eth(const uint8_t *frame, size_t len, struct flow_key *key)
{
	struct cursor c = { .pkt = frame, .end = len, .len = len, .k = key };

	return run(&c, L_ETH);
}

static inline bool is_raw_ip(const uint8_t *pkt, size_t len, uint16_t proto)
{
	unsigned int version = len ? pkt[0] >> 4 : 0;
	bool ip = (proto == ETH_P_IP && version == 4) || (proto == ETH_P_IPV6 && version == 6);

	if (ip && len >= 14) {
		uint16_t type = rd16(pkt + 12);

		ip = type != proto && type != 0x8100 && type != 0x88a8 && type != 0x9100;
	}
	return ip;
}

bool dissect_is_raw_ip(const uint8_t *pkt, size_t len, uint16_t proto)
{
	return is_raw_ip(pkt, len, proto);
}

#ifndef DISSECT_NO_FAST_PATH
/* The transport header's length if ip_proto is TCP or UDP (a UDP port
 * that no tunnel uses), else 0: run() then takes the packet.
 */
static inline size_t fast_l4_len(uint8_t ip_proto, const uint8_t *l4)
{
	if (ip_proto == 6)
		return 20;
	if (ip_proto == 17 && (unsigned int)(rd16(l4 + 2) - VXLAN_PORT) > MPLS_UDP_PORT - VXLAN_PORT)
		return 8;
	return 0;
}

/* A fast key: source and destination address side by side at addrs, alen
 * bytes each (a constant where it is inlined). Cleared in five vector
 * stores: gcc expanded memset() here, in the hot copy, as rep stosd, whose
 * start-up costs tens of cycles (bench/RESULTS.md, session 15).
 */
static inline __attribute__((always_inline)) void fast_key(struct flow_key *k, uint8_t family,
							    const uint8_t *addrs, size_t alen,
							    uint8_t ip_proto)
{
	typedef uint8_t v16 __attribute__((vector_size(16)));
	const v16 zero = { 0 };
	size_t i;

	_Static_assert(sizeof(*k) % 16 == 0, "the key clears in 16-byte stores");
	for (i = 0; i < sizeof(*k); i += 16)
		memcpy((uint8_t *)k + i, &zero, 16);
	memcpy(k->saddr, addrs, alen);
	memcpy(k->daddr, addrs + alen, alen);
	k->family = family;
	k->ip_proto = ip_proto;
}

/* The packets most drops carry: IPv4 without options (not a later
 * fragment) or IPv6 without extension headers, then TCP or UDP, every
 * header inside both the room left in the capture and the IP length. The
 * key run() writes for them, in straight-line code, at about a third of
 * the loop's instructions (bench/RESULTS.md, session 7); for any other
 * packet false, the key untouched, for run(). bench/equiv-dissect holds
 * this to the loop alone (dissect-ref.c builds without it).
 */
static inline __attribute__((always_inline)) bool fast_ip(const uint8_t *h, size_t room,
							   uint16_t type, struct flow_key *k)
{
	size_t l4;

	/* Each branch checks the room it reads up to (the ports) first. */
	if (type == ETH_P_IP) {
		if (room < 20 + 8 || h[0] != 0x45 || (rd16(h + 6) & 0x1fff) ||
		    !(l4 = fast_l4_len(h[9], h + 20)) || rd16(h + 2) < 20 + l4 || room < 20 + l4)
			return false;
		fast_key(k, FLOW_FAMILY_IPV4, h + 12, 4, h[9]);
		h += 20;
	} else if (type == ETH_P_IPV6) {
		if (room < 40 + 8 || h[0] >> 4 != 6 || !(l4 = fast_l4_len(h[6], h + 40)) ||
		    rd16(h + 4) < l4 || room < 40 + l4)
			return false;
		fast_key(k, FLOW_FAMILY_IPV6, h + 8, 16, h[6]);
		h += 40;
	} else {
		return false;
	}
	k->sport = rd16(h);
	k->dport = rd16(h + 2);
	k->ethertype = type;
	return true;
}

/* The same behind Ethernet with at most one 802.1Q tag. */
static inline bool fast_eth(const uint8_t *pkt, size_t len, struct flow_key *k)
{
	size_t off = 14;
	uint16_t type;

	if (len < 14 + 20 + 8)		/* the shortest: IPv4 and UDP */
		return false;
	type = rd16(pkt + 12);
	if (type == 0x8100) {
		type = rd16(pkt + 16);
		off = 18;
	}
	if (!fast_ip(pkt + off, len - off, type, k))
		return false;
	if (off == 18) {
		k->vlan = rd16(pkt + 14) & 0x0fff;
		k->flags = FLOW_F_VLAN;
	}
	return true;
}
#endif

unsigned int dissect_packet(const uint8_t *pkt, size_t len, uint16_t proto, struct flow_key *key)
{
	struct cursor c;

	if (!is_raw_ip(pkt, len, proto)) {
#ifndef DISSECT_NO_FAST_PATH
		if (fast_eth(pkt, len, key))
			return key->flags;
#endif
		return dissect_eth(pkt, len, key);
	}
#ifndef DISSECT_NO_FAST_PATH
	/* Raw IP (software drops): proto agrees with the version. */
	if (fast_ip(pkt, len, proto, key))
		return key->flags;
#endif
	c = (struct cursor){ .pkt = pkt, .end = len, .len = len, .k = key };
	run(&c, pkt[0] >> 4 == 4 ? L_IP4 : L_IP6);
	key->ethertype = proto;
	return key->flags;
}
