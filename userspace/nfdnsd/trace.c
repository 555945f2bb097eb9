// SPDX-License-Identifier: GPL-2.0
#include "trace.h"

#include <inttypes.h>
#include <stdio.h>

#include "stats.h"

bool trace_on;
struct stats stats;

void stats_log(void)
{
	char line[2048];
	size_t off = 0;

#define STATS_PRINT(name)                                                                          \
	if (off < sizeof(line))                                                                    \
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s" #name "=%" PRIu64,    \
					off ? " " : "", stats.name);
	STATS_FIELDS(STATS_PRINT)
#undef STATS_PRINT
	log_always("stats", "%s", line);
}
