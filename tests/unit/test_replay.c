/* Tests for replay_file(): round trips through capture.c, nlmon-like and
 * dwdump-like files written here with pcap_dump (dwdump's layout: cooked
 * header with htons() fields, a GETFAMILY dump reply as the first record,
 * microsecond receive-time stamps, caplen cut at its snaplen), several
 * messages in one record, malformed records, Ethernet pcaps, and files
 * trapmon must refuse with a one-line error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_arp.h>
#include <linux/if_packet.h>
#include <linux/net_dropmon.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "errmsg.h"
#include "replay.h"
#include "tap.h"

#define TS 1700000000123456789ull
#define MAXMSG 32

static char dir[] = "/tmp/trapmon-replay-XXXXXX";
static char path[256];
static uint8_t frame[142];

/* What the callbacks saw. */
static struct seen {
	int msgs, frames, malformed, misaligned;
	uint64_t ts[MAXMSG];
	uint32_t len[MAXMSG];
	uint8_t data[MAXMSG][512];
} seen;

static void on_msg(const struct nlmsghdr *nlh, uint64_t ts_ns, void *arg)
{
	(void)arg;
	seen.misaligned += ((uintptr_t)nlh & 3) != 0;
	if (seen.msgs < MAXMSG) {
		seen.ts[seen.msgs] = ts_ns;
		seen.len[seen.msgs] = nlh->nlmsg_len;
		memcpy(seen.data[seen.msgs], nlh, nlh->nlmsg_len < 512 ? nlh->nlmsg_len : 512);
	}
	seen.msgs++;
}

static void on_frame(const uint8_t *f, uint32_t caplen, uint32_t len, uint64_t ts_ns, void *arg)
{
	(void)arg;
	if (seen.frames < MAXMSG) {
		seen.ts[seen.frames] = ts_ns;
		seen.len[seen.frames] = len;
		memcpy(seen.data[seen.frames], f, caplen < 512 ? caplen : 512);
	}
	seen.frames++;
}

static void on_malformed(void *arg)
{
	(void)arg;
	seen.malformed++;
}

static const struct replay_ops ops = { .netdm_msg = on_msg, .ether_frame = on_frame,
					       .malformed = on_malformed };
static struct replay_stats st;
static struct errmsg e;

static int replay(const char *p)
{
	memset(&seen, 0, sizeof(seen));
	errmsg_clear(&e);
	return replay_file(p, &ops, &st, &e);
}

/* Messages are built one after another in msgbuf; each call returns the
 * next, 4-byte aligned.
 */
static uint64_t msgbuf[8192];
static size_t msgoff;

static struct nlmsghdr *genl_msg(uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header((char *)msgbuf + msgoff);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 2;
	return nlh;
}

static struct nlmsghdr *done(struct nlmsghdr *nlh)
{
	msgoff += MNL_ALIGN(nlh->nlmsg_len);
	return nlh;
}

static struct nlmsghdr *hw_alert(uint16_t type, uint64_t ts)
{
	struct nlmsghdr *nlh = genl_msg(type, NET_DM_CMD_PACKET_ALERT);

	mnl_attr_put_u16(nlh, NET_DM_ATTR_ORIGIN, NET_DM_ORIGIN_HW);
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_GROUP_NAME, "l3_drops");
	mnl_attr_put_strz(nlh, NET_DM_ATTR_HW_TRAP_NAME, "blackhole_route");
	mnl_attr_put_u64(nlh, NET_DM_ATTR_TIMESTAMP, ts);
	mnl_attr_put_u32(nlh, NET_DM_ATTR_ORIG_LEN, sizeof(frame));
	mnl_attr_put_u16(nlh, NET_DM_ATTR_PROTO, 0x0800);
	mnl_attr_put(nlh, NET_DM_ATTR_PAYLOAD, sizeof(frame), frame);
	return done(nlh);
}

static struct nlmsghdr *newfamily(uint8_t cmd, const char *name, int id)
{
	struct nlmsghdr *nlh = genl_msg(GENL_ID_CTRL, cmd);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	if (id >= 0)
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, (uint16_t)id);
	return done(nlh);
}

static struct nlmsghdr *rtm_newlink(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header((char *)msgbuf + msgoff);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	nlh->nlmsg_type = RTM_NEWLINK;	/* 16, the same number as GENL_ID_CTRL */
	ifi->ifi_index = 3;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	return done(nlh);
}

/* Was seen message i exactly nlh, stamped ts? */
static bool got(int i, const struct nlmsghdr *nlh, uint64_t ts)
{
	return i < seen.msgs && seen.ts[i] == ts && seen.len[i] == nlh->nlmsg_len &&
	       memcmp(seen.data[i], nlh, nlh->nlmsg_len) == 0;
}

/* A pcap written record by record with pcap_dump. */
static pcap_t *wdead;
static pcap_dumper_t *wdump;
static bool wnano;

static void wopen(const char *name, int dlt, int snaplen, bool nano)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	wnano = nano;
	wdead = pcap_open_dead_with_tstamp_precision(dlt, snaplen, nano ?
						     PCAP_TSTAMP_PRECISION_NANO :
						     PCAP_TSTAMP_PRECISION_MICRO);
	wdump = pcap_dump_open(wdead, path);
}

/* ts in ns; a microsecond file stores microseconds in tv_usec. */
static void set_ts(struct pcap_pkthdr *h, uint64_t ts)
{
	h->ts.tv_sec = (time_t)(ts / 1000000000u);
	h->ts.tv_usec = (suseconds_t)(ts % 1000000000u / (wnano ? 1 : 1000));
}

static void wclose(void)
{
	pcap_dump_close(wdump);
	pcap_close(wdead);
}

/* One record: the cooked header with protocol proto (host order given,
 * written big-endian unless le), then n messages back to back.
 */
static void wrec(uint64_t ts, uint16_t proto, bool le, uint32_t caplen_cut, int n, ...)
{
	static uint8_t rec[65536];
	struct pcap_pkthdr h;
	size_t len = 16;
	va_list ap;

	memset(rec, 0, 16);
	rec[1] = PACKET_OUTGOING;
	rec[2] = ARPHRD_NETLINK >> 8;
	rec[3] = ARPHRD_NETLINK & 0xff;
	rec[14] = (uint8_t)(le ? proto : proto >> 8);
	rec[15] = (uint8_t)(le ? proto >> 8 : proto);
	va_start(ap, n);
	while (n--) {
		const struct nlmsghdr *nlh = va_arg(ap, const struct nlmsghdr *);

		memcpy(rec + len, nlh, nlh->nlmsg_len);
		len += MNL_ALIGN(nlh->nlmsg_len);
	}
	va_end(ap);
	set_ts(&h, ts);
	h.len = (uint32_t)len;
	h.caplen = caplen_cut && caplen_cut < len ? caplen_cut : (uint32_t)len;
	pcap_dump((u_char *)wdump, &h, rec);
}

static void wraw(const void *data, uint32_t caplen, uint32_t len, uint64_t ts)
{
	struct pcap_pkthdr h;

	set_ts(&h, ts);
	h.caplen = caplen;
	h.len = len;
	pcap_dump((u_char *)wdump, &h, data);
}

static bool one_line(const char *s)
{
	return *s && !strchr(s, '\n');
}

static void test_round_trip(void)
{
	struct capture_opts o = { .path = path, .linktype = CAPTURE_NETLINK, .family_id = 28 };
	struct nlmsghdr *m[4];
	struct capture *c;
	int i, rc = 0, good = 0;

	snprintf(path, sizeof(path), "%s/trip.pcap", dir);
	msgoff = 0;
	c = capture_open(&o, &e);
	for (i = 0; i < 4; i++) {
		m[i] = hw_alert(28, TS + (uint64_t)i * 7);
		rc |= capture_write(c, m[i], NULL, 0, 0, TS + (uint64_t)i * 7);
	}
	rc |= capture_close(c);
	tap_ok(rc == 0 && replay(path) == 0, "round trip: write and replay %s", e.text);
	for (i = 0; i < 4; i++)
		good += got(i, m[i], TS + (uint64_t)i * 7);
	tap_ok(good == 4 && seen.msgs == 4 && !seen.misaligned,
	       "round trip: 4 messages back byte-identical, ns stamps, aligned");
	tap_ok(st.records == 5 && st.netdm_msgs == 4 && st.skipped == 1 && !st.malformed &&
	       !st.frames, "round trip: stats 5 records, 4 NET_DM, 1 skipped (preamble)");

	snprintf(path, sizeof(path), "%s/trip-ether.pcap", dir);
	o.linktype = CAPTURE_ETHER;
	c = capture_open(&o, &e);
	rc = capture_write(c, NULL, frame, sizeof(frame), 300, TS) |
	     capture_write(c, NULL, frame, 100, 100, TS + 1) | capture_close(c);
	tap_ok(rc == 0 && replay(path) == 0 && seen.frames == 2 && st.frames == 2 &&
	       !seen.msgs && seen.ts[0] == TS && seen.len[0] == 300 && seen.ts[1] == TS + 1 &&
	       memcmp(seen.data[0], frame, sizeof(frame)) == 0,
	       "round trip ether: 2 frames with len, bytes and stamps");
}

static void test_nlmon(void)
{
	struct nlmsghdr *rt, *getreq, *reply, *other, *ack, *alert, *cfg, *foreign;
	struct nlmsgerr *err;

	msgoff = 0;
	rt = rtm_newlink();
	getreq = newfamily(CTRL_CMD_GETFAMILY, "NET_DM", -1);	/* request: no id */
	reply = newfamily(CTRL_CMD_NEWFAMILY, "NET_DM", 29);
	other = newfamily(CTRL_CMD_NEWFAMILY, "nl80211", 30);
	ack = mnl_nlmsg_put_header((char *)msgbuf + msgoff);
	ack->nlmsg_type = NLMSG_ERROR;
	err = mnl_nlmsg_put_extra_header(ack, sizeof(*err));
	err->msg = *getreq;
	done(ack);
	foreign = done(genl_msg(30, NET_DM_CMD_PACKET_ALERT));	/* nl80211's cmd 6 */
	alert = hw_alert(29, TS);
	cfg = genl_msg(29, NET_DM_CMD_CONFIG);
	mnl_attr_put_u8(cfg, NET_DM_ATTR_ALERT_MODE, NET_DM_ALERT_MODE_PACKET);
	done(cfg);

	wopen("nlmon.pcap", DLT_NETLINK, 262144, true);
	wrec(TS, NETLINK_ROUTE, false, 0, 1, rt);
	wrec(TS + 1, NETLINK_GENERIC, false, 0, 1, getreq);
	wrec(TS + 2, NETLINK_GENERIC, false, 0, 2, reply, other);
	wrec(TS + 3, NETLINK_GENERIC, false, 0, 1, ack);
	wrec(TS + 4, NETLINK_GENERIC, false, 0, 1, foreign);
	wrec(TS + 5, NETLINK_GENERIC, false, 0, 1, alert);
	wrec(TS + 6, NETLINK_GENERIC, false, 0, 1, cfg);
	wrec(TS + 7, NETLINK_ROUTE, false, 0, 1, rt);
	wclose();
	tap_ok(replay(path) == 0 && seen.msgs == 2 && got(0, alert, TS + 5) && got(1, cfg, TS + 6),
	       "nlmon: only NET_DM (id 29 from nlctrl) passes: the alert and a CONFIG request");
	tap_ok(st.records == 8 && st.netdm_msgs == 2 && st.skipped == 7 && !st.malformed,
	       "nlmon: rtnetlink, nlctrl, acks, other families skipped (%llu)",
	       (unsigned long long)st.skipped);
}

static void test_guess(void)
{
	struct nlmsghdr *bad, *a28, *stats, *a31, *ctl, *b31;

	msgoff = 0;
	bad = genl_msg(27, NET_DM_CMD_PACKET_ALERT);
	mnl_attr_put(bad, NET_DM_ATTR_HW_TRAP_NAME, 4, "abcd");	/* no NUL: not an alert */
	done(bad);
	a28 = hw_alert(28, TS);
	stats = done(genl_msg(28, NET_DM_CMD_STATS_NEW));
	a31 = hw_alert(31, TS);
	ctl = newfamily(CTRL_CMD_NEWFAMILY, "NET_DM", 31);
	b31 = hw_alert(31, TS + 9);

	wopen("guess.pcap", DLT_NETLINK, 262144, true);
	wrec(TS, NETLINK_GENERIC, false, 0, 1, bad);
	wrec(TS, NETLINK_GENERIC, false, 0, 1, a28);
	wrec(TS, NETLINK_GENERIC, false, 0, 1, stats);
	wrec(TS, NETLINK_GENERIC, false, 0, 1, a31);
	wrec(TS, NETLINK_GENERIC, false, 0, 1, ctl);
	wrec(TS, NETLINK_GENERIC, false, 0, 1, a28);
	wrec(TS + 9, NETLINK_GENERIC, false, 0, 1, b31);
	wclose();
	tap_ok(replay(path) == 0 && seen.msgs == 3 && got(0, a28, TS) && got(1, stats, TS) &&
	       got(2, b31, TS + 9) && st.skipped == 4,
	       "no nlctrl: the first alert-like message fixes the id (28), nlctrl later moves it (31)");
}

static void test_multi(void)
{
	struct nlmsghdr *a, *b, *c;

	msgoff = 0;
	a = genl_msg(28, NET_DM_CMD_PACKET_ALERT);
	mnl_attr_put_strz(a, NET_DM_ATTR_HW_TRAP_NAME, "ttl");
	done(a);
	b = genl_msg(28, NET_DM_CMD_PACKET_ALERT);
	mnl_attr_put_strz(b, NET_DM_ATTR_HW_TRAP_NAME, "abcd");
	b->nlmsg_len -= 3;	/* last attribute unpadded: the next one is at NLMSG_ALIGN */
	done(b);
	c = hw_alert(28, TS);

	wopen("multi.pcap", DLT_NETLINK, 262144, true);
	wrec(TS, NETLINK_GENERIC, false, 0, 3, a, b, c);
	wclose();
	tap_ok(replay(path) == 0 && seen.msgs == 3 && got(0, a, TS) && got(1, b, TS) &&
	       got(2, c, TS) && !seen.misaligned && st.records == 1 && !st.malformed,
	       "three messages in one record, one of odd length: all arrive, aligned, in order");
}

static void test_malformed(void)
{
	static const uint8_t shorty[10] = { 0, 4, 3, 0x38 };
	uint8_t rec[16 + 20] = { 0, 4, 3, 0x38 };
	struct nlmsghdr *g, *big;

	msgoff = 0;
	g = hw_alert(28, TS);
	big = done(genl_msg(28, NET_DM_CMD_PACKET_ALERT));
	big->nlmsg_len = 4096;

	wopen("malformed.pcap", DLT_NETLINK, 262144, true);
	wrec(TS, NETLINK_GENERIC, false, 0, 1, g);
	wraw(shorty, sizeof(shorty), sizeof(shorty), TS);	/* short cooked header */
	wrec(TS, NETLINK_GENERIC, false, 0, 1, g);
	wrec(TS, NETLINK_GENERIC, false, 0, 0);		/* cooked header, no message */
	wrec(TS, NETLINK_GENERIC, false, 0, 1, g);
	/* good, then nlmsg_len 4096 past the end of a record cut 40 bytes in */
	wrec(TS, NETLINK_GENERIC, false, 16 + MNL_ALIGN(g->nlmsg_len) + 40, 2, g, big);
	wrec(TS, NETLINK_GENERIC, true, 0, 1, g);	/* protocol little-endian: not 16 */
	wrec(TS, NETLINK_GENERIC, false, 0, 1, g);
	wclose();
	tap_ok(replay(path) == 0 && seen.msgs == 5 && seen.malformed == 3 && st.malformed == 3 &&
	       st.skipped == 1 && st.records == 8 && st.netdm_msgs == 5,
	       "malformed: short header, empty record, nlmsg_len past the end counted; "
	       "the 5 good messages around them arrive");

	wopen("zero.pcap", DLT_NETLINK, 262144, true);
	wrec(TS, NETLINK_GENERIC, false, 0, 1, g);
	rec[15] = NETLINK_GENERIC;	/* nlmsg_len 0 at offset 16 */
	wraw(rec, sizeof(rec), sizeof(rec), TS);
	rec[16] = 15;			/* nlmsg_len 15 < header */
	wraw(rec, sizeof(rec), sizeof(rec), TS);
	wrec(TS, NETLINK_GENERIC, false, 0, 1, g);
	wclose();
	tap_ok(replay(path) == 0 && seen.msgs == 2 && seen.malformed == 2 && st.malformed == 2,
	       "malformed: nlmsg_len 0 and 15 counted, the good records around them arrive");
}

static void test_ether_pcap(void)
{
	wopen("ether.pcap", DLT_EN10MB, 65535, false);
	wraw(frame, sizeof(frame), sizeof(frame), 1700000000123456000ull);
	wraw(frame, 64, 1500, 1700000001000001000ull);
	wclose();
	tap_ok(replay(path) == 0 && seen.frames == 2 && st.frames == 2 && st.records == 2 &&
	       seen.ts[0] == 1700000000123456000ull && seen.len[1] == 1500 &&
	       seen.ts[1] == 1700000001000001000ull &&
	       memcmp(seen.data[0], frame, sizeof(frame)) == 0,
	       "Ethernet pcap (microsecond): ether_frame per record, stamps scaled to ns");
}

static void test_refusals(void)
{
	FILE *f;

	wopen("raw.pcap", DLT_RAW, 65535, false);
	wraw(frame + 14, 128, 128, TS);
	wclose();
	tap_ok(replay(path) == -1 && one_line(e.text) && strstr(e.text, "link type RAW") &&
	       strstr(e.text, "trapmon reads netlink (NET_DM) and Ethernet captures"),
	       "DLT_RAW refused: %s", e.text);

	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	f = fopen(path, "w");
	fputs("these are not the packets you are looking for\n", f);
	fclose(f);
	tap_ok(replay(path) == -1 && one_line(e.text) && strstr(e.text, "give a pcap or pcapng"),
	       "text file refused: %s", e.text);

	snprintf(path, sizeof(path), "%s/missing.pcap", dir);
	tap_ok(replay(path) == -1 && one_line(e.text) && e.errnum == ENOENT &&
	       strstr(e.text, "check the path"), "missing file: %s", e.text);
}

static void test_truncated_and_stdin(void)
{
	struct capture_opts o = { .path = path, .linktype = CAPTURE_NETLINK, .family_id = 28 };
	struct capture *c;
	struct nlmsghdr *a;
	long size;
	int fd, saved, rc;

	snprintf(path, sizeof(path), "%s/cut.pcap", dir);
	msgoff = 0;
	a = hw_alert(28, TS);
	c = capture_open(&o, &e);
	capture_write(c, a, NULL, 0, 0, TS);
	capture_write(c, a, NULL, 0, 0, TS);
	capture_write(c, a, NULL, 0, 0, TS);
	capture_close(c);
	fd = open(path, O_RDWR);
	size = lseek(fd, 0, SEEK_END);
	rc = ftruncate(fd, size - 40);
	close(fd);
	tap_ok(rc == 0 && replay(path) == -1 && seen.msgs == 2 && one_line(e.text) &&
	       strstr(e.text, "after 3 records"),
	       "cut mid-record: 2 alerts delivered, then: %s", e.text);

	/* capture to "-" with stdout on a file, replay "-" with stdin on it */
	snprintf(path, sizeof(path), "%s/stdin.pcap", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	o.path = "-";
	errmsg_clear(&e);
	c = capture_open(&o, &e);
	rc = c ? capture_write(c, a, NULL, 0, 0, TS) | capture_close(c) : -1;
	dup2(saved, STDOUT_FILENO);
	close(saved);
	saved = dup(STDIN_FILENO);
	lseek(fd, 0, SEEK_SET);
	dup2(fd, STDIN_FILENO);
	rc |= replay("-");
	dup2(saved, STDIN_FILENO);
	close(saved);
	close(fd);
	tap_ok(rc == 0 && seen.msgs == 1 && got(0, a, TS),
	       "\"-\": capture to standard output, replay from standard input %s", e.text);
}

/* dwdump: pcap_open_dead(DLT_NETLINK, snaplen) (microseconds), struct
 * linux_sll with htons(PACKET_OUTGOING), htons(ARPHRD_NETLINK),
 * htons(AF_NETLINK) (== NETLINK_GENERIC, 16), then the recv() buffer as is:
 * first its CTRL_CMD_GETFAMILY dump reply (NEWFAMILY messages, NLM_F_MULTI),
 * then one alert per record, stamped at receive time, caplen == len, cut
 * to the snaplen when the message is longer.
 */
static void test_dwdump(void)
{
	struct nlmsghdr *fam[4], *a, *b, *dl;
	static const char *const names[] = { "nlctrl", "VFS_DQUOT", "NET_DM", "devlink" };
	static const uint16_t ids[] = { 0x10, 0x11, 0x14, 0x15 };
	int i, good;

	msgoff = 0;
	for (i = 0; i < 4; i++) {
		fam[i] = newfamily(CTRL_CMD_NEWFAMILY, names[i], ids[i]);
		fam[i]->nlmsg_flags = NLM_F_MULTI;
		fam[i]->nlmsg_seq = 1700000000;
		fam[i]->nlmsg_pid = 4242;
	}
	a = hw_alert(0x14, TS);
	b = hw_alert(0x14, TS + 5);
	dl = done(genl_msg(0x15, 6));	/* a devlink notification */

	wopen("dwdump.pcap", DLT_NETLINK, 2048, false);
	wrec(1700000100000001000ull, AF_NETLINK, false, 0, 4, fam[0], fam[1], fam[2], fam[3]);
	wrec(1700000100000002000ull, AF_NETLINK, false, 0, 1, a);
	wrec(1700000100000003000ull, AF_NETLINK, false, 0, 1, dl);
	wrec(1700000100000004000ull, AF_NETLINK, false, 0, 1, b);
	wrec(1700000100000005000ull, AF_NETLINK, false, 100, 1, b);	/* cut by snaplen */
	wclose();
	good = replay(path) == 0;
	tap_ok(good && seen.msgs == 2 && got(0, a, 1700000100000002000ull) &&
	       got(1, b, 1700000100000004000ull),
	       "dwdump-like: NET_DM id 0x14 from the GETFAMILY dump, alerts at receive time (us)");
	tap_ok(good && st.records == 5 && st.skipped == 5 && st.malformed == 1 &&
	       seen.malformed == 1, "dwdump-like: 4 nlctrl + devlink skipped, the cut record malformed");
}

static void rm_dir(const char *d)
{
	static const char *const files[] = {
		"trip.pcap", "trip-ether.pcap", "nlmon.pcap", "guess.pcap", "multi.pcap",
		"malformed.pcap", "zero.pcap", "ether.pcap", "raw.pcap", "notes.txt", "cut.pcap",
		"stdin.pcap", "dwdump.pcap",
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", d, files[i]);
		unlink(path);
	}
	rmdir(d);
}

int main(void)
{
	size_t i;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7 + 1);
	test_round_trip();
	test_nlmon();
	test_guess();
	test_multi();
	test_malformed();
	test_ether_pcap();
	test_refusals();
	test_truncated_and_stdin();
	test_dwdump();
	rm_dir(dir);
	return tap_done();
}
