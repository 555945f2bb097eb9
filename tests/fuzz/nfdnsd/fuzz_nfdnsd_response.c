// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: hostile upstream answers fed to nfdnsd's answer
 * handling.  The first input byte picks the question and the zone the
 * server was asked about (and the 0x20 strictness and CNAME links already
 * followed); the rest is the answer as it came off the wire.  The answer
 * goes through the checks of upstream.c, classification (referral, answer,
 * CNAME, negative, lame) with bailiwick filtering, and cache insertion,
 * then the cache is read back.
 */
#include <stdint.h>
#include <stdlib.h>

#include "cache.h"
#include "dname.h"
#include "resolve.h"
#include "upstream.h"

static const struct {
	const char *zone, *qname;
	ldns_rr_type type;
} scenarios[8] = {
	{ ".", "www.example.com.", LDNS_RR_TYPE_A },
	{ "com.", "www.example.com.", LDNS_RR_TYPE_A },
	{ "example.com.", "www.example.com.", LDNS_RR_TYPE_A },
	{ "example.com.", "beta.example.com.", LDNS_RR_TYPE_A },
	{ "example.com.", "text.example.com.", LDNS_RR_TYPE_AAAA },
	{ "example.com.", "example.com.", LDNS_RR_TYPE_NS },
	{ "g.example.com.", "x.g.example.com.", LDNS_RR_TYPE_CNAME },
	{ "com.", "www.x.attacker.com.", LDNS_RR_TYPE_ANY },
};

static struct cache cache;
static ldns_rdf *zones[8], *qnames[8];
static uint64_t now = 1000;

static void setup(void)
{
	cache_init(&cache, 64, 1 << 20, 86400, 3600);
	for (int i = 0; i < 8; i++) {
		zones[i] = ldns_dname_new_frm_str(scenarios[i].zone);
		qnames[i] = ldns_dname_new_frm_str(scenarios[i].qname);
		if (!zones[i] || !qnames[i])
			abort();
	}
}

static void read_back(const struct classified *cl, ldns_rr_type type)
{
	const ldns_rdf *names[3] = { cl->target, cl->cut, NULL };

	for (int i = 0; i < 3; i++) {
		ldns_rr_list *l;
		ldns_rr *soa = NULL;

		if (!names[i])
			continue;
		l = cache_get(&cache, names[i], type, LDNS_RR_CLASS_IN, RANK_NONE, now);
		ldns_rr_list_deep_free(l);
		l = cache_get(&cache, names[i], LDNS_RR_TYPE_NS, LDNS_RR_CLASS_IN, RANK_NONE, now);
		ldns_rr_list_deep_free(l);
		cache_get_negative(&cache, names[i], type, LDNS_RR_CLASS_IN, &soa, now);
		ldns_rr_free(soa);
	}
}

static void handle(const ldns_pkt *p, int s, uint32_t chain_before)
{
	struct classified cl;

	if (classify_answer(p, zones[s], qnames[s], scenarios[s].type, LDNS_RR_CLASS_IN, chain_before, 16, &cl) == 0) {
		rrsets_normalize_ttl(cl.chain, 86400);
		rrsets_normalize_ttl(cl.rrset, 86400);
		cache_classified(&cache, &cl, p, scenarios[s].type, LDNS_RR_CLASS_IN, now);
		read_back(&cl, scenarios[s].type);
	}
	classified_free(&cl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const uint8_t *wire;
	ldns_pkt *p = NULL;
	size_t len;
	int s;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	s = data[0] & 7;
	wire = data + 1;
	len = size - 1;
	now += 7;

	/* As the transport sees it: only a matching answer goes further. */
	uint16_t id = len >= 2 ? (uint16_t)(wire[0] << 8 | wire[1]) : 0;

	if (upstream_check_answer(wire, len, id, qnames[s], scenarios[s].type, LDNS_RR_CLASS_IN, data[0] & 0x80, &p) ==
		    0 &&
	    p) {
		handle(p, s, (data[0] >> 4) & 7);
		ldns_pkt_free(p);
		return 0;
	}
	/* And regardless of the question, so that every answer shape is classified. */
	if (ldns_wire2pkt(&p, wire, len) == LDNS_STATUS_OK) {
		handle(p, s, 0);
		ldns_pkt_free(p);
	}
	return 0;
}
