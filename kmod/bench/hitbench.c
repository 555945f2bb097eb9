// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns_hitbench: what nfdns's hit path costs, measured in the kernel on
 * prebuilt packets, apart from any client and any network.
 *
 * Loading the module fills a cache of its own with h<i>.bench. A IN, then
 * times, in nanoseconds per operation, an empty netfilter hook called the
 * way netfilter calls one, the parts of a hit (cache lookup, query parse,
 * reply build, reply skb with headers and route) and the whole hook on a
 * hit, on one CPU and then on several at once; it prints one line per
 * figure, frees everything, and returns 0 (rmmod it afterwards), or an
 * error with a line saying what failed.
 *
 * The queries arrive at PRE_ROUTING on a device that is never registered,
 * from 198.18.255.2 (RFC 2544's benchmarking range) to 198.18.255.1, as a
 * client's query from the network does.  The reply is built, checksummed
 * and routed as for that client, then freed where it would be sent, so a
 * route to 198.18.255.2 must exist (ip route add 198.18.255.2 dev lo): a
 * query from a loopback address is never answered at PRE_ROUTING.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/udp.h>
#include <linux/wait.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>

#include "../internal.h"
#include "hitbench.h"

#define HB_MAX_ENTRIES	4194304U
#define HB_MAX_QUERIES	65536U
#define HB_MAX_PASSES	31U
/* Operations per RCU read section, between chances to reschedule. */
#define HB_CHUNK	1024U
/* Longest name: \x08h4194303\x05bench\x00. */
#define HB_NAME_MAX	16
#define HB_TTL		86400
#define HB_ANSWER	"\xc0\x00\x02\x01"		/* 192.0.2.1 */
#define HB_CLIENT	htonl(0xc612ff02)		/* 198.18.255.2 */
#define HB_SERVER	htonl(0xc612ff01)		/* 198.18.255.1 */
#define HB_SPORT	htons(40053)
#define HB_SEED		0x6e66646eULL

static unsigned int entries = 1000;
module_param(entries, uint, 0444);
MODULE_PARM_DESC(entries, "Cache entries (1 to 4194304)");

static unsigned int ops = 1000000;
module_param(ops, uint, 0444);
MODULE_PARM_DESC(ops, "Operations per measurement");

static unsigned int passes = 5;
module_param(passes, uint, 0444);
MODULE_PARM_DESC(passes, "Measurements of each figure: the median and the fastest are printed (1 to 31)");

static unsigned int cpus;
module_param(cpus, uint, 0444);
MODULE_PARM_DESC(cpus, "CPUs running the hook at once after the one-CPU run (0: every online CPU; 1: none)");

/* nfdns.ko's state, if it is loaded, stays apart under its own id. */
unsigned int nfdns_net_id;

enum hb_op {
	HB_EMPTY,
	HB_LOOKUP,
	HB_PARSE,
	HB_BUILD,
	HB_REPLY,
	HB_HOOK,
	HB_NR_OPS,
};

static const char *const hb_op_name[HB_NR_OPS] = {
	[HB_EMPTY] = "empty",
	[HB_LOOKUP] = "lookup",
	[HB_PARSE] = "parse",
	[HB_BUILD] = "build",
	[HB_REPLY] = "reply",
	[HB_HOOK] = "hook",
};

/* The queries of one CPU, in the order they are sent. */
struct hb_set {
	unsigned int n;
	struct sk_buff **skb;
};

/*
 * The parts of a hit are measured on the queries of the first set: their
 * payloads, parsed questions, keys and entries, in the same order.
 */
struct hb_parts {
	const u8 **dns;
	u16 *dns_len;
	struct dnswire_query *q;
	u8 (*name)[HB_NAME_MAX];
	struct nfdns_key *key;
	const struct nfdns_entry **e;
	u8 *out;
};

static struct {
	struct nfdns_net *nn;
	struct net_device *dev;
	struct nf_hook_state state;
	struct nfdns_client client;
	unsigned int nq;
	unsigned int nsets;
	struct hb_set *sets;
	struct hb_parts p;
	/* Hook calls and replies the bench made, to check nfdns's counters. */
	u64 hook_calls;
	u64 reply_calls;
} hb;

static DEFINE_PER_CPU(u64, hb_sent);
/* While set, each reply is checked against this question. */
static const struct dnswire_query *hb_expect;
static bool hb_reply_bad;

static unsigned int hb_empty_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

/*
 * Read at run time, so that both hooks go through one indirect call, as
 * netfilter's own call of a hook does.
 */
static nf_hookfn *hb_hookfn[HB_NR_OPS] = {
	[HB_EMPTY] = hb_empty_hook,
};

/* The reply to @q: from the server to the client, for its question. */
static bool hb_reply_matches(const struct sk_buff *skb,
			     const struct dnswire_query *q)
{
	unsigned int len = q->question_end + 16;
	const struct iphdr *iph;
	const struct udphdr *uh;
	const u8 *dns;

	if (skb_is_nonlinear(skb) ||
	    skb->len != sizeof(*iph) + sizeof(*uh) + len)
		return false;
	iph = (const struct iphdr *)skb->data;
	uh = (const struct udphdr *)(iph + 1);
	dns = (const u8 *)(uh + 1);
	return iph->saddr == HB_SERVER && iph->daddr == HB_CLIENT &&
	       iph->protocol == IPPROTO_UDP && uh->source == htons(53) &&
	       uh->dest == HB_SPORT && ntohs(uh->len) == sizeof(*uh) + len &&
	       get_unaligned_be16(dns) == q->id &&
	       dns[2] & DNSWIRE_F1_QR &&
	       !(dns[3] & DNSWIRE_F2_RCODE) &&
	       get_unaligned_be16(dns + 6) == 1 &&
	       !memcmp(dns + DNSWIRE_HDR_LEN, q->qname, q->qname_len) &&
	       !memcmp(dns + len - 4, HB_ANSWER, 4);
}

/**
 * nfdns_hitbench_xmit() - take a reply where nfdns would send it
 * @net: the namespace
 * @sk: the socket (none)
 * @skb: the reply, with its IP header and its route
 *
 * Context: the hit path, softirqs off.
 * Return: 0 (sent).
 */
int nfdns_hitbench_xmit(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	const struct dnswire_query *q = READ_ONCE(hb_expect);

	if (unlikely(q) && !hb_reply_matches(skb, q))
		WRITE_ONCE(hb_reply_bad, true);
	this_cpu_inc(hb_sent);
	consume_skb(skb);
	return 0;
}

static u64 hb_sent_total(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(&hb_sent, cpu);
	return sum;
}

/* h<i>.bench in wire form, as tests/selftests/nfdns_fill.c names it. */
static unsigned int hb_name(unsigned int i, u8 *name)
{
	char label[12];
	unsigned int l = scnprintf(label, sizeof(label), "h%u", i);

	name[0] = l;
	memcpy(name + 1, label, l);
	memcpy(name + 1 + l, "\5bench", 7);
	return l + 8;
}

/* Its answer, shaped as nfdns_fill pushes it; the TTL's offset is known. */
static unsigned int hb_response(const u8 *name, unsigned int name_len,
				u8 *resp, u16 *ttl_off)
{
	memcpy(resp, "\0\0\x81\x80\0\1\0\1\0\0\0\0", DNSWIRE_HDR_LEN);
	memcpy(resp + DNSWIRE_HDR_LEN, name, name_len);
	memcpy(resp + DNSWIRE_HDR_LEN + name_len,
	       "\0\1\0\1\xc0\x0c\0\1\0\1\0\1\x51\x80\0\4" HB_ANSWER, 20);
	*ttl_off = DNSWIRE_HDR_LEN + name_len + 10;
	return DNSWIRE_HDR_LEN + name_len + 20;
}

static int hb_fill(void)
{
	u8 name[HB_NAME_MAX], resp[DNSWIRE_HDR_LEN + HB_NAME_MAX + 20];
	struct nfdns_key key = { .name = name, .qtype = 1, .qclass = 1 };
	struct dnswire_resp_info ri;
	const char *why = NULL;
	unsigned int i, len;
	u16 off, offs[2];
	int err;

	for (i = 0; i < entries; i++) {
		key.name_len = hb_name(i, name);
		len = hb_response(name, key.name_len, resp, &off);
		/* The shape is nfdns_fill's, and the TTL where it is said to be. */
		if (!i && (dnswire_validate_response(resp, len, name,
						     key.name_len, 1, 1, offs,
						     ARRAY_SIZE(offs), &ri,
						     &why) ||
			   ri.n_ttl != 1 || offs[0] != off)) {
			pr_err("the response of %s is refused: %s\n", "h0.bench",
			       why ? why : "TTL offset");
			return -EINVAL;
		}
		err = nfdns_cache_insert(hb.nn, &key, resp, len, &off, 1, HB_TTL,
					 0, &why);
		if (err) {
			pr_err("insert %u of %u: %s (%d)\n", i + 1, entries, why,
			       err);
			return err;
		}
		if (!(i % HB_CHUNK))
			cond_resched();
	}
	if (hb.nn->cache.entries != entries) {
		pr_err("the cache holds %u entries, not %u\n",
		       hb.nn->cache.entries, entries);
		return -EINVAL;
	}
	return 0;
}

/* Query number @id for name @idx, as it arrives from the client. */
static struct sk_buff *hb_query_skb(unsigned int idx, u16 id, int node)
{
	unsigned int name_len, dlen, ulen;
	u8 name[HB_NAME_MAX], *dns;
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;

	name_len = hb_name(idx, name);
	dlen = DNSWIRE_HDR_LEN + name_len + 4;
	ulen = sizeof(*uh) + dlen;
	skb = __alloc_skb(LL_MAX_HEADER + sizeof(*iph) + ulen, GFP_KERNEL, 0,
			  node);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tot_len = htons(sizeof(*iph) + ulen);
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = HB_CLIENT;
	iph->daddr = HB_SERVER;
	ip_send_check(iph);
	skb_set_transport_header(skb, skb->len);
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = HB_SPORT;
	uh->dest = htons(53);
	uh->len = htons(ulen);
	dns = skb_put_zero(skb, dlen);
	put_unaligned_be16(id, dns);
	dns[2] = DNSWIRE_F1_RD;
	put_unaligned_be16(1, dns + 4);
	memcpy(dns + DNSWIRE_HDR_LEN, name, name_len);
	put_unaligned_be16(1, dns + DNSWIRE_HDR_LEN + name_len);
	put_unaligned_be16(1, dns + DNSWIRE_HDR_LEN + name_len + 2);
	uh->check = csum_tcpudp_magic(HB_CLIENT, HB_SERVER, ulen, IPPROTO_UDP,
				      csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	/* As a device that checked the UDP checksum hands a datagram up. */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->protocol = htons(ETH_P_IP);
	skb->pkt_type = PACKET_HOST;
	skb->dev = hb.dev;
	return skb;
}

/*
 * The names of set @s, spread evenly over the entries and sent in an order
 * shuffled once per set, so that a large cache is looked up all over.
 */
static int hb_set_build(unsigned int s, int node)
{
	struct hb_set *set = &hb.sets[s];
	struct rnd_state rnd;
	unsigned int i, j;
	u32 *order;

	order = kvmalloc_array(hb.nq, sizeof(*order), GFP_KERNEL);
	set->skb = kvcalloc(hb.nq, sizeof(*set->skb), GFP_KERNEL);
	if (!order || !set->skb) {
		kvfree(order);
		return -ENOMEM;
	}
	for (i = 0; i < hb.nq; i++)
		order[i] = i;
	prandom_seed_state(&rnd, HB_SEED + s);
	for (i = hb.nq - 1; i > 0; i--)
		swap(order[i], order[prandom_u32_state(&rnd) % (i + 1)]);
	for (i = 0; i < hb.nq; i++) {
		j = (u32)div_u64((u64)order[i] * entries, hb.nq);
		set->skb[i] = hb_query_skb(j, i, node);
		if (!set->skb[i])
			break;
		set->n++;
		if (!(i % HB_CHUNK))
			cond_resched();
	}
	kvfree(order);
	return set->n == hb.nq ? 0 : -ENOMEM;
}

static void hb_set_free(struct hb_set *set)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		consume_skb(set->skb[i]);
	kvfree(set->skb);
}

/* What the parts are measured on, taken from the skbs of the first set. */
static int hb_parts_build(void)
{
	struct hb_parts *p = &hb.p;
	const struct udphdr *uh;
	struct sk_buff *skb;
	unsigned int i;
	int err;

	p->dns = kvcalloc(hb.nq, sizeof(*p->dns), GFP_KERNEL);
	p->dns_len = kvcalloc(hb.nq, sizeof(*p->dns_len), GFP_KERNEL);
	p->q = kvcalloc(hb.nq, sizeof(*p->q), GFP_KERNEL);
	p->name = kvcalloc(hb.nq, sizeof(*p->name), GFP_KERNEL);
	p->key = kvcalloc(hb.nq, sizeof(*p->key), GFP_KERNEL);
	p->e = kvcalloc(hb.nq, sizeof(*p->e), GFP_KERNEL);
	p->out = kmalloc(DNSWIRE_UDP_MIN, GFP_KERNEL);
	if (!p->dns || !p->dns_len || !p->q || !p->name || !p->key || !p->e ||
	    !p->out)
		return -ENOMEM;
	for (i = 0; i < hb.nq; i++) {
		skb = hb.sets[0].skb[i];
		uh = udp_hdr(skb);
		p->dns[i] = (const u8 *)(uh + 1);
		p->dns_len[i] = ntohs(uh->len) - sizeof(*uh);
		err = dnswire_parse_query(p->dns[i], p->dns_len[i], &p->q[i]);
		if (err) {
			pr_err("query %u does not parse (%d)\n", i, err);
			return err;
		}
		memcpy(p->name[i], p->q[i].qname_lc, p->q[i].qname_len);
		p->key[i] = (struct nfdns_key){
			.name = p->name[i],
			.name_len = p->q[i].qname_len,
			.qtype = p->q[i].qtype,
			.qclass = p->q[i].qclass,
		};
		/*
		 * Kept past the read section: the bench is the cache's only
		 * writer, and no entry expires while it runs.
		 */
		rcu_read_lock();
		p->e[i] = nfdns_cache_lookup(hb.nn, &p->key[i]);
		rcu_read_unlock();
		if (!p->e[i]) {
			pr_err("query %u is not in the cache\n", i);
			return -EINVAL;
		}
	}
	return 0;
}

static void hb_parts_free(void)
{
	struct hb_parts *p = &hb.p;

	kfree(p->out);
	kvfree(p->e);
	kvfree(p->key);
	kvfree(p->name);
	kvfree(p->q);
	kvfree(p->dns_len);
	kvfree(p->dns);
}

/*
 * @n calls of @fn on the skbs of @set from *@pos on, through one indirect
 * call site; returns the calls that did not return @verdict.
 */
static noinline unsigned int hb_call_chunk(nf_hookfn *fn, unsigned int verdict,
					   struct hb_set *set,
					   unsigned int *pos, unsigned int n)
{
	const struct nf_hook_state *state = &hb.state;
	unsigned int bad = 0, i = *pos;
	struct sk_buff *skb;

	for (; n; n--) {
		skb = set->skb[i];
		/* What the hook answers, it frees: the prebuilt skb stays. */
		if (verdict == NF_STOLEN)
			skb_get(skb);
		if (unlikely(fn(NULL, skb, state) != verdict)) {
			bad++;
			if (verdict == NF_STOLEN)
				consume_skb(skb);
		}
		if (++i == set->n)
			i = 0;
	}
	*pos = i;
	return bad;
}

/* @n operations @op, one of the parts, from *@pos on; returns failures. */
static noinline unsigned int hb_part_chunk(enum hb_op op, unsigned int *pos,
					   unsigned int n)
{
	const struct hb_parts *p = &hb.p;
	unsigned int bad = 0, i = *pos, k;
	const struct nfdns_entry *e;
	struct dnswire_query q;
	bool truncated;
	int len;

	switch (op) {
	case HB_LOOKUP:
		for (k = 0; k < n; k++, i = i + 1 == hb.nq ? 0 : i + 1)
			bad += !nfdns_cache_lookup(hb.nn, &p->key[i]);
		break;
	case HB_PARSE:
		for (k = 0; k < n; k++, i = i + 1 == hb.nq ? 0 : i + 1)
			bad += !!dnswire_parse_query(p->dns[i], p->dns_len[i],
						     &q);
		break;
	case HB_BUILD:
		for (k = 0; k < n; k++, i = i + 1 == hb.nq ? 0 : i + 1) {
			e = p->e[i];
			len = dnswire_build_reply(p->out, DNSWIRE_UDP_MIN,
						  nfdns_entry_resp(e),
						  e->resp_len,
						  nfdns_entry_ttl_offs(e),
						  e->n_ttl, 0, &p->q[i],
						  p->q[i].qname, &truncated);
			bad += len <= 0 || truncated;
		}
		break;
	case HB_REPLY:
		for (k = 0; k < n; k++, i = i + 1 == hb.nq ? 0 : i + 1) {
			e = p->e[i];
			bad += !!nfdns_reply_from_response(&init_net,
							   &hb.client, &p->q[i],
							   p->q[i].qname,
							   nfdns_entry_resp(e),
							   e->resp_len,
							   nfdns_entry_ttl_offs(e),
							   e->n_ttl, 0,
							   &truncated);
		}
		break;
	default:
		bad = n;
		break;
	}
	*pos = i;
	return bad;
}

/*
 * @n operations @op on @set, a chunk at a time under one RCU read section
 * with softirqs off, as a hook runs; between chunks the CPU may go to
 * other work, which is not timed, so that a long run stalls nothing.
 * Returns the nanoseconds spent, and adds the failures to *@bad.
 */
static u64 hb_run(enum hb_op op, struct hb_set *set, unsigned int n,
		  unsigned int *bad)
{
	unsigned int pos = 0, done, k;
	u64 ns = 0, t0;

	for (done = 0; done < n; done += k) {
		k = min(n - done, HB_CHUNK);
		local_bh_disable();
		rcu_read_lock();
		t0 = ktime_get_ns();
		if (op == HB_EMPTY || op == HB_HOOK)
			*bad += hb_call_chunk(READ_ONCE(hb_hookfn[op]),
					      op == HB_HOOK ? NF_STOLEN :
					      NF_ACCEPT, set, &pos, k);
		else
			*bad += hb_part_chunk(op, &pos, k);
		ns += ktime_get_ns() - t0;
		rcu_read_unlock();
		local_bh_enable();
		cond_resched();
	}
	return ns;
}

static int hb_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Sorts @v; returns its median. */
static u64 hb_median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), hb_cmp_u64, NULL);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define HB_DEC_LEN	24

/*
 * @v in units of 1/@unit (a power of ten) with @digits decimals: the
 * figures go out in fixed point, for nothing else parses them.
 */
static const char *hb_dec(char *buf, u64 v, u32 unit, unsigned int digits)
{
	u32 rem, scale = unit;
	unsigned int i;

	for (i = 0; i < digits; i++)
		scale /= 10;
	v = div_u64_rem(v, unit, &rem);
	scnprintf(buf, HB_DEC_LEN, "%llu.%0*u", v, digits, rem / scale);
	return buf;
}

/* Picoseconds, as nanoseconds with one decimal. */
static const char *hb_ns(char *buf, u64 ps)
{
	return hb_dec(buf, ps, 1000, 1);
}

/*
 * Time @op on one CPU: a warm-up over the queries, then @passes runs of
 * @ops operations.  *@median_ps is the median pass, in picoseconds per
 * operation.
 */
static int hb_measure(enum hb_op op, u64 *median_ps)
{
	unsigned int bad = 0, i, warm = min(ops, hb.nq);
	char med[HB_DEC_LEN], fast[HB_DEC_LEN];
	u64 ps[HB_MAX_PASSES];

	hb_run(op, &hb.sets[0], warm, &bad);
	for (i = 0; i < passes; i++)
		ps[i] = div_u64(hb_run(op, &hb.sets[0], ops, &bad) * 1000, ops);
	if (op == HB_HOOK)
		hb.hook_calls += warm + (u64)passes * ops;
	if (op == HB_REPLY)
		hb.reply_calls += warm + (u64)passes * ops;
	if (bad) {
		pr_err("op=%s: %u operations failed\n", hb_op_name[op], bad);
		return -EINVAL;
	}
	*median_ps = hb_median(ps, passes);
	pr_info("entries=%u cpus=1 op=%s ns_per_op=%s min_ns_per_op=%s ops=%u\n",
		entries, hb_op_name[op], hb_ns(med, *median_ps),
		hb_ns(fast, ps[0]), ops);
	return 0;
}

/* One CPU's share of a run of the hook on several at once. */
struct hb_worker {
	struct task_struct *task;
	struct hb_set *set;
	struct completion done;
	u64 start, end, ns;
	unsigned int bad;
};

static atomic_t hb_ready;
static bool hb_go;
static DECLARE_WAIT_QUEUE_HEAD(hb_go_wq);

static int hb_worker_fn(void *arg)
{
	struct hb_worker *w = arg;

	/* Warm, then wait for the others, so that all start together. */
	hb_run(HB_HOOK, w->set, min(ops, hb.nq), &w->bad);
	atomic_inc(&hb_ready);
	wait_event(hb_go_wq, READ_ONCE(hb_go));
	w->start = ktime_get_ns();
	w->ns = hb_run(HB_HOOK, w->set, ops, &w->bad);
	w->end = ktime_get_ns();
	complete(&w->done);
	/* kthread_stop() wants the thread still there. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * One run of the hook on the CPUs of @w at once.  *@wall_ns is the time
 * from the first start to the last end; *@ps the mean of each CPU's
 * picoseconds per operation.
 */
static int hb_scale_pass(struct hb_worker *w, const int *cpu, unsigned int n,
			 u64 *wall_ns, u64 *ps)
{
	u64 first = U64_MAX, last = 0, sum = 0;
	unsigned int i, made, bad = 0;
	int err = 0;

	atomic_set(&hb_ready, 0);
	WRITE_ONCE(hb_go, false);
	for (made = 0; made < n; made++) {
		w[made].set = &hb.sets[made];
		w[made].bad = 0;
		init_completion(&w[made].done);
		w[made].task = kthread_create_on_cpu(hb_worker_fn, &w[made],
						     cpu[made], "nfdns_hb/%u");
		if (IS_ERR(w[made].task)) {
			err = PTR_ERR(w[made].task);
			pr_err("no thread for CPU %d (%d)\n", cpu[made], err);
			goto stop;
		}
	}
	for (i = 0; i < n; i++)
		wake_up_process(w[i].task);
	while (atomic_read(&hb_ready) < n)
		msleep(20);
	WRITE_ONCE(hb_go, true);
	wake_up_all(&hb_go_wq);
	for (i = 0; i < n; i++) {
		/* In short waits: a long run is not a hung task. */
		while (!wait_for_completion_timeout(&w[i].done, HZ))
			;
		first = min(first, w[i].start);
		last = max(last, w[i].end);
		sum += div_u64(w[i].ns * 1000, ops);
		bad += w[i].bad;
	}
	hb.hook_calls += (u64)n * (min(ops, hb.nq) + ops);
	if (bad) {
		pr_err("cpus=%u op=hook: %u operations failed\n", n, bad);
		err = -EINVAL;
	}
	*wall_ns = max(last - first, 1ULL);
	*ps = div_u64(sum, n);
stop:
	while (made--)
		kthread_stop(w[made].task);
	return err;
}

/* The hook on @n CPUs at once, against its figure on one (@one_ps). */
static int hb_scale(unsigned int n, u64 one_ps)
{
	u64 ps[HB_MAX_PASSES], rate[HB_MAX_PASSES], wall, min_ps, speedup;
	char buf[4][HB_DEC_LEN];
	struct hb_worker *w;
	unsigned int i = 0;
	int *cpu, c, err = -ENOMEM;
	u64 total = (u64)n * ops;

	w = kcalloc(n, sizeof(*w), GFP_KERNEL);
	cpu = kcalloc(n, sizeof(*cpu), GFP_KERNEL);
	if (!w || !cpu)
		goto out;
	for_each_online_cpu(c) {
		if (i == n)
			break;
		cpu[i++] = c;
	}
	for (i = 0; i < passes; i++) {
		err = hb_scale_pass(w, cpu, n, &wall, &ps[i]);
		if (err)
			goto out;
		/* Operations a second, all CPUs together. */
		rate[i] = div64_u64(total * NSEC_PER_SEC, wall);
	}
	min_ps = ps[0];
	for (i = 1; i < passes; i++)
		min_ps = min(min_ps, ps[i]);
	rate[0] = hb_median(rate, passes);
	/* One CPU alone does 10^12 / one_ps a second; in hundredths. */
	speedup = div64_u64(rate[0] * one_ps, 10000000000ULL);
	pr_info("entries=%u cpus=%u op=hook ns_per_op=%s min_ns_per_op=%s ops=%u aggregate_mops=%s speedup=%s\n",
		entries, n, hb_ns(buf[0], hb_median(ps, passes)),
		hb_ns(buf[1], min_ps), ops, hb_dec(buf[2], rate[0], 1000000, 3),
		hb_dec(buf[3], speedup, 100, 2));
out:
	kfree(cpu);
	kfree(w);
	return err;
}

/* Every reply is checked once, before anything is timed. */
static int hb_check_replies(void)
{
	const struct nfdns_entry *e;
	struct sk_buff *skb;
	unsigned int i, v;
	bool truncated;
	int err;

	for (i = 0; i < hb.nq; i++) {
		WRITE_ONCE(hb_expect, &hb.p.q[i]);
		e = hb.p.e[i];
		local_bh_disable();
		rcu_read_lock();
		err = nfdns_reply_from_response(&init_net, &hb.client,
						&hb.p.q[i], hb.p.q[i].qname,
						nfdns_entry_resp(e),
						e->resp_len,
						nfdns_entry_ttl_offs(e),
						e->n_ttl, 0, &truncated);
		skb = skb_get(hb.sets[0].skb[i]);
		v = hb_hookfn[HB_HOOK](NULL, skb, &hb.state);
		rcu_read_unlock();
		local_bh_enable();
		hb.reply_calls++;
		hb.hook_calls++;
		if (v != NF_STOLEN)
			consume_skb(skb);
		if (err || v != NF_STOLEN || READ_ONCE(hb_reply_bad)) {
			pr_err("query %u: reply %d, hook verdict %u (not 0 and %u)%s\n",
			       i, err, v, NF_STOLEN, READ_ONCE(hb_reply_bad) ?
			       ", a reply not for it" : "");
			WRITE_ONCE(hb_expect, NULL);
			return -EINVAL;
		}
		if (!(i % HB_CHUNK))
			cond_resched();
	}
	WRITE_ONCE(hb_expect, NULL);
	return 0;
}

/* nfdns counted every hook call as a hit, and every reply was taken. */
static int hb_check_counters(void)
{
	u64 sum[__NFDNS_STAT_A_MAX], sent = hb_sent_total();

	nfdns_stats_sum(hb.nn, sum);
	if (sum[NFDNS_STAT_A_HITS] != hb.hook_calls) {
		pr_err("hits=%llu, not the %llu hook calls\n",
		       sum[NFDNS_STAT_A_HITS], hb.hook_calls);
		return -EINVAL;
	}
	if (sent != hb.hook_calls + hb.reply_calls ||
	    sum[NFDNS_STAT_A_ANSWERS] != sent) {
		pr_err("replies sent=%llu answers=%llu, not %llu\n", sent,
		       sum[NFDNS_STAT_A_ANSWERS],
		       hb.hook_calls + hb.reply_calls);
		return -EINVAL;
	}
	pr_info("entries=%u hits=%llu hook_calls=%llu replies=%llu\n", entries,
		sum[NFDNS_STAT_A_HITS], hb.hook_calls, sent);
	return 0;
}

static int hb_bench(void)
{
	char x[HB_NR_OPS][HB_DEC_LEN];
	u64 ps[HB_NR_OPS];
	enum hb_op op;
	int err;

	err = hb_check_replies();
	if (err)
		return err;
	for (op = 0; op < HB_NR_OPS; op++) {
		err = hb_measure(op, &ps[op]);
		if (err)
			return err;
	}
	/* A set of queries was made for each CPU that runs the hook. */
	if (hb.nsets > 1) {
		err = hb_scale(hb.nsets, ps[HB_HOOK]);
		if (err)
			return err;
	}
	err = hb_check_counters();
	if (err)
		return err;
	for (op = 0; op < HB_NR_OPS; op++)
		hb_dec(x[op], div64_u64(ps[op] * 10, max(ps[HB_EMPTY], 1ULL)),
		       10, 1);
	pr_info("entries=%u hook/empty=%s lookup/empty=%s parse/empty=%s build/empty=%s reply/empty=%s\n",
		entries, x[HB_HOOK], x[HB_LOOKUP], x[HB_PARSE], x[HB_BUILD],
		x[HB_REPLY]);
	return 0;
}

static struct pernet_operations hb_net_ops = {
	.id = &nfdns_net_id,
	.size = sizeof(struct nfdns_net),
};

/* nfdns's state in init_net, as main.c sets it up, hooks aside. */
static int hb_net_init(void)
{
	struct nfdns_net *nn = nfdns_pernet(&init_net);
	struct nfdns_config *cfg;
	int cpu, err = -ENOMEM;

	memset(nn, 0, sizeof(*nn));
	nn->net = &init_net;
	mutex_init(&nn->config_lock);
	spin_lock_init(&nn->resolver_lock);
	nfdns_local_init(nn);
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	nfdns_config_defaults(cfg);
	cfg->max_entries = max(cfg->max_entries, entries);
	cfg->max_bytes = 1ULL << 40;
	/* Answer the benchmark range, and never limit the rate. */
	cfg->n_clients4 = 0;
	cfg->n_clients6 = 0;
	nfdns_config_add_client4(cfg, 0, 0);
	nfdns_config_add_client6(cfg, &in6addr_any, 0);
	cfg->rrl_rate = 0;
	RCU_INIT_POINTER(nn->config, cfg);
	nn->stats = alloc_percpu(struct nfdns_stats);
	if (!nn->stats)
		goto err_cfg;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(nn->stats, cpu)->syncp);
	err = nfdns_cache_init(nn);
	if (err)
		goto err_stats;
	err = nfdns_pending_init(nn);
	if (err)
		goto err_cache;
	err = nfdns_rrl_init(nn);
	if (err)
		goto err_pending;
	hb.nn = nn;
	return 0;

err_pending:
	nfdns_pending_destroy(nn);
err_cache:
	nfdns_cache_destroy(nn);
err_stats:
	free_percpu(nn->stats);
err_cfg:
	RCU_INIT_POINTER(nn->config, NULL);
	kfree(cfg);
	return err;
}

static void hb_net_exit(void)
{
	struct nfdns_net *nn = hb.nn;

	nfdns_rrl_destroy(nn);
	nfdns_pending_destroy(nn);
	nfdns_cache_destroy(nn);
	nfdns_local_destroy(nn);
	free_percpu(nn->stats);
	kfree(rcu_dereference_protected(nn->config, true));
	RCU_INIT_POINTER(nn->config, NULL);
}

/* The replies are routed for real: the client must be reachable. */
static int hb_route_check(void)
{
	struct flowi4 fl4 = {
		.daddr = HB_CLIENT,
		.saddr = HB_SERVER,
		.flowi4_proto = IPPROTO_UDP,
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
	};
	struct rtable *rt;

	rt = ip_route_output_key(&init_net, &fl4);
	if (IS_ERR(rt)) {
		pr_err("no route to %pI4 for the replies (%ld): add one first, e.g. ip route add %pI4 dev lo\n",
		       &fl4.daddr, PTR_ERR(rt), &fl4.daddr);
		return PTR_ERR(rt);
	}
	ip_rt_put(rt);
	return 0;
}

static int hb_sets_build(void)
{
	unsigned int n = cpus ? min(cpus, num_online_cpus()) : num_online_cpus();
	unsigned int s = 0;
	int c, err;

	hb.nq = min(entries, HB_MAX_QUERIES);
	hb.nsets = max(n, 1U);
	hb.sets = kcalloc(hb.nsets, sizeof(*hb.sets), GFP_KERNEL);
	if (!hb.sets)
		return -ENOMEM;
	/* Each on the memory of the CPU that sends it in the scaling run. */
	for_each_online_cpu(c) {
		if (s == hb.nsets)
			break;
		err = hb_set_build(s++, cpu_to_node(c));
		if (err) {
			pr_err("no memory for %u queries\n", hb.nq);
			return err;
		}
	}
	return s == hb.nsets ? 0 : -ENODEV;
}

static void hb_sets_free(void)
{
	unsigned int s;

	for (s = 0; hb.sets && s < hb.nsets; s++)
		hb_set_free(&hb.sets[s]);
	kfree(hb.sets);
	hb.sets = NULL;
}

static int __init hb_init(void)
{
	u64 t0;
	int err;

	if (!entries || entries > HB_MAX_ENTRIES || !ops || !passes ||
	    passes > HB_MAX_PASSES) {
		pr_err("entries must be 1 to %u, ops at least 1, passes 1 to %u\n",
		       HB_MAX_ENTRIES, HB_MAX_PASSES);
		return -EINVAL;
	}
	/* The entry netfilter would call for an IPv4 query from outside. */
	if (nfdns_hitbench_ops->pf != NFPROTO_IPV4 ||
	    nfdns_hitbench_ops->hooknum != NF_INET_PRE_ROUTING) {
		pr_err("nfdns's first hook is not IPv4 PRE_ROUTING\n");
		return -EINVAL;
	}
	hb_hookfn[HB_HOOK] = nfdns_hitbench_ops->hook;
	nfdns_cache_secret_init();
	err = hb_route_check();
	if (err)
		return err;
	err = register_pernet_subsys(&hb_net_ops);
	if (err)
		return err;
	err = hb_net_init();
	if (err)
		goto out_pernet;
	hb.dev = alloc_netdev(0, "nfdnsbench", NET_NAME_UNKNOWN, ether_setup);
	if (!hb.dev) {
		err = -ENOMEM;
		goto out_net;
	}
	hb.state = (struct nf_hook_state){
		.hook = NF_INET_PRE_ROUTING,
		.pf = NFPROTO_IPV4,
		.in = hb.dev,
		.net = &init_net,
	};
	hb.client = (struct nfdns_client){
		.family = NFPROTO_IPV4,
		.saddr.ip = HB_CLIENT,
		.daddr.ip = HB_SERVER,
		.sport = HB_SPORT,
		.dport = htons(53),
	};

	t0 = ktime_get_ns();
	err = hb_fill();
	if (err)
		goto out_dev;
	pr_info("entries=%u queries=%u ops=%u passes=%u cpus_online=%u fill_ms=%llu\n",
		entries, min(entries, HB_MAX_QUERIES), ops, passes,
		num_online_cpus(), div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC));
	err = hb_sets_build();
	if (err)
		goto out_sets;
	err = hb_parts_build();
	if (err)
		goto out_parts;
	err = hb_bench();

out_parts:
	hb_parts_free();
out_sets:
	hb_sets_free();
out_dev:
	free_netdev(hb.dev);
out_net:
	hb_net_exit();
out_pernet:
	unregister_pernet_subsys(&hb_net_ops);
	return err;
}

/* Everything was done, and undone, at load. */
static void __exit hb_exit(void)
{
}

module_init(hb_init);
module_exit(hb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Microbenchmark of the nfdns hit path");
