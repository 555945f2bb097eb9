/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_UPSTREAM_H
#define NFDNSD_UPSTREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ldns/ldns.h>
#include <uv.h>

/*
 * One query to one name server, over UDP from a fresh socket bound to a
 * random port, or over TCP.  The answer is accepted only from the address
 * and port queried, with the query's ID and question; anything else is
 * counted and dropped while waiting goes on.
 */
struct upstream_request {
	struct sockaddr_storage server;
	const ldns_rdf *qname;		/* sent as given (0x20 case included) */
	ldns_rr_type qtype;
	ldns_rr_class qclass;
	bool edns;
	uint16_t edns_size;
	bool tcp;
	bool exact_case;		/* the echoed name must match byte for byte */
	bool rd;			/* recursion desired: to a forwarder */
	uint32_t timeout_ms;		/* then the query ends with -ETIMEDOUT */
	uint32_t slow_ms;		/* 0, or when to call on_slow (before timeout_ms) */
	void (*on_slow)(void *arg);	/* no answer yet; the query goes on */
	uint32_t mark;			/* SO_MARK; 0 for none */
};

/*
 * err: 0 with an answer (owned by the callee), or -ETIMEDOUT, -ECONNREFUSED,
 * -EILSEQ (0x20 case not echoed), -EIO...  rtt_ms is the time to the answer.  The query is gone once this
 * returns.
 */
typedef void (*upstream_cb)(void *arg, int err, ldns_pkt *answer, uint32_t rtt_ms);

struct upstream_query;

int upstream_send(uv_loop_t *loop, const struct upstream_request *req, upstream_cb cb, void *arg,
		  struct upstream_query **out);
/* Sockets of upstream queries open now (closing ones included). */
unsigned upstream_sockets_open(void);
/* The callback is not called after this. */
void upstream_cancel(struct upstream_query *q);

/*
 * Checks an answer's header and question against what was asked; returns
 * 0 or a negative errno naming the failure (for counting): -EBADMSG
 * (malformed), -ESRCH (ID), -EXDEV (question), -EILSEQ (the question's
 * name in another case, with exact_case).  On success *pkt is set.
 */
int upstream_check_answer(const uint8_t *wire, size_t len, uint16_t id, const ldns_rdf *qname,
			  ldns_rr_type qtype, ldns_rr_class qclass, bool exact_case, ldns_pkt **pkt);

#endif
