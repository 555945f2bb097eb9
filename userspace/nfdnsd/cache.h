/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_CACHE_H
#define NFDNSD_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "lru.h"

/*
 * How much an RRset is believed (RFC 2181 5.4.1, simplified).  Data of a
 * lower rank never replaces live data of a higher rank.
 */
enum rank {
	RANK_NONE,
	RANK_HINT,	/* root hints */
	RANK_GLUE,	/* additional section of a referral, in bailiwick */
	RANK_REFERRAL,	/* NS of a referral: the parent's copy */
	RANK_NONAUTH,	/* answer section without AA */
	RANK_AUTH,	/* answer section with AA, or authoritative negative */
};

struct cache {
	struct lru lru;
	uint32_t max_ttl;
	uint32_t neg_max_ttl;
	uint32_t stale_window;	/* seconds an expired item is kept for cache_get_stale() */
	uint64_t hits, misses, inserts;
};

/* What DNSSEC validation found about an item; VERDICT_NONE until validated. */
#define VERDICT_NONE (-1)

struct cache_verdict {
	int status;		/* enum val_status, or VERDICT_NONE */
	int ede;		/* enum val_ede of a bogus or insecure verdict */
};

struct cache_item {
	ldns_rr_list *rrs;	/* positive: the RRset; negative: the SOA (maybe empty) */
	/*
	 * The RRSIGs over the RRset (or the SOA), and for a negative or
	 * wildcard answer the NSEC/NSEC3 records proving it with theirs.
	 */
	ldns_rr_list *dnssec;
	struct cache_verdict verdict;
	uint64_t stored;	/* seconds */
	uint32_t ttl;
	enum rank rank;
	bool negative;
	uint8_t rcode;		/* negative: NXDOMAIN or NOERROR (NODATA) */
};

/* max_bytes: the memory the items may hold, roughly (0: no bound). */
int cache_init(struct cache *c, size_t max_entries, size_t max_bytes, uint32_t max_ttl, uint32_t neg_max_ttl);
size_t cache_item_cost(const struct cache_item *it);
void cache_destroy(struct cache *c);
/* Drops every item of name (and, with subtree, of every name below it); returns how many. */
size_t cache_flush_name(struct cache *c, const ldns_rdf *name, bool subtree);
/* Drops every negative item (NXDOMAIN, NODATA); returns how many. */
size_t cache_flush_negative(struct cache *c);

/* rrset: records of one owner, type and class (copied). */
int cache_put_rrset(struct cache *c, const ldns_rr_list *rrset, enum rank rank, uint64_t now);
/* The same with its DNSSEC records (copied, may be NULL). */
int cache_put_rrset_signed(struct cache *c, const ldns_rr_list *rrset, const ldns_rr_list *dnssec, enum rank rank,
			   uint64_t now);
/*
 * type 0 records NXDOMAIN for every type of name; otherwise NODATA for that
 * type.  soa may be NULL; it is stored with its TTL set to ttl.
 */
int cache_put_negative(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
		       const ldns_rr *soa, uint32_t ttl, enum rank rank, uint64_t now);
int cache_put_negative_signed(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			      const ldns_rr *soa, const ldns_rr_list *dnssec, uint32_t ttl, enum rank rank,
			      uint64_t now);

/* A copy of the RRset with TTLs aged, or NULL. */
ldns_rr_list *cache_get(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			enum rank min_rank, uint64_t now);
/* The same, with aged copies of its DNSSEC records in *dnssec (may be NULL) and its verdict. */
ldns_rr_list *cache_get_signed(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			       enum rank min_rank, uint64_t now, ldns_rr_list **dnssec, struct cache_verdict *verdict);
/*
 * A cached NXDOMAIN for name or one of its ancestors (RFC 8020), or NODATA
 * for (name, type): returns the RCODE
 * and a copy of the SOA (aged; NULL when none was stored) in *soa, or
 * -ENOENT.
 */
int cache_get_negative(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
		       ldns_rr **soa, uint64_t now);
/* The same, with the denial records and the verdict; *owner (new) is the name the entry is for. */
int cache_get_negative_signed(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			      ldns_rr **soa, ldns_rr_list **dnssec, struct cache_verdict *verdict, ldns_rdf **owner,
			      uint64_t now);

/*
 * Records the verdict of validation on an item (type 0: an NXDOMAIN
 * entry), and shortens its life to at most ttl seconds from now.
 */
void cache_set_verdict(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
		       struct cache_verdict verdict, uint32_t ttl, uint64_t now);

/*
 * The addresses a referral gave for its NS names, kept apart from what
 * the child zone says about them: when the child's own data leads nowhere,
 * the parent's may still work (a child with a wrong address for its server).
 */
/*
 * An expired positive RRset of at least RANK_NONAUTH kept inside the
 * stale window, its TTLs set to STALE_TTL (RFC 8767), and its verdict; NULL
 * when there is none.
 */
#define STALE_TTL 30
ldns_rr_list *cache_get_stale(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			      uint64_t now, struct cache_verdict *verdict);
int cache_put_parent_glue(struct cache *c, const ldns_rr_list *rrset, uint64_t now);
ldns_rr_list *cache_get_parent_glue(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
				    uint64_t now);

/* RRsets of one owner/type/class taken out of list (which keeps the rest), in order. */
ldns_rr_list *rrset_take(ldns_rr_list *list, const ldns_rdf *owner, ldns_rr_type type, ldns_rr_class klass);
/* The smallest TTL of the records, each read as ttl_value() does. */
uint32_t rrset_min_ttl(const ldns_rr_list *rrs);
/* A TTL as received, with the top bit set read as 0 (RFC 2181 8). */
uint32_t ttl_value(uint32_t wire_ttl);
/*
 * Gives every RRset in rrs one TTL (RFC 2181 5.2): its smallest, top-bit
 * TTLs as 0, at most max_ttl.
 */
void rrsets_normalize_ttl(ldns_rr_list *rrs, uint32_t max_ttl);

#endif
