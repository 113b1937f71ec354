/* errmsg: one-line errors that name the fix, carried up to main(). */
#ifndef TRAPMON_ERRMSG_H
#define TRAPMON_ERRMSG_H

#include <stdbool.h>

struct errmsg {
	int errnum;		/* positive errno, 0 if none */
	char text[512];
	bool reported;		/* said where it happened: main adds nothing but a later text */
};

/* Set e->text from a format; the first error set wins, so the root cause
 * survives the unwinding that follows it.
 */
__attribute__((format(printf, 3, 4)))
void errmsg_set(struct errmsg *e, int errnum, const char *fmt, ...);

void errmsg_clear(struct errmsg *e);

#endif
