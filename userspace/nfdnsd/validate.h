/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_VALIDATE_H
#define NFDNSD_VALIDATE_H

/*
 * DNSSEC validation (RFC 4033-4035, 5155, 6840, 8198) as steps that the
 * resolver calls with the records it fetched itself: a zone's DNSKEY set
 * against its DS set (or a trust anchor), an RRset against the zone's
 * trusted keys, a negative answer's NSEC/NSEC3 proof, and the aggressive
 * use of validated NSEC records.  Signatures, digests and hashes are
 * ldns's; this file decides what they must prove.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <ldns/ldns.h>

enum val_status {
	VAL_SECURE,
	VAL_INSECURE,
	VAL_BOGUS,
	VAL_INDETERMINATE,
};

/* RFC 8914 Extended DNS Error INFO-CODEs a verdict maps to. */
enum val_ede {
	VAL_EDE_NONE = -1,
	VAL_EDE_UNSUPPORTED_DNSKEY_ALG = 1,
	VAL_EDE_UNSUPPORTED_DS_DIGEST = 2,
	VAL_EDE_DNSSEC_BOGUS = 6,
	VAL_EDE_SIG_EXPIRED = 7,
	VAL_EDE_SIG_NOT_YET_VALID = 8,
	VAL_EDE_DNSKEY_MISSING = 9,
	VAL_EDE_RRSIGS_MISSING = 10,
	VAL_EDE_NO_ZONE_KEY_BIT = 11,
	VAL_EDE_NSEC_MISSING = 12,
};

struct val_result {
	enum val_status status;
	enum val_ede ede;	/* why bogus (or insecure for lack of support) */
	char why[160];		/* for the trace */
};

struct val_config {
	bool harden_algo_downgrade;
	bool aggressive_nsec;
	time_t override_date;	/* 0: the clock */
	size_t nsec_store_size;	/* NSEC records kept for aggressive use */
};

struct val_counters {
	uint64_t secure, insecure, bogus, indeterminate;
};

struct val_nsec_entry {
	ldns_rdf *zone;
	ldns_rr *nsec;
	ldns_rr_list *rrsigs;	/* the NSEC's signatures, for the synthesised proof */
	time_t expires;
};

struct validator {
	struct val_config cfg;
	ldns_rr_list *anchors;	/* DS and DNSKEY records trusted as they are */
	struct val_counters counters;
	struct val_nsec_entry *nsec_store;
	size_t nsec_count;
};

/*
 * A zone's DNSKEY set once proven: the keys signatures are checked with,
 * and the algorithms each of its RRsets must be signed with (with
 * harden-algo-downgrade, every supported algorithm of the DS set; without
 * it, none: any one valid signature is enough).
 */
struct val_keys {
	ldns_rdf *zone;
	ldns_rr_list *dnskeys;
	uint8_t algorithms[8];
	size_t n_algorithms;
};

void val_config_defaults(struct val_config *cfg);
int validator_init(struct validator *v, const struct val_config *cfg);
void validator_free(struct validator *v);
/* DS or DNSKEY records in zone-file format; may be called for several files. */
int validator_add_anchor_file(struct validator *v, const char *path);
/* The IANA root KSKs (2017, 2024), when no anchor file is given. */
int validator_add_default_anchors(struct validator *v);
/* The anchors for ZONE (a new list of clones), or NULL when it has none. */
ldns_rr_list *validator_anchors_for(const struct validator *v, const ldns_rdf *zone);
time_t validator_now(const struct validator *v);

void val_keys_free(struct val_keys *keys);
bool val_algorithm_supported(uint8_t algorithm);
bool val_digest_supported(uint8_t digest);

/*
 * Step 1.  TRUSTED is the zone's DS set from its validated parent, or its
 * trust anchors (DS and/or DNSKEY records).  Secure: *keys holds the
 * zone's keys.  Insecure: no DS names a supported algorithm and digest.
 */
struct val_result val_verify_dnskeys(struct validator *v, const ldns_rdf *zone,
				     const ldns_rr_list *trusted, const ldns_rr_list *dnskeys,
				     const ldns_rr_list *rrsigs, struct val_keys *keys);

/*
 * Step 2.  An RRset (one owner, type, class) and the RRSIGs over it.
 * When it was synthesised from a wildcard, *next_closer (may be NULL) gets
 * the name whose absence must still be proven (val_prove_wildcard); the
 * caller frees it.
 */
struct val_result val_verify_rrset(struct validator *v, const struct val_keys *keys,
				   const ldns_rr_list *rrset, const ldns_rr_list *rrsigs,
				   ldns_rdf **next_closer);

/*
 * The TTL a validated RRset may be kept for (RFC 4035 5.3.3): TTL, capped
 * by its RRSIGs' original TTL and by the time left until they expire.
 */
uint32_t val_validated_ttl(const struct validator *v, uint32_t ttl, const ldns_rr_list *rrsigs);

/*
 * Step 3.  AUTHORITY holds the answer's NSEC or NSEC3 records and their
 * RRSIGs (other records are ignored); each is verified with KEYS first.
 * Validated NSEC records go to the aggressive store when it is on.
 */
struct val_result val_prove_nxdomain(struct validator *v, const struct val_keys *keys,
				     const ldns_rdf *qname, const ldns_rr_list *authority);
/* No QTYPE at QNAME, nor a CNAME; also through a wildcard (wildcard NODATA). */
struct val_result val_prove_nodata(struct validator *v, const struct val_keys *keys,
				   const ldns_rdf *qname, ldns_rr_type qtype,
				   const ldns_rr_list *authority);
/* A wildcard answer for QNAME: NEXT_CLOSER (from step 2) does not exist. */
struct val_result val_prove_wildcard(struct validator *v, const struct val_keys *keys,
				     const ldns_rdf *qname, const ldns_rdf *next_closer,
				     const ldns_rr_list *authority);
/*
 * A referral to CHILD without DS: insecure when the proof holds (NSEC with
 * NS and neither DS nor SOA, NSEC3 likewise or an opt-out span covering
 * it), bogus when it does not.
 */
struct val_result val_prove_no_ds(struct validator *v, const struct val_keys *keys,
				  const ldns_rdf *child, const ldns_rr_list *authority);

/*
 * Step 4 (RFC 8198).  Keeps a validated NSEC (and its RRSIGs) of ZONE
 * until TTL runs out; the oldest goes when the store is full.
 */
int val_nsec_store_add(struct validator *v, const ldns_rdf *zone, const ldns_rr *nsec,
		       const ldns_rr_list *rrsigs, uint32_t ttl);
/* Forgets every stored NSEC (a trust anchor or key change). */
void val_nsec_store_flush(struct validator *v);
/*
 * Secure with *rcode LDNS_RCODE_NXDOMAIN or LDNS_RCODE_NOERROR (NODATA)
 * and *proof (new list: the NSECs and their RRSIGs) when the store proves
 * QNAME/QTYPE absent; indeterminate when it does not.
 */
struct val_result val_nsec_store_lookup(struct validator *v, const ldns_rdf *qname,
					ldns_rr_type qtype, ldns_pkt_rcode *rcode,
					ldns_rr_list **proof);

/* Counts one final verdict. */
void val_count(struct validator *v, enum val_status status);
const char *val_status_name(enum val_status status);

#endif
