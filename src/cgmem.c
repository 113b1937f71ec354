/* cgmem: reads the memory limit of trapmon's own cgroup (v2) at start.
 * The cgroup comes from /proc/self/cgroup's "0::" line, the cgroup2 mount
 * from /proc/self/mountinfo; memory.max and memory.high are read at the
 * cgroup and at each ancestor the mount shows, the lower of the two is
 * each level's limit, and the level that leaves the least room binds.
 * Parsing is cgmem_parse.c's; this file only opens and reads.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgmem.h"

/* A cgroup's directory: the mount point and the cgroup's path. */
#define DIR_MAX (2 * CGMEM_PATH_MAX)

struct mount_match {
	char mnt[CGMEM_PATH_MAX];
	char root[CGMEM_PATH_MAX];
};

struct stat_match {
	const char *key;
	uint64_t value;
};

static int match_cgroup(const char *line, void *arg)
{
	return cgmem_parse_cgroup_line(line, arg, CGMEM_PATH_MAX);
}

static int match_mount(const char *line, void *arg)
{
	struct mount_match *m = arg;

	return cgmem_parse_mount_line(line, m->mnt, sizeof(m->mnt), m->root, sizeof(m->root));
}

static int match_stat(const char *line, void *arg)
{
	struct stat_match *s = arg;

	return cgmem_parse_stat_line(line, s->key, &s->value);
}

/* 0 at the first line of PATH that MATCH takes; -1 at none, or no file. */
static int first_line(const char *path, int (*match)(const char *line, void *arg), void *arg)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	int ret = -1;

	if (!f)
		return -1;
	while (ret < 0 && getline(&line, &cap, f) > 0)
		ret = match(line, arg);
	free(line);
	fclose(f);
	return ret;
}

/* DIR/NAME holding one byte count or "max". */
static int read_bytes(const char *dir, const char *name, uint64_t *v)
{
	char path[DIR_MAX + 32], text[64];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return cgmem_parse_bytes(text, v);
}

/* What the cgroup holds that reclaim would not give back: memory.current
 * less the inactive page cache (the working set, as kubelet and docker
 * stats count it); a container's old page cache is no reason to shrink.
 */
static uint64_t used_bytes(const char *dir)
{
	char path[DIR_MAX + 32];
	struct stat_match inactive = { .key = "inactive_file" };
	uint64_t current;

	if (read_bytes(dir, "memory.current", &current) < 0)
		return 0;
	snprintf(path, sizeof(path), "%s/memory.stat", dir);
	if (first_line(path, match_stat, &inactive) < 0 || inactive.value > current)
		return current;
	return current - inactive.value;
}

int cgmem_find(struct cgmem *cg, const char *proc_self)
{
	char self[CGMEM_PATH_MAX], dir[DIR_MAX];
	struct mount_match m;
	uint64_t limit, high, used, room, best = UINT64_MAX;
	int found = 0;

	snprintf(dir, sizeof(dir), "%s/cgroup", proc_self);
	if (first_line(dir, match_cgroup, self) < 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s/mountinfo", proc_self);
	if (first_line(dir, match_mount, &m) < 0)
		return 0;
	/* Up to the mount's root: the cgroup namespace's root in a container,
	 * where memory.max is the container's; the host's root has none.
	 */
	do {
		const char *file = "memory.max";

		if (cgmem_dir(dir, sizeof(dir), m.mnt, m.root, self) < 0)
			continue;
		if (read_bytes(dir, "memory.max", &limit) < 0)
			limit = UINT64_MAX;
		if (read_bytes(dir, "memory.high", &high) == 0 && high < limit) {
			limit = high;
			file = "memory.high";
		}
		if (limit == UINT64_MAX)
			continue;
		used = used_bytes(dir);
		room = used < limit ? limit - used : 0;
		if (room >= best)
			continue;
		best = room;
		cg->limit = limit;
		cg->file = file;
		cg->used = used;
		snprintf(cg->path, sizeof(cg->path), "%s", self);
		found = 1;
	} while (cgmem_parent(self));
	return found;
}
