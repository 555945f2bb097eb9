// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: libFuzzer target for kmod/dnswire.c.
 *
 * Each input goes through every entry point: as a client query, as a
 * pushed response keyed by its own question, as a FORMERR candidate and
 * as a wire name.  Whatever parses is then used to build replies, and the
 * replies are checked: within their buffer and the client's limit, header
 * and question as the client sent them, parsing back as a response, and no
 * TTL ever higher than stored.  The message ID of the input selects the
 * reply parameters (EDNS, DO, CD, RD, sizes, elapsed time), so the fuzzer
 * can steer them.
 *
 * The host unit test includes this file to run the same checks over
 * mutated test vectors.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dnswire.h"

#define FUZZ_MAX_TTL	8192
#define FUZZ_OUT_MAX	(DNSWIRE_MSG_MAX + DNSWIRE_OPT_LEN)
#define FUZZ_GUARD	32

struct fuzz_state {
	struct dnswire_query q;
	struct dnswire_query rq;
	struct dnswire_resp_info info;
	struct dnswire_resp_info info2;
	u16 offs[FUZZ_MAX_TTL];
	u16 offs2[FUZZ_MAX_TTL];
	u8 key[DNSWIRE_NAME_MAX];
	u8 client[DNSWIRE_NAME_MAX];
	u8 stored[DNSWIRE_HDR_LEN + DNSWIRE_NAME_MAX + 4 + 16];
	u8 out[FUZZ_OUT_MAX + FUZZ_GUARD];
	u8 back[FUZZ_OUT_MAX];
	u8 ttl_byte[FUZZ_OUT_MAX];
};

static struct fuzz_state fz;

static const u32 fuzz_elapsed[16] = {
	0, 1, 2, 59, 60, 61, 299, 300, 301, 3600, 86400, 604800,
	0x7ffffffe, 0x7fffffff, 0x80000000, 0xffffffff,
};
static const u16 fuzz_udp[4] = { 512, 1232, 4096, 65535 };

/* The question of @msg as a key: 0, or -1 when there is none. */
static int fuzz_key(const u8 *msg, size_t len, u8 *key, u8 *key_len,
		    u16 *qtype, u16 *qclass)
{
	size_t off = DNSWIRE_HDR_LEN;

	if (len < DNSWIRE_HDR_LEN)
		return -1;
	while (off < len && msg[off] && msg[off] <= DNSWIRE_LABEL_MAX)
		off += 1 + msg[off];
	if (off >= len || msg[off] ||
	    off + 1 - DNSWIRE_HDR_LEN > DNSWIRE_NAME_MAX || len - off < 5)
		return -1;
	*key_len = off + 1 - DNSWIRE_HDR_LEN;
	dnswire_name_lower(key, msg + DNSWIRE_HDR_LEN, *key_len);
	*qtype = get_unaligned_be16(msg + off + 1);
	*qclass = get_unaligned_be16(msg + off + 3);
	return 0;
}

static size_t fuzz_cap(u16 ctl, size_t limit)
{
	switch ((ctl >> 6) & 3) {
	case 0:
		return FUZZ_OUT_MAX;
	case 1:
		return limit;
	case 2:
		return 100;
	default:
		return 20 + (ctl >> 13);
	}
}

/*
 * Check a reply built for @q from @stored (NULL for an error reply with
 * @rcode) and parse it back as a response.
 */
static const char *fuzz_check_reply(const struct dnswire_query *q,
				    const u8 *name, int ret, size_t cap,
				    bool truncated, const u8 *stored,
				    size_t stored_len, const u16 *offs,
				    unsigned int n_ttl, u32 elapsed, int rcode)
{
	bool badvers = q->edns && q->edns_version;
	size_t len, i;
	const char *why;
	u16 ar;
	int v;

	for (i = cap; i < cap + FUZZ_GUARD && i < sizeof(fz.out); i++)
		if (fz.out[i] != 0xa5)
			return "byte written past the buffer";
	if (ret == -ENOSPC)
		return cap < DNSWIRE_HDR_LEN + q->qname_len + 4u +
			     (q->edns ? 11u : 0u) ?
		       NULL : "-ENOSPC although the question fits";
	if (ret < 0)
		return "reply refused";
	len = ret;
	if (len > cap)
		return "reply longer than its buffer";
	if (len > dnswire_reply_limit(q))
		return "reply longer than the client's limit";
	if (len < DNSWIRE_HDR_LEN + q->qname_len + 4u + (q->edns ? 11u : 0u))
		return "reply shorter than its question";
	if (get_unaligned_be16(fz.out) != q->id)
		return "reply ID";
	if (!(fz.out[2] & DNSWIRE_F1_QR) || (fz.out[2] & DNSWIRE_F1_AA) ||
	    (fz.out[2] & DNSWIRE_F1_OPCODE) || !(fz.out[3] & DNSWIRE_F2_RA))
		return "reply QR, AA, opcode or RA";
	if (!!(fz.out[2] & DNSWIRE_F1_RD) != q->rd ||
	    !!(fz.out[3] & DNSWIRE_F2_CD) != q->cd ||
	    !!(fz.out[2] & DNSWIRE_F1_TC) != truncated)
		return "reply RD, CD or TC";
	if (memcmp(fz.out + DNSWIRE_HDR_LEN, name, q->qname_len))
		return "reply question name";

	/* Parse it back, without the OPT record nfdns added. */
	memcpy(fz.back, fz.out, len);
	if (q->edns) {
		const u8 *o = fz.out + len - DNSWIRE_OPT_LEN;

		if (o[0] || get_unaligned_be16(o + 1) != DNSWIRE_TYPE_OPT ||
		    get_unaligned_be16(o + 3) != DNSWIRE_EDNS_UDP_SIZE ||
		    o[6] || !!(o[7] & 0x80) != q->edns_do ||
		    get_unaligned_be16(o + 9))
			return "reply OPT record";
		if (o[5] != (badvers ? 1 : rcode > 15 ? rcode >> 4 : 0))
			return "reply extended RCODE";
		ar = get_unaligned_be16(fz.back + 10);
		if (!ar)
			return "reply ARCOUNT misses OPT";
		put_unaligned_be16(ar - 1, fz.back + 10);
		len -= DNSWIRE_OPT_LEN;
	}
	v = dnswire_validate_response(fz.back, len, q->qname_lc, q->qname_len,
				      q->qtype, q->qclass, fz.offs2,
				      FUZZ_MAX_TTL, &fz.info2, &why);
	if (truncated && (fz.back[2] & DNSWIRE_F1_TC)) {
		/* validation refuses TC: check the rest by hand */
		if (get_unaligned_be16(fz.back + 6) ||
		    get_unaligned_be16(fz.back + 8) ||
		    get_unaligned_be16(fz.back + 10) ||
		    len != DNSWIRE_HDR_LEN + q->qname_len + 4u)
			return "truncated reply carries records";
		return NULL;
	}
	if (v)
		return why ? why : "reply does not parse back";
	if (badvers) {
		if (fz.info2.rcode || fz.info2.n_ttl)
			return "BADVERS reply RCODE or records";
		return NULL;
	}
	if (!stored) {
		if (fz.info2.rcode != (rcode & 15) || fz.info2.n_ttl)
			return "error reply RCODE or records";
		return NULL;
	}
	if (len != stored_len || fz.info2.n_ttl != n_ttl)
		return "reply length or records differ from the stored ones";
	if ((fz.back[3] & DNSWIRE_F2_RCODE) != (stored[3] & DNSWIRE_F2_RCODE))
		return "reply RCODE";
	for (i = 0; i < n_ttl; i++) {
		u32 was, now;

		if (fz.offs2[i] != offs[i])
			return "reply TTL moved";
		was = get_unaligned_be32(stored + offs[i]);
		now = get_unaligned_be32(fz.back + offs[i]);
		if (elapsed == DNSWIRE_ELAPSED_STALE) {
			if (now != DNSWIRE_STALE_TTL)
				return "stale reply TTL is not 30";
			continue;
		}
		if (now > was)
			return "reply TTL increased";
		if (now != (was > elapsed ? was - elapsed : 0))
			return "reply TTL not lowered by the elapsed time";
	}
	/* Everything but the header, the question name and TTLs is copied. */
	memset(fz.ttl_byte, 0, len);
	for (i = 0; i < n_ttl; i++)
		memset(fz.ttl_byte + offs[i], 1, 4);
	for (i = DNSWIRE_HDR_LEN + q->qname_len; i < len; i++)
		if (!fz.ttl_byte[i] && fz.back[i] != stored[i])
			return "reply body differs from the stored response";
	return NULL;
}

/* Fill @q as a client writing @name would, steered by @ctl. */
static void fuzz_make_query(struct dnswire_query *q, const u8 *name,
			    const u8 *key, u8 key_len, u16 qtype, u16 qclass,
			    u16 ctl)
{
	memset(q, 0, sizeof(*q));
	q->id = ctl ^ 0x5a5a;
	q->edns = ctl & 1;
	q->edns_do = q->edns && (ctl & 2);
	q->cd = ctl & 4;
	q->rd = ctl & 8;
	q->edns_udp_size = q->edns ? fuzz_udp[(ctl >> 4) & 3] : 0;
	q->edns_version = q->edns && (ctl & 0x1000) ? 1 : 0;
	q->qname = name;
	q->qname_len = key_len;
	memcpy(q->qname_lc, key, key_len);
	q->qtype = qtype;
	q->qclass = qclass;
	q->question_end = DNSWIRE_HDR_LEN + key_len + 4;
}

static const char *fuzz_reply_from(const struct dnswire_query *q,
				   const u8 *stored, size_t stored_len,
				   const u16 *offs, unsigned int n_ttl,
				   u32 elapsed, size_t cap)
{
	bool truncated = true;
	int ret;

	memset(fz.out, 0xa5, sizeof(fz.out));
	ret = dnswire_build_reply(fz.out, cap, stored, stored_len, offs,
				  n_ttl, elapsed, q, q->qname, &truncated);
	if (ret >= 0 && truncated && !(fz.out[2] & DNSWIRE_F1_TC))
		return "truncated without TC";
	return fuzz_check_reply(q, q->qname, ret, cap, truncated, stored,
				stored_len, offs, n_ttl, elapsed, 0);
}

static const char *fuzz_as_query(const u8 *data, size_t size)
{
	struct dnswire_query *q = &fz.q;
	const char *err;
	size_t cap, i;
	u16 ctl;
	int ret;

	ret = dnswire_parse_query(data, size, q);
	if (ret == -EINVAL || ret == -EOPNOTSUPP)
		return NULL;
	if (ret)
		return "parse_query: unexpected error";
	if (q->qname != data + DNSWIRE_HDR_LEN || !q->qname_len ||
	    q->question_end != DNSWIRE_HDR_LEN + q->qname_len + 4u ||
	    q->question_end > size)
		return "parse_query: question out of place";
	if (dnswire_name_check(q->qname, q->qname_len) != q->qname_len)
		return "parse_query: accepted a bad name";
	for (i = 0; i < q->qname_len; i++)
		if (q->qname_lc[i] != ((q->qname[i] >= 'A' && q->qname[i] <= 'Z') ?
				       q->qname[i] + 32 : q->qname[i]))
			return "parse_query: key not lower-cased";
	if (q->edns ? q->edns_udp_size < 512 :
	    (q->edns_udp_size || q->edns_version || q->edns_do))
		return "parse_query: EDNS fields";

	/* An error reply. */
	ctl = get_unaligned_be16(data);
	cap = fuzz_cap(ctl, dnswire_reply_limit(q));
	memset(fz.out, 0xa5, sizeof(fz.out));
	ret = dnswire_build_error(fz.out, cap, q, NULL, ctl & 0x20 ? 5 : 2);
	err = fuzz_check_reply(q, q->qname, ret, cap, false, NULL, 0, NULL, 0,
			       0, ctl & 0x20 ? 5 : 2);
	if (err)
		return err;

	/* A reply from a small stored answer for the question. */
	if (q->qtype == DNSWIRE_TYPE_OPT || q->qtype == DNSWIRE_TYPE_TSIG)
		return NULL;
	{
		u8 *p = fz.stored;
		const char *why;
		int v;

		memset(p, 0, DNSWIRE_HDR_LEN);
		p[2] = DNSWIRE_F1_QR | DNSWIRE_F1_AA;
		p[3] = DNSWIRE_F2_RA;
		put_unaligned_be16(1, p + 4);
		put_unaligned_be16(1, p + 6);
		p += DNSWIRE_HDR_LEN;
		memcpy(p, q->qname_lc, q->qname_len);
		p += q->qname_len;
		put_unaligned_be16(q->qtype, p);
		put_unaligned_be16(q->qclass, p + 2);
		p[4] = 0xc0;
		p[5] = DNSWIRE_HDR_LEN;
		put_unaligned_be16(16, p + 6);	/* TXT */
		put_unaligned_be16(q->qclass, p + 8);
		put_unaligned_be32(get_unaligned_be32(data + size - 4) &
				   0x7fffffff, p + 10);
		put_unaligned_be16(4, p + 14);
		memcpy(p + 16, "\003abc", 4);
		p += 20;
		v = dnswire_validate_response(fz.stored, p - fz.stored,
					      q->qname_lc, q->qname_len,
					      q->qtype, q->qclass, fz.offs,
					      FUZZ_MAX_TTL, &fz.info, &why);
		if (v)
			return "synthetic answer does not validate";
		return fuzz_reply_from(q, fz.stored, p - fz.stored, fz.offs,
				       fz.info.n_ttl,
				       fuzz_elapsed[(ctl >> 8) & 15], cap);
	}
}

static const char *fuzz_as_response(const u8 *data, size_t size)
{
	const char *why = "unset";
	unsigned int i, prev = 0;
	u16 qtype, qclass, ctl;
	u8 key_len;
	size_t cap;
	int ret;

	if (fuzz_key(data, size, fz.key, &key_len, &qtype, &qclass))
		return NULL;
	ret = dnswire_validate_response(data, size, fz.key, key_len, qtype,
					qclass, fz.offs, FUZZ_MAX_TTL,
					&fz.info, &why);
	if (ret) {
		if (!why)
			return "validate_response: refusal without a message";
		if (ret != -EINVAL && ret != -ENOSPC)
			return "validate_response: unexpected error";
		return NULL;
	}
	if (why)
		return "validate_response: message on success";
	if (fz.info.rcode != (data[3] & 15))
		return "validate_response: rcode";
	if (!fz.info.n_ttl && fz.info.min_ttl)
		return "validate_response: min_ttl without records";
	for (i = 0; i < fz.info.n_ttl; i++) {
		u32 ttl;

		if (fz.offs[i] <= prev || fz.offs[i] + 4u > size)
			return "validate_response: TTL offset out of place";
		ttl = get_unaligned_be32(data + fz.offs[i]);
		if (ttl & 0x80000000)
			return "validate_response: TTL with the top bit";
		if (ttl < fz.info.min_ttl)
			return "validate_response: min_ttl above a TTL";
		prev = fz.offs[i];
	}

	/* The same response under another key, or with too little room. */
	ret = dnswire_validate_response(data, size, fz.key, key_len,
					qtype ^ 1, qclass, fz.offs2,
					FUZZ_MAX_TTL, &fz.info2, &why);
	if (ret != -EINVAL || !why || strcmp(why, "question does not match key"))
		return "validate_response: accepted another question type";
	if (fz.info.n_ttl &&
	    dnswire_validate_response(data, size, fz.key, key_len, qtype,
				      qclass, fz.offs2, fz.info.n_ttl - 1,
				      &fz.info2, &why) != -ENOSPC)
		return "validate_response: TTL offsets past their room";

	/*
	 * Serve it to a client asking the same question, in upper case when
	 * the control bits say so.
	 */
	ctl = get_unaligned_be16(data);
	for (i = 0; i < key_len; i++)
		fz.client[i] = (ctl & 0x4000) && fz.key[i] >= 'a' &&
			       fz.key[i] <= 'z' ? fz.key[i] - 32 : fz.key[i];
	fuzz_make_query(&fz.rq, fz.client, fz.key, key_len, qtype, qclass,
			ctl);
	cap = fuzz_cap(ctl, dnswire_reply_limit(&fz.rq));
	return fuzz_reply_from(&fz.rq, data, size, fz.offs, fz.info.n_ttl,
			       fuzz_elapsed[(ctl >> 8) & 15], cap);
}

static const char *fuzz_as_formerr(const u8 *data, size_t size)
{
	int ret = dnswire_build_formerr(fz.out, sizeof(fz.out), data, size);

	if (size < DNSWIRE_HDR_LEN || (data[2] & DNSWIRE_F1_QR))
		return ret == -EINVAL ? NULL : "FORMERR to a non-query";
	if (ret != DNSWIRE_HDR_LEN || memcmp(fz.out, data, 2) ||
	    (fz.out[3] & 15) != DNSWIRE_RCODE_FORMERR ||
	    !(fz.out[2] & DNSWIRE_F1_QR) || get_unaligned_be16(fz.out + 4))
		return "FORMERR reply";
	return NULL;
}

static const char *fuzz_as_name(const u8 *data, size_t size)
{
	int n = dnswire_name_check(data, size);
	u8 split;

	if (n < 0)
		return n == -EINVAL ? NULL : "name_check: unexpected error";
	if ((size_t)n != size || size > DNSWIRE_NAME_MAX)
		return "name_check: length";
	if (!dnswire_name_in_subtree(data, n, data, n) ||
	    !dnswire_name_in_subtree(data, n, (const u8 *)"", 1))
		return "name_in_subtree: a name is below itself and the root";
	split = data[0] + 1;
	if (split < n &&
	    !dnswire_name_in_subtree(data, n, data + split, n - split))
		return "name_in_subtree: parent";
	if (split < n && data[0] &&
	    dnswire_name_in_subtree(data + split, n - split, data, n))
		return "name_in_subtree: child above parent";
	return NULL;
}

/* All the checks on one input: NULL, or what went wrong. */
static const char *fuzz_dnswire_one(const u8 *data, size_t size)
{
	const char *err;

	err = fuzz_as_query(data, size);
	if (!err)
		err = fuzz_as_response(data, size);
	if (!err)
		err = fuzz_as_formerr(data, size);
	if (!err && size <= DNSWIRE_NAME_MAX + 1)
		err = fuzz_as_name(data, size);
	if (!err && size > DNSWIRE_HDR_LEN)
		err = fuzz_as_name(data + DNSWIRE_HDR_LEN,
				   size - DNSWIRE_HDR_LEN > DNSWIRE_NAME_MAX ?
				   DNSWIRE_NAME_MAX :
				   size - DNSWIRE_HDR_LEN);
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *err = fuzz_dnswire_one(data, size);

	if (err) {
		fprintf(stderr, "dnswire invariant broken: %s\n", err);
		abort();
	}
	return 0;
}
