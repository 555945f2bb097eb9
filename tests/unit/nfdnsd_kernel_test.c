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

int main(void)
{
	ldns_rr_list *a, *b;

	tap_plan(56);
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
