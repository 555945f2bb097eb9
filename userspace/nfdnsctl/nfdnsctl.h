/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfdnsctl: inspect and manage the nfdns in-kernel DNS cache.
 *
 * Each subcommand group lives in its own file and exports its run
 * functions; main.c holds the table that dispatches to them.  Every run
 * function returns 0 or -errno.  A usage error is reported through
 * nfdnsctl_usage(), which marks the context so that main() exits 2.
 */
#ifndef NFDNSCTL_H
#define NFDNSCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/nfdns.h>

struct nl_msg;
struct nlattr;

/* Exit codes, as documented in nfdnsctl(8). */
enum {
	NFDNSCTL_EXIT_OK = 0,
	NFDNSCTL_EXIT_FAIL = 1,
	NFDNSCTL_EXIT_USAGE = 2,
};

struct nfdnsctl_cmd;

/**
 * struct nfdnsctl - state of one invocation
 * @out: where results go (stdout; a memory stream in the unit tests)
 * @err: where diagnostics go
 * @netns: network namespace to work in (a name under /run/netns or a
 *	path), or NULL for the current one
 * @json: print JSON instead of text
 * @cmd: the subcommand running, for its usage line
 * @usage_error: set by nfdnsctl_usage(); main() then exits 2
 * @sock: the netlink transport, opened on first use
 * @family: the nfdns generic netlink family id
 */
struct nfdnsctl {
	FILE *out;
	FILE *err;
	const char *netns;
	bool json;
	const struct nfdnsctl_cmd *cmd;
	bool usage_error;
	void *sock;
	int family;
};

/**
 * struct nfdnsctl_cmd - one subcommand
 * @name: what the user types
 * @args: its synopsis, after the name
 * @help: one line for `nfdnsctl --help`
 * @run: does it; argv[0] is the subcommand name
 */
struct nfdnsctl_cmd {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(struct nfdnsctl *ctl, int argc, char **argv);
};

int nfdnsctl_main(struct nfdnsctl *ctl, int argc, char **argv);
int nfdnsctl_usage(struct nfdnsctl *ctl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int nfdnsctl_error(struct nfdnsctl *ctl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int nfdnsctl_bad_option(struct nfdnsctl *ctl, int opt, char **argv);
bool nfdnsctl_wants_help(struct nfdnsctl *ctl, int argc, char **argv);

/* netlink.c: the transport (replaced by a stub in the unit tests). */

/* Called for each reply message with its top-level attributes. */
typedef int (*nfdnsctl_reply_fn)(struct nfdnsctl *ctl, struct nlattr **tb,
				 void *arg);

int nfdnsctl_open(struct nfdnsctl *ctl);
void nfdnsctl_close(struct nfdnsctl *ctl);
struct nl_msg *nfdnsctl_msg(struct nfdnsctl *ctl, uint8_t cmd, int flags);
int nfdnsctl_request(struct nfdnsctl *ctl, struct nl_msg *msg,
		     nfdnsctl_reply_fn fn, void *arg, const char **extack);

/* request.c: a request, with its refusal explained to the user. */
int nfdnsctl_refused(struct nfdnsctl *ctl, int err, const char *extack,
		     const char *what);
int nfdnsctl_transact(struct nfdnsctl *ctl, struct nl_msg *msg,
		      nfdnsctl_reply_fn fn, void *arg, const char *what);

/* format.c: names, types and JSON. */
int nfdnsctl_name_to_wire(const char *name, uint8_t *wire, uint8_t *len);
int nfdnsctl_name_to_str(const uint8_t *wire, unsigned int len, char *buf,
			 size_t size);
int nfdnsctl_type_from_str(const char *s, uint16_t *type);
void nfdnsctl_type_to_str(uint16_t type, char *buf, size_t size);
void nfdnsctl_class_to_str(uint16_t class, char *buf, size_t size);
void nfdnsctl_json_str(FILE *f, const char *s);
int nfdnsctl_parse_u64(const char *s, uint64_t max, uint64_t *val);
int nfdnsctl_parse_bool(const char *s, bool *val);

/* stats.c */
int nfdnsctl_stats_get(struct nfdnsctl *ctl, uint64_t *vals);
int nfdnsctl_cmd_stats(struct nfdnsctl *ctl, int argc, char **argv);

/* status.c */
int nfdnsctl_cmd_status(struct nfdnsctl *ctl, int argc, char **argv);

/* config.c */

/* Room for an IPv6 prefix in presentation form, or an interface name. */
#define NFDNSCTL_ITEM_LEN 50

/**
 * struct nfdnsctl_config - every kernel setting, as CONFIG_GET reports it
 * @vals: the scalar settings, indexed by &enum nfdns_config_attr
 * @ports: intercepted UDP ports
 * @n_ports: how many
 * @addrs: intercepted addresses, in presentation form
 * @n_addrs: how many (0: every address)
 * @clients: answered source prefixes, as ADDR/LEN
 * @n_clients: how many
 * @ifaces: interfaces answered on
 * @n_ifaces: how many (0: every interface)
 * @resolver_port: netlink port of the registered resolver, 0 when none
 */
struct nfdnsctl_config {
	uint64_t vals[NFDNS_CONF_A_MAX + 1];
	uint16_t ports[NFDNS_MAX_PORTS];
	unsigned int n_ports;
	char addrs[2 * NFDNS_MAX_ADDRS][46];
	unsigned int n_addrs;
	char clients[2 * NFDNS_MAX_CLIENTS][NFDNSCTL_ITEM_LEN];
	unsigned int n_clients;
	char ifaces[NFDNS_MAX_IFACES][NFDNSCTL_ITEM_LEN];
	unsigned int n_ifaces;
	uint32_t resolver_port;
};

int nfdnsctl_config_get(struct nfdnsctl *ctl, struct nfdnsctl_config *conf);
int nfdnsctl_cmd_config(struct nfdnsctl *ctl, int argc, char **argv);

/* entry.c: cache entries as the kernel reports them. */

/**
 * struct nfdnsctl_entry - one cache entry
 * @name: wire-format QNAME
 * @name_len: its length
 * @qtype: question type
 * @qclass: question class
 * @do_bit: the entry answers questions asked with DO
 * @cd: the entry answers questions asked with CD
 * @ttl: TTL it was stored with
 * @remaining: seconds before it expires
 * @flags: %NFDNS_ENTRY_F_* bits
 * @resp: the stored response (TTLs as stored)
 * @resp_len: its length
 */
struct nfdnsctl_entry {
	uint8_t name[NFDNS_NAME_MAX];
	uint8_t name_len;
	uint16_t qtype;
	uint16_t qclass;
	bool do_bit;
	bool cd;
	uint32_t ttl;
	uint32_t remaining;
	uint32_t flags;
	uint8_t *resp;
	uint16_t resp_len;
};

/**
 * struct nfdnsctl_entries - entries collected from a dump
 * @v: the entries, sorted and without repeats after nfdnsctl_entries_get()
 * @n: how many
 * @cap: room in @v
 */
struct nfdnsctl_entries {
	struct nfdnsctl_entry *v;
	size_t n;
	size_t cap;
};

int nfdnsctl_entry_parse(const struct nlattr *nest, struct nfdnsctl_entry *e);
int nfdnsctl_entries_get(struct nfdnsctl *ctl, struct nfdnsctl_entries *list);
void nfdnsctl_entries_free(struct nfdnsctl_entries *list);
int nfdnsctl_entry_print(struct nfdnsctl *ctl, const struct nfdnsctl_entry *e,
			 bool first);
/* The question bits of nfdnsctl_entry_put(). */
#define NFDNSCTL_Q_DO	1
#define NFDNSCTL_Q_CD	2

int nfdnsctl_entry_put(struct nfdnsctl *ctl, const uint8_t *name,
		       uint8_t name_len, uint16_t qtype, uint16_t qclass,
		       unsigned int qbits,
		       const uint8_t *resp, size_t resp_len, uint32_t ttl,
		       uint32_t flags);

/* cache.c */
int nfdnsctl_cmd_dump(struct nfdnsctl *ctl, int argc, char **argv);
int nfdnsctl_cmd_lookup(struct nfdnsctl *ctl, int argc, char **argv);
int nfdnsctl_cmd_add(struct nfdnsctl *ctl, int argc, char **argv);
int nfdnsctl_cmd_del(struct nfdnsctl *ctl, int argc, char **argv);
int nfdnsctl_cmd_flush(struct nfdnsctl *ctl, int argc, char **argv);

/* persist.c */
int nfdnsctl_cmd_save(struct nfdnsctl *ctl, int argc, char **argv);
int nfdnsctl_cmd_load(struct nfdnsctl *ctl, int argc, char **argv);

/* resolver.c: nfdnsd's control socket */
int nfdnsctl_cmd_resolver(struct nfdnsctl *ctl, int argc, char **argv);

/* Where persist.c reads the wall clock (the unit tests pin it). */
extern int64_t (*nfdnsctl_now)(void);

#endif /* NFDNSCTL_H */
