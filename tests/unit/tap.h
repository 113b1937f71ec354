/* Minimal TAP producer for unit tests run through automake's tap-driver.sh. */
#ifndef TRAPMON_TAP_H
#define TRAPMON_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../nlbuild.h"

static int tap_count;
static int tap_failed;

static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
}

__attribute__((format(printf, 2, 3)))
static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	return cond;
}

__attribute__((format(printf, 1, 2)))
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Plan printed last, so tests need not count their cases up front. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

/* Decode hex with optional spaces/newlines; returns bytes written or -1. */
static inline int tap_unhex(const char *hex, unsigned char *out, int max)
{
	return nlb_unhex(hex, strlen(hex), out, (size_t)max);
}

#endif
