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

#include "kernel_stats.h"
#include "nfdnsctl.h"


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
		for (i = 0; i < NFDNS_N_STAT_DESCS; i++)
			fprintf(f, "%s\"%s\": %llu", i ? ", " : "",
				nfdns_stat_descs[i].name,
				(unsigned long long)vals[nfdns_stat_descs[i].attr]);
		fputs("}\n", f);
		break;
	case STATS_PROMETHEUS:
		for (i = 0; i < NFDNS_N_STAT_DESCS; i++)
			fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n",
				nfdns_stat_descs[i].metric, nfdns_stat_descs[i].help,
				nfdns_stat_descs[i].metric,
				nfdns_stat_descs[i].gauge ? "gauge" : "counter",
				nfdns_stat_descs[i].metric,
				(unsigned long long)vals[nfdns_stat_descs[i].attr]);
		break;
	case STATS_TEXT:
		for (i = 0; i < NFDNS_N_STAT_DESCS; i++) {
			unsigned int a = nfdns_stat_descs[i].attr;

			fprintf(f, "%-16s %llu", nfdns_stat_descs[i].name,
				(unsigned long long)vals[a]);
			if (prev && !nfdns_stat_descs[i].gauge && interval > 0)
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
