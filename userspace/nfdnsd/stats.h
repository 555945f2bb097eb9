/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_STATS_H
#define NFDNSD_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Process-wide counters, logged on SIGUSR1 and at exit: X(name, help). */
#define STATS_FIELDS(X)                                                                \
	X(client_queries, "Questions from clients: UDP, TCP and kernel misses.")        \
	X(client_udp, "Questions from clients over UDP.")                               \
	X(client_tcp, "Questions from clients over TCP.")                               \
	X(kernel_misses, "Questions the kernel module sent (its cache misses).")        \
	X(kernel_prefetches, "Entries the kernel module asked to refresh (prefetch).")  \
	X(prefetch_failures, "Refreshes that found no answer better than the entry.")   \
	X(stale_answers, "Failed resolutions answered from expired data (serve-stale).") \
	X(client_malformed, "Client messages dropped or answered FORMERR.")             \
	X(client_refused, "Clients refused by access-control.")                         \
	X(client_denied, "Clients dropped by access-control deny.")                     \
	X(tcp_refused, "TCP connections over tcp-max-conns.")                           \
	X(tcp_paused, "TCP connections not read for a while: too much in flight.")      \
	X(tcp_idle_closed, "TCP connections closed with replies unread.")               \
	X(waiting_refused, "Questions refused: too many clients waiting.")              \
	X(upstream_no_socket, "Queries not sent: max-upstream-sockets in use.")         \
	X(answered_from_cache, "Questions answered without any upstream query.")        \
	X(coalesced, "Questions that joined the same question in flight.")              \
	X(answers_noerror, "Answers with NOERROR.")                                     \
	X(answers_nxdomain, "Answers with NXDOMAIN.")                                   \
	X(answers_servfail, "Answers with SERVFAIL.")                                   \
	X(answers_other, "Answers with another RCODE.")                                 \
	X(upstream_queries, "Queries sent to name servers, UDP and TCP.")               \
	X(upstream_tcp, "Queries sent to name servers over TCP.")                       \
	X(upstream_timeouts, "Upstream queries that timed out.")                        \
	X(upstream_errors, "Upstream queries that failed.")                             \
	X(family_errors, "Sends with no route for their address family.")               \
	X(upstream_accepted, "Upstream answers that passed every check.")               \
	X(dropped_wrong_source, "Answers from an address or port not queried.")         \
	X(dropped_wrong_id, "Answers with the wrong message ID.")                       \
	X(dropped_wrong_question, "Answers to another question.")                       \
	X(dropped_malformed, "Malformed upstream answers.")                             \
	X(edns_fallbacks, "Queries asked again without EDNS.")                          \
	X(tc_retries, "Truncated answers asked again over TCP.")                        \
	X(lame_servers, "Servers found lame for a zone.")                               \
	X(case_mismatches, "Answers without the 0x20 case: asked again without it.")    \
	X(referrals, "Referrals followed.")                                             \
	X(cname_followed, "CNAME links followed.")                                      \
	X(nameservers_chased, "Name server names without glue resolved.")                        \
	X(parent_glue_used, "Zones reached through the parent's glue after all else.")  \
	X(glue_ignored, "Out-of-bailiwick or unrequested additional records ignored.")  \
	X(limit_hits, "Resolutions stopped by a work bound.")                           \
	X(do_not_query, "Name server addresses refused by do-not-query.")               \
	X(qmin_queries, "Minimised queries chosen (RFC 9156).")                         \
	X(qmin_fallbacks, "Zones asked the full name after a minimised query failed.")  \
	X(kernel_puts, "Answers given to the kernel module.")                           \
	X(kernel_fails, "Failures reported to the kernel module.")                      \
	X(kernel_errors, "Netlink errors with the kernel module.")                      \
	X(kernel_registrations, "Registrations with the kernel module.")                \
	X(val_secure, "Answers validated secure.")                                      \
	X(val_insecure, "Answers validated insecure.")                                  \
	X(val_bogus, "Answers validated bogus.")                                        \
	X(val_indeterminate, "Answers whose validation was indeterminate.")             \
	X(val_aggressive, "Answers from validated NSEC records, no query (RFC 8198).")  \
	X(forwarded, "Queries sent to a forward zone's servers.")                       \
	X(forward_fallbacks, "Questions iterated after every forwarder failed.")        \
	X(local_answers, "Answers from local data, a local zone or a block list.")      \
	X(local_pushes, "Local rule sets the kernel took.")                             \
	X(local_push_errors, "Local data the kernel refused.")                                   \
	X(querylog_dropped, "Query log lines dropped over log-queries-rate.")            \
	X(cachedb_hits, "Answers served from Redis (cachedb).")                         \
	X(cachedb_misses, "Redis lookups that found nothing usable: no key, or expired.") \
	X(cachedb_errors, "Redis lookups and writes that failed or timed out.")         \
	X(cachedb_skipped, "Redis lookups and writes not sent: no connection, backing off, too busy.") \
	X(cachedb_bad_values, "Redis values refused: malformed, another question, too large, or bogus.") \
	X(cachedb_writes, "Answers written to Redis.")

struct stats {
#define STATS_DECLARE(name, help) uint64_t name;
	STATS_FIELDS(STATS_DECLARE)
#undef STATS_DECLARE
};

extern struct stats stats;

void stats_log(void);
/*
 * Every counter in the Prometheus text format, as nfdnsd_NAME_total, into
 * a malloc'd NUL-terminated buffer for the caller to free.  Returns -errno.
 */
int stats_prometheus(char **text);

struct resolver;
/* What /metrics reads besides the counters: set by main(), NULL in tests. */
extern const struct resolver *stats_resolver;
extern int (*stats_kernel_reader)(uint64_t *vals, size_t n);
struct cachedb;
/* Whether cachedb has a connection, for /metrics: set by main(), NULL in tests (stats.c stays without hiredis). */
extern bool (*stats_cachedb_ready)(const struct cachedb *db);

#endif
