/* Tests for filebuf: a 3.5 MiB file of known bytes (byte i is a hash of i)
 * read back in steps of many sizes, checking every byte and that each
 * keeps its file offset's alignment modulo 8, also from a descriptor
 * positioned inside the file (standard input) and from a pipe (short
 * reads); a small file's small buffer grows for a step longer than it;
 * and a file truncated under the reader, by another process, reads as the
 * shorter file with no signal. Mapped: the same bytes, the pages behind
 * the reader given back, and a file cut inside the window (the SIGBUS
 * handler), ahead of it (the size check) or behind the reader (an error),
 * or grown; a SIGBUS elsewhere still ends the process.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
static long read_all(struct filebuf *fb, long at, void (*cb)(struct filebuf *, const char *),
		     const char *arg)
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
		if (!filebuf_sound(fb, got))
			continue;	/* a mapping given up: fill again */
		p = fb->buf + fb->pos;
		if (((uintptr_t)p & 7) != (off & 7))
			return -1;
		for (i = 0; i < got; i++)
			if (p[i] != byte_at(off + i))
				return -1;
		fb->pos += got;
		off += got;
		if (cb && at >= 0 && off - start >= (uint64_t)at) {
			cb(fb, arg);
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

static void truncate_to(const char *path, off_t len)
{
	int status = -1;
	pid_t cutter = fork();

	if (cutter == 0)
		_exit(truncate(path, len) == 0 ? 0 : 1);
	waitpid(cutter, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "another process truncates the file under the reader, at once");
}

static void truncate_now(struct filebuf *fb, const char *path)
{
	(void)fb;
	truncate_to(path, CUT_LEN);
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

/* Mapped ------------------------------------------------------------------ */

#define MAP_CUT_IN (1024 * 1024 + 8 * 4096)	/* a page boundary inside the window */
#define MAP_CUT_AHEAD (3 * 1024 * 1024 + 5)	/* past any window from 512 KiB */
#define STEP_2M (2 * 1024 * 1024)

/* A fresh copy of the test file, opened and mapped past its header. */
static int open_mapped(char *path, size_t len, struct filebuf *fb)
{
	if (make_file(path, len) < 0 || filebuf_init(fb, open(path, O_RDONLY)) < 0)
		return -1;
	filebuf_fill(fb, 24);
	fb->pos = 24;
	filebuf_map(fb);
	return fb->mapped ? 0 : -1;
}

static void test_mapped_read_back(void)
{
	char path[] = "/tmp/trapmon-filebuf-XXXXXX";
	unsigned char vec[1];
	struct filebuf fb;
	long n;

	tap_ok(open_mapped(path, FILE_LEN, &fb) == 0, "a regular file past a window is mapped");
	tap_ok(fb.len == fb.pos && fb.pos == 24, "from the first unread byte (%zu)", fb.pos);
	fb.pos += (size_t)filebuf_fill(&fb, STEP_2M + 4096) - 4096;
	filebuf_fill(&fb, 4096);
	tap_ok(fb.mapped && fb.dropped == STEP_2M && fb.len - fb.pos >= 4096,
	       "past 2 MiB, the first 2 MiB are given back (%zu)", fb.dropped);
	tap_ok(mincore(fb.buf, 4096, vec) < 0 && errno == ENOMEM &&
	       mincore(fb.buf + STEP_2M, 4096, vec) == 0,
	       "and are no longer mapped, the rest is");
	n = read_all(&fb, -1, NULL, NULL);
	tap_ok(n == (long)(FILE_LEN - (fb.base + fb.pos - n)) && fb.base + fb.pos == FILE_LEN,
	       "every byte read back in place, to the end (%lld)", (long long)(fb.base + fb.pos));
	tap_ok(!fb.mapped && fb.eof && fb.read_err == 0,
	       "at the mapping's end reading went on by read(), to the end, no error");
	filebuf_fini(&fb);
	unlink(path);
}

/* Alignment is the file's own in a mapping: only from a multiple of 8. */
static void test_mapped_started_inside(const char *path)
{
	struct filebuf fb;
	int fd;

	fd = open(path, O_RDONLY);
	lseek(fd, 101, SEEK_SET);
	filebuf_init(&fb, fd);
	filebuf_fill(&fb, 24);
	filebuf_map(&fb);
	tap_ok(!fb.mapped && fb.buf, "reading started at offset 101: not mapped, the buffer kept");
	filebuf_fini(&fb);
	fd = open(path, O_RDONLY);
	lseek(fd, 104, SEEK_SET);
	filebuf_init(&fb, fd);
	filebuf_fill(&fb, 24);
	filebuf_map(&fb);
	tap_ok(fb.mapped, "at offset 104: mapped");
	tap_ok(read_all(&fb, -1, NULL, NULL) == FILE_LEN - 104, "every byte from there in place");
	filebuf_fini(&fb);
}

/* How reading a fresh mapped copy of the test file ended when cb cut it
 * once at bytes had been read: the bytes read, each checked (-1 at a
 * wrong one), and the reader's state.
 */
struct cut_end {
	long n;
	bool mapped, eof;
	int read_err;
};

static bool read_cut(long at, void (*cb)(struct filebuf *, const char *), struct cut_end *out)
{
	char path[] = "/tmp/trapmon-filebuf-XXXXXX";
	struct filebuf fb;

	if (open_mapped(path, FILE_LEN, &fb) < 0) {
		tap_ok(false, "mapped");
		return false;
	}
	out->n = read_all(&fb, at, cb, path);
	out->mapped = fb.mapped;
	out->eof = fb.eof;
	out->read_err = fb.read_err;
	filebuf_fini(&fb);
	unlink(path);
	return true;
}

static void window_covers_cut(struct filebuf *fb, const char *path)
{
	tap_ok(fb->mapped && (uint64_t)fb->base + fb->len > MAP_CUT_IN,
	       "the window handed out reaches past the cut (%zu)", fb->len);
	truncate_to(path, MAP_CUT_IN);
}

/* Cut at a page boundary inside the window: the next page faults, reads
 * as zeros to the handler, and the reader goes on by read() to the cut.
 */
static void test_mapped_cut_in_window(void)
{
	struct cut_end r;

	if (!read_cut(512 * 1024, window_covers_cut, &r))
		return;
	tap_ok(r.n == MAP_CUT_IN - 24, "it read to the cut, byte for byte, with no signal (%ld)", r.n);
	tap_ok(!r.mapped && r.read_err == 0, "the mapping was given up, with no error");
}

static void cut_ahead(struct filebuf *fb, const char *path)
{
	truncate_to(path, MAP_CUT_AHEAD);
	filebuf_fill(fb, fb->len - fb->pos + 1);
	tap_ok(!fb->mapped, "the next fill meets the shorter size: read() from there");
}

/* Cut past the window: the next step's size check meets it first. */
static void test_mapped_cut_ahead(void)
{
	struct cut_end r;

	if (!read_cut(512 * 1024, cut_ahead, &r))
		return;
	tap_ok(r.n == MAP_CUT_AHEAD - 24, "a cut ahead: read to it, byte for byte (%ld)", r.n);
	tap_ok(!r.mapped && r.read_err == 0, "by read() from the size check on, no error");
}

static void cut_behind(struct filebuf *fb, const char *path)
{
	(void)fb;
	truncate_to(path, 1024 * 1024);
}

/* Cut behind the reader: the bytes it stands on are gone, an error. */
static void test_mapped_cut_behind(void)
{
	struct cut_end r;

	if (!read_cut(2 * 1024 * 1024, cut_behind, &r))
		return;
	tap_ok(r.read_err == EIO && r.eof && !r.mapped,
	       "cut behind the reader: an I/O error, not the file's end (%s, %ld read)",
	       strerror(r.read_err), r.n);
}

/* A file that grows under the mapping is read on by read(). */
static void test_mapped_grows(void)
{
	char path[] = "/tmp/trapmon-filebuf-XXXXXX";
	struct filebuf fb;
	long n;
	int fd;

	if (open_mapped(path, CUT_LEN, &fb) < 0) {
		tap_ok(false, "mapped");
		return;
	}
	fd = open(path, O_WRONLY | O_APPEND);
	for (size_t i = CUT_LEN; i < FILE_LEN; i++) {
		uint8_t b = byte_at(i);

		if (write(fd, &b, 1) != 1)
			break;
	}
	close(fd);
	n = read_all(&fb, -1, NULL, NULL);
	tap_ok(n == FILE_LEN - 24, "grown under the mapping: read on to its new end (%ld)", n);
	filebuf_fini(&fb);
	unlink(path);
}

/* A SIGBUS outside the mapping is not the handler's: it ends the process. */
static void test_sigbus_elsewhere(void)
{
	char path[] = "/tmp/trapmon-filebuf-XXXXXX", other[] = "/tmp/trapmon-filebuf-XXXXXX";
	int status = -1;
	pid_t child;

	if (make_file(other, 8192) < 0) {
		tap_ok(false, "a second file");
		return;
	}
	child = fork();
	if (child == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		struct filebuf fb;
		int fd = open(other, O_RDWR);
		volatile uint8_t *q;

		/* The action before the mapping's is the default (a sanitizer
		 * would have its own): the one put back.
		 */
		sigaction(SIGBUS, &dfl, NULL);
		if (open_mapped(path, FILE_LEN, &fb) < 0)
			_exit(2);
		/* Just below filebuf's mapping: a handler that took any
		 * address there for its own would map over it.
		 */
		q = mmap(fb.buf - 65536, 8192, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
		if (q == MAP_FAILED || ftruncate(fd, 0) < 0)
			_exit(2);
		unlink(path);
		(void)q[4096];
		_exit(0);
	}
	waitpid(child, &status, 0);
	tap_ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
	       "a fault in another mapping still ends the process with SIGBUS (status %#x)", status);
	unlink(other);
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
	test_mapped_read_back();
	test_mapped_started_inside(path);
	test_mapped_cut_in_window();
	test_mapped_cut_ahead();
	test_mapped_cut_behind();
	test_mapped_grows();
	test_sigbus_elsewhere();
	test_truncated_while_read(path);
	unlink(path);
	unlink(small);
	return tap_done();
}
