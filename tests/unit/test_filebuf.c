/* Tests for filebuf: a 3.5 MiB file of known bytes (byte i is a hash of i)
 * read back in steps of many sizes, checking every byte and that each
 * keeps its file offset's alignment modulo 8, also from a descriptor
 * positioned inside the file (standard input) and from a pipe (short
 * reads); a small file's small buffer grows for a step longer than it;
 * and a file truncated under the reader, by another process, reads as the
 * shorter file with no signal.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filebuf.h"
#include "tap.h"

#define FILE_LEN (3 * 1024 * 1024 + 512 * 1024 + 13)
#define CUT_LEN (2 * 1024 * 1024 + 512 * 1024 + 5)
#define SMALL_LEN 1000

static uint8_t byte_at(uint64_t i)
{
	i *= 0x9e3779b97f4a7c15ull;
	return (uint8_t)(i >> 56);
}

static int make_file(char *path, size_t len)
{
	uint8_t *b = malloc(len);
	int fd = mkstemp(path);
	size_t i;

	if (!b || fd < 0)
		return -1;
	for (i = 0; i < len; i++)
		b[i] = byte_at(i);
	if (write(fd, b, len) != (ssize_t)len)
		return -1;
	free(b);
	close(fd);
	return 0;
}

/* Take steps of need bytes (cycling through sizes up to 300,000) until the
 * file ends; returns the bytes read, or -1 at the first wrong byte or
 * alignment. cb runs once, when the reading has passed at bytes.
 */
static long read_all(struct filebuf *fb, long at, void (*cb)(const char *), const char *arg)
{
	static const size_t steps[] = { 16, 1, 4093, 24, 300000, 7, 65536, 253, 131071 };
	uint64_t start = (uint64_t)fb->base + fb->pos, off = start;
	size_t k = 0, i;

	for (;;) {
		size_t need = steps[k++ % (sizeof(steps) / sizeof(steps[0]))];
		size_t got = fb->len - fb->pos;
		const uint8_t *p;

		if (got < need)
			got = filebuf_fill(fb, need);
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
			cb(arg);
			at = -1;
		}
	}
}

static void test_read_back(const char *path)
{
	struct filebuf fb;
	long n;

	tap_ok(filebuf_init(&fb, open(path, O_RDONLY)) == 0, "init");
	filebuf_fill(&fb, 16);
	tap_ok(lseek(fb.fd, 0, SEEK_CUR) == FILEBUF_CHUNK,
	       "16 bytes asked for: one read() of a chunk, not the whole buffer (%lld)",
	       (long long)lseek(fb.fd, 0, SEEK_CUR));
	n = read_all(&fb, -1, NULL, NULL);
	tap_ok(n == FILE_LEN, "every byte read back in place (%ld of %d)", n, FILE_LEN);
	tap_ok(fb.eof && fb.read_err == 0, "the end is the file's end, with no error");
	filebuf_fini(&fb);
}

/* Standard input may come positioned inside a file: reading starts there. */
static void test_started_inside(const char *path)
{
	struct filebuf fb;
	int fd;
	long n;

	fd = open(path, O_RDONLY);
	lseek(fd, 104, SEEK_SET);
	tap_ok(filebuf_init(&fb, fd) == 0, "init");
	n = read_all(&fb, -1, NULL, NULL);
	tap_ok(n == FILE_LEN - 104, "a descriptor at offset 104: the bytes from there on (%ld)",
	       n);
	filebuf_fini(&fb);
}

/* A pipe hands over at most its buffer per read(): the steps longer than
 * that are filled by several.
 */
static void test_pipe(const char *path)
{
	struct filebuf fb;
	int p[2], status = -1;
	pid_t writer;
	long n;

	if (pipe(p) < 0) {
		tap_ok(false, "pipe");
		return;
	}
	writer = fork();
	if (writer == 0) {
		int fd = open(path, O_RDONLY);
		char b[3000];
		ssize_t r;

		close(p[0]);
		/* Odd sizes, so that reads end mid-step. */
		while ((r = read(fd, b, sizeof(b))) > 0)
			if (write(p[1], b, (size_t)r) != r)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	tap_ok(filebuf_init(&fb, p[0]) == 0, "init");
	n = read_all(&fb, -1, NULL, NULL);
	tap_ok(n == FILE_LEN, "from a pipe: every byte in place (%ld of %d)", n, FILE_LEN);
	filebuf_fini(&fb);
	waitpid(writer, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the pipe's writer finished");
}

/* A file smaller than a window gets a buffer its size; a step past it
 * (the file grew) needs the window.
 */
static void test_small_file_grows(const char *path)
{
	struct filebuf fb;
	int fd;
	size_t got;

	tap_ok(filebuf_init(&fb, open(path, O_RDONLY)) == 0, "init");
	tap_ok(fb.cap < FILEBUF_WINDOW, "a %d-byte file: a buffer of %zu bytes", SMALL_LEN, fb.cap);
	got = filebuf_fill(&fb, 100);
	tap_ok(got == SMALL_LEN, "the whole file at once (%zu)", got);
	fb.pos += 100;
	/* The file grows by 9,000 bytes of the same sequence. */
	fd = open(path, O_WRONLY | O_APPEND);
	for (size_t i = SMALL_LEN; i < SMALL_LEN + 9000; i++) {
		uint8_t b = byte_at(i);

		if (write(fd, &b, 1) != 1)
			break;
	}
	close(fd);
	fb.eof = false;		/* as replay's libpcap fallback reads on */
	got = filebuf_fill(&fb, 5000);
	tap_ok(got >= 5000 && fb.cap == FILEBUF_WINDOW,
	       "a step longer than the small buffer: it grows to the window (%zu)", got);
	tap_ok(read_all(&fb, -1, NULL, NULL) == SMALL_LEN + 9000 - 100,
	       "and the bytes read on are the file's, in place");
	filebuf_fini(&fb);
}

static void truncate_now(const char *path)
{
	int status = -1;
	pid_t cutter = fork();

	if (cutter == 0)
		_exit(truncate(path, CUT_LEN) == 0 ? 0 : 1);
	waitpid(cutter, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "another process truncates the file under the reader, at once");
}

/* Cut while read: what was read stays, the rest reads as the shorter
 * file does, and nothing raises a signal (this test would die of it).
 */
static void test_truncated_while_read(const char *path)
{
	struct filebuf fb;
	long n;

	tap_ok(filebuf_init(&fb, open(path, O_RDONLY)) == 0, "init");
	n = read_all(&fb, 512 * 1024, truncate_now, path);
	tap_ok(n == CUT_LEN, "it read to the truncated end, byte for byte (%ld of %d)", n, CUT_LEN);
	filebuf_fini(&fb);
}

int main(void)
{
	char path[] = "/tmp/trapmon-filebuf-XXXXXX", small[] = "/tmp/trapmon-filebuf-XXXXXX";

	if (make_file(path, FILE_LEN) < 0 || make_file(small, SMALL_LEN) < 0) {
		printf("Bail out! cannot write a file in /tmp\n");
		return 1;
	}
	test_read_back(path);
	test_started_inside(path);
	test_pipe(path);
	test_small_file_grows(small);
	test_truncated_while_read(path);
	unlink(path);
	unlink(small);
	return tap_done();
}
