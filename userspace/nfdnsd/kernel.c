// SPDX-License-Identifier: GPL-2.0
/*
 * The link to the nfdns kernel module: register as the namespace's
 * resolver, take NFDNS_CMD_MISS questions, resolve them, and push the
 * answer back (CACHE_PUT) or report the failure (CACHE_FAIL).  Without the
 * module the daemon runs alone and keeps trying, so that loading (or
 * reloading) the module later is picked up.
 */
#include "kernel.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nfdns.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dname.h"
#include "kernel_msg.h"
#include "localdata.h"
#include "log.h"
#include "response.h"
#include "server.h"
#include "stats.h"
#include "trace.h"

#define MSG_BUF_SIZE (NFDNS_RESPONSE_MAX + 4096)

struct miss {
	struct kernel_link *k;
	struct miss *next, *prev;
	uint8_t qname[NFDNS_NAME_MAX];
	size_t qname_len;
	uint16_t qtype, qclass;
	bool dnssec_ok;
	/* Part of the kernel's key: echoed so the answer meets its waiters. */
	bool checking_disabled;
	/* A PREFETCH: no client waits, so only a good answer is worth sending. */
	bool prefetch;
	uint64_t start_ms;
	struct resolution *task;
};

struct kernel_link {
	uv_loop_t *loop;
	struct resolver *r;
	const struct options *opt;
	struct mnl_socket *nl;
	uv_poll_t *poll;		/* its own allocation: freed when closed, maybe after a new one opens */
	uv_timer_t timer;
	uint16_t family;
	bool registered;
	time_t registered_at;
	bool said_missing;
	uint32_t seq, register_seq, timeout_seq, local_seq;
	struct miss *misses;
	uint8_t *buf;		/* what the kernel sent; being walked while answers go out */
	uint8_t *sbuf;		/* what goes to the kernel */
};

/* ---- family lookup ---- */

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	uint16_t *id = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID && mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		*id = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
}

static int transact(uint16_t type, uint8_t cmd, uint8_t version, uint16_t flags,
		    void (*fill)(struct nlmsghdr *nlh, const void *arg), const void *arg, mnl_cb_t cb, void *data,
		    size_t buf_size);

static void fill_family_name(struct nlmsghdr *nlh, const void *arg)
{
	(void)arg;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NFDNS_GENL_NAME);
}

/* The id of the nfdns family, -ENOENT when the module is not loaded. */
static int lookup_family(void)
{
	uint16_t id = 0;
	int err = transact(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK, fill_family_name, NULL, family_msg_cb, &id,
			   MNL_SOCKET_BUFFER_SIZE);

	if (err)
		return err;
	return id ? id : -ENOENT;
}

/* ---- counters, for /metrics ---- */

struct stats_read {
	uint64_t *vals;
	size_t n;
	bool got;
};

static int stat_attr_cb(const struct nlattr *attr, void *data)
{
	struct stats_read *r = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type < r->n && type != NFDNS_STAT_A_PAD && mnl_attr_validate(attr, MNL_TYPE_U64) >= 0)
		r->vals[type] = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int stats_top_cb(const struct nlattr *attr, void *data)
{
	struct stats_read *r = data;

	if (mnl_attr_get_type(attr) == NFDNS_A_STATS && mnl_attr_validate(attr, MNL_TYPE_NESTED) >= 0) {
		r->got = true;
		return mnl_attr_parse_nested(attr, stat_attr_cb, data);
	}
	return MNL_CB_OK;
}

static int stats_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), stats_top_cb, data);
}

/*
 * One request on a generic netlink socket of its own, its answers
 * (a reply, a dump) run through cb, waiting at most 2 s for each read:
 * for the control channel and /metrics, not for the registered socket,
 * whose messages the event loop reads.  buf_size fits the largest message.
 */
static int transact(uint16_t type, uint8_t cmd, uint8_t version, uint16_t flags,
		    void (*fill)(struct nlmsghdr *nlh, const void *arg), const void *arg, mnl_cb_t cb, void *data,
		    size_t buf_size)
{
	struct timeval tv = { .tv_sec = 2 };
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	uint32_t portid, seq = (uint32_t)time(NULL);
	int err = 0;
	char *buf;
	ssize_t n;

	buf = calloc(1, buf_size);
	if (!buf)
		return -ENOMEM;
	nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		if (nl)
			mnl_socket_close(nl);
		free(buf);
		return err;
	}
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	portid = mnl_socket_get_portid(nl);
	nlh = kernel_msg_start(buf, type, cmd, flags, seq);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = version;
	if (fill)
		fill(nlh, arg);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		err = -errno;
	while (!err && (n = mnl_socket_recvfrom(nl, buf, buf_size)) != 0) {
		int ret = n < 0 ? MNL_CB_ERROR : mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);

		if (ret < 0)
			err = errno ? -errno : -EIO;
		if (ret <= MNL_CB_STOP)
			break;
	}
	mnl_socket_close(nl);
	free(buf);
	return err;
}

static int request(uint8_t cmd, uint16_t flags, void (*fill)(struct nlmsghdr *nlh, const void *arg),
		   const void *arg, mnl_cb_t cb, void *data, size_t buf_size)
{
	int family = lookup_family();

	if (family < 0)
		return family;
	return transact((uint16_t)family, cmd, NFDNS_GENL_VERSION, flags, fill, arg, cb, data, buf_size);
}

int kernel_stats_read(uint64_t *vals, size_t n)
{
	struct stats_read r = { vals, n, false };
	int err = request(NFDNS_CMD_STATS_GET, NLM_F_ACK, NULL, NULL, stats_msg_cb, &r, MNL_SOCKET_BUFFER_SIZE);

	if (!err && !r.got)
		err = -ENODATA;
	return err;
}

/* ---- negative entries, for flush-negative ---- */

static int count_attr_cb(const struct nlattr *attr, void *data)
{
	uint64_t *count = data;

	if (mnl_attr_get_type(attr) == NFDNS_A_COUNT && mnl_attr_validate(attr, MNL_TYPE_U64) >= 0)
		*count += mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int count_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), count_attr_cb, data);
}

struct del_question {
	const uint8_t *qname;
	size_t qname_len;
	uint16_t qtype;
};

static void fill_del(struct nlmsghdr *nlh, const void *arg)
{
	const struct del_question *q = arg;

	mnl_attr_put(nlh, NFDNS_A_QNAME, q->qname_len, q->qname);
	if (q->qtype)
		mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, q->qtype);
}

static int cache_del_sync(const uint8_t *qname, size_t qname_len, uint16_t qtype, uint64_t *count)
{
	struct del_question q = { qname, qname_len, qtype };

	*count = 0;
	return request(NFDNS_CMD_CACHE_DEL, NLM_F_ACK, fill_del, &q, count_msg_cb, count, MNL_SOCKET_BUFFER_SIZE);
}

struct negative_list {
	struct negative_key {
		uint8_t qname[NFDNS_NAME_MAX];
		uint16_t qname_len, qtype;
	} *keys;
	size_t n, cap;
};

static int entry_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= NFDNS_ENTRY_A_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int negative_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct negative_list *l = data;
	const struct nlattr *tb[NFDNS_ENTRY_A_MAX + 1] = { NULL };
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != NFDNS_A_ENTRY)
			continue;
		mnl_attr_parse_nested(attr, entry_attr_cb, tb);
	}
	if (!tb[NFDNS_ENTRY_A_FLAGS] || !tb[NFDNS_ENTRY_A_QNAME] || !tb[NFDNS_ENTRY_A_QTYPE] ||
	    !(mnl_attr_get_u32(tb[NFDNS_ENTRY_A_FLAGS]) & NFDNS_ENTRY_F_NEGATIVE) ||
	    mnl_attr_get_payload_len(tb[NFDNS_ENTRY_A_QNAME]) > NFDNS_NAME_MAX)
		return MNL_CB_OK;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct negative_key *keys = realloc(l->keys, cap * sizeof(*keys));

		if (!keys)
			return MNL_CB_ERROR;
		l->keys = keys;
		l->cap = cap;
	}
	l->keys[l->n].qname_len = mnl_attr_get_payload_len(tb[NFDNS_ENTRY_A_QNAME]);
	memcpy(l->keys[l->n].qname, mnl_attr_get_payload(tb[NFDNS_ENTRY_A_QNAME]), l->keys[l->n].qname_len);
	l->keys[l->n].qtype = mnl_attr_get_u16(tb[NFDNS_ENTRY_A_QTYPE]);
	l->n++;
	return MNL_CB_OK;
}

/* Entries are up to 64 KiB each: a dump is read with room for one. */
#define DUMP_BUF_SIZE (128 * 1024)

int kernel_flush_negative(uint64_t *count)
{
	struct negative_list l = { 0 };
	int err = request(NFDNS_CMD_CACHE_GET, NLM_F_DUMP, NULL, NULL, negative_msg_cb, &l, DUMP_BUF_SIZE);

	*count = 0;
	/* Deleted one question at a time: the dump holds no lock across them. */
	for (size_t i = 0; !err && i < l.n; i++) {
		uint64_t deleted = 0;

		err = cache_del_sync(l.keys[i].qname, l.keys[i].qname_len, l.keys[i].qtype, &deleted);
		*count += deleted;
	}
	free(l.keys);
	return err;
}

/* ---- sending ---- */

static struct nlmsghdr *start_msg(struct kernel_link *k, uint8_t cmd, uint16_t flags)
{
	return kernel_msg_start(k->sbuf, k->family, cmd, flags, ++k->seq);
}

static int send_msg(struct kernel_link *k, struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(k->nl, nlh, nlh->nlmsg_len) < 0) {
		int err = -errno;

		stats.kernel_errors++;
		log_warn("netlink send to nfdns failed: %s", strerror(-err));
		return err;
	}
	return 0;
}

static void put_question(struct nlmsghdr *nlh, const struct miss *m)
{
	static const uint8_t none;

	mnl_attr_put(nlh, NFDNS_A_QNAME, m->qname_len, m->qname);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, m->qtype);
	mnl_attr_put_u16(nlh, NFDNS_A_QCLASS, m->qclass);
	if (m->dnssec_ok)
		mnl_attr_put(nlh, NFDNS_A_DO, 0, &none);
	if (m->checking_disabled)
		mnl_attr_put(nlh, NFDNS_A_CD, 0, &none);
}

static void send_fail(struct kernel_link *k, const struct miss *m, uint8_t rcode)
{
	struct nlmsghdr *nlh;

	if (!k->nl || !k->registered)
		return;
	nlh = start_msg(k, NFDNS_CMD_CACHE_FAIL, 0);
	put_question(nlh, m);
	mnl_attr_put_u8(nlh, NFDNS_A_RCODE, rcode);
	if (send_msg(k, nlh) == 0)
		stats.kernel_fails++;
}

static void send_put(struct kernel_link *k, const struct miss *m, const struct resolve_result *res)
{
	uint8_t *wire = NULL;
	size_t len = 0;
	uint32_t ttl = 0;
	int err;

	if (!k->nl || !k->registered)
		return;
	err = response_for_kernel(m->qname, m->qname_len, m->qtype, m->qclass, res, m->dnssec_ok, k->opt->kernel_min_ttl,
				  k->opt->kernel_max_ttl, &wire, &len, &ttl);
	if (err) {
		log_info("cannot give the kernel the answer (%s)", strerror(-err));
		if (m->prefetch)
			stats.prefetch_failures++;
		else
			send_fail(k, m, LDNS_RCODE_SERVFAIL);
		return;
	}

	struct nlmsghdr *nlh = start_msg(k, NFDNS_CMD_CACHE_PUT, 0);

	put_question(nlh, m);
	mnl_attr_put(nlh, NFDNS_A_RESPONSE, len, wire);
	mnl_attr_put_u32(nlh, NFDNS_A_TTL, ttl);
	if (send_msg(k, nlh) == 0)
		stats.kernel_puts++;
	free(wire);
}

/* ---- local data ---- */

/* Rules per LOCAL_ADD: as many as fit this many bytes. */
#define LOCAL_BATCH_BYTES (32 * 1024)

struct local_push {
	struct kernel_link *k;
	struct nlmsghdr *nlh;
	size_t rules;
	int err;
};

static int local_push_flush(struct local_push *p)
{
	int err = 0;

	if (p->nlh)
		err = send_msg(p->k, p->nlh);
	p->nlh = NULL;
	return err;
}

static int local_push_rule(void *arg, const struct local_rule *r)
{
	struct local_push *p = arg;
	struct nlattr *nest;
	int err;

	if (p->nlh && p->nlh->nlmsg_len > LOCAL_BATCH_BYTES) {
		err = local_push_flush(p);
		if (err)
			return err;
	}
	if (!p->nlh)
		p->nlh = start_msg(p->k, NFDNS_CMD_LOCAL_ADD, 0);
	nest = mnl_attr_nest_start(p->nlh, NFDNS_A_LOCAL);
	mnl_attr_put(p->nlh, NFDNS_LOCAL_A_NAME, r->name_len, r->name);
	mnl_attr_put_u8(p->nlh, NFDNS_LOCAL_A_MATCH, r->match);
	mnl_attr_put_u8(p->nlh, NFDNS_LOCAL_A_ACTION, r->action);
	if (r->has4)
		mnl_attr_put(p->nlh, NFDNS_LOCAL_A_ADDR4, 4, r->addr4);
	if (r->has6)
		mnl_attr_put(p->nlh, NFDNS_LOCAL_A_ADDR6, 16, r->addr6);
	if (r->ttl)
		mnl_attr_put_u32(p->nlh, NFDNS_LOCAL_A_TTL, r->ttl);
	mnl_attr_nest_end(p->nlh, nest);
	p->rules++;
	return 0;
}

/* Local data goes in as static entries, under every key a client's question can have. */
static int local_push_rrset(void *arg, const struct local_rrset *set)
{
	struct local_push *p = arg;
	struct resolve_result res;
	struct miss m;

	memset(&res, 0, sizeof(res));
	res.rcode = LDNS_RCODE_NOERROR;
	res.answer = (ldns_rr_list *)set->rrs;
	memset(&m, 0, sizeof(m));
	memcpy(m.qname, set->name, set->name_len);
	m.qname_len = set->name_len;
	m.qtype = set->type;
	m.qclass = LDNS_RR_CLASS_IN;
	for (unsigned variant = 0; variant < 4; variant++) {
		struct nlmsghdr *nlh;
		uint8_t *wire = NULL;
		uint32_t ttl = 0;
		size_t len = 0;
		int err;

		m.dnssec_ok = variant & 1;
		m.checking_disabled = variant & 2;
		err = response_for_kernel(m.qname, m.qname_len, m.qtype, m.qclass, &res, m.dnssec_ok, 0, NFDNS_TTL_MAX,
					  &wire, &len, &ttl);
		if (err) {
			stats.local_push_errors++;
			log_warn("local data too large for the kernel (%s)", strerror(-err));
			return 0;
		}
		nlh = start_msg(p->k, NFDNS_CMD_CACHE_PUT, 0);
		put_question(nlh, &m);
		mnl_attr_put(nlh, NFDNS_A_RESPONSE, len, wire);
		mnl_attr_put_u32(nlh, NFDNS_A_TTL, ttl);
		mnl_attr_put_u32(nlh, NFDNS_A_FLAGS, NFDNS_ENTRY_F_STATIC);
		free(wire);
		err = send_msg(p->k, nlh);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The kernel's local rules become nfdnsd's, all at once: an abort of
 * whatever this socket staged before, the rules in batches, then a commit
 * the kernel acknowledges.  A batch the kernel refuses fails the commit,
 * so the kernel never answers from part of the rules.
 */
static void push_local(struct kernel_link *k)
{
	const struct localdata *ld = k->opt->local;
	struct local_push p = { .k = k };
	struct nlmsghdr *nlh;
	int err;

	if (send_msg(k, start_msg(k, NFDNS_CMD_LOCAL_ABORT, 0)))
		return;
	err = localdata_each_rule(ld, local_push_rule, &p);
	if (!err)
		err = local_push_flush(&p);
	if (!err) {
		nlh = start_msg(k, NFDNS_CMD_LOCAL_COMMIT, NLM_F_ACK);
		k->local_seq = nlh->nlmsg_seq;
		err = send_msg(k, nlh);
	}
	if (!err)
		err = localdata_each_rrset(ld, local_push_rrset, &p);
	if (err) {
		k->local_seq = 0;
		stats.local_push_errors++;
		log_warn("cannot give the kernel the local data: %s", strerror(-err));
		return;
	}
	log_info("local data to the kernel: %zu rules, %zu static RRsets", p.rules, localdata_n_rrsets(ld));
}

static int local_del_rrset(void *arg, const struct local_rrset *set)
{
	struct kernel_link *k = arg;
	struct nlmsghdr *nlh = start_msg(k, NFDNS_CMD_CACHE_DEL, 0);

	mnl_attr_put(nlh, NFDNS_A_QNAME, set->name_len, set->name);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, set->type);
	return send_msg(k, nlh);
}

void kernel_local_changed(struct kernel_link *k, const struct localdata *old)
{
	if (!k || !k->nl || !k->registered)
		return;
	localdata_each_rrset(old, local_del_rrset, k);
	push_local(k);
}

bool kernel_registered(const struct kernel_link *k, time_t *since)
{
	*since = k ? k->registered_at : 0;
	return k && k->nl && k->registered;
}

int kernel_cache_del(struct kernel_link *k, const uint8_t *name, size_t len, bool subtree)
{
	static const uint8_t none;
	struct nlmsghdr *nlh;

	if (!k || !k->nl || !k->registered)
		return -ENOTCONN;
	nlh = start_msg(k, NFDNS_CMD_CACHE_DEL, 0);
	mnl_attr_put(nlh, NFDNS_A_QNAME, len, name);
	if (subtree)
		mnl_attr_put(nlh, NFDNS_A_SUBTREE, 0, &none);
	return send_msg(k, nlh);
}

/* ---- misses ---- */

static void miss_free(struct miss *m)
{
	struct kernel_link *k = m->k;

	if (m->prev)
		m->prev->next = m->next;
	else if (k->misses == m)
		k->misses = m->next;
	if (m->next)
		m->next->prev = m->prev;
	if (m->task)
		resolve_cancel(m->task);
	free(m);
}

static void on_miss_resolved(void *arg, const struct resolve_result *res)
{
	struct miss *m = arg;
	struct kernel_link *k = m->k;
	ldns_rdf *owner = ldns_dname_new_frm_data((uint16_t)m->qname_len, m->qname);
	ldns_rr *q = ldns_rr_new();

	m->task = NULL;
	if (owner && q) {
		ldns_rr_set_owner(q, owner);
		owner = NULL;
		ldns_rr_set_type(q, m->qtype);
		ldns_rr_set_class(q, m->qclass);
		trace_answered("kernel", NULL, q, res, m->start_ms, uv_now(k->loop));
	}
	ldns_rdf_deep_free(owner);
	ldns_rr_free(q);
	/*
	 * Bogus data never enters the kernel's cache: its clients get SERVFAIL.
	 * A CD=1 question has a key of its own, which takes the data unchecked.
	 */
	if (m->prefetch) {
		/* A failure would replace a good entry with nothing better. */
		if ((res->rcode == LDNS_RCODE_NOERROR || res->rcode == LDNS_RCODE_NXDOMAIN) &&
		    !(res->bogus && !m->checking_disabled))
			send_put(k, m, res);
		else
			stats.prefetch_failures++;
	} else if (res->bogus && !m->checking_disabled)
		send_fail(k, m, LDNS_RCODE_SERVFAIL);
	else if (res->rcode == LDNS_RCODE_NOERROR || res->rcode == LDNS_RCODE_NXDOMAIN)
		send_put(k, m, res);
	else
		send_fail(k, m, LDNS_RCODE_SERVFAIL);
	miss_free(m);
}

struct miss_attrs {
	const struct nlattr *tb[NFDNS_A_MAX + 1];
};

static int miss_attr_cb(const struct nlattr *attr, void *data)
{
	struct miss_attrs *a = data;
	int type = mnl_attr_get_type(attr);

	if (type > 0 && type <= NFDNS_A_MAX)
		a->tb[type] = attr;
	return MNL_CB_OK;
}

/* A MISS (clients wait) or a PREFETCH (an entry near or past its expiry). */
static void handle_question(struct kernel_link *k, const struct nlmsghdr *nlh, bool prefetch)
{
	struct miss_attrs a;
	struct miss *m;
	ldns_rdf *name;
	uint16_t len;
	int err;

	memset(&a, 0, sizeof(a));
	if (prefetch) {
		stats.kernel_prefetches++;
	} else {
		stats.client_queries++;
		stats.kernel_misses++;
	}
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), miss_attr_cb, &a) < 0 || !a.tb[NFDNS_A_QNAME] ||
	    !a.tb[NFDNS_A_QTYPE] || mnl_attr_validate(a.tb[NFDNS_A_QTYPE], MNL_TYPE_U16) < 0 ||
	    (a.tb[NFDNS_A_QCLASS] && mnl_attr_validate(a.tb[NFDNS_A_QCLASS], MNL_TYPE_U16) < 0)) {
		stats.client_malformed++;
		log_warn("malformed miss from the kernel");
		return;
	}
	len = mnl_attr_get_payload_len(a.tb[NFDNS_A_QNAME]);
	if (len == 0 || len > NFDNS_NAME_MAX ||
	    wire_name_len(mnl_attr_get_payload(a.tb[NFDNS_A_QNAME]), len) != (int)len) {
		stats.client_malformed++;
		log_warn("miss from the kernel with a malformed name");
		return;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return;
	m->k = k;
	memcpy(m->qname, mnl_attr_get_payload(a.tb[NFDNS_A_QNAME]), len);
	m->qname_len = len;
	m->qtype = mnl_attr_get_u16(a.tb[NFDNS_A_QTYPE]);
	m->qclass = a.tb[NFDNS_A_QCLASS] ? mnl_attr_get_u16(a.tb[NFDNS_A_QCLASS]) : LDNS_RR_CLASS_IN;
	m->dnssec_ok = a.tb[NFDNS_A_DO] != NULL;
	m->checking_disabled = a.tb[NFDNS_A_CD] != NULL;
	m->prefetch = prefetch;
	m->start_ms = uv_now(k->loop);
	m->next = k->misses;
	if (k->misses)
		k->misses->prev = m;
	k->misses = m;

	name = ldns_dname_new_frm_data(len, m->qname);
	if (!name || m->qclass != LDNS_RR_CLASS_IN || k->r->in_flight >= k->opt->max_clients)
		err = -EBUSY;
	else if (prefetch)
		err = resolve_refresh(k->r, name, m->qtype, m->qclass, on_miss_resolved, m, &m->task);
	else
		err = resolve_start(k->r, name, m->qtype, m->qclass, on_miss_resolved, m, &m->task);
	if (err < 0) {
		if (prefetch)
			stats.prefetch_failures++;
		else
			send_fail(k, m, LDNS_RCODE_SERVFAIL);
		miss_free(m);
	}
	/* m may be gone here: answered from the cache. */
	ldns_rdf_deep_free(name);
}

/* ---- receiving ---- */

static const char *ext_ack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	unsigned int offset = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	/* Without NETLINK_CAP_ACK the original request follows the error. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each(attr, nlh, offset)
	{
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			return mnl_attr_get_str(attr);
	}
	return NULL;
}

/*
 * The kernel answers a question SERVFAIL after its pending timeout; nfdnsd
 * gives up after resolve-timeout-ms.  The kernel must wait longer, or
 * answers nfdnsd would still find arrive too late.
 */
static void set_pending_timeout(struct kernel_link *k)
{
	struct nlmsghdr *nlh = kernel_msg_pending_timeout(k->sbuf, k->family, ++k->seq,
							  kernel_pending_timeout(k->opt->resolve_timeout_ms));

	if (k->opt->resolve_timeout_ms + KERNEL_PENDING_MARGIN_MS > KERNEL_PENDING_TIMEOUT_MAX)
		log_warn("resolve-timeout-ms %u is past what the kernel waits (%u ms)", k->opt->resolve_timeout_ms,
			 KERNEL_PENDING_TIMEOUT_MAX);
	k->timeout_seq = nlh->nlmsg_seq;
	if (send_msg(k, nlh))
		k->timeout_seq = 0;
}

static void handle_error(struct kernel_link *k, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	const char *msg;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return;
	e = mnl_nlmsg_get_payload(nlh);
	msg = ext_ack_msg(nlh);
	if (e->msg.nlmsg_seq == k->register_seq && k->register_seq) {
		k->register_seq = 0;
		if (e->error == 0) {
			if (!k->registered) {
				stats.kernel_registrations++;
				log_info("registered as the resolver of the nfdns kernel module");
				k->registered = true;
				k->registered_at = time(NULL);
				set_pending_timeout(k);
				push_local(k);
			}
			k->registered = true;
		} else {
			k->registered = false;
			log_warn("nfdns refused the registration: %s%s%s", strerror(-e->error), msg ? ": " : "",
				 msg ? msg : "");
		}
		return;
	}
	if (e->msg.nlmsg_seq == k->timeout_seq && k->timeout_seq) {
		k->timeout_seq = 0;
		if (e->error == 0) {
			log_info("the kernel waits %u ms for an answer (resolve-timeout-ms %u)",
				 kernel_pending_timeout(k->opt->resolve_timeout_ms), k->opt->resolve_timeout_ms);
			return;
		}
		stats.kernel_errors++;
		log_warn("cannot set the kernel's pending timeout: %s%s%s; its clients may get SERVFAIL before "
			 "resolve-timeout-ms", strerror(-e->error), msg ? ": " : "", msg ? msg : "");
		return;
	}
	if (e->msg.nlmsg_seq == k->local_seq && k->local_seq) {
		k->local_seq = 0;
		if (e->error == 0) {
			stats.local_pushes++;
			return;
		}
		stats.local_push_errors++;
		log_warn("the kernel refused the local rules: %s%s%s; it answers none of them", strerror(-e->error),
			 msg ? ": " : "", msg ? msg : "");
		return;
	}
	if (e->error) {
		stats.kernel_errors++;
		log_warn("nfdns refused a message: %s%s%s", strerror(-e->error), msg ? ": " : "", msg ? msg : "");
	}
}

static void close_socket(struct kernel_link *k);

struct ctrl_attrs {
	const char *name;
};

static int ctrl_attr_cb(const struct nlattr *attr, void *data)
{
	struct ctrl_attrs *a = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_NAME && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		a->name = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/* True when the message says the nfdns family went away (module unloaded). */
static bool family_removed(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct ctrl_attrs a = { NULL };

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g) || g->cmd != CTRL_CMD_DELFAMILY)
		return false;
	if (mnl_attr_parse(nlh, sizeof(*g), ctrl_attr_cb, &a) < 0 || !a.name)
		return false;
	return strcmp(a.name, NFDNS_GENL_NAME) == 0;
}

static void on_readable(uv_poll_t *p, int status, int events)
{
	struct kernel_link *k = p->data;

	(void)events;
	if (status < 0) {
		log_warn("netlink socket: %s", uv_strerror(status));
		return;
	}
	for (int budget = 0; budget < 64 && k->nl; budget++) {
		ssize_t n = recv(mnl_socket_get_fd(k->nl), k->buf, MSG_BUF_SIZE, MSG_DONTWAIT);
		const struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* ENOBUFS: misses were lost; the kernel times them out. */
			stats.kernel_errors++;
			log_warn("netlink receive: %s", strerror(errno));
			if (errno == ENOBUFS)
				continue;
			return;
		}
		if (n == 0)
			return;
		nlh = (const struct nlmsghdr *)k->buf;
		for (int len = (int)n; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				handle_error(k, nlh);
			} else if (nlh->nlmsg_type == GENL_ID_CTRL) {
				if (family_removed(nlh)) {
					log_warn("the nfdns module went away; running alone until it is back");
					close_socket(k);
					return;
				}
			} else if (nlh->nlmsg_type == k->family &&
				   mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct genlmsghdr)) {
				const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

				if (g->cmd == NFDNS_CMD_MISS || g->cmd == NFDNS_CMD_PREFETCH)
					handle_question(k, nlh, g->cmd == NFDNS_CMD_PREFETCH);
			}
		}
	}
}

static void on_poll_closed(uv_handle_t *h)
{
	struct mnl_socket *nl = h->data;

	mnl_socket_close(nl);
	free(h);
}

static void close_socket(struct kernel_link *k)
{
	/* Questions the old registration took are answered by the kernel's timeout. */
	while (k->misses)
		miss_free(k->misses);
	if (k->poll) {
		uv_poll_stop(k->poll);
		k->poll->data = k->nl;
		uv_close((uv_handle_t *)k->poll, on_poll_closed);
		k->poll = NULL;
	} else if (k->nl) {
		mnl_socket_close(k->nl);
	}
	k->nl = NULL;
	k->registered = false;
	k->register_seq = 0;
}

static int open_socket(struct kernel_link *k)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC | SOCK_NONBLOCK);
	int one = 1, size = 4 << 20, err;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(nl);
		return err;
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	/*
	 * The controller's "notify" group (its id is GENL_ID_CTRL) says when a
	 * family goes away; the module being unloaded must end the registration
	 * even if a reload brings the same family id back.
	 */
	unsigned int notify = GENL_ID_CTRL;

	mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &notify, sizeof(notify));
	/* Bursts of misses should not overflow the queue while a resolution is being set up. */
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	k->poll = malloc(sizeof(*k->poll));
	if (!k->poll) {
		mnl_socket_close(nl);
		return -ENOMEM;
	}
	err = uv_poll_init(k->loop, k->poll, mnl_socket_get_fd(nl));
	if (err) {
		free(k->poll);
		k->poll = NULL;
		mnl_socket_close(nl);
		return err;
	}
	k->poll->data = k;
	k->nl = nl;
	return uv_poll_start(k->poll, UV_READABLE, on_readable);
}

static void try_register(struct kernel_link *k)
{
	int id = lookup_family();

	if (id < 0) {
		if (k->nl)
			log_warn("the nfdns netlink family is gone; running alone until it is back");
		else if (!k->said_missing)
			log_info("no nfdns netlink family (%s): running as a plain resolver, retrying every %u s",
				 strerror(-id), k->opt->kernel_retry);
		k->said_missing = true;
		close_socket(k);
		return;
	}
	/* A registration still unanswered is left alone. */
	if (k->nl && id == k->family && k->register_seq)
		return;
	/* A new family id means the module was reloaded: start over on a fresh socket. */
	if (k->nl && id != k->family)
		close_socket(k);
	k->family = (uint16_t)id;
	if (!k->nl) {
		int err = open_socket(k);

		if (err) {
			log_warn("cannot open a netlink socket: %s", strerror(-err));
			close_socket(k);
			return;
		}
	}
	struct nlmsghdr *nlh = start_msg(k, NFDNS_CMD_RESOLVER_REGISTER, NLM_F_ACK);

	k->register_seq = nlh->nlmsg_seq;
	if (send_msg(k, nlh))
		k->register_seq = 0;
}

static void on_timer(uv_timer_t *t)
{
	struct kernel_link *k = t->data;

	/*
	 * Registering again from the registered socket is harmless, and it
	 * notices a registration the kernel dropped (another resolver taking
	 * over, an unregister from elsewhere).  An unanswered one is abandoned.
	 */
	k->register_seq = 0;
	try_register(k);
}

int kernel_start(struct kernel_link **out, uv_loop_t *loop, struct resolver *r, const struct options *opt)
{
	struct kernel_link *k = calloc(1, sizeof(*k));

	if (!k)
		return -ENOMEM;
	k->buf = malloc(MSG_BUF_SIZE);
	k->sbuf = calloc(1, MSG_BUF_SIZE);
	if (!k->buf || !k->sbuf) {
		free(k->buf);
		free(k->sbuf);
		free(k);
		return -ENOMEM;
	}
	k->loop = loop;
	k->r = r;
	k->opt = opt;
	uv_timer_init(loop, &k->timer);
	k->timer.data = k;
	try_register(k);
	uv_timer_start(&k->timer, on_timer, opt->kernel_retry * 1000ULL, opt->kernel_retry * 1000ULL);
	*out = k;
	return 0;
}

void kernel_stop(struct kernel_link *k)
{
	if (!k)
		return;
	uv_timer_stop(&k->timer);
	uv_close((uv_handle_t *)&k->timer, NULL);
	while (k->misses)
		miss_free(k->misses);
	if (k->nl && k->registered) {
		struct nlmsghdr *nlh = start_msg(k, NFDNS_CMD_RESOLVER_UNREGISTER, 0);

		if (send_msg(k, nlh) == 0)
			log_info("unregistered from the nfdns kernel module");
	}
	close_socket(k);
}

void kernel_free(struct kernel_link *k)
{
	if (!k)
		return;
	free(k->buf);
	free(k->sbuf);
	free(k);
}
