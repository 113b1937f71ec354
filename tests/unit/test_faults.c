/* faults: the parts of issue 22's faults that need no kernel. nlctrl's
 * family notifications laid out as the kernel sends them (genetlink.h:
 * GENL_ID_CTRL, CTRL_CMD_NEWFAMILY/DELFAMILY, CTRL_ATTR_FAMILY_NAME), and
 * port names that change under one ifindex.
 */
#include "config.h"

#include <string.h>

#include "famwatch.h"
#include "portnames.h"
#include "tap.h"
#include "../nlbuild.h"

static struct nlmsghdr *ctrl_msg(void *buf, uint8_t cmd, const char *name)
{
	struct nlmsghdr *nlh = nlb_start(buf, GENL_ID_CTRL, cmd, 2);

	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	if (name)
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return nlh;
}

static void family_events(void)
{
	char buf[256];
	struct nlmsghdr *nlh;

	tap_ok(famwatch_parse(ctrl_msg(buf, CTRL_CMD_DELFAMILY, "NET_DM"), "NET_DM") == FAMWATCH_GONE,
	       "DELFAMILY NET_DM: gone");
	tap_ok(famwatch_parse(ctrl_msg(buf, CTRL_CMD_NEWFAMILY, "NET_DM"), "NET_DM") == FAMWATCH_BACK,
	       "NEWFAMILY NET_DM: back");
	tap_ok(famwatch_parse(ctrl_msg(buf, CTRL_CMD_DELFAMILY, "devlink"), "NET_DM") == FAMWATCH_NONE,
	       "another family: nothing");
	tap_ok(famwatch_parse(ctrl_msg(buf, CTRL_CMD_DELFAMILY, "NET_DMX"), "NET_DM") == FAMWATCH_NONE,
	       "a longer name: nothing");
	tap_ok(famwatch_parse(ctrl_msg(buf, CTRL_CMD_NEWMCAST_GRP, "NET_DM"), "NET_DM") == FAMWATCH_NONE,
	       "a group notification: nothing");
	tap_ok(famwatch_parse(ctrl_msg(buf, CTRL_CMD_DELFAMILY, NULL), "NET_DM") == FAMWATCH_NONE,
	       "no name: nothing");
	nlh = ctrl_msg(buf, CTRL_CMD_DELFAMILY, NULL);
	nlb_put_raw(nlh, CTRL_ATTR_FAMILY_NAME, 4 + 6, "NET_DM", 6);	/* no NUL */
	tap_ok(famwatch_parse(nlh, "NET_DM") == FAMWATCH_NONE, "a name without NUL: nothing");
	nlh = ctrl_msg(buf, CTRL_CMD_DELFAMILY, "NET_DM");
	nlh->nlmsg_type = 0x1d;
	tap_ok(famwatch_parse(nlh, "NET_DM") == FAMWATCH_NONE, "not from nlctrl: nothing");
}

static void renamed_ports(void)
{
	static struct portnames pn;

	portnames_remember(&pn, 5, "eth0");
	tap_ok(!strcmp(portnames_lookup(5, &pn), "eth0"), "ifindex 5 is eth0");
	portnames_remember(&pn, 5, "moved0");
	tap_ok(!strcmp(portnames_lookup(5, &pn), "moved0"), "renamed: the latest alert's name wins");
	portnames_remember(&pn, 5 + PORTNAMES_SLOTS, "other");
	portnames_remember(&pn, 5, "moved0");
	tap_ok(!strcmp(portnames_lookup(5, &pn), "moved0"), "a colliding ifindex and back: moved0");
	portnames_new_table(&pn);
	tap_ok(!strcmp(portnames_lookup(5, &pn), "moved0"), "a name from an alert outlives a table");
}

int main(void)
{
	family_events();
	renamed_ports();
	return tap_done();
}
