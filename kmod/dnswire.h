/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfdns: DNS wire format.
 *
 * Parsing of client queries, validation of the responses nfdnsd pushes
 * for caching, and building of the replies sent to clients.  Nothing here
 * allocates, sleeps or touches kernel state: every function works on the
 * buffers it is given, so the same code runs in the module, in the host
 * unit tests and under the fuzzer.
 */
#ifndef _NFDNS_DNSWIRE_H
#define _NFDNS_DNSWIRE_H

#include "dnswire_compat.h"

#define DNSWIRE_HDR_LEN		12
/* The longest name in wire format, root label included (RFC 1035 3.1). */
#define DNSWIRE_NAME_MAX	255
/* The longest label (RFC 1035 3.1). */
#define DNSWIRE_LABEL_MAX	63
/* The largest DNS message: offsets into it fit in a u16. */
#define DNSWIRE_MSG_MAX		65535
/*
 * UDP payload size nfdns advertises in the OPT records it sends, and the
 * most it sends in one reply.
 */
#define DNSWIRE_EDNS_UDP_SIZE	1232
/* Reply size limit for clients without EDNS (RFC 1035 4.2.1). */
#define DNSWIRE_UDP_MIN		512
/* Bytes of an OPT record with no options. */
#define DNSWIRE_OPT_LEN		11
/*
 * As dnswire_build_reply()'s elapsed time: the response is served stale,
 * every TTL set to DNSWIRE_STALE_TTL (RFC 8767 section 4).
 */
#define DNSWIRE_ELAPSED_STALE	0xffffffffU
#define DNSWIRE_STALE_TTL	30
/* Compression pointers followed in one name before giving up. */
#define DNSWIRE_MAX_PTR_HOPS	128

/* Header flag bits, first flags byte (offset 2). */
#define DNSWIRE_F1_QR		0x80
#define DNSWIRE_F1_OPCODE	0x78
#define DNSWIRE_F1_AA		0x04
#define DNSWIRE_F1_TC		0x02
#define DNSWIRE_F1_RD		0x01
/* Header flag bits, second flags byte (offset 3). */
#define DNSWIRE_F2_RA		0x80
#define DNSWIRE_F2_Z		0x40
#define DNSWIRE_F2_AD		0x20
#define DNSWIRE_F2_CD		0x10
#define DNSWIRE_F2_RCODE	0x0f

/* RCODEs (RFC 1035 4.1.1, RFC 6891 9). */
#define DNSWIRE_RCODE_NOERROR	0
#define DNSWIRE_RCODE_FORMERR	1
#define DNSWIRE_RCODE_SERVFAIL	2
#define DNSWIRE_RCODE_NXDOMAIN	3
#define DNSWIRE_RCODE_NOTIMP	4
#define DNSWIRE_RCODE_REFUSED	5
#define DNSWIRE_RCODE_BADVERS	16

/* RR types dnswire looks at. */
#define DNSWIRE_TYPE_A		1
#define DNSWIRE_TYPE_NS		2
#define DNSWIRE_TYPE_CNAME	5
#define DNSWIRE_TYPE_SOA	6
#define DNSWIRE_TYPE_PTR	12
#define DNSWIRE_TYPE_MX		15
#define DNSWIRE_TYPE_AAAA	28
#define DNSWIRE_TYPE_SRV	33
#define DNSWIRE_TYPE_DNAME	39
#define DNSWIRE_TYPE_OPT	41
#define DNSWIRE_TYPE_TSIG	250
#define DNSWIRE_TYPE_ANY	255

#define DNSWIRE_CLASS_IN	1

/**
 * struct dnswire_query - a parsed client query
 * @id: message ID
 * @rd: RD bit, echoed in the reply
 * @cd: CD bit, echoed in the reply
 * @ad: AD bit: the client understands it (RFC 6840 5.8)
 * @qname: the question name inside the packet, in the client's case
 * @qname_len: wire length of @qname, root label included (1..255)
 * @qname_lc: @qname lower-cased: the cache key
 * @qtype: question type
 * @qclass: question class
 * @edns: the query carries an OPT record
 * @edns_udp_size: UDP payload size the client advertised, raised to 512
 * @edns_version: EDNS version of the query
 * @edns_do: DNSSEC OK bit of the query
 * @question_end: offset just past the question
 */
struct dnswire_query {
	u16 id;
	bool rd, cd, ad;
	const u8 *qname;
	u8 qname_len;
	u8 qname_lc[DNSWIRE_NAME_MAX];
	u16 qtype, qclass;
	bool edns;
	u16 edns_udp_size;
	u8 edns_version;
	bool edns_do;
	u16 question_end;
};

/**
 * struct dnswire_resp_info - what validation learnt about a response
 * @rcode: RCODE of the response
 * @negative: NXDOMAIN, or NOERROR without an answer of the question type
 *	(NODATA)
 * @min_ttl: smallest TTL of all records; for a negative answer also capped
 *	by the SOA MINIMUM of the authority section (RFC 2308 5), and 0 when
 *	that section has no SOA; 0 when there are no records
 * @n_ttl: TTL fields found (one per record)
 */
struct dnswire_resp_info {
	u8 rcode;
	bool negative;
	u32 min_ttl;
	u16 n_ttl;
};

int dnswire_parse_query(const u8 *msg, size_t len, struct dnswire_query *q);

int dnswire_validate_response(const u8 *msg, size_t len, const u8 *qname_lc,
			      u8 qname_len, u16 qtype, u16 qclass,
			      u16 *ttl_offs, unsigned int max_ttl_offs,
			      struct dnswire_resp_info *info, const char **why);

int dnswire_build_reply(u8 *out, size_t out_cap, const u8 *stored,
			size_t stored_len, const u16 *ttl_offs,
			unsigned int n_ttl, u32 elapsed_s,
			const struct dnswire_query *q, const u8 *client_qname,
			bool *truncated);

size_t dnswire_reply_limit(const struct dnswire_query *q);

int dnswire_build_error(u8 *out, size_t out_cap, const struct dnswire_query *q,
			const u8 *client_qname, u8 rcode);

int dnswire_build_truncated(u8 *out, size_t out_cap,
			    const struct dnswire_query *q,
			    const u8 *client_qname);

int dnswire_build_formerr(u8 *out, size_t out_cap, const u8 *msg, size_t len);

void dnswire_name_lower(u8 *dst, const u8 *src, size_t len);

bool dnswire_name_in_subtree(const u8 *name, u8 name_len, const u8 *zone,
			     u8 zone_len);

int dnswire_name_check(const u8 *name, size_t len);

#endif /* _NFDNS_DNSWIRE_H */
