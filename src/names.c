/* names: one table each for trap types, trap actions (devlink's
 * DEVLINK_TRAP_TYPE_* and DEVLINK_TRAP_ACTION_* values), NET_DM origins,
 * the sources of counts,
 * and the kernel's generic traps with their types.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/devlink.h>
#include <linux/net_dropmon.h>

#include "names.h"

static const char *const type_names[] = {
	[DEVLINK_TRAP_TYPE_DROP] = "drop",
	[DEVLINK_TRAP_TYPE_EXCEPTION] = "exception",
	[DEVLINK_TRAP_TYPE_CONTROL] = "control",
};

static const char *const action_names[] = {
	[DEVLINK_TRAP_ACTION_DROP] = "drop",
	[DEVLINK_TRAP_ACTION_TRAP] = "trap",
	[DEVLINK_TRAP_ACTION_MIRROR] = "mirror",
};

/* enum trap_source (flowtab.h): where a trap's counts came from. */
static const char *const source_names[] = { "netdm", "tracepoint", "devlink" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *trap_source_name(uint8_t source)
{
	return source < COUNT(source_names) ? source_names[source] : "";
}

const char *trap_type_name(uint8_t type)
{
	return type < COUNT(type_names) ? type_names[type] : NULL;
}

const char *trap_action_name(uint8_t action)
{
	return action < COUNT(action_names) ? action_names[action] : NULL;
}

int trap_action_parse(const char *word)
{
	size_t i;

	for (i = 0; i < COUNT(action_names); i++)
		if (strcmp(word, action_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *drop_origin_name(uint8_t origin)
{
	return origin == NET_DM_ORIGIN_HW ? "hw" : "sw";
}

/* The kernel's generic traps and their types (include/net/devlink.h), for
 * captures replayed where no devlink device can say. Sorted by name.
 */
static const struct {
	const char *name;
	uint8_t type;
} generic_traps[] = {
	{ "arp_overlay", DEVLINK_TRAP_TYPE_CONTROL },
	{ "arp_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "arp_request", DEVLINK_TRAP_TYPE_CONTROL },
	{ "arp_response", DEVLINK_TRAP_TYPE_CONTROL },
	{ "blackhole_nexthop", DEVLINK_TRAP_TYPE_DROP },
	{ "blackhole_route", DEVLINK_TRAP_TYPE_DROP },
	{ "dccp_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "decap_error", DEVLINK_TRAP_TYPE_EXCEPTION },
	{ "dip_is_loopback_address", DEVLINK_TRAP_TYPE_DROP },
	{ "dmac_filter", DEVLINK_TRAP_TYPE_DROP },
	{ "early_drop", DEVLINK_TRAP_TYPE_DROP },
	{ "egress_flow_action_drop", DEVLINK_TRAP_TYPE_DROP },
	{ "esp_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "external_route", DEVLINK_TRAP_TYPE_CONTROL },
	{ "flow_action_sample", DEVLINK_TRAP_TYPE_CONTROL },
	{ "flow_action_trap", DEVLINK_TRAP_TYPE_CONTROL },
	{ "gre_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "gtp_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "igmp_query", DEVLINK_TRAP_TYPE_CONTROL },
	{ "igmp_v1_report", DEVLINK_TRAP_TYPE_CONTROL },
	{ "igmp_v2_leave", DEVLINK_TRAP_TYPE_CONTROL },
	{ "igmp_v2_report", DEVLINK_TRAP_TYPE_CONTROL },
	{ "igmp_v3_report", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ingress_flow_action_drop", DEVLINK_TRAP_TYPE_DROP },
	{ "ingress_spanning_tree_filter", DEVLINK_TRAP_TYPE_DROP },
	{ "ingress_vlan_filter", DEVLINK_TRAP_TYPE_DROP },
	{ "ip_1_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "ip_header_corrupted", DEVLINK_TRAP_TYPE_DROP },
	{ "ip_n_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "ipsec_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "ipv4_bfd", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv4_bgp", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv4_dhcp", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv4_lpm_miss", DEVLINK_TRAP_TYPE_EXCEPTION },
	{ "ipv4_ospf", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv4_pim", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv4_router_alert", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv4_sip_is_limited_bc", DEVLINK_TRAP_TYPE_DROP },
	{ "ipv4_vrrp", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_bfd", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_bgp", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_dhcp", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_dip_all_nodes", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_dip_all_routers", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_lpm_miss", DEVLINK_TRAP_TYPE_EXCEPTION },
	{ "ipv6_mc_dip_interface_local_scope", DEVLINK_TRAP_TYPE_DROP },
	{ "ipv6_mc_dip_reserved_scope", DEVLINK_TRAP_TYPE_DROP },
	{ "ipv6_neigh_advert", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_neigh_solicit", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_ospf", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_pim", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_redirect", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_router_advert", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_router_alert", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_router_solicit", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_uc_dip_link_local_scope", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ipv6_vrrp", DEVLINK_TRAP_TYPE_CONTROL },
	{ "lacp", DEVLINK_TRAP_TYPE_CONTROL },
	{ "llc_snap_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "lldp", DEVLINK_TRAP_TYPE_CONTROL },
	{ "local_route", DEVLINK_TRAP_TYPE_CONTROL },
	{ "mc_reverse_path_forwarding", DEVLINK_TRAP_TYPE_EXCEPTION },
	{ "mld_query", DEVLINK_TRAP_TYPE_CONTROL },
	{ "mld_v1_done", DEVLINK_TRAP_TYPE_CONTROL },
	{ "mld_v1_report", DEVLINK_TRAP_TYPE_CONTROL },
	{ "mld_v2_report", DEVLINK_TRAP_TYPE_CONTROL },
	{ "mpls_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "mtu_value_is_too_small", DEVLINK_TRAP_TYPE_EXCEPTION },
	{ "non_ip", DEVLINK_TRAP_TYPE_DROP },
	{ "non_routable_packet", DEVLINK_TRAP_TYPE_DROP },
	{ "overlay_smac_is_mc", DEVLINK_TRAP_TYPE_DROP },
	{ "port_list_is_empty", DEVLINK_TRAP_TYPE_DROP },
	{ "port_loopback_filter", DEVLINK_TRAP_TYPE_DROP },
	{ "pppoe_ppp_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "ptp_event", DEVLINK_TRAP_TYPE_CONTROL },
	{ "ptp_general", DEVLINK_TRAP_TYPE_CONTROL },
	{ "reject_route", DEVLINK_TRAP_TYPE_EXCEPTION },
	{ "sctp_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "sip_is_loopback_address", DEVLINK_TRAP_TYPE_DROP },
	{ "sip_is_mc", DEVLINK_TRAP_TYPE_DROP },
	{ "source_mac_is_multicast", DEVLINK_TRAP_TYPE_DROP },
	{ "stp", DEVLINK_TRAP_TYPE_CONTROL },
	{ "tail_drop", DEVLINK_TRAP_TYPE_DROP },
	{ "tcp_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "ttl_value_is_too_small", DEVLINK_TRAP_TYPE_EXCEPTION },
	{ "uc_dip_over_mc_dmac", DEVLINK_TRAP_TYPE_DROP },
	{ "uc_loopback", DEVLINK_TRAP_TYPE_CONTROL },
	{ "udp_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "unresolved_neigh", DEVLINK_TRAP_TYPE_EXCEPTION },
	{ "vlan_parsing", DEVLINK_TRAP_TYPE_DROP },
	{ "vlan_tag_mismatch", DEVLINK_TRAP_TYPE_DROP },
	{ "vxlan_parsing", DEVLINK_TRAP_TYPE_DROP },
};

static int generic_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int generic_trap_type(const char *name)
{
	const void *hit = bsearch(name, generic_traps, sizeof(generic_traps) / sizeof(generic_traps[0]),
				  sizeof(generic_traps[0]), generic_cmp);

	return hit ? ((const typeof(generic_traps[0]) *)hit)->type : -1;
}
