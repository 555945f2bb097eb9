// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration reload (SIGHUP, `nfdnsctl resolver reload`): the file and
 * the command line are read into new options; only when all of it parses
 * do they replace the running ones.  Sockets stay open and resolutions in
 * flight go on: they read the options afresh at each step and keep copies
 * of what they took (zone names, server addresses), so nothing they hold
 * points into the options freed here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "kernel.h"
#include "log.h"
#include "querylog.h"
#include "trace.h"

/* A setting only a restart can change: the running value stays, and it is named. */
#define KEEP(field, key)                                                                \
	do {                                                                            \
		if (memcmp(&next->field, &cur->field, sizeof(cur->field))) {           \
			keep_note(warn, warnlen, key);                                  \
			memcpy(&next->field, &cur->field, sizeof(cur->field));          \
		}                                                                       \
	} while (0)

static void keep_note(char *warn, size_t warnlen, const char *key)
{
	size_t n = strlen(warn);

	snprintf(warn + n, warnlen - n, "%s%s", n ? ", " : "needs a restart, running value kept: ", key);
}

static bool same_string(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Strings: the running one moves into next, next's goes with the old options. */
static void keep_string(char **next, char **cur, const char *key, char *warn, size_t warnlen)
{
	char *t;

	if (!same_string(*next, *cur))
		keep_note(warn, warnlen, key);
	t = *next;
	*next = *cur;
	*cur = t;
}

static void keep_restart_only(struct options *next, struct options *cur, char *warn, size_t warnlen)
{
	bool anchors_same = next->n_trust_anchor_files == cur->n_trust_anchor_files;

	if (next->listen_set != cur->listen_set || next->n_listen != cur->n_listen ||
	    memcmp(next->listen, cur->listen, sizeof(cur->listen[0]) * cur->n_listen))
		keep_note(warn, warnlen, "listen");
	memcpy(next->listen, cur->listen, sizeof(cur->listen));
	next->n_listen = cur->n_listen;
	next->listen_set = cur->listen_set;
	KEEP(no_kernel, "no-kernel");
	KEEP(mark, "mark");
	KEEP(syslog, "syslog");
	KEEP(cache_size, "cache-size");
	KEEP(infra_size, "infra-size");
	KEEP(cache_max_bytes, "cache-max-bytes");
	KEEP(serve_stale, "serve-stale");
	KEEP(max_clients, "max-clients");
	KEEP(max_upstream_sockets, "max-upstream-sockets");
	KEEP(tcp_max_conns, "tcp-max-conns");
	KEEP(dnssec_validation, "dnssec-validation");
	KEEP(val_override_date, "val-override-date");
	keep_string(&next->control_socket, &cur->control_socket, "control-socket", warn, warnlen);
	keep_string(&next->control_group, &cur->control_group, "control-group", warn, warnlen);
	keep_string(&next->root_hints, &cur->root_hints, "root-hints", warn, warnlen);
	keep_string(&next->metrics, &cur->metrics, "metrics", warn, warnlen);
	keep_string(&next->redis_server, &cur->redis_server, "redis-server", warn, warnlen);
	keep_string(&next->redis_replica, &cur->redis_replica, "redis-replica", warn, warnlen);
	keep_string(&next->redis_user, &cur->redis_user, "redis-user", warn, warnlen);
	keep_string(&next->redis_password, &cur->redis_password, "redis-password", warn, warnlen);
	KEEP(redis_db, "redis-db");
	KEEP(redis_timeout_ms, "redis-timeout-ms");
	for (size_t i = 0; anchors_same && i < cur->n_trust_anchor_files; i++)
		anchors_same = same_string(next->trust_anchor_files[i], cur->trust_anchor_files[i]);
	if (!anchors_same)
		keep_note(warn, warnlen, "trust-anchor-file");
	for (size_t i = 0; i < MAX_TRUST_ANCHOR_FILES; i++) {
		char *t = next->trust_anchor_files[i];

		next->trust_anchor_files[i] = cur->trust_anchor_files[i];
		cur->trust_anchor_files[i] = t;
	}
	{
		size_t n = next->n_trust_anchor_files;

		next->n_trust_anchor_files = cur->n_trust_anchor_files;
		cur->n_trust_anchor_files = n;
	}
}

int daemon_reload(struct daemon *d, char *err, size_t errlen, char *warn, size_t warnlen)
{
	struct options next, old;
	char *msgs = NULL;
	size_t len = 0;
	FILE *mem, *saved;
	struct acl dnq = { 0 };
	int rc;

	warn[0] = '\0';
	options_defaults(&next);
	/* What the parse says goes to the one who asked, not to stderr. */
	mem = open_memstream(&msgs, &len);
	if (!mem)
		return -ENOMEM;
	saved = stderr;
	stderr = mem;
	rc = options_parse(&next, d->argc, d->argv);
	stderr = saved;
	fclose(mem);
	if (rc == 0 && acl_do_not_query(&dnq, next.dnq_localhost, next.dnq_private, &next.dnq))
		rc = -ENOMEM;
	if (rc) {
		size_t n = msgs ? strlen(msgs) : 0;

		while (n && msgs[n - 1] == '\n')
			msgs[--n] = '\0';
		snprintf(err, errlen, "%s", n ? msgs : "the configuration was refused");
		log_warn("reload refused, the running configuration stays: %s", err);
		free(msgs);
		options_free(&next);
		return rc < 0 ? rc : -EINVAL;
	}
	free(msgs);
	keep_restart_only(&next, &d->opt, warn, warnlen);

	old = d->opt;
	d->opt = next;
	acl_free(&d->resolver.dnq);
	d->resolver.dnq = dnq;
	d->resolver.cache.max_ttl = d->opt.max_ttl;
	d->resolver.cache.neg_max_ttl = d->opt.neg_max_ttl;
	trace_on = d->opt.trace;
	log_set_level(d->opt.log_level);
	log_set_json(d->opt.log_json);
	querylog_setup(d->opt.log_queries ? d->opt.log_queries_rate : 0);
	kernel_local_changed(d->kernel, old.local);
	options_free(&old);
	d->reloads++;
	if (warn[0])
		log_warn("reloaded %s; %s", d->opt.config_file, warn);
	else
		log_info("reloaded %s", d->opt.config_file);
	return 0;
}
