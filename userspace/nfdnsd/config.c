// SPDX-License-Identifier: GPL-2.0
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

#include <linux/nfdns.h>

#include "localdata.h"
#include "log.h"
#include "zones.h"

#ifndef NFDNSD_VERSION
#define NFDNSD_VERSION "0.1"
#endif

void options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->mark = DEFAULT_MARK;
	o->log_level = LOG_LEVEL_INFO;
	o->cache_size = 100000;
	o->infra_size = 10000;
	o->max_ttl = 86400;
	o->neg_max_ttl = 3600;
	o->kernel_min_ttl = 0;
	o->kernel_max_ttl = 86400;
	o->kernel_retry = 10;
	o->edns_size = 1232;
	o->do_ip4 = true;
	o->do_ip6 = true;
	o->qname_minimisation = true;
	o->max_queries = 48;
	o->max_referrals = 16;
	o->max_cname = 16;
	o->max_ns_chase = 4;
	o->max_clients = 4096;
	o->resolve_timeout_ms = 8000;
	o->tcp_idle_ms = 10000;
	o->tcp_max_conns = 256;
	o->tcp_max_in_flight = 32;
	o->tcp_max_queued = 131072;
	o->max_waiting = 16384;
	o->max_waiting_per_question = 256;
	o->cache_max_bytes = 128u << 20;
	o->max_upstream_sockets = 1024;
	o->dnq_localhost = true;
	o->dnssec_validation = true;
	o->harden_algo_downgrade = true;
	o->aggressive_nsec = true;
	o->log_queries_rate = 100;
	o->redis_timeout_ms = 50;
}

static int add_default_access(struct options *o)
{
	for (size_t i = 0; acl_default_clients[i]; i++) {
		int err = acl_add(&o->access, acl_default_clients[i], ACL_ALLOW);

		if (err)
			return err;
	}
	return 0;
}

void options_free(struct options *o)
{
	free(o->config_file);
	free(o->root_hints);
	free(o->control_socket);
	free(o->control_group);
	free(o->metrics);
	free(o->redis_server);
	free(o->redis_replica);
	free(o->redis_user);
	free(o->redis_password);
	o->config_file = o->root_hints = o->control_socket = o->control_group = o->metrics = NULL;
	o->redis_server = o->redis_replica = o->redis_user = o->redis_password = NULL;
	for (size_t i = 0; i < o->n_trust_anchor_files; i++) {
		free(o->trust_anchor_files[i]);
		o->trust_anchor_files[i] = NULL;
	}
	o->n_trust_anchor_files = 0;
	acl_free(&o->access);
	acl_free(&o->dnq);
	localdata_free(o->local);
	o->local = NULL;
	zones_free(o->zones);
	o->zones = NULL;
}

int parse_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!text || !*text || *text == '-' || isspace((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || *end || v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_date(const char *text, time_t *out)
{
	struct tm tm = { 0 };
	const char *end;

	if (strlen(text) != 14 || strspn(text, "0123456789") != 14)
		return -EINVAL;
	end = strptime(text, "%Y%m%d%H%M%S", &tm);
	if (!end || *end)
		return -EINVAL;
	*out = timegm(&tm);
	return *out > 0 ? 0 : -EINVAL;
}

int parse_address(const char *text, uint16_t default_port, struct sockaddr_storage *out)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port_text = NULL;
	uint32_t port = default_port;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');

		if (!close)
			return -EINVAL;
		len = (size_t)(close - text - 1);
		if (close[1] == ':')
			port_text = close + 2;
		else if (close[1] != '\0')
			return -EINVAL;
		text++;
	} else {
		const char *colon = strchr(text, ':');

		/* One colon: IPv4 with a port; more: a bare IPv6 address. */
		if (colon && !strchr(colon + 1, ':')) {
			len = (size_t)(colon - text);
			port_text = colon + 1;
		} else {
			len = strlen(text);
		}
	}
	if (len == 0 || len >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, len);
	host[len] = '\0';
	if (port_text && parse_u32(port_text, 1, 65535, &port))
		return -EINVAL;

	struct sockaddr_in *s4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;

	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	return -EINVAL;
}

bool redis_address_valid(const char *text)
{
	struct sockaddr_storage ss;

	if (strncmp(text, "unix:", 5) == 0)
		return text[5] == '/' && strlen(text + 5) < sizeof(((struct sockaddr_un *)0)->sun_path);
	return parse_address(text, 6379, &ss) == 0;
}

static int set_string(char **dst, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return -ENOMEM;
	free(*dst);
	*dst = copy;
	return 0;
}

struct u32_setting {
	const char *key;
	size_t offset;
	uint32_t min, max;
};

#define U32(k, field, lo, hi) { k, offsetof(struct options, field), lo, hi }
static const struct u32_setting u32_settings[] = {
	U32("mark", mark, 0, UINT32_MAX),
	U32("max-ttl", max_ttl, 1, NFDNS_TTL_MAX),
	U32("neg-max-ttl", neg_max_ttl, 1, NFDNS_TTL_MAX),
	U32("kernel-min-ttl", kernel_min_ttl, 0, NFDNS_TTL_MAX),
	U32("kernel-max-ttl", kernel_max_ttl, 1, NFDNS_TTL_MAX),
	U32("serve-stale", serve_stale, 0, NFDNS_TTL_MAX),
	U32("kernel-retry", kernel_retry, 1, 3600),
	U32("max-queries", max_queries, 4, 1000),
	U32("max-referrals", max_referrals, 1, 64),
	U32("max-cname", max_cname, 1, 64),
	U32("max-ns-chase", max_ns_chase, 1, 64),
	U32("max-clients", max_clients, 1, 1000000),
	U32("tcp-idle-ms", tcp_idle_ms, 100, 600000),
	U32("resolve-timeout-ms", resolve_timeout_ms, 100, 120000),
	U32("tcp-max-conns", tcp_max_conns, 1, 1000000),
	U32("tcp-max-in-flight", tcp_max_in_flight, 1, 65535),
	U32("tcp-max-queued", tcp_max_queued, 65537, 1u << 30),
	U32("max-waiting", max_waiting, 1, 10000000),
	U32("max-waiting-per-question", max_waiting_per_question, 1, 1000000),
	U32("cache-max-bytes", cache_max_bytes, 1u << 16, UINT32_MAX),
	U32("max-upstream-sockets", max_upstream_sockets, 4, 1000000),
	U32("log-queries-rate", log_queries_rate, 1, 1000000),
	U32("redis-db", redis_db, 0, 65535),
	U32("redis-timeout-ms", redis_timeout_ms, 1, 10000),
};

struct bool_setting {
	const char *key;
	size_t offset;
	bool invert;
};

#define BOOL(k, field, inv) { k, offsetof(struct options, field), inv }
static const struct bool_setting bool_settings[] = {
	BOOL("no-kernel", no_kernel, false), BOOL("trace", trace, false), BOOL("syslog", syslog, false),
	BOOL("0x20", use_0x20, false),	     BOOL("no-ipv4", do_ip4, true), BOOL("no-ipv6", do_ip6, true),
	BOOL("do-not-query-localhost", dnq_localhost, false), BOOL("do-not-query-private", dnq_private, false),
	BOOL("qname-minimisation", qname_minimisation, false),
	BOOL("qname-minimisation-strict", qname_minimisation_strict, false),
	BOOL("dnssec-validation", dnssec_validation, false), BOOL("harden-algo-downgrade", harden_algo_downgrade, false),
	BOOL("aggressive-nsec", aggressive_nsec, false), BOOL("forward-first", forward_first, false),
	BOOL("log-queries", log_queries, false),
};

int options_set(struct options *o, const char *key, const char *value, const char *where)
{
	uint32_t v;
	int err;

	for (size_t i = 0; i < sizeof(u32_settings) / sizeof(u32_settings[0]); i++) {
		const struct u32_setting *s = &u32_settings[i];

		if (strcmp(key, s->key) != 0)
			continue;
		if (!value || parse_u32(value, s->min, s->max, &v)) {
			fprintf(stderr, "nfdnsd: %s: %s wants a number in %u..%u, not \"%s\"\n", where, key,
				s->min, s->max, value ? value : "");
			return -EINVAL;
		}
		*(uint32_t *)((char *)o + s->offset) = v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(bool_settings) / sizeof(bool_settings[0]); i++) {
		const struct bool_setting *s = &bool_settings[i];
		bool b = true;

		if (strcmp(key, s->key) != 0)
			continue;
		if (value && parse_bool(value, &b)) {
			fprintf(stderr, "nfdnsd: %s: %s wants yes or no, not \"%s\"\n", where, key, value);
			return -EINVAL;
		}
		*(bool *)((char *)o + s->offset) = s->invert ? !b : b;
		return 0;
	}
	if (!value) {
		fprintf(stderr, "nfdnsd: %s: %s needs a value\n", where, key);
		return -EINVAL;
	}
	if (strcmp(key, "root-hints") == 0)
		return set_string(&o->root_hints, value);
	if (strcmp(key, "control-socket") == 0)
		return set_string(&o->control_socket, value);
	if (strcmp(key, "control-group") == 0)
		return set_string(&o->control_group, value);
	if (strcmp(key, "log-format") == 0) {
		if (strcmp(value, "text") && strcmp(value, "json")) {
			fprintf(stderr, "nfdnsd: %s: log-format is text or json, not \"%s\"\n", where, value);
			return -EINVAL;
		}
		o->log_json = value[0] == 'j';
		return 0;
	}
	if (strcmp(key, "metrics") == 0)
		return set_string(&o->metrics, value);
	if (strcmp(key, "redis-server") == 0 || strcmp(key, "redis-replica") == 0) {
		/*
		 * An address, never a host name: hiredis would resolve it with a
		 * blocking getaddrinfo(), maybe through this very resolver.
		 */
		if (!redis_address_valid(value)) {
			fprintf(stderr, "nfdnsd: %s: %s wants ADDR[:PORT], [ADDR]:PORT or unix:/PATH, not \"%s\"\n", where,
				key, value);
			return -EINVAL;
		}
		return set_string(strcmp(key, "redis-server") == 0 ? &o->redis_server : &o->redis_replica, value);
	}
	if (strcmp(key, "redis-user") == 0)
		return set_string(&o->redis_user, value);
	if (strcmp(key, "redis-password") == 0)
		return set_string(&o->redis_password, value);
	if (strcmp(key, "log-level") == 0) {
		err = log_level_parse(value);
		if (err < 0) {
			fprintf(stderr, "nfdnsd: %s: unknown log level \"%s\"\n", where, value);
			return err;
		}
		o->log_level = err;
		return 0;
	}
	if (strcmp(key, "cache-size") == 0 || strcmp(key, "infra-size") == 0) {
		if (parse_u32(value, 16, 100000000, &v)) {
			fprintf(stderr, "nfdnsd: %s: %s wants a number in 16..100000000\n", where, key);
			return -EINVAL;
		}
		if (key[0] == 'c')
			o->cache_size = v;
		else
			o->infra_size = v;
		return 0;
	}
	if (strcmp(key, "edns-size") == 0) {
		if (parse_u32(value, 512, 65535, &v)) {
			fprintf(stderr, "nfdnsd: %s: edns-size wants 512..65535\n", where);
			return -EINVAL;
		}
		o->edns_size = (uint16_t)v;
		return 0;
	}
	if (strcmp(key, "listen") == 0) {
		if (strcmp(value, "none") == 0) {
			o->n_listen = 0;
			o->listen_set = true;
			return 0;
		}
		if (o->n_listen >= MAX_LISTEN) {
			fprintf(stderr, "nfdnsd: %s: more than %d listen addresses\n", where, MAX_LISTEN);
			return -E2BIG;
		}
		if (parse_address(value, 53, &o->listen[o->n_listen])) {
			fprintf(stderr, "nfdnsd: %s: bad listen address \"%s\"\n", where, value);
			return -EINVAL;
		}
		o->n_listen++;
		o->listen_set = true;
		return 0;
	}
	if (strcmp(key, "access-control") == 0) {
		/* The defaults stay under what is added: the longest prefix decides. */
		if (o->access.n == 0 && add_default_access(o))
			return -ENOMEM;
		if (acl_add_line(&o->access, value)) {
			fprintf(stderr, "nfdnsd: %s: access-control wants \"PREFIX allow|refuse|deny\", not \"%s\"\n",
				where, value);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "do-not-query-address") == 0) {
		if (acl_add(&o->dnq, value, ACL_DENY)) {
			fprintf(stderr, "nfdnsd: %s: do-not-query-address wants an address or prefix, not \"%s\"\n",
				where, value);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "trust-anchor-file") == 0) {
		if (o->n_trust_anchor_files >= MAX_TRUST_ANCHOR_FILES) {
			fprintf(stderr, "nfdnsd: %s: more than %d trust-anchor-file settings\n", where,
				MAX_TRUST_ANCHOR_FILES);
			return -E2BIG;
		}
		err = set_string(&o->trust_anchor_files[o->n_trust_anchor_files], value);
		if (err)
			return err;
		o->n_trust_anchor_files++;
		return 0;
	}
	if (strcmp(key, "val-override-date") == 0) {
		if (parse_date(value, &o->val_override_date)) {
			fprintf(stderr, "nfdnsd: %s: val-override-date wants YYYYMMDDhhmmss, not \"%s\"\n", where,
				value);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "forward-zone") == 0)
		return zones_add(&o->zones, ZONE_FORWARD, value, where);
	if (strcmp(key, "stub-zone") == 0)
		return zones_add(&o->zones, ZONE_STUB, value, where);
	if (strcmp(key, "local-data") == 0)
		return localdata_add_data(&o->local, value, where);
	if (strcmp(key, "local-zone") == 0)
		return localdata_add_zone(&o->local, value, where);
	if (strcmp(key, "blocklist") == 0)
		return localdata_add_blocklist(&o->local, value, where);
	if (strcmp(key, "config") == 0) {
		fprintf(stderr, "nfdnsd: %s: config cannot be set in a configuration file\n", where);
		return -EINVAL;
	}
	fprintf(stderr, "nfdnsd: %s: unknown setting \"%s\"\n", where, key);
	return -EINVAL;
}

int options_load_file(struct options *o, const char *path, bool must_exist)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned lineno = 0;
	int err = 0;

	if (!f) {
		err = -errno;
		if (err == -ENOENT && !must_exist)
			return 0;
		fprintf(stderr, "nfdnsd: %s: %s\n", path, strerror(-err));
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		char where[512], *p = line, *key, *value, *end;

		lineno++;
		snprintf(where, sizeof(where), "%s:%u", path, lineno);
		if (!strchr(line, '\n') && !feof(f)) {
			fprintf(stderr, "nfdnsd: %s: line too long\n", where);
			err = -EINVAL;
			break;
		}
		if ((end = strchr(p, '#')))
			*end = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		key = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
		while (isspace((unsigned char)*p))
			p++;
		value = p;
		end = value + strlen(value);
		while (end > value && isspace((unsigned char)end[-1]))
			*--end = '\0';
		err = options_set(o, key, *value ? value : NULL, where);
		if (err)
			break;
	}
	fclose(f);
	return err;
}


enum { OPT_GENERIC = 256 };

static const struct option long_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "root-hints", required_argument, NULL, OPT_GENERIC },
	{ "listen", required_argument, NULL, 'l' },
	{ "no-kernel", no_argument, NULL, OPT_GENERIC },
	{ "trace", no_argument, NULL, 't' },
	{ "mark", required_argument, NULL, OPT_GENERIC },
	{ "log-level", required_argument, NULL, OPT_GENERIC },
	{ "syslog", no_argument, NULL, OPT_GENERIC },
	{ "cache-size", required_argument, NULL, OPT_GENERIC },
	{ "infra-size", required_argument, NULL, OPT_GENERIC },
	{ "max-ttl", required_argument, NULL, OPT_GENERIC },
	{ "neg-max-ttl", required_argument, NULL, OPT_GENERIC },
	{ "kernel-min-ttl", required_argument, NULL, OPT_GENERIC },
	{ "kernel-max-ttl", required_argument, NULL, OPT_GENERIC },
	{ "serve-stale", required_argument, NULL, OPT_GENERIC },
	{ "kernel-retry", required_argument, NULL, OPT_GENERIC },
	{ "edns-size", required_argument, NULL, OPT_GENERIC },
	{ "0x20", no_argument, NULL, OPT_GENERIC },
	{ "no-ipv4", no_argument, NULL, OPT_GENERIC },
	{ "no-ipv6", no_argument, NULL, OPT_GENERIC },
	{ "qname-minimisation", required_argument, NULL, OPT_GENERIC },
	{ "qname-minimisation-strict", required_argument, NULL, OPT_GENERIC },
	{ "max-queries", required_argument, NULL, OPT_GENERIC },
	{ "max-referrals", required_argument, NULL, OPT_GENERIC },
	{ "max-cname", required_argument, NULL, OPT_GENERIC },
	{ "max-ns-chase", required_argument, NULL, OPT_GENERIC },
	{ "max-clients", required_argument, NULL, OPT_GENERIC },
	{ "tcp-idle-ms", required_argument, NULL, OPT_GENERIC },
	{ "resolve-timeout-ms", required_argument, NULL, OPT_GENERIC },
	{ "tcp-max-conns", required_argument, NULL, OPT_GENERIC },
	{ "tcp-max-in-flight", required_argument, NULL, OPT_GENERIC },
	{ "tcp-max-queued", required_argument, NULL, OPT_GENERIC },
	{ "max-waiting", required_argument, NULL, OPT_GENERIC },
	{ "max-waiting-per-question", required_argument, NULL, OPT_GENERIC },
	{ "cache-max-bytes", required_argument, NULL, OPT_GENERIC },
	{ "max-upstream-sockets", required_argument, NULL, OPT_GENERIC },
	{ "access-control", required_argument, NULL, OPT_GENERIC },
	{ "do-not-query-localhost", required_argument, NULL, OPT_GENERIC },
	{ "do-not-query-private", required_argument, NULL, OPT_GENERIC },
	{ "do-not-query-address", required_argument, NULL, OPT_GENERIC },
	{ "dnssec-validation", required_argument, NULL, OPT_GENERIC },
	{ "trust-anchor-file", required_argument, NULL, OPT_GENERIC },
	{ "val-override-date", required_argument, NULL, OPT_GENERIC },
	{ "harden-algo-downgrade", required_argument, NULL, OPT_GENERIC },
	{ "aggressive-nsec", required_argument, NULL, OPT_GENERIC },
	{ "control-socket", required_argument, NULL, OPT_GENERIC },
	{ "control-group", required_argument, NULL, OPT_GENERIC },
	{ "metrics", required_argument, NULL, OPT_GENERIC },
	{ "log-format", required_argument, NULL, OPT_GENERIC },
	{ "log-queries", no_argument, NULL, OPT_GENERIC },
	{ "log-queries-rate", required_argument, NULL, OPT_GENERIC },
	{ "forward-zone", required_argument, NULL, OPT_GENERIC },
	{ "forward-first", required_argument, NULL, OPT_GENERIC },
	{ "stub-zone", required_argument, NULL, OPT_GENERIC },
	{ "local-data", required_argument, NULL, OPT_GENERIC },
	{ "local-zone", required_argument, NULL, OPT_GENERIC },
	{ "blocklist", required_argument, NULL, OPT_GENERIC },
	{ "redis-server", required_argument, NULL, OPT_GENERIC },
	{ "redis-replica", required_argument, NULL, OPT_GENERIC },
	{ "redis-user", required_argument, NULL, OPT_GENERIC },
	{ "redis-password", required_argument, NULL, OPT_GENERIC },
	{ "redis-db", required_argument, NULL, OPT_GENERIC },
	{ "redis-timeout-ms", required_argument, NULL, OPT_GENERIC },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *out)
{
	fprintf(out,
		"Usage: nfdnsd [OPTION]...\n"
		"Iterative DNS resolver for the nfdns in-kernel cache; also a plain DNS server.\n"
		"\n"
		"  -c, --config FILE        configuration file (default " DEFAULT_CONFIG_FILE ";\n"
		"                           a missing default file is ignored)\n"
		"      --root-hints FILE    root hints in zone file format (default: built in)\n"
		"  -l, --listen ADDR        serve DNS on ADDR, ADDR:PORT or [ADDR]:PORT (UDP and TCP);\n"
		"                           repeatable; \"none\" serves nothing\n"
		"                           (default 127.0.0.1:53 and [::1]:53)\n"
		"      --no-kernel          do not register with the nfdns kernel module\n"
		"  -t, --trace              log every resolution step\n"
		"      --mark N             SO_MARK of upstream sockets (default 0x%x; 0: none)\n"
		"      --log-level LEVEL    error, warning, info (default) or debug\n"
		"      --syslog             log to syslog instead of stderr\n"
		"      --cache-size N       RRsets kept in the cache (default 100000)\n"
		"      --infra-size N       name server addresses remembered (default 10000)\n"
		"      --max-ttl S          longest time an RRset is cached (default 86400)\n"
		"      --neg-max-ttl S      longest time a negative answer is cached (default 3600)\n"
		"      --kernel-min-ttl S   lower clamp of the TTL given to the kernel (default 0)\n"
		"      --kernel-max-ttl S   upper clamp of the TTL given to the kernel (default 86400)\n"
		"      --kernel-retry S     seconds between registration attempts (default 10)\n"
		"      --serve-stale S      answer a failed resolution from an RRset expired at most S\n"
		"                           seconds ago, with TTL 30 (RFC 8767; default 0: never)\n"
		"      --edns-size N        EDNS0 UDP payload size advertised (default 1232)\n"
		"      --0x20               randomise the case of upstream query names\n"
		"      --no-ipv4            never query name servers over IPv4\n"
		"      --no-ipv6            never query name servers over IPv6\n"
		"      --qname-minimisation yes|no  ask each zone only for the next label of\n"
		"                           the name (RFC 9156; default yes)\n"
		"      --qname-minimisation-strict yes|no  never fall back to the full name when\n"
		"                           a minimised query fails (default no)\n"
		"      --max-queries N      upstream queries per client question (default 48)\n"
		"      --max-referrals N    referrals followed per name (default 16)\n"
		"      --max-cname N        CNAME links followed (default 16)\n"
		"      --max-ns-chase N     NS names without glue resolved per referral (default 4)\n"
		"      --max-clients N      client questions resolved at once (default 4096)\n"
		"      --resolve-timeout-ms N  give a question up (SERVFAIL) after N ms (default 8000)\n"
		"      --tcp-idle-ms N      idle time before a client TCP connection is closed,\n"
		"                           also while its replies wait unread (default 10000)\n"
		"      --tcp-max-conns N    client TCP connections at once (default 256)\n"
		"      --tcp-max-in-flight N  questions of one connection answered at once (default 32)\n"
		"      --tcp-max-queued N   reply bytes queued for one connection (default 131072)\n"
		"      --max-waiting N      clients waiting for answers, in all (default 16384)\n"
		"      --max-waiting-per-question N  clients waiting for one question (default 256)\n"
		"      --cache-max-bytes N  memory of the RRset cache (default 134217728)\n"
		"      --max-upstream-sockets N  upstream queries in the air at once (default 1024)\n"
		"      --access-control \"PREFIX allow|refuse|deny\"  who is answered; repeatable,\n"
		"                           the longest prefix decides (default: loopback and\n"
		"                           private ranges allowed, the rest refused)\n"
		"      --do-not-query-localhost yes|no  no queries to loopback, unspecified,\n"
		"                           link-local and this host's addresses (default yes)\n"
		"      --do-not-query-private yes|no  no queries to private ranges (default no)\n"
		"      --do-not-query-address PREFIX  never query there; repeatable\n"
		"      --dnssec-validation yes|no  DNSSEC validation: AD for secure answers,\n"
		"                           SERVFAIL with an EDE for bogus ones (default yes)\n"
		"      --trust-anchor-file FILE  DS or DNSKEY records trusted as they are;\n"
		"                           repeatable (default: the IANA root KSKs)\n"
		"      --val-override-date YYYYMMDDhhmmss  check signatures at this date\n"
		"      --harden-algo-downgrade yes|no  every algorithm of the DS set must sign\n"
		"                           (default yes)\n"
		"      --aggressive-nsec yes|no  answer from validated NSEC records (default yes)\n"
		"      --control-socket PATH  the control socket (default /run/nfdns/nfdnsd.sock;\n"
		"                           \"none\": no control socket)\n"
		"      --control-group GROUP  group that may use it (default nfdns, when it exists;\n"
		"                           otherwise root only)\n"
		"      --log-format text|json  log lines as text (default) or one JSON object each\n"
		"      --log-queries        log each client question answered (default off)\n"
		"      --log-queries-rate N  query log lines per second at most; the rest are\n"
		"                           dropped and counted (default 100)\n"
		"      --metrics [ADDR:]PORT  serve Prometheus metrics at /metrics (a port alone:\n"
		"                           on 127.0.0.1; default off)\n"
		"      --forward-zone \"NAME ADDR...\"  ask these recursive servers (RD=1) for NAME\n"
		"                           and below instead of iterating; repeatable\n"
		"      --forward-first yes|no  iterate when every forwarder fails (default no:\n"
		"                           SERVFAIL)\n"
		"      --stub-zone \"NAME ADDR...\"  iterate from these authoritative servers for\n"
		"                           NAME and below; repeatable\n"
		"      --local-data \"NAME TTL TYPE RDATA\"  answer this record; repeatable\n"
		"      --local-zone \"NAME static|refuse|nxdomain|redirect\"  answer the zone\n"
		"                           locally (Unbound's meanings); repeatable\n"
		"      --blocklist \"FILE [null|nxdomain|refuse]\"  block the names of FILE (hosts\n"
		"                           file or domain list); repeatable (default answer null:\n"
		"                           0.0.0.0 and ::)\n"
		"      --redis-server ADDR[:PORT]|unix:PATH  share answers with other nfdnsd\n"
		"                           through this Redis (cachedb; default off)\n"
		"      --redis-replica ADDR[:PORT]|unix:PATH  read the shared answers from this\n"
		"                           replica instead; writes still go to redis-server\n"
		"      --redis-user NAME    ACL user for AUTH (with redis-password)\n"
		"      --redis-password PASSWORD  AUTH with this password\n"
		"      --redis-db N         SELECT this database (default 0)\n"
		"      --redis-timeout-ms N  the longest a Redis lookup delays a resolution\n"
		"                           (default 50)\n"
		"      --cachedb-key NAME TYPE [DO]  print the Redis key of a question and exit\n"
		"  -h, --help               this text\n"
		"  -V, --version            the version\n"
		"\n"
		"Every long option is also a configuration file setting: one \"key value\" per\n"
		"line, \"key yes|no\" for switches, '#' starts a comment.\n"
		"Signals: SIGTERM/SIGINT stop, SIGHUP reloads the configuration, SIGUSR1 logs\n"
		"the counters.\n",
		DEFAULT_MARK);
}

int options_parse(struct options *o, int argc, char **argv)
{
	const char *config = DEFAULT_CONFIG_FILE;
	bool explicit_config = false, cli_listen = false;
	int c, idx, err;

	opterr = 0;
	optind = 0;
	/* First pass: only which file to read, and help. */
	while ((c = getopt_long(argc, argv, "c:l:thV", long_options, &idx)) != -1) {
		if (c == 'c') {
			config = optarg;
			explicit_config = true;
		} else if (c == 'h') {
			options_usage(stdout);
			return 1;
		} else if (c == 'V') {
			printf("nfdnsd " NFDNSD_VERSION "\n");
			return 1;
		}
	}
	err = set_string(&o->config_file, config);
	if (err)
		return err;
	err = options_load_file(o, config, explicit_config);
	if (err)
		return err;

	opterr = 1;
	optind = 0;
	while ((c = getopt_long(argc, argv, "c:l:thV", long_options, &idx)) != -1) {
		switch (c) {
		case 'c':
			break;
		case 'l':
			/* The command line's addresses replace the file's. */
			if (!cli_listen) {
				o->n_listen = 0;
				cli_listen = true;
			}
			err = options_set(o, "listen", optarg, "command line");
			break;
		case 't':
			o->trace = true;
			break;
		case OPT_GENERIC:
			err = options_set(o, long_options[idx].name, optarg, "command line");
			break;
		default:
			fprintf(stderr, "Try 'nfdnsd --help'.\n");
			return -EINVAL;
		}
		if (err)
			return err;
	}
	if (optind < argc) {
		fprintf(stderr, "nfdnsd: unexpected argument \"%s\"\n", argv[optind]);
		return -EINVAL;
	}
	if (!o->do_ip4 && !o->do_ip6) {
		fprintf(stderr, "nfdnsd: --no-ipv4 and --no-ipv6 leave no way to reach name servers\n");
		return -EINVAL;
	}
	if (o->kernel_min_ttl > o->kernel_max_ttl) {
		fprintf(stderr, "nfdnsd: kernel-min-ttl is above kernel-max-ttl\n");
		return -EINVAL;
	}
	if (o->redis_replica && !o->redis_server) {
		fprintf(stderr, "nfdnsd: redis-replica needs redis-server: writes go to the primary\n");
		return -EINVAL;
	}
	if (o->redis_user && !o->redis_password) {
		fprintf(stderr, "nfdnsd: redis-user needs redis-password\n");
		return -EINVAL;
	}
	if (o->access.n == 0 && add_default_access(o))
		return -ENOMEM;
	err = localdata_finish(o->local);
	if (err)
		return err;
	if (!o->listen_set) {
		parse_address("127.0.0.1", 53, &o->listen[0]);
		parse_address("::1", 53, &o->listen[1]);
		o->n_listen = 2;
	}
	return 0;
}
