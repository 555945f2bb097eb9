// SPDX-License-Identifier: GPL-2.0
#include "lru.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ENTRY(l) ((struct lru_entry *)(void *)((char *)(l) - offsetof(struct lru_entry, link)))

static void link_front(struct lru *t, struct lru_link *l)
{
	l->next = t->list.next;
	l->prev = &t->list;
	t->list.next->prev = l;
	t->list.next = l;
}

static void link_remove(struct lru_link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
}

int lru_init(struct lru *t, size_t max, void (*free_value)(void *))
{
	size_t n = 64;

	memset(t, 0, sizeof(*t));
	if (max == 0)
		return -EINVAL;
	while (n < max && n < ((size_t)1 << 24))
		n <<= 1;
	t->buckets = calloc(n, sizeof(*t->buckets));
	if (!t->buckets)
		return -ENOMEM;
	t->nbuckets = n;
	t->max = max;
	t->free_value = free_value;
	t->list.next = t->list.prev = &t->list;
	t->seed = ((uint64_t)rnd_u32() << 32) | rnd_u32();
	return 0;
}

static void unlink_entry(struct lru *t, struct lru_entry *e)
{
	struct lru_entry **pp = &t->buckets[e->hash & (t->nbuckets - 1)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	link_remove(&e->link);
	t->count--;
	t->bytes -= e->cost;
}

void lru_remove(struct lru *t, struct lru_entry *e)
{
	unlink_entry(t, e);
	if (t->free_value)
		t->free_value(e->value);
	free(e);
}

void lru_destroy(struct lru *t)
{
	while (t->buckets && t->list.next != &t->list)
		lru_remove(t, ENTRY(t->list.next));
	free(t->buckets);
	t->buckets = NULL;
}

static struct lru_entry *find(struct lru *t, const void *key, size_t keylen, uint64_t hash)
{
	for (struct lru_entry *e = t->buckets[hash & (t->nbuckets - 1)]; e; e = e->hnext)
		if (e->hash == hash && e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
			return e;
	return NULL;
}

static void to_front(struct lru *t, struct lru_entry *e)
{
	link_remove(&e->link);
	link_front(t, &e->link);
}

struct lru_entry *lru_get(struct lru *t, const void *key, size_t keylen, uint64_t now)
{
	uint64_t hash = hash_bytes(t->seed, key, keylen);
	struct lru_entry *e = find(t, key, keylen, hash);

	if (!e)
		return NULL;
	if (e->expires <= now) {
		t->expirations++;
		lru_remove(t, e);
		return NULL;
	}
	to_front(t, e);
	return e;
}

int lru_put(struct lru *t, const void *key, size_t keylen, void *value, uint64_t expires, uint64_t now)
{
	return lru_put_cost(t, key, keylen, value, 0, expires, now);
}

int lru_put_cost(struct lru *t, const void *key, size_t keylen, void *value, size_t cost, uint64_t expires,
		 uint64_t now)
{
	uint64_t hash = hash_bytes(t->seed, key, keylen);
	struct lru_entry *e = find(t, key, keylen, hash);

	if (cost)
		cost += sizeof(*e) + keylen;
	if (t->max_bytes && cost > t->max_bytes)
		return -E2BIG;
	if (e)
		lru_remove(t, e);
	/* Expired entries at the cold end go first, then the coldest live ones. */
	while (t->count >= t->max || (t->max_bytes && t->count && t->bytes + cost > t->max_bytes)) {
		struct lru_entry *victim = ENTRY(t->list.prev);

		if (victim->expires <= now)
			t->expirations++;
		else
			t->evictions++;
		lru_remove(t, victim);
	}
	e = malloc(sizeof(*e) + keylen);
	if (!e)
		return -ENOMEM;
	memcpy(e->key, key, keylen);
	e->keylen = keylen;
	e->hash = hash;
	e->expires = expires;
	e->cost = cost;
	t->bytes += cost;
	e->value = value;
	e->hnext = t->buckets[hash & (t->nbuckets - 1)];
	t->buckets[hash & (t->nbuckets - 1)] = e;
	link_front(t, &e->link);
	t->count++;
	return 0;
}

size_t lru_remove_if(struct lru *t, bool (*fn)(const struct lru_entry *e, void *arg), void *arg)
{
	struct lru_link *l = t->list.next, *next;
	size_t n = 0;

	for (; l != &t->list; l = next) {
		struct lru_entry *e = (struct lru_entry *)((char *)l - offsetof(struct lru_entry, link));

		next = l->next;
		if (fn(e, arg)) {
			lru_remove(t, e);
			n++;
		}
	}
	return n;
}

int lru_each(struct lru *t, int (*fn)(const struct lru_entry *e, void *arg), void *arg)
{
	for (struct lru_link *l = t->list.next; l != &t->list; l = l->next) {
		int err = fn((const struct lru_entry *)((const char *)l - offsetof(struct lru_entry, link)), arg);

		if (err)
			return err;
	}
	return 0;
}
