/* errmsg: one-line errors that name the fix. */
#include <stdarg.h>
#include <stdio.h>

#include "errmsg.h"

void errmsg_set(struct errmsg *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->text[0])
		return;
	e->errnum = errnum;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

void errmsg_clear(struct errmsg *e)
{
	e->errnum = 0;
	e->text[0] = '\0';
	e->reported = false;
}
