/* devlink_parse: devlink's trap, group, policer and port messages parsed
 * into plain structs, and the small helpers over them. No socket: the
 * fuzzers and unit tests link it alone.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/devlink.h>

#include "devlink.h"
#include "names.h"
#include "nlparse.h"

static int copy_str(char *dst, const struct nlattr *a)
{
	if (!nlparse_is_str(a))
		return -1;
	snprintf(dst, DL_NAME_MAX, "%s", mnl_attr_get_str(a));
	return 0;
}

static int parse_stats(const struct nlattr *nest, struct dl_trap *t)
{
	const struct nlattr *tb[DEVLINK_ATTR_STATS_MAX + 1] = { NULL };
	uint64_t *dst[] = {
		[DEVLINK_ATTR_STATS_RX_PACKETS] = &t->rx_packets,
		[DEVLINK_ATTR_STATS_RX_BYTES] = &t->rx_bytes,
		[DEVLINK_ATTR_STATS_RX_DROPPED] = &t->rx_dropped,
	};
	unsigned int i;

	if (nlparse_nested(nest, tb, DEVLINK_ATTR_STATS_MAX) < 0)
		return -1;
	for (i = 0; i <= DEVLINK_ATTR_STATS_RX_DROPPED; i++) {
		if (!tb[i])
			continue;
		if (mnl_attr_validate(tb[i], MNL_TYPE_U64) < 0)
			return -1;
		*dst[i] = mnl_attr_get_u64(tb[i]);
	}
	t->has_stats = true;
	return 0;
}

static int parse_handle(const struct nlattr **tb, char *bus, char *dev)
{
	if (!tb[DEVLINK_ATTR_BUS_NAME] || !tb[DEVLINK_ATTR_DEV_NAME])
		return -1;
	if (copy_str(bus, tb[DEVLINK_ATTR_BUS_NAME]) < 0 || copy_str(dev, tb[DEVLINK_ATTR_DEV_NAME]) < 0)
		return -1;
	return 0;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -1;
	*v = mnl_attr_get_u32(a);
	return 0;
}

static int get_u64(const struct nlattr *a, uint64_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return -1;
	*v = mnl_attr_get_u64(a);
	return 0;
}

int devlink_parse_trap(const struct nlmsghdr *nlh, struct dl_trap *t)
{
	const struct nlattr *tb[DEVLINK_ATTR_MAX + 1] = { NULL };
	const struct nlattr *meta[DEVLINK_ATTR_TRAP_METADATA_TYPE_FA_COOKIE + 1] = { NULL };

	memset(t, 0, sizeof(*t));
	if (nlparse_genl(nlh, tb, DEVLINK_ATTR_MAX) < 0)
		goto err_inval;
	if (parse_handle(tb, t->bus, t->dev) < 0 || !tb[DEVLINK_ATTR_TRAP_NAME] ||
	    copy_str(t->name, tb[DEVLINK_ATTR_TRAP_NAME]) < 0)
		goto err_inval;
	if (tb[DEVLINK_ATTR_TRAP_GROUP_NAME] && copy_str(t->group, tb[DEVLINK_ATTR_TRAP_GROUP_NAME]) < 0)
		goto err_inval;
	if (tb[DEVLINK_ATTR_TRAP_TYPE]) {
		if (mnl_attr_validate(tb[DEVLINK_ATTR_TRAP_TYPE], MNL_TYPE_U8) < 0)
			goto err_inval;
		t->type = mnl_attr_get_u8(tb[DEVLINK_ATTR_TRAP_TYPE]);
	}
	if (tb[DEVLINK_ATTR_TRAP_ACTION]) {
		if (mnl_attr_validate(tb[DEVLINK_ATTR_TRAP_ACTION], MNL_TYPE_U8) < 0)
			goto err_inval;
		t->action = mnl_attr_get_u8(tb[DEVLINK_ATTR_TRAP_ACTION]);
	}
	t->generic = tb[DEVLINK_ATTR_TRAP_GENERIC] != NULL;
	if (tb[DEVLINK_ATTR_TRAP_METADATA]) {
		if (nlparse_nested(tb[DEVLINK_ATTR_TRAP_METADATA], meta,
				   DEVLINK_ATTR_TRAP_METADATA_TYPE_FA_COOKIE) < 0)
			goto err_inval;
		t->meta_in_port = meta[DEVLINK_ATTR_TRAP_METADATA_TYPE_IN_PORT] != NULL;
		t->meta_cookie = meta[DEVLINK_ATTR_TRAP_METADATA_TYPE_FA_COOKIE] != NULL;
	}
	if (tb[DEVLINK_ATTR_STATS] && parse_stats(tb[DEVLINK_ATTR_STATS], t) < 0)
		goto err_inval;
	return 0;

err_inval:
	errno = EINVAL;
	return -1;
}

int devlink_parse_handle(const struct nlmsghdr *nlh, char *bus, char *dev)
{
	const struct nlattr *tb[DEVLINK_ATTR_MAX + 1] = { NULL };

	if (nlparse_genl(nlh, tb, DEVLINK_ATTR_MAX) < 0 || parse_handle(tb, bus, dev) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int devlink_parse_port(const struct nlmsghdr *nlh, struct dl_port *p)
{
	const struct nlattr *tb[DEVLINK_ATTR_MAX + 1] = { NULL };
	char bus[DL_NAME_MAX], dev[DL_NAME_MAX];

	memset(p, 0, sizeof(*p));
	if (nlparse_genl(nlh, tb, DEVLINK_ATTR_MAX) < 0 || parse_handle(tb, bus, dev) < 0 ||
	    !tb[DEVLINK_ATTR_PORT_NETDEV_IFINDEX] ||
	    get_u32(tb[DEVLINK_ATTR_PORT_NETDEV_IFINDEX], &p->ifindex) < 0) {
		errno = EINVAL;
		return -1;
	}
	snprintf(p->device, sizeof(p->device), "%s/%s", bus, dev);
	return 0;
}

int devlink_parse_group(const struct nlmsghdr *nlh, struct dl_group *g)
{
	const struct nlattr *tb[DEVLINK_ATTR_MAX + 1] = { NULL };
	struct dl_trap st;

	memset(g, 0, sizeof(*g));
	if (nlparse_genl(nlh, tb, DEVLINK_ATTR_MAX) < 0 || parse_handle(tb, g->bus, g->dev) < 0 ||
	    !tb[DEVLINK_ATTR_TRAP_GROUP_NAME] || copy_str(g->name, tb[DEVLINK_ATTR_TRAP_GROUP_NAME]) < 0 ||
	    get_u32(tb[DEVLINK_ATTR_TRAP_POLICER_ID], &g->policer_id) < 0)
		goto err_inval;
	g->generic = tb[DEVLINK_ATTR_TRAP_GENERIC] != NULL;
	if (tb[DEVLINK_ATTR_STATS]) {
		memset(&st, 0, sizeof(st));
		if (parse_stats(tb[DEVLINK_ATTR_STATS], &st) < 0)
			goto err_inval;
		g->rx_packets = st.rx_packets;
		g->rx_bytes = st.rx_bytes;
	}
	return 0;

err_inval:
	errno = EINVAL;
	return -1;
}

int devlink_parse_policer(const struct nlmsghdr *nlh, struct dl_policer *p)
{
	const struct nlattr *tb[DEVLINK_ATTR_MAX + 1] = { NULL };
	struct dl_trap st;

	memset(p, 0, sizeof(*p));
	if (nlparse_genl(nlh, tb, DEVLINK_ATTR_MAX) < 0 || parse_handle(tb, p->bus, p->dev) < 0 ||
	    !tb[DEVLINK_ATTR_TRAP_POLICER_ID] ||
	    get_u32(tb[DEVLINK_ATTR_TRAP_POLICER_ID], &p->id) < 0 ||
	    get_u64(tb[DEVLINK_ATTR_TRAP_POLICER_RATE], &p->rate) < 0 ||
	    get_u64(tb[DEVLINK_ATTR_TRAP_POLICER_BURST], &p->burst) < 0)
		goto err_inval;
	if (tb[DEVLINK_ATTR_STATS]) {
		memset(&st, 0, sizeof(st));
		if (parse_stats(tb[DEVLINK_ATTR_STATS], &st) < 0)
			goto err_inval;
		p->drops = st.rx_dropped;
	}
	return 0;

err_inval:
	errno = EINVAL;
	return -1;
}

void dl_ports_free(struct dl_ports *ports)
{
	free(ports->v);
	memset(ports, 0, sizeof(*ports));
}

void dl_traps_free(struct dl_traps *traps)
{
	free(traps->v);
	memset(traps, 0, sizeof(*traps));
}

void dl_groups_free(struct dl_groups *groups)
{
	free(groups->v);
	memset(groups, 0, sizeof(*groups));
}

void dl_policers_free(struct dl_policers *policers)
{
	free(policers->v);
	memset(policers, 0, sizeof(*policers));
}

const struct dl_trap *dl_traps_find(const struct dl_traps *traps, const char *name)
{
	size_t i;

	for (i = 0; i < traps->n; i++)
		if (strcmp(traps->v[i].name, name) == 0)
			return &traps->v[i];
	return NULL;
}

const char *devlink_type_str(uint8_t type)
{
	const char *name = trap_type_name(type);

	return name ? name : "unknown";
}

const char *devlink_action_str(uint8_t action)
{
	const char *name = trap_action_name(action);

	return name ? name : "unknown";
}

int devlink_action_parse(const char *s)
{
	return trap_action_parse(s);
}
