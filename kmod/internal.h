/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfdns: state shared by the parts of the module.
 */
#ifndef _NFDNS_INTERNAL_H
#define _NFDNS_INTERNAL_H

#include <linux/if.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/rhashtable.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <linux/nfdns.h>

#include "dnswire.h"

/* TTL fields one stored response may have (one per record). */
#define NFDNS_MAX_RRS		2048
#define NFDNS_PENDING_BUCKETS	1024

/**
 * struct nfdns_prefix4 - an IPv4 client prefix
 * @addr: the network, host bits clear
 * @mask: its netmask
 */
struct nfdns_prefix4 {
	__be32 addr;
	__be32 mask;
};

/**
 * struct nfdns_prefix6 - an IPv6 client prefix
 * @addr: the network, host bits clear
 * @len: its length in bits
 */
struct nfdns_prefix6 {
	struct in6_addr addr;
	u8 len;
};

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
 * @stale_answer_ms: how long a client of an expired entry waits for the
 *	resolver before it is answered stale (0: not at all)
 * @prefetch_pct: a hit with less than this percentage of the entry's TTL
 *	left prefetches it (0: never)
 * @stale_without_resolver: serve stale while no resolver is registered
 * @prefetch_adaptive: also prefetch an entry whose remaining TTL is shorter
 *	than the mean gap between its queries
 * @norecurse_pass: queries with RD=0 pass untouched
 * @enabled: the hooks act at all
 * @n_ports: entries used in @ports
 * @ports: intercepted UDP destination ports
 * @n_addr4: entries used in @addr4
 * @n_addr6: entries used in @addr6
 * @addr4: intercepted IPv4 destinations (none: any)
 * @addr6: intercepted IPv6 destinations (none: any)
 * @rrl_rate: answers per second per source prefix (0: no limit)
 * @rrl_slip: every this many limited queries gets a TC=1 reply instead of
 *	none (0: never)
 * @rrl_prefix4: IPv4 prefix length the rate limit counts by
 * @rrl_prefix6: IPv6 prefix length the rate limit counts by
 * @n_clients4: entries used in @clients4
 * @n_clients6: entries used in @clients6
 * @n_ifaces: entries used in @ifaces (none: every interface)
 * @clients4: IPv4 sources that are answered
 * @clients6: IPv6 sources that are answered
 * @ifaces: interfaces queries are answered on
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
	u32 stale_answer_ms;
	u32 prefetch_pct;
	bool stale_without_resolver;
	bool prefetch_adaptive;
	bool norecurse_pass;
	bool enabled;
	u8 n_ports;
	u8 n_addr4;
	u8 n_addr6;
	u16 ports[NFDNS_MAX_PORTS];
	__be32 addr4[NFDNS_MAX_ADDRS];
	struct in6_addr addr6[NFDNS_MAX_ADDRS];
	u32 rrl_rate;
	u32 rrl_slip;
	u8 rrl_prefix4;
	u8 rrl_prefix6;
	u8 n_clients4;
	u8 n_clients6;
	u8 n_ifaces;
	struct nfdns_prefix4 clients4[NFDNS_MAX_CLIENTS];
	struct nfdns_prefix6 clients6[NFDNS_MAX_CLIENTS];
	char ifaces[NFDNS_MAX_IFACES][IFNAMSIZ];
	struct rcu_head rcu;
};

/**
 * struct nfdns_ceilings - module-wide bounds on a namespace's memory limits
 * @max_bytes: highest &nfdns_config.max_bytes
 * @max_pending: highest &nfdns_config.max_pending
 * @max_waiters: highest &nfdns_config.max_waiters
 *
 * Raising a limit past its ceiling needs CAP_NET_ADMIN in the initial user
 * namespace; anything up to it, CAP_NET_ADMIN over the network namespace.
 */
struct nfdns_ceilings {
	u64 max_bytes;
	u32 max_pending;
	u32 max_waiters;
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
 * struct nfdns_key - what a cache entry or a pending question is found by
 * @name: lower-cased QNAME, wire format
 * @name_len: length of @name
 * @do_bit: the DNSSEC OK bit of the question, with %NFDNS_KEY_CD set
 *	when the question also had Checking Disabled (an answer fetched
 *	without validation must not reach a client that wants it validated)
 * @qtype: question type
 * @qclass: question class
 */
struct nfdns_key {
	const u8 *name;
	u8 name_len;
	u8 do_bit;
	u16 qtype;
	u16 qclass;
};

/* In &struct nfdns_key do_bit, next to the DO bit (1). */
#define NFDNS_KEY_CD		0x2

/**
 * struct nfdns_entry - one cached response
 * @node: in the namespace's hash table
 * @clock: on the eviction clock, or on the static list, under the cache
 *	lock
 * @rcu: frees the entry after the last reader
 * @stored: jiffies when stored
 * @ttl: seconds the entry is fresh, after clamping
 * @flags: %NFDNS_ENTRY_F_* bits
 * @size: bytes charged to the cache
 * @resp_len: length of the response
 * @n_ttl: TTL fields in the response
 * @qname_len: length of the question name (it starts at offset 12)
 * @do_bit: the DNSSEC OK bit of the key
 * @qtype: question type
 * @qclass: question class
 * @referenced: answered from since the clock hand last passed; set on a
 *	hit only when clear, so a busy entry is not written by every hit
 * @hits: hits while prefetch is on, saturating at NFDNS_ENTRY_HITS_MAX, so
 *	that a popular entry is not written by its hits for long
 * @refreshed: when a PREFETCH was last sent for the entry (jiffies, low
 *	bit set; 0: never); written only by the one hit that wins its
 *	cmpxchg (the fresh answer is a new entry, with 0)
 * @data: @n_ttl TTL offsets (u16), then the response with its question
 *	name lower-cased (the key)
 */
struct nfdns_entry {
	struct rhash_head node;
	struct list_head clock;
	struct rcu_head rcu;
	u64 stored;
	u32 ttl;
	u32 flags;
	u32 size;
	u16 resp_len;
	u16 n_ttl;
	u8 qname_len;
	u8 do_bit;
	u16 qtype;
	u16 qclass;
	u8 referenced;
	u8 hits;
	u32 refreshed;
	u8 data[] __aligned(2);
};

static inline const u16 *nfdns_entry_ttl_offs(const struct nfdns_entry *e)
{
	return (const u16 *)e->data;
}

static inline const u8 *nfdns_entry_resp(const struct nfdns_entry *e)
{
	return e->data + e->n_ttl * sizeof(u16);
}

static inline bool nfdns_entry_static(const struct nfdns_entry *e)
{
	return e->flags & NFDNS_ENTRY_F_STATIC;
}

/* A refresh of a stale entry is sent at most this often (RFC 8767 4). */
#define NFDNS_STALE_REFRESH_INTERVAL	(30 * HZ)

/* What &struct nfdns_entry refreshed holds: a time, and never 0. */
static inline u32 nfdns_refresh_stamp(u64 now)
{
	return (u32)now | 1;
}

/*
 * Claim the one PREFETCH of a fresh entry: true for exactly one caller.
 * The plain read first keeps the atomic off every later hit.
 */
static inline bool nfdns_entry_claim_prefetch(struct nfdns_entry *e, u64 now)
{
	return !READ_ONCE(e->refreshed) &&
	       !cmpxchg(&e->refreshed, 0, nfdns_refresh_stamp(now));
}

/*
 * Claim a refresh of an entry served stale: true for one caller per
 * NFDNS_STALE_REFRESH_INTERVAL, so that unreachable authorities are not
 * asked again by every client.
 */
static inline bool nfdns_entry_claim_stale_refresh(struct nfdns_entry *e,
						   u64 now)
{
	u32 last = READ_ONCE(e->refreshed);

	if (last && time_before32((u32)now, last + NFDNS_STALE_REFRESH_INTERVAL))
		return false;
	return cmpxchg(&e->refreshed, last, nfdns_refresh_stamp(now)) == last;
}

#define NFDNS_ENTRY_HITS_MAX	15

/* Count a hit, while the count is below its cap: the count after it. */
static inline u8 nfdns_entry_count_hit(struct nfdns_entry *e)
{
	u8 hits = READ_ONCE(e->hits);

	if (hits < NFDNS_ENTRY_HITS_MAX)
		WRITE_ONCE(e->hits, ++hits);
	return hits;
}

/*
 * Should a hit on a fresh entry refresh it?  When it is inside the last
 * @pct percent of its TTL; or, given @hits (0: not adaptive), when less
 * of its TTL is left than one and a half times the mean gap between the
 * queries that found it (its age over its hits): the next one would find
 * it expired, or nearly.  The half is the margin for a gap longer than
 * the mean, and for the age of a refreshed entry, which starts when its
 * answer landed rather than at a query.  Integer arithmetic on jiffies
 * only: it runs on every hit.
 */
static inline bool nfdns_entry_near_expiry(const struct nfdns_entry *e,
					   u64 now, u32 pct, u8 hits)
{
	u64 left = e->stored + (u64)e->ttl * HZ - now;

	if (left * 100 < (u64)e->ttl * HZ * pct)
		return true;
	return hits && left * hits * 2 < (now - e->stored) * 3;
}

/**
 * struct nfdns_cache - the response cache of one namespace
 * @table: entries by key; lookups are lock-free under RCU
 * @lock: serialises writers, all in process context; protects the lists
 *	and the counters, which are also read without it
 * @clock: entries that can be evicted, oldest first; the eviction clock
 *	hand is its head
 * @statics: static entries, never evicted, so never on the clock
 * @entries: entries in @table, static ones included
 * @bytes: bytes charged, static entries included
 * @n_static: entries on @statics
 * @static_bytes: bytes of the entries on @statics
 * @reclaim: periodic removal of expired entries, queued only while
 *	@clock is not empty
 */
struct nfdns_cache {
	struct rhashtable table;
	struct mutex lock;
	struct list_head clock;
	struct list_head statics;
	u32 entries;
	u64 bytes;
	u32 n_static;
	u64 static_bytes;
	struct delayed_work reclaim;
};

/**
 * struct nfdns_client - where a query came from and what it asked
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6
 * @saddr: the client's address
 * @daddr: the address the client sent the query to (the reply's source)
 * @sport: the client's port
 * @dport: the port the client asked (the reply's source port)
 * @ifindex: interface the query came in on or left by
 * @l3mdev: the VRF device @ifindex is enslaved to (0: none)
 * @mark: skb mark of the query, given to the reply
 */
struct nfdns_client {
	u8 family;
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
	int ifindex;
	int l3mdev;
	u32 mark;
};

/**
 * struct nfdns_pending_table - questions waiting for the resolver
 * @lock: protects everything here and the pending entries
 * @buckets: pending questions by key hash
 * @count: pending questions
 * @waiters: waiting clients, over all questions
 * @bytes: memory held by the questions and their waiters
 * @seq: the last question's sequence number
 */
struct nfdns_pending_table {
	spinlock_t lock;
	struct hlist_head buckets[NFDNS_PENDING_BUCKETS];
	u32 count;
	u32 waiters;
	u64 bytes;
	u64 seq;
};

struct nfdns_rrl;
struct nfdns_local_set;

/**
 * struct nfdns_net - per network namespace state
 * @net: the namespace
 * @config: current settings, read under RCU
 * @config_lock: serialises configuration changes
 * @resolver_lock: protects @resolver_sk and @resolver_portid
 * @resolver_sk: socket of the registered resolver, referenced (NULL: none)
 * @resolver_portid: its netlink port (0: none); read without the lock
 *	only as a hint
 * @stats: per-CPU counters
 * @cache: the response cache
 * @pending: questions waiting for the resolver
 * @rrl: response rate limit buckets
 * @local: the active local rules (NULL: none), read under RCU
 * @local_lock: serialises changes to the local rules
 * @local_staged: local rules being built, by @local_staged_portid
 * @local_staged_portid: netlink port staging rules (0: none); read without
 *	the lock only as a hint
 * @local_staged_failed: an add of @local_staged_portid failed: its adds
 *	and commit are refused until it aborts
 * @local_rules: gauge: rules in @local
 * @local_bytes: gauge: bytes of @local and @local_staged
 */
struct nfdns_net {
	struct net *net;
	struct nfdns_config __rcu *config;
	struct mutex config_lock;
	spinlock_t resolver_lock;
	struct sock *resolver_sk;
	u32 resolver_portid;
	struct nfdns_stats __percpu *stats;
	struct nfdns_cache cache;
	struct nfdns_pending_table *pending;
	struct nfdns_rrl *rrl;
	struct nfdns_local_set __rcu *local;
	struct mutex local_lock;
	struct nfdns_local_set *local_staged;
	u32 local_staged_portid;
	bool local_staged_failed;
	u32 local_rules;
	u64 local_bytes;
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

static inline struct nfdns_config *nfdns_config_rcu(struct nfdns_net *nn)
{
	return rcu_dereference(nn->config);
}

void nfdns_config_init(void);
void nfdns_ceilings_get(struct nfdns_ceilings *ceil);
void nfdns_config_defaults(struct nfdns_config *c);
int nfdns_config_check(const struct nfdns_config *c, const char **why);
int nfdns_config_add_client4(struct nfdns_config *c, __be32 addr, u8 len);
int nfdns_config_add_client6(struct nfdns_config *c,
			     const struct in6_addr *addr, u8 len);
int nfdns_config_over_ceiling(const struct nfdns_config *old,
			      const struct nfdns_config *new,
			      const struct nfdns_ceilings *ceil);

u32 nfdns_key_hash(const struct nfdns_key *key);

void nfdns_cache_secret_init(void);
int nfdns_cache_init(struct nfdns_net *nn);
void nfdns_cache_destroy(struct nfdns_net *nn);
struct nfdns_entry *nfdns_cache_lookup(struct nfdns_net *nn,
				       const struct nfdns_key *key);
bool nfdns_entry_fresh(const struct nfdns_entry *e, u64 now);
u32 nfdns_entry_age(const struct nfdns_entry *e, u64 now);
u32 nfdns_entry_remaining(const struct nfdns_entry *e, u64 now);
bool nfdns_entry_dead(const struct nfdns_entry *e, u64 now, u32 serve_stale);
int nfdns_cache_insert(struct nfdns_net *nn, const struct nfdns_key *key,
		       const u8 *resp, unsigned int len, const u16 *ttl_offs,
		       unsigned int n_ttl, u32 ttl, u32 flags,
		       const char **why);
u64 nfdns_cache_delete(struct nfdns_net *nn, const u8 *name, u8 name_len,
		       int qtype, bool subtree);
u64 nfdns_cache_flush(struct nfdns_net *nn);
u64 nfdns_cache_delete_if(struct nfdns_net *nn,
			  bool (*covered)(const u8 *name, u8 len,
					  const void *arg),
			  const void *arg);
extern const struct rhashtable_params nfdns_cache_params;

void nfdns_local_secret_init(void);
void nfdns_local_init(struct nfdns_net *nn);
void nfdns_local_destroy(struct nfdns_net *nn);
struct nfdns_local_set *nfdns_local_set_alloc(void);
void nfdns_local_set_free(struct nfdns_local_set *set);
u32 nfdns_local_set_rules(const struct nfdns_local_set *set);
u64 nfdns_local_set_bytes(const struct nfdns_local_set *set);
int nfdns_local_set_add(struct nfdns_local_set *set, const u8 *name, u8 len,
			u8 match, u8 action, const __be32 *addr4,
			const struct in6_addr *addr6, u32 ttl);
bool nfdns_local_covers(const struct nfdns_local_set *set, const u8 *name,
			u8 len);
struct nfdns_local_set *nfdns_local_stage(struct nfdns_net *nn, u32 portid);
void nfdns_local_staged_grew(struct nfdns_net *nn, u64 before);
void nfdns_local_abort(struct nfdns_net *nn, u32 portid);
void nfdns_local_fail_staged(struct nfdns_net *nn, u32 portid);
s64 nfdns_local_commit(struct nfdns_net *nn, u32 portid);
struct nfdns_client;
int nfdns_local_answer(struct nfdns_net *nn, struct net *net,
		       const struct nfdns_client *c,
		       const struct dnswire_query *q);

int nfdns_pending_init(struct nfdns_net *nn);
void nfdns_pending_destroy(struct nfdns_net *nn);
/* nfdns_pending_add(): answer the client from the stale entry now. */
#define NFDNS_PENDING_STALE	2
int nfdns_pending_add(struct nfdns_net *nn, const struct nfdns_key *key,
		      const struct nfdns_client *client,
		      const struct dnswire_query *q,
		      const struct nfdns_entry *stale, u64 *seq);
bool nfdns_pending_cancel(struct nfdns_net *nn, const struct nfdns_key *key,
			  u64 seq);
int nfdns_pending_answer(struct nfdns_net *nn, const struct nfdns_key *key,
			 const u8 *resp, unsigned int len,
			 const u16 *ttl_offs, unsigned int n_ttl);
int nfdns_pending_fail(struct nfdns_net *nn, const struct nfdns_key *key,
		       u8 rcode);
void nfdns_pending_fail_all(struct nfdns_net *nn);
void nfdns_pending_drain(struct nfdns_net *nn, bool answer);

int nfdns_reply_from_response(struct net *net, const struct nfdns_client *c,
			      const struct dnswire_query *q,
			      const u8 *client_qname, const u8 *resp,
			      unsigned int len, const u16 *ttl_offs,
			      unsigned int n_ttl, u32 elapsed, bool *truncated);
int nfdns_reply_error(struct net *net, const struct nfdns_client *c,
		      const struct dnswire_query *q, const u8 *client_qname,
		      u8 rcode);
int nfdns_reply_truncated(struct net *net, const struct nfdns_client *c,
			  const struct dnswire_query *q);

int nfdns_acl_check(const struct nfdns_config *cfg,
		    const struct nf_hook_state *state,
		    const struct sk_buff *skb, const struct nfdns_client *c);
bool nfdns_iface_wanted(const struct nfdns_config *cfg,
			const struct net_device *dev);

/* What nfdns_rrl_check() tells the hook to do with a query. */
enum nfdns_rrl_verdict {
	NFDNS_RRL_ANSWER,
	NFDNS_RRL_DROP,
	NFDNS_RRL_SLIP,
};

int nfdns_rrl_init(struct nfdns_net *nn);
void nfdns_rrl_destroy(struct nfdns_net *nn);
enum nfdns_rrl_verdict nfdns_rrl_check(struct nfdns_net *nn,
				       const struct nfdns_config *cfg,
				       const struct nfdns_client *c);

int nfdns_hooks_register(struct net *net);
void nfdns_hooks_unregister(struct net *net);

bool nfdns_resolver_ready(const struct nfdns_net *nn);
void nfdns_resolver_release(struct nfdns_net *nn);
int nfdns_send_miss(struct nfdns_net *nn, const struct nfdns_key *key);
void nfdns_send_prefetch(struct nfdns_net *nn, const struct nfdns_key *key);
int nfdns_netlink_init(void);
void nfdns_netlink_exit(void);
void nfdns_stats_sum(struct nfdns_net *nn, u64 *sum);

#endif /* _NFDNS_INTERNAL_H */
