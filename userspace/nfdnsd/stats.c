// SPDX-License-Identifier: GPL-2.0
#include "stats.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "histogram.h"
#include "kernel_stats.h"
#include "log.h"
#include "resolve.h"

struct stats stats;
const struct resolver *stats_resolver;
int (*stats_kernel_reader)(uint64_t *vals, size_t n);
bool (*stats_cachedb_ready)(const struct cachedb *db);

static const char *const how_labels[ANSWER_HOW_N] = {
	[ANSWER_HOW_CACHE] = "how=\"cache\"",
	[ANSWER_HOW_RESOLVED] = "how=\"resolved\"",
	[ANSWER_HOW_FAILED] = "how=\"failed\"",
};

static void gauge(FILE *f, const char *name, const char *help, uint64_t v)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s %" PRIu64 "\n", name, help, name, name, v);
}

/* The module's counters, named as nfdnsctl names them; nfdns_kernel_up says whether they could be read. */
static void kernel_series(FILE *f)
{
	uint64_t vals[NFDNS_STAT_A_MAX + 1] = { 0 };
	bool up = stats_kernel_reader && stats_kernel_reader(vals, NFDNS_STAT_A_MAX + 1) == 0;

	gauge(f, "nfdns_kernel_up", "1 when the nfdns module's counters could be read.", up);
	for (size_t i = 0; up && i < NFDNS_N_STAT_DESCS; i++) {
		const struct nfdns_stat_desc *d = &nfdns_stat_descs[i];

		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %" PRIu64 "\n", d->metric, d->help, d->metric,
			d->gauge ? "gauge" : "counter", d->metric, vals[d->attr]);
	}
}

void stats_log(void)
{
	char line[4096];
	size_t off = 0;

#define STATS_PRINT(name, help)                                                                          \
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
#define STATS_PROM(name, help)                                                                             \
	fprintf(f, "# HELP nfdnsd_" #name "_total " help "\n# TYPE nfdnsd_" #name "_total counter\nnfdnsd_" #name \
		   "_total %" PRIu64 "\n",                                                                       \
		stats.name);
	STATS_FIELDS(STATS_PROM)
#undef STATS_PROM
	if (stats_resolver) {
		gauge(f, "nfdnsd_cache_rrsets", "RRsets in nfdnsd's cache.", stats_resolver->cache.lru.count);
		gauge(f, "nfdnsd_infra_servers", "Name server addresses nfdnsd knows.",
		      stats_resolver->infra.servers.count);
		gauge(f, "nfdnsd_requests_in_flight", "Client questions being resolved.", stats_resolver->in_flight);
		gauge(f, "nfdnsd_clients_waiting", "Clients waiting for an answer.", stats_resolver->waiting);
		if (stats_resolver->cachedb && stats_cachedb_ready)
			gauge(f, "nfdnsd_cachedb_up", "1 when a Redis connection takes cachedb lookups.",
			      stats_cachedb_ready(stats_resolver->cachedb));
	}
	fprintf(f, "# HELP nfdnsd_resolution_duration_seconds Time from a question to its answer, by how it was "
		   "answered.\n# TYPE nfdnsd_resolution_duration_seconds histogram\n");
	for (int i = 0; i < ANSWER_HOW_N; i++)
		histogram_print(f, "nfdnsd_resolution_duration_seconds", how_labels[i], &resolution_hist[i]);
	fprintf(f, "# HELP nfdnsd_upstream_rtt_seconds Round-trip time of upstream queries answered.\n"
		   "# TYPE nfdnsd_upstream_rtt_seconds histogram\n");
	histogram_print(f, "nfdnsd_upstream_rtt_seconds", "", &upstream_rtt_hist);
	kernel_series(f);
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	return 0;
}
