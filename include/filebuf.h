/* filebuf: a file's bytes in order, with a bounded window readable at
 * once: read() into one buffer, or, for a regular file asked to be mapped,
 * the page cache's own pages mapped in place (no copy).
 */
#ifndef TRAPMON_FILEBUF_H
#define TRAPMON_FILEBUF_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FILEBUF_WINDOW (1024 * 1024)	/* the buffer: holds any pcap record */
#define FILEBUF_CHUNK (128 * 1024)	/* one read(), unless a record needs more */

struct filebuf {
	int fd;
	uint8_t *buf;		/* unread bytes are buf[pos, len); buf[0] is at file offset base */
	size_t cap, pos, len;
	off_t base;
	bool eof;		/* read() said end of file, or failed */
	int read_err;		/* its errno when it failed */
	/* Mapped (filebuf_map): buf is the file's mapping from offset 0 (base
	 * 0), cap its length, and buf[0, dropped) already given back.
	 */
	bool mapped;
	size_t dropped;
	const volatile sig_atomic_t *lost;	/* set when a mapped page faulted */
};

/* A buffer for fd (which fini closes); a regular file smaller than a
 * window gets a buffer its size. Returns -1 out of memory.
 */
int filebuf_init(struct filebuf *fb, int fd);
void filebuf_fini(struct filebuf *fb);

/* At least need bytes readable at buf + pos, unless the file ends first;
 * returns how many are. Every byte keeps its alignment modulo 8 relative
 * to where reading started (the file's own, when that was a multiple of 8).
 */
size_t filebuf_fill(struct filebuf *fb, size_t need);

/* From here on, read a regular file larger than a window through a
 * mapping of its pages, if one can be had; otherwise nothing changes.
 * Only one filebuf in the process is mapped at a time.
 */
void filebuf_map(struct filebuf *fb);

/* Give the mapping up and go on by read() from buf + pos. */
void filebuf_unmap(struct filebuf *fb);

/* Whether buf[pos, pos + n) (n >= 1, all readable) can be used. A mapped
 * file cut short, or a page that could not be read, reads as zeros from
 * the first page missing (no SIGBUS); the last of the n bytes is touched
 * to find out. Then the mapping is given up, reading goes on by read()
 * from pos, and the answer is false: fill again.
 */
static inline bool filebuf_sound(struct filebuf *fb, size_t n)
{
	(void)*(const volatile uint8_t *)(fb->buf + fb->pos + n - 1);
	if (__builtin_expect(!*fb->lost, 1))
		return true;
	filebuf_unmap(fb);
	return false;
}

#endif
