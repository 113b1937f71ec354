/* Tests for filebuf: a 3.5 MiB file of known bytes (byte i is a hash of i)
 * read back in steps of many sizes, mapped and by read(), checking every
 * byte and that each keeps its file offset's alignment modulo 8, also from
 * a descriptor positioned inside the file (standard input); a file
 * open for writing elsewhere is not mapped; and a writer that truncates
 * the file while it is mapped waits for the lease, after which the reader
 * goes on by read() and sees the shorter file, with no SIGBUS.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "filebuf.h"
#include "tap.h"

#define FILE_LEN (3 * 1024 * 1024 + 512 * 1024 + 13)
#define CUT_LEN (2 * 1024 * 1024 + 512 * 1024 + 5)

static uint8_t byte_at(uint64_t i)
{
	i *= 0x9e3779b97f4a7c15ull;
	return (uint8_t)(i >> 56);
}

static int make_file(char *path)
{
	uint8_t *b = malloc(FILE_LEN);
	int fd = mkstemp(path);
	size_t i;

	if (!b || fd < 0)
		return -1;
	for (i = 0; i < FILE_LEN; i++)
		b[i] = byte_at(i);
	if (write(fd, b, FILE_LEN) != FILE_LEN)
		return -1;
	free(b);
	close(fd);
	return 0;
}

static const char *path_of_test;
static pid_t truncater;
static int truncater_status = -1;

/* Take steps of need bytes (cycling through sizes up to 300,000) until the
 * file ends; returns the bytes read, or -1 at the first wrong byte or
 * alignment. *was_mapped says whether any window was mapped. A callback
 * runs once pos passes at.
 */
static long read_all(struct filebuf *fb, bool map, bool *was_mapped, long at,
		     void (*cb)(struct filebuf *))
{
	static const size_t steps[] = { 16, 1, 4093, 24, 300000, 7, 65536, 253, 131071 };
	uint64_t start = (uint64_t)fb->base + fb->pos, off = start;
	size_t k = 0, i;

	*was_mapped = false;
	if (map)
		filebuf_try_map(fb);
	for (;;) {
		size_t need = steps[k++ % (sizeof(steps) / sizeof(steps[0]))];
		size_t got = fb->len - fb->pos;
		const uint8_t *p;

		if (got < need)
			got = filebuf_fill(fb, need);
		*was_mapped |= fb->mapped;
		/* Given back: let the writer finish before reading on, so
		 * what follows is the truncated file, not a race with it.
		 */
		if (truncater > 0 && !fb->mapped) {
			waitpid(truncater, &truncater_status, 0);
			truncater = 0;
		}
		if (got == 0)
			return (long)(off - start);
		if (got > need)
			got = need;
		p = fb->buf + fb->pos;
		if (((uintptr_t)p & 7) != (off & 7))
			return -1;
		for (i = 0; i < got; i++)
			if (p[i] != byte_at(off + i))
				return -1;
		fb->pos += got;
		off += got;
		if (cb && at >= 0 && off - start >= (uint64_t)at) {
			cb(fb);
			at = -1;
		}
	}
}


/* A writer truncates the file; it waits on the lease until the reader
 * gives the file back.
 */
static void start_truncate(struct filebuf *fb)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	truncater = fork();
	if (truncater == 0)
		_exit(truncate(path_of_test, CUT_LEN) == 0 ? 0 : 1);
	for (i = 0; i < 500 && fcntl(fb->fd, F_GETLEASE) == F_RDLCK; i++)
		nanosleep(&ts, NULL);
	tap_ok(fcntl(fb->fd, F_GETLEASE) != F_RDLCK,
	       "the writer's truncate() waits: the lease's break is pending");
	tap_ok(waitpid(truncater, NULL, WNOHANG) == 0, "and the writer has not finished");
}

static void test_read_back(const char *path)
{
	struct filebuf fb;
	bool mapped;
	long n;

	tap_ok(filebuf_init(&fb, open(path, O_RDONLY)) == 0, "init");
	n = read_all(&fb, true, &mapped, -1, NULL);
	tap_ok(n == FILE_LEN, "mapped: every byte read back in place (%ld of %d)", n, FILE_LEN);
	tap_ok(mapped, "the file was mapped (a read lease on a file trapmon owns)");
	filebuf_fini(&fb);

	tap_ok(filebuf_init(&fb, open(path, O_RDONLY)) == 0, "init");
	n = read_all(&fb, false, &mapped, -1, NULL);
	tap_ok(n == FILE_LEN && !mapped, "read(): every byte read back in place (%ld)", n);
	filebuf_fini(&fb);
}

/* Standard input may come positioned inside a file: reading starts there,
 * mapped or not.
 */
static void test_started_inside(const char *path)
{
	struct filebuf fb;
	bool mapped;
	int fd;
	long n;

	fd = open(path, O_RDONLY);
	lseek(fd, 104, SEEK_SET);
	tap_ok(filebuf_init(&fb, fd) == 0, "init");
	n = read_all(&fb, true, &mapped, -1, NULL);
	tap_ok(n == FILE_LEN - 104 && mapped,
	       "a descriptor at offset 104: mapped, the bytes from there on (%ld)", n);
	filebuf_fini(&fb);
}

static void test_writer_open(const char *path)
{
	int w = open(path, O_WRONLY);
	struct filebuf fb;
	bool mapped;
	long n;

	tap_ok(filebuf_init(&fb, open(path, O_RDONLY)) == 0, "init");
	n = read_all(&fb, true, &mapped, -1, NULL);
	tap_ok(n == FILE_LEN && !mapped,
	       "a file open for writing is not mapped, and reads back whole (%ld)", n);
	filebuf_fini(&fb);
	close(w);
}

static void test_truncated_while_mapped(const char *path)
{
	struct sigaction sa;
	struct filebuf fb;
	bool mapped;
	long n;

	path_of_test = path;
	tap_ok(filebuf_init(&fb, open(path, O_RDONLY)) == 0, "init");
	n = read_all(&fb, true, &mapped, 512 * 1024, start_truncate);
	tap_ok(mapped && !fb.mapped, "the reader gave the file back and went on by read()");
	tap_ok(n == CUT_LEN, "it read to the truncated end, byte for byte (%ld of %d)", n, CUT_LEN);
	filebuf_fini(&fb);
	if (truncater > 0)
		waitpid(truncater, &truncater_status, 0);
	tap_ok(WIFEXITED(truncater_status) && WEXITSTATUS(truncater_status) == 0,
	       "the writer's truncate() succeeded");
	sigaction(SIGIO, NULL, &sa);
	tap_ok(sa.sa_handler == SIG_DFL, "SIGIO's action is put back");
}

/* Given back at an offset not a multiple of 8 (1 MiB - 3, inside the first
 * window): the bytes read on must be the file's, in place.
 */
static void test_given_back_unaligned(const char *path)
{
	const uint64_t at = FILEBUF_WINDOW - 3;
	struct filebuf fb;
	bool mapped;
	long n;

	path_of_test = path;
	tap_ok(filebuf_init(&fb, open(path, O_RDONLY)) == 0, "init");
	filebuf_fill(&fb, 16);
	filebuf_try_map(&fb);
	tap_ok(filebuf_fill(&fb, 16) >= 16 && fb.mapped, "mapped");
	fb.pos = (size_t)(at - (uint64_t)fb.base);	/* skip to 1 MiB - 3 */
	start_truncate(&fb);
	n = read_all(&fb, false, &mapped, -1, NULL);
	tap_ok(!fb.mapped && n == (long)(CUT_LEN - at),
	       "given back at offset 1 MiB - 3: every byte after it in place (%ld of %ld)", n,
	       (long)(CUT_LEN - at));
	filebuf_fini(&fb);
	if (truncater > 0)
		waitpid(truncater, &truncater_status, 0);
	truncater = 0;
}

int main(void)
{
	char path[] = "/tmp/trapmon-filebuf-XXXXXX", path2[] = "/tmp/trapmon-filebuf-XXXXXX";

	if (make_file(path) < 0) {
		printf("Bail out! cannot write %s\n", path);
		return 1;
	}
	test_read_back(path);
	test_started_inside(path);
	test_writer_open(path);
	test_truncated_while_mapped(path);
	unlink(path);
	if (make_file(path2) < 0) {
		printf("Bail out! cannot write %s\n", path2);
		return 1;
	}
	test_given_back_unaligned(path2);
	unlink(path2);
	return tap_done();
}
