/* dissect: turn the bytes of a dropped Ethernet frame into a flow key.
 * Pure: no I/O, no globals, no allocation; never reads past len.
 */
#ifndef TRAPMON_DISSECT_H
#define TRAPMON_DISSECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Address family of saddr/daddr and outer_saddr/outer_daddr (or mirror_*). */
enum flow_family {
	FLOW_FAMILY_NONE = 0,	/* non-IP or not reached: addresses print as "-" */
	FLOW_FAMILY_IPV4 = 4,	/* address in the first 4 bytes, rest zero */
	FLOW_FAMILY_IPV6 = 6,
};

/* Bits in flow_key.flags. */
enum {
	FLOW_F_TRUNCATED = 1 << 0, /* the frame ended before the last layer was read */
	FLOW_F_FRAGMENT  = 1 << 1, /* non-first fragment: ports are 0 */
	FLOW_F_ICMP      = 1 << 2, /* icmp_type/icmp_code are valid (ICMP or ICMPv6) */
	FLOW_F_VLAN      = 1 << 3, /* vlan holds the outermost VLAN id */
	FLOW_F_MALFORMED = 1 << 4, /* a header was inconsistent (bad IHL, loops, ...) */
	FLOW_F_MIRROR    = 1 << 5, /* ERSPAN: mirror_* hold the mirrored packet's flow */
};

/* Fixed size and free of padding holes, so it can be hashed and compared as
 * bytes. For an encapsulated packet the inner flow is in saddr..dport and
 * the outermost IP header's addresses are in outer_*. Fields that were not
 * reached are zero.
 *
 * An ERSPAN packet carries a copy of another packet, not traffic: its flow
 * is the outer GRE one (is_encap 0), and FLOW_F_MIRROR says that the space
 * of the outer addresses and of the ICMP type holds the mirrored packet's
 * innermost addresses and IP protocol instead (its ports are not kept: the
 * key has no room left for them, see docs/dissect-vs-tshark.md). Both are
 * details that --wide shows, and that a key without --wide clears.
 */
struct flow_key {
	uint8_t  saddr[16];
	uint8_t  daddr[16];
	union {
		struct {
			uint8_t outer_saddr[16];
			uint8_t outer_daddr[16];
		};
		struct {		/* FLOW_F_MIRROR */
			uint8_t mirror_saddr[16];
			uint8_t mirror_daddr[16];
		};
	};
	uint16_t sport;		/* host byte order */
	uint16_t dport;
	uint16_t vlan;		/* outermost VLAN id (12 bits), see FLOW_F_VLAN */
	uint16_t ethertype;	/* innermost ethertype reached, host order */
	uint8_t  family;	/* enum flow_family of saddr/daddr */
	union {
		uint8_t outer_family;	/* of outer_*, NONE if not encapsulated */
		uint8_t mirror_family;	/* FLOW_F_MIRROR: of mirror_* */
	};
	uint8_t  ip_proto;	/* innermost L4 protocol number; 0 if none */
	uint8_t  is_encap;	/* 1 when a tunnel was crossed */
	union {
		uint8_t icmp_type;	/* FLOW_F_ICMP */
		uint8_t mirror_proto;	/* FLOW_F_MIRROR: never ICMP, the flow is GRE */
	};
	uint8_t  icmp_code;
	uint8_t  flags;		/* FLOW_F_* */
	uint8_t  pad;
};

/* Dissect an Ethernet frame. Layers: Ethernet II, up to 4 VLAN tags
 * (0x8100, 0x88a8, 0x9100), IPv4 with options, IPv6 with its extension-header
 * chain (hop-by-hop, routing, fragment, destination options, AH), TCP, UDP,
 * UDP-Lite, SCTP ports (also from a header cut short, if its first 4 bytes
 * are there), ICMP/ICMPv6 type and code (ports 0), and encapsulations:
 * IPIP, IPv6-in-IPv4, IPv4/IPv6-in-IPv6, SRv6 (IPv6 next header 143,
 * Ethernet), GRE v0 (C/K/S bits; IPv4, IPv6, transparent Ethernet bridging,
 * MPLS, WCCP, Cisco MetaData, NSH, ERSPAN I/II/III payloads), VXLAN (UDP
 * 4789), VXLAN-GPE (UDP 4790), Geneve (UDP 6081, with options), MPLS label
 * stacks of any depth (over Ethernet, GRE and UDP 6635; IPv4, IPv6 or an
 * Ethernet pseudowire with control word below), NSH and PPPoE sessions.
 * Tunnel nesting is bounded.
 *
 * Always fills *key completely (zeroing it first) and returns key->flags.
 */
unsigned int dissect_eth(const uint8_t *frame, size_t len, struct flow_key *key);

/* Dissect a dropped packet whose ethertype the kernel reported as proto.
 * Packets from devices without a MAC header (tun, some software drops)
 * start at the IP header: when proto is IPv4/IPv6, the first nibble is
 * that version and no Ethernet header carrying proto follows, the packet
 * is read as IP. Everything else is read as Ethernet.
 */
unsigned int dissect_packet(const uint8_t *pkt, size_t len, uint16_t proto, struct flow_key *key);

/* The rule dissect_packet() uses: true when pkt starts at its IP header. */
bool dissect_is_raw_ip(const uint8_t *pkt, size_t len, uint16_t proto);

#endif
