/* dissect_priv: what the dissector's two files share (src/dissect.c: the
 * layer loop, Ethernet, IP and transport; src/dissect_tunnel.c: the
 * encapsulations). Not part of the API: include/dissect.h is.
 */
#ifndef TRAPMON_DISSECT_PRIV_H
#define TRAPMON_DISSECT_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "dissect.h"

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86dd

/* What a step returns: the layer at c->off, or L_DONE. */
enum layer { L_DONE, L_ETH, L_IP4, L_IP6, L_L4, L_MPLS, L_NSH };

struct cursor {
	const uint8_t *pkt;
	size_t off;		/* start of the current header */
	size_t end;		/* end of the current packet, <= len */
	size_t len;		/* capture length */
	struct flow_key *k;
	unsigned int tunnels;
	bool in_mirror;		/* dissecting an ERSPAN copy: no mirror inside it */
};

/* Byte-wise, so any alignment is fine. */
static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Is there room for n more bytes? If not, say why in the flags: an IP
 * length field (end < len) makes it malformed, the capture truncated.
 */
static inline int need(struct cursor *c, size_t n)
{
	if (n <= c->end - c->off)
		return 1;
	c->k->flags |= c->end < c->len ? FLOW_F_MALFORMED : FLOW_F_TRUNCATED;
	return 0;
}

static inline int stop_malformed(struct cursor *c)
{
	c->k->flags |= FLOW_F_MALFORMED;
	return L_DONE;
}

/* Zero the key, walk the layers from layer on; returns the key's flags. */
unsigned int dissect_run(struct cursor *c, int layer);

/* Called with a tunnel's header read; next is the payload's layer. */
int dissect_enter_tunnel(struct cursor *c, int next);

/* dissect_tunnel.c: each reads the header at c->off and returns the next layer. */
int dissect_ethertype_other(struct cursor *c, uint16_t type);	/* MPLS, PPPoE, CMD */
int dissect_gre(struct cursor *c);
int dissect_udp_tunnel(struct cursor *c, uint16_t dport);	/* c->off after UDP */
int dissect_tunnel_step(struct cursor *c, int layer);		/* L_MPLS, L_NSH */

#endif
