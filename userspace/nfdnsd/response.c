// SPDX-License-Identifier: GPL-2.0
#include "response.h"

#include <errno.h>
#include <stdlib.h>

/* A netlink attribute's length field is 16 bits and counts its 4-byte header. */
#define KERNEL_RESPONSE_MAX (65535 - 4)

ldns_pkt *response_build(const ldns_rr *question, uint16_t id, bool rd, const struct resolve_result *res)
{
	ldns_pkt *p = ldns_pkt_new();
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
	if (res->answer && ldns_rr_list_rr_count(res->answer)) {
		ldns_rr_list *a = ldns_rr_list_clone(res->answer);

		if (!a || !ldns_pkt_push_rr_list(p, LDNS_SECTION_ANSWER, a)) {
			ldns_rr_list_deep_free(a);
			ldns_pkt_free(p);
			return NULL;
		}
		ldns_rr_list_free(a);
	}
	if (res->authority && ldns_rr_list_rr_count(res->authority)) {
		ldns_rr_list *a = ldns_rr_list_clone(res->authority);

		if (!a || !ldns_pkt_push_rr_list(p, LDNS_SECTION_AUTHORITY, a)) {
			ldns_rr_list_deep_free(a);
			ldns_pkt_free(p);
			return NULL;
		}
		ldns_rr_list_free(a);
	}
	return p;
}

ldns_pkt *response_for_query(const ldns_pkt *query, const struct resolve_result *res)
{
	ldns_pkt *p = response_build(ldns_rr_list_rr(ldns_pkt_question(query), 0), ldns_pkt_id(query),
				     ldns_pkt_rd(query), res);

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
			const struct resolve_result *res, uint32_t min_ttl, uint32_t max_ttl, uint8_t **wire,
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
	resp = response_build(question, 0, true, res);
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
