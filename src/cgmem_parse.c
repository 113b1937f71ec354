/* cgmem_parse: pure parsing of the cgroup v2 files that say trapmon's
 * memory limit (/proc/self/cgroup, /proc/self/mountinfo, memory.max,
 * memory.high, memory.current, memory.stat), and the flow table's bound
 * under it.
 * No I/O: the unit test feeds it lines (tests/unit/test_cgmem.c).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgmem.h"

int cgmem_parse_cgroup_line(const char *line, char *path, size_t size)
{
	size_t n;

	/* cgroup v2's line is hierarchy 0 with no controllers: "0::/x". */
	if (strncmp(line, "0::", 3) || line[3] != '/')
		return -1;
	line += 3;
	n = strcspn(line, "\n");
	if (n >= size)
		return -1;
	memcpy(path, line, n);
	path[n] = '\0';
	return 0;
}

/* One space-separated mountinfo field into OUT, "\ooo" escapes undone
 * (the kernel writes space, tab, newline and backslash that way).
 */
static const char *mount_field(const char *p, char *out, size_t size)
{
	size_t n = 0;

	while (*p == ' ')
		p++;
	if (!*p || *p == '\n')
		return NULL;
	while (*p && *p != ' ' && *p != '\n') {
		char c = *p++;

		if (c == '\\' && p[0] >= '0' && p[0] <= '3' && p[1] >= '0' && p[1] <= '7' &&
		    p[2] >= '0' && p[2] <= '7') {
			c = (char)((p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0'));
			p += 3;
		}
		if (n + 1 >= size)
			return NULL;
		out[n++] = c;
	}
	out[n] = '\0';
	return p;
}

/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE ..." */
int cgmem_parse_mount_line(const char *line, char *mnt, size_t mnt_size, char *root,
			   size_t root_size)
{
	char skip[CGMEM_PATH_MAX];
	const char *p = line, *sep;
	int i;

	for (i = 0; i < 3 && p; i++)
		p = mount_field(p, skip, sizeof(skip));
	if (p)
		p = mount_field(p, root, root_size);
	if (p)
		p = mount_field(p, mnt, mnt_size);
	/* The optional fields end at a lone "-"; the file system type follows. */
	sep = p ? strstr(p, " - ") : NULL;
	if (!sep || !mount_field(sep + 3, skip, sizeof(skip)))
		return -1;
	return strcmp(skip, "cgroup2") ? -1 : 0;
}

int cgmem_parse_bytes(const char *text, uint64_t *v)
{
	char *end;
	unsigned long long n;

	if (!strcmp(text, "max") || !strcmp(text, "max\n")) {
		*v = UINT64_MAX;
		return 0;
	}
	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno || (*end && strcmp(end, "\n")))
		return -1;
	*v = n;
	return 0;
}

int cgmem_parse_stat_line(const char *line, const char *key, uint64_t *v)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) || line[n] != ' ')
		return -1;
	return cgmem_parse_bytes(line + n + 1, v);
}

int cgmem_dir(char *out, size_t size, const char *mnt, const char *root, const char *path)
{
	size_t r = strlen(root);
	int n;

	/* The mount shows ROOT's subtree: PATH must be ROOT or below it. */
	if (!strcmp(root, "/"))
		r = 0;
	else if (strncmp(path, root, r) || (path[r] && path[r] != '/'))
		return -1;
	path += r;
	n = snprintf(out, size, "%s%s", mnt, *path ? path : "");
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

bool cgmem_parent(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash || !strcmp(path, "/"))
		return false;
	if (slash == path)
		slash[1] = '\0';
	else
		*slash = '\0';
	return true;
}

uint32_t cgmem_flow_bound(uint64_t max, uint64_t used, size_t flow_bytes)
{
	uint64_t n;

	if (!flow_bytes || used >= max)
		return 1;
	n = (max - used) / 2 / flow_bytes;
	if (n > UINT32_MAX)
		return UINT32_MAX;
	return n ? (uint32_t)n : 1;
}
