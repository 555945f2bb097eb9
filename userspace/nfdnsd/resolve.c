// SPDX-License-Identifier: GPL-2.0
/*
 * The iterative state machine.  A task resolves one (name, type, class):
 * answer from the cache if it can, else find the closest enclosing zone
 * whose name servers are cached (the root hints at worst), ask the best of
 * its addresses, and act on the answer: cache it, follow a referral one
 * level down, follow a CNAME (maybe into another zone), or try another
 * server.  Name servers without addresses are resolved by child tasks.
 * Every task of one client question shares one budget of upstream queries.
 *
 * Each step is a function of one state (enum task_state) that only sets
 * the next state; task_step() runs the steps until the task waits for an
 * answer, descends into a child task it started and climbs back to the
 * parent when the child finishes.  Only the driver delivers a result and
 * frees a finished task, so a step never outlives its task.
 */
#include "resolve.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cachedb.h"
#include "dname.h"
#include "histogram.h"
#include "localdata.h"
#include "log.h"
#include "response.h"
#include "roothints.h"
#include "stats.h"
#include "trace.h"
#include "upstream.h"
#include "util.h"
#include "zones.h"

#define MAX_NS 32		/* NS names of a zone considered; the rest ignored */
#define MAX_SERVERS 64		/* addresses of a zone considered */
#define MAX_DEPTH 6		/* nesting of NS-name lookups */
#define MAX_ROUNDS 2		/* passes over a zone's silent servers */
#define MAX_FLIGHTS 3		/* queries of one task in the air at once */
#define SLOW_FACTOR 2		/* a query is given up after this many RTOs */
#define ZONE_KEYS_MAX 4096	/* names whose place in the chain of trust is kept */

struct budget {
	uint64_t started_ms;
	uint32_t queries;
	uint32_t nameservers_chased;
};

struct ns_name {
	ldns_rdf *name;
	bool chased_a, chased_aaaa;
};

struct server {
	struct sockaddr_storage addr;
	const ldns_rdf *ns;	/* points into ns_names */
	bool tried;
	bool timed_out;
};

struct resolution {
	struct task *task;
	struct resolution *next, **pprev;
	struct resolution **handle;
	resolve_cb cb;
	void *arg;
};

/*
 * A query in the air.  When a server is slow to answer another is asked,
 * but the first query stays open: whichever answers first is used.
 */
struct flight {
	struct task *t;
	struct upstream_query *uq;	/* NULL: slot free */
	int srv;
	ldns_rdf *sent_qname;
	ldns_rr_type sent_qtype;
	bool edns, tcp;
	bool slow;			/* its server already counted as timed out */
};

struct task {
	struct resolver *r;
	enum task_state state;
	struct task *parent, *child;
	struct task *next, *prev;	/* resolver's list, client tasks only */
	struct resolution *waiters;	/* client tasks */
	uint32_t n_waiters;
	uint8_t key[NAME_WIRE_MAX + 4];
	size_t keylen;
	struct budget *budget;
	struct budget own_budget;
	unsigned depth;
	bool is_client;

	ldns_rdf *qname_orig;
	ldns_rdf *qname;
	ldns_rr_type qtype;
	ldns_rr_class qclass;
	ldns_rr_list *chain;
	uint32_t referrals;

	/* What the queries to the zone's servers ask: qname, or an ancestor of it (minimised). */
	ldns_rdf *ask_name;
	ldns_rr_type ask_type;
	bool minimised;
	bool qmin_off;			/* the full name from now on: minimising failed */
	unsigned qmin_labels;		/* labels of qname shown to servers so far */
	unsigned qmin_sent;		/* minimised queries sent for qname */

	ldns_rdf *zone;
	bool forwarding;		/* the zone's servers are a forward zone's: RD=1, their answer final */
	bool stub;			/* the zone's servers are a stub zone's */
	bool no_forward;		/* forward-first: every forwarder failed, iterate */
	struct ns_name ns[MAX_NS];
	size_t n_ns;
	struct server srv[MAX_SERVERS];
	size_t n_srv;
	uint32_t chased_here;
	uint32_t rounds;
	bool tried_parent_side;
	int cur;
	bool use_tcp;
	bool sent_edns;
	struct flight fl[MAX_FLIGHTS];
	ldns_rdf *sent_qname;		/* of the answer being handled */
	ldns_pkt *pkt;			/* that answer, in TASK_QUERY_RESPONSE */

	/* The result, from TASK_FINISHED on. */
	int rcode;
	ldns_rr_list *final;		/* the RRset reached, or NULL */
	ldns_rr *soa;			/* of a negative answer, or NULL */
	ldns_rr_list *sigs;		/* RRSIGs over the chain's and the final RRsets */
	ldns_rr_list *proof;		/* NSEC/NSEC3 (and RRSIGs) proving a negative or wildcard answer */
	enum task_state resume;		/* a sub-task: the state its parent resumes in when it is done */
	bool cache_only;		/* answering from the cache alone: validation fetches nothing */
	bool refresh;			/* a prefetch: the answer is fetched again, never taken from the cache */
	bool stale;			/* the result is expired data (serve-stale) */

	/* cachedb (client tasks) */
	struct cachedb_lookup *cachedb_lookup;	/* Redis asked, answer awaited */
	bool cachedb_asked;		/* once per task, before the first upstream query */
	bool from_cachedb;		/* the result is a Redis value, checked but not yet believed */

	/* DNSSEC validation of the result (client tasks). */
	bool validated;
	bool verdict_unknown;		/* some data came without a cached verdict */
	int verdict_cached;		/* the worst verdict of the cached data answered from */
	int verdict_cached_ede;
	struct val_result verdict;
	uint32_t val_steps;		/* bounds the walk down the chain of trust */
	ldns_rdf *ds_name;		/* a validated DS set waiting for its zone's DNSKEY set */
	ldns_rr_list *ds;
	struct fetched {		/* what a DS or DNSKEY sub-task brought back */
		ldns_rdf *name;
		ldns_rr_type type;
		int rcode;
		ldns_rr_list *rrs, *sigs, *proof;
	} fetched;
};

static void task_step(struct task *t);
static void cachedb_store(struct task *t, const struct resolve_result *res);
static void cachedb_forget(struct task *t);
static bool val_worse(int a, int b);
static bool answer_from_nsec_store(struct task *t);
static void step_validate(struct task *t);
static void hand_fetched(struct task *parent, struct task *child);

static uint64_t now_s(const struct resolver *r)
{
	return uv_now(r->loop) / 1000;
}

static uint64_t now_ms(const struct resolver *r)
{
	return uv_now(r->loop);
}

/* ---- root hints ---- */

static int parse_hints(FILE *f, const char *what, ldns_rr_list **out)
{
	ldns_rr_list *list = ldns_rr_list_new();
	ldns_rdf *origin = NULL, *prev = NULL;
	uint32_t default_ttl = 3600;
	int line = 0, n_ns = 0, n_addr = 0;

	if (!list)
		return -ENOMEM;
	while (!feof(f)) {
		ldns_rr *rr = NULL;
		ldns_status s = ldns_rr_new_frm_fp_l(&rr, f, &default_ttl, &origin, &prev, &line);

		if (s == LDNS_STATUS_SYNTAX_EMPTY || s == LDNS_STATUS_SYNTAX_TTL ||
		    s == LDNS_STATUS_SYNTAX_ORIGIN || s == LDNS_STATUS_SYNTAX_INCLUDE)
			continue;
		if (s != LDNS_STATUS_OK) {
			if (feof(f))
				break;
			log_err("%s:%d: %s", what, line, ldns_get_errorstr_by_id(s));
			ldns_rr_list_deep_free(list);
			ldns_rdf_deep_free(origin);
			ldns_rdf_deep_free(prev);
			return -EINVAL;
		}
		switch (ldns_rr_get_type(rr)) {
		case LDNS_RR_TYPE_NS:
			if (ldns_dname_label_count(ldns_rr_owner(rr)) != 0) {
				log_warn("%s:%d: NS not for the root, ignored", what, line);
				ldns_rr_free(rr);
				continue;
			}
			n_ns++;
			break;
		case LDNS_RR_TYPE_A:
		case LDNS_RR_TYPE_AAAA:
			n_addr++;
			break;
		default:
			ldns_rr_free(rr);
			continue;
		}
		ldns_rr_list_push_rr(list, rr);
	}
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	if (n_ns == 0 || n_addr == 0) {
		log_err("%s: no root NS records with addresses", what);
		ldns_rr_list_deep_free(list);
		return -EINVAL;
	}
	*out = list;
	return 0;
}

int resolver_load_hints(struct resolver *r, const char *path)
{
	ldns_rr_list *hints = NULL;
	FILE *f;
	int err;

	if (path) {
		f = fopen(path, "r");
		if (!f) {
			err = -errno;
			log_err("root hints %s: %s", path, strerror(errno));
			return err;
		}
	} else {
		f = fmemopen((void *)builtin_root_hints, strlen(builtin_root_hints), "r");
		if (!f)
			return -errno;
	}
	err = parse_hints(f, path ? path : "built-in root hints", &hints);
	fclose(f);
	if (err)
		return err;
	ldns_rr_list_deep_free(r->hints);
	r->hints = hints;
	return 0;
}

/* The root's NS and addresses go into the cache whenever it has lost them. */
static void prime_from_hints(struct resolver *r)
{
	ldns_rr_list *work = ldns_rr_list_clone(r->hints);

	while (work && ldns_rr_list_rr_count(work) > 0) {
		const ldns_rr *first = ldns_rr_list_rr(work, 0);
		ldns_rr_list *set = rrset_take(work, ldns_rr_owner(first), ldns_rr_get_type(first),
					       ldns_rr_get_class(first));

		if (!set)
			break;
		cache_put_rrset(&r->cache, set, RANK_HINT, now_s(r));
		ldns_rr_list_deep_free(set);
	}
	ldns_rr_list_deep_free(work);
}

static void zone_keys_free(void *p);

/* The validator with its trust anchors: the files given, or the IANA root KSKs. */
static int validator_start(struct resolver *r)
{
	const struct options *opt = r->opt;
	struct val_config cfg;
	int err;

	val_config_defaults(&cfg);
	cfg.harden_algo_downgrade = opt->harden_algo_downgrade;
	cfg.aggressive_nsec = opt->aggressive_nsec;
	cfg.override_date = opt->val_override_date;
	err = validator_init(&r->val, &cfg);
	if (err)
		return err;
	for (size_t i = 0; !err && i < opt->n_trust_anchor_files; i++)
		err = validator_add_anchor_file(&r->val, opt->trust_anchor_files[i]);
	if (!err && !opt->n_trust_anchor_files)
		err = validator_add_default_anchors(&r->val);
	if (!err)
		err = lru_init(&r->zone_keys, ZONE_KEYS_MAX, zone_keys_free);
	if (err) {
		validator_free(&r->val);
		return err;
	}
	r->validating = true;
	return 0;
}

int resolver_init(struct resolver *r, uv_loop_t *loop, const struct options *opt)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->loop = loop;
	r->opt = opt;
	err = cache_init(&r->cache, opt->cache_size, opt->cache_max_bytes, opt->max_ttl, opt->neg_max_ttl);
	if (err)
		return err;
	r->cache.stale_window = opt->serve_stale;
	err = infra_init(&r->infra, opt->infra_size);
	if (err) {
		cache_destroy(&r->cache);
		return err;
	}
	err = lru_init(&r->pending, (size_t)opt->max_clients + 16, NULL);
	if (!err)
		err = acl_do_not_query(&r->dnq, opt->dnq_localhost, opt->dnq_private, &opt->dnq);
	if (!err && opt->dnssec_validation)
		err = validator_start(r);
	if (err) {
		acl_free(&r->dnq);
		lru_destroy(&r->pending);
		infra_destroy(&r->infra);
		cache_destroy(&r->cache);
		return err;
	}
	return 0;
}

/* A family without a route is left alone this long, then one query probes it. */
#define FAMILY_PROBE_MS 60000

static int family_index(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? 1 : 0;
}

/* Errors that say the address family cannot reach anything from here. */
static bool family_error(int err)
{
	return err == UV_ENETUNREACH || err == UV_EADDRNOTAVAIL || err == UV_EAFNOSUPPORT || err == UV_ENETDOWN ||
	       err == UV_EHOSTUNREACH;
}

static bool family_usable(struct resolver *r, const struct sockaddr *sa)
{
	uint64_t down = r->family_down_ms[family_index(sa)];

	return !down || now_ms(r) - down >= FAMILY_PROBE_MS;
}

/*
 * A query that could not even leave (no route, no source address) counts
 * as a timeout for its address, so the address is not tried first again;
 * with a family error the whole family is set aside until a probe passes.
 * It never reached a server: it does not count against the question's
 * budget of upstream queries.
 */
static void send_failed(struct task *t, const struct sockaddr *sa, int err)
{
	struct resolver *r = t->r;

	infra_timeout(&r->infra, sa, now_ms(r));
	if (family_error(err)) {
		if (!r->family_down_ms[family_index(sa)])
			log_info("no route for %s upstream queries (%s): IPv%c set aside", sa->sa_family == AF_INET6 ? "IPv6" : "IPv4",
				 uv_strerror(err), sa->sa_family == AF_INET6 ? '6' : '4');
		r->family_down_ms[family_index(sa)] = now_ms(r) ? now_ms(r) : 1;
		stats.family_errors++;
	}
	if (t->budget->queries > 0)
		t->budget->queries--;
}

/* Addresses change (DHCP, hotplug): read again after this long. */
#define OWN_ADDRESSES_MS 30000

bool resolver_may_query(struct resolver *r, const struct sockaddr *sa)
{
	if (acl_match(&r->dnq, sa) != ACL_NONE)
		return false;
	if (!r->opt->dnq_localhost)
		return true;
	if (!r->own_read_ms || now_ms(r) - r->own_read_ms >= OWN_ADDRESSES_MS) {
		struct acl fresh = { 0 };

		if (acl_add_own_addresses(&fresh, ACL_DENY) == 0) {
			acl_free(&r->own);
			r->own = fresh;
		} else {
			acl_free(&fresh);
		}
		r->own_read_ms = now_ms(r) ? now_ms(r) : 1;
	}
	return acl_match(&r->own, sa) == ACL_NONE;
}

/* ---- tasks ---- */

static void clear_delegation(struct task *t)
{
	for (size_t i = 0; i < t->n_ns; i++)
		ldns_rdf_deep_free(t->ns[i].name);
	t->n_ns = 0;
	t->n_srv = 0;
	t->chased_here = 0;
	t->rounds = 0;
	t->tried_parent_side = false;
	t->forwarding = false;
	t->stub = false;
	ldns_rdf_deep_free(t->zone);
	t->zone = NULL;
}

static void land(struct flight *f)
{
	upstream_cancel(f->uq);
	f->uq = NULL;
	ldns_rdf_deep_free(f->sent_qname);
	f->sent_qname = NULL;
}

static void land_all(struct task *t)
{
	for (int i = 0; i < MAX_FLIGHTS; i++)
		land(&t->fl[i]);
}

static int in_the_air(const struct task *t)
{
	int n = 0;

	for (int i = 0; i < MAX_FLIGHTS; i++)
		n += t->fl[i].uq != NULL;
	return n;
}

static void unindex(struct task *t)
{
	struct lru_entry *e = lru_get(&t->r->pending, t->key, t->keylen, 0);

	if (e && e->value == t)
		lru_remove(&t->r->pending, e);
}

static void fetched_clear(struct fetched *f)
{
	ldns_rdf_deep_free(f->name);
	ldns_rr_list_deep_free(f->rrs);
	ldns_rr_list_deep_free(f->sigs);
	ldns_rr_list_deep_free(f->proof);
	memset(f, 0, sizeof(*f));
}

static void task_free(struct task *t)
{
	cachedb_cancel(t->cachedb_lookup);
	if (t->child) {
		t->child->parent = NULL;
		task_free(t->child);
		t->child = NULL;
	}
	land_all(t);
	clear_delegation(t);
	ldns_rdf_deep_free(t->qname_orig);
	ldns_rdf_deep_free(t->qname);
	ldns_rdf_deep_free(t->ask_name);
	ldns_rdf_deep_free(t->sent_qname);
	ldns_rr_list_deep_free(t->chain);
	ldns_pkt_free(t->pkt);
	ldns_rr_list_deep_free(t->final);
	ldns_rr_free(t->soa);
	ldns_rr_list_deep_free(t->sigs);
	ldns_rr_list_deep_free(t->proof);
	ldns_rdf_deep_free(t->ds_name);
	ldns_rr_list_deep_free(t->ds);
	fetched_clear(&t->fetched);
	if (t->is_client) {
		unindex(t);
		while (t->waiters) {
			struct resolution *w = t->waiters;

			t->waiters = w->next;
			t->r->waiting--;
			if (w->handle)
				*w->handle = NULL;
			free(w);
		}
		if (t->prev)
			t->prev->next = t->next;
		else if (t->r->tasks == t)
			t->r->tasks = t->next;
		if (t->next)
			t->next->prev = t->prev;
		t->r->in_flight--;
	}
	free(t);
}

void resolve_cancel(struct resolution *w)
{
	struct task *t;

	if (!w)
		return;
	t = w->task;
	t->n_waiters--;
	t->r->waiting--;
	if (w->handle)
		*w->handle = NULL;
	*w->pprev = w->next;
	if (w->next)
		w->next->pprev = w->pprev;
	free(w);
	/* Nobody left to answer: the work stops. */
	if (!t->waiters)
		task_free(t);
}

/*
 * The task is done: final and soa (owned, may be NULL) are its result.
 * The driver delivers it and frees the task.
 */
static void task_finish(struct task *t, int rcode, ldns_rr_list *final, ldns_rr *soa)
{
	t->rcode = rcode;
	ldns_rr_list_deep_free(t->final);
	ldns_rr_free(t->soa);
	t->final = final;
	t->soa = soa;
	t->state = TASK_FINISHED;
	/* A client's answer is checked before anyone hears it; a failure has nothing to check. */
	if (t->is_client && t->r->validating && !t->validated &&
	    (rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN))
		t->state = TASK_VALIDATE;
}

/* Stops a finished task's work, then hands its result to its waiters. */
static void task_deliver(struct task *t)
{
	struct resolve_result res = { .rcode = t->rcode };
	ldns_rr_list *answer = ldns_rr_list_new(), *authority = ldns_rr_list_new();

	if (t->rcode != LDNS_RCODE_SERVFAIL) {
		for (size_t i = 0; answer && i < ldns_rr_list_rr_count(t->chain); i++)
			ldns_rr_list_push_rr(answer, ldns_rr_clone(ldns_rr_list_rr(t->chain, i)));
		for (size_t i = 0; answer && t->final && i < ldns_rr_list_rr_count(t->final); i++)
			ldns_rr_list_push_rr(answer, ldns_rr_clone(ldns_rr_list_rr(t->final, i)));
		for (size_t i = 0; answer && i < ldns_rr_list_rr_count(t->sigs); i++)
			ldns_rr_list_push_rr(answer, ldns_rr_clone(ldns_rr_list_rr(t->sigs, i)));
		if (t->soa && authority)
			ldns_rr_list_push_rr(authority, ldns_rr_clone(t->soa));
		for (size_t i = 0; authority && i < ldns_rr_list_rr_count(t->proof); i++)
			ldns_rr_list_push_rr(authority, ldns_rr_clone(ldns_rr_list_rr(t->proof, i)));
	}
	if (t->validated) {
		res.secure = t->verdict.status == VAL_SECURE;
		res.bogus = t->verdict.status == VAL_BOGUS;
		res.ede = t->verdict.ede;
	}
	res.answer = answer;
	res.authority = authority;
	res.queries = t->budget->queries;
	res.from_cache = t->budget->queries == 0;
	res.from_cachedb = t->from_cachedb;
	if (t->is_client && t->r->cachedb) {
		if (t->from_cachedb)
			stats.cachedb_hits++;
		else
			cachedb_store(t, &res);
	}
	/* Answered: later askers start afresh (from the cache). */
	if (t->is_client)
		unindex(t);
	/* Children and queries stop before the caller hears, so it may start others. */
	if (t->child) {
		t->child->parent = NULL;
		task_free(t->child);
		t->child = NULL;
	}
	land_all(t);
	if (t->is_client) {
		struct resolution *list = t->waiters;

		t->waiters = NULL;
		/* Every handle goes first: a callback cancelling another waiter of this question finds it done. */
		for (struct resolution *w = list; w; w = w->next)
			if (w->handle)
				*w->handle = NULL;
		while (list) {
			struct resolution *w = list;

			list = w->next;
			t->r->waiting--;
			w->cb(w->arg, &res);
			free(w);
		}
	}
	ldns_rr_list_deep_free(answer);
	ldns_rr_list_deep_free(authority);
}

/*
 * RFC 8767: a client question that cannot be resolved (its servers do not
 * answer, or the resolution runs out of time) is answered from an expired
 * RRset kept for serve-stale, with TTL 30.  Not a refresh: the kernel
 * still holds that answer, live.  Never bogus data.
 */
static bool answer_stale(struct task *t)
{
	struct resolver *r = t->r;
	struct cache_verdict verdict;
	char n[NAME_STRLEN], ty[16];
	ldns_rr_list *rrs;

	if (!t->is_client || t->cache_only || t->refresh || !r->opt->serve_stale)
		return false;
	rrs = cache_get_stale(&r->cache, t->qname, t->qtype, t->qclass, now_s(r), &verdict);
	if (!rrs)
		return false;
	if (verdict.status == VAL_BOGUS) {
		ldns_rr_list_deep_free(rrs);
		return false;
	}
	TRACE("%s %s: serving stale (%zu records, TTL %u)", name_str(t->qname, n), type_str(t->qtype, ty),
	      ldns_rr_list_rr_count(rrs), STALE_TTL);
	stats.stale_answers++;
	/* Not validated again: nothing can be fetched now, so no AD either. */
	t->stale = true;
	t->validated = true;
	t->verdict.status = VAL_INDETERMINATE;
	t->verdict.ede = VAL_EDE_NONE;
	task_finish(t, LDNS_RCODE_NOERROR, rrs, NULL);
	return true;
}

static void task_fail(struct task *t, const char *why)
{
	char n[NAME_STRLEN], ty[16];

	TRACE("%s %s: SERVFAIL, %s", name_str(t->qname, n), type_str(t->qtype, ty), why);
	if (answer_stale(t))
		return;
	task_finish(t, LDNS_RCODE_SERVFAIL, NULL, NULL);
}

static struct task *task_new(struct resolver *r, struct task *parent, const ldns_rdf *qname,
			     ldns_rr_type qtype, ldns_rr_class qclass)
{
	struct task *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->r = r;
	t->parent = parent;
	t->budget = parent ? parent->budget : &t->own_budget;
	t->depth = parent ? parent->depth + 1 : 0;
	t->qname_orig = ldns_rdf_clone(qname);
	t->qname = ldns_rdf_clone(qname);
	t->chain = ldns_rr_list_new();
	t->sigs = ldns_rr_list_new();
	t->qtype = qtype;
	t->qclass = qclass;
	t->cur = -1;
	t->state = TASK_INIT;
	t->resume = TASK_NS_CHASED;
	t->verdict_cached = VERDICT_NONE;
	if (!t->qname_orig || !t->qname || !t->chain || !t->sigs) {
		ldns_rdf_deep_free(t->qname_orig);
		ldns_rdf_deep_free(t->qname);
		ldns_rr_list_free(t->chain);
		ldns_rr_list_free(t->sigs);
		free(t);
		return NULL;
	}
	if (!parent) {
		t->own_budget.started_ms = now_ms(r);
		t->is_client = true;
		t->next = r->tasks;
		if (r->tasks)
			r->tasks->prev = t;
		r->tasks = t;
		r->in_flight++;
	}
	return t;
}

static size_t question_key(uint8_t *key, const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass)
{
	size_t n = name_canonical(qname, key);

	key[n++] = (uint8_t)(qtype >> 8);
	key[n++] = (uint8_t)qtype;
	key[n++] = (uint8_t)(qclass >> 8);
	key[n++] = (uint8_t)qclass;
	return n;
}

static void add_waiter(struct task *t, struct resolution *w)
{
	t->n_waiters++;
	t->r->waiting++;
	w->task = t;
	w->next = t->waiters;
	w->pprev = &t->waiters;
	if (t->waiters)
		t->waiters->pprev = &w->next;
	t->waiters = w;
}

/*
 * Local data, local zones and block lists answer before the cache and any
 * upstream query, as the kernel does.  The caller may be gone once cb
 * returns, so its handle is cleared first.
 */
static bool answer_locally(struct resolver *r, const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
			   resolve_cb cb, void *arg, struct resolution **handle)
{
	struct resolve_result res;
	ldns_rr_list *answer;
	int rcode;

	if (qclass != LDNS_RR_CLASS_IN || !localdata_answer(r->opt->local, qname, qtype, &rcode, &answer))
		return false;
	memset(&res, 0, sizeof(res));
	res.rcode = rcode;
	res.answer = answer;
	res.from_cache = true;
	stats.local_answers++;
	if (handle)
		*handle = NULL;
	cb(arg, &res);
	ldns_rr_list_deep_free(answer);
	return true;
}

static int resolve_begin(struct resolver *r, const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
			 bool refresh, resolve_cb cb, void *arg, struct resolution **handle)
{
	uint8_t key[NAME_WIRE_MAX + 4];
	size_t keylen;
	struct resolution *w;
	struct lru_entry *e;
	struct task *t;

	if (answer_locally(r, qname, qtype, qclass, cb, arg, handle))
		return 0;
	keylen = question_key(key, qname, qtype, qclass);
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	e = lru_get(&r->pending, key, keylen, 0);
	/* Every waiter holds memory and a reply: both are bounded. */
	if (r->waiting >= r->opt->max_waiting ||
	    (e && ((struct task *)e->value)->n_waiters >= r->opt->max_waiting_per_question)) {
		stats.waiting_refused++;
		free(w);
		return -EBUSY;
	}
	w->cb = cb;
	w->arg = arg;
	w->handle = handle;
	if (handle)
		*handle = w;
	/* The same question in flight: wait for its answer instead of asking again. */
	if (e) {
		stats.coalesced++;
		add_waiter(e->value, w);
		return 0;
	}
	t = task_new(r, NULL, qname, qtype, qclass);
	if (!t) {
		if (handle)
			*handle = NULL;
		free(w);
		return -ENOMEM;
	}
	memcpy(t->key, key, keylen);
	t->keylen = keylen;
	t->refresh = refresh;
	lru_put(&r->pending, key, keylen, t, UINT64_MAX, 0);
	add_waiter(t, w);
	task_step(t);
	return 0;
}

int resolve_start(struct resolver *r, const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
		  resolve_cb cb, void *arg, struct resolution **handle)
{
	return resolve_begin(r, qname, qtype, qclass, false, cb, arg, handle);
}

int resolve_refresh(struct resolver *r, const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
		    resolve_cb cb, void *arg, struct resolution **handle)
{
	return resolve_begin(r, qname, qtype, qclass, true, cb, arg, handle);
}

static bool answer_from_cache(struct task *t);

int resolve_cached(struct resolver *r, const ldns_rdf *qname, ldns_rr_type qtype, ldns_rr_class qclass,
		   resolve_cb cb, void *arg)
{
	struct resolution *w;
	struct task *t;

	if (answer_locally(r, qname, qtype, qclass, cb, arg, NULL))
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	t = task_new(r, NULL, qname, qtype, qclass);
	if (!t) {
		free(w);
		return -ENOMEM;
	}
	w->cb = cb;
	w->arg = arg;
	add_waiter(t, w);
	t->cache_only = true;
	if (answer_from_cache(t)) {
		task_step(t);
		return 0;
	}
	task_free(t);
	return -ENOENT;
}

static void on_primed(void *arg, const struct resolve_result *res)
{
	char rc[16];
	size_t servers = 0;

	(void)arg;
	/* The answer holds the NS set's RRSIGs too. */
	for (size_t i = 0; res->answer && i < ldns_rr_list_rr_count(res->answer); i++)
		servers += ldns_rr_get_type(ldns_rr_list_rr(res->answer, i)) == LDNS_RR_TYPE_NS;
	if (res->rcode == LDNS_RCODE_NOERROR && servers)
		log_info("primed: %zu root servers", servers);
	else
		log_warn("priming the root failed (%s); using the hints", rcode_str((unsigned)res->rcode, rc));
}

void resolver_prime(struct resolver *r)
{
	ldns_rdf *root = ldns_dname_new_frm_str(".");

	if (!root)
		return;
	resolve_start(r, root, LDNS_RR_TYPE_NS, LDNS_RR_CLASS_IN, on_primed, r, NULL);
	ldns_rdf_deep_free(root);
}

void resolver_destroy(struct resolver *r)
{
	while (r->tasks)
		task_free(r->tasks);
	if (r->validating) {
		lru_destroy(&r->zone_keys);
		validator_free(&r->val);
		r->validating = false;
	}
	lru_destroy(&r->pending);
	ldns_rr_list_deep_free(r->hints);
	r->hints = NULL;
	cache_destroy(&r->cache);
	infra_destroy(&r->infra);
	acl_free(&r->dnq);
	acl_free(&r->own);
}

/* Whether name is already an owner in the chain or the original question (a loop). */
static bool chain_has(const struct task *t, const ldns_rdf *name)
{
	if (name_equal(t->qname_orig, name))
		return true;
	for (size_t i = 0; i < ldns_rr_list_rr_count(t->chain); i++)
		if (name_equal(ldns_rr_owner(ldns_rr_list_rr(t->chain, i)), name))
			return true;
	return false;
}

/*
 * Appends a CNAME and moves the question to its target; false on a loop or
 * the bound.  A DNAME is appended as it is: the CNAME made from it, next in
 * the chain, moves the question.
 */
static bool follow_cname(struct task *t, const ldns_rr *cname)
{
	const ldns_rdf *target = ldns_rr_rdf(cname, 0);
	ldns_rdf *copy;

	if (ldns_rr_get_type(cname) == LDNS_RR_TYPE_DNAME) {
		ldns_rr *d = ldns_rr_clone(cname);

		if (!d || !ldns_rr_list_push_rr(t->chain, d)) {
			ldns_rr_free(d);
			return false;
		}
		return true;
	}

	if (!target || ldns_rr_list_rr_count(t->chain) >= t->r->opt->max_cname || chain_has(t, target))
		return false;
	copy = ldns_rdf_clone(target);
	if (!copy || !ldns_rr_list_push_rr(t->chain, ldns_rr_clone(cname))) {
		ldns_rdf_deep_free(copy);
		return false;
	}
	ldns_rdf_deep_free(t->qname);
	t->qname = copy;
	/* A new name: its walk from the zone cut starts afresh. */
	t->qmin_labels = 0;
	t->qmin_sent = 0;
	t->qmin_off = false;
	stats.cname_followed++;
	return true;
}

/*
 * A cached DNAME above the name: the DNAME and the CNAME it implies join
 * the chain.  1 when followed, 0 when none is cached, -1 on a loop or the
 * bound.
 */
static int dname_from_cache(struct task *t)
{
	struct resolver *r = t->r;
	ldns_rdf *up = ldns_dname_label_count(t->qname) > 0 ? ldns_dname_left_chop(t->qname) : NULL;
	int ret = 0;

	while (up && ret == 0) {
		ldns_rr_list *d = cache_get(&r->cache, up, LDNS_RR_TYPE_DNAME, t->qclass, RANK_NONAUTH, now_s(r));
		ldns_rdf *next;

		if (d && ldns_rr_list_rr_count(d) > 0) {
			const ldns_rr *dname = ldns_rr_list_rr(d, 0);
			ldns_rr *synth = dname_synthesize(dname, t->qname);
			char n[NAME_STRLEN];

			ret = synth && follow_cname(t, dname) && follow_cname(t, synth) ? 1 : -1;
			TRACE("cache: %s DNAME -> %s", name_str(up, n), ret > 0 ? "following" : "loop or chain too long");
			ldns_rr_free(synth);
		}
		ldns_rr_list_deep_free(d);
		next = ret == 0 && ldns_dname_label_count(up) > 0 ? ldns_dname_left_chop(up) : NULL;
		ldns_rdf_deep_free(up);
		up = next;
	}
	ldns_rdf_deep_free(up);
	return ret;
}

/*
 * DNSSEC records of cached data join the result: RRSIGs over answer
 * RRsets to the answer's, denial records (and the SOA's RRSIGs) to the
 * proof.  Takes dnssec.
 */
static void take_dnssec(struct task *t, ldns_rr_list *dnssec, struct cache_verdict verdict)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(dnssec); i++) {
		ldns_rr *rr = ldns_rr_list_rr(dnssec, i);
		ldns_rr_type covered = ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && ldns_rr_rd_count(rr) > 0
					       ? ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr))
					       : 0;

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && covered != LDNS_RR_TYPE_NSEC &&
		    covered != LDNS_RR_TYPE_NSEC3 && covered != LDNS_RR_TYPE_SOA) {
			ldns_rr_list_push_rr(t->sigs, rr);
		} else {
			if (!t->proof)
				t->proof = ldns_rr_list_new();
			if (!t->proof || !ldns_rr_list_push_rr(t->proof, rr))
				ldns_rr_free(rr);
		}
	}
	ldns_rr_list_free(dnssec);
	if (verdict.status == VERDICT_NONE)
		t->verdict_unknown = true;
	else if (t->verdict_cached == VERDICT_NONE || val_worse(verdict.status, t->verdict_cached)) {
		t->verdict_cached = verdict.status;
		t->verdict_cached_ede = verdict.ede;
	}
}

/* Answers from the cache; true when the task is finished. */
static bool answer_from_cache(struct task *t)
{
	struct resolver *r = t->r;
	char n[NAME_STRLEN], ty[16];

	for (;;) {
		ldns_rr_list *dnssec = NULL;
		struct cache_verdict verdict;
		ldns_rr_list *rrs = cache_get_signed(&r->cache, t->qname, t->qtype, t->qclass, RANK_NONAUTH, now_s(r),
						     &dnssec, &verdict);
		ldns_rr *soa = NULL;
		int rc;

		if (rrs) {
			take_dnssec(t, dnssec, verdict);
			TRACE("cache: %s %s -> answer (%zu records)", name_str(t->qname, n), type_str(t->qtype, ty),
			      ldns_rr_list_rr_count(rrs));
			task_finish(t, LDNS_RCODE_NOERROR, rrs, NULL);
			return true;
		}
		if (t->qtype != LDNS_RR_TYPE_CNAME) {
			rrs = cache_get_signed(&r->cache, t->qname, LDNS_RR_TYPE_CNAME, t->qclass, RANK_NONAUTH, now_s(r),
					       &dnssec, &verdict);
			if (rrs && ldns_rr_list_rr_count(rrs) > 0) {
				bool ok = follow_cname(t, ldns_rr_list_rr(rrs, 0));

				take_dnssec(t, dnssec, verdict);
				dnssec = NULL;
				TRACE("cache: %s CNAME -> %s", name_str(ldns_rr_owner(ldns_rr_list_rr(rrs, 0)), n),
				      ok ? "following" : "loop or chain too long");
				ldns_rr_list_deep_free(rrs);
				if (!ok) {
					stats.limit_hits++;
					task_fail(t, "CNAME loop or chain too long");
					return true;
				}
				continue;
			}
			ldns_rr_list_deep_free(rrs);
			ldns_rr_list_deep_free(dnssec);
			dnssec = NULL;
			switch (dname_from_cache(t)) {
			case 1:
				continue;
			case -1:
				stats.limit_hits++;
				task_fail(t, "CNAME loop or chain too long");
				return true;
			default:
				break;
			}
		}
		rc = cache_get_negative_signed(&r->cache, t->qname, t->qtype, t->qclass, &soa, &dnssec, &verdict, NULL,
					       now_s(r));
		if (rc >= 0) {
			take_dnssec(t, dnssec, verdict);
			TRACE("cache: %s %s -> %s", name_str(t->qname, n), type_str(t->qtype, ty),
			      rc == LDNS_RCODE_NXDOMAIN ? "NXDOMAIN" : "NODATA");
			task_finish(t, rc, NULL, soa);
			return true;
		}
		return false;
	}
}

static bool have_server(const struct task *t, const struct sockaddr_storage *ss)
{
	for (size_t i = 0; i < t->n_srv; i++)
		if (sa_equal((const struct sockaddr *)&t->srv[i].addr, (const struct sockaddr *)ss))
			return true;
	return false;
}

static size_t ns_addresses_from(struct task *t, size_t ns_index, bool add, bool parent_side)
{
	struct resolver *r = t->r;
	static const ldns_rr_type types[] = { LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA };
	size_t found = 0;

	for (size_t k = 0; k < 2; k++) {
		ldns_rr_list *rrs;

		if ((k == 0 && !r->opt->do_ip4) || (k == 1 && !r->opt->do_ip6))
			continue;
		rrs = parent_side ? cache_get_parent_glue(&r->cache, t->ns[ns_index].name, types[k], t->qclass, now_s(r))
				  : cache_get(&r->cache, t->ns[ns_index].name, types[k], t->qclass, RANK_HINT, now_s(r));
		for (size_t i = 0; rrs && i < ldns_rr_list_rr_count(rrs); i++) {
			const ldns_rdf *a = ldns_rr_rdf(ldns_rr_list_rr(rrs, i), 0);
			struct sockaddr_storage ss;

			memset(&ss, 0, sizeof(ss));
			if (a && ldns_rdf_get_type(a) == LDNS_RDF_TYPE_A && ldns_rdf_size(a) == 4) {
				struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

				s4->sin_family = AF_INET;
				s4->sin_port = htons(53);
				memcpy(&s4->sin_addr, ldns_rdf_data(a), 4);
			} else if (a && ldns_rdf_get_type(a) == LDNS_RDF_TYPE_AAAA && ldns_rdf_size(a) == 16) {
				struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

				s6->sin6_family = AF_INET6;
				s6->sin6_port = htons(53);
				memcpy(&s6->sin6_addr, ldns_rdf_data(a), 16);
			} else {
				continue;
			}
			found++;
			if (!add || have_server(t, &ss) || t->n_srv >= MAX_SERVERS)
				continue;
			if (infra_is_lame(&r->infra, t->zone, (struct sockaddr *)&ss, now_ms(r)))
				continue;
			if (!family_usable(r, (struct sockaddr *)&ss))
				continue;
			if (!resolver_may_query(r, (struct sockaddr *)&ss)) {
				char an[SA_STRLEN], nn[NAME_STRLEN], zn[NAME_STRLEN];

				stats.do_not_query++;
				TRACE("not querying %s (%s) for %s: do-not-query address", name_str(t->ns[ns_index].name, nn),
				      sa_str((struct sockaddr *)&ss, false, an), name_str(t->zone, zn));
				continue;
			}
			t->srv[t->n_srv].addr = ss;
			t->srv[t->n_srv].ns = t->ns[ns_index].name;
			t->srv[t->n_srv].tried = false;
			t->srv[t->n_srv].timed_out = false;
			t->n_srv++;
		}
		ldns_rr_list_deep_free(rrs);
	}
	return found;
}

static size_t ns_addresses(struct task *t, size_t ns_index, bool add)
{
	return ns_addresses_from(t, ns_index, add, false);
}

/*
 * Every server known failed: the addresses the parent gave as glue may
 * differ from the child's own (RFC 2181 5.4.1 prefers the child's, which
 * can be wrong).  Returns how many new ones were added.
 */
static size_t parent_side_servers(struct task *t)
{
	size_t before = t->n_srv;

	for (size_t i = 0; i < t->n_ns; i++)
		ns_addresses_from(t, i, true, true);
	return t->n_srv - before;
}

static void collect_servers(struct task *t)
{
	for (size_t i = 0; i < t->n_ns; i++)
		ns_addresses(t, i, true);
}

/*
 * A forward or stub zone's servers become the zone's.  They are the
 * operator's choice: do-not-query settings do not apply to them (a
 * forwarder on 127.0.0.1 is common), but address families and lameness do.
 */
static int use_configured(struct task *t, ldns_rdf *name, const struct zone_servers *zc)
{
	struct resolver *r = t->r;
	char z[NAME_STRLEN], a[SA_STRLEN];

	t->zone = name;
	t->forwarding = zc->kind == ZONE_FORWARD;
	t->stub = zc->kind == ZONE_STUB;
	for (size_t i = 0; i < zc->n_addr && t->n_srv < MAX_SERVERS; i++) {
		const struct sockaddr *sa = (const struct sockaddr *)&zc->addr[i];

		if ((sa->sa_family == AF_INET && !r->opt->do_ip4) || (sa->sa_family == AF_INET6 && !r->opt->do_ip6) ||
		    !family_usable(r, sa) || infra_is_lame(&r->infra, t->zone, sa, now_ms(r)))
			continue;
		t->srv[t->n_srv].addr = zc->addr[i];
		t->srv[t->n_srv].ns = NULL;
		t->srv[t->n_srv].tried = false;
		t->srv[t->n_srv].timed_out = false;
		t->n_srv++;
		TRACE("%s %s -> %s", t->forwarding ? "forward" : "stub", name_str(t->zone, z), sa_str(sa, true, a));
	}
	return 0;
}

/*
 * The servers to ask: a forward zone's, or the closest enclosing zone with
 * cached NS, or a stub zone's when no delegation below the stub zone is
 * cached.
 */
static int find_delegation(struct task *t)
{
	struct resolver *r = t->r;
	ldns_rdf *name = ldns_rdf_clone(t->qname);
	const struct zone_servers *zc;
	bool primed = false;

	clear_delegation(t);
	/* A DS record lives on the parent's side of the cut (RFC 4035 3.1.4.1): ask the parent. */
	if (t->qtype == LDNS_RR_TYPE_DS && name && ldns_dname_label_count(name) > 0) {
		ldns_rdf *up = ldns_dname_left_chop(name);

		ldns_rdf_deep_free(name);
		name = up;
	}
	zc = name ? zones_match(r->opt->zones, name) : NULL;
	if (zc && zc->kind == ZONE_FORWARD && t->no_forward)
		zc = NULL;
	if (zc && zc->kind == ZONE_FORWARD) {
		ldns_rdf_deep_free(name);
		name = ldns_rdf_clone(zc->name);
		return name ? use_configured(t, name, zc) : -ENOMEM;
	}
	while (name) {
		ldns_rr_list *ns;

		if (zc && ldns_dname_compare(name, zc->name) == 0)
			return use_configured(t, name, zc);
		ns = cache_get(&r->cache, name, LDNS_RR_TYPE_NS, t->qclass, RANK_HINT, now_s(r));

		if (ns && ldns_rr_list_rr_count(ns) > 0) {
			t->zone = name;
			for (size_t i = 0; i < ldns_rr_list_rr_count(ns) && t->n_ns < MAX_NS; i++) {
				const ldns_rdf *target = ldns_rr_rdf(ldns_rr_list_rr(ns, i), 0);

				if (!target || ldns_rdf_get_type(target) != LDNS_RDF_TYPE_DNAME)
					continue;
				t->ns[t->n_ns].name = ldns_rdf_clone(target);
				if (t->ns[t->n_ns].name)
					t->n_ns++;
			}
			ldns_rr_list_deep_free(ns);
			collect_servers(t);
			return 0;
		}
		ldns_rr_list_deep_free(ns);
		if (ldns_dname_label_count(name) == 0) {
			if (primed || !r->hints)
				break;
			prime_from_hints(r);
			primed = true;
			continue;
		}
		ldns_rdf *up = ldns_dname_left_chop(name);

		ldns_rdf_deep_free(name);
		name = up;
	}
	ldns_rdf_deep_free(name);
	return -ENOENT;
}

static int ask_set(struct task *t, const ldns_rdf *name, size_t skip_labels, ldns_rr_type type)
{
	ldns_rdf *copy = skip_labels ? ldns_dname_clone_from(name, (uint16_t)skip_labels) : ldns_rdf_clone(name);

	if (!copy)
		return -ENOMEM;
	ldns_rdf_deep_free(t->ask_name);
	t->ask_name = copy;
	t->ask_type = type;
	return 0;
}

/*
 * What the next queries to the zone's servers ask (RFC 9156): the full
 * name with the type wanted, or, minimising, the name one step further
 * below the zone than the servers were shown so far.  The type of a
 * minimised query is A, which RFC 9156 section 3 allows in place of NS:
 * A is what most queries ask, so a minimised one does not stand out, and
 * some servers answer NS queries for names that are not zone cuts wrongly.
 */
static int choose_question(struct task *t)
{
	struct resolver *r = t->r;
	unsigned labels = ldns_dname_label_count(t->qname);
	unsigned zone_labels = t->zone ? ldns_dname_label_count(t->zone) : 0;
	unsigned next;
	char n[NAME_STRLEN], z[NAME_STRLEN];

	t->minimised = false;
	if (!r->opt->qname_minimisation || t->qmin_off || t->forwarding)
		return ask_set(t, t->qname, 0, t->qtype);
	/* A referral past what was shown (one server for several levels): the count starts again there. */
	if (zone_labels > t->qmin_labels) {
		t->qmin_labels = zone_labels;
		t->qmin_sent = 0;
	}
	next = qmin_next_labels(labels, t->qmin_labels, t->qmin_sent);
	if (next >= labels)
		return ask_set(t, t->qname, 0, t->qtype);
	if (ask_set(t, t->qname, labels - next, LDNS_RR_TYPE_A))
		return -ENOMEM;
	t->minimised = true;
	t->qmin_labels = next;
	t->qmin_sent++;
	stats.qmin_queries++;
	TRACE("ask %s A (minimised) of %s", name_str(t->ask_name, n), name_str(t->zone, z));
	return 0;
}

/* The zone's servers get another go, with the question chosen anew. */
static void servers_again(struct task *t)
{
	for (size_t i = 0; i < t->n_srv; i++) {
		t->srv[i].tried = false;
		t->srv[i].timed_out = false;
	}
	t->rounds = 0;
	t->state = TASK_QUERY_TARGETS;
}

/* The name one label further, of the same servers. */
static void minimise_further(struct task *t)
{
	if (choose_question(t)) {
		task_fail(t, "out of memory");
		return;
	}
	servers_again(t);
}

/* Relaxed mode: a zone that failed a minimised query is asked the full name before it is given up. */
static void minimise_fall_back(struct task *t)
{
	t->qmin_off = true;
	stats.qmin_fallbacks++;
	minimise_further(t);
}

/* ---- cachedb: the answers of other resolvers, through Redis ---- */

/*
 * Client questions only, never the priming of the root (whose point is
 * to hear the root servers themselves), nor ANY.
 */
static bool cachedb_applies(const struct task *t)
{
	return t->r->cachedb && t->is_client && !t->cache_only && t->qtype != LDNS_RR_TYPE_ANY &&
	       !(t->qtype == LDNS_RR_TYPE_NS && ldns_dname_label_count(t->qname_orig) == 0);
}

/*
 * Every value nfdnsd writes holds the answer with its RRSIG and NSEC or
 * NSEC3 records, as a DO client gets it: nfdnsd always asks with DO, the
 * same value serves clients without DO once filtered (response.c), and
 * only such a value can be validated again.  So its key is the DO=1 one.
 */
static int task_cachedb_key(const struct task *t, char key[CACHEDB_KEY_MAX])
{
	return cachedb_key(key, CACHEDB_KEY_MAX, ldns_rdf_data(t->qname_orig), ldns_rdf_size(t->qname_orig), t->qtype,
			   t->qclass, true);
}

static void cachedb_store(struct task *t, const struct resolve_result *res)
{
	struct resolver *r = t->r;
	char key[CACHEDB_KEY_MAX];
	uint8_t *wire = NULL, *value = NULL;
	size_t wire_len = 0, value_len = 0;
	uint32_t ttl = 0;
	uint8_t flags = 0;

	/*
	 * Only what was resolved here, now: never a failure, expired data,
	 * a value read from Redis, nor bogus data; with validation on, only
	 * what validated secure or provably insecure.
	 */
	if (!cachedb_applies(t) || t->stale || !t->budget->queries || res->bogus ||
	    (res->rcode != LDNS_RCODE_NOERROR && res->rcode != LDNS_RCODE_NXDOMAIN))
		return;
	if (r->validating) {
		if (!t->validated || (t->verdict.status != VAL_SECURE && t->verdict.status != VAL_INSECURE))
			return;
		flags = CACHEDB_F_VALIDATED | (res->secure ? CACHEDB_F_SECURE : 0);
	}
	if (task_cachedb_key(t, key) ||
	    response_for_cachedb(t->qname_orig, t->qtype, t->qclass, res, &wire, &wire_len, &ttl) || !ttl)
		goto out;
	if (!cachedb_value_encode(&value, &value_len, wire, wire_len, (uint64_t)time(NULL), ttl, flags))
		cachedb_put(r->cachedb, key, value, value_len, ttl);
out:
	free(wire);
	free(value);
}

/* A TTL read from Redis: aged by the value's time there, within this resolver's bounds. */
static void cachedb_age(ldns_rr *rr, uint32_t age, uint32_t max_ttl)
{
	uint32_t ttl = ldns_rr_ttl(rr);

	ttl = ttl > age ? ttl - age : 0;
	ldns_rr_set_ttl(rr, ttl < max_ttl ? ttl : max_ttl);
}

/* The task's work so far is dropped: it starts again from its question. */
static bool task_restart(struct task *t)
{
	ldns_rdf *qname = ldns_rdf_clone(t->qname_orig);
	ldns_rr_list *chain = ldns_rr_list_new(), *sigs = ldns_rr_list_new();

	if (!qname || !chain || !sigs) {
		ldns_rdf_deep_free(qname);
		ldns_rr_list_free(chain);
		ldns_rr_list_free(sigs);
		return false;
	}
	ldns_rdf_deep_free(t->qname);
	t->qname = qname;
	ldns_rr_list_deep_free(t->chain);
	t->chain = chain;
	ldns_rr_list_deep_free(t->sigs);
	t->sigs = sigs;
	ldns_rr_list_deep_free(t->proof);
	t->proof = NULL;
	ldns_rr_list_deep_free(t->final);
	t->final = NULL;
	ldns_rr_free(t->soa);
	t->soa = NULL;
	t->qmin_labels = t->qmin_sent = 0;
	t->qmin_off = false;
	t->validated = false;
	t->verdict_unknown = false;
	t->verdict_cached = VERDICT_NONE;
	memset(&t->verdict, 0, sizeof(t->verdict));
	fetched_clear(&t->fetched);
	t->from_cachedb = false;
	return true;
}

/*
 * The task's result rebuilt from a response read from Redis, the way a
 * resolution builds it: the CNAME and DNAME chain followed from the
 * question (with the same bounds), the RRset reached, the signatures, the
 * SOA and the denial proof.  A record that has no place there means the
 * value does not answer this question: false, and why.
 */
static bool result_from_cachedb(struct task *t, const ldns_pkt *pkt, uint32_t age, const char **why)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt), *ns = ldns_pkt_authority(pkt);
	ldns_pkt_rcode rcode = ldns_pkt_get_rcode(pkt);
	uint32_t max_ttl = t->r->opt->max_ttl, neg_max_ttl = t->r->opt->neg_max_ttl;
	ldns_rr_list *final = NULL;
	ldns_rr *soa = NULL;

	if (ldns_rr_list_rr_count(ldns_pkt_additional(pkt))) {
		*why = "additional records";
		return false;
	}
	if (!task_restart(t)) {
		*why = "out of memory";
		return false;
	}
	final = ldns_rr_list_new();
	for (size_t i = 0; final && i < ldns_rr_list_rr_count(an); i++) {
		ldns_rr *rr = ldns_rr_clone(ldns_rr_list_rr(an, i));
		ldns_rr_type type = rr ? ldns_rr_get_type(rr) : 0;
		bool taken = false;

		if (!rr || ldns_rr_get_class(rr) != t->qclass) {
			ldns_rr_free(rr);
			*why = "a record of another class";
			goto refuse;
		}
		cachedb_age(rr, age, max_ttl);
		if (type == LDNS_RR_TYPE_RRSIG) {
			taken = ldns_rr_list_push_rr(t->sigs, rr);
		} else if (type == t->qtype && name_equal(ldns_rr_owner(rr), t->qname)) {
			taken = ldns_rr_list_push_rr(final, rr);
		} else if (!ldns_rr_list_rr_count(final) &&
			   ((type == LDNS_RR_TYPE_CNAME && name_equal(ldns_rr_owner(rr), t->qname)) ||
			    (type == LDNS_RR_TYPE_DNAME && !name_equal(ldns_rr_owner(rr), t->qname) &&
			     name_under(t->qname, ldns_rr_owner(rr))))) {
			/* follow_cname() copies: the loop and length bounds hold as for a resolution. */
			if (!follow_cname(t, rr)) {
				ldns_rr_free(rr);
				*why = "a CNAME loop or a chain too long";
				goto refuse;
			}
			ldns_rr_free(rr);
			continue;
		} else {
			ldns_rr_free(rr);
			*why = "an answer record that does not answer the question";
			goto refuse;
		}
		if (!taken) {
			ldns_rr_free(rr);
			*why = "out of memory";
			goto refuse;
		}
	}
	if (!final) {
		*why = "out of memory";
		goto refuse;
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(ns); i++) {
		ldns_rr *rr = ldns_rr_clone(ldns_rr_list_rr(ns, i));
		ldns_rr_type type = rr ? ldns_rr_get_type(rr) : 0;

		if (!rr || ldns_rr_get_class(rr) != t->qclass) {
			ldns_rr_free(rr);
			*why = "an authority record of another class";
			goto refuse;
		}
		if (type == LDNS_RR_TYPE_SOA && !soa && !ldns_rr_list_rr_count(final)) {
			cachedb_age(rr, age, neg_max_ttl);
			soa = rr;
			continue;
		}
		if (type != LDNS_RR_TYPE_NSEC && type != LDNS_RR_TYPE_NSEC3 && type != LDNS_RR_TYPE_RRSIG) {
			ldns_rr_free(rr);
			*why = "an authority record that is neither the SOA nor a denial proof";
			goto refuse;
		}
		cachedb_age(rr, age, max_ttl);
		if (!t->proof)
			t->proof = ldns_rr_list_new();
		if (!t->proof || !ldns_rr_list_push_rr(t->proof, rr)) {
			ldns_rr_free(rr);
			*why = "out of memory";
			goto refuse;
		}
	}
	if (rcode == LDNS_RCODE_NXDOMAIN && ldns_rr_list_rr_count(final)) {
		*why = "NXDOMAIN with an answer";
		goto refuse;
	}
	if (!ldns_rr_list_rr_count(final)) {
		ldns_rr_list_free(final);
		final = NULL;
	}
	/* Whatever the writer decided, the verdict is this resolver's own (step_validate). */
	t->verdict_unknown = true;
	t->from_cachedb = true;
	task_finish(t, rcode, final, soa);
	return true;
refuse:
	ldns_rr_list_deep_free(final);
	ldns_rr_free(soa);
	task_restart(t);
	return false;
}

static void cachedb_refused(struct task *t, const char *why)
{
	static time_t last_warned;
	time_t now = time(NULL);
	char n[NAME_STRLEN], ty[16];

	stats.cachedb_bad_values++;
	TRACE("cachedb: %s %s: value refused: %s", name_str(t->qname_orig, n), type_str(t->qtype, ty), why);
	/* Someone may be planting values: worth a line, but not one per query. */
	if (now - last_warned >= 10) {
		last_warned = now;
		log_warn("cachedb: refused the value for %s %s: %s", name_str(t->qname_orig, n), type_str(t->qtype, ty),
			 why);
	}
}

/* What Redis held for the question, or NULL: the task goes on either way. */
static void on_cachedb_value(void *arg, const uint8_t *value, size_t len)
{
	struct task *t = arg;
	char n[NAME_STRLEN], ty[16], rc[16];
	struct cachedb_value v;
	const char *why = NULL;
	ldns_pkt *pkt = NULL;
	int err;

	t->cachedb_lookup = NULL;
	t->state = TASK_INIT;
	if (value) {
		err = cachedb_value_decode(value, len, ldns_rdf_data(t->qname_orig), ldns_rdf_size(t->qname_orig),
					   t->qtype, t->qclass, (uint64_t)time(NULL), &v, &why);
		if (!err && ldns_wire2pkt(&pkt, v.wire, v.wire_len) != LDNS_STATUS_OK) {
			why = "not a DNS message";
			err = -EBADMSG;
		}
		if (err == -ESTALE) {
			stats.cachedb_misses++;
			TRACE("cachedb: %s %s: expired in redis", name_str(t->qname_orig, n), type_str(t->qtype, ty));
		} else if (err || !result_from_cachedb(t, pkt, v.age, &why)) {
			cachedb_refused(t, why ? why : "malformed");
		} else {
			TRACE("cachedb: %s %s -> %s from redis, %u s old", name_str(t->qname_orig, n),
			      type_str(t->qtype, ty), rcode_str(v.rcode, rc), v.age);
		}
		ldns_pkt_free(pkt);
	} else {
		TRACE("cachedb: %s %s: nothing in redis", name_str(t->qname_orig, n), type_str(t->qtype, ty));
	}
	task_step(t);
}

/* TASK_INIT, after the cache missed: true when Redis was asked (the task waits in TASK_CACHEDB). */
static bool cachedb_lookup_start(struct task *t)
{
	char key[CACHEDB_KEY_MAX];

	if (t->refresh || t->cachedb_asked || !cachedb_applies(t))
		return false;
	t->cachedb_asked = true;
	if (task_cachedb_key(t, key) || cachedb_get(t->r->cachedb, key, on_cachedb_value, t, &t->cachedb_lookup))
		return false;
	t->state = TASK_CACHEDB;
	return true;
}

/* A value read from Redis validated bogus: refused like a malformed one, and the question is resolved. */
static void cachedb_forget(struct task *t)
{
	cachedb_refused(t, "bogus (DNSSEC)");
	if (!task_restart(t)) {
		task_fail(t, "out of memory");
		return;
	}
	t->state = TASK_INIT;
}

/* TASK_INIT: the cache, else the closest zone whose servers to ask. */
static void step_init(struct task *t)
{
	/* A refresh still uses the cached delegations to get there. */
	if (!t->refresh && answer_from_cache(t))
		return;
	if (!t->refresh && answer_from_nsec_store(t))
		return;
	if (cachedb_lookup_start(t))
		return;
	if (find_delegation(t)) {
		task_fail(t, "no delegation found, not even the root hints");
		return;
	}
	if (choose_question(t)) {
		task_fail(t, "out of memory");
		return;
	}
	t->state = TASK_QUERY_TARGETS;
}

static void on_upstream(void *arg, int err, ldns_pkt *pkt, uint32_t rtt_ms);
static void on_slow(void *arg);

/*
 * Asks server idx.  The task waits for an answer afterwards, unless
 * nothing is left in the air: then it fails (limits) or picks another
 * server (the query could not leave).
 */
static void send_query(struct task *t, int idx)
{
	struct resolver *r = t->r;
	struct server *s = &t->srv[idx];
	struct upstream_request req;
	bool exact_case;
	struct flight *f;
	uint32_t rto;
	int err;

	t->state = TASK_WAIT_REPLY;
	if (t->budget->queries >= r->opt->max_queries) {
		if (in_the_air(t))
			return;
		stats.limit_hits++;
		task_fail(t, "upstream query budget spent");
		return;
	}
	if (now_ms(r) - t->budget->started_ms >= r->opt->resolve_timeout_ms) {
		if (in_the_air(t))
			return;
		stats.limit_hits++;
		task_fail(t, "out of time");
		return;
	}
	for (f = t->fl; f < t->fl + MAX_FLIGHTS && f->uq; f++)
		;
	if (f == t->fl + MAX_FLIGHTS)
		return;
	/* File descriptors are finite: past the cap a question fails rather than the process. */
	if (upstream_sockets_open() >= r->opt->max_upstream_sockets) {
		stats.upstream_no_socket++;
		if (in_the_air(t))
			return;
		task_fail(t, "every upstream socket in use");
		return;
	}
	s->tried = true;
	f->t = t;
	f->srv = idx;
	f->slow = false;
	f->tcp = t->use_tcp;
	f->sent_qtype = t->ask_type;
	ldns_rdf_deep_free(f->sent_qname);
	f->sent_qname = ldns_rdf_clone(t->ask_name);
	if (!f->sent_qname) {
		if (!in_the_air(t))
			task_fail(t, "out of memory");
		return;
	}
	/* A forwarder answers from its cache, in whatever case it holds: no 0x20. */
	exact_case = r->opt->use_0x20 && !t->forwarding &&
		     infra_use_0x20(&r->infra, (struct sockaddr *)&s->addr, now_ms(r));
	if (exact_case)
		name_randomize_case(f->sent_qname);
	rto = infra_rto(&r->infra, (struct sockaddr *)&s->addr, now_ms(r));
	memset(&req, 0, sizeof(req));
	req.server = s->addr;
	req.qname = f->sent_qname;
	req.qtype = f->sent_qtype;
	req.qclass = t->qclass;
	req.edns = infra_use_edns(&r->infra, (struct sockaddr *)&s->addr, now_ms(r));
	req.edns_size = r->opt->edns_size;
	req.tcp = t->use_tcp;
	req.exact_case = exact_case;
	req.rd = t->forwarding;
	if (t->forwarding)
		stats.forwarded++;
	/*
	 * Past one RTO another server is asked too; past a few this one is
	 * given up.  TCP needs a handshake before the query: two round trips.
	 */
	req.timeout_ms = rto * SLOW_FACTOR * (t->use_tcp ? 2 : 1);
	if (now_ms(r) - t->budget->started_ms + req.timeout_ms > r->opt->resolve_timeout_ms)
		req.timeout_ms = (uint32_t)(r->opt->resolve_timeout_ms - (now_ms(r) - t->budget->started_ms));
	if (req.timeout_ms < INFRA_RTO_MIN)
		req.timeout_ms = INFRA_RTO_MIN;
	req.slow_ms = t->use_tcp ? 0 : rto;
	req.on_slow = on_slow;
	req.mark = r->opt->mark;
	f->edns = req.edns;
	t->budget->queries++;
	err = upstream_send(r->loop, &req, on_upstream, f, &f->uq);
	if (err) {
		char a[SA_STRLEN];

		f->uq = NULL;
		TRACE("cannot query %s: %s", sa_str((struct sockaddr *)&s->addr, false, a), uv_strerror(err));
		s->timed_out = true;
		send_failed(t, (struct sockaddr *)&s->addr, err);
		t->use_tcp = false;
		if (!in_the_air(t))
			t->state = TASK_QUERY_TARGETS;
	}
}

/*
 * Sets up a sub-task looking up one NS name without addresses, for the
 * driver to run while this task waits; false when none is left to try.
 */
static bool chase_ns_name(struct task *t)
{
	struct resolver *r = t->r;
	char n[NAME_STRLEN], z[NAME_STRLEN];

	if (t->depth >= MAX_DEPTH)
		return false;
	for (size_t i = 0; i < t->n_ns; i++) {
		struct ns_name *ns = &t->ns[i];
		ldns_rr_type type;
		struct task *c;

		if (ns_addresses(t, i, false) > 0)
			continue;
		if (r->opt->do_ip4 && !ns->chased_a) {
			type = LDNS_RR_TYPE_A;
			ns->chased_a = true;
		} else if (r->opt->do_ip6 && !ns->chased_aaaa) {
			type = LDNS_RR_TYPE_AAAA;
			ns->chased_aaaa = true;
		} else {
			continue;
		}
		/* Only a new name counts against the bound; its AAAA rides along. */
		if (type == LDNS_RR_TYPE_A || !r->opt->do_ip4) {
			if (t->chased_here >= r->opt->max_ns_chase) {
				stats.limit_hits++;
				return false;
			}
			t->chased_here++;
			t->budget->nameservers_chased++;
			stats.nameservers_chased++;
		}
		/* A lookup already under way further up would only come back here. */
		bool loop = false;

		for (struct task *a = t; a; a = a->parent)
			if (a->qtype == type && name_equal(a->qname, ns->name))
				loop = true;
		if (loop) {
			TRACE("NS name %s %s for %s: dependency loop, skipped", name_str(ns->name, n),
			      type == LDNS_RR_TYPE_A ? "A" : "AAAA", name_str(t->zone, z));
			continue;
		}
		TRACE("resolving NS name %s %s for %s", name_str(ns->name, n), type == LDNS_RR_TYPE_A ? "A" : "AAAA",
		      name_str(t->zone, z));
		c = task_new(r, t, ns->name, type, t->qclass);
		if (!c)
			return false;
		c->resume = TASK_NS_CHASED;
		t->child = c;
		t->state = TASK_CHASE_NS;
		return true;
	}
	return false;
}

/*
 * TASK_QUERY_TARGETS: the best untried server, else an NS name to look
 * up, else the parent's glue, else another round over silent servers.
 * Staying in this state runs it again.
 */
static void step_query_targets(struct task *t)
{
	struct resolver *r = t->r;
	struct sockaddr_storage addrs[MAX_SERVERS];
	bool skip[MAX_SERVERS];
	int idx;

	if (in_the_air(t)) {
		t->state = TASK_WAIT_REPLY;
		return;
	}
	t->use_tcp = false;
	for (size_t i = 0; i < t->n_srv; i++) {
		addrs[i] = t->srv[i].addr;
		skip[i] = t->srv[i].tried;
	}
	idx = infra_select(&r->infra, addrs, skip, t->n_srv, now_ms(r));
	if (idx >= 0) {
		send_query(t, idx);
		return;
	}
	if (chase_ns_name(t))
		return;
	if (!t->tried_parent_side && t->zone) {
		char z[NAME_STRLEN];
		size_t added;

		t->tried_parent_side = true;
		added = parent_side_servers(t);
		if (added) {
			TRACE("no server of %s answered: trying the parent's glue (%zu addresses)", name_str(t->zone, z),
			      added);
			stats.parent_glue_used++;
			return;
		}
	}
	/* A lost datagram should not sink the question: silent servers get another go. */
	if (++t->rounds < MAX_ROUNDS) {
		bool again = false;

		for (size_t i = 0; i < t->n_srv; i++) {
			if (t->srv[i].timed_out) {
				t->srv[i].tried = false;
				t->srv[i].timed_out = false;
				again = true;
			}
		}
		if (again)
			return;
	}
	if (t->minimised && !r->opt->qname_minimisation_strict) {
		char n[NAME_STRLEN], ty[16];

		TRACE("no answer to the minimised query: asking full name %s %s", name_str(t->qname, n),
		      type_str(t->qtype, ty));
		minimise_fall_back(t);
		return;
	}
	if (t->forwarding && r->opt->forward_first) {
		char z[NAME_STRLEN];

		TRACE("no forwarder of %s answered: iterating (forward-first)", name_str(t->zone, z));
		stats.forward_fallbacks++;
		t->no_forward = true;
		t->state = TASK_INIT;
		return;
	}
	task_fail(t, t->forwarding ? "no forwarder answered" : "no name server of the zone answered");
}

static const char *srv_label(const struct task *t, int idx, char buf[NAME_STRLEN])
{
	char tmp[NAME_STRLEN];
	size_t len;

	if (!t->srv[idx].ns) {
		snprintf(buf, NAME_STRLEN, "%s", t->forwarding ? "forwarder" : "stub server");
		return buf;
	}
	name_str(t->srv[idx].ns, tmp);
	len = strlen(tmp);
	/* Trace lines read better without the root's dot on server names. */
	if (len > 1 && tmp[len - 1] == '.')
		tmp[len - 1] = '\0';
	snprintf(buf, NAME_STRLEN, "%s", tmp);
	return buf;
}

/*
 * An answer to a minimised query says only whether the zone goes on below
 * the name shown: a referral is followed as any; an answer, NODATA or a
 * CNAME (not followed: it is about an ancestor, not the name wanted)
 * shows the name exists, so one more label is asked.  Failures, which
 * some servers give for empty non-terminals, lead to the full name
 * unless strict.  False when the answer is left to the usual handling.
 */
static bool minimised_answer(struct task *t, const ldns_pkt *pkt, struct classified *cl)
{
	struct resolver *r = t->r;
	bool strict = r->opt->qname_minimisation_strict;
	struct sockaddr *sa = (struct sockaddr *)&t->srv[t->cur].addr;
	ldns_pkt_rcode rcode = ldns_pkt_get_rcode(pkt);
	char who[NAME_STRLEN], a[SA_STRLEN], n[NAME_STRLEN], ty[16], rc[16], fn[NAME_STRLEN], fty[16];
	const char *what;

#define MSTEP(...) TRACE("asked %s (%s) for %s %s -> " __VA_ARGS__)
#define MSTEP_ARGS srv_label(t, t->cur, who), sa_str(sa, false, a), name_str(t->sent_qname, n), type_str(t->ask_type, ty)

	switch (cl->kind) {
	case ANSWER_REFERRAL:
		if (!ldns_rr_list_rr_count(cl->chain))
			return false;
		what = "CNAME";
		break;
	case ANSWER_POSITIVE:
		what = ldns_rr_list_rr_count(cl->chain) ? "CNAME" : "answer";
		break;
	case ANSWER_NODATA:
		what = "NODATA";
		break;
	case ANSWER_CNAME:
	case ANSWER_LOOP:
		what = "CNAME";
		break;
	case ANSWER_NXDOMAIN:
		if (strict) {
			/* Nothing exists below a name that does not exist (RFC 8020). */
			MSTEP("NXDOMAIN (minimised): nothing below", MSTEP_ARGS);
			/* The proof that the ancestor is absent covers every name below it. */
			ldns_rr_list_deep_free(t->proof);
			t->proof = dnssec_denial_of(pkt);
			t->verdict_unknown = true;
			task_finish(t, LDNS_RCODE_NXDOMAIN, NULL, cl->soa);
			cl->soa = NULL;
			return true;
		}
		/* fall through */
	default:
		if (strict)
			return false;
		MSTEP("%s", MSTEP_ARGS, cl->kind == ANSWER_NXDOMAIN ? "NXDOMAIN" :
					cl->kind == ANSWER_LAME ? "lame" : rcode_str(rcode, rc));
		TRACE("minimised query answered %s: asking full name %s %s",
		      cl->kind == ANSWER_NXDOMAIN ? "NXDOMAIN" : cl->kind == ANSWER_LAME ? "lame" : rcode_str(rcode, rc),
		      name_str(t->qname, fn), type_str(t->qtype, fty));
		minimise_fall_back(t);
		return true;
	}
	MSTEP("%s (minimised): asking one more label", MSTEP_ARGS, what);
	minimise_further(t);
	return true;
#undef MSTEP
#undef MSTEP_ARGS
}

/* Takes sigs into the result's RRSIGs. */
static void take_sigs(struct task *t, ldns_rr_list *sigs)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(sigs); i++)
		if (!ldns_rr_list_push_rr(t->sigs, ldns_rr_list_rr(sigs, i)))
			ldns_rr_free(ldns_rr_list_rr(sigs, i));
	ldns_rr_list_free(sigs);
}

static void handle_answer(struct task *t, const ldns_pkt *pkt)
{
	struct resolver *r = t->r;
	struct server *s = &t->srv[t->cur];
	struct sockaddr *sa = (struct sockaddr *)&s->addr;
	char who[NAME_STRLEN], a[SA_STRLEN], n[NAME_STRLEN], ty[16], rc[16], z[NAME_STRLEN];
	ldns_pkt_rcode rcode = ldns_pkt_get_rcode(pkt);
	struct classified cl;
	int err;

#define STEP(...)                                                                                  \
	TRACE("asked %s (%s) for %s %s -> " __VA_ARGS__)
#define STEP_ARGS srv_label(t, t->cur, who), sa_str(sa, false, a), name_str(t->sent_qname, n), type_str(t->ask_type, ty)

	if ((rcode == LDNS_RCODE_FORMERR || rcode == LDNS_RCODE_NOTIMPL) && t->sent_edns) {
		STEP("%s, retrying without EDNS", STEP_ARGS, rcode_str(rcode, rc));
		infra_set_no_edns(&r->infra, sa, now_ms(r));
		stats.edns_fallbacks++;
		send_query(t, t->cur);
		return;
	}
	if (ldns_pkt_tc(pkt) && !t->use_tcp) {
		STEP("truncated, retrying over TCP", STEP_ARGS);
		stats.tc_retries++;
		t->use_tcp = true;
		send_query(t, t->cur);
		return;
	}
	t->use_tcp = false;

	err = classify_answer(pkt, t->zone, t->ask_name, t->ask_type, t->qclass,
			      (uint32_t)ldns_rr_list_rr_count(t->chain), r->opt->max_cname, &cl);
	if (err) {
		classified_free(&cl);
		task_fail(t, "out of memory");
		return;
	}
	/*
	 * The first answer goes to clients and to the kernel as it is here:
	 * the TTL rules the cache applies hold for it too.
	 */
	rrsets_normalize_ttl(cl.chain, r->opt->max_ttl);
	rrsets_normalize_ttl(cl.rrset, r->opt->max_ttl);
	if (cl.soa && cl.neg_ttl > r->opt->neg_max_ttl) {
		cl.neg_ttl = r->opt->neg_max_ttl;
		ldns_rr_set_ttl(cl.soa, cl.neg_ttl);
	}
	if (cl.glue_ignored) {
		stats.glue_ignored += cl.glue_ignored;
		log_debug("%s ignored %u additional records outside %s", sa_str(sa, false, a), cl.glue_ignored,
			  name_str(t->zone, z));
	}
	if (t->minimised && minimised_answer(t, pkt, &cl)) {
		classified_free(&cl);
		return;
	}
	switch (cl.kind) {
	case ANSWER_ERROR:
		STEP("%s, trying another server", STEP_ARGS, rcode_str(rcode, rc));
		if (rcode == LDNS_RCODE_REFUSED || rcode == LDNS_RCODE_NOTAUTH) {
			infra_set_lame(&r->infra, t->zone, sa, now_ms(r));
			stats.lame_servers++;
		} else if (rcode == LDNS_RCODE_SERVFAIL) {
			/* Briefly: the next questions go elsewhere while the server recovers. */
			infra_set_lame_for(&r->infra, t->zone, sa, now_ms(r), INFRA_SERVFAIL_TTL);
		}
		classified_free(&cl);
		t->state = TASK_QUERY_TARGETS;
		return;
	case ANSWER_LAME:
		STEP("lame for %s (no answer, no referral), trying another server", STEP_ARGS, name_str(t->zone, z));
		infra_set_lame(&r->infra, t->zone, sa, now_ms(r));
		stats.lame_servers++;
		classified_free(&cl);
		t->state = TASK_QUERY_TARGETS;
		return;
	case ANSWER_REFERRAL:
		if (!t->forwarding)
			break;
		STEP("a referral from a forwarder, trying another", STEP_ARGS);
		infra_set_lame(&r->infra, t->zone, sa, now_ms(r));
		classified_free(&cl);
		t->state = TASK_QUERY_TARGETS;
		return;
	case ANSWER_LOOP:
		STEP("CNAME loop or chain longer than %u", STEP_ARGS, r->opt->max_cname);
		classified_free(&cl);
		stats.limit_hits++;
		task_fail(t, "CNAME loop or chain too long");
		return;
	default:
		break;
	}

	cache_classified(&r->cache, &cl, pkt, t->ask_type, t->qclass, now_s(r));
	t->verdict_unknown = true;
	/* CNAMEs of this answer join the chain, each checked against the whole chain. */
	for (size_t i = 0; i < ldns_rr_list_rr_count(cl.chain); i++) {
		const ldns_rr *link = ldns_rr_list_rr(cl.chain, i);
		ldns_rr_list *one = ldns_rr_list_new();

		if (one && ldns_rr_list_push_rr(one, (ldns_rr *)link))
			take_sigs(t, dnssec_sigs_of(pkt, one));
		ldns_rr_list_free(one);
		if (!follow_cname(t, ldns_rr_list_rr(cl.chain, i))) {
			STEP("CNAME loop or chain longer than %u", STEP_ARGS, r->opt->max_cname);
			classified_free(&cl);
			stats.limit_hits++;
			task_fail(t, "CNAME loop or chain too long");
			return;
		}
	}

	if (cl.kind == ANSWER_POSITIVE || cl.kind == ANSWER_NXDOMAIN || cl.kind == ANSWER_NODATA) {
		if (cl.rrset)
			take_sigs(t, dnssec_sigs_of(pkt, cl.rrset));
		ldns_rr_list_deep_free(t->proof);
		t->proof = dnssec_denial_of(pkt);
	}
	switch (cl.kind) {
	case ANSWER_POSITIVE:
		STEP("answer (%zu %s%s)", STEP_ARGS, ldns_rr_list_rr_count(cl.rrset), type_str(t->ask_type, rc),
		     ldns_rr_list_rr_count(cl.chain) ? ", after CNAME" : "");
		task_finish(t, LDNS_RCODE_NOERROR, cl.rrset, NULL);
		cl.rrset = NULL;
		break;
	case ANSWER_NXDOMAIN:
		STEP("NXDOMAIN (negative TTL %u)", STEP_ARGS, cl.neg_ttl);
		task_finish(t, LDNS_RCODE_NXDOMAIN, NULL, cl.soa);
		cl.soa = NULL;
		break;
	case ANSWER_NODATA:
		STEP("NODATA (negative TTL %u)", STEP_ARGS, cl.neg_ttl);
		task_finish(t, LDNS_RCODE_NOERROR, NULL, cl.soa);
		cl.soa = NULL;
		break;
	case ANSWER_CNAME:
		STEP("CNAME to %s", STEP_ARGS, name_str(cl.target, z));
		classified_free(&cl);
		t->state = TASK_INIT;
		return;
	case ANSWER_REFERRAL:
		/* A server that answers with a CNAME out of its zone refers on for the target. */
		if (ldns_rr_list_rr_count(cl.chain)) {
			char target[NAME_STRLEN];
			const ldns_rr *last = ldns_rr_list_rr(cl.chain, ldns_rr_list_rr_count(cl.chain) - 1);

			STEP("CNAME to %s, referral to %s (%zu NS, %zu glue)", STEP_ARGS,
			     name_str(ldns_rr_rdf(last, 0), target), name_str(cl.cut, z),
			     ldns_rr_list_rr_count(cl.ns), ldns_rr_list_rr_count(cl.glue));
		} else {
			STEP("referral to %s (%zu NS, %zu glue)", STEP_ARGS, name_str(cl.cut, z),
			     ldns_rr_list_rr_count(cl.ns), ldns_rr_list_rr_count(cl.glue));
		}
		stats.referrals++;
		if (++t->referrals > r->opt->max_referrals) {
			classified_free(&cl);
			stats.limit_hits++;
			task_fail(t, "too many referrals");
			return;
		}
		classified_free(&cl);
		t->state = TASK_INIT;
		return;
	default:
		task_fail(t, "unexpected answer");
		break;
	}
	classified_free(&cl);
#undef STEP
#undef STEP_ARGS
}

static void on_slow(void *arg)
{
	struct flight *f = arg;
	struct task *t = f->t;
	struct resolver *r = t->r;
	struct sockaddr *sa = (struct sockaddr *)&t->srv[f->srv].addr;
	struct sockaddr_storage addrs[MAX_SERVERS];
	bool skip[MAX_SERVERS];
	char who[NAME_STRLEN], a[SA_STRLEN], n[NAME_STRLEN], ty[16];
	int idx;

	f->slow = true;
	infra_timeout(&r->infra, sa, now_ms(r));
	t->srv[f->srv].timed_out = true;
	for (size_t i = 0; i < t->n_srv; i++) {
		addrs[i] = t->srv[i].addr;
		skip[i] = t->srv[i].tried;
	}
	idx = infra_select(&r->infra, addrs, skip, t->n_srv, now_ms(r));
	TRACE("asked %s (%s) for %s %s -> no answer yet%s", srv_label(t, f->srv, who), sa_str(sa, false, a),
	      name_str(f->sent_qname, n), type_str(f->sent_qtype, ty), idx >= 0 ? ", asking another server too" : "");
	if (idx >= 0) {
		send_query(t, idx);
		task_step(t);
	}
}

static void on_upstream(void *arg, int err, ldns_pkt *pkt, uint32_t rtt_ms)
{
	struct flight *f = arg;
	struct task *t = f->t;
	struct resolver *r = t->r;
	struct sockaddr *sa = (struct sockaddr *)&t->srv[f->srv].addr;

	f->uq = NULL;
	if (!err)
		histogram_observe(&upstream_rtt_hist, (uint64_t)rtt_ms * 1000);
	if (err == -EILSEQ) {
		char who[NAME_STRLEN], a[SA_STRLEN], n[NAME_STRLEN], ty[16];
		int idx = f->srv;

		TRACE("asked %s (%s) for %s %s -> case of the name not kept, asking again without 0x20",
		      srv_label(t, f->srv, who), sa_str(sa, false, a), name_str(f->sent_qname, n),
		      type_str(f->sent_qtype, ty));
		infra_set_no_0x20(&r->infra, sa, now_ms(r));
		t->use_tcp = f->tcp;
		land(f);
		send_query(t, idx);
		task_step(t);
		return;
	}
	if (err) {
		char who[NAME_STRLEN], a[SA_STRLEN], n[NAME_STRLEN], ty[16];

		if (err == -ETIMEDOUT) {
			if (!f->slow)
				infra_timeout(&r->infra, sa, now_ms(r));
			t->srv[f->srv].timed_out = true;
		} else if (!f->slow) {
			/* Refused, unreachable, reset: the address is as bad as a silent one. */
			t->srv[f->srv].timed_out = true;
			if (family_error(err))
				send_failed(t, sa, err);
			else
				infra_timeout(&r->infra, sa, now_ms(r));
		}
		TRACE("asked %s (%s) for %s %s -> %s after %u ms%s", srv_label(t, f->srv, who), sa_str(sa, false, a),
		      name_str(f->sent_qname, n), type_str(f->sent_qtype, ty),
		      err == -ETIMEDOUT ? "timeout" : uv_strerror(err), rtt_ms, f->tcp ? " (TCP)" : "");
		land(f);
		if (!in_the_air(t)) {
			t->state = TASK_QUERY_TARGETS;
			task_step(t);
		}
		return;
	}
	infra_rtt_sample(&r->infra, sa, rtt_ms, now_ms(r));
	/* An answer over a family set aside: it works again. */
	if (r->family_down_ms[family_index(sa)]) {
		r->family_down_ms[family_index(sa)] = 0;
		log_info("IPv%c upstream queries answered again", sa->sa_family == AF_INET6 ? '6' : '4');
	}
	/* The first answer wins; the other queries are called off. */
	t->cur = f->srv;
	t->sent_edns = f->edns;
	t->use_tcp = f->tcp;
	ldns_rdf_deep_free(t->sent_qname);
	t->sent_qname = f->sent_qname;
	f->sent_qname = NULL;
	land_all(t);
	ldns_pkt_free(t->pkt);
	t->pkt = pkt;
	t->state = TASK_QUERY_RESPONSE;
	task_step(t);
}

/* TASK_QUERY_RESPONSE */
static void step_query_response(struct task *t)
{
	handle_answer(t, t->pkt);
	ldns_pkt_free(t->pkt);
	t->pkt = NULL;
}

/* A sub-task finished: whatever it found is in the cache now. */
static void step_ns_chased(struct task *t)
{
	collect_servers(t);
	t->state = TASK_QUERY_TARGETS;
}

/* ---- DNSSEC: the chain of trust and the verdict on a result ---- */

/*
 * What is known of a name on the way down the chain of trust: a zone's
 * proven keys; for a name that is no zone cut, the keys of the zone it
 * lies in; or why there are none (insecure below a delegation without
 * DS, bogus, indeterminate).
 */
struct zone_keys {
	struct val_result verdict;
	struct val_keys keys;
};

/* Steps of one validation: fetches and proofs down the chain, all chains of the answer together. */
#define VAL_MAX_STEPS 64

static void zone_keys_free(void *p)
{
	struct zone_keys *zk = p;

	if (!zk)
		return;
	val_keys_free(&zk->keys);
	free(zk);
}

static struct val_result val_verdict(enum val_status status, enum val_ede ede, const char *why)
{
	struct val_result r = { .status = status, .ede = ede };

	snprintf(r.why, sizeof(r.why), "%s", why);
	return r;
}

static struct zone_keys *zone_keys_get(struct resolver *r, const ldns_rdf *name)
{
	uint8_t key[NAME_WIRE_MAX];
	size_t n = name_canonical(name, key);
	struct lru_entry *e = lru_get(&r->zone_keys, key, n, now_s(r));

	return e ? e->value : NULL;
}

/* Stores what is known of name for ttl seconds (a failure for VAL_BOGUS_TTL at most); takes keys. */
static void zone_keys_put(struct resolver *r, const ldns_rdf *name, const struct val_result *verdict,
			  struct val_keys *keys, uint32_t ttl)
{
	uint8_t key[NAME_WIRE_MAX];
	size_t n = name_canonical(name, key);
	struct zone_keys *zk = calloc(1, sizeof(*zk));

	if (!zk) {
		if (keys)
			val_keys_free(keys);
		return;
	}
	zk->verdict = *verdict;
	if (keys)
		zk->keys = *keys;
	if ((verdict->status == VAL_BOGUS || verdict->status == VAL_INDETERMINATE) && ttl > VAL_BOGUS_TTL)
		ttl = VAL_BOGUS_TTL;
	if (lru_put(&r->zone_keys, key, n, zk, now_s(r) + (ttl ? ttl : 1), now_s(r)))
		zone_keys_free(zk);
}

static bool val_keys_copy(struct val_keys *dst, const struct val_keys *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->zone = ldns_rdf_clone(src->zone);
	dst->dnskeys = ldns_rr_list_clone(src->dnskeys);
	memcpy(dst->algorithms, src->algorithms, sizeof(dst->algorithms));
	dst->n_algorithms = src->n_algorithms;
	if (!dst->zone || !dst->dnskeys) {
		val_keys_free(dst);
		return false;
	}
	return true;
}

/* A sub-task brings back what the parent's validation lacks; its result goes to the parent. */
static void hand_fetched(struct task *parent, struct task *child)
{
	struct fetched *f = &parent->fetched;

	fetched_clear(f);
	f->name = ldns_rdf_clone(child->qname_orig);
	f->type = child->qtype;
	f->rcode = child->rcode;
	f->rrs = child->final;
	f->sigs = child->sigs;
	f->proof = child->proof;
	child->final = NULL;
	child->sigs = NULL;
	child->proof = NULL;
}

static struct fetched *fetched_for(struct task *t, const ldns_rdf *name, ldns_rr_type type)
{
	struct fetched *f = &t->fetched;

	return f->name && f->type == type && name_equal(f->name, name) ? f : NULL;
}

/* Starts a sub-task for (name, type); false when none can be started. */
static bool fetch(struct task *t, const ldns_rdf *name, ldns_rr_type type)
{
	char n[NAME_STRLEN], ty[16];
	struct task *c;

	if (t->cache_only)
		return false;
	c = task_new(t->r, t, name, type, t->qclass);
	if (!c)
		return false;
	c->resume = TASK_VALIDATE;
	t->child = c;
	t->state = type == LDNS_RR_TYPE_DS ? TASK_FETCH_DS : TASK_FETCH_DNSKEY;
	TRACE("validate: fetching %s %s", name_str(name, n), type_str(type, ty));
	return true;
}

static uint32_t list_ttl(const ldns_rr_list *list, uint32_t otherwise)
{
	return ldns_rr_list_rr_count(list) ? rrset_min_ttl(list) : otherwise;
}

/* The trust anchors at or above name, and their zone (new), or NULL. */
static ldns_rr_list *anchors_above(struct resolver *r, const ldns_rdf *name, ldns_rdf **zone)
{
	ldns_rdf *at = ldns_rdf_clone(name);

	while (at) {
		ldns_rr_list *anchors = validator_anchors_for(&r->val, at);
		ldns_rdf *up;

		if (anchors) {
			*zone = at;
			return anchors;
		}
		up = ldns_dname_label_count(at) > 0 ? ldns_dname_left_chop(at) : NULL;
		ldns_rdf_deep_free(at);
		at = up;
	}
	return NULL;
}

/* Verifies a fetched DNSKEY set against what is trusted for it, and keeps the outcome. */
static void prove_dnskeys(struct task *t, const ldns_rdf *zone, const ldns_rr_list *trusted, struct fetched *f)
{
	struct resolver *r = t->r;
	struct val_keys keys;
	struct val_result res;
	char z[NAME_STRLEN];

	memset(&keys, 0, sizeof(keys));
	if (f->rcode == LDNS_RCODE_NOERROR)
		res = val_verify_dnskeys(&r->val, zone, trusted, f->rrs, f->sigs, &keys);
	else
		res = val_verdict(VAL_BOGUS, VAL_EDE_DNSKEY_MISSING, "DNSKEY set not found");
	TRACE("validate: %s DNSKEY: %s (%s)", name_str(zone, z), val_status_name(res.status), res.why);
	zone_keys_put(r, zone, &res, res.status == VAL_SECURE ? &keys : NULL,
		      val_validated_ttl(&r->val, list_ttl(f->rrs, VAL_BOGUS_TTL), f->sigs));
	fetched_clear(f);
}

/* A fetched DS set (or its absence) for child, below the zone whose keys are zk. */
static void prove_ds(struct task *t, const ldns_rdf *child, const struct zone_keys *zk, struct fetched *f)
{
	struct resolver *r = t->r;
	char n[NAME_STRLEN];
	struct val_result res;
	struct val_keys same;

	if (f->rcode == LDNS_RCODE_NOERROR && ldns_rr_list_rr_count(f->rrs) &&
	    ldns_rr_get_type(ldns_rr_list_rr(f->rrs, 0)) == LDNS_RR_TYPE_DS) {
		res = val_verify_rrset(&r->val, &zk->keys, f->rrs, f->sigs, NULL);
		TRACE("validate: %s DS: %s (%s)", name_str(child, n), val_status_name(res.status), res.why);
		if (res.status == VAL_SECURE) {
			ldns_rdf_deep_free(t->ds_name);
			ldns_rr_list_deep_free(t->ds);
			t->ds_name = ldns_rdf_clone(child);
			t->ds = f->rrs;
			f->rrs = NULL;
		} else {
			zone_keys_put(r, child, &res, NULL, VAL_BOGUS_TTL);
		}
		fetched_clear(f);
		return;
	}
	if (f->rcode != LDNS_RCODE_NOERROR) {
		res = val_verdict(VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS, "no DS set and no proof of its absence");
		TRACE("validate: %s DS: bogus (%s)", name_str(child, n), res.why);
		zone_keys_put(r, child, &res, NULL, VAL_BOGUS_TTL);
		fetched_clear(f);
		return;
	}
	/* No DS: an insecure delegation, or no zone cut at all (then the same keys hold below). */
	res = val_prove_no_ds(&r->val, &zk->keys, child, f->proof);
	if (res.status != VAL_INSECURE) {
		struct val_result nodata = val_prove_nodata(&r->val, &zk->keys, child, LDNS_RR_TYPE_DS, f->proof);

		if (nodata.status == VAL_SECURE) {
			TRACE("validate: %s: no zone cut, %s keys hold", name_str(child, n), val_status_name(nodata.status));
			if (val_keys_copy(&same, &zk->keys))
				zone_keys_put(r, child, &zk->verdict, &same, list_ttl(f->proof, VAL_BOGUS_TTL));
			fetched_clear(f);
			return;
		}
		if (nodata.status == VAL_INSECURE)
			res = nodata;
	}
	TRACE("validate: %s DS absent: %s (%s)", name_str(child, n), val_status_name(res.status), res.why);
	zone_keys_put(r, child, &res, NULL, list_ttl(f->proof, VAL_BOGUS_TTL));
	fetched_clear(f);
}

/*
 * The keys data signed by target is checked with, found by walking down
 * from the closest name already known (a trust anchor at worst), one
 * label at a time: a DS set and the DNSKEY set it proves for each zone
 * cut, a proof of no DS for an insecure delegation or for a name that is
 * no cut.  NULL when a sub-task was started (the state says so), or with
 * *fail set when the walk cannot go on.
 */
static const struct zone_keys *chain_to(struct task *t, const ldns_rdf *target, struct val_result *fail)
{
	struct resolver *r = t->r;

	while (t->val_steps < VAL_MAX_STEPS) {
		struct zone_keys *zk = NULL;
		ldns_rdf *at = ldns_rdf_clone(target), *next;
		struct fetched *f;

		while (at) {
			ldns_rdf *up;

			zk = zone_keys_get(r, at);
			if (zk || ldns_dname_label_count(at) == 0)
				break;
			up = ldns_dname_left_chop(at);
			ldns_rdf_deep_free(at);
			at = up;
		}
		if (!at) {
			*fail = val_verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "out of memory");
			return NULL;
		}
		if (!zk) {
			ldns_rdf *zone = NULL;
			ldns_rr_list *anchors = anchors_above(r, target, &zone);

			ldns_rdf_deep_free(at);
			if (!anchors) {
				*fail = val_verdict(VAL_INSECURE, VAL_EDE_NONE, "no trust anchor above it");
				return NULL;
			}
			t->val_steps++;
			f = fetched_for(t, zone, LDNS_RR_TYPE_DNSKEY);
			if (f)
				prove_dnskeys(t, zone, anchors, f);
			else if (!fetch(t, zone, LDNS_RR_TYPE_DNSKEY))
				*fail = val_verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "trust anchor's DNSKEY set not at hand");
			ldns_rr_list_deep_free(anchors);
			ldns_rdf_deep_free(zone);
			if (!f)
				return NULL;
			continue;
		}
		if (zk->verdict.status != VAL_SECURE || name_equal(at, target)) {
			ldns_rdf_deep_free(at);
			return zk;
		}
		/* Only the links proven or fetched count: walking what is known is free. */
		t->val_steps++;
		next = ldns_dname_clone_from(target, (uint16_t)(ldns_dname_label_count(target) -
								ldns_dname_label_count(at) - 1));
		ldns_rdf_deep_free(at);
		if (!next) {
			*fail = val_verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "out of memory");
			return NULL;
		}
		if (t->ds_name && name_equal(t->ds_name, next)) {
			f = fetched_for(t, next, LDNS_RR_TYPE_DNSKEY);
			if (f) {
				prove_dnskeys(t, next, t->ds, f);
				ldns_rdf_deep_free(t->ds_name);
				ldns_rr_list_deep_free(t->ds);
				t->ds_name = NULL;
				t->ds = NULL;
			} else if (!fetch(t, next, LDNS_RR_TYPE_DNSKEY)) {
				*fail = val_verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "DNSKEY set not at hand");
			}
		} else {
			f = fetched_for(t, next, LDNS_RR_TYPE_DS);
			if (f)
				prove_ds(t, next, zk, f);
			else if (!fetch(t, next, LDNS_RR_TYPE_DS))
				*fail = val_verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "DS set not at hand");
		}
		ldns_rdf_deep_free(next);
		if (!f)
			return NULL;
	}
	*fail = val_verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "chain of trust too long");
	return NULL;
}

/* Bogus first, then indeterminate, insecure, secure: a result is as good as its worst part. */
static int val_badness(int status)
{
	switch (status) {
	case VAL_SECURE:
		return 0;
	case VAL_INSECURE:
		return 1;
	case VAL_INDETERMINATE:
		return 2;
	default:
		return 3;
	}
}

static bool val_worse(int a, int b)
{
	return val_badness(a) > val_badness(b);
}

/* The RRSIGs of list over owner and type (pointers into list). */
static ldns_rr_list *sigs_over(const ldns_rr_list *list, const ldns_rdf *owner, ldns_rr_type type)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out && i < ldns_rr_list_rr_count(list); i++) {
		ldns_rr *rr = ldns_rr_list_rr(list, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && ldns_rr_rd_count(rr) > 0 &&
		    ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == type && name_equal(ldns_rr_owner(rr), owner))
			ldns_rr_list_push_rr(out, rr);
	}
	return out;
}

/* Sets the TTL of every record of owner/type in list (the RRSIGs over it too). */
static void set_rrset_ttl(ldns_rr_list *list, const ldns_rdf *owner, ldns_rr_type type, uint32_t ttl)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++) {
		ldns_rr *rr = ldns_rr_list_rr(list, i);
		ldns_rr_type ty = ldns_rr_get_type(rr);

		if (ty == LDNS_RR_TYPE_RRSIG && ldns_rr_rd_count(rr) > 0)
			ty = ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr));
		if (ty == type && name_equal(ldns_rr_owner(rr), owner))
			ldns_rr_set_ttl(rr, ttl);
	}
}

/*
 * One RRset of the answer against the keys of its signer (its owner's
 * zone when unsigned).  False when a sub-task was started.
 */
static bool validate_rrset(struct task *t, const ldns_rr_list *set, struct val_result *res)
{
	struct resolver *r = t->r;
	const ldns_rr *first = ldns_rr_list_rr(set, 0);
	const ldns_rdf *owner = ldns_rr_owner(first);
	ldns_rr_type type = ldns_rr_get_type(first);
	ldns_rr_list *sigs = sigs_over(t->sigs, owner, type);
	const ldns_rdf *signer = ldns_rr_list_rr_count(sigs) ? ldns_rr_rrsig_signame(ldns_rr_list_rr(sigs, 0)) : NULL;
	const struct zone_keys *zk;
	ldns_rdf *next_closer = NULL;

	/* Unsigned: the walk goes down to the owner, to find the delegation without DS above it, if any. */
	if (!signer || !name_under(owner, signer)) {
		if (signer) {
			*res = val_verdict(VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS, "signer not above the owner");
			ldns_rr_list_free(sigs);
			return true;
		}
		signer = owner;
	}
	zk = chain_to(t, signer, res);
	if (!zk) {
		ldns_rr_list_free(sigs);
		return t->state == TASK_VALIDATE;
	}
	if (zk->verdict.status != VAL_SECURE) {
		*res = zk->verdict;
		ldns_rr_list_free(sigs);
		return true;
	}
	*res = val_verify_rrset(&r->val, &zk->keys, set, sigs, &next_closer);
	if (res->status == VAL_SECURE && next_closer)
		*res = val_prove_wildcard(&r->val, &zk->keys, owner, next_closer, t->proof);
	ldns_rdf_deep_free(next_closer);
	if (res->status == VAL_SECURE) {
		uint32_t ttl = val_validated_ttl(&r->val, rrset_min_ttl(set), sigs);

		set_rrset_ttl(t->chain, owner, type, ttl);
		set_rrset_ttl(t->final, owner, type, ttl);
		set_rrset_ttl(t->sigs, owner, type, ttl);
	}
	ldns_rr_list_free(sigs);
	return true;
}

/* A negative answer's proof, checked with the keys of the zone its SOA comes from. */
static bool validate_negative(struct task *t, struct val_result *res)
{
	struct resolver *r = t->r;
	ldns_rr_list *soa_sigs = t->soa ? sigs_over(t->proof, ldns_rr_owner(t->soa), LDNS_RR_TYPE_SOA) : NULL;
	const ldns_rdf *zone = ldns_rr_list_rr_count(soa_sigs)
				       ? ldns_rr_rrsig_signame(ldns_rr_list_rr(soa_sigs, 0))
				       : t->soa ? ldns_rr_owner(t->soa) : t->qname;
	const struct zone_keys *zk = chain_to(t, zone, res);

	if (!zk) {
		ldns_rr_list_free(soa_sigs);
		return t->state == TASK_VALIDATE;
	}
	if (zk->verdict.status != VAL_SECURE) {
		*res = zk->verdict;
	} else if (t->soa && !ldns_rr_list_rr_count(soa_sigs)) {
		*res = val_verdict(VAL_BOGUS, VAL_EDE_RRSIGS_MISSING, "SOA of the negative answer without RRSIG");
	} else if (t->rcode == LDNS_RCODE_NXDOMAIN) {
		*res = val_prove_nxdomain(&r->val, &zk->keys, t->qname, t->proof);
	} else {
		*res = val_prove_nodata(&r->val, &zk->keys, t->qname, t->qtype, t->proof);
	}
	ldns_rr_list_free(soa_sigs);
	return true;
}

static void val_note(struct resolver *r, enum val_status status)
{
	val_count(&r->val, status);
	switch (status) {
	case VAL_SECURE:
		stats.val_secure++;
		break;
	case VAL_INSECURE:
		stats.val_insecure++;
		break;
	case VAL_BOGUS:
		stats.val_bogus++;
		break;
	default:
		stats.val_indeterminate++;
		break;
	}
}

static void validation_done(struct task *t, const struct val_result *res, const char *from)
{
	char n[NAME_STRLEN], ty[16];

	if (t->from_cachedb && res->status == VAL_BOGUS) {
		val_note(t->r, res->status);
		fetched_clear(&t->fetched);
		cachedb_forget(t);
		return;
	}
	t->verdict = *res;
	t->validated = true;
	val_note(t->r, res->status);
	if (res->status == VAL_BOGUS)
		TRACE("validate %s %s: bogus%s, EDE %d (%s)", name_str(t->qname_orig, n), type_str(t->qtype, ty), from,
		      res->ede, res->why);
	else
		TRACE("validate %s %s: %s%s", name_str(t->qname_orig, n), type_str(t->qtype, ty),
		      val_status_name(res->status), from);
	fetched_clear(&t->fetched);
	t->state = TASK_FINISHED;
}

/* The verdict stays with the cached data, so that it is not checked again on every question. */
static void keep_verdict(struct task *t, const ldns_rdf *owner, ldns_rr_type type, const struct val_result *res,
			 uint32_t ttl)
{
	struct cache_verdict v = { .status = res->status, .ede = res->ede };

	/* Data read from Redis is not in the cache: a verdict on it must not land on what is. */
	if (t->from_cachedb)
		return;
	if (res->status == VAL_BOGUS && ttl > VAL_BOGUS_TTL)
		ttl = VAL_BOGUS_TTL;
	cache_set_verdict(&t->r->cache, owner, type, t->qclass, v, ttl, now_s(t->r));
}

/*
 * TASK_VALIDATE: every RRset of the answer (CNAMEs, the final RRset) or
 * the negative answer's proof is checked along its chain of trust; the
 * worst verdict is the answer's.  When a DS or DNSKEY set is missing, a
 * sub-task fetches it and this step runs again, finding the links
 * already proven in the zone keys kept.
 */
static void step_validate(struct task *t)
{
	struct val_result worst = val_verdict(VAL_SECURE, VAL_EDE_NONE, "");
	ldns_rr_list *work;
	bool after_dname = false;

	if (!t->verdict_unknown && t->verdict_cached != VERDICT_NONE) {
		struct val_result cached = val_verdict((enum val_status)t->verdict_cached, VAL_EDE_NONE, "");

		cached.ede = t->verdict_cached_ede;
		validation_done(t, &cached, " (verdict cached)");
		return;
	}
	work = ldns_rr_list_clone(t->chain);
	for (size_t i = 0; work && t->final && i < ldns_rr_list_rr_count(t->final); i++)
		ldns_rr_list_push_rr(work, ldns_rr_clone(ldns_rr_list_rr(t->final, i)));
	while (work && ldns_rr_list_rr_count(work) > 0) {
		const ldns_rr *first = ldns_rr_list_rr(work, 0);
		ldns_rr_list *set = rrset_take(work, ldns_rr_owner(first), ldns_rr_get_type(first),
					       ldns_rr_get_class(first));
		struct val_result res;

		if (!set)
			break;
		/* The CNAME a DNAME implies is made here, not signed: the DNAME's verdict covers it. */
		if (after_dname && ldns_rr_get_type(ldns_rr_list_rr(set, 0)) == LDNS_RR_TYPE_CNAME) {
			after_dname = false;
			ldns_rr_list_deep_free(set);
			continue;
		}
		after_dname = ldns_rr_get_type(ldns_rr_list_rr(set, 0)) == LDNS_RR_TYPE_DNAME;
		if (!validate_rrset(t, set, &res)) {
			ldns_rr_list_deep_free(set);
			ldns_rr_list_deep_free(work);
			return;
		}
		keep_verdict(t, ldns_rr_owner(ldns_rr_list_rr(set, 0)), ldns_rr_get_type(ldns_rr_list_rr(set, 0)), &res,
			     rrset_min_ttl(set));
		if (val_worse(res.status, worst.status))
			worst = res;
		ldns_rr_list_deep_free(set);
	}
	ldns_rr_list_deep_free(work);
	if (!t->final) {
		struct val_result res;

		if (!validate_negative(t, &res))
			return;
		keep_verdict(t, t->qname, t->rcode == LDNS_RCODE_NXDOMAIN ? 0 : t->qtype, &res,
			     t->soa ? ldns_rr_ttl(t->soa) : VAL_BOGUS_TTL);
		if (val_worse(res.status, worst.status))
			worst = res;
	}
	validation_done(t, &worst, "");
}

/*
 * RFC 8198: a name that validated NSEC records prove absent is answered
 * from them, with the zone's SOA, and no query.
 */
static bool answer_from_nsec_store(struct task *t)
{
	struct resolver *r = t->r;
	ldns_pkt_rcode rcode;
	ldns_rr_list *proof = NULL, *soa = NULL, *soa_sigs = NULL;
	const ldns_rdf *zone = NULL;
	char n[NAME_STRLEN], ty[16];
	struct val_result res;

	if (!r->validating || !r->opt->aggressive_nsec || !t->is_client)
		return false;
	res = val_nsec_store_lookup(&r->val, t->qname, t->qtype, &rcode, &proof);
	if (res.status != VAL_SECURE) {
		ldns_rr_list_deep_free(proof);
		return false;
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(proof); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(proof, i)) == LDNS_RR_TYPE_RRSIG)
			zone = ldns_rr_rrsig_signame(ldns_rr_list_rr(proof, i));
	if (zone)
		soa = cache_get_signed(&r->cache, zone, LDNS_RR_TYPE_SOA, t->qclass, RANK_NONAUTH, now_s(r), &soa_sigs,
				       NULL);
	if (!soa || !ldns_rr_list_rr_count(soa)) {
		ldns_rr_list_deep_free(proof);
		ldns_rr_list_deep_free(soa);
		ldns_rr_list_deep_free(soa_sigs);
		return false;
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(soa_sigs); i++)
		ldns_rr_list_push_rr(proof, ldns_rr_clone(ldns_rr_list_rr(soa_sigs, i)));
	ldns_rr_list_deep_free(soa_sigs);
	ldns_rr_list_deep_free(t->proof);
	t->proof = proof;
	TRACE("aggressive NSEC: %s %s -> %s from validated NSEC records, no query", name_str(t->qname, n),
	      type_str(t->qtype, ty), rcode == LDNS_RCODE_NXDOMAIN ? "NXDOMAIN" : "NODATA");
	stats.val_aggressive++;
	t->validated = true;
	t->verdict = res;
	val_note(r, VAL_SECURE);
	task_finish(t, rcode, NULL, ldns_rr_list_pop_rr(soa));
	ldns_rr_list_deep_free(soa);
	return true;
}

/*
 * The driver: runs the steps of t, moving down into a sub-task it starts
 * and back up when that one finishes, until the tasks wait for the
 * network.  Steps only set the next state; a task is freed here alone,
 * after its result went out, so no step ever finds its task gone.
 */
static void task_step(struct task *t)
{
	for (;;) {
		struct task *parent;

		switch (t->state) {
		case TASK_INIT:
			step_init(t);
			break;
		case TASK_QUERY_TARGETS:
			step_query_targets(t);
			break;
		case TASK_QUERY_RESPONSE:
			step_query_response(t);
			break;
		case TASK_CHASE_NS:
		case TASK_FETCH_DS:
		case TASK_FETCH_DNSKEY:
			t = t->child;
			break;
		case TASK_NS_CHASED:
			step_ns_chased(t);
			break;
		case TASK_VALIDATE:
			step_validate(t);
			break;
		case TASK_WAIT_REPLY:
		case TASK_CACHEDB:
		case TASK_NONE:
			return;
		case TASK_FINISHED:
			parent = t->parent;
			task_deliver(t);
			if (parent) {
				parent->child = NULL;
				parent->state = t->resume;
				if (t->resume == TASK_VALIDATE)
					hand_fetched(parent, t);
			}
			task_free(t);
			if (!parent)
				return;
			t = parent;
			break;
		}
	}
}

static const struct task *task_at_depth(const struct resolution *w, unsigned depth)
{
	const struct task *t = w ? w->task : NULL;

	while (t && depth--)
		t = t->child;
	return t;
}

enum task_state resolution_state(const struct resolution *w, unsigned depth)
{
	const struct task *t = task_at_depth(w, depth);

	return t ? t->state : TASK_NONE;
}

const char *task_state_name(enum task_state s)
{
	switch (s) {
	case TASK_INIT:
		return "INIT";
	case TASK_CACHEDB:
		return "CACHEDB";
	case TASK_QUERY_TARGETS:
		return "QUERY_TARGETS";
	case TASK_WAIT_REPLY:
		return "WAIT_REPLY";
	case TASK_QUERY_RESPONSE:
		return "QUERY_RESPONSE";
	case TASK_CHASE_NS:
		return "CHASE_NS";
	case TASK_NS_CHASED:
		return "NS_CHASED";
	case TASK_VALIDATE:
		return "VALIDATE";
	case TASK_FETCH_DS:
		return "FETCH_DS";
	case TASK_FETCH_DNSKEY:
		return "FETCH_DNSKEY";
	case TASK_FINISHED:
		return "FINISHED";
	case TASK_NONE:
		break;
	}
	return "NONE";
}

int resolver_each_request(struct resolver *r, int (*fn)(void *arg, const struct request_info *ri), void *arg)
{
	for (const struct task *t = r->tasks; t; t = t->next) {
		const struct task *d = t;
		struct request_info ri;
		int err;

		memset(&ri, 0, sizeof(ri));
		while (d->child) {
			d = d->child;
			ri.depth++;
		}
		ri.qname = t->qname_orig ? t->qname_orig : t->qname;
		ri.qtype = t->qtype;
		ri.age_ms = now_ms(r) - t->budget->started_ms;
		ri.waiters = t->n_waiters;
		ri.queries = t->budget->queries;
		ri.state = task_state_name(d->state);
		ri.asking = d->qname;
		ri.zone = d->zone;
		ri.server = d->cur >= 0 && (size_t)d->cur < d->n_srv ? (const struct sockaddr *)&d->srv[d->cur].addr : NULL;
		ri.forwarding = d->forwarding;
		err = fn(arg, &ri);
		if (err)
			return err;
	}
	return 0;
}
