/* journal: atomic writes, parsing, stale detection and dropping entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errmsg.h"
#include "journal.h"
#include "tap.h"

static bool on_dev11(const struct journal_entry *en, void *arg)
{
	(void)arg;
	return en->kind != JOURNAL_NETDM && !strcmp(en->dev, "netdevsim11");
}

int main(void)
{
	char dir[] = "/tmp/trapmon-journal-XXXXXX", paths[4][256], tmp[300];
	struct journal_entry trap = { .kind = JOURNAL_TRAP, .bus = "netdevsim",
				      .dev = "netdevsim10", .name = "blackhole_route", .action = 0 };
	struct journal_entry pol = { .kind = JOURNAL_POLICER, .bus = "netdevsim",
				     .dev = "netdevsim11", .policer_id = 1, .rate = 1000,
				     .burst = 128 };
	struct journal_entry dm = { .kind = JOURNAL_NETDM, .hw = true, .sw = false,
				    .alert_mode = 0, .trunc_len = 0, .queue_len = 1000 };
	struct errmsg e = { 0 };
	struct journal j, back;
	struct stat st;
	char sum[96];
	pid_t child;

	if (!mkdtemp(dir))
		return 99;
	setenv("TRAPMON_RUN_DIR", dir, 1);
	journal_init(&j);
	tap_ok(journal_write(&j, &e) == 0 && stat(j.path, &st) < 0, "an empty journal writes no file");
	journal_add(&j, &trap);
	journal_add(&j, &pol);
	journal_add(&j, &dm);
	tap_ok(journal_write(&j, &e) == 0 && stat(j.path, &st) == 0, "written: %s", j.path);
	tap_ok((st.st_mode & 0777) == 0600, "mode 0600");
	snprintf(tmp, sizeof(tmp), "%s.tmp", j.path);
	tap_ok(stat(tmp, &st) < 0, "no temporary file left behind");
	tap_ok(journal_load(j.path, &back, &e) == 0 && back.n == 3, "loads back 3 entries");
	tap_ok(back.v[0].kind == JOURNAL_TRAP && !strcmp(back.v[0].name, "blackhole_route") &&
	       back.v[0].action == 0 && !strcmp(back.v[0].dev, "netdevsim10"), "trap entry round trip");
	tap_ok(back.v[1].kind == JOURNAL_POLICER && back.v[1].policer_id == 1 && back.v[1].rate == 1000 &&
	       back.v[1].burst == 128, "policer entry round trip");
	tap_ok(back.v[2].kind == JOURNAL_NETDM && back.v[2].hw && !back.v[2].sw &&
	       back.v[2].queue_len == 1000, "netdm entry round trip");
	tap_ok(!strcmp(journal_summary(&back, sum, sizeof(sum)),
		       "trap actions, policers, drop monitoring left on"), "summary: %s", sum);
	journal_fini(&back);
	tap_ok(journal_find_stale(paths, 4) == 0, "our own live journal is not stale");

	/* A journal of a process that has exited is stale. */
	child = fork();
	if (child == 0) {
		struct journal cj;

		journal_init(&cj);
		journal_add(&cj, &trap);
		_exit(journal_write(&cj, NULL) == 0 ? 0 : 1);
	}
	waitpid(child, NULL, 0);
	tap_ok(journal_find_stale(paths, 4) == 1 && strstr(paths[0], "journal.") != NULL,
	       "a dead process's journal is stale");
	unlink(paths[0]);

	tap_ok(journal_drop(&j, on_dev11, NULL) == 1 && j.n == 2, "dropping a vanished device's entries");
	journal_fini(&j);

	journal_init(&back);
	tap_ok(journal_parse("trap a b c bogus\n", &back) == -1, "a bad action is refused");
	tap_ok(journal_parse("wat\n", &back) == -1, "an unknown line is refused");
	tap_ok(journal_parse("# comment\n\ntrap a b c trap\n", &back) == 0 && back.n == 1,
	       "comments and blank lines are skipped");
	journal_fini(&back);
	journal_init(&j);
	journal_remove(&j);
	rmdir(dir);
	return tap_done();
}
