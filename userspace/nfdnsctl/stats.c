// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl stats: every counter, as text, JSON or Prometheus exposition.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nfdnsctl.h"

/**
 * struct stat_desc - one counter
 * @name: its name in text and JSON output
 * @metric: its Prometheus metric name
 * @attr: %NFDNS_STAT_A_*
 * @gauge: a level rather than a running count
 * @help: what it counts
 */
struct stat_desc {
	const char *name;
	const char *metric;
	unsigned int attr;
	bool gauge;
	const char *help;
};

static const struct stat_desc stats[] = {
	{ "hits", "nfdns_hits_total", NFDNS_STAT_A_HITS, false,
	  "Queries answered from the cache." },
	{ "misses", "nfdns_misses_total", NFDNS_STAT_A_MISSES, false,
	  "Queries not in the cache." },
	{ "upcalls", "nfdns_upcalls_total", NFDNS_STAT_A_UPCALLS, false,
	  "Questions sent to the resolver." },
	{ "upcall_errors", "nfdns_upcall_errors_total",
	  NFDNS_STAT_A_UPCALL_ERRORS, false,
	  "Questions that could not be sent to the resolver." },
	{ "coalesced", "nfdns_coalesced_total", NFDNS_STAT_A_COALESCED, false,
	  "Queries that joined a question already pending." },
	{ "answers", "nfdns_answers_total", NFDNS_STAT_A_ANSWERS, false,
	  "Replies sent, from hits and to waiting clients." },
	{ "servfails", "nfdns_servfails_total", NFDNS_STAT_A_SERVFAILS, false,
	  "SERVFAIL replies sent." },
	{ "stale_answers", "nfdns_stale_answers_total",
	  NFDNS_STAT_A_STALE_ANSWERS, false,
	  "Replies served from expired entries." },
	{ "truncated", "nfdns_truncated_total", NFDNS_STAT_A_TRUNCATED, false,
	  "Replies sent truncated because they were too big." },
	{ "pass_not_query", "nfdns_pass_not_query_total",
	  NFDNS_STAT_A_PASS_NOT_QUERY, false,
	  "Packets passed untouched: not a DNS query." },
	{ "pass_malformed", "nfdns_pass_malformed_total",
	  NFDNS_STAT_A_PASS_MALFORMED, false,
	  "Packets passed untouched: malformed query." },
	{ "pass_marked", "nfdns_pass_marked_total", NFDNS_STAT_A_PASS_MARKED,
	  false, "Packets passed untouched: they carried the resolver's mark." },
	{ "pass_norecurse", "nfdns_pass_norecurse_total",
	  NFDNS_STAT_A_PASS_NORECURSE, false,
	  "Packets passed untouched: recursion not desired." },
	{ "pass_fail_open", "nfdns_pass_fail_open_total",
	  NFDNS_STAT_A_PASS_FAIL_OPEN, false,
	  "Misses passed untouched: no resolver registered." },
	{ "pass_over_limit", "nfdns_pass_over_limit_total",
	  NFDNS_STAT_A_PASS_OVER_LIMIT, false,
	  "Misses passed untouched: too many pending questions or waiters." },
	{ "pass_not_host", "nfdns_pass_not_host_total",
	  NFDNS_STAT_A_PASS_NOT_HOST, false,
	  "Packets passed untouched: broadcast, multicast or for another host." },
	{ "pass_martian", "nfdns_pass_martian_total",
	  NFDNS_STAT_A_PASS_MARTIAN, false,
	  "Packets passed untouched: impossible source address." },
	{ "pass_acl", "nfdns_pass_acl_total", NFDNS_STAT_A_PASS_ACL, false,
	  "Packets passed untouched: source not in clients." },
	{ "pass_iface", "nfdns_pass_iface_total", NFDNS_STAT_A_PASS_IFACE,
	  false, "Packets passed untouched: interface not in ifaces." },
	{ "rrl_dropped", "nfdns_rrl_dropped_total", NFDNS_STAT_A_RRL_DROPPED,
	  false, "Queries dropped by the response rate limit." },
	{ "rrl_slipped", "nfdns_rrl_slipped_total", NFDNS_STAT_A_RRL_SLIPPED,
	  false, "Queries over the rate limit answered with TC=1." },
	{ "local_answers", "nfdns_local_answers_total",
	  NFDNS_STAT_A_LOCAL_ANSWERS, false,
	  "Queries answered by a local rule (local zone or block list)." },
	{ "local_rules", "nfdns_local_rules", NFDNS_STAT_A_LOCAL_RULES, true,
	  "Local rules active." },
	{ "local_bytes", "nfdns_local_bytes", NFDNS_STAT_A_LOCAL_BYTES, true,
	  "Bytes the local rules take, active and staged." },
	{ "reply_errors", "nfdns_reply_errors_total",
	  NFDNS_STAT_A_REPLY_ERRORS, false,
	  "Replies that could not be built or routed." },
	{ "inserts", "nfdns_inserts_total", NFDNS_STAT_A_INSERTS, false,
	  "Entries stored." },
	{ "insert_rejects", "nfdns_insert_rejects_total",
	  NFDNS_STAT_A_INSERT_REJECTS, false, "Pushed responses refused." },
	{ "evictions", "nfdns_evictions_total", NFDNS_STAT_A_EVICTIONS, false,
	  "Live entries evicted to make room." },
	{ "expirations", "nfdns_expirations_total", NFDNS_STAT_A_EXPIRATIONS,
	  false, "Expired entries reclaimed." },
	{ "timeouts", "nfdns_timeouts_total", NFDNS_STAT_A_TIMEOUTS, false,
	  "Pending questions that timed out." },
	{ "entries", "nfdns_cache_entries", NFDNS_STAT_A_ENTRIES, true,
	  "Entries in the cache." },
	{ "bytes", "nfdns_cache_bytes", NFDNS_STAT_A_BYTES, true,
	  "Bytes charged to the cache." },
	{ "pending", "nfdns_pending_questions", NFDNS_STAT_A_PENDING, true,
	  "Questions waiting for the resolver." },
	{ "waiters", "nfdns_waiting_clients", NFDNS_STAT_A_WAITERS, true,
	  "Clients waiting for an answer." },
};

#define N_STATS (sizeof(stats) / sizeof(stats[0]))

static int on_stats(struct nfdnsctl *ctl, struct nlattr **tb, void *arg)
{
	struct nlattr *st[NFDNS_STAT_A_MAX + 1];
	uint64_t *vals = arg;
	unsigned int i;

	(void)ctl;
	if (!tb[NFDNS_A_STATS] ||
	    nla_parse_nested(st, NFDNS_STAT_A_MAX, tb[NFDNS_A_STATS], NULL))
		return -EPROTO;
	for (i = 1; i <= NFDNS_STAT_A_MAX; i++)
		if (st[i] && nla_len(st[i]) == sizeof(uint64_t))
			vals[i] = nla_get_u64(st[i]);
	return 0;
}

/**
 * nfdnsctl_stats_get() - read every counter
 * @ctl: the invocation
 * @vals: NFDNS_STAT_A_MAX + 1 values, indexed by &enum nfdns_stat_attr
 *
 * Return: 0 or -errno, reported.
 */
int nfdnsctl_stats_get(struct nfdnsctl *ctl, uint64_t *vals)
{
	int err = nfdnsctl_open(ctl);

	if (err)
		return err;
	memset(vals, 0, (NFDNS_STAT_A_MAX + 1) * sizeof(*vals));
	return nfdnsctl_transact(ctl,
				 nfdnsctl_msg(ctl, NFDNS_CMD_STATS_GET, 0),
				 on_stats, vals, "reading the counters");
}

enum stats_format { STATS_TEXT, STATS_JSON, STATS_PROMETHEUS };

static void print_stats(struct nfdnsctl *ctl, enum stats_format fmt,
			const uint64_t *vals, const uint64_t *prev,
			double interval)
{
	FILE *f = ctl->out;
	size_t i;

	switch (fmt) {
	case STATS_JSON:
		fputc('{', f);
		for (i = 0; i < N_STATS; i++)
			fprintf(f, "%s\"%s\": %llu", i ? ", " : "",
				stats[i].name,
				(unsigned long long)vals[stats[i].attr]);
		fputs("}\n", f);
		break;
	case STATS_PROMETHEUS:
		for (i = 0; i < N_STATS; i++)
			fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n",
				stats[i].metric, stats[i].help,
				stats[i].metric,
				stats[i].gauge ? "gauge" : "counter",
				stats[i].metric,
				(unsigned long long)vals[stats[i].attr]);
		break;
	case STATS_TEXT:
		for (i = 0; i < N_STATS; i++) {
			unsigned int a = stats[i].attr;

			fprintf(f, "%-16s %llu", stats[i].name,
				(unsigned long long)vals[a]);
			if (prev && !stats[i].gauge && interval > 0)
				fprintf(f, "\t%.1f/s",
					(double)(vals[a] - prev[a]) / interval);
			fputc('\n', f);
		}
		break;
	}
}

/**
 * nfdnsctl_cmd_stats() - `nfdnsctl stats`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * Return: 0 or -errno.
 */
int nfdnsctl_cmd_stats(struct nfdnsctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'p' },
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t vals[NFDNS_STAT_A_MAX + 1], prev[NFDNS_STAT_A_MAX + 1];
	enum stats_format fmt = ctl->json ? STATS_JSON : STATS_TEXT;
	uint64_t watch = 0, count = 0, n;
	struct timespec then, now;
	double interval = 0;
	bool tty;
	int opt, err;

	while ((opt = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			fmt = STATS_JSON;
			break;
		case 'p':
			fmt = STATS_PROMETHEUS;
			break;
		case 'w':
			if (nfdnsctl_parse_u64(optarg, 86400, &watch) || !watch)
				return nfdnsctl_usage(ctl, "--watch takes a number of seconds, 1 to 86400");
			break;
		case 'c':
			if (nfdnsctl_parse_u64(optarg, UINT32_MAX, &count) || !count)
				return nfdnsctl_usage(ctl, "--count takes a positive number");
			break;
		default:
			return nfdnsctl_bad_option(ctl, opt, argv);
		}
	}
	if (optind < argc)
		return nfdnsctl_usage(ctl, "unexpected argument '%s'",
				      argv[optind]);
	if (count && !watch)
		return nfdnsctl_usage(ctl, "--count needs --watch");

	err = nfdnsctl_stats_get(ctl, vals);
	if (err)
		return err;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!watch) {
		print_stats(ctl, fmt, vals, NULL, 0);
		return 0;
	}

	/* In place on a terminal; one block after another into a pipe. */
	tty = isatty(fileno(ctl->out));
	for (n = 1;; n++) {
		if (tty)
			fputs("\033[H\033[2J", ctl->out);
		if (fmt == STATS_TEXT)
			fprintf(ctl->out, "nfdns counters, every %llu s (%llu)\n",
				(unsigned long long)watch,
				(unsigned long long)n);
		print_stats(ctl, fmt, vals, n > 1 ? prev : NULL, interval);
		if (!tty && fmt != STATS_JSON)
			fputc('\n', ctl->out);
		fflush(ctl->out);
		if (count && n >= count)
			return 0;
		memcpy(prev, vals, sizeof(prev));
		then = now;
		sleep((unsigned int)watch);
		err = nfdnsctl_stats_get(ctl, vals);
		if (err)
			return err;
		clock_gettime(CLOCK_MONOTONIC, &now);
		interval = (double)(now.tv_sec - then.tv_sec) +
			   (double)(now.tv_nsec - then.tv_nsec) / 1e9;
	}
}
