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

static struct kunit_case nfdns_config_test_cases[] = {
	KUNIT_CASE(nfdns_config_defaults_test),
	KUNIT_CASE_PARAM(nfdns_config_check_test, config_gen_params),
	{}
};

static struct kunit_suite nfdns_config_test_suite = {
	.name = "nfdns_config",
	.test_cases = nfdns_config_test_cases,
};

kunit_test_suite(nfdns_config_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for nfdns");
