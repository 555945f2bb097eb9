// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the settings of a namespace and their limits.
 */
/* First, so that the file under test defines pr_fmt before any header. */
#include "../config.c"

#include <kunit/test.h>

struct config_case {
	const char *name;
	void (*change)(struct nfdns_config *c);
	int err;
};

static void change_nothing(struct nfdns_config *c) { }

static void budget_too_small(struct nfdns_config *c)
{
	c->max_bytes = 4095;
}

static void budget_smallest(struct nfdns_config *c)
{
	c->max_bytes = 4096;
}

static void no_entries(struct nfdns_config *c)
{
	c->max_entries = 0;
}

static void ttl_inverted(struct nfdns_config *c)
{
	c->min_ttl = c->max_ttl + 1;
}

static void ttl_too_long(struct nfdns_config *c)
{
	c->max_ttl = 604801;
}

static void ttl_week(struct nfdns_config *c)
{
	c->max_ttl = 604800;
}

static void timeout_short(struct nfdns_config *c)
{
	c->pending_timeout_ms = 99;
}

static void no_waiters(struct nfdns_config *c)
{
	c->max_waiters = 0;
}

static void no_ports(struct nfdns_config *c)
{
	c->n_ports = 0;
}

static void port_zero(struct nfdns_config *c)
{
	c->ports[0] = 0;
}

static void eight_ports(struct nfdns_config *c)
{
	unsigned int i;

	for (i = 0; i < NFDNS_MAX_PORTS; i++)
		c->ports[i] = 53 + i;
	c->n_ports = NFDNS_MAX_PORTS;
}

static void rrl_rate_too_high(struct nfdns_config *c)
{
	c->rrl_rate = 1000001;
}

static void rrl_off(struct nfdns_config *c)
{
	c->rrl_rate = 0;
	c->rrl_slip = 0;
}

static void rrl_slip_too_high(struct nfdns_config *c)
{
	c->rrl_slip = 11;
}

static void rrl_prefix4_short(struct nfdns_config *c)
{
	c->rrl_prefix4 = 7;
}

static void rrl_prefix6_long(struct nfdns_config *c)
{
	c->rrl_prefix6 = 129;
}

static void prefetch_pct_most(struct nfdns_config *c)
{
	c->prefetch_pct = 90;
}

static void prefetch_pct_too_high(struct nfdns_config *c)
{
	c->prefetch_pct = 91;
}

static void stale_answer_at_once(struct nfdns_config *c)
{
	c->stale_answer_ms = 0;
}

static void stale_answer_too_late(struct nfdns_config *c)
{
	c->stale_answer_ms = 60001;
}

static void clients_full(struct nfdns_config *c)
{
	c->n_clients4 = 0;
	while (!nfdns_config_add_client4(c, htonl(0x0a000000), 8))
		;
}

static void clients_over(struct nfdns_config *c)
{
	c->n_clients6 = NFDNS_MAX_CLIENTS + 1;
}

static void ifaces_over(struct nfdns_config *c)
{
	c->n_ifaces = NFDNS_MAX_IFACES + 1;
}

static const struct config_case config_cases[] = {
	{ "defaults", change_nothing, 0 },
	{ "byte budget below 4096", budget_too_small, -EINVAL },
	{ "byte budget of 4096", budget_smallest, 0 },
	{ "no entries allowed", no_entries, -EINVAL },
	{ "min_ttl above max_ttl", ttl_inverted, -EINVAL },
	{ "max_ttl above a week", ttl_too_long, -EINVAL },
	{ "max_ttl of a week", ttl_week, 0 },
	{ "pending timeout below 100 ms", timeout_short, -EINVAL },
	{ "no waiters allowed", no_waiters, -EINVAL },
	{ "no port", no_ports, -EINVAL },
	{ "port 0", port_zero, -EINVAL },
	{ "eight ports", eight_ports, 0 },
	{ "rrl_rate above 1000000", rrl_rate_too_high, -EINVAL },
	{ "rate limit off", rrl_off, 0 },
	{ "rrl_slip above 10", rrl_slip_too_high, -EINVAL },
	{ "rrl_prefix4 below 8", rrl_prefix4_short, -EINVAL },
	{ "rrl_prefix6 above 128", rrl_prefix6_long, -EINVAL },
	{ "prefetch_pct of 90", prefetch_pct_most, 0 },
	{ "prefetch_pct above 90", prefetch_pct_too_high, -EINVAL },
	{ "stale_answer_ms of 0", stale_answer_at_once, 0 },
	{ "stale_answer_ms above 60000", stale_answer_too_late, -EINVAL },
	{ "32 IPv4 client prefixes", clients_full, 0 },
	{ "33 IPv6 client prefixes", clients_over, -EINVAL },
	{ "9 interfaces", ifaces_over, -EINVAL },
};

static void config_case_desc(const struct config_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(config, config_cases, config_case_desc);

static void nfdns_config_check_test(struct kunit *test)
{
	const struct config_case *t = test->param_value;
	struct nfdns_config *c;
	const char *why = NULL;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	nfdns_config_defaults(c);
	t->change(c);
	KUNIT_EXPECT_EQ(test, nfdns_config_check(c, &why), t->err);
	if (t->err)
		KUNIT_EXPECT_NOT_NULL(test, why);
}

static void nfdns_config_defaults_test(struct kunit *test)
{
	struct nfdns_config *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	nfdns_config_defaults(c);
	/* Fail-safe defaults: port 53 only, RD=0 passes, the resolver's mark. */
	KUNIT_EXPECT_EQ(test, c->n_ports, 1);
	KUNIT_EXPECT_EQ(test, c->ports[0], 53);
	KUNIT_EXPECT_TRUE(test, c->norecurse_pass);
	KUNIT_EXPECT_EQ(test, c->prefetch_pct, 10);
	KUNIT_EXPECT_TRUE(test, c->prefetch_adaptive);
	KUNIT_EXPECT_EQ(test, c->stale_answer_ms, 1800);
	KUNIT_EXPECT_TRUE(test, c->stale_without_resolver);
	KUNIT_EXPECT_EQ(test, c->serve_stale, 0);
	KUNIT_EXPECT_EQ(test, c->mark, NFDNS_DEFAULT_MARK);
	KUNIT_EXPECT_EQ(test, c->n_addr4 + c->n_addr6, 0);
	/* Not an open resolver: loopback and the private ranges only. */
	KUNIT_EXPECT_EQ(test, c->n_clients4, 6);
	KUNIT_EXPECT_EQ(test, c->n_clients6, 3);
	KUNIT_EXPECT_EQ(test, ntohl(c->clients4[1].addr), 0x0a000000U);
	KUNIT_EXPECT_EQ(test, ntohl(c->clients4[1].mask), 0xff000000U);
	KUNIT_EXPECT_EQ(test, ntohl(c->clients4[2].mask), 0xfff00000U);
	KUNIT_EXPECT_EQ(test, c->clients6[0].addr.s6_addr[0], 0xfc);
	KUNIT_EXPECT_EQ(test, c->clients6[0].len, 7);
	KUNIT_EXPECT_EQ(test, c->n_ifaces, 0);
	KUNIT_EXPECT_EQ(test, c->rrl_prefix4, 24);
	KUNIT_EXPECT_EQ(test, c->rrl_prefix6, 56);
	KUNIT_EXPECT_GT(test, c->rrl_rate, 0);
	KUNIT_EXPECT_EQ(test, nfdns_config_add_client4(c, htonl(0xc0000201), 24),
			0);
	/* Host bits go. */
	KUNIT_EXPECT_EQ(test, ntohl(c->clients4[6].addr), 0xc0000200U);
}

struct ceiling_case {
	const char *name;
	u64 old_bytes, new_bytes;
	u32 old_pending, new_pending;
	u32 old_waiters, new_waiters;
	int over;
};

/* Ceilings of the cases: 1 MiB, 100 pending questions, 10 waiters. */
static const struct nfdns_ceilings test_ceil = {
	.max_bytes = 1 << 20, .max_pending = 100, .max_waiters = 10,
};

static const struct ceiling_case ceiling_cases[] = {
	{ "nothing changes", 4096, 4096, 1, 1, 1, 1, 0 },
	{ "up to every ceiling", 4096, 1 << 20, 1, 100, 1, 10, 0 },
	{ "bytes one past", 4096, (1 << 20) + 1, 1, 1, 1, 1,
	  NFDNS_CONF_A_MAX_BYTES },
	{ "bytes to 2^40", 4096, 1ULL << 40, 1, 1, 1, 1,
	  NFDNS_CONF_A_MAX_BYTES },
	{ "pending one past", 4096, 4096, 1, 101, 1, 1,
	  NFDNS_CONF_A_MAX_PENDING },
	{ "waiters one past", 4096, 4096, 1, 1, 1, 11,
	  NFDNS_CONF_A_MAX_WAITERS },
	/* Set above by the host's administrator: kept, or lowered, freely. */
	{ "above, kept", 1 << 30, 1 << 30, 1000, 1000, 100, 100, 0 },
	{ "above, lowered but still above", 1 << 30, 1 << 29, 1000, 500,
	  100, 50, 0 },
	{ "above, raised further", 1 << 29, 1 << 30, 1, 1, 1, 1,
	  NFDNS_CONF_A_MAX_BYTES },
	{ "bytes first of several", 4096, 2 << 20, 1, 200, 1, 20,
	  NFDNS_CONF_A_MAX_BYTES },
};

static void ceiling_case_desc(const struct ceiling_case *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ceiling, ceiling_cases, ceiling_case_desc);

static void nfdns_config_over_ceiling_test(struct kunit *test)
{
	const struct ceiling_case *t = test->param_value;
	struct nfdns_config *old, *new;

	old = kunit_kzalloc(test, sizeof(*old), GFP_KERNEL);
	new = kunit_kzalloc(test, sizeof(*new), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_ASSERT_NOT_NULL(test, new);
	old->max_bytes = t->old_bytes;
	old->max_pending = t->old_pending;
	old->max_waiters = t->old_waiters;
	new->max_bytes = t->new_bytes;
	new->max_pending = t->new_pending;
	new->max_waiters = t->new_waiters;
	KUNIT_EXPECT_EQ(test, nfdns_config_over_ceiling(old, new, &test_ceil),
			t->over);
}

/* The parameters as a test found them, put back when it ends. */
struct saved_ceilings {
	unsigned long long bytes;
	unsigned int pending, waiters;
};

static void restore_ceilings(void *data)
{
	struct saved_ceilings *s = data;

	WRITE_ONCE(max_bytes_ceiling, s->bytes);
	WRITE_ONCE(max_pending_ceiling, s->pending);
	WRITE_ONCE(max_waiters_ceiling, s->waiters);
}

static void nfdns_config_defaults_within_ceilings_test(struct kunit *test)
{
	struct saved_ceilings *saved;
	struct nfdns_ceilings ceil;
	struct nfdns_config *c;

	saved = kunit_kzalloc(test, sizeof(*saved), GFP_KERNEL);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, saved);
	KUNIT_ASSERT_NOT_NULL(test, c);
	saved->bytes = max_bytes_ceiling;
	saved->pending = max_pending_ceiling;
	saved->waiters = max_waiters_ceiling;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, restore_ceilings,
							saved), 0);

	/* Ceilings below the defaults pull the defaults down to them. */
	WRITE_ONCE(max_bytes_ceiling, 1 << 20);
	WRITE_ONCE(max_pending_ceiling, 100);
	WRITE_ONCE(max_waiters_ceiling, 10);
	nfdns_config_defaults(c);
	KUNIT_EXPECT_EQ(test, c->max_bytes, 1 << 20);
	KUNIT_EXPECT_EQ(test, c->max_pending, 100);
	KUNIT_EXPECT_EQ(test, c->max_waiters, 10);
	KUNIT_EXPECT_EQ(test, nfdns_config_check(c, &(const char *){ NULL }), 0);

	/* A ceiling below a setting's minimum counts as that minimum. */
	WRITE_ONCE(max_bytes_ceiling, 1);
	WRITE_ONCE(max_pending_ceiling, 0);
	nfdns_ceilings_get(&ceil);
	KUNIT_EXPECT_EQ(test, ceil.max_bytes, NFDNS_MAX_BYTES_MIN);
	KUNIT_EXPECT_EQ(test, ceil.max_pending, 1);
	nfdns_config_defaults(c);
	KUNIT_EXPECT_EQ(test, nfdns_config_check(c, &(const char *){ NULL }), 0);

	/* 0: a sixteenth of RAM; the defaults stay as they are below it. */
	WRITE_ONCE(max_bytes_ceiling, 0);
	nfdns_ceilings_get(&ceil);
	KUNIT_EXPECT_EQ(test, ceil.max_bytes,
			clamp_t(u64, nfdns_default_bytes_ceiling(),
				NFDNS_MAX_BYTES_MIN, NFDNS_MAX_BYTES_MAX));
	nfdns_config_defaults(c);
	KUNIT_EXPECT_EQ(test, c->max_bytes, min_t(u64, 64ULL << 20,
						  ceil.max_bytes));
}

static struct kunit_case nfdns_config_test_cases[] = {
	KUNIT_CASE(nfdns_config_defaults_test),
	KUNIT_CASE_PARAM(nfdns_config_check_test, config_gen_params),
	KUNIT_CASE_PARAM(nfdns_config_over_ceiling_test, ceiling_gen_params),
	KUNIT_CASE(nfdns_config_defaults_within_ceilings_test),
	{}
};

static struct kunit_suite nfdns_config_test_suite = {
	.name = "nfdns_config",
	.test_cases = nfdns_config_test_cases,
};

kunit_test_suite(nfdns_config_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for nfdns");
