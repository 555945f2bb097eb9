// SPDX-License-Identifier: GPL-2.0
/*
 * What an authoritative server's answer means.  Nothing here trusts the
 * answer beyond the zone the server was asked about: records for names
 * outside that zone are not used, and glue is taken only for the NS names
 * of the referral and only inside that zone.
 */
#include <errno.h>
#include <string.h>

#include "dname.h"
#include "resolve.h"

void classified_free(struct classified *c)
{
	ldns_rr_list_deep_free(c->chain);
	ldns_rr_list_deep_free(c->rrset);
	ldns_rdf_deep_free(c->target);
	ldns_rr_free(c->soa);
	ldns_rdf_deep_free(c->cut);
	ldns_rr_list_deep_free(c->ns);
	ldns_rr_list_deep_free(c->glue);
	memset(c, 0, sizeof(*c));
}

static ldns_rr_list *collect(const ldns_rr_list *section, const ldns_rdf *owner, ldns_rr_type type,
			     ldns_rr_class klass)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out && i < ldns_rr_list_rr_count(section); i++) {
		ldns_rr *rr = ldns_rr_list_rr(section, i);

		if (ldns_rr_get_class(rr) != klass || !name_equal(ldns_rr_owner(rr), owner))
			continue;
		if (type != LDNS_RR_TYPE_ANY && ldns_rr_get_type(rr) != type)
			continue;
		if (type == LDNS_RR_TYPE_ANY && ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG)
			continue;
		ldns_rr *copy = ldns_rr_clone(rr);

		if (!copy || !ldns_rr_list_push_rr(out, copy)) {
			ldns_rr_free(copy);
			ldns_rr_list_deep_free(out);
			return NULL;
		}
	}
	return out;
}

static const ldns_rr *first_of(const ldns_rr_list *section, const ldns_rdf *owner, ldns_rr_type type,
			       ldns_rr_class klass)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(section); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(section, i);

		if (ldns_rr_get_type(rr) == type && ldns_rr_get_class(rr) == klass &&
		    name_equal(ldns_rr_owner(rr), owner))
			return rr;
	}
	return NULL;
}

/* The DNAME of the answer whose owner is the closest strict ancestor of name inside zone. */
static const ldns_rr *dname_above(const ldns_rr_list *answer, const ldns_rdf *zone, const ldns_rdf *name,
				  ldns_rr_type qtype, ldns_rr_class klass)
{
	const ldns_rr *best = NULL;

	if (qtype == LDNS_RR_TYPE_DNAME)
		return NULL;
	for (size_t i = 0; i < ldns_rr_list_rr_count(answer); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(answer, i);
		const ldns_rdf *owner = ldns_rr_owner(rr);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNAME || ldns_rr_get_class(rr) != klass ||
		    ldns_rr_rd_count(rr) < 1 || name_equal(owner, name) || !name_under(name, owner) ||
		    !name_under(owner, zone))
			continue;
		if (!best || ldns_dname_label_count(owner) > ldns_dname_label_count(ldns_rr_owner(best)))
			best = rr;
	}
	return best;
}

static bool in_chain(const ldns_rr_list *chain, const ldns_rdf *qname, const ldns_rdf *name)
{
	if (name_equal(qname, name))
		return true;
	for (size_t i = 0; i < ldns_rr_list_rr_count(chain); i++)
		if (name_equal(ldns_rr_owner(ldns_rr_list_rr(chain, i)), name))
			return true;
	return false;
}

/* The SOA that may speak for name's absence: its owner encloses name and lies in zone. */
static const ldns_rr *find_soa(const ldns_pkt *pkt, const ldns_rdf *zone, const ldns_rdf *name,
			       ldns_rr_class klass, uint32_t *neg_ttl)
{
	const ldns_rr_list *auth = ldns_pkt_authority(pkt);

	for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);
		const ldns_rdf *minimum;
		uint32_t ttl;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA || ldns_rr_get_class(rr) != klass ||
		    ldns_rr_rd_count(rr) < 7)
			continue;
		if (!name_under(name, ldns_rr_owner(rr)) || !name_under(ldns_rr_owner(rr), zone))
			continue;
		minimum = ldns_rr_rdf(rr, 6);
		ttl = ttl_value(ldns_rr_ttl(rr));
		/* RFC 2308 5: the lesser of the SOA's TTL and its MINIMUM field. */
		if (minimum && ldns_rdf_size(minimum) == 4 && ttl_value(ldns_rdf2native_int32(minimum)) < ttl)
			ttl = ttl_value(ldns_rdf2native_int32(minimum));
		*neg_ttl = ttl;
		return rr;
	}
	return NULL;
}

static int set_soa(struct classified *out, const ldns_rr *soa)
{
	if (!soa)
		return 0;
	out->soa = ldns_rr_clone(soa);
	if (!out->soa)
		return -ENOMEM;
	ldns_rr_set_ttl(out->soa, out->neg_ttl);
	return 0;
}

/* The delegation in the authority section: NS of a zone strictly below zone, enclosing name. */
static const ldns_rdf *find_cut(const ldns_pkt *pkt, const ldns_rdf *zone, const ldns_rdf *name,
				ldns_rr_class klass)
{
	const ldns_rr_list *auth = ldns_pkt_authority(pkt);
	const ldns_rdf *best = NULL;

	for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);
		const ldns_rdf *owner = ldns_rr_owner(rr);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS || ldns_rr_get_class(rr) != klass)
			continue;
		if (name_equal(owner, zone) || !name_under(owner, zone) || !name_under(name, owner))
			continue;
		/* The deepest cut wins: it is the one the server meant. */
		if (!best || ldns_dname_label_count(owner) > ldns_dname_label_count(best))
			best = owner;
	}
	return best;
}

/* NS records in the authority section for a zone above the one asked, or beside it: up the tree. */
static bool ns_above(const ldns_pkt *pkt, const ldns_rdf *zone, ldns_rr_class klass)
{
	const ldns_rr_list *auth = ldns_pkt_authority(pkt);

	for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);
		const ldns_rdf *owner = ldns_rr_owner(rr);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS || ldns_rr_get_class(rr) != klass)
			continue;
		if (!name_under(owner, zone))
			return true;
	}
	return false;
}

static bool first_of_other_type(const ldns_rr_list *answer, const ldns_rdf *name, ldns_rr_type qtype,
				ldns_rr_class klass)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(answer); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(answer, i);

		if (ldns_rr_get_class(rr) == klass && ldns_rr_get_type(rr) != qtype &&
		    ldns_rr_get_type(rr) != LDNS_RR_TYPE_CNAME && ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG &&
		    name_equal(ldns_rr_owner(rr), name))
			return true;
	}
	return false;
}

static int take_glue(const ldns_pkt *pkt, const ldns_rdf *zone, struct classified *out, ldns_rr_class klass)
{
	const ldns_rr_list *add = ldns_pkt_additional(pkt);

	out->glue = ldns_rr_list_new();
	if (!out->glue)
		return -ENOMEM;
	for (size_t i = 0; i < ldns_rr_list_rr_count(add); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(add, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		bool wanted = false;

		if (t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA)
			continue;
		if (ldns_rr_get_class(rr) == klass && name_under(ldns_rr_owner(rr), zone)) {
			for (size_t j = 0; j < ldns_rr_list_rr_count(out->ns); j++) {
				const ldns_rdf *target = ldns_rr_rdf(ldns_rr_list_rr(out->ns, j), 0);

				if (target && name_equal(target, ldns_rr_owner(rr))) {
					wanted = true;
					break;
				}
			}
		}
		if (!wanted) {
			out->glue_ignored++;
			continue;
		}
		ldns_rr *copy = ldns_rr_clone(rr);

		if (!copy || !ldns_rr_list_push_rr(out->glue, copy)) {
			ldns_rr_free(copy);
			return -ENOMEM;
		}
	}
	return 0;
}

int classify_answer(const ldns_pkt *pkt, const ldns_rdf *zone, const ldns_rdf *qname, ldns_rr_type qtype,
		    ldns_rr_class qclass, uint32_t chain_before, uint32_t max_cname, struct classified *out)
{
	ldns_pkt_rcode rcode = ldns_pkt_get_rcode(pkt);
	const ldns_rr_list *answer = ldns_pkt_answer(pkt);
	const ldns_rdf *name = qname;
	uint32_t links = chain_before;
	const ldns_rr *soa;
	const ldns_rdf *cut;

	memset(out, 0, sizeof(*out));
	out->chain = ldns_rr_list_new();
	if (!out->chain)
		return -ENOMEM;
	if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN) {
		out->kind = ANSWER_ERROR;
		return 0;
	}

	/* Walk the answer from the question through CNAMEs, within the zone. */
	while (name_under(name, zone)) {
		const ldns_rr *cname;
		const ldns_rdf *next;

		out->rrset = collect(answer, name, qtype, qclass);
		if (!out->rrset)
			return -ENOMEM;
		if (ldns_rr_list_rr_count(out->rrset) > 0) {
			out->kind = ANSWER_POSITIVE;
			out->target = ldns_rdf_clone(name);
			if (!out->target)
				return -ENOMEM;
			/* An NS answer (root priming above all) brings the servers' addresses along. */
			if (qtype == LDNS_RR_TYPE_NS) {
				out->ns = ldns_rr_list_clone(out->rrset);
				if (!out->ns)
					return -ENOMEM;
				return take_glue(pkt, zone, out, qclass);
			}
			return 0;
		}
		ldns_rr_list_deep_free(out->rrset);
		out->rrset = NULL;
		if (qtype == LDNS_RR_TYPE_CNAME)
			break;
		/*
		 * A DNAME of this zone above the name redirects it (RFC 6672): the
		 * DNAME goes into the chain, then the CNAME it implies, made here
		 * (a server may send the DNAME alone, or a CNAME that disagrees).
		 */
		const ldns_rr *dname = dname_above(answer, zone, name, qtype, qclass);

		if (dname) {
			ldns_rr *synth = dname_synthesize(dname, name), *dcopy;

			if (!synth || ++links > max_cname || in_chain(out->chain, qname, ldns_rr_rdf(synth, 0))) {
				ldns_rr_free(synth);
				out->kind = ANSWER_LOOP;
				return 0;
			}
			dcopy = ldns_rr_clone(dname);
			if (!dcopy || !ldns_rr_list_push_rr(out->chain, dcopy)) {
				ldns_rr_free(dcopy);
				ldns_rr_free(synth);
				return -ENOMEM;
			}
			if (!ldns_rr_list_push_rr(out->chain, synth)) {
				ldns_rr_free(synth);
				return -ENOMEM;
			}
			name = ldns_rr_rdf(synth, 0);
			continue;
		}
		cname = first_of(answer, name, LDNS_RR_TYPE_CNAME, qclass);
		if (!cname || ldns_rr_rd_count(cname) < 1)
			break;
		next = ldns_rr_rdf(cname, 0);
		if (++links > max_cname || in_chain(out->chain, qname, next)) {
			out->kind = ANSWER_LOOP;
			return 0;
		}
		ldns_rr *copy = ldns_rr_clone(cname);

		if (!copy || !ldns_rr_list_push_rr(out->chain, copy)) {
			ldns_rr_free(copy);
			return -ENOMEM;
		}
		name = ldns_rr_rdf(copy, 0);
	}
	out->target = ldns_rdf_clone(name);
	if (!out->target)
		return -ENOMEM;
	if (!name_under(name, zone)) {
		/* This server cannot speak for the target: look it up elsewhere. */
		out->kind = ldns_rr_list_rr_count(out->chain) ? ANSWER_CNAME : ANSWER_LAME;
		return 0;
	}

	soa = find_soa(pkt, zone, name, qclass, &out->neg_ttl);
	if (rcode == LDNS_RCODE_NXDOMAIN) {
		out->kind = ANSWER_NXDOMAIN;
		return set_soa(out, soa);
	}
	cut = soa ? NULL : find_cut(pkt, zone, name, qclass);
	if (cut) {
		out->kind = ANSWER_REFERRAL;
		out->cut = ldns_rdf_clone(cut);
		out->ns = collect(ldns_pkt_authority(pkt), cut, LDNS_RR_TYPE_NS, qclass);
		if (!out->cut || !out->ns)
			return -ENOMEM;
		return take_glue(pkt, zone, out, qclass);
	}
	/*
	 * No SOA, and NS records for a zone above the one asked (or beside
	 * it): the server does not serve the zone, AA or not, and points back
	 * up the tree.  Lame, not NODATA.
	 */
	if (!soa && !ldns_rr_list_rr_count(out->chain) && ns_above(pkt, zone, qclass)) {
		out->kind = ANSWER_LAME;
		return 0;
	}
	if (soa || ldns_pkt_aa(pkt)) {
		out->kind = ANSWER_NODATA;
		return set_soa(out, soa);
	}
	/* Records of the name, only of another type: it exists without the type asked. */
	if (first_of_other_type(answer, name, qtype, qclass)) {
		out->kind = ANSWER_NODATA;
		return 0;
	}
	/* A CNAME answer from a non-authoritative server: ask about the target anew. */
	out->kind = ldns_rr_list_rr_count(out->chain) ? ANSWER_CNAME : ANSWER_LAME;
	return 0;
}

static ldns_rr_type sig_covers(const ldns_rr *sig)
{
	return ldns_rr_rd_count(sig) > 0 ? ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(sig)) : 0;
}

static void push_sigs_over(ldns_rr_list *out, const ldns_rr_list *section, const ldns_rdf *owner, ldns_rr_type type,
			   ldns_rr_class klass)
{
	for (size_t i = 0; out && i < ldns_rr_list_rr_count(section); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(section, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && ldns_rr_get_class(rr) == klass &&
		    sig_covers(rr) == type && name_equal(ldns_rr_owner(rr), owner))
			ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
	}
}

ldns_rr_list *dnssec_sigs_of(const ldns_pkt *pkt, const ldns_rr_list *rrset)
{
	ldns_rr_list *out = ldns_rr_list_new();
	const ldns_rr *first = ldns_rr_list_rr_count(rrset) ? ldns_rr_list_rr(rrset, 0) : NULL;

	if (!out || !first)
		return out;
	push_sigs_over(out, ldns_pkt_answer(pkt), ldns_rr_owner(first), ldns_rr_get_type(first),
		       ldns_rr_get_class(first));
	push_sigs_over(out, ldns_pkt_authority(pkt), ldns_rr_owner(first), ldns_rr_get_type(first),
		       ldns_rr_get_class(first));
	return out;
}

ldns_rr_list *dnssec_denial_of(const ldns_pkt *pkt)
{
	const ldns_rr_list *auth = ldns_pkt_authority(pkt);
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out && i < ldns_rr_list_rr_count(auth); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);
		ldns_rr_type t = ldns_rr_get_type(rr);

		if (t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3 ||
		    (t == LDNS_RR_TYPE_RRSIG && (sig_covers(rr) == LDNS_RR_TYPE_NSEC ||
						 sig_covers(rr) == LDNS_RR_TYPE_NSEC3 ||
						 sig_covers(rr) == LDNS_RR_TYPE_SOA)))
			ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
	}
	return out;
}

/* An RRset with its signatures, and with extra (a wildcard's proof) when given. */
static void put_signed(struct cache *c, const ldns_rr_list *set, const ldns_pkt *pkt, const ldns_rr_list *extra,
		       enum rank rank, uint64_t now)
{
	ldns_rr_list *sigs = pkt ? dnssec_sigs_of(pkt, set) : NULL;

	for (size_t i = 0; sigs && i < ldns_rr_list_rr_count(extra); i++)
		ldns_rr_list_push_rr(sigs, ldns_rr_clone(ldns_rr_list_rr(extra, i)));
	cache_put_rrset_signed(c, set, sigs, rank, now);
	ldns_rr_list_deep_free(sigs);
}

static void put_each_rrset(struct cache *c, const ldns_rr_list *rrs, enum rank rank, uint64_t now,
			   const ldns_pkt *pkt)
{
	ldns_rr_list *work = ldns_rr_list_clone(rrs);

	while (work && ldns_rr_list_rr_count(work) > 0) {
		const ldns_rr *first = ldns_rr_list_rr(work, 0);
		ldns_rr_list *set = rrset_take(work, ldns_rr_owner(first), ldns_rr_get_type(first),
					       ldns_rr_get_class(first));

		if (!set)
			break;
		put_signed(c, set, pkt, NULL, rank, now);
		ldns_rr_list_deep_free(set);
	}
	ldns_rr_list_deep_free(work);
}

static void put_parent_glue(struct cache *c, const ldns_rr_list *rrs, uint64_t now)
{
	ldns_rr_list *work = ldns_rr_list_clone(rrs);

	while (work && ldns_rr_list_rr_count(work) > 0) {
		const ldns_rr *first = ldns_rr_list_rr(work, 0);
		ldns_rr_list *set = rrset_take(work, ldns_rr_owner(first), ldns_rr_get_type(first),
					       ldns_rr_get_class(first));

		if (!set)
			break;
		cache_put_parent_glue(c, set, now);
		ldns_rr_list_deep_free(set);
	}
	ldns_rr_list_deep_free(work);
}

void cache_classified(struct cache *c, const struct classified *cl, const ldns_pkt *pkt, ldns_rr_type qtype,
		      ldns_rr_class qclass, uint64_t now)
{
	enum rank rank = ldns_pkt_aa(pkt) ? RANK_AUTH : RANK_NONAUTH;

	if (cl->chain) {
		ldns_rr_list *kept = ldns_rr_list_new();

		/*
		 * A CNAME made from a DNAME is not cached: the DNAME is, and
		 * answers from the cache make the CNAME again, DNAME first.
		 */
		for (size_t i = 0; kept && i < ldns_rr_list_rr_count(cl->chain); i++)
			if (i == 0 || ldns_rr_get_type(ldns_rr_list_rr(cl->chain, i - 1)) != LDNS_RR_TYPE_DNAME)
				ldns_rr_list_push_rr(kept, ldns_rr_list_rr(cl->chain, i));
		put_each_rrset(c, kept ? kept : cl->chain, rank, now, pkt);
		ldns_rr_list_free(kept);
	}
	ldns_rr_list *denial = dnssec_denial_of(pkt);

	switch (cl->kind) {
	case ANSWER_POSITIVE:
		if (qtype == LDNS_RR_TYPE_ANY)
			put_each_rrset(c, cl->rrset, rank, now, pkt);
		else
			put_signed(c, cl->rrset, pkt, denial, rank, now);
		if (cl->glue)
			put_each_rrset(c, cl->glue, RANK_GLUE, now, NULL);
		break;
	case ANSWER_NXDOMAIN:
		/* Without an SOA there is no negative TTL to honour (RFC 2308 5). */
		if (cl->soa)
			cache_put_negative_signed(c, cl->target, 0, qclass, cl->soa, denial, cl->neg_ttl, rank, now);
		/* The signed SOA goes with the NXDOMAIN answers that validated NSEC records make (RFC 8198). */
		if (cl->soa && ldns_rr_list_rr_count(denial)) {
			ldns_rr_list *soa = ldns_rr_list_new();

			if (soa && ldns_rr_list_push_rr(soa, cl->soa))
				put_signed(c, soa, pkt, NULL, rank, now);
			ldns_rr_list_free(soa);
		}
		break;
	case ANSWER_NODATA:
		if (cl->soa && qtype != LDNS_RR_TYPE_ANY)
			cache_put_negative_signed(c, cl->target, qtype, qclass, cl->soa, denial, cl->neg_ttl, rank,
						  now);
		break;
	case ANSWER_REFERRAL: {
		/* The parent's signed DS set for the child comes with a referral: no query for it later. */
		ldns_rr_list *auth = ldns_rr_list_clone(ldns_pkt_authority(pkt));
		ldns_rr_list *ds = auth ? rrset_take(auth, cl->cut, LDNS_RR_TYPE_DS, qclass) : NULL;

		if (ds && ldns_rr_list_rr_count(ds))
			put_signed(c, ds, pkt, NULL, RANK_NONAUTH, now);
		ldns_rr_list_deep_free(ds);
		ldns_rr_list_deep_free(auth);
		cache_put_rrset(c, cl->ns, RANK_REFERRAL, now);
		put_each_rrset(c, cl->glue, RANK_GLUE, now, NULL);
		put_parent_glue(c, cl->glue, now);
		break;
	}
	default:
		break;
	}
	ldns_rr_list_deep_free(denial);
}
