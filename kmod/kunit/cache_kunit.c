// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the response cache (TTL arithmetic, insert, lookup, clamps,
 * eviction under the entry limit and the byte budget, reclaim, deletion).
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
	int cpu;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->cfg = kzalloc(sizeof(*f->cfg), GFP_KERNEL);
	if (!f->cfg)
		return -ENOMEM;
	nfdns_config_defaults(f->cfg);
	f->cfg->pending_timeout_ms = 60000;
	RCU_INIT_POINTER(f->nn.config, f->cfg);
	f->nn.net = &init_net;
	f->nn.stats = alloc_percpu(struct nfdns_stats);
	if (!f->nn.stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(f->nn.stats, cpu)->syncp);
	if (nfdns_cache_init(&f->nn) || nfdns_pending_init(&f->nn))
		return -ENOMEM;
	if (dnswire_validate_response(test_resp, sizeof(test_resp),
				      test_name, sizeof(test_name), 1, 1,
				      f->ttl_offs, ARRAY_SIZE(f->ttl_offs),
				      &ri, &why))
		return -EINVAL;
	f->n_ttl = ri.n_ttl;
	test->priv = f;
	return 0;
}

static void cache_test_exit(struct kunit *test)
{
	struct cache_fixture *f = test->priv;

	nfdns_pending_destroy(&f->nn);
	nfdns_cache_destroy(&f->nn);
	free_percpu(f->nn.stats);
	kfree(f->cfg);
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
	/* DO is part of the key. */
	key.do_bit = 1;
	KUNIT_EXPECT_NULL(test, nfdns_cache_lookup(&f->nn, &key));
	rcu_read_unlock();
	KUNIT_EXPECT_FALSE(test, present(f, 28));

	/* The same question again replaces the entry. */
	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 60, 0), 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 1);
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_INSERTS), 2);
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
	u16 n;

	KUNIT_ASSERT_EQ(test, insert_n(f, 1, 300, 0), 0);
	f->cfg->max_bytes = 3 * f->nn.cache.bytes;
	for (n = 2; n <= 8; n++)
		KUNIT_ASSERT_EQ(test, insert_n(f, n, 300, 0), 0);
	KUNIT_EXPECT_EQ(test, f->nn.cache.entries, 3);
	KUNIT_EXPECT_LE(test, f->nn.cache.bytes, f->cfg->max_bytes);
	KUNIT_EXPECT_EQ(test, stat(f, NFDNS_STAT_A_EVICTIONS), 5);
	KUNIT_EXPECT_TRUE(test, present(f, 8));
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
	KUNIT_CASE(nfdns_cache_delete_test),
	{}
};

static struct kunit_suite nfdns_cache_test_suite = {
	.name = "nfdns_cache",
	.init = cache_test_init,
	.exit = cache_test_exit,
	.test_cases = nfdns_cache_test_cases,
};

kunit_test_suite(nfdns_cache_test_suite);
