/* Tests for cgmem: the cgroup v2 files' parsers, line by line from tables
 * (lines as the kernel writes them, from proc(5), cgroups(7) and the
 * kernel's cgroup-v2.rst, and as seen on hosts: v1 and hybrid lines,
 * escapes, garbage), the bound's arithmetic worked by hand, and
 * cgmem_find() over made-up /proc/self and cgroup trees (a limit at the
 * leaf, at an ancestor, "max" everywhere, missing and garbage files).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgmem.h"
#include "tap.h"

static void cgroup_lines(void)
{
	static const struct {
		const char *line;
		int ret;
		const char *path;
	} cases[] = {
		{ "0::/system.slice/trapmon.service\n", 0, "/system.slice/trapmon.service" },
		{ "0::/\n", 0, "/" },
		{ "0::/docker/0123abcd", 0, "/docker/0123abcd" },
		{ "0::/a b/c\n", 0, "/a b/c" },
		{ "4:memory:/process_api/bf91\n", -1, NULL },	/* v1 (hybrid host) */
		{ "1:name=systemd:/user.slice\n", -1, NULL },
		{ "12:cpu,cpuacct:/\n", -1, NULL },
		{ "0:memory:/x\n", -1, NULL },
		{ "0::\n", -1, NULL },				/* no path */
		{ "0::relative\n", -1, NULL },
		{ "", -1, NULL },
		{ "garbage\n", -1, NULL },
	};
	char path[CGMEM_PATH_MAX], small[8];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = cgmem_parse_cgroup_line(cases[i].line, path, sizeof(path));

		tap_ok(ret == cases[i].ret && (ret < 0 || !strcmp(path, cases[i].path)),
		       "/proc/self/cgroup line %zu: %d%s%s", i, ret, ret ? "" : " ", ret ? "" : path);
	}
	tap_ok(cgmem_parse_cgroup_line("0::/a/long/path\n", small, sizeof(small)) < 0,
	       "a path longer than the buffer is refused, not cut");
}

static void mount_lines(void)
{
	static const struct {
		const char *line;
		int ret;
		const char *mnt, *root;
	} cases[] = {
		/* systemd's unified mount */
		{ "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 "
		  "cgroup2 rw,nsdelegate,memory_recursiveprot\n", 0, "/sys/fs/cgroup", "/" },
		/* a hybrid host's, no optional fields */
		{ "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n", 0,
		  "/sys/fs/cgroup/unified", "/" },
		/* a container's view of a subtree, two optional fields */
		{ "1320 1311 0:26 /docker/abc /sys/fs/cgroup ro,nosuid shared:9 master:4 - cgroup2 "
		  "cgroup rw\n", 0, "/sys/fs/cgroup", "/docker/abc" },
		/* escapes: a space and a backslash in the mount point */
		{ "50 23 0:40 / /mnt/c\\040g\\134x rw - cgroup2 none rw\n", 0, "/mnt/c g\\x", "/" },
		/* cgroup v1 and others */
		{ "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n", -1,
		  NULL, NULL },
		{ "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n",
		  -1, NULL, NULL },
		{ "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n", -1, NULL, NULL },
		/* a file system named like it, and garbage */
		{ "60 23 0:41 / /x rw - cgroup2fs none rw\n", -1, NULL, NULL },
		{ "29 23 0:26 / /sys/fs/cgroup rw shared:4 cgroup2 cgroup2 rw\n", -1, NULL, NULL },
		{ "29 23 0:26\n", -1, NULL, NULL },
		{ "", -1, NULL, NULL },
	};
	char mnt[CGMEM_PATH_MAX], root[CGMEM_PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = cgmem_parse_mount_line(cases[i].line, mnt, sizeof(mnt), root, sizeof(root));

		tap_ok(ret == cases[i].ret && (ret < 0 || (!strcmp(mnt, cases[i].mnt) &&
							   !strcmp(root, cases[i].root))),
		       "mountinfo line %zu: %d%s%s", i, ret, ret ? "" : " ", ret ? "" : mnt);
	}
}

static void values(void)
{
	static const struct {
		const char *text;
		int ret;
		uint64_t v;
	} cases[] = {
		{ "max\n", 0, UINT64_MAX },
		{ "max", 0, UINT64_MAX },
		{ "67108864\n", 0, 67108864 },
		{ "0\n", 0, 0 },
		{ "18446744073709551615\n", 0, UINT64_MAX },
		{ "18446744073709551616\n", -1, 0 },	/* overflows */
		{ "64M\n", -1, 0 },			/* what a user writes, not the kernel */
		{ "-1\n", -1, 0 },
		{ " 5\n", -1, 0 },
		{ "maximum\n", -1, 0 },
		{ "\n", -1, 0 },
		{ "", -1, 0 },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = cgmem_parse_bytes(cases[i].text, &v);

		tap_ok(ret == cases[i].ret && (ret < 0 || v == cases[i].v),
		       "memory.max text %zu: %d", i, ret);
	}
	tap_ok(cgmem_parse_stat_line("inactive_file 4096\n", "inactive_file", &v) == 0 && v == 4096,
	       "memory.stat: inactive_file 4096");
	tap_ok(cgmem_parse_stat_line("active_file 8192\n", "inactive_file", &v) < 0,
	       "memory.stat: active_file is another key");
	tap_ok(cgmem_parse_stat_line("inactive_file_x 1\n", "inactive_file", &v) < 0,
	       "memory.stat: a longer key does not match");
}

static void dirs(void)
{
	static const struct {
		const char *mnt, *root, *path;
		int ret;
		const char *dir;
	} cases[] = {
		{ "/sys/fs/cgroup", "/", "/system.slice/x.service", 0,
		  "/sys/fs/cgroup/system.slice/x.service" },
		{ "/sys/fs/cgroup", "/", "/", 0, "/sys/fs/cgroup/" },
		{ "/sys/fs/cgroup", "/docker/abc", "/docker/abc/sub", 0, "/sys/fs/cgroup/sub" },
		{ "/sys/fs/cgroup", "/docker/abc", "/docker/abc", 0, "/sys/fs/cgroup" },
		{ "/sys/fs/cgroup", "/docker/abc", "/docker/abcd", -1, NULL },
		{ "/sys/fs/cgroup", "/docker/abc", "/docker", -1, NULL },
	};
	char dir[CGMEM_PATH_MAX], p[32] = "/a/b/c";
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = cgmem_dir(dir, sizeof(dir), cases[i].mnt, cases[i].root, cases[i].path);

		tap_ok(ret == cases[i].ret && (ret < 0 || !strcmp(dir, cases[i].dir)),
		       "cgroup %s under a mount of %s: %d", cases[i].path, cases[i].root, ret);
	}
	tap_ok(cgmem_parent(p) && !strcmp(p, "/a/b") && cgmem_parent(p) && !strcmp(p, "/a") &&
	       cgmem_parent(p) && !strcmp(p, "/") && !cgmem_parent(p), "parents of /a/b/c up to /");
}

static void bounds(void)
{
	/* 64 MiB, 4 MiB in use, 256 B a flow: 30 MiB / 256 = 122,880. */
	tap_ok(cgmem_flow_bound(64u << 20, 4u << 20, 256) == 122880, "64 MiB, 4 in use: 122880");
	/* 16 MiB, 10 MiB in use, 300 B: 3 MiB / 300 = 10,485 (rounded down). */
	tap_ok(cgmem_flow_bound(16u << 20, 10u << 20, 300) == 10485, "16 MiB, 10 in use: 10485");
	tap_ok(cgmem_flow_bound(8u << 20, 9u << 20, 256) == 1, "more in use than the limit: 1");
	tap_ok(cgmem_flow_bound(1000, 999, 256) == 1, "less room than a flow: 1");
	tap_ok(cgmem_flow_bound(UINT64_MAX - 1, 0, 1) == UINT32_MAX, "a huge limit: UINT32_MAX");
}

/* A made-up /proc/self and cgroup2 tree under a temporary directory. */
static char top[] = "/tmp/test_cgmem.XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[1024], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void tree(const char *cgroup_file)
{
	char mountinfo[1024];

	put("proc/cgroup", cgroup_file);
	snprintf(mountinfo, sizeof(mountinfo),
		 "25 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		 "31 23 0:28 / %s/v1 rw - tmpfs tmpfs rw\n"
		 "29 23 0:26 / %s/cg rw,nosuid shared:4 - cgroup2 cgroup2 rw\n", top, top);
	put("proc/mountinfo", mountinfo);
}

static void find(void)
{
	char proc[64];
	struct cgmem cg;

	if (!mkdtemp(top)) {
		tap_ok(0, "mkdtemp");
		return;
	}
	snprintf(proc, sizeof(proc), "%s/proc", top);
	tap_ok(cgmem_find(&cg, proc) == 0, "no /proc files: no limit");
	tree("4:memory:/x\n1:name=systemd:/\n");
	tap_ok(cgmem_find(&cg, proc) == 0, "cgroup v1 lines only: no limit");
	tree("4:memory:/x\n0::/a/b\n");
	tap_ok(cgmem_find(&cg, proc) == 0, "no memory.max files (no memory controller): no limit");
	put("cg/a/b/memory.max", "max\n");
	put("cg/a/memory.max", "max\n");
	tap_ok(cgmem_find(&cg, proc) == 0, "max at every level: no limit");
	put("cg/a/memory.max", "67108864\n");
	put("cg/a/memory.current", "8388608\n");
	put("cg/a/memory.stat", "anon 1048576\nfile 7340032\nactive_file 3145728\n"
	    "inactive_file 4194304\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && cg.limit == 64u << 20 && cg.used == 4u << 20 &&
	       !strcmp(cg.path, "/a"), "the parent's 64 MiB binds, 8 - 4 (inactive file) in use: "
	       "%s %llu %llu", cg.path, (unsigned long long)cg.limit, (unsigned long long)cg.used);
	put("cg/a/b/memory.max", "50331648\n");
	put("cg/a/b/memory.current", "1048576\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && cg.limit == 48u << 20 && cg.used == 1u << 20 &&
	       !strcmp(cg.path, "/a/b"), "the leaf's 48 MiB leaves less room than the parent's 60");
	put("cg/a/b/memory.current", "50331648\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && !strcmp(cg.path, "/a/b") && cg.used == 48u << 20,
	       "a full leaf binds");
	put("cg/a/b/memory.max", "48M\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && !strcmp(cg.path, "/a"),
	       "garbage in the leaf's memory.max: the parent's still binds");
	/* memory.high: the lower of the two files is the level's limit. */
	put("cg/a/b/memory.max", "50331648\n");
	put("cg/a/b/memory.current", "1048576\n");
	put("cg/a/b/memory.high", "33554432\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && !strcmp(cg.path, "/a/b") && cg.limit == 32u << 20 &&
	       !strcmp(cg.file, "memory.high"), "the leaf's memory.high (32 MiB) under its "
	       "memory.max (48): memory.high binds");
	put("cg/a/b/memory.high", "max\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && cg.limit == 48u << 20 && !strcmp(cg.file, "memory.max"),
	       "memory.high max: memory.max binds");
	put("cg/a/b/memory.high", "58720256\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && cg.limit == 48u << 20 && !strcmp(cg.file, "memory.max"),
	       "memory.high (56 MiB) above memory.max (48): memory.max binds");
	put("cg/a/b/memory.max", "max\n");
	put("cg/a/b/memory.high", "16777216\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && !strcmp(cg.path, "/a/b") && cg.limit == 16u << 20 &&
	       !strcmp(cg.file, "memory.high"), "memory.high alone (16 MiB, memory.max max) binds");
	put("cg/a/b/memory.high", "16M\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && !strcmp(cg.path, "/a") && !strcmp(cg.file, "memory.max"),
	       "garbage in memory.high, max in memory.max: the parent's limit binds");
	put("cg/a/b/memory.high", "max\n");
	put("cg/a/b/memory.max", "48M\n");
	put("cg/memory.max", "1048576\n");
	tap_ok(cgmem_find(&cg, proc) == 1 && !strcmp(cg.path, "/") && cg.used == 0,
	       "the mount's root (a container's namespace root) is read too; no memory.current: 0");
	tree("0::/elsewhere\n");
	put("cg/memory.max", "max\n");
	tap_ok(cgmem_find(&cg, proc) == 0, "a cgroup without files: no limit");
	snprintf(proc, sizeof(proc), "rm -rf %s", top);
	if (system(proc) != 0)
		tap_diag("could not remove %s", top);
}

int main(void)
{
	cgroup_lines();
	mount_lines();
	values();
	dirs();
	bounds();
	find();
	return tap_done();
}
