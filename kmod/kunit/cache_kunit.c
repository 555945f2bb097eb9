// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the response cache (TTL arithmetic, insert, lookup, clamps of
 * entry and record TTLs, eviction under the entry limit and the byte
 * budget, static entries, reclaim, deletion, the seeded hash).
 * The pending table has its own suite (pending_kunit.c).
 *
 * The files under test are included so their static helpers are reachable.
 * Nothing here sends a packet.
 */
/* First, so that the files under test define pr_fmt before any header. */
#include "../cache.c"
#include "../reply.c"

#include <kunit/test.h>

/* reply.c counts through nfdns_pernet(); it is never reached here. */
unsigned int nfdns_net_id;

/* www.example. A IN, one answer 192.0.2.44 with TTL 300. */
static const u8 test_name[] = "\3www\7example";
static const u8 test_resp[] = {
	0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1,
	0xc0, 12, 0, 1, 0, 1, 0, 0, 0x01, 0x2c, 0, 4, 192, 0, 2, 44,
};

struct cache_fixture {
	struct nfdns_net nn;
	struct nfdns_config *cfg;
	u16 ttl_offs[4];
	unsigned int n_ttl;
};

static int cache_test_init(struct kunit *test)
{
	struct cache_fixture *f;
	struct dnswire_resp_info ri;
	const char *why = NULL;
	int cpu, err;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	/* Freed by KUnit after cache_test_exit(), like the fixture. */
	f->cfg = kunit_kzalloc(test, sizeof(*f->cfg), GFP_KERNEL);
	if (!f->cfg)
		return -ENOMEM;
	nfdns_config_defaults(f->cfg);
	f->cfg->pending_timeout_ms = 60000;
	RCU_INIT_POINTER(f->nn.config, f->cfg);
	f->nn.net = &init_net;
	if (dnswire_validate_response(test_resp, sizeof(test_resp),
				      test_name, sizeof(test_name), 1, 1,
				      f->ttl_offs, ARRAY_SIZE(f->ttl_offs),
				      &ri, &why))
		return -EINVAL;
	f->n_ttl = ri.n_ttl;
	f->nn.stats = alloc_percpu(struct nfdns_stats);
	if (!f->nn.stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(f->nn.stats, cpu)->syncp);
	err = nfdns_cache_init(&f->nn);
	if (err)
		goto err_stats;
	err = nfdns_pending_init(&f->nn);
	if (err)
		goto err_cache;
	/* Only a fully set up fixture is seen, and torn down, by exit. */
	test->priv = f;
	return 0;

err_cache:
	nfdns_cache_destroy(&f->nn);
err_stats:
	free_percpu(f->nn.stats);
	return err;
}

/* KUnit calls this even when cache_test_init() failed. */
static void cache_test_exit(struct kunit *test)
{
	struct cache_fixture *f = test->priv;

	if (!f)
		return;
	nfdns_pending_destroy(&f->nn);
	nfdns_cache_destroy(&f->nn);
	free_percpu(f->nn.stats);
}

static u64 stat(struct cache_fixture *f, unsigned int which)
{
	unsigned int start;
	u64 sum = 0, v;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct nfdns_stats *s = per_cpu_ptr(f->nn.stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->c[which]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += v;
	}
	return sum;
}

/* A key of the test response, with a distinct type per @n. */
static struct nfdns_key key_n(u16 n)
{
	return (struct nfdns_key){
		.name = test_name, .name_len = sizeof(test_name),
		.qtype = n, .qclass = 1,
	};
}

/* Insert the test response under type @n (the question is patched). */
static int insert_n(struct cache_fixture *f, u16 n, u32 ttl, u32 flags)
{
	struct nfdns_key key = key_n(n);
	u8 resp[sizeof(test_resp)];
	const char *why = NULL;

	memcpy(resp, test_resp, sizeof(resp));
	put_unaligned_be16(n, resp + DNSWIRE_HDR_LEN + sizeof(test_name));
	return nfdns_cache_insert(&f->nn, &key, resp, sizeof(resp), f->ttl_offs,
				  f->n_ttl, ttl, flags, &why);
}

static bool present(struct cache_fixture *f, u16 n)
{
	struct nfdns_key key = key_n(n);
	bool found;

	rcu_read_lock();
	found = rhashtable_lookup(&f->nn.cache.table, &key,
				  nfdns_cache_params);
	rcu_read_unlock();
	return found;
}

static void nfdns_ttl_arithmetic_test(struct kunit *test)
{
	struct nfdns_entry e = { .stored = 1000ULL * HZ, .ttl = 5 };
	u64 stored = e.stored;

	KUNIT_EXPECT_TRUE(test, nfdns_entry_fresh(&e, stored));
	KUNIT_EXPECT_EQ(test, nfdns_entry_remaining(&e, stored), 5);
	/* One jiffy before expiry: still fresh, four whole seconds old. */
	KUNIT_EXPECT_TRUE(test, nfdns_entry_fresh(&e, stored + 5 * HZ - 1));
	KUNIT_EXPECT_EQ(test, nfdns_entry_age(&e, stored + 5 * HZ - 1), 4);
	KUNIT_EXPECT_EQ(test, nfdns_entry_remaining(&e, stored + 5 * HZ - 1), 1);
	KUNIT_EXPECT_FALSE(test, nfdns_entry_fresh(&e, stored + 5 * HZ));
	KUNIT_EXPECT_EQ(test, nfdns_entry_remaining(&e, stored + 5 * HZ), 0);
	/* Long expired: never below zero. */
	KUNIT_EXPECT_EQ(test, nfdns_entry_remaining(&e, stored + 100000ULL * HZ), 0);
	/* A clock behind the entry's birth counts as no time at all. */
	KUNIT_EXPECT_EQ(test, nfdns_entry_age(&e, stored - HZ), 0);
	/* A static entry never ages. */
	e.flags = NFDNS_ENTRY_F_STATIC;
	KUNIT_EXPECT_TRUE(test, nfdns_entry_fresh(&e, stored + 100000ULL * HZ));
	KUNIT_EXPECT_EQ(test, nfdns_entry_age(&e, stored + 100000ULL * HZ), 0);
}

static void nfdns_cache_insert_lookup_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_key key = key_n(1);
	struct nfdns_entry *e;

	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, 0), 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 1);
	rcu_read_lock();
	e = nfdns_cache_lookup(&f->nn, &key);
	KUNIT_EXPECT_NOT_NULL(test, e);
	if (e) {
		KUNIT_EXPECT_EQ(test, e->resp_len, sizeof(test_resp));
		KUNIT_EXPECT_EQ(test, e->ttl, 300);
		KUNIT_EXPECT_TRUE(test, nfdns_entry_fresh(e, get_jiffies_64()));
	}
	/*
	 * Type and DO are part of the key.  Their hashes differ too, so only
	 * asking the comparison itself shows that it tells them apart.
	 */
	if (e) {
		struct rhashtable_compare_arg arg = { .key = &key };

		KUNIT_EXPECT_EQ(test, nfdns_obj_cmpfn(&arg, e), 0);
		key.qtype = 28;
		KUNIT_EXPECT_NE(test, nfdns_obj_cmpfn(&arg, e), 0);
		key.qtype = 1;
		key.do_bit = 1;
		KUNIT_EXPECT_NE(test, nfdns_obj_cmpfn(&arg, e), 0);
		key.do_bit = 0;
		key.qclass = 3;
		KUNIT_EXPECT_NE(test, nfdns_obj_cmpfn(&arg, e), 0);
		key.qclass = 1;
	}
	key.do_bit = 1;
	KUNIT_EXPECT_NULL(test, nfdns_cache_lookup(&f->nn, &key));
	rcu_read_unlock();
	/* Another type of the same name is an entry of its own. */
	KUNIT_EXPECT_FALSE(test, present(f, 28));
	KUNIT_ASSERT_EQ(test, insert_n(f, 28, 300, 0), 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 2);
	KUNIT_EXPECT_TRUE(test, present(f, 1));
	KUNIT_EXPECT_TRUE(test, present(f, 28));
	KUNIT_EXPECT_EQ(test, nfdns_cache_delete(&f->nn, test_name,
						 sizeof(test_name), 28, false), 1);

	/* The same question again replaces the entry. */
	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 60, 0), 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 1);
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_INSERTS), 3);
}

static void nfdns_cache_ttl_clamp_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_key key;
	struct nfdns_entry *e;

	f->cfg->min_ttl = 10;
	f->cfg->max_ttl = 100;
	f->cfg->neg_max_ttl = 50;
	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 5, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 2, 1000, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 3, 80, NFDNS_ENTRY_F_NEGATIVE), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 4, 1000000, NFDNS_ENTRY_F_STATIC), 0);
	rcu_read_lock();
	key = key_n(1);
	e = nfdns_cache_lookup(&f->nn, &key);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, 10);
	key = key_n(2);
	e = nfdns_cache_lookup(&f->nn, &key);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, 100);
	key = key_n(3);
	e = nfdns_cache_lookup(&f->nn, &key);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, 50);
	key = key_n(4);
	e = nfdns_cache_lookup(&f->nn, &key);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, 1000000);
	rcu_read_unlock();
}

static void nfdns_cache_entry_limit_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	u16 n;

	f->cfg->max_entries = 4;
	for (n = 1; n <= 6; n++)
		KUNIT_ASSERT_EQ(test, insert_n(f, n, 300, 0), 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 4);
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_EVICTIONS), 2);
	/* Oldest unreferenced first. */
	KUNIT_EXPECT_FALSE(test, present(f, 1));
	KUNIT_EXPECT_FALSE(test, present(f, 2));
	KUNIT_EXPECT_TRUE(test, present(f, 6));
}

static void nfdns_cache_second_chance_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_key key = key_n(1);

	f->cfg->max_entries = 3;
	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 2, 300, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 3, 300, 0), 0);
	rcu_read_lock();
	KUNIT_EXPECT_NOT_NULL(test, nfdns_cache_lookup(&f->nn, &key));
	rcu_read_unlock();
	KUNIT_ASSERT_EQ(test, insert_n(f, 4, 300, 0), 0);
	/* 1 was used since it went in: 2 goes instead. */
	KUNIT_EXPECT_TRUE(test, present(f, 1));
	KUNIT_EXPECT_FALSE(test, present(f, 2));
	KUNIT_EXPECT_TRUE(test, present(f, 4));
}

static void nfdns_cache_byte_budget_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	const char *why = NULL;
	u64 size, fit;
	u16 n;

	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, 0), 0);
	size = f->nn.cache.bytes;
	/* The smallest budget the configuration accepts. */
	f->cfg->max_bytes = 4096;
	KUNIT_ASSERT_EQ(test, nfdns_config_check(f->cfg, &why), 0);
	fit = f->cfg->max_bytes / size;
	KUNIT_ASSERT_GE(test, fit, 2);
	for (n = 2; n <= fit + 5; n++)
		KUNIT_ASSERT_EQ(test, insert_n(f, n, 300, 0), 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, fit);
	KUNIT_EXPECT_LE(test, f->nn.cache.bytes, f->cfg->max_bytes);
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_EVICTIONS), 5);
	KUNIT_EXPECT_FALSE(test, present(f, 5));
	KUNIT_EXPECT_TRUE(test, present(f, 6));
	KUNIT_EXPECT_TRUE(test, present(f, fit + 5));
}

static void nfdns_cache_static_full_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	u16 n;

	f->cfg->max_entries = 3;
	for (n = 1; n <= 3; n++)
		KUNIT_ASSERT_EQ(test, insert_n(f, n, 300, NFDNS_ENTRY_F_STATIC), 0);
	/* Static entries are never evicted: there is no room. */
	KUNIT_EXPECT_EQ(test, insert_n(f, 4, 300, 0), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 3);
	KUNIT_EXPECT_FALSE(test, present(f, 4));
}

static void nfdns_cache_expired_first_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_key key = key_n(2);
	struct nfdns_entry *e;

	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 2, 300, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 3, 300, 0), 0);
	rcu_read_lock();
	e = nfdns_cache_lookup(&f->nn, &key);
	KUNIT_ASSERT_NOT_NULL(test, e);
	/* Age entry 2 past its TTL. */
	e->stored -= 301ULL * HZ;
	rcu_read_unlock();

	cancel_delayed_work_sync(&f->nn.cache.reclaim);
	nfdns_cache_reclaim(&f->nn.cache.reclaim.work);
	KUNIT_EXPECT_FALSE(test, present(f, 2));
	KUNIT_EXPECT_TRUE(test, present(f, 1));
	KUNIT_EXPECT_TRUE(test, present(f, 3));
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_EXPIRATIONS), 1);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 2);
}

static void nfdns_cache_serve_stale_keeps_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_key key = key_n(1);
	struct nfdns_entry *e;

	f->cfg->serve_stale = 3600;
	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, 0), 0);
	rcu_read_lock();
	e = nfdns_cache_lookup(&f->nn, &key);
	KUNIT_ASSERT_NOT_NULL(test, e);
	e->stored -= 400ULL * HZ;
	rcu_read_unlock();
	cancel_delayed_work_sync(&f->nn.cache.reclaim);
	nfdns_cache_reclaim(&f->nn.cache.reclaim.work);
	/* Expired, but inside the serve-stale window: kept. */
	KUNIT_EXPECT_TRUE(test, present(f, 1));
}

/*
 * Only the last prefetch_pct of the TTL is near expiry.  What is read under
 * RCU is checked after it: a failed expectation allocates, and may sleep.
 */
static void nfdns_cache_near_expiry_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_key key = key_n(1);
	struct nfdns_entry *e;
	bool near[8] = {};
	u64 now;

	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 100, 0), 0);
	rcu_read_lock();
	e = nfdns_cache_lookup(&f->nn, &key);
	if (e) {
		now = e->stored;
		near[0] = nfdns_entry_near_expiry(e, now, 10, 0);
		near[1] = nfdns_entry_near_expiry(e, now + 89 * HZ, 10, 0);
		near[2] = nfdns_entry_near_expiry(e, now + 91 * HZ, 10, 0);
		near[3] = nfdns_entry_near_expiry(e, now + 51 * HZ, 50, 0);
		near[4] = nfdns_entry_near_expiry(e, now + 99 * HZ, 0, 0);
		/* Adaptive: 40 s left, one hit in 60 s: the next comes too late. */
		near[5] = nfdns_entry_near_expiry(e, now + 60 * HZ, 10, 1);
		/* Three hits in 60 s: 20 s apart (30 with the margin), 40 left. */
		near[6] = nfdns_entry_near_expiry(e, now + 60 * HZ, 10, 3);
		/* Three in 70 s: 23 s apart, 30 s left: the margin decides. */
		near[7] = nfdns_entry_near_expiry(e, now + 70 * HZ, 10, 3);
	}
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_FALSE(test, near[0]);
	KUNIT_EXPECT_FALSE(test, near[1]);
	KUNIT_EXPECT_TRUE(test, near[2]);
	KUNIT_EXPECT_TRUE(test, near[3]);
	KUNIT_EXPECT_FALSE(test, near[4]);
	KUNIT_EXPECT_TRUE(test, near[5]);
	KUNIT_EXPECT_FALSE(test, near[6]);
	KUNIT_EXPECT_TRUE(test, near[7]);
}

/*
 * One PREFETCH per entry, however many hits claim it; a stale entry's
 * refresh once per NFDNS_STALE_REFRESH_INTERVAL; a re-insert starts clean.
 */
static void nfdns_cache_prefetch_claim_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_key key = key_n(1);
	struct nfdns_entry *e, *fresh;
	bool again[3] = {};
	u32 marked = 0, fresh_mark = 1;
	int i, won = 0;
	u64 now;

	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 100, 0), 0);
	rcu_read_lock();
	e = nfdns_cache_lookup(&f->nn, &key);
	if (e) {
		now = e->stored + 95 * HZ;
		for (i = 0; i < 100; i++)
			won += nfdns_entry_claim_prefetch(e, now);
		marked = READ_ONCE(e->refreshed);
		/* Past its TTL: a refresh may go again only after the interval. */
		again[0] = nfdns_entry_claim_stale_refresh(e, now + HZ);
		/* The stamp has its low bit set: it may be one jiffy late. */
		again[1] = nfdns_entry_claim_stale_refresh(e, now +
				NFDNS_STALE_REFRESH_INTERVAL + 1);
		again[2] = nfdns_entry_claim_stale_refresh(e, now +
				NFDNS_STALE_REFRESH_INTERVAL + HZ);
	}
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, won, 1);
	KUNIT_EXPECT_NE(test, marked, 0);
	KUNIT_EXPECT_FALSE(test, again[0]);
	KUNIT_EXPECT_TRUE(test, again[1]);
	KUNIT_EXPECT_FALSE(test, again[2]);

	/* The fresh answer replaces the entry, with no mark. */
	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 100, 0), 0);
	rcu_read_lock();
	fresh = nfdns_cache_lookup(&f->nn, &key);
	if (fresh)
		fresh_mark = READ_ONCE(fresh->refreshed);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, fresh);
	KUNIT_EXPECT_PTR_NE(test, fresh, e);
	KUNIT_EXPECT_EQ(test, fresh_mark, 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 1);
}

static void nfdns_cache_delete_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	static const u8 example[] = "\7example";
	static const u8 other[] = "\5other";

	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 28, 300, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 16, 300, 0), 0);
	KUNIT_EXPECT_EQ(test, nfdns_cache_delete(&f->nn, test_name,
						 sizeof(test_name), 28, false), 1);
	KUNIT_EXPECT_EQ(test, nfdns_cache_delete(&f->nn, other, sizeof(other),
						 -1, true), 0);
	/* www.example. is below example. */
	KUNIT_EXPECT_EQ(test, nfdns_cache_delete(&f->nn, example, sizeof(example),
						 -1, false), 0);
	KUNIT_EXPECT_EQ(test, nfdns_cache_delete(&f->nn, example, sizeof(example),
						 1, true), 1);
	KUNIT_EXPECT_EQ(test, nfdns_cache_flush(&f->nn), 1);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.bytes, 0);
}

/* The stored TTL of record @i of an entry. */
static u32 record_ttl(const struct nfdns_entry *e, unsigned int i)
{
	return get_unaligned_be32(nfdns_entry_resp(e) +
				  nfdns_entry_ttl_offs(e)[i]);
}

static struct nfdns_entry *entry_n(struct cache_fixture *f, u16 n)
{
	struct nfdns_key key = key_n(n);

	/* Test code is the only writer: the entry stays. */
	return rhashtable_lookup_fast(&f->nn.cache.table, &key,
				      nfdns_cache_params);
}

static void nfdns_cache_oversized_test(struct kunit *test)
{
	/* www.example. A with 300 records: a response of 4829 bytes. */
	const unsigned int n_rr = 300, len = sizeof(test_resp) + 299 * 16;
	struct cache_fixture *f = test->priv;
	struct nfdns_key key = key_n(1);
	const char *why = NULL;
	unsigned int i;
	u16 *offs;
	u8 *resp;

	resp = kunit_kzalloc(test, len, GFP_KERNEL);
	offs = kunit_kcalloc(test, n_rr, sizeof(*offs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_ASSERT_NOT_NULL(test, offs);
	memcpy(resp, test_resp, sizeof(test_resp));
	put_unaligned_be16(n_rr, resp + 6);
	for (i = 1; i < n_rr; i++)
		memcpy(resp + sizeof(test_resp) + (i - 1) * 16,
		       test_resp + sizeof(test_resp) - 16, 16);
	for (i = 0; i < n_rr; i++)
		offs[i] = sizeof(test_resp) - 16 + 6 + i * 16;

	for (i = 2; i <= 4; i++)
		KUNIT_ASSERT_EQ(test, insert_n(f, i, 300, 0), 0);
	f->cfg->max_bytes = 4096;
	KUNIT_EXPECT_EQ(test, nfdns_cache_insert(&f->nn, &key, resp, len, offs,
						 n_rr, 300, 0, &why), -E2BIG);
	KUNIT_EXPECT_NOT_NULL(test, why ? strstr(why, "max_bytes") : NULL);
	/* Refused outright: nothing was evicted to make room first. */
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 3);
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_EVICTIONS), 0);
	KUNIT_EXPECT_TRUE(test, present(f, 2));
	KUNIT_EXPECT_TRUE(test, present(f, 4));
	KUNIT_EXPECT_FALSE(test, present(f, 1));

	/* Within the budget, the same response is taken. */
	f->cfg->max_bytes = 1 << 20;
	KUNIT_EXPECT_EQ(test, nfdns_cache_insert(&f->nn, &key, resp, len, offs,
						 n_rr, 300, 0, &why), 0);
	KUNIT_EXPECT_TRUE(test, present(f, 1));
}

static void nfdns_cache_static_no_room_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	const char *why = NULL;
	struct nfdns_key key = key_n(4);
	u8 resp[sizeof(test_resp)];

	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, NFDNS_ENTRY_F_STATIC), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 2, 300, NFDNS_ENTRY_F_STATIC), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 3, 300, 0), 0);
	/* The static entries alone fill the cache once the limit drops. */
	f->cfg->max_entries = 2;
	memcpy(resp, test_resp, sizeof(resp));
	put_unaligned_be16(4, resp + DNSWIRE_HDR_LEN + sizeof(test_name));
	KUNIT_EXPECT_EQ(test, nfdns_cache_insert(&f->nn, &key, resp,
						 sizeof(resp), f->ttl_offs,
						 f->n_ttl, 300, 0, &why),
			-ENOSPC);
	KUNIT_EXPECT_NOT_NULL(test, why ? strstr(why, "static") : NULL);
	/* Refused before evicting: the other entry is still there. */
	KUNIT_EXPECT_TRUE(test, present(f, 3));
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_EVICTIONS), 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 3);
	/* Replacing a static entry in place needs no room. */
	KUNIT_EXPECT_EQ(test, insert_n(f, 2, 60, NFDNS_ENTRY_F_STATIC), 0);
}

static void nfdns_cache_static_off_clock_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_cache *c = &f->nn.cache;
	struct nfdns_entry *e;
	unsigned int on_clock = 0;
	u16 n;

	for (n = 100; n < 200; n++)
		KUNIT_ASSERT_EQ(test, insert_n(f, n, 300, NFDNS_ENTRY_F_STATIC), 0);
	for (n = 1; n <= 3; n++)
		KUNIT_ASSERT_EQ(test, insert_n(f, n, 300, 0), 0);
	/* The eviction clock holds only what it may evict. */
	list_for_each_entry(e, &c->clock, clock) {
		KUNIT_EXPECT_FALSE(test, e->flags & NFDNS_ENTRY_F_STATIC);
		on_clock++;
	}
	KUNIT_EXPECT_EQ(test, on_clock, 3);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&c->statics), 100);
	KUNIT_EXPECT_EQ(test, c->n_static, 100);
	/* ... and both lists count against the limits. */
	KUNIT_EXPECT_EQ(test, c->entries, 103);
	KUNIT_EXPECT_EQ(test, c->static_bytes, 100 * (c->bytes / 103));

	f->cfg->max_entries = 103;
	KUNIT_ASSERT_EQ(test, insert_n(f, 4, 300, 0), 0);
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_EVICTIONS), 1);
	KUNIT_EXPECT_FALSE(test, present(f, 1));
	KUNIT_EXPECT_EQ(test, c->entries, 103);

	/* A static entry replaced by a cached one moves to the clock. */
	KUNIT_ASSERT_EQ(test, insert_n(f, 100, 300, 0), 0);
	KUNIT_EXPECT_EQ(test, c->n_static, 99);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&c->clock), 4);
	KUNIT_EXPECT_EQ(test, c->entries, 103);
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_EVICTIONS), 1);
}

static void nfdns_cache_record_ttl_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_entry *e;

	/* The test response's one record has TTL 300. */
	f->cfg->max_ttl = 100;
	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 1000, 0), 0);
	f->cfg->max_ttl = 400;
	KUNIT_ASSERT_EQ(test, insert_n(f, 2, 1000, 0), 0);
	f->cfg->min_ttl = 350;
	KUNIT_ASSERT_EQ(test, insert_n(f, 3, 10, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 4, 60, NFDNS_ENTRY_F_STATIC), 0);
	KUNIT_ASSERT_EQ(test, insert_n(f, 5, 1000000, NFDNS_ENTRY_F_STATIC), 0);

	e = entry_n(f, 1);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->ttl, 100);
	/* Lowered to max_ttl: no hit serves more than the entry lives. */
	KUNIT_EXPECT_EQ(test, record_ttl(e, 0), 100);
	e = entry_n(f, 2);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->ttl, 400);
	KUNIT_EXPECT_EQ(test, record_ttl(e, 0), 300);
	/* min_ttl keeps the entry longer but never raises a record's TTL. */
	e = entry_n(f, 3);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->ttl, 350);
	KUNIT_EXPECT_EQ(test, record_ttl(e, 0), 300);
	/* Static entries keep their TTL; records never exceed it either. */
	e = entry_n(f, 4);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->ttl, 60);
	KUNIT_EXPECT_EQ(test, record_ttl(e, 0), 60);
	e = entry_n(f, 5);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->ttl, 1000000);
	KUNIT_EXPECT_EQ(test, record_ttl(e, 0), 300);
}

/* Insert the test response under type @n with RCODE @rcode. */
static int insert_rcode(struct cache_fixture *f, u16 n, u8 rcode, u32 ttl,
			u32 flags)
{
	struct nfdns_key key = key_n(n);
	u8 resp[sizeof(test_resp)];
	const char *why = NULL;

	memcpy(resp, test_resp, sizeof(resp));
	put_unaligned_be16(n, resp + DNSWIRE_HDR_LEN + sizeof(test_name));
	resp[3] = (resp[3] & ~DNSWIRE_F2_RCODE) | rcode;
	/* The question only: what an error response carries. */
	put_unaligned_be16(0, resp + 6);
	return nfdns_cache_insert(&f->nn, &key, resp,
				  DNSWIRE_HDR_LEN + sizeof(test_name) + 4,
				  NULL, 0, ttl, flags, &why);
}

static void nfdns_cache_error_ttl_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_entry *e;

	f->cfg->min_ttl = 30;
	KUNIT_ASSERT_EQ(test, insert_rcode(f, 1, DNSWIRE_RCODE_SERVFAIL, 3600, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_rcode(f, 2, DNSWIRE_RCODE_REFUSED, 3600,
					   NFDNS_ENTRY_F_NEGATIVE), 0);
	KUNIT_ASSERT_EQ(test, insert_rcode(f, 3, DNSWIRE_RCODE_NXDOMAIN, 7200,
					   NFDNS_ENTRY_F_NEGATIVE), 0);
	KUNIT_ASSERT_EQ(test, insert_rcode(f, 4, DNSWIRE_RCODE_NOERROR, 7200,
					   NFDNS_ENTRY_F_NEGATIVE), 0);
	KUNIT_ASSERT_EQ(test, insert_rcode(f, 5, DNSWIRE_RCODE_SERVFAIL, 2, 0), 0);
	KUNIT_ASSERT_EQ(test, insert_rcode(f, 6, DNSWIRE_RCODE_REFUSED, 3600,
					   NFDNS_ENTRY_F_STATIC), 0);

	/* Errors are kept a few seconds, whatever TTL and min_ttl say. */
	e = entry_n(f, 1);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, NFDNS_ERROR_MAX_TTL);
	e = entry_n(f, 2);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, NFDNS_ERROR_MAX_TTL);
	e = entry_n(f, 5);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, NFDNS_ERROR_MAX_TTL);
	/* Negative answers are not errors: their own cap applies. */
	e = entry_n(f, 3);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, f->cfg->neg_max_ttl);
	e = entry_n(f, 4);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, f->cfg->neg_max_ttl);
	/* An operator's static REFUSED stays as given. */
	e = entry_n(f, 6);
	KUNIT_EXPECT_EQ(test, e ? e->ttl : 0, 3600);
	KUNIT_EXPECT_LT(test, NFDNS_ERROR_MAX_TTL, 300);
}

static void nfdns_cache_reclaim_idle_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	struct nfdns_cache *c = &f->nn.cache;

	/* An empty cache has nothing to reclaim: no work is queued. */
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&c->reclaim));
	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, NFDNS_ENTRY_F_STATIC), 0);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&c->reclaim));
	KUNIT_ASSERT_EQ(test, insert_n(f, 2, 300, 0), 0);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&c->reclaim));

	/* While an entry can expire, each run queues the next. */
	cancel_delayed_work_sync(&c->reclaim);
	nfdns_cache_reclaim(&c->reclaim.work);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&c->reclaim));

	/* Once none can, the work stops, static entries or not. */
	KUNIT_EXPECT_EQ(test, nfdns_cache_delete(&f->nn, test_name,
						 sizeof(test_name), 2, false), 1);
	cancel_delayed_work_sync(&c->reclaim);
	nfdns_cache_reclaim(&c->reclaim.work);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&c->reclaim));
	KUNIT_EXPECT_EQ(test, nfdns_cache_flush(&f->nn), 1);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&c->reclaim));
}

static void nfdns_cache_seed_hash_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	static const u32 seeds[] = { 0, 1, 0x80000000, 0x5eed5eed };
	struct nfdns_key a = key_n(1), b = key_n(28);
	struct nfdns_entry *e;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(seeds); i++) {
		for (j = i + 1; j < ARRAY_SIZE(seeds); j++) {
			u32 si = seeds[i], sj = seeds[j];

			/* Another seed, another hash... */
			KUNIT_EXPECT_NE(test, nfdns_hashfn(&a, 0, si),
					nfdns_hashfn(&a, 0, sj));
			/*
			 * ... and not the same one XORed with something: two
			 * keys that share a bucket under one seed must be
			 * able to part under the next, which a rehash needs.
			 */
			KUNIT_EXPECT_NE(test,
					nfdns_hashfn(&a, 0, si) ^ nfdns_hashfn(&b, 0, si),
					nfdns_hashfn(&a, 0, sj) ^ nfdns_hashfn(&b, 0, sj));
		}
	}
	/* An entry hashes as its key does, under any seed. */
	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, 0), 0);
	e = entry_n(f, 1);
	KUNIT_ASSERT_NOT_NULL(test, e);
	for (i = 0; i < ARRAY_SIZE(seeds); i++)
		KUNIT_EXPECT_EQ(test, nfdns_obj_hashfn(e, 0, seeds[i]),
				nfdns_hashfn(&a, 0, seeds[i]));
	/* The seedless hash (the pending table's) is the one of seed 0. */
	KUNIT_EXPECT_EQ(test, nfdns_key_hash(&a), nfdns_hashfn(&a, 0, 0));
}

static void nfdns_cache_flush_batches_test(struct kunit *test)
{
	struct cache_fixture *f = test->priv;
	u16 n, count = 3 * NFDNS_WALK_BATCH + 7;

	for (n = 1; n <= count; n++)
		KUNIT_ASSERT_EQ(test, insert_n(f, n, 300,
					       n % 3 ? 0 : NFDNS_ENTRY_F_STATIC), 0);
	KUNIT_EXPECT_EQ(test, nfdns_cache_delete(&f->nn, test_name,
						 sizeof(test_name), 5, false), 1);
	/* Across several batches, static entries too, every one. */
	KUNIT_EXPECT_EQ(test, nfdns_cache_flush(&f->nn), count - 1);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.bytes, 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.n_static, 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.static_bytes, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->nn.cache.clock));
	KUNIT_EXPECT_TRUE(test, list_empty(&f->nn.cache.statics));
	KUNIT_EXPECT_FALSE(test, present(f, 1));
	KUNIT_EXPECT_FALSE(test, present(f, count));
}

static struct kunit_case nfdns_cache_test_cases[] = {
	KUNIT_CASE(nfdns_ttl_arithmetic_test),
	KUNIT_CASE(nfdns_cache_insert_lookup_test),
	KUNIT_CASE(nfdns_cache_ttl_clamp_test),
	KUNIT_CASE(nfdns_cache_entry_limit_test),
	KUNIT_CASE(nfdns_cache_second_chance_test),
	KUNIT_CASE(nfdns_cache_byte_budget_test),
	KUNIT_CASE(nfdns_cache_static_full_test),
	KUNIT_CASE(nfdns_cache_expired_first_test),
	KUNIT_CASE(nfdns_cache_serve_stale_keeps_test),
	KUNIT_CASE(nfdns_cache_near_expiry_test),
	KUNIT_CASE(nfdns_cache_prefetch_claim_test),
	KUNIT_CASE(nfdns_cache_delete_test),
	KUNIT_CASE(nfdns_cache_oversized_test),
	KUNIT_CASE(nfdns_cache_static_no_room_test),
	KUNIT_CASE(nfdns_cache_static_off_clock_test),
	KUNIT_CASE(nfdns_cache_record_ttl_test),
	KUNIT_CASE(nfdns_cache_error_ttl_test),
	KUNIT_CASE(nfdns_cache_reclaim_idle_test),
	KUNIT_CASE(nfdns_cache_seed_hash_test),
	KUNIT_CASE(nfdns_cache_flush_batches_test),
	{}
};

static struct kunit_suite nfdns_cache_test_suite = {
	.name = "nfdns_cache",
	.init = cache_test_init,
	.exit = cache_test_exit,
	.test_cases = nfdns_cache_test_cases,
};

kunit_test_suite(nfdns_cache_test_suite);
