/* pcapref: the reference reader of tests/pcapref.h. The netlink length
 * walk and the learning of NET_DM's id are this file's own on purpose:
 * only the attribute and alert parsers, which have checks of their own, are
 * shared with src/replay.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>
#include <linux/netlink.h>

#include "netdm.h"
#include "nlparse.h"
#include "pcapref.h"

struct pcapref_event pcapref_event(char kind, uint32_t len, uint32_t caplen, uint64_t ts,
				   const void *data)
{
	const uint8_t *b = data;
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */
	uint32_t n = data ? caplen : 0;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return (struct pcapref_event){ kind, len, caplen, ts, data ? h : 0 };
}

static void ref_malformed(struct pcapref *ref)
{
	ref->st.malformed++;
	ref->note(ref->arg, 'X', 0, 0, 0, NULL);
}

/* What an nlctrl message says of NET_DM: 1 its id is *id, -1 the family
 * with id *id is gone, 0 nothing.
 */
static int nlctrl_says(const struct nlmsghdr *nlh, uint16_t *id)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	const struct nlattr *name, *fid;
	int cmd = nlparse_genl_cmd(nlh);
	bool gone = cmd == CTRL_CMD_DELFAMILY;

	if (!gone && cmd != CTRL_CMD_NEWFAMILY && cmd != CTRL_CMD_GETFAMILY)
		return 0;
	if (nlparse_genl(nlh, tb, CTRL_ATTR_MAX) < 0)
		return 0;
	name = tb[CTRL_ATTR_FAMILY_NAME];
	fid = tb[CTRL_ATTR_FAMILY_ID];
	if (!name || !nlparse_is_str(name) || strcmp(mnl_attr_get_str(name), "NET_DM") != 0)
		return 0;
	if (!fid || mnl_attr_validate(fid, MNL_TYPE_U16) < 0)
		return 0;
	*id = mnl_attr_get_u16(fid);
	if (*id < GENL_MIN_ID)
		return 0;
	return gone ? -1 : 1;
}

static bool ref_is_netdm(const struct pcapref *ref, const struct nlmsghdr *nlh)
{
	struct drop_alert a;
	int cmd;

	if (ref->known)
		return nlh->nlmsg_type == ref->family;
	if (nlh->nlmsg_type < GENL_MIN_ID)
		return false;
	cmd = nlparse_genl_cmd(nlh);
	return cmd == NET_DM_CMD_ALERT ||
	       (cmd == NET_DM_CMD_PACKET_ALERT && netdm_parse_alert(nlh, &a) == 0);
}

static void ref_message(struct pcapref *ref, const struct nlmsghdr *nlh, uint64_t ts)
{
	uint16_t id;

	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		switch (nlctrl_says(nlh, &id)) {
		case 1:
			ref->family = id;
			ref->known = true;
			break;
		case -1:
			if (ref->known && ref->family == id)
				ref->known = false;
			break;
		}
		ref->st.skipped++;
	} else if (!ref_is_netdm(ref, nlh)) {
		ref->st.skipped++;
	} else {
		ref->known = true;
		ref->family = nlh->nlmsg_type;
		ref->st.netdm_msgs++;
		ref->note(ref->arg, 'M', nlh->nlmsg_len, nlh->nlmsg_len, ts, nlh);
	}
}

/* The 16-byte cooked header, then messages; a bad length ends the record. */
static void ref_netlink(struct pcapref *ref, const uint8_t *data, uint32_t caplen, uint64_t ts)
{
	size_t off = 16;
	bool any = false;
	uint32_t len;

	if (caplen < 16) {
		ref_malformed(ref);
		return;
	}
	if ((data[14] << 8 | data[15]) != NETLINK_GENERIC) {
		ref->st.skipped++;
		return;
	}
	while (caplen - off >= NLMSG_HDRLEN) {
		memcpy(&len, data + off, sizeof(len));
		if (len < NLMSG_HDRLEN || len > caplen - off) {
			ref_malformed(ref);
			return;
		}
		memcpy(ref->aligned, data + off, len);
		ref_message(ref, (const struct nlmsghdr *)(const void *)ref->aligned, ts);
		any = true;
		off += NLMSG_ALIGN(len);
		if (off >= caplen)
			break;
	}
	if (!any)
		ref_malformed(ref);
}

int pcapref_run(struct pcapref *ref, const char *path)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int dlt, rc;

	memset(&ref->st, 0, sizeof(ref->st));
	ref->err[0] = '\0';
	ref->known = false;
	ref->family = 0;
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ref->err);
	if (!p)
		return -1;
	dlt = pcap_datalink(p);
	if (dlt != DLT_NETLINK && dlt != DLT_EN10MB) {
		pcap_close(p);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		uint64_t ts = 0;

		if (h->ts.tv_sec >= 0 && h->ts.tv_usec >= 0)
			ts = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
		/* The capture's span: its first and last record, whatever they hold. */
		if (ref->st.records++ == 0)
			ref->st.first_ns = ts;
		ref->st.last_ns = ts;
		if (dlt == DLT_NETLINK) {
			ref_netlink(ref, data, h->caplen, ts);
		} else {
			ref->st.frames++;
			ref->note(ref->arg, 'F', h->len, h->caplen, ts, data);
		}
	}
	if (rc != PCAP_ERROR_BREAK)
		snprintf(ref->err, sizeof(ref->err), "%s", pcap_geterr(p));
	pcap_close(p);
	return rc == PCAP_ERROR_BREAK ? 0 : -1;
}
