// SPDX-License-Identifier: GPL-2.0
#include "response.h"

#include <errno.h>
#include <linux/nfdns.h>
#include <stdlib.h>
#include <string.h>

/* A netlink attribute's length field is 16 bits and counts its 4-byte header. */
#define KERNEL_RESPONSE_MAX (65535 - 4)

ldns_rr_list *response_dnssec_filtered(const ldns_rr_list *list, ldns_rr_type qtype)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out && i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);
		ldns_rr_type type = ldns_rr_get_type(rr);
		ldns_rr *copy;

		if (is_dnssec_type(type) && type != qtype)
			continue;
		copy = ldns_rr_clone(rr);
		if (!copy || !ldns_rr_list_push_rr(out, copy)) {
			ldns_rr_free(copy);
			ldns_rr_list_deep_free(out);
			return NULL;
		}
	}
	return out;
}

static bool push_section(ldns_pkt *p, ldns_pkt_section section, const ldns_rr_list *list, ldns_rr_type qtype,
			 bool dnssec_ok)
{
	ldns_rr_list *a;

	if (!list || !ldns_rr_list_rr_count(list))
		return true;
	a = dnssec_ok ? ldns_rr_list_clone(list) : response_dnssec_filtered(list, qtype);
	if (!a || (ldns_rr_list_rr_count(a) && !ldns_pkt_push_rr_list(p, section, a))) {
		ldns_rr_list_deep_free(a);
		return false;
	}
	ldns_rr_list_free(a);
	return true;
}

ldns_pkt *response_build(const ldns_rr *question, uint16_t id, bool rd, const struct resolve_result *res,
			 bool dnssec_ok)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr_type qtype = ldns_rr_get_type(question);
	ldns_rr_list *q;

	if (!p)
		return NULL;
	ldns_pkt_set_id(p, id);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_opcode(p, LDNS_PACKET_QUERY);
	ldns_pkt_set_rd(p, rd);
	ldns_pkt_set_ra(p, true);
	ldns_pkt_set_rcode(p, (uint8_t)res->rcode);
	q = ldns_rr_list_new();
	if (!q || !ldns_rr_list_push_rr(q, ldns_rr_clone(question)) ||
	    !ldns_pkt_push_rr_list(p, LDNS_SECTION_QUESTION, q)) {
		ldns_rr_list_deep_free(q);
		ldns_pkt_free(p);
		return NULL;
	}
	ldns_rr_list_free(q);
	if (!push_section(p, LDNS_SECTION_ANSWER, res->answer, qtype, dnssec_ok) ||
	    !push_section(p, LDNS_SECTION_AUTHORITY, res->authority, qtype, dnssec_ok)) {
		ldns_pkt_free(p);
		return NULL;
	}
	return p;
}

/* RFC 8914: the INFO-CODE, then why, as text. */
static void add_ede(ldns_pkt *p, int code, const char *why)
{
	ldns_edns_option_list *list = ldns_edns_option_list_new();
	size_t len = why ? strlen(why) : 0;
	uint8_t *data = malloc(2 + len);
	ldns_edns_option *opt;

	if (!list || !data) {
		ldns_edns_option_list_free(list);
		free(data);
		return;
	}
	data[0] = (uint8_t)(code >> 8);
	data[1] = (uint8_t)code;
	if (len)
		memcpy(data + 2, why, len);
	opt = ldns_edns_new(LDNS_EDNS_EDE, 2 + len, data);
	if (!opt || !ldns_edns_option_list_push(list, opt)) {
		if (opt)
			ldns_edns_deep_free(opt);
		else
			free(data);
		ldns_edns_option_list_free(list);
		return;
	}
	ldns_pkt_set_edns_option_list(p, list);
}

ldns_pkt *response_for_query(const ldns_pkt *query, const struct resolve_result *res)
{
	const ldns_rr *question = ldns_rr_list_rr(ldns_pkt_question(query), 0);
	bool dnssec_ok = ldns_pkt_edns(query) && ldns_pkt_edns_do(query);
	ldns_pkt *p;

	/* Bogus data goes only to a client that checks for itself (CD, RFC 4035 3.2.2). */
	if (res->bogus && !ldns_pkt_cd(query)) {
		struct resolve_result fail = { .rcode = LDNS_RCODE_SERVFAIL };

		p = response_build(question, ldns_pkt_id(query), ldns_pkt_rd(query), &fail, false);
		if (p && ldns_pkt_edns(query) && res->ede >= 0)
			add_ede(p, res->ede, "DNSSEC validation failed");
	} else {
		p = response_build(question, ldns_pkt_id(query), ldns_pkt_rd(query), res, dnssec_ok);
		/* RFC 6840 5.7, 5.8: AD to a client that shows it understands it, by DO or by AD. */
		if (p && res->secure && (dnssec_ok || ldns_pkt_ad(query)))
			ldns_pkt_set_ad(p, true);
	}
	if (p)
		ldns_pkt_set_cd(p, ldns_pkt_cd(query));
	return p;
}

static uint32_t smallest_ttl(const ldns_pkt *p, bool *any)
{
	const ldns_rr_list *sections[] = { ldns_pkt_answer(p), ldns_pkt_authority(p), ldns_pkt_additional(p) };
	uint32_t min = UINT32_MAX;

	*any = false;
	for (size_t s = 0; s < 3; s++)
		for (size_t i = 0; i < ldns_rr_list_rr_count(sections[s]); i++) {
			uint32_t t = ldns_rr_ttl(ldns_rr_list_rr(sections[s], i));

			*any = true;
			if (t < min)
				min = t;
		}
	return min;
}

int response_for_kernel(const uint8_t *qname, size_t qname_len, uint16_t qtype, uint16_t qclass,
			const struct resolve_result *res, bool dnssec_ok, uint32_t min_ttl, uint32_t max_ttl, uint8_t **wire,
			size_t *len, uint32_t *ttl)
{
	ldns_rdf *owner = ldns_dname_new_frm_data((uint16_t)qname_len, qname);
	ldns_rr *question = ldns_rr_new();
	ldns_pkt *resp = NULL;
	int err = -ENOMEM;
	bool any;

	*wire = NULL;
	if (!owner || !question) {
		ldns_rdf_deep_free(owner);
		ldns_rr_free(question);
		return -ENOMEM;
	}
	/* The question is the cache key exactly, bytes and all. */
	ldns_rr_set_owner(question, owner);
	ldns_rr_set_type(question, qtype);
	ldns_rr_set_class(question, qclass);
	ldns_rr_set_question(question, true);
	resp = response_build(question, 0, true, res, dnssec_ok);
	/*
	 * AD for every key of a secure answer: the kernel gives it only to
	 * clients that set DO or AD, whichever entry they hit.
	 */
	if (resp)
		ldns_pkt_set_ad(resp, res->secure);
	if (resp && ldns_pkt2wire(wire, resp, len) == LDNS_STATUS_OK) {
		err = 0;
		if (*len > KERNEL_RESPONSE_MAX) {
			free(*wire);
			*wire = NULL;
			err = -EMSGSIZE;
		}
	}
	if (!err) {
		*ttl = smallest_ttl(resp, &any);
		if (!any || *ttl < min_ttl)
			*ttl = min_ttl;
		if (*ttl > max_ttl)
			*ttl = max_ttl;
	}
	ldns_pkt_free(resp);
	ldns_rr_free(question);
	return err;
}

int response_for_cachedb(const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
			 const struct resolve_result *res, uint8_t **wire, size_t *len, uint32_t *ttl)
{
	ldns_rdf *owner = ldns_rdf_clone(qname);
	ldns_rr *question = ldns_rr_new();
	ldns_pkt *resp = NULL;
	int err = -ENOMEM;
	bool any;

	*wire = NULL;
	*ttl = 0;
	if (!owner || !question) {
		ldns_rdf_deep_free(owner);
		ldns_rr_free(question);
		return -ENOMEM;
	}
	/* Lower-cased: the first asker's 0x20 spelling is nobody else's business. */
	ldns_dname2canonical(owner);
	ldns_rr_set_owner(question, owner);
	ldns_rr_set_type(question, qtype);
	ldns_rr_set_class(question, qclass);
	ldns_rr_set_question(question, true);
	resp = response_build(question, 0, true, res, true);
	if (resp)
		ldns_pkt_set_ad(resp, res->secure);
	if (resp && ldns_pkt2wire(wire, resp, len) == LDNS_STATUS_OK) {
		err = 0;
		if (*len > NFDNS_ENTRY_RESPONSE_MAX) {
			free(*wire);
			*wire = NULL;
			err = -EMSGSIZE;
		}
	}
	if (!err) {
		*ttl = smallest_ttl(resp, &any);
		if (!any)
			*ttl = 0;
	}
	ldns_pkt_free(resp);
	ldns_rr_free(question);
	return err;
}
