/* libFuzzer target: the trap-report tracepoint's parsers. The first byte
 * picks what the rest is: 0, a tracepoint format file; otherwise a perf
 * ring's bytes, walked record by record as tpsource does, each sample read
 * with the 6.1 lab kernel's layout. A report's strings must lie inside the
 * sample and end there; a port name is at most 16 bytes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>

#include <linux/perf_event.h>

#include "fuzz_common.h"
#include "tracepoint.h"

/* The 6.1 lab kernel's fields (tests/tracepoint/devlink_trap_report-6.1.format). */
static const struct tp_layout layout61 = {
	.id = 1324,
	.f = {
		[TP_BUS] = { 8, 4, true, true },
		[TP_DEV] = { 12, 4, true, true },
		[TP_DRIVER] = { 16, 4, true, true },
		[TP_TRAP] = { 20, 4, true, true },
		[TP_GROUP] = { 24, 4, true, true },
		[TP_INPUT_DEV] = { 28, 16, false, true },
	},
};

static bool inside(const char *s, const uint8_t *raw, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;

	return p >= raw && p < raw + len && memchr(p, '\0', (size_t)(raw + len - p)) != NULL;
}

static void check_sample(const struct tp_layout *l, const uint8_t *raw, size_t len)
{
	struct trap_report r;

	if (tp_report_parse(l, raw, len, &r) < 0)
		return;
	FUZZ_CHECK(inside(r.bus, raw, len) && inside(r.dev, raw, len) && inside(r.trap, raw, len));
	FUZZ_CHECK(!r.driver || inside(r.driver, raw, len));
	FUZZ_CHECK(!r.group || inside(r.group, raw, len));
	FUZZ_CHECK(strlen(r.port) <= TP_PORT_MAX);
}

static void walk_records(const uint8_t *p, size_t len)
{
	while (len >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;
		struct tp_record rec;

		memcpy(&h, p, sizeof(h));
		if (h.size < sizeof(h) || h.size > len)
			return;
		tp_record_parse(p, h.size, &rec);
		/* A sample too short for its time and size, or whose raw size
		 * overruns it, is BAD; a whole record is never more than that.
		 */
		FUZZ_CHECK(rec.kind != TP_REC_BAD || h.type == PERF_RECORD_SAMPLE ||
			   h.type == PERF_RECORD_LOST);
		if (rec.kind == TP_REC_SAMPLE) {
			FUZZ_CHECK(rec.raw >= p && rec.raw + rec.raw_len <= p + h.size);
			check_sample(&layout61, rec.raw, rec.raw_len);
		}
		p += h.size;
		len -= h.size;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_layout l;
	struct errmsg e = { 0 };

	if (size < 1)
		return 0;
	if (data[0] == 0) {
		if (tp_format_parse((const char *)data + 1, size - 1, &l, &e) == 0) {
			FUZZ_CHECK(l.f[TP_TRAP].found && l.f[TP_TRAP].data_loc);
			/* Whatever the layout says, a sample read with it stays inside. */
			check_sample(&l, data + 1, size - 1);
		} else {
			FUZZ_CHECK(e.text[0] != '\0');
		}
		return 0;
	}
	walk_records(data + 1, size - 1);
	check_sample(&layout61, data + 1, size - 1);
	return 0;
}
