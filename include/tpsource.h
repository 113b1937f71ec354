/* tpsource: the trap-report tracepoint opened through perf_event_open(2),
 * one counter and mmap ring per online CPU, read from trapmon's own poll
 * loop. No BPF: the kernel writes each event's raw fields to the ring and
 * trapmon parses them (tracepoint.h).
 */
#ifndef TRAPMON_TPSOURCE_H
#define TRAPMON_TPSOURCE_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "errmsg.h"
#include "tracepoint.h"

struct tp_ring {
	int fd;
	void *base;		/* the control page, then the data pages */
	uint64_t mapped;	/* bytes mapped */
};

struct tpsource {
	struct tp_layout layout;
	struct tp_ring *rings;
	int nrings;
	uint64_t lost;		/* PERF_RECORD_LOST: samples the rings had no room for */
	uint64_t bad;		/* records or samples that did not parse */
	uint8_t *wrap;		/* a record split by the ring's end, put together */
	bool monotonic;		/* samples in CLOCK_MONOTONIC: add clock_offset_ns */
	int64_t clock_offset_ns;
};

typedef void (*tp_report_fn)(const struct trap_report *r, void *arg);

/* Find tracefs, read the event's id and format, open and map a ring per
 * online CPU. -1 with e set to one line that says why and what to do.
 */
int tpsource_open(struct tpsource *s, struct errmsg *e);
void tpsource_close(struct tpsource *s);

/* Rings a poll loop watches; past it, rings are read when another wakes
 * the loop and before every table.
 */
#define TP_POLL_MAX 256

/* Fill pfd[0..min(nrings, max)) for poll(); returns how many. */
int tpsource_pollfds(const struct tpsource *s, struct pollfd *pfd, int max);

/* Read every ring to its head, calling fn per trapped packet; returns how
 * many reports were passed on.
 */
uint64_t tpsource_drain(struct tpsource *s, tp_report_fn fn, void *arg);

#endif
