// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsd cachedb: keys, and values as Redis may hold them.  A value is
 * only ever believed after cachedb_value_decode(): every malformed one
 * must be refused, and none may crash it (this runs under ASan/UBSan).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "cachedb.h"

#include "tap.h"

#define NOW 1800000000ULL

static const uint8_t www_example[] = "\3www\7example\3com";	/* with its root label: sizeof */

/* A response as nfdnsd writes it: www.example.com A 192.0.2.44, TTL 300; extra: an OPT record. */
static size_t response(uint8_t *out, const char *qname, uint8_t rcode, bool opt, bool ad)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *q = NULL, *a = NULL;
	uint8_t *wire = NULL;
	size_t len = 0;

	ldns_rr_new_frm_str(&a, "www.example.com. 300 IN A 192.0.2.44", 0, NULL, NULL);
	q = ldns_rr_new();
	ldns_rr_set_owner(q, ldns_dname_new_frm_str(qname));
	ldns_rr_set_type(q, LDNS_RR_TYPE_A);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(q, true);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, a);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_ra(p, true);
	ldns_pkt_set_rcode(p, rcode);
	ldns_pkt_set_ad(p, ad);
	if (opt)
		ldns_pkt_set_edns_udp_size(p, 1232);
	ldns_pkt2wire(&wire, p, &len);
	memcpy(out, wire, len);
	free(wire);
	ldns_pkt_free(p);
	return len;
}

static int decode(const uint8_t *v, size_t len, uint64_t now, struct cachedb_value *out)
{
	return cachedb_value_decode(v, len, www_example, sizeof(www_example), LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, now, out,
				    NULL);
}

/* A value for wire, stored 10 s before NOW with TTL 300. */
static size_t value(uint8_t *out, const uint8_t *wire, size_t len)
{
	uint8_t *v;
	size_t vlen;

	if (cachedb_value_encode(&v, &vlen, wire, len, NOW - 10, 300, CACHEDB_F_VALIDATED))
		return 0;
	memcpy(out, v, vlen);
	free(v);
	return vlen;
}

int main(void)
{
	static uint8_t wire[70000], v[70100], big[70100];
	char k1[CACHEDB_KEY_MAX], k2[CACHEDB_KEY_MAX], k3[CACHEDB_KEY_MAX], k4[CACHEDB_KEY_MAX];
	static const uint8_t upper[] = "\3WwW\7ExAmPlE\3CoM";
	struct cachedb_value cv;
	uint8_t *encoded = NULL;
	size_t wlen, vlen;
	int err, crashes_none = 1, refused_all = 1;

	tap_plan(20);

	cachedb_key(k1, sizeof(k1), www_example, sizeof(www_example), 1, 1, true);
	cachedb_key(k2, sizeof(k2), upper, sizeof(upper), 1, 1, true);
	cachedb_key(k3, sizeof(k3), www_example, sizeof(www_example), 1, 1, false);
	cachedb_key(k4, sizeof(k4), www_example, sizeof(www_example), 28, 1, true);
	ok(strncmp(k1, CACHEDB_KEY_PREFIX, strlen(CACHEDB_KEY_PREFIX)) == 0 &&
		   strlen(k1) == strlen(CACHEDB_KEY_PREFIX) + 64,
	   "a key is the version prefix and a SHA-256 in hex (%s)", k1);
	ok(strcmp(k1, k2) == 0, "the name's case does not change the key");
	ok(strcmp(k1, k3) && strcmp(k1, k4), "DO and the type do");
	ok(cachedb_key(k1, 10, www_example, sizeof(www_example), 1, 1, true) == -EINVAL &&
		   cachedb_key(k1, sizeof(k1), www_example, 0, 1, 1, true) == -EINVAL,
	   "no key into a short buffer, nor for an empty name");

	wlen = response(wire, "www.example.com.", LDNS_RCODE_NOERROR, false, false);
	vlen = value(v, wire, wlen);
	err = decode(v, vlen, NOW, &cv);
	ok(err == 0 && cv.age == 10 && cv.ttl == 300 && cv.wire_len == wlen && memcmp(cv.wire, wire, wlen) == 0 &&
		   cv.flags == CACHEDB_F_VALIDATED && cv.rcode == 0,
	   "a value written reads back: age 10 s, TTL 300, the response as written (err %d)", err);
	ok(decode(v, vlen, NOW + 290, &cv) == -ESTALE, "past its TTL it is expired, not malformed");
	ok(decode(v, vlen, NOW - 10 - CACHEDB_CLOCK_SKEW - 1, &cv) == -EBADMSG,
	   "stored further in the future than the clocks may differ: refused");
	ok(decode(v, vlen, NOW - 20, &cv) == 0 && cv.age == 0, "a writer's clock slightly ahead: age 0");

	memcpy(big, v, vlen);
	big[0] = 'X';
	ok(decode(big, vlen, NOW, &cv) == -EBADMSG, "another magic: refused");
	memcpy(big, v, vlen);
	big[4] = 2;
	ok(decode(big, vlen, NOW, &cv) == -EBADMSG, "another version: refused");
	memcpy(big, v, vlen);
	big[5] = 0x80;
	big[7] = 1;
	ok(decode(big, vlen, NOW, &cv) == -EBADMSG, "unknown flags or reserved bytes: refused");
	memcpy(big, v, vlen);
	memset(big + 16, 0, 4);
	ok(decode(big, vlen, NOW, &cv) == -EBADMSG, "TTL 0: refused");

	wlen = response(wire, "other.example.com.", LDNS_RCODE_NOERROR, false, false);
	vlen = value(v, wire, wlen);
	ok(decode(v, vlen, NOW, &cv) == -EBADMSG, "a value for another question: refused");
	wlen = response(wire, "www.example.com.", LDNS_RCODE_NOERROR, true, false);
	vlen = value(v, wire, wlen);
	ok(decode(v, vlen, NOW, &cv) == -EBADMSG, "a response with an OPT record: refused");
	wlen = response(wire, "www.example.com.", LDNS_RCODE_SERVFAIL, false, false);
	vlen = value(v, wire, wlen);
	ok(decode(v, vlen, NOW, &cv) == -EBADMSG, "SERVFAIL: refused");
	wlen = response(wire, "www.example.com.", LDNS_RCODE_NOERROR, false, true);
	vlen = value(v, wire, wlen);
	v[vlen++] = 0;
	ok(decode(v, vlen, NOW, &cv) == -EBADMSG, "a byte after the last record: refused");

	/* Larger than the kernel stores: header, a response, then padding. */
	wlen = response(wire, "www.example.com.", LDNS_RCODE_NOERROR, false, false);
	memset(wire + wlen, 0, sizeof(wire) - wlen);
	ok(cachedb_value_encode(&encoded, &vlen, wire, 64513, NOW, 300, 0) == -EMSGSIZE,
	   "no value is written for a response over 64512 bytes");
	vlen = value(big, wire, 64512);
	memset(big + vlen, 0, 100);
	ok(decode(big, vlen + 1, NOW, &cv) == -EBADMSG, "and one read is refused");

	/* Every prefix of a good value, and every single-byte change of it: refused or read, never a crash. */
	wlen = response(wire, "www.example.com.", LDNS_RCODE_NOERROR, false, false);
	vlen = value(v, wire, wlen);
	for (size_t n = 0; n < vlen; n++)
		if (decode(v, n, NOW, &cv) != -EBADMSG)
			refused_all = 0;
	ok(refused_all, "each of the %zu shorter prefixes is refused", vlen);
	srand(42);
	for (int round = 0; round < 200000; round++) {
		memcpy(big, v, vlen);
		for (int i = 0; i < 1 + round % 4; i++)
			big[CACHEDB_HEADER_LEN + (size_t)rand() % (vlen - CACHEDB_HEADER_LEN)] = (uint8_t)rand();
		err = decode(big, vlen - (size_t)(round % 3), NOW, &cv);
		if (err != 0 && err != -EBADMSG)
			crashes_none = 0;
		if (err == 0 && (cv.wire_len > vlen || cv.rcode > 3))
			crashes_none = 0;
	}
	ok(crashes_none, "200000 damaged values: each refused or read within bounds");
	return tap_done();
}
