/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_CONFIG_H
#define NFDNSD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>

#include "acl.h"

struct localdata;
struct zones;

#define DEFAULT_CONFIG_FILE "/etc/nfdns/nfdnsd.conf"
/* "nf" in ASCII; packets with this mark pass the nfdns hook untouched. */
#define DEFAULT_MARK 0x6e66
#define MAX_LISTEN 32
#define MAX_TRUST_ANCHOR_FILES 16

struct options {
	char *config_file;
	char *root_hints;		/* NULL: the built-in hints */
	struct sockaddr_storage listen[MAX_LISTEN];
	size_t n_listen;
	bool listen_set;		/* listen given (possibly "none") */
	bool no_kernel;
	bool trace;
	uint32_t mark;
	int log_level;
	bool syslog;
	size_t cache_size;		/* RRsets */
	size_t infra_size;		/* server addresses */
	uint32_t max_ttl;		/* seconds */
	uint32_t neg_max_ttl;		/* seconds */
	uint32_t kernel_min_ttl;	/* clamp of NFDNS_A_TTL */
	uint32_t kernel_max_ttl;
	uint32_t serve_stale;		/* seconds past its TTL an RRset may answer a failed resolution */
	uint32_t kernel_retry;		/* seconds between registration attempts */
	uint16_t edns_size;
	bool use_0x20;
	bool qname_minimisation;	/* RFC 9156: each zone is asked for one more label */
	bool qname_minimisation_strict;	/* no falling back to the full name */
	bool do_ip4, do_ip6;		/* address families of upstream queries */
	uint32_t max_queries;		/* upstream queries per client question */
	uint32_t max_referrals;
	uint32_t max_cname;
	uint32_t max_ns_chase;		/* NS names without glue resolved per referral */
	uint32_t max_clients;		/* client questions being resolved at once */
	uint32_t resolve_timeout_ms;	/* a client question is given up after this */
	uint32_t tcp_idle_ms;
	uint32_t tcp_max_conns;		/* client TCP connections at once */
	uint32_t tcp_max_in_flight;	/* questions per connection being answered */
	uint32_t tcp_max_queued;	/* reply bytes queued per connection */
	uint32_t max_waiting;		/* clients waiting for answers, in all */
	uint32_t max_waiting_per_question;
	uint32_t cache_max_bytes;	/* memory of the RRset cache, roughly */
	uint32_t max_upstream_sockets;	/* upstream queries in the air at once */
	struct acl access;		/* who is answered (defaults first) */
	bool dnq_localhost;		/* no queries to this host or its links */
	bool dnq_private;		/* no queries to private ranges */
	struct acl dnq;			/* do-not-query-address */
	/* DNSSEC (validate.c) */
	bool dnssec_validation;
	char *trust_anchor_files[MAX_TRUST_ANCHOR_FILES];	/* none: the built-in root KSKs */
	size_t n_trust_anchor_files;
	time_t val_override_date;	/* 0: the clock */
	bool harden_algo_downgrade;
	bool aggressive_nsec;
	/* local-data, local-zone and blocklist (localdata.c) */
	struct localdata *local;
	/* forward-zone and stub-zone (zones.c) */
	struct zones *zones;
	bool forward_first;		/* iterate when every forwarder fails */
	/* the control channel (control.c); NULL: the defaults */
	char *control_socket;
	char *control_group;
	char *metrics;			/* ADDR:PORT or PORT of /metrics (metrics.c); NULL: off */
	bool log_json;			/* log-format json */
	bool log_queries;		/* the query log (querylog.c) */
	uint32_t log_queries_rate;	/* its lines per second at most */
	/* cachedb: answers shared through Redis (cachedb.c); off while redis_server is NULL */
	char *redis_server;		/* "ADDR[:PORT]" or "unix:PATH": reads and writes */
	char *redis_replica;		/* the same, for reads only; NULL: reads go to redis_server */
	char *redis_user;		/* ACL user (AUTH user password); NULL: AUTH password alone */
	char *redis_password;		/* NULL: no AUTH */
	uint32_t redis_db;		/* SELECT */
	uint32_t redis_timeout_ms;	/* the longest a lookup delays a resolution */
};

void options_defaults(struct options *o);
void options_free(struct options *o);

/*
 * Command line then configuration file: the file is read first (the one
 * named by --config, or the default, which may be missing), then the
 * command line overrides it.  Returns 0 to run, 1 when --help or
 * --version was handled, -errno on error (message printed).
 */
int options_parse(struct options *o, int argc, char **argv);
/* One setting by its long option name (the config file key). */
int options_set(struct options *o, const char *key, const char *value, const char *where);
int options_load_file(struct options *o, const char *path, bool must_exist);

/* "1.2.3.4", "1.2.3.4:53", "::1", "[::1]", "[::1]:5353"; port 53 when none. */
int parse_address(const char *text, uint16_t default_port, struct sockaddr_storage *out);
/* Decimal, 0x hex or 0 octal, within [min, max]. */
int parse_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out);
int parse_bool(const char *text, bool *out);
/* A redis-server or redis-replica value: an address with an optional port, or unix:/PATH. */
bool redis_address_valid(const char *text);
/* YYYYMMDDhhmmss, UTC, as an RRSIG's dates. */
int parse_date(const char *text, time_t *out);

void options_usage(FILE *out);

#endif
