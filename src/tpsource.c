/* tpsource: perf rings of devlink:devlink_trap_report, one per online CPU.
 * Opened before any privilege is dropped: the descriptors keep working
 * after -Z. Samples carry CLOCK_REALTIME times, so FIRST and LAST are wall
 * times. The rings wake the loop at a quarter full; tables drain them
 * first, so nothing waits in a ring past the table it belongs to.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "tpsource.h"

#define EVENT_DIR "events/devlink/devlink_trap_report"
#define RING_PAGES 64		/* data pages per CPU: a power of two */
#define MAX_RECORD 65536	/* perf_event_header.size is 16 bits */

static const char *const tracefs_dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

/* The whole of a small file into buf (NUL-terminated); -1 with errno. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got < size - 1 && (n = read(fd, buf + got, size - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

static int read_layout(struct tp_layout *l, struct errmsg *e)
{
	char path[128], *text;
	const char *dir = NULL;
	ssize_t n;
	size_t i;
	int ret;

	const char *denied = NULL;

	for (i = 0; i < sizeof(tracefs_dirs) / sizeof(tracefs_dirs[0]) && !dir; i++) {
		snprintf(path, sizeof(path), "%s/events", tracefs_dirs[i]);
		if (access(path, F_OK) == 0)
			dir = tracefs_dirs[i];
		else if ((errno == EACCES || errno == EPERM) && !denied)
			denied = tracefs_dirs[i];
	}
	if (!dir && denied) {
		errmsg_set(e, EACCES, "%s is not readable: run as root", denied);
		return -1;
	}
	if (!dir) {
		errmsg_set(e, ENOENT, "tracefs is not mounted: mount -t tracefs nodev /sys/kernel/tracing");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/" EVENT_DIR "/format", dir);
	text = malloc(16384);
	if (!text) {
		errmsg_set(e, ENOMEM, "out of memory reading %s", path);
		return -1;
	}
	n = read_small(path, text, 16384);
	if (n < 0) {
		if (errno == ENOENT)
			errmsg_set(e, errno, "this kernel has no devlink:devlink_trap_report tracepoint");
		else if (errno == EACCES || errno == EPERM)
			errmsg_set(e, errno, "%s is not readable: run as root", path);
		else
			errmsg_set(e, errno, "cannot read %s: %s", path, strerror(errno));
		free(text);
		return -1;
	}
	ret = tp_format_parse(text, (size_t)n, l, e);
	free(text);
	return ret;
}

static long perf_open(struct perf_event_attr *attr, int cpu)
{
	return syscall(SYS_perf_event_open, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static void open_error(struct errmsg *e, int err)
{
	if (err == EACCES || err == EPERM)
		errmsg_set(e, err, "perf_event_paranoid forbids opening tracepoints: run as root "
			   "(or with CAP_PERFMON, or CAP_SYS_ADMIN before Linux 5.8)");
	else if (err == EMFILE || err == ENFILE)
		errmsg_set(e, err, "out of file descriptors for one perf ring per CPU: raise ulimit -n");
	else if (err == ENOSYS || err == ENOENT || err == ENODEV)
		errmsg_set(e, err, "this kernel has no perf events for tracepoints "
			   "(CONFIG_PERF_EVENTS, CONFIG_EVENT_TRACING)");
	else
		errmsg_set(e, err, "perf_event_open of devlink:devlink_trap_report: %s",
			   strerror(err));
}

/* Sample times in CLOCK_REALTIME where the kernel allows it for this
 * event, else in CLOCK_MONOTONIC shifted by the offset between the two.
 */
static long open_event(struct tpsource *s, int cpu, uint32_t watermark)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = s->layout.id,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_TIME | PERF_SAMPLE_RAW,
		.use_clockid = 1,
		.clockid = s->monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME,
		.watermark = 1,
		.wakeup_watermark = watermark,
	};
	long fd = perf_open(&attr, cpu);

	if (fd < 0 && errno == EINVAL && !s->monotonic) {
		struct timespec rt, mono;

		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_MONOTONIC, &mono);
		s->monotonic = true;
		s->clock_offset_ns = (int64_t)(rt.tv_sec - mono.tv_sec) * 1000000000 +
				     (rt.tv_nsec - mono.tv_nsec);
		attr.clockid = CLOCK_MONOTONIC;
		fd = perf_open(&attr, cpu);
	}
	return fd;
}

static int open_ring(struct tpsource *s, int cpu, struct errmsg *e)
{
	long page = sysconf(_SC_PAGESIZE);
	struct tp_ring *r = &s->rings[s->nrings];
	int pages;
	long fd;

	fd = open_event(s, cpu, (uint32_t)(RING_PAGES * page / 4));
	if (fd < 0) {
		open_error(e, errno);
		return -1;
	}
	/* perf_event_mlock_kb may allow less than the ring trapmon wants. */
	for (pages = RING_PAGES; pages >= 2; pages /= 2) {
		r->mapped = (uint64_t)(pages + 1) * (uint64_t)page;
		r->base = mmap(NULL, r->mapped, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
		if (r->base != MAP_FAILED)
			break;
	}
	if (r->base == MAP_FAILED) {
		errmsg_set(e, errno, "cannot map a perf ring (%s): raise "
			   "/proc/sys/kernel/perf_event_mlock_kb", strerror(errno));
		close((int)fd);
		return -1;
	}
	r->fd = (int)fd;
	s->nrings++;
	return 0;
}

struct cpu_walk {
	struct tpsource *s;
	struct errmsg *e;
	int max;
};

static int add_cpu(int cpu, void *arg)
{
	struct cpu_walk *w = arg;

	if (w->s->nrings == w->max) {
		errmsg_set(w->e, EINVAL, "more online CPUs than /proc said");
		return -1;
	}
	return open_ring(w->s, cpu, w->e);
}

int tpsource_open(struct tpsource *s, struct errmsg *e)
{
	char online[4096];
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	struct cpu_walk w = { s, e, (int)(ncpu > 0 ? ncpu : 1) };

	memset(s, 0, sizeof(*s));
	if (read_layout(&s->layout, e) < 0)
		return -1;
	if (read_small("/sys/devices/system/cpu/online", online, sizeof(online)) <= 0) {
		errmsg_set(e, errno, "cannot read /sys/devices/system/cpu/online: mount sysfs");
		return -1;
	}
	s->rings = calloc((size_t)w.max, sizeof(*s->rings));
	s->wrap = malloc(MAX_RECORD);
	if (!s->rings || !s->wrap) {
		errmsg_set(e, ENOMEM, "out of memory for the perf rings");
		goto err_close;
	}
	if (tp_cpulist_parse(online, add_cpu, &w) < 0) {
		errmsg_set(e, EINVAL, "cannot parse /sys/devices/system/cpu/online");
		goto err_close;
	}
	return 0;

err_close:
	tpsource_close(s);
	return -1;
}

void tpsource_close(struct tpsource *s)
{
	int i;

	for (i = 0; i < s->nrings; i++) {
		munmap(s->rings[i].base, s->rings[i].mapped);
		close(s->rings[i].fd);
	}
	free(s->rings);
	free(s->wrap);
	s->rings = NULL;
	s->wrap = NULL;
	s->nrings = 0;
}

int tpsource_pollfds(const struct tpsource *s, struct pollfd *pfd, int max)
{
	int i;

	for (i = 0; i < s->nrings && i < max; i++)
		pfd[i] = (struct pollfd){ .fd = s->rings[i].fd, .events = POLLIN };
	return i;
}

static void handle_record(struct tpsource *s, const uint8_t *rec, size_t len, tp_report_fn fn,
			  void *arg, uint64_t *n)
{
	struct trap_report r;
	struct tp_record tr;

	tp_record_parse(rec, len, &tr);
	switch (tr.kind) {
	case TP_REC_SAMPLE:
		if (tp_report_parse(&s->layout, tr.raw, tr.raw_len, &r) < 0) {
			s->bad++;
			return;
		}
		r.time_ns = tr.time_ns + (uint64_t)s->clock_offset_ns;
		fn(&r, arg);
		(*n)++;
		return;
	case TP_REC_LOST:
		s->lost += tr.lost;
		return;
	case TP_REC_BAD:
		s->bad++;
		return;
	case TP_REC_OTHER:
		return;
	}
}

/* One ring from its tail to its head. A record that wraps past the ring's
 * end is copied whole into s->wrap first.
 */
static uint64_t drain_ring(struct tpsource *s, struct tp_ring *r, tp_report_fn fn, void *arg)
{
	struct perf_event_mmap_page *pg = r->base;
	const uint8_t *data = (const uint8_t *)r->base + pg->data_offset;
	uint64_t size = pg->data_size, head, tail = pg->data_tail, n = 0;

	head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	while (head - tail >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;
		uint64_t at = tail % size;
		const uint8_t *rec = data + at;

		if (at + sizeof(h) > size) {
			memcpy(s->wrap, data + at, size - at);
			memcpy(s->wrap + (size - at), data, sizeof(h) - (size - at));
			memcpy(&h, s->wrap, sizeof(h));
		} else {
			memcpy(&h, rec, sizeof(h));
		}
		if (h.size < sizeof(h) || h.size > head - tail) {
			s->bad++;	/* the kernel never writes this: give up on the rest */
			tail = head;
			break;
		}
		if (at + h.size > size) {
			memcpy(s->wrap, data + at, size - at);
			memcpy(s->wrap + (size - at), data, h.size - (size - at));
			rec = s->wrap;
		}
		handle_record(s, rec, h.size, fn, arg, &n);
		tail += h.size;
	}
	__atomic_store_n(&pg->data_tail, tail, __ATOMIC_RELEASE);
	return n;
}

uint64_t tpsource_drain(struct tpsource *s, tp_report_fn fn, void *arg)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < s->nrings; i++)
		n += drain_ring(s, &s->rings[i], fn, arg);
	return n;
}
