// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: response rate limiting against reflection.
 *
 * Answers to one source prefix (a /24 or a /56 by default) are limited
 * with a token bucket, as BIND's RRL does: over the limit a query is
 * dropped, or every rrl_slip-th one gets an empty TC=1 reply so that a
 * real client behind a spoofed flood retries over TCP.
 *
 * The buckets are a fixed array indexed by a seeded hash of the prefix, so
 * a flood of spoofed sources costs no memory: prefixes that share a bucket
 * share its limit.  The hash is jhash, not siphash: a spoofer can send from
 * any prefix, the victim's own included, so no hash keeps a bucket from
 * being drained, and the seed is only there so that real prefixes do not
 * share buckets in a pattern.  jhash costs a fraction of siphash's rounds on
 * every answer.  A bucket is one 64-bit word (the time it was last
 * filled and its credit) changed with cmpxchg, so the hit path takes no
 * lock; a lost race costs one token at most.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "internal.h"

#define NFDNS_RRL_BUCKETS	4096

/**
 * struct nfdns_rrl_bucket - the limit of the prefixes hashed here
 * @state: jiffies of the last refill (high 32 bits) and the credit (low
 *	32 bits), in units where one answer costs HZ and each jiffy adds
 *	rrl_rate
 * @over: queries over the limit, for the slip
 */
struct nfdns_rrl_bucket {
	atomic64_t state;
	atomic_t over;
};

/**
 * struct nfdns_rrl - the rate limit buckets of one namespace
 * @key: hashes prefixes so that a sender cannot aim at one bucket
 * @b: the buckets
 */
struct nfdns_rrl {
	u32 seed;
	struct nfdns_rrl_bucket b[NFDNS_RRL_BUCKETS];
};

/**
 * nfdns_rrl_init() - allocate the rate limit buckets of a namespace
 * @nn: the namespace
 *
 * Return: 0 or -ENOMEM.
 */
int nfdns_rrl_init(struct nfdns_net *nn)
{
	nn->rrl = kvzalloc(sizeof(*nn->rrl), GFP_KERNEL_ACCOUNT);
	if (!nn->rrl)
		return -ENOMEM;
	nn->rrl->seed = get_random_u32();
	return 0;
}

/**
 * nfdns_rrl_destroy() - free the rate limit buckets of a namespace
 * @nn: the namespace
 */
void nfdns_rrl_destroy(struct nfdns_net *nn)
{
	kvfree(nn->rrl);
	nn->rrl = NULL;
}

static u32 nfdns_rrl_hash(const struct nfdns_rrl *rrl,
			  const struct nfdns_config *cfg,
			  const struct nfdns_client *c)
{
	struct in6_addr prefix;

	if (c->family == NFPROTO_IPV4)
		return jhash_1word((__force u32)(c->saddr.ip &
					 inet_make_mask(cfg->rrl_prefix4)),
				   rrl->seed) % NFDNS_RRL_BUCKETS;
	ipv6_addr_prefix(&prefix, &c->saddr.in6, cfg->rrl_prefix6);
	return jhash2((__force const u32 *)prefix.s6_addr32, 4, rrl->seed) %
	       NFDNS_RRL_BUCKETS;
}

/* Take one answer's worth of credit at @now; false when there is none. */
static bool nfdns_rrl_take(struct nfdns_rrl_bucket *b, u32 rate, u32 now)
{
	/* One second of answers may go out at once. */
	u64 burst = (u64)rate * HZ, credit, cost = HZ;
	u32 then;
	s64 old, new;

	old = atomic64_read(&b->state);
	do {
		then = (u64)old >> 32;
		credit = (u32)old;
		/* A bucket never used, or idle for long, starts full. */
		if (!old || now - then > 2 * HZ)
			credit = burst;
		else
			credit = min(burst, credit + (u64)(now - then) * rate);
		if (credit < cost)
			return false;
		new = (s64)((u64)now << 32 | (credit - cost));
	} while (!atomic64_try_cmpxchg(&b->state, &old, new));
	return true;
}

static enum nfdns_rrl_verdict
nfdns_rrl_check_at(struct nfdns_net *nn, const struct nfdns_config *cfg,
		   const struct nfdns_client *c, u32 now)
{
	struct nfdns_rrl_bucket *b;

	if (!cfg->rrl_rate)
		return NFDNS_RRL_ANSWER;
	b = &nn->rrl->b[nfdns_rrl_hash(nn->rrl, cfg, c)];
	if (nfdns_rrl_take(b, cfg->rrl_rate, now))
		return NFDNS_RRL_ANSWER;
	if (cfg->rrl_slip && atomic_inc_return(&b->over) % cfg->rrl_slip == 0)
		return NFDNS_RRL_SLIP;
	return NFDNS_RRL_DROP;
}

/**
 * nfdns_rrl_check() - whether a query within the rate limit is answered
 * @nn: the namespace
 * @cfg: its settings
 * @c: the client
 *
 * Context: a netfilter hook, under RCU.
 * Return: %NFDNS_RRL_ANSWER, %NFDNS_RRL_DROP or %NFDNS_RRL_SLIP.
 */
enum nfdns_rrl_verdict nfdns_rrl_check(struct nfdns_net *nn,
				       const struct nfdns_config *cfg,
				       const struct nfdns_client *c)
{
	return nfdns_rrl_check_at(nn, cfg, c, (u32)jiffies);
}
