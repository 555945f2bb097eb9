/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_LRU_H
#define NFDNSD_LRU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A hash table whose entries also sit on a recency list, bounded by an
 * entry count.  Keys are byte strings; values are owned and freed with the
 * table's free function.  Each entry carries an expiry time in the caller's
 * unit; lookups never return expired entries.
 */
struct lru_link {
	struct lru_link *prev, *next;
};

struct lru_entry {
	struct lru_entry *hnext;
	struct lru_link link;
	uint64_t hash;
	uint64_t expires;
	size_t cost;		/* bytes charged against max_bytes */
	void *value;
	size_t keylen;
	uint8_t key[];
};

struct lru {
	struct lru_entry **buckets;
	size_t nbuckets;
	size_t count, max;
	size_t bytes, max_bytes;	/* max_bytes 0: no byte bound */
	struct lru_link list; /* list.next is the most recently used */
	uint64_t seed;
	void (*free_value)(void *value);
	uint64_t evictions, expirations;
};

int lru_init(struct lru *t, size_t max, void (*free_value)(void *));
void lru_destroy(struct lru *t);
/* Marks the entry most recently used.  NULL when absent or expired (an expired one is freed). */
struct lru_entry *lru_get(struct lru *t, const void *key, size_t keylen, uint64_t now);
/* Replaces any entry with the same key; evicts expired then least recently used entries. */
int lru_put(struct lru *t, const void *key, size_t keylen, void *value, uint64_t expires, uint64_t now);
/*
 * The same, charging cost bytes (plus the entry and key) against
 * max_bytes; -E2BIG when one entry alone would not fit.
 */
int lru_put_cost(struct lru *t, const void *key, size_t keylen, void *value, size_t cost, uint64_t expires,
		 uint64_t now);
void lru_remove(struct lru *t, struct lru_entry *e);
/* Removes every entry fn says yes to; returns how many. */
size_t lru_remove_if(struct lru *t, bool (*fn)(const struct lru_entry *e, void *arg), void *arg);
/* Calls fn on every entry, most recently used first, until it returns non-zero (returned). */
int lru_each(struct lru *t, int (*fn)(const struct lru_entry *e, void *arg), void *arg);

#endif
