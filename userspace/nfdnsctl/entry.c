// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl: cache entries as the kernel reports them, read and printed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nfdnsctl.h"

/**
 * nfdnsctl_entry_parse() - one %NFDNS_A_ENTRY nest
 * @nest: the attribute
 * @e: filled in; @e->resp is allocated and the caller's to free
 *
 * Return: 0, -EPROTO when the kernel's message lacks a part, -ENOMEM.
 */
int nfdnsctl_entry_parse(const struct nlattr *nest, struct nfdnsctl_entry *e)
{
	struct nlattr *ea[NFDNS_ENTRY_A_MAX + 1];
	int len;

	memset(e, 0, sizeof(*e));
	if (nla_parse_nested(ea, NFDNS_ENTRY_A_MAX, (struct nlattr *)nest,
			     NULL))
		return -EPROTO;
	if (!ea[NFDNS_ENTRY_A_QNAME] || !ea[NFDNS_ENTRY_A_QTYPE] ||
	    !ea[NFDNS_ENTRY_A_RESPONSE] || !ea[NFDNS_ENTRY_A_TTL])
		return -EPROTO;
	len = nla_len(ea[NFDNS_ENTRY_A_QNAME]);
	if (len < 1 || len > NFDNS_NAME_MAX)
		return -EPROTO;
	memcpy(e->name, nla_data(ea[NFDNS_ENTRY_A_QNAME]), (size_t)len);
	e->name_len = (uint8_t)len;
	e->qtype = nla_get_u16(ea[NFDNS_ENTRY_A_QTYPE]);
	e->qclass = ea[NFDNS_ENTRY_A_QCLASS] ?
		    nla_get_u16(ea[NFDNS_ENTRY_A_QCLASS]) : 1;
	e->do_bit = ea[NFDNS_ENTRY_A_DO] != NULL;
	e->cd = ea[NFDNS_ENTRY_A_CD] != NULL;
	e->ttl = nla_get_u32(ea[NFDNS_ENTRY_A_TTL]);
	if (ea[NFDNS_ENTRY_A_REMAINING])
		e->remaining = nla_get_u32(ea[NFDNS_ENTRY_A_REMAINING]);
	if (ea[NFDNS_ENTRY_A_FLAGS])
		e->flags = nla_get_u32(ea[NFDNS_ENTRY_A_FLAGS]);
	len = nla_len(ea[NFDNS_ENTRY_A_RESPONSE]);
	if (len < 12 || len > NFDNS_RESPONSE_MAX)
		return -EPROTO;
	e->resp = malloc((size_t)len);
	if (!e->resp)
		return -ENOMEM;
	memcpy(e->resp, nla_data(ea[NFDNS_ENTRY_A_RESPONSE]), (size_t)len);
	e->resp_len = (uint16_t)len;
	return 0;
}

static int on_dump_entry(struct nfdnsctl *ctl, struct nlattr **tb, void *arg)
{
	struct nfdnsctl_entries *list = arg;
	struct nfdnsctl_entry *v;
	size_t cap;
	int err;

	(void)ctl;
	if (!tb[NFDNS_A_ENTRY])
		return -EPROTO;
	if (list->n == list->cap) {
		cap = list->cap ? list->cap * 2 : 256;
		v = realloc(list->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		list->v = v;
		list->cap = cap;
	}
	err = nfdnsctl_entry_parse(tb[NFDNS_A_ENTRY], &list->v[list->n]);
	if (err)
		return err;
	list->n++;
	return 0;
}

/*
 * Canonical DNS order (RFC 4034 6.1): label by label from the right.
 * Written out rather than through ldns_dname_compare() because that one
 * allocates on every call, and a dump of a full cache sorts millions.
 */
static int name_cmp(const uint8_t *a, unsigned int alen, const uint8_t *b,
		    unsigned int blen)
{
	unsigned int la[128], lb[128], na = 0, nb = 0, i;
	int d;

	for (i = 0; i < alen && a[i] && na < 128; i += a[i] + 1u)
		la[na++] = i;
	for (i = 0; i < blen && b[i] && nb < 128; i += b[i] + 1u)
		lb[nb++] = i;
	while (na && nb) {
		const uint8_t *x = a + la[--na], *y = b + lb[--nb];
		unsigned int n = x[0] < y[0] ? x[0] : y[0];

		d = memcmp(x + 1, y + 1, n);
		if (d)
			return d;
		if (x[0] != y[0])
			return x[0] < y[0] ? -1 : 1;
	}
	return na ? 1 : nb ? -1 : 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct nfdnsctl_entry *a = pa, *b = pb;
	int d = name_cmp(a->name, a->name_len, b->name, b->name_len);

	if (d)
		return d;
	if (a->qtype != b->qtype)
		return a->qtype < b->qtype ? -1 : 1;
	if (a->qclass != b->qclass)
		return a->qclass < b->qclass ? -1 : 1;
	if (a->do_bit != b->do_bit)
		return (int)a->do_bit - (int)b->do_bit;
	return (int)a->cd - (int)b->cd;
}

/**
 * nfdnsctl_entries_get() - every entry of the cache
 * @ctl: the invocation
 * @list: empty; filled, sorted in canonical order, without repeats
 *
 * A dump that runs while the kernel's table resizes may report an entry
 * twice; the repeats are dropped here.
 *
 * Return: 0 or -errno, reported.
 */
int nfdnsctl_entries_get(struct nfdnsctl *ctl, struct nfdnsctl_entries *list)
{
	size_t i, n;
	int err;

	err = nfdnsctl_open(ctl);
	if (err)
		return err;
	err = nfdnsctl_transact(ctl, nfdnsctl_msg(ctl, NFDNS_CMD_CACHE_GET,
						  NLM_F_DUMP),
				on_dump_entry, list, "reading the cache");
	if (err)
		return err;
	if (!list->n)
		return 0;
	qsort(list->v, list->n, sizeof(*list->v), entry_cmp);
	for (i = 1, n = 1; i < list->n; i++) {
		if (!entry_cmp(&list->v[n - 1], &list->v[i]))
			free(list->v[i].resp);
		else
			list->v[n++] = list->v[i];
	}
	list->n = n;
	return 0;
}

/**
 * nfdnsctl_entries_free() - release a list
 * @list: the entries
 */
void nfdnsctl_entries_free(struct nfdnsctl_entries *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		free(list->v[i].resp);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

/* The TTL a client asking now would see on a record stored with @ttl. */
static uint32_t ttl_now(const struct nfdnsctl_entry *e, uint32_t ttl)
{
	uint32_t elapsed;

	if (e->flags & NFDNS_ENTRY_F_STATIC)
		return ttl;
	elapsed = e->ttl > e->remaining ? e->ttl - e->remaining : 0;
	return ttl > elapsed ? ttl - elapsed : 0;
}

static void print_section(struct nfdnsctl *ctl, const struct nfdnsctl_entry *e,
			  ldns_rr_list *rrs, const char *json_name)
{
	FILE *f = ctl->out;
	size_t i, n = ldns_rr_list_rr_count(rrs);
	char *s, *nl;

	if (json_name)
		fprintf(f, ", \"%s\": [", json_name);
	for (i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		ldns_rr_set_ttl(rr, ttl_now(e, ldns_rr_ttl(rr)));
		s = ldns_rr2str(rr);
		if (!s)
			continue;
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		if (json_name) {
			fputs(i ? ", " : "", f);
			nfdnsctl_json_str(f, s);
		} else {
			fprintf(f, "%s\n", s);
		}
		free(s);
	}
	if (json_name)
		fputc(']', f);
}

/**
 * nfdnsctl_entry_print() - one entry, as text or as a JSON object
 * @ctl: the invocation (@ctl->json picks the form)
 * @e: the entry
 * @first: the first of a list (no separator before it)
 *
 * Records print in presentation format, with the TTLs a client asking now
 * would get.
 *
 * Return: 0, or -EPROTO when the stored response does not parse.
 */
int nfdnsctl_entry_print(struct nfdnsctl *ctl, const struct nfdnsctl_entry *e,
			 bool first)
{
	char name[1024], type[32], class[32], *rcode;
	FILE *f = ctl->out;
	ldns_pkt *pkt = NULL;
	static const struct {
		uint32_t bit;
		const char *name;
	} flag_names[] = {
		{ NFDNS_ENTRY_F_STATIC, "static" },
		{ NFDNS_ENTRY_F_NEGATIVE, "negative" },
		{ NFDNS_ENTRY_F_STALE, "stale" },
		{ NFDNS_ENTRY_F_PREFETCHED, "prefetched" },
	};
	/* AD as nfdnsd stored it: what clients with DO or AD get from this entry. */
	bool ad = e->resp_len >= 4 && (e->resp[3] & 0x20);
	bool any = false;
	size_t i;

	if (nfdnsctl_name_to_str(e->name, e->name_len, name, sizeof(name)))
		snprintf(name, sizeof(name), "(invalid name)");
	nfdnsctl_type_to_str(e->qtype, type, sizeof(type));
	nfdnsctl_class_to_str(e->qclass, class, sizeof(class));
	if (ldns_wire2pkt(&pkt, e->resp, e->resp_len) != LDNS_STATUS_OK)
		pkt = NULL;
	rcode = pkt ? ldns_pkt_rcode2str(ldns_pkt_get_rcode(pkt)) : NULL;

	if (ctl->json) {
		fputs(first ? "" : ",\n", f);
		fputs("{\"name\": ", f);
		nfdnsctl_json_str(f, name);
		fprintf(f, ", \"type\": \"%s\", \"class\": \"%s\", \"do\": %s, \"ad\": %s",
			type, class, e->do_bit ? "true" : "false", ad ? "true" : "false");
		fprintf(f, ", \"ttl\": %u, \"remaining\": %u, \"flags\": [",
			e->ttl,
			e->flags & NFDNS_ENTRY_F_STATIC ? e->ttl : e->remaining);
		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
			if (!(e->flags & flag_names[i].bit))
				continue;
			fprintf(f, "%s\"%s\"", any ? ", " : "",
				flag_names[i].name);
			any = true;
		}
		fputs("], \"rcode\": ", f);
		nfdnsctl_json_str(f, rcode ? rcode : "");
		if (pkt) {
			print_section(ctl, e, ldns_pkt_answer(pkt), "answer");
			print_section(ctl, e, ldns_pkt_authority(pkt),
				      "authority");
			print_section(ctl, e, ldns_pkt_additional(pkt),
				      "additional");
		}
		fputc('}', f);
	} else {
		fputs(first ? "" : "\n", f);
		fprintf(f, ";; %s %s %s", name, class, type);
		if (e->flags & NFDNS_ENTRY_F_STATIC)
			fprintf(f, "  static, ttl %u", e->ttl);
		else
			fprintf(f, "  ttl %u, %u left", e->ttl, e->remaining);
		for (i = 1; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (e->flags & flag_names[i].bit)
				fprintf(f, ", %s", flag_names[i].name);
		if (rcode && ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR)
			fprintf(f, ", %s", rcode);
		if (e->do_bit)
			fputs(", do", f);
		if (e->cd)
			fputs(", cd", f);
		if (ad)
			fputs(", ad", f);
		fputc('\n', f);
		if (pkt) {
			print_section(ctl, e, ldns_pkt_answer(pkt), NULL);
			print_section(ctl, e, ldns_pkt_authority(pkt), NULL);
			print_section(ctl, e, ldns_pkt_additional(pkt), NULL);
		} else {
			fputs(";; the stored response does not parse\n", f);
		}
	}
	free(rcode);
	if (!pkt)
		return -EPROTO;
	ldns_pkt_free(pkt);
	return 0;
}

/**
 * nfdnsctl_entry_put() - store a response
 * @ctl: an open invocation
 * @name: wire-format QNAME
 * @name_len: its length
 * @qtype: question type
 * @qclass: question class
 * @qbits: %NFDNSCTL_Q_DO, %NFDNSCTL_Q_CD: for questions asked with them
 * @resp: the response, without OPT
 * @resp_len: its length
 * @ttl: seconds it stays fresh
 * @flags: %NFDNS_ENTRY_F_STATIC or 0
 *
 * Return: 0 or -errno, reported with the kernel's reason.
 */
int nfdnsctl_entry_put(struct nfdnsctl *ctl, const uint8_t *name,
		       uint8_t name_len, uint16_t qtype, uint16_t qclass,
		       unsigned int qbits,
		       const uint8_t *resp, size_t resp_len, uint32_t ttl,
		       uint32_t flags)
{
	struct nl_msg *msg = nfdnsctl_msg(ctl, NFDNS_CMD_CACHE_PUT, 0);
	char what[1100], str[1024], type[32];

	if (nfdnsctl_name_to_str(name, name_len, str, sizeof(str)))
		snprintf(str, sizeof(str), "(invalid name)");
	nfdnsctl_type_to_str(qtype, type, sizeof(type));
	snprintf(what, sizeof(what), "storing %s %s", str, type);
	if (msg &&
	    (nla_put(msg, NFDNS_A_QNAME, name_len, name) ||
	     nla_put_u16(msg, NFDNS_A_QTYPE, qtype) ||
	     nla_put_u16(msg, NFDNS_A_QCLASS, qclass) ||
	     ((qbits & NFDNSCTL_Q_DO) && nla_put_flag(msg, NFDNS_A_DO)) ||
	     ((qbits & NFDNSCTL_Q_CD) && nla_put_flag(msg, NFDNS_A_CD)) ||
	     nla_put(msg, NFDNS_A_RESPONSE, (int)resp_len, resp) ||
	     nla_put_u32(msg, NFDNS_A_TTL, ttl) ||
	     (flags && nla_put_u32(msg, NFDNS_A_FLAGS, flags)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return nfdnsctl_transact(ctl, msg, NULL, NULL, what);
}
