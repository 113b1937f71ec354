/* notify: the status line's wording and digit grouping, and, with
 * libsystemd, the datagrams sd_notify really sends to $NOTIFY_SOCKET
 * (sd_notify(3)'s "KEY=VALUE" lines), read back from a socket bound here;
 * the watchdog's timeout sets the ping period. The "<3>" prefix only when
 * $JOURNAL_STREAM names stderr's device and inode (systemd.exec(5)).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"
#include "tap.h"

static void status_lines(void)
{
	char buf[160];

	notify_format_status(buf, sizeof(buf), true, true, 12345, 0, 3);
	tap_ok(!strcmp(buf, "hw+sw: 12,345 alerts, 0 lost, 3 traps changed"), "hw+sw line: %s", buf);
	notify_format_status(buf, sizeof(buf), true, false, 1, 1234567, 1);
	tap_ok(!strcmp(buf, "hw: 1 alert, 1,234,567 lost, 1 trap changed"), "hw line: %s", buf);
	notify_format_status(buf, sizeof(buf), false, true, 999, 1000, 0);
	tap_ok(!strcmp(buf, "sw: 999 alerts, 1,000 lost, 0 traps changed"), "sw line: %s", buf);
	notify_format_status(buf, sizeof(buf), true, false, 18446744073709551615ULL, 0, 0);
	tap_ok(!strcmp(buf, "hw: 18,446,744,073,709,551,615 alerts, 0 lost, 0 traps changed"),
	       "the largest count: %s", buf);
}

static void error_prefix(void)
{
	struct stat st;
	char js[64];

	unsetenv("JOURNAL_STREAM");
	tap_ok(!strcmp(notify_error_prefix(), ""), "no prefix outside the journal");
	if (fstat(STDERR_FILENO, &st) < 0)
		return;
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", js, 1);
	tap_ok(!strcmp(notify_error_prefix(), "<3>"), "<3> when stderr is the journal's stream");
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", js, 1);
	tap_ok(!strcmp(notify_error_prefix(), ""),
	       "no prefix when stderr was redirected elsewhere (another inode)");
	setenv("JOURNAL_STREAM", "garbage", 1);
	tap_ok(!strcmp(notify_error_prefix(), ""), "no prefix for a malformed JOURNAL_STREAM");
	unsetenv("JOURNAL_STREAM");
}

#ifdef HAVE_LIBSYSTEMD
static int recv_msg(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return n > 0;
}

static void protocol(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct notify n;
	char buf[256], pid[32];
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/trapmon-notify-test.%d", (int)getpid());
	unlink(sa.sun_path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		tap_ok(0, "bind a notify socket");
		return;
	}
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	setenv("WATCHDOG_USEC", "3000000", 1);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	notify_init(&n);
	tap_ok(n.on && n.period == 1.5, "under systemd, pings at half WatchdogSec (%.2f s)", n.period);
	tap_ok(notify_due(&n) == 0, "nothing due before READY");
	notify_ready(&n, "hw: 0 alerts, 0 lost, 1 trap changed");
	tap_ok(recv_msg(fd, buf, sizeof(buf)) &&
	       !strcmp(buf, "READY=1\nSTATUS=hw: 0 alerts, 0 lost, 1 trap changed"), "READY=1 with STATUS");
	tap_ok(notify_due(&n) > 0, "a ping is due after READY");
	notify_tick(&n, 100.0, "hw: 5 alerts, 0 lost, 1 trap changed");
	tap_ok(recv_msg(fd, buf, sizeof(buf)) &&
	       !strcmp(buf, "WATCHDOG=1\nSTATUS=hw: 5 alerts, 0 lost, 1 trap changed"), "WATCHDOG=1 with STATUS");
	tap_ok(notify_due(&n) == 101.5, "the next ping one period later");
	notify_stopping(&n, "stopping");
	tap_ok(recv_msg(fd, buf, sizeof(buf)) && !strcmp(buf, "STOPPING=1\nSTATUS=stopping"), "STOPPING=1");
	tap_ok(notify_due(&n) == 0, "no pings once stopping");
	/* Outside systemd: nothing is sent, nothing is due. */
	unsetenv("NOTIFY_SOCKET");
	notify_init(&n);
	notify_ready(&n, "x");
	tap_ok(!n.on && notify_due(&n) == 0 && !recv_msg(fd, buf, sizeof(buf)),
	       "without $NOTIFY_SOCKET: off, silent");
	close(fd);
	unlink(sa.sun_path);
}
#endif

int main(void)
{
	status_lines();
	error_prefix();
#ifdef HAVE_LIBSYSTEMD
	protocol();
#else
	printf("ok %d - sd_notify protocol # SKIP built without libsystemd\n", ++tap_count);
#endif
	return tap_done();
}
