/* filebuf: a file's bytes in order, a bounded window of them at a time,
 * by read() into one buffer (1 MiB) that every record fits in, 128 KiB a
 * read: each page of the buffer costs a fault the first time it is touched.
 *
 * Plain reads, not a mapping of the page cache: on a virtual machine a
 * mapped page can cost more to touch for the first time than read() costs
 * to copy it (bench/RESULTS.md, session 10: trapmon -r 1.7x faster by
 * read() on such a host), the copy is bounded by what cat pays, and a
 * reader never sees a file cut short under it as SIGBUS: a truncated file
 * reads as shorter, and the record cut is the usual error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filebuf.h"

#define BUF_MIN 4096

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

void filebuf_fini(struct filebuf *fb)
{
	free(fb->buf);
	if (fb->fd >= 0)
		close(fb->fd);
	memset(fb, 0, sizeof(*fb));
	fb->fd = -1;
}

/* The unread bytes move to the front by a multiple of 8, and read() fills
 * the rest. A small file got a small buffer; a record it grew into needs
 * more.
 */
size_t filebuf_fill(struct filebuf *fb, size_t need)
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
