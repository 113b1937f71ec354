/* tracepoint: devlink's trap-report tracepoint (devlink:devlink_trap_report)
 * as a source, read through perf_event_open(2) rings without BPF. The
 * kernel fires it for every trapped packet, control traps included, before
 * drop_monitor sees any; it carries names and the input port, no packet.
 *
 * The pure half (tracepoint_parse.c): the event's `format` file into a
 * field layout, perf ring records into samples, samples into reports. Never
 * hard-coded offsets: they differ between kernels.
 */
#ifndef TRAPMON_TRACEPOINT_H
#define TRAPMON_TRACEPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errmsg.h"

enum tp_field_id {
	TP_BUS,
	TP_DEV,
	TP_DRIVER,
	TP_TRAP,
	TP_GROUP,
	TP_INPUT_DEV,
	TP_NFIELDS,
};

struct tp_field {
	uint16_t offset;
	uint16_t size;
	bool data_loc;		/* __data_loc char[]: a u32 of length << 16 | offset */
	bool found;
};

struct tp_layout {
	uint32_t id;		/* the event's id, for perf_event_attr.config */
	struct tp_field f[TP_NFIELDS];
};

#define TP_PORT_MAX 16		/* IFNAMSIZ, the size of input_dev_name */

/* One trapped packet. Names point into the sample; port is "" when the
 * driver gave none.
 */
struct trap_report {
	const char *bus;
	const char *dev;
	const char *driver;
	const char *trap;
	const char *group;	/* NULL when the layout has no group */
	char port[TP_PORT_MAX + 1];
	uint64_t time_ns;	/* CLOCK_REALTIME, from perf */
};

/* Parse the text of events/devlink/devlink_trap_report/format (id from its
 * "ID:" line). Needs trap_name, bus_name and dev_name; -1 with e set if a
 * needed field is missing or malformed.
 */
int tp_format_parse(const char *text, size_t len, struct tp_layout *l, struct errmsg *e);

/* A tracepoint's raw data into r; -1 when a field runs past len or a string
 * is not terminated inside it.
 */
int tp_report_parse(const struct tp_layout *l, const uint8_t *raw, size_t len,
		    struct trap_report *r);

/* What one perf ring record (header included, len bytes) holds, for an
 * event opened with PERF_SAMPLE_TIME | PERF_SAMPLE_RAW.
 */
enum tp_record_kind { TP_REC_OTHER, TP_REC_SAMPLE, TP_REC_LOST, TP_REC_BAD };

struct tp_record {
	enum tp_record_kind kind;
	uint64_t time_ns;	/* SAMPLE */
	const uint8_t *raw;	/* SAMPLE: the tracepoint's data */
	uint32_t raw_len;
	uint64_t lost;		/* LOST: samples the kernel could not write */
};

void tp_record_parse(const uint8_t *rec, size_t len, struct tp_record *out);

/* A CPU list as in /sys/devices/system/cpu/online ("0-3,6"): calls
 * add(cpu) for each; -1 on a malformed list.
 */
int tp_cpulist_parse(const char *s, int (*add)(int cpu, void *arg), void *arg);

#endif
