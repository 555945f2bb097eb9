// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the netlink family's message building and parsing that need no
 * socket: the largest entry in one CACHE_GET message, and the lists of a
 * CONFIG_SET.
 */
/* First, so that the file under test defines pr_fmt before any header. */
#include "../netlink.c"

#include <kunit/test.h>
#include <net/ipv6.h>

/* An entry of @resp_len bytes for a name of @name_len bytes, DO set. */
static struct nfdns_entry *big_entry(struct kunit *test, unsigned int name_len,
				     unsigned int resp_len)
{
	struct nfdns_entry *e;
	u8 *resp;
	unsigned int i;

	e = kunit_kzalloc(test, sizeof(*e) + resp_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	e->resp_len = resp_len;
	e->qname_len = name_len;
	e->do_bit = 1;
	e->qtype = 16;
	e->qclass = 1;
	e->ttl = 300;
	e->flags = NFDNS_ENTRY_F_STATIC;
	resp = e->data;
	for (i = 0; i < resp_len; i++)
		resp[i] = i * 7;
	return e;
}

static void nfdns_largest_entry_fits_test(struct kunit *test)
{
	struct nlattr *tb[NFDNS_ENTRY_A_MAX + 1];
	struct nfdns_entry *e;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	e = big_entry(test, NFDNS_NAME_MAX, NFDNS_ENTRY_RESPONSE_MAX);
	msg = genlmsg_new(NFDNS_ENTRY_NEST_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	hdr = genlmsg_put(msg, 0, 0, &nfdns_genl_family, 0,
			  NFDNS_CMD_CACHE_GET);
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	nest = (struct nlattr *)skb_tail_pointer(msg);
	KUNIT_ASSERT_EQ(test, nfdns_put_entry(msg, e, get_jiffies_64()), 0);
	genlmsg_end(msg, hdr);

	/* The nest's 16-bit length covers all it holds. */
	KUNIT_EXPECT_EQ(test, (unsigned int)nla_total_size(nla_len(nest)),
			(unsigned int)(skb_tail_pointer(msg) - (u8 *)nest));
	KUNIT_EXPECT_LE(test, msg->len, (unsigned int)NFDNS_ENTRY_MSG_MAX);
	KUNIT_ASSERT_EQ(test, nla_parse_nested_deprecated(tb, NFDNS_ENTRY_A_MAX,
							  nest, NULL, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, tb[NFDNS_ENTRY_A_RESPONSE]);
	KUNIT_EXPECT_EQ(test, nla_len(tb[NFDNS_ENTRY_A_RESPONSE]),
			NFDNS_ENTRY_RESPONSE_MAX);
	KUNIT_EXPECT_EQ(test, memcmp(nla_data(tb[NFDNS_ENTRY_A_RESPONSE]),
				     e->data, NFDNS_ENTRY_RESPONSE_MAX), 0);
	KUNIT_EXPECT_NOT_NULL(test, tb[NFDNS_ENTRY_A_DO]);
	KUNIT_EXPECT_NOT_NULL(test, tb[NFDNS_ENTRY_A_FLAGS]);
	nlmsg_free(msg);
}

/* A dump's message has room for the largest entry, and is below 64 KiB. */
static void nfdns_dump_message_size_test(struct kunit *test)
{
	struct nfdns_entry *e;
	struct sk_buff *skb;
	void *hdr;

	e = big_entry(test, NFDNS_NAME_MAX, NFDNS_ENTRY_RESPONSE_MAX);
	skb = alloc_skb(NFDNS_ENTRY_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	/* As netlink_dump() trims it: no more than what was asked for. */
	skb_reserve(skb, skb_tailroom(skb) - NFDNS_ENTRY_MSG_MAX);
	hdr = genlmsg_put(skb, 0, 0, &nfdns_genl_family, NLM_F_MULTI,
			  NFDNS_CMD_CACHE_GET);
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_EXPECT_EQ(test, nfdns_put_entry(skb, e, get_jiffies_64()), 0);
	genlmsg_end(skb, hdr);
	KUNIT_EXPECT_LE(test, skb->truesize, (unsigned int)SZ_64K +
			SKB_TRUESIZE(0));
	kfree_skb(skb);
}

static void nfdns_parse_ports_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct nfdns_config *c;
	struct sk_buff *skb;
	struct nlattr *list;
	unsigned int i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);

	list = nla_nest_start(skb, NFDNS_CONF_A_PORTS);
	for (i = 0; i < NFDNS_MAX_PORTS; i++)
		KUNIT_ASSERT_EQ(test, nla_put_u16(skb, NFDNS_CONF_A_PORT,
						  5300 + i), 0);
	nla_nest_end(skb, list);
	KUNIT_EXPECT_EQ(test, nfdns_parse_ports(c, list, &extack), 0);
	KUNIT_EXPECT_EQ(test, c->n_ports, NFDNS_MAX_PORTS);
	KUNIT_EXPECT_EQ(test, c->ports[NFDNS_MAX_PORTS - 1],
			5300 + NFDNS_MAX_PORTS - 1);

	/* One more is refused, naming the limit and the attribute. */
	list = nla_nest_start(skb, NFDNS_CONF_A_PORTS);
	for (i = 0; i <= NFDNS_MAX_PORTS; i++)
		KUNIT_ASSERT_EQ(test, nla_put_u16(skb, NFDNS_CONF_A_PORT, 53),
				0);
	nla_nest_end(skb, list);
	KUNIT_EXPECT_EQ(test, nfdns_parse_ports(c, list, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg, "nfdns: at most 8 ports");
	KUNIT_EXPECT_NOT_NULL(test, extack.bad_attr);
	kfree_skb(skb);
}

static void nfdns_parse_addrs_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct nfdns_config *c;
	struct sk_buff *skb;
	struct nlattr *list;
	unsigned int i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);

	list = nla_nest_start(skb, NFDNS_CONF_A_ADDRS);
	KUNIT_ASSERT_EQ(test, nla_put_be32(skb, NFDNS_CONF_A_ADDR4,
					   htonl(0xc0000201)), 0);
	KUNIT_ASSERT_EQ(test, nla_put_in6_addr(skb, NFDNS_CONF_A_ADDR6,
					       &in6addr_loopback), 0);
	nla_nest_end(skb, list);
	KUNIT_EXPECT_EQ(test, nfdns_parse_addrs(c, list, &extack), 0);
	KUNIT_EXPECT_EQ(test, c->n_addr4, 1);
	KUNIT_EXPECT_EQ(test, c->n_addr6, 1);
	KUNIT_EXPECT_EQ(test, ntohl(c->addr4[0]), 0xc0000201);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_loopback(&c->addr6[0]));

	list = nla_nest_start(skb, NFDNS_CONF_A_ADDRS);
	for (i = 0; i <= NFDNS_MAX_ADDRS; i++)
		KUNIT_ASSERT_EQ(test, nla_put_be32(skb, NFDNS_CONF_A_ADDR4,
						   htonl(0xc0000200 + i)), 0);
	nla_nest_end(skb, list);
	KUNIT_EXPECT_EQ(test, nfdns_parse_addrs(c, list, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg,
			   "nfdns: at most 16 addresses per family");
	kfree_skb(skb);
}

/* A reason chosen at run time reaches the ack whole. */
static void nfdns_nl_set_reason_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	const char *why = "min_ttl must not exceed max_ttl";

	nfdns_nl_set_reason(&extack, why);
	KUNIT_EXPECT_STREQ(test, extack._msg, why);
	nfdns_nl_set_reason(NULL, why);
}

/*
 * The settings' policy, generated from the spec, refuses a value past its
 * limit with -ERANGE and takes the limit itself.
 */
static void nfdns_config_policy_ranges_test(struct kunit *test)
{
	static const struct {
		u16 attr;
		u64 ok, over;
	} cases[] = {
		{ NFDNS_CONF_A_MAX_BYTES, NFDNS_MAX_BYTES_MAX, NFDNS_MAX_BYTES_MAX + 1 },
		{ NFDNS_CONF_A_MAX_BYTES, NFDNS_MAX_BYTES_MIN, NFDNS_MAX_BYTES_MIN - 1 },
		{ NFDNS_CONF_A_MAX_ENTRIES, NFDNS_MAX_ENTRIES_MAX, NFDNS_MAX_ENTRIES_MAX + 1 },
		{ NFDNS_CONF_A_MIN_TTL, NFDNS_TTL_MAX, NFDNS_TTL_MAX + 1 },
		{ NFDNS_CONF_A_PENDING_TIMEOUT_MS, NFDNS_PENDING_TIMEOUT_MS_MIN,
		  NFDNS_PENDING_TIMEOUT_MS_MIN - 1 },
		{ NFDNS_CONF_A_MAX_WAITERS, NFDNS_MAX_WAITERS_MAX, NFDNS_MAX_WAITERS_MAX + 1 },
		{ NFDNS_CONF_A_PREFETCH_PCT, NFDNS_PREFETCH_PCT_MAX, NFDNS_PREFETCH_PCT_MAX + 1 },
		{ NFDNS_CONF_A_RRL_PREFIX4, NFDNS_RRL_PREFIX4_MIN, NFDNS_RRL_PREFIX4_MIN - 1 },
		{ NFDNS_CONF_A_RRL_PREFIX6, 128, 129 },
	};
	struct nlattr *tb[NFDNS_CONF_A_MAX + 1];
	struct netlink_ext_ack extack = {};
	struct sk_buff *skb;
	struct nlattr *nest;
	unsigned int i, round;
	u64 v;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (round = 0; round < 2; round++) {
			if (round)
				v = cases[i].over;
			else
				v = cases[i].ok;
			skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, skb);
			nest = nla_nest_start(skb, NFDNS_A_CONFIG);
			KUNIT_ASSERT_NOT_NULL(test, nest);
			switch (nfdns_config_nl_policy[cases[i].attr].type) {
			case NLA_U8:
				err = nla_put_u8(skb, cases[i].attr, v);
				break;
			case NLA_U32:
				err = nla_put_u32(skb, cases[i].attr, v);
				break;
			default:
				err = nla_put_u64_64bit(skb, cases[i].attr, v,
							NFDNS_CONF_A_PAD);
				break;
			}
			KUNIT_ASSERT_EQ(test, err, 0);
			nla_nest_end(skb, nest);
			extack._msg = NULL;
			err = nla_parse_nested(tb, NFDNS_CONF_A_MAX, nest,
					       nfdns_config_nl_policy, &extack);
			KUNIT_EXPECT_EQ_MSG(test, err, round ? -ERANGE : 0,
					    "attribute %u value %llu",
					    cases[i].attr, v);
			if (round)
				KUNIT_EXPECT_STREQ(test, extack._msg,
						   "integer out of range");
			kfree_skb(skb);
		}
	}
}

static struct kunit_case nfdns_netlink_test_cases[] = {
	KUNIT_CASE(nfdns_largest_entry_fits_test),
	KUNIT_CASE(nfdns_dump_message_size_test),
	KUNIT_CASE(nfdns_parse_ports_test),
	KUNIT_CASE(nfdns_parse_addrs_test),
	KUNIT_CASE(nfdns_nl_set_reason_test),
	KUNIT_CASE(nfdns_config_policy_ranges_test),
	{}
};

static struct kunit_suite nfdns_netlink_test_suite = {
	.name = "nfdns_netlink",
	.test_cases = nfdns_netlink_test_cases,
};

kunit_test_suite(nfdns_netlink_test_suite);
