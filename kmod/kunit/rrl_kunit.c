// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the response rate limit's token buckets, on a clock the test
 * sets, and how source addresses share them.
 */
/* First, so that the file under test defines pr_fmt before any header. */
#include "../rrl.c"

#include <kunit/test.h>

/* Any clock value but 0, which a bucket's state would read as unused. */
#define T0	1000u

struct rrl_fixture {
	struct nfdns_net nn;
	struct nfdns_config cfg;
	struct nfdns_client c;
};

static int rrl_test_init(struct kunit *test)
{
	struct rrl_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	if (nfdns_rrl_init(&f->nn))
		return -ENOMEM;
	/* A fixed seed, so that which addresses share a bucket is known. */
	f->nn.rrl->seed = 0x5a5a5a5a;
	f->cfg.rrl_rate = 10;
	f->cfg.rrl_slip = 2;
	f->cfg.rrl_prefix4 = 24;
	f->cfg.rrl_prefix6 = 56;
	f->c.family = NFPROTO_IPV4;
	f->c.saddr.ip = htonl(0xc6336401);	/* 198.51.100.1 */
	test->priv = f;
	return 0;
}

static void rrl_test_exit(struct kunit *test)
{
	struct rrl_fixture *f = test->priv;

	nfdns_rrl_destroy(&f->nn);
}

/* Answers taken from one bucket at @now until the first refusal. */
static unsigned int rrl_drain(struct nfdns_rrl_bucket *b, u32 rate, u32 now)
{
	unsigned int n = 0;

	while (n < 10 * rate && nfdns_rrl_take(b, rate, now))
		n++;
	return n;
}

static void rrl_burst_is_one_second(struct kunit *test)
{
	struct nfdns_rrl_bucket b = {};

	KUNIT_EXPECT_EQ(test, rrl_drain(&b, 10, T0), 10u);
	KUNIT_EXPECT_FALSE(test, nfdns_rrl_take(&b, 10, T0));
}

static void rrl_refills_at_the_rate(struct kunit *test)
{
	struct nfdns_rrl_bucket b = {};
	u32 step = DIV_ROUND_UP(HZ, 10);

	rrl_drain(&b, 10, T0);
	/* A tenth of a second brings one answer back, no more. */
	KUNIT_EXPECT_EQ(test, rrl_drain(&b, 10, T0 + step), 1u);
	/* Half a second, five. */
	KUNIT_EXPECT_EQ(test, rrl_drain(&b, 10, T0 + step + 5 * step), 5u);
}

static void rrl_credit_is_capped(struct kunit *test)
{
	struct nfdns_rrl_bucket b = {};

	rrl_drain(&b, 10, T0);
	/* 1.5 s idle earns 15 answers, but one second's worth is kept. */
	KUNIT_EXPECT_EQ(test, rrl_drain(&b, 10, T0 + HZ + HZ / 2), 10u);
}

static void rrl_idle_bucket_starts_full(struct kunit *test)
{
	struct nfdns_rrl_bucket b = {};

	rrl_drain(&b, 10, T0);
	KUNIT_EXPECT_EQ(test, rrl_drain(&b, 10, T0 + 3 * HZ), 10u);
}

static void rrl_survives_clock_wrap(struct kunit *test)
{
	struct nfdns_rrl_bucket b = {};
	u32 before = U32_MAX - HZ / 20;

	rrl_drain(&b, 10, before);
	/* Past the wrap, a second later: full again, not stuck at zero. */
	KUNIT_EXPECT_EQ(test, rrl_drain(&b, 10, before + HZ), 10u);
	rrl_drain(&b, 10, before + HZ);
	KUNIT_EXPECT_FALSE(test, nfdns_rrl_take(&b, 10, before + HZ));
}

static void rrl_high_rate_does_not_overflow(struct kunit *test)
{
	struct nfdns_rrl_bucket b = {};

	/* The largest rate the settings allow, a burst of a million. */
	KUNIT_EXPECT_EQ(test, rrl_drain(&b, 1000000, T0), 1000000u);
	KUNIT_EXPECT_FALSE(test, nfdns_rrl_take(&b, 1000000, T0));
}

static void rrl_slip_every_nth(struct kunit *test)
{
	struct rrl_fixture *f = test->priv;
	enum nfdns_rrl_verdict v[6];
	unsigned int i;

	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_EQ(test, nfdns_rrl_check_at(&f->nn, &f->cfg, &f->c, T0),
				NFDNS_RRL_ANSWER);
	for (i = 0; i < ARRAY_SIZE(v); i++)
		v[i] = nfdns_rrl_check_at(&f->nn, &f->cfg, &f->c, T0);
	for (i = 0; i < ARRAY_SIZE(v); i++)
		KUNIT_EXPECT_EQ(test, v[i], i % 2 ? NFDNS_RRL_SLIP : NFDNS_RRL_DROP);

	f->cfg.rrl_slip = 0;
	for (i = 0; i < ARRAY_SIZE(v); i++)
		KUNIT_EXPECT_EQ(test, nfdns_rrl_check_at(&f->nn, &f->cfg, &f->c, T0),
				NFDNS_RRL_DROP);
}

static void rrl_off_answers_all(struct kunit *test)
{
	struct rrl_fixture *f = test->priv;
	unsigned int i;

	f->cfg.rrl_rate = 0;
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, nfdns_rrl_check_at(&f->nn, &f->cfg, &f->c, T0),
				NFDNS_RRL_ANSWER);
}

static u32 rrl_bucket_of4(struct rrl_fixture *f, u32 addr)
{
	struct nfdns_client c = { .family = NFPROTO_IPV4 };

	c.saddr.ip = htonl(addr);
	return nfdns_rrl_hash(f->nn.rrl, &f->cfg, &c);
}

static u32 rrl_bucket_of6(struct rrl_fixture *f, u32 w0, u32 w1, u32 w3)
{
	struct nfdns_client c = { .family = NFPROTO_IPV6 };

	c.saddr.in6.s6_addr32[0] = htonl(w0);
	c.saddr.in6.s6_addr32[1] = htonl(w1);
	c.saddr.in6.s6_addr32[3] = htonl(w3);
	return nfdns_rrl_hash(f->nn.rrl, &f->cfg, &c);
}

static void rrl_prefix_shares_a_bucket(struct kunit *test)
{
	struct rrl_fixture *f = test->priv;

	/* One /24 is one bucket; the next /24 is another. */
	KUNIT_EXPECT_EQ(test, rrl_bucket_of4(f, 0xc6336401),
			rrl_bucket_of4(f, 0xc63364fe));
	KUNIT_EXPECT_NE(test, rrl_bucket_of4(f, 0xc6336401),
			rrl_bucket_of4(f, 0xc6336501));
	/* With rrl_prefix4=32, each address its own. */
	f->cfg.rrl_prefix4 = 32;
	KUNIT_EXPECT_NE(test, rrl_bucket_of4(f, 0xc6336401),
			rrl_bucket_of4(f, 0xc63364fe));

	/* 2001:db8:0:ff::1 and 2001:db8:0:1::2 share a /56, not a /64. */
	KUNIT_EXPECT_EQ(test, rrl_bucket_of6(f, 0x20010db8, 0xff, 1),
			rrl_bucket_of6(f, 0x20010db8, 0x01, 2));
	KUNIT_EXPECT_NE(test, rrl_bucket_of6(f, 0x20010db8, 0xff, 1),
			rrl_bucket_of6(f, 0x20010db8, 0x1ff, 1));
	f->cfg.rrl_prefix6 = 64;
	KUNIT_EXPECT_NE(test, rrl_bucket_of6(f, 0x20010db8, 0xff, 1),
			rrl_bucket_of6(f, 0x20010db8, 0x01, 2));
}

static void rrl_limit_is_per_prefix(struct kunit *test)
{
	struct rrl_fixture *f = test->priv;
	struct nfdns_client other = f->c;
	unsigned int i;

	other.saddr.ip = htonl(0xc6336501);	/* 198.51.101.1 */
	for (i = 0; i < 20; i++)
		nfdns_rrl_check_at(&f->nn, &f->cfg, &f->c, T0);
	KUNIT_EXPECT_NE(test, nfdns_rrl_check_at(&f->nn, &f->cfg, &f->c, T0),
			NFDNS_RRL_ANSWER);
	KUNIT_EXPECT_EQ(test, nfdns_rrl_check_at(&f->nn, &f->cfg, &other, T0),
			NFDNS_RRL_ANSWER);
}

static struct kunit_case nfdns_rrl_test_cases[] = {
	KUNIT_CASE(rrl_burst_is_one_second),
	KUNIT_CASE(rrl_refills_at_the_rate),
	KUNIT_CASE(rrl_credit_is_capped),
	KUNIT_CASE(rrl_idle_bucket_starts_full),
	KUNIT_CASE(rrl_survives_clock_wrap),
	KUNIT_CASE(rrl_high_rate_does_not_overflow),
	KUNIT_CASE(rrl_slip_every_nth),
	KUNIT_CASE(rrl_off_answers_all),
	KUNIT_CASE(rrl_prefix_shares_a_bucket),
	KUNIT_CASE(rrl_limit_is_per_prefix),
	{}
};

static struct kunit_suite nfdns_rrl_test_suite = {
	.name = "nfdns_rrl",
	.init = rrl_test_init,
	.exit = rrl_test_exit,
	.test_cases = nfdns_rrl_test_cases,
};
kunit_test_suite(nfdns_rrl_test_suite);
