// SPDX-License-Identifier: GPL-2.0
#include "histogram.h"

#include <inttypes.h>

const uint64_t histogram_bounds_us[HISTOGRAM_BUCKETS] = {
	500, 1000, 2000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2000000, 5000000,
	10000000, 30000000,
};

struct histogram resolution_hist[ANSWER_HOW_N];
struct histogram upstream_rtt_hist;

void histogram_observe(struct histogram *h, uint64_t us)
{
	unsigned i = 0;

	while (i < HISTOGRAM_BUCKETS && us > histogram_bounds_us[i])
		i++;
	h->bucket[i]++;
	h->sum_us += us;
	h->count++;
}

void histogram_print(FILE *f, const char *name, const char *labels, const struct histogram *h)
{
	const char *sep = *labels ? "," : "";
	uint64_t cumulative = 0;

	for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
		cumulative += h->bucket[i];
		fprintf(f, "%s_bucket{%s%sle=\"%g\"} %" PRIu64 "\n", name, labels, sep,
			(double)histogram_bounds_us[i] / 1e6, cumulative);
	}
	cumulative += h->bucket[HISTOGRAM_BUCKETS];
	fprintf(f, "%s_bucket{%s%sle=\"+Inf\"} %" PRIu64 "\n", name, labels, sep, cumulative);
	fprintf(f, "%s_sum%s%s%s %.6f\n", name, *labels ? "{" : "", labels, *labels ? "}" : "",
		(double)h->sum_us / 1e6);
	fprintf(f, "%s_count%s%s%s %" PRIu64 "\n", name, *labels ? "{" : "", labels, *labels ? "}" : "", h->count);
}
