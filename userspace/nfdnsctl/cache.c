// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl dump, lookup, add, del, flush: the entries of the cache.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nfdnsctl.h"

/* Unbound's default for local data. */
#define ADD_DEFAULT_TTL 3600

static int parse_read_options(struct nfdnsctl *ctl, int argc, char **argv,
			   bool *do_bit)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "do", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt == 'j')
			ctl->json = true;
		else if (opt == 'd' && do_bit)
			*do_bit = true;
		else
			return nfdnsctl_bad_option(ctl, opt, argv);
	}
	return 0;
}

static int parse_name(struct nfdnsctl *ctl, const char *s, uint8_t *wire,
		      uint8_t *len)
{
	if (nfdnsctl_name_to_wire(s, wire, len))
		return nfdnsctl_usage(ctl, "'%s' is not a valid domain name", s);
	return 0;
}

static int parse_type(struct nfdnsctl *ctl, const char *s, uint16_t *type)
{
	if (nfdnsctl_type_from_str(s, type) || !*type)
		return nfdnsctl_usage(ctl, "'%s' is not a record type", s);
	return 0;
}

/**
 * nfdnsctl_cmd_dump() - `nfdnsctl dump [--json] [NAME]`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * Return: 0 or -errno.
 */
int nfdnsctl_cmd_dump(struct nfdnsctl *ctl, int argc, char **argv)
{
	struct nfdnsctl_entries list = { 0 };
	uint8_t name[NFDNS_NAME_MAX], name_len = 0;
	bool first = true;
	size_t i;
	int err;

	err = parse_read_options(ctl, argc, argv, NULL);
	if (err)
		return err;
	if (argc - optind > 1)
		return nfdnsctl_usage(ctl, "unexpected argument '%s'",
				      argv[optind + 1]);
	if (argc - optind == 1) {
		err = parse_name(ctl, argv[optind], name, &name_len);
		if (err)
			return err;
	}
	err = nfdnsctl_entries_get(ctl, &list);
	if (err)
		goto out;
	if (ctl->json)
		fputs("[", ctl->out);
	for (i = 0; i < list.n; i++) {
		const struct nfdnsctl_entry *e = &list.v[i];

		if (name_len && (e->name_len != name_len ||
				 memcmp(e->name, name, name_len)))
			continue;
		if (nfdnsctl_entry_print(ctl, e, first))
			err = -EPROTO;
		first = false;
	}
	if (ctl->json)
		fputs("]\n", ctl->out);
	if (err)
		nfdnsctl_error(ctl, err, "the kernel reported a response that does not parse");
out:
	nfdnsctl_entries_free(&list);
	return err;
}

struct lookup {
	bool found;
	int err;
};

static int on_lookup(struct nfdnsctl *ctl, struct nlattr **tb, void *arg)
{
	struct lookup *l = arg;
	struct nfdnsctl_entry e;
	int err;

	if (!tb[NFDNS_A_ENTRY])
		return -EPROTO;
	err = nfdnsctl_entry_parse(tb[NFDNS_A_ENTRY], &e);
	if (err)
		return err;
	l->found = true;
	l->err = nfdnsctl_entry_print(ctl, &e, true);
	if (ctl->json)
		fputc('\n', ctl->out);
	free(e.resp);
	return 0;
}

/**
 * nfdnsctl_cmd_lookup() - `nfdnsctl lookup [--json] [--do] NAME [TYPE]`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * Return: 0, -ENOENT when the entry is not cached, or -errno.
 */
int nfdnsctl_cmd_lookup(struct nfdnsctl *ctl, int argc, char **argv)
{
	uint8_t name[NFDNS_NAME_MAX], name_len;
	struct lookup l = { 0 };
	uint16_t type = LDNS_RR_TYPE_A;
	const char *extack;
	struct nl_msg *msg;
	bool do_bit = false;
	int err;

	err = parse_read_options(ctl, argc, argv, &do_bit);
	if (err)
		return err;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return nfdnsctl_usage(ctl, "lookup needs a NAME");
	if (argc > 2)
		return nfdnsctl_usage(ctl, "unexpected argument '%s'", argv[2]);
	err = parse_name(ctl, argv[0], name, &name_len);
	if (!err && argc == 2)
		err = parse_type(ctl, argv[1], &type);
	if (err)
		return err;

	err = nfdnsctl_open(ctl);
	if (err)
		return err;
	msg = nfdnsctl_msg(ctl, NFDNS_CMD_CACHE_GET, 0);
	if (!msg || nla_put(msg, NFDNS_A_QNAME, name_len, name) ||
	    nla_put_u16(msg, NFDNS_A_QTYPE, type) ||
	    nla_put_u16(msg, NFDNS_A_QCLASS, LDNS_RR_CLASS_IN) ||
	    (do_bit && nla_put_flag(msg, NFDNS_A_DO))) {
		nlmsg_free(msg);
		return nfdnsctl_error(ctl, -ENOMEM, "out of memory");
	}
	err = nfdnsctl_request(ctl, msg, on_lookup, &l, &extack);
	if (err == -ENOENT) {
		char type_str[32];

		nfdnsctl_type_to_str(type, type_str, sizeof(type_str));
		return nfdnsctl_error(ctl, err, "%s %s%s is not in the cache",
				      argv[0], type_str,
				      do_bit ? " (DO)" : "");
	}
	if (err) {
		char what[1100];

		snprintf(what, sizeof(what), "looking up %s", argv[0]);
		return nfdnsctl_refused(ctl, err, extack, what);
	}
	if (l.err)
		return nfdnsctl_error(ctl, l.err, "the kernel reported a response that does not parse");
	return 0;
}

/*
 * A response as a resolver would send it for local data: the question,
 * then one record per RDATA argument.  RD and RA are set because clients
 * ask with RD and expect recursion to be available.
 */
static int build_response(struct nfdnsctl *ctl, const char *owner,
			  uint16_t type, char **rdata, int n, uint32_t ttl,
			  uint8_t **wire, size_t *len)
{
	char type_str[32], *line;
	ldns_pkt *pkt = ldns_pkt_new();
	ldns_rr *q = ldns_rr_new(), *rr;
	ldns_status st;
	int i, err = 0;

	if (!pkt || !q) {
		err = nfdnsctl_error(ctl, -ENOMEM, "out of memory");
		goto out;
	}
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_rd(pkt, true);
	ldns_pkt_set_ra(pkt, true);
	ldns_rr_set_owner(q, ldns_dname_new_frm_str(owner));
	ldns_rr_set_type(q, (ldns_rr_type)type);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(q, true);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, q);
	q = NULL;

	nfdnsctl_type_to_str(type, type_str, sizeof(type_str));
	for (i = 0; i < n && !err; i++) {
		if (asprintf(&line, "%s %u IN %s %s", owner, ttl, type_str,
			     rdata[i]) < 0) {
			err = nfdnsctl_error(ctl, -ENOMEM, "out of memory");
			break;
		}
		rr = NULL;
		st = ldns_rr_new_frm_str(&rr, line, ttl, NULL, NULL);
		free(line);
		if (st != LDNS_STATUS_OK || !rr ||
		    ldns_rr_get_type(rr) != (ldns_rr_type)type) {
			ldns_rr_free(rr);
			err = nfdnsctl_usage(ctl, "'%s' is not valid %s data%s%s (quote the data of one record as one argument)",
					     rdata[i], type_str,
					     st != LDNS_STATUS_OK ? ": " : "",
					     st != LDNS_STATUS_OK ?
					     ldns_get_errorstr_by_id(st) : "");
			break;
		}
		ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
	}
	if (!err && ldns_pkt2wire(wire, pkt, len) != LDNS_STATUS_OK)
		err = nfdnsctl_error(ctl, -ENOMEM, "cannot build the response");
out:
	ldns_rr_free(q);
	ldns_pkt_free(pkt);
	return err;
}

/* CACHE_DEL of NAME: of one type (@type not 0) or all, maybe the subtree. */
static struct nl_msg *del_msg(struct nfdnsctl *ctl, const uint8_t *name,
			      uint8_t name_len, uint16_t type, bool subtree)
{
	struct nl_msg *msg = nfdnsctl_msg(ctl, NFDNS_CMD_CACHE_DEL, 0);

	if (msg && (nla_put(msg, NFDNS_A_QNAME, name_len, name) ||
		    (type && nla_put_u16(msg, NFDNS_A_QTYPE, type)) ||
		    (subtree && nla_put_flag(msg, NFDNS_A_SUBTREE)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static void remove_type(struct nfdnsctl *ctl, const uint8_t *name,
			uint8_t name_len, uint16_t type)
{
	struct nl_msg *msg = del_msg(ctl, name, name_len, type, false);
	const char *extack;

	if (msg)
		nfdnsctl_request(ctl, msg, NULL, NULL, &extack);
}

/**
 * nfdnsctl_cmd_add() - `nfdnsctl add NAME TYPE RDATA... [--ttl N]`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * The entry is stored for questions with and without DO, so that it
 * answers every client, not only those that leave DNSSEC off.
 *
 * Return: 0 or -errno.
 */
int nfdnsctl_cmd_add(struct nfdnsctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ttl", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t name[NFDNS_NAME_MAX], name_len, *wire = NULL;
	uint64_t ttl = ADD_DEFAULT_TTL;
	uint16_t type;
	size_t len;
	int opt, err;

	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt != 't')
			return nfdnsctl_bad_option(ctl, opt, argv);
		if (nfdnsctl_parse_u64(optarg, INT32_MAX, &ttl))
			return nfdnsctl_usage(ctl, "--ttl takes seconds, 0 to %d, not '%s'",
					      INT32_MAX, optarg);
	}
	argc -= optind;
	argv += optind;
	if (argc < 3)
		return nfdnsctl_usage(ctl, "add needs NAME, TYPE and at least one RDATA");
	err = parse_name(ctl, argv[0], name, &name_len);
	if (!err)
		err = parse_type(ctl, argv[1], &type);
	if (!err)
		err = build_response(ctl, argv[0], type, argv + 2, argc - 2,
				     (uint32_t)ttl, &wire, &len);
	if (!err)
		err = nfdnsctl_open(ctl);
	if (!err)
		err = nfdnsctl_entry_put(ctl, name, name_len, type,
					 LDNS_RR_CLASS_IN, false, wire, len,
					 (uint32_t)ttl, NFDNS_ENTRY_F_STATIC);
	if (!err) {
		err = nfdnsctl_entry_put(ctl, name, name_len, type,
					 LDNS_RR_CLASS_IN, true, wire, len,
					 (uint32_t)ttl, NFDNS_ENTRY_F_STATIC);
		/* Both keys or neither: the first one goes again. */
		if (err)
			remove_type(ctl, name, name_len, type);
	}
	free(wire);
	return err;
}

static int on_count(struct nfdnsctl *ctl, struct nlattr **tb, void *arg)
{
	(void)ctl;
	if (!tb[NFDNS_A_COUNT])
		return -EPROTO;
	*(uint64_t *)arg = nla_get_u64(tb[NFDNS_A_COUNT]);
	return 0;
}

static int delete(struct nfdnsctl *ctl, const char *name_str, const char *type_str,
		  bool subtree)
{
	uint8_t name[NFDNS_NAME_MAX], name_len;
	struct nl_msg *msg;
	uint64_t count = 0;
	uint16_t type = 0;
	int err;

	err = parse_name(ctl, name_str, name, &name_len);
	if (!err && type_str)
		err = parse_type(ctl, type_str, &type);
	if (!err)
		err = nfdnsctl_open(ctl);
	if (err)
		return err;
	msg = del_msg(ctl, name, name_len, type, subtree);
	err = nfdnsctl_transact(ctl, msg, on_count, &count, "deleting");
	if (err)
		return err;
	fprintf(ctl->out, "deleted %llu entr%s\n", (unsigned long long)count,
		count == 1 ? "y" : "ies");
	return 0;
}

static int parse_subtree(struct nfdnsctl *ctl, int argc, char **argv,
			 bool *subtree)
{
	static const struct option opts[] = {
		{ "subtree", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt != 's')
			return nfdnsctl_bad_option(ctl, opt, argv);
		*subtree = true;
	}
	return 0;
}

/**
 * nfdnsctl_cmd_del() - `nfdnsctl del NAME [TYPE] [--subtree]`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * Return: 0 or -errno.
 */
int nfdnsctl_cmd_del(struct nfdnsctl *ctl, int argc, char **argv)
{
	bool subtree = false;
	int err = parse_subtree(ctl, argc, argv, &subtree);

	if (err)
		return err;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return nfdnsctl_usage(ctl, "del needs a NAME");
	if (argc > 2)
		return nfdnsctl_usage(ctl, "unexpected argument '%s'", argv[2]);
	return delete(ctl, argv[0], argc == 2 ? argv[1] : NULL, subtree);
}

/**
 * nfdnsctl_cmd_flush() - `nfdnsctl flush [NAME --subtree]`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * Return: 0 or -errno.
 */
int nfdnsctl_cmd_flush(struct nfdnsctl *ctl, int argc, char **argv)
{
	bool subtree = false;
	uint64_t count = 0;
	int err = parse_subtree(ctl, argc, argv, &subtree);

	if (err)
		return err;
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return nfdnsctl_usage(ctl, "unexpected argument '%s'", argv[1]);
	if (argc == 1 && !subtree)
		return nfdnsctl_usage(ctl, "flush NAME needs --subtree; 'del NAME' deletes one name");
	if (argc == 0 && subtree)
		return nfdnsctl_usage(ctl, "--subtree needs a NAME");
	if (argc == 1)
		return delete(ctl, argv[0], NULL, true);

	err = nfdnsctl_open(ctl);
	if (!err)
		err = nfdnsctl_transact(ctl,
					nfdnsctl_msg(ctl, NFDNS_CMD_CACHE_FLUSH, 0),
					on_count, &count, "flushing");
	if (err)
		return err;
	fprintf(ctl->out, "flushed %llu entr%s\n", (unsigned long long)count,
		count == 1 ? "y" : "ies");
	return 0;
}
