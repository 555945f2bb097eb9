// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl without a kernel: a table of command lines, each with the exit
 * code, the output and the requests it must give, run through nfdnsctl's
 * own main() against the stub transport (ethtool's test-cmdline style).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nfdnsctl.h"
#include "nfdnsctl_stub.h"
#include "tap.h"

#define ARGS(...) ((const char *[]){ "nfdnsctl", __VA_ARGS__, NULL })

static char *out_buf, *err_buf;

static int run(const char *const *args)
{
	struct nfdnsctl ctl = { 0 };
	size_t out_len, err_len;
	char *argv[32];
	int argc = 0, rc;

	while (args[argc] && argc < 31) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	free(out_buf);
	free(err_buf);
	ctl.out = open_memstream(&out_buf, &out_len);
	ctl.err = open_memstream(&err_buf, &err_len);
	rc = nfdnsctl_main(&ctl, argc, argv);
	fclose(ctl.out);
	fclose(ctl.err);
	return rc;
}

/* Replies, as the module would send them. */

/* The AD bit of the responses put_response() builds. */
static bool put_ad;

static void put_response(struct nl_msg *msg, int attr, const char *const *rrs,
			 const char *qname, ldns_rr_type qtype,
			 ldns_pkt_rcode rcode)
{
	ldns_pkt *pkt = ldns_pkt_new();
	ldns_rr *q = ldns_rr_new(), *rr;
	uint8_t *wire;
	size_t len;

	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_rd(pkt, true);
	ldns_pkt_set_ra(pkt, true);
	ldns_pkt_set_rcode(pkt, rcode);
	ldns_pkt_set_ad(pkt, put_ad);
	ldns_rr_set_owner(q, ldns_dname_new_frm_str(qname));
	ldns_rr_set_type(q, qtype);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(q, true);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, q);
	for (; *rrs; rrs++) {
		bool auth = !strncmp(*rrs, "auth:", 5);

		ldns_rr_new_frm_str(&rr, *rrs + (auth ? 5 : 0), 0, NULL, NULL);
		ldns_pkt_push_rr(pkt, auth ? LDNS_SECTION_AUTHORITY :
				 LDNS_SECTION_ANSWER, rr);
	}
	ldns_pkt2wire(&wire, pkt, &len);
	nla_put(msg, attr, (int)len, wire);
	free(wire);
	ldns_pkt_free(pkt);
}

static void put_entry(struct nl_msg *msg, const char *name, ldns_rr_type type,
		      bool do_bit, uint32_t ttl, uint32_t remaining,
		      uint32_t flags, ldns_pkt_rcode rcode,
		      const char *const *rrs)
{
	struct nlattr *nest = nla_nest_start(msg, NFDNS_A_ENTRY);
	uint8_t wire[NFDNS_NAME_MAX], len;

	nfdnsctl_name_to_wire(name, wire, &len);
	nla_put(msg, NFDNS_ENTRY_A_QNAME, len, wire);
	nla_put_u16(msg, NFDNS_ENTRY_A_QTYPE, type);
	nla_put_u16(msg, NFDNS_ENTRY_A_QCLASS, LDNS_RR_CLASS_IN);
	if (do_bit)
		nla_put_flag(msg, NFDNS_ENTRY_A_DO);
	put_response(msg, NFDNS_ENTRY_A_RESPONSE, rrs, name, type, rcode);
	nla_put_u32(msg, NFDNS_ENTRY_A_TTL, ttl);
	nla_put_u32(msg, NFDNS_ENTRY_A_REMAINING, remaining);
	nla_put_u32(msg, NFDNS_ENTRY_A_FLAGS, flags);
	nla_nest_end(msg, nest);
}

static void setup_not_loaded(void)
{
	stub.not_loaded = true;
}

static void setup_stats(void)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	unsigned int a;

	stub_reply(0, NULL);
	msg = stub_reply_msg(NFDNS_CMD_STATS_GET);
	nest = nla_nest_start(msg, NFDNS_A_STATS);
	for (a = 1; a < NFDNS_STAT_A_PAD; a++)
		nla_put_u64(msg, (int)a, a == NFDNS_STAT_A_HITS ? 12 : 1000 + a);
	nla_nest_end(msg, nest);
}

static void setup_config(void)
{
	struct nlattr *nest, *list;
	struct nl_msg *msg;
	uint8_t v6[16] = { [15] = 1 };
	uint8_t p4[5] = { 10, 0, 0, 0, 8 };
	uint8_t p6[17] = { 0xfc, [16] = 7 };

	stub_reply(0, NULL);
	msg = stub_reply_msg(NFDNS_CMD_CONFIG_GET);
	nest = nla_nest_start(msg, NFDNS_A_CONFIG);
	nla_put_u64(msg, NFDNS_CONF_A_MAX_BYTES, 64 << 20);
	nla_put_u32(msg, NFDNS_CONF_A_MAX_ENTRIES, 262144);
	nla_put_u32(msg, NFDNS_CONF_A_MIN_TTL, 0);
	nla_put_u32(msg, NFDNS_CONF_A_MAX_TTL, 86400);
	nla_put_u32(msg, NFDNS_CONF_A_NEG_MAX_TTL, 3600);
	nla_put_u32(msg, NFDNS_CONF_A_PENDING_TIMEOUT_MS, 5000);
	nla_put_u32(msg, NFDNS_CONF_A_MAX_PENDING, 4096);
	nla_put_u32(msg, NFDNS_CONF_A_MAX_WAITERS, 64);
	nla_put_u32(msg, NFDNS_CONF_A_MARK, NFDNS_DEFAULT_MARK);
	nla_put_u32(msg, NFDNS_CONF_A_SERVE_STALE, 30);
	nla_put_u8(msg, NFDNS_CONF_A_NORECURSE_PASS, 1);
	nla_put_u8(msg, NFDNS_CONF_A_ENABLED, 1);
	list = nla_nest_start(msg, NFDNS_CONF_A_PORTS);
	nla_put_u16(msg, NFDNS_CONF_A_PORT, 53);
	nla_put_u16(msg, NFDNS_CONF_A_PORT, 5353);
	nla_nest_end(msg, list);
	list = nla_nest_start(msg, NFDNS_CONF_A_ADDRS);
	nla_put_u32(msg, NFDNS_CONF_A_ADDR4, htonl(0x7f000001));
	nla_put(msg, NFDNS_CONF_A_ADDR6, 16, v6);
	nla_nest_end(msg, list);
	list = nla_nest_start(msg, NFDNS_CONF_A_CLIENTS);
	nla_put(msg, NFDNS_CONF_A_CLIENT4, 5, p4);
	nla_put(msg, NFDNS_CONF_A_CLIENT6, 17, p6);
	nla_nest_end(msg, list);
	list = nla_nest_start(msg, NFDNS_CONF_A_IFACES);
	nla_put_string(msg, NFDNS_CONF_A_IFNAME, "eth1");
	nla_nest_end(msg, list);
	nla_put_u32(msg, NFDNS_CONF_A_RRL_RATE, 1000);
	nla_put_u32(msg, NFDNS_CONF_A_RRL_SLIP, 2);
	nla_put_u8(msg, NFDNS_CONF_A_RRL_PREFIX4, 24);
	nla_put_u8(msg, NFDNS_CONF_A_RRL_PREFIX6, 56);
	nla_nest_end(msg, nest);
	/* A port that is no PID: status must not invent a process. */
	nla_put_u32(msg, NFDNS_A_RESOLVER_PID, 0xfffffff0);
}

static void setup_status(void)
{
	setup_config();
	setup_stats();
}

static const char *const www_rrs[] = {
	"www.example.com. 300 IN CNAME web.example.com.",
	"web.example.com. 300 IN A 192.0.2.44", NULL
};
static const char *const nx_rrs[] = {
	"auth:example.com. 60 IN SOA ns1.example.com. h.example.com. 1 2 3 4 60",
	NULL
};
static const char *const host_rrs[] = { "host.lan. 3600 IN A 192.0.2.1", NULL };
static const char *const stale_rrs[] = { "old.example. 10 IN A 192.0.2.9", NULL };

static void setup_entries(void)
{
	struct nl_msg *msg;

	stub_reply(0, NULL);
	msg = stub_reply_msg(NFDNS_CMD_CACHE_GET);
	put_entry(msg, "www.example.com.", LDNS_RR_TYPE_A, false, 300, 250, 0,
		  LDNS_RCODE_NOERROR, www_rrs);
	msg = stub_reply_msg(NFDNS_CMD_CACHE_GET);
	put_entry(msg, "nx.example.com.", LDNS_RR_TYPE_A, false, 60, 50,
		  NFDNS_ENTRY_F_NEGATIVE, LDNS_RCODE_NXDOMAIN, nx_rrs);
	/* Reported twice, as during a resize: shown once. */
	msg = stub_reply_msg(NFDNS_CMD_CACHE_GET);
	put_entry(msg, "www.example.com.", LDNS_RR_TYPE_A, false, 300, 250, 0,
		  LDNS_RCODE_NOERROR, www_rrs);
	msg = stub_reply_msg(NFDNS_CMD_CACHE_GET);
	put_entry(msg, "host.lan.", LDNS_RR_TYPE_A, true, 3600, 0,
		  NFDNS_ENTRY_F_STATIC, LDNS_RCODE_NOERROR, host_rrs);
	msg = stub_reply_msg(NFDNS_CMD_CACHE_GET);
	put_entry(msg, "old.example.", LDNS_RR_TYPE_A, false, 10, 0,
		  NFDNS_ENTRY_F_STALE, LDNS_RCODE_NOERROR, stale_rrs);
}

/* Secure answers as nfdnsd stores them: AD under the DO=1 and the DO=0 key. */
static void setup_entries_ad(void)
{
	struct nl_msg *msg;

	stub_reply(0, NULL);
	put_ad = true;
	msg = stub_reply_msg(NFDNS_CMD_CACHE_GET);
	put_entry(msg, "www.example.com.", LDNS_RR_TYPE_A, true, 300, 250, 0,
		  LDNS_RCODE_NOERROR, www_rrs);
	msg = stub_reply_msg(NFDNS_CMD_CACHE_GET);
	put_entry(msg, "www.example.com.", LDNS_RR_TYPE_AAAA, false, 300, 250, 0,
		  LDNS_RCODE_NOERROR, www_rrs);
	put_ad = false;
	msg = stub_reply_msg(NFDNS_CMD_CACHE_GET);
	put_entry(msg, "insecure.example.", LDNS_RR_TYPE_A, true, 300, 250, 0,
		  LDNS_RCODE_NOERROR, host_rrs);
}

static void setup_lookup(void)
{
	struct nl_msg *msg;

	stub_reply(0, NULL);
	msg = stub_reply_msg(NFDNS_CMD_CACHE_GET);
	put_entry(msg, "www.example.com.", LDNS_RR_TYPE_AAAA, true, 300, 100,
		  0, LDNS_RCODE_NOERROR, www_rrs);
}

static void setup_count(void)
{
	stub_reply(0, NULL);
	nla_put_u64(stub_reply_msg(NFDNS_CMD_CACHE_DEL), NFDNS_A_COUNT, 5);
}

static void setup_eperm(void)
{
	stub_reply(-EPERM, "nfdns: nothing");
}

static void setup_refused(void)
{
	stub_reply(-EINVAL, "min_ttl must not exceed max_ttl");
}

static void setup_enoent(void)
{
	stub_reply(-ENOENT, "nfdns: no such entry");
}

static void setup_put_refused(void)
{
	stub_reply(-EINVAL, "nfdns: response does not parse");
}

/* Request checks. */

static bool no_request(void)
{
	return stub.n_requests == 0 && stub.opens == 0;
}

static bool one_request(int cmd)
{
	return stub.n_requests == 1 && stub_request_cmd(0) == cmd;
}

static bool req_stats(void)
{
	return one_request(NFDNS_CMD_STATS_GET);
}

static bool req_config_get(void)
{
	return one_request(NFDNS_CMD_CONFIG_GET);
}

static bool req_status(void)
{
	return stub.n_requests == 2 &&
	       stub_request_cmd(0) == NFDNS_CMD_CONFIG_GET &&
	       stub_request_cmd(1) == NFDNS_CMD_STATS_GET;
}

static bool req_dump(void)
{
	struct nlmsghdr *nlh = stub.requests[0];

	return one_request(NFDNS_CMD_CACHE_GET) &&
	       (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

static bool req_config_set(void)
{
	struct nlattr *tb[NFDNS_A_MAX + 1], *ct[NFDNS_CONF_A_MAX + 1], *a;
	unsigned int ports = 0, v4 = 0, v6 = 0;
	int rem;

	if (!one_request(NFDNS_CMD_CONFIG_SET) || stub_request_attrs(0, tb) ||
	    !tb[NFDNS_A_CONFIG] ||
	    nla_parse_nested(ct, NFDNS_CONF_A_MAX, tb[NFDNS_A_CONFIG], NULL))
		return false;
	if (!ct[NFDNS_CONF_A_MIN_TTL] || nla_get_u32(ct[NFDNS_CONF_A_MIN_TTL]) != 5 ||
	    !ct[NFDNS_CONF_A_MAX_BYTES] ||
	    nla_get_u64(ct[NFDNS_CONF_A_MAX_BYTES]) != (1 << 20) ||
	    !ct[NFDNS_CONF_A_ENABLED] || nla_get_u8(ct[NFDNS_CONF_A_ENABLED]) ||
	    !ct[NFDNS_CONF_A_MARK] || nla_get_u32(ct[NFDNS_CONF_A_MARK]) != 0x10 ||
	    ct[NFDNS_CONF_A_MAX_TTL] || !ct[NFDNS_CONF_A_PORTS] ||
	    !ct[NFDNS_CONF_A_ADDRS])
		return false;
	nla_for_each_nested(a, ct[NFDNS_CONF_A_PORTS], rem)
		ports += nla_get_u16(a) == (ports ? 5353 : 53);
	nla_for_each_nested(a, ct[NFDNS_CONF_A_ADDRS], rem) {
		v4 += nla_type(a) == NFDNS_CONF_A_ADDR4 &&
		      nla_get_u32(a) == htonl(0x7f000001);
		v6 += nla_type(a) == NFDNS_CONF_A_ADDR6 && nla_len(a) == 16;
	}
	return ports == 2 && v4 == 1 && v6 == 1;
}

static bool req_min_ttl_10(void)
{
	struct nlattr *tb[NFDNS_A_MAX + 1], *ct[NFDNS_CONF_A_MAX + 1];

	return one_request(NFDNS_CMD_CONFIG_SET) && !stub_request_attrs(0, tb) &&
	       tb[NFDNS_A_CONFIG] &&
	       !nla_parse_nested(ct, NFDNS_CONF_A_MAX, tb[NFDNS_A_CONFIG], NULL) &&
	       ct[NFDNS_CONF_A_MIN_TTL] && nla_get_u32(ct[NFDNS_CONF_A_MIN_TTL]) == 10;
}

static bool req_addrs_any(void)
{
	struct nlattr *tb[NFDNS_A_MAX + 1], *ct[NFDNS_CONF_A_MAX + 1];

	return one_request(NFDNS_CMD_CONFIG_SET) && !stub_request_attrs(0, tb) &&
	       tb[NFDNS_A_CONFIG] &&
	       !nla_parse_nested(ct, NFDNS_CONF_A_MAX, tb[NFDNS_A_CONFIG], NULL) &&
	       ct[NFDNS_CONF_A_ADDRS] && nla_len(ct[NFDNS_CONF_A_ADDRS]) == 0;
}

/* The CONFIG_SET request's nest of KIND, or NULL. */
static struct nlattr *set_nest(unsigned int kind)
{
	static struct nlattr *tb[NFDNS_A_MAX + 1], *ct[NFDNS_CONF_A_MAX + 1];

	if (!one_request(NFDNS_CMD_CONFIG_SET) || stub_request_attrs(0, tb) ||
	    !tb[NFDNS_A_CONFIG] ||
	    nla_parse_nested(ct, NFDNS_CONF_A_MAX, tb[NFDNS_A_CONFIG], NULL))
		return NULL;
	return ct[kind];
}

static bool req_clients_any(void)
{
	static const uint8_t zero[17];
	struct nlattr *n = set_nest(NFDNS_CONF_A_CLIENTS), *a;
	unsigned int v4 = 0, v6 = 0;
	int rem;

	if (!n)
		return false;
	nla_for_each_nested(a, n, rem) {
		v4 += nla_type(a) == NFDNS_CONF_A_CLIENT4 && nla_len(a) == 5 &&
		      !memcmp(nla_data(a), zero, 5);
		v6 += nla_type(a) == NFDNS_CONF_A_CLIENT6 && nla_len(a) == 17 &&
		      !memcmp(nla_data(a), zero, 17);
	}
	return v4 == 1 && v6 == 1;
}

static bool req_clients_none(void)
{
	struct nlattr *n = set_nest(NFDNS_CONF_A_CLIENTS);

	return n && nla_len(n) == 0;
}

static bool req_clients_list(void)
{
	static const uint8_t net10[5] = { 10, 1, 2, 3, 8 };
	static const uint8_t host[5] = { 192, 0, 2, 1, 32 };
	static const uint8_t fd[17] = { 0xfd, [16] = 8 };
	struct nlattr *n = set_nest(NFDNS_CONF_A_CLIENTS), *a;
	unsigned int i = 0, good = 0;
	int rem;

	if (!n)
		return false;
	nla_for_each_nested(a, n, rem) {
		const uint8_t *want = i == 0 ? net10 : i == 1 ? fd : host;
		unsigned int type = i == 1 ? NFDNS_CONF_A_CLIENT6 :
					     NFDNS_CONF_A_CLIENT4;
		int len = i == 1 ? 17 : 5;

		good += i < 3 && nla_type(a) == (int)type && nla_len(a) == len &&
			!memcmp(nla_data(a), want, (size_t)len);
		i++;
	}
	return i == 3 && good == 3;
}

static bool req_ifaces(void)
{
	struct nlattr *n = set_nest(NFDNS_CONF_A_IFACES), *a;
	unsigned int i = 0, good = 0;
	int rem;

	if (!n)
		return false;
	nla_for_each_nested(a, n, rem) {
		good += nla_type(a) == NFDNS_CONF_A_IFNAME &&
			!strcmp(nla_get_string(a), i ? "wan0" : "eth0");
		i++;
	}
	return i == 2 && good == 2;
}

static bool req_rrl(void)
{
	struct nlattr *tb[NFDNS_A_MAX + 1], *ct[NFDNS_CONF_A_MAX + 1];

	return one_request(NFDNS_CMD_CONFIG_SET) && !stub_request_attrs(0, tb) &&
	       tb[NFDNS_A_CONFIG] &&
	       !nla_parse_nested(ct, NFDNS_CONF_A_MAX, tb[NFDNS_A_CONFIG], NULL) &&
	       ct[NFDNS_CONF_A_RRL_RATE] &&
	       nla_get_u32(ct[NFDNS_CONF_A_RRL_RATE]) == 50 &&
	       ct[NFDNS_CONF_A_RRL_SLIP] &&
	       nla_get_u32(ct[NFDNS_CONF_A_RRL_SLIP]) == 0 &&
	       ct[NFDNS_CONF_A_RRL_PREFIX4] &&
	       nla_len(ct[NFDNS_CONF_A_RRL_PREFIX4]) == 1 &&
	       nla_get_u8(ct[NFDNS_CONF_A_RRL_PREFIX4]) == 32;
}

static bool put_ok(size_t i, bool do_bit, uint32_t ttl, size_t answers)
{
	struct nlattr *tb[NFDNS_A_MAX + 1];
	ldns_pkt *pkt = NULL;
	bool good;

	if (stub_request_cmd(i) != NFDNS_CMD_CACHE_PUT ||
	    stub_request_attrs(i, tb) || !tb[NFDNS_A_RESPONSE] ||
	    !tb[NFDNS_A_TTL] || !tb[NFDNS_A_QNAME] || !tb[NFDNS_A_FLAGS])
		return false;
	if (ldns_wire2pkt(&pkt, nla_data(tb[NFDNS_A_RESPONSE]),
			  (size_t)nla_len(tb[NFDNS_A_RESPONSE])))
		return false;
	good = nla_get_u32(tb[NFDNS_A_TTL]) == ttl &&
	       nla_get_u32(tb[NFDNS_A_FLAGS]) == NFDNS_ENTRY_F_STATIC &&
	       !!tb[NFDNS_A_DO] == do_bit &&
	       nla_get_u16(tb[NFDNS_A_QTYPE]) == LDNS_RR_TYPE_A &&
	       ldns_pkt_qr(pkt) && ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR &&
	       ldns_pkt_qdcount(pkt) == 1 && ldns_pkt_ancount(pkt) == answers &&
	       !ldns_pkt_edns(pkt) &&
	       ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(pkt), 0)) == ttl;
	ldns_pkt_free(pkt);
	return good;
}

static bool req_add(void)
{
	return stub.n_requests == 2 && put_ok(0, false, 60, 2) &&
	       put_ok(1, true, 60, 2);
}

static bool req_add_default_ttl(void)
{
	return stub.n_requests == 2 && put_ok(0, false, 3600, 1);
}

static bool req_add_rolled_back(void)
{
	struct nlattr *tb[NFDNS_A_MAX + 1];

	return stub.n_requests == 3 && put_ok(0, false, 3600, 1) &&
	       put_ok(1, true, 3600, 1) &&
	       stub_request_cmd(2) == NFDNS_CMD_CACHE_DEL &&
	       !stub_request_attrs(2, tb) && tb[NFDNS_A_QTYPE] &&
	       nla_get_u16(tb[NFDNS_A_QTYPE]) == LDNS_RR_TYPE_A &&
	       !tb[NFDNS_A_SUBTREE];
}

static void setup_second_put_refused(void)
{
	stub_reply(0, NULL);
	stub_reply(-ENOSPC, "nfdns: cache full of static entries");
}

static bool req_del(void)
{
	static const uint8_t example_com[] = "\7example\3com";
	struct nlattr *tb[NFDNS_A_MAX + 1];

	return one_request(NFDNS_CMD_CACHE_DEL) && !stub_request_attrs(0, tb) &&
	       tb[NFDNS_A_QNAME] && nla_len(tb[NFDNS_A_QNAME]) == 13 &&
	       !memcmp(nla_data(tb[NFDNS_A_QNAME]), example_com, 13) &&
	       tb[NFDNS_A_QTYPE] && nla_get_u16(tb[NFDNS_A_QTYPE]) == 15 &&
	       tb[NFDNS_A_SUBTREE];
}

static bool req_del_name(void)
{
	struct nlattr *tb[NFDNS_A_MAX + 1];

	return one_request(NFDNS_CMD_CACHE_DEL) && !stub_request_attrs(0, tb) &&
	       !tb[NFDNS_A_QTYPE] && !tb[NFDNS_A_SUBTREE];
}

static bool req_subtree(void)
{
	struct nlattr *tb[NFDNS_A_MAX + 1];

	return one_request(NFDNS_CMD_CACHE_DEL) && !stub_request_attrs(0, tb) &&
	       !tb[NFDNS_A_QTYPE] && tb[NFDNS_A_SUBTREE];
}

static bool req_flush(void)
{
	return one_request(NFDNS_CMD_CACHE_FLUSH);
}

static bool req_lookup(void)
{
	struct nlattr *tb[NFDNS_A_MAX + 1];

	return one_request(NFDNS_CMD_CACHE_GET) && !stub_request_attrs(0, tb) &&
	       tb[NFDNS_A_QTYPE] &&
	       nla_get_u16(tb[NFDNS_A_QTYPE]) == LDNS_RR_TYPE_AAAA &&
	       tb[NFDNS_A_DO] && !(stub.requests[0]->nlmsg_flags & NLM_F_DUMP);
}

static bool req_lookup_a(void)
{
	struct nlattr *tb[NFDNS_A_MAX + 1];

	return one_request(NFDNS_CMD_CACHE_GET) && !stub_request_attrs(0, tb) &&
	       nla_get_u16(tb[NFDNS_A_QTYPE]) == LDNS_RR_TYPE_A &&
	       !tb[NFDNS_A_DO];
}

struct cmdline_case {
	const char *const *argv;
	int exit;
	void (*setup)(void);
	const char *out_has;
	const char *err_has;
	bool (*check)(void);
};

static const struct cmdline_case cases[] = {
	/* global */
	{ ARGS("--help"), 0, NULL, "commands:", NULL, no_request },
	{ ARGS("--version"), 0, NULL, "nfdnsctl ", NULL, no_request },
	{ ARGS(""), 2, NULL, NULL, "unknown command ''", no_request },
	{ ARGS("bogus"), 2, NULL, NULL, "unknown command 'bogus'", no_request },
	{ ARGS("--bogus", "stats"), 2, NULL, NULL, "unknown option '--bogus'",
	  no_request },
	{ ARGS("--netns"), 2, NULL, NULL, "option '--netns' needs a value",
	  no_request },
	{ ARGS("stats"), 1, setup_not_loaded, NULL,
	  "the nfdns module is not loaded", NULL },
	{ ARGS("dump"), 1, setup_not_loaded, NULL,
	  "the nfdns module is not loaded", NULL },
	/* every subcommand has --help */
	{ ARGS("status", "--help"), 0, NULL, "usage: nfdnsctl status", NULL, no_request },
	{ ARGS("stats", "--help"), 0, NULL, "usage: nfdnsctl stats", NULL, no_request },
	{ ARGS("dump", "--help"), 0, NULL, "usage: nfdnsctl dump", NULL, no_request },
	{ ARGS("lookup", "-h"), 0, NULL, "usage: nfdnsctl lookup", NULL, no_request },
	{ ARGS("add", "--help"), 0, NULL, "usage: nfdnsctl add", NULL, no_request },
	{ ARGS("del", "--help"), 0, NULL, "usage: nfdnsctl del", NULL, no_request },
	{ ARGS("flush", "--help"), 0, NULL, "usage: nfdnsctl flush", NULL, no_request },
	{ ARGS("config", "--help"), 0, NULL, "usage: nfdnsctl config", NULL, no_request },
	{ ARGS("save", "--help"), 0, NULL, "usage: nfdnsctl save", NULL, no_request },
	{ ARGS("load", "--help"), 0, NULL, "usage: nfdnsctl load", NULL, no_request },
	/* status */
	{ ARGS("status"), 0, setup_status, "resolver     netlink port 4294967280", NULL,
	  req_status },
	{ ARGS("status"), 0, setup_status, "cache        1022 of 262144 entries, 1023 B of 64.0 MiB",
	  NULL, req_status },
	{ ARGS("status"), 0, setup_status, "udp ports 53,5353, addresses 127.0.0.1,::1",
	  NULL, req_status },
	{ ARGS("--json", "status"), 0, setup_status,
	  "\"resolver\": {\"port\": 4294967280, \"process\": null}", NULL, req_status },
	{ ARGS("status", "extra"), 2, NULL, NULL, "unexpected argument 'extra'",
	  no_request },
	/* stats */
	{ ARGS("stats"), 0, setup_stats, "hits             12\n", NULL, req_stats },
	{ ARGS("stats"), 0, setup_stats, "waiters          1025\n", NULL, req_stats },
	{ ARGS("stats", "--json"), 0, setup_stats, "{\"hits\": 12, \"misses\": 1002,",
	  NULL, req_stats },
	{ ARGS("--json", "stats"), 0, setup_stats, "\"waiters\": 1025}\n", NULL,
	  req_stats },
	{ ARGS("stats", "--prometheus"), 0, setup_stats,
	  "# TYPE nfdns_hits_total counter\nnfdns_hits_total 12\n", NULL, req_stats },
	{ ARGS("stats", "--prometheus"), 0, setup_stats,
	  "# TYPE nfdns_cache_entries gauge\nnfdns_cache_entries 1022\n", NULL,
	  req_stats },
	{ ARGS("stats", "--watch", "1", "--count", "1"), 0, setup_stats,
	  "nfdns counters, every 1 s (1)\nhits             12\n", NULL, req_stats },
	{ ARGS("stats", "--watch", "0"), 2, NULL, NULL, "--watch takes", no_request },
	{ ARGS("stats", "--watch", "x"), 2, NULL, NULL, "--watch takes", no_request },
	{ ARGS("stats", "--watch"), 2, NULL, NULL, "option '--watch' needs a value",
	  no_request },
	{ ARGS("stats", "--count", "2"), 2, NULL, NULL, "--count needs --watch",
	  no_request },
	{ ARGS("stats", "hits"), 2, NULL, NULL, "unexpected argument 'hits'",
	  no_request },
	/* config */
	{ ARGS("config"), 0, setup_config, "max_bytes           67108864\n", NULL,
	  req_config_get },
	{ ARGS("config"), 0, setup_config, "ports               53,5353\naddrs               127.0.0.1,::1\n",
	  NULL, req_config_get },
	{ ARGS("config"), 0, setup_config, "mark                0x6e66\n", NULL,
	  req_config_get },
	{ ARGS("config", "serve_stale"), 0, setup_config, "30\n", NULL,
	  req_config_get },
	{ ARGS("config", "--json", "enabled"), 0, setup_config,
	  "{\"enabled\": true}\n", NULL, req_config_get },
	{ ARGS("config", "--json"), 0, setup_config,
	  "\"ports\": [53,5353], \"addrs\": [\"127.0.0.1\",\"::1\"], "
	  "\"clients\": [\"10.0.0.0/8\",\"fc00::/7\"], \"ifaces\": [\"eth1\"], "
	  "\"rrl_rate\": 1000, \"rrl_slip\": 2, \"rrl_prefix4\": 24, "
	  "\"rrl_prefix6\": 56}", NULL, req_config_get },
	{ ARGS("config"), 0, setup_config,
	  "clients             10.0.0.0/8,fc00::/7\nifaces              eth1\n"
	  "rrl_rate            1000\n", NULL, req_config_get },
	{ ARGS("config", "clients=any"), 0, NULL, NULL, NULL, req_clients_any },
	{ ARGS("config", "clients=none"), 0, NULL, NULL, NULL, req_clients_none },
	{ ARGS("config", "clients=10.1.2.3/8,fd00::/8,192.0.2.1"), 0, NULL, NULL,
	  NULL, req_clients_list },
	{ ARGS("config", "clients=10.0.0.0/33"), 2, NULL, NULL, "clients takes",
	  no_request },
	{ ARGS("config", "clients=fd00::/129"), 2, NULL, NULL, "clients takes",
	  no_request },
	{ ARGS("config", "clients=10.0.0.0/x"), 2, NULL, NULL, "clients takes",
	  no_request },
	{ ARGS("config", "clients="), 2, NULL, NULL, "clients takes", no_request },
	{ ARGS("config", "ifaces=eth0,wan0"), 0, NULL, NULL, NULL, req_ifaces },
	{ ARGS("config", "ifaces=a-name-of-16-chr"), 2, NULL, NULL, "ifaces takes",
	  no_request },
	{ ARGS("config", "rrl_rate=50", "rrl_slip=0", "rrl_prefix4=32"), 0, NULL,
	  NULL, NULL, req_rrl },
	{ ARGS("config", "rrl_prefix4=256"), 2, NULL, NULL,
	  "rrl_prefix4 takes a number up to 255", no_request },
	{ ARGS("config", "min_ttl=5", "max_bytes=1M", "enabled=no", "mark=0x10",
	       "ports=53,5353", "addrs=127.0.0.1,::1"), 0, NULL, NULL, NULL,
	  req_config_set },
	{ ARGS("config", "addrs=any"), 0, NULL, NULL, NULL, req_addrs_any },
	{ ARGS("config", "min_ttl=100", "max_ttl=50"), 1, setup_refused, NULL,
	  "nfdnsctl: changing the settings: min_ttl must not exceed max_ttl (Invalid argument)\n",
	  NULL },
	{ ARGS("config", "min_ttl=1"), 1, setup_eperm, NULL,
	  "CAP_NET_ADMIN is needed", NULL },
	{ ARGS("config", "nosuch"), 2, NULL, NULL, "unknown setting 'nosuch'",
	  no_request },
	{ ARGS("config", "nosuch=1"), 2, NULL, NULL, "unknown setting 'nosuch'",
	  no_request },
	{ ARGS("config", "min_ttl"), 0, setup_config, "0\n", NULL, req_config_get },
	{ ARGS("config", "min_ttl", "max_ttl=5"), 2, NULL, NULL,
	  "give every setting as KEY=VALUE", no_request },
	{ ARGS("config", "min_ttl=-1"), 2, NULL, NULL, "min_ttl takes a number",
	  no_request },
	{ ARGS("config", "min_ttl=4294967296"), 2, NULL, NULL,
	  "min_ttl takes a number", no_request },
	{ ARGS("config", "enabled=maybe"), 2, NULL, NULL, "enabled takes yes or no",
	  no_request },
	{ ARGS("config", "max_bytes=1Q"), 2, NULL, NULL, "max_bytes takes", no_request },
	{ ARGS("config", "ports=0"), 2, NULL, NULL, "ports takes", no_request },
	{ ARGS("config", "ports=1,2,3,4,5,6,7,8,9"), 2, NULL, NULL, "ports takes",
	  no_request },
	{ ARGS("config", "ports="), 2, NULL, NULL, "ports takes", no_request },
	{ ARGS("config", "addrs=1.2.3"), 2, NULL, NULL, "addrs takes", no_request },
	{ ARGS("config", "addrs=1.0.0.1,1.0.0.2,1.0.0.3,1.0.0.4,1.0.0.5,1.0.0.6,"
	       "1.0.0.7,1.0.0.8,1.0.0.9,1.0.0.10,1.0.0.11,1.0.0.12,1.0.0.13,"
	       "1.0.0.14,1.0.0.15,1.0.0.16,1.0.0.17"), 2, NULL, NULL,
	  "addrs takes 'any' or up to 16 IPv4 and 16 IPv6", no_request },
	{ ARGS("config", "min_ttl=010"), 0, NULL, NULL, NULL, req_min_ttl_10 },
	{ ARGS("config", "min_ttl=0xa"), 0, NULL, NULL, NULL, req_min_ttl_10 },
	{ ARGS("config", "min_ttl=0x"), 2, NULL, NULL, "min_ttl takes a number",
	  no_request },
	{ ARGS("config", "min_ttl= 5"), 2, NULL, NULL, "min_ttl takes a number",
	  no_request },
	/* dump */
	{ ARGS("dump"), 0, setup_entries,
	  ";; www.example.com. IN A  ttl 300, 250 left\n"
	  "www.example.com.\t250\tIN\tCNAME\tweb.example.com.\n"
	  "web.example.com.\t250\tIN\tA\t192.0.2.44\n", NULL, req_dump },
	{ ARGS("dump"), 0, setup_entries,
	  ";; nx.example.com. IN A  ttl 60, 50 left, negative, NXDOMAIN\n"
	  "example.com.\t50\tIN\tSOA\t", NULL, req_dump },
	{ ARGS("dump"), 0, setup_entries,
	  ";; host.lan. IN A  static, ttl 3600, do\nhost.lan.\t3600\tIN\tA\t192.0.2.1\n",
	  NULL, req_dump },
	{ ARGS("dump"), 0, setup_entries, ";; old.example. IN A  ttl 10, 0 left, stale\n",
	  NULL, req_dump },
	{ ARGS("dump", "host.lan"), 0, setup_entries,
	  ";; host.lan. IN A  static, ttl 3600, do\nhost.lan.\t3600\tIN\tA\t192.0.2.1\n",
	  NULL, req_dump },
	{ ARGS("dump", "--json"), 0, setup_entries,
	  "{\"name\": \"www.example.com.\", \"type\": \"A\", \"class\": \"IN\", \"do\": false, "
	  "\"ad\": false, \"ttl\": 300, \"remaining\": 250, \"flags\": [], \"rcode\": \"NOERROR\", "
	  "\"answer\": [\"www.example.com.\\t250\\tIN\\tCNAME\\tweb.example.com.\", "
	  "\"web.example.com.\\t250\\tIN\\tA\\t192.0.2.44\"], \"authority\": [], "
	  "\"additional\": []}", NULL, req_dump },
	{ ARGS("dump", "--json"), 0, setup_entries,
	  "\"flags\": [\"static\"]", NULL, req_dump },
	/* AD, as stored for each key */
	{ ARGS("dump"), 0, setup_entries_ad,
	  ";; www.example.com. IN A  ttl 300, 250 left, do, ad\n", NULL, req_dump },
	{ ARGS("dump"), 0, setup_entries_ad,
	  ";; www.example.com. IN AAAA  ttl 300, 250 left, ad\n", NULL, req_dump },
	{ ARGS("dump"), 0, setup_entries_ad,
	  ";; insecure.example. IN A  ttl 300, 250 left, do\n", NULL, req_dump },
	{ ARGS("dump", "--json"), 0, setup_entries_ad,
	  "\"type\": \"A\", \"class\": \"IN\", \"do\": true, \"ad\": true,", NULL, req_dump },
	{ ARGS("dump", "--json"), 0, setup_entries_ad,
	  "\"type\": \"AAAA\", \"class\": \"IN\", \"do\": false, \"ad\": true,", NULL, req_dump },
	{ ARGS("dump", "--json"), 0, setup_entries_ad,
	  "\"name\": \"insecure.example.\", \"type\": \"A\", \"class\": \"IN\", \"do\": true, \"ad\": false,",
	  NULL, req_dump },
	{ ARGS("dump", "a..b"), 2, NULL, NULL, "'a..b' is not a valid domain name",
	  no_request },
	{ ARGS("dump", "a", "b"), 2, NULL, NULL, "unexpected argument 'b'", no_request },
	/* lookup */
	{ ARGS("lookup", "www.example.com", "AAAA", "--do"), 0, setup_lookup,
	  ";; www.example.com. IN AAAA  ttl 300, 100 left, do\n", NULL, req_lookup },
	{ ARGS("lookup", "--json", "www.example.com", "aaaa", "--do"), 0,
	  setup_lookup, "\"remaining\": 100,", NULL, req_lookup },
	{ ARGS("lookup", "nothere.example"), 1, setup_enoent, NULL,
	  "nothere.example A is not in the cache\n", req_lookup_a },
	{ ARGS("lookup"), 2, NULL, NULL, "lookup needs a NAME", no_request },
	{ ARGS("lookup", "x", "NOTATYPE"), 2, NULL, NULL,
	  "'NOTATYPE' is not a record type", no_request },
	{ ARGS("lookup", "x", "A", "y"), 2, NULL, NULL, "unexpected argument 'y'",
	  no_request },
	/* add */
	{ ARGS("add", "host.lan", "A", "192.0.2.1", "192.0.2.2", "--ttl", "60"), 0,
	  NULL, NULL, NULL, req_add },
	{ ARGS("add", "--ttl", "60", "host.lan", "A", "192.0.2.1", "192.0.2.2"), 0,
	  NULL, NULL, NULL, req_add },
	{ ARGS("add", "host.lan", "A", "192.0.2.1"), 0, NULL, NULL, NULL,
	  req_add_default_ttl },
	{ ARGS("add", "host.lan", "A", "192.0.2.1"), 1, setup_put_refused, NULL,
	  "storing host.lan. A: nfdns: response does not parse (Invalid argument)",
	  NULL },
	{ ARGS("add", "host.lan", "A", "192.0.2.1"), 1, setup_eperm, NULL,
	  "storing host.lan. A: CAP_NET_ADMIN is needed (Operation not permitted)",
	  NULL },
	{ ARGS("add", "host.lan", "A", "192.0.2.1"), 1, setup_second_put_refused,
	  NULL, "cache full of static entries", req_add_rolled_back },
	{ ARGS("add", "host.lan", "A"), 2, NULL, NULL, "add needs NAME, TYPE and",
	  no_request },
	{ ARGS("add", "host.lan", "A", "not-an-address"), 2, NULL, NULL,
	  "'not-an-address' is not valid A data", no_request },
	{ ARGS("add", "host.lan", "MX", "10", "mail.lan."), 2, NULL, NULL,
	  "quote the data of one record as one argument", no_request },
	{ ARGS("add", "host.lan", "A", "192.0.2.1", "--ttl", "-5"), 2, NULL, NULL,
	  "--ttl takes seconds", no_request },
	{ ARGS("add", "host.lan", "A", "192.0.2.1", "--ttl"), 2, NULL, NULL,
	  "option '--ttl' needs a value", no_request },
	{ ARGS("add", "bad..name", "A", "192.0.2.1"), 2, NULL, NULL,
	  "not a valid domain name", no_request },
	/* del and flush */
	{ ARGS("del", "Example.COM", "MX", "--subtree"), 0, setup_count,
	  "deleted 5 entries\n", NULL, req_del },
	{ ARGS("del", "example.com"), 0, setup_count, "deleted 5 entries\n", NULL,
	  req_del_name },
	{ ARGS("del"), 2, NULL, NULL, "del needs a NAME", no_request },
	{ ARGS("del", "x", "A", "B"), 2, NULL, NULL, "unexpected argument 'B'",
	  no_request },
	{ ARGS("del", "x", "--recursive"), 2, NULL, NULL,
	  "unknown option '--recursive'", no_request },
	{ ARGS("flush"), 0, setup_count, "flushed 5 entries\n", NULL, req_flush },
	{ ARGS("flush"), 1, setup_eperm, NULL, "flushing: CAP_NET_ADMIN is needed",
	  req_flush },
	{ ARGS("flush", "example.com", "--subtree"), 0, setup_count,
	  "deleted 5 entries\n", NULL, req_subtree },
	{ ARGS("flush", "example.com"), 2, NULL, NULL, "flush NAME needs --subtree",
	  no_request },
	{ ARGS("flush", "--subtree"), 2, NULL, NULL, "--subtree needs a NAME",
	  no_request },
	/* save and load: file handling here, the TTL arithmetic below */
	{ ARGS("save"), 2, NULL, NULL, "save needs a FILE", no_request },
	{ ARGS("save", "a", "b"), 2, NULL, NULL, "save takes one FILE", no_request },
	{ ARGS("save", "--json", "a"), 2, NULL, NULL, "unknown option '--json'",
	  no_request },
	{ ARGS("load", "--", "/nonexistent/cache"), 1, NULL, NULL,
	  "/nonexistent/cache: No such file or directory", no_request },
	{ ARGS("load"), 2, NULL, NULL, "load needs a FILE", no_request },
	{ ARGS("load", "/nonexistent/cache"), 1, NULL, NULL,
	  "/nonexistent/cache: No such file or directory", no_request },
	{ ARGS("load", "/etc/hostname"), 1, NULL, NULL, "not a saved nfdns cache",
	  no_request },
	{ ARGS("save", "/nonexistent/cache"), 1, setup_entries, NULL,
	  "/nonexistent/cache: No such file or directory", req_dump },
};

static void run_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cmdline_case *c = &cases[i];
		char line[256] = "";
		const char *const *a;
		int rc;

		for (a = c->argv + 1; *a; a++)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 "%s%s", a == c->argv + 1 ? "" : " ", *a);
		stub_reset();
		if (c->setup)
			c->setup();
		rc = run(c->argv);
		ok(rc == c->exit, "nfdnsctl %s: exit %d (got %d)", line, c->exit, rc);
		if (c->out_has)
			ok(strstr(out_buf, c->out_has) != NULL,
			   "nfdnsctl %s: output has the expected text", line);
		if (c->err_has)
			ok(strstr(err_buf, c->err_has) != NULL,
			   "nfdnsctl %s: error has the expected text", line);
		if (!c->err_has && c->exit == 0)
			ok(err_buf[0] == '\0', "nfdnsctl %s: nothing on stderr", line);
		if (c->exit == 2)
			ok(strstr(err_buf, "usage: nfdnsctl") != NULL,
			   "nfdnsctl %s: usage shown", line);
		if (c->check)
			ok(c->check(), "nfdnsctl %s: the requests sent", line);
		if (rc != c->exit || (c->out_has && !strstr(out_buf, c->out_has)) ||
		    (c->err_has && !strstr(err_buf, c->err_has)))
			printf("# stdout:\n%s# stderr:\n%s", out_buf, err_buf);
	}
}

static bool dump_has_one(const char *name)
{
	const char *p = strstr(out_buf, name);

	return p && !strstr(p + 1, name);
}

static int64_t pinned_now;

static int64_t test_now(void)
{
	return pinned_now;
}

/* What load puts back, 100 seconds after saving. */
static void test_save_load(void)
{
	char path[] = "/tmp/nfdnsctl-test.XXXXXX";
	struct nlattr *tb[NFDNS_A_MAX + 1];
	ldns_pkt *pkt = NULL;
	int fd = mkstemp(path);
	bool answered;
	size_t i;
	int rc;

	close(fd);
	nfdnsctl_now = test_now;
	pinned_now = 1000000;

	stub_reset();
	setup_entries();
	rc = run(ARGS("save", path));
	ok(rc == 0, "save: exit 0");
	ok(strstr(out_buf, "saved 3 entries to") != NULL,
	   "save: the repeat dropped, the stale entry left out");

	stub_reset();
	setup_entries();
	rc = run(ARGS("dump"));
	ok(rc == 0 && dump_has_one("www.example.com. IN A"),
	   "dump: an entry reported twice is shown once");

	stub_reset();
	pinned_now += 100;
	rc = run(ARGS("load", path));
	ok(rc == 0, "load: exit 0");
	ok(strstr(out_buf, "loaded 2 entries, 1 expired since saving, 0 failed") != NULL,
	   "load: the negative entry (50 s left) expired, two put back");
	ok(stub.n_requests == 2, "load: two CACHE_PUT");
	for (i = 0; i < stub.n_requests; i++) {
		ok(stub_request_cmd(i) == NFDNS_CMD_CACHE_PUT &&
		   !stub_request_attrs(i, tb), "load: request %zu is a PUT", i);
		if (!tb[NFDNS_A_RESPONSE] || !tb[NFDNS_A_TTL])
			continue;
		ldns_wire2pkt(&pkt, nla_data(tb[NFDNS_A_RESPONSE]),
			      (size_t)nla_len(tb[NFDNS_A_RESPONSE]));
		answered = pkt && ldns_pkt_ancount(pkt) > 0;
		if (tb[NFDNS_A_FLAGS]) {
			ok(nla_get_u32(tb[NFDNS_A_FLAGS]) == NFDNS_ENTRY_F_STATIC &&
			   nla_get_u32(tb[NFDNS_A_TTL]) == 3600 && tb[NFDNS_A_DO] &&
			   answered &&
			   ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(pkt), 0)) == 3600,
			   "load: the static entry comes back as it was");
		} else {
			/* Stored 300, 250 left at saving, 100 s since. */
			ok(nla_get_u32(tb[NFDNS_A_TTL]) == 150 && !tb[NFDNS_A_DO] &&
			   answered && ldns_pkt_ancount(pkt) == 2 &&
			   ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(pkt), 0)) == 150 &&
			   ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(pkt), 1)) == 150,
			   "load: www.example.com. has 150 s left, and so do its records (ttl %u)",
			   nla_get_u32(tb[NFDNS_A_TTL]));
		}
		ldns_pkt_free(pkt);
		pkt = NULL;
	}

	stub_reset();
	pinned_now += 1000;
	rc = run(ARGS("load", path));
	ok(rc == 0 &&
	   strstr(out_buf, "loaded 1 entry, 2 expired since saving") != NULL,
	   "load: after 1100 s only the static entry is left");

	stub_reset();
	setup_put_refused();
	rc = run(ARGS("load", path));
	ok(rc == 1 &&
	   strstr(out_buf, "loaded 0 entries, 2 expired since saving, 1 failed") &&
	   strstr(err_buf, "nfdns: response does not parse") &&
	   !strstr(err_buf, "saved response"),
	   "load: a refused entry is reported with the kernel's reason, exit 1");

	unlink(path);
	nfdnsctl_now = NULL;
}

/* The exposition format, checked by Prometheus's own checker. */
static void test_promtool(void)
{
	char path[] = "/tmp/nfdnsctl-prom.XXXXXX", cmd[256];
	int fd = mkstemp(path), rc;

	stub_reset();
	setup_stats();
	run(ARGS("stats", "--prometheus"));
	if (write(fd, out_buf, strlen(out_buf)) < 0)
		perror("write");
	close(fd);
	if (system("command -v promtool >/dev/null 2>&1")) {
		printf("ok %d - # SKIP promtool is not installed\n", ++tests);
	} else {
		snprintf(cmd, sizeof(cmd), "promtool check metrics < %s", path);
		rc = system(cmd);
		ok(rc == 0, "stats --prometheus passes promtool check metrics");
	}
	unlink(path);
}

int main(void)
{
	int64_t (*wall)(void) = nfdnsctl_now;

	tap_plan(482);
	run_cases();
	test_save_load();
	nfdnsctl_now = wall;
	test_promtool();
	stub_reset();
	free(out_buf);
	free(err_buf);
	return tap_done();
}
