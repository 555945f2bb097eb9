/*
 * TAP output for the host unit tests.  main() starts with tap_plan(N), the
 * number of ok() calls it will make, and ends with return tap_done().  The
 * plan is printed first, so a test that skips an ok() (one behind an if) or
 * stops early is caught: by the TAP reader, and by tap_done() itself.
 */
#ifndef NFDNS_UNIT_TAP_H
#define NFDNS_UNIT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tests, failures, planned = -1;

static void tap_plan(int n)
{
	planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

__attribute__((format(printf, 2, 3)))
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	if (planned < 0) {
		printf("Bail out! ok() before tap_plan()\n");
		exit(1);
	}
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

/* The exit status: 0 when every planned test ran and passed. */
static int tap_done(void)
{
	if (tests != planned) {
		printf("# planned %d tests, ran %d\n", planned, tests);
		return 1;
	}
	return failures ? 1 : 0;
}

#endif
