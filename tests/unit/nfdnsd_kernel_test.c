// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsd: the responses pushed to the kernel (NFDNS_CMD_CACHE_PUT) pass
 * the module's own validation (kmod/dnswire.c), carry the question exactly
 * as the kernel gave it, no OPT record, QR=1 and RA=1, and the TTL given
 * with them is their smallest, clamped.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnswire.h"
#include "response.h"

#include "tap.h"

static ldns_rr_list *rrs(const char *first, ...)
{
	ldns_rr_list *l = ldns_rr_list_new();
	va_list ap;

	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *)) {
		ldns_rr *r = NULL;

		if (ldns_rr_new_frm_str(&r, s, 3600, NULL, NULL) != LDNS_STATUS_OK)
			abort();
		ldns_rr_list_push_rr(l, r);
	}
	va_end(ap);
	return l;
}

/* The wire form of a presentation name, as the kernel would send it. */
static size_t wire_name(const char *text, uint8_t *out)
{
	ldns_rdf *d = ldns_dname_new_frm_str(text);
	size_t n = ldns_rdf_size(d);

	memcpy(out, ldns_rdf_data(d), n);
	ldns_rdf_deep_free(d);
	return n;
}

static void check(const char *what, const char *qname_text, uint16_t qtype, int rcode, ldns_rr_list *answer,
		  ldns_rr_list *authority, uint32_t want_ttl, bool want_negative)
{
	struct resolve_result res = { .rcode = rcode, .answer = answer, .authority = authority };
	uint8_t qname[256], lc[256], *wire = NULL;
	size_t qlen = wire_name(qname_text, qname), len = 0;
	uint16_t offs[512];
	struct dnswire_resp_info ri;
	const char *why = NULL;
	uint32_t ttl = 0;
	int err;

	err = response_for_kernel(qname, qlen, qtype, 1, &res, 0, 86400, &wire, &len, &ttl);
	ok(err == 0 && wire, "%s: built", what);
	if (err || !wire)
		return;
	dnswire_name_lower(lc, qname, qlen);
	err = dnswire_validate_response(wire, len, lc, (u8)qlen, qtype, 1, offs, 512, &ri, &why);
	ok(err == 0, "%s: the module accepts it%s%s", what, why ? ": " : "", why ? why : "");
	ok(len >= 12 + qlen && memcmp(wire + 12, qname, qlen) == 0, "%s: the question is the key, byte for byte", what);
	ok((wire[2] & 0x80) && (wire[3] & 0x80) && (wire[2] & 0x01) && wire[0] == 0 && wire[1] == 0,
	   "%s: QR, RA and RD set, ID 0", what);
	ok(wire[10] == 0 && wire[11] == 0, "%s: no additional records, so no OPT", what);
	ok((wire[3] & 0x0f) == rcode, "%s: RCODE %d", what, rcode);
	ok(ttl == want_ttl, "%s: TTL %u is the smallest (want %u)", what, ttl, want_ttl);
	if (err == 0) {
		ok(ri.negative == want_negative, "%s: %s", what, want_negative ? "negative" : "positive");
		ok(ri.n_ttl == ldns_rr_list_rr_count(answer) + ldns_rr_list_rr_count(authority),
		   "%s: every record's TTL found (%u)", what, ri.n_ttl);
	}
	free(wire);
}

int main(void)
{
	ldns_rr_list *a, *b;

	a = rrs("www.example.com. 300 IN A 192.0.2.44", NULL);
	b = ldns_rr_list_new();
	check("A answer", "www.example.com.", LDNS_RR_TYPE_A, 0, a, b, 300, false);
	ldns_rr_list_deep_free(a);

	a = rrs("BETA.example.com. 3600 IN CNAME beta.g.example.com.", "beta.g.example.com. 120 IN A 192.0.2.55", NULL);
	check("CNAME chain, mixed-case key", "BETA.Example.COM.", LDNS_RR_TYPE_A, 0, a, b, 120, false);
	ldns_rr_list_deep_free(a);
	ldns_rr_list_deep_free(b);

	a = ldns_rr_list_new();
	b = rrs("example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 1 1800 900 604800 300", NULL);
	check("NXDOMAIN", "nx.example.com.", LDNS_RR_TYPE_A, 3, a, b, 300, true);
	check("NODATA", "text.example.com.", LDNS_RR_TYPE_AAAA, 0, a, b, 300, true);
	ldns_rr_list_deep_free(b);

	{
		char line[128];

		ldns_rr_list_deep_free(a);
		a = ldns_rr_list_new();
		for (int i = 1; i <= 100; i++) {
			ldns_rr_list *one;

			snprintf(line, sizeof(line), "big.example.com. %d IN A 198.51.100.%d", 1000 + i, i);
			one = rrs(line, NULL);
			ldns_rr_list_push_rr(a, ldns_rr_clone(ldns_rr_list_rr(one, 0)));
			ldns_rr_list_deep_free(one);
		}
		b = ldns_rr_list_new();
		check("100 records", "big.example.com.", LDNS_RR_TYPE_A, 0, a, b, 1001, false);
		ldns_rr_list_deep_free(b);
	}
	ldns_rr_list_deep_free(a);

	{
		struct resolve_result res = { .rcode = 0 };
		uint8_t q[256], *wire = NULL;
		size_t ql = wire_name("www.example.com.", q), len;
		uint32_t ttl = 0;

		res.answer = rrs("www.example.com. 5 IN A 192.0.2.44", NULL);
		res.authority = ldns_rr_list_new();
		ok(response_for_kernel(q, ql, 1, 1, &res, 30, 600, &wire, &len, &ttl) == 0 && ttl == 30,
		   "TTL raised to kernel-min-ttl");
		free(wire);
		ldns_rr_list_deep_free(res.answer);
		res.answer = rrs("www.example.com. 90000 IN A 192.0.2.44", NULL);
		ok(response_for_kernel(q, ql, 1, 1, &res, 0, 600, &wire, &len, &ttl) == 0 && ttl == 600,
		   "TTL lowered to kernel-max-ttl");
		free(wire);
		ldns_rr_list_deep_free(res.answer);
		ldns_rr_list_deep_free(res.authority);
	}
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
