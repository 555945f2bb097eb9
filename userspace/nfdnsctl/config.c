// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl config: show and change the kernel settings.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nfdnsctl.h"

enum setting_kind {
	SETTING_BOOL,		/* u8, 0 or 1 */
	SETTING_U32,
	SETTING_SIZE,		/* u64 bytes, with an optional K/M/G/T suffix */
	SETTING_MARK,		/* u32, shown in hexadecimal */
	SETTING_PORTS,		/* nest of u16 */
	SETTING_ADDRS,		/* nest of IPv4 and IPv6 addresses */
	SETTING_U8,
	SETTING_CLIENTS,	/* nest of IPv4 and IPv6 prefixes */
	SETTING_IFACES,		/* nest of interface names */
};

/**
 * struct setting - one kernel setting
 * @key: its name on the command line and in output
 * @attr: %NFDNS_CONF_A_*
 * @kind: how it is typed and shown
 * @min: the lowest value the kernel's policy takes (numbers only)
 * @max: the highest, 0 for the type's own limit
 */
struct setting {
	const char *key;
	unsigned int attr;
	enum setting_kind kind;
	uint64_t min, max;
};

/* The limits are the policy's, from the uapi header the spec is checked against. */
static const struct setting settings[] = {
	{ "enabled", NFDNS_CONF_A_ENABLED, SETTING_BOOL, 0, 0 },
	{ "max_bytes", NFDNS_CONF_A_MAX_BYTES, SETTING_SIZE,
	  NFDNS_MAX_BYTES_MIN, NFDNS_MAX_BYTES_MAX },
	{ "max_entries", NFDNS_CONF_A_MAX_ENTRIES, SETTING_U32,
	  1, NFDNS_MAX_ENTRIES_MAX },
	{ "min_ttl", NFDNS_CONF_A_MIN_TTL, SETTING_U32, 0, NFDNS_TTL_MAX },
	{ "max_ttl", NFDNS_CONF_A_MAX_TTL, SETTING_U32, 0, NFDNS_TTL_MAX },
	{ "neg_max_ttl", NFDNS_CONF_A_NEG_MAX_TTL, SETTING_U32, 0, NFDNS_TTL_MAX },
	{ "serve_stale", NFDNS_CONF_A_SERVE_STALE, SETTING_U32, 0, NFDNS_TTL_MAX },
	{ "stale_answer_ms", NFDNS_CONF_A_STALE_ANSWER_MS, SETTING_U32,
	  0, NFDNS_STALE_ANSWER_MS_MAX },
	{ "stale_without_resolver", NFDNS_CONF_A_STALE_WITHOUT_RESOLVER,
	  SETTING_BOOL, 0, 0 },
	{ "prefetch_pct", NFDNS_CONF_A_PREFETCH_PCT, SETTING_U32,
	  0, NFDNS_PREFETCH_PCT_MAX },
	{ "prefetch_adaptive", NFDNS_CONF_A_PREFETCH_ADAPTIVE, SETTING_BOOL, 0, 0 },
	{ "pending_timeout_ms", NFDNS_CONF_A_PENDING_TIMEOUT_MS, SETTING_U32,
	  NFDNS_PENDING_TIMEOUT_MS_MIN, NFDNS_PENDING_TIMEOUT_MS_MAX },
	{ "max_pending", NFDNS_CONF_A_MAX_PENDING, SETTING_U32,
	  1, NFDNS_MAX_PENDING_MAX },
	{ "max_waiters", NFDNS_CONF_A_MAX_WAITERS, SETTING_U32,
	  1, NFDNS_MAX_WAITERS_MAX },
	{ "norecurse_pass", NFDNS_CONF_A_NORECURSE_PASS, SETTING_BOOL, 0, 0 },
	{ "mark", NFDNS_CONF_A_MARK, SETTING_MARK, 0, 0 },
	{ "ports", NFDNS_CONF_A_PORTS, SETTING_PORTS, 0, 0 },
	{ "addrs", NFDNS_CONF_A_ADDRS, SETTING_ADDRS, 0, 0 },
	{ "clients", NFDNS_CONF_A_CLIENTS, SETTING_CLIENTS, 0, 0 },
	{ "ifaces", NFDNS_CONF_A_IFACES, SETTING_IFACES, 0, 0 },
	{ "rrl_rate", NFDNS_CONF_A_RRL_RATE, SETTING_U32, 0, NFDNS_RRL_RATE_MAX },
	{ "rrl_slip", NFDNS_CONF_A_RRL_SLIP, SETTING_U32, 0, NFDNS_RRL_SLIP_MAX },
	{ "rrl_prefix4", NFDNS_CONF_A_RRL_PREFIX4, SETTING_U8,
	  NFDNS_RRL_PREFIX4_MIN, 32 },
	{ "rrl_prefix6", NFDNS_CONF_A_RRL_PREFIX6, SETTING_U8,
	  NFDNS_RRL_PREFIX6_MIN, 128 },
};

#define N_SETTINGS (sizeof(settings) / sizeof(settings[0]))

static const struct setting *find_setting(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < N_SETTINGS; i++)
		if (strlen(settings[i].key) == len &&
		    !strncmp(settings[i].key, key, len))
			return &settings[i];
	return NULL;
}

/* One prefix of the clients list, as ADDR/LEN. */
static void get_client(struct nfdnsctl_config *conf, const struct nlattr *a)
{
	const unsigned char *d = nla_data(a);
	char addr[INET6_ADDRSTRLEN];
	int family, alen;

	if (conf->n_clients >= 2 * NFDNS_MAX_CLIENTS)
		return;
	if (nla_type(a) == NFDNS_CONF_A_CLIENT4 && nla_len(a) == 5)
		family = AF_INET, alen = 4;
	else if (nla_type(a) == NFDNS_CONF_A_CLIENT6 && nla_len(a) == 17)
		family = AF_INET6, alen = 16;
	else
		return;
	inet_ntop(family, d, addr, sizeof(addr));
	snprintf(conf->clients[conf->n_clients++], sizeof(conf->clients[0]),
		 "%s/%u", addr, d[alen]);
}

static int on_config(struct nfdnsctl *ctl, struct nlattr **tb, void *arg)
{
	struct nlattr *ct[NFDNS_CONF_A_MAX + 1];
	struct nfdnsctl_config *conf = arg;
	struct nlattr *a;
	size_t i;
	int rem;

	(void)ctl;
	if (!tb[NFDNS_A_CONFIG] ||
	    nla_parse_nested(ct, NFDNS_CONF_A_MAX, tb[NFDNS_A_CONFIG], NULL))
		return -EPROTO;
	for (i = 0; i < N_SETTINGS; i++) {
		a = ct[settings[i].attr];
		if (!a)
			continue;
		switch (settings[i].kind) {
		case SETTING_BOOL:
		case SETTING_U8:
			if (nla_len(a) >= 1)
				conf->vals[settings[i].attr] = nla_get_u8(a);
			break;
		case SETTING_CLIENTS:
			nla_for_each_nested(a, ct[NFDNS_CONF_A_CLIENTS], rem)
				get_client(conf, a);
			break;
		case SETTING_IFACES:
			nla_for_each_nested(a, ct[NFDNS_CONF_A_IFACES], rem)
				if (nla_type(a) == NFDNS_CONF_A_IFNAME &&
				    conf->n_ifaces < NFDNS_MAX_IFACES)
					nla_strlcpy(conf->ifaces[conf->n_ifaces++],
						    a, sizeof(conf->ifaces[0]));
			break;
		case SETTING_U32:
		case SETTING_MARK:
			if (nla_len(a) >= 4)
				conf->vals[settings[i].attr] = nla_get_u32(a);
			break;
		case SETTING_SIZE:
			if (nla_len(a) >= 8)
				conf->vals[settings[i].attr] = nla_get_u64(a);
			break;
		case SETTING_PORTS:
			nla_for_each_nested(a, ct[NFDNS_CONF_A_PORTS], rem)
				if (nla_type(a) == NFDNS_CONF_A_PORT &&
				    nla_len(a) >= 2 && conf->n_ports < NFDNS_MAX_PORTS)
					conf->ports[conf->n_ports++] =
						nla_get_u16(a);
			break;
		case SETTING_ADDRS:
			nla_for_each_nested(a, ct[NFDNS_CONF_A_ADDRS], rem) {
				if (conf->n_addrs >= 2 * NFDNS_MAX_ADDRS)
					break;
				if (nla_type(a) == NFDNS_CONF_A_ADDR4 &&
				    nla_len(a) == 4)
					inet_ntop(AF_INET, nla_data(a),
						  conf->addrs[conf->n_addrs++],
						  sizeof(conf->addrs[0]));
				else if (nla_type(a) == NFDNS_CONF_A_ADDR6 &&
					 nla_len(a) == 16)
					inet_ntop(AF_INET6, nla_data(a),
						  conf->addrs[conf->n_addrs++],
						  sizeof(conf->addrs[0]));
			}
			break;
		}
	}
	if (tb[NFDNS_A_RESOLVER_PID])
		conf->resolver_port = nla_get_u32(tb[NFDNS_A_RESOLVER_PID]);
	return 0;
}

/**
 * nfdnsctl_config_get() - read every setting
 * @ctl: the invocation
 * @conf: filled in
 *
 * Return: 0 or -errno, reported.
 */
int nfdnsctl_config_get(struct nfdnsctl *ctl, struct nfdnsctl_config *conf)
{
	int err = nfdnsctl_open(ctl);

	if (err)
		return err;
	memset(conf, 0, sizeof(*conf));
	return nfdnsctl_transact(ctl,
				 nfdnsctl_msg(ctl, NFDNS_CMD_CONFIG_GET, 0),
				 on_config, conf, "reading the settings");
}

/* "0.0.0.0/0" and "::/0", and nothing else: every source. */
static bool clients_any(const struct nfdnsctl_config *conf)
{
	return conf->n_clients == 2 &&
	       !strcmp(conf->clients[0], "0.0.0.0/0") &&
	       !strcmp(conf->clients[1], "::/0");
}

/* A list as JSON strings, else comma-separated, or @word when not NULL. */
static void print_list(FILE *f, const char (*items)[NFDNSCTL_ITEM_LEN],
		       unsigned int n, bool json, const char *word)
{
	unsigned int i;

	if (json) {
		fputc('[', f);
		for (i = 0; i < n; i++) {
			fputs(i ? "," : "", f);
			nfdnsctl_json_str(f, items[i]);
		}
		fputc(']', f);
	} else if (word) {
		fputs(word, f);
	} else {
		for (i = 0; i < n; i++)
			fprintf(f, "%s%s", i ? "," : "", items[i]);
	}
}

static void print_value(FILE *f, const struct setting *s,
			const struct nfdnsctl_config *conf, bool json)
{
	unsigned int i;

	switch (s->kind) {
	case SETTING_BOOL:
		fputs(conf->vals[s->attr] ? (json ? "true" : "yes") :
					    (json ? "false" : "no"), f);
		break;
	case SETTING_MARK:
		if (json)
			fprintf(f, "%llu", (unsigned long long)conf->vals[s->attr]);
		else
			fprintf(f, "0x%llx", (unsigned long long)conf->vals[s->attr]);
		break;
	case SETTING_U32:
	case SETTING_U8:
	case SETTING_SIZE:
		fprintf(f, "%llu", (unsigned long long)conf->vals[s->attr]);
		break;
	case SETTING_CLIENTS:
		print_list(f, conf->clients, conf->n_clients, json,
			   clients_any(conf) ? "any" :
			   !conf->n_clients ? "none" : NULL);
		break;
	case SETTING_IFACES:
		print_list(f, conf->ifaces, conf->n_ifaces, json,
			   conf->n_ifaces ? NULL : "any");
		break;
	case SETTING_PORTS:
		fputs(json ? "[" : "", f);
		for (i = 0; i < conf->n_ports; i++)
			fprintf(f, "%s%u", i ? "," : "", conf->ports[i]);
		fputs(json ? "]" : "", f);
		break;
	case SETTING_ADDRS:
		if (json) {
			fputc('[', f);
			for (i = 0; i < conf->n_addrs; i++) {
				fputs(i ? "," : "", f);
				nfdnsctl_json_str(f, conf->addrs[i]);
			}
			fputc(']', f);
		} else if (!conf->n_addrs) {
			fputs("any", f);
		} else {
			for (i = 0; i < conf->n_addrs; i++)
				fprintf(f, "%s%s", i ? "," : "", conf->addrs[i]);
		}
		break;
	}
}

static int parse_size(const char *s, uint64_t *val)
{
	static const char suffixes[] = "KMGT";
	size_t len = strlen(s);
	char last = len ? s[len - 1] : '\0';
	const char *p;
	char num[32];
	unsigned int shift;
	int err;

	if (!len || len >= sizeof(num))
		return -EINVAL;
	if (last >= 'a' && last <= 'z')
		last = (char)(last - 'a' + 'A');
	p = last ? strchr(suffixes, last) : NULL;
	if (!p)
		return nfdnsctl_parse_u64(s, UINT64_MAX, val);
	memcpy(num, s, len - 1);
	num[len - 1] = '\0';
	shift = 10 * (unsigned int)(p - suffixes + 1);
	err = nfdnsctl_parse_u64(num, UINT64_MAX >> shift, val);
	if (!err)
		*val <<= shift;
	return err;
}

static int put_ports(struct nl_msg *msg, const char *value)
{
	char *copy = strdup(value), *tok, *save;
	struct nlattr *nest;
	unsigned int n = 0;
	uint64_t port;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	nest = nla_nest_start(msg, NFDNS_CONF_A_PORTS);
	for (tok = strtok_r(copy, ",", &save); tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		if (nfdnsctl_parse_u64(tok, 65535, &port) || !port ||
		    ++n > NFDNS_MAX_PORTS)
			err = -EINVAL;
		else if (nla_put_u16(msg, NFDNS_CONF_A_PORT, (uint16_t)port))
			err = -ENOMEM;
	}
	if (!n)
		err = -EINVAL;
	nla_nest_end(msg, nest);
	free(copy);
	return err;
}

static int put_addrs(struct nl_msg *msg, const char *value)
{
	char *copy = strdup(value), *tok, *save;
	unsigned int n4 = 0, n6 = 0;
	unsigned char addr[16];
	struct nlattr *nest;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	nest = nla_nest_start(msg, NFDNS_CONF_A_ADDRS);
	/* "any" (or nothing) leaves the nest empty: every address. */
	if (strcmp(copy, "any")) {
		for (tok = strtok_r(copy, ",", &save); tok && !err;
		     tok = strtok_r(NULL, ",", &save)) {
			if (inet_pton(AF_INET, tok, addr) == 1)
				err = ++n4 > NFDNS_MAX_ADDRS ? -EINVAL :
				      nla_put(msg, NFDNS_CONF_A_ADDR4, 4, addr);
			else if (inet_pton(AF_INET6, tok, addr) == 1)
				err = ++n6 > NFDNS_MAX_ADDRS ? -EINVAL :
				      nla_put(msg, NFDNS_CONF_A_ADDR6, 16, addr);
			else
				err = -EINVAL;
		}
	}
	/* libnl drops an empty nest; here empty means "every address". */
	nla_nest_end_keep_empty(msg, nest);
	free(copy);
	return err;
}

/* ADDR or ADDR/LEN, either family; a bare address is one host. */
static int parse_prefix(const char *tok, int *family, unsigned char *addr,
			unsigned int *len)
{
	char copy[INET6_ADDRSTRLEN + 4];
	const char *slash = strchr(tok, '/');
	unsigned int max;
	uint64_t v;

	if (strlen(tok) >= sizeof(copy))
		return -EINVAL;
	strcpy(copy, tok);
	if (slash)
		copy[slash - tok] = '\0';
	if (inet_pton(AF_INET, copy, addr) == 1)
		*family = AF_INET, max = 32;
	else if (inet_pton(AF_INET6, copy, addr) == 1)
		*family = AF_INET6, max = 128;
	else
		return -EINVAL;
	if (!slash) {
		*len = max;
		return 0;
	}
	if (nfdnsctl_parse_u64(slash + 1, max, &v))
		return -EINVAL;
	*len = (unsigned int)v;
	return 0;
}

static int put_clients(struct nl_msg *msg, const char *value)
{
	char *copy = strdup(value), *tok, *save;
	unsigned int n4 = 0, n6 = 0, len;
	unsigned char buf[17];
	struct nlattr *nest;
	int family, err = 0;

	if (!copy)
		return -ENOMEM;
	nest = nla_nest_start(msg, NFDNS_CONF_A_CLIENTS);
	if (!strcmp(copy, "any")) {
		memset(buf, 0, sizeof(buf));
		err = nla_put(msg, NFDNS_CONF_A_CLIENT4, 5, buf) ||
		      nla_put(msg, NFDNS_CONF_A_CLIENT6, 17, buf) ? -ENOMEM : 0;
	} else if (strcmp(copy, "none")) {
		for (tok = strtok_r(copy, ",", &save); tok && !err;
		     tok = strtok_r(NULL, ",", &save)) {
			if (parse_prefix(tok, &family, buf, &len)) {
				err = -EINVAL;
			} else if (family == AF_INET) {
				buf[4] = (unsigned char)len;
				err = ++n4 > NFDNS_MAX_CLIENTS ? -EINVAL :
				      nla_put(msg, NFDNS_CONF_A_CLIENT4, 5, buf);
			} else {
				buf[16] = (unsigned char)len;
				err = ++n6 > NFDNS_MAX_CLIENTS ? -EINVAL :
				      nla_put(msg, NFDNS_CONF_A_CLIENT6, 17, buf);
			}
		}
		if (!n4 && !n6)
			err = -EINVAL;
	}
	/* "none" is an empty list: nobody is answered. */
	nla_nest_end_keep_empty(msg, nest);
	free(copy);
	return err;
}

static int put_ifaces(struct nl_msg *msg, const char *value)
{
	char *copy = strdup(value), *tok, *save;
	struct nlattr *nest;
	unsigned int n = 0;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	nest = nla_nest_start(msg, NFDNS_CONF_A_IFACES);
	if (strcmp(copy, "any")) {
		for (tok = strtok_r(copy, ",", &save); tok && !err;
		     tok = strtok_r(NULL, ",", &save)) {
			if (strlen(tok) > NFDNS_IFNAME_MAX || ++n > NFDNS_MAX_IFACES)
				err = -EINVAL;
			else if (nla_put_string(msg, NFDNS_CONF_A_IFNAME, tok))
				err = -ENOMEM;
		}
		if (!n)
			err = -EINVAL;
	}
	nla_nest_end_keep_empty(msg, nest);
	free(copy);
	return err;
}

/*
 * A value out of range is refused here, with the limits, before anything
 * is sent: the kernel's refusal would only say "integer out of range".
 */
static int check_range(struct nfdnsctl *ctl, const struct setting *s,
		       uint64_t v)
{
	if (!s->max || (v >= s->min && v <= s->max))
		return 0;
	return nfdnsctl_error(ctl, -ERANGE, "%s must be between %llu and %llu",
			      s->key, (unsigned long long)s->min,
			      (unsigned long long)s->max);
}

static int put_setting(struct nfdnsctl *ctl, struct nl_msg *msg,
		       const struct setting *s, const char *value)
{
	uint64_t v;
	bool b;
	int err;

	switch (s->kind) {
	case SETTING_BOOL:
		if (nfdnsctl_parse_bool(value, &b))
			return nfdnsctl_usage(ctl, "%s takes yes or no, not '%s'",
					      s->key, value);
		return nla_put_u8(msg, s->attr, b) ? -ENOMEM : 0;
	case SETTING_U32:
	case SETTING_MARK:
		if (nfdnsctl_parse_u64(value, UINT32_MAX, &v))
			return nfdnsctl_usage(ctl, "%s takes a number up to %u, not '%s'",
					      s->key, UINT32_MAX, value);
		err = check_range(ctl, s, v);
		if (err)
			return err;
		return nla_put_u32(msg, s->attr, (uint32_t)v) ? -ENOMEM : 0;
	case SETTING_SIZE:
		if (parse_size(value, &v))
			return nfdnsctl_usage(ctl, "%s takes a number of bytes (suffix K, M, G or T allowed), not '%s'",
					      s->key, value);
		err = check_range(ctl, s, v);
		if (err)
			return err;
		return nla_put_u64(msg, s->attr, v) ? -ENOMEM : 0;
	case SETTING_PORTS:
		err = put_ports(msg, value);
		if (err == -EINVAL)
			return nfdnsctl_usage(ctl, "ports takes 1 to %d ports, comma-separated, not '%s'",
					      NFDNS_MAX_PORTS, value);
		return err;
	case SETTING_ADDRS:
		err = put_addrs(msg, value);
		if (err == -EINVAL)
			return nfdnsctl_usage(ctl, "addrs takes 'any' or up to %d IPv4 and %d IPv6 addresses, comma-separated, not '%s'",
					      NFDNS_MAX_ADDRS, NFDNS_MAX_ADDRS, value);
		return err;
	case SETTING_U8:
		if (nfdnsctl_parse_u64(value, UINT8_MAX, &v))
			return nfdnsctl_usage(ctl, "%s takes a number up to %u, not '%s'",
					      s->key, UINT8_MAX, value);
		err = check_range(ctl, s, v);
		if (err)
			return err;
		return nla_put_u8(msg, s->attr, (uint8_t)v) ? -ENOMEM : 0;
	case SETTING_CLIENTS:
		err = put_clients(msg, value);
		if (err == -EINVAL)
			return nfdnsctl_usage(ctl, "clients takes 'any', 'none' or up to %d IPv4 and %d IPv6 prefixes (ADDR/LEN), comma-separated, not '%s'",
					      NFDNS_MAX_CLIENTS, NFDNS_MAX_CLIENTS, value);
		return err;
	case SETTING_IFACES:
		err = put_ifaces(msg, value);
		if (err == -EINVAL)
			return nfdnsctl_usage(ctl, "ifaces takes 'any' or up to %d interface names, comma-separated, not '%s'",
					      NFDNS_MAX_IFACES, value);
		return err;
	}
	return -EINVAL;
}

static int config_set(struct nfdnsctl *ctl, int argc, char **argv)
{
	const struct setting *s;
	struct nlattr *nest;
	struct nl_msg *msg;
	const char *eq;
	int i, err;

	/* Every argument is checked before anything is sent. */
	for (i = 0; i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (!eq)
			return nfdnsctl_usage(ctl, "'%s': give every setting as KEY=VALUE to change it",
					      argv[i]);
		if (!find_setting(argv[i], (size_t)(eq - argv[i])))
			return nfdnsctl_usage(ctl, "unknown setting '%.*s'",
					      (int)(eq - argv[i]), argv[i]);
	}
	/* Values too, before the module is asked anything. */
	msg = nlmsg_alloc();
	if (!msg)
		return nfdnsctl_error(ctl, -ENOMEM, "out of memory");
	for (i = 0, err = 0; i < argc && !err; i++) {
		eq = strchr(argv[i], '=');
		s = find_setting(argv[i], (size_t)(eq - argv[i]));
		err = put_setting(ctl, msg, s, eq + 1);
	}
	nlmsg_free(msg);
	if (err)
		return err == -ENOMEM ?
		       nfdnsctl_error(ctl, err, "out of memory") : err;

	err = nfdnsctl_open(ctl);
	if (err)
		return err;
	msg = nfdnsctl_msg(ctl, NFDNS_CMD_CONFIG_SET, 0);
	if (!msg)
		return nfdnsctl_error(ctl, -ENOMEM, "out of memory");
	nest = nla_nest_start(msg, NFDNS_A_CONFIG);
	for (i = 0; i < argc; i++) {
		eq = strchr(argv[i], '=');
		s = find_setting(argv[i], (size_t)(eq - argv[i]));
		err = put_setting(ctl, msg, s, eq + 1);
		if (err) {
			nlmsg_free(msg);
			return err == -ENOMEM ?
			       nfdnsctl_error(ctl, err, "out of memory") : err;
		}
	}
	nla_nest_end(msg, nest);
	return nfdnsctl_transact(ctl, msg, NULL, NULL, "changing the settings");
}

static void print_all(struct nfdnsctl *ctl, const struct nfdnsctl_config *conf,
		      bool json)
{
	FILE *f = ctl->out;
	size_t i;

	if (json) {
		fputc('{', f);
		for (i = 0; i < N_SETTINGS; i++) {
			fprintf(f, "%s\"%s\": ", i ? ", " : "", settings[i].key);
			print_value(f, &settings[i], conf, true);
		}
		fputs("}\n", f);
		return;
	}
	for (i = 0; i < N_SETTINGS; i++) {
		fprintf(f, "%-19s ", settings[i].key);
		print_value(f, &settings[i], conf, false);
		fputc('\n', f);
	}
}

/**
 * nfdnsctl_cmd_config() - `nfdnsctl config [KEY | KEY=VALUE...]`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * Return: 0 or -errno.
 */
int nfdnsctl_cmd_config(struct nfdnsctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct nfdnsctl_config conf;
	const struct setting *s;
	bool json = ctl->json;
	int opt, err;

	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (opt == 'j')
			json = true;
		else
			return nfdnsctl_bad_option(ctl, opt, argv);
	}
	argc -= optind;
	argv += optind;

	if (argc > 1 || (argc == 1 && strchr(argv[0], '=')))
		return config_set(ctl, argc, argv);

	s = NULL;
	if (argc == 1) {
		s = find_setting(argv[0], strlen(argv[0]));
		if (!s)
			return nfdnsctl_usage(ctl, "unknown setting '%s'",
					      argv[0]);
	}
	err = nfdnsctl_config_get(ctl, &conf);
	if (err)
		return err;
	if (!s) {
		print_all(ctl, &conf, json);
		return 0;
	}
	if (json)
		fprintf(ctl->out, "{\"%s\": ", s->key);
	print_value(ctl->out, s, &conf, json);
	fputs(json ? "}\n" : "\n", ctl->out);
	return 0;
}
