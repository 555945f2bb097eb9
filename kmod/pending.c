// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: questions waiting for the resolver.
 *
 * The first client to miss on a question creates its entry and causes one
 * upcall; later clients asking the same question join it as waiters.  The
 * entry ends in exactly one of three ways, and whichever takes it out of the
 * table owns it: the resolver's answer, the resolver's failure (or its
 * departure), or the timeout.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * struct nfdns_waiter - one client waiting for an answer
 * @list: in its question's waiter list
 * @client: where to send the answer from and to
 * @q: the client's query; @q.qname points at @qname
 * @qname: the client's QNAME bytes, with its case
 */
struct nfdns_waiter {
	struct list_head list;
	struct nfdns_client client;
	struct dnswire_query q;
	u8 qname[DNSWIRE_NAME_MAX];
};

/**
 * struct nfdns_pending - one question in flight
 * @node: in the pending table, unhashed once taken out
 * @reap: on a private list once taken out with every other question
 * @timer: answers SERVFAIL (or stale) when the resolver is too slow
 * @nn: namespace state
 * @waiters: the clients waiting
 * @n_waiters: their number
 * @qname_len: length of @qname
 * @do_bit: the DNSSEC OK bit of the question
 * @qtype: question type
 * @qclass: question class
 * @qname: lower-cased QNAME
 */
struct nfdns_pending {
	struct hlist_node node;
	struct list_head reap;
	struct timer_list timer;
	struct nfdns_net *nn;
	struct list_head waiters;
	unsigned int n_waiters;
	u8 qname_len;
	u8 do_bit;
	u16 qtype;
	u16 qclass;
	u8 qname[DNSWIRE_NAME_MAX];
};

static bool nfdns_pending_match(const struct nfdns_pending *p,
				const struct nfdns_key *key)
{
	return p->qname_len == key->name_len && p->qtype == key->qtype &&
	       p->qclass == key->qclass && p->do_bit == key->do_bit &&
	       !memcmp(p->qname, key->name, key->name_len);
}

static struct hlist_head *nfdns_pending_bucket(struct nfdns_pending_table *pt,
					       const struct nfdns_key *key)
{
	return &pt->buckets[nfdns_key_hash(key) % NFDNS_PENDING_BUCKETS];
}

static struct nfdns_pending *nfdns_pending_find(struct nfdns_pending_table *pt,
						const struct nfdns_key *key)
{
	struct nfdns_pending *p;

	hlist_for_each_entry(p, nfdns_pending_bucket(pt, key), node)
		if (nfdns_pending_match(p, key))
			return p;
	return NULL;
}

static void nfdns_pending_unhash(struct nfdns_pending_table *pt,
				 struct nfdns_pending *p)
{
	lockdep_assert_held(&pt->lock);
	hlist_del_init(&p->node);
	pt->count--;
	pt->waiters -= p->n_waiters;
}

static void nfdns_pending_free(struct nfdns_pending *p)
{
	struct nfdns_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, &p->waiters, list)
		kfree(w);
	kfree(p);
}

static void nfdns_pending_reply_error(struct nfdns_pending *p, u8 rcode)
{
	struct net *net = p->nn->net;
	struct nfdns_waiter *w;

	list_for_each_entry(w, &p->waiters, list)
		nfdns_reply_error(net, &w->client, &w->q, w->qname, rcode);
}

static void nfdns_pending_reply(struct nfdns_pending *p, const u8 *resp,
				unsigned int len, const u16 *ttl_offs,
				unsigned int n_ttl, u32 elapsed)
{
	struct net *net = p->nn->net;
	struct nfdns_waiter *w;
	bool truncated;

	list_for_each_entry(w, &p->waiters, list)
		nfdns_reply_from_response(net, &w->client, &w->q, w->qname,
					  resp, len, ttl_offs, n_ttl, elapsed,
					  &truncated);
}

static void nfdns_pending_timeout(struct timer_list *t)
{
	struct nfdns_pending *p = from_timer(p, t, timer);
	struct nfdns_net *nn = p->nn;
	struct nfdns_pending_table *pt = nn->pending;
	struct nfdns_key key = {
		.name = p->qname,
		.name_len = p->qname_len,
		.do_bit = p->do_bit,
		.qtype = p->qtype,
		.qclass = p->qclass,
	};
	struct nfdns_entry *e;
	u32 serve_stale;
	u64 now;

	spin_lock_bh(&pt->lock);
	if (hlist_unhashed(&p->node)) {
		/* Answered meanwhile: the answering side owns and frees it. */
		spin_unlock_bh(&pt->lock);
		return;
	}
	nfdns_pending_unhash(pt, p);
	spin_unlock_bh(&pt->lock);
	nfdns_stat_inc(nn, NFDNS_STAT_A_TIMEOUTS);

	rcu_read_lock();
	now = get_jiffies_64();
	serve_stale = nfdns_config_rcu(nn)->serve_stale;
	e = nfdns_cache_lookup(nn, &key);
	if (e && serve_stale && !nfdns_entry_dead(e, now, serve_stale)) {
		nfdns_pending_reply(p, nfdns_entry_resp(e), e->resp_len,
				    nfdns_entry_ttl_offs(e), e->n_ttl,
				    nfdns_entry_age(e, now));
		nfdns_stat_add(nn, NFDNS_STAT_A_STALE_ANSWERS, p->n_waiters);
	} else {
		nfdns_pending_reply_error(p, DNSWIRE_RCODE_SERVFAIL);
	}
	rcu_read_unlock();
	nfdns_pending_free(p);
}

/**
 * nfdns_pending_add() - make a client wait for the answer to its question
 * @nn: namespace state
 * @key: the question, name lower-cased
 * @client: where the client is
 * @q: its parsed query (its QNAME bytes are copied)
 *
 * Context: any; under rcu_read_lock().
 * Return: 1 when the question is new and the resolver must be asked, 0
 * when the client joined a question already asked, -ENOSPC over a limit,
 * -ENOMEM.
 */
int nfdns_pending_add(struct nfdns_net *nn, const struct nfdns_key *key,
		      const struct nfdns_client *client,
		      const struct dnswire_query *q)
{
	const struct nfdns_config *cfg = nfdns_config_rcu(nn);
	struct nfdns_pending_table *pt = nn->pending;
	struct nfdns_pending *p, *fresh = NULL;
	struct nfdns_waiter *w;
	int ret;

	w = kmalloc(sizeof(*w), GFP_ATOMIC);
	if (!w)
		return -ENOMEM;
	w->client = *client;
	w->q = *q;
	memcpy(w->qname, q->qname, q->qname_len);
	w->q.qname = w->qname;

	spin_lock_bh(&pt->lock);
	p = nfdns_pending_find(pt, key);
	if (p) {
		if (p->n_waiters >= cfg->max_waiters) {
			ret = -ENOSPC;
			goto err_unlock;
		}
		list_add_tail(&w->list, &p->waiters);
		p->n_waiters++;
		pt->waiters++;
		spin_unlock_bh(&pt->lock);
		return 0;
	}
	if (pt->count >= cfg->max_pending) {
		ret = -ENOSPC;
		goto err_unlock;
	}
	fresh = kmalloc(sizeof(*fresh), GFP_ATOMIC);
	if (!fresh) {
		ret = -ENOMEM;
		goto err_unlock;
	}
	fresh->nn = nn;
	INIT_LIST_HEAD(&fresh->waiters);
	list_add_tail(&w->list, &fresh->waiters);
	fresh->n_waiters = 1;
	fresh->qname_len = key->name_len;
	fresh->do_bit = key->do_bit;
	fresh->qtype = key->qtype;
	fresh->qclass = key->qclass;
	memcpy(fresh->qname, key->name, key->name_len);
	timer_setup(&fresh->timer, nfdns_pending_timeout, 0);
	hlist_add_head(&fresh->node, nfdns_pending_bucket(pt, key));
	pt->count++;
	pt->waiters++;
	mod_timer(&fresh->timer,
		  jiffies + msecs_to_jiffies(cfg->pending_timeout_ms));
	spin_unlock_bh(&pt->lock);
	return 1;

err_unlock:
	spin_unlock_bh(&pt->lock);
	kfree(w);
	return ret;
}

/* Take a question out of the table; the caller then owns it. */
static struct nfdns_pending *nfdns_pending_take(struct nfdns_net *nn,
						const struct nfdns_key *key)
{
	struct nfdns_pending_table *pt = nn->pending;
	struct nfdns_pending *p;

	spin_lock_bh(&pt->lock);
	p = nfdns_pending_find(pt, key);
	if (p)
		nfdns_pending_unhash(pt, p);
	spin_unlock_bh(&pt->lock);
	if (p)
		del_timer_sync(&p->timer);
	return p;
}

/**
 * nfdns_pending_cancel() - forget a question whose upcall failed
 * @nn: namespace state
 * @key: the question
 *
 * Its waiters get no answer: their queries go on to where they were sent.
 */
void nfdns_pending_cancel(struct nfdns_net *nn, const struct nfdns_key *key)
{
	struct nfdns_pending *p = nfdns_pending_take(nn, key);

	if (p)
		nfdns_pending_free(p);
}

/**
 * nfdns_pending_answer() - answer every client waiting on a question
 * @nn: namespace state
 * @key: the question
 * @resp: the validated response
 * @len: its length
 * @ttl_offs: its TTL offsets
 * @n_ttl: their number
 *
 * Return: clients answered.
 */
int nfdns_pending_answer(struct nfdns_net *nn, const struct nfdns_key *key,
			 const u8 *resp, unsigned int len,
			 const u16 *ttl_offs, unsigned int n_ttl)
{
	struct nfdns_pending *p = nfdns_pending_take(nn, key);
	int n;

	if (!p)
		return 0;
	nfdns_pending_reply(p, resp, len, ttl_offs, n_ttl, 0);
	n = p->n_waiters;
	nfdns_pending_free(p);
	return n;
}

/**
 * nfdns_pending_fail() - answer every client waiting on a question with an
 * error
 * @nn: namespace state
 * @key: the question
 * @rcode: the RCODE to answer
 *
 * Return: clients answered, or -ENOENT when the question is not pending.
 */
int nfdns_pending_fail(struct nfdns_net *nn, const struct nfdns_key *key,
		       u8 rcode)
{
	struct nfdns_pending *p = nfdns_pending_take(nn, key);
	int n;

	if (!p)
		return -ENOENT;
	nfdns_pending_reply_error(p, rcode);
	n = p->n_waiters;
	nfdns_pending_free(p);
	return n;
}

/* Take every question out of the table, onto @list. */
static void nfdns_pending_take_all(struct nfdns_net *nn, struct list_head *list)
{
	struct nfdns_pending_table *pt = nn->pending;
	struct nfdns_pending *p;
	struct hlist_node *tmp;
	unsigned int i;

	spin_lock_bh(&pt->lock);
	for (i = 0; i < NFDNS_PENDING_BUCKETS; i++) {
		hlist_for_each_entry_safe(p, tmp, &pt->buckets[i], node) {
			nfdns_pending_unhash(pt, p);
			list_add_tail(&p->reap, list);
		}
	}
	spin_unlock_bh(&pt->lock);
}

/*
 * Take every question out of the table and free it, answering its waiters
 * SERVFAIL when @answer is set.
 */
static void nfdns_pending_drain(struct nfdns_net *nn, bool answer)
{
	struct nfdns_pending *p, *tmp;
	LIST_HEAD(list);

	nfdns_pending_take_all(nn, &list);
	list_for_each_entry_safe(p, tmp, &list, reap) {
		/* Out of the table, but its timer may be running. */
		del_timer_sync(&p->timer);
		if (answer)
			nfdns_pending_reply_error(p, DNSWIRE_RCODE_SERVFAIL);
		nfdns_pending_free(p);
	}
}

/**
 * nfdns_pending_fail_all() - answer SERVFAIL to every waiting client
 * @nn: namespace state
 *
 * Context: process; the resolver went away.
 */
void nfdns_pending_fail_all(struct nfdns_net *nn)
{
	nfdns_pending_drain(nn, true);
}

/**
 * nfdns_pending_init() - set up the pending table of a new namespace
 * @nn: namespace state
 *
 * Return: 0 or -ENOMEM.
 */
int nfdns_pending_init(struct nfdns_net *nn)
{
	struct nfdns_pending_table *pt;
	unsigned int i;

	pt = kvmalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return -ENOMEM;
	spin_lock_init(&pt->lock);
	for (i = 0; i < NFDNS_PENDING_BUCKETS; i++)
		INIT_HLIST_HEAD(&pt->buckets[i]);
	pt->count = 0;
	pt->waiters = 0;
	nn->pending = pt;
	return 0;
}

/**
 * nfdns_pending_destroy() - drop every question of a namespace going away
 * @nn: namespace state
 *
 * Context: the hooks no longer run in the namespace; its clients are gone
 * with it, so nobody is answered.
 */
void nfdns_pending_destroy(struct nfdns_net *nn)
{
	nfdns_pending_drain(nn, false);
	kvfree(nn->pending);
	nn->pending = NULL;
}
