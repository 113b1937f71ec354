/* filebuf: a file's bytes in order, a bounded window of them at a time.
 *
 * Reading copies every byte from the page cache; for a capture that copy
 * is a fifth of a replay's time. A regular file that nobody writes is
 * therefore mapped instead, a window (1 MiB, as much as the read buffer
 * holds) at a time. A mapping is only safe while the file keeps its size:
 * a truncated mapping kills the reader with SIGBUS. A read lease makes
 * anyone who opens the file for writing or truncates it wait (up to the
 * kernel's lease-break-time, 45 s by default) until the lease is given
 * back; it is asked about before each window is mapped, and once a break
 * is pending the reader unmaps and goes on with read() from the same
 * offset, which sees the change the way read() always did. The break's
 * SIGIO, whose default action is to end the process, is ignored meanwhile.
 * A window whose pages could not all be brought in (an I/O error) is read
 * instead, so the error is returned, not raised as SIGBUS. What this does
 * not cover: a reader stopped (SIGSTOP, a full pipe) for longer than
 * lease-break-time, after which the kernel takes the lease back and lets
 * the writer truncate under the mapping.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filebuf.h"

#define BUF_MIN 4096
#define PAGE_MAX 65536		/* the largest page mincore()'s vector is sized for */

int filebuf_init(struct filebuf *fb, int fd)
{
	struct stat sb;

	memset(fb, 0, sizeof(*fb));
	fb->fd = fd;
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

static void release_lease(struct filebuf *fb)
{
	fcntl(fb->fd, F_SETLEASE, F_UNLCK);
	sigaction(SIGIO, &fb->sigio_was, NULL);
}

void filebuf_fini(struct filebuf *fb)
{
	if (fb->mapped) {
		if (fb->buf)
			munmap(fb->buf, fb->cap);
		release_lease(fb);
	} else {
		free(fb->buf);
	}
	if (fb->fd >= 0)
		close(fb->fd);
	memset(fb, 0, sizeof(*fb));
	fb->fd = -1;
}

void filebuf_try_map(struct filebuf *fb)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct stat sb;

	if (fb->mapped || fstat(fb->fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		return;
	if (sigaction(SIGIO, &ign, &fb->sigio_was) < 0)
		return;
	if (fcntl(fb->fd, F_SETLEASE, F_RDLCK) < 0) {
		sigaction(SIGIO, &fb->sigio_was, NULL);
		return;		/* a writer, no right to it, or a file system without */
	}
	/* Under the lease nobody changes the size. */
	if (fstat(fb->fd, &sb) < 0) {
		release_lease(fb);
		return;
	}
	fb->size = sb.st_size;
	fb->base += (off_t)fb->pos;
	free(fb->buf);
	fb->buf = NULL;
	fb->cap = fb->pos = fb->len = 0;
	fb->mapped = true;
}

/* Back to read(): the unread bytes start at the same file offset and keep
 * their alignment modulo 8 (the bytes before them in the buffer are never
 * read). As always in this buffer, buf[0] is file offset base and buf[len]
 * the descriptor's offset: reading goes on from the first unread byte.
 */
static void unmap(struct filebuf *fb)
{
	off_t at = fb->base + (off_t)fb->pos;

	if (fb->buf)
		munmap(fb->buf, fb->cap);
	release_lease(fb);
	fb->mapped = false;
	fb->base = at & ~(off_t)7;
	fb->pos = fb->len = (size_t)(at - fb->base);
	fb->cap = FILEBUF_WINDOW;
	fb->buf = malloc(fb->cap);
	if (!fb->buf) {
		fb->cap = fb->pos = fb->len = 0;
		fb->read_err = ENOMEM;
		fb->eof = true;
	} else if (lseek(fb->fd, at, SEEK_SET) < 0) {
		fb->read_err = errno;
		fb->eof = true;
	}
}

/* Whether every page of the window is in memory: a page that could not be
 * read would fault on access with SIGBUS.
 */
static bool resident(void *p, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char vec[FILEBUF_WINDOW / 4096 + 2];
	size_t pages, i;

	if (page < 4096 || page > PAGE_MAX)
		return false;
	pages = (len + (size_t)page - 1) / (size_t)page;
	if (pages > sizeof(vec) || mincore(p, len, vec) < 0)
		return false;
	for (i = 0; i < pages; i++)
		if (!(vec[i] & 1))
			return false;
	return true;
}

/* The next window, from the page that holds the first unread byte; false
 * to read() instead.
 */
static bool map_window(struct filebuf *fb, size_t need)
{
	off_t at = fb->base + (off_t)fb->pos;
	long page = sysconf(_SC_PAGESIZE);
	off_t start = page > 0 ? at - at % page : at;
	size_t len = FILEBUF_WINDOW;
	void *p;

	if (fcntl(fb->fd, F_GETLEASE) != F_RDLCK)
		return false;	/* a break is pending: give the file back */
	if (len < need + (size_t)(at - start))
		return false;	/* no record is this long; let read() say so */
	if ((off_t)len > fb->size - start)
		len = (size_t)(fb->size - start);
	/* The old window first: at most one window of address space, as the
	 * read buffer (under ulimit -v the two behave alike).
	 */
	if (fb->buf)
		munmap(fb->buf, fb->cap);
	fb->buf = NULL;
	fb->cap = fb->pos = fb->len = 0;
	fb->base = at;
	p = mmap(NULL, len, PROT_READ, MAP_SHARED | MAP_POPULATE, fb->fd, start);
	if (p == MAP_FAILED)
		return false;
	if (!resident(p, len)) {
		munmap(p, len);
		return false;
	}
	fb->buf = p;
	fb->cap = fb->len = len;
	fb->pos = (size_t)(at - start);
	fb->base = start;
	return true;
}

/* A small file got a small buffer; a record it grew into needs more. The
 * unread bytes move to the front by a multiple of 8.
 */
static size_t fill_read(struct filebuf *fb, size_t need)
{
	size_t shift = fb->pos & ~(size_t)7;

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
		ssize_t n;

		if (fb->len == fb->cap)
			break;		/* out of memory growing it: the record shows cut */
		n = read(fb->fd, fb->buf + fb->len, fb->cap - fb->len);

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

size_t filebuf_fill(struct filebuf *fb, size_t need)
{
	if (fb->mapped) {
		/* The window reaches the end: what is left is all there is. */
		if (fb->base + (off_t)fb->len >= fb->size || fb->len - fb->pos >= need)
			return fb->len - fb->pos;
		if (map_window(fb, need))
			return fb->len - fb->pos;
		unmap(fb);
	}
	return fill_read(fb, need);
}
