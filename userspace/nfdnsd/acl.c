// SPDX-License-Identifier: GPL-2.0
#include "acl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const acl_default_clients[] = {
	"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
	"169.254.0.0/16", "fc00::/7", "fe80::/10", NULL,
};

const char *const acl_never_query[] = {
	"224.0.0.0/4", "240.0.0.0/4", "ff00::/8", NULL,
};

const char *const acl_local_ranges[] = {
	"127.0.0.0/8", "::1/128", "0.0.0.0/8", "::/128", "169.254.0.0/16", "fe80::/10", NULL,
};

const char *const acl_private_ranges[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7", NULL,
};

void acl_free(struct acl *a)
{
	free(a->e);
	memset(a, 0, sizeof(*a));
}

int acl_parse_prefix(const char *text, struct acl_entry *out)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	unsigned long plen;
	char *end;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, out->addr) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, host, out->addr) == 1)
		out->family = AF_INET6;
	else
		return -EINVAL;
	plen = out->family == AF_INET ? 32 : 128;
	if (slash) {
		if (!slash[1] || slash[1] == '-' || slash[1] == '+')
			return -EINVAL;
		errno = 0;
		plen = strtoul(slash + 1, &end, 10);
		if (errno || *end || plen > (out->family == AF_INET ? 32u : 128u))
			return -EINVAL;
	}
	out->plen = (uint8_t)plen;
	/* Host bits are cleared, so "10.1.2.3/8" means 10.0.0.0/8. */
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;

		if (bits < 8)
			out->addr[i] &= (uint8_t)(0xff00 >> bits);
	}
	return 0;
}

static int push(struct acl *a, const struct acl_entry *e)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		struct acl_entry *p = realloc(a->e, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		a->e = p;
		a->cap = cap;
	}
	a->e[a->n++] = *e;
	return 0;
}

int acl_add(struct acl *a, const char *prefix, enum acl_action action)
{
	struct acl_entry e;
	int err = acl_parse_prefix(prefix, &e);

	if (err)
		return err;
	e.action = action;
	return push(a, &e);
}

/* The address as family and bytes; IPv4-mapped IPv6 as IPv4. */
static int sa_bytes(const struct sockaddr *sa, uint8_t out[16])
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (sa->sa_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return AF_INET;
	}
	if (sa->sa_family == AF_INET6) {
		const uint8_t *b = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;

		if (memcmp(b, mapped, 12) == 0) {
			memcpy(out, b + 12, 4);
			return AF_INET;
		}
		memcpy(out, b, 16);
		return AF_INET6;
	}
	return -1;
}

int acl_add_sockaddr(struct acl *a, const struct sockaddr *sa, enum acl_action action)
{
	struct acl_entry e;

	memset(&e, 0, sizeof(e));
	e.family = sa_bytes(sa, e.addr);
	if (e.family < 0)
		return -EAFNOSUPPORT;
	e.plen = e.family == AF_INET ? 32 : 128;
	e.action = action;
	return push(a, &e);
}

int acl_add_line(struct acl *a, const char *text)
{
	static const struct {
		const char *word;
		enum acl_action action;
	} words[] = { { "allow", ACL_ALLOW }, { "refuse", ACL_REFUSE }, { "deny", ACL_DENY } };
	char prefix[INET6_ADDRSTRLEN + 8];
	const char *sp = text;
	size_t len;

	while (*sp && *sp != ' ' && *sp != '\t')
		sp++;
	len = (size_t)(sp - text);
	if (len == 0 || len >= sizeof(prefix))
		return -EINVAL;
	memcpy(prefix, text, len);
	prefix[len] = '\0';
	while (*sp == ' ' || *sp == '\t')
		sp++;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(sp, words[i].word) == 0)
			return acl_add(a, prefix, words[i].action);
	return -EINVAL;
}

static bool in_prefix(const struct acl_entry *e, const uint8_t *b)
{
	unsigned full = e->plen / 8, rest = e->plen % 8;

	if (memcmp(e->addr, b, full) != 0)
		return false;
	return rest == 0 || ((e->addr[full] ^ b[full]) & (uint8_t)(0xff00 >> rest)) == 0;
}

enum acl_action acl_match(const struct acl *a, const struct sockaddr *sa)
{
	uint8_t b[16];
	int family = sa_bytes(sa, b);
	const struct acl_entry *best = NULL;

	if (family < 0)
		return ACL_NONE;
	for (size_t i = 0; i < a->n; i++) {
		const struct acl_entry *e = &a->e[i];

		if (e->family == family && in_prefix(e, b) && (!best || e->plen >= best->plen))
			best = e;
	}
	return best ? best->action : ACL_NONE;
}

static int add_all(struct acl *a, const char *const *list, enum acl_action action)
{
	for (size_t i = 0; list[i]; i++) {
		int err = acl_add(a, list[i], action);

		if (err)
			return err;
	}
	return 0;
}

int acl_do_not_query(struct acl *out, bool localhost, bool private_ranges, const struct acl *extra)
{
	int err = add_all(out, acl_never_query, ACL_DENY);

	if (!err && localhost)
		err = add_all(out, acl_local_ranges, ACL_DENY);
	if (!err && private_ranges)
		err = add_all(out, acl_private_ranges, ACL_DENY);
	for (size_t i = 0; !err && extra && i < extra->n; i++)
		err = push(out, &extra->e[i]);
	return err;
}

int acl_add_own_addresses(struct acl *out, enum acl_action action)
{
	struct ifaddrs *list, *ifa;
	int err = 0;

	if (getifaddrs(&list) < 0)
		return -errno;
	for (ifa = list; ifa && !err; ifa = ifa->ifa_next)
		if (ifa->ifa_addr && (ifa->ifa_addr->sa_family == AF_INET || ifa->ifa_addr->sa_family == AF_INET6))
			err = acl_add_sockaddr(out, ifa->ifa_addr, action);
	freeifaddrs(list);
	return err;
}
