/* dissect_tunnel: the encapsulations of the dissector (src/dissect.c has
 * the layer loop, Ethernet, IP and transport): GRE and what it carries
 * (IP, transparent Ethernet, MPLS, WCCP, Cisco MetaData, NSH, ERSPAN),
 * the UDP tunnels (VXLAN, VXLAN-GPE, Geneve, MPLS over UDP), MPLS label
 * stacks, NSH and PPPoE sessions. Each step reads the header at c->off,
 * bounds-checked with need(), and returns the next layer; the rules of
 * dissect.c's header comment hold here too.
 *
 * ERSPAN is the exception to "report the innermost flow": it carries a
 * copy of a packet for an analyser, so the flow that was dropped is the
 * GRE one. The copy is dissected on its own (one level, never a mirror in
 * a mirror) and its innermost addresses and protocol go to mirror_*,
 * unless the ERSPAN packet was itself in a tunnel, whose outer addresses
 * have that space.
 */
#include <string.h>

#include "dissect.h"
#include "dissect_priv.h"

#define ETH_P_TEB	0x6558	/* transparent Ethernet bridging */
#define ETH_P_MPLS_UC	0x8847
#define ETH_P_MPLS_MC	0x8848
#define ETH_P_PPPOE_SES	0x8864
#define ETH_P_WCCP	0x883e
#define ETH_P_CMD	0x8909	/* Cisco MetaData */
#define ETH_P_NSH	0x894f
#define ETH_P_ERSPAN	0x88be	/* types I and II */
#define ETH_P_ERSPAN3	0x22eb

#define GRE_SEQ		0x1000
#define VXLAN_PORT	4789
#define VXLAN_GPE_PORT	4790
#define MPLS_UDP_PORT	6635

/* An IP payload that a protocol field (not an EtherType) names. */
static int ip_payload(struct cursor *c, int ipv6)
{
	c->k->ethertype = ipv6 ? ETH_P_IPV6 : ETH_P_IP;
	return ipv6 ? L_IP6 : L_IP4;
}

/* NSH and VXLAN-GPE share one registry of next-protocol numbers. */
static int next_protocol(struct cursor *c, uint8_t np)
{
	switch (np) {
	case 1:
		return ip_payload(c, 0);
	case 2:
		return ip_payload(c, 1);
	case 3:
		return L_ETH;
	case 4:
		c->k->ethertype = ETH_P_NSH;
		return L_NSH;
	case 5:
		c->k->ethertype = ETH_P_MPLS_UC;
		return L_MPLS;
	}
	return L_DONE;
}

int dissect_ethertype_other(struct cursor *c, uint16_t type)
{
	const uint8_t *h = c->pkt + c->off;

	switch (type) {
	case ETH_P_MPLS_UC:
	case ETH_P_MPLS_MC:
		return dissect_enter_tunnel(c, L_MPLS);
	case ETH_P_PPPOE_SES:
		/* version/type, code, session, length, then PPP's protocol */
		if (!need(c, 8))
			return L_DONE;
		c->off += 8;
		if (rd16(h + 6) == 0x0021)
			return ip_payload(c, 0);
		if (rd16(h + 6) == 0x0057)
			return ip_payload(c, 1);
		return L_DONE;
	case ETH_P_CMD:
		/* version, length, options, SGT, then the EtherType */
		if (!need(c, 8))
			return L_DONE;
		c->off += 8;
		type = rd16(h + 6);
		c->k->ethertype = type;
		if (type == ETH_P_IP || type == ETH_P_IPV6)
			return ip_payload(c, type == ETH_P_IPV6);
		return L_DONE;
	}
	return L_DONE;
}

/* The bottom of the label stack (S bit) is followed by IPv4 or IPv6, as
 * their first nibble says, or by an Ethernet pseudowire's control word
 * (first nibble 0). Anything else (1: an associated channel) stops here.
 */
static int do_mpls(struct cursor *c)
{
	const uint8_t *h;

	do {
		if (!need(c, 4))
			return L_DONE;
		h = c->pkt + c->off;
		c->off += 4;
	} while (!(h[2] & 0x01));
	if (!need(c, 1))
		return L_DONE;
	switch (c->pkt[c->off] >> 4) {
	case 4:
		return ip_payload(c, 0);
	case 6:
		return ip_payload(c, 1);
	case 0:
		if (!need(c, 4))
			return L_DONE;
		c->off += 4;
		return L_ETH;
	}
	return L_DONE;
}

/* Base header (its length field counts the whole NSH header in 4-byte
 * words, metadata included), service path header, metadata.
 */
static int do_nsh(struct cursor *c)
{
	const uint8_t *h = c->pkt + c->off;
	size_t hlen;

	if (!need(c, 8))
		return L_DONE;
	hlen = (size_t)(rd16(h) & 0x3f) * 4;
	if (h[0] >> 6 != 0 || hlen < 8)
		return stop_malformed(c);
	if (!need(c, hlen))
		return L_DONE;
	c->off += hlen;
	return next_protocol(c, h[3]);
}

int dissect_tunnel_step(struct cursor *c, int layer)
{
	return layer == L_MPLS ? do_mpls(c) : do_nsh(c);
}

/* The mirrored copy's innermost flow into mirror_*. Its truncation or
 * damage shows in the key's flags, so a cut copy never looks complete.
 */
static int mirror(struct cursor *c)
{
	struct flow_key m, *k = c->k;
	struct cursor sub = { .pkt = c->pkt, .off = c->off, .end = c->end,
			      .len = c->len, .k = &m, .in_mirror = true };

	/* Inside another tunnel outer_* are taken: its addresses stay. */
	if (c->in_mirror || k->is_encap)
		return L_DONE;
	dissect_run(&sub, L_ETH);
	k->flags |= m.flags & (FLOW_F_TRUNCATED | FLOW_F_MALFORMED);
	if (m.family == FLOW_FAMILY_NONE)
		return L_DONE;
	memcpy(k->mirror_saddr, m.saddr, sizeof(m.saddr));
	memcpy(k->mirror_daddr, m.daddr, sizeof(m.daddr));
	k->mirror_family = m.family;
	k->mirror_proto = m.ip_proto;
	k->flags |= FLOW_F_MIRROR;
	return L_DONE;
}

/* ERSPAN type I has no header (GRE without a sequence number), type II an
 * 8-byte one; type III 12 bytes and, with its O bit, an 8-byte platform
 * subheader. Frame type 0 is Ethernet; other copies are not looked into.
 */
static int erspan(struct cursor *c, uint16_t type, uint16_t gre_flags)
{
	const uint8_t *h = c->pkt + c->off;
	size_t hlen = 0;

	if (type == ETH_P_ERSPAN3) {
		if (!need(c, 12))
			return L_DONE;
		hlen = h[11] & 0x01 ? 20 : 12;
		if ((h[10] >> 2 & 0x1f) != 0)
			return L_DONE;
	} else if (gre_flags & GRE_SEQ) {
		hlen = 8;
	}
	if (!need(c, hlen))
		return L_DONE;
	c->off += hlen;
	return mirror(c);
}

/* GRE and Geneve name their payload with an EtherType. */
static int tunnel_payload(struct cursor *c, uint16_t type, uint16_t gre_flags)
{
	const uint8_t *h = c->pkt + c->off;

	c->k->ethertype = type;
	switch (type) {
	case ETH_P_IP:
		return dissect_enter_tunnel(c, L_IP4);
	case ETH_P_IPV6:
		return dissect_enter_tunnel(c, L_IP6);
	case ETH_P_TEB:
		return dissect_enter_tunnel(c, L_ETH);
	case ETH_P_MPLS_UC:
	case ETH_P_MPLS_MC:
		return dissect_enter_tunnel(c, L_MPLS);
	case ETH_P_NSH:
		return dissect_enter_tunnel(c, L_NSH);
	case ETH_P_WCCP:
		/* WCCPv2 adds a 4-byte redirect header, WCCPv1 none: an IPv4
		 * header right away is version 1.
		 */
		if (!need(c, 1))
			return L_DONE;
		if (h[0] >> 4 != 4) {
			if (!need(c, 4))
				return L_DONE;
			c->off += 4;
		}
		return dissect_enter_tunnel(c, L_IP4);
	case ETH_P_ERSPAN:
	case ETH_P_ERSPAN3:
		return erspan(c, type, gre_flags);
	}
	return L_DONE;
}

int dissect_gre(struct cursor *c)
{
	const uint8_t *h = c->pkt + c->off;
	uint16_t fl, type;
	size_t hlen;

	if (!need(c, 4))
		return L_DONE;
	fl = rd16(h);
	/* Routing present or version != 0 (PPTP): not a tunnel we parse. */
	if (fl & 0x4007)
		return L_DONE;
	hlen = 4 + (fl & 0x8000 ? 4 : 0) + (fl & 0x2000 ? 4 : 0) +
	       (fl & GRE_SEQ ? 4 : 0);
	if (!need(c, hlen))
		return L_DONE;
	c->off += hlen;
	type = rd16(h + 2);
	if (type == ETH_P_CMD) {
		/* Cisco MetaData in GRE: the inner EtherType first, then
		 * version, length, options and SGT.
		 */
		c->k->ethertype = type;
		if (!need(c, 8))
			return L_DONE;
		type = rd16(c->pkt + c->off);
		c->off += 8;
		if (type == ETH_P_CMD)
			return stop_malformed(c);
	}
	return tunnel_payload(c, type, fl);
}

int dissect_udp_tunnel(struct cursor *c, uint16_t dport)
{
	const uint8_t *h = c->pkt + c->off;
	size_t hlen;

	if (dport == MPLS_UDP_PORT) {
		c->k->ethertype = ETH_P_MPLS_UC;
		return dissect_enter_tunnel(c, L_MPLS);
	}
	if (!need(c, 8))
		return L_DONE;
	if (dport == VXLAN_PORT) {
		c->off += 8;
		return dissect_enter_tunnel(c, L_ETH);
	}
	if (dport == VXLAN_GPE_PORT) {
		c->off += 8;
		return dissect_enter_tunnel(c, next_protocol(c, h[3]));
	}
	if (h[0] >> 6 != 0)	/* Geneve version */
		return L_DONE;
	hlen = 8 + (size_t)(h[0] & 0x3f) * 4;
	if (!need(c, hlen))
		return L_DONE;
	c->off += hlen;
	return tunnel_payload(c, rd16(h + 2), 0);
}
