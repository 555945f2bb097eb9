// SPDX-License-Identifier: GPL-2.0
/* nfdnsd: latency histograms, as /metrics prints them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"

#include "tap.h"

static char *printed(const struct histogram *h, const char *labels)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	histogram_print(f, "t_seconds", labels, h);
	fclose(f);
	return text;
}

int main(void)
{
	struct histogram h;
	char *text;

	tap_plan(9);
	memset(&h, 0, sizeof(h));
	histogram_observe(&h, 0);
	histogram_observe(&h, 500);	/* on a bound: in that bucket (le) */
	histogram_observe(&h, 501);
	histogram_observe(&h, 10000000);
	histogram_observe(&h, 40000000); /* past the last bound: +Inf only */
	ok(h.bucket[0] == 2 && h.bucket[1] == 1, "0 and 500 us are in le=0.0005, 501 us in le=0.001");
	ok(h.bucket[13] == 1 && h.bucket[HISTOGRAM_BUCKETS] == 1, "10 s is in le=10, 40 s in +Inf alone");
	ok(h.count == 5 && h.sum_us == 50001001, "count and sum");
	text = printed(&h, "how=\"cache\"");
	ok(strstr(text, "t_seconds_bucket{how=\"cache\",le=\"0.0005\"} 2\n") != NULL, "the first bucket, labelled");
	ok(strstr(text, "t_seconds_bucket{how=\"cache\",le=\"0.001\"} 3\n") != NULL, "buckets are cumulative");
	ok(strstr(text, "t_seconds_bucket{how=\"cache\",le=\"10\"} 4\n") != NULL, "le=10 holds all but the 40 s");
	ok(strstr(text, "t_seconds_bucket{how=\"cache\",le=\"+Inf\"} 5\n") != NULL, "+Inf holds every observation");
	ok(strstr(text, "t_seconds_sum{how=\"cache\"} 50.001001\n") && strstr(text, "t_seconds_count{how=\"cache\"} 5\n"),
	   "sum in seconds, and count");
	free(text);
	memset(&h, 0, sizeof(h));
	text = printed(&h, "");
	ok(strstr(text, "t_seconds_bucket{le=\"+Inf\"} 0\n") && strstr(text, "t_seconds_count 0\n"),
	   "without labels, and empty");
	free(text);
	return tap_done();
}
