// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: whom a query is answered for.
 *
 * The hooks run before the kernel's own martian and reverse-path checks,
 * before conntrack and before the filter table, so a query that nfdns
 * answers never meets them.  What they would have refused, nfdns refuses
 * here: it lets the packet pass untouched, and the stack then does with
 * it whatever it does without nfdns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "internal.h"

static bool nfdns_client4_wanted(const struct nfdns_config *cfg, __be32 a)
{
	unsigned int i;

	for (i = 0; i < cfg->n_clients4; i++)
		if ((a & cfg->clients4[i].mask) == cfg->clients4[i].addr)
			return true;
	return false;
}

static bool nfdns_client6_wanted(const struct nfdns_config *cfg,
				 const struct in6_addr *a)
{
	unsigned int i;

	for (i = 0; i < cfg->n_clients6; i++)
		if (ipv6_prefix_equal(a, &cfg->clients6[i].addr,
				      cfg->clients6[i].len))
			return true;
	return false;
}

/*
 * A query from another host, as the routing input path would judge it:
 * the cheap tests on the addresses first, then one lookup in the local
 * table for each address (small: the host's own and broadcast addresses).
 */
static int nfdns_martian4(struct net *net, const struct net_device *in,
			  __be32 saddr, __be32 daddr)
{
	if (ipv4_is_loopback(saddr) || ipv4_is_multicast(saddr) ||
	    ipv4_is_lbcast(saddr) || ipv4_is_zeronet(saddr))
		return NFDNS_STAT_A_PASS_MARTIAN;
	/* A directed broadcast is PACKET_HOST at the link layer. */
	if (inet_addr_type_dev_table(net, in, daddr) == RTN_BROADCAST)
		return NFDNS_STAT_A_PASS_NOT_HOST;
	switch (inet_addr_type_dev_table(net, in, saddr)) {
	case RTN_LOCAL:
	case RTN_BROADCAST:
	case RTN_MULTICAST:
		return NFDNS_STAT_A_PASS_MARTIAN;
	}
	return 0;
}

static int nfdns_martian6(struct net *net, const struct in6_addr *saddr)
{
	int type = ipv6_addr_type(saddr);

	if (type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_MULTICAST) ||
	    type == IPV6_ADDR_ANY || ipv6_addr_v4mapped(saddr))
		return NFDNS_STAT_A_PASS_MARTIAN;
	if (ipv6_chk_addr(net, saddr, NULL, 0))
		return NFDNS_STAT_A_PASS_MARTIAN;
	return 0;
}

/**
 * nfdns_iface_wanted() - whether queries on an interface are answered
 * @cfg: the namespace's settings
 * @dev: the interface the query came in on or leaves by
 *
 * Loopback always is: it carries only this host's own queries.
 *
 * Return: true when @dev is loopback, is listed in ifaces, or that list
 * is empty.
 */
bool nfdns_iface_wanted(const struct nfdns_config *cfg,
			const struct net_device *dev)
{
	unsigned int i;

	if (!cfg->n_ifaces)
		return true;
	if (!dev)
		return false;
	if (dev->flags & IFF_LOOPBACK)
		return true;
	for (i = 0; i < cfg->n_ifaces; i++)
		if (!strncmp(dev->name, cfg->ifaces[i], IFNAMSIZ))
			return true;
	return false;
}

/**
 * nfdns_acl_check() - whether a query may be answered at all
 * @cfg: the namespace's settings
 * @state: the hook it is seen at
 * @skb: the query
 * @c: its addresses, as the hook found them
 *
 * Context: a netfilter hook, under RCU.
 * Return: 0 when nfdns may answer, else the counter
 * (%NFDNS_STAT_A_PASS_*) of the reason it lets the query pass.
 */
int nfdns_acl_check(const struct nfdns_config *cfg,
		    const struct nf_hook_state *state,
		    const struct sk_buff *skb, const struct nfdns_client *c)
{
	bool outside = state->hook == NF_INET_PRE_ROUTING;
	const struct net_device *dev = outside ? state->in : state->out;
	int why;

	if (outside && skb->pkt_type != PACKET_HOST)
		return NFDNS_STAT_A_PASS_NOT_HOST;
	if (c->family == NFPROTO_IPV4 ?
	    !nfdns_client4_wanted(cfg, c->saddr.ip) :
	    !nfdns_client6_wanted(cfg, &c->saddr.in6))
		return NFDNS_STAT_A_PASS_ACL;
	if (!nfdns_iface_wanted(cfg, dev))
		return NFDNS_STAT_A_PASS_IFACE;
	/* Last, as the only tests here that look anything up. */
	if (outside && !(dev->flags & IFF_LOOPBACK)) {
		why = c->family == NFPROTO_IPV4 ?
		      nfdns_martian4(state->net, dev, c->saddr.ip,
				     c->daddr.ip) :
		      nfdns_martian6(state->net, &c->saddr.in6);
		if (why)
			return why;
	}
	return 0;
}
