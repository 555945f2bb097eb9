/* TAP output for the host unit tests: ok(cond, fmt, ...) and tap_done(). */
#ifndef NFDNS_UNIT_TAP_H
#define NFDNS_UNIT_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tests, failures;

__attribute__((format(printf, 2, 3)))
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!cond)
		failures++;
	printf("%s %d - ", cond ? "ok" : "not ok", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#endif
