/* pcapref: the reference reader that src/replay.c is checked against, by
 * tests/fuzz/fuzz_replay.c and bench/equiv-reader.c. libpcap's
 * pcap_next_ex() reads the records; above it, LINKTYPE_NETLINK records are
 * split into messages and NET_DM's id learnt by the rules replay.c's header
 * states, written again here without its code (a model sharing replay.c's
 * could not catch a fault in it). Each callback replay_file() would make
 * reaches one recording function instead, with the same arguments.
 */
#ifndef TRAPMON_TESTS_PCAPREF_H
#define TRAPMON_TESTS_PCAPREF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "replay.h"

/* One callback: 'M' NET_DM message, 'F' Ethernet frame, 'X' malformed
 * record; the bytes a callback saw are kept as a digest.
 */
struct pcapref_event {
	char kind;
	uint32_t len, caplen;
	uint64_t ts, digest;
};

/* Records one callback; data is NULL for 'X'. */
typedef void pcapref_note_fn(void *arg, char kind, uint32_t len, uint32_t caplen,
			     uint64_t ts, const void *data);

struct pcapref {
	pcapref_note_fn *note;
	void *arg;
	struct replay_stats st;
	char err[PCAP_ERRBUF_SIZE];	/* libpcap's text for a failure, or "" */
	bool known;			/* family holds NET_DM's id */
	uint16_t family;
	uint64_t aligned[(262144 + 64) / 8];	/* a message copied to 4-byte alignment */
};

struct pcapref_event pcapref_event(char kind, uint32_t len, uint32_t caplen, uint64_t ts,
				   const void *data);

/* Reads path as replay_file() would; 0, or -1 with ref->err set where
 * libpcap had a text (not for a link type replay_file() refuses).
 */
int pcapref_run(struct pcapref *ref, const char *path);

#endif
