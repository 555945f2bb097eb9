// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl status: is it working, and how full is it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "nfdnsctl.h"

/*
 * The kernel knows the resolver by its netlink port.  A process's first
 * netlink socket gets its PID as port, so when a process of that PID
 * exists its name is shown; a port that is no PID shows alone.
 */
static bool resolver_process(uint32_t port, char *comm, size_t size)
{
	char path[64];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/proc/%u/comm", port);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(comm, (int)size, f) != NULL;
	fclose(f);
	if (ok)
		comm[strcspn(comm, "\n")] = '\0';
	return ok;
}

static void human_bytes(uint64_t n, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	unsigned int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u)
		snprintf(buf, size, "%.1f %s", v, units[u]);
	else
		snprintf(buf, size, "%llu B", (unsigned long long)n);
}

static void print_json(struct nfdnsctl *ctl, const struct nfdnsctl_config *c,
		       const uint64_t *st, bool has_comm, const char *comm)
{
	FILE *f = ctl->out;
	unsigned int i;

	fputs("{\"module\": \"loaded\", \"resolver\": ", f);
	if (c->resolver_port) {
		fprintf(f, "{\"port\": %u, \"process\": ", c->resolver_port);
		if (has_comm)
			nfdnsctl_json_str(f, comm);
		else
			fputs("null", f);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fprintf(f, ", \"enabled\": %s, \"entries\": %llu, \"max_entries\": %llu"
		   ", \"bytes\": %llu, \"max_bytes\": %llu, \"pending\": %llu"
		   ", \"waiters\": %llu, \"ports\": [",
		c->vals[NFDNS_CONF_A_ENABLED] ? "true" : "false",
		(unsigned long long)st[NFDNS_STAT_A_ENTRIES],
		(unsigned long long)c->vals[NFDNS_CONF_A_MAX_ENTRIES],
		(unsigned long long)st[NFDNS_STAT_A_BYTES],
		(unsigned long long)c->vals[NFDNS_CONF_A_MAX_BYTES],
		(unsigned long long)st[NFDNS_STAT_A_PENDING],
		(unsigned long long)st[NFDNS_STAT_A_WAITERS]);
	for (i = 0; i < c->n_ports; i++)
		fprintf(f, "%s%u", i ? ", " : "", c->ports[i]);
	fputs("], \"addrs\": [", f);
	for (i = 0; i < c->n_addrs; i++) {
		fputs(i ? ", " : "", f);
		nfdnsctl_json_str(f, c->addrs[i]);
	}
	fprintf(f, "], \"hits\": %llu, \"misses\": %llu}\n",
		(unsigned long long)st[NFDNS_STAT_A_HITS],
		(unsigned long long)st[NFDNS_STAT_A_MISSES]);
}

static void print_text(struct nfdnsctl *ctl, const struct nfdnsctl_config *c,
		       const uint64_t *st, bool has_comm, const char *comm)
{
	char used[32], budget[32];
	FILE *f = ctl->out;
	unsigned int i;

	fputs("module       loaded\n", f);
	if (!c->resolver_port)
		fputs("resolver     none: misses pass to the next server (fail-open)\n", f);
	else if (has_comm)
		fprintf(f, "resolver     %s, pid %u\n", comm, c->resolver_port);
	else
		fprintf(f, "resolver     netlink port %u\n", c->resolver_port);

	human_bytes(st[NFDNS_STAT_A_BYTES], used, sizeof(used));
	human_bytes(c->vals[NFDNS_CONF_A_MAX_BYTES], budget, sizeof(budget));
	fprintf(f, "cache        %llu of %llu entries, %s of %s\n",
		(unsigned long long)st[NFDNS_STAT_A_ENTRIES],
		(unsigned long long)c->vals[NFDNS_CONF_A_MAX_ENTRIES], used,
		budget);
	fprintf(f, "answering    %s, udp port%s ",
		c->vals[NFDNS_CONF_A_ENABLED] ? "enabled" : "disabled",
		c->n_ports == 1 ? "" : "s");
	for (i = 0; i < c->n_ports; i++)
		fprintf(f, "%s%u", i ? "," : "", c->ports[i]);
	fputs(", addresses ", f);
	if (!c->n_addrs)
		fputs("any", f);
	for (i = 0; i < c->n_addrs; i++)
		fprintf(f, "%s%s", i ? "," : "", c->addrs[i]);
	fputc('\n', f);
	fprintf(f, "hits         %llu, misses %llu\n",
		(unsigned long long)st[NFDNS_STAT_A_HITS],
		(unsigned long long)st[NFDNS_STAT_A_MISSES]);
	fprintf(f, "ttl          %llu to %llu s, negative at most %llu s, serve-stale %llu s\n",
		(unsigned long long)c->vals[NFDNS_CONF_A_MIN_TTL],
		(unsigned long long)c->vals[NFDNS_CONF_A_MAX_TTL],
		(unsigned long long)c->vals[NFDNS_CONF_A_NEG_MAX_TTL],
		(unsigned long long)c->vals[NFDNS_CONF_A_SERVE_STALE]);
	fprintf(f, "refresh      prefetch in the last %llu%% of a TTL (%llu sent), stale after %llu ms%s\n",
		(unsigned long long)c->vals[NFDNS_CONF_A_PREFETCH_PCT],
		(unsigned long long)st[NFDNS_STAT_A_PREFETCHES],
		(unsigned long long)c->vals[NFDNS_CONF_A_STALE_ANSWER_MS],
		c->vals[NFDNS_CONF_A_STALE_WITHOUT_RESOLVER] ?
		" or with no resolver" : "");
	fprintf(f, "pending      %llu questions, %llu clients waiting (at most %llu and %llu per question, %llu ms)\n",
		(unsigned long long)st[NFDNS_STAT_A_PENDING],
		(unsigned long long)st[NFDNS_STAT_A_WAITERS],
		(unsigned long long)c->vals[NFDNS_CONF_A_MAX_PENDING],
		(unsigned long long)c->vals[NFDNS_CONF_A_MAX_WAITERS],
		(unsigned long long)c->vals[NFDNS_CONF_A_PENDING_TIMEOUT_MS]);
	fprintf(f, "mark         0x%llx\n",
		(unsigned long long)c->vals[NFDNS_CONF_A_MARK]);
}

/**
 * nfdnsctl_cmd_status() - `nfdnsctl status [--json]`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * Return: 0 or -errno (-ENOENT: the module is not loaded).
 */
int nfdnsctl_cmd_status(struct nfdnsctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t st[NFDNS_STAT_A_MAX + 1];
	struct nfdnsctl_config conf;
	bool json = ctl->json, has_comm = false;
	char comm[64] = "";
	int opt, err;

	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt != 'j')
			return nfdnsctl_bad_option(ctl, opt, argv);
		json = true;
	}
	if (optind < argc)
		return nfdnsctl_usage(ctl, "unexpected argument '%s'",
				      argv[optind]);
	err = nfdnsctl_config_get(ctl, &conf);
	if (!err)
		err = nfdnsctl_stats_get(ctl, st);
	if (err)
		return err;
	if (conf.resolver_port)
		has_comm = resolver_process(conf.resolver_port, comm,
					    sizeof(comm));
	if (json)
		print_json(ctl, &conf, st, has_comm, comm);
	else
		print_text(ctl, &conf, st, has_comm, comm);
	return 0;
}
