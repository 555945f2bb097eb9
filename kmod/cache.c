// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: the response cache of a namespace.
 *
 * Readers (the hooks) look entries up under RCU and write nothing but an
 * entry's referenced mark, and that only when it is clear.  Writers (netlink
 * commands, the reclaim work) serialise on the cache mutex: nothing in
 * softirq context takes it, so the long walks (flush, delete, reclaim) can
 * reschedule, and drop it between batches, instead of holding softirqs off.
 *
 * Evictable entries sit on one list, the eviction clock.  When the cache
 * is over its entry limit or byte budget, the hand at the head of the list
 * evicts expired entries and entries not referenced since it last passed,
 * and gives referenced ones a second chance.  Static entries are never
 * evicted, so they live on a list of their own that the hand never walks;
 * they still count against both limits.
 *
 * Entries are charged to the memory cgroup of the process that inserts
 * them (the resolver, or whoever runs nfdnsctl), and an insert that cannot
 * be charged is refused rather than waking the OOM killer: a cache can
 * always do without one more entry.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/siphash.h>
#include <linux/slab.h>

#include "internal.h"

#define NFDNS_RECLAIM_INTERVAL	HZ
#define NFDNS_RECLAIM_BATCH	4096
/* Entries a flush or a delete handles per hold of the cache mutex. */
#define NFDNS_WALK_BATCH	1024
/*
 * Longest an error response (SERVFAIL, REFUSED, any RCODE other than
 * NOERROR and NXDOMAIN) is kept, whatever TTL comes with it.  RFC 2308
 * section 7 allows at most five minutes; RFC 9520 asks for at least one
 * second and suggests five to start with, which is also what Unbound keeps
 * a SERVFAIL for.  Long enough to absorb a storm of identical queries,
 * short enough that a recovered zone is seen again at once.
 */
#define NFDNS_ERROR_MAX_TTL	5

static siphash_key_t nfdns_hash_secret __ro_after_init;

/*
 * The name goes through SipHash with the secret key, so remote clients
 * cannot aim many names at one bucket; a second keyed round takes in type,
 * class, DO and the table's seed, so that every part of the key, and the
 * seed a rehash changes, decides the bucket.
 */
static u32 nfdns_key_hash_seed(const struct nfdns_key *key, u32 seed)
{
	u64 h = siphash(key->name, key->name_len, &nfdns_hash_secret);

	h = siphash_3u64(h, seed, (u64)key->qtype << 32 |
			 (u64)key->qclass << 16 | key->do_bit,
			 &nfdns_hash_secret);
	return (u32)(h ^ (h >> 32));
}

/**
 * nfdns_key_hash() - keyed hash of a question, for tables without a seed
 * @key: the question
 *
 * Return: the hash.
 */
u32 nfdns_key_hash(const struct nfdns_key *key)
{
	return nfdns_key_hash_seed(key, 0);
}

static u32 nfdns_hashfn(const void *data, u32 len, u32 seed)
{
	return nfdns_key_hash_seed(data, seed);
}

static u32 nfdns_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct nfdns_entry *e = data;
	struct nfdns_key key = {
		.name = nfdns_entry_resp(e) + DNSWIRE_HDR_LEN,
		.name_len = e->qname_len,
		.do_bit = e->do_bit,
		.qtype = e->qtype,
		.qclass = e->qclass,
	};

	return nfdns_key_hash_seed(&key, seed);
}

static int nfdns_obj_cmpfn(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct nfdns_key *key = arg->key;
	const struct nfdns_entry *e = obj;

	return !(e->qname_len == key->name_len && e->qtype == key->qtype &&
		 e->qclass == key->qclass && e->do_bit == key->do_bit &&
		 !memcmp(nfdns_entry_resp(e) + DNSWIRE_HDR_LEN, key->name,
			 key->name_len));
}

const struct rhashtable_params nfdns_cache_params = {
	.head_offset = offsetof(struct nfdns_entry, node),
	.hashfn = nfdns_hashfn,
	.obj_hashfn = nfdns_obj_hashfn,
	.obj_cmpfn = nfdns_obj_cmpfn,
	.min_size = 64,
	.automatic_shrinking = true,
};

/**
 * nfdns_entry_fresh() - may the entry still be served as a normal answer?
 * @e: the entry
 * @now: get_jiffies_64()
 *
 * Return: true while its TTL runs, and always for a static entry.
 */
bool nfdns_entry_fresh(const struct nfdns_entry *e, u64 now)
{
	if (e->flags & NFDNS_ENTRY_F_STATIC)
		return true;
	return time_before64(now, e->stored + (u64)e->ttl * HZ);
}

/**
 * nfdns_entry_age() - seconds the entry has spent in the cache
 * @e: the entry
 * @now: get_jiffies_64()
 *
 * Return: the age, 0 for a static entry (whose TTLs never count down).
 */
u32 nfdns_entry_age(const struct nfdns_entry *e, u64 now)
{
	if (e->flags & NFDNS_ENTRY_F_STATIC || time_before64(now, e->stored))
		return 0;
	return (u32)div_u64(now - e->stored, HZ);
}

/**
 * nfdns_entry_remaining() - seconds before the entry expires
 * @e: the entry
 * @now: get_jiffies_64()
 *
 * Return: the seconds left, 0 once expired; the TTL for a static entry.
 */
u32 nfdns_entry_remaining(const struct nfdns_entry *e, u64 now)
{
	u32 age = nfdns_entry_age(e, now);

	return age >= e->ttl ? 0 : e->ttl - age;
}

/**
 * nfdns_cache_lookup() - find the entry of a question
 * @nn: namespace state
 * @key: the question
 *
 * Context: under rcu_read_lock(); the entry stays valid until it is
 * released.
 * Return: the entry, fresh or not, or NULL.
 */
struct nfdns_entry *nfdns_cache_lookup(struct nfdns_net *nn,
				       const struct nfdns_key *key)
{
	struct nfdns_entry *e;

	e = rhashtable_lookup(&nn->cache.table, key, nfdns_cache_params);
	if (e && !READ_ONCE(e->referenced))
		WRITE_ONCE(e->referenced, 1);
	return e;
}

/**
 * nfdns_entry_dead() - is the entry past its TTL and the serve-stale window?
 * @e: the entry
 * @now: get_jiffies_64()
 * @serve_stale: seconds an expired entry may still be served
 *
 * Return: true once the entry may be neither served nor kept.
 */
bool nfdns_entry_dead(const struct nfdns_entry *e, u64 now, u32 serve_stale)
{
	if (e->flags & NFDNS_ENTRY_F_STATIC)
		return false;
	return !time_before64(now, e->stored +
			      ((u64)e->ttl + serve_stale) * HZ);
}

/*
 * The counters are written under the mutex and read without it (by
 * STATS_GET, which must not wait behind a flush).
 */
static void nfdns_cache_account(struct nfdns_cache *c,
				const struct nfdns_entry *e, int sign)
{
	WRITE_ONCE(c->entries, c->entries + sign);
	WRITE_ONCE(c->bytes, c->bytes + sign * (s64)e->size);
	if (nfdns_entry_static(e)) {
		c->n_static += sign;
		c->static_bytes += sign * (s64)e->size;
	}
}

static void nfdns_cache_unlink(struct nfdns_net *nn, struct nfdns_entry *e)
{
	struct nfdns_cache *c = &nn->cache;

	lockdep_assert_held(&c->lock);
	rhashtable_remove_fast(&c->table, &e->node, nfdns_cache_params);
	list_del(&e->clock);
	nfdns_cache_account(c, e, -1);
	kfree_rcu(e, rcu);
}

/*
 * The limits an insert works against, copied out of the configuration so
 * that no RCU read section spans a walk that may reschedule.
 */
struct nfdns_insert_limits {
	u64 max_bytes;
	u32 max_entries;
	u32 min_ttl;
	u32 max_ttl;
	u32 neg_max_ttl;
};

static void nfdns_insert_limits(struct nfdns_net *nn,
				struct nfdns_insert_limits *l)
{
	const struct nfdns_config *cfg;

	rcu_read_lock();
	cfg = nfdns_config_rcu(nn);
	l->max_bytes = cfg->max_bytes;
	l->max_entries = cfg->max_entries;
	l->min_ttl = cfg->min_ttl;
	l->max_ttl = cfg->max_ttl;
	l->neg_max_ttl = cfg->neg_max_ttl;
	rcu_read_unlock();
}

/*
 * Evict until one more entry of @size bytes fits.  The caller has checked
 * that static entries leave room for it, so the clock alone can make it;
 * every entry is passed at most twice (once to clear its mark, once to
 * evict it).
 */
static bool nfdns_cache_make_room(struct nfdns_net *nn,
				  const struct nfdns_insert_limits *l,
				  u32 size, u64 now)
{
	struct nfdns_cache *c = &nn->cache;
	struct nfdns_entry *e;
	u64 steps = 2ULL * (c->entries - c->n_static) + 1;

	while (c->entries + 1 > l->max_entries ||
	       c->bytes + size > l->max_bytes) {
		if (list_empty(&c->clock) || !steps--)
			return false;
		e = list_first_entry(&c->clock, struct nfdns_entry, clock);
		if (!nfdns_entry_fresh(e, now)) {
			nfdns_stat_inc(nn, NFDNS_STAT_A_EXPIRATIONS);
		} else if (READ_ONCE(e->referenced)) {
			WRITE_ONCE(e->referenced, 0);
			list_move_tail(&e->clock, &c->clock);
			continue;
		} else {
			nfdns_stat_inc(nn, NFDNS_STAT_A_EVICTIONS);
		}
		nfdns_cache_unlink(nn, e);
		/* A lowered limit can make one insert evict very many. */
		cond_resched();
	}
	return true;
}

/*
 * The TTL an entry is kept for: the pushed one within the namespace's
 * limits; briefly for an error; as given for a static entry, which the
 * operator put there and which never expires.
 */
static u32 nfdns_entry_clamp_ttl(const struct nfdns_insert_limits *l,
				 const u8 *resp, u32 ttl, u32 flags)
{
	u8 rcode = resp[3] & DNSWIRE_F2_RCODE;

	if (flags & NFDNS_ENTRY_F_STATIC)
		return ttl;
	if (flags & NFDNS_ENTRY_F_NEGATIVE)
		ttl = min(ttl, l->neg_max_ttl);
	ttl = clamp(ttl, l->min_ttl, l->max_ttl);
	if (rcode != DNSWIRE_RCODE_NOERROR && rcode != DNSWIRE_RCODE_NXDOMAIN)
		ttl = min_t(u32, ttl, NFDNS_ERROR_MAX_TTL);
	return ttl;
}

/*
 * No record may outlive its entry: a record TTL above the entry's is
 * lowered to it, so no hit serves a TTL longer than the entry is kept
 * (max_ttl, or the cap on errors).  Shorter record TTLs stay as they are.
 */
static void nfdns_entry_lower_ttls(struct nfdns_entry *e)
{
	const u16 *offs = nfdns_entry_ttl_offs(e);
	u8 *resp = e->data + e->n_ttl * sizeof(u16);
	unsigned int i;

	for (i = 0; i < e->n_ttl; i++)
		if (get_unaligned_be32(resp + offs[i]) > e->ttl)
			put_unaligned_be32(e->ttl, resp + offs[i]);
}

static size_t nfdns_entry_size(unsigned int len, unsigned int n_ttl)
{
	return kmalloc_size_roundup(sizeof(struct nfdns_entry) +
				    n_ttl * sizeof(u16) + len);
}

/**
 * nfdns_cache_insert() - store a validated response
 * @nn: namespace state
 * @key: the question, name lower-cased
 * @resp: the response, already validated against @key
 * @len: its length
 * @ttl_offs: offsets of its TTL fields
 * @n_ttl: number of offsets
 * @ttl: TTL, clamped here by the namespace's limits
 * @flags: %NFDNS_ENTRY_F_STATIC and/or %NFDNS_ENTRY_F_NEGATIVE
 * @why: set to a reason on failure
 *
 * An entry of the same question is replaced in place: lookups find one
 * or the other at every moment.  The stored copy's record
 * TTLs are lowered to the entry's TTL.  The memory is charged to the
 * caller's memory cgroup.
 *
 * Context: process; takes the cache mutex.
 * Return: 0; -E2BIG when the entry alone exceeds max_bytes; -ENOSPC when
 * static entries leave no room for it (nothing is evicted then); -ENOMEM,
 * also when the caller's memory cgroup is at its limit.
 */
int nfdns_cache_insert(struct nfdns_net *nn, const struct nfdns_key *key,
		       const u8 *resp, unsigned int len, const u16 *ttl_offs,
		       unsigned int n_ttl, u32 ttl, u32 flags,
		       const char **why)
{
	struct nfdns_cache *c = &nn->cache;
	struct nfdns_insert_limits lim;
	struct nfdns_entry *e, *old;
	u64 keep_bytes, now;
	size_t size;
	u32 keep;
	int err;

	nfdns_insert_limits(nn, &lim);
	size = nfdns_entry_size(len, n_ttl);
	if (size > lim.max_bytes)
		goto too_big;
	/*
	 * No retry and no warning: past the cgroup's limit the insert fails
	 * instead of OOM-killing the resolver for the sake of a cache entry.
	 */
	e = kmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN);
	if (!e) {
		*why = "out of memory (or at the memory cgroup's limit)";
		return -ENOMEM;
	}
	e->flags = flags;
	e->size = size;
	e->resp_len = len;
	e->n_ttl = n_ttl;
	e->qname_len = key->name_len;
	e->do_bit = key->do_bit;
	e->qtype = key->qtype;
	e->qclass = key->qclass;
	e->referenced = 0;
	e->hits = 0;
	e->refreshed = 0;
	if (n_ttl)
		memcpy(e->data, ttl_offs, n_ttl * sizeof(u16));
	memcpy(e->data + n_ttl * sizeof(u16), resp, len);
	/* The stored question is the key; replies carry the client's case. */
	memcpy(e->data + n_ttl * sizeof(u16) + DNSWIRE_HDR_LEN, key->name,
	       key->name_len);
	e->ttl = nfdns_entry_clamp_ttl(&lim, resp, ttl, flags);
	nfdns_entry_lower_ttls(e);

	mutex_lock(&c->lock);
	/* The limits may have changed meanwhile: check them again. */
	nfdns_insert_limits(nn, &lim);
	if (e->size > lim.max_bytes) {
		mutex_unlock(&c->lock);
		kfree(e);
		goto too_big;
	}
	old = rhashtable_lookup_fast(&c->table, key, nfdns_cache_params);
	/*
	 * Static entries are never evicted: when they alone leave no room,
	 * refuse now rather than evict every other entry first.
	 */
	keep = c->n_static;
	keep_bytes = c->static_bytes;
	if (old && nfdns_entry_static(old)) {
		keep--;
		keep_bytes -= old->size;
	}
	if (keep + 1 > lim.max_entries || keep_bytes + e->size > lim.max_bytes) {
		mutex_unlock(&c->lock);
		kfree(e);
		*why = "static entries leave no room in the cache";
		return -ENOSPC;
	}
	now = get_jiffies_64();
	e->stored = now;
	if (old) {
		/*
		 * In place, so that a lookup finds the old entry or the new
		 * one but never neither: a refresh (a prefetch) must not
		 * send the clients of that instant to the resolver.
		 */
		err = rhashtable_replace_fast(&c->table, &old->node, &e->node,
					      nfdns_cache_params);
		if (WARN_ON_ONCE(err)) {
			mutex_unlock(&c->lock);
			kfree(e);
			*why = "cache table refused the entry";
			return err;
		}
		list_del(&old->clock);
		nfdns_cache_account(c, old, -1);
		kfree_rcu(old, rcu);
	}
	if (!nfdns_cache_make_room(nn, &lim, e->size, now)) {
		if (old) {
			rhashtable_remove_fast(&c->table, &e->node,
					       nfdns_cache_params);
			kfree_rcu(e, rcu);
		} else {
			kfree(e);
		}
		mutex_unlock(&c->lock);
		*why = "no room could be made in the cache";
		return -ENOSPC;
	}
	if (!old) {
		err = rhashtable_insert_fast(&c->table, &e->node,
					     nfdns_cache_params);
		if (err) {
			mutex_unlock(&c->lock);
			kfree(e);
			*why = "cache table refused the entry";
			return err;
		}
	}
	if (nfdns_entry_static(e)) {
		list_add_tail(&e->clock, &c->statics);
	} else {
		list_add_tail(&e->clock, &c->clock);
		/* Reclaim runs only while some entry can expire. */
		queue_delayed_work(system_power_efficient_wq, &c->reclaim,
				   NFDNS_RECLAIM_INTERVAL);
	}
	nfdns_cache_account(c, e, 1);
	mutex_unlock(&c->lock);
	nfdns_stat_inc(nn, NFDNS_STAT_A_INSERTS);
	return 0;

too_big:
	*why = "response is larger than the cache's whole byte budget (max_bytes)";
	return -E2BIG;
}

static bool nfdns_entry_matches(const struct nfdns_entry *e, const u8 *name,
				u8 name_len, int qtype, bool subtree)
{
	const u8 *qname = nfdns_entry_resp(e) + DNSWIRE_HDR_LEN;

	if (qtype >= 0 && e->qtype != qtype)
		return false;
	if (subtree)
		return dnswire_name_in_subtree(qname, e->qname_len, name,
					       name_len);
	return e->qname_len == name_len && !memcmp(qname, name, name_len);
}

static u64 nfdns_cache_delete_list(struct nfdns_net *nn,
				   struct list_head *list, const u8 *name,
				   u8 name_len, int qtype, bool subtree)
{
	struct nfdns_entry *e, *tmp;
	unsigned int n = 0;
	u64 count = 0;

	list_for_each_entry_safe(e, tmp, list, clock) {
		if (nfdns_entry_matches(e, name, name_len, qtype, subtree)) {
			nfdns_cache_unlink(nn, e);
			count++;
		}
		/* Every list change is under the mutex: @tmp stays valid. */
		if (!(++n % NFDNS_WALK_BATCH))
			cond_resched();
	}
	return count;
}

/**
 * nfdns_cache_delete() - delete the entries of a name or of a subtree
 * @nn: namespace state
 * @name: lower-cased wire name
 * @name_len: its length
 * @qtype: the type to delete, or -1 for every type
 * @subtree: delete every name at or below @name too
 *
 * Every entry is looked at, with the mutex held and rescheduling as it
 * goes: other writers wait, lookups do not.
 *
 * Context: process; takes the cache mutex.
 * Return: entries deleted.
 */
u64 nfdns_cache_delete(struct nfdns_net *nn, const u8 *name, u8 name_len,
		       int qtype, bool subtree)
{
	struct nfdns_cache *c = &nn->cache;
	u64 count;

	mutex_lock(&c->lock);
	count = nfdns_cache_delete_list(nn, &c->clock, name, name_len, qtype,
					subtree);
	count += nfdns_cache_delete_list(nn, &c->statics, name, name_len,
					 qtype, subtree);
	mutex_unlock(&c->lock);
	return count;
}

/**
 * nfdns_cache_delete_if() - delete the entries whose name a test covers
 * @nn: namespace state
 * @covered: the test, given the entry's lower-cased name and @arg
 * @arg: for @covered
 *
 * Static entries stay: they are what the administrator put there.
 *
 * Context: process; takes the cache mutex.
 * Return: entries deleted.
 */
u64 nfdns_cache_delete_if(struct nfdns_net *nn,
			  bool (*covered)(const u8 *name, u8 len,
					  const void *arg),
			  const void *arg)
{
	struct nfdns_cache *c = &nn->cache;
	struct nfdns_entry *e, *tmp;
	unsigned int n = 0;
	u64 count = 0;

	mutex_lock(&c->lock);
	list_for_each_entry_safe(e, tmp, &c->clock, clock) {
		if (covered(nfdns_entry_resp(e) + DNSWIRE_HDR_LEN,
			    e->qname_len, arg)) {
			nfdns_cache_unlink(nn, e);
			count++;
		}
		/* Every list change is under the mutex: @tmp stays valid. */
		if (!(++n % NFDNS_WALK_BATCH))
			cond_resched();
	}
	mutex_unlock(&c->lock);
	return count;
}

/**
 * nfdns_cache_flush() - delete every entry
 * @nn: namespace state
 *
 * Entries go oldest first, a batch per hold of the mutex.  At most as many
 * as the cache held when the flush began are deleted, so a stream of
 * inserts cannot keep it going.
 *
 * Context: process; takes the cache mutex.
 * Return: entries deleted.
 */
u64 nfdns_cache_flush(struct nfdns_net *nn)
{
	struct nfdns_cache *c = &nn->cache;
	struct nfdns_entry *e;
	unsigned int budget;
	u64 count = 0, target;

	mutex_lock(&c->lock);
	target = c->entries;
	while (count < target) {
		for (budget = NFDNS_WALK_BATCH; budget && count < target;
		     budget--) {
			e = list_first_entry_or_null(&c->clock,
						     struct nfdns_entry, clock);
			if (!e)
				e = list_first_entry_or_null(&c->statics,
							     struct nfdns_entry,
							     clock);
			if (!e)
				goto out;
			nfdns_cache_unlink(nn, e);
			count++;
		}
		mutex_unlock(&c->lock);
		cond_resched();
		mutex_lock(&c->lock);
	}
out:
	mutex_unlock(&c->lock);
	return count;
}

/*
 * Remove entries past their TTL (and past the serve-stale window), a batch
 * at a time.  Entries looked at move to the tail, so successive batches
 * cover the whole clock.  The work stops once no entry can expire, and
 * the next insert of one starts it again.
 */
static void nfdns_cache_reclaim(struct work_struct *work)
{
	struct nfdns_cache *c = container_of(to_delayed_work(work),
					     struct nfdns_cache, reclaim);
	struct nfdns_net *nn = container_of(c, struct nfdns_net, cache);
	unsigned int budget = NFDNS_RECLAIM_BATCH;
	struct nfdns_entry *e;
	u32 serve_stale;
	u64 now = get_jiffies_64();

	rcu_read_lock();
	serve_stale = nfdns_config_rcu(nn)->serve_stale;
	rcu_read_unlock();

	mutex_lock(&c->lock);
	/* Each entry on the clock at most once per run. */
	budget = min(budget, c->entries - c->n_static);
	while (budget-- && !list_empty(&c->clock)) {
		e = list_first_entry(&c->clock, struct nfdns_entry, clock);
		if (nfdns_entry_dead(e, now, serve_stale)) {
			nfdns_cache_unlink(nn, e);
			nfdns_stat_inc(nn, NFDNS_STAT_A_EXPIRATIONS);
		} else {
			list_move_tail(&e->clock, &c->clock);
		}
		if (!(budget % NFDNS_WALK_BATCH))
			cond_resched();
	}
	if (!list_empty(&c->clock))
		queue_delayed_work(system_power_efficient_wq, &c->reclaim,
				   NFDNS_RECLAIM_INTERVAL);
	mutex_unlock(&c->lock);
}

/**
 * nfdns_cache_secret_init() - choose the hash secret, once, at module load
 */
void __init nfdns_cache_secret_init(void)
{
	get_random_bytes(&nfdns_hash_secret, sizeof(nfdns_hash_secret));
}

/**
 * nfdns_cache_init() - set up the cache of a new namespace
 * @nn: namespace state
 *
 * Return: 0 or a negative errno.
 */
int nfdns_cache_init(struct nfdns_net *nn)
{
	struct nfdns_cache *c = &nn->cache;
	int err;

	err = rhashtable_init(&c->table, &nfdns_cache_params);
	if (err)
		return err;
	mutex_init(&c->lock);
	INIT_LIST_HEAD(&c->clock);
	INIT_LIST_HEAD(&c->statics);
	c->entries = 0;
	c->bytes = 0;
	c->n_static = 0;
	c->static_bytes = 0;
	/* Queued by the first insert of an entry that can expire. */
	INIT_DELAYED_WORK(&c->reclaim, nfdns_cache_reclaim);
	return 0;
}

static void nfdns_entry_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/**
 * nfdns_cache_destroy() - free the cache of a namespace that is going away
 * @nn: namespace state
 *
 * Context: the hooks and the netlink family no longer reach @nn.
 */
void nfdns_cache_destroy(struct nfdns_net *nn)
{
	cancel_delayed_work_sync(&nn->cache.reclaim);
	rhashtable_free_and_destroy(&nn->cache.table, nfdns_entry_free, NULL);
	mutex_destroy(&nn->cache.lock);
}
