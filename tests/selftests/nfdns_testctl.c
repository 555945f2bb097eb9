// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns_testctl: the module's netlink commands and a few DNS clients, for
 * the shell tests.  Deliberately small: nfdnsctl is the real tool; this
 * one exists so that the end-to-end tests do not depend on it, and it adds
 * what only tests need (a forwarding resolver, query bursts, raw packets).
 *
 *   nfdns_testctl stats [NAME]
 *   nfdns_testctl config [KEY=VALUE...]
 *	(and clients=any or clients=ADDR/LEN,..., ifaces=any or ifaces=NAME)
 *   nfdns_testctl put [--static] [--do] [--cd] [--rcode N] NAME TYPE TTL [RR...]
 *   nfdns_testctl put-size NAME SIZE [FILE]
 *   nfdns_testctl get NAME TYPE
 *   nfdns_testctl del NAME [TYPE] [--subtree]
 *   nfdns_testctl flush
 *   nfdns_testctl resolver --forward ADDR [--count-file F] [--hold-waiters N]
 *                          [--delay-ms MS] [--rcvbuf BYTES]
 *   nfdns_testctl deaf [--rcvbuf BYTES]
 *   nfdns_testctl burst ADDR NAME TYPE COUNT
 *   nfdns_testctl send ADDR PORT FILE...
 *
 * resolver --delay-ms makes it slow: each MISS waits that long before it is
 * resolved; --rcvbuf sets its receive buffer (forced when privileged), so
 * a backlog of misses does not make upcalls fail.  deaf registers a resolver that never reads its MISS messages
 * (with a small receive buffer, the upcalls soon fail), until a signal.
 *
 * RRs of put are in presentation format, one per argument, in the answer
 * section; prefix one with "auth:" for the authority section.  put-size
 * stores a static NAME TXT entry whose response is exactly SIZE bytes (one
 * record of strings), and writes that response to FILE.  Exit status:
 * 0 on success, 1 on a refusal (its extended-ack message on stderr), 2 on
 * bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include <ldns/ldns.h>
#include <linux/nfdns.h>

#include "genl_util.h"

#define NL_BUF		(NFDNS_RESPONSE_MAX + 4096)
#define UPSTREAM_WAIT_MS 2000

static const struct {
	const char *name;
	unsigned int attr;
} stat_names[] = {
	{ "hits", NFDNS_STAT_A_HITS },
	{ "misses", NFDNS_STAT_A_MISSES },
	{ "upcalls", NFDNS_STAT_A_UPCALLS },
	{ "upcall_errors", NFDNS_STAT_A_UPCALL_ERRORS },
	{ "coalesced", NFDNS_STAT_A_COALESCED },
	{ "answers", NFDNS_STAT_A_ANSWERS },
	{ "servfails", NFDNS_STAT_A_SERVFAILS },
	{ "stale_answers", NFDNS_STAT_A_STALE_ANSWERS },
	{ "truncated", NFDNS_STAT_A_TRUNCATED },
	{ "pass_not_query", NFDNS_STAT_A_PASS_NOT_QUERY },
	{ "pass_malformed", NFDNS_STAT_A_PASS_MALFORMED },
	{ "pass_marked", NFDNS_STAT_A_PASS_MARKED },
	{ "pass_norecurse", NFDNS_STAT_A_PASS_NORECURSE },
	{ "pass_fail_open", NFDNS_STAT_A_PASS_FAIL_OPEN },
	{ "pass_over_limit", NFDNS_STAT_A_PASS_OVER_LIMIT },
	{ "reply_errors", NFDNS_STAT_A_REPLY_ERRORS },
	{ "inserts", NFDNS_STAT_A_INSERTS },
	{ "insert_rejects", NFDNS_STAT_A_INSERT_REJECTS },
	{ "evictions", NFDNS_STAT_A_EVICTIONS },
	{ "expirations", NFDNS_STAT_A_EXPIRATIONS },
	{ "timeouts", NFDNS_STAT_A_TIMEOUTS },
	{ "entries", NFDNS_STAT_A_ENTRIES },
	{ "bytes", NFDNS_STAT_A_BYTES },
	{ "pending", NFDNS_STAT_A_PENDING },
	{ "waiters", NFDNS_STAT_A_WAITERS },
	{ "pass_not_host", NFDNS_STAT_A_PASS_NOT_HOST },
	{ "pass_martian", NFDNS_STAT_A_PASS_MARTIAN },
	{ "pass_acl", NFDNS_STAT_A_PASS_ACL },
	{ "pass_iface", NFDNS_STAT_A_PASS_IFACE },
	{ "rrl_dropped", NFDNS_STAT_A_RRL_DROPPED },
	{ "rrl_slipped", NFDNS_STAT_A_RRL_SLIPPED },
	{ "local_answers", NFDNS_STAT_A_LOCAL_ANSWERS },
	{ "local_rules", NFDNS_STAT_A_LOCAL_RULES },
	{ "local_bytes", NFDNS_STAT_A_LOCAL_BYTES },
	{ "prefetches", NFDNS_STAT_A_PREFETCHES },
	{ "prefetch_errors", NFDNS_STAT_A_PREFETCH_ERRORS },
};

#define N_STATS (sizeof(stat_names) / sizeof(stat_names[0]))

static const struct {
	const char *name;
	unsigned int attr;
	int size;
} config_keys[] = {
	{ "max_bytes", NFDNS_CONF_A_MAX_BYTES, 8 },
	{ "max_entries", NFDNS_CONF_A_MAX_ENTRIES, 4 },
	{ "min_ttl", NFDNS_CONF_A_MIN_TTL, 4 },
	{ "max_ttl", NFDNS_CONF_A_MAX_TTL, 4 },
	{ "neg_max_ttl", NFDNS_CONF_A_NEG_MAX_TTL, 4 },
	{ "pending_timeout_ms", NFDNS_CONF_A_PENDING_TIMEOUT_MS, 4 },
	{ "max_pending", NFDNS_CONF_A_MAX_PENDING, 4 },
	{ "max_waiters", NFDNS_CONF_A_MAX_WAITERS, 4 },
	{ "mark", NFDNS_CONF_A_MARK, 4 },
	{ "serve_stale", NFDNS_CONF_A_SERVE_STALE, 4 },
	{ "norecurse_pass", NFDNS_CONF_A_NORECURSE_PASS, 1 },
	{ "enabled", NFDNS_CONF_A_ENABLED, 1 },
	{ "rrl_rate", NFDNS_CONF_A_RRL_RATE, 4 },
	{ "rrl_slip", NFDNS_CONF_A_RRL_SLIP, 4 },
	{ "rrl_prefix4", NFDNS_CONF_A_RRL_PREFIX4, 1 },
	{ "rrl_prefix6", NFDNS_CONF_A_RRL_PREFIX6, 1 },
	{ "prefetch_pct", NFDNS_CONF_A_PREFETCH_PCT, 4 },
	{ "stale_answer_ms", NFDNS_CONF_A_STALE_ANSWER_MS, 4 },
	{ "stale_without_resolver", NFDNS_CONF_A_STALE_WITHOUT_RESOLVER, 1 },
	{ "prefetch_adaptive", NFDNS_CONF_A_PREFETCH_ADAPTIVE, 1 },
};

#define N_CONFIG_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))

static int usage(void)
{
	fprintf(stderr,
		"usage: nfdns_testctl stats [NAME]\n"
		"       nfdns_testctl config [KEY=VALUE...]\n"
		"       nfdns_testctl put [--static] [--do] [--cd] [--rcode N] NAME TYPE TTL [RR...]\n"
		"       nfdns_testctl put-size NAME SIZE [FILE]\n"
		"       nfdns_testctl get NAME TYPE\n"
		"       nfdns_testctl del NAME [TYPE] [--subtree]\n"
		"       nfdns_testctl flush\n"
		"       nfdns_testctl resolver --forward ADDR [--count-file F] [--hold-waiters N]\n"
		"                              [--delay-ms MS] [--rcvbuf BYTES]\n"
		"       nfdns_testctl deaf [--rcvbuf BYTES]\n"
		"       nfdns_testctl burst ADDR NAME TYPE COUNT\n"
		"       nfdns_testctl send ADDR PORT FILE...\n");
	return 2;
}

/* Print a refusal and turn it into the exit status. */
static int refused(struct nl *nl, const char *what, int err)
{
	fprintf(stderr, "nfdns_testctl: %s: %s%s%s\n", what, strerror(-err),
		nl->errmsg[0] ? ": " : "", nl->errmsg);
	return 1;
}

static int open_nl(struct nl *nl)
{
	int err = nl_open(nl);

	if (err)
		fprintf(stderr, "nfdns_testctl: nfdns family: %s (is nfdns.ko loaded?)\n",
			strerror(-err));
	return err;
}

/* ---- stats -------------------------------------------------------------- */

static int stats_attr_cb(const struct nlattr *attr, void *data)
{
	uint64_t *v = data;

	if (mnl_attr_get_type(attr) <= NFDNS_STAT_A_MAX &&
	    mnl_attr_get_payload_len(attr) == 8)
		v[mnl_attr_get_type(attr)] = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int stats_top_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFDNS_A_STATS)
		mnl_attr_parse_nested(attr, stats_attr_cb, data);
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), stats_top_cb, data);
}

static int stats_get(struct nl *nl, uint64_t *v)
{
	char buf[8192];

	memset(v, 0, sizeof(uint64_t) * (NFDNS_STAT_A_MAX + 1));
	return nl_talk(nl, nl_request(nl, buf, NFDNS_CMD_STATS_GET, 0),
		       stats_cb, v);
}

static int cmd_stats(struct nl *nl, int argc, char **argv)
{
	uint64_t v[NFDNS_STAT_A_MAX + 1];
	unsigned int i;
	int err = stats_get(nl, v);

	if (err)
		return refused(nl, "stats", err);
	for (i = 0; i < N_STATS; i++) {
		if (argc == 0) {
			printf("%s %llu\n", stat_names[i].name,
			       (unsigned long long)v[stat_names[i].attr]);
		} else if (!strcmp(argv[0], stat_names[i].name)) {
			printf("%llu\n", (unsigned long long)v[stat_names[i].attr]);
			return 0;
		}
	}
	if (argc > 0) {
		fprintf(stderr, "nfdns_testctl: no counter named %s\n", argv[0]);
		return 2;
	}
	return 0;
}

/* ---- config ------------------------------------------------------------- */

static int config_print_cb(const struct nlattr *attr, void *data)
{
	unsigned int type = mnl_attr_get_type(attr), i;

	for (i = 0; i < N_CONFIG_KEYS; i++) {
		if (config_keys[i].attr != type)
			continue;
		switch (config_keys[i].size) {
		case 1:
			printf("%s %u\n", config_keys[i].name, mnl_attr_get_u8(attr));
			break;
		case 4:
			printf("%s %u\n", config_keys[i].name, mnl_attr_get_u32(attr));
			break;
		case 8:
			printf("%s %llu\n", config_keys[i].name,
			       (unsigned long long)mnl_attr_get_u64(attr));
			break;
		}
	}
	return MNL_CB_OK;
}

static int config_top_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFDNS_A_CONFIG)
		mnl_attr_parse_nested(attr, config_print_cb, data);
	if (mnl_attr_get_type(attr) == NFDNS_A_RESOLVER_PID)
		printf("resolver_pid %u\n", mnl_attr_get_u32(attr));
	return MNL_CB_OK;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), config_top_cb, data);
}

/* "any", or ADDR/LEN,... of either family, as the clients nest. */
static int put_clients(struct nlmsghdr *nlh, const char *list)
{
	char *copy = strdup(list), *tok, *save, *slash;
	struct nlattr *nest;
	uint8_t buf[17];
	int err = 0;

	if (!copy)
		return -1;
	nest = mnl_attr_nest_start(nlh, NFDNS_CONF_A_CLIENTS);
	if (!strcmp(copy, "any")) {
		memset(buf, 0, sizeof(buf));
		mnl_attr_put(nlh, NFDNS_CONF_A_CLIENT4, 5, buf);
		mnl_attr_put(nlh, NFDNS_CONF_A_CLIENT6, 17, buf);
		tok = NULL;
	} else {
		tok = strtok_r(copy, ",", &save);
	}
	for (; tok && !err; tok = strtok_r(NULL, ",", &save)) {
		slash = strchr(tok, '/');
		if (!slash) {
			err = -1;
			break;
		}
		*slash = '\0';
		if (inet_pton(AF_INET, tok, buf) == 1) {
			buf[4] = atoi(slash + 1);
			mnl_attr_put(nlh, NFDNS_CONF_A_CLIENT4, 5, buf);
		} else if (inet_pton(AF_INET6, tok, buf) == 1) {
			buf[16] = atoi(slash + 1);
			mnl_attr_put(nlh, NFDNS_CONF_A_CLIENT6, 17, buf);
		} else {
			err = -1;
		}
	}
	mnl_attr_nest_end(nlh, nest);
	free(copy);
	return err;
}

static int cmd_config(struct nl *nl, int argc, char **argv)
{
	char buf[8192];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int i, err;

	if (argc == 0) {
		err = nl_talk(nl, nl_request(nl, buf, NFDNS_CMD_CONFIG_GET, 0),
			      config_cb, NULL);
		return err ? refused(nl, "config", err) : 0;
	}
	nlh = nl_request(nl, buf, NFDNS_CMD_CONFIG_SET, 0);
	nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);
	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		unsigned long long value;
		unsigned int k;

		if (!eq)
			return usage();
		*eq = '\0';
		if (!strcmp(argv[i], "clients")) {
			if (put_clients(nlh, eq + 1))
				return usage();
			continue;
		}
		if (!strcmp(argv[i], "ifaces")) {
			struct nlattr *list;

			list = mnl_attr_nest_start(nlh, NFDNS_CONF_A_IFACES);
			if (strcmp(eq + 1, "any"))
				mnl_attr_put_strz(nlh, NFDNS_CONF_A_IFNAME, eq + 1);
			mnl_attr_nest_end(nlh, list);
			continue;
		}
		value = strtoull(eq + 1, NULL, 0);
		for (k = 0; k < N_CONFIG_KEYS; k++)
			if (!strcmp(argv[i], config_keys[k].name))
				break;
		if (k == N_CONFIG_KEYS) {
			fprintf(stderr, "nfdns_testctl: no setting named %s\n", argv[i]);
			return 2;
		}
		if (config_keys[k].size == 1)
			mnl_attr_put_u8(nlh, config_keys[k].attr, value);
		else if (config_keys[k].size == 4)
			mnl_attr_put_u32(nlh, config_keys[k].attr, value);
		else
			mnl_attr_put_u64(nlh, config_keys[k].attr, value);
	}
	mnl_attr_nest_end(nlh, nest);
	err = nl_talk(nl, nlh, NULL, NULL);
	return err ? refused(nl, "config", err) : 0;
}

/* ---- cache commands ----------------------------------------------------- */

static int parse_type(const char *s, uint16_t *type)
{
	ldns_rr_type t = ldns_get_rr_type_by_name(s);

	if (!t)
		return -1;
	*type = t;
	return 0;
}

/* A presentation-format name to wire form; its length, or -1. */
static int name_to_wire(const char *s, uint8_t *out)
{
	ldns_rdf *dname = ldns_dname_new_frm_str(s);
	int len;

	if (!dname)
		return -1;
	len = ldns_rdf_size(dname);
	memcpy(out, ldns_rdf_data(dname), len);
	ldns_rdf_deep_free(dname);
	return len;
}

static int count_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFDNS_A_COUNT)
		*(uint64_t *)data = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), count_attr_cb, data);
}

static int cmd_flush(struct nl *nl)
{
	char buf[8192];
	uint64_t count = 0;
	int err = nl_talk(nl, nl_request(nl, buf, NFDNS_CMD_CACHE_FLUSH, 0),
			  count_cb, &count);

	if (err)
		return refused(nl, "flush", err);
	printf("%llu\n", (unsigned long long)count);
	return 0;
}

static int cmd_del(struct nl *nl, int argc, char **argv)
{
	char buf[8192];
	uint8_t wire[NFDNS_NAME_MAX];
	const char *name = NULL, *type = NULL;
	bool subtree = false;
	struct nlmsghdr *nlh;
	uint64_t count = 0;
	uint16_t qtype;
	int i, len, err;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--subtree"))
			subtree = true;
		else if (!name)
			name = argv[i];
		else if (!type)
			type = argv[i];
		else
			return usage();
	}
	if (!name || (len = name_to_wire(name, wire)) < 0)
		return usage();
	nlh = nl_request(nl, buf, NFDNS_CMD_CACHE_DEL, 0);
	mnl_attr_put(nlh, NFDNS_A_QNAME, len, wire);
	if (type) {
		if (parse_type(type, &qtype))
			return usage();
		mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, qtype);
	}
	if (subtree)
		mnl_attr_put(nlh, NFDNS_A_SUBTREE, 0, NULL);
	err = nl_talk(nl, nlh, count_cb, &count);
	if (err)
		return refused(nl, "del", err);
	printf("%llu\n", (unsigned long long)count);
	return 0;
}

static int entry_print_cb(const struct nlattr *attr, void *data)
{
	switch (mnl_attr_get_type(attr)) {
	case NFDNS_ENTRY_A_TTL:
		printf("ttl %u\n", mnl_attr_get_u32(attr));
		break;
	case NFDNS_ENTRY_A_REMAINING:
		printf("remaining %u\n", mnl_attr_get_u32(attr));
		break;
	case NFDNS_ENTRY_A_FLAGS:
		printf("flags %u\n", mnl_attr_get_u32(attr));
		break;
	case NFDNS_ENTRY_A_RESPONSE:
		printf("response_bytes %u\n", mnl_attr_get_payload_len(attr));
		break;
	}
	return MNL_CB_OK;
}

static int entry_top_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFDNS_A_ENTRY)
		mnl_attr_parse_nested(attr, entry_print_cb, data);
	return MNL_CB_OK;
}

static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), entry_top_cb, data);
}

static int cmd_get(struct nl *nl, int argc, char **argv)
{
	char buf[8192];
	uint8_t wire[NFDNS_NAME_MAX];
	struct nlmsghdr *nlh;
	uint16_t qtype;
	int len, err;

	if (argc != 2 || (len = name_to_wire(argv[0], wire)) < 0 ||
	    parse_type(argv[1], &qtype))
		return usage();
	nlh = nl_request(nl, buf, NFDNS_CMD_CACHE_GET, 0);
	mnl_attr_put(nlh, NFDNS_A_QNAME, len, wire);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, qtype);
	err = nl_talk(nl, nlh, entry_cb, NULL);
	return err ? refused(nl, "get", err) : 0;
}

/* The DO and CD bits of a question, part of the cache's key. */
#define Q_DO	1
#define Q_CD	2

static void put_qflags(struct nlmsghdr *nlh, unsigned int qflags)
{
	if (qflags & Q_DO)
		mnl_attr_put(nlh, NFDNS_A_DO, 0, NULL);
	if (qflags & Q_CD)
		mnl_attr_put(nlh, NFDNS_A_CD, 0, NULL);
}

/* PUT of a response given in wire form, for a question given in wire form. */
static int put_wire(struct nl *nl, const uint8_t *qname, int qname_len,
		    uint16_t qtype, uint16_t qclass, unsigned int qflags,
		    const uint8_t *resp, size_t resp_len, uint32_t ttl,
		    uint32_t flags)
{
	static char buf[NL_BUF];
	struct nlmsghdr *nlh = nl_request(nl, buf, NFDNS_CMD_CACHE_PUT, 0);

	mnl_attr_put(nlh, NFDNS_A_QNAME, qname_len, qname);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, qtype);
	mnl_attr_put_u16(nlh, NFDNS_A_QCLASS, qclass);
	put_qflags(nlh, qflags);
	mnl_attr_put(nlh, NFDNS_A_RESPONSE, resp_len, resp);
	mnl_attr_put_u32(nlh, NFDNS_A_TTL, ttl);
	if (flags)
		mnl_attr_put_u32(nlh, NFDNS_A_FLAGS, flags);
	return nl_talk(nl, nlh, NULL, NULL);
}

static int fail_wire(struct nl *nl, const uint8_t *qname, int qname_len,
		     uint16_t qtype, uint16_t qclass, unsigned int qflags,
		     uint8_t rcode)
{
	char buf[8192];
	struct nlmsghdr *nlh = nl_request(nl, buf, NFDNS_CMD_CACHE_FAIL, 0);

	mnl_attr_put(nlh, NFDNS_A_QNAME, qname_len, qname);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, qtype);
	mnl_attr_put_u16(nlh, NFDNS_A_QCLASS, qclass);
	put_qflags(nlh, qflags);
	mnl_attr_put_u8(nlh, NFDNS_A_RCODE, rcode);
	return nl_talk(nl, nlh, NULL, NULL);
}

static int cmd_put(struct nl *nl, int argc, char **argv)
{
	uint32_t flags = 0, ttl;
	unsigned int qflags = 0;
	int rcode = 0, i = 0, err, ret = 1;
	ldns_rdf *owner = NULL;
	ldns_pkt *pkt = NULL;
	ldns_rr *question;
	uint8_t *wire = NULL;
	size_t wire_len;
	uint16_t qtype;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--static"))
			flags |= NFDNS_ENTRY_F_STATIC;
		else if (!strcmp(argv[i], "--do"))
			qflags |= Q_DO;
		else if (!strcmp(argv[i], "--cd"))
			qflags |= Q_CD;
		else if (!strcmp(argv[i], "--rcode") && i + 1 < argc)
			rcode = atoi(argv[++i]);
		else
			return usage();
	}
	if (argc - i < 3 || parse_type(argv[i + 1], &qtype))
		return usage();
	owner = ldns_dname_new_frm_str(argv[i]);
	if (!owner)
		return usage();
	ttl = strtoul(argv[i + 2], NULL, 10);

	pkt = ldns_pkt_new();
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_rd(pkt, true);
	ldns_pkt_set_ra(pkt, true);
	ldns_pkt_set_rcode(pkt, rcode);
	question = ldns_rr_new();
	ldns_rr_set_owner(question, ldns_rdf_clone(owner));
	ldns_rr_set_type(question, qtype);
	ldns_rr_set_class(question, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(question, true);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, question);
	for (i += 3; i < argc; i++) {
		ldns_pkt_section section = LDNS_SECTION_ANSWER;
		const char *text = argv[i];
		ldns_rr *rr;

		if (!strncmp(text, "auth:", 5)) {
			section = LDNS_SECTION_AUTHORITY;
			text += 5;
		}
		if (ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL) != LDNS_STATUS_OK) {
			fprintf(stderr, "nfdns_testctl: cannot parse RR: %s\n", text);
			ret = 2;
			goto out;
		}
		ldns_pkt_push_rr(pkt, section, rr);
	}
	if (ldns_pkt2wire(&wire, pkt, &wire_len) != LDNS_STATUS_OK) {
		fprintf(stderr, "nfdns_testctl: cannot build the response\n");
		goto out;
	}
	err = put_wire(nl, ldns_rdf_data(owner), ldns_rdf_size(owner), qtype,
		       LDNS_RR_CLASS_IN, qflags, wire, wire_len, ttl, flags);
	ret = err ? refused(nl, "put", err) : 0;
out:
	free(wire);
	ldns_pkt_free(pkt);
	ldns_rdf_deep_free(owner);
	return ret;
}

/*
 * A TXT response of exactly @size bytes: header, question, and one record
 * whose strings fill the rest.  Its length, or -1 when @size cannot be met.
 */
static int build_sized(uint8_t *m, size_t size, const uint8_t *qname,
		       int qname_len)
{
	static const uint8_t head[] = {
		0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
	};
	static const uint8_t rr[] = {
		0xc0, 12, 0, 16, 0, 1, 0, 0, 0x01, 0x2c,
	};
	size_t off = 0, left, base = sizeof(head) + qname_len + 4;
	unsigned int i = 0;

	if (size < base + sizeof(rr) + 3 || size > NFDNS_RESPONSE_MAX)
		return -1;
	memcpy(m, head, sizeof(head));
	off = sizeof(head);
	memcpy(m + off, qname, qname_len);
	off += qname_len;
	m[off++] = 0;
	m[off++] = 16;
	m[off++] = 0;
	m[off++] = 1;
	memcpy(m + off, rr, sizeof(rr));
	off += sizeof(rr);
	left = size - off - 2;
	m[off++] = left >> 8;
	m[off++] = left & 0xff;
	while (left) {
		size_t n = left - 1 > 255 ? 255 : left - 1;

		m[off++] = n;
		left -= n + 1;
		while (n--)
			m[off++] = 'a' + i++ % 26;
	}
	return off;
}

static int cmd_put_size(struct nl *nl, int argc, char **argv)
{
	static uint8_t resp[NFDNS_RESPONSE_MAX];
	uint8_t qname[NFDNS_NAME_MAX];
	int qname_len, len, err;
	FILE *f;

	if (argc < 2 || argc > 3)
		return usage();
	qname_len = name_to_wire(argv[0], qname);
	len = qname_len < 0 ? -1 :
	      build_sized(resp, strtoul(argv[1], NULL, 10), qname, qname_len);
	if (len < 0) {
		fprintf(stderr, "nfdns_testctl: cannot build %s bytes for %s\n",
			argv[1], argv[0]);
		return 2;
	}
	if (argc == 3) {
		f = fopen(argv[2], "w");
		if (!f || fwrite(resp, 1, len, f) != (size_t)len || fclose(f)) {
			perror(argv[2]);
			return 2;
		}
	}
	err = put_wire(nl, qname, qname_len, 16, 1, false, resp, len, 300,
		       NFDNS_ENTRY_F_STATIC);
	return err ? refused(nl, "put", err) : 0;
}

/* ---- addresses and sockets ---------------------------------------------- */

static int parse_addr(const char *s, uint16_t port, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return 0;
	}
	return -1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* ---- DNS wire helpers --------------------------------------------------- */

static uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static int skip_name(const uint8_t *m, size_t len, size_t off)
{
	while (off < len) {
		if ((m[off] & 0xc0) == 0xc0)
			return off + 2 <= len ? (int)off + 2 : -1;
		if (m[off] == 0)
			return off + 1;
		off += 1 + m[off];
	}
	return -1;
}

/*
 * Remove the OPT record of a response in place (the kernel stores none and
 * adds its own per client) and find the smallest TTL of the other records
 * (0 when there are none).  Return 0, or -1 when the message does not parse.
 */
static int strip_opt(uint8_t *m, size_t *len, uint32_t *min_ttl)
{
	unsigned int qd, an, ns, ar, i;
	bool any = false;
	int off = 12;

	*min_ttl = 0;
	if (*len < 12)
		return -1;
	qd = get16(m + 4);
	an = get16(m + 6);
	ns = get16(m + 8);
	ar = get16(m + 10);
	for (i = 0; i < qd; i++) {
		off = skip_name(m, *len, off);
		if (off < 0 || off + 4 > (int)*len)
			return -1;
		off += 4;
	}
	for (i = 0; i < an + ns + ar; i++) {
		int start = off, end;
		uint32_t ttl;
		uint16_t type;

		off = skip_name(m, *len, off);
		if (off < 0 || off + 10 > (int)*len)
			return -1;
		type = get16(m + off);
		ttl = (uint32_t)get16(m + off + 4) << 16 | get16(m + off + 6);
		end = off + 10 + get16(m + off + 8);
		if (end > (int)*len)
			return -1;
		if (i >= an + ns && type == LDNS_RR_TYPE_OPT) {
			memmove(m + start, m + end, *len - end);
			*len -= end - start;
			ar--;
			m[10] = ar >> 8;
			m[11] = ar & 0xff;
			off = start;
			i--;	/* the next record now starts here */
			continue;
		}
		if (!any || ttl < *min_ttl)
			*min_ttl = ttl;
		any = true;
		off = end;
	}
	return 0;
}

/* ---- resolver ----------------------------------------------------------- */

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = 1;
}

/* The receive buffer of a resolver's socket; forced past rmem_max if allowed. */
static int set_rcvbuf(struct nl *nl, int bytes)
{
	int fd = mnl_socket_get_fd(nl->sock);

	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) ||
	    !setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)))
		return 0;
	perror("nfdns_testctl: SO_RCVBUF");
	return -1;
}

struct miss {
	uint8_t qname[NFDNS_NAME_MAX];
	int qname_len;
	uint16_t qtype, qclass;
	unsigned int qflags;
};

static int miss_attr_cb(const struct nlattr *attr, void *data)
{
	struct miss *m = data;
	uint16_t len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case NFDNS_A_QNAME:
		if (len <= NFDNS_NAME_MAX) {
			memcpy(m->qname, mnl_attr_get_payload(attr), len);
			m->qname_len = len;
		}
		break;
	case NFDNS_A_QTYPE:
		m->qtype = mnl_attr_get_u16(attr);
		break;
	case NFDNS_A_QCLASS:
		m->qclass = mnl_attr_get_u16(attr);
		break;
	case NFDNS_A_DO:
		m->qflags |= Q_DO;
		break;
	case NFDNS_A_CD:
		m->qflags |= Q_CD;
		break;
	}
	return MNL_CB_OK;
}

struct resolver {
	struct nl admin;	/* PUT, FAIL, STATS: never sees a MISS */
	struct sockaddr_storage upstream;
	socklen_t upstream_len;
	uint32_t mark;
	const char *count_file;
	unsigned int hold_waiters;
	unsigned int delay_ms;
};

/* Ask upstream; the answer's length, or 0 on timeout or error. */
static size_t ask_upstream(struct resolver *r, const struct miss *m,
			   uint8_t *answer, size_t cap)
{
	ldns_rdf *owner = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME,
						m->qname_len, m->qname);
	ldns_pkt *q = ldns_pkt_query_new(owner, m->qtype, m->qclass, LDNS_RD);
	uint8_t *wire = NULL;
	size_t wire_len, got = 0;
	uint16_t id = random();
	long long deadline;
	int fd;

	ldns_pkt_set_id(q, id);
	if (m->qflags & Q_DO) {
		ldns_pkt_set_edns_udp_size(q, 1232);
		ldns_pkt_set_edns_do(q, true);
	}
	if (ldns_pkt2wire(&wire, q, &wire_len) != LDNS_STATUS_OK)
		goto out;
	fd = socket(r->upstream.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		goto out;
	/* The mark makes the module let the resolver's own query pass. */
	if (setsockopt(fd, SOL_SOCKET, SO_MARK, &r->mark, sizeof(r->mark)) ||
	    connect(fd, (struct sockaddr *)&r->upstream, r->upstream_len) ||
	    send(fd, wire, wire_len, 0) != (ssize_t)wire_len) {
		perror("nfdns_testctl: upstream");
		close(fd);
		goto out;
	}
	deadline = now_ms() + UPSTREAM_WAIT_MS;
	while (!stopping) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, left) <= 0)
			break;
		n = recv(fd, answer, cap, 0);
		if (n >= 12 && get16(answer) == id) {
			got = n;
			break;
		}
	}
	close(fd);
out:
	free(wire);
	ldns_pkt_free(q);
	return got;
}

/* Hold the answer until that many clients wait (bounded), for coalescing tests. */
static void hold_for_waiters(struct resolver *r)
{
	long long deadline = now_ms() + 20000;
	uint64_t v[NFDNS_STAT_A_MAX + 1];

	while (!stopping && now_ms() < deadline) {
		if (stats_get(&r->admin, v) || v[NFDNS_STAT_A_WAITERS] >= r->hold_waiters)
			return;
		usleep(50000);
	}
}

static void log_miss(struct resolver *r, const struct miss *m)
{
	ldns_rdf *owner;
	char *name, *type;
	FILE *f;

	if (!r->count_file)
		return;
	f = fopen(r->count_file, "a");
	if (!f)
		return;
	owner = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, m->qname_len, m->qname);
	name = owner ? ldns_rdf2str(owner) : NULL;
	type = ldns_rr_type2str(m->qtype);
	fprintf(f, "%s %s do=%d\n", name ? name : "?", type ? type : "?",
		!!(m->qflags & Q_DO));
	fclose(f);
	free(name);
	free(type);
	ldns_rdf_deep_free(owner);
}

static void handle_miss(struct resolver *r, const struct miss *m)
{
	static uint8_t answer[NFDNS_RESPONSE_MAX];
	uint32_t ttl;
	size_t len;
	int err;

	log_miss(r, m);
	if (r->hold_waiters)
		hold_for_waiters(r);
	if (r->delay_ms) {
		long long until = now_ms() + r->delay_ms;

		while (!stopping && now_ms() < until)
			usleep(10000);
	}
	len = ask_upstream(r, m, answer, sizeof(answer));
	if (len && !strip_opt(answer, &len, &ttl)) {
		err = put_wire(&r->admin, m->qname, m->qname_len, m->qtype,
			       m->qclass, m->qflags, answer, len, ttl, 0);
		if (!err)
			return;
		refused(&r->admin, "resolver: put", err);
	}
	err = fail_wire(&r->admin, m->qname, m->qname_len, m->qtype, m->qclass,
			m->qflags, LDNS_RCODE_SERVFAIL);
	if (err)
		refused(&r->admin, "resolver: fail", err);
}

static int cmd_resolver(int argc, char **argv)
{
	static char buf[65536];
	struct resolver r = { .mark = NFDNS_DEFAULT_MARK };
	const char *forward = NULL;
	struct sigaction sa;
	struct nl misses;
	int i, err, rcvbuf = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--forward") && i + 1 < argc)
			forward = argv[++i];
		else if (!strcmp(argv[i], "--count-file") && i + 1 < argc)
			r.count_file = argv[++i];
		else if (!strcmp(argv[i], "--hold-waiters") && i + 1 < argc)
			r.hold_waiters = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--delay-ms") && i + 1 < argc)
			r.delay_ms = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--rcvbuf") && i + 1 < argc)
			rcvbuf = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--mark") && i + 1 < argc)
			r.mark = strtoul(argv[++i], NULL, 0);
		else
			return usage();
	}
	if (!forward || parse_addr(forward, 53, &r.upstream, &r.upstream_len))
		return usage();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	srandom(getpid() ^ now_ms());

	if (open_nl(&misses) || open_nl(&r.admin))
		return 1;
	err = nl_talk(&misses, nl_request(&misses, buf, NFDNS_CMD_RESOLVER_REGISTER, 0),
		      NULL, NULL);
	if (err)
		return refused(&misses, "register", err);
	if (rcvbuf && set_rcvbuf(&misses, rcvbuf))
		return 1;
	printf("registered\n");
	fflush(stdout);

	while (!stopping) {
		struct pollfd p = { .fd = mnl_socket_get_fd(misses.sock),
				    .events = POLLIN };
		struct nlmsghdr *nlh;
		int len;

		if (poll(&p, 1, 500) <= 0)
			continue;
		len = mnl_socket_recvfrom(misses.sock, buf, sizeof(buf));
		if (len < 0) {
			/* ENOBUFS: misses were lost; the kernel times them out. */
			if (errno == ENOBUFS)
				continue;
			perror("nfdns_testctl: resolver");
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
			struct miss m = { .qclass = 1 };

			if (nlh->nlmsg_type != misses.family || g->cmd != NFDNS_CMD_MISS)
				continue;
			mnl_attr_parse(nlh, sizeof(*g), miss_attr_cb, &m);
			if (m.qname_len)
				handle_miss(&r, &m);
		}
	}
	nl_close(&misses);
	nl_close(&r.admin);
	return 0;
}

/* A registered resolver that never reads: its MISS messages pile up. */
static int cmd_deaf(int argc, char **argv)
{
	static char buf[8192];
	struct sigaction sa;
	int rcvbuf = 0, i, err;
	struct nl nl;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--rcvbuf") && i + 1 < argc)
			rcvbuf = atoi(argv[++i]);
		else
			return usage();
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (open_nl(&nl))
		return 1;
	err = nl_talk(&nl, nl_request(&nl, buf, NFDNS_CMD_RESOLVER_REGISTER, 0),
		      NULL, NULL);
	if (err)
		return refused(&nl, "register", err);
	/* After the ack, which needed the room. */
	if (rcvbuf && set_rcvbuf(&nl, rcvbuf))
		return 1;
	printf("registered\n");
	fflush(stdout);
	while (!stopping)
		pause();
	nl_close(&nl);
	return 0;
}

/* ---- clients ------------------------------------------------------------ */

/* COUNT sockets ask the same question at once; report how they were answered. */
static int cmd_burst(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	unsigned int count, i, answered = 0, matched = 0;
	unsigned int rcodes[16] = { 0 };
	ldns_rdf *owner;
	uint16_t qtype;
	long long deadline;
	int *fds;

	if (argc != 4 || parse_addr(argv[0], 53, &ss, &sl) ||
	    parse_type(argv[2], &qtype) || !(owner = ldns_dname_new_frm_str(argv[1])))
		return usage();
	count = atoi(argv[3]);
	fds = calloc(count, sizeof(*fds));
	if (!fds)
		return 1;
	for (i = 0; i < count; i++) {
		ldns_pkt *q = ldns_pkt_query_new(ldns_rdf_clone(owner), qtype,
						 LDNS_RR_CLASS_IN, LDNS_RD);
		uint8_t *wire = NULL;
		size_t len;

		ldns_pkt_set_id(q, 1000 + i);
		fds[i] = socket(ss.ss_family, SOCK_DGRAM, 0);
		if (fds[i] < 0 || ldns_pkt2wire(&wire, q, &len) != LDNS_STATUS_OK ||
		    sendto(fds[i], wire, len, 0, (struct sockaddr *)&ss, sl) != (ssize_t)len) {
			perror("nfdns_testctl: burst");
			return 1;
		}
		free(wire);
		ldns_pkt_free(q);
	}
	/* Now, for a test that acts while the clients wait. */
	printf("sent %u\n", count);
	fflush(stdout);
	/*
	 * Only a bound: a debug kernel under TCG on a busy host may take many
	 * seconds to answer thousands of waiters before these.
	 */
	deadline = now_ms() + 60000;
	for (i = 0; i < count; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };
		uint8_t reply[4096];
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, left) <= 0)
			continue;
		n = recv(fds[i], reply, sizeof(reply), 0);
		if (n < 12)
			continue;
		answered++;
		if (get16(reply) == 1000 + i && (reply[2] & 0x80))
			matched++;
		rcodes[reply[3] & 0x0f]++;
	}
	printf("answered %u\nmatched %u\n", answered, matched);
	for (i = 0; i < 16; i++)
		if (rcodes[i]) {
			char *s = ldns_pkt_rcode2str(i);

			printf("rcode %s %u\n", s ? s : "?", rcodes[i]);
			free(s);
		}
	ldns_rdf_deep_free(owner);
	return matched == count ? 0 : 1;
}

/* Each file's bytes as one UDP datagram, nothing awaited. */
static int cmd_send(int argc, char **argv)
{
	static uint8_t data[65536];
	struct sockaddr_storage ss;
	socklen_t sl;
	unsigned int sent = 0;
	int i, fd;

	if (argc < 3 || parse_addr(argv[0], atoi(argv[1]), &ss, &sl))
		return usage();
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		return 1;
	for (i = 2; i < argc; i++) {
		int in = open(argv[i], O_RDONLY);
		ssize_t n;

		if (in < 0) {
			perror(argv[i]);
			return 1;
		}
		n = read(in, data, sizeof(data));
		close(in);
		if (n < 0 || sendto(fd, data, n, 0, (struct sockaddr *)&ss, sl) != n) {
			perror(argv[i]);
			return 1;
		}
		sent++;
	}
	printf("sent %u\n", sent);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;
	struct nl nl;
	int ret;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	argc -= 2;
	argv += 2;
	if (!strcmp(cmd, "resolver"))
		return cmd_resolver(argc, argv);
	if (!strcmp(cmd, "deaf"))
		return cmd_deaf(argc, argv);
	if (!strcmp(cmd, "burst"))
		return cmd_burst(argc, argv);
	if (!strcmp(cmd, "send"))
		return cmd_send(argc, argv);

	if (open_nl(&nl))
		return 1;
	if (!strcmp(cmd, "stats"))
		ret = cmd_stats(&nl, argc, argv);
	else if (!strcmp(cmd, "config"))
		ret = cmd_config(&nl, argc, argv);
	else if (!strcmp(cmd, "put"))
		ret = cmd_put(&nl, argc, argv);
	else if (!strcmp(cmd, "put-size"))
		ret = cmd_put_size(&nl, argc, argv);
	else if (!strcmp(cmd, "get"))
		ret = cmd_get(&nl, argc, argv);
	else if (!strcmp(cmd, "del"))
		ret = cmd_del(&nl, argc, argv);
	else if (!strcmp(cmd, "flush") && argc == 0)
		ret = cmd_flush(&nl);
	else
		ret = usage();
	nl_close(&nl);
	return ret;
}
