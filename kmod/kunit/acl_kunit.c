// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: whom nfdns answers, by source address, interface and the
 * martian checks, with the default settings and with lists of its own.
 */
/* First, so that the file under test defines pr_fmt before any header. */
#include "../acl.c"

#include <kunit/test.h>
#include <linux/inet.h>

struct acl_case4 {
	const char *addr;
	bool wanted;
};

/* The default list's edges: each range's first and last, and beyond. */
static const struct acl_case4 acl_default4[] = {
	{ "127.0.0.1", true }, { "127.255.255.255", true },
	{ "10.0.0.0", true }, { "10.255.255.255", true },
	{ "11.0.0.1", false }, { "9.255.255.255", false },
	{ "172.15.255.255", false }, { "172.16.0.0", true },
	{ "172.31.255.255", true }, { "172.32.0.0", false },
	{ "192.167.255.255", false }, { "192.168.0.1", true },
	{ "192.168.255.255", true }, { "192.169.0.0", false },
	{ "100.63.255.255", false }, { "100.64.0.0", true },
	{ "100.127.255.255", true }, { "100.128.0.0", false },
	{ "169.254.1.1", true }, { "169.255.0.1", false },
	{ "8.8.8.8", false }, { "198.51.100.1", false },
	{ "0.0.0.0", false }, { "255.255.255.255", false },
};

struct acl_case6 {
	const char *addr;
	bool wanted;
};

static const struct acl_case6 acl_default6[] = {
	{ "::1", true }, { "::2", false }, { "::", false },
	{ "fc00::1", true }, { "fdff:ffff::1", true },
	{ "fbff:ffff::1", false }, { "fe00::1", false },
	{ "fe80::1", true }, { "febf:ffff::1", true }, { "fec0::1", false },
	{ "2001:db8::1", false }, { "::ffff:10.0.0.1", false },
	{ "ff02::1", false },
};

static struct nfdns_config *acl_defaults(struct kunit *test)
{
	struct nfdns_config *cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	nfdns_config_defaults(cfg);
	return cfg;
}

static __be32 acl_ip4(struct kunit *test, const char *s)
{
	__be32 a;

	KUNIT_ASSERT_EQ(test, in4_pton(s, -1, (u8 *)&a, -1, NULL), 1);
	return a;
}

static struct in6_addr acl_ip6(struct kunit *test, const char *s)
{
	struct in6_addr a;

	KUNIT_ASSERT_EQ(test, in6_pton(s, -1, a.s6_addr, -1, NULL), 1);
	return a;
}

static void acl_default_clients4(struct kunit *test)
{
	struct nfdns_config *cfg = acl_defaults(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(acl_default4); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    nfdns_client4_wanted(cfg, acl_ip4(test, acl_default4[i].addr)),
				    acl_default4[i].wanted, "%s", acl_default4[i].addr);
}

static void acl_default_clients6(struct kunit *test)
{
	struct nfdns_config *cfg = acl_defaults(test);
	struct in6_addr a;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(acl_default6); i++) {
		a = acl_ip6(test, acl_default6[i].addr);
		KUNIT_EXPECT_EQ_MSG(test, nfdns_client6_wanted(cfg, &a),
				    acl_default6[i].wanted, "%s", acl_default6[i].addr);
	}
}

static void acl_own_lists(struct kunit *test)
{
	struct nfdns_config *cfg = acl_defaults(test);
	struct in6_addr a;

	/* One /32 and one /0 of IPv6: everything, as clients=any sends. */
	cfg->n_clients4 = 0;
	cfg->n_clients6 = 0;
	nfdns_config_add_client4(cfg, acl_ip4(test, "198.51.100.7"), 32);
	a = acl_ip6(test, "::");
	nfdns_config_add_client6(cfg, &a, 0);
	KUNIT_EXPECT_TRUE(test, nfdns_client4_wanted(cfg, acl_ip4(test, "198.51.100.7")));
	KUNIT_EXPECT_FALSE(test, nfdns_client4_wanted(cfg, acl_ip4(test, "198.51.100.8")));
	KUNIT_EXPECT_FALSE(test, nfdns_client4_wanted(cfg, acl_ip4(test, "127.0.0.1")));
	a = acl_ip6(test, "2001:db8::53");
	KUNIT_EXPECT_TRUE(test, nfdns_client6_wanted(cfg, &a));

	/* An empty list answers nobody. */
	cfg->n_clients6 = 0;
	KUNIT_EXPECT_FALSE(test, nfdns_client6_wanted(cfg, &a));
}

static void acl_ifaces(struct kunit *test)
{
	struct nfdns_config *cfg = acl_defaults(test);
	struct net_device *lo = init_net.loopback_dev;
	struct net_device *fake;

	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake);
	strscpy(fake->name, "lan0", IFNAMSIZ);

	/* No list: every interface. */
	KUNIT_EXPECT_TRUE(test, nfdns_iface_wanted(cfg, fake));
	KUNIT_EXPECT_TRUE(test, nfdns_iface_wanted(cfg, NULL));

	cfg->n_ifaces = 1;
	strscpy(cfg->ifaces[0], "lan1", IFNAMSIZ);
	KUNIT_EXPECT_FALSE(test, nfdns_iface_wanted(cfg, fake));
	KUNIT_EXPECT_FALSE(test, nfdns_iface_wanted(cfg, NULL));
	/* Loopback carries only the host's own queries. */
	KUNIT_EXPECT_TRUE(test, nfdns_iface_wanted(cfg, lo));
	strscpy(cfg->ifaces[0], "lan0", IFNAMSIZ);
	KUNIT_EXPECT_TRUE(test, nfdns_iface_wanted(cfg, fake));
}

static void acl_martians(struct kunit *test)
{
	struct net_device *lo = init_net.loopback_dev;
	__be32 dst = acl_ip4(test, "192.0.2.53");
	struct in6_addr a;

	KUNIT_EXPECT_EQ(test, nfdns_martian4(&init_net, lo, acl_ip4(test, "127.0.0.1"), dst),
			NFDNS_STAT_A_PASS_MARTIAN);
	KUNIT_EXPECT_EQ(test, nfdns_martian4(&init_net, lo, acl_ip4(test, "0.0.0.0"), dst),
			NFDNS_STAT_A_PASS_MARTIAN);
	KUNIT_EXPECT_EQ(test, nfdns_martian4(&init_net, lo, acl_ip4(test, "224.0.0.1"), dst),
			NFDNS_STAT_A_PASS_MARTIAN);
	KUNIT_EXPECT_EQ(test, nfdns_martian4(&init_net, lo, acl_ip4(test, "255.255.255.255"), dst),
			NFDNS_STAT_A_PASS_MARTIAN);
	KUNIT_EXPECT_EQ(test, nfdns_martian4(&init_net, lo, acl_ip4(test, "198.51.100.1"), dst), 0);

	a = acl_ip6(test, "::1");
	KUNIT_EXPECT_EQ(test, nfdns_martian6(&init_net, &a), NFDNS_STAT_A_PASS_MARTIAN);
	a = acl_ip6(test, "::");
	KUNIT_EXPECT_EQ(test, nfdns_martian6(&init_net, &a), NFDNS_STAT_A_PASS_MARTIAN);
	a = acl_ip6(test, "ff02::1");
	KUNIT_EXPECT_EQ(test, nfdns_martian6(&init_net, &a), NFDNS_STAT_A_PASS_MARTIAN);
	a = acl_ip6(test, "::ffff:198.51.100.1");
	KUNIT_EXPECT_EQ(test, nfdns_martian6(&init_net, &a), NFDNS_STAT_A_PASS_MARTIAN);
	a = acl_ip6(test, "2001:db8::1");
	KUNIT_EXPECT_EQ(test, nfdns_martian6(&init_net, &a), 0);
}

static struct kunit_case nfdns_acl_test_cases[] = {
	KUNIT_CASE(acl_default_clients4),
	KUNIT_CASE(acl_default_clients6),
	KUNIT_CASE(acl_own_lists),
	KUNIT_CASE(acl_ifaces),
	KUNIT_CASE(acl_martians),
	{}
};

static struct kunit_suite nfdns_acl_test_suite = {
	.name = "nfdns_acl",
	.test_cases = nfdns_acl_test_cases,
};
kunit_test_suite(nfdns_acl_test_suite);
