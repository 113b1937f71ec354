/* Tests for the trap-report tracepoint's pure half: the format file saved
 * from the 6.1 lab kernel, the same fields at other offsets, garbage and
 * missing fields; samples whose bytes are laid out here by hand (the
 * __data_loc words: length << 16 | offset), strings that run past the
 * sample or lack their NUL; perf records, wrapped or short; CPU lists.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "tap.h"
#include "tracepoint.h"

static char *slurp(const char *rel, size_t *len)
{
	const char *top = getenv("abs_top_srcdir");
	char path[1024];
	char *buf = malloc(65536);
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	fp = fopen(path, "r");
	if (!fp || !buf) {
		free(buf);
		if (fp)
			fclose(fp);
		return NULL;
	}
	*len = fread(buf, 1, 65535, fp);
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

static bool field_is(const struct tp_layout *l, int f, unsigned off, unsigned size, bool loc)
{
	return l->f[f].found && l->f[f].offset == off && l->f[f].size == size &&
	       l->f[f].data_loc == loc;
}

static void test_format_61(void)
{
	struct tp_layout l;
	struct errmsg e = { 0 };
	size_t len = 0;
	char *text = slurp("tests/tracepoint/devlink_trap_report-6.1.format", &len);

	tap_ok(text != NULL, "the 6.1 format file is there");
	if (!text)
		return;
	tap_ok(tp_format_parse(text, len, &l, &e) == 0, "6.1 format parses: %s", e.text);
	/* The offsets as the file states them, read by eye. */
	tap_ok(l.id == 1324, "id from the ID: line (1324)");
	tap_ok(field_is(&l, TP_BUS, 8, 4, true) && field_is(&l, TP_DEV, 12, 4, true) &&
	       field_is(&l, TP_DRIVER, 16, 4, true) && field_is(&l, TP_TRAP, 20, 4, true) &&
	       field_is(&l, TP_GROUP, 24, 4, true), "five __data_loc strings at 8, 12, 16, 20, 24");
	tap_ok(field_is(&l, TP_INPUT_DEV, 28, 16, false), "input_dev_name[16] at 28");
	free(text);
}

static const char MOVED[] =
	"name: devlink_trap_report\n"
	"ID: 77\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:char input_dev_name[16];\toffset:8;\tsize:16;\tsigned:1;\n"
	"\tfield:__data_loc char[] trap_group_name;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:__data_loc char[] trap_name;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\tfield:__data_loc char[] dev_name;\toffset:32;\tsize:4;\tsigned:1;\n"
	"\tfield:__data_loc char[] bus_name;\toffset:36;\tsize:4;\tsigned:1;\n"
	"\tfield:u64 something_new;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\n"
	"print fmt: \"whatever\"\n";

/* Put a __data_loc string at off, its word at field offset at. */
static void put_loc(uint8_t *raw, unsigned at, unsigned off, const char *s)
{
	uint32_t len = (uint32_t)strlen(s) + 1, word = len << 16 | off;

	memcpy(raw + at, &word, 4);
	memcpy(raw + off, s, len);
}

static void test_format_moved(void)
{
	struct tp_layout l;
	struct errmsg e = { 0 };
	struct trap_report r;
	uint8_t raw[128] = { 0 };

	tap_ok(tp_format_parse(MOVED, strlen(MOVED), &l, &e) == 0, "moved fields parse: %s", e.text);
	tap_ok(l.id == 77 && field_is(&l, TP_TRAP, 28, 4, true) &&
	       field_is(&l, TP_INPUT_DEV, 8, 16, false) && !l.f[TP_DRIVER].found,
	       "offsets follow the file; driver_name may be absent");
	/* A sample in that layout: strings from 48 on. */
	memcpy(raw + 8, "swp7", 4);
	put_loc(raw, 24, 48, "l3_drops");
	put_loc(raw, 28, 57, "blackhole_route");
	put_loc(raw, 32, 73, "netdevsim10");
	put_loc(raw, 36, 85, "netdevsim");
	tap_ok(tp_report_parse(&l, raw, 95, &r) == 0 && !strcmp(r.trap, "blackhole_route") &&
	       !strcmp(r.group, "l3_drops") && !strcmp(r.dev, "netdevsim10") &&
	       !strcmp(r.bus, "netdevsim") && !strcmp(r.port, "swp7") && r.driver == NULL,
	       "a sample in the moved layout reads back");
	tap_ok(tp_report_parse(&l, raw, 94, &r) < 0, "bus_name's NUL one byte past the sample: refused");
	memcpy(raw + 8, "NULL", 5);
	tap_ok(tp_report_parse(&l, raw, 95, &r) == 0 && r.port[0] == '\0',
	       "input_dev_name \"NULL\": no port");
	memset(raw + 8, 'x', 16);
	tap_ok(tp_report_parse(&l, raw, 95, &r) == 0 && strlen(r.port) == 16,
	       "a 16-byte port name without NUL stays 16 bytes");
	put_loc(raw, 28, 57, "blackhole_route");
	raw[57 + 15] = 'X';	/* overwrite the NUL */
	tap_ok(tp_report_parse(&l, raw, 95, &r) < 0, "trap_name without its NUL: refused");
	{
		uint32_t word = 200u << 16 | 57;

		memcpy(raw + 28, &word, 4);
		tap_ok(tp_report_parse(&l, raw, 95, &r) < 0, "trap_name's length past the sample: refused");
		word = 0u << 16 | 57;
		memcpy(raw + 28, &word, 4);
		tap_ok(tp_report_parse(&l, raw, 95, &r) < 0, "trap_name of length 0: refused");
	}
	tap_ok(tp_report_parse(&l, raw, 30, &r) < 0, "a sample shorter than its fields: refused");
}

static void test_format_bad(void)
{
	static const char *const bad[] = {
		"",
		"garbage\n\x01\x02\xff",
		"ID: 5\nformat:\n\tfield:__data_loc char[] bus_name;\toffset:8;\tsize:4;\tsigned:1;\n",
		/* trap_name as a plain array: not a string trapmon can read */
		"ID: 5\n\tfield:__data_loc char[] bus_name;\toffset:8;\tsize:4;\n"
		"\tfield:__data_loc char[] dev_name;\toffset:12;\tsize:4;\n"
		"\tfield:char trap_name[16];\toffset:16;\tsize:16;\n",
		/* no ID line */
		"\tfield:__data_loc char[] bus_name;\toffset:8;\tsize:4;\n"
		"\tfield:__data_loc char[] dev_name;\toffset:12;\tsize:4;\n"
		"\tfield:__data_loc char[] trap_name;\toffset:16;\tsize:4;\n",
		/* offsets past 16 bits */
		"ID: 5\n\tfield:__data_loc char[] bus_name;\toffset:99999999;\tsize:4;\n"
		"\tfield:__data_loc char[] dev_name;\toffset:12;\tsize:4;\n"
		"\tfield:__data_loc char[] trap_name;\toffset:16;\tsize:4;\n",
		"ID: 5\n\tfield:;\n\tfield:\n\tfield:__data_loc char[] ;offset:;size:;\n",
	};
	struct tp_layout l;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct errmsg e = { 0 };

		tap_ok(tp_format_parse(bad[i], strlen(bad[i]), &l, &e) < 0 && e.text[0],
		       "bad format %zu refused with a reason: %s", i, e.text);
	}
}

/* A perf record: header, u64 time, u32 size, raw. */
static size_t sample_record(uint8_t *out, uint64_t t, const uint8_t *raw, uint32_t n)
{
	struct perf_event_header h = { PERF_RECORD_SAMPLE, 0, (uint16_t)(8 + 8 + 4 + n) };

	memcpy(out, &h, 8);
	memcpy(out + 8, &t, 8);
	memcpy(out + 16, &n, 4);
	memcpy(out + 20, raw, n);
	return h.size;
}

static void test_records(void)
{
	uint8_t rec[256], raw[12] = "abcdefghijk";
	struct perf_event_header h = { PERF_RECORD_LOST, 0, 24 };
	struct tp_record r;
	uint64_t id = 1, lost = 42;
	size_t n = sample_record(rec, 123456789, raw, 12);

	tp_record_parse(rec, n, &r);
	tap_ok(r.kind == TP_REC_SAMPLE && r.time_ns == 123456789 && r.raw_len == 12 &&
	       !memcmp(r.raw, raw, 12), "a sample record: time and raw data");
	tp_record_parse(rec, n - 1, &r);
	tap_ok(r.kind == TP_REC_BAD, "a record longer than what is there: bad");
	memcpy(rec + 16, &(uint32_t){ 13 }, 4);
	tp_record_parse(rec, n, &r);
	tap_ok(r.kind == TP_REC_BAD, "raw size past the record: bad");
	memcpy(rec, &h, 8);
	memcpy(rec + 8, &id, 8);
	memcpy(rec + 16, &lost, 8);
	tp_record_parse(rec, 24, &r);
	tap_ok(r.kind == TP_REC_LOST && r.lost == 42, "a lost record: 42 samples lost");
	h.size = 4;
	memcpy(rec, &h, 8);
	tp_record_parse(rec, 24, &r);
	tap_ok(r.kind == TP_REC_BAD, "a header claiming 4 bytes: bad");
	h = (struct perf_event_header){ PERF_RECORD_THROTTLE, 0, 24 };
	memcpy(rec, &h, 8);
	tp_record_parse(rec, 24, &r);
	tap_ok(r.kind == TP_REC_OTHER, "other record types are skipped");
}

static int collect(int cpu, void *arg)
{
	char *s = arg;

	snprintf(s + strlen(s), 64, "%d ", cpu);
	return 0;
}

static void test_cpulist(void)
{
	static const struct { const char *in, *want; int ret; } cases[] = {
		{ "0\n", "0 ", 0 },
		{ "0-3\n", "0 1 2 3 ", 0 },
		{ "0-1,4,6-7\n", "0 1 4 6 7 ", 0 },
		{ "", "", 0 },
		{ "3-1\n", "", -1 },
		{ "0,,1\n", "0 ", -1 },
		{ "x\n", "", -1 },
		{ "0-\n", "", -1 },
		{ "99999999\n", "", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[256] = "";
		int ret = tp_cpulist_parse(cases[i].in, collect, got);

		tap_ok(ret == cases[i].ret && !strcmp(got, cases[i].want),
		       "cpu list '%.*s': %d '%s'", (int)strcspn(cases[i].in, "\n"), cases[i].in, ret, got);
	}
}

int main(void)
{
	test_format_61();
	test_format_moved();
	test_format_bad();
	test_records();
	test_cpulist();
	return tap_done();
}
