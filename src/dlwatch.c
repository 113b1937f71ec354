/* dlwatch: devlink's notifications and counters as a source: new traps and
 * devices while trapmon runs, and the control-trap counters behind -c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/devlink.h>

#include "dlwatch.h"
#include "names.h"
#include "nlparse.h"

void dlwatch_init(struct dlwatch *w, struct devlink *dl, struct trapctl *tc)
{
	w->dl = dl;
	w->tc = tc;
	memset(&w->traps, 0, sizeof(w->traps));
}

void dlwatch_fini(struct dlwatch *w)
{
	dl_traps_free(&w->traps);
}

static void learn_trap(struct dlwatch *w, const struct dl_trap *t)
{
	struct dl_traps *v = &w->traps;

	if (dl_traps_find(v, t->name))
		return;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		struct dl_trap *nv = realloc(v->v, cap * sizeof(*nv));

		if (!nv)
			return;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = *t;
}

/* A trap appears: a new device, or a driver reload that brought its traps
 * back at the driver's defaults. Either way the requested actions are set
 * again, and a reset is said in one line (packets a driver drops are never
 * reported, so the seconds of the gap are all there is to tell).
 */
static void reapply(struct dlwatch *w, const struct dl_trap *t)
{
	struct errmsg e = { 0 };
	uint8_t action = 0;
	int rc = trapctl_on_new_trap(w->tc, t, &action, &e);

	if (rc < 0)
		fprintf(stderr, "trapmon: new device %s/%s: %s\n", t->bus, t->dev, e.text);
	else if (rc > 0)
		fprintf(stderr, "trapmon: %s/%s: %s came back as %s (driver reload or new device); "
			"set to %s again\n", t->bus, t->dev, t->name, trap_action_name(t->action),
			trap_action_name(action));
}

static int on_devlink_msg(const struct nlmsghdr *nlh, void *data)
{
	struct dlwatch *w = data;
	char bus[DL_NAME_MAX], dev[DL_NAME_MAX];
	struct dl_trap t;

	switch (nlparse_genl_cmd(nlh)) {
	case DEVLINK_CMD_TRAP_NEW:
		if (devlink_parse_trap(nlh, &t) < 0)
			break;
		learn_trap(w, &t);
		if (w->tc)
			reapply(w, &t);
		break;
	case DEVLINK_CMD_DEL:
		if (devlink_parse_handle(nlh, bus, dev) < 0)
			break;
		fprintf(stderr, "trapmon: devlink device %s/%s went away%s\n", bus, dev,
			w->tc && trapctl_on_device_gone(w->tc, bus, dev) ?
			"; its trap actions need no restoring" : "");
		break;
	}
	return MNL_CB_OK;
}

void dlwatch_read_events(struct dlwatch *w)
{
	int fd = devlink_event_fd(w->dl);
	ssize_t n;

	while ((n = recv(fd, w->buf, sizeof(w->buf), 0)) > 0 || (n < 0 && errno == ENOBUFS)) {
		size_t valid = n > 0 ? nlparse_valid_len(w->buf, (size_t)n) : 0;

		if (valid)
			mnl_cb_run(w->buf, valid, 0, 0, on_devlink_msg, w);
	}
}

/* Summed per trap across devices, counted without flows. */
void dlwatch_count_control(struct dlwatch *w, struct aggregate *ag)
{
	struct dl_traps now;
	size_t i, j;

	if (!w->dl || devlink_trap_dump(w->dl, &now, NULL) < 0)
		return;
	for (i = 0; i < now.n; i++) {
		const struct dl_trap *t = &now.v[i], *old = NULL;

		if (t->type != DEVLINK_TRAP_TYPE_CONTROL)
			continue;
		for (j = 0; j < w->traps.n && !old; j++)
			if (!strcmp(w->traps.v[j].bus, t->bus) && !strcmp(w->traps.v[j].dev, t->dev) &&
			    !strcmp(w->traps.v[j].name, t->name))
				old = &w->traps.v[j];
		aggregate_count(ag, &(struct agg_count){
			.origin = NET_DM_ORIGIN_HW, .name = t->name, .group = t->group,
			.type = TRAP_TYPE_CONTROL, .source = TRAP_SOURCE_DEVLINK,
			.packets = t->rx_packets - (old ? old->rx_packets : 0),
			.bytes = t->rx_bytes - (old ? old->rx_bytes : 0) });
	}
	dl_traps_free(&w->traps);
	w->traps = now;
}

bool dlwatch_has_control(const struct dlwatch *w)
{
	size_t i;

	for (i = 0; i < w->traps.n; i++)
		if (w->traps.v[i].type == DEVLINK_TRAP_TYPE_CONTROL)
			return true;
	return false;
}
