/* journal: the original kernel state trapmon is about to change, written to
 * /run/trapmon/journal.PID before any change, so that a trapmon killed with
 * SIGKILL can be undone later with `trapmon --restore`.
 */
#ifndef TRAPMON_JOURNAL_H
#define TRAPMON_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "devlink.h"

struct errmsg;

enum journal_kind {
	JOURNAL_TRAP,		/* a trap's original action */
	JOURNAL_POLICER,	/* a policer's original rate and burst */
	JOURNAL_NETDM,		/* drop monitoring this trapmon started, and the config it found */
};

struct journal_entry {
	enum journal_kind kind;
	char bus[DL_NAME_MAX];
	char dev[DL_NAME_MAX];
	char name[DL_NAME_MAX];	/* trap name */
	uint8_t action;		/* original action */
	uint32_t policer_id;
	uint64_t rate, burst;	/* original policer settings */
	bool hw, sw;		/* origins started */
	uint8_t alert_mode;	/* config found before starting */
	uint32_t trunc_len, queue_len;
};

struct journal {
	char path[256];
	pid_t pid;
	int fd;			/* held open for -Z, else -1 */
	struct journal_entry *v;
	size_t n, cap;
};

/* The directory: $TRAPMON_RUN_DIR, else /run/trapmon. */
const char *journal_dir(void);

/* An empty journal for this process (nothing is written yet). */
void journal_init(struct journal *j);
void journal_fini(struct journal *j);

/* Append an entry in memory; journal_write() makes it durable. */
int journal_add(struct journal *j, const struct journal_entry *entry);

/* Remove entries for which drop() says true (e.g. a vanished device). */
size_t journal_drop(struct journal *j, bool (*drop)(const struct journal_entry *, void *),
		    void *arg);

/* Write atomically: a temporary file, fsync, rename. An empty journal is
 * removed instead. Creates the directory with mode 0700.
 */
int journal_write(struct journal *j, struct errmsg *e);
int journal_remove(struct journal *j);

/* Before dropping privileges (-Z): create the file and keep it open, so
 * later writes rewrite it in place and removal empties it.
 */
int journal_hold(struct journal *j, struct errmsg *e);

/* Parse a journal's text. Returns 0 or -1 (EINVAL) on a bad line. */
int journal_parse(const char *text, struct journal *j);
int journal_load(const char *path, struct journal *j, struct errmsg *e);

/* Journals left by trapmon processes that no longer run. Fills up to max
 * paths; returns how many exist.
 */
size_t journal_find_stale(char (*paths)[256], size_t max);

/* The entry kinds present, as a short human phrase ("trap actions",
 * "drop monitoring", ...) for warnings.
 */
const char *journal_summary(const struct journal *j, char *buf, size_t len);

#endif
