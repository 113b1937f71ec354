/* gencap: write a synthetic NET_DM capture (LINKTYPE_NETLINK, trapmon's own
 * -w format) of hardware drop alerts, for benchmarks and host-side tests.
 *
 *   gencap FILE ALERTS FLOWS [SEED]
 *
 * The flows mix IPv4 and IPv6, TCP and UDP, some 802.1Q-tagged and some
 * VXLAN-encapsulated, spread over three traps. Flow i is always the same
 * packet, so a file with FLOWS flows has exactly FLOWS distinct keys (up to
 * 2^24 flows: the source address and port encode i).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>

#include "capture.h"
#include "errmsg.h"

#define FAMILY_ID 0x1c

static const char *const traps[][2] = {
	{ "blackhole_route", "l3_drops" },
	{ "ingress_vlan_filter", "l2_drops" },
	{ "ttl_value_is_too_small", "l3_exceptions" },
};

static size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

/* One frame for flow number i; returns its length. */
static size_t build_frame(uint8_t *f, uint32_t i)
{
	uint8_t *p = f;
	int v6 = i % 3 == 1, tcp = i % 2, vlan = i % 5 == 0, vxlan = i % 7 == 3;
	/* Source ports repeat after 60000 flows: one address bit tells them apart. */
	uint8_t wrap = (i & 0xffff) >= 60000;
	uint8_t *ip, *l4;

	memset(f, 0, 256);
	memcpy(p, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	p += 12;
	if (vlan) {
		p += put16(p, 0x8100);
		p += put16(p, (uint16_t)(100 + i % 50));
	}
	if (vxlan) {
		/* Outer IPv4/UDP to 4789, VXLAN, then an inner Ethernet frame. */
		p += put16(p, 0x0800);
		ip = p;
		ip[0] = 0x45;
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
		p += 20;
		put16(p, 40000);
		put16(p + 2, 4789);
		p += 8;
		p[0] = 0x08;
		p += 8;
		memcpy(p, "\x02\x00\x00\x00\x00\x03\x02\x00\x00\x00\x00\x04", 12);
		p += 12;
	}
	p += put16(p, v6 ? 0x86dd : 0x0800);
	ip = p;
	if (v6) {
		ip[0] = 0x60;
		ip[6] = tcp ? 6 : 17;
		ip[7] = 64;
		memcpy(ip + 8, "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 14);
		ip[21] = wrap;
		put16(ip + 22, (uint16_t)(i >> 16));
		memcpy(ip + 24, "\x20\x01\x0d\xb8\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", 16);
		p += 40;
	} else {
		ip[0] = 0x45;
		ip[8] = 64;
		ip[9] = tcp ? 6 : 17;
		ip[12] = 192;
		ip[13] = 0;
		ip[14] = (uint8_t)(2 + wrap);
		ip[15] = (uint8_t)(i >> 16);
		memcpy(ip + 16, "\xc6\x33\x64\x01", 4);
		p += 20;
	}
	l4 = p;
	put16(l4, (uint16_t)(1024 + (i & 0xffff) % 60000));
	put16(l4 + 2, (uint16_t)(1 + i % 1000));
	p += tcp ? 20 : 8;
	p += 32;	/* payload bytes */
	/* Lengths, so the dissector's bounds see a consistent packet. */
	if (v6)
		put16(ip + 4, (uint16_t)(p - ip - 40));
	else
		put16(ip + 2, (uint16_t)(p - ip));
	return (size_t)(p - f);
}

static size_t build_alert(uint8_t *buf, uint32_t flow, uint64_t ts)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	const char *const *t = traps[flow % 3];
	uint8_t frame[256];
	size_t len = build_frame(frame, flow);
	struct nlattr *nest;

	nlh->nlmsg_type = FAMILY_ID;
	g->cmd = NET_DM_CMD_PACKET_ALERT;
	g->version = 2;
	mnl_attr_put_u16(nlh, NET_DM_ATTR_ORIGIN, NET_DM_ORIGIN_HW);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_GROUP_NAME, t[1]);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_NAME, t[0]);
	nest = mnl_attr_nest_start(nlh, NET_DM_ATTR_IN_PORT);
	mnl_attr_put_u32(nlh, NET_DM_ATTR_PORT_NETDEV_IFINDEX, 2 + flow % 2);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_PORT_NETDEV_NAME, flow % 2 ? "eth1" : "eth0");
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u64(nlh, NET_DM_ATTR_TIMESTAMP, ts);
	mnl_attr_put_u32(nlh, NET_DM_ATTR_ORIG_LEN, (uint32_t)len);
	mnl_attr_put_u16(nlh, NET_DM_ATTR_PROTO, 0x0800);
	mnl_attr_put(nlh, NET_DM_ATTR_PAYLOAD, len, frame);
	return nlh->nlmsg_len;
}

int main(int argc, char **argv)
{
	struct capture_opts o = { .linktype = CAPTURE_NETLINK, .family_id = FAMILY_ID };
	uint8_t buf[1024] __attribute__((aligned(4)));
	struct errmsg e = { 0 };
	unsigned long alerts, flows, i, seed = 1;
	struct capture *c;

	if (argc < 4) {
		fprintf(stderr, "usage: gencap FILE ALERTS FLOWS [SEED]\n");
		return 64;
	}
	o.path = argv[1];
	alerts = strtoul(argv[2], NULL, 10);
	flows = strtoul(argv[3], NULL, 10);
	if (argc > 4)
		seed = strtoul(argv[4], NULL, 10);
	if (!flows) {
		fprintf(stderr, "gencap: FLOWS must be above 0\n");
		return 64;
	}
	c = capture_open(&o, &e);
	if (!c) {
		fprintf(stderr, "gencap: %s\n", e.text);
		return 1;
	}
	for (i = 0; i < alerts; i++) {
		/* A cheap scramble so flows interleave rather than run in order. */
		uint32_t flow = (uint32_t)((i * 2654435761ul + seed) % flows);

		/* libmnl 1.0.4 leaves attribute padding as it finds it: zero it,
		 * so the file is the same whatever the stack held.
		 */
		memset(buf, 0, sizeof(buf));
		build_alert(buf, flow, 1700000000000000000ull + i * 1000);
		if (capture_write(c, (const struct nlmsghdr *)buf, NULL, 0, 0,
				  1700000000000000000ull + i * 1000) < 0) {
			fprintf(stderr, "gencap: %s\n", capture_error(c) ? capture_error(c) : "write failed");
			capture_close(c);
			return 1;
		}
	}
	return capture_close(c) < 0 ? 1 : 0;
}
