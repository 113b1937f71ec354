/* journal: original kernel state, on disk before trapmon changes it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "journal.h"

#define JOURNAL_PREFIX "journal."

const char *journal_dir(void)
{
	const char *d = getenv("TRAPMON_RUN_DIR");

	return d && *d ? d : "/run/trapmon";
}

void journal_init(struct journal *j)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->pid = getpid();
	snprintf(j->path, sizeof(j->path), "%s/" JOURNAL_PREFIX "%d", journal_dir(), (int)j->pid);
}

void journal_fini(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	free(j->v);
	j->v = NULL;
	j->n = j->cap = 0;
}

int journal_add(struct journal *j, const struct journal_entry *entry)
{
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 16;
		struct journal_entry *v = realloc(j->v, cap * sizeof(*v));

		if (!v)
			return -1;
		j->v = v;
		j->cap = cap;
	}
	j->v[j->n++] = *entry;
	return 0;
}

size_t journal_drop(struct journal *j, bool (*drop)(const struct journal_entry *, void *),
		    void *arg)
{
	size_t i, kept = 0, dropped;

	for (i = 0; i < j->n; i++)
		if (!drop(&j->v[i], arg))
			j->v[kept++] = j->v[i];
	dropped = j->n - kept;
	j->n = kept;
	return dropped;
}

static const char *const mode_names[] = { "summary", "packet" };

static void entry_print(FILE *fp, const struct journal_entry *en)
{
	switch (en->kind) {
	case JOURNAL_TRAP:
		fprintf(fp, "trap %s %s %s %s\n", en->bus, en->dev, en->name,
			devlink_action_str(en->action));
		break;
	case JOURNAL_POLICER:
		fprintf(fp, "policer %s %s %u %llu %llu\n", en->bus, en->dev, en->policer_id,
			(unsigned long long)en->rate, (unsigned long long)en->burst);
		break;
	case JOURNAL_NETDM:
		fprintf(fp, "netdm %s %s %s %u %u\n", en->hw ? "hw" : "-", en->sw ? "sw" : "-",
			mode_names[en->alert_mode ? 1 : 0], en->trunc_len, en->queue_len);
		break;
	}
}

int journal_remove(struct journal *j)
{
	if (unlink(j->path) == 0 || errno == ENOENT)
		return 0;
	/* After -Z the directory is root's: an empty journal means nothing. */
	if (j->fd >= 0 && ftruncate(j->fd, 0) == 0)
		return 0;
	return -1;
}

static char *render(const struct journal *j, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);
	size_t i;

	if (!fp)
		return NULL;
	fprintf(fp, "# trapmon %d changed these; the values are the originals.\n"
		"# If that trapmon is gone, run: trapmon --restore\n", (int)j->pid);
	for (i = 0; i < j->n; i++)
		entry_print(fp, &j->v[i]);
	if (fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int write_all(int fd, const char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = pwrite(fd, buf + off, len - off, (off_t)off);

		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

int journal_hold(struct journal *j, struct errmsg *e)
{
	if (mkdir(journal_dir(), 0700) < 0 && errno != EEXIST) {
		errmsg_set(e, errno, "cannot create %s for the restore journal: %s", journal_dir(),
			   strerror(errno));
		return -1;
	}
	if (j->n && journal_write(j, e) < 0)
		return -1;
	j->fd = open(j->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (j->fd < 0) {
		errmsg_set(e, errno, "cannot open the restore journal %s: %s", j->path, strerror(errno));
		return -1;
	}
	return 0;
}

int journal_write(struct journal *j, struct errmsg *e)
{
	char tmp[300];
	size_t len = 0;
	char *buf;
	int fd, ret = -1;

	if (j->n == 0)
		return journal_remove(j);
	buf = render(j, &len);
	if (!buf) {
		errmsg_set(e, ENOMEM, "out of memory writing the restore journal");
		return -1;
	}
	/* Held (after -Z): rewrite in place, the directory is not ours. */
	if (j->fd >= 0) {
		if (ftruncate(j->fd, 0) < 0 || write_all(j->fd, buf, len) < 0 || fsync(j->fd) < 0) {
			errmsg_set(e, errno, "cannot write the restore journal %s: %s", j->path,
				   strerror(errno));
			goto out;
		}
		ret = 0;
		goto out;
	}
	if (mkdir(journal_dir(), 0700) < 0 && errno != EEXIST) {
		errmsg_set(e, errno, "cannot create %s for the restore journal: %s", journal_dir(),
			   strerror(errno));
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", j->path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		errmsg_set(e, errno, "cannot write the restore journal %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
		errmsg_set(e, errno, "cannot write the restore journal %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, j->path) < 0) {
		errmsg_set(e, errno, "cannot install the restore journal %s: %s", j->path,
			   strerror(errno));
		unlink(tmp);
		goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

static int parse_line(const char *line, struct journal_entry *en)
{
	char kind[16], a[16], b[16], mode[16];
	unsigned long long rate, burst;
	unsigned int id, trunc, queue;
	int act;

	memset(en, 0, sizeof(*en));
	if (sscanf(line, "%15s", kind) != 1)
		return -1;
	if (strcmp(kind, "trap") == 0) {
		if (sscanf(line, "trap %63s %63s %63s %15s", en->bus, en->dev, en->name, a) != 4 ||
		    (act = devlink_action_parse(a)) < 0)
			return -1;
		en->kind = JOURNAL_TRAP;
		en->action = (uint8_t)act;
		return 0;
	}
	if (strcmp(kind, "policer") == 0) {
		if (sscanf(line, "policer %63s %63s %u %llu %llu", en->bus, en->dev, &id, &rate,
			   &burst) != 5)
			return -1;
		en->kind = JOURNAL_POLICER;
		en->policer_id = id;
		en->rate = rate;
		en->burst = burst;
		return 0;
	}
	if (strcmp(kind, "netdm") == 0) {
		if (sscanf(line, "netdm %15s %15s %15s %u %u", a, b, mode, &trunc, &queue) != 5)
			return -1;
		en->kind = JOURNAL_NETDM;
		en->hw = strcmp(a, "hw") == 0;
		en->sw = strcmp(b, "sw") == 0;
		en->alert_mode = strcmp(mode, "packet") == 0;
		en->trunc_len = trunc;
		en->queue_len = queue;
		return 0;
	}
	return -1;
}

int journal_parse(const char *text, struct journal *j)
{
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512];
		struct journal_entry en;

		if (len >= sizeof(buf))
			goto err_inval;
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = nl ? nl + 1 : NULL;
		if (buf[0] == '#' || buf[strspn(buf, " \t")] == '\0')
			continue;
		if (parse_line(buf, &en) < 0 || journal_add(j, &en) < 0)
			goto err_inval;
	}
	return 0;

err_inval:
	errno = EINVAL;
	return -1;
}

int journal_load(const char *path, struct journal *j, struct errmsg *e)
{
	char text[65536];
	size_t n;
	FILE *fp;
	const char *base;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	snprintf(j->path, sizeof(j->path), "%s", path);
	base = strrchr(path, '.');
	j->pid = base ? atoi(base + 1) : 0;
	fp = fopen(path, "re");
	if (!fp) {
		errmsg_set(e, errno, "cannot read journal %s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	if (journal_parse(text, j) < 0) {
		errmsg_set(e, EINVAL, "journal %s is damaged: restore by hand with 'devlink trap set' "
			   "and remove it", path);
		journal_fini(j);
		return -1;
	}
	return 0;
}

static bool pid_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

size_t journal_find_stale(char (*paths)[256], size_t max)
{
	DIR *d = opendir(journal_dir());
	struct dirent *de;
	struct stat st;
	size_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *end;
		long pid;

		if (strncmp(de->d_name, JOURNAL_PREFIX, strlen(JOURNAL_PREFIX)) != 0)
			continue;
		pid = strtol(de->d_name + strlen(JOURNAL_PREFIX), &end, 10);
		if (*end || pid <= 0 || pid_alive((pid_t)pid))
			continue;
		/* Emptied by a trapmon that ran as another user (-Z): done. */
		if (fstatat(dirfd(d), de->d_name, &st, 0) == 0 && st.st_size == 0) {
			unlinkat(dirfd(d), de->d_name, 0);
			continue;
		}
		if (n < max) {
			int w = snprintf(paths[n], sizeof(paths[n]), "%s/%s", journal_dir(), de->d_name);

			if (w < 0 || (size_t)w >= sizeof(paths[n]))
				continue;	/* cannot be ours: our names are short */
		}
		n++;
	}
	closedir(d);
	return n;
}

const char *journal_summary(const struct journal *j, char *buf, size_t len)
{
	bool traps = false, policers = false, netdm = false;
	size_t i;

	for (i = 0; i < j->n; i++) {
		traps |= j->v[i].kind == JOURNAL_TRAP;
		policers |= j->v[i].kind == JOURNAL_POLICER;
		netdm |= j->v[i].kind == JOURNAL_NETDM;
	}
	snprintf(buf, len, "%s%s%s%s%s", traps ? "trap actions" : "",
		 traps && (policers || netdm) ? ", " : "", policers ? "policers" : "",
		 policers && netdm ? ", " : "", netdm ? "drop monitoring left on" : "");
	return buf;
}
