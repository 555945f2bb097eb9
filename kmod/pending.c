// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: questions waiting for the resolver.
 *
 * The first client to miss on a question creates its entry and causes one
 * upcall; later clients asking the same question join it as waiters.  The
 * entry ends in exactly one of these ways, and whichever takes it out of the
 * table owns it: the resolver's answer, the resolver's failure (or its
 * departure), the timeout, the failure of its own upcall, or the end of the
 * namespace's state (rmmod or namespace exit).  Every waiter taken out gets
 * an answer, except when the namespace itself is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * struct nfdns_waiter - one client waiting for an answer
 * @list: in its question's waiter list
 * @client: where to send the answer from and to
 * @id: the query's message ID
 * @edns_udp_size: UDP payload size the client advertised
 * @question_end: offset just past the question in the query
 * @qname_len: length of @qname
 * @edns_version: EDNS version of the query
 * @rd: RD bit of the query
 * @cd: CD bit of the query
 * @ad: AD bit of the query: the client takes AD without DO (RFC 6840 5.8)
 * @edns: the query carried an OPT record
 * @edns_do: DNSSEC OK bit of the query
 * @qname: the client's QNAME bytes, with its case, echoed in the reply
 *
 * Only what a reply needs: the lower-cased name is the question's.
 */
struct nfdns_waiter {
	struct list_head list;
	struct nfdns_client client;
	u16 id;
	u16 edns_udp_size;
	u16 question_end;
	u8 qname_len;
	u8 edns_version;
	bool rd, cd, ad, edns, edns_do;
	u8 qname[];
};

/**
 * struct nfdns_pending - one question in flight
 * @node: in the pending table, unhashed once taken out
 * @reap: on a private list once taken out with every other question
 * @timer: answers SERVFAIL (or stale) when the resolver is too slow;
 *	first, when an expired entry may be served stale, answers the
 *	waiters from it at stale_answer_ms and goes on waiting
 * @nn: namespace state
 * @waiters: the clients waiting; the first one created the question
 * @seq: tells this question from a later one with the same key
 * @deadline: jiffies when the question times out
 * @stale_timer: @timer is set to stale_answer_ms, not to @deadline
 * @stale_served: stale_answer_ms has passed: clients who join now are
 *	answered stale at once
 * @bytes: memory held by the question and its waiters
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
	u64 seq;
	unsigned long deadline;
	bool stale_timer;
	bool stale_served;
	u32 bytes;
	u32 n_waiters;
	u8 qname_len;
	u8 do_bit;
	u16 qtype;
	u16 qclass;
	u8 qname[];
};

/*
 * Memory for questions and waiters is allocated for traffic, often in
 * softirq: it must not dip into the emergency reserves (a failure only
 * lets the query pass), and it is charged to the memory cgroup of the
 * context that allocates it.  That is the querying task's for a query
 * sent by a local process (LOCAL_OUT runs in its context); a query from
 * the network arrives in softirq, where no task is accountable, and is
 * bounded by the namespace's own limits instead (nfdns_pending_over()).
 */
#define NFDNS_PENDING_GFP	(GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT)

/* Waiters a namespace may hold, per question it may have pending. */
#define NFDNS_WAITERS_PER_PENDING	4

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
	pt->bytes -= p->bytes;
}

/*
 * The namespace-wide bounds, on top of the per-question ones: waiters in
 * all, and the memory of every question and waiter, which counts against
 * a quarter of the cache's byte budget.
 */
static bool nfdns_pending_over(const struct nfdns_pending_table *pt,
			       const struct nfdns_config *cfg, u32 more)
{
	return pt->waiters >= (u64)cfg->max_pending * NFDNS_WAITERS_PER_PENDING ||
	       pt->bytes + more > cfg->max_bytes / 4;
}

/*
 * Free waiters taken off a question, and give back their memory, which
 * the question still counts (and the table too, while it is hashed).
 */
static void nfdns_waiters_free(struct nfdns_pending *p,
			       struct list_head *waiters)
{
	struct nfdns_pending_table *pt = p->nn->pending;
	struct nfdns_waiter *w, *tmp;
	u32 bytes = 0;

	list_for_each_entry_safe(w, tmp, waiters, list) {
		bytes += kmalloc_size_roundup(struct_size_t(struct nfdns_waiter,
							    qname,
							    w->qname_len));
		kfree(w);
	}
	spin_lock_bh(&pt->lock);
	p->bytes -= bytes;
	if (!hlist_unhashed(&p->node))
		pt->bytes -= bytes;
	spin_unlock_bh(&pt->lock);
}

static void nfdns_pending_free(struct nfdns_pending *p)
{
	struct nfdns_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, &p->waiters, list)
		kfree(w);
	kfree(p);
}

/* The query a reply is built for, from what the waiter kept of it. */
static void nfdns_waiter_query(const struct nfdns_waiter *w,
			       const struct nfdns_pending *p,
			       struct dnswire_query *q)
{
	q->id = w->id;
	q->rd = w->rd;
	q->cd = w->cd;
	q->ad = w->ad;
	q->qname = w->qname;
	q->qname_len = w->qname_len;
	q->qtype = p->qtype;
	q->qclass = p->qclass;
	q->edns = w->edns;
	q->edns_udp_size = w->edns_udp_size;
	q->edns_version = w->edns_version;
	q->edns_do = w->edns_do;
	q->question_end = w->question_end;
}

static void nfdns_pending_reply_error(struct nfdns_pending *p, u8 rcode)
{
	struct net *net = p->nn->net;
	struct nfdns_waiter *w;
	struct dnswire_query q;

	list_for_each_entry(w, &p->waiters, list) {
		nfdns_waiter_query(w, p, &q);
		nfdns_reply_error(net, &w->client, &q, w->qname, rcode);
	}
}

static void nfdns_waiters_reply(struct nfdns_pending *p,
				struct list_head *waiters, const u8 *resp,
				unsigned int len, const u16 *ttl_offs,
				unsigned int n_ttl, u32 elapsed)
{
	struct net *net = p->nn->net;
	struct nfdns_waiter *w;
	struct dnswire_query q;
	bool truncated;

	list_for_each_entry(w, waiters, list) {
		nfdns_waiter_query(w, p, &q);
		nfdns_reply_from_response(net, &w->client, &q, w->qname, resp,
					  len, ttl_offs, n_ttl, elapsed,
					  &truncated);
	}
}

static void nfdns_pending_reply(struct nfdns_pending *p, const u8 *resp,
				unsigned int len, const u16 *ttl_offs,
				unsigned int n_ttl, u32 elapsed)
{
	nfdns_waiters_reply(p, &p->waiters, resp, len, ttl_offs, n_ttl,
			    elapsed);
}

static struct nfdns_entry *nfdns_pending_stale_entry(struct nfdns_pending *p,
						     u64 now)
{
	struct nfdns_net *nn = p->nn;
	struct nfdns_key key = {
		.name = p->qname,
		.name_len = p->qname_len,
		.do_bit = p->do_bit,
		.qtype = p->qtype,
		.qclass = p->qclass,
	};
	struct nfdns_entry *e;
	u32 serve_stale;

	serve_stale = nfdns_config_rcu(nn)->serve_stale;
	e = nfdns_cache_lookup(nn, &key);
	if (!e || !serve_stale || nfdns_entry_dead(e, now, serve_stale))
		return NULL;
	return e;
}

/*
 * stale_answer_ms has passed with no answer: the clients waiting so far
 * get the stale entry, and the question goes on waiting for the fresh
 * answer, which replaces the entry, until its deadline.  Called and
 * returns with the table locked.
 */
static void nfdns_pending_serve_stale(struct nfdns_pending *p,
				      struct nfdns_pending_table *pt)
{
	struct nfdns_entry *e;
	LIST_HEAD(served);
	u32 n;

	p->stale_timer = false;
	mod_timer(&p->timer, p->deadline);
	e = nfdns_pending_stale_entry(p, get_jiffies_64());
	if (!e)
		return;
	p->stale_served = true;
	list_splice_init(&p->waiters, &served);
	n = p->n_waiters;
	pt->waiters -= n;
	p->n_waiters = 0;
	spin_unlock_bh(&pt->lock);

	nfdns_waiters_reply(p, &served, nfdns_entry_resp(e), e->resp_len,
			    nfdns_entry_ttl_offs(e), e->n_ttl,
			    DNSWIRE_ELAPSED_STALE);
	nfdns_stat_add(p->nn, NFDNS_STAT_A_STALE_ANSWERS, n);
	nfdns_waiters_free(p, &served);
	spin_lock_bh(&pt->lock);
}

/*
 * Runs inside an RCU read-side section from start to end: a question it
 * takes out is no longer in the table for the namespace's exit to drain,
 * and the exit frees the namespace's state only a grace period after its
 * drain (nfdns_net_exit_batch()), so this finishes first.
 */
static void nfdns_pending_timeout(struct timer_list *t)
{
	struct nfdns_pending *p = from_timer(p, t, timer);
	struct nfdns_net *nn = p->nn;
	struct nfdns_pending_table *pt;
	struct nfdns_entry *e;
	u64 now;

	rcu_read_lock();
	pt = nn->pending;
	spin_lock_bh(&pt->lock);
	if (hlist_unhashed(&p->node)) {
		/* Answered meanwhile: the answering side owns and frees it. */
		spin_unlock_bh(&pt->lock);
		goto out;
	}
	if (p->stale_timer) {
		nfdns_pending_serve_stale(p, pt);
		spin_unlock_bh(&pt->lock);
		goto out;
	}
	nfdns_pending_unhash(pt, p);
	spin_unlock_bh(&pt->lock);
	nfdns_stat_inc(nn, NFDNS_STAT_A_TIMEOUTS);

	now = get_jiffies_64();
	e = nfdns_pending_stale_entry(p, now);
	if (e) {
		nfdns_pending_reply(p, nfdns_entry_resp(e), e->resp_len,
				    nfdns_entry_ttl_offs(e), e->n_ttl,
				    DNSWIRE_ELAPSED_STALE);
		nfdns_stat_add(nn, NFDNS_STAT_A_STALE_ANSWERS, p->n_waiters);
	} else {
		nfdns_pending_reply_error(p, DNSWIRE_RCODE_SERVFAIL);
	}
	nfdns_pending_free(p);
out:
	rcu_read_unlock();
}

static struct nfdns_waiter *nfdns_waiter_new(const struct nfdns_client *client,
					     const struct dnswire_query *q,
					     u32 *bytes)
{
	size_t size = struct_size_t(struct nfdns_waiter, qname, q->qname_len);
	struct nfdns_waiter *w;

	w = kmalloc(size, NFDNS_PENDING_GFP);
	if (!w)
		return NULL;
	*bytes = kmalloc_size_roundup(size);
	w->client = *client;
	w->id = q->id;
	w->rd = q->rd;
	w->cd = q->cd;
	w->ad = q->ad;
	w->edns = q->edns;
	w->edns_udp_size = q->edns_udp_size;
	w->edns_version = q->edns_version;
	w->edns_do = q->edns_do;
	w->question_end = q->question_end;
	w->qname_len = q->qname_len;
	memcpy(w->qname, q->qname, q->qname_len);
	return w;
}

/**
 * nfdns_pending_add() - make a client wait for the answer to its question
 * @nn: namespace state
 * @key: the question, name lower-cased
 * @client: where the client is
 * @q: its parsed query (its QNAME bytes are copied)
 * @stale: the question's expired entry, when it may be served stale
 *	(NULL: none)
 * @seq: set, when the question is new, to what nfdns_pending_cancel()
 *	needs to cancel this question and no other
 *
 * With @stale, a new question answers its waiters from the stale entry
 * once stale_answer_ms has passed, and a client joining after that is
 * not added.
 *
 * Context: any; under rcu_read_lock().
 * Return: 1 when the question is new and the resolver must be asked, 0
 * when the client joined a question already asked, %NFDNS_PENDING_STALE
 * when the caller must answer the client from @stale now, -ENOSPC over a
 * limit, -ENOMEM.
 */
int nfdns_pending_add(struct nfdns_net *nn, const struct nfdns_key *key,
		      const struct nfdns_client *client,
		      const struct dnswire_query *q,
		      const struct nfdns_entry *stale, u64 *seq)
{
	const struct nfdns_config *cfg = nfdns_config_rcu(nn);
	struct nfdns_pending_table *pt = nn->pending;
	size_t size = struct_size_t(struct nfdns_pending, qname, key->name_len);
	struct nfdns_pending *p, *fresh;
	struct nfdns_waiter *w;
	u32 w_bytes, p_bytes;
	int ret;

	w = nfdns_waiter_new(client, q, &w_bytes);
	if (!w)
		return -ENOMEM;

	spin_lock_bh(&pt->lock);
	p = nfdns_pending_find(pt, key);
	if (p) {
		if (stale && p->stale_served) {
			ret = NFDNS_PENDING_STALE;
			goto err_unlock;
		}
		if (p->n_waiters >= cfg->max_waiters ||
		    nfdns_pending_over(pt, cfg, w_bytes)) {
			ret = -ENOSPC;
			goto err_unlock;
		}
		list_add_tail(&w->list, &p->waiters);
		p->n_waiters++;
		p->bytes += w_bytes;
		pt->waiters++;
		pt->bytes += w_bytes;
		spin_unlock_bh(&pt->lock);
		return 0;
	}
	p_bytes = kmalloc_size_roundup(size);
	if (pt->count >= cfg->max_pending ||
	    nfdns_pending_over(pt, cfg, w_bytes + p_bytes)) {
		ret = -ENOSPC;
		goto err_unlock;
	}
	fresh = kmalloc(size, NFDNS_PENDING_GFP);
	if (!fresh) {
		ret = -ENOMEM;
		goto err_unlock;
	}
	fresh->nn = nn;
	INIT_LIST_HEAD(&fresh->waiters);
	list_add_tail(&w->list, &fresh->waiters);
	fresh->n_waiters = 1;
	fresh->bytes = w_bytes + p_bytes;
	fresh->seq = ++pt->seq;
	fresh->qname_len = key->name_len;
	fresh->do_bit = key->do_bit;
	fresh->qtype = key->qtype;
	fresh->qclass = key->qclass;
	memcpy(fresh->qname, key->name, key->name_len);
	fresh->deadline = jiffies + msecs_to_jiffies(cfg->pending_timeout_ms);
	fresh->stale_timer = stale &&
			     cfg->stale_answer_ms < cfg->pending_timeout_ms;
	fresh->stale_served = false;
	timer_setup(&fresh->timer, nfdns_pending_timeout, 0);
	hlist_add_head(&fresh->node, nfdns_pending_bucket(pt, key));
	pt->count++;
	pt->waiters++;
	pt->bytes += fresh->bytes;
	*seq = fresh->seq;
	mod_timer(&fresh->timer, fresh->stale_timer ?
		  jiffies + msecs_to_jiffies(cfg->stale_answer_ms) :
		  fresh->deadline);
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
		timer_delete_sync(&p->timer);
	return p;
}

/**
 * nfdns_pending_cancel() - forget a question whose upcall failed
 * @nn: namespace state
 * @key: the question
 * @seq: what nfdns_pending_add() returned when it created the question
 *
 * Only the question the caller created is taken out: one that was
 * answered meanwhile, and a later one with the same key, are left alone.
 * Its first waiter is the caller's client, whose query still goes on to
 * where it was sent; the clients that joined since had their queries
 * taken, so they are answered SERVFAIL.
 *
 * Return: true when the question was cancelled and the caller's query
 * must go on; false when it had been answered already, the caller's
 * client included.
 */
bool nfdns_pending_cancel(struct nfdns_net *nn, const struct nfdns_key *key,
			  u64 seq)
{
	struct nfdns_pending_table *pt = nn->pending;
	struct nfdns_waiter *first;
	struct nfdns_pending *p;

	spin_lock_bh(&pt->lock);
	p = nfdns_pending_find(pt, key);
	if (p && p->seq == seq)
		nfdns_pending_unhash(pt, p);
	else
		p = NULL;
	spin_unlock_bh(&pt->lock);
	if (!p)
		return false;
	timer_delete_sync(&p->timer);

	/* The caller's client, among others, was answered stale already. */
	if (p->stale_served) {
		nfdns_pending_reply_error(p, DNSWIRE_RCODE_SERVFAIL);
		nfdns_pending_free(p);
		return false;
	}
	first = list_first_entry(&p->waiters, struct nfdns_waiter, list);
	list_del(&first->list);
	kfree(first);
	nfdns_pending_reply_error(p, DNSWIRE_RCODE_SERVFAIL);
	nfdns_pending_free(p);
	return true;
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

/**
 * nfdns_pending_drain() - take every question out of the table and free
 * it, its timer stopped
 * @nn: namespace state
 * @answer: answer the waiters SERVFAIL; when false they are dropped, which
 *	is only right when they went away with the namespace
 *
 * Context: process.
 */
void nfdns_pending_drain(struct nfdns_net *nn, bool answer)
{
	struct nfdns_pending *p, *tmp;
	LIST_HEAD(list);

	nfdns_pending_take_all(nn, &list);
	list_for_each_entry_safe(p, tmp, &list, reap) {
		/* Out of the table, but its timer may be running. */
		timer_delete_sync(&p->timer);
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

	pt = kvmalloc(sizeof(*pt), GFP_KERNEL_ACCOUNT);
	if (!pt)
		return -ENOMEM;
	spin_lock_init(&pt->lock);
	for (i = 0; i < NFDNS_PENDING_BUCKETS; i++)
		INIT_HLIST_HEAD(&pt->buckets[i]);
	pt->count = 0;
	pt->waiters = 0;
	pt->bytes = 0;
	pt->seq = 0;
	nn->pending = pt;
	return 0;
}

/**
 * nfdns_pending_destroy() - free the pending table of a namespace
 * @nn: namespace state
 *
 * Context: drained, and no timeout can still run (nfdns_pending_timeout()).
 */
void nfdns_pending_destroy(struct nfdns_net *nn)
{
	nfdns_pending_drain(nn, false);
	kvfree(nn->pending);
	nn->pending = NULL;
}
