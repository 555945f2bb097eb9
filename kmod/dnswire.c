// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: DNS wire format.
 *
 * Client queries are parsed strictly: anything but a plain standard query
 * is left alone, so the module only ever answers what it fully understood.
 * Responses pushed by nfdnsd are validated once, when they are stored, so
 * that a hit only has to copy bytes and patch a few fields: every name is
 * walked (compression pointers included), every record is delimited and
 * the offset of every TTL field is recorded.
 */

#include "dnswire.h"

/* QTYPE and QCLASS after the question name. */
#define DNSWIRE_QTAIL_LEN	4
/* TYPE, CLASS, TTL and RDLENGTH after a record's owner name. */
#define DNSWIRE_RR_FIXED_LEN	10
#define DNSWIRE_PTR_MASK	0xc0
#define DNSWIRE_TTL_MAX		0x7fffffffU
#define DNSWIRE_EDNS_DO		0x8000

static u8 dnswire_lower(u8 c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/*
 * Length of the uncompressed name at @off.  The question never needs a
 * compression pointer (nothing precedes it but the header) and netlink
 * names are uncompressed by definition, so a pointer is an error here.
 */
static int dnswire_plain_name(const u8 *msg, size_t len, size_t off,
			      const char **why)
{
	size_t start = off;

	for (;;) {
		u8 l;

		if (off >= len) {
			*why = "name runs past the end";
			return -EINVAL;
		}
		l = msg[off];
		if ((l & DNSWIRE_PTR_MASK) == DNSWIRE_PTR_MASK) {
			*why = "compression pointer in question";
			return -EINVAL;
		}
		if (l > DNSWIRE_LABEL_MAX) {
			*why = "bad label type";
			return -EINVAL;
		}
		off += 1 + l;
		if (off - start > DNSWIRE_NAME_MAX) {
			*why = "name longer than 255 bytes";
			return -EINVAL;
		}
		if (!l)
			return off - start;
	}
}

/* Whether [start, end) overlaps one of the @n TTL fields at @offs (sorted). */
static bool dnswire_hits_ttl(const u16 *offs, unsigned int n, size_t start,
			     size_t end)
{
	unsigned int lo = 0, hi = n;

	/* The first field that ends after @start. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (offs[mid] + 4u <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && offs[lo] < end;
}

/*
 * Walk the possibly compressed name at @off, whose own bytes must end
 * before @end.  Returns the offset just past those bytes.
 *
 * The bytes a pointer leads to must lie wholly before the bytes read until
 * then (before the name itself for the first pointer), as they do when a
 * name reuses the suffix of an earlier one.  Every jump therefore lands
 * lower than the one before, so no walk can loop whatever the message
 * holds, and the hop bound caps the work spent on pointer chains.
 *
 * Replies are built by patching TTL fields in place, so a name must not be
 * read through one: it would change as the entry ages.  @ttl_offs holds
 * the @n_ttl TTL fields before @off, which are all a pointer can reach.
 */
static int dnswire_walk_name(const u8 *msg, size_t len, size_t off,
			     size_t end, const u16 *ttl_offs,
			     unsigned int n_ttl, const char **why)
{
	size_t pos = off, seg = off, seen = off, bound = end, next = 0;
	unsigned int hops = 0, name_len = 0;

	for (;;) {
		u8 l;

		if (pos >= bound)
			goto past_end;
		l = msg[pos];
		if ((l & DNSWIRE_PTR_MASK) == DNSWIRE_PTR_MASK) {
			size_t target;

			if (pos + 1 >= bound)
				goto past_end;
			if (next && dnswire_hits_ttl(ttl_offs, n_ttl, seg,
						     pos + 2))
				goto through_ttl;
			target = (size_t)(l & ~DNSWIRE_PTR_MASK) << 8 |
				 msg[pos + 1];
			if (!next)
				next = pos + 2;
			/* Every byte read so far is at or before pos + 1. */
			if (pos + 1 > seen)
				seen = pos + 1;
			if (target < DNSWIRE_HDR_LEN) {
				*why = "compression pointer into the header";
				return -EINVAL;
			}
			if (target >= len) {
				*why = "compression pointer out of bounds";
				return -EINVAL;
			}
			if (target >= seg) {
				*why = target <= seen ?
				       "compression pointer loop" :
				       "forward compression pointer";
				return -EINVAL;
			}
			if (++hops > DNSWIRE_MAX_PTR_HOPS) {
				*why = "too many compression pointers";
				return -EINVAL;
			}
			bound = seg;
			pos = target;
			seg = target;
			continue;
		}
		if (l > DNSWIRE_LABEL_MAX) {
			*why = "bad label type";
			return -EINVAL;
		}
		name_len += 1 + l;
		if (name_len > DNSWIRE_NAME_MAX) {
			*why = "name longer than 255 bytes";
			return -EINVAL;
		}
		pos += 1 + l;
		if (l)
			continue;
		if (!next)
			return pos;
		if (dnswire_hits_ttl(ttl_offs, n_ttl, seg, pos))
			goto through_ttl;
		return next;
	}

past_end:
	*why = next ? "compression target runs into later data" :
		      "name runs past the end";
	return -EINVAL;
through_ttl:
	*why = "compression pointer into a TTL field";
	return -EINVAL;
}

static bool dnswire_name_eq_lc(const u8 *name, const u8 *lc, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (dnswire_lower(name[i]) != lc[i])
			return false;
	return true;
}

/* The OPT record of a query, the last thing in it (RFC 6891 6.1). */
static int dnswire_parse_opt(const u8 *msg, size_t len, size_t off,
			     struct dnswire_query *q)
{
	const char *why;
	u16 type, udp_size, rdlen;
	bool root;
	u32 ttl;
	int ret;

	if (off >= len)
		return -EINVAL;
	root = !msg[off];
	ret = dnswire_walk_name(msg, len, off, len, NULL, 0, &why);
	if (ret < 0)
		return ret;
	off = ret;
	if (len - off < DNSWIRE_RR_FIXED_LEN)
		return -EINVAL;
	type = get_unaligned_be16(msg + off);
	if (type != DNSWIRE_TYPE_OPT)
		return -EOPNOTSUPP;
	if (!root)
		return -EINVAL;
	udp_size = get_unaligned_be16(msg + off + 2);
	ttl = get_unaligned_be32(msg + off + 4);
	rdlen = get_unaligned_be16(msg + off + 8);
	off += DNSWIRE_RR_FIXED_LEN;
	if (len - off != rdlen)
		return -EINVAL;

	/* The options must exactly fill RDATA. */
	while (off < len) {
		if (len - off < 4)
			return -EINVAL;
		off += 4 + get_unaligned_be16(msg + off + 2);
		if (off > len)
			return -EINVAL;
	}

	q->edns = true;
	q->edns_udp_size = udp_size < DNSWIRE_UDP_MIN ? DNSWIRE_UDP_MIN :
			   udp_size;
	q->edns_version = (ttl >> 16) & 0xff;
	q->edns_do = ttl & DNSWIRE_EDNS_DO;
	return 0;
}

/**
 * dnswire_parse_query() - parse a client query
 * @msg: the UDP payload
 * @len: its length
 * @q: filled in on success; @q->qname points into @msg
 *
 * Accepts exactly one kind of message: a standard query (QR=0,
 * opcode QUERY, TC=0) with one question, no answer or authority records,
 * and at most one additional record, which must be an OPT record with the
 * root as owner.  The question name must be uncompressed.  Nothing may
 * follow the last record.
 *
 * A query with EDNS version above 0 is accepted; replies built for it
 * are BADVERS.
 *
 * Return: 0; -EINVAL for a malformed message; -EOPNOTSUPP for a message
 * that is well formed but is not a plain query nfdns answers (a response,
 * another opcode, several or no questions, a TSIG or other non-OPT
 * additional record, a question for OPT, TKEY, TSIG, IXFR or AXFR).
 */
int dnswire_parse_query(const u8 *msg, size_t len, struct dnswire_query *q)
{
	const char *why;
	u16 qd, an, ns, ar;
	size_t off;
	int ret;

	if (len < DNSWIRE_HDR_LEN || len > DNSWIRE_MSG_MAX)
		return -EINVAL;
	if (msg[2] & (DNSWIRE_F1_QR | DNSWIRE_F1_OPCODE))
		return -EOPNOTSUPP;
	if (msg[2] & DNSWIRE_F1_TC)
		return -EINVAL;
	qd = get_unaligned_be16(msg + 4);
	an = get_unaligned_be16(msg + 6);
	ns = get_unaligned_be16(msg + 8);
	ar = get_unaligned_be16(msg + 10);
	if (qd != 1)
		return -EOPNOTSUPP;
	if (an || ns)
		return -EINVAL;
	if (ar > 1)
		return -EOPNOTSUPP;

	ret = dnswire_plain_name(msg, len, DNSWIRE_HDR_LEN, &why);
	if (ret < 0)
		return ret;
	off = DNSWIRE_HDR_LEN + ret;
	if (len - off < DNSWIRE_QTAIL_LEN)
		return -EINVAL;

	q->id = get_unaligned_be16(msg);
	q->rd = msg[2] & DNSWIRE_F1_RD;
	q->cd = msg[3] & DNSWIRE_F2_CD;
	q->ad = msg[3] & DNSWIRE_F2_AD;
	q->qname = msg + DNSWIRE_HDR_LEN;
	q->qname_len = ret;
	dnswire_name_lower(q->qname_lc, q->qname, q->qname_len);
	q->qtype = get_unaligned_be16(msg + off);
	q->qclass = get_unaligned_be16(msg + off + 2);
	off += DNSWIRE_QTAIL_LEN;
	q->question_end = off;
	q->edns = false;
	q->edns_udp_size = 0;
	q->edns_version = 0;
	q->edns_do = false;

	if (ar) {
		ret = dnswire_parse_opt(msg, len, off, q);
		if (ret < 0)
			return ret;
	} else if (off != len) {
		return -EINVAL;
	}

	switch (q->qtype) {
	case DNSWIRE_TYPE_OPT:
	case 249:	/* TKEY */
	case DNSWIRE_TYPE_TSIG:
	case 251:	/* IXFR */
	case 252:	/* AXFR */
		return -EOPNOTSUPP;
	}
	return 0;
}

static int dnswire_char_string(const u8 *msg, size_t off, size_t end)
{
	if (off >= end || end - off - 1 < msg[off])
		return -EINVAL;
	return off + 1 + msg[off];
}

/*
 * Delimit the names inside the RDATA of the types that may carry
 * compressed names (RFC 1035 3.3, RFC 3597 4), so that every pointer a
 * client will follow has been checked.  Other types are opaque.
 */
static int dnswire_check_rdata(const u8 *msg, size_t len, size_t off,
			       u16 rdlen, u16 type, u16 rclass,
			       const u16 *ttl_offs, unsigned int n_ttl,
			       const char **why)
{
	size_t end = off + rdlen;
	unsigned int before = 0, names = 1, after = 0, i;
	bool opaque_tail = false;
	int ret;

	switch (type) {
	case DNSWIRE_TYPE_A:
		if (rclass == DNSWIRE_CLASS_IN && rdlen != 4)
			goto bad_len;
		return 0;
	case DNSWIRE_TYPE_AAAA:
		if (rclass == DNSWIRE_CLASS_IN && rdlen != 16)
			goto bad_len;
		return 0;
	case DNSWIRE_TYPE_NS:
	case 3:		/* MD */
	case 4:		/* MF */
	case DNSWIRE_TYPE_CNAME:
	case 7:		/* MB */
	case 8:		/* MG */
	case 9:		/* MR */
	case DNSWIRE_TYPE_PTR:
	case DNSWIRE_TYPE_DNAME:
		break;
	case DNSWIRE_TYPE_SOA:
		names = 2;
		after = 20;
		break;
	case 14:	/* MINFO */
	case 17:	/* RP */
		names = 2;
		break;
	case DNSWIRE_TYPE_MX:
	case 18:	/* AFSDB */
	case 21:	/* RT */
	case 36:	/* KX */
		before = 2;
		break;
	case 26:	/* PX */
		before = 2;
		names = 2;
		break;
	case DNSWIRE_TYPE_SRV:
		before = 6;
		break;
	case 35:	/* NAPTR: order, preference, three strings, a name */
		before = 4;
		break;
	case 24:	/* SIG */
	case 46:	/* RRSIG */
		before = 18;
		opaque_tail = true;
		break;
	case 30:	/* NXT */
	case 47:	/* NSEC */
		opaque_tail = true;
		break;
	default:
		return 0;
	}

	if (rdlen < before)
		goto bad_len;
	off += before;
	if (type == 35) {
		for (i = 0; i < 3; i++) {
			ret = dnswire_char_string(msg, off, end);
			if (ret < 0)
				goto bad_len;
			off = ret;
		}
	}
	for (i = 0; i < names; i++) {
		ret = dnswire_walk_name(msg, len, off, end, ttl_offs, n_ttl,
					why);
		if (ret < 0)
			return ret;
		off = ret;
	}
	if (opaque_tail || end - off == after)
		return 0;
bad_len:
	*why = "record data length does not match its type";
	return -EINVAL;
}

/**
 * dnswire_validate_response() - check a response before it is cached
 * @msg: the response, as nfdnsd built it
 * @len: its length
 * @qname_lc: the question it answers, lower-cased wire name
 * @qname_len: length of @qname_lc
 * @qtype: question type
 * @qclass: question class
 * @ttl_offs: receives the offset of every TTL field, in message order
 * @max_ttl_offs: room in @ttl_offs
 * @info: receives what the response says
 * @why: receives a short static message on refusal (may be NULL)
 *
 * The response must be a QUERY response (QR=1) without TC, with exactly
 * the question given (compared without regard to case), and every record
 * of every section must parse with nothing after the last one.  Every
 * name, owners and the names inside the RDATA of the types that may be
 * compressed, is walked: compression pointers must lead strictly
 * backwards, never into the header, and a decompressed name must fit in
 * 255 bytes.  OPT and TSIG records are refused: nfdns adds an OPT record
 * of its own to each reply, and a signature cannot be replayed to other
 * clients.  A TTL with the top bit set is refused rather than read as
 * zero (RFC 2181 8): nfdnsd never sends one, so it is a bug worth seeing.
 *
 * Return: 0; -EINVAL for a malformed or mismatched response; -ENOSPC when
 * it holds more than @max_ttl_offs records.
 */
int dnswire_validate_response(const u8 *msg, size_t len, const u8 *qname_lc,
			      u8 qname_len, u16 qtype, u16 qclass,
			      u16 *ttl_offs, unsigned int max_ttl_offs,
			      struct dnswire_resp_info *info, const char **why)
{
	u32 min_ttl = DNSWIRE_TTL_MAX, soa_min = DNSWIRE_TTL_MAX;
	unsigned int an, ns, total, i;
	bool answered = false, soa = false;
	const char *reason;
	size_t off;
	int ret;

	if (!why)
		why = &reason;
	*why = NULL;
	memset(info, 0, sizeof(*info));

	if (len < DNSWIRE_HDR_LEN) {
		*why = "shorter than a DNS header";
		return -EINVAL;
	}
	if (len > DNSWIRE_MSG_MAX) {
		*why = "longer than 65535 bytes";
		return -EINVAL;
	}
	if (!(msg[2] & DNSWIRE_F1_QR)) {
		*why = "not a response";
		return -EINVAL;
	}
	if (msg[2] & DNSWIRE_F1_OPCODE) {
		*why = "opcode is not QUERY";
		return -EINVAL;
	}
	if (msg[2] & DNSWIRE_F1_TC) {
		*why = "truncated response";
		return -EINVAL;
	}
	if (get_unaligned_be16(msg + 4) != 1) {
		*why = "question count is not 1";
		return -EINVAL;
	}
	an = get_unaligned_be16(msg + 6);
	ns = get_unaligned_be16(msg + 8);
	total = an + ns + get_unaligned_be16(msg + 10);

	ret = dnswire_plain_name(msg, len, DNSWIRE_HDR_LEN, why);
	if (ret < 0)
		return ret;
	off = DNSWIRE_HDR_LEN + ret;
	if (len - off < DNSWIRE_QTAIL_LEN) {
		*why = "truncated question";
		return -EINVAL;
	}
	if (ret != qname_len ||
	    !dnswire_name_eq_lc(msg + DNSWIRE_HDR_LEN, qname_lc, ret) ||
	    get_unaligned_be16(msg + off) != qtype ||
	    get_unaligned_be16(msg + off + 2) != qclass) {
		*why = "question does not match key";
		return -EINVAL;
	}
	off += DNSWIRE_QTAIL_LEN;

	for (i = 0; i < total; i++) {
		u16 type, rclass, rdlen;
		u32 ttl;

		ret = dnswire_walk_name(msg, len, off, len, ttl_offs, i, why);
		if (ret < 0)
			return ret;
		off = ret;
		if (len - off < DNSWIRE_RR_FIXED_LEN) {
			*why = "truncated record";
			return -EINVAL;
		}
		type = get_unaligned_be16(msg + off);
		rclass = get_unaligned_be16(msg + off + 2);
		ttl = get_unaligned_be32(msg + off + 4);
		rdlen = get_unaligned_be16(msg + off + 8);
		if (type == DNSWIRE_TYPE_OPT) {
			*why = "OPT record in response";
			return -EINVAL;
		}
		if (type == DNSWIRE_TYPE_TSIG) {
			*why = "TSIG record in response";
			return -EINVAL;
		}
		if (ttl > DNSWIRE_TTL_MAX) {
			*why = "TTL with the top bit set";
			return -EINVAL;
		}
		if (i >= max_ttl_offs) {
			*why = "too many records";
			return -ENOSPC;
		}
		ttl_offs[i] = off + 4;
		off += DNSWIRE_RR_FIXED_LEN;
		if (len - off < rdlen) {
			*why = "record data runs past the end";
			return -EINVAL;
		}
		ret = dnswire_check_rdata(msg, len, off, rdlen, type, rclass,
					  ttl_offs, i + 1, why);
		if (ret < 0)
			return ret;

		if (ttl < min_ttl)
			min_ttl = ttl;
		if (i < an && (type == qtype || qtype == DNSWIRE_TYPE_ANY))
			answered = true;
		if (i >= an && i < an + ns && type == DNSWIRE_TYPE_SOA) {
			u32 minimum = get_unaligned_be32(msg + off + rdlen - 4);

			soa = true;
			if (minimum < soa_min)
				soa_min = minimum;
		}
		off += rdlen;
	}
	if (off != len) {
		*why = "trailing bytes after the last record";
		return -EINVAL;
	}

	info->rcode = msg[3] & DNSWIRE_F2_RCODE;
	info->negative = info->rcode == DNSWIRE_RCODE_NXDOMAIN ||
			 (info->rcode == DNSWIRE_RCODE_NOERROR && !answered);
	info->n_ttl = total;
	if (!total) {
		info->min_ttl = 0;
	} else if (info->negative) {
		/* RFC 2308 5: without an SOA there is no negative TTL. */
		info->min_ttl = soa ? (min_ttl < soa_min ? min_ttl : soa_min) : 0;
	} else {
		info->min_ttl = min_ttl;
	}
	return 0;
}

/**
 * dnswire_reply_limit() - the largest reply a query may get over UDP
 * @q: the query
 *
 * No reply is ever fragmented: fragments are lost, dropped by firewalls
 * and spoofable (DNS flag day 2020), so a reply is capped at 1232 bytes,
 * which crosses any IPv6 path (minimum MTU 1280) whole.
 *
 * Return: 512 without EDNS, else the size the client advertised, at least
 * 512 and at most 1232.
 */
size_t dnswire_reply_limit(const struct dnswire_query *q)
{
	if (!q->edns || q->edns_udp_size < DNSWIRE_UDP_MIN)
		return DNSWIRE_UDP_MIN;
	if (q->edns_udp_size > DNSWIRE_EDNS_UDP_SIZE)
		return DNSWIRE_EDNS_UDP_SIZE;
	return q->edns_udp_size;
}

static void dnswire_put_opt(u8 *p, bool dnssec_ok, u8 ext_rcode)
{
	p[0] = 0;
	put_unaligned_be16(DNSWIRE_TYPE_OPT, p + 1);
	put_unaligned_be16(DNSWIRE_EDNS_UDP_SIZE, p + 3);
	p[5] = ext_rcode;
	p[6] = 0;	/* version */
	put_unaligned_be16(dnssec_ok ? DNSWIRE_EDNS_DO : 0, p + 7);
	put_unaligned_be16(0, p + 9);
}

static u8 dnswire_reply_f1(const struct dnswire_query *q)
{
	return DNSWIRE_F1_QR | (q->rd ? DNSWIRE_F1_RD : 0);
}

static u8 dnswire_reply_f2(const struct dnswire_query *q)
{
	return DNSWIRE_F2_RA | (q->cd ? DNSWIRE_F2_CD : 0);
}

/* A reply to @q holding only the header, the question and OPT. */
static int dnswire_put_question_only(u8 *out, size_t out_cap,
				     const struct dnswire_query *q,
				     const u8 *name, u8 f1, u8 f2,
				     u8 ext_rcode)
{
	size_t len = DNSWIRE_HDR_LEN + q->qname_len + DNSWIRE_QTAIL_LEN;
	u8 *p;

	if (!q->qname_len)
		return -EINVAL;
	if (len + (q->edns ? DNSWIRE_OPT_LEN : 0) > out_cap)
		return -ENOSPC;

	put_unaligned_be16(q->id, out);
	out[2] = f1;
	out[3] = f2;
	put_unaligned_be16(1, out + 4);
	put_unaligned_be16(0, out + 6);
	put_unaligned_be16(0, out + 8);
	put_unaligned_be16(q->edns ? 1 : 0, out + 10);
	p = out + DNSWIRE_HDR_LEN;
	memcpy(p, name, q->qname_len);
	p += q->qname_len;
	put_unaligned_be16(q->qtype, p);
	put_unaligned_be16(q->qclass, p + 2);
	if (q->edns) {
		dnswire_put_opt(out + len, q->edns_do, ext_rcode);
		len += DNSWIRE_OPT_LEN;
	}
	return len;
}

/* RFC 6891 6.1.3: nfdns speaks EDNS version 0 only. */
static int dnswire_put_badvers(u8 *out, size_t out_cap,
			       const struct dnswire_query *q, const u8 *name)
{
	return dnswire_put_question_only(out, out_cap, q, name,
					 dnswire_reply_f1(q),
					 dnswire_reply_f2(q) |
					 (DNSWIRE_RCODE_BADVERS & DNSWIRE_F2_RCODE),
					 DNSWIRE_RCODE_BADVERS >> 4);
}

/**
 * dnswire_build_reply() - build the reply to a query from a cached response
 * @out: where the reply goes
 * @out_cap: room in @out
 * @stored: the cached response, as validated by dnswire_validate_response()
 * @stored_len: its length
 * @ttl_offs: the TTL offsets validation found
 * @n_ttl: how many
 * @elapsed_s: seconds the response has spent in the cache, or
 *	%DNSWIRE_ELAPSED_STALE for an answer served past its TTL
 * @q: the client's query
 * @client_qname: the question name as the client wrote it; NULL for
 *	@q->qname, and when that is NULL too the stored name is kept
 * @truncated: set when only the question could be sent (may be NULL)
 *
 * The reply is the stored response with the client's ID, RD and CD bits
 * and question name bytes (so 0x20 case randomisation survives), RA set,
 * AA clear, every TTL lowered by @elapsed_s without going below zero, and
 * an OPT record when the client sent one.  When that does not fit in
 * dnswire_reply_limit() or in @out_cap, the reply is the header and the
 * question (and OPT) with TC set.  A query with an EDNS version nfdns does
 * not speak gets BADVERS instead.
 *
 * Return: the length of the reply; -EINVAL when @stored does not hold the
 * question of @q or a TTL offset is out of place; -ENOSPC when not even
 * the truncated reply fits in @out_cap.
 */
int dnswire_build_reply(u8 *out, size_t out_cap, const u8 *stored,
			size_t stored_len, const u16 *ttl_offs,
			unsigned int n_ttl, u32 elapsed_s,
			const struct dnswire_query *q, const u8 *client_qname,
			bool *truncated)
{
	const u8 *name = client_qname ? client_qname : q->qname;
	size_t qend = DNSWIRE_HDR_LEN + q->qname_len + DNSWIRE_QTAIL_LEN;
	size_t len, limit;
	const char *why;
	unsigned int i;
	u8 f1, f2;
	u16 ar;

	if (truncated)
		*truncated = false;
	if (!name)
		name = stored + DNSWIRE_HDR_LEN;
	if (q->edns && q->edns_version)
		return dnswire_put_badvers(out, out_cap, q, name);

	/* Copying the client's name over the stored one needs equal lengths. */
	if (stored_len < qend || stored_len > DNSWIRE_MSG_MAX ||
	    get_unaligned_be16(stored + 4) != 1 ||
	    dnswire_plain_name(stored, stored_len, DNSWIRE_HDR_LEN, &why) !=
	    q->qname_len)
		return -EINVAL;

	f1 = dnswire_reply_f1(q);
	f2 = dnswire_reply_f2(q) | (stored[3] & DNSWIRE_F2_RCODE);
	/* RFC 6840 5.8: AD only to a client that shows it understands it. */
	if (q->ad || q->edns_do)
		f2 |= stored[3] & DNSWIRE_F2_AD;
	len = stored_len + (q->edns ? DNSWIRE_OPT_LEN : 0);
	limit = dnswire_reply_limit(q);
	if (limit > out_cap)
		limit = out_cap;
	if (len > limit) {
		if (truncated)
			*truncated = true;
		return dnswire_put_question_only(out, out_cap, q, name,
						 f1 | DNSWIRE_F1_TC, f2, 0);
	}

	memcpy(out, stored, stored_len);
	put_unaligned_be16(q->id, out);
	out[2] = f1;
	out[3] = f2;
	if (name != stored + DNSWIRE_HDR_LEN)
		memcpy(out + DNSWIRE_HDR_LEN, name, q->qname_len);
	for (i = 0; i < n_ttl; i++) {
		size_t off = ttl_offs[i];
		u32 ttl;

		if (off < qend || stored_len - off < 4)
			return -EINVAL;
		ttl = get_unaligned_be32(out + off);
		if (elapsed_s == DNSWIRE_ELAPSED_STALE)
			ttl = DNSWIRE_STALE_TTL;
		else
			ttl = ttl > elapsed_s ? ttl - elapsed_s : 0;
		put_unaligned_be32(ttl, out + off);
	}
	if (q->edns) {
		ar = get_unaligned_be16(out + 10);
		if (ar == 0xffff)
			return -EINVAL;
		put_unaligned_be16(ar + 1, out + 10);
		dnswire_put_opt(out + stored_len, q->edns_do, 0);
	}
	return len;
}

/**
 * dnswire_build_error() - build an error reply carrying only the question
 * @out: where the reply goes
 * @out_cap: room in @out
 * @q: the client's query
 * @client_qname: the question name as the client wrote it; NULL for
 *	@q->qname, and when that is NULL too the lower-cased @q->qname_lc
 * @rcode: SERVFAIL, REFUSED, ...; values above 15 need EDNS
 *
 * The reply has the client's ID, RD and CD bits, RA set, the question,
 * and an OPT record when the client sent one.  A query with an EDNS
 * version nfdns does not speak gets BADVERS whatever @rcode says.
 *
 * Return: the length of the reply; -EINVAL when @rcode cannot be expressed
 * without EDNS; -ENOSPC when @out_cap is too small.
 */
int dnswire_build_error(u8 *out, size_t out_cap, const struct dnswire_query *q,
			const u8 *client_qname, u8 rcode)
{
	const u8 *name = client_qname ? client_qname : q->qname;

	if (!name)
		name = q->qname_lc;
	if (q->edns && q->edns_version)
		return dnswire_put_badvers(out, out_cap, q, name);
	if (rcode > DNSWIRE_F2_RCODE && !q->edns)
		return -EINVAL;
	return dnswire_put_question_only(out, out_cap, q, name,
					 dnswire_reply_f1(q),
					 dnswire_reply_f2(q) |
					 (rcode & DNSWIRE_F2_RCODE),
					 rcode >> 4);
}

/**
 * dnswire_build_truncated() - build an empty reply with TC set
 * @out: where the reply goes
 * @out_cap: room in @out
 * @q: the client's query
 * @client_qname: the question name as the client wrote it; NULL for
 *	@q->qname
 *
 * The reply has the client's ID, RD and CD bits, RA and TC set, the
 * question, and an OPT record when the client sent one: a client that
 * gets it retries over TCP.
 *
 * Return: the length of the reply; -EINVAL without a question name;
 * -ENOSPC when @out_cap is too small.
 */
int dnswire_build_truncated(u8 *out, size_t out_cap,
			    const struct dnswire_query *q,
			    const u8 *client_qname)
{
	const u8 *name = client_qname ? client_qname : q->qname;

	if (!name)
		return -EINVAL;
	return dnswire_put_question_only(out, out_cap, q, name,
					 dnswire_reply_f1(q) | DNSWIRE_F1_TC,
					 dnswire_reply_f2(q), 0);
}

/**
 * dnswire_build_formerr() - build a FORMERR reply to an unparsable query
 * @out: where the reply goes (may be @msg)
 * @out_cap: room in @out
 * @msg: the query as received
 * @len: its length
 *
 * The reply is a bare header with the query's ID, opcode, RD and CD bits.
 * Nothing is built for a message too short to hold a header or with QR
 * set: answering a response could start a loop between two servers.
 *
 * Return: the length of the reply (12); -EINVAL when no reply should be
 * sent; -ENOSPC when @out_cap is too small.
 */
int dnswire_build_formerr(u8 *out, size_t out_cap, const u8 *msg, size_t len)
{
	u8 f1, f2;
	u16 id;

	if (len < DNSWIRE_HDR_LEN || (msg[2] & DNSWIRE_F1_QR))
		return -EINVAL;
	if (out_cap < DNSWIRE_HDR_LEN)
		return -ENOSPC;
	id = get_unaligned_be16(msg);
	f1 = DNSWIRE_F1_QR | (msg[2] & (DNSWIRE_F1_OPCODE | DNSWIRE_F1_RD));
	f2 = DNSWIRE_F2_RA | (msg[3] & DNSWIRE_F2_CD) | DNSWIRE_RCODE_FORMERR;
	put_unaligned_be16(id, out);
	out[2] = f1;
	out[3] = f2;
	memset(out + 4, 0, DNSWIRE_HDR_LEN - 4);
	return DNSWIRE_HDR_LEN;
}

/**
 * dnswire_name_lower() - lower-case a wire name
 * @dst: destination, may be @src
 * @src: the name
 * @len: its length
 *
 * Only ASCII letters change (RFC 4343); length bytes are below 'A' and
 * stay as they are.
 */
void dnswire_name_lower(u8 *dst, const u8 *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = dnswire_lower(src[i]);
}

/**
 * dnswire_name_in_subtree() - is a name at or below a zone
 * @name: wire name, lower-cased
 * @name_len: its length
 * @zone: wire name, lower-cased
 * @zone_len: its length
 *
 * The test is on whole labels: "xexample.com" is not below "example.com".
 *
 * Return: true when @zone is a label-aligned suffix of @name.
 */
bool dnswire_name_in_subtree(const u8 *name, u8 name_len, const u8 *zone,
			     u8 zone_len)
{
	unsigned int off = 0;

	if (!zone_len || zone_len > name_len)
		return false;
	while (off < name_len) {
		if (name_len - off == zone_len)
			return !memcmp(name + off, zone, zone_len);
		if (!name[off])
			return false;
		off += 1 + name[off];
	}
	return false;
}

/**
 * dnswire_name_check() - validate an uncompressed wire name
 * @name: the name
 * @len: its length: the name must fill exactly this many bytes
 *
 * Return: @len when @name is a well-formed name of at most 255 bytes
 * (labels of 1..63 bytes ending with the root label); -EINVAL otherwise.
 */
int dnswire_name_check(const u8 *name, size_t len)
{
	const char *why;
	int ret;

	ret = dnswire_plain_name(name, len, 0, &why);
	if (ret < 0)
		return ret;
	return (size_t)ret == len ? ret : -EINVAL;
}
