/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_ACL_H
#define NFDNSD_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * Address prefixes with an action each; the longest prefix containing an
 * address decides, and of two equal prefixes the one added last.
 * IPv4-mapped IPv6 addresses are matched as the IPv4 address they carry.
 */
enum acl_action {
	ACL_NONE,	/* no prefix matched */
	ACL_ALLOW,
	ACL_REFUSE,	/* answered REFUSED */
	ACL_DENY,	/* dropped without an answer */
};

struct acl_entry {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint8_t plen;
	enum acl_action action;
};

struct acl {
	struct acl_entry *e;
	size_t n, cap;
};

void acl_free(struct acl *a);
/* "10.0.0.0/8", "fe80::/10", a bare address (the whole address). */
int acl_parse_prefix(const char *text, struct acl_entry *out);
int acl_add(struct acl *a, const char *prefix, enum acl_action action);
int acl_add_sockaddr(struct acl *a, const struct sockaddr *sa, enum acl_action action);
/* "PREFIX allow|refuse|deny", as in the configuration file. */
int acl_add_line(struct acl *a, const char *text);
enum acl_action acl_match(const struct acl *a, const struct sockaddr *sa);

/* The clients served by default: loopback, private, CGNAT, link-local and ULA ranges. */
extern const char *const acl_default_clients[];
/* Never worth a query: multicast, broadcast, reserved. */
extern const char *const acl_never_query[];
/* Loopback, unspecified and link-local: this host or its link, never a name server on the internet. */
extern const char *const acl_local_ranges[];
extern const char *const acl_private_ranges[];

/*
 * Where no upstream query may go: acl_never_query always, the local
 * ranges with localhost, the private ones with private_ranges, then
 * extra.  Everything in it maps to ACL_DENY.
 */
int acl_do_not_query(struct acl *out, bool localhost, bool private_ranges, const struct acl *extra);
/* This host's addresses (every interface), each as a whole-address entry. */
int acl_add_own_addresses(struct acl *out, enum acl_action action);

#endif
