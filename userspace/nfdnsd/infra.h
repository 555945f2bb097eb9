/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_INFRA_H
#define NFDNSD_INFRA_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ldns/ldns.h>

#include "lru.h"

/*
 * What is known about each name server address: smoothed round-trip time
 * (RFC 6298 style), timeouts, EDNS support, and per-zone lameness.  Times
 * are milliseconds on the loop's monotonic clock.
 */
#define INFRA_RTO_INITIAL 400	/* ms, an address never heard from */
#define INFRA_RTO_MIN 50
#define INFRA_RTO_MAX 3000
/* Backing off from a silent address: 1 s, doubling, at most this long. */
#define INFRA_BACKOFF_MAX 120000
#define INFRA_LAME_TTL 900000	/* ms a lame (zone, address) is avoided */
#define INFRA_TTL 900000	/* ms an address record lives without use */
#define INFRA_SERVFAIL_TTL 5000	/* ms a (zone, address) that said SERVFAIL is avoided */
#define INFRA_REPROBE 900000	/* ms until EDNS or 0x20 is tried again on a server that failed it */

struct infra_server {
	bool rtt_known;
	uint32_t srtt, rttvar;	/* ms */
	uint32_t timeouts;	/* in a row */
	uint64_t backoff_until;
	bool no_edns;		/* answered FORMERR/NOTIMP to EDNS */
	uint64_t no_edns_at;
	bool no_0x20;		/* did not echo the case of the question */
	uint64_t no_0x20_at;
};

struct infra {
	struct lru servers;
	struct lru lame;
};

int infra_init(struct infra *in, size_t max_entries);
void infra_destroy(struct infra *in);

/* Never NULL unless out of memory. */
struct infra_server *infra_server(struct infra *in, const struct sockaddr *sa, uint64_t now);
void infra_rtt_sample(struct infra *in, const struct sockaddr *sa, uint32_t rtt_ms, uint64_t now);
void infra_timeout(struct infra *in, const struct sockaddr *sa, uint64_t now);
/* How long to wait for this address before trying another. */
uint32_t infra_rto(struct infra *in, const struct sockaddr *sa, uint64_t now);
void infra_set_no_edns(struct infra *in, const struct sockaddr *sa, uint64_t now);
/* Whether to send EDNS: yes unless it failed less than INFRA_REPROBE ago. */
bool infra_use_edns(struct infra *in, const struct sockaddr *sa, uint64_t now);
void infra_set_no_0x20(struct infra *in, const struct sockaddr *sa, uint64_t now);
bool infra_use_0x20(struct infra *in, const struct sockaddr *sa, uint64_t now);

void infra_set_lame(struct infra *in, const ldns_rdf *zone, const struct sockaddr *sa, uint64_t now);
/* The same for ttl_ms (a SERVFAIL is remembered briefly). */
void infra_set_lame_for(struct infra *in, const ldns_rdf *zone, const struct sockaddr *sa, uint64_t now,
			uint32_t ttl_ms);
bool infra_is_lame(struct infra *in, const ldns_rdf *zone, const struct sockaddr *sa, uint64_t now);

/*
 * The preferred address among n candidates, skipping those with skip[i]
 * set: addresses never measured first (so each gets a chance), then by
 * smoothed RTT, addresses in back-off last.  Ties broken at random.
 * Returns -ENOENT when all are skipped.
 */
int infra_select(struct infra *in, const struct sockaddr_storage *cands, const bool *skip, size_t n,
		 uint64_t now);
/* The ranking value infra_select uses; exposed for tests. */
uint64_t infra_score(struct infra *in, const struct sockaddr *sa, uint64_t now);
/* Forgets one address (every zone it was lame for too), or everything with NULL; returns entries dropped. */
size_t infra_flush(struct infra *in, const struct sockaddr *sa);
/* Each address known, with what is known of it, and how many zones it is lame for now. */
int infra_each(struct infra *in, uint64_t now,
	       int (*fn)(void *arg, const struct sockaddr *sa, const struct infra_server *s, size_t lame_zones),
	       void *arg);

#endif
