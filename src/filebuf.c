/* filebuf: a file's bytes in order, a bounded window of them at a time:
 * by read() into one buffer (1 MiB) that every record fits in, 128 KiB a
 * read, or, once replay asks (filebuf_map), through a mapping of the
 * file's pages in the page cache, which saves read()'s copy of each byte.
 *
 * Which is cheaper depends on the host: where the kernel maps the page
 * cache's large folios whole, replay saves a sixth of its CPU on a capture
 * read back into the cache and a fourteenth on one just written, whose
 * folios are small (bench/RESULTS.md, session 14); on a host where each
 * mapped page's first touch is dear, read() won (session 10). The mapping
 * covers the whole file, so that large folios line up with it, and is
 * given back 2 MiB at a time behind the reader, so that only a few MiB of
 * it are resident at once.
 *
 * A file cut short under a mapping raises SIGBUS where a page past its
 * new end is touched, and so does a page that cannot be read. This file's
 * SIGBUS handler therefore does more than set a flag, the one exception
 * to that rule in trapmon: a handler that returns re-runs the faulting
 * load, which must then find a page. It maps zeros over the rest of the
 * mapping (mmap is a plain system call, safe in a handler) and sets the
 * flag that filebuf_sound() tests before a record is used; the reader
 * then goes on by read(), which sees the shorter file, or the I/O error,
 * as read() always does. A fault anywhere else puts the old action back
 * and raises the signal again. The size is also checked at each step of
 * the window (2 MiB), so a cut further ahead is met by read(). What is
 * not covered: a cut inside the window already handed out leaves the
 * bytes from it to its page's end reading as zeros (the kernel clears
 * them); the records there may be counted as unreadable, and the cut is
 * still reported. Nobody waits on the reader: no lease is taken.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filebuf.h"

#define BUF_MIN 4096
#define MAP_AHEAD (2 * 1024 * 1024)	/* exposed past a fill's need */
#define MAP_DROP (2 * 1024 * 1024)	/* given back behind the reader in these */

static const volatile sig_atomic_t never_lost;

/* The one mapping a SIGBUS may fall in, for the handler. */
static struct {
	uint8_t *start, *end;
	size_t page;
	volatile sig_atomic_t lost;
	struct sigaction was;
} bus;

int filebuf_init(struct filebuf *fb, int fd)
{
	struct stat sb;

	memset(fb, 0, sizeof(*fb));
	fb->fd = fd;
	fb->lost = &never_lost;
	/* Where reading starts: standard input may be a file read partly. */
	fb->base = lseek(fd, 0, SEEK_CUR);
	if (fb->base < 0)
		fb->base = 0;
	/* A whole small file, else a window at a time. */
	fb->cap = FILEBUF_WINDOW;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size + 8 < FILEBUF_WINDOW)
		fb->cap = sb.st_size + 8 < BUF_MIN ? BUF_MIN : (size_t)sb.st_size + 8;
	fb->buf = malloc(fb->cap);
	if (!fb->buf)
		return -1;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return 0;
}

static void release_map(struct filebuf *fb)
{
	munmap(fb->buf + fb->dropped, fb->cap - fb->dropped);
	sigaction(SIGBUS, &bus.was, NULL);
	bus.start = bus.end = NULL;
	bus.lost = 0;
	fb->lost = &never_lost;
	fb->mapped = false;
}

void filebuf_fini(struct filebuf *fb)
{
	if (fb->mapped)
		release_map(fb);
	else
		free(fb->buf);
	if (fb->fd >= 0)
		close(fb->fd);
	memset(fb, 0, sizeof(*fb));
	fb->fd = -1;
	fb->lost = &never_lost;
}

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uint8_t *at = si->si_addr, *from;

	(void)ctx;
	if (bus.start && at >= bus.start && at < bus.end) {
		from = bus.start + ((size_t)(at - bus.start) & ~(bus.page - 1));
		if (mmap(from, (size_t)(bus.end - from), PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
			bus.lost = 1;
			return;
		}
	}
	sigaction(sig, &bus.was, NULL);
	raise(sig);
}

void filebuf_map(struct filebuf *fb)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
	off_t at = fb->base + (off_t)fb->pos;
	long page = sysconf(_SC_PAGESIZE);
	struct stat sb;
	void *p;

	/* Offsets keep the file's alignment in a mapping: only when reading
	 * started on a multiple of 8 is that the alignment promised.
	 */
	if (fb->mapped || bus.start || page <= 0 || fb->base % 8 ||
	    fstat(fb->fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size <= FILEBUF_WINDOW ||
	    (uint64_t)sb.st_size > SIZE_MAX || at > sb.st_size)
		return;
	p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fb->fd, 0);
	if (p == MAP_FAILED)
		return;		/* no room (ulimit -v), or a file system without */
	sigemptyset(&sa.sa_mask);
	bus.start = p;
	bus.end = (uint8_t *)p + sb.st_size;
	bus.page = (size_t)page;
	bus.lost = 0;
	if (sigaction(SIGBUS, &sa, &bus.was) < 0) {
		munmap(p, (size_t)sb.st_size);
		bus.start = bus.end = NULL;
		return;
	}
	free(fb->buf);
	fb->buf = p;
	fb->cap = (size_t)sb.st_size;
	fb->base = 0;
	fb->pos = fb->len = (size_t)at;
	fb->dropped = 0;
	fb->mapped = true;
	fb->lost = &bus.lost;
}

/* Back to read(): the unread bytes start at the same file offset and keep
 * their alignment modulo 8 (the bytes before them in the buffer are never
 * read). As always in this buffer, buf[0] is file offset base and buf[len]
 * the descriptor's offset: reading goes on from the first unread byte.
 */
void filebuf_unmap(struct filebuf *fb)
{
	off_t at = fb->base + (off_t)fb->pos;
	struct stat sb;

	if (!fb->mapped)
		return;
	release_map(fb);
	fb->base = at & ~(off_t)7;
	fb->pos = fb->len = (size_t)(at - fb->base);
	fb->dropped = 0;
	fb->cap = FILEBUF_WINDOW;
	fb->buf = malloc(fb->cap);
	if (!fb->buf) {
		fb->cap = fb->pos = fb->len = 0;
		fb->read_err = ENOMEM;
		fb->eof = true;
	} else if (lseek(fb->fd, at, SEEK_SET) < 0) {
		fb->read_err = errno;
		fb->eof = true;
	} else if (fstat(fb->fd, &sb) == 0 && sb.st_size < at) {
		/* Cut short behind the reader: what it read there was zeros. */
		fb->read_err = EIO;
		fb->eof = true;
	}
}

/* The pages behind the reader go back in steps of MAP_DROP, and the
 * window reaches MAP_AHEAD past what is needed. At the mapping's end
 * reading goes on by read(): the file may have grown since. A file found
 * shorter than the mapping is read by read() from here on, before any page
 * past its end is touched, except in the window already handed out.
 */
static size_t fill_mapped(struct filebuf *fb, size_t need)
{
	size_t drop = fb->pos & ~(size_t)(MAP_DROP - 1);
	struct stat sb;

	if (drop > fb->dropped) {
		munmap(fb->buf + fb->dropped, drop - fb->dropped);
		fb->dropped = drop;
	}
	if (need > fb->cap - fb->pos || fstat(fb->fd, &sb) < 0 || sb.st_size < (off_t)fb->cap) {
		filebuf_unmap(fb);
		return 0;
	}
	fb->len = need + MAP_AHEAD > fb->cap - fb->pos ? fb->cap : fb->pos + need + MAP_AHEAD;
	return fb->len - fb->pos;
}

/* The unread bytes move to the front by a multiple of 8, and read() fills
 * the rest. A small file got a small buffer; a record it grew into needs
 * more.
 */
size_t filebuf_fill(struct filebuf *fb, size_t need)
{
	size_t shift;

	if (fb->mapped) {
		size_t n = fill_mapped(fb, need);

		if (fb->mapped)
			return n;
	}
	shift = fb->pos & ~(size_t)7;
	if (need + 8 > fb->cap && fb->cap < FILEBUF_WINDOW) {
		uint8_t *nb = realloc(fb->buf, FILEBUF_WINDOW);

		if (nb) {
			fb->buf = nb;
			fb->cap = FILEBUF_WINDOW;
		}
	}
	if (shift) {
		memmove(fb->buf, fb->buf + shift, fb->len - shift);
		fb->pos -= shift;
		fb->len -= shift;
		fb->base += (off_t)shift;
	}
	while (fb->len - fb->pos < need && !fb->eof) {
		size_t want = fb->cap - fb->len, short_by = need - (fb->len - fb->pos);
		ssize_t n;

		if (want == 0)
			break;		/* out of memory growing it: the record shows cut */
		/* A chunk at a time: the pages touched stay the buffer's first. */
		if (want > FILEBUF_CHUNK && short_by <= FILEBUF_CHUNK)
			want = FILEBUF_CHUNK;
		n = read(fb->fd, fb->buf + fb->len, want);

		if (n > 0) {
			fb->len += (size_t)n;
		} else if (n == 0) {
			fb->eof = true;
		} else if (errno != EINTR) {
			fb->read_err = errno;
			fb->eof = true;
		}
	}
	return fb->len - fb->pos;
}
