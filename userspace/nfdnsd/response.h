/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_RESPONSE_H
#define NFDNSD_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "resolve.h"

/*
 * The response a recursive resolver gives for a result: the question as
 * given, RA=1, CNAME chain and answer, SOA in authority for negatives.
 * Without dnssec_ok (the client's DO) it holds no RRSIG, NSEC or NSEC3
 * records but of the type asked (RFC 4035 3.2.1).
 */
ldns_pkt *response_build(const ldns_rr *question, uint16_t id, bool rd, const struct resolve_result *res,
			 bool dnssec_ok);
/* A copy of list without RRSIG, NSEC and NSEC3 records, but those of qtype. */
ldns_rr_list *response_dnssec_filtered(const ldns_rr_list *list, ldns_rr_type qtype);
/*
 * The same for a client's query: its ID, and RD and CD copied (RFC 4035
 * 3.2.2); AD on a secure answer for a client with DO or AD; SERVFAIL with
 * an Extended DNS Error for a bogus one, unless the client set CD.
 */
ldns_pkt *response_for_query(const ldns_pkt *query, const struct resolve_result *res);

/*
 * The response stored in the kernel cache for a question (QNAME in wire
 * form, exactly as the kernel gave it, and its DO bit): QR=1, RA=1, RD=1,
 * ID 0, no OPT, AD when secure.
 * *ttl is the smallest TTL of its records clamped to [min_ttl, max_ttl]
 * (min_ttl when it has none).  *wire is malloc'd.  -EMSGSIZE when the
 * response would not fit a netlink attribute.
 */
int response_for_kernel(const uint8_t *qname, size_t qname_len, uint16_t qtype, uint16_t qclass,
			const struct resolve_result *res, bool dnssec_ok, uint32_t min_ttl, uint32_t max_ttl, uint8_t **wire,
			size_t *len, uint32_t *ttl);

/*
 * The response written to Redis for a question (cachedb.c): as for the
 * kernel, but with every DNSSEC record (a DO=1 response) and the question
 * lower-cased.  *ttl: its smallest TTL (0 when it has no record).  *wire
 * is malloc'd; -EMSGSIZE over NFDNS_ENTRY_RESPONSE_MAX.
 */
int response_for_cachedb(const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
			 const struct resolve_result *res, uint8_t **wire, size_t *len, uint32_t *ttl);

#endif
