/* netdm: the kernel's drop monitor (generic netlink family NET_DM).
 * Requests (CONFIG, START, STOP, STATS) go through libnl-genl-3; the alert
 * stream is parsed with libmnl, zero-copy, into struct drop_alert.
 */
#ifndef TRAPMON_NETDM_H
#define TRAPMON_NETDM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/net_dropmon.h>

struct nlmsghdr;
struct errmsg;

/* One packet alert. Pointers point into the message buffer; strings are
 * NUL-terminated (validated) or NULL when absent.
 */
struct drop_alert {
	uint16_t origin;	/* NET_DM_ORIGIN_SW or NET_DM_ORIGIN_HW */
	uint16_t proto;		/* ethertype of the payload, host order */
	uint32_t in_ifindex;	/* 0 if absent */
	uint32_t orig_len;	/* length of the packet before truncation */
	uint32_t payload_len;
	uint64_t timestamp_ns;	/* kernel drop time, realtime; 0 if absent */
	uint64_t pc;		/* software drops: program counter */
	const char *trap_name;	/* hardware: devlink trap */
	const char *trap_group;
	const char *in_port_name;
	const char *symbol;	/* software: "func+off/len" */
	const char *reason;	/* software: drop reason, e.g. NO_SOCKET */
	const uint8_t *payload;	/* starts at the MAC header */
	const uint8_t *cookie;
	uint32_t cookie_len;
	/* The attributes' lengths less the NUL: trap_name[trap_name_len] and
	 * reason[reason_len] are NULs (the strings may end sooner). 0 when
	 * absent, or when whoever filled this in did not say.
	 */
	uint16_t trap_name_len;
	uint16_t reason_len;
	/* The memo entry that answered (netdm_parse_alert_memo()), numbered
	 * as entries are learnt, never reused; 0: parsed in full. Alerts with
	 * one number have the same origin, names, group and drop point.
	 */
	uint64_t memo_id;
};

/* Parse a NET_DM_CMD_PACKET_ALERT message (nlmsghdr + genlmsghdr + attrs).
 * Returns 0, or -1 with errno EINVAL when the message is malformed:
 * truncated, bad attribute lengths, strings without NUL, a payload longer
 * than ORIG_LEN. Unknown attributes are ignored.
 */
int netdm_parse_alert(const struct nlmsghdr *nlh, struct drop_alert *alert);

/* What netdm_parse_alert_memo() keeps of an alert it parsed in full: the
 * bytes before its payload, but for the time's and the length's values,
 * and the fields they gave. Where those bytes end is the memo's end[].
 */
#define NETDM_MEMO_PREFIX 512
#define NETDM_MEMO_ENTRIES 8
#define NETDM_MEMO_BACKOFF 64
struct netdm_memo_entry {
	uint16_t ts_at, orig_len_at;	/* where their values are; 0: absent */
	uint16_t trap_name_at, trap_group_at, in_port_name_at, symbol_at, reason_at, cookie_at;
	struct drop_alert a;
	uint8_t prefix[NETDM_MEMO_PREFIX];	/* from the attributes' start */
};

/* The last few such alerts: a switch's drops interleave a few traps and
 * ports, each a run of like alerts. Zeroed: nothing kept.
 */
struct netdm_memo {
	uint8_t last;		/* the entry that hit or learnt last, tried first */
	uint8_t next;		/* the entry the next alert learnt replaces */
	bool run;		/* the alert before hit last on the first try */
	uint16_t misses;	/* alerts that matched no entry since the last hit */
	uint16_t backoff, wait;	/* alerts parsed without the memo, after misses */
	uint64_t learnt;	/* entries learnt so far: the last one's memo_id */
	/* Where each entry's payload attribute starts (0: the entry is
	 * empty), side by side: a search reads them before an entry.
	 */
	uint16_t end[NETDM_MEMO_ENTRIES];
	/* Per entry, a 4-byte word of its prefix where an alert differed
	 * from it last (from the attributes' start): tried before a compare.
	 */
	uint16_t tell[NETDM_MEMO_ENTRIES];
	uint8_t after[NETDM_MEMO_ENTRIES];	/* per entry, the one that hit next */
	struct netdm_memo_entry e[NETDM_MEMO_ENTRIES];
};

/* netdm_parse_alert(), with the same results, for a stream of alerts:
 * one whose attributes before a final payload match an entry's is not
 * parsed again.
 */
int netdm_parse_alert_memo(const struct nlmsghdr *nlh, struct drop_alert *alert,
			   struct netdm_memo *memo);

/* One entry of a summary alert (NET_DM_CMD_ALERT). */
struct drop_summary_entry {
	uint16_t origin;
	const char *trap_name;	/* hardware */
	uint64_t pc;		/* software */
	uint32_t count;
};

#define NETDM_SUMMARY_MAX 256

/* Parse a summary alert: software drop points (the legacy struct in an
 * attribute of type 0) and hardware HW_ENTRIES. Fills up to
 * NETDM_SUMMARY_MAX entries; returns how many, or -1 (EINVAL) if malformed,
 * in which case nothing is filled.
 */
int netdm_parse_summary(const struct nlmsghdr *nlh, struct drop_summary_entry *out);

struct netdm_config {
	uint8_t alert_mode;	/* NET_DM_ALERT_MODE_SUMMARY or _PACKET */
	uint32_t trunc_len;	/* 0: whole packets */
	uint32_t queue_len;
};

struct netdm_stats {
	uint64_t sw_dropped;	/* alerts lost in the kernel's per-CPU queues */
	uint64_t hw_dropped;
};

/* Parse a STATS_NEW reply. Returns 0 or -1 (EINVAL). */
int netdm_parse_stats(const struct nlmsghdr *nlh, struct netdm_stats *st);

struct nl_sock;
struct mnl_socket;

struct netdm {
	struct nl_sock *req;
	struct mnl_socket *ev;
	int family;
	int events_group;
	bool started_hw;	/* what this process started and so must stop */
	bool started_sw;
	bool config_changed;
	bool passive;
	struct netdm_config saved;
};

/* Resolve NET_DM and open the request socket. Errors name the fix
 * (modprobe drop_monitor, initial network namespace).
 */
int netdm_init(struct netdm *dm, struct errmsg *e);
void netdm_fini(struct netdm *dm);

/* Open the event socket, join "events", size the receive buffer. */
int netdm_subscribe(struct netdm *dm, int rcvbuf, struct errmsg *e);
int netdm_event_fd(const struct netdm *dm);

/* drop_monitor is loaded again after netdm_fini: resolve the family and
 * group anew (their ids change) and join the events group again, still
 * passive if it was. Returns 0 or -1 (nothing left open).
 */
int netdm_reattach(struct netdm *dm, int rcvbuf, struct errmsg *e);

int netdm_config_get(struct netdm *dm, struct netdm_config *cfg, struct errmsg *e);

struct netdm_start_opts {
	bool hw, sw;
	uint8_t alert_mode;
	uint32_t trunc_len;
	uint32_t queue_len;	/* 0: keep the kernel's */
	bool passive;		/* never configure or start */
	bool force;		/* stop a session that is already on, then start */
};

/* Save the config, configure, start. When monitoring is already on
 * (EBUSY/EAGAIN) fall back to passive listening: dm->passive is set and a
 * warning is left in warn (if not NULL). Returns 0 or -1.
 */
int netdm_start(struct netdm *dm, const struct netdm_start_opts *o,
		char *warn, size_t warnlen, struct errmsg *e);

/* Stop what this process started and restore the saved config. */
int netdm_stop(struct netdm *dm, struct errmsg *e);

/* Stop monitoring whoever started it (--force), both origins. */
int netdm_stop_all(struct netdm *dm, struct errmsg *e);

int netdm_stats_get(struct netdm *dm, struct netdm_stats *st, struct errmsg *e);

#endif
