/* notify: systemd's readiness, status and watchdog protocol through
 * libsystemd's sd_notify(), and a no-op fallback when trapmon is built
 * without libsystemd (configure --without-systemd). sd_notify itself does
 * nothing when $NOTIFY_SOCKET is unset, so runs outside systemd cost one
 * getenv at start. The journal's priority prefix needs no libsystemd:
 * systemd.exec(5) documents $JOURNAL_STREAM as "DEVICE:INODE" of the
 * stream, and journald reads a leading "<N>" as the line's priority.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "notify.h"

#define STATUS_PERIOD 5.0	/* seconds between status lines without a watchdog */

static void send_state(const struct notify *n, const char *state, const char *status)
{
#ifdef HAVE_LIBSYSTEMD
	if (n->on)
		sd_notifyf(0, "%s%sSTATUS=%s", state, *state ? "\n" : "", status);
#else
	(void)n;
	(void)state;
	(void)status;
#endif
}

void notify_init(struct notify *n)
{
	n->on = false;
	n->period = 0;
	n->next = 0;
#ifdef HAVE_LIBSYSTEMD
	uint64_t usec = 0;

	if (!getenv("NOTIFY_SOCKET"))
		return;
	n->on = true;
	n->period = STATUS_PERIOD;
	/* Ping at half the watchdog's timeout, as sd_watchdog_enabled(3) advises. */
	if (sd_watchdog_enabled(0, &usec) > 0 && usec / 2e6 < n->period)
		n->period = (double)usec / 2e6;
#endif
}

void notify_ready(struct notify *n, const char *status)
{
	struct timespec ts;

	send_state(n, "READY=1", status);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (n->on)
		n->next = (double)ts.tv_sec + ts.tv_nsec / 1e9 + n->period;
}

void notify_stopping(struct notify *n, const char *status)
{
	send_state(n, "STOPPING=1", status);
	n->next = 0;
}

double notify_due(const struct notify *n)
{
	return n->on ? n->next : 0;
}

void notify_tick(struct notify *n, double now, const char *status)
{
	if (!n->on)
		return;
	send_state(n, "WATCHDOG=1", status);
	n->next = now + n->period;
}

/* 12345 -> "12,345": the status line is read by people. */
static void thousands(char *buf, size_t len, uint64_t v)
{
	char digits[24];
	int nd = snprintf(digits, sizeof(digits), "%" PRIu64, v), i;
	size_t o = 0;

	for (i = 0; i < nd && o + 2 < len; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

void notify_format_status(char *buf, size_t len, bool hw, bool sw, uint64_t alerts,
			  uint64_t lost, size_t changed)
{
	char a[32], l[32];

	thousands(a, sizeof(a), alerts);
	thousands(l, sizeof(l), lost);
	snprintf(buf, len, "%s: %s alert%s, %s lost, %zu trap%s changed",
		 hw && sw ? "hw+sw" : sw ? "sw" : hw ? "hw" : "passive", a, alerts == 1 ? "" : "s",
		 l, changed, changed == 1 ? "" : "s");
}

const char *notify_error_prefix(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
		return "";
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino ? "<3>" : "";
}
