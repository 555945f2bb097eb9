// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the hook's decisions on real skbs, and the replies it sends.
 *
 * The hook runs on state of init_net made for the test under a pernet id
 * of its own (nfdns.ko, if loaded, keeps its state apart).  A hit's reply
 * goes out through the routing stack over loopback, from 127.0.0.1 port
 * 53 to 127.0.0.2, and a LOCAL_OUT hook of the test takes it there, checks
 * nothing else, and keeps a copy.
 */
/* First, so that the file under test defines pr_fmt before any header. */
#include "../hook.c"

#include <kunit/test.h>
#include <net/checksum.h>

#define TEST_CLIENT	htonl(0x7f000002)	/* 127.0.0.2 */
#define TEST_SERVER	htonl(0x7f000001)	/* 127.0.0.1 */
#define TEST_SPORT	htons(40053)

/* www.example. A IN, with RD; and its answer, 192.0.2.44 for 300 s. */
static const u8 hook_query[] = {
	0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1,
};

static const u8 hook_name[] = "\3www\7example";

static const u8 hook_resp[] = {
	0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1,
	0xc0, 12, 0, 1, 0, 1, 0, 0, 0x01, 0x2c, 0, 4, 192, 0, 2, 44,
};

/* The replies the test's LOCAL_OUT hook took. */
static struct {
	spinlock_t lock;
	unsigned int count;
	unsigned int len;
	u8 data[512];
} caught;

static unsigned int catch_reply(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct udphdr uh;

	if (iph->protocol != IPPROTO_UDP || iph->saddr != TEST_SERVER ||
	    iph->daddr != TEST_CLIENT ||
	    skb_copy_bits(skb, ip_hdrlen(skb), &uh, sizeof(uh)) ||
	    uh.dest != TEST_SPORT)
		return NF_ACCEPT;
	spin_lock_bh(&caught.lock);
	caught.count++;
	caught.len = min_t(unsigned int, skb->len, sizeof(caught.data));
	skb_copy_bits(skb, 0, caught.data, caught.len);
	spin_unlock_bh(&caught.lock);
	consume_skb(skb);
	return NF_STOLEN;
}

static const struct nf_hook_ops catch_ops = {
	.hook = catch_reply,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_LOCAL_OUT,
	.priority = INT_MIN,
};

static struct pernet_operations hook_test_net_ops = {
	.id = &nfdns_net_id,
	.size = sizeof(struct nfdns_net),
};

static int hook_suite_init(struct kunit_suite *suite)
{
	spin_lock_init(&caught.lock);
	return register_pernet_subsys(&hook_test_net_ops);
}

static void hook_suite_exit(struct kunit_suite *suite)
{
	unregister_pernet_subsys(&hook_test_net_ops);
}

static int hook_test_init(struct kunit *test)
{
	struct nfdns_net *nn = nfdns_pernet(&init_net);
	struct nfdns_config *cfg;
	int cpu, err;

	memset(nn, 0, sizeof(*nn));
	nn->net = &init_net;
	mutex_init(&nn->config_lock);
	spin_lock_init(&nn->resolver_lock);
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	nfdns_config_defaults(cfg);
	RCU_INIT_POINTER(nn->config, cfg);
	nn->stats = alloc_percpu(struct nfdns_stats);
	if (!nn->stats)
		goto err_cfg;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(nn->stats, cpu)->syncp);
	if (nfdns_cache_init(nn))
		goto err_stats;
	if (nfdns_pending_init(nn))
		goto err_cache;
	err = nf_register_net_hook(&init_net, &catch_ops);
	if (err)
		goto err_pending;
	caught.count = 0;
	return 0;

err_pending:
	nfdns_pending_destroy(nn);
err_cache:
	nfdns_cache_destroy(nn);
err_stats:
	free_percpu(nn->stats);
err_cfg:
	kfree(cfg);
	RCU_INIT_POINTER(nn->config, NULL);
	return -ENOMEM;
}

static void hook_test_exit(struct kunit *test)
{
	struct nfdns_net *nn = nfdns_pernet(&init_net);

	if (!rcu_access_pointer(nn->config))
		return;
	nf_unregister_net_hook(&init_net, &catch_ops);
	nfdns_pending_destroy(nn);
	nfdns_cache_destroy(nn);
	free_percpu(nn->stats);
	kfree(rcu_dereference_protected(nn->config, true));
	RCU_INIT_POINTER(nn->config, NULL);
}

static u64 hook_stat(unsigned int which)
{
	u64 sum[__NFDNS_STAT_A_MAX];

	nfdns_stats_sum(nfdns_pernet(&init_net), sum);
	return sum[which];
}

/* Every counter of a packet passed for a reason, added up. */
static u64 passed(void)
{
	return hook_stat(NFDNS_STAT_A_PASS_NOT_QUERY) +
	       hook_stat(NFDNS_STAT_A_PASS_MALFORMED) +
	       hook_stat(NFDNS_STAT_A_PASS_MARKED) +
	       hook_stat(NFDNS_STAT_A_PASS_NORECURSE) +
	       hook_stat(NFDNS_STAT_A_PASS_FAIL_OPEN) +
	       hook_stat(NFDNS_STAT_A_PASS_OVER_LIMIT);
}

struct pkt_opts {
	u8 proto;
	__be32 daddr;
	__be16 dport;
	__be16 frag_off;
	__sum16 udp_check;
	int udp_len_delta;	/* added to the UDP length field */
	u32 mark;
};

/* An IPv4 datagram from 127.0.0.2 carrying @len bytes of @dns. */
static struct sk_buff *query_skb(struct kunit *test, const u8 *dns,
				 unsigned int len, const struct pkt_opts *o)
{
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;

	skb = alloc_skb(LL_MAX_HEADER + sizeof(*iph) + sizeof(*uh) + len,
			GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tot_len = htons(sizeof(*iph) + sizeof(*uh) + len);
	iph->ttl = 64;
	iph->frag_off = o->frag_off;
	iph->protocol = o->proto ? o->proto : IPPROTO_UDP;
	iph->saddr = TEST_CLIENT;
	iph->daddr = o->daddr ? o->daddr : TEST_SERVER;
	ip_send_check(iph);
	skb_set_transport_header(skb, skb->len);
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = TEST_SPORT;
	uh->dest = o->dport ? o->dport : htons(53);
	uh->len = htons(sizeof(*uh) + len + o->udp_len_delta);
	uh->check = o->udp_check;
	skb_put_data(skb, dns, len);
	skb->protocol = htons(ETH_P_IP);
	skb->mark = o->mark;
	return skb;
}

/* Run the hook as LOCAL_OUT does; frees the skb when it was let through. */
static unsigned int run_hook(const u8 *dns, unsigned int len,
			     const struct pkt_opts *o, struct kunit *test)
{
	struct nf_hook_state state = {
		.hook = NF_INET_LOCAL_OUT,
		.pf = NFPROTO_IPV4,
		.net = &init_net,
	};
	struct sk_buff *skb = query_skb(test, dns, len, o);
	unsigned int verdict;

	rcu_read_lock();
	verdict = nfdns_hook(NULL, skb, &state);
	rcu_read_unlock();
	if (verdict == NF_ACCEPT)
		kfree_skb(skb);
	return verdict;
}

static void nfdns_hook_ignores_other_traffic_test(struct kunit *test)
{
	struct pkt_opts tcp = { .proto = IPPROTO_TCP };
	struct pkt_opts port = { .dport = htons(80) };
	struct pkt_opts fragment = { .frag_off = htons(IP_MF) };
	struct pkt_opts multicast = { .daddr = htonl(0xe00000fb) };

	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query), &tcp,
				       test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query), &port,
				       test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query),
				       &fragment, test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query),
				       &multicast, test), NF_ACCEPT);
	/* Not DNS to nfdns: not looked at, so not counted either. */
	KUNIT_EXPECT_EQ(test, passed(), 0);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_MISSES), 0);
}

static void nfdns_hook_pass_reasons_test(struct kunit *test)
{
	struct pkt_opts plain = {};
	struct pkt_opts marked = { .mark = NFDNS_DEFAULT_MARK };
	struct pkt_opts short_len = { .udp_len_delta = -1 };
	struct pkt_opts bad_sum = { .udp_check = (__force __sum16)htons(0x1234) };
	u8 m[sizeof(hook_query)];

	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query), &marked,
				       test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_PASS_MARKED), 1);

	/* Shorter than a DNS header; a UDP length past the datagram. */
	KUNIT_EXPECT_EQ(test, run_hook(hook_query, DNSWIRE_HDR_LEN - 1, &plain,
				       test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query) - 1,
				       &(struct pkt_opts){ .udp_len_delta = 2 },
				       test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_PASS_MALFORMED), 2);
	/* A question cut short by the UDP length. */
	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query),
				       &short_len, test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_PASS_MALFORMED), 3);
	/* A UDP checksum that does not match. */
	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query), &bad_sum,
				       test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_PASS_MALFORMED), 4);

	/* A response is not a query. */
	memcpy(m, hook_query, sizeof(m));
	m[2] |= 0x80;
	KUNIT_EXPECT_EQ(test, run_hook(m, sizeof(m), &plain, test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_PASS_NOT_QUERY), 1);

	/* RD=0: another resolver's iterative query. */
	memcpy(m, hook_query, sizeof(m));
	m[2] &= ~0x01;
	KUNIT_EXPECT_EQ(test, run_hook(m, sizeof(m), &plain, test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_PASS_NORECURSE), 1);

	/* A miss with no resolver registered fails open. */
	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query), &plain,
				       test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_MISSES), 1);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_PASS_FAIL_OPEN), 1);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_HITS), 0);
	KUNIT_EXPECT_EQ(test, caught.count, 0);
}

static void nfdns_hook_hit_replies_test(struct kunit *test)
{
	struct nfdns_net *nn = nfdns_pernet(&init_net);
	struct nfdns_key key = {
		.name = hook_name, .name_len = sizeof(hook_name),
		.qtype = 1, .qclass = 1,
	};
	struct pkt_opts plain = {};
	struct dnswire_resp_info ri;
	const struct udphdr *uh;
	const struct iphdr *iph;
	const char *why = NULL;
	unsigned int ulen;
	const u8 *dns;
	u16 offs[4];

	KUNIT_ASSERT_EQ(test, dnswire_validate_response(hook_resp,
				sizeof(hook_resp), hook_name, sizeof(hook_name),
				1, 1, offs, ARRAY_SIZE(offs), &ri, &why), 0);
	KUNIT_ASSERT_EQ(test, nfdns_cache_insert(nn, &key, hook_resp,
						 sizeof(hook_resp), offs,
						 ri.n_ttl, 300, 0, &why), 0);

	KUNIT_EXPECT_EQ(test, run_hook(hook_query, sizeof(hook_query), &plain,
				       test), NF_STOLEN);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_HITS), 1);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_MISSES), 0);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_ANSWERS), 1);
	KUNIT_ASSERT_EQ(test, caught.count, 1);

	/* IPv4: from the address the client asked, a valid header. */
	KUNIT_ASSERT_GE(test, caught.len, (unsigned int)(sizeof(*iph) +
				sizeof(*uh) + sizeof(hook_resp)));
	iph = (const struct iphdr *)caught.data;
	KUNIT_EXPECT_EQ(test, (int)iph->version, 4);
	KUNIT_EXPECT_EQ(test, (int)iph->ihl, 5);
	KUNIT_EXPECT_EQ(test, iph->protocol, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, ntohl(iph->saddr), ntohl(TEST_SERVER));
	KUNIT_EXPECT_EQ(test, ntohl(iph->daddr), ntohl(TEST_CLIENT));
	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), caught.len);
	KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(iph, iph->ihl), 0);

	/* UDP: from port 53 to the client's port, with a valid checksum. */
	uh = (const struct udphdr *)(caught.data + sizeof(*iph));
	ulen = caught.len - sizeof(*iph);
	KUNIT_EXPECT_EQ(test, ntohs(uh->source), 53);
	KUNIT_EXPECT_EQ(test, ntohs(uh->dest), ntohs(TEST_SPORT));
	KUNIT_EXPECT_EQ(test, ntohs(uh->len), ulen);
	KUNIT_EXPECT_NE(test, (__force u16)uh->check, 0);
	KUNIT_EXPECT_EQ(test, (__force u16)csum_tcpudp_magic(iph->saddr,
					iph->daddr, ulen, IPPROTO_UDP,
					csum_partial(uh, ulen, 0)), 0);

	/* DNS: the client's ID, the stored answer, its TTL not yet lowered. */
	dns = (const u8 *)(uh + 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(dns), 0x1234);
	KUNIT_EXPECT_TRUE(test, dns[2] & 0x80);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(dns + 6), 1);
	KUNIT_EXPECT_EQ(test, ulen - sizeof(*uh), sizeof(hook_resp));
	KUNIT_EXPECT_EQ(test, memcmp(dns + sizeof(hook_resp) - 4,
				     "\xc0\x00\x02\x2c", 4), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(dns + sizeof(hook_resp) - 10),
			300);
}

/* The DNS payload of the last reply caught. */
static const u8 *caught_dns(void)
{
	return caught.data + sizeof(struct iphdr) + sizeof(struct udphdr);
}

/*
 * @hook_query with header byte 3 set to @f2, and an OPT record of @size
 * (with DO when @dnssec_ok) unless @size is 0; returns its length.
 */
static unsigned int dnssec_query(u8 *buf, u8 f2, u16 size, bool dnssec_ok)
{
	memcpy(buf, hook_query, sizeof(hook_query));
	buf[3] = f2;
	if (!size)
		return sizeof(hook_query);
	buf[11] = 1;
	buf += sizeof(hook_query);
	buf[0] = 0;
	put_unaligned_be16(DNSWIRE_TYPE_OPT, buf + 1);
	put_unaligned_be16(size, buf + 3);
	buf[5] = 0;
	buf[6] = 0;
	put_unaligned_be16(dnssec_ok ? 0x8000 : 0, buf + 7);	/* DO */
	put_unaligned_be16(0, buf + 9);
	return sizeof(hook_query) + DNSWIRE_OPT_LEN;
}

/* Store @resp (@len bytes) for www.example. A under @bits (DO, CD). */
static void dnssec_store(struct kunit *test, const u8 *resp, unsigned int len,
			 u8 bits)
{
	struct nfdns_key key = {
		.name = hook_name, .name_len = sizeof(hook_name),
		.do_bit = bits, .qtype = 1, .qclass = 1,
	};
	struct dnswire_resp_info ri;
	const char *why = NULL;
	u16 *offs;

	offs = kunit_kcalloc(test, 128, sizeof(*offs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, offs);
	KUNIT_ASSERT_EQ(test, dnswire_validate_response(resp, len, hook_name,
				sizeof(hook_name), 1, 1, offs, 128, &ri, &why), 0);
	KUNIT_ASSERT_EQ(test, nfdns_cache_insert(nfdns_pernet(&init_net), &key,
						 resp, len, offs, ri.n_ttl,
						 300, 0, &why), 0);
}

/*
 * The DO=1 and DO=0 answers are entries of their own, and so is the CD=1
 * one; AD goes out as stored, to a client that set DO or AD; a reply over
 * 1232 bytes goes out as TC=1 with the question only.
 */
static void nfdns_hook_dnssec_test(struct kunit *test)
{
	struct pkt_opts plain = {};
	u8 resp[sizeof(hook_resp)], q[sizeof(hook_query) + DNSWIRE_OPT_LEN];
	unsigned int len, i, n_big = 100;
	u8 *big;

	/* DO=0: the resolver found it secure (AD), address .44. */
	memcpy(resp, hook_resp, sizeof(resp));
	resp[3] |= DNSWIRE_F2_AD;
	dnssec_store(test, resp, sizeof(resp), 0);

	len = dnssec_query(q, 0, 0, false);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_STOLEN);
	KUNIT_ASSERT_EQ(test, caught.count, 1);
	KUNIT_EXPECT_FALSE(test, caught_dns()[3] & DNSWIRE_F2_AD);
	len = dnssec_query(q, DNSWIRE_F2_AD, 0, false);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_STOLEN);
	KUNIT_ASSERT_EQ(test, caught.count, 2);
	KUNIT_EXPECT_TRUE(test, caught_dns()[3] & DNSWIRE_F2_AD);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_HITS), 2);

	/* Neither DO=1 nor CD=1 is answered from it: both miss (fail-open). */
	len = dnssec_query(q, 0, 1232, true);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_ACCEPT);
	len = dnssec_query(q, DNSWIRE_F2_CD, 0, false);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_ACCEPT);
	len = dnssec_query(q, DNSWIRE_F2_CD, 1232, true);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_MISSES), 3);
	KUNIT_EXPECT_EQ(test, caught.count, 2);

	/* DO=1: an entry of its own (address .45), AD echoed with DO. */
	resp[sizeof(resp) - 1] = 45;
	dnssec_store(test, resp, sizeof(resp), 1);
	len = dnssec_query(q, 0, 1232, true);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_STOLEN);
	KUNIT_ASSERT_EQ(test, caught.count, 3);
	KUNIT_EXPECT_TRUE(test, caught_dns()[3] & DNSWIRE_F2_AD);
	KUNIT_EXPECT_EQ(test, caught_dns()[sizeof(resp) - 1], 45);
	len = dnssec_query(q, DNSWIRE_F2_AD, 1232, false);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_STOLEN);
	KUNIT_ASSERT_EQ(test, caught.count, 4);
	KUNIT_EXPECT_EQ(test, caught_dns()[sizeof(resp) - 1], 44);

	/* CD=1: stored unvalidated, without AD (address .46); CD echoed. */
	resp[3] &= ~DNSWIRE_F2_AD;
	resp[sizeof(resp) - 1] = 46;
	dnssec_store(test, resp, sizeof(resp), NFDNS_KEY_CD);
	len = dnssec_query(q, DNSWIRE_F2_CD | DNSWIRE_F2_AD, 0, false);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_STOLEN);
	KUNIT_ASSERT_EQ(test, caught.count, 5);
	KUNIT_EXPECT_EQ(test, caught_dns()[sizeof(resp) - 1], 46);
	KUNIT_EXPECT_TRUE(test, caught_dns()[3] & DNSWIRE_F2_CD);
	KUNIT_EXPECT_FALSE(test, caught_dns()[3] & DNSWIRE_F2_AD);
	/* ... and the CD=0 entries are still there, as they were. */
	len = dnssec_query(q, DNSWIRE_F2_AD, 0, false);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_STOLEN);
	KUNIT_EXPECT_EQ(test, caught_dns()[sizeof(resp) - 1], 44);
	KUNIT_EXPECT_TRUE(test, caught_dns()[3] & DNSWIRE_F2_AD);

	/*
	 * A signed answer of 1612 bytes for a DO=1 client that can take
	 * 4096: TC=1, no records, the OPT record, and at most 1232 bytes.
	 */
	len = sizeof(hook_resp) + (n_big - 1) * 16;
	big = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	memcpy(big, hook_resp, sizeof(hook_resp));
	big[3] |= DNSWIRE_F2_AD;
	put_unaligned_be16(n_big, big + 6);
	for (i = 1; i < n_big; i++)
		memcpy(big + sizeof(hook_resp) + (i - 1) * 16,
		       hook_resp + sizeof(hook_resp) - 16, 16);
	KUNIT_ASSERT_GT(test, len, 1232U);
	dnssec_store(test, big, len, 1);
	len = dnssec_query(q, 0, 4096, true);
	KUNIT_EXPECT_EQ(test, run_hook(q, len, &plain, test), NF_STOLEN);
	KUNIT_ASSERT_EQ(test, caught.count, 7);
	KUNIT_EXPECT_TRUE(test, caught_dns()[2] & DNSWIRE_F1_TC);
	KUNIT_EXPECT_TRUE(test, caught_dns()[3] & DNSWIRE_F2_AD);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(caught_dns() + 6), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(caught_dns() + 10), 1);
	KUNIT_EXPECT_LE(test, caught.len - sizeof(struct iphdr) -
			sizeof(struct udphdr), 1232U);
	KUNIT_EXPECT_EQ(test, hook_stat(NFDNS_STAT_A_TRUNCATED), 1);
}

static struct kunit_case nfdns_hook_test_cases[] = {
	KUNIT_CASE(nfdns_hook_ignores_other_traffic_test),
	KUNIT_CASE(nfdns_hook_pass_reasons_test),
	KUNIT_CASE(nfdns_hook_hit_replies_test),
	KUNIT_CASE(nfdns_hook_dnssec_test),
	{}
};

static struct kunit_suite nfdns_hook_test_suite = {
	.name = "nfdns_hook",
	.suite_init = hook_suite_init,
	.suite_exit = hook_suite_exit,
	.init = hook_test_init,
	.exit = hook_test_exit,
	.test_cases = nfdns_hook_test_cases,
};

kunit_test_suite(nfdns_hook_test_suite);
