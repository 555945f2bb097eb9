// SPDX-License-Identifier: GPL-2.0
#include "upstream.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dname.h"
#include "log.h"
#include "stats.h"
#include "util.h"

struct upstream_query {
	uv_loop_t *loop;
	uv_timer_t timer;
	union {
		uv_handle_t handle;
		uv_udp_t udp;
		uv_tcp_t tcp;
	} sock;
	bool is_tcp;
	bool sock_open;
	bool done;
	int closing;
	uv_udp_send_t send_req;
	uv_connect_t connect_req;
	uv_write_t write_req;

	struct sockaddr_storage server;
	uint16_t id;
	ldns_rdf *qname;
	ldns_rr_type qtype;
	ldns_rr_class qclass;
	bool exact_case;
	uint8_t *wire;			/* 2-byte length prefix, then the message */
	size_t wire_len;
	uint8_t *rbuf;			/* TCP answer being read */
	size_t rlen, rcap;
	uint64_t sent_ns;

	upstream_cb cb;
	void (*on_slow)(void *arg);
	uint32_t slow_left_ms;		/* from the slow call to the timeout */
	void *arg;
};

static unsigned sockets_open;

unsigned upstream_sockets_open(void)
{
	return sockets_open;
}

static void on_closed(uv_handle_t *h)
{
	struct upstream_query *q = h->data;

	if (h == &q->sock.handle)
		sockets_open--;

	if (--q->closing > 0)
		return;
	ldns_rdf_deep_free(q->qname);
	free(q->wire);
	free(q->rbuf);
	free(q);
}

static void close_all(struct upstream_query *q)
{
	uv_timer_stop(&q->timer);
	q->closing = 1;
	uv_close((uv_handle_t *)&q->timer, on_closed);
	if (q->sock_open) {
		q->closing++;
		uv_close(&q->sock.handle, on_closed);
	}
}

static void finish(struct upstream_query *q, int err, ldns_pkt *answer)
{
	upstream_cb cb = q->cb;
	uint32_t rtt = (uint32_t)((uv_hrtime() - q->sent_ns) / 1000000);

	if (q->done) {
		ldns_pkt_free(answer);
		return;
	}
	q->done = true;
	q->cb = NULL;
	q->on_slow = NULL;
	close_all(q);
	if (cb)
		cb(q->arg, err, answer, rtt);
	else
		ldns_pkt_free(answer);
}

void upstream_cancel(struct upstream_query *q)
{
	if (!q || q->done)
		return;
	q->done = true;
	q->cb = NULL;
	q->on_slow = NULL;
	close_all(q);
}

int upstream_check_answer(const uint8_t *wire, size_t len, uint16_t id, const ldns_rdf *qname,
			  ldns_rr_type qtype, ldns_rr_class qclass, bool exact_case, ldns_pkt **pkt)
{
	ldns_pkt *p = NULL;
	ldns_rr *q;

	*pkt = NULL;
	if (len < 12 || !(wire[2] & 0x80))
		return -EBADMSG;
	if (((uint16_t)wire[0] << 8 | wire[1]) != id)
		return -ESRCH;
	if (ldns_wire2pkt(&p, wire, len) != LDNS_STATUS_OK)
		return -EBADMSG;
	if (ldns_pkt_qdcount(p) == 0) {
		/* Some servers drop the question when refusing what they cannot parse. */
		ldns_pkt_rcode rc = ldns_pkt_get_rcode(p);

		if (rc == LDNS_RCODE_FORMERR || rc == LDNS_RCODE_NOTIMPL) {
			*pkt = p;
			return 0;
		}
		ldns_pkt_free(p);
		return -EXDEV;
	}
	q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
	if (ldns_pkt_qdcount(p) != 1 || ldns_rr_get_type(q) != qtype || ldns_rr_get_class(q) != qclass ||
	    !name_equal(ldns_rr_owner(q), qname)) {
		ldns_pkt_free(p);
		return -EXDEV;
	}
	if (exact_case && !name_identical(ldns_rr_owner(q), qname)) {
		ldns_pkt_free(p);
		return -EILSEQ;
	}
	*pkt = p;
	return 0;
}

static void count_drop(int err)
{
	if (err == -ESRCH)
		stats.dropped_wrong_id++;
	else if (err == -EXDEV)
		stats.dropped_wrong_question++;
	else
		stats.dropped_malformed++;
}

static void handle_answer(struct upstream_query *q, const uint8_t *wire, size_t len)
{
	ldns_pkt *pkt;
	int err = upstream_check_answer(wire, len, q->id, q->qname, q->qtype, q->qclass, q->exact_case, &pkt);

	/*
	 * The right ID from the right port, the name in another case: a server
	 * that does not keep the case (or a forger who guessed ID and port).
	 * The query ends, and the caller asks again without 0x20.
	 */
	if (err == -EILSEQ) {
		stats.case_mismatches++;
		finish(q, -EILSEQ, NULL);
		return;
	}
	if (err) {
		count_drop(err);
		if (log_enabled(LOG_LEVEL_DEBUG)) {
			char a[SA_STRLEN];

			log_debug("dropped answer from %s: %s", sa_str((struct sockaddr *)&q->server, true, a),
				  err == -ESRCH ? "wrong ID" : err == -EXDEV ? "wrong question" : "malformed");
		}
		if (q->is_tcp)
			finish(q, -EIO, NULL);
		return;
	}
	stats.upstream_accepted++;
	finish(q, 0, pkt);
}

static uint8_t recv_buffer[65536];

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	(void)suggested;
	*buf = uv_buf_init((char *)recv_buffer, sizeof(recv_buffer));
}

static void on_udp_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf, const struct sockaddr *from,
			unsigned flags)
{
	struct upstream_query *q = h->data;

	(void)flags;
	if (q->done || nread == 0 || !from)
		return;
	if (nread < 0) {
		finish(q, (int)nread, NULL);
		return;
	}
	if (!sa_equal(from, (struct sockaddr *)&q->server)) {
		char a[SA_STRLEN];

		stats.dropped_wrong_source++;
		log_debug("dropped answer from %s: not the address queried", sa_str(from, true, a));
		return;
	}
	handle_answer(q, (const uint8_t *)buf->base, (size_t)nread);
}

static void on_udp_sent(uv_udp_send_t *req, int status)
{
	struct upstream_query *q = req->handle->data;

	if (status < 0 && !q->done) {
		stats.upstream_errors++;
		finish(q, status, NULL);
	}
}

static void on_timeout(uv_timer_t *t)
{
	struct upstream_query *q = t->data;

	if (q->on_slow) {
		void (*slow)(void *) = q->on_slow;

		/* The owner may try elsewhere meanwhile; a late answer is still welcome. */
		q->on_slow = NULL;
		uv_timer_start(&q->timer, on_timeout, q->slow_left_ms, 0);
		slow(q->arg);
		return;
	}
	stats.upstream_timeouts++;
	finish(q, -ETIMEDOUT, NULL);
}

static void on_tcp_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct upstream_query *q = s->data;

	if (q->done)
		return;
	if (nread < 0) {
		finish(q, nread == UV_EOF ? -ECONNRESET : (int)nread, NULL);
		return;
	}
	if (q->rlen + (size_t)nread > q->rcap) {
		size_t cap = q->rlen + (size_t)nread;
		uint8_t *p;

		if (cap > 65537) {
			finish(q, -EMSGSIZE, NULL);
			return;
		}
		p = realloc(q->rbuf, cap);
		if (!p) {
			finish(q, -ENOMEM, NULL);
			return;
		}
		q->rbuf = p;
		q->rcap = cap;
	}
	memcpy(q->rbuf + q->rlen, buf->base, (size_t)nread);
	q->rlen += (size_t)nread;
	if (q->rlen >= 2) {
		size_t want = (size_t)q->rbuf[0] << 8 | q->rbuf[1];

		if (q->rlen >= 2 + want)
			handle_answer(q, q->rbuf + 2, want);
	}
}

static void on_tcp_written(uv_write_t *req, int status)
{
	struct upstream_query *q = req->handle->data;

	if (status < 0 && !q->done)
		finish(q, status, NULL);
}

static void on_tcp_connected(uv_connect_t *req, int status)
{
	struct upstream_query *q = req->handle->data;
	uv_buf_t b;
	int err;

	if (q->done)
		return;
	if (status < 0) {
		stats.upstream_errors++;
		finish(q, status, NULL);
		return;
	}
	b = uv_buf_init((char *)q->wire, (unsigned)q->wire_len);
	err = uv_write(&q->write_req, (uv_stream_t *)&q->sock.tcp, &b, 1, on_tcp_written);
	if (!err)
		err = uv_read_start((uv_stream_t *)&q->sock.tcp, on_alloc, on_tcp_read);
	if (err)
		finish(q, err, NULL);
}

static int make_socket(int family, int type, uint32_t mark)
{
	int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (mark && setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) {
		static bool warned;

		/* Without CAP_NET_ADMIN the mark cannot be set; resolving still works. */
		if (!warned)
			log_warn("cannot set SO_MARK 0x%x on upstream sockets: %s", mark, strerror(errno));
		warned = true;
	}
	return fd;
}

/* A port the kernel would not have picked predictably: chosen here at random. */
static int bind_random_port(int fd, int family)
{
	struct sockaddr_storage ss;

	for (int attempt = 0; attempt < 16; attempt++) {
		uint16_t port = (uint16_t)(1024 + rnd_below(65536 - 1024));

		memset(&ss, 0, sizeof(ss));
		ss.ss_family = (sa_family_t)family;
		sa_set_port((struct sockaddr *)&ss, port);
		if (bind(fd, (struct sockaddr *)&ss, sa_len((struct sockaddr *)&ss)) == 0)
			return 0;
		if (errno != EADDRINUSE && errno != EACCES)
			return -errno;
	}
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (bind(fd, (struct sockaddr *)&ss, sa_len((struct sockaddr *)&ss)) < 0)
		return -errno;
	return 0;
}

static int build_query(struct upstream_query *q, const struct upstream_request *req)
{
	ldns_pkt *pkt = ldns_pkt_query_new(ldns_rdf_clone(req->qname), req->qtype, req->qclass, 0);
	uint8_t *wire = NULL;
	size_t len = 0;

	if (!pkt)
		return -ENOMEM;
	ldns_pkt_set_id(pkt, q->id);
	ldns_pkt_set_rd(pkt, req->rd);
	if (req->edns) {
		ldns_pkt_set_edns_udp_size(pkt, req->edns_size);
		/* DO: the signatures and denial proofs come along, for validation and for DO clients. */
		ldns_pkt_set_edns_do(pkt, true);
	}
	if (ldns_pkt2wire(&wire, pkt, &len) != LDNS_STATUS_OK) {
		ldns_pkt_free(pkt);
		return -ENOMEM;
	}
	ldns_pkt_free(pkt);
	q->wire = malloc(len + 2);
	if (!q->wire) {
		free(wire);
		return -ENOMEM;
	}
	q->wire[0] = (uint8_t)(len >> 8);
	q->wire[1] = (uint8_t)len;
	memcpy(q->wire + 2, wire, len);
	q->wire_len = len + 2;
	free(wire);
	return 0;
}

int upstream_send(uv_loop_t *loop, const struct upstream_request *req, upstream_cb cb, void *arg,
		  struct upstream_query **out)
{
	struct upstream_query *q = calloc(1, sizeof(*q));
	int family = req->server.ss_family, fd = -1, err;

	if (!q)
		return -ENOMEM;
	q->loop = loop;
	q->server = req->server;
	q->id = (uint16_t)rnd_u32();
	q->qname = ldns_rdf_clone(req->qname);
	q->qtype = req->qtype;
	q->qclass = req->qclass;
	q->exact_case = req->exact_case;
	q->is_tcp = req->tcp;
	q->cb = cb;
	q->arg = arg;
	if (!q->qname) {
		free(q);
		return -ENOMEM;
	}
	err = build_query(q, req);
	if (err)
		goto fail;

	fd = make_socket(family, req->tcp ? SOCK_STREAM : SOCK_DGRAM, req->mark);
	if (fd < 0) {
		err = fd;
		goto fail;
	}
	/* From here the socket counts until its handle is closed (or fd closed below). */
	sockets_open++;
	if (!req->tcp) {
		err = bind_random_port(fd, family);
		if (err)
			goto fail;
		err = uv_udp_init(loop, &q->sock.udp);
		if (err)
			goto fail;
		q->sock_open = true;
		q->sock.udp.data = q;
		err = uv_udp_open(&q->sock.udp, fd);
		if (err)
			goto fail_handles;
		fd = -1;
	} else {
		err = uv_tcp_init(loop, &q->sock.tcp);
		if (err)
			goto fail;
		q->sock_open = true;
		q->sock.tcp.data = q;
		err = uv_tcp_open(&q->sock.tcp, fd);
		if (err)
			goto fail_handles;
		fd = -1;
	}
	err = uv_timer_init(loop, &q->timer);
	if (err)
		goto fail_handles;
	q->timer.data = q;
	/*
	 * The loop's clock is cached per iteration; after a long iteration it
	 * lags, and the wait would start in the past and end at once.
	 */
	uv_update_time(loop);
	q->sent_ns = uv_hrtime();
	if (req->on_slow && req->slow_ms && req->slow_ms < req->timeout_ms) {
		q->on_slow = req->on_slow;
		q->slow_left_ms = req->timeout_ms - req->slow_ms;
		err = uv_timer_start(&q->timer, on_timeout, req->slow_ms, 0);
	} else {
		err = uv_timer_start(&q->timer, on_timeout, req->timeout_ms, 0);
	}
	if (err)
		goto fail_all;
	if (!req->tcp) {
		uv_buf_t b = uv_buf_init((char *)q->wire + 2, (unsigned)(q->wire_len - 2));

		err = uv_udp_recv_start(&q->sock.udp, on_alloc, on_udp_recv);
		if (!err)
			err = uv_udp_send(&q->send_req, &q->sock.udp, &b, 1, (const struct sockaddr *)&q->server,
					  on_udp_sent);
	} else {
		stats.upstream_tcp++;
		err = uv_tcp_connect(&q->connect_req, &q->sock.tcp, (const struct sockaddr *)&q->server,
				     on_tcp_connected);
	}
	if (err)
		goto fail_all;
	stats.upstream_queries++;
	*out = q;
	return 0;

fail_all:
	/* Both handles are open: close them and let on_closed free q. */
	q->done = true;
	close_all(q);
	return err;
fail_handles:
	/* The socket is counted off when its handle has closed. */
	if (fd >= 0)
		close(fd);
	q->done = true;
	q->closing = 1;
	uv_close(&q->sock.handle, on_closed);
	return err;
fail:
	if (fd >= 0) {
		close(fd);
		sockets_open--;
	}
	ldns_rdf_deep_free(q->qname);
	free(q->wire);
	free(q);
	return err;
}
