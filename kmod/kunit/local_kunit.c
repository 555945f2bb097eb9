// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the local rule set: which rule a name falls under, replacing a
 * rule, growing the table, the limit on distinct answers, and the redirect
 * answer as a client receives it.
 */
/* First, so that the file under test defines pr_fmt before any header. */
#include "../local.c"

#include <kunit/test.h>

/* "ads.example.com" and relatives, in wire format. */
static const u8 n_com[] = "\3com";
static const u8 n_example[] = "\7example\3com";
static const u8 n_ads[] = "\3ads\7example\3com";
static const u8 n_deep[] = "\1x\3ads\7example\3com";
static const u8 n_other[] = "\5other\3com";
static const u8 n_root[] = "";

/* sizeof counts the terminating NUL: the root label. */
#define NAME(n)	(n), sizeof(n)

static struct nfdns_local_set *new_local_set(struct kunit *test)
{
	struct nfdns_local_set *set = nfdns_local_set_alloc();

	KUNIT_ASSERT_NOT_NULL(test, set);
	return set;
}

static u8 local_action(const struct nfdns_local_set *set, const u8 *name,
		       u8 len)
{
	const struct nfdns_local_rule *r = nfdns_local_lookup(set, name, len);

	return r ? set->profiles[r->profile].action : 0xff;
}

static void local_exact_and_subtree(struct kunit *test)
{
	struct nfdns_local_set *set = new_local_set(test);

	KUNIT_ASSERT_EQ(test, nfdns_local_set_add(set, NAME(n_example),
						  NFDNS_LOCAL_SUBTREE,
						  NFDNS_LOCAL_NXDOMAIN, NULL,
						  NULL, 60), 0);
	KUNIT_ASSERT_EQ(test, nfdns_local_set_add(set, NAME(n_ads),
						  NFDNS_LOCAL_EXACT,
						  NFDNS_LOCAL_REFUSED, NULL,
						  NULL, 60), 0);
	/* The exact rule answers for the name itself only. */
	KUNIT_EXPECT_EQ(test, local_action(set, NAME(n_ads)),
			NFDNS_LOCAL_REFUSED);
	/* Below it, the nearest subtree rule: example.com's. */
	KUNIT_EXPECT_EQ(test, local_action(set, NAME(n_deep)),
			NFDNS_LOCAL_NXDOMAIN);
	KUNIT_EXPECT_EQ(test, local_action(set, NAME(n_example)),
			NFDNS_LOCAL_NXDOMAIN);
	/* Above and beside it, nothing. */
	KUNIT_EXPECT_FALSE(test, nfdns_local_covers(set, NAME(n_com)));
	KUNIT_EXPECT_FALSE(test, nfdns_local_covers(set, NAME(n_other)));
	KUNIT_EXPECT_EQ(test, nfdns_local_set_rules(set), 2u);
	nfdns_local_set_free(set);
}

static void local_exact_covers_no_children(struct kunit *test)
{
	struct nfdns_local_set *set = new_local_set(test);

	KUNIT_ASSERT_EQ(test, nfdns_local_set_add(set, NAME(n_ads),
						  NFDNS_LOCAL_EXACT,
						  NFDNS_LOCAL_NODATA, NULL,
						  NULL, 60), 0);
	KUNIT_EXPECT_TRUE(test, nfdns_local_covers(set, NAME(n_ads)));
	KUNIT_EXPECT_FALSE(test, nfdns_local_covers(set, NAME(n_deep)));
	KUNIT_EXPECT_FALSE(test, nfdns_local_covers(set, NAME(n_example)));
	nfdns_local_set_free(set);
}

static void local_nearest_subtree_wins(struct kunit *test)
{
	struct nfdns_local_set *set = new_local_set(test);

	KUNIT_ASSERT_EQ(test, nfdns_local_set_add(set, NAME(n_root),
						  NFDNS_LOCAL_SUBTREE,
						  NFDNS_LOCAL_REFUSED, NULL,
						  NULL, 60), 0);
	KUNIT_ASSERT_EQ(test, nfdns_local_set_add(set, NAME(n_ads),
						  NFDNS_LOCAL_SUBTREE,
						  NFDNS_LOCAL_NXDOMAIN, NULL,
						  NULL, 60), 0);
	KUNIT_EXPECT_EQ(test, local_action(set, NAME(n_deep)),
			NFDNS_LOCAL_NXDOMAIN);
	/* The root's subtree is every name. */
	KUNIT_EXPECT_EQ(test, local_action(set, NAME(n_other)),
			NFDNS_LOCAL_REFUSED);
	KUNIT_EXPECT_EQ(test, local_action(set, NAME(n_root)),
			NFDNS_LOCAL_REFUSED);
	nfdns_local_set_free(set);
}

static void local_same_rule_replaces(struct kunit *test)
{
	struct nfdns_local_set *set = new_local_set(test);

	KUNIT_ASSERT_EQ(test, nfdns_local_set_add(set, NAME(n_ads),
						  NFDNS_LOCAL_EXACT,
						  NFDNS_LOCAL_NODATA, NULL,
						  NULL, 60), 0);
	KUNIT_ASSERT_EQ(test, nfdns_local_set_add(set, NAME(n_ads),
						  NFDNS_LOCAL_EXACT,
						  NFDNS_LOCAL_REFUSED, NULL,
						  NULL, 60), 0);
	KUNIT_EXPECT_EQ(test, nfdns_local_set_rules(set), 1u);
	KUNIT_EXPECT_EQ(test, local_action(set, NAME(n_ads)),
			NFDNS_LOCAL_REFUSED);
	/* A subtree rule for the same name is another rule. */
	KUNIT_ASSERT_EQ(test, nfdns_local_set_add(set, NAME(n_ads),
						  NFDNS_LOCAL_SUBTREE,
						  NFDNS_LOCAL_NXDOMAIN, NULL,
						  NULL, 60), 0);
	KUNIT_EXPECT_EQ(test, nfdns_local_set_rules(set), 2u);
	KUNIT_EXPECT_EQ(test, local_action(set, NAME(n_ads)),
			NFDNS_LOCAL_REFUSED);
	KUNIT_EXPECT_EQ(test, local_action(set, NAME(n_deep)),
			NFDNS_LOCAL_NXDOMAIN);
	nfdns_local_set_free(set);
}

/* Names "\4nNNN\4test" ... with a distinct number each. */
static u8 local_numbered(u8 *buf, unsigned int i)
{
	u8 len = snprintf(buf + 1, 16, "n%u", i);

	buf[0] = len;
	memcpy(buf + 1 + len, "\4test", 6);
	return len + 7;
}

static void local_grows_and_finds_all(struct kunit *test)
{
	struct nfdns_local_set *set = new_local_set(test);
	u64 bytes0 = nfdns_local_set_bytes(set);
	unsigned int i, found = 0;
	u8 name[32], len;

	for (i = 0; i < 5000; i++) {
		len = local_numbered(name, i);
		KUNIT_ASSERT_EQ(test, nfdns_local_set_add(set, name, len,
							  NFDNS_LOCAL_EXACT,
							  NFDNS_LOCAL_NXDOMAIN,
							  NULL, NULL, 60), 0);
	}
	for (i = 0; i < 5000; i++) {
		len = local_numbered(name, i);
		found += nfdns_local_covers(set, name, len);
	}
	KUNIT_EXPECT_EQ(test, found, 5000u);
	len = local_numbered(name, 5000);
	KUNIT_EXPECT_FALSE(test, nfdns_local_covers(set, name, len));
	KUNIT_EXPECT_EQ(test, nfdns_local_set_rules(set), 5000u);
	KUNIT_EXPECT_GE(test, set->n_buckets, 5000u);
	KUNIT_EXPECT_GT(test, nfdns_local_set_bytes(set), bytes0);
	nfdns_local_set_free(set);
}

static void local_distinct_answers_bounded(struct kunit *test)
{
	struct nfdns_local_set *set = new_local_set(test);
	unsigned int i;
	__be32 a;
	int err = 0;

	for (i = 0; i <= NFDNS_LOCAL_MAX_PROFILES && !err; i++) {
		a = htonl(0x0a000000 + i);
		err = nfdns_local_set_add(set, NAME(n_ads), NFDNS_LOCAL_EXACT,
					  NFDNS_LOCAL_REDIRECT, &a, NULL, 60);
	}
	KUNIT_EXPECT_EQ(test, err, -ENOSPC);
	KUNIT_EXPECT_EQ(test, i, NFDNS_LOCAL_MAX_PROFILES + 1u);
	/* The same answer again needs no new profile. */
	a = htonl(0x0a000000);
	KUNIT_EXPECT_EQ(test, nfdns_local_set_add(set, NAME(n_other),
						  NFDNS_LOCAL_EXACT,
						  NFDNS_LOCAL_REDIRECT, &a,
						  NULL, 60), 0);
	nfdns_local_set_free(set);
}

/* A query for "AdS.example.com" A, with EDNS. */
static const u8 local_query[] = {
	0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	3, 'A', 'd', 'S', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o',
	'm', 0, 0x00, 0x01, 0x00, 0x01,
	0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static void local_redirect_answer(struct kunit *test)
{
	struct nfdns_local_profile p = {
		.action = NFDNS_LOCAL_REDIRECT,
		.has4 = true,
		.ttl = 300,
		.addr4 = htonl(0xc0000201),
	};
	u8 *resp = kunit_kzalloc(test, NFDNS_LOCAL_RESP_MAX, GFP_KERNEL);
	u8 *out = kunit_kzalloc(test, 512, GFP_KERNEL);
	struct dnswire_query *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);
	unsigned int len, an;
	u16 ttl_off;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_EQ(test, dnswire_parse_query(local_query,
						  sizeof(local_query), q), 0);
	len = nfdns_local_redirect_resp(resp, q, &p, &ttl_off);
	n = dnswire_build_reply(out, 512, resp, len, &ttl_off, 1, 0,
				q, q->qname, NULL);
	KUNIT_ASSERT_GT(test, n, 0);
	/* The client's ID and name, one answer, and the OPT record. */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(out), 0x1234);
	KUNIT_EXPECT_EQ(test, out[3] & 0x0f, 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(out + 6), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(out + 10), 1);
	KUNIT_EXPECT_EQ(test, memcmp(out + 12, local_query + 12, 17), 0);
	an = 12 + 17 + 4;
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(out + an), 0xc00c);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(out + an + 2),
			DNSWIRE_TYPE_A);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out + an + 6), 300u);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(out + an + 10), 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(out + an + 12), 0xc0000201u);
	KUNIT_EXPECT_EQ(test, n, an + 16 + DNSWIRE_OPT_LEN);
}

static struct kunit_case nfdns_local_test_cases[] = {
	KUNIT_CASE(local_exact_and_subtree),
	KUNIT_CASE(local_exact_covers_no_children),
	KUNIT_CASE(local_nearest_subtree_wins),
	KUNIT_CASE(local_same_rule_replaces),
	KUNIT_CASE(local_grows_and_finds_all),
	KUNIT_CASE(local_distinct_answers_bounded),
	KUNIT_CASE(local_redirect_answer),
	{}
};

static struct kunit_suite nfdns_local_test_suite = {
	.name = "nfdns_local",
	.test_cases = nfdns_local_test_cases,
};

kunit_test_suite(nfdns_local_test_suite);
