// SPDX-License-Identifier: GPL-2.0
#include "stats.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

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

int stats_prometheus(char **text)
{
	size_t len;
	FILE *f = open_memstream(text, &len);

	if (!f)
		return -errno;
#define STATS_PROM(name) fprintf(f, "# TYPE nfdnsd_" #name "_total counter\nnfdnsd_" #name "_total %" PRIu64 "\n", stats.name);
	STATS_FIELDS(STATS_PROM)
#undef STATS_PROM
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	return 0;
}
