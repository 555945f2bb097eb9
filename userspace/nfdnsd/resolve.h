/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_RESOLVE_H
#define NFDNSD_RESOLVE_H

#include <stdbool.h>
#include <stdint.h>

#include <ldns/ldns.h>
#include <uv.h>

#include "acl.h"
#include "cache.h"
#include "config.h"
#include "infra.h"
#include "lru.h"
#include "validate.h"

struct task;
struct cachedb;
/* One caller waiting for a resolution; several may wait for the same one. */
struct resolution;

struct resolver {
	uv_loop_t *loop;
	const struct options *opt;
	struct cache cache;
	struct infra infra;
	ldns_rr_list *hints;		/* root NS and their addresses */
	struct task *tasks;		/* client resolutions in flight */
	struct lru pending;		/* the same, by question: to coalesce */
	uint64_t in_flight;
	uint64_t waiting;		/* callers waiting, over all tasks */
	struct acl dnq;			/* where queries never go */
	struct acl own;			/* this host's addresses, when refused */
	uint64_t own_read_ms;		/* when they were read */
	uint64_t family_down_ms[2];	/* IPv4, IPv6: when a send found no route (0: up) */
	bool validating;		/* dnssec-validation */
	struct validator val;
	struct lru zone_keys;		/* zones' proven keys, or why they have none, by name */
	struct cachedb *cachedb;	/* answers shared through Redis; NULL: off */
};

/* How long a bogus verdict is kept (Unbound's val-bogus-ttl). */
#define VAL_BOGUS_TTL 60

struct resolve_result {
	int rcode;
	ldns_rr_list *answer;		/* CNAME chain then the final RRset */
	ldns_rr_list *authority;	/* SOA of a negative answer */
	uint32_t queries;		/* upstream queries spent */
	bool from_cache;
	bool from_cachedb;		/* the answer came from Redis (cachedb.c) */
	/*
	 * The answer and authority hold the RRSIGs and NSEC/NSEC3 proofs as
	 * received; response.c leaves them out for clients without DO.
	 * Validation's verdict: secure (AD), bogus (SERVFAIL with ede unless
	 * the client set CD), or neither (insecure, or not validated).
	 */
	bool secure;
	bool bogus;
	int ede;			/* enum val_ede */
};

/* The result and its lists are valid during the call only. */
typedef void (*resolve_cb)(void *arg, const struct resolve_result *res);

int resolver_init(struct resolver *r, uv_loop_t *loop, const struct options *opt);
/* Root hints from a zone-format file (named.root), or the built-in ones for NULL. */
int resolver_load_hints(struct resolver *r, const char *path);
/*
 * Asks the root servers for their current NS set and addresses (RFC 8109),
 * so that outdated hints only serve to find them.
 */
void resolver_prime(struct resolver *r);
/* Ends every resolution without calling back. */
void resolver_destroy(struct resolver *r);
/* Whether a name server address may be queried (do-not-query settings). */
bool resolver_may_query(struct resolver *r, const struct sockaddr *sa);

/*
 * Resolves (qname, qtype, qclass), or joins the resolution of the same
 * question already under way.  *handle is set and reset to NULL just
 * before the callback; the callback may run before this returns (cache
 * hits).
 */
int resolve_start(struct resolver *r, const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
		  resolve_cb cb, void *arg, struct resolution **handle);
/*
 * As resolve_start(), but the answer is fetched from the name servers
 * even when the cache holds it (delegations still come from the cache):
 * a prefetch, whose fresh answer then replaces the cached one.
 */
int resolve_refresh(struct resolver *r, const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
		    resolve_cb cb, void *arg, struct resolution **handle);
/*
 * Answers from the cache alone (a client that does not want recursion,
 * RD=0): the callback runs before this returns 0, or -ENOENT when the
 * cache cannot answer.
 */
int resolve_cached(struct resolver *r, const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
		   resolve_cb cb, void *arg);
/* This caller stops waiting; the resolution goes on while others wait. */
void resolve_cancel(struct resolution *w);

/*
 * Where a task stands.  One driver runs a task's steps until it waits for
 * the network or for a sub-task; only the driver frees a task.
 */
enum task_state {
	TASK_INIT,		/* answer from the cache, or find the zone to ask */
	TASK_CACHEDB,		/* a client question missed the cache: Redis is asked first */
	TASK_QUERY_TARGETS,	/* pick a server and ask, chase an NS name, or give up */
	TASK_WAIT_REPLY,	/* queries in the air: resumed by an answer or a timeout */
	TASK_QUERY_RESPONSE,	/* act on the answer received */
	TASK_CHASE_NS,		/* a sub-task looks up an NS name's address */
	TASK_NS_CHASED,		/* that sub-task is done: its addresses are in the cache */
	TASK_VALIDATE,		/* DNSSEC: check the result along the chain of trust, or fetch what is missing */
	TASK_FETCH_DS,		/* a sub-task fetches a DS set on the way down the chain */
	TASK_FETCH_DNSKEY,	/* a sub-task fetches a zone's DNSKEY set */
	TASK_FINISHED,		/* the result is set: deliver it, then free the task */
	TASK_NONE = -1,		/* no task at that depth */
};

/* A client question in flight, as `nfdnsctl resolver requests` shows it. */
struct request_info {
	const ldns_rdf *qname;
	ldns_rr_type qtype;
	uint64_t age_ms;
	uint32_t waiters;
	uint32_t queries;		/* upstream queries spent so far */
	unsigned depth;			/* sub-tasks below it (NS names, DS, DNSKEY) */
	const char *state;		/* of the deepest sub-task */
	const ldns_rdf *asking;		/* the name that sub-task resolves */
	const ldns_rdf *zone;		/* the zone whose servers it asks, or NULL */
	const struct sockaddr *server;	/* the server last asked, or NULL */
	bool forwarding;
};

int resolver_each_request(struct resolver *r, int (*fn)(void *arg, const struct request_info *ri), void *arg);

/* The state of the task depth levels below the resolution's own (0: its own). */
enum task_state resolution_state(const struct resolution *w, unsigned depth);
const char *task_state_name(enum task_state s);

/*
 * What an upstream answer means for a question asked of a zone's server.
 * Pure classification, shared with the fuzzer and the unit tests.
 */
enum answer_kind {
	ANSWER_POSITIVE,	/* the RRset asked for (maybe after CNAMEs) */
	ANSWER_CNAME,		/* CNAME(s) leading out of what this answer covers */
	ANSWER_NXDOMAIN,
	ANSWER_NODATA,
	ANSWER_REFERRAL,	/* NS for a zone below the one asked */
	ANSWER_LAME,		/* neither: the server does not serve the zone */
	ANSWER_ERROR,		/* SERVFAIL, REFUSED...: try another server */
	ANSWER_LOOP,		/* CNAME loop or chain too long */
};

struct classified {
	enum answer_kind kind;
	ldns_rr_list *chain;		/* CNAMEs accepted, in order */
	ldns_rr_list *rrset;		/* positive: the answer RRset */
	ldns_rdf *target;		/* the name reached after the CNAMEs (or the qname) */
	ldns_rr *soa;			/* negative: SOA, TTL set to the negative TTL */
	uint32_t neg_ttl;
	ldns_rdf *cut;			/* referral: the zone delegated */
	ldns_rr_list *ns;		/* referral: its NS RRset */
	ldns_rr_list *glue;		/* referral: in-bailiwick addresses of its NS names */
	uint32_t glue_ignored;		/* additional records refused */
};

/*
 * zone: the zone the answering server was asked as an authority for.
 * chain_before: CNAME links already followed (for the bound).
 */
int classify_answer(const ldns_pkt *pkt, const ldns_rdf *zone, const ldns_rdf *qname, ldns_rr_type qtype,
		    ldns_rr_class qclass, uint32_t chain_before, uint32_t max_cname, struct classified *out);
void classified_free(struct classified *c);
/* Puts what a classified answer holds into the cache. */
void cache_classified(struct cache *c, const struct classified *cl, const ldns_pkt *pkt, ldns_rr_type qtype,
		      ldns_rr_class qclass, uint64_t now);
/* The RRSIGs in the answer and authority sections over the RRset's owner and type (new list). */
ldns_rr_list *dnssec_sigs_of(const ldns_pkt *pkt, const ldns_rr_list *rrset);
/*
 * The authority section's DNSSEC records: NSEC and NSEC3 records and the
 * RRSIGs over them and over the SOA (new list).
 */
ldns_rr_list *dnssec_denial_of(const ldns_pkt *pkt);
/* RRSIG, NSEC and NSEC3 records: what a client without DO is not given. */
static inline bool is_dnssec_type(ldns_rr_type type)
{
	return type == LDNS_RR_TYPE_RRSIG || type == LDNS_RR_TYPE_NSEC || type == LDNS_RR_TYPE_NSEC3;
}

#endif
