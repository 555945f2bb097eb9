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
#include "kernel_msg.h"
#include "response.h"

#include <linux/genetlink.h>
#include <linux/nfdns.h>

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

	err = response_for_kernel(qname, qlen, qtype, 1, &res, false, 0, 86400, &wire, &len, &ttl);
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

static int conf_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) <= NFDNS_CONF_A_MAX)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int top_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) <= NFDNS_A_MAX)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

/* CONFIG_SET of the pending timeout, as the kernel's policy parses it. */
static void test_pending_timeout(void)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE];
	const struct nlattr *tb[NFDNS_A_MAX + 1] = { 0 }, *conf[NFDNS_CONF_A_MAX + 1] = { 0 };
	struct nlmsghdr *nlh = kernel_msg_pending_timeout(buf, 0x1d, 42, kernel_pending_timeout(8000));
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	int n_conf = 0;

	ok(nlh->nlmsg_type == 0x1d && nlh->nlmsg_seq == 42, "pending timeout: the family's message, its sequence");
	ok((nlh->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK)) == (NLM_F_REQUEST | NLM_F_ACK),
	   "pending timeout: a request that asks for an ack (refusals are logged)");
	ok(g->cmd == NFDNS_CMD_CONFIG_SET && g->version == NFDNS_GENL_VERSION, "pending timeout: CONFIG_SET");
	ok(mnl_attr_parse(nlh, sizeof(*g), top_cb, tb) >= 0 && tb[NFDNS_A_CONFIG] &&
		   mnl_attr_validate(tb[NFDNS_A_CONFIG], MNL_TYPE_NESTED) >= 0,
	   "pending timeout: one NFDNS_A_CONFIG nest");
	if (tb[NFDNS_A_CONFIG])
		mnl_attr_parse_nested(tb[NFDNS_A_CONFIG], conf_cb, conf);
	for (int i = 0; i <= NFDNS_CONF_A_MAX; i++)
		n_conf += conf[i] != NULL;
	ok(n_conf == 1 && conf[NFDNS_CONF_A_PENDING_TIMEOUT_MS] &&
		   mnl_attr_validate(conf[NFDNS_CONF_A_PENDING_TIMEOUT_MS], MNL_TYPE_U32) >= 0 &&
		   mnl_attr_get_u32(conf[NFDNS_CONF_A_PENDING_TIMEOUT_MS]) == 9000,
	   "pending timeout: only PENDING_TIMEOUT_MS, 9000 for resolve-timeout-ms 8000");
	ok(nlh->nlmsg_len == mnl_nlmsg_size(sizeof(*g)) + 4 + 8, "pending timeout: nothing else in the message (%u bytes)",
	   nlh->nlmsg_len);
	ok(kernel_pending_timeout(8000) > 8000, "the kernel waits longer than a resolution");
	ok(kernel_pending_timeout(100) == 1100, "a short resolve-timeout-ms: the kernel waits 1100 ms");
	ok(kernel_pending_timeout(120000) == 60000 && kernel_pending_timeout(UINT32_MAX) == 60000,
	   "never past the kernel's bound of 60000 ms");
}

static size_t count_type(const ldns_rr_list *l, ldns_rr_type type)
{
	size_t n = 0;

	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++)
		n += ldns_rr_get_type(ldns_rr_list_rr(l, i)) == type;
	return n;
}

static ldns_pkt *query(const char *name, bool edns, bool dnssec_ok, bool ad, bool cd)
{
	ldns_pkt *q = ldns_pkt_query_new(ldns_dname_new_frm_str(name), LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, LDNS_RD);

	ldns_pkt_set_ad(q, ad);
	ldns_pkt_set_cd(q, cd);
	if (edns) {
		ldns_pkt_set_edns_udp_size(q, 1232);
		ldns_pkt_set_edns_do(q, dnssec_ok);
	}
	return q;
}

/* The EDE INFO-CODE of p, or -1. */
static int ede_of(ldns_pkt *p)
{
	ldns_edns_option_list *l = ldns_pkt_edns_get_option_list(p);

	for (size_t i = 0; l && i < ldns_edns_option_list_get_count(l); i++) {
		ldns_edns_option *o = ldns_edns_option_list_get_option(l, i);

		if (ldns_edns_get_code(o) == LDNS_EDNS_EDE && ldns_edns_get_size(o) >= 2)
			return ldns_edns_get_data(o)[0] << 8 | ldns_edns_get_data(o)[1];
	}
	return -1;
}

/* RRSIG, NSEC and NSEC3 go to DO clients only; AD, SERVFAIL and EDE by the verdict and the client's bits. */
static void test_dnssec_records(void)
{
	ldns_rr_list *an = rrs("www.example. 300 IN A 192.0.2.1",
			       "www.example. 300 IN RRSIG A 13 2 300 20300101000000 20200101000000 1 example. AAAA", NULL);
	ldns_rr_list *ns = rrs("example. 300 IN SOA ns.example. h.example. 1 2 3 4 300",
			       "a.example. 300 IN NSEC z.example. A RRSIG NSEC",
			       "a.example. 300 IN RRSIG NSEC 13 2 300 20300101000000 20200101000000 1 example. AAAA",
			       "x.example. 300 IN NSEC3 1 0 0 - 0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM A", NULL);
	struct resolve_result res = { .rcode = 0, .answer = an, .authority = ns, .secure = true };
	ldns_rr_list *f = response_dnssec_filtered(an, LDNS_RR_TYPE_A);
	ldns_pkt *q, *p;
	uint8_t qname[256], *wire = NULL;
	size_t qlen = wire_name("www.example.", qname), len = 0;
	uint32_t ttl;

	ok(ldns_rr_list_rr_count(f) == 1 && count_type(f, LDNS_RR_TYPE_A) == 1, "filter: the RRSIG goes, the A stays");
	ldns_rr_list_deep_free(f);
	f = response_dnssec_filtered(ns, LDNS_RR_TYPE_A);
	ok(ldns_rr_list_rr_count(f) == 1 && count_type(f, LDNS_RR_TYPE_SOA) == 1, "filter: NSEC, NSEC3, RRSIG go, the SOA stays");
	ldns_rr_list_deep_free(f);
	f = response_dnssec_filtered(an, LDNS_RR_TYPE_RRSIG);
	ok(count_type(f, LDNS_RR_TYPE_RRSIG) == 1, "filter: an RRSIG asked for stays");
	ldns_rr_list_deep_free(f);

	q = query("www.example.", true, false, false, false);
	p = response_for_query(q, &res);
	ok(p && ldns_pkt_ancount(p) == 1 && ldns_pkt_nscount(p) == 1 && !ldns_pkt_ad(p),
	   "no DO, no AD: no DNSSEC records, no AD");
	ldns_pkt_free(p);
	ldns_pkt_free(q);
	q = query("www.example.", false, false, true, false);
	p = response_for_query(q, &res);
	ok(p && ldns_pkt_ancount(p) == 1 && ldns_pkt_ad(p), "AD=1 without DO: AD, still no DNSSEC records");
	ldns_pkt_free(p);
	ldns_pkt_free(q);
	q = query("www.example.", true, true, false, false);
	p = response_for_query(q, &res);
	ok(p && ldns_pkt_ancount(p) == 2 && ldns_pkt_nscount(p) == 4 && ldns_pkt_ad(p), "DO: every record, AD");
	ldns_pkt_free(p);
	ldns_pkt_free(q);

	res.secure = false;
	res.bogus = true;
	res.ede = 7;
	q = query("www.example.", true, true, false, false);
	p = response_for_query(q, &res);
	ok(p && ldns_pkt_get_rcode(p) == LDNS_RCODE_SERVFAIL && ldns_pkt_ancount(p) == 0 && ede_of(p) == 7 &&
		   !ldns_pkt_ad(p),
	   "bogus: SERVFAIL, no records, EDE 7");
	ldns_pkt_free(p);
	ldns_pkt_free(q);
	q = query("www.example.", true, true, false, true);
	p = response_for_query(q, &res);
	ok(p && ldns_pkt_get_rcode(p) == 0 && ldns_pkt_ancount(p) == 2 && !ldns_pkt_ad(p) && ldns_pkt_cd(p) &&
		   ede_of(p) < 0,
	   "bogus with CD: the data, without AD");
	ldns_pkt_free(p);
	ldns_pkt_free(q);

	res.bogus = false;
	res.secure = true;
	ok(response_for_kernel(qname, qlen, LDNS_RR_TYPE_A, 1, &res, false, 0, 600, &wire, &len, &ttl) == 0 &&
		   ldns_wire2pkt(&p, wire, len) == LDNS_STATUS_OK,
	   "kernel, DO=0 key: built");
	ok(ldns_pkt_ad(p) && ldns_pkt_ancount(p) == 1 && ldns_pkt_nscount(p) == 1,
	   "kernel, DO=0 key: AD stored (the kernel gives it to AD=1 clients), no DNSSEC records");
	ldns_pkt_free(p);
	free(wire);
	ok(response_for_kernel(qname, qlen, LDNS_RR_TYPE_A, 1, &res, true, 0, 600, &wire, &len, &ttl) == 0 &&
		   ldns_wire2pkt(&p, wire, len) == LDNS_STATUS_OK && ldns_pkt_ad(p) && ldns_pkt_ancount(p) == 2 &&
		   ldns_pkt_nscount(p) == 4,
	   "kernel, DO=1 key: AD and every record");
	{
		uint8_t lc[256];
		uint16_t offs[512];
		struct dnswire_resp_info ri;
		const char *why = NULL;

		dnswire_name_lower(lc, qname, qlen);
		ok(dnswire_validate_response(wire, len, lc, (u8)qlen, LDNS_RR_TYPE_A, 1, offs, 512, &ri, &why) == 0 &&
			   ri.n_ttl == 6,
		   "kernel, DO=1 key: the module accepts it with AD, RRSIGs and NSEC/NSEC3, every TTL found%s%s",
		   why ? ": " : "", why ? why : "");
	}
	ldns_pkt_free(p);
	free(wire);
	res.secure = false;
	ok(response_for_kernel(qname, qlen, LDNS_RR_TYPE_A, 1, &res, true, 0, 600, &wire, &len, &ttl) == 0 &&
		   ldns_wire2pkt(&p, wire, len) == LDNS_STATUS_OK && !ldns_pkt_ad(p),
	   "kernel: no AD for an answer not secure");
	ldns_pkt_free(p);
	free(wire);
	ldns_rr_list_deep_free(an);
	ldns_rr_list_deep_free(ns);
}

int main(void)
{
	ldns_rr_list *a, *b;

	tap_plan(69);
	test_dnssec_records();
	test_pending_timeout();

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
		ok(response_for_kernel(q, ql, 1, 1, &res, false, 30, 600, &wire, &len, &ttl) == 0 && ttl == 30,
		   "TTL raised to kernel-min-ttl");
		free(wire);
		ldns_rr_list_deep_free(res.answer);
		res.answer = rrs("www.example.com. 90000 IN A 192.0.2.44", NULL);
		ok(response_for_kernel(q, ql, 1, 1, &res, false, 0, 600, &wire, &len, &ttl) == 0 && ttl == 600,
		   "TTL lowered to kernel-max-ttl");
		free(wire);
		ldns_rr_list_deep_free(res.answer);
		ldns_rr_list_deep_free(res.authority);
	}
	return tap_done();
}
