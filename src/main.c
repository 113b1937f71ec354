/* trapmon: the wiring. cli.c parses the command line; main hands it to the
 * module that does the work: monitor (the live session, -r, -p), traplist
 * (--list), ctlsock (-s, -u) and restore (--restore).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cli.h"
#include "ctlsock.h"
#include "explain.h"
#include "restore.h"
#include "monitor.h"
#include "notify.h"
#include "traplist.h"

static int run_list(struct cli *cli, struct errmsg *e)
{
	struct devlink dl;
	int ret;

	if (devlink_init(&dl, e) < 0)
		return -1;
	ret = traplist_print(stdout, &dl, (enum traplist_what)cli->list, cli->mon.json, &cli->tc, e);
	devlink_fini(&dl);
	return ret;
}

/* A session's start and end, shared by -r and monitoring: end() always
 * runs monitor_fini() (stop what was started, put actions back), whose
 * error wins, and frees the session.
 */
static struct monitor *session_new(struct errmsg *e)
{
	struct monitor *m = monitor_new();

	if (!m)
		errmsg_set(e, ENOMEM, "out of memory");
	return m;
}

static int session_end(struct monitor *m, int ret, struct errmsg *e)
{
	struct errmsg fe = { 0 };

	if (monitor_fini(m, &fe) < 0) {
		errmsg_set(e, fe.errnum, "%s", fe.text);
		ret = -1;
	}
	monitor_free(m);
	return ret;
}

/* -r needs no privileges and no kernel support: no netlink at all. */
static int run_replay(struct cli *cli, struct errmsg *e)
{
	struct monitor *m = session_new(e);
	int ret = -1;

	if (!m)
		return -1;
	monitor_signals();
	if (monitor_init(m, &cli->mon, NULL, e) == 0 && monitor_replay(m, cli->replay, e) == 0)
		ret = 0;
	return session_end(m, ret, e);
}

static int run_stats(struct cli *cli, struct errmsg *e)
{
	return ctlsock_request(cli->mon.json ? "stats json" : "stats", stdout, e);
}

/* -u: ask the aggregator to stop, then wait until it has restored
 * everything and exited.
 */
static int run_unpin(struct errmsg *e)
{
	char *reply = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&reply, &len);
	int pid = 0, i;

	if (!fp) {
		errmsg_set(e, ENOMEM, "out of memory");
		return -1;
	}
	if (ctlsock_request("stop", fp, e) < 0) {
		fclose(fp);
		free(reply);
		return -1;
	}
	fclose(fp);
	if (sscanf(reply ? reply : "", "stopping %d", &pid) != 1) {
		errmsg_set(e, EPROTO, "the aggregator answered '%s'", reply ? reply : "");
		free(reply);
		return -1;
	}
	free(reply);
	for (i = 0; i < 300 && kill(pid, 0) == 0; i++)
		usleep(100000);
	if (kill(pid, 0) == 0) {
		errmsg_set(e, ETIMEDOUT, "aggregator pid %d is still running after 30 s: "
			   "'kill %d', then 'trapmon --restore'", pid, pid);
		return -1;
	}
	return 0;
}

static int run_monitor(struct cli *cli, struct errmsg *e);

/* -p: fork the aggregator; the parent returns once it monitors, or with
 * the aggregator's own error line.
 */
static int run_pin(struct cli *cli, struct errmsg *e)
{
	int ready[2];
	char msg[600];
	ssize_t n;
	pid_t pid;

	if (cli->foreground)
		return run_monitor(cli, e);
	if (pipe2(ready, O_CLOEXEC) < 0) {
		errmsg_set(e, errno, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);	/* the child leaves through exit(): nothing twice */
	pid = fork();
	if (pid < 0) {
		errmsg_set(e, errno, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		close(ready[0]);
		setsid();
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		cli->ready_fd = ready[1];
		/* Back through main's cleanup and exit(), so leak checkers see
		 * the aggregator end like any other run.
		 */
		if (run_monitor(cli, e) == 0)
			return 0;
		/* The parent printed setup errors; later ones have no reader. */
		e->text[0] = '\0';
		e->reported = true;
		return -1;
	}
	close(ready[1]);
	n = read(ready[0], msg, sizeof(msg) - 1);
	close(ready[0]);
	if (n > 0 && msg[0] == '+')
		return 0;
	msg[n > 0 ? n : 0] = '\0';
	errmsg_set(e, EIO, "%s", n > 1 ? msg + 1 : "the aggregator failed to start");
	return -1;
}

/* Tell the parent of -p how setup went: "+" or "-" and the error. */
static void report_ready(struct cli *cli, int ok, const struct errmsg *e)
{
	char msg[600];
	int len;

	if (cli->ready_fd < 0)
		return;
	len = snprintf(msg, sizeof(msg), "%c%s", ok ? '+' : '-', ok ? "" : e->text);
	if (write(cli->ready_fd, msg, (size_t)len) < 0) {
		/* the parent is gone; nothing to tell */
	}
	close(cli->ready_fd);
	cli->ready_fd = -1;
	if (ok) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		/* From now on nobody reads the aggregator's stderr. */
		if (null >= 0)
			dup2(null, STDERR_FILENO);
	}
}

static int run_monitor(struct cli *cli, struct errmsg *e)
{
	struct monitor *m = session_new(e);
	int ret = -1;

	if (!m)
		return -1;
	if (monitor_init(m, &cli->mon, &cli->tc, e) == 0) {
		monitor_signals();
		if (monitor_setup(m, e) == 0) {
			report_ready(cli, 1, e);
			if (cli->mon.apply_only || monitor_run(m, e) == 0)
				ret = 0;
		}
		/* A failed capture was reported when it happened; exit 1. */
		if (ret == 0 && monitor_capture_failed(m)) {
			e->errnum = EIO;
			e->reported = true;
			ret = -1;
		}
	}
	ret = session_end(m, ret, e);
	report_ready(cli, 0, e);
	return ret;
}

int main(int argc, char **argv)
{
	struct errmsg e = { 0 };
	struct cli *cli;
	int status, ret;

	cli = cli_parse(argc, argv, &status);
	if (!cli)
		return status;
	if (cli->list >= 0)
		ret = run_list(cli, &e);
	else if (cli->explain)
		ret = explain_print(stdout, cli->explain_names, cli->mon.json);
	else if (cli->replay)
		ret = run_replay(cli, &e);
	else if (cli->stats)
		ret = run_stats(cli, &e);
	else if (cli->unpin)
		ret = run_unpin(&e);
	else if (cli->mon.aggregator)
		ret = run_pin(cli, &e);
	else if (cli->restore)
		ret = restore_run(cli->mon.force, &e);
	else
		ret = run_monitor(cli, &e);
	/* Said already, unless an error with words came after. */
	if (ret && (e.text[0] || !e.reported))
		fprintf(stderr, "%strapmon: %s\n", notify_error_prefix(), e.text[0] ? e.text : "failed");
	cli_free(cli);
	return ret ? 1 : 0;
}
