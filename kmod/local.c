// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: local rules.  Names (or whole subtrees) that the kernel answers
 * itself on a cache miss, with NXDOMAIN, NODATA, REFUSED or a fixed
 * address: local zones and block lists, pushed by the resolver.
 *
 * A set is built once, in a staged copy that only its writer sees, then
 * published whole with RCU and never changed again: readers walk plain
 * pointers.  That is why the set is a flat bucket array rebuilt as the
 * staged set grows rather than an rhashtable, whose resizing under readers
 * a published set never needs.  Rules are packed into large chunks, with
 * the answers they give (few distinct ones in a block list) kept once in a
 * table of profiles: a rule costs its name plus 16 bytes and a bucket.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>

#include "internal.h"

#define NFDNS_LOCAL_CHUNK	(64 * 1024)
#define NFDNS_LOCAL_MIN_BUCKETS	64
#define NFDNS_LOCAL_MAX_PROFILES	1024

/**
 * struct nfdns_local_profile - how the rules that share it answer
 * @action: &enum nfdns_local_action
 * @has4: @addr4 is set (a REDIRECT rule answers A questions)
 * @has6: @addr6 is set (a REDIRECT rule answers AAAA questions)
 * @ttl: TTL of the records answered
 * @addr4: the A record's address
 * @addr6: the AAAA record's address
 */
struct nfdns_local_profile {
	u8 action;
	bool has4;
	bool has6;
	u32 ttl;
	__be32 addr4;
	struct in6_addr addr6;
};

/**
 * struct nfdns_local_rule - one rule, inside a chunk
 * @next: the next rule in the bucket
 * @hash: hash of @name
 * @profile: index of its answer in &nfdns_local_set.profiles
 * @match: &enum nfdns_local_match
 * @name_len: length of @name
 * @name: lower-cased wire name
 */
struct nfdns_local_rule {
	struct nfdns_local_rule *next;
	u32 hash;
	u16 profile;
	u8 match;
	u8 name_len;
	u8 name[];
};

/**
 * struct nfdns_local_chunk - memory that rules are carved from
 * @next: the chunk allocated before
 * @used: bytes of @data handed out
 * @data: the rules
 */
struct nfdns_local_chunk {
	struct nfdns_local_chunk *next;
	u32 used;
	u8 data[] __aligned(8);
};

/**
 * struct nfdns_local_set - a set of local rules
 * @buckets: rules by hash; a power of two of them
 * @n_buckets: entries in @buckets
 * @n_rules: rules in the set
 * @profiles: the distinct answers of the rules
 * @n_profiles: entries used in @profiles
 * @chunks: the memory of the rules, newest first
 * @bytes: everything the set takes
 */
struct nfdns_local_set {
	struct nfdns_local_rule **buckets;
	u32 n_buckets;
	u32 n_rules;
	struct nfdns_local_profile *profiles;
	u32 n_profiles;
	struct nfdns_local_chunk *chunks;
	u64 bytes;
};

static siphash_key_t nfdns_local_secret __ro_after_init;

/**
 * nfdns_local_secret_init() - choose the hash secret, once, at module load
 */
void __init nfdns_local_secret_init(void)
{
	get_random_bytes(&nfdns_local_secret, sizeof(nfdns_local_secret));
}

static u32 nfdns_local_hash(const u8 *name, u8 len)
{
	return (u32)siphash(name, len, &nfdns_local_secret);
}

/**
 * nfdns_local_set_alloc() - an empty set
 *
 * Context: process.
 * Return: the set, or NULL without memory.
 */
struct nfdns_local_set *nfdns_local_set_alloc(void)
{
	struct nfdns_local_set *set;

	set = kzalloc(sizeof(*set), GFP_KERNEL_ACCOUNT);
	if (!set)
		return NULL;
	set->n_buckets = NFDNS_LOCAL_MIN_BUCKETS;
	set->buckets = kvcalloc(set->n_buckets, sizeof(*set->buckets),
				GFP_KERNEL_ACCOUNT);
	set->profiles = kcalloc(NFDNS_LOCAL_MAX_PROFILES,
				sizeof(*set->profiles), GFP_KERNEL_ACCOUNT);
	if (!set->buckets || !set->profiles) {
		kvfree(set->buckets);
		kfree(set->profiles);
		kfree(set);
		return NULL;
	}
	set->bytes = sizeof(*set) + set->n_buckets * sizeof(*set->buckets) +
		     NFDNS_LOCAL_MAX_PROFILES * sizeof(*set->profiles);
	return set;
}

/**
 * nfdns_local_set_free() - free a set no reader can see any more
 * @set: the set, or NULL
 *
 * Context: process.
 */
void nfdns_local_set_free(struct nfdns_local_set *set)
{
	struct nfdns_local_chunk *chunk, *next;

	if (!set)
		return;
	for (chunk = set->chunks; chunk; chunk = next) {
		next = chunk->next;
		kvfree(chunk);
		cond_resched();
	}
	kvfree(set->buckets);
	kfree(set->profiles);
	kfree(set);
}

/**
 * nfdns_local_set_rules() - rules in a set
 * @set: the set, or NULL
 *
 * Return: how many.
 */
u32 nfdns_local_set_rules(const struct nfdns_local_set *set)
{
	return set ? set->n_rules : 0;
}

/**
 * nfdns_local_set_bytes() - memory a set takes
 * @set: the set, or NULL
 *
 * Return: bytes.
 */
u64 nfdns_local_set_bytes(const struct nfdns_local_set *set)
{
	return set ? set->bytes : 0;
}

static int nfdns_local_grow(struct nfdns_local_set *set)
{
	u32 n = set->n_buckets * 2, i;
	struct nfdns_local_rule **buckets, *r, *next;

	buckets = kvcalloc(n, sizeof(*buckets), GFP_KERNEL_ACCOUNT);
	if (!buckets)
		return -ENOMEM;
	for (i = 0; i < set->n_buckets; i++) {
		for (r = set->buckets[i]; r; r = next) {
			next = r->next;
			r->next = buckets[r->hash & (n - 1)];
			buckets[r->hash & (n - 1)] = r;
		}
	}
	kvfree(set->buckets);
	set->bytes += (u64)(n - set->n_buckets) * sizeof(*buckets);
	set->buckets = buckets;
	set->n_buckets = n;
	return 0;
}

static void *nfdns_local_carve(struct nfdns_local_set *set, size_t size)
{
	struct nfdns_local_chunk *chunk = set->chunks;
	size_t room = NFDNS_LOCAL_CHUNK - sizeof(*chunk);

	size = ALIGN(size, 8);
	if (!chunk || room - chunk->used < size) {
		chunk = kvmalloc(NFDNS_LOCAL_CHUNK, GFP_KERNEL_ACCOUNT);
		if (!chunk)
			return NULL;
		chunk->used = 0;
		chunk->next = set->chunks;
		set->chunks = chunk;
		set->bytes += NFDNS_LOCAL_CHUNK;
	}
	chunk->used += size;
	return chunk->data + chunk->used - size;
}

static int nfdns_local_profile_index(struct nfdns_local_set *set,
				     const struct nfdns_local_profile *p)
{
	u32 i;

	for (i = 0; i < set->n_profiles; i++)
		if (!memcmp(&set->profiles[i], p, sizeof(*p)))
			return i;
	if (set->n_profiles == NFDNS_LOCAL_MAX_PROFILES)
		return -ENOSPC;
	set->profiles[set->n_profiles] = *p;
	return set->n_profiles++;
}

static struct nfdns_local_rule *
nfdns_local_find(const struct nfdns_local_set *set, const u8 *name, u8 len,
		 u32 hash, int match)
{
	struct nfdns_local_rule *r;

	for (r = set->buckets[hash & (set->n_buckets - 1)]; r; r = r->next)
		if (r->hash == hash && r->name_len == len &&
		    (match < 0 || r->match == match) &&
		    !memcmp(r->name, name, len))
			return r;
	return NULL;
}

/**
 * nfdns_local_set_add() - add a rule to a set no reader sees yet
 * @set: the set
 * @name: lower-cased wire name, checked
 * @len: its length
 * @match: &enum nfdns_local_match
 * @action: &enum nfdns_local_action
 * @addr4: A address of a REDIRECT rule, or NULL
 * @addr6: AAAA address of a REDIRECT rule, or NULL
 * @ttl: TTL of the records answered
 *
 * A rule for the same name and match replaces the one before.
 *
 * Context: process.
 * Return: 0; -ENOSPC past %NFDNS_LOCAL_MAX_RULES rules or
 * %NFDNS_LOCAL_MAX_PROFILES distinct answers; -ENOMEM.
 */
int nfdns_local_set_add(struct nfdns_local_set *set, const u8 *name, u8 len,
			u8 match, u8 action, const __be32 *addr4,
			const struct in6_addr *addr6, u32 ttl)
{
	struct nfdns_local_profile p;
	struct nfdns_local_rule *r;
	u32 hash = nfdns_local_hash(name, len);
	int profile, err;

	memset(&p, 0, sizeof(p));
	p.action = action;
	p.ttl = ttl;
	if (action == NFDNS_LOCAL_REDIRECT && addr4) {
		p.has4 = true;
		p.addr4 = *addr4;
	}
	if (action == NFDNS_LOCAL_REDIRECT && addr6) {
		p.has6 = true;
		p.addr6 = *addr6;
	}
	profile = nfdns_local_profile_index(set, &p);
	if (profile < 0)
		return profile;

	r = nfdns_local_find(set, name, len, hash, match);
	if (r) {
		r->profile = profile;
		return 0;
	}
	if (set->n_rules >= NFDNS_LOCAL_MAX_RULES)
		return -ENOSPC;
	if (set->n_rules >= set->n_buckets) {
		err = nfdns_local_grow(set);
		if (err)
			return err;
	}
	r = nfdns_local_carve(set, sizeof(*r) + len);
	if (!r)
		return -ENOMEM;
	r->hash = hash;
	r->profile = profile;
	r->match = match;
	r->name_len = len;
	memcpy(r->name, name, len);
	r->next = set->buckets[hash & (set->n_buckets - 1)];
	set->buckets[hash & (set->n_buckets - 1)] = r;
	set->n_rules++;
	return 0;
}

/*
 * The rule a name falls under: an exact rule for the name itself, else
 * the subtree rule of the nearest enclosing name (the name itself first).
 */
static const struct nfdns_local_rule *
nfdns_local_lookup(const struct nfdns_local_set *set, const u8 *name, u8 len)
{
	const struct nfdns_local_rule *r;
	unsigned int off = 0;

	r = nfdns_local_find(set, name, len, nfdns_local_hash(name, len),
			     NFDNS_LOCAL_EXACT);
	if (r)
		return r;
	while (off < len) {
		const u8 *suffix = name + off;
		u8 slen = len - off;

		r = nfdns_local_find(set, suffix, slen,
				     nfdns_local_hash(suffix, slen),
				     NFDNS_LOCAL_SUBTREE);
		if (r)
			return r;
		if (!name[off])
			break;
		off += 1 + name[off];
	}
	return NULL;
}

/**
 * nfdns_local_covers() - whether a rule of the set covers a name
 * @set: the set
 * @name: lower-cased wire name
 * @len: its length
 *
 * Return: true when a query for @name would be answered by a rule.
 */
bool nfdns_local_covers(const struct nfdns_local_set *set, const u8 *name,
			u8 len)
{
	return nfdns_local_lookup(set, name, len);
}

/* Room for the header, a question and one A or AAAA record. */
#define NFDNS_LOCAL_RESP_MAX	(DNSWIRE_HDR_LEN + DNSWIRE_NAME_MAX + 4 + \
				 2 + 10 + 16)

/*
 * A stored-response image of the redirect answer, for the reply path that
 * answers cache hits: the question, then one record whose owner points to
 * it, so the client's own name comes back.
 */
static unsigned int nfdns_local_redirect_resp(u8 *out,
					      const struct dnswire_query *q,
					      const struct nfdns_local_profile *p,
					      u16 *ttl_off)
{
	unsigned int off = DNSWIRE_HDR_LEN;
	unsigned int rdlen = q->qtype == DNSWIRE_TYPE_A ? 4 : 16;

	memset(out, 0, DNSWIRE_HDR_LEN);
	put_unaligned_be16(1, out + 4);
	put_unaligned_be16(1, out + 6);
	memcpy(out + off, q->qname_lc, q->qname_len);
	off += q->qname_len;
	put_unaligned_be16(q->qtype, out + off);
	put_unaligned_be16(DNSWIRE_CLASS_IN, out + off + 2);
	off += 4;
	put_unaligned_be16(0xc000 | DNSWIRE_HDR_LEN, out + off);
	put_unaligned_be16(q->qtype, out + off + 2);
	put_unaligned_be16(DNSWIRE_CLASS_IN, out + off + 4);
	*ttl_off = off + 6;
	put_unaligned_be32(p->ttl, out + off + 6);
	put_unaligned_be16(rdlen, out + off + 10);
	off += 12;
	if (rdlen == 4)
		memcpy(out + off, &p->addr4, 4);
	else
		memcpy(out + off, &p->addr6, 16);
	return off + rdlen;
}

/**
 * nfdns_local_answer() - answer a query that a local rule covers
 * @nn: namespace state
 * @net: the namespace
 * @c: the client
 * @q: its query
 *
 * Called on a cache miss only, so that a hit costs nothing more.
 *
 * Context: the hooks, under RCU.
 * Return: 1 when the query was answered, 0 when no rule covers it, a
 * negative errno when the reply could not be sent (the query goes on).
 */
int nfdns_local_answer(struct nfdns_net *nn, struct net *net,
		       const struct nfdns_client *c,
		       const struct dnswire_query *q)
{
	const struct nfdns_local_set *set = rcu_dereference(nn->local);
	const struct nfdns_local_profile *p;
	const struct nfdns_local_rule *r;
	u8 resp[NFDNS_LOCAL_RESP_MAX];
	unsigned int len;
	bool truncated;
	u16 ttl_off;
	u8 rcode;
	int err;

	if (!set || !set->n_rules || q->qclass != DNSWIRE_CLASS_IN)
		return 0;
	r = nfdns_local_lookup(set, q->qname_lc, q->qname_len);
	if (!r)
		return 0;
	p = &set->profiles[r->profile];
	switch (p->action) {
	case NFDNS_LOCAL_NXDOMAIN:
		rcode = DNSWIRE_RCODE_NXDOMAIN;
		break;
	case NFDNS_LOCAL_REFUSED:
		rcode = DNSWIRE_RCODE_REFUSED;
		break;
	case NFDNS_LOCAL_REDIRECT:
		if ((q->qtype == DNSWIRE_TYPE_A && p->has4) ||
		    (q->qtype == DNSWIRE_TYPE_AAAA && p->has6)) {
			len = nfdns_local_redirect_resp(resp, q, p, &ttl_off);
			err = nfdns_reply_from_response(net, c, q, q->qname,
							resp, len, &ttl_off,
							1, 0, &truncated);
			goto sent;
		}
		fallthrough;
	default:
		rcode = DNSWIRE_RCODE_NOERROR;
		break;
	}
	err = nfdns_reply_error(net, c, q, q->qname, rcode);
sent:
	if (err)
		return err;
	nfdns_stat_inc(nn, NFDNS_STAT_A_LOCAL_ANSWERS);
	return 1;
}

/**
 * nfdns_local_init() - per-namespace set up
 * @nn: namespace state
 */
void nfdns_local_init(struct nfdns_net *nn)
{
	mutex_init(&nn->local_lock);
	RCU_INIT_POINTER(nn->local, NULL);
	nn->local_staged = NULL;
	nn->local_staged_portid = 0;
	nn->local_staged_failed = false;
	nn->local_bytes = 0;
}

static void nfdns_local_drop_staged(struct nfdns_net *nn)
{
	lockdep_assert_held(&nn->local_lock);
	nn->local_staged_failed = false;
	WRITE_ONCE(nn->local_staged_portid, 0);
	if (!nn->local_staged)
		return;
	WRITE_ONCE(nn->local_bytes,
		   nn->local_bytes - nfdns_local_set_bytes(nn->local_staged));
	nfdns_local_set_free(nn->local_staged);
	nn->local_staged = NULL;
}

/**
 * nfdns_local_fail_staged() - a sender's staged set lost rules: drop it
 * @nn: namespace state
 * @portid: the sender
 *
 * Until the sender aborts, its further adds and its commit are refused:
 * a set missing some of its rules is never published.
 *
 * Context: process; with @nn->local_lock held.
 */
void nfdns_local_fail_staged(struct nfdns_net *nn, u32 portid)
{
	nfdns_local_drop_staged(nn);
	nn->local_staged_failed = true;
	WRITE_ONCE(nn->local_staged_portid, portid);
}

/**
 * nfdns_local_stage() - the staged set of a sender, made when needed
 * @nn: namespace state
 * @portid: the sender
 *
 * A set staged by another sender is dropped: one writer at a time, the
 * last to start.
 *
 * Context: process; with @nn->local_lock held.
 * Return: the staged set; ERR_PTR(-ESTALE) when an earlier add of the
 * sender failed; NULL without memory.
 */
struct nfdns_local_set *nfdns_local_stage(struct nfdns_net *nn, u32 portid)
{
	lockdep_assert_held(&nn->local_lock);
	if (nn->local_staged_portid && nn->local_staged_portid != portid)
		nfdns_local_drop_staged(nn);
	if (nn->local_staged_failed)
		return ERR_PTR(-ESTALE);
	if (!nn->local_staged) {
		nn->local_staged = nfdns_local_set_alloc();
		if (!nn->local_staged)
			return NULL;
		WRITE_ONCE(nn->local_staged_portid, portid);
		WRITE_ONCE(nn->local_bytes, nn->local_bytes +
			   nfdns_local_set_bytes(nn->local_staged));
	}
	return nn->local_staged;
}

/**
 * nfdns_local_staged_grew() - account what adding to the staged set took
 * @nn: namespace state
 * @before: nfdns_local_set_bytes() of it before the adds
 *
 * Context: process; with @nn->local_lock held.
 */
void nfdns_local_staged_grew(struct nfdns_net *nn, u64 before)
{
	lockdep_assert_held(&nn->local_lock);
	WRITE_ONCE(nn->local_bytes, nn->local_bytes +
		   nfdns_local_set_bytes(nn->local_staged) - before);
}

/**
 * nfdns_local_abort() - drop a sender's staged set
 * @nn: namespace state
 * @portid: the sender; 0 for whoever staged it
 *
 * Context: process; takes @nn->local_lock.
 */
void nfdns_local_abort(struct nfdns_net *nn, u32 portid)
{
	mutex_lock(&nn->local_lock);
	if (!portid || READ_ONCE(nn->local_staged_portid) == portid)
		nfdns_local_drop_staged(nn);
	mutex_unlock(&nn->local_lock);
}

static bool nfdns_local_entry_covered(const u8 *name, u8 len, const void *set)
{
	return nfdns_local_covers(set, name, len);
}

/**
 * nfdns_local_commit() - publish a sender's staged set
 * @nn: namespace state
 * @portid: the sender
 *
 * The staged set (an empty one when the sender staged nothing) replaces
 * the active one, which is freed after a grace period; then cached
 * entries, other than static ones, that the new rules cover are deleted,
 * so that a name blocked now is not answered from before.
 *
 * Context: process; takes @nn->local_lock and the cache mutex.
 * Return: the rules now active, or -ESTALE (and nothing changes) when an
 * add of the sender failed since its last abort.
 */
s64 nfdns_local_commit(struct nfdns_net *nn, u32 portid)
{
	struct nfdns_local_set *set, *old;
	u32 rules;

	mutex_lock(&nn->local_lock);
	if (nn->local_staged_failed && nn->local_staged_portid == portid) {
		nfdns_local_drop_staged(nn);
		mutex_unlock(&nn->local_lock);
		return -ESTALE;
	}
	set = nn->local_staged_portid == portid ? nn->local_staged : NULL;
	old = rcu_dereference_protected(nn->local,
					lockdep_is_held(&nn->local_lock));
	/* Both sets' bytes stay counted until the old one is freed. */
	nn->local_staged = NULL;
	WRITE_ONCE(nn->local_staged_portid, 0);
	if (set && !set->n_rules) {
		WRITE_ONCE(nn->local_bytes,
			   nn->local_bytes - nfdns_local_set_bytes(set));
		nfdns_local_set_free(set);
		set = NULL;
	}
	rcu_assign_pointer(nn->local, set);
	rules = nfdns_local_set_rules(set);
	WRITE_ONCE(nn->local_rules, rules);
	if (old) {
		synchronize_rcu();
		WRITE_ONCE(nn->local_bytes,
			   nn->local_bytes - nfdns_local_set_bytes(old));
		nfdns_local_set_free(old);
	}
	if (set)
		nfdns_cache_delete_if(nn, nfdns_local_entry_covered, set);
	mutex_unlock(&nn->local_lock);
	return rules;
}

/**
 * nfdns_local_destroy() - free a namespace's sets
 * @nn: namespace state
 *
 * Context: process; no hook or command can run in the namespace.
 */
void nfdns_local_destroy(struct nfdns_net *nn)
{
	nfdns_local_set_free(rcu_dereference_protected(nn->local, true));
	RCU_INIT_POINTER(nn->local, NULL);
	nfdns_local_set_free(nn->local_staged);
	nn->local_staged = NULL;
}
