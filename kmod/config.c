// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: settings of a network namespace, their defaults and their limits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/string.h>
#include <net/ipv6.h>

#include "internal.h"

#define NFDNS_TTL_CEILING	604800U		/* one week */
#define NFDNS_RRL_RATE_MAX	1000000U
#define NFDNS_RRL_SLIP_MAX	10U

/*
 * What a host or a home router serves: itself, the private, CGNAT and
 * link-local ranges, and their IPv6 counterparts.  Anything beyond needs
 * saying so, or nfdns on a host with a public address is an open resolver.
 */
static const struct {
	__be32 addr;
	u8 len;
} nfdns_default_clients4[] = {
	{ htonl(0x7f000000), 8 },	/* 127/8 */
	{ htonl(0x0a000000), 8 },	/* 10/8 */
	{ htonl(0xac100000), 12 },	/* 172.16/12 */
	{ htonl(0xc0a80000), 16 },	/* 192.168/16 */
	{ htonl(0x64400000), 10 },	/* 100.64/10 */
	{ htonl(0xa9fe0000), 16 },	/* 169.254/16 */
};

static const struct {
	u8 first;
	u8 second;
	u8 len;
} nfdns_default_clients6[] = {
	{ 0xfc, 0x00, 7 },		/* fc00::/7 */
	{ 0xfe, 0x80, 10 },		/* fe80::/10 */
};

static void nfdns_config_default_clients(struct nfdns_config *c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nfdns_default_clients4); i++)
		nfdns_config_add_client4(c, nfdns_default_clients4[i].addr,
					 nfdns_default_clients4[i].len);
	for (i = 0; i < ARRAY_SIZE(nfdns_default_clients6); i++) {
		struct in6_addr a = {};

		a.s6_addr[0] = nfdns_default_clients6[i].first;
		a.s6_addr[1] = nfdns_default_clients6[i].second;
		nfdns_config_add_client6(c, &a, nfdns_default_clients6[i].len);
	}
	nfdns_config_add_client6(c, &in6addr_loopback, 128);
}

/**
 * nfdns_config_add_client4() - answer an IPv4 prefix
 * @c: the configuration
 * @addr: the network; host bits are cleared
 * @len: prefix length, 0..32
 *
 * Return: 0, or -ENOSPC when the list is full.
 */
int nfdns_config_add_client4(struct nfdns_config *c, __be32 addr, u8 len)
{
	__be32 mask = len ? htonl(~0U << (32 - len)) : 0;

	if (c->n_clients4 >= NFDNS_MAX_CLIENTS)
		return -ENOSPC;
	c->clients4[c->n_clients4].addr = addr & mask;
	c->clients4[c->n_clients4].mask = mask;
	c->n_clients4++;
	return 0;
}

/**
 * nfdns_config_add_client6() - answer an IPv6 prefix
 * @c: the configuration
 * @addr: the network; host bits are cleared
 * @len: prefix length, 0..128
 *
 * Return: 0, or -ENOSPC when the list is full.
 */
int nfdns_config_add_client6(struct nfdns_config *c,
			     const struct in6_addr *addr, u8 len)
{
	struct nfdns_prefix6 *p;

	if (c->n_clients6 >= NFDNS_MAX_CLIENTS)
		return -ENOSPC;
	p = &c->clients6[c->n_clients6++];
	ipv6_addr_prefix(&p->addr, addr, len);
	p->len = len;
	return 0;
}

/**
 * nfdns_config_defaults() - fill in the settings of a new namespace
 * @c: configuration to fill
 */
void nfdns_config_defaults(struct nfdns_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_bytes = 64ULL << 20;
	c->max_entries = 262144;
	c->min_ttl = 0;
	c->max_ttl = 86400;
	c->neg_max_ttl = 3600;
	c->pending_timeout_ms = 5000;
	c->max_pending = 4096;
	c->max_waiters = 64;
	c->mark = NFDNS_DEFAULT_MARK;
	c->serve_stale = 0;
	c->norecurse_pass = true;
	c->enabled = true;
	c->n_ports = 1;
	c->ports[0] = 53;
	/*
	 * 1000 answers a second to one /24 caps what a reflection attack can
	 * aim at a victim's network at about 10 Mbit/s of replies (1232 bytes
	 * each at most), while the real clients of a network rarely send a
	 * tenth of that.  Loopback is never limited.
	 */
	c->rrl_rate = 1000;
	c->rrl_slip = 2;
	c->rrl_prefix4 = 24;
	c->rrl_prefix6 = 56;
	nfdns_config_default_clients(c);
}

/**
 * nfdns_config_check() - check that settings make sense together
 * @c: configuration to check
 * @why: set to a human-readable reason on failure
 *
 * Return: 0, or -EINVAL with @why set.
 */
int nfdns_config_check(const struct nfdns_config *c, const char **why)
{
	unsigned int i;

	if (c->max_bytes < 4096 || c->max_bytes > (1ULL << 40)) {
		*why = "max_bytes must be between 4096 and 2^40";
		return -EINVAL;
	}
	if (c->max_entries < 1 || c->max_entries > (1U << 24)) {
		*why = "max_entries must be between 1 and 2^24";
		return -EINVAL;
	}
	if (c->max_ttl > NFDNS_TTL_CEILING || c->neg_max_ttl > NFDNS_TTL_CEILING) {
		*why = "TTL limits must not exceed 604800 seconds";
		return -EINVAL;
	}
	if (c->min_ttl > c->max_ttl) {
		*why = "min_ttl must not exceed max_ttl";
		return -EINVAL;
	}
	if (c->pending_timeout_ms < 100 || c->pending_timeout_ms > 60000) {
		*why = "pending_timeout_ms must be between 100 and 60000";
		return -EINVAL;
	}
	if (c->max_pending < 1 || c->max_pending > 65536) {
		*why = "max_pending must be between 1 and 65536";
		return -EINVAL;
	}
	if (c->max_waiters < 1 || c->max_waiters > 4096) {
		*why = "max_waiters must be between 1 and 4096";
		return -EINVAL;
	}
	if (c->serve_stale > NFDNS_TTL_CEILING) {
		*why = "serve_stale must not exceed 604800 seconds";
		return -EINVAL;
	}
	if (c->n_ports < 1 || c->n_ports > NFDNS_MAX_PORTS) {
		*why = "between 1 and 8 ports must be intercepted";
		return -EINVAL;
	}
	for (i = 0; i < c->n_ports; i++) {
		if (!c->ports[i]) {
			*why = "port 0 cannot be intercepted";
			return -EINVAL;
		}
	}
	if (c->n_addr4 > NFDNS_MAX_ADDRS || c->n_addr6 > NFDNS_MAX_ADDRS) {
		*why = "at most 16 addresses per family";
		return -EINVAL;
	}
	if (c->rrl_rate > NFDNS_RRL_RATE_MAX) {
		*why = "rrl_rate must not exceed 1000000";
		return -EINVAL;
	}
	if (c->rrl_slip > NFDNS_RRL_SLIP_MAX) {
		*why = "rrl_slip must be between 0 and 10";
		return -EINVAL;
	}
	if (c->rrl_prefix4 < 8 || c->rrl_prefix4 > 32) {
		*why = "rrl_prefix4 must be between 8 and 32";
		return -EINVAL;
	}
	if (c->rrl_prefix6 < 16 || c->rrl_prefix6 > 128) {
		*why = "rrl_prefix6 must be between 16 and 128";
		return -EINVAL;
	}
	if (c->n_clients4 > NFDNS_MAX_CLIENTS ||
	    c->n_clients6 > NFDNS_MAX_CLIENTS) {
		*why = "at most 32 client prefixes per family";
		return -EINVAL;
	}
	if (c->n_ifaces > NFDNS_MAX_IFACES) {
		*why = "at most 8 interfaces";
		return -EINVAL;
	}
	return 0;
}
