// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsd: the pure parts of resolving: bailiwick checks on names, the RRset
 * cache (expiry, ranks, negative entries, eviction), the infrastructure
 * cache (RTT, back-off, server choice, lameness) and the classification of
 * upstream answers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "dname.h"
#include "infra.h"
#include "resolve.h"
#include "stats.h"

struct stats stats;

#include "tap.h"

static ldns_rdf *dn(const char *s)
{
	ldns_rdf *r = ldns_dname_new_frm_str(s);

	if (!r)
		abort();
	return r;
}

static ldns_rr *rr(const char *s)
{
	ldns_rr *r = NULL;

	if (ldns_rr_new_frm_str(&r, s, 3600, NULL, NULL) != LDNS_STATUS_OK)
		abort();
	return r;
}

static ldns_rr_list *rrs(const char *first, ...)
{
	ldns_rr_list *l = ldns_rr_list_new();
	va_list ap;

	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *))
		ldns_rr_list_push_rr(l, rr(s));
	va_end(ap);
	return l;
}

static bool under(const char *name, const char *zone)
{
	ldns_rdf *n = dn(name), *z = dn(zone);
	bool r = name_under(n, z);

	ldns_rdf_deep_free(n);
	ldns_rdf_deep_free(z);
	return r;
}

static void test_names(void)
{
	ok(under("www.example.com.", "example.com."), "www.example.com is in example.com");
	ok(under("example.com.", "example.com."), "a zone is in its own bailiwick");
	ok(under("WWW.Example.COM.", "example.com."), "bailiwick ignores case");
	ok(under("anything.at.all.", "."), "everything is under the root");
	ok(!under("badexample.com.", "example.com."), "badexample.com is not in example.com");
	ok(!under("com.", "example.com."), "a parent is not in its child's bailiwick");
	ok(!under("ns.evil.net.", "com."), "another TLD is out of bailiwick");
	ok(!under("example.com.evil.", "example.com."), "a suffix in the wrong place is not in bailiwick");

	static const uint8_t bad[] = { 3, 'w', 'w', 'w', 70, 'x' };
	static const uint8_t good[] = { 3, 'w', 'w', 'w', 0 };

	ok(wire_name_len(bad, sizeof(bad)) < 0, "label longer than 63 refused");
	ok(wire_name_len(good, sizeof(good)) == 5, "wire name length");
	ok(wire_name_len(good, 4) < 0, "unterminated name refused");
}

static void test_cache(void)
{
	struct cache c;
	ldns_rdf *www = dn("www.example.com.");
	ldns_rr_list *set, *got;
	ldns_rr *soa = NULL;

	cache_init(&c, 16, 0, 86400, 3600);
	set = rrs("www.example.com. 10 IN A 192.0.2.1", "www.example.com. 20 IN A 192.0.2.2", NULL);
	ok(cache_put_rrset(&c, set, RANK_AUTH, 100) == 0, "RRset stored");
	got = cache_get(&c, www, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_NONAUTH, 105);
	ok(got && ldns_rr_list_rr_count(got) == 2 && ldns_rr_ttl(ldns_rr_list_rr(got, 0)) == 5 &&
		   ldns_rr_ttl(ldns_rr_list_rr(got, 1)) == 5,
	   "RRset read back with its smallest TTL, aged by 5 s");
	ldns_rr_list_deep_free(got);
	got = cache_get(&c, www, LDNS_RR_TYPE_AAAA, LDNS_RR_CLASS_IN, RANK_NONAUTH, 105);
	ok(!got, "another type is a miss");
	got = cache_get(&c, www, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_NONAUTH, 110);
	ok(!got, "expired at its TTL");
	ldns_rr_list_deep_free(set);

	set = rrs("ns1.example.com. 3600 IN A 192.0.2.53", NULL);
	cache_put_rrset(&c, set, RANK_GLUE, 100);
	ldns_rr_list_deep_free(set);
	ldns_rdf *ns1 = dn("NS1.EXAMPLE.COM.");

	got = cache_get(&c, ns1, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_NONAUTH, 101);
	ok(!got, "glue is not good enough to answer a client");
	got = cache_get(&c, ns1, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_HINT, 101);
	ok(got != NULL, "glue serves to reach a server, and lookups ignore case");
	ldns_rr_list_deep_free(got);
	set = rrs("ns1.example.com. 3600 IN A 192.0.2.54", NULL);
	ok(cache_put_rrset(&c, set, RANK_AUTH, 102) == 0, "authoritative data replaces glue");
	ldns_rr_list_deep_free(set);
	set = rrs("ns1.example.com. 3600 IN A 192.0.2.66", NULL);
	ok(cache_put_rrset(&c, set, RANK_GLUE, 103) == -EEXIST, "glue does not replace authoritative data");
	ldns_rr_list_deep_free(set);
	got = cache_get(&c, ns1, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_NONAUTH, 104);
	if (got) {
		char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(got, 0), 0));

		ok(strcmp(s, "192.0.2.54") == 0, "the authoritative address stays");
		free(s);
	}
	ldns_rr_list_deep_free(got);
	ldns_rdf_deep_free(ns1);

	ldns_rdf *nx = dn("nx.example.com.");
	ldns_rr *s = rr("example.com. 3600 IN SOA ns1.example.com. h.example.com. 1 2 3 4 300");

	ok(cache_put_negative(&c, nx, 0, LDNS_RR_CLASS_IN, s, 300, RANK_AUTH, 100) == 0, "NXDOMAIN stored");
	ok(cache_get_negative(&c, nx, LDNS_RR_TYPE_MX, LDNS_RR_CLASS_IN, &soa, 150) == LDNS_RCODE_NXDOMAIN && soa &&
		   ldns_rr_ttl(soa) == 250,
	   "NXDOMAIN covers every type; SOA TTL aged to 250");
	ldns_rr_free(soa);
	{
		ldns_rdf *below = dn("a.b.nx.example.com."), *sibling = dn("nx2.example.com.");

		ok(cache_get_negative(&c, below, LDNS_RR_TYPE_AAAA, LDNS_RR_CLASS_IN, &soa, 150) == LDNS_RCODE_NXDOMAIN &&
			   soa && ldns_rr_ttl(soa) == 250,
		   "RFC 8020: below a cached NXDOMAIN, NXDOMAIN, with its SOA");
		ldns_rr_free(soa);
		ok(cache_get_negative(&c, sibling, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, &soa, 150) == -ENOENT,
		   "RFC 8020: a sibling is not covered");
		ldns_rdf_deep_free(below);
		ldns_rdf_deep_free(sibling);
	}
	ok(cache_get_negative(&c, nx, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, &soa, 400) == -ENOENT,
	   "NXDOMAIN expires with its negative TTL");
	ok(cache_put_negative(&c, www, LDNS_RR_TYPE_AAAA, LDNS_RR_CLASS_IN, s, 99999, RANK_AUTH, 100) == 0,
	   "NODATA stored");
	ok(cache_get_negative(&c, www, LDNS_RR_TYPE_AAAA, LDNS_RR_CLASS_IN, &soa, 100) == LDNS_RCODE_NOERROR && soa &&
		   ldns_rr_ttl(soa) == 3600,
	   "NODATA for that type, TTL capped at neg-max-ttl");
	ldns_rr_free(soa);
	ok(cache_get_negative(&c, www, LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_IN, &soa, 100) == -ENOENT,
	   "NODATA covers only its type");
	ldns_rr_free(s);
	ldns_rdf_deep_free(nx);
	cache_destroy(&c);

	/* Eviction: 16 entries at most, least recently used first. */
	cache_init(&c, 16, 0, 86400, 3600);
	char line[128];

	for (int i = 0; i < 16; i++) {
		snprintf(line, sizeof(line), "h%d.example.com. 3600 IN A 192.0.2.%d", i, i);
		set = rrs(line, NULL);
		cache_put_rrset(&c, set, RANK_AUTH, 100);
		ldns_rr_list_deep_free(set);
	}
	ldns_rdf *h0 = dn("h0.example.com."), *h1 = dn("h1.example.com.");

	got = cache_get(&c, h0, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_AUTH, 101);
	ldns_rr_list_deep_free(got);
	set = rrs("h16.example.com. 3600 IN A 192.0.2.16", NULL);
	cache_put_rrset(&c, set, RANK_AUTH, 101);
	ldns_rr_list_deep_free(set);
	ok(c.lru.count == 16, "size bound holds (16 entries)");
	got = cache_get(&c, h1, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_AUTH, 101);
	ok(!got && c.lru.evictions == 1, "the least recently used entry was evicted");
	ldns_rr_list_deep_free(got);
	got = cache_get(&c, h0, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_AUTH, 101);
	ok(got != NULL, "a recently used entry survived");
	ldns_rr_list_deep_free(got);
	ldns_rdf_deep_free(h0);
	ldns_rdf_deep_free(h1);
	cache_destroy(&c);
	ldns_rdf_deep_free(www);
}

static struct sockaddr_storage v4(const char *a)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sin_family = AF_INET;
	s->sin_port = htons(53);
	inet_pton(AF_INET, a, &s->sin_addr);
	return ss;
}

/* RFC 8767: an expired RRset kept for the stale window, for failed resolutions only. */
static void test_cache_stale(void)
{
	struct cache c;
	struct cache_verdict verdict;
	ldns_rdf *www = dn("www.example.com.");
	ldns_rr_list *set, *got;

	cache_init(&c, 16, 0, 86400, 3600);
	c.stale_window = 60;
	set = rrs("www.example.com. 10 IN A 192.0.2.1", NULL);
	ok(cache_put_rrset(&c, set, RANK_AUTH, 100) == 0, "stale: RRset stored");
	ldns_rr_list_deep_free(set);
	got = cache_get(&c, www, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_NONAUTH, 111);
	ok(!got, "stale: past its TTL, an ordinary lookup misses");
	got = cache_get_stale(&c, www, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 111, &verdict);
	ok(got && ldns_rr_list_rr_count(got) == 1 && ldns_rr_ttl(ldns_rr_list_rr(got, 0)) == STALE_TTL,
	   "stale: inside the window it is still there, with TTL 30");
	ldns_rr_list_deep_free(got);
	got = cache_get_stale(&c, www, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 171, &verdict);
	ok(!got, "stale: past the window it is gone");
	set = rrs("www.example.com. 10 IN A 192.0.2.2", NULL);
	ok(cache_put_rrset(&c, set, RANK_NONAUTH, 200) == 0, "stale: lower-ranked data replaces an expired RRset");
	ldns_rr_list_deep_free(set);
	cache_destroy(&c);

	cache_init(&c, 16, 0, 86400, 3600);
	set = rrs("www.example.com. 10 IN A 192.0.2.1", NULL);
	cache_put_rrset(&c, set, RANK_AUTH, 100);
	ldns_rr_list_deep_free(set);
	got = cache_get_stale(&c, www, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 111, &verdict);
	ok(!got, "stale: with no window nothing is kept past its TTL");
	cache_destroy(&c);
	ldns_rdf_deep_free(www);
}

static void test_infra(void)
{
	struct infra in;
	struct sockaddr_storage s[3] = { v4("192.0.2.1"), v4("192.0.2.2"), v4("192.0.2.3") };
	struct sockaddr *a = (struct sockaddr *)&s[0], *b = (struct sockaddr *)&s[1], *c = (struct sockaddr *)&s[2];
	bool skip[3] = { false, false, false };
	int counts[3] = { 0, 0, 0 };

	infra_init(&in, 100);
	ok(infra_rto(&in, a, 0) == INFRA_RTO_INITIAL, "an unknown server gets the initial timeout");
	for (int i = 0; i < 300; i++)
		counts[infra_select(&in, s, skip, 3, 0)]++;
	ok(counts[0] > 50 && counts[1] > 50 && counts[2] > 50, "unknown servers are chosen evenly (%d/%d/%d)",
	   counts[0], counts[1], counts[2]);

	infra_rtt_sample(&in, a, 80, 1000);
	infra_rtt_sample(&in, b, 10, 1000);
	infra_rtt_sample(&in, c, 40, 1000);
	ok(infra_select(&in, s, skip, 3, 1000) == 1, "the fastest server is chosen");
	skip[1] = true;
	ok(infra_select(&in, s, skip, 3, 1000) == 2, "then the next fastest");
	skip[0] = skip[1] = skip[2] = true;
	ok(infra_select(&in, s, skip, 3, 1000) == -ENOENT, "none left");
	skip[0] = skip[1] = skip[2] = false;

	for (int i = 0; i < 20; i++)
		infra_rtt_sample(&in, a, 100, 1000);
	ok(infra_server(&in, a, 1000)->srtt >= 90 && infra_server(&in, a, 1000)->srtt <= 100,
	   "smoothed RTT converges (%u)", infra_server(&in, a, 1000)->srtt);
	ok(infra_rto(&in, a, 1000) >= 100 && infra_rto(&in, a, 1000) <= 200, "timeout follows the RTT (%u)",
	   infra_rto(&in, a, 1000));

	infra_timeout(&in, b, 2000);
	ok(infra_select(&in, s, skip, 3, 2000) == 2, "a server that timed out is avoided");
	ok(infra_rto(&in, b, 2000) > 10, "and waited for longer next time");
	infra_timeout(&in, a, 2000);
	infra_timeout(&in, c, 2000);
	infra_timeout(&in, c, 2001);
	ok(infra_select(&in, s, skip, 3, 2001) != 2, "the server with the longest back-off comes last");
	ok(infra_score(&in, b, 2000 + INFRA_BACKOFF_MAX + 1) < 1000000000ULL, "back-off ends");
	infra_rtt_sample(&in, b, 10, 2002);
	ok(infra_server(&in, b, 2002)->timeouts == 0, "an answer clears the timeouts");

	ldns_rdf *z1 = dn("example.com."), *z2 = dn("example.net.");

	infra_set_lame(&in, z1, a, 3000);
	ok(infra_is_lame(&in, z1, a, 3001), "lame for the zone");
	ok(!infra_is_lame(&in, z2, a, 3001), "not lame for another zone");
	ok(!infra_is_lame(&in, z1, b, 3001), "not lame at another address");
	ok(!infra_is_lame(&in, z1, a, 3000 + INFRA_LAME_TTL), "lameness expires");
	infra_set_lame_for(&in, z2, a, 3000, INFRA_SERVFAIL_TTL);
	ok(infra_is_lame(&in, z2, a, 3001) && !infra_is_lame(&in, z2, a, 3000 + INFRA_SERVFAIL_TTL),
	   "a SERVFAIL is remembered, briefly");
	ok(infra_use_edns(&in, c, 3000), "EDNS by default");
	infra_set_no_edns(&in, c, 3000);
	ok(!infra_use_edns(&in, c, 3001), "no EDNS after FORMERR");
	ok(infra_use_edns(&in, c, 3000 + INFRA_REPROBE), "EDNS tried again later");
	ok(infra_use_0x20(&in, c, 3000), "0x20 by default");
	infra_set_no_0x20(&in, c, 3000);
	ok(!infra_use_0x20(&in, c, 3001) && infra_use_0x20(&in, c, 3000 + INFRA_REPROBE),
	   "no 0x20 for a server that lost the case, tried again later");
	ldns_rdf_deep_free(z1);
	ldns_rdf_deep_free(z2);
	infra_destroy(&in);
}

static ldns_pkt *pkt(int rcode, bool aa, ldns_rr_list *answer, ldns_rr_list *auth, ldns_rr_list *add)
{
	ldns_pkt *p = ldns_pkt_new();

	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, aa);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	if (answer)
		ldns_pkt_push_rr_list(p, LDNS_SECTION_ANSWER, answer);
	if (auth)
		ldns_pkt_push_rr_list(p, LDNS_SECTION_AUTHORITY, auth);
	if (add)
		ldns_pkt_push_rr_list(p, LDNS_SECTION_ADDITIONAL, add);
	ldns_rr_list_free(answer);
	ldns_rr_list_free(auth);
	ldns_rr_list_free(add);
	return p;
}

static enum answer_kind classify(ldns_pkt *p, const char *zone, const char *qname, ldns_rr_type t,
				 struct classified *cl)
{
	ldns_rdf *z = dn(zone), *q = dn(qname);
	int err = classify_answer(p, z, q, t, LDNS_RR_CLASS_IN, 0, 16, cl);

	ldns_rdf_deep_free(z);
	ldns_rdf_deep_free(q);
	return err ? (enum answer_kind)-1 : cl->kind;
}

static void test_classify(void)
{
	struct classified cl;
	ldns_pkt *p;
	struct cache c;

	cache_init(&c, 100, 0, 86400, 3600);

	p = pkt(0, false, NULL,
		rrs("example.com. 172800 IN NS ns1.example.com.", "example.com. 172800 IN NS ns.evil.net.", NULL),
		rrs("ns1.example.com. 172800 IN A 192.0.2.53", "ns.evil.net. 172800 IN A 192.0.2.66",
		    "www.example.com. 172800 IN A 192.0.2.66", NULL));
	ok(classify(p, "com.", "www.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_REFERRAL, "referral recognised");
	ok(cl.ns && ldns_rr_list_rr_count(cl.ns) == 2, "referral NS kept");
	ok(cl.glue && ldns_rr_list_rr_count(cl.glue) == 1 && cl.glue_ignored == 2,
	   "only in-bailiwick glue for an NS name kept (1 kept, %u ignored)", cl.glue_ignored);
	cache_classified(&c, &cl, p, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 100);
	{
		ldns_rdf *n = dn("ns.evil.net."), *w = dn("www.example.com.");
		ldns_rr_list *g = cache_get(&c, n, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_NONE, 100);
		ldns_rr_list *g2 = cache_get(&c, w, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_NONE, 100);

		ok(!g && !g2, "out-of-bailiwick and unrequested addresses never reach the cache");
		ldns_rr_list_deep_free(g);
		ldns_rr_list_deep_free(g2);
		ldns_rdf_deep_free(n);
		ldns_rdf_deep_free(w);
	}
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, true, rrs("www.example.com. 300 IN A 192.0.2.44", NULL), NULL, NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_POSITIVE &&
		   ldns_rr_list_rr_count(cl.rrset) == 1,
	   "authoritative answer");
	classified_free(&cl);
	ok(classify(p, "org.", "www.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_LAME,
	   "an answer about a name outside the zone asked is not taken");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, true,
		rrs("beta.example.com. 300 IN CNAME beta.other.net.", "beta.other.net. 300 IN A 192.0.2.66", NULL), NULL,
		NULL);
	ok(classify(p, "example.com.", "beta.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_CNAME &&
		   ldns_rr_list_rr_count(cl.chain) == 1,
	   "CNAME out of the zone: followed elsewhere, the out-of-zone A not taken");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, true,
		rrs("a.example.com. 300 IN CNAME b.example.com.", "b.example.com. 300 IN CNAME a.example.com.", NULL), NULL,
		NULL);
	ok(classify(p, "example.com.", "a.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_LOOP, "CNAME loop detected");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(3, true, NULL, rrs("example.com. 3600 IN SOA ns1.example.com. h.example.com. 1 2 3 4 300", NULL), NULL);
	ok(classify(p, "example.com.", "nx.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_NXDOMAIN && cl.soa &&
		   cl.neg_ttl == 300 && ldns_rr_ttl(cl.soa) == 300,
	   "NXDOMAIN, negative TTL = min(SOA TTL, MINIMUM)");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, true, NULL, rrs("example.com. 60 IN SOA ns1.example.com. h.example.com. 1 2 3 4 300", NULL), NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_AAAA, &cl) == ANSWER_NODATA && cl.neg_ttl == 60,
	   "NODATA, negative TTL = SOA TTL when smaller");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, true, NULL, rrs("other.org. 60 IN SOA ns1.other.org. h.other.org. 1 2 3 4 300", NULL), NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_AAAA, &cl) == ANSWER_NODATA && !cl.soa,
	   "an SOA from elsewhere is not used");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, false, NULL, rrs(". 3600 IN NS a.root-servers.net.", NULL), NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_LAME,
	   "upward referral is lame");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, false, NULL, rrs("example.com. 3600 IN NS ns1.example.com.", NULL), NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_LAME,
	   "referral to the zone itself is lame");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, false, NULL, rrs("sub.other.com. 3600 IN NS ns1.example.com.", NULL), NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_LAME,
	   "sideways referral is lame");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, true, rrs(". 518400 IN NS a.root-servers.net.", ". 518400 IN NS b.root-servers.net.", NULL), NULL,
		rrs("a.root-servers.net. 518400 IN A 198.41.0.4", "b.root-servers.net. 518400 IN AAAA 2801:1b8:10::b",
		    "www.example.com. 518400 IN A 192.0.2.66", NULL));
	ok(classify(p, ".", ".", LDNS_RR_TYPE_NS, &cl) == ANSWER_POSITIVE && cl.glue &&
		   ldns_rr_list_rr_count(cl.glue) == 2 && cl.glue_ignored == 1,
	   "priming answer: the root servers' addresses kept, nothing else");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, true, NULL, rrs("com. 172800 IN NS a.nic.com.", NULL), NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_AAAA, &cl) == ANSWER_LAME,
	   "AA, no records, no SOA, NS of the zone above: lame, not NODATA");
	classified_free(&cl);
	ldns_pkt_free(p);
	p = pkt(0, true, NULL, rrs(". 518400 IN NS a.root-servers.net.", NULL), NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_LAME,
	   "AA, no records, a referral to the root: lame");
	classified_free(&cl);
	ldns_pkt_free(p);
	p = pkt(0, true, NULL, rrs("example.com. 3600 IN NS ns1.example.com.", NULL), NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_AAAA, &cl) == ANSWER_NODATA,
	   "AA, no records, the zone's own NS: still NODATA");
	classified_free(&cl);
	ldns_pkt_free(p);
	p = pkt(0, false, rrs("www.example.com. 300 IN A 192.0.2.44", NULL), NULL, NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_AAAA, &cl) == ANSWER_NODATA && !cl.soa,
	   "not AA, only a record of another type: NODATA (nothing cached without an SOA), not lame");
	classified_free(&cl);
	ldns_pkt_free(p);

	p = pkt(0, true, rrs("dn.example.com. 600 IN DNAME g.example.net.", NULL), NULL, NULL);
	ok(classify(p, "example.com.", "a.b.dn.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_CNAME &&
		   ldns_rr_list_rr_count(cl.chain) == 2 &&
		   ldns_rr_get_type(ldns_rr_list_rr(cl.chain, 0)) == LDNS_RR_TYPE_DNAME &&
		   ldns_rr_get_type(ldns_rr_list_rr(cl.chain, 1)) == LDNS_RR_TYPE_CNAME &&
		   ldns_rr_ttl(ldns_rr_list_rr(cl.chain, 1)) == 600,
	   "DNAME alone: the DNAME, then the CNAME it implies with its TTL, followed out of the zone");
	if (ldns_rr_list_rr_count(cl.chain) == 2) {
		char *tgt = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(cl.chain, 1), 0));

		ok(strcmp(tgt, "a.b.g.example.net.") == 0, "DNAME: a.b.dn.example.com. becomes %s", tgt);
		free(tgt);
	} else {
		ok(0, "DNAME: the CNAME's target");
	}
	classified_free(&cl);
	ok(classify(p, "example.com.", "dn.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_NODATA && !ldns_rr_list_rr_count(cl.chain),
	   "DNAME: its owner itself is not redirected (NODATA)");
	classified_free(&cl);
	ldns_pkt_free(p);
	{
		char line[400], label[64];

		memset(label, 'x', 62);
		label[62] = 0;
		snprintf(line, sizeof(line), "dn.example.com. 600 IN DNAME %s.%s.%s.example.net.", label, label, label);
		p = pkt(0, true, rrs(line, NULL), NULL, NULL);
		snprintf(line, sizeof(line), "%s.%s.dn.example.com.", label, label);
		ok(classify(p, "example.com.", line, LDNS_RR_TYPE_A, &cl) == ANSWER_LOOP,
		   "DNAME: a name that would grow past 255 bytes is not followed");
		classified_free(&cl);
		ldns_pkt_free(p);
	}

	/* A negative without AA ranks below authoritative data: it cannot replace it. */
	p = pkt(0, true, rrs("rank.example.com. 300 IN A 192.0.2.50", NULL), NULL, NULL);
	classify(p, "example.com.", "rank.example.com.", LDNS_RR_TYPE_A, &cl);
	cache_classified(&c, &cl, p, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 100);
	classified_free(&cl);
	ldns_pkt_free(p);
	p = pkt(0, false, NULL, rrs("example.com. 300 IN SOA ns1.example.com. h.example.com. 1 2 3 4 300", NULL), NULL);
	classify(p, "example.com.", "rank.example.com.", LDNS_RR_TYPE_A, &cl);
	cache_classified(&c, &cl, p, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, 101);
	classified_free(&cl);
	ldns_pkt_free(p);
	{
		ldns_rdf *n = dn("rank.example.com.");
		ldns_rr_list *got = cache_get(&c, n, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, RANK_NONAUTH, 102);

		ok(got && ldns_rr_list_rr_count(got) == 1, "a NODATA without AA does not replace an authoritative answer");
		ldns_rr_list_deep_free(got);
		ldns_rdf_deep_free(n);
	}

	p = pkt(2, false, NULL, NULL, NULL);
	ok(classify(p, "example.com.", "www.example.com.", LDNS_RR_TYPE_A, &cl) == ANSWER_ERROR, "SERVFAIL: try another");
	classified_free(&cl);
	ldns_pkt_free(p);

	cache_destroy(&c);
}

static void test_ttl_rules(void)
{
	ldns_rr_list *l = rrs("a.example. 100 IN A 192.0.2.1", "a.example. 200 IN A 192.0.2.2",
			      "b.example. 2147483648 IN A 192.0.2.3", "b.example. 50 IN A 192.0.2.4",
			      "c.example. 999999 IN CNAME a.example.", "a.example. 10 IN TXT \"x\"", NULL);

	ok(ttl_value(0x80000000u) == 0 && ttl_value(0xffffffffu) == 0 && ttl_value(0x7fffffffu) == 0x7fffffffu,
	   "a TTL with the top bit set reads as 0");
	rrsets_normalize_ttl(l, 86400);
	ok(ldns_rr_ttl(ldns_rr_list_rr(l, 0)) == 100 && ldns_rr_ttl(ldns_rr_list_rr(l, 1)) == 100,
	   "one TTL per RRset: the smallest");
	ok(ldns_rr_ttl(ldns_rr_list_rr(l, 2)) == 0 && ldns_rr_ttl(ldns_rr_list_rr(l, 3)) == 0,
	   "an RRset with a top-bit TTL: 0 for all");
	ok(ldns_rr_ttl(ldns_rr_list_rr(l, 4)) == 86400, "capped at max-ttl");
	ok(ldns_rr_ttl(ldns_rr_list_rr(l, 5)) == 10, "another type of the same owner keeps its own TTL");
	ldns_rr_list_deep_free(l);
}

static void test_message_len(void)
{
	/* ID 1, RD, one question "a." A IN, then one A record with a compressed owner. */
	static const uint8_t q[] = { 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1,
				     0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1 };
	uint8_t buf[sizeof(q) + 4];

	ok(wire_message_len(q, sizeof(q)) == (int)sizeof(q), "message length: question and a compressed record");
	memcpy(buf, q, sizeof(q));
	memcpy(buf + sizeof(q), "junk", 4);
	ok(wire_message_len(buf, sizeof(buf)) == (int)sizeof(q), "message length: trailing bytes are not counted");
	ok(wire_message_len(q, sizeof(q) - 1) < 0, "message length: a record cut short is refused");
	ok(wire_message_len(q, 11) < 0, "message length: a short header is refused");
}

/* The cache holds no more bytes than asked, however many entries it could take. */
static void test_cache_bytes(void)
{
	struct cache c;
	char line[160];
	size_t max_bytes = 64 << 10, peak = 0, one = 0;
	int stored = 0, held;

	cache_init(&c, 100000, max_bytes, 86400, 3600);
	for (int i = 0; i < 5000; i++) {
		snprintf(line, sizeof(line), "host-%d.example.com. 3600 IN TXT \"%0100d\"", i, i);
		ldns_rr_list *set = rrs(line, NULL);

		stored += cache_put_rrset(&c, set, RANK_AUTH, 100) == 0;
		ldns_rr_list_deep_free(set);
		if (c.lru.bytes > peak)
			peak = c.lru.bytes;
		if (i == 0)
			one = c.lru.bytes;
	}
	held = (int)c.lru.count;
	ok(stored == 5000, "5000 RRsets stored (%d)", stored);
	ok(one > 150 && one < 1000, "one 100-byte TXT record costs %zu bytes", one);
	ok(peak <= max_bytes, "the cache never held more than %zu bytes (peak %zu)", max_bytes, peak);
	ok(held > 10 && held < 5000 && c.lru.evictions > 0, "%d entries kept of 5000, the rest evicted", held);
	ldns_rdf *last = dn("host-4999.example.com.");
	ldns_rdf *first = dn("host-0.example.com.");
	ldns_rr_list *got = cache_get(&c, last, LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_IN, RANK_NONAUTH, 101);

	ok(got != NULL, "the newest entry is kept");
	ldns_rr_list_deep_free(got);
	got = cache_get(&c, first, LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_IN, RANK_NONAUTH, 101);
	ok(got == NULL, "the oldest entry is gone");
	ldns_rr_list_deep_free(got);
	ldns_rdf_deep_free(last);
	ldns_rdf_deep_free(first);
	cache_destroy(&c);
	ok(c.lru.bytes == 0, "nothing charged after the cache is emptied");
}

/* QNAME minimisation: the labels each query shows, names of 1 to 20 labels walked from the root. */
static void test_qmin_schedule(void)
{
	for (unsigned labels = 1; labels <= 20; labels++) {
		unsigned revealed = 0, sent = 0, queries = 0;
		bool single_steps = true, growing = true;
		char steps[128] = "";

		while (queries < 30) {
			unsigned next = qmin_next_labels(labels, revealed, sent);

			queries++;
			snprintf(steps + strlen(steps), sizeof(steps) - strlen(steps), " %u", next);
			growing = growing && next > revealed && next <= labels;
			if (queries <= MINIMISE_ONE_LAB && next != labels)
				single_steps = single_steps && next == revealed + 1;
			if (next >= labels)
				break;
			revealed = next;
			sent++;
		}
		unsigned want = labels < MAX_MINIMISE_COUNT ? labels : MAX_MINIMISE_COUNT;

		ok(queries == want && growing && single_steps,
		   "qmin schedule: %u labels in %u queries (want %u), the first %d one label each:%s", labels, queries,
		   want, MINIMISE_ONE_LAB, steps);
	}
	ok(qmin_next_labels(3, 2, 0) == 3 && qmin_next_labels(3, 3, 5) == 3 && qmin_next_labels(0, 0, 0) == 0,
	   "qmin schedule: one label or none hidden: the full name");
	ok(qmin_next_labels(5, 2, 0) == 3 && qmin_next_labels(5, 3, 1) == 4,
	   "qmin schedule: below a zone of 2 labels, one label more each step");
	ok(qmin_next_labels(20, 4, 9) == 20, "qmin schedule: the %dth query has the full name whatever is left",
	   MAX_MINIMISE_COUNT);
}

int main(void)
{
	tap_plan(123);
	test_names();
	test_cache();
	test_cache_bytes();
	test_cache_stale();
	test_ttl_rules();
	test_message_len();
	test_infra();
	test_classify();
	test_qmin_schedule();
	return tap_done();
}
