/* tracepoint_parse: the pure half of the trap-report source. The format
 * file names each field with its offset and size; a sample's strings are
 * __data_loc words (length << 16 | offset from the record's start) that
 * must land inside the sample and end in NUL, since a fuzzer or a changed
 * kernel may say otherwise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "tracepoint.h"

static const char *const field_names[TP_NFIELDS] = {
	[TP_BUS] = "bus_name",
	[TP_DEV] = "dev_name",
	[TP_DRIVER] = "driver_name",
	[TP_TRAP] = "trap_name",
	[TP_GROUP] = "trap_group_name",
	[TP_INPUT_DEV] = "input_dev_name",
};

/* Whether [p, end) starts with lit: the text need not be NUL-terminated. */
static bool starts(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(end - p) >= n && !memcmp(p, lit, n);
}

/* A decimal after key in [p, end), or -1. */
static long number_after(const char *p, const char *end, const char *key)
{
	size_t klen = strlen(key);
	const char *q;
	long v = 0;

	for (q = p; q + klen <= end; q++)
		if (!memcmp(q, key, klen))
			break;
	if (q + klen > end)
		return -1;
	q += klen;
	if (q == end || *q < '0' || *q > '9')
		return -1;
	for (; q < end && *q >= '0' && *q <= '9'; q++) {
		v = v * 10 + (*q - '0');
		if (v > 65535)
			return -1;
	}
	return v;
}

/* "field:TYPE NAME[N];" : the name's bounds, after the last space. */
static int field_name(const char *p, const char *end, const char **name, size_t *nlen,
		      bool *data_loc)
{
	const char *decl = p + strlen("field:"), *semi = memchr(decl, ';', (size_t)(end - decl));
	const char *n, *b;

	if (!semi)
		return -1;
	for (n = semi; n > decl && n[-1] != ' ' && n[-1] != '\t'; n--)
		;
	b = memchr(n, '[', (size_t)(semi - n));
	*name = n;
	*nlen = (size_t)((b ? b : semi) - n);
	*data_loc = starts(decl, semi, "__data_loc ");
	return *nlen ? 0 : -1;
}

static void parse_field_line(const char *p, const char *end, struct tp_layout *l)
{
	const char *name;
	size_t nlen;
	bool data_loc;
	long off, size;
	int i;

	if (field_name(p, end, &name, &nlen, &data_loc) < 0)
		return;
	for (i = 0; i < TP_NFIELDS; i++)
		if (strlen(field_names[i]) == nlen && !memcmp(name, field_names[i], nlen))
			break;
	if (i == TP_NFIELDS)
		return;
	off = number_after(p, end, "offset:");
	size = number_after(p, end, "size:");
	if (off < 0 || size <= 0 || (data_loc && size != 4))
		return;
	l->f[i] = (struct tp_field){ (uint16_t)off, (uint16_t)size, data_loc, true };
}

int tp_format_parse(const char *text, size_t len, struct tp_layout *l, struct errmsg *e)
{
	const char *p = text, *end = text + len;
	long id = -1;
	int i;

	memset(l, 0, sizeof(*l));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;

		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (starts(p, eol, "ID: "))
			id = number_after(p, eol, "ID: ");
		else if (starts(p, eol, "field:"))
			parse_field_line(p, eol, l);
		p = eol + 1;
	}
	for (i = TP_BUS; i <= TP_TRAP; i++)
		if (i != TP_DRIVER && !(l->f[i].found && l->f[i].data_loc)) {
			errmsg_set(e, EPROTO, "devlink_trap_report's format has no string field %s: "
				   "this kernel's tracepoint is not one trapmon knows", field_names[i]);
			return -1;
		}
	if (id < 0) {
		errmsg_set(e, EPROTO, "devlink_trap_report's format has no ID line");
		return -1;
	}
	l->id = (uint32_t)id;
	return 0;
}

/* A __data_loc string of the sample, or NULL when it does not fit. */
static const char *loc_string(const struct tp_field *f, const uint8_t *raw, size_t len)
{
	uint32_t loc, off, n;

	if (!f->found || !f->data_loc || (size_t)f->offset + 4 > len)
		return NULL;
	memcpy(&loc, raw + f->offset, sizeof(loc));
	off = loc & 0xffff;
	n = loc >> 16;
	if (n == 0 || (size_t)off + n > len || raw[off + n - 1] != '\0')
		return NULL;
	return (const char *)raw + off;
}

int tp_report_parse(const struct tp_layout *l, const uint8_t *raw, size_t len,
		    struct trap_report *r)
{
	const struct tp_field *port = &l->f[TP_INPUT_DEV];

	memset(r, 0, sizeof(*r));
	r->bus = loc_string(&l->f[TP_BUS], raw, len);
	r->dev = loc_string(&l->f[TP_DEV], raw, len);
	r->trap = loc_string(&l->f[TP_TRAP], raw, len);
	if (!r->bus || !r->dev || !r->trap)
		return -1;
	r->driver = loc_string(&l->f[TP_DRIVER], raw, len);
	r->group = loc_string(&l->f[TP_GROUP], raw, len);
	if (port->found && !port->data_loc && (size_t)port->offset + port->size <= len) {
		size_t n = port->size < TP_PORT_MAX ? port->size : TP_PORT_MAX;

		memcpy(r->port, raw + port->offset, n);
		r->port[strnlen(r->port, n)] = '\0';
		/* The kernel writes "NULL" when the driver named no port. */
		if (!strcmp(r->port, "NULL"))
			r->port[0] = '\0';
	}
	return 0;
}

void tp_record_parse(const uint8_t *rec, size_t len, struct tp_record *out)
{
	struct perf_event_header h;
	uint32_t raw_len;

	memset(out, 0, sizeof(*out));
	out->kind = TP_REC_BAD;
	if (len < sizeof(h))
		return;
	memcpy(&h, rec, sizeof(h));
	if (h.size < sizeof(h) || h.size > len)
		return;
	switch (h.type) {
	case PERF_RECORD_SAMPLE:
		/* u64 time, u32 size, then size bytes of raw data */
		if (h.size < sizeof(h) + 12)
			return;
		memcpy(&out->time_ns, rec + sizeof(h), 8);
		memcpy(&raw_len, rec + sizeof(h) + 8, 4);
		if (raw_len > h.size - sizeof(h) - 12)
			return;
		out->raw = rec + sizeof(h) + 12;
		out->raw_len = raw_len;
		out->kind = TP_REC_SAMPLE;
		return;
	case PERF_RECORD_LOST:
		/* u64 id, u64 lost */
		if (h.size < sizeof(h) + 16)
			return;
		memcpy(&out->lost, rec + sizeof(h) + 8, 8);
		out->kind = TP_REC_LOST;
		return;
	default:
		out->kind = TP_REC_OTHER;
	}
}

int tp_cpulist_parse(const char *s, int (*add)(int cpu, void *arg), void *arg)
{
	char *end;
	long a, b;

	while (*s && *s != '\n') {
		a = strtol(s, &end, 10);
		if (end == s || a < 0 || a > 65535)
			return -1;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a || b > 65535)
				return -1;
		}
		for (; a <= b; a++)
			if (add((int)a, arg) < 0)
				return -1;
		s = end;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -1;
	}
	return 0;
}
