/* cgmem: the memory limit of trapmon's own cgroup (v2), and the flow
 * table's bound under it. Under a cgroup's memory.max an allocation does
 * not fail: the kernel's OOM killer ends the process; above memory.high
 * the kernel throttles it, and a monitor that stalls loses alerts. So
 * trapmon reads the limits at start and keeps its flow table inside them.
 *
 * cgmem.c reads the files (the session's side); cgmem_parse.c (pure)
 * parses their text and computes the bound.
 */
#ifndef TRAPMON_CGMEM_H
#define TRAPMON_CGMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CGMEM_PATH_MAX 512

/* The cgroup whose limit leaves trapmon the least room: the lower of its
 * memory.max (past it, the OOM killer) and memory.high (past it, the
 * kernel throttles the cgroup and reclaims its memory).
 */
struct cgmem {
	char path[CGMEM_PATH_MAX];	/* as /proc/self/cgroup names it */
	uint64_t limit;			/* that limit, bytes */
	const char *file;		/* "memory.max" or "memory.high": which one */
	uint64_t used;			/* memory.current less inactive_file */
};

/* 1: a limit was found (cg filled), 0: none (no cgroup v2 mounted, no
 * memory controller, "max" in both files up to the root, files
 * unreadable). Never an error: without a limit to read there is nothing
 * to stay inside.
 * PROC_SELF is "/proc/self" but in the unit test's made-up tree.
 */
int cgmem_find(struct cgmem *cg, const char *proc_self);

/* Pure parsers (cgmem_parse.c); each takes one line or one file's text. */

/* A /proc/self/cgroup line: 0 and the path for cgroup v2's "0::PATH";
 * -1 for cgroup v1 lines ("4:memory:/x"), garbage, or a path too long.
 */
int cgmem_parse_cgroup_line(const char *line, char *path, size_t size);

/* A /proc/self/mountinfo line: 0, the mount point and the cgroup path the
 * mount shows (its root field), octal escapes undone, when the file system
 * is cgroup2; -1 otherwise.
 */
int cgmem_parse_mount_line(const char *line, char *mnt, size_t mnt_size, char *root,
			   size_t root_size);

/* memory.max, memory.high, memory.current: a byte count, or "max"
 * (UINT64_MAX).
 */
int cgmem_parse_bytes(const char *text, uint64_t *v);

/* A memory.stat line "KEY VALUE": 0 and VALUE when KEY matches. */
int cgmem_parse_stat_line(const char *line, const char *key, uint64_t *v);

/* The directory of cgroup PATH under a cgroup2 mount at MNT showing ROOT:
 * -1 when PATH lies outside ROOT (another cgroup namespace) or too long.
 */
int cgmem_dir(char *out, size_t size, const char *mnt, const char *root, const char *path);

/* PATH's parent in place ("/a/b" -> "/a" -> "/"); false at "/". */
bool cgmem_parent(char *path);

/* Flows that fit: half of the room left under a limit MAX (MAX - USED) at
 * FLOW_BYTES each; the other half is the margin (growth's transients,
 * scrapes, the capture, the cgroup's other tasks). At least 1.
 */
uint32_t cgmem_flow_bound(uint64_t max, uint64_t used, size_t flow_bytes);

#endif
