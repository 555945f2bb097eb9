/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfdns_hitbench: what the bench's own code shares with the nfdns files
 * it is built with.
 */
#ifndef _NFDNS_HITBENCH_H
#define _NFDNS_HITBENCH_H

#include <linux/netfilter.h>

struct net;
struct sock;
struct sk_buff;

/* What reply.c calls in place of ip_local_out() and ip6_local_out(). */
int nfdns_hitbench_xmit(struct net *net, struct sock *sk, struct sk_buff *skb);

/* The first of nfdns's hooks (hook.c keeps them static): IPv4 PRE_ROUTING. */
extern const struct nf_hook_ops *const nfdns_hitbench_ops;

#endif /* _NFDNS_HITBENCH_H */
