// SPDX-License-Identifier: GPL-2.0
#include "cache.h"

#include <errno.h>
#include <string.h>

#include "dname.h"

#define KEY_MAX (NAME_WIRE_MAX + 4)

static size_t make_key(uint8_t *key, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass)
{
	size_t n = name_canonical(name, key);

	key[n++] = (uint8_t)(type >> 8);
	key[n++] = (uint8_t)type;
	key[n++] = (uint8_t)(klass >> 8);
	key[n++] = (uint8_t)klass;
	return n;
}

static void item_free(void *p)
{
	struct cache_item *it = p;

	if (!it)
		return;
	ldns_rr_list_deep_free(it->rrs);
	ldns_rr_list_deep_free(it->dnssec);
	free(it);
}

int cache_init(struct cache *c, size_t max_entries, size_t max_bytes, uint32_t max_ttl, uint32_t neg_max_ttl)
{
	int err;

	memset(c, 0, sizeof(*c));
	c->max_ttl = max_ttl;
	c->neg_max_ttl = neg_max_ttl;
	err = lru_init(&c->lru, max_entries, item_free);
	c->lru.max_bytes = max_bytes;
	return err;
}

/* What an item holds on the heap, roughly: the records, their fields, the list. */
static size_t list_cost(const ldns_rr_list *list)
{
	size_t n = list ? sizeof(ldns_rr_list) : 0;

	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);

		n += sizeof(ldns_rr *) + sizeof(ldns_rr) + sizeof(ldns_rdf) + ldns_rdf_size(ldns_rr_owner(rr));
		for (size_t k = 0; k < ldns_rr_rd_count(rr); k++)
			n += sizeof(ldns_rdf *) + sizeof(ldns_rdf) + ldns_rdf_size(ldns_rr_rdf(rr, k));
	}
	return n;
}

size_t cache_item_cost(const struct cache_item *it)
{
	return sizeof(*it) + list_cost(it->rrs) + list_cost(it->dnssec);
}

/* A copy of dnssec (NULL for none) with every TTL set to ttl. */
static int copy_dnssec(struct cache_item *it, const ldns_rr_list *dnssec, uint32_t ttl)
{
	if (!dnssec || ldns_rr_list_rr_count(dnssec) == 0)
		return 0;
	it->dnssec = ldns_rr_list_clone(dnssec);
	if (!it->dnssec)
		return -ENOMEM;
	for (size_t i = 0; i < ldns_rr_list_rr_count(it->dnssec); i++)
		ldns_rr_set_ttl(ldns_rr_list_rr(it->dnssec, i), ttl);
	return 0;
}

void cache_destroy(struct cache *c)
{
	lru_destroy(&c->lru);
}

uint32_t ttl_value(uint32_t wire_ttl)
{
	/* RFC 2181 8: a TTL with the top bit set is taken as zero. */
	return wire_ttl & 0x80000000u ? 0 : wire_ttl;
}

uint32_t rrset_min_ttl(const ldns_rr_list *rrs)
{
	uint32_t min = UINT32_MAX;

	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		uint32_t t = ttl_value(ldns_rr_ttl(ldns_rr_list_rr(rrs, i)));

		if (t < min)
			min = t;
	}
	return min == UINT32_MAX ? 0 : min;
}

static bool same_rrset(const ldns_rr *a, const ldns_rr *b)
{
	return ldns_rr_get_type(a) == ldns_rr_get_type(b) && ldns_rr_get_class(a) == ldns_rr_get_class(b) &&
	       name_equal(ldns_rr_owner(a), ldns_rr_owner(b));
}

void rrsets_normalize_ttl(ldns_rr_list *rrs, uint32_t max_ttl)
{
	size_t n = ldns_rr_list_rr_count(rrs);
	bool *done = n ? calloc(n, sizeof(*done)) : NULL;

	if (n && !done) {
		/* Out of memory: at least no TTL past the cap or with its top bit set. */
		for (size_t i = 0; i < n; i++) {
			uint32_t t = ttl_value(ldns_rr_ttl(ldns_rr_list_rr(rrs, i)));

			ldns_rr_set_ttl(ldns_rr_list_rr(rrs, i), t > max_ttl ? max_ttl : t);
		}
		return;
	}
	/* Answers hold few RRsets (one, or a CNAME chain): the cost is n times their number. */
	for (size_t i = 0; i < n; i++) {
		const ldns_rr *a = ldns_rr_list_rr(rrs, i);
		uint32_t min = UINT32_MAX;

		if (done[i])
			continue;
		for (size_t j = i; j < n; j++)
			if (!done[j] && same_rrset(a, ldns_rr_list_rr(rrs, j)) &&
			    ttl_value(ldns_rr_ttl(ldns_rr_list_rr(rrs, j))) < min)
				min = ttl_value(ldns_rr_ttl(ldns_rr_list_rr(rrs, j)));
		if (min > max_ttl)
			min = max_ttl;
		for (size_t j = n; j-- > i;) {
			ldns_rr *b = ldns_rr_list_rr(rrs, j);

			if (!done[j] && same_rrset(a, b)) {
				ldns_rr_set_ttl(b, min);
				done[j] = true;
			}
		}
	}
	free(done);
}

ldns_rr_list *rrset_take(ldns_rr_list *list, const ldns_rdf *owner, ldns_rr_type type, ldns_rr_class klass)
{
	ldns_rr_list *out = ldns_rr_list_new(), *rest = ldns_rr_list_new();

	if (!out || !rest) {
		ldns_rr_list_free(out);
		ldns_rr_list_free(rest);
		return NULL;
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++) {
		ldns_rr *rr = ldns_rr_list_rr(list, i);

		if (ldns_rr_get_type(rr) == type && ldns_rr_get_class(rr) == klass &&
		    name_equal(ldns_rr_owner(rr), owner))
			ldns_rr_list_push_rr(out, rr);
		else
			ldns_rr_list_push_rr(rest, rr);
	}
	/* Move the remainder back without copying the records. */
	ldns_rr_list_set_rr_count(list, 0);
	for (size_t i = 0; i < ldns_rr_list_rr_count(rest); i++)
		ldns_rr_list_push_rr(list, ldns_rr_list_rr(rest, i));
	ldns_rr_list_free(rest);
	return out;
}

/* Zero TTLs still live one second, so the step that stored them can use them. */
static uint64_t live_until(const struct cache_item *it)
{
	return it->stored + (it->ttl ? it->ttl : 1);
}

/*
 * The item of a key while its TTL runs.  Past it, the item may still be
 * kept for the stale window (the LRU's expiry), for cache_get_stale() alone.
 */
static struct lru_entry *live_get(struct cache *c, const uint8_t *key, size_t keylen, uint64_t now)
{
	struct lru_entry *e = lru_get(&c->lru, key, keylen, now);

	if (e && live_until(e->value) <= now)
		return NULL;
	return e;
}

/* Whether existing live data outranks what is offered. */
static bool keep_existing(struct cache *c, const uint8_t *key, size_t keylen, enum rank rank, uint64_t now)
{
	struct lru_entry *e = live_get(c, key, keylen, now);

	return e && ((struct cache_item *)e->value)->rank > rank;
}

static int store(struct cache *c, const uint8_t *key, size_t keylen, struct cache_item *it, uint64_t now)
{
	uint64_t expires = now + (it->ttl ? it->ttl : 1) + c->stale_window;
	int err = lru_put_cost(&c->lru, key, keylen, it, cache_item_cost(it), expires, now);

	if (err) {
		item_free(it);
		return err;
	}
	c->inserts++;
	return 0;
}

int cache_put_rrset(struct cache *c, const ldns_rr_list *rrset, enum rank rank, uint64_t now)
{
	return cache_put_rrset_signed(c, rrset, NULL, rank, now);
}

int cache_put_rrset_signed(struct cache *c, const ldns_rr_list *rrset, const ldns_rr_list *dnssec, enum rank rank,
			   uint64_t now)
{
	uint8_t key[KEY_MAX];
	struct cache_item *it;
	const ldns_rr *first;
	uint32_t ttl;
	size_t keylen;

	if (!rrset || ldns_rr_list_rr_count(rrset) == 0)
		return -EINVAL;
	first = ldns_rr_list_rr(rrset, 0);
	keylen = make_key(key, ldns_rr_owner(first), ldns_rr_get_type(first), ldns_rr_get_class(first));
	if (keep_existing(c, key, keylen, rank, now))
		return -EEXIST;
	it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->rrs = ldns_rr_list_clone(rrset);
	if (!it->rrs) {
		free(it);
		return -ENOMEM;
	}
	/* One TTL for the whole RRset (RFC 2181 5.2): the smallest, capped. */
	ttl = rrset_min_ttl(it->rrs);
	if (ttl > c->max_ttl)
		ttl = c->max_ttl;
	for (size_t i = 0; i < ldns_rr_list_rr_count(it->rrs); i++)
		ldns_rr_set_ttl(ldns_rr_list_rr(it->rrs, i), ttl);
	if (copy_dnssec(it, dnssec, ttl)) {
		item_free(it);
		return -ENOMEM;
	}
	it->verdict.status = VERDICT_NONE;
	it->ttl = ttl;
	it->stored = now;
	it->rank = rank;
	return store(c, key, keylen, it, now);
}

int cache_put_negative(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
		       const ldns_rr *soa, uint32_t ttl, enum rank rank, uint64_t now)
{
	return cache_put_negative_signed(c, name, type, klass, soa, NULL, ttl, rank, now);
}

int cache_put_negative_signed(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			      const ldns_rr *soa, const ldns_rr_list *dnssec, uint32_t ttl, enum rank rank,
			      uint64_t now)
{
	uint8_t key[KEY_MAX];
	struct cache_item *it;
	size_t keylen = make_key(key, name, type, klass);

	if (keep_existing(c, key, keylen, rank, now))
		return -EEXIST;
	it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->rrs = ldns_rr_list_new();
	if (!it->rrs) {
		free(it);
		return -ENOMEM;
	}
	if (ttl > c->neg_max_ttl)
		ttl = c->neg_max_ttl;
	if (soa) {
		ldns_rr *copy = ldns_rr_clone(soa);

		if (!copy || !ldns_rr_list_push_rr(it->rrs, copy)) {
			ldns_rr_free(copy);
			item_free(it);
			return -ENOMEM;
		}
		ldns_rr_set_ttl(copy, ttl);
	}
	if (copy_dnssec(it, dnssec, ttl)) {
		item_free(it);
		return -ENOMEM;
	}
	it->verdict.status = VERDICT_NONE;
	it->ttl = ttl;
	it->stored = now;
	it->rank = rank;
	it->negative = true;
	it->rcode = type == 0 ? LDNS_RCODE_NXDOMAIN : LDNS_RCODE_NOERROR;
	return store(c, key, keylen, it, now);
}

static ldns_rr_list *aged_copy_of(const struct cache_item *it, const ldns_rr_list *rrs, uint64_t now)
{
	ldns_rr_list *copy = ldns_rr_list_clone(rrs);
	uint64_t age = now > it->stored ? now - it->stored : 0;
	uint32_t left = age >= it->ttl ? 0 : (uint32_t)(it->ttl - age);

	for (size_t i = 0; copy && i < ldns_rr_list_rr_count(copy); i++)
		ldns_rr_set_ttl(ldns_rr_list_rr(copy, i), left);
	return copy;
}

static ldns_rr_list *aged_copy(const struct cache_item *it, uint64_t now)
{
	return aged_copy_of(it, it->rrs, now);
}

/* Fills what the caller asked for beside the records. */
static void give_dnssec(const struct cache_item *it, uint64_t now, ldns_rr_list **dnssec,
			struct cache_verdict *verdict)
{
	if (dnssec)
		*dnssec = it->dnssec ? aged_copy_of(it, it->dnssec, now) : NULL;
	if (verdict)
		*verdict = it->verdict;
}

ldns_rr_list *cache_get_stale(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			      uint64_t now, struct cache_verdict *verdict)
{
	uint8_t key[KEY_MAX];
	size_t keylen = make_key(key, name, type, klass);
	struct lru_entry *e = lru_get(&c->lru, key, keylen, now);
	struct cache_item *it = e ? e->value : NULL;
	ldns_rr_list *copy;

	if (!it || it->negative || it->rank < RANK_NONAUTH)
		return NULL;
	copy = ldns_rr_list_clone(it->rrs);
	for (size_t i = 0; copy && i < ldns_rr_list_rr_count(copy); i++)
		ldns_rr_set_ttl(ldns_rr_list_rr(copy, i), STALE_TTL);
	*verdict = it->verdict;
	return copy;
}

ldns_rr_list *cache_get(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			enum rank min_rank, uint64_t now)
{
	return cache_get_signed(c, name, type, klass, min_rank, now, NULL, NULL);
}

ldns_rr_list *cache_get_signed(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			       enum rank min_rank, uint64_t now, ldns_rr_list **dnssec, struct cache_verdict *verdict)
{
	uint8_t key[KEY_MAX];
	size_t keylen = make_key(key, name, type, klass);
	struct lru_entry *e = live_get(c, key, keylen, now);
	struct cache_item *it;

	if (!e) {
		c->misses++;
		return NULL;
	}
	it = e->value;
	if (it->negative || it->rank < min_rank) {
		c->misses++;
		return NULL;
	}
	c->hits++;
	give_dnssec(it, now, dnssec, verdict);
	return aged_copy(it, now);
}

int cache_get_negative(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
		       ldns_rr **soa, uint64_t now)
{
	return cache_get_negative_signed(c, name, type, klass, soa, NULL, NULL, NULL, now);
}

int cache_get_negative_signed(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
			      ldns_rr **soa, ldns_rr_list **dnssec, struct cache_verdict *verdict, ldns_rdf **owner,
			      uint64_t now)
{
	ldns_rr_type types[2] = { 0, type };

	*soa = NULL;
	if (dnssec)
		*dnssec = NULL;
	if (owner)
		*owner = NULL;
	for (int i = 0; i < 2; i++) {
		uint8_t key[KEY_MAX];
		size_t keylen = make_key(key, name, types[i], klass);
		struct lru_entry *e = live_get(c, key, keylen, now);
		struct cache_item *it = e ? e->value : NULL;

		if (!it || !it->negative)
			continue;
		if (ldns_rr_list_rr_count(it->rrs) > 0) {
			ldns_rr_list *copy = aged_copy(it, now);

			if (copy && ldns_rr_list_rr_count(copy) > 0)
				*soa = ldns_rr_list_pop_rr(copy);
			ldns_rr_list_deep_free(copy);
		}
		give_dnssec(it, now, dnssec, verdict);
		if (owner)
			*owner = ldns_rdf_clone(name);
		c->hits++;
		return it->rcode;
	}
	/* RFC 8020: below a name that does not exist, nothing exists. */
	for (ldns_rdf *up = ldns_dname_left_chop(name); up;) {
		uint8_t key[KEY_MAX];
		size_t keylen = make_key(key, up, 0, klass);
		struct lru_entry *e = live_get(c, key, keylen, now);
		struct cache_item *it = e ? e->value : NULL;
		ldns_rdf *next;

		if (it && it->negative && it->rcode == LDNS_RCODE_NXDOMAIN) {
			ldns_rr_list *copy = ldns_rr_list_rr_count(it->rrs) ? aged_copy(it, now) : NULL;

			if (copy && ldns_rr_list_rr_count(copy) > 0)
				*soa = ldns_rr_list_pop_rr(copy);
			ldns_rr_list_deep_free(copy);
			give_dnssec(it, now, dnssec, verdict);
			if (owner)
				*owner = up;
			else
				ldns_rdf_deep_free(up);
			c->hits++;
			return LDNS_RCODE_NXDOMAIN;
		}
		next = ldns_dname_label_count(up) > 0 ? ldns_dname_left_chop(up) : NULL;
		ldns_rdf_deep_free(up);
		up = next;
	}
	return -ENOENT;
}

/* The parent's copy lives beside the child's: the same key with this bit in the class. */
#define PARENT_SIDE 0x8000

int cache_put_parent_glue(struct cache *c, const ldns_rr_list *rrset, uint64_t now)
{
	uint8_t key[KEY_MAX];
	struct cache_item *it;
	const ldns_rr *first;
	size_t keylen;

	if (!rrset || ldns_rr_list_rr_count(rrset) == 0)
		return -EINVAL;
	first = ldns_rr_list_rr(rrset, 0);
	keylen = make_key(key, ldns_rr_owner(first), ldns_rr_get_type(first),
			  (ldns_rr_class)(ldns_rr_get_class(first) ^ PARENT_SIDE));
	it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->rrs = ldns_rr_list_clone(rrset);
	if (!it->rrs) {
		free(it);
		return -ENOMEM;
	}
	rrsets_normalize_ttl(it->rrs, c->max_ttl);
	it->verdict.status = VERDICT_NONE;
	it->ttl = rrset_min_ttl(it->rrs);
	it->stored = now;
	it->rank = RANK_GLUE;
	return store(c, key, keylen, it, now);
}

ldns_rr_list *cache_get_parent_glue(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
				    uint64_t now)
{
	return cache_get(c, name, type, (ldns_rr_class)(klass ^ PARENT_SIDE), RANK_NONE, now);
}

void cache_set_verdict(struct cache *c, const ldns_rdf *name, ldns_rr_type type, ldns_rr_class klass,
		       struct cache_verdict verdict, uint32_t ttl, uint64_t now)
{
	uint8_t key[KEY_MAX];
	size_t keylen = make_key(key, name, type, klass);
	struct lru_entry *e = live_get(c, key, keylen, now);
	struct cache_item *it;

	if (!e)
		return;
	it = e->value;
	it->verdict = verdict;
	if (live_until(it) > now + (ttl ? ttl : 1)) {
		e->expires = now + (ttl ? ttl : 1) + c->stale_window;
		it->ttl = (uint32_t)(now - it->stored) + ttl;
	}
}

struct flush_name {
	uint8_t name[NAME_WIRE_MAX];
	size_t len;
	bool subtree;
};

/* A key is the canonical name, then type and class. */
static bool key_under(const struct lru_entry *e, void *arg)
{
	const struct flush_name *f = arg;
	size_t n = e->keylen - 4, off = 0;

	if (!f->subtree)
		return n == f->len && !memcmp(e->key, f->name, n);
	while (off < n && n - off > f->len)
		off += e->key[off] + 1u;
	return n - off == f->len && !memcmp(e->key + off, f->name, f->len);
}

size_t cache_flush_name(struct cache *c, const ldns_rdf *name, bool subtree)
{
	struct flush_name f;

	f.len = name_canonical(name, f.name);
	f.subtree = subtree;
	return lru_remove_if(&c->lru, key_under, &f);
}

static bool item_negative(const struct lru_entry *e, void *arg)
{
	const struct cache_item *it = e->value;

	(void)arg;
	return it && it->negative;
}

size_t cache_flush_negative(struct cache *c)
{
	return lru_remove_if(&c->lru, item_negative, NULL);
}
