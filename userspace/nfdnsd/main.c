// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <uv.h>

#include "cachedb.h"
#include "config.h"
#include "control.h"
#include "daemon.h"
#include "kernel.h"
#include "log.h"
#include "metrics.h"
#include "querylog.h"
#include "resolve.h"
#include "server.h"
#include "stats.h"
#include "trace.h"

static void stop(struct daemon *d)
{
	if (d->stopping)
		return;
	d->stopping = true;
	control_stop(d->control);
	d->control = NULL;
	metrics_stop(d->metrics);
	d->metrics = NULL;
	kernel_stop(d->kernel);
	service_stop(d->service);
	/* The resolutions go first: they let go of their Redis lookups. */
	resolver_destroy(&d->resolver);
	cachedb_stop(d->resolver.cachedb);
	d->resolver.cachedb = NULL;
	uv_close((uv_handle_t *)&d->sigterm, NULL);
	uv_close((uv_handle_t *)&d->sigint, NULL);
	uv_close((uv_handle_t *)&d->sigusr1, NULL);
	uv_close((uv_handle_t *)&d->sighup, NULL);
	uv_timer_stop(&d->prime);
	uv_close((uv_handle_t *)&d->prime, NULL);
}

static void on_prime_timer(uv_timer_t *t)
{
	struct daemon *d = t->data;

	resolver_prime(&d->resolver);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct daemon *d = h->data;

	if (signum == SIGUSR1) {
		stats_log();
		return;
	}
	if (signum == SIGHUP) {
		char err[2048], warn[1024];

		/* daemon_reload() logs what it did, and why it refused. */
		daemon_reload(d, err, sizeof(err), warn, sizeof(warn));
		return;
	}
	log_info("%s: shutting down", strsignal(signum));
	stop(d);
}

/*
 * Every upstream query and client connection is a descriptor: raise the
 * soft limit as far as needed (and allowed), and fit the upstream cap in
 * what is left, so that running out is a counted refusal, not accept() or
 * socket() failing everywhere.
 */
static void fit_descriptors(struct options *o)
{
	uint64_t need = (uint64_t)o->max_upstream_sockets + o->tcp_max_conns + 2ULL * o->n_listen + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < need) {
		uint64_t left = rl.rlim_cur > 64 + o->tcp_max_conns + 2ULL * o->n_listen + 4
					? rl.rlim_cur - 64 - o->tcp_max_conns - 2ULL * o->n_listen
					: 4;

		log_warn("open file limit %llu: upstream sockets capped at %llu (max-upstream-sockets %u)",
			 (unsigned long long)rl.rlim_cur, (unsigned long long)left, o->max_upstream_sockets);
		o->max_upstream_sockets = (uint32_t)left;
	}
}

/*
 * nfdnsd --cachedb-key NAME TYPE [DO]: the Redis key of a question, for
 * operators and tests.  DO defaults to 1, the key nfdnsd reads and writes.
 */
static int print_cachedb_key(int argc, char **argv)
{
	ldns_rdf *name = argc > 2 ? ldns_dname_new_frm_str(argv[2]) : NULL;
	ldns_rr_type type = argc > 3 ? ldns_get_rr_type_by_name(argv[3]) : 0;
	char key[CACHEDB_KEY_MAX];
	bool dnssec_ok = true;

	if (argc > 4 && (parse_bool(argv[4], &dnssec_ok) || argc > 5))
		type = 0;
	if (!name || !type ||
	    cachedb_key(key, sizeof(key), ldns_rdf_data(name), ldns_rdf_size(name), type, LDNS_RR_CLASS_IN, dnssec_ok)) {
		fprintf(stderr, "usage: nfdnsd --cachedb-key NAME TYPE [DO: 1 or 0, default 1]\n");
		ldns_rdf_deep_free(name);
		return 2;
	}
	printf("%s\n", key);
	ldns_rdf_deep_free(name);
	return 0;
}

int main(int argc, char **argv)
{
	struct daemon d;
	int err;

	if (argc > 1 && strcmp(argv[1], "--cachedb-key") == 0)
		return print_cachedb_key(argc, argv);
	memset(&d, 0, sizeof(d));
	d.argc = argc;
	d.argv = argv;
	d.started = time(NULL);
	options_defaults(&d.opt);
	err = options_parse(&d.opt, argc, argv);
	if (err) {
		options_free(&d.opt);
		return err > 0 ? 0 : 2;
	}
	log_setup(d.opt.log_level, d.opt.syslog, "nfdnsd");
	log_set_json(d.opt.log_json);
	querylog_setup(d.opt.log_queries ? d.opt.log_queries_rate : 0);
	trace_on = d.opt.trace;
	signal(SIGPIPE, SIG_IGN);
	fit_descriptors(&d.opt);

	d.loop = uv_default_loop();
	err = resolver_init(&d.resolver, d.loop, &d.opt);
	if (!err)
		err = resolver_load_hints(&d.resolver, d.opt.root_hints);
	if (err) {
		log_err("cannot start the resolver: %s", strerror(-err));
		resolver_destroy(&d.resolver);
		options_free(&d.opt);
		return 1;
	}
	/* Never fatal: without Redis, nfdnsd resolves alone. */
	err = cachedb_start(&d.resolver.cachedb, d.loop, &d.opt);
	if (err)
		log_warn("cachedb: cannot start (%s); resolving without it", strerror(-err));
	err = service_start(&d.service, d.loop, &d.resolver, &d.opt);
	if (err) {
		resolver_destroy(&d.resolver);
		cachedb_stop(d.resolver.cachedb);
		uv_run(d.loop, UV_RUN_DEFAULT);
		uv_loop_close(d.loop);
		options_free(&d.opt);
		return 1;
	}
	if (!d.opt.no_kernel)
		kernel_start(&d.kernel, d.loop, &d.resolver, &d.opt);
	stats_resolver = &d.resolver;
	stats_cachedb_ready = cachedb_ready;
	if (!d.opt.no_kernel)
		stats_kernel_reader = kernel_stats_read;
	if (control_start(&d.control, &d) || metrics_start(&d.metrics, d.loop, &d.opt)) {
		stop(&d);
		uv_run(d.loop, UV_RUN_DEFAULT);
		service_free(d.service);
		kernel_free(d.kernel);
		uv_loop_close(d.loop);
		options_free(&d.opt);
		return 1;
	}

	uv_signal_init(d.loop, &d.sigterm);
	uv_signal_init(d.loop, &d.sigint);
	uv_signal_init(d.loop, &d.sigusr1);
	uv_signal_init(d.loop, &d.sighup);
	d.sigterm.data = d.sigint.data = d.sigusr1.data = d.sighup.data = &d;
	uv_signal_start(&d.sigterm, on_signal, SIGTERM);
	uv_signal_start(&d.sigint, on_signal, SIGINT);
	uv_signal_start(&d.sigusr1, on_signal, SIGUSR1);
	uv_signal_start(&d.sighup, on_signal, SIGHUP);
	/* Prime now, and again before the root NS set can expire from the cache. */
	uv_timer_init(d.loop, &d.prime);
	d.prime.data = &d;
	uv_timer_start(&d.prime, on_prime_timer, 0, (uint64_t)d.opt.max_ttl * 1000 / 2);
	log_info("started (mark 0x%x, %s root hints%s)", d.opt.mark, d.opt.root_hints ? d.opt.root_hints : "built-in",
		 d.opt.no_kernel ? ", kernel link off" : "");

	uv_run(d.loop, UV_RUN_DEFAULT);

	service_free(d.service);
	kernel_free(d.kernel);
	err = uv_loop_close(d.loop);
	if (err)
		log_warn("event loop closed with handles open: %s", uv_strerror(err));
	stats_log();
	log_info("stopped");
	log_close();
	options_free(&d.opt);
	return 0;
}
