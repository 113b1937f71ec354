/* notify: tell systemd how the service is doing through sd_notify(3):
 * READY=1 once monitoring runs, a STATUS= line with live counts,
 * STOPPING=1 on the way out, and WATCHDOG=1 pings from the main loop.
 * Outside systemd, or built without libsystemd, every call does nothing.
 * Also the syslog priority prefix of trapmon's error line in the journal.
 */
#ifndef TRAPMON_NOTIFY_H
#define TRAPMON_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct notify {
	bool on;		/* $NOTIFY_SOCKET set and libsystemd built in */
	double period;		/* seconds between pings and status lines */
	double next;		/* monotonic seconds of the next one, 0: none */
};

void notify_init(struct notify *n);
void notify_ready(struct notify *n, const char *status);
void notify_stopping(struct notify *n, const char *status);

/* When the main loop must call notify_tick next (monotonic seconds), or 0. */
double notify_due(const struct notify *n);
/* A watchdog ping (when WatchdogSec= asks for one) and the status line. */
void notify_tick(struct notify *n, double now, const char *status);

/* "<3>" when stderr is systemd's journal ($JOURNAL_STREAM names it), so a
 * fatal error line gets priority err there; "" otherwise.
 */
const char *notify_error_prefix(void);

/* Pure: "hw+sw: 12,345 alerts, 0 lost, 3 traps changed" into buf. */
void notify_format_status(char *buf, size_t len, bool hw, bool sw, uint64_t alerts,
			  uint64_t lost, size_t changed);

#endif
