/* filter: a tcpdump filter expression (--filter), compiled once by libpcap
 * and run in user space on each dropped packet's bytes.
 */
#ifndef TRAPMON_FILTER_H
#define TRAPMON_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include <pcap/pcap.h>

struct errmsg;

struct filter {
	bool active;
	struct bpf_program eth;		/* for frames with an Ethernet header */
	struct bpf_program raw;		/* for packets that start at the IP header */
};

/* Compile expr; a bad expression sets e to libpcap's message. */
int filter_compile(struct filter *f, const char *expr, struct errmsg *e);

/* True when no filter is set or the packet matches. */
bool filter_match(const struct filter *f, const uint8_t *pkt, uint32_t caplen, uint32_t len,
		  bool raw_ip);

void filter_fini(struct filter *f);

#endif
