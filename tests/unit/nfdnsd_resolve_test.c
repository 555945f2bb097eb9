// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsd: the resolution state machine (resolve.c) against a scripted
 * upstream.  upstream_send() is replaced: each query is recorded, and the
 * test answers it (or fails it) by hand, one step at a time, then checks
 * where the next query goes.  No sockets, no timers, no clock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"
#include "stats.h"
#include "upstream.h"

#include "tap.h"

/* ---- the scripted upstream ---- */

struct upstream_query {
	struct upstream_request req;
	ldns_rdf *qname;
	upstream_cb cb;
	void *arg;
	bool live;
};

#define MAX_SENT 256
static struct upstream_query *sent[MAX_SENT];
static int n_sent;

int upstream_send(uv_loop_t *loop, const struct upstream_request *req, upstream_cb cb, void *arg,
		  struct upstream_query **out)
{
	struct upstream_query *q = calloc(1, sizeof(*q));

	(void)loop;
	if (!q || n_sent == MAX_SENT)
		abort();
	q->req = *req;
	q->qname = ldns_rdf_clone(req->qname);
	q->req.qname = q->qname;
	q->cb = cb;
	q->arg = arg;
	q->live = true;
	sent[n_sent++] = q;
	*out = q;
	return 0;
}

void upstream_cancel(struct upstream_query *q)
{
	if (q)
		q->live = false;
}

unsigned upstream_sockets_open(void)
{
	unsigned n = 0;

	for (int i = 0; i < n_sent; i++)
		n += sent[i]->live;
	return n;
}

/* The latest query still waiting, or NULL. */
static struct upstream_query *pending(void)
{
	for (int i = n_sent - 1; i >= 0; i--)
		if (sent[i]->live)
			return sent[i];
	return NULL;
}

static const char *server_of(const struct upstream_query *q, char buf[64])
{
	const struct sockaddr *sa = (const struct sockaddr *)&q->req.server;

	if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, 64);
	else
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, 64);
	return buf;
}

static ldns_rr_list *rrs(const char *first, ...)
{
	ldns_rr_list *l = ldns_rr_list_new();
	va_list ap;

	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *)) {
		ldns_rr *r = NULL;

		if (ldns_rr_new_frm_str(&r, s, 3600, NULL, NULL) != LDNS_STATUS_OK)
			abort();
		ldns_rr_list_push_rr(l, r);
	}
	va_end(ap);
	return l;
}

/* Answers q: rcode, AA, and the three sections (each may be NULL). */
static void answer(struct upstream_query *q, int rcode, bool aa, ldns_rr_list *an, ldns_rr_list *ns,
		   ldns_rr_list *ar)
{
	ldns_pkt *p;

	/* Nothing asked where a query was expected: the checks that follow fail. */
	if (!q) {
		ldns_rr_list_deep_free(an);
		ldns_rr_list_deep_free(ns);
		ldns_rr_list_deep_free(ar);
		return;
	}
	p = ldns_pkt_query_new(ldns_rdf_clone(q->qname), q->req.qtype, q->req.qclass, 0);

	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, aa);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	if (an)
		ldns_pkt_push_rr_list(p, LDNS_SECTION_ANSWER, an);
	if (ns)
		ldns_pkt_push_rr_list(p, LDNS_SECTION_AUTHORITY, ns);
	if (ar)
		ldns_pkt_push_rr_list(p, LDNS_SECTION_ADDITIONAL, ar);
	ldns_rr_list_free(an);
	ldns_rr_list_free(ns);
	ldns_rr_list_free(ar);
	q->live = false;
	q->cb(q->arg, 0, p, 5);
}

static void fail(struct upstream_query *q, int err)
{
	if (!q)
		return;
	q->live = false;
	q->cb(q->arg, err, NULL, 0);
}

static void forget_sent(void)
{
	for (int i = 0; i < n_sent; i++) {
		ldns_rdf_deep_free(sent[i]->qname);
		free(sent[i]);
	}
	n_sent = 0;
}

/* ---- the resolver under test ---- */

struct result {
	bool done;
	int rcode;
	bool secure, bogus;
	int ede;
	size_t n_rrsig;			/* RRSIGs in the answer section */
	uint32_t data_ttl;		/* the smallest TTL of the answer's other records */
	size_t n_answer;
	char first[256];
	uint32_t queries;
};

static void on_result(void *arg, const struct resolve_result *res)
{
	struct result *r = arg;

	r->done = true;
	r->rcode = res->rcode;
	r->secure = res->secure;
	r->bogus = res->bogus;
	r->ede = res->ede;
	r->n_rrsig = 0;
	r->data_ttl = UINT32_MAX;
	for (size_t i = 0; i < ldns_rr_list_rr_count(res->answer); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(res->answer, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG)
			r->n_rrsig++;
		else if (ldns_rr_ttl(rr) < r->data_ttl)
			r->data_ttl = ldns_rr_ttl(rr);
	}
	r->n_answer = ldns_rr_list_rr_count(res->answer);
	r->queries = res->queries;
	r->first[0] = 0;
	if (r->n_answer) {
		char *s = ldns_rr2str(ldns_rr_list_rr(res->answer, r->n_answer - 1));

		snprintf(r->first, sizeof(r->first), "%s", s);
		free(s);
	}
}

static uv_loop_t loop;
static struct options opt;
static struct resolver res;

static void start(const char *hints_text)
{
	char path[] = "/tmp/nfdnsd-hints-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs(hints_text, f);
	fclose(f);
	options_defaults(&opt);
	opt.dnq_localhost = false;
	/* The walks script the full question at every level; minimisation has tests of its own. */
	opt.qname_minimisation = false;
	/* An unsigned hierarchy: validation has tests of its own. */
	opt.dnssec_validation = false;
	if (resolver_init(&res, &loop, &opt) || resolver_load_hints(&res, path))
		abort();
	unlink(path);
}

static void stop(void)
{
	resolver_destroy(&res);
	forget_sent();
	options_free(&opt);
}

static int ask(const char *name, ldns_rr_type type, struct result *out)
{
	ldns_rdf *q = ldns_dname_new_frm_str(name);
	int err;

	memset(out, 0, sizeof(*out));
	err = resolve_start(&res, q, type, LDNS_RR_CLASS_IN, on_result, out, NULL);
	ldns_rdf_deep_free(q);
	return err;
}

static int ask_handle(const char *name, ldns_rr_type type, struct result *out, struct resolution **handle)
{
	ldns_rdf *q = ldns_dname_new_frm_str(name);
	int err;

	memset(out, 0, sizeof(*out));
	err = resolve_start(&res, q, type, LDNS_RR_CLASS_IN, on_result, out, handle);
	ldns_rdf_deep_free(q);
	return err;
}

static bool states_are(struct resolution *w, enum task_state d0, enum task_state d1, enum task_state d2)
{
	return resolution_state(w, 0) == d0 && resolution_state(w, 1) == d1 && resolution_state(w, 2) == d2;
}

static const char hints[] = ".\t3600000\tNS\ta.root.test.\n"
			    "a.root.test.\t3600000\tA\t198.51.100.1\n";

/* Root, then com., then example.com.: three queries, each to the server of the level. */
static void test_walk(void)
{
	struct upstream_query *q;
	struct result r;
	char a[64];

	start(hints);
	ok(ask("www.example.com.", LDNS_RR_TYPE_A, &r) == 0 && !r.done, "walk: a question starts");
	q = pending();
	ok(q && strcmp(server_of(q, a), "198.51.100.1") == 0 && q->req.qtype == LDNS_RR_TYPE_A && !q->req.tcp,
	   "walk: the root asked first, over UDP");
	answer(q, 0, false, NULL, rrs("com. 172800 IN NS a.nic.com.", NULL),
	       rrs("a.nic.com. 172800 IN A 198.51.100.2", NULL));
	q = pending();
	ok(q && strcmp(server_of(q, a), "198.51.100.2") == 0, "walk: then com.'s server, from the glue");
	answer(q, 0, false, NULL, rrs("example.com. 172800 IN NS ns1.example.com.", NULL),
	       rrs("ns1.example.com. 172800 IN A 198.51.100.3", "ns1.example.com. 172800 IN AAAA 2001:db8::3", NULL));
	q = pending();
	ok(q && (strcmp(server_of(q, a), "198.51.100.3") == 0 || strcmp(a, "2001:db8::3") == 0),
	   "walk: then example.com.'s server (%s)", q ? a : "none");
	/* Whichever family went first: this one has no route. */
	if (q && strcmp(a, "2001:db8::3") == 0) {
		fail(q, UV_ENETUNREACH);
		q = pending();
	}
	ok(q && strcmp(server_of(q, a), "198.51.100.3") == 0, "walk: the IPv4 address answers");
	answer(q, 0, true, rrs("www.example.com. 300 IN A 192.0.2.44", NULL), NULL, NULL);
	ok(r.done && r.rcode == 0 && r.n_answer == 1 && strstr(r.first, "192.0.2.44") && r.queries == 3,
	   "walk: NOERROR, the address, 3 upstream queries counted (%u)", r.queries);
	stop();
}

/* A family with no route: tried once, then set aside. */
static void test_family(void)
{
	struct upstream_query *q;
	struct result r;
	char a[64];
	int v6 = 0;

	start(".\t3600000\tNS\ta.root.test.\n"
	      "a.root.test.\t3600000\tAAAA\t2001:db8::1\n"
	      "a.root.test.\t3600000\tA\t198.51.100.1\n");
	for (int i = 0; i < 4; i++) {
		char name[64];

		snprintf(name, sizeof(name), "n%d.test.", i);
		ask(name, LDNS_RR_TYPE_A, &r);
		while ((q = pending())) {
			if (strcmp(server_of(q, a), "2001:db8::1") == 0) {
				v6++;
				fail(q, UV_ENETUNREACH);
			} else {
				answer(q, 3, true, NULL,
				       rrs(". 86400 IN SOA a.root.test. h.root.test. 1 2 3 4 300", NULL), NULL);
			}
		}
		ok(r.done && r.rcode == 3, "family: n%d.test. NXDOMAIN", i);
		ok(r.queries == 1, "family: n%d.test. cost one query, the unreachable send not counted (%u)", i,
		   r.queries);
	}
	ok(v6 == 1, "family: the unreachable IPv6 address tried once in four questions (%d)", v6);
	stop();
}

/* 0x20: a server that loses the case is asked again, without it. */
static void test_0x20(void)
{
	struct upstream_query *q;
	struct result r;

	start(hints);
	opt.use_0x20 = true;
	ask("www.test.", LDNS_RR_TYPE_A, &r);
	q = pending();
	ok(q && q->req.exact_case, "0x20: the first query wants its case back");
	fail(q, -EILSEQ);
	q = pending();
	ok(q && !q->req.exact_case && n_sent == 2, "0x20: asked again of the same server without 0x20");
	answer(q, 0, true, rrs("www.test. 300 IN A 192.0.2.1", NULL), NULL, NULL);
	ok(r.done && r.rcode == 0 && r.n_answer == 1, "0x20: answered");
	stop();
}

/* Lame answers everywhere: SERVFAIL, not NODATA. */
static void test_lame(void)
{
	struct upstream_query *q;
	struct result r;
	int asked = 0;

	start(hints);
	ask("www.lame.test.", LDNS_RR_TYPE_AAAA, &r);
	q = pending();
	answer(q, 0, false, NULL, rrs("lame.test. 3600 IN NS ns1.lame.test.", "lame.test. 3600 IN NS ns2.lame.test.", NULL),
	       rrs("ns1.lame.test. 3600 IN A 198.51.100.11", "ns2.lame.test. 3600 IN A 198.51.100.12", NULL));
	while ((q = pending()) && asked < 10) {
		asked++;
		answer(q, 0, true, NULL, rrs("test. 3600 IN NS a.root.test.", NULL), NULL);
	}
	ok(asked == 2, "lame: each of the two servers asked once (%d)", asked);
	ok(r.done && r.rcode == LDNS_RCODE_SERVFAIL, "lame: SERVFAIL when none is left, not NODATA");
	stop();
}

/* The child's address for its server is dead; the parent's glue is not. */
static void test_parent_glue(void)
{
	struct upstream_query *q;
	struct result r;
	char a[64];

	start(hints);
	ask("ns1.child.test.", LDNS_RR_TYPE_A, &r);
	q = pending();
	answer(q, 0, false, NULL, rrs("child.test. 3600 IN NS ns1.child.test.", NULL),
	       rrs("ns1.child.test. 3600 IN A 198.51.100.21", NULL));
	q = pending();
	answer(q, 0, true, rrs("ns1.child.test. 3600 IN A 198.51.100.99", NULL), NULL, NULL);
	ok(r.done && strstr(r.first, "198.51.100.99"), "parent glue: the child says its server is at .99");
	ask("www.child.test.", LDNS_RR_TYPE_A, &r);
	q = pending();
	ok(q && strcmp(server_of(q, a), "198.51.100.99") == 0, "parent glue: the child's own address tried first");
	fail(q, -ETIMEDOUT);
	q = pending();
	ok(q && strcmp(server_of(q, a), "198.51.100.21") == 0, "parent glue: then the parent's glue (%s)", q ? a : "none");
	if (q)
		answer(q, 0, true, rrs("www.child.test. 300 IN A 192.0.2.7", NULL), NULL, NULL);
	ok(r.done && r.rcode == 0 && strstr(r.first, "192.0.2.7"), "parent glue: answered");
	stop();
}

/* DS goes to the parent, not to the child it is about. */
static void test_ds(void)
{
	struct upstream_query *q;
	struct result r;
	char a[64];

	start(hints);
	ask("www.example.test.", LDNS_RR_TYPE_A, &r);
	q = pending();
	answer(q, 0, false, NULL, rrs("example.test. 3600 IN NS ns.example.test.", NULL),
	       rrs("ns.example.test. 3600 IN A 198.51.100.31", NULL));
	answer(pending(), 0, true, rrs("www.example.test. 300 IN A 192.0.2.8", NULL), NULL, NULL);
	ask("example.test.", LDNS_RR_TYPE_DS, &r);
	q = pending();
	ok(q && strcmp(server_of(q, a), "198.51.100.1") == 0, "DS: asked of the parent's server (%s), not the child's",
	   q ? a : "none");
	stop();
}

/* A server that said SERVFAIL is left alone for the next question. */
static void test_servfail(void)
{
	struct upstream_query *q;
	struct result r;
	char a[64], first[64];

	start(hints);
	ask("a.sf.test.", LDNS_RR_TYPE_A, &r);
	answer(pending(), 0, false, NULL, rrs("sf.test. 3600 IN NS ns1.sf.test.", "sf.test. 3600 IN NS ns2.sf.test.", NULL),
	       rrs("ns1.sf.test. 3600 IN A 198.51.100.41", "ns2.sf.test. 3600 IN A 198.51.100.42", NULL));
	q = pending();
	snprintf(first, sizeof(first), "%s", q ? server_of(q, a) : "");
	answer(q, LDNS_RCODE_SERVFAIL, false, NULL, NULL, NULL);
	q = pending();
	ok(q && strcmp(server_of(q, a), first) != 0, "SERVFAIL: the other server asked (%s after %s)", q ? a : "none",
	   first);
	answer(q, 0, true, rrs("a.sf.test. 300 IN A 192.0.2.10", NULL), NULL, NULL);
	ok(r.done && r.rcode == 0, "SERVFAIL: answered by the other");
	ask("b.sf.test.", LDNS_RR_TYPE_A, &r);
	q = pending();
	ok(q && strcmp(server_of(q, a), first) != 0, "SERVFAIL: remembered, the next question avoids %s", first);
	answer(q, 0, true, rrs("b.sf.test. 300 IN A 192.0.2.11", NULL), NULL, NULL);
	stop();
}

/* TC: the same server again over TCP, given time for a handshake and the query. */
static void test_tcp(void)
{
	struct upstream_query *q, *t;
	struct result r;

	start(hints);
	ask("big.test.", LDNS_RR_TYPE_A, &r);
	q = pending();
	if (q) {
		ldns_pkt *p = ldns_pkt_query_new(ldns_rdf_clone(q->qname), q->req.qtype, q->req.qclass, 0);

		ldns_pkt_set_qr(p, true);
		ldns_pkt_set_aa(p, true);
		ldns_pkt_set_tc(p, true);
		q->live = false;
		q->cb(q->arg, 0, p, 5);
	}
	t = pending();
	/* Over UDP a query waits two RTOs (one, then another server is asked too). */
	uint32_t rto = t ? infra_rto(&res.infra, (struct sockaddr *)&t->req.server, uv_now(&loop)) : 0;

	ok(q && t && t->req.tcp && t->req.timeout_ms >= 4 * rto,
	   "TCP after TC: %u ms, two round trips' worth (RTO %u ms)", t ? t->req.timeout_ms : 0, rto);
	answer(t, 0, true, rrs("big.test. 300 IN A 192.0.2.9", NULL), NULL, NULL);
	ok(r.done && r.rcode == 0 && r.n_answer == 1, "TCP after TC: answered");
	stop();
}

/* A referral to a zone whose only NS name has no glue: the root is asked for it. */
static void refer_without_glue(const char *zone, const char *ns)
{
	char a[256];

	snprintf(a, sizeof(a), "%s 3600 IN NS %s", zone, ns);
	answer(pending(), 0, false, NULL, rrs(a, NULL), NULL);
}

/*
 * The parent waits in CHASE_NS while a sub-task finds its NS name's
 * address; the sub-task's end wakes the parent, which asks the address found.
 */
static void test_chase_wakes_parent(void)
{
	struct resolution *w = NULL;
	struct upstream_query *q;
	struct result r;
	char a[64];

	start(hints);
	ask_handle("www.nog.test.", LDNS_RR_TYPE_A, &r, &w);
	ok(w && states_are(w, TASK_WAIT_REPLY, TASK_NONE, TASK_NONE), "chase: the client task waits for the root");
	refer_without_glue("nog.test.", "ns.other.test.");
	q = pending();
	ok(states_are(w, TASK_CHASE_NS, TASK_WAIT_REPLY, TASK_NONE),
	   "chase: the parent waits in CHASE_NS, its sub-task for the NS name in WAIT_REPLY (%s, %s)",
	   task_state_name(resolution_state(w, 0)), task_state_name(resolution_state(w, 1)));
	ok(q && strcmp(server_of(q, a), "198.51.100.1") == 0 && q->req.qtype == LDNS_RR_TYPE_A,
	   "chase: the sub-task asks the root for the NS name's A");
	answer(q, 0, true, rrs("ns.other.test. 3600 IN A 198.51.100.52", NULL), NULL, NULL);
	q = pending();
	ok(states_are(w, TASK_WAIT_REPLY, TASK_NONE, TASK_NONE) && !r.done,
	   "chase: the sub-task gone, the parent runs again and waits for the server found");
	ok(q && strcmp(server_of(q, a), "198.51.100.52") == 0, "chase: the parent asks the address found (%s)",
	   q ? a : "none");
	answer(q, 0, true, rrs("www.nog.test. 300 IN A 192.0.2.52", NULL), NULL, NULL);
	ok(r.done && r.rcode == 0 && strstr(r.first, "192.0.2.52") && r.queries == 3 && !w,
	   "chase: answered, 3 queries counted over both tasks (%u), handle reset", r.queries);
	stop();
}

/* Two levels of sub-tasks, then the innermost one fails: each level goes on by itself. */
static void test_chase_nested_fail(void)
{
	struct resolution *w = NULL;
	struct result r;

	start(hints);
	ask_handle("www.a.test.", LDNS_RR_TYPE_A, &r, &w);
	refer_without_glue("a.test.", "ns.b.test.");
	refer_without_glue("b.test.", "ns.c.test.");
	ok(states_are(w, TASK_CHASE_NS, TASK_CHASE_NS, TASK_WAIT_REPLY), "nested: CHASE_NS, CHASE_NS, WAIT_REPLY");
	/* ns.c.test. does not exist: the innermost task ends, its parent has no server left. */
	for (int i = 0; i < 16 && !r.done && pending(); i++)
		answer(pending(), 3, true, NULL, rrs("test. 3600 IN SOA a.root.test. h.root.test. 1 2 3 4 300", NULL),
		       NULL);
	ok(r.done && r.rcode == LDNS_RCODE_SERVFAIL && !w && upstream_sockets_open() == 0,
	   "nested: SERVFAIL once no NS name has an address, nothing left in the air");
	stop();
}

/* The last waiter leaves while a sub-task runs: both tasks and their queries go. */
static void test_cancel_during_chase(void)
{
	struct resolution *w = NULL;
	struct upstream_query *q;
	struct result r;

	start(hints);
	ask_handle("www.nog.test.", LDNS_RR_TYPE_A, &r, &w);
	refer_without_glue("nog.test.", "ns.other.test.");
	q = pending();
	ok(states_are(w, TASK_CHASE_NS, TASK_WAIT_REPLY, TASK_NONE) && q, "cancel: a sub-task in the air");
	resolve_cancel(w);
	ok(!w && !r.done && upstream_sockets_open() == 0 && res.in_flight == 0 && res.waiting == 0,
	   "cancel: no callback, the sub-task's query called off, no task left");
	stop();
}

static struct resolution **sibling;
static bool sibling_was_reset;

/* A callback that cancels another waiter of the same question through its handle. */
static void on_result_cancel_sibling(void *arg, const struct resolve_result *rr)
{
	on_result(arg, rr);
	sibling_was_reset = !*sibling;
	resolve_cancel(*sibling);
}

static void test_cancel_sibling_in_callback(void)
{
	struct resolution *w1 = NULL;
	struct result r1, r2;
	ldns_rdf *q = ldns_dname_new_frm_str("both.test.");

	start(hints);
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	resolve_start(&res, q, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, on_result, &r1, &w1);
	resolve_start(&res, q, LDNS_RR_TYPE_A, LDNS_RR_CLASS_IN, on_result_cancel_sibling, &r2, NULL);
	ldns_rdf_deep_free(q);
	sibling = &w1;
	/* The second waiter hears first and cancels the first: its handle is already reset, so nothing happens. */
	answer(pending(), 0, true, rrs("both.test. 300 IN A 192.0.2.60", NULL), NULL, NULL);
	ok(sibling_was_reset && r1.done && r2.done && !w1 && res.waiting == 0,
	   "callbacks: every handle reset before the first callback, both waiters answered");
	sibling = NULL;
	stop();
}

/* resolver_destroy with tasks at rest in every state one can wait in. */
static void test_destroy_everywhere(void)
{
	struct resolution *w[6] = { 0 };
	struct result r[6];
	struct upstream_query *q;

	start(hints);
	/* 0: waiting for the root. */
	ask_handle("wait.test.", LDNS_RR_TYPE_A, &r[0], &w[0]);
	/* 1: waiting on a sub-task. */
	ask_handle("www.nog.test.", LDNS_RR_TYPE_A, &r[1], &w[1]);
	refer_without_glue("nog.test.", "ns.other.test.");
	/* 2: two levels of sub-tasks. */
	ask_handle("www.a.test.", LDNS_RR_TYPE_A, &r[2], &w[2]);
	refer_without_glue("a.test.", "ns.b.test.");
	refer_without_glue("b.test.", "ns.c.test.");
	/* 3: a slow server, two queries in the air. */
	ask_handle("slow.sf.test.", LDNS_RR_TYPE_A, &r[3], &w[3]);
	answer(pending(), 0, false, NULL, rrs("sf.test. 3600 IN NS ns1.sf.test.", "sf.test. 3600 IN NS ns2.sf.test.", NULL),
	       rrs("ns1.sf.test. 3600 IN A 198.51.100.41", "ns2.sf.test. 3600 IN A 198.51.100.42", NULL));
	q = pending();
	if (q && q->req.on_slow)
		q->req.on_slow(q->arg);
	/* 4: retrying over TCP. */
	ask_handle("big.test.", LDNS_RR_TYPE_A, &r[4], &w[4]);
	q = pending();
	if (q) {
		ldns_pkt *p = ldns_pkt_query_new(ldns_rdf_clone(q->qname), q->req.qtype, q->req.qclass, 0);

		ldns_pkt_set_qr(p, true);
		ldns_pkt_set_tc(p, true);
		q->live = false;
		q->cb(q->arg, 0, p, 5);
	}
	/* 5: a second waiter on question 0. */
	ask_handle("wait.test.", LDNS_RR_TYPE_A, &r[5], &w[5]);
	ok(states_are(w[0], TASK_WAIT_REPLY, TASK_NONE, TASK_NONE) && w[5] && w[5] != w[0] &&
		   states_are(w[1], TASK_CHASE_NS, TASK_WAIT_REPLY, TASK_NONE) &&
		   states_are(w[2], TASK_CHASE_NS, TASK_CHASE_NS, TASK_WAIT_REPLY) &&
		   states_are(w[3], TASK_WAIT_REPLY, TASK_NONE, TASK_NONE) &&
		   states_are(w[4], TASK_WAIT_REPLY, TASK_NONE, TASK_NONE),
	   "destroy: tasks waiting for replies, for sub-tasks, two levels down, on a slow server, over TCP");
	ok(upstream_sockets_open() == 6 && res.in_flight == 5 && res.waiting == 6,
	   "destroy: 6 queries in the air, 5 tasks, 6 waiters (%u, %lu, %lu)", upstream_sockets_open(),
	   (unsigned long)res.in_flight, (unsigned long)res.waiting);
	resolver_destroy(&res);
	bool none = true;

	for (int i = 0; i < 6; i++)
		none = none && !r[i].done && !w[i];
	ok(none && upstream_sockets_open() == 0, "destroy: every query called off, no callback, every handle reset");
	forget_sent();
	options_free(&opt);
}

/* ---- QNAME minimisation ---- */

static bool asks(const struct upstream_query *q, const char *name, ldns_rr_type type)
{
	ldns_rdf *want = ldns_dname_new_frm_str(name);
	bool same = q && want && ldns_dname_compare(q->qname, want) == 0 && q->req.qtype == type;

	ldns_rdf_deep_free(want);
	return same;
}

static const char *asked(const struct upstream_query *q, char buf[300])
{
	char *n = q ? ldns_rdf2str(q->qname) : NULL;

	snprintf(buf, 300, "%s type %u", n ? n : "nothing", q ? q->req.qtype : 0);
	free(n);
	return buf;
}

static void start_minimising(bool strict)
{
	start(hints);
	opt.qname_minimisation = true;
	opt.qname_minimisation_strict = strict;
}

#define EXAMPLE_SOA "example. 3600 IN SOA ns.example. h.example. 1 2 3 4 300"

/* Root, then example.'s server: the root sees one label, then one more label a step, then the full name. */
static void walk_to_example(struct result *r, ldns_rr_type type)
{
	struct upstream_query *q;
	char b[300];

	ask("a.b.c.example.", type, r);
	q = pending();
	ok(asks(q, "example.", LDNS_RR_TYPE_A), "qmin: the root is asked example. A only (%s)", asked(q, b));
	answer(q, 0, false, NULL, rrs("example. 3600 IN NS ns.example.", NULL),
	       rrs("ns.example. 3600 IN A 198.51.100.70", NULL));
	q = pending();
	ok(asks(q, "c.example.", LDNS_RR_TYPE_A), "qmin: example.'s server is asked c.example. A (%s)", asked(q, b));
	/* An empty non-terminal: NODATA. */
	answer(q, 0, true, NULL, rrs(EXAMPLE_SOA, NULL), NULL);
	q = pending();
	ok(asks(q, "b.c.example.", LDNS_RR_TYPE_A), "qmin: NODATA, one more label: b.c.example. A (%s)", asked(q, b));
}

static void test_qmin_relaxed(void)
{
	struct upstream_query *q;
	struct result r;
	char a[64], b[300];

	start_minimising(false);
	walk_to_example(&r, LDNS_RR_TYPE_AAAA);
	/* A broken server: NXDOMAIN for an empty non-terminal. */
	answer(pending(), LDNS_RCODE_NXDOMAIN, true, NULL, rrs(EXAMPLE_SOA, NULL), NULL);
	q = pending();
	ok(asks(q, "a.b.c.example.", LDNS_RR_TYPE_AAAA) && strcmp(server_of(q, a), "198.51.100.70") == 0,
	   "qmin relaxed: NXDOMAIN to a minimised query, the full name with its type at the same zone (%s)",
	   asked(q, b));
	answer(q, 0, true, rrs("a.b.c.example. 300 IN AAAA 2001:db8::70", NULL), NULL, NULL);
	ok(r.done && r.rcode == 0 && r.n_answer == 1 && r.queries == 4,
	   "qmin relaxed: answered, the 4 queries counted (%u)", r.queries);
	stop();
}

static void test_qmin_strict(void)
{
	struct result r;

	start_minimising(true);
	walk_to_example(&r, LDNS_RR_TYPE_A);
	answer(pending(), LDNS_RCODE_NXDOMAIN, true, NULL, rrs(EXAMPLE_SOA, NULL), NULL);
	ok(r.done && r.rcode == LDNS_RCODE_NXDOMAIN && r.queries == 3 && !pending(),
	   "qmin strict: NXDOMAIN to a minimised query is the answer, nothing below (%u queries)", r.queries);
	stop();
}

/* REFUSED and silence to minimised queries lead to the full name too. */
static void test_qmin_refused_and_silent(void)
{
	struct upstream_query *q;
	struct result r;
	char b[300];
	int timeouts = 0;

	start_minimising(false);
	walk_to_example(&r, LDNS_RR_TYPE_A);
	answer(pending(), LDNS_RCODE_REFUSED, false, NULL, NULL, NULL);
	q = pending();
	ok(asks(q, "a.b.c.example.", LDNS_RR_TYPE_A), "qmin relaxed: REFUSED, then the full name (%s)", asked(q, b));
	answer(q, 0, true, rrs("a.b.c.example. 300 IN A 192.0.2.70", NULL), NULL, NULL);
	ok(r.done && r.rcode == 0, "qmin relaxed: answered after REFUSED");
	stop();

	start_minimising(false);
	ask("x.y.example.", LDNS_RR_TYPE_A, &r);
	answer(pending(), 0, false, NULL, rrs("example. 3600 IN NS ns.example.", NULL),
	       rrs("ns.example. 3600 IN A 198.51.100.70", NULL));
	while ((q = pending()) && asks(q, "y.example.", LDNS_RR_TYPE_A) && timeouts < 8) {
		timeouts++;
		fail(q, -ETIMEDOUT);
	}
	ok(timeouts == 2 && asks(q, "x.y.example.", LDNS_RR_TYPE_A),
	   "qmin relaxed: the minimised query unanswered in both rounds, then the full name (%d, %s)", timeouts,
	   asked(q, b));
	answer(q, 0, true, rrs("x.y.example. 300 IN A 192.0.2.71", NULL), NULL, NULL);
	ok(r.done && r.rcode == 0, "qmin relaxed: answered after the silence");
	stop();
}

/* SERVFAIL, FORMERR and NOTIMP (after the retry without EDNS), and a lame answer: the full name next. */
static void test_qmin_other_failures(void)
{
	static const struct {
		int rcode;
		bool aa;
		const char *what;
	} bad[] = {
		{ LDNS_RCODE_SERVFAIL, false, "SERVFAIL" },
		{ LDNS_RCODE_FORMERR, false, "FORMERR" },
		{ LDNS_RCODE_NOTIMPL, false, "NOTIMP" },
		{ 0, false, "a lame answer" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct upstream_query *q;
		struct result r;
		char b[300];

		start_minimising(false);
		ask("x.y.example.", LDNS_RR_TYPE_A, &r);
		answer(pending(), 0, false, NULL, rrs("example. 3600 IN NS ns.example.", NULL),
		       rrs("ns.example. 3600 IN A 198.51.100.70", NULL));
		q = pending();
		if (bad[i].rcode == LDNS_RCODE_FORMERR || bad[i].rcode == LDNS_RCODE_NOTIMPL) {
			/* First taken for an old server that does not know EDNS: the same question again, without. */
			answer(q, bad[i].rcode, false, NULL, NULL, NULL);
			q = pending();
			if (!asks(q, "y.example.", LDNS_RR_TYPE_A) || q->req.edns)
				q = NULL;
		}
		if (bad[i].rcode)
			answer(q, bad[i].rcode, false, NULL, NULL, NULL);
		else
			answer(q, 0, false, NULL, rrs("test. 3600 IN NS a.root.test.", NULL), NULL);
		q = pending();
		ok(asks(q, "x.y.example.", LDNS_RR_TYPE_A), "qmin relaxed: %s to y.example. A, then the full name (%s)",
		   bad[i].what, asked(q, b));
		answer(q, 0, true, rrs("x.y.example. 300 IN A 192.0.2.72", NULL), NULL, NULL);
		ok(r.done && r.rcode == 0 && r.n_answer == 1, "qmin relaxed: answered after %s", bad[i].what);
		stop();
	}
}

/* A CNAME at a minimised name is not followed: the next label is asked instead. */
static void test_qmin_cname(void)
{
	struct upstream_query *q;
	struct result r;
	char a[64], b[300];

	start_minimising(false);
	ask("www.alias.example.", LDNS_RR_TYPE_A, &r);
	answer(pending(), 0, false, NULL, rrs("example. 3600 IN NS ns.example.", NULL),
	       rrs("ns.example. 3600 IN A 198.51.100.70", NULL));
	q = pending();
	answer(q, 0, true, rrs("alias.example. 300 IN CNAME elsewhere.test.", NULL), NULL, NULL);
	q = pending();
	ok(asks(q, "www.alias.example.", LDNS_RR_TYPE_A) && strcmp(server_of(q, a), "198.51.100.70") == 0,
	   "qmin: CNAME at alias.example. not followed, www.alias.example. asked of the same server (%s)", asked(q, b));
	answer(q, LDNS_RCODE_NXDOMAIN, true, NULL, rrs(EXAMPLE_SOA, NULL), NULL);
	ok(r.done && r.rcode == LDNS_RCODE_NXDOMAIN && r.n_answer == 0, "qmin: the answer is the full name's, no CNAME in it");
	stop();
}

/* Off: the root gets the full name. */
static void test_qmin_off(void)
{
	struct upstream_query *q;
	struct result r;
	char b[300];

	start(hints);
	ask("a.b.c.example.", LDNS_RR_TYPE_A, &r);
	q = pending();
	ok(asks(q, "a.b.c.example.", LDNS_RR_TYPE_A), "qmin off: the root is asked the full name (%s)", asked(q, b));
	stop();
}

/* 20 labels under one zone answering NODATA at every step: 10 queries, labels as the schedule says. */
static void test_qmin_long(void)
{
	static const unsigned want[] = { 1, 2, 3, 4, 6, 8, 11, 14, 17, 20 };
	char name[128] = "", got[128] = "", expect[128] = "";
	struct upstream_query *q;
	struct result r;
	bool match = true;
	int n = 0;

	for (int i = 20; i >= 1; i--)
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "l%d.", i);
	start_minimising(false);
	ask(name, LDNS_RR_TYPE_A, &r);
	while ((q = pending()) && n < 20) {
		unsigned labels = ldns_dname_label_count(q->qname);

		snprintf(got + strlen(got), sizeof(got) - strlen(got), " %u", labels);
		match = match && n < 10 && labels == want[n];
		n++;
		answer(q, 0, true, NULL, rrs(". 86400 IN SOA a.root.test. h.root.test. 1 2 3 4 300", NULL), NULL);
	}
	for (int i = 0; i < 10; i++)
		snprintf(expect + strlen(expect), sizeof(expect) - strlen(expect), " %u", want[i]);
	ok(match && n == 10, "qmin: 20 labels walked in 10 queries showing%s (want%s)", got, expect);
	ok(r.done && r.rcode == 0 && r.queries == 10, "qmin: the last one, with the full name, gives the NODATA");
	stop();
}

/* ---- DNSSEC: the VALIDATE and FETCH states, with keys made and RRsets signed here by ldns ---- */

struct zone_key {
	ldns_key_list *keys;
	ldns_rr *dnskey;
};

static void make_key(struct zone_key *zk, const char *zone)
{
	ldns_key *k = ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);

	if (!k)
		abort();
	ldns_key_set_pubkey_owner(k, ldns_dname_new_frm_str(zone));
	ldns_key_set_flags(k, 257);
	zk->dnskey = ldns_key2rr(k);
	ldns_rr_set_ttl(zk->dnskey, 3600);
	ldns_key_set_keytag(k, ldns_calc_keytag(zk->dnskey));
	zk->keys = ldns_key_list_new();
	ldns_key_list_push_key(zk->keys, k);
}

static void free_key(struct zone_key *zk)
{
	ldns_key_list_free(zk->keys);
	ldns_rr_free(zk->dnskey);
}

/* set, with its RRSIGs by zk appended. */
static ldns_rr_list *signed_by(const struct zone_key *zk, ldns_rr_list *set)
{
	ldns_rr_list *sigs = ldns_sign_public(set, zk->keys);

	if (!sigs)
		abort();
	ldns_rr_list_cat(set, sigs);
	ldns_rr_list_free(sigs);
	return set;
}

static ldns_rr_list *dnskey_set(const struct zone_key *zk)
{
	ldns_rr_list *l = ldns_rr_list_new();

	ldns_rr_list_push_rr(l, ldns_rr_clone(zk->dnskey));
	return signed_by(zk, l);
}

static char anchor_path[64];

/* The resolver, validating, with the root's key as its trust anchor. */
static void start_validating(const struct zone_key *root)
{
	char path[] = "/tmp/nfdnsd-hints-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs(hints, f);
	fclose(f);
	snprintf(anchor_path, sizeof(anchor_path), "/tmp/nfdnsd-anchor-XXXXXX");
	fd = mkstemp(anchor_path);
	f = fdopen(fd, "w");
	ldns_rr_print(f, root->dnskey);
	fclose(f);
	options_defaults(&opt);
	opt.dnq_localhost = false;
	opt.qname_minimisation = false;
	opt.trust_anchor_files[0] = strdup(anchor_path);
	opt.n_trust_anchor_files = 1;
	if (resolver_init(&res, &loop, &opt) || resolver_load_hints(&res, path))
		abort();
	unlink(path);
	unlink(anchor_path);
}

static bool asks(const struct upstream_query *q, const char *name, ldns_rr_type type);

/* A signed answer: VALIDATE fetches the root's DNSKEY set, then the verdict is cached with the data. */
static void test_validate_secure(void)
{
	struct zone_key root;
	struct resolution *h = NULL;
	struct upstream_query *q;
	struct result r;
	int before;

	make_key(&root, ".");
	start_validating(&root);
	ok(ask_handle("www.example.", LDNS_RR_TYPE_A, &r, &h) == 0 && !r.done, "validate: a question starts");
	q = pending();
	ok(asks(q, "www.example.", LDNS_RR_TYPE_A), "validate: the root asked for the name");
	answer(q, 0, true, signed_by(&root, rrs("www.example. 300 IN A 192.0.2.1", NULL)), NULL, NULL);
	ok(!r.done && states_are(h, TASK_FETCH_DNSKEY, TASK_WAIT_REPLY, TASK_NONE),
	   "validate: FETCH_DNSKEY, a sub-task waiting for the trust anchor's DNSKEY set (%s, %s)",
	   task_state_name(resolution_state(h, 0)), task_state_name(resolution_state(h, 1)));
	q = pending();
	ok(asks(q, ".", LDNS_RR_TYPE_DNSKEY), "validate: the root asked for its DNSKEY set");
	answer(q, 0, true, dnskey_set(&root), NULL, NULL);
	ok(r.done && r.rcode == 0 && r.secure && !r.bogus && r.n_answer == 2 && r.n_rrsig == 1,
	   "validate: secure, the A record with its RRSIG (%zu records)", r.n_answer);
	before = n_sent;
	ok(ask("www.example.", LDNS_RR_TYPE_A, &r) == 0 && r.done && r.secure && n_sent == before,
	   "validate: asked again, secure from the cache with no query");
	stop();
	free_key(&root);
}

/* A signature that does not match: bogus, EDE 6, and no query when asked again. */
static void test_validate_bogus(void)
{
	struct zone_key root;
	struct upstream_query *q;
	ldns_rr_list *set;
	struct result r;
	int before;

	make_key(&root, ".");
	start_validating(&root);
	ask("www.example.", LDNS_RR_TYPE_A, &r);
	set = signed_by(&root, rrs("www.example. 300 IN A 192.0.2.1", NULL));
	/* The address changes after signing. */
	ldns_rdf_deep_free(ldns_rr_set_rdf(ldns_rr_list_rr(set, 0), ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, "192.0.2.66"), 0));
	answer(pending(), 0, true, set, NULL, NULL);
	q = pending();
	ok(asks(q, ".", LDNS_RR_TYPE_DNSKEY), "bogus: the root's DNSKEY set fetched");
	answer(q, 0, true, dnskey_set(&root), NULL, NULL);
	ok(r.done && r.bogus && !r.secure && r.ede == VAL_EDE_DNSSEC_BOGUS, "bogus: verdict bogus, EDE %d", r.ede);
	before = n_sent;
	ok(ask("www.example.", LDNS_RR_TYPE_A, &r) == 0 && r.done && r.bogus && r.ede == VAL_EDE_DNSSEC_BOGUS &&
		   n_sent == before,
	   "bogus: asked again, the cached verdict with its EDE, no query");
	stop();
	free_key(&root);
}

/*
 * A delegation without its DS in the referral: VALIDATE walks down from
 * the anchor, FETCH_DNSKEY for the root, FETCH_DS for the child, then
 * FETCH_DNSKEY for the child, each a sub-task asking the right server.
 */
static void test_validate_chain(void)
{
	struct zone_key root, child;
	struct resolution *h = NULL;
	struct upstream_query *q;
	ldns_rr_list *ds = ldns_rr_list_new();
	struct result r;
	char a[64];

	make_key(&root, ".");
	make_key(&child, "example.");
	ldns_rr_list_push_rr(ds, ldns_key_rr2ds(child.dnskey, LDNS_SHA256));
	ldns_rr_set_ttl(ldns_rr_list_rr(ds, 0), 3600);
	start_validating(&root);
	ask_handle("www.example.", LDNS_RR_TYPE_A, &r, &h);
	answer(pending(), 0, false, NULL, rrs("example. 3600 IN NS ns.example.", NULL),
	       rrs("ns.example. 3600 IN A 198.51.100.7", NULL));
	q = pending();
	ok(q && strcmp(server_of(q, a), "198.51.100.7") == 0, "chain: example.'s server asked");
	answer(q, 0, true, signed_by(&child, rrs("www.example. 300 IN A 192.0.2.1", NULL)), NULL, NULL);
	q = pending();
	ok(states_are(h, TASK_FETCH_DNSKEY, TASK_WAIT_REPLY, TASK_NONE) && asks(q, ".", LDNS_RR_TYPE_DNSKEY),
	   "chain: FETCH_DNSKEY for the root first");
	answer(q, 0, true, dnskey_set(&root), NULL, NULL);
	q = pending();
	ok(states_are(h, TASK_FETCH_DS, TASK_WAIT_REPLY, TASK_NONE) && asks(q, "example.", LDNS_RR_TYPE_DS) &&
		   strcmp(server_of(q, a), "198.51.100.1") == 0,
	   "chain: FETCH_DS, example. DS asked of the root (the parent)");
	answer(q, 0, true, signed_by(&root, ds), NULL, NULL);
	q = pending();
	ok(states_are(h, TASK_FETCH_DNSKEY, TASK_WAIT_REPLY, TASK_NONE) && asks(q, "example.", LDNS_RR_TYPE_DNSKEY) &&
		   strcmp(server_of(q, a), "198.51.100.7") == 0,
	   "chain: FETCH_DNSKEY, example. DNSKEY asked of its own server");
	ok(!r.done, "chain: no answer before the chain is proven");
	answer(q, 0, true, dnskey_set(&child), NULL, NULL);
	ok(r.done && r.secure && r.n_rrsig == 1 && !h, "chain: secure once the child's keys match the DS");
	stop();
	free_key(&root);
	free_key(&child);
}

/* RFC 4035 5.3.3: a secure RRset is not kept past its RRSIG's original TTL. */
static void test_validate_ttl_cap(void)
{
	struct zone_key root;
	ldns_rr_list *set;
	struct result r;

	make_key(&root, ".");
	start_validating(&root);
	ask("www.example.", LDNS_RR_TYPE_A, &r);
	set = signed_by(&root, rrs("www.example. 300 IN A 192.0.2.1", NULL));
	/* A server handing out a longer TTL than it signed. */
	ldns_rr_set_ttl(ldns_rr_list_rr(set, 0), 86400);
	answer(pending(), 0, true, set, NULL, NULL);
	answer(pending(), 0, true, dnskey_set(&root), NULL, NULL);
	ok(r.done && r.secure && r.data_ttl == 300, "TTL cap: secure, the TTL the RRSIG names (%u)", r.data_ttl);
	stop();
	free_key(&root);
}

/* Validation off: the same signed answer, no fetch, no verdict. */
static void test_validate_off(void)
{
	struct zone_key root;
	struct result r;

	make_key(&root, ".");
	start(hints);
	ask("www.example.", LDNS_RR_TYPE_A, &r);
	answer(pending(), 0, true, signed_by(&root, rrs("www.example. 300 IN A 192.0.2.1", NULL)), NULL, NULL);
	ok(r.done && !r.secure && !r.bogus && r.n_rrsig == 1 && n_sent == 1,
	   "validation off: answered at once with its RRSIG, neither secure nor bogus");
	stop();
	free_key(&root);
}

int main(void)
{
	tap_plan(90);
	uv_loop_init(&loop);
	test_walk();
	test_family();
	test_0x20();
	test_lame();
	test_parent_glue();
	test_ds();
	test_tcp();
	test_servfail();
	test_chase_wakes_parent();
	test_chase_nested_fail();
	test_cancel_during_chase();
	test_cancel_sibling_in_callback();
	test_destroy_everywhere();
	test_qmin_relaxed();
	test_qmin_strict();
	test_qmin_refused_and_silent();
	test_qmin_other_failures();
	test_qmin_cname();
	test_qmin_off();
	test_qmin_long();
	test_validate_secure();
	test_validate_bogus();
	test_validate_chain();
	test_validate_ttl_cap();
	test_validate_off();
	uv_loop_close(&loop);
	return tap_done();
}
