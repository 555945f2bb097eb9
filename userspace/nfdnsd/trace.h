/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_TRACE_H
#define NFDNSD_TRACE_H

#include <stdbool.h>

#include "log.h"

/* --trace: one line per resolution step, whatever the log level. */
extern bool trace_on;

#define TRACE(...)                                      \
	do {                                            \
		if (trace_on)                           \
			log_always("trace", __VA_ARGS__); \
	} while (0)

#endif
