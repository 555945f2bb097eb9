// SPDX-License-Identifier: GPL-2.0
/*
 * reply.c, with the transmit replaced by the bench's stub: a reply is
 * built, checksummed and routed as it is for a client, then freed instead
 * of sent, so that the figures are nfdns's alone.
 *
 * The headers reply.c includes come first, so that their include guards
 * keep the macros below out of the declarations there.
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

#include "../internal.h"
#include "hitbench.h"

#define ip_local_out(net, sk, skb)	nfdns_hitbench_xmit(net, sk, skb)
#define ip6_local_out(net, sk, skb)	nfdns_hitbench_xmit(net, sk, skb)

#include "../reply.c"
