/* dissect-dump: what dissect_packet() makes of each frame of an Ethernet
 * pcap as a hardware alert's payload (protocol 0: its fast path for plain
 * TCP and UDP, else dissect_eth()'s loop), one tab-separated line per
 * frame, for bench/dissect-vs-tshark.sh:
 *
 *   frame saddr daddr sport dport ip_proto is_encap flags
 *   outer_saddr outer_daddr ethertype vlan mirror_proto
 *
 * With FLOW_F_MIRROR (0x20, ERSPAN) the outer addresses are the mirrored
 * packet's and mirror_proto its IP protocol; otherwise mirror_proto is 0.
 * Addresses as inet_ntop() writes them, "-" where the key has none; flags
 * and ethertype in hex. The capture is read with libpcap, as tshark reads
 * it, not with replay.c, so only the dissector is compared.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "dissect.h"

static const char *addr(uint8_t family, const uint8_t *a, char *buf, size_t len)
{
	if (family == FLOW_FAMILY_IPV4)
		return inet_ntop(AF_INET, a, buf, (socklen_t)len);
	if (family == FLOW_FAMILY_IPV6)
		return inet_ntop(AF_INET6, a, buf, (socklen_t)len);
	return "-";
}

static int dump(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE], s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	char os[INET6_ADDRSTRLEN], od[INET6_ADDRSTRLEN];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long n = 0;
	struct flow_key k;
	pcap_t *p;
	int rc;

	p = pcap_open_offline(path, errbuf);
	if (!p) {
		fprintf(stderr, "dissect-dump: %s\n", errbuf);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "dissect-dump: %s: not an Ethernet capture\n", path);
		pcap_close(p);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		dissect_packet(data, h->caplen, 0, &k);
		printf("%lu\t%s\t%s\t%u\t%u\t%u\t%u\t%#x\t%s\t%s\t%#06x\t%u\t%u\n", ++n,
		       addr(k.family, k.saddr, s, sizeof(s)), addr(k.family, k.daddr, d, sizeof(d)),
		       k.sport, k.dport, k.ip_proto, k.is_encap, k.flags,
		       addr(k.outer_family, k.outer_saddr, os, sizeof(os)),
		       addr(k.outer_family, k.outer_daddr, od, sizeof(od)), k.ethertype, k.vlan,
		       k.flags & FLOW_F_MIRROR ? k.mirror_proto : 0);
	}
	if (rc != PCAP_ERROR_BREAK)
		fprintf(stderr, "dissect-dump: %s: %s\n", path, pcap_geterr(p));
	pcap_close(p);
	return rc == PCAP_ERROR_BREAK ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: dissect-dump FILE.pcap\n");
		return 2;
	}
	return dump(argv[1]) < 0 ? 1 : 0;
}
