// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: the response cache of a namespace.
 *
 * Readers (the hooks) look entries up under RCU and write nothing but an
 * entry's referenced mark, and that only when it is clear.  Writers (netlink
 * commands, the reclaim work) serialise on the cache lock, which also keeps
 * every entry on one list: the eviction clock.  When the cache is over its
 * entry limit or byte budget, the hand at the head of the list evicts
 * expired entries and entries not referenced since it last passed, and
 * gives referenced ones a second chance; static entries are never evicted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>

#include "internal.h"

#define NFDNS_RECLAIM_INTERVAL	HZ
#define NFDNS_RECLAIM_BATCH	4096

static siphash_key_t nfdns_hash_secret __ro_after_init;

/**
 * nfdns_key_hash() - keyed hash of a question
 * @key: the question
 *
 * The name is hashed with a secret key, so remote clients cannot aim many
 * names at one bucket; type, class and DO only spread entries of one name.
 *
 * Return: the hash.
 */
u32 nfdns_key_hash(const struct nfdns_key *key)
{
	u64 h = siphash(key->name, key->name_len, &nfdns_hash_secret);

	h ^= ((u64)key->qtype << 17 | (u64)key->qclass << 1 | key->do_bit) *
	     0x9E3779B97F4A7C15ULL;
	return (u32)(h ^ (h >> 32));
}

static u32 nfdns_hashfn(const void *data, u32 len, u32 seed)
{
	return nfdns_key_hash(data) ^ seed;
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

	return nfdns_key_hash(&key) ^ seed;
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

static void nfdns_cache_unlink(struct nfdns_net *nn, struct nfdns_entry *e)
{
	struct nfdns_cache *c = &nn->cache;

	lockdep_assert_held(&c->lock);
	rhashtable_remove_fast(&c->table, &e->node, nfdns_cache_params);
	list_del(&e->clock);
	c->entries--;
	c->bytes -= e->size;
	kfree_rcu(e, rcu);
}

/*
 * Make room for one entry of @size bytes.  Returns false when only static
 * entries are left to take.
 */
static bool nfdns_cache_make_room(struct nfdns_net *nn,
				  const struct nfdns_config *cfg, u32 size,
				  u64 now)
{
	struct nfdns_cache *c = &nn->cache;
	struct nfdns_entry *e;
	u32 steps = 2 * c->entries + 1;

	while (c->entries + 1 > cfg->max_entries ||
	       c->bytes + size > cfg->max_bytes) {
		if (list_empty(&c->clock) || !steps--)
			return false;
		e = list_first_entry(&c->clock, struct nfdns_entry, clock);
		if (e->flags & NFDNS_ENTRY_F_STATIC) {
			list_move_tail(&e->clock, &c->clock);
			continue;
		}
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
	}
	return true;
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
 * An entry of the same question is replaced.
 *
 * Return: 0, -ENOMEM, or -ENOSPC when only static entries could make room.
 */
int nfdns_cache_insert(struct nfdns_net *nn, const struct nfdns_key *key,
		       const u8 *resp, unsigned int len, const u16 *ttl_offs,
		       unsigned int n_ttl, u32 ttl, u32 flags,
		       const char **why)
{
	struct nfdns_cache *c = &nn->cache;
	const struct nfdns_config *cfg;
	struct nfdns_entry *e, *old;
	size_t size;
	u64 now;
	int err;

	size = kmalloc_size_roundup(sizeof(*e) + n_ttl * sizeof(u16) + len);
	e = kmalloc(size, GFP_KERNEL);
	if (!e) {
		*why = "out of memory";
		return -ENOMEM;
	}
	e->ttl = ttl;
	e->flags = flags;
	e->size = size;
	e->resp_len = len;
	e->n_ttl = n_ttl;
	e->qname_len = key->name_len;
	e->do_bit = key->do_bit;
	e->qtype = key->qtype;
	e->qclass = key->qclass;
	e->referenced = 0;
	if (n_ttl)
		memcpy(e->data, ttl_offs, n_ttl * sizeof(u16));
	memcpy(e->data + n_ttl * sizeof(u16), resp, len);
	/* The stored question is the key; replies carry the client's case. */
	memcpy(e->data + n_ttl * sizeof(u16) + DNSWIRE_HDR_LEN, key->name,
	       key->name_len);

	spin_lock_bh(&c->lock);
	rcu_read_lock();
	cfg = nfdns_config_rcu(nn);
	if (!(flags & NFDNS_ENTRY_F_STATIC)) {
		if (flags & NFDNS_ENTRY_F_NEGATIVE)
			e->ttl = min(e->ttl, cfg->neg_max_ttl);
		e->ttl = clamp(e->ttl, cfg->min_ttl, cfg->max_ttl);
	}
	now = get_jiffies_64();
	e->stored = now;

	old = rhashtable_lookup_fast(&c->table, key, nfdns_cache_params);
	if (old)
		nfdns_cache_unlink(nn, old);
	if (!nfdns_cache_make_room(nn, cfg, e->size, now)) {
		rcu_read_unlock();
		spin_unlock_bh(&c->lock);
		kfree(e);
		*why = "cache is full of static entries";
		return -ENOSPC;
	}
	rcu_read_unlock();

	err = rhashtable_insert_fast(&c->table, &e->node, nfdns_cache_params);
	if (err) {
		spin_unlock_bh(&c->lock);
		kfree(e);
		*why = "cache table refused the entry";
		return err;
	}
	list_add_tail(&e->clock, &c->clock);
	c->entries++;
	c->bytes += e->size;
	spin_unlock_bh(&c->lock);
	nfdns_stat_inc(nn, NFDNS_STAT_A_INSERTS);
	return 0;
}

/**
 * nfdns_cache_delete() - delete the entries of a name or of a subtree
 * @nn: namespace state
 * @name: lower-cased wire name
 * @name_len: its length
 * @qtype: the type to delete, or -1 for every type
 * @subtree: delete every name at or below @name too
 *
 * Return: entries deleted.
 */
u64 nfdns_cache_delete(struct nfdns_net *nn, const u8 *name, u8 name_len,
		       int qtype, bool subtree)
{
	struct nfdns_cache *c = &nn->cache;
	struct nfdns_entry *e, *tmp;
	u64 count = 0;

	spin_lock_bh(&c->lock);
	list_for_each_entry_safe(e, tmp, &c->clock, clock) {
		const u8 *qname = nfdns_entry_resp(e) + DNSWIRE_HDR_LEN;

		if (qtype >= 0 && e->qtype != qtype)
			continue;
		if (subtree) {
			if (!dnswire_name_in_subtree(qname, e->qname_len,
						     name, name_len))
				continue;
		} else if (e->qname_len != name_len ||
			   memcmp(qname, name, name_len)) {
			continue;
		}
		nfdns_cache_unlink(nn, e);
		count++;
	}
	spin_unlock_bh(&c->lock);
	return count;
}

/**
 * nfdns_cache_flush() - delete every entry
 * @nn: namespace state
 *
 * Return: entries deleted.
 */
u64 nfdns_cache_flush(struct nfdns_net *nn)
{
	struct nfdns_cache *c = &nn->cache;
	struct nfdns_entry *e, *tmp;
	u64 count = 0;

	spin_lock_bh(&c->lock);
	list_for_each_entry_safe(e, tmp, &c->clock, clock) {
		nfdns_cache_unlink(nn, e);
		count++;
	}
	spin_unlock_bh(&c->lock);
	return count;
}

/*
 * Remove entries past their TTL (and past the serve-stale window), a batch
 * at a time so a large cache never holds the lock for long.  Entries
 * looked at move to the tail, so successive batches cover the whole list.
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

	spin_lock_bh(&c->lock);
	budget = min(budget, c->entries);
	while (budget--) {
		e = list_first_entry(&c->clock, struct nfdns_entry, clock);
		if (nfdns_entry_dead(e, now, serve_stale)) {
			nfdns_cache_unlink(nn, e);
			nfdns_stat_inc(nn, NFDNS_STAT_A_EXPIRATIONS);
		} else {
			list_move_tail(&e->clock, &c->clock);
		}
	}
	spin_unlock_bh(&c->lock);
	queue_delayed_work(system_power_efficient_wq, &c->reclaim,
			   NFDNS_RECLAIM_INTERVAL);
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
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->clock);
	c->entries = 0;
	c->bytes = 0;
	INIT_DELAYED_WORK(&c->reclaim, nfdns_cache_reclaim);
	queue_delayed_work(system_power_efficient_wq, &c->reclaim,
			   NFDNS_RECLAIM_INTERVAL);
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
}
