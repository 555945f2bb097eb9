// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: replies to clients, built from scratch and sent through the
 * routing stack.
 *
 * A reply comes from the address and port the client asked, whether that
 * address is this host's or not (a router answering for a server beyond
 * it), so routes are looked up with any source allowed, the way netfilter's
 * reject target sends its resets, and the packet leaves by the local output
 * path: it reaches a client on this host and a client elsewhere alike.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/xfrm.h>
#include <net/netfilter/nf_conntrack.h>

#include "internal.h"

#define NFDNS_HEADROOM	(LL_MAX_HEADER + sizeof(struct ipv6hdr) + \
			 sizeof(struct udphdr))

static struct sk_buff *nfdns_reply_alloc(unsigned int cap, u8 **payload)
{
	struct sk_buff *skb;

	skb = alloc_skb(NFDNS_HEADROOM + cap, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, NFDNS_HEADROOM);
	*payload = skb_put(skb, cap);
	return skb;
}

static int nfdns_xmit4(struct net *net, struct sk_buff *skb,
		       const struct nfdns_client *c)
{
	struct flowi4 fl4 = {
		.daddr = c->saddr.ip,
		.saddr = c->daddr.ip,
		.flowi4_proto = IPPROTO_UDP,
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
		.fl4_sport = c->dport,
		.fl4_dport = c->sport,
		.flowi4_mark = c->mark,
		.flowi4_oif = c->l3mdev,
	};
	struct udphdr *uh = udp_hdr(skb);
	struct rtable *rt;
	struct iphdr *iph;

	uh->check = csum_tcpudp_magic(c->daddr.ip, c->saddr.ip, skb->len,
				      IPPROTO_UDP, csum_partial(uh, skb->len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	skb_dst_set(skb, &rt->dst);

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(skb->len);
	/* Replies are sized to cross any path whole: never fragment one. */
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = c->daddr.ip;
	iph->daddr = c->saddr.ip;
	ip_select_ident(net, skb, NULL);
	skb->protocol = htons(ETH_P_IP);
	skb->ip_summed = CHECKSUM_NONE;
	/* ip_local_out() fills in the header checksum. */
	return ip_local_out(net, NULL, skb);
}

static int nfdns_xmit6(struct net *net, struct sk_buff *skb,
		       const struct nfdns_client *c)
{
	struct flowi6 fl6 = {
		.daddr = c->saddr.in6,
		.saddr = c->daddr.in6,
		.flowi6_proto = IPPROTO_UDP,
		.fl6_sport = c->dport,
		.fl6_dport = c->sport,
		.flowi6_mark = c->mark,
		.flowi6_oif = c->l3mdev,
	};
	struct udphdr *uh = udp_hdr(skb);
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;

	if (ipv6_addr_type(&c->saddr.in6) & IPV6_ADDR_LINKLOCAL)
		fl6.flowi6_oif = c->ifindex;
	uh->check = csum_ipv6_magic(&c->daddr.in6, &c->saddr.in6, skb->len,
				    IPPROTO_UDP, csum_partial(uh, skb->len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		int err = dst->error;

		dst_release(dst);
		kfree_skb(skb);
		return err;
	}
	/* IPsec policy, as nf_reject_ipv6 applies it to its resets. */
	dst = xfrm_lookup(net, dst, flowi6_to_flowi(&fl6), NULL, 0);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return PTR_ERR(dst);
	}
	skb_dst_set(skb, dst);

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = c->daddr.in6;
	ip6h->daddr = c->saddr.in6;
	skb->protocol = htons(ETH_P_IPV6);
	skb->ip_summed = CHECKSUM_NONE;
	return ip6_local_out(net, NULL, skb);
}

/* Put the UDP header in front of @len bytes of payload, and send. */
static int nfdns_xmit(struct net *net, struct sk_buff *skb,
		      const struct nfdns_client *c, unsigned int len)
{
	struct udphdr *uh;

	skb_trim(skb, len);
	skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh = udp_hdr(skb);
	uh->source = c->dport;
	uh->dest = c->sport;
	uh->len = htons(skb->len);
	uh->check = 0;
	skb->mark = c->mark;
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	/*
	 * The query never reached conntrack; neither does its reply, or every
	 * answer would leave an unreplied entry behind.
	 */
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
#endif
	if (c->family == NFPROTO_IPV4)
		return nfdns_xmit4(net, skb, c);
	return nfdns_xmit6(net, skb, c);
}

/* Counts the outcome of a send; the skb is gone whatever happened. */
static int nfdns_reply_sent(struct net *net, int err)
{
	struct nfdns_net *nn = nfdns_pernet(net);

	/* Congestion notification means the packet went out. */
	if (err > 0)
		err = net_xmit_errno(err);
	if (err < 0) {
		nfdns_stat_inc(nn, NFDNS_STAT_A_REPLY_ERRORS);
		return err;
	}
	nfdns_stat_inc(nn, NFDNS_STAT_A_ANSWERS);
	return 0;
}

/**
 * nfdns_reply_from_response() - answer a client from a stored response
 * @net: the namespace
 * @c: the client
 * @q: its query
 * @client_qname: its QNAME bytes
 * @resp: the response
 * @len: its length
 * @ttl_offs: offsets of its TTL fields
 * @n_ttl: their number
 * @elapsed: seconds to take off every TTL
 * @truncated: set when the answer did not fit and went out with TC=1
 *
 * Context: any but hard interrupt.
 * Return: 0 or a negative errno.
 */
int nfdns_reply_from_response(struct net *net, const struct nfdns_client *c,
			      const struct dnswire_query *q,
			      const u8 *client_qname, const u8 *resp,
			      unsigned int len, const u16 *ttl_offs,
			      unsigned int n_ttl, u32 elapsed, bool *truncated)
{
	unsigned int cap = min_t(size_t, len + DNSWIRE_OPT_LEN,
				 dnswire_reply_limit(q));
	struct sk_buff *skb;
	u8 *payload;
	int n;

	/* A truncated reply is the question alone, which always fits. */
	cap = max_t(unsigned int, cap, q->question_end + DNSWIRE_OPT_LEN);
	*truncated = false;
	skb = nfdns_reply_alloc(cap, &payload);
	if (!skb)
		return nfdns_reply_sent(net, -ENOMEM);
	n = dnswire_build_reply(payload, cap, resp, len, ttl_offs, n_ttl,
				elapsed, q, client_qname, truncated);
	if (n < 0) {
		kfree_skb(skb);
		return nfdns_reply_sent(net, n);
	}
	if (*truncated)
		nfdns_stat_inc(nfdns_pernet(net), NFDNS_STAT_A_TRUNCATED);
	return nfdns_reply_sent(net, nfdns_xmit(net, skb, c, n));
}

/**
 * nfdns_reply_error() - answer a client with an error and no records
 * @net: the namespace
 * @c: the client
 * @q: its query
 * @client_qname: its QNAME bytes
 * @rcode: the RCODE
 *
 * Context: any but hard interrupt.
 * Return: 0 or a negative errno.
 */
int nfdns_reply_error(struct net *net, const struct nfdns_client *c,
		      const struct dnswire_query *q, const u8 *client_qname,
		      u8 rcode)
{
	unsigned int cap = q->question_end + DNSWIRE_OPT_LEN;
	struct sk_buff *skb;
	u8 *payload;
	int n;

	skb = nfdns_reply_alloc(cap, &payload);
	if (!skb)
		return nfdns_reply_sent(net, -ENOMEM);
	n = dnswire_build_error(payload, cap, q, client_qname, rcode);
	if (n < 0) {
		kfree_skb(skb);
		return nfdns_reply_sent(net, n);
	}
	if (rcode == DNSWIRE_RCODE_SERVFAIL)
		nfdns_stat_inc(nfdns_pernet(net), NFDNS_STAT_A_SERVFAILS);
	return nfdns_reply_sent(net, nfdns_xmit(net, skb, c, n));
}

/**
 * nfdns_reply_truncated() - answer a client with TC=1 and the question
 * @net: the namespace
 * @c: the client
 * @q: its query
 *
 * Sent instead of an answer to a client over the rate limit, now and then,
 * so that a real client whose address a flood borrows retries over TCP.
 *
 * Context: any but hard interrupt.
 * Return: 0 or a negative errno.
 */
int nfdns_reply_truncated(struct net *net, const struct nfdns_client *c,
			  const struct dnswire_query *q)
{
	unsigned int cap = q->question_end + DNSWIRE_OPT_LEN;
	struct sk_buff *skb;
	u8 *payload;
	int n;

	skb = nfdns_reply_alloc(cap, &payload);
	if (!skb)
		return nfdns_reply_sent(net, -ENOMEM);
	n = dnswire_build_truncated(payload, cap, q, q->qname);
	if (n < 0) {
		kfree_skb(skb);
		return nfdns_reply_sent(net, n);
	}
	return nfdns_reply_sent(net, nfdns_xmit(net, skb, c, n));
}
