/* replay: read a capture file through libpcap and hand each drop to the
 * same code as live alerts.
 *
 * LINKTYPE_NETLINK records (trapmon, dwdump, nlmon) are a 16-byte cooked
 * header, whose protocol field (big-endian, as Wireshark reads it) says
 * which netlink bus, followed by one or more netlink messages in host
 * order. NET_DM's generic netlink id differs between hosts, so it is
 * learnt from nlctrl records (NEWFAMILY, or GETFAMILY dump replies as
 * dwdump writes them); before any, a message that looks like a NET_DM
 * alert is taken and its id remembered. Each message is copied into an
 * aligned scratch buffer, because a record's messages need not be.
 * "skipped" counts messages, plus whole records of other netlink buses;
 * "malformed" counts records.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/net_dropmon.h>
#include <linux/netlink.h>
#include <pcap/pcap.h>

#include "errmsg.h"
#include "netdm.h"
#include "nlparse.h"
#include "replay.h"

#define COOKED_LEN 16
#define SCRATCH_SIZE (256 * 1024 + 64)	/* > any record libpcap accepts */

struct replay {
	const struct replay_ops *ops;
	struct replay_stats *st;
	bool known;		/* family holds NET_DM's id */
	uint16_t family;
	union {
		struct nlmsghdr nlh;
		uint64_t align;
		uint8_t bytes[SCRATCH_SIZE];
	} scratch;
};

static void malformed(struct replay *r)
{
	r->st->malformed++;
	if (r->ops->malformed)
		r->ops->malformed(r->ops->arg);
}

/* nlctrl: NEWFAMILY (announcements, GETFAMILY replies) names NET_DM's id;
 * DELFAMILY (module unloaded) retires it.
 */
static void learn_family(struct replay *r, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	int cmd = nlparse_genl_cmd(nlh);
	const struct nlattr *name, *id;

	if (cmd != CTRL_CMD_NEWFAMILY && cmd != CTRL_CMD_GETFAMILY && cmd != CTRL_CMD_DELFAMILY)
		return;
	if (nlparse_genl(nlh, tb, CTRL_ATTR_MAX) < 0)
		return;
	name = tb[CTRL_ATTR_FAMILY_NAME];
	id = tb[CTRL_ATTR_FAMILY_ID];
	if (!name || !nlparse_is_str(name) || strcmp(mnl_attr_get_str(name), "NET_DM") != 0 ||
	    !id || mnl_attr_validate(id, MNL_TYPE_U16) < 0 || mnl_attr_get_u16(id) < GENL_MIN_ID)
		return;		/* an id below GENL_MIN_ID is no family's: keep guessing */
	if (cmd == CTRL_CMD_DELFAMILY) {
		if (r->known && r->family == mnl_attr_get_u16(id))
			r->known = false;
		return;
	}
	r->family = mnl_attr_get_u16(id);
	r->known = true;
}

/* Without nlctrl records: a generic netlink message carrying a NET_DM
 * alert command (a packet alert must also parse as one).
 */
static bool looks_like_netdm(const struct nlmsghdr *nlh)
{
	struct drop_alert a;
	int cmd;

	if (nlh->nlmsg_type < GENL_MIN_ID)
		return false;
	cmd = nlparse_genl_cmd(nlh);
	if (cmd == NET_DM_CMD_ALERT)
		return true;
	return cmd == NET_DM_CMD_PACKET_ALERT && netdm_parse_alert(nlh, &a) == 0;
}

static void on_message(struct replay *r, const struct nlmsghdr *nlh, uint64_t ts_ns)
{
	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		learn_family(r, nlh);
		r->st->skipped++;
		return;
	}
	if (r->known ? nlh->nlmsg_type != r->family : !looks_like_netdm(nlh)) {
		r->st->skipped++;
		return;
	}
	r->known = true;
	r->family = nlh->nlmsg_type;
	r->st->netdm_msgs++;
	if (r->ops->netdm_msg)
		r->ops->netdm_msg(nlh, ts_ns, r->ops->arg);
}

/* One LINKTYPE_NETLINK record: the messages before a bad one still count. */
static void on_netlink(struct replay *r, const uint8_t *data, uint32_t caplen, uint64_t ts_ns)
{
	size_t off = COOKED_LEN;
	bool any = false;
	uint32_t len;

	if (caplen < COOKED_LEN) {
		malformed(r);
		return;
	}
	if ((data[14] << 8 | data[15]) != NETLINK_GENERIC) {
		r->st->skipped++;	/* rtnetlink and the rest of an nlmon capture */
		return;
	}
	while (caplen - off >= NLMSG_HDRLEN) {
		memcpy(&len, data + off, sizeof(len));
		if (len < NLMSG_HDRLEN || len > caplen - off) {
			malformed(r);
			return;
		}
		memcpy(r->scratch.bytes, data + off, len);
		on_message(r, &r->scratch.nlh, ts_ns);
		any = true;
		off += NLMSG_ALIGN(len);
		if (off >= caplen)
			break;
	}
	if (!any)
		malformed(r);
}

static FILE *open_input(const char *path)
{
	int fd;
	FILE *f;

	if (strcmp(path, "-") != 0)
		return fopen(path, "rbe");
	/* pcap_close() closes the FILE: give it a copy of stdin. */
	fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "rb");
	if (!f)
		close(fd);
	return f;
}

static const char *open_fix(int err)
{
	switch (err) {
	case ENOENT: case ENOTDIR:
		return "check the path";
	case EACCES: case EPERM:
		return "check the file's permissions";
	default:
		return "give a readable capture file";
	}
}

static uint64_t record_ts(const struct pcap_pkthdr *h)
{
	/* Nanosecond precision: tv_usec holds nanoseconds, also for
	 * microsecond files (libpcap scales them).
	 */
	if (h->ts.tv_sec < 0 || h->ts.tv_usec < 0)
		return 0;
	return (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
}

int replay_file(const char *path, const struct replay_ops *ops, struct replay_stats *st,
		struct errmsg *e)
{
	const char *shown = strcmp(path, "-") == 0 ? "standard input" : path;
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct replay_stats local;
	struct pcap_pkthdr *h;
	const u_char *data;
	struct replay *r;
	const char *lt;
	pcap_t *p;
	FILE *f;
	int dlt, rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	f = open_input(path);
	if (!f) {
		errmsg_set(e, errno, "cannot open %.300s: %s: %s", shown, strerror(errno),
			   open_fix(errno));
		goto err;
	}
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		errmsg_set(e, EINVAL, "cannot read %.300s: %s: give a pcap or pcapng file "
			   "(trapmon -w, dwdump, tcpdump -w)", shown, errbuf);
		goto err_file;
	}
	dlt = pcap_datalink(p);
	if (dlt != DLT_NETLINK && dlt != DLT_EN10MB) {
		lt = pcap_datalink_val_to_name(dlt);
		errmsg_set(e, EINVAL, "%.300s has link type %s (%d): trapmon reads netlink "
			   "(NET_DM) and Ethernet captures", shown, lt ? lt : "unknown", dlt);
		goto err_pcap;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		errmsg_set(e, ENOMEM, "cannot read %.300s: out of memory: free memory", shown);
		goto err_pcap;
	}
	r->ops = ops;
	r->st = st;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		uint64_t ts = record_ts(h);

		st->records++;
		if (dlt == DLT_NETLINK) {
			on_netlink(r, data, h->caplen, ts);
		} else {
			st->frames++;
			if (ops->ether_frame)
				ops->ether_frame(data, h->caplen, h->len, ts, ops->arg);
		}
	}
	if (rc != PCAP_ERROR_BREAK) {
		errmsg_set(e, EIO, "reading %.300s failed after %llu records: %s: the capture "
			   "was cut short or is damaged; repair it (e.g. editcap) to read the rest",
			   shown, (unsigned long long)st->records, pcap_geterr(p));
		goto err_state;
	}
	free(r);
	pcap_close(p);
	return 0;

err_state:
	free(r);
err_pcap:
	pcap_close(p);	/* closes f too */
	return -1;
err_file:
	fclose(f);
err:
	return -1;
}
