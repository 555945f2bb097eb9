/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_STATS_H
#define NFDNSD_STATS_H

#include <stdint.h>

/* Process-wide counters, logged on SIGUSR1 and at exit. */
#define STATS_FIELDS(X)                                                                      \
	X(client_queries)      /* questions from clients (UDP, TCP, kernel) */               \
	X(client_udp)          X(client_tcp) X(kernel_misses)                                \
	X(client_malformed)    /* dropped or answered FORMERR */                             \
	X(client_refused)      X(client_denied) /* by access-control */                       \
	X(tcp_refused)         /* connections over tcp-max-conns */                          \
	X(tcp_paused)          /* connections not read for a while: too much in flight */    \
	X(tcp_idle_closed)     /* connections closed with replies unread */                  \
	X(waiting_refused)     /* questions refused: too many clients waiting */             \
	X(upstream_no_socket)  /* queries not sent: max-upstream-sockets in use */           \
	X(answered_from_cache) /* answered without any upstream query */                     \
	X(coalesced)           /* questions that joined the same question in flight */       \
	X(answers_noerror)     X(answers_nxdomain) X(answers_servfail) X(answers_other)      \
	X(upstream_queries)    /* every query sent, UDP and TCP */                           \
	X(upstream_tcp)        X(upstream_timeouts) X(upstream_errors)                       \
	X(family_errors)       /* sends with no route for their address family */          \
	X(upstream_accepted)   /* answers that passed every check */                        \
	X(dropped_wrong_source) /* from an address or port not queried */                   \
	X(dropped_wrong_id)    X(dropped_wrong_question) X(dropped_malformed)                \
	X(edns_fallbacks)      X(tc_retries) X(lame_servers)                                 \
	X(case_mismatches)     /* answers without the 0x20 case: asked again without it */  \
	X(referrals)           X(cname_followed) X(ns_chased)                                \
	X(parent_glue_used)    /* zones reached through the parent's glue after all else */ \
	X(glue_ignored)        /* out-of-bailiwick or unrequested additional records */      \
	X(limit_hits)          /* resolutions stopped by a work bound */                     \
	X(do_not_query)        /* name server addresses refused by do-not-query */           \
	X(qmin_queries)        /* minimised queries chosen (RFC 9156) */                     \
	X(qmin_fallbacks)      /* zones asked the full name after a minimised query failed */ \
	X(kernel_puts)         X(kernel_fails) X(kernel_errors) X(kernel_registrations)      \
	X(val_secure)          /* DNSSEC verdicts of answers validated */                    \
	X(val_insecure)        X(val_bogus) X(val_indeterminate)                             \
	X(val_aggressive)      /* answered from validated NSEC records, no query (RFC 8198) */ \
	X(forwarded)           /* queries sent to a forward zone's servers */                  \
	X(forward_fallbacks)   /* questions iterated after every forwarder failed */           \
	X(local_answers)       /* answered from local data, a local zone or a block list */    \
	X(local_pushes)        /* local rule sets and static entries the kernel took */        \
	X(local_push_errors)   /* ... and refused */

struct stats {
#define STATS_DECLARE(name) uint64_t name;
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

#endif
