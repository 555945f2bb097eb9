// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the pending table (coalescing, its bounds per question and per
 * namespace, cancelling a failed upcall, draining).
 *
 * The file under test is included so its static parts are reachable.  Its
 * replies go to the recorders below instead of the network, so the tests
 * see who was answered and how; the cache it consults at a timeout is the
 * one cache_kunit.c builds in.
 */
#define nfdns_reply_error pending_test_reply_error
#define nfdns_reply_from_response pending_test_reply_from_response
/* First, so that the file under test defines pr_fmt before any header. */
#include "../pending.c"

#include <kunit/test.h>

/* What the replies sent so far were. */
static struct {
	unsigned int errors;
	unsigned int answers;
	u8 rcode;
	u16 last_id;
	bool client_case;
	/* By the ID (below 8) of the client answered: its reply's AD bit. */
	bool ad[8];
} sent;

int pending_test_reply_error(struct net *net, const struct nfdns_client *c,
			     const struct dnswire_query *q,
			     const u8 *client_qname, u8 rcode)
{
	sent.errors++;
	sent.rcode = rcode;
	sent.last_id = q->id;
	sent.client_case = q->qname == client_qname && client_qname[1] == 'W';
	return 0;
}

int pending_test_reply_from_response(struct net *net,
				     const struct nfdns_client *c,
				     const struct dnswire_query *q,
				     const u8 *client_qname, const u8 *resp,
				     unsigned int len, const u16 *ttl_offs,
				     unsigned int n_ttl, u32 elapsed,
				     bool *truncated)
{
	u8 out[512];
	int n;

	sent.answers++;
	sent.last_id = q->id;
	n = dnswire_build_reply(out, sizeof(out), resp, len, ttl_offs, n_ttl,
				elapsed, q, client_qname, truncated);
	if (n < 0)
		return n;
	if (q->id < ARRAY_SIZE(sent.ad))
		sent.ad[q->id] = out[3] & DNSWIRE_F2_AD;
	return 0;
}

static const u8 test_name[] = "\3www\7example";

struct pending_fixture {
	struct nfdns_net nn;
	struct nfdns_config *cfg;
	struct dnswire_query q;
	struct nfdns_client c;
};

static int pending_test_init(struct kunit *test)
{
	static const u8 query[] = {
		0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'W', 'w', 'W', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1,
	};
	struct pending_fixture *f;
	int cpu;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	if (dnswire_parse_query(query, sizeof(query), &f->q))
		return -EINVAL;
	f->c.family = NFPROTO_IPV4;
	f->cfg = kzalloc(sizeof(*f->cfg), GFP_KERNEL);
	if (!f->cfg)
		return -ENOMEM;
	nfdns_config_defaults(f->cfg);
	/* No timeout fires during a test. */
	f->cfg->pending_timeout_ms = 60000;
	RCU_INIT_POINTER(f->nn.config, f->cfg);
	f->nn.net = &init_net;
	f->nn.stats = alloc_percpu(struct nfdns_stats);
	if (!f->nn.stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(f->nn.stats, cpu)->syncp);
	if (nfdns_pending_init(&f->nn))
		return -ENOMEM;
	memset(&sent, 0, sizeof(sent));
	test->priv = f;
	return 0;
}

static void pending_test_exit(struct kunit *test)
{
	struct pending_fixture *f = test->priv;

	if (!f)
		return;
	if (f->nn.pending)
		nfdns_pending_destroy(&f->nn);
	free_percpu(f->nn.stats);
	kfree(f->cfg);
}

static struct nfdns_key key_n(u16 n)
{
	return (struct nfdns_key){
		.name = test_name, .name_len = sizeof(test_name),
		.qtype = n, .qclass = 1,
	};
}

/* nfdns_pending_add() runs in the hooks, under RCU; @id tells clients apart. */
static int add(struct pending_fixture *f, const struct nfdns_key *key, u16 id,
	       u64 *seq)
{
	u64 unused;
	int ret;

	f->q.id = id;
	rcu_read_lock();
	ret = nfdns_pending_add(&f->nn, key, &f->c, &f->q, NULL,
				seq ? seq : &unused);
	rcu_read_unlock();
	return ret;
}

static void nfdns_pending_coalesce_test(struct kunit *test)
{
	struct pending_fixture *f = test->priv;
	struct nfdns_key key = key_n(1), other = key_n(28);
	unsigned int i;

	f->cfg->max_waiters = 3;
	f->cfg->max_pending = 2;
	/* The first asks the resolver; the next ones join. */
	KUNIT_EXPECT_EQ(test, add(f, &key, 1, NULL), 1);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, add(f, &key, 2 + i, NULL), 0);
	/* Past the waiter bound: refused, the query goes on untouched. */
	KUNIT_EXPECT_EQ(test, add(f, &key, 4, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->nn.pending->count, 1);
	KUNIT_EXPECT_EQ(test, f->nn.pending->waiters, 3);

	/* DO=1 is another question; a third question is over the bound. */
	KUNIT_EXPECT_EQ(test, add(f, &other, 5, NULL), 1);
	other.do_bit = 1;
	KUNIT_EXPECT_EQ(test, add(f, &other, 6, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->nn.pending->count, 2);

	/* Answering a question answers each of its clients with its own ID. */
	KUNIT_EXPECT_EQ(test, nfdns_pending_fail(&f->nn, &key, 3), 3);
	KUNIT_EXPECT_EQ(test, sent.errors, 3);
	KUNIT_EXPECT_EQ(test, sent.rcode, 3);
	KUNIT_EXPECT_EQ(test, sent.last_id, 3);
	KUNIT_EXPECT_TRUE(test, sent.client_case);
	KUNIT_EXPECT_EQ(test, f->nn.pending->count, 1);
	KUNIT_EXPECT_EQ(test, f->nn.pending->waiters, 1);
	KUNIT_EXPECT_EQ(test, nfdns_pending_fail(&f->nn, &key, 2), -ENOENT);
}

/*
 * A failed upcall cancels the question its caller created, and only that
 * one: the clients that joined are answered, the caller's query goes on.
 */
static void nfdns_pending_cancel_test(struct kunit *test)
{
	struct pending_fixture *f = test->priv;
	struct nfdns_key key = key_n(1);
	u64 seq, later;

	KUNIT_ASSERT_EQ(test, add(f, &key, 1, &seq), 1);
	KUNIT_ASSERT_EQ(test, add(f, &key, 2, NULL), 0);
	KUNIT_ASSERT_EQ(test, add(f, &key, 3, NULL), 0);
	KUNIT_EXPECT_TRUE(test, nfdns_pending_cancel(&f->nn, &key, seq));
	KUNIT_EXPECT_EQ(test, sent.errors, 2);
	KUNIT_EXPECT_EQ(test, sent.rcode, DNSWIRE_RCODE_SERVFAIL);
	KUNIT_EXPECT_EQ(test, sent.last_id, 3);
	KUNIT_EXPECT_EQ(test, f->nn.pending->count, 0);
	KUNIT_EXPECT_EQ(test, f->nn.pending->waiters, 0);
	KUNIT_EXPECT_EQ(test, f->nn.pending->bytes, 0);

	/*
	 * Answered before the failed upcall is noticed, then asked again:
	 * the late cancel leaves the new question alone and tells its
	 * caller that its client was answered.
	 */
	memset(&sent, 0, sizeof(sent));
	KUNIT_ASSERT_EQ(test, add(f, &key, 4, &seq), 1);
	KUNIT_ASSERT_EQ(test, nfdns_pending_fail(&f->nn, &key, 2), 1);
	KUNIT_ASSERT_EQ(test, add(f, &key, 5, &later), 1);
	KUNIT_ASSERT_EQ(test, add(f, &key, 6, NULL), 0);
	KUNIT_EXPECT_NE(test, seq, later);
	KUNIT_EXPECT_FALSE(test, nfdns_pending_cancel(&f->nn, &key, seq));
	KUNIT_EXPECT_EQ(test, f->nn.pending->count, 1);
	KUNIT_EXPECT_EQ(test, f->nn.pending->waiters, 2);
	KUNIT_EXPECT_EQ(test, sent.errors, 1);
	KUNIT_EXPECT_EQ(test, nfdns_pending_fail(&f->nn, &key, 2), 2);
}

/* Bounds over the whole namespace, not only per question. */
static void nfdns_pending_namespace_bounds_test(struct kunit *test)
{
	struct pending_fixture *f = test->priv;
	struct nfdns_key a = key_n(1), b = key_n(2);
	unsigned int i, n = 0;
	int ret = 0;

	/* Two questions may wait, so eight clients in all, whatever the split. */
	f->cfg->max_pending = 2;
	f->cfg->max_waiters = 64;
	KUNIT_ASSERT_EQ(test, add(f, &a, 0, NULL), 1);
	KUNIT_ASSERT_EQ(test, add(f, &b, 0, NULL), 1);
	for (i = 0; i < 20; i++)
		if (add(f, i % 4 ? &a : &b, i, NULL) == 0)
			n++;
	KUNIT_EXPECT_EQ(test, n, 2 * NFDNS_WAITERS_PER_PENDING - 2);
	KUNIT_EXPECT_EQ(test, f->nn.pending->waiters,
			2 * NFDNS_WAITERS_PER_PENDING);
	nfdns_pending_drain(&f->nn, false);

	/* Memory: a quarter of the smallest cache budget holds a few. */
	f->cfg->max_pending = 4096;
	f->cfg->max_bytes = 4096;
	KUNIT_ASSERT_EQ(test, add(f, &a, 0, NULL), 1);
	for (n = 0; n < 64; n++) {
		ret = add(f, &a, n, NULL);
		if (ret)
			break;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_GT(test, n, 0);
	KUNIT_EXPECT_LE(test, f->nn.pending->bytes, 4096 / 4);
	KUNIT_EXPECT_EQ(test, f->nn.pending->waiters, n + 1);
}

/* A waiter holds its client's name, not a copy sized for any name. */
static void nfdns_pending_waiter_size_test(struct kunit *test)
{
	struct pending_fixture *f = test->priv;
	struct nfdns_key key = key_n(1);

	KUNIT_EXPECT_LE(test, kmalloc_size_roundup(struct_size_t(struct nfdns_waiter,
							       qname, sizeof(test_name))),
			128);
	KUNIT_ASSERT_EQ(test, add(f, &key, 1, NULL), 1);
	KUNIT_EXPECT_LE(test, f->nn.pending->bytes, 128 + 256);
}

/* The end of the namespace's state answers every client, or none. */
static void nfdns_pending_drain_test(struct kunit *test)
{
	struct pending_fixture *f = test->priv;
	struct nfdns_key a = key_n(1), b = key_n(2);

	KUNIT_ASSERT_EQ(test, add(f, &a, 1, NULL), 1);
	KUNIT_ASSERT_EQ(test, add(f, &a, 2, NULL), 0);
	KUNIT_ASSERT_EQ(test, add(f, &b, 3, NULL), 1);
	nfdns_pending_drain(&f->nn, true);
	KUNIT_EXPECT_EQ(test, sent.errors, 3);
	KUNIT_EXPECT_EQ(test, sent.rcode, DNSWIRE_RCODE_SERVFAIL);
	KUNIT_EXPECT_EQ(test, f->nn.pending->count, 0);
	KUNIT_EXPECT_EQ(test, f->nn.pending->bytes, 0);

	memset(&sent, 0, sizeof(sent));
	KUNIT_ASSERT_EQ(test, add(f, &a, 1, NULL), 1);
	nfdns_pending_drain(&f->nn, false);
	KUNIT_EXPECT_EQ(test, sent.errors, 0);
	KUNIT_EXPECT_EQ(test, f->nn.pending->waiters, 0);
}

/* www.example. A 192.0.2.1, with AD as the resolver sets it on secure data. */
static const u8 ad_resp[] = {
	0, 0, 0x81, 0xa0, 0, 1, 0, 1, 0, 0, 0, 0,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1,
	0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, 1,
};

/* Answer @key's waiters with ad_resp, its AD bit set or cleared. */
static int answer_ad(struct kunit *test, struct pending_fixture *f,
		     const struct nfdns_key *key, bool ad)
{
	struct dnswire_resp_info ri;
	u8 resp[sizeof(ad_resp)];
	const char *why;
	u16 offs[2];

	memcpy(resp, ad_resp, sizeof(resp));
	if (!ad)
		resp[3] &= ~DNSWIRE_F2_AD;
	KUNIT_ASSERT_EQ(test, dnswire_validate_response(resp, sizeof(resp),
				key->name, key->name_len, key->qtype,
				key->qclass, offs, ARRAY_SIZE(offs), &ri,
				&why), 0);
	return nfdns_pending_answer(&f->nn, key, resp, sizeof(resp), offs,
				    ri.n_ttl);
}

/*
 * The first answer, to the clients that waited for it, carries AD as a
 * hit would: from the stored response, to a client that set DO or AD,
 * each judged by its own query, never to one that set neither.
 */
static void nfdns_pending_ad_test(struct kunit *test)
{
	struct pending_fixture *f = test->priv;
	struct nfdns_key key = key_n(1), dnssec = key_n(1);

	dnssec.do_bit = 1;
	f->q.ad = false;
	KUNIT_ASSERT_EQ(test, add(f, &key, 1, NULL), 1);
	f->q.ad = true;
	KUNIT_ASSERT_EQ(test, add(f, &key, 2, NULL), 0);
	KUNIT_EXPECT_EQ(test, answer_ad(test, f, &key, true), 2);
	KUNIT_EXPECT_FALSE(test, sent.ad[1]);
	KUNIT_EXPECT_TRUE(test, sent.ad[2]);

	f->q.ad = false;
	f->q.edns = true;
	f->q.edns_do = true;
	KUNIT_ASSERT_EQ(test, add(f, &dnssec, 3, NULL), 1);
	KUNIT_EXPECT_EQ(test, answer_ad(test, f, &dnssec, true), 1);
	KUNIT_EXPECT_TRUE(test, sent.ad[3]);

	/* What the resolver did not mark secure gets no AD, asked or not. */
	f->q.ad = true;
	KUNIT_ASSERT_EQ(test, add(f, &dnssec, 4, NULL), 1);
	KUNIT_EXPECT_EQ(test, answer_ad(test, f, &dnssec, false), 1);
	KUNIT_EXPECT_FALSE(test, sent.ad[4]);
	KUNIT_EXPECT_EQ(test, sent.answers, 4);
}

static struct kunit_case nfdns_pending_test_cases[] = {
	KUNIT_CASE(nfdns_pending_coalesce_test),
	KUNIT_CASE(nfdns_pending_cancel_test),
	KUNIT_CASE(nfdns_pending_namespace_bounds_test),
	KUNIT_CASE(nfdns_pending_waiter_size_test),
	KUNIT_CASE(nfdns_pending_drain_test),
	KUNIT_CASE(nfdns_pending_ad_test),
	{}
};

static struct kunit_suite nfdns_pending_test_suite = {
	.name = "nfdns_pending",
	.init = pending_test_init,
	.exit = pending_test_exit,
	.test_cases = nfdns_pending_test_cases,
};

kunit_test_suite(nfdns_pending_test_suite);
