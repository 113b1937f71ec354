/* filebuf: a file's bytes in order, with a bounded window readable at
 * once, read() into one buffer.
 */
#ifndef TRAPMON_FILEBUF_H
#define TRAPMON_FILEBUF_H

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

#endif
