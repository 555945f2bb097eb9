// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: settings of a network namespace, their defaults and their limits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "internal.h"

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

/*
 * A namespace's own administrator may be root in an unprivileged user
 * namespace, so what one namespace may take is bounded module-wide: the
 * limits that size memory the kernel keeps (the cache's byte budget, the
 * questions pending and the clients waiting on each) may be raised past
 * these ceilings only with CAP_NET_ADMIN in the initial user namespace.
 * The cache's entry limit needs no ceiling: every entry is charged in
 * full to the byte budget.
 */
static unsigned long long max_bytes_ceiling;
module_param(max_bytes_ceiling, ullong, 0644);
MODULE_PARM_DESC(max_bytes_ceiling,
		 "Largest cache byte budget a namespace may set without CAP_NET_ADMIN in the initial user namespace (0: 1/16 of RAM, the default)");

static unsigned int max_pending_ceiling = 4096;
module_param(max_pending_ceiling, uint, 0644);
MODULE_PARM_DESC(max_pending_ceiling,
		 "Largest max_pending a namespace may set without CAP_NET_ADMIN in the initial user namespace");

static unsigned int max_waiters_ceiling = 64;
module_param(max_waiters_ceiling, uint, 0644);
MODULE_PARM_DESC(max_waiters_ceiling,
		 "Largest max_waiters a namespace may set without CAP_NET_ADMIN in the initial user namespace");

/*
 * One sixteenth of RAM lets a namespace hold a large cache (256 MiB on a
 * 4 GiB host, four times the default budget) while no namespace created
 * by an unprivileged user can take more than a small share of the host's
 * memory, whatever its memory cgroup allows.
 */
static u64 nfdns_default_bytes_ceiling(void)
{
	return ((u64)totalram_pages() << PAGE_SHIFT) / 16;
}

/**
 * nfdns_config_init() - settle the module-wide ceilings at load
 *
 * The default is written into the parameter so that it shows in sysfs.
 */
void __init nfdns_config_init(void)
{
	if (!max_bytes_ceiling)
		max_bytes_ceiling = nfdns_default_bytes_ceiling();
}

/**
 * nfdns_ceilings_get() - the module-wide ceilings as they are now
 * @ceil: filled in
 *
 * The parameters may be rewritten by root at any time; each is read once
 * and brought within the range of the setting it bounds, and a byte
 * ceiling of 0 means the default.
 */
void nfdns_ceilings_get(struct nfdns_ceilings *ceil)
{
	u64 bytes = READ_ONCE(max_bytes_ceiling);

	if (!bytes)
		bytes = nfdns_default_bytes_ceiling();
	ceil->max_bytes = clamp_t(u64, bytes, NFDNS_MAX_BYTES_MIN,
				  NFDNS_MAX_BYTES_MAX);
	ceil->max_pending = clamp_t(u32, READ_ONCE(max_pending_ceiling),
				    1, NFDNS_MAX_PENDING_MAX);
	ceil->max_waiters = clamp_t(u32, READ_ONCE(max_waiters_ceiling),
				    1, NFDNS_MAX_WAITERS_MAX);
}

/**
 * nfdns_config_over_ceiling() - which limit a change raises past its ceiling
 * @old: the settings in force
 * @new: the settings asked for
 * @ceil: the module-wide ceilings
 *
 * Lowering a limit, or keeping one that the initial namespace's
 * administrator set above the ceiling, needs no more privilege than any
 * other change.
 *
 * Return: the %NFDNS_CONF_A_* of the first limit raised above its
 * ceiling, or 0 when none is.
 */
int nfdns_config_over_ceiling(const struct nfdns_config *old,
			      const struct nfdns_config *new,
			      const struct nfdns_ceilings *ceil)
{
	if (new->max_bytes > ceil->max_bytes && new->max_bytes > old->max_bytes)
		return NFDNS_CONF_A_MAX_BYTES;
	if (new->max_pending > ceil->max_pending &&
	    new->max_pending > old->max_pending)
		return NFDNS_CONF_A_MAX_PENDING;
	if (new->max_waiters > ceil->max_waiters &&
	    new->max_waiters > old->max_waiters)
		return NFDNS_CONF_A_MAX_WAITERS;
	return 0;
}

/**
 * nfdns_config_defaults() - fill in the settings of a new namespace
 * @c: configuration to fill
 */
void nfdns_config_defaults(struct nfdns_config *c)
{
	struct nfdns_ceilings ceil;

	nfdns_ceilings_get(&ceil);
	memset(c, 0, sizeof(*c));
	/* A new namespace starts within what it may set itself. */
	c->max_bytes = min_t(u64, 64ULL << 20, ceil.max_bytes);
	c->max_entries = 262144;
	c->min_ttl = 0;
	c->max_ttl = 86400;
	c->neg_max_ttl = 3600;
	c->pending_timeout_ms = 5000;
	c->max_pending = min_t(u32, 4096, ceil.max_pending);
	c->max_waiters = min_t(u32, 64, ceil.max_waiters);
	c->mark = NFDNS_DEFAULT_MARK;
	c->serve_stale = 0;
	/*
	 * RFC 8767's client response timer: long enough for most cold
	 * resolutions, short enough to answer before the 2 s a stub commonly
	 * waits before it retries or gives up on a server.
	 */
	c->stale_answer_ms = 1800;
	c->stale_without_resolver = true;
	/* Unbound's rule: a hit in the last tenth of the TTL refreshes it. */
	c->prefetch_pct = 10;
	/*
	 * And any entry whose next query, at the pace of its queries so far,
	 * would come after it expires: what makes prefetch work for names
	 * asked less often than every tenth of their TTL.
	 */
	c->prefetch_adaptive = true;
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
 * CONFIG_SET's attribute policy has refused any value out of its range
 * already; this checks a whole configuration, the settings that depend on
 * each other (min_ttl and max_ttl) and the lengths of the lists.
 *
 * Return: 0, or -EINVAL with @why set.
 */
int nfdns_config_check(const struct nfdns_config *c, const char **why)
{
	unsigned int i;

	if (c->max_bytes < NFDNS_MAX_BYTES_MIN ||
	    c->max_bytes > NFDNS_MAX_BYTES_MAX) {
		*why = "max_bytes must be between 4096 and 2^40";
		return -EINVAL;
	}
	if (c->max_entries < 1 || c->max_entries > NFDNS_MAX_ENTRIES_MAX) {
		*why = "max_entries must be between 1 and 2^24";
		return -EINVAL;
	}
	if (c->max_ttl > NFDNS_TTL_MAX || c->neg_max_ttl > NFDNS_TTL_MAX) {
		*why = "TTL limits must not exceed 604800 seconds";
		return -EINVAL;
	}
	if (c->min_ttl > c->max_ttl) {
		*why = "min_ttl must not exceed max_ttl";
		return -EINVAL;
	}
	if (c->pending_timeout_ms < NFDNS_PENDING_TIMEOUT_MS_MIN ||
	    c->pending_timeout_ms > NFDNS_PENDING_TIMEOUT_MS_MAX) {
		*why = "pending_timeout_ms must be between 100 and 60000";
		return -EINVAL;
	}
	if (c->max_pending < 1 || c->max_pending > NFDNS_MAX_PENDING_MAX) {
		*why = "max_pending must be between 1 and 65536";
		return -EINVAL;
	}
	if (c->max_waiters < 1 || c->max_waiters > NFDNS_MAX_WAITERS_MAX) {
		*why = "max_waiters must be between 1 and 4096";
		return -EINVAL;
	}
	if (c->serve_stale > NFDNS_TTL_MAX) {
		*why = "serve_stale must not exceed 604800 seconds";
		return -EINVAL;
	}
	if (c->stale_answer_ms > NFDNS_STALE_ANSWER_MS_MAX) {
		*why = "stale_answer_ms must not exceed 60000";
		return -EINVAL;
	}
	if (c->prefetch_pct > NFDNS_PREFETCH_PCT_MAX) {
		*why = "prefetch_pct must be between 0 and 90";
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
	if (c->rrl_prefix4 < NFDNS_RRL_PREFIX4_MIN || c->rrl_prefix4 > 32) {
		*why = "rrl_prefix4 must be between 8 and 32";
		return -EINVAL;
	}
	if (c->rrl_prefix6 < NFDNS_RRL_PREFIX6_MIN || c->rrl_prefix6 > 128) {
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
