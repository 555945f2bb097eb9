// SPDX-License-Identifier: GPL-2.0
#include "server.h"

#include "response.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "dname.h"
#include "histogram.h"
#include "log.h"
#include "querylog.h"
#include "stats.h"
#include "trace.h"
#include "util.h"

struct tcp_conn;

struct listener {
	uv_udp_t udp;
	uv_tcp_t tcp;
	struct service *svc;
	struct sockaddr_storage addr;
	bool udp_open, tcp_open;
};

struct client {
	struct service *svc;
	struct client *next, *prev;
	struct listener *l;		/* UDP */
	struct tcp_conn *conn;		/* TCP */
	struct sockaddr_storage peer;
	ldns_pkt *query;
	uint16_t max_size;		/* UDP payload the client takes */
	uint64_t start_ms;
	struct resolution *task;
};

struct tcp_conn {
	uv_tcp_t tcp;
	uv_timer_t idle;
	struct service *svc;
	struct tcp_conn *next, *prev;
	uint8_t *buf;
	size_t len, cap;
	unsigned in_flight;
	unsigned writes;
	bool eof;
	bool closing;
	bool paused;			/* reading stopped: too much in flight or queued */
	bool processing;		/* in conn_process: answers from the cache come back here */
	bool refused;			/* access-control refuse: every question REFUSED */
	int handles;
};

struct service {
	uv_loop_t *loop;
	struct resolver *r;
	const struct options *opt;
	struct listener *listeners;
	size_t n_listeners;
	struct client *clients;
	struct tcp_conn *conns;
	uint32_t n_conns;
};

static uint8_t udp_buffer[65536];

static void link_client(struct service *s, struct client *c)
{
	c->next = s->clients;
	c->prev = NULL;
	if (s->clients)
		s->clients->prev = c;
	s->clients = c;
}

static void client_free(struct client *c)
{
	struct service *s = c->svc;

	if (c->prev)
		c->prev->next = c->next;
	else if (s->clients == c)
		s->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->task)
		resolve_cancel(c->task);
	if (c->conn)
		c->conn->in_flight--;
	ldns_pkt_free(c->query);
	free(c);
}

void trace_answered(const char *via, const struct sockaddr *client, const ldns_rr *question,
		    const struct resolve_result *res, uint64_t start_ms, uint64_t now_ms)
{
	char n[NAME_STRLEN], ty[16], rc[16];

	if (res->rcode == LDNS_RCODE_NOERROR)
		stats.answers_noerror++;
	else if (res->rcode == LDNS_RCODE_NXDOMAIN)
		stats.answers_nxdomain++;
	else if (res->rcode == LDNS_RCODE_SERVFAIL)
		stats.answers_servfail++;
	else
		stats.answers_other++;
	if (res->from_cache)
		stats.answered_from_cache++;
	histogram_observe(&resolution_hist[res->rcode == LDNS_RCODE_SERVFAIL ? ANSWER_HOW_FAILED :
					   res->from_cache		    ? ANSWER_HOW_CACHE :
										ANSWER_HOW_RESOLVED],
			  (now_ms - start_ms) * 1000);
	querylog_answer(via, client, question, res->rcode, res->answer ? ldns_rr_list_rr_count(res->answer) : 0,
			res->from_cache, now_ms, now_ms - start_ms);
	if (res->from_cache)
		TRACE("answered %s %s %s (%zu records) from %s [%s]", name_str(ldns_rr_owner(question), n),
		      type_str(ldns_rr_get_type(question), ty), rcode_str((unsigned)res->rcode, rc),
		      res->answer ? ldns_rr_list_rr_count(res->answer) : 0, res->from_cachedb ? "cachedb" : "cache", via);
	else if (res->from_cachedb)
		/* The queries fetched what validating the value needed. */
		TRACE("answered %s %s %s (%zu records) from cachedb, validated after %u upstream queries in %llu ms [%s]",
		      name_str(ldns_rr_owner(question), n), type_str(ldns_rr_get_type(question), ty),
		      rcode_str((unsigned)res->rcode, rc), res->answer ? ldns_rr_list_rr_count(res->answer) : 0,
		      res->queries, (unsigned long long)(now_ms - start_ms), via);
	else
		TRACE("answered %s %s %s (%zu records) after %u upstream queries in %llu ms [%s]",
		      name_str(ldns_rr_owner(question), n), type_str(ldns_rr_get_type(question), ty),
		      rcode_str((unsigned)res->rcode, rc), res->answer ? ldns_rr_list_rr_count(res->answer) : 0,
		      res->queries, (unsigned long long)(now_ms - start_ms), via);
}

/* ---- sending ---- */

struct udp_send {
	uv_udp_send_t req;
	size_t len;
	uint8_t data[];
};

static void on_udp_sent(uv_udp_send_t *req, int status)
{
	(void)status;
	free(req);
}

static void udp_reply(struct listener *l, const struct sockaddr *to, const uint8_t *wire, size_t len)
{
	struct udp_send *s = malloc(sizeof(*s) + len);
	uv_buf_t b;

	if (!s)
		return;
	memcpy(s->data, wire, len);
	s->len = len;
	b = uv_buf_init((char *)s->data, (unsigned)len);
	if (uv_udp_send(&s->req, &l->udp, &b, 1, to, on_udp_sent) < 0)
		free(s);
}

static void conn_maybe_close(struct tcp_conn *c);
static void conn_close(struct tcp_conn *c);

struct tcp_write {
	uv_write_t req;
	struct tcp_conn *conn;
	uint8_t data[];
};

static void on_tcp_sent(uv_write_t *req, int status)
{
	struct tcp_write *w = (struct tcp_write *)req;
	struct tcp_conn *c = w->conn;

	c->writes--;
	free(w);
	/* The client is gone (reset, broken pipe): what it asked has nobody to go to. */
	if (status < 0 && !c->closing) {
		conn_close(c);
		return;
	}
	/* A reply that left is progress: the client reads. */
	if (!c->closing)
		uv_timer_again(&c->idle);
	conn_maybe_close(c);
}

static void tcp_reply(struct tcp_conn *c, const uint8_t *wire, size_t len)
{
	struct tcp_write *w;
	uv_buf_t b;

	if (c->closing || len > 65535)
		return;
	w = malloc(sizeof(*w) + len + 2);
	if (!w)
		return;
	w->conn = c;
	w->data[0] = (uint8_t)(len >> 8);
	w->data[1] = (uint8_t)len;
	memcpy(w->data + 2, wire, len);
	b = uv_buf_init((char *)w->data, (unsigned)(len + 2));
	if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_tcp_sent) < 0) {
		free(w);
		return;
	}
	c->writes++;
}

/* Encodes resp for the client; over UDP a response too big becomes TC=1 with the question only. */
static void send_response(struct client *c, ldns_pkt *resp)
{
	uint8_t *wire = NULL;
	size_t len = 0;

	if (ldns_pkt_edns(c->query)) {
		ldns_pkt_set_edns_udp_size(resp, c->svc->opt->edns_size);
		ldns_pkt_set_edns_do(resp, ldns_pkt_edns_do(c->query));
		/* RCODEs past 15 (BADVERS) keep their upper bits in the OPT record. */
		if (ldns_pkt_get_rcode(resp) > 15) {
			ldns_pkt_set_edns_extended_rcode(resp, ldns_pkt_get_rcode(resp) >> 4);
			ldns_pkt_set_rcode(resp, ldns_pkt_get_rcode(resp) & 15);
		}
	}
	if (ldns_pkt2wire(&wire, resp, &len) != LDNS_STATUS_OK)
		return;
	if (!c->conn && len > c->max_size) {
		free(wire);
		wire = NULL;
		ldns_rr_list_deep_free(ldns_pkt_answer(resp));
		ldns_rr_list_deep_free(ldns_pkt_authority(resp));
		ldns_rr_list_deep_free(ldns_pkt_additional(resp));
		ldns_pkt_set_answer(resp, ldns_rr_list_new());
		ldns_pkt_set_authority(resp, ldns_rr_list_new());
		ldns_pkt_set_additional(resp, ldns_rr_list_new());
		ldns_pkt_set_ancount(resp, 0);
		ldns_pkt_set_nscount(resp, 0);
		ldns_pkt_set_arcount(resp, 0);
		ldns_pkt_set_tc(resp, true);
		if (ldns_pkt2wire(&wire, resp, &len) != LDNS_STATUS_OK)
			return;
	}
	if (c->conn)
		tcp_reply(c->conn, wire, len);
	else
		udp_reply(c->l, (struct sockaddr *)&c->peer, wire, len);
	free(wire);
}

static void on_resolved(void *arg, const struct resolve_result *res)
{
	struct client *c = arg;
	const ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(c->query), 0);
	ldns_pkt *resp = response_for_query(c->query, res);

	c->task = NULL;
	trace_answered(c->conn ? "tcp" : "udp", (const struct sockaddr *)&c->peer, q, res, c->start_ms,
		       uv_now(c->svc->loop));
	if (resp)
		send_response(c, resp);
	ldns_pkt_free(resp);
	struct tcp_conn *conn = c->conn;

	client_free(c);
	if (conn)
		conn_maybe_close(conn);
}

/* Answers a query that will not be resolved (malformed, refused...) with just its header and question. */
static void reply_error(struct client *c, int rcode)
{
	struct resolve_result res = { .rcode = rcode };
	ldns_pkt *resp;

	if (ldns_pkt_qdcount(c->query) == 1) {
		resp = response_for_query(c->query, &res);
	} else {
		resp = ldns_pkt_new();
		if (resp) {
			ldns_pkt_set_id(resp, ldns_pkt_id(c->query));
			ldns_pkt_set_qr(resp, true);
			ldns_pkt_set_ra(resp, true);
			ldns_pkt_set_rd(resp, ldns_pkt_rd(c->query));
			ldns_pkt_set_cd(resp, ldns_pkt_cd(c->query));
			ldns_pkt_set_opcode(resp, ldns_pkt_get_opcode(c->query));
			ldns_pkt_set_rcode(resp, (uint8_t)rcode);
		}
	}
	if (resp)
		send_response(c, resp);
	ldns_pkt_free(resp);
}

/* Takes a client query; the client is freed when answered. */
static void handle_query(struct service *s, struct listener *l, struct tcp_conn *conn, const struct sockaddr *peer,
			 const uint8_t *wire, size_t len)
{
	struct client *c;
	ldns_pkt *query = NULL;
	const ldns_rr *q;
	int rcode = -1;

	stats.client_queries++;
	if (conn)
		stats.client_tcp++;
	else
		stats.client_udp++;
	enum acl_action access = conn ? (conn->refused ? ACL_REFUSE : ACL_ALLOW) : acl_match(&s->opt->access, peer);

	if (access == ACL_DENY) {
		stats.client_denied++;
		return;
	}
	/* Responses and runts get no answer: answering them invites reflection loops. */
	if (len < 12 || (wire[2] & 0x80) || ldns_wire2pkt(&query, wire, len) != LDNS_STATUS_OK) {
		stats.client_malformed++;
		if (len >= 12 && !(wire[2] & 0x80)) {
			/* Parse failure of something that looks like a query: FORMERR with its ID. */
			uint8_t hdr[12] = { wire[0], wire[1], (uint8_t)(0x80 | (wire[2] & 0x79)), 0x80 | 1 };

			if (conn)
				tcp_reply(conn, hdr, sizeof(hdr));
			else
				udp_reply(l, peer, hdr, sizeof(hdr));
		}
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		ldns_pkt_free(query);
		return;
	}
	c->svc = s;
	c->l = l;
	c->conn = conn;
	if (conn)
		conn->in_flight++;
	memcpy(&c->peer, peer, sa_len(peer));
	c->query = query;
	c->start_ms = uv_now(s->loop);
	c->max_size = 512;
	if (ldns_pkt_edns(query) && ldns_pkt_edns_udp_size(query) > 512)
		c->max_size = ldns_pkt_edns_udp_size(query) < s->opt->edns_size ? ldns_pkt_edns_udp_size(query)
										  : s->opt->edns_size;
	link_client(s, c);

	q = ldns_pkt_qdcount(query) == 1 ? ldns_rr_list_rr(ldns_pkt_question(query), 0) : NULL;
	/* Outside access-control (and not denied): REFUSED, as Unbound answers. */
	if (access != ACL_ALLOW) {
		stats.client_refused++;
		rcode = LDNS_RCODE_REFUSED;
	} else if (wire_message_len(wire, len) != (int)len) {
		/* Bytes after the message: not what the sender meant, so not resolved. */
		rcode = LDNS_RCODE_FORMERR;
	} else if (ldns_pkt_edns(query) && ldns_pkt_edns_version(query) > 0) {
		rcode = 16; /* BADVERS (RFC 6891 6.1.3) */
	} else if (ldns_pkt_get_opcode(query) != LDNS_PACKET_QUERY)
		rcode = LDNS_RCODE_NOTIMPL;
	else if (!q || ldns_pkt_ancount(query) || ldns_pkt_nscount(query))
		rcode = LDNS_RCODE_FORMERR;
	else if (ldns_rr_get_class(q) != LDNS_RR_CLASS_IN)
		rcode = LDNS_RCODE_REFUSED;
	else if (ldns_rr_get_type(q) == LDNS_RR_TYPE_AXFR || ldns_rr_get_type(q) == LDNS_RR_TYPE_IXFR)
		rcode = LDNS_RCODE_REFUSED;
	else if (s->r->in_flight >= s->opt->max_clients || s->r->waiting >= s->opt->max_waiting)
		rcode = LDNS_RCODE_SERVFAIL;
	if (rcode >= 0) {
		if (rcode == LDNS_RCODE_FORMERR)
			stats.client_malformed++;
		reply_error(c, rcode);
		client_free(c);
		return;
	}
	/* RD=0: what the cache holds, never a recursion on the asker's behalf. */
	if (!ldns_pkt_rd(query)) {
		int err = resolve_cached(s->r, ldns_rr_owner(q), ldns_rr_get_type(q), ldns_rr_get_class(q),
					 on_resolved, c);

		if (err < 0) {
			reply_error(c, err == -ENOENT ? LDNS_RCODE_REFUSED : LDNS_RCODE_SERVFAIL);
			client_free(c);
		}
		return;
	}
	if (resolve_start(s->r, ldns_rr_owner(q), ldns_rr_get_type(q), ldns_rr_get_class(q), on_resolved, c,
			  &c->task) < 0) {
		reply_error(c, LDNS_RCODE_SERVFAIL);
		client_free(c);
	}
	/* c may be gone here: answered from the cache. */
}

/* ---- UDP ---- */

static void on_alloc_udp(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	(void)suggested;
	*buf = uv_buf_init((char *)udp_buffer, sizeof(udp_buffer));
}

static void on_udp_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf, const struct sockaddr *from,
			unsigned flags)
{
	struct listener *l = h->data;

	if (nread <= 0 || !from || (flags & UV_UDP_PARTIAL))
		return;
	handle_query(l->svc, l, NULL, from, (const uint8_t *)buf->base, (size_t)nread);
}

/* ---- TCP ---- */

static void on_conn_closed(uv_handle_t *h)
{
	struct tcp_conn *c = h->data;

	if (--c->handles > 0)
		return;
	free(c->buf);
	free(c);
}

static void conn_close(struct tcp_conn *c)
{
	struct service *s = c->svc;

	if (c->closing)
		return;
	c->closing = true;
	/* Questions still being resolved for this connection have nobody to answer. */
	for (struct client *cl = s->clients, *next; cl; cl = next) {
		next = cl->next;
		if (cl->conn == c)
			client_free(cl);
	}
	if (c->prev)
		c->prev->next = c->next;
	else if (s->conns == c)
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->n_conns--;
	uv_timer_stop(&c->idle);
	c->handles = 2;
	uv_close((uv_handle_t *)&c->idle, on_conn_closed);
	uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

static bool conn_over_limits(const struct tcp_conn *c)
{
	const struct options *o = c->svc->opt;

	return c->in_flight >= o->tcp_max_in_flight ||
	       uv_stream_get_write_queue_size((const uv_stream_t *)&c->tcp) >= o->tcp_max_queued;
}

static void on_alloc_tcp(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_tcp_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf);

/*
 * Answers the complete messages buffered, as long as the connection is
 * within its limits (RFC 7766 6.2.3); past them it stops reading, so a
 * client that sends without reading fills its own socket buffers, not
 * this process's memory.
 */
static void conn_process(struct tcp_conn *c)
{
	struct sockaddr_storage peer;
	int plen = sizeof(peer);
	size_t off = 0;

	if (c->processing)
		return;
	c->processing = true;
	memset(&peer, 0, sizeof(peer));
	uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&peer, &plen);
	while (c->len - off >= 2 && !conn_over_limits(c)) {
		size_t mlen = (size_t)c->buf[off] << 8 | c->buf[off + 1];

		if (c->len - off - 2 < mlen)
			break;
		/* Copy out: resolving may answer at once and the buffer may move. */
		uint8_t *msg = malloc(mlen ? mlen : 1);

		if (!msg)
			break;
		memcpy(msg, c->buf + off + 2, mlen);
		off += 2 + mlen;
		handle_query(c->svc, NULL, c, (struct sockaddr *)&peer, msg, mlen);
		free(msg);
		if (c->closing)
			return;
	}
	c->processing = false;
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
	if (c->eof)
		return;
	if (conn_over_limits(c)) {
		if (!c->paused) {
			uv_read_stop((uv_stream_t *)&c->tcp);
			c->paused = true;
			stats.tcp_paused++;
		}
	} else if (c->paused) {
		c->paused = false;
		if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc_tcp, on_tcp_read) < 0)
			conn_close(c);
	}
}

static void conn_maybe_close(struct tcp_conn *c)
{
	if (c->closing)
		return;
	if (c->len >= 2 || c->paused)
		conn_process(c);
	if (c->closing || c->in_flight || c->writes)
		return;
	if (c->eof)
		conn_close(c);
	else
		uv_timer_again(&c->idle);
}

/*
 * Nothing read and no reply taken for the idle time: the connection goes,
 * also when replies wait that the client does not read.  Questions still
 * being resolved keep it (they are bounded by resolve-timeout-ms).
 */
static void on_idle(uv_timer_t *t)
{
	struct tcp_conn *c = t->data;

	if (c->writes) {
		stats.tcp_idle_closed++;
		conn_close(c);
	} else if (c->in_flight == 0) {
		conn_close(c);
	}
}

/* A message is at most 65535 bytes after its length: no more is ever buffered. */
#define TCP_BUF_MAX (2 + 65535 + 4096)

static void on_alloc_tcp(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct tcp_conn *c = h->data;
	size_t want = c->len + 4096;

	(void)suggested;
	if (want > TCP_BUF_MAX)
		want = TCP_BUF_MAX;
	if (want > c->cap) {
		uint8_t *p = realloc(c->buf, want);

		if (!p) {
			*buf = uv_buf_init(NULL, 0);
			return;
		}
		c->buf = p;
		c->cap = want;
	}
	*buf = uv_buf_init((char *)c->buf + c->len, (unsigned)(c->cap - c->len));
}

static void on_tcp_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct tcp_conn *c = st->data;

	(void)buf;
	if (nread < 0 || (nread == 0 && c->len >= TCP_BUF_MAX)) {
		/* Half-closed: answers still owed are written, then the connection goes. */
		uv_read_stop(st);
		c->eof = true;
		conn_process(c);
		if (!c->closing)
			conn_maybe_close(c);
		return;
	}
	c->len += (size_t)nread;
	uv_timer_again(&c->idle);
	conn_process(c);
}

static void on_conn_refused(uv_handle_t *h)
{
	free(h);
}

static void on_tcp_connection(uv_stream_t *server, int status)
{
	struct listener *l = server->data;
	struct service *s = l->svc;
	struct sockaddr_storage peer;
	int plen = sizeof(peer);
	enum acl_action access;
	struct tcp_conn *c;

	if (status < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->svc = s;
	uv_tcp_init(s->loop, &c->tcp);
	if (uv_accept(server, (uv_stream_t *)&c->tcp) < 0) {
		uv_close((uv_handle_t *)&c->tcp, on_conn_refused);
		return;
	}
	memset(&peer, 0, sizeof(peer));
	uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&peer, &plen);
	access = acl_match(&s->opt->access, (struct sockaddr *)&peer);
	/* Past the limit a new connection is closed at once, so the backlog keeps moving. */
	if (access == ACL_DENY || s->n_conns >= s->opt->tcp_max_conns) {
		if (access == ACL_DENY)
			stats.client_denied++;
		else
			stats.tcp_refused++;
		uv_close((uv_handle_t *)&c->tcp, on_conn_refused);
		return;
	}
	c->refused = access != ACL_ALLOW;
	uv_timer_init(s->loop, &c->idle);
	c->tcp.data = c;
	c->idle.data = c;
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->n_conns++;
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc_tcp, on_tcp_read) < 0) {
		conn_close(c);
		return;
	}
	uv_timer_start(&c->idle, on_idle, s->opt->tcp_idle_ms, s->opt->tcp_idle_ms);
}

/* ---- setup ---- */

static void on_listener_closed(uv_handle_t *h)
{
	(void)h;
}

int service_start(struct service **out, uv_loop_t *loop, struct resolver *r, const struct options *opt)
{
	struct service *s = calloc(1, sizeof(*s));
	int err = 0;

	if (!s)
		return -ENOMEM;
	s->loop = loop;
	s->r = r;
	s->opt = opt;
	s->listeners = calloc(opt->n_listen ? opt->n_listen : 1, sizeof(*s->listeners));
	if (!s->listeners) {
		free(s);
		return -ENOMEM;
	}
	*out = s;
	for (size_t i = 0; i < opt->n_listen; i++) {
		struct listener *l = &s->listeners[i];
		const struct sockaddr *sa = (const struct sockaddr *)&opt->listen[i];
		char a[SA_STRLEN];
		unsigned flags = sa->sa_family == AF_INET6 ? UV_UDP_IPV6ONLY : 0;

		l->svc = s;
		l->addr = opt->listen[i];
		s->n_listeners++;
		uv_udp_init(loop, &l->udp);
		l->udp.data = l;
		l->udp_open = true;
		err = uv_udp_bind(&l->udp, sa, flags);
		if (!err)
			err = uv_udp_recv_start(&l->udp, on_alloc_udp, on_udp_recv);
		if (err) {
			log_err("cannot serve UDP on %s: %s", sa_str(sa, true, a), uv_strerror(err));
			break;
		}
		uv_tcp_init(loop, &l->tcp);
		l->tcp.data = l;
		l->tcp_open = true;
		err = uv_tcp_bind(&l->tcp, sa, sa->sa_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0);
		if (!err)
			err = uv_listen((uv_stream_t *)&l->tcp, 128, on_tcp_connection);
		if (err) {
			log_err("cannot serve TCP on %s: %s", sa_str(sa, true, a), uv_strerror(err));
			break;
		}
		log_info("serving DNS on %s (UDP and TCP)", sa_str(sa, true, a));
	}
	if (err) {
		service_stop(s);
		*out = NULL;
		return err;
	}
	return 0;
}

void service_stop(struct service *s)
{
	if (!s)
		return;
	while (s->conns)
		conn_close(s->conns);
	while (s->clients)
		client_free(s->clients);
	for (size_t i = 0; i < s->n_listeners; i++) {
		struct listener *l = &s->listeners[i];

		if (l->udp_open)
			uv_close((uv_handle_t *)&l->udp, on_listener_closed);
		if (l->tcp_open)
			uv_close((uv_handle_t *)&l->tcp, on_listener_closed);
	}
	/*
	 * The listener handles are closed but libuv still holds them until the
	 * loop runs once more; main runs the loop before freeing.
	 */
}

void service_free(struct service *s)
{
	if (!s)
		return;
	free(s->listeners);
	free(s);
}
