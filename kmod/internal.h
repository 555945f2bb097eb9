/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfdns: state shared by the parts of the module.
 */
#ifndef _NFDNS_INTERNAL_H
#define _NFDNS_INTERNAL_H

#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <linux/nfdns.h>

#define NFDNS_MAX_PORTS		8
#define NFDNS_MAX_ADDRS		16

/**
 * struct nfdns_config - the settings of one network namespace
 * @max_bytes: byte budget of the cache
 * @max_entries: entry limit of the cache
 * @min_ttl: shorter TTLs are raised to this (seconds)
 * @max_ttl: longer TTLs are lowered to this (seconds)
 * @neg_max_ttl: cap on the TTL of negative entries (seconds)
 * @pending_timeout_ms: how long a question waits for the resolver
 * @max_pending: questions pending at once
 * @max_waiters: clients waiting on one question
 * @mark: skb mark of packets that pass untouched (0: none)
 * @serve_stale: seconds an expired entry may still be served (0: off)
 * @norecurse_pass: queries with RD=0 pass untouched
 * @enabled: the hooks act at all
 * @n_ports: entries used in @ports
 * @ports: intercepted UDP destination ports
 * @n_addr4: entries used in @addr4
 * @n_addr6: entries used in @addr6
 * @addr4: intercepted IPv4 destinations (none: any)
 * @addr6: intercepted IPv6 destinations (none: any)
 * @rcu: frees a replaced configuration
 *
 * Readers see a whole configuration or the one before it: a change builds a
 * new copy and publishes it with RCU.
 */
struct nfdns_config {
	u64 max_bytes;
	u32 max_entries;
	u32 min_ttl;
	u32 max_ttl;
	u32 neg_max_ttl;
	u32 pending_timeout_ms;
	u32 max_pending;
	u32 max_waiters;
	u32 mark;
	u32 serve_stale;
	bool norecurse_pass;
	bool enabled;
	u8 n_ports;
	u8 n_addr4;
	u8 n_addr6;
	u16 ports[NFDNS_MAX_PORTS];
	__be32 addr4[NFDNS_MAX_ADDRS];
	struct in6_addr addr6[NFDNS_MAX_ADDRS];
	struct rcu_head rcu;
};

/**
 * struct nfdns_stats - one CPU's counters
 * @syncp: consistent 64-bit reads on 32-bit machines
 * @c: counters, indexed by &enum nfdns_stat_attr
 */
struct nfdns_stats {
	struct u64_stats_sync syncp;
	u64_stats_t c[__NFDNS_STAT_A_MAX];
};

/**
 * struct nfdns_net - per network namespace state
 * @net: the namespace
 * @config: current settings, read under RCU
 * @config_lock: serialises configuration changes
 * @resolver_lock: protects @resolver_portid
 * @resolver_portid: netlink port of the registered resolver (0: none)
 * @stats: per-CPU counters
 */
struct nfdns_net {
	struct net *net;
	struct nfdns_config __rcu *config;
	struct mutex config_lock;
	spinlock_t resolver_lock;
	u32 resolver_portid;
	struct nfdns_stats __percpu *stats;
};

extern unsigned int nfdns_net_id;

static inline struct nfdns_net *nfdns_pernet(const struct net *net)
{
	return net_generic(net, nfdns_net_id);
}

static inline void nfdns_stat_add(struct nfdns_net *nn, unsigned int which,
				  u64 n)
{
	struct nfdns_stats *s = get_cpu_ptr(nn->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->c[which], n);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(nn->stats);
}

static inline void nfdns_stat_inc(struct nfdns_net *nn, unsigned int which)
{
	nfdns_stat_add(nn, which, 1);
}

void nfdns_config_defaults(struct nfdns_config *c);
int nfdns_config_check(const struct nfdns_config *c, const char **why);

int nfdns_netlink_init(void);
void nfdns_netlink_exit(void);
void nfdns_stats_sum(struct nfdns_net *nn, u64 *sum);

#endif /* _NFDNS_INTERNAL_H */
