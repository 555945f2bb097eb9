// SPDX-License-Identifier: GPL-2.0
/*
 * Flush the nfdns cache of this namespace and report what the hit path did
 * meanwhile: the kernel's hits counter is read just before the flush
 * request and just after its reply, back to back on one socket, so the
 * difference is the hits served while the flush ran (give or take the
 * microseconds of two requests).  Also prints the flush's wall-clock
 * bounds, to line it up with a load generator's own clock.
 *
 *   nfdns_flushwin
 *
 * Output, one line: deleted N hits_during H start SEC.USEC end SEC.USEC
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>

#include <linux/nfdns.h>

#include "genl_util.h"

static int u64_attr_cb(const struct nlattr *attr, void *data)
{
	uint64_t *v = data;

	if (mnl_attr_get_type(attr) <= NFDNS_STAT_A_MAX &&
	    mnl_attr_get_payload_len(attr) == 8)
		v[mnl_attr_get_type(attr)] = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int top_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFDNS_A_STATS)
		mnl_attr_parse_nested(attr, u64_attr_cb, data);
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_cb, data);
}

static int count_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFDNS_A_COUNT &&
	    mnl_attr_get_payload_len(attr) == 8)
		*(uint64_t *)data = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), count_attr_cb, data);
}

static int hits(struct nl *nl, uint64_t *out)
{
	uint64_t v[NFDNS_STAT_A_MAX + 1] = { 0 };
	char buf[8192];
	int err;

	err = nl_talk(nl, nl_request(nl, buf, NFDNS_CMD_STATS_GET, 0),
		      stats_cb, v);
	*out = v[NFDNS_STAT_A_HITS];
	return err;
}

int main(void)
{
	uint64_t before, after, deleted = 0;
	struct timespec t0, t1;
	char buf[8192];
	struct nl nl;
	int err;

	err = nl_open(&nl);
	if (err) {
		fprintf(stderr, "nfdns family: %s\n", strerror(-err));
		return 1;
	}
	err = hits(&nl, &before);
	clock_gettime(CLOCK_REALTIME, &t0);
	if (!err)
		err = nl_talk(&nl, nl_request(&nl, buf, NFDNS_CMD_CACHE_FLUSH, 0),
			      count_cb, &deleted);
	clock_gettime(CLOCK_REALTIME, &t1);
	if (!err)
		err = hits(&nl, &after);
	nl_close(&nl);
	if (err) {
		fprintf(stderr, "nfdns_flushwin: %s (%s)\n", strerror(-err),
			nl.errmsg);
		return 1;
	}
	printf("deleted %llu hits_during %llu start %lld.%06ld end %lld.%06ld\n",
	       (unsigned long long)deleted,
	       (unsigned long long)(after - before),
	       (long long)t0.tv_sec, t0.tv_nsec / 1000,
	       (long long)t1.tv_sec, t1.tv_nsec / 1000);
	return 0;
}
