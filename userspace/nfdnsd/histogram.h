/* SPDX-License-Identifier: GPL-2.0 */
/* Latency histograms, in the Prometheus sense: cumulative buckets, a sum and a count. */
#ifndef NFDNSD_HISTOGRAM_H
#define NFDNSD_HISTOGRAM_H

#include <stdint.h>
#include <stdio.h>

/* Upper bounds of the buckets, in microseconds; the last is +Inf. */
#define HISTOGRAM_BUCKETS 15

struct histogram {
	uint64_t bucket[HISTOGRAM_BUCKETS + 1];	/* not cumulative: one count per bucket */
	uint64_t sum_us;
	uint64_t count;
};

extern const uint64_t histogram_bounds_us[HISTOGRAM_BUCKETS];

void histogram_observe(struct histogram *h, uint64_t us);
/*
 * One series of a histogram family: NAME_bucket{LABELS,le="..."}, NAME_sum
 * and NAME_count, in seconds.  labels is "" or `how="cache"`.
 */
void histogram_print(FILE *f, const char *name, const char *labels, const struct histogram *h);

/* What nfdnsd measures. */
enum answer_how {
	ANSWER_HOW_CACHE,	/* from nfdnsd's cache or local data: no upstream query */
	ANSWER_HOW_RESOLVED,	/* after upstream queries */
	ANSWER_HOW_FAILED,	/* SERVFAIL */
	ANSWER_HOW_N,
};

extern struct histogram resolution_hist[ANSWER_HOW_N];
extern struct histogram upstream_rtt_hist;

#endif
