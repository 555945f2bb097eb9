// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: the netfilter hooks.  A DNS query to an intercepted port is
 * answered from the cache, or held while the resolver is asked; anything
 * else, and any query nfdns cannot handle, goes on untouched.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/l3mdev.h>

#include "internal.h"

/* A query larger than this is not one nfdns answers. */
#define NFDNS_QUERY_MAX		4096

static bool nfdns_port_wanted(const struct nfdns_config *cfg, __be16 port)
{
	unsigned int i;

	for (i = 0; i < cfg->n_ports; i++)
		if (cfg->ports[i] == ntohs(port))
			return true;
	return false;
}

static bool nfdns_addr_wanted(const struct nfdns_config *cfg,
			      const struct nfdns_client *c)
{
	unsigned int i;

	if (!cfg->n_addr4 && !cfg->n_addr6)
		return true;
	if (c->family == NFPROTO_IPV4) {
		for (i = 0; i < cfg->n_addr4; i++)
			if (cfg->addr4[i] == c->daddr.ip)
				return true;
	} else {
		for (i = 0; i < cfg->n_addr6; i++)
			if (ipv6_addr_equal(&cfg->addr6[i], &c->daddr.in6))
				return true;
	}
	return false;
}

static int nfdns_l3_ipv6(struct sk_buff *skb, struct nfdns_client *c)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	u8 nexthdr = ip6h->nexthdr;
	__be16 frag_off;
	int off;

	if (ipv6_addr_is_multicast(&ip6h->daddr) || ipv6_addr_any(&ip6h->saddr))
		return -1;
	off = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6h),
			       &nexthdr, &frag_off);
	if (off < 0 || nexthdr != IPPROTO_UDP || frag_off)
		return -1;
	c->saddr.in6 = ip6h->saddr;
	c->daddr.in6 = ip6h->daddr;
	return off;
}

/*
 * Find the UDP header of a unicast, unfragmented datagram and fill in the
 * client's addresses.  Returns the offset of the UDP header, or a negative
 * value for a packet nfdns does not look at.
 */
static int nfdns_l3(struct sk_buff *skb, u8 family, struct nfdns_client *c)
{
	/* A GSO or GRO train holds many datagrams: not one query. */
	if (skb_is_gso(skb))
		return -1;
	c->family = family;
	c->ifindex = skb->skb_iif ? skb->skb_iif :
		     (skb->dev ? skb->dev->ifindex : 0);
	c->mark = skb->mark;
	if (family == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
			return -1;
		if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr) ||
		    ipv4_is_zeronet(iph->daddr) || ipv4_is_zeronet(iph->saddr))
			return -1;
		c->saddr.ip = iph->saddr;
		c->daddr.ip = iph->daddr;
		return skb_network_offset(skb) + ip_hdrlen(skb);
	}
	return nfdns_l3_ipv6(skb, c);
}

/*
 * A datagram netfilter's defragmentation put back together before this
 * hook: it came in fragments, which a query nfdns answers never does.
 */
static bool nfdns_reassembled(const struct sk_buff *skb, u8 family)
{
	if (family == NFPROTO_IPV4)
		return IPCB(skb)->frag_max_size;
	return IP6CB(skb)->frag_max_size;
}

/* Answer from an expired entry, with TTL 30 (RFC 8767). */
static unsigned int nfdns_hook_stale(struct nfdns_net *nn, struct net *net,
				     struct sk_buff *skb,
				     const struct nfdns_client *c,
				     const struct dnswire_query *q,
				     const struct nfdns_entry *e)
{
	bool truncated;

	if (nfdns_reply_from_response(net, c, q, q->qname, nfdns_entry_resp(e),
				      e->resp_len, nfdns_entry_ttl_offs(e),
				      e->n_ttl, DNSWIRE_ELAPSED_STALE,
				      &truncated))
		return NF_ACCEPT;
	nfdns_stat_inc(nn, NFDNS_STAT_A_STALE_ANSWERS);
	consume_skb(skb);
	return NF_STOLEN;
}

static unsigned int nfdns_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct nfdns_net *nn = nfdns_pernet(state->net);
	const struct nfdns_config *cfg = nfdns_config_rcu(nn);
	struct dnswire_query q;
	struct nfdns_client c;
	struct nfdns_entry *e;
	struct nfdns_key key;
	const struct udphdr *uh;
	unsigned int ulen;
	bool truncated;
	int thoff, err;
	u64 seq, now;

	if (!cfg->enabled)
		return NF_ACCEPT;
	/*
	 * What arrives on loopback left by LOCAL_OUT, where nfdns saw it
	 * already; what arrives on a VRF device was seen on its slave.
	 */
	if (state->hook == NF_INET_PRE_ROUTING &&
	    (state->in->flags & IFF_LOOPBACK || netif_is_l3_master(state->in) ||
	     nfdns_reassembled(skb, state->pf)))
		return NF_ACCEPT;
	thoff = nfdns_l3(skb, state->pf, &c);
	if (thoff < 0 || !pskb_may_pull(skb, thoff + sizeof(*uh)))
		return NF_ACCEPT;
	uh = (const struct udphdr *)(skb->data + thoff);
	if (!nfdns_port_wanted(cfg, uh->dest))
		return NF_ACCEPT;
	if (!nfdns_addr_wanted(cfg, &c))
		return NF_ACCEPT;
	c.sport = uh->source;
	c.dport = uh->dest;
	err = nfdns_acl_check(cfg, state, skb, &c);
	if (err) {
		nfdns_stat_inc(nn, err);
		return NF_ACCEPT;
	}
	c.l3mdev = l3mdev_master_ifindex_rcu(state->hook == NF_INET_PRE_ROUTING ?
					     state->in : state->out);

	if (cfg->mark && skb->mark == cfg->mark) {
		nfdns_stat_inc(nn, NFDNS_STAT_A_PASS_MARKED);
		return NF_ACCEPT;
	}

	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) + DNSWIRE_HDR_LEN ||
	    ulen > NFDNS_QUERY_MAX + sizeof(*uh) || thoff + ulen > skb->len ||
	    !pskb_may_pull(skb, thoff + ulen)) {
		nfdns_stat_inc(nn, NFDNS_STAT_A_PASS_MALFORMED);
		return NF_ACCEPT;
	}
	uh = (const struct udphdr *)(skb->data + thoff);
	/* A zero IPv4 UDP checksum means none was computed. */
	if ((uh->check || c.family == NFPROTO_IPV6) &&
	    nf_checksum(skb, state->hook, thoff, IPPROTO_UDP, state->pf)) {
		nfdns_stat_inc(nn, NFDNS_STAT_A_PASS_MALFORMED);
		return NF_ACCEPT;
	}

	err = dnswire_parse_query((const u8 *)(uh + 1), ulen - sizeof(*uh), &q);
	if (err) {
		nfdns_stat_inc(nn, err == -EOPNOTSUPP ?
			       NFDNS_STAT_A_PASS_NOT_QUERY :
			       NFDNS_STAT_A_PASS_MALFORMED);
		return NF_ACCEPT;
	}
	if (!q.rd && cfg->norecurse_pass) {
		nfdns_stat_inc(nn, NFDNS_STAT_A_PASS_NORECURSE);
		return NF_ACCEPT;
	}

	if (state->hook == NF_INET_PRE_ROUTING) {
		switch (nfdns_rrl_check(nn, cfg, &c)) {
		case NFDNS_RRL_ANSWER:
			break;
		case NFDNS_RRL_SLIP:
			nfdns_stat_inc(nn, NFDNS_STAT_A_RRL_SLIPPED);
			nfdns_reply_truncated(state->net, &c, &q);
			consume_skb(skb);
			return NF_STOLEN;
		case NFDNS_RRL_DROP:
			nfdns_stat_inc(nn, NFDNS_STAT_A_RRL_DROPPED);
			return NF_DROP;
		}
	}
	key.name = q.qname_lc;
	key.name_len = q.qname_len;
	key.do_bit = (q.edns_do ? 1 : 0) | (q.cd ? NFDNS_KEY_CD : 0);
	key.qtype = q.qtype;
	key.qclass = q.qclass;

	e = nfdns_cache_lookup(nn, &key);
	if (e) {
		now = get_jiffies_64();
		if (nfdns_entry_fresh(e, now)) {
			err = nfdns_reply_from_response(state->net, &c, &q,
							q.qname,
							nfdns_entry_resp(e),
							e->resp_len,
							nfdns_entry_ttl_offs(e),
							e->n_ttl,
							nfdns_entry_age(e, now),
							&truncated);
			if (err)
				return NF_ACCEPT;
			nfdns_stat_inc(nn, NFDNS_STAT_A_HITS);
			/* The client has its answer: the refresh costs it nothing. */
			if (cfg->prefetch_pct && !nfdns_entry_static(e) &&
			    nfdns_entry_near_expiry(e, now, cfg->prefetch_pct,
						    cfg->prefetch_adaptive ?
						    nfdns_entry_count_hit(e) : 0) &&
			    nfdns_resolver_ready(nn) &&
			    nfdns_entry_claim_prefetch(e, now))
				nfdns_send_prefetch(nn, &key);
			consume_skb(skb);
			return NF_STOLEN;
		}
		if (!cfg->serve_stale || nfdns_entry_dead(e, now, cfg->serve_stale))
			e = NULL;
	}
	/* Local rules are looked at only here, so that a hit costs no more. */
	if (rcu_access_pointer(nn->local)) {
		err = nfdns_local_answer(nn, state->net, &c, &q);
		if (err < 0)
			return NF_ACCEPT;
		if (err > 0) {
			consume_skb(skb);
			return NF_STOLEN;
		}
	}
	nfdns_stat_inc(nn, NFDNS_STAT_A_MISSES);

	/* From here on, @e is an expired entry that may be served stale. */
	if (!nfdns_resolver_ready(nn)) {
		if (e && cfg->stale_without_resolver)
			return nfdns_hook_stale(nn, state->net, skb, &c, &q, e);
		nfdns_stat_inc(nn, NFDNS_STAT_A_PASS_FAIL_OPEN);
		return NF_ACCEPT;
	}
	/*
	 * RFC 6891 6.1.3: nfdns speaks EDNS version 0 only, and the resolver
	 * has nothing to add to BADVERS.
	 */
	if (q.edns && q.edns_version) {
		if (nfdns_reply_error(state->net, &c, &q, q.qname,
				      DNSWIRE_RCODE_BADVERS))
			return NF_ACCEPT;
		consume_skb(skb);
		return NF_STOLEN;
	}
	if (e && !cfg->stale_answer_ms) {
		/* Stale at once, and refreshed behind the client's back. */
		err = nfdns_hook_stale(nn, state->net, skb, &c, &q, e);
		if (err == NF_STOLEN && nfdns_entry_claim_stale_refresh(e, now))
			nfdns_send_prefetch(nn, &key);
		return err;
	}
	err = nfdns_pending_add(nn, &key, &c, &q, e, &seq);
	if (err == NFDNS_PENDING_STALE)
		return nfdns_hook_stale(nn, state->net, skb, &c, &q, e);
	if (err < 0) {
		nfdns_stat_inc(nn, NFDNS_STAT_A_PASS_OVER_LIMIT);
		return NF_ACCEPT;
	}
	if (err == 0) {
		nfdns_stat_inc(nn, NFDNS_STAT_A_COALESCED);
		consume_skb(skb);
		return NF_STOLEN;
	}
	if (nfdns_send_miss(nn, &key)) {
		nfdns_stat_inc(nn, NFDNS_STAT_A_UPCALL_ERRORS);
		/*
		 * The resolver cannot hear us: this query goes on its way,
		 * unless its question was answered meanwhile.
		 */
		if (nfdns_pending_cancel(nn, &key, seq))
			return NF_ACCEPT;
		consume_skb(skb);
		return NF_STOLEN;
	}
	nfdns_stat_inc(nn, NFDNS_STAT_A_UPCALLS);
	consume_skb(skb);
	return NF_STOLEN;
}

/* Before conntrack, so answered queries never create a connection. */
static const struct nf_hook_ops nfdns_hook_ops[] = {
	{
		.hook = nfdns_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_RAW + 1,
	},
	{
		.hook = nfdns_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_RAW + 1,
	},
	{
		.hook = nfdns_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_RAW + 1,
	},
	{
		.hook = nfdns_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_RAW + 1,
	},
};

/**
 * nfdns_hooks_register() - start intercepting queries in a namespace
 * @net: the namespace
 *
 * Return: 0 or a negative errno.
 */
int nfdns_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, nfdns_hook_ops,
				     ARRAY_SIZE(nfdns_hook_ops));
}

/**
 * nfdns_hooks_unregister() - stop intercepting queries in a namespace
 * @net: the namespace
 *
 * A hook already running may still be running on return; callers wait
 * for a grace period before freeing what the hooks use.
 */
void nfdns_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, nfdns_hook_ops, ARRAY_SIZE(nfdns_hook_ops));
}
