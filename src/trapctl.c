/* trapctl: devlink trap actions and policers, changed all or nothing and
 * always put back. Every original goes into the journal before the change.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/devlink.h>

#include "errmsg.h"
#include "names.h"
#include "trapctl.h"

static int grow(void **v, size_t n, size_t size)
{
	/* Requests are few: grow one at a time. */
	void *nv = realloc(*v, (n + 1) * size);

	if (!nv)
		return -1;
	*v = nv;
	return 0;
}

int trapctl_parse_actions(struct trapctl *tc, const char *arg, bool group, struct errmsg *e)
{
	char *copy = strdup(arg), *save = NULL, *item;
	int ret = -1;

	if (!copy)
		return -1;
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		struct action_req r = { .group = group };
		int act;

		if (!eq || eq == item || strlen(item) - strlen(eq) >= DL_NAME_MAX) {
			errmsg_set(e, EINVAL, "%s takes %s=ACTION, not '%s'",
				   group ? "--set-group-action" : "--set-action", group ? "GROUP" : "TRAP",
				   item);
			goto out;
		}
		act = devlink_action_parse(eq + 1);
		if (act < 0) {
			errmsg_set(e, EINVAL, "action must be trap, drop or mirror, not '%s'", eq + 1);
			goto out;
		}
		*eq = '\0';
		snprintf(r.name, sizeof(r.name), "%s", item);
		r.action = (uint8_t)act;
		if (grow((void **)&tc->reqs, tc->nreqs, sizeof(*tc->reqs)) < 0)
			goto out;
		tc->reqs[tc->nreqs++] = r;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

int trapctl_parse_policer(struct trapctl *tc, const char *arg, struct errmsg *e)
{
	struct policer_req r = { 0 };
	unsigned long long rate, burst;
	unsigned int id;
	char tail;
	int n;

	n = sscanf(arg, "%u=%llu/%llu%c", &id, &rate, &burst, &tail);
	if (n == 3) {
		r.burst = burst;
		r.burst_set = true;
	} else if (sscanf(arg, "%u=%llu%c", &id, &rate, &tail) != 2 || strchr(arg, '/')) {
		errmsg_set(e, EINVAL, "--set-policer takes ID=RATE[/BURST], not '%s'", arg);
		return -1;
	}
	if (strchr(arg, '-')) {
		errmsg_set(e, EINVAL, "--set-policer takes positive numbers, not '%s'", arg);
		return -1;
	}
	r.id = id;
	r.rate = rate;
	if (grow((void **)&tc->preqs, tc->npreqs, sizeof(*tc->preqs)) < 0)
		return -1;
	tc->preqs[tc->npreqs++] = r;
	return 0;
}

int trapctl_add_dev(struct trapctl *tc, const char *arg, struct errmsg *e)
{
	const char *slash = strchr(arg, '/');

	if (!slash || slash == arg || !slash[1] || strchr(slash + 1, '/') ||
	    strlen(arg) >= sizeof(tc->devs[0])) {
		errmsg_set(e, EINVAL, "--dev takes BUS/NAME as devlink shows it "
			   "(e.g. netdevsim/netdevsim10), not '%s'", arg);
		return -1;
	}
	if (grow((void **)&tc->devs, tc->ndevs, sizeof(*tc->devs)) < 0)
		return -1;
	snprintf(tc->devs[tc->ndevs++], sizeof(tc->devs[0]), "%s", arg);
	return 0;
}

bool trapctl_wants_changes(const struct trapctl *tc)
{
	return tc->nreqs || tc->npreqs;
}

bool trapctl_dev_selected(const struct trapctl *tc, const char *bus, const char *dev)
{
	size_t i, blen = strlen(bus);

	if (!tc->ndevs)
		return true;
	for (i = 0; i < tc->ndevs; i++)
		if (strncmp(tc->devs[i], bus, blen) == 0 && tc->devs[i][blen] == '/' &&
		    strcmp(tc->devs[i] + blen + 1, dev) == 0)
			return true;
	return false;
}

/* Checks ------------------------------------------------------------------ */

struct view {
	struct dl_traps traps;
	struct dl_groups groups;
	struct dl_policers policers;
};

static void view_fini(struct view *v)
{
	dl_traps_free(&v->traps);
	dl_groups_free(&v->groups);
	dl_policers_free(&v->policers);
}

static int check_devs(const struct trapctl *tc, const struct view *v, struct errmsg *e)
{
	size_t i, j;

	for (i = 0; i < tc->ndevs; i++) {
		bool found = false;
		char names[512] = "", one[2 * DL_NAME_MAX + 2];

		for (j = 0; j < v->traps.n && !found; j++) {
			snprintf(one, sizeof(one), "%s/%s", v->traps.v[j].bus, v->traps.v[j].dev);
			found = strcmp(one, tc->devs[i]) == 0;
			if (!strstr(names, one) && strlen(names) + strlen(one) + 3 < sizeof(names))
				snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
					 names[0] ? ", " : "", one);
		}
		if (!found) {
			errmsg_set(e, ENODEV, "unknown devlink device '%s': devices with traps: %s",
				   tc->devs[i], names[0] ? names : "(none)");
			return -1;
		}
	}
	return 0;
}

static int check_request(const struct trapctl *tc, const struct view *v,
			 const struct action_req *r, struct errmsg *e)
{
	char near[256];
	size_t i, matched = 0;

	if (r->group) {
		for (i = 0; i < v->groups.n; i++)
			matched += strcmp(v->groups.v[i].name, r->name) == 0 &&
				   trapctl_dev_selected(tc, v->groups.v[i].bus, v->groups.v[i].dev);
		if (!matched) {
			names_closest(r->name, v->groups.n ? v->groups.v[0].name : "", v->groups.n,
				sizeof(v->groups.v[0]), near, sizeof(near));
			errmsg_set(e, ENOENT, "unknown trap group '%s': closest: %s", r->name, near);
			return -1;
		}
		return 0;
	}
	for (i = 0; i < v->traps.n; i++) {
		const struct dl_trap *t = &v->traps.v[i];

		if (strcmp(t->name, r->name) || !trapctl_dev_selected(tc, t->bus, t->dev))
			continue;
		matched++;
		if (t->type != DEVLINK_TRAP_TYPE_DROP) {
			errmsg_set(e, EINVAL, "%s is %s %s trap on %s/%s: only drop traps' actions can "
				   "change", t->name, t->type == DEVLINK_TRAP_TYPE_EXCEPTION ? "an" : "a",
				   devlink_type_str(t->type), t->bus, t->dev);
			return -1;
		}
	}
	if (!matched) {
		names_closest(r->name, v->traps.n ? v->traps.v[0].name : "", v->traps.n,
			sizeof(v->traps.v[0]), near, sizeof(near));
		errmsg_set(e, ENOENT, "unknown trap '%s': closest: %s", r->name, near);
		return -1;
	}
	return 0;
}

static int check_policer(const struct trapctl *tc, const struct view *v,
			 const struct policer_req *r, struct errmsg *e)
{
	size_t i;

	for (i = 0; i < v->policers.n; i++)
		if (v->policers.v[i].id == r->id &&
		    trapctl_dev_selected(tc, v->policers.v[i].bus, v->policers.v[i].dev))
			return 0;
	errmsg_set(e, ENOENT, "unknown trap policer %u: 'trapmon --list=policers' shows them", r->id);
	return -1;
}

/* Changes ----------------------------------------------------------------- */

static bool journal_has_trap(const struct journal *j, const struct dl_trap *t)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (j->v[i].kind == JOURNAL_TRAP && !strcmp(j->v[i].bus, t->bus) &&
		    !strcmp(j->v[i].dev, t->dev) && !strcmp(j->v[i].name, t->name))
			return true;
	return false;
}

static int journal_trap(struct trapctl *tc, const struct dl_trap *t, struct errmsg *e)
{
	struct journal_entry en = { .kind = JOURNAL_TRAP, .action = t->action };

	if (journal_has_trap(tc->journal, t))
		return 0;
	snprintf(en.bus, sizeof(en.bus), "%s", t->bus);
	snprintf(en.dev, sizeof(en.dev), "%s", t->dev);
	snprintf(en.name, sizeof(en.name), "%s", t->name);
	if (journal_add(tc->journal, &en) < 0) {
		errmsg_set(e, ENOMEM, "out of memory");
		return -1;
	}
	return journal_write(tc->journal, e);
}

/* The kernel answers 0 to some sets it ignored: read the trap back. */
static int verify_trap(struct trapctl *tc, const struct dl_trap *t, uint8_t action,
		       const char *warn, struct errmsg *e)
{
	struct dl_trap now;

	if (devlink_trap_get(tc->dl, t->bus, t->dev, t->name, &now, e) < 0)
		return -1;
	if (now.action != action) {
		errmsg_set(e, EIO, "the kernel accepted %s=%s on %s/%s but the trap is still %s%s%s",
			   t->name, devlink_action_str(action), t->bus, t->dev,
			   devlink_action_str(now.action), warn && *warn ? ": kernel says: " : "",
			   warn ? warn : "");
		return -1;
	}
	return 0;
}

static int set_trap(struct trapctl *tc, const struct dl_trap *t, uint8_t action, struct errmsg *e)
{
	char warn[256] = "";

	if (t->action == action)
		return 0;
	if (journal_trap(tc, t, e) < 0)
		return -1;
	if (devlink_trap_set(tc->dl, t->bus, t->dev, t->name, action, warn, sizeof(warn), e) < 0)
		return -1;
	return verify_trap(tc, t, action, warn, e);
}

static int set_group(struct trapctl *tc, const struct view *v, const struct dl_group *g,
		     uint8_t action, struct errmsg *e)
{
	size_t i;
	bool any = false;

	/* Journal every member first: the kernel changes them all at once. */
	for (i = 0; i < v->traps.n; i++) {
		const struct dl_trap *t = &v->traps.v[i];

		if (strcmp(t->group, g->name) || strcmp(t->bus, g->bus) || strcmp(t->dev, g->dev) ||
		    t->type != DEVLINK_TRAP_TYPE_DROP || t->action == action)
			continue;
		if (journal_trap(tc, t, e) < 0)
			return -1;
		any = true;
	}
	if (!any)
		return 0;
	if (devlink_group_set(tc->dl, g->bus, g->dev, g->name, action, g->policer_id, e) < 0)
		return -1;
	for (i = 0; i < v->traps.n; i++) {
		const struct dl_trap *t = &v->traps.v[i];

		if (!strcmp(t->group, g->name) && !strcmp(t->bus, g->bus) && !strcmp(t->dev, g->dev) &&
		    t->type == DEVLINK_TRAP_TYPE_DROP && verify_trap(tc, t, action, NULL, e) < 0)
			return -1;
	}
	return 0;
}

static int set_policer(struct trapctl *tc, const struct dl_policer *p,
		       const struct policer_req *r, struct errmsg *e)
{
	struct journal_entry en = { .kind = JOURNAL_POLICER, .policer_id = p->id,
				    .rate = p->rate, .burst = p->burst };
	uint64_t burst = r->burst_set ? r->burst : p->burst;

	if (p->rate == r->rate && p->burst == burst)
		return 0;
	snprintf(en.bus, sizeof(en.bus), "%s", p->bus);
	snprintf(en.dev, sizeof(en.dev), "%s", p->dev);
	if (journal_add(tc->journal, &en) < 0 || journal_write(tc->journal, e) < 0)
		return -1;
	return devlink_policer_set(tc->dl, p->bus, p->dev, p->id, r->rate, burst, e);
}

static int apply_all(struct trapctl *tc, const struct view *v, struct errmsg *e)
{
	size_t i, k;

	for (k = 0; k < tc->nreqs; k++) {
		const struct action_req *r = &tc->reqs[k];

		for (i = 0; !r->group && i < v->traps.n; i++) {
			const struct dl_trap *t = &v->traps.v[i];

			if (!strcmp(t->name, r->name) && trapctl_dev_selected(tc, t->bus, t->dev) &&
			    set_trap(tc, t, r->action, e) < 0)
				return -1;
		}
		for (i = 0; r->group && i < v->groups.n; i++) {
			const struct dl_group *g = &v->groups.v[i];

			if (!strcmp(g->name, r->name) && trapctl_dev_selected(tc, g->bus, g->dev) &&
			    set_group(tc, v, g, r->action, e) < 0)
				return -1;
		}
	}
	for (k = 0; k < tc->npreqs; k++)
		for (i = 0; i < v->policers.n; i++) {
			const struct dl_policer *p = &v->policers.v[i];

			if (p->id == tc->preqs[k].id && trapctl_dev_selected(tc, p->bus, p->dev) &&
			    set_policer(tc, p, &tc->preqs[k], e) < 0)
				return -1;
		}
	return 0;
}

/* Trap actions need no policers, and older kernels (5.4) have none: only a
 * --set-policer request makes their absence an error.
 */
static int dump_policers(const struct trapctl *tc, struct dl_policers *out, struct errmsg *e)
{
	struct errmsg pe = { 0 };

	if (devlink_policer_dump(tc->dl, out, &pe) == 0)
		return 0;
	if (pe.errnum == EOPNOTSUPP && tc->npreqs == 0)
		return 0;
	if (pe.errnum == EOPNOTSUPP)
		errmsg_set(e, EOPNOTSUPP, "this kernel has no trap policers: drop --set-policer "
			   "(devlink trap policers need Linux 5.7 or later)");
	else
		errmsg_set(e, pe.errnum, "%s", pe.text);
	return -1;
}

int trapctl_apply(struct trapctl *tc, struct errmsg *e)
{
	struct view v = { 0 };
	size_t i;
	int ret = -1;

	if (!trapctl_wants_changes(tc))
		return 0;
	if (devlink_trap_dump(tc->dl, &v.traps, e) < 0 ||
	    devlink_group_dump(tc->dl, &v.groups, e) < 0 ||
	    dump_policers(tc, &v.policers, e) < 0)
		goto out;
	if (v.traps.n == 0) {
		errmsg_set(e, ENODEV, "no devlink device with traps found: trap actions need a "
			   "switch driver such as mlxsw, or netdevsim");
		goto out;
	}
	if (check_devs(tc, &v, e) < 0)
		goto out;
	for (i = 0; i < tc->nreqs; i++)
		if (check_request(tc, &v, &tc->reqs[i], e) < 0)
			goto out;
	for (i = 0; i < tc->npreqs; i++)
		if (check_policer(tc, &v, &tc->preqs[i], e) < 0)
			goto out;
	if (apply_all(tc, &v, e) < 0) {
		struct errmsg ignored = { 0 };

		/* All or nothing: undo what was done, keep the first error. */
		trapctl_restore(tc->dl, tc->journal, &ignored);
		goto out;
	}
	ret = 0;
out:
	view_fini(&v);
	return ret;
}

static bool devlink_entry(const struct journal_entry *en, void *arg)
{
	(void)arg;
	return en->kind != JOURNAL_NETDM;
}

int trapctl_restore(struct devlink *dl, struct journal *j, struct errmsg *e)
{
	size_t i = j->n;
	int ret = 0;

	while (i-- > 0) {
		const struct journal_entry *en = &j->v[i];
		struct errmsg one = { 0 };
		int r = 0;

		if (en->kind == JOURNAL_TRAP)
			r = devlink_trap_set(dl, en->bus, en->dev, en->name, en->action, NULL, 0, &one);
		else if (en->kind == JOURNAL_POLICER)
			r = devlink_policer_set(dl, en->bus, en->dev, en->policer_id, en->rate, en->burst,
						&one);
		else
			continue;	/* drop monitoring is netdm's to restore */
		/* A device that is gone has nothing left to restore. */
		if (r < 0 && one.errnum != ENODEV && one.errnum != ENOENT) {
			errmsg_set(e, one.errnum, "%s", one.text);
			ret = -1;
		}
	}
	journal_drop(j, devlink_entry, NULL);
	return ret;
}

int trapctl_on_new_trap(struct trapctl *tc, const struct dl_trap *t, uint8_t *action,
			struct errmsg *e)
{
	size_t k;

	if (t->type != DEVLINK_TRAP_TYPE_DROP || !trapctl_dev_selected(tc, t->bus, t->dev))
		return 0;
	for (k = 0; k < tc->nreqs; k++) {
		const struct action_req *r = &tc->reqs[k];

		if (strcmp(r->group ? t->group : t->name, r->name))
			continue;
		if (t->action == r->action)
			return 0;
		*action = r->action;
		return set_trap(tc, t, r->action, e) < 0 ? -1 : 1;
	}
	return 0;
}

static bool on_device(const struct journal_entry *en, void *arg)
{
	const char *const *bd = arg;

	return en->kind != JOURNAL_NETDM && !strcmp(en->bus, bd[0]) && !strcmp(en->dev, bd[1]);
}

size_t trapctl_on_device_gone(struct trapctl *tc, const char *bus, const char *dev)
{
	const char *bd[2] = { bus, dev };
	size_t n = journal_drop(tc->journal, on_device, bd);

	if (n)
		journal_write(tc->journal, NULL);
	return n;
}

void trapctl_fini(struct trapctl *tc)
{
	free(tc->reqs);
	free(tc->preqs);
	free(tc->devs);
	tc->reqs = NULL;
	tc->preqs = NULL;
	tc->devs = NULL;
	tc->nreqs = tc->npreqs = tc->ndevs = 0;
}
