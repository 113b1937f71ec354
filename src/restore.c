/* restore: what a dead trapmon left behind. --restore stops the drop
 * monitoring it started, puts NET_DM's configuration and its trap changes
 * back from its journal, and removes the journal; every other run checks
 * for such journals first, warns, and refuses to stack new trap changes on
 * them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devlink.h"
#include "errmsg.h"
#include "journal.h"
#include "netdm.h"
#include "restore.h"
#include "trapctl.h"

static bool is_netdm_entry(const struct journal_entry *en, void *arg)
{
	(void)arg;
	return en->kind == JOURNAL_NETDM;
}

int restore_check_stale(bool want_changes, struct errmsg *e)
{
	char paths[4][256], what[96];
	size_t n = journal_find_stale(paths, 4);
	struct journal j;
	int pid;

	if (!n)
		return 0;
	pid = atoi(strrchr(paths[0], '.') + 1);
	if (journal_load(paths[0], &j, NULL) == 0) {
		journal_summary(&j, what, sizeof(what));
		journal_fini(&j);
	} else {
		snprintf(what, sizeof(what), "changes");
	}
	if (want_changes) {
		errmsg_set(e, EBUSY, "trapmon pid %d died without restoring %s (%s): run "
			   "'trapmon --restore' first", pid, what, paths[0]);
		return -1;
	}
	fprintf(stderr, "trapmon: trapmon pid %d died without restoring %s: run "
		"'trapmon --restore --force' to put them back\n", pid, what);
	return 0;
}

static int restore_one(const char *path, struct devlink *dl, bool have_dl, struct errmsg *e)
{
	struct journal j;
	struct netdm dm;
	size_t i;
	int ret = 0;

	if (journal_load(path, &j, e) < 0)
		return -1;
	for (i = 0; i < j.n; i++) {
		const struct journal_entry *en = &j.v[i];

		if (en->kind != JOURNAL_NETDM)
			continue;
		if (netdm_init(&dm, e) < 0) {
			ret = -1;
			continue;
		}
		dm.started_hw = en->hw;
		dm.started_sw = en->sw;
		dm.config_changed = true;
		dm.saved = (struct netdm_config){ en->alert_mode, en->trunc_len, en->queue_len };
		if (netdm_stop(&dm, e) < 0)
			ret = -1;
		else
			fprintf(stderr, "trapmon: stopped the drop monitoring trapmon pid %d left on\n",
				(int)j.pid);
		netdm_fini(&dm);
	}
	journal_drop(&j, is_netdm_entry, NULL);
	if (j.n && !have_dl) {
		ret = -1;
	} else if (j.n) {
		size_t n = j.n;

		if (trapctl_restore(dl, &j, e) < 0)
			ret = -1;
		else
			fprintf(stderr, "trapmon: restored %zu trap setting%s that trapmon pid %d changed\n",
				n, n == 1 ? "" : "s", (int)j.pid);
	}
	if (ret == 0)
		journal_remove(&j);
	journal_fini(&j);
	return ret;
}

int restore_run(bool force, struct errmsg *e)
{
	char paths[64][256];
	size_t n = journal_find_stale(paths, 64), i;
	struct devlink dl;
	struct errmsg dl_err = { 0 };
	bool have_dl;
	int ret = 0;

	have_dl = devlink_init(&dl, &dl_err) == 0;
	for (i = 0; i < n && i < 64; i++)
		if (restore_one(paths[i], &dl, have_dl, e) < 0)
			ret = -1;
	if (ret < 0 && !have_dl)
		errmsg_set(e, dl_err.errnum, "%s", dl_err.text);
	if (force) {
		struct netdm dm;

		if (netdm_init(&dm, e) < 0 || netdm_stop_all(&dm, e) < 0)
			ret = -1;
		else
			fprintf(stderr, "trapmon: drop monitoring is off\n");
		netdm_fini(&dm);
	}
	if (n == 0 && !force)
		fprintf(stderr, "trapmon: nothing to restore: no journal of a dead trapmon in %s\n",
			journal_dir());
	if (have_dl)
		devlink_fini(&dl);
	return ret;
}
