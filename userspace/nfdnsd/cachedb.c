// SPDX-License-Identifier: GPL-2.0
/*
 * cachedb on Redis, through hiredis and its libuv adapter: connections,
 * lookups with a deadline, writes, back-off, and the key and value
 * formats.  What a value means for a question (and whether to believe
 * it) is resolve.c's business; here a value is only checked the way the
 * kernel checks a CACHE_PUT.
 *
 * Lifetimes.  hiredis calls every command's callback exactly once: with
 * the reply, or with NULL when the connection goes (and it may do so from
 * inside redisAsyncFree()).  So a lookup belongs to hiredis until that
 * callback, and to the caller only until it is answered, times out or is
 * cancelled; it is freed in the callback alone.  A link forgets its
 * context (ac = NULL) before freeing it, so that the callbacks run by the
 * free find it gone and nothing reaches a freed context.
 */
#include "cachedb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <hiredis/adapters/libuv.h>
#include <ldns/sha2.h>
#include <linux/nfdns.h>

#include "dnswire.h"
#include "log.h"
#include "stats.h"

/* Back-off after a failure: doubling from the first to the cap, reset by a working connection. */
#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS 30000
/* Lookups timed out or failed in a row before the connection is dropped and left alone. */
#define FAILURES_MAX 3
/* Commands waiting for a reply on one connection: past this Redis is too slow to be worth asking. */
#define IN_FLIGHT_MAX 4096
/* A connection that is not ready after this long has failed. */
#define CONNECT_TIMEOUT_MIN_MS 1000

static const uint8_t value_magic[4] = { 'N', 'F', 'D', 'C' };

/* ---- keys and values ---- */

int cachedb_key(char *out, size_t outlen, const uint8_t *qname, size_t qname_len, uint16_t qtype, uint16_t qclass,
		bool dnssec_ok)
{
	uint8_t in[NFDNS_NAME_MAX + 5], digest[32];
	static const char hex[] = "0123456789abcdef";
	size_t n, prefix = strlen(CACHEDB_KEY_PREFIX);

	if (outlen < CACHEDB_KEY_MAX || qname_len == 0 || qname_len > NFDNS_NAME_MAX)
		return -EINVAL;
	dnswire_name_lower(in, qname, qname_len);
	n = qname_len;
	in[n++] = (uint8_t)(qtype >> 8);
	in[n++] = (uint8_t)qtype;
	in[n++] = (uint8_t)(qclass >> 8);
	in[n++] = (uint8_t)qclass;
	in[n++] = dnssec_ok;
	ldns_sha256(in, (unsigned int)n, digest);
	memcpy(out, CACHEDB_KEY_PREFIX, prefix);
	for (size_t i = 0; i < sizeof(digest); i++) {
		out[prefix + 2 * i] = hex[digest[i] >> 4];
		out[prefix + 2 * i + 1] = hex[digest[i] & 15];
	}
	out[prefix + 2 * sizeof(digest)] = '\0';
	return 0;
}

int cachedb_value_encode(uint8_t **out, size_t *outlen, const uint8_t *wire, size_t wire_len, uint64_t stored,
			 uint32_t ttl, uint8_t flags)
{
	uint8_t *v;

	if (wire_len > NFDNS_ENTRY_RESPONSE_MAX)
		return -EMSGSIZE;
	v = malloc(CACHEDB_HEADER_LEN + wire_len);
	if (!v)
		return -ENOMEM;
	memcpy(v, value_magic, 4);
	v[4] = CACHEDB_VALUE_VERSION;
	v[5] = flags & CACHEDB_F_ALL;
	v[6] = v[7] = 0;
	for (int i = 0; i < 8; i++)
		v[8 + i] = (uint8_t)(stored >> (56 - 8 * i));
	put_unaligned_be32(ttl, v + 16);
	memcpy(v + CACHEDB_HEADER_LEN, wire, wire_len);
	*out = v;
	*outlen = CACHEDB_HEADER_LEN + wire_len;
	return 0;
}

int cachedb_value_decode(const uint8_t *value, size_t len, const uint8_t *qname, size_t qname_len, uint16_t qtype,
			 uint16_t qclass, uint64_t now, struct cachedb_value *out, const char **why)
{
	/* As many records as the kernel takes in one entry (NFDNS_MAX_RRS). */
	static uint16_t ttl_offs[2048];
	uint8_t qname_lc[NFDNS_NAME_MAX];
	struct dnswire_resp_info info;
	const char *reason = NULL;

	if (!why)
		why = &reason;
	*why = NULL;
	memset(out, 0, sizeof(*out));
	if (!value || len < CACHEDB_HEADER_LEN + DNSWIRE_HDR_LEN) {
		*why = "shorter than a header and a DNS message";
		return -EBADMSG;
	}
	if (memcmp(value, value_magic, 4) || value[4] != CACHEDB_VALUE_VERSION) {
		*why = "not an nfdns value of version 1";
		return -EBADMSG;
	}
	if ((value[5] & ~CACHEDB_F_ALL) || value[6] || value[7]) {
		*why = "unknown flags";
		return -EBADMSG;
	}
	if (len - CACHEDB_HEADER_LEN > NFDNS_ENTRY_RESPONSE_MAX) {
		*why = "response larger than the kernel stores";
		return -EBADMSG;
	}
	if (qname_len == 0 || qname_len > NFDNS_NAME_MAX) {
		*why = "no question";
		return -EBADMSG;
	}
	for (int i = 0; i < 8; i++)
		out->stored = out->stored << 8 | value[8 + i];
	out->ttl = get_unaligned_be32(value + 16);
	out->flags = value[5];
	out->wire = value + CACHEDB_HEADER_LEN;
	out->wire_len = len - CACHEDB_HEADER_LEN;
	if (out->ttl == 0 || out->ttl > NFDNS_TTL_MAX) {
		*why = "TTL out of range";
		return -EBADMSG;
	}
	if (out->stored > now + CACHEDB_CLOCK_SKEW) {
		*why = "stored in the future";
		return -EBADMSG;
	}
	out->age = out->stored < now ? (uint32_t)(now - out->stored) : 0;
	dnswire_name_lower(qname_lc, qname, qname_len);
	if (dnswire_validate_response(out->wire, out->wire_len, qname_lc, (u8)qname_len, qtype, qclass, ttl_offs,
				      sizeof(ttl_offs) / sizeof(ttl_offs[0]), &info, why)) {
		if (!*why)
			*why = "more records than the kernel stores";
		return -EBADMSG;
	}
	if (info.rcode != DNSWIRE_RCODE_NOERROR && info.rcode != DNSWIRE_RCODE_NXDOMAIN) {
		*why = "neither NOERROR nor NXDOMAIN";
		return -EBADMSG;
	}
	out->rcode = info.rcode;
	if (out->age >= out->ttl)
		return -ESTALE;
	return 0;
}

/* ---- connections ---- */

enum link_state {
	LINK_OFF,		/* not configured */
	LINK_CONNECTING,	/* connecting, or AUTH and SELECT not answered yet */
	LINK_READY,
	LINK_BACKOFF,		/* failed: left alone until the timer */
};

struct redis_link {
	struct cachedb *db;
	const char *role;		/* "primary" or "replica", for the log */
	char *address;			/* as configured */
	char host[INET6_ADDRSTRLEN];	/* TCP: the address; empty for a UNIX socket */
	int port;
	const char *path;		/* UNIX socket, inside address */
	redisAsyncContext *ac;		/* NULL unless connecting or ready */
	enum link_state state;
	bool connected;			/* the connect callback said so */
	unsigned setup_pending;		/* AUTH and SELECT replies awaited */
	uv_timer_t timer;		/* connect deadline, or end of the back-off */
	uint32_t backoff_ms;		/* the next back-off */
	unsigned failures;		/* in a row, since the last success */
	unsigned in_flight;		/* commands sent, replies not yet received */
	bool failing;			/* a failure was logged as a warning; say when it works again */
};

struct cachedb {
	uv_loop_t *loop;
	struct redis_link primary, replica;
	char *user, *password;
	uint32_t db_index;
	uint32_t timeout_ms;
	/* Lookups whose caller waits, oldest first: with one timeout for all, that is deadline order. */
	struct cachedb_lookup *waiting_head, *waiting_tail;
	uv_timer_t deadline;
	unsigned handles_open;		/* timers still to close before db is freed */
	bool stopping;
};

struct cachedb_lookup {
	struct cachedb *db;
	struct redis_link *link;
	struct cachedb_lookup *next, *prev;	/* in db's waiting list while waiting */
	bool waiting;
	uint64_t deadline_ms;
	cachedb_get_cb cb;			/* NULL once the caller stopped waiting */
	void *arg;
	struct cachedb_lookup **handle;
};

static void link_connect(struct redis_link *l);

static const char *link_name(const struct redis_link *l)
{
	return l->address;
}

static void waiting_remove(struct cachedb_lookup *lk)
{
	struct cachedb *db = lk->db;

	if (!lk->waiting)
		return;
	if (lk->prev)
		lk->prev->next = lk->next;
	else
		db->waiting_head = lk->next;
	if (lk->next)
		lk->next->prev = lk->prev;
	else
		db->waiting_tail = lk->prev;
	lk->next = lk->prev = NULL;
	lk->waiting = false;
}

/* The caller hears "nothing usable", once; the lookup stays until hiredis lets it go. */
static void lookup_answer(struct cachedb_lookup *lk, const uint8_t *value, size_t len)
{
	cachedb_get_cb cb = lk->cb;

	waiting_remove(lk);
	lk->cb = NULL;
	if (lk->handle)
		*lk->handle = NULL;
	lk->handle = NULL;
	if (cb)
		cb(lk->arg, value, len);
}

static void backoff_expired(uv_timer_t *t)
{
	struct redis_link *l = t->data;

	if (l->state == LINK_BACKOFF && !l->db->stopping)
		link_connect(l);
}

/*
 * The link failed: the context (if any) is dropped and nothing is sent to
 * this server until the back-off is over.  Safe inside hiredis callbacks:
 * redisAsyncFree() then only marks the context, and hiredis frees it when
 * the callback returns.
 */
static void link_fail(struct redis_link *l, const char *why)
{
	redisAsyncContext *ac = l->ac;
	uint32_t wait = l->backoff_ms;

	l->ac = NULL;
	l->connected = false;
	l->setup_pending = 0;
	l->failures = 0;
	if (l->db->stopping) {
		l->state = LINK_OFF;
		if (ac)
			redisAsyncFree(ac);
		return;
	}
	l->state = LINK_BACKOFF;
	l->backoff_ms = l->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : l->backoff_ms * 2;
	if (!l->failing)
		log_warn("cachedb: redis %s (%s): %s; without it for %u ms, then again", link_name(l), l->role, why,
			 wait);
	else
		log_debug("cachedb: redis %s (%s): %s; without it for %u ms", link_name(l), l->role, why, wait);
	l->failing = true;
	uv_timer_stop(&l->timer);
	uv_timer_start(&l->timer, backoff_expired, wait, 0);
	if (ac)
		redisAsyncFree(ac);
}

static void link_ready(struct redis_link *l)
{
	l->state = LINK_READY;
	l->failures = 0;
	l->backoff_ms = BACKOFF_FIRST_MS;
	uv_timer_stop(&l->timer);
	log_info("cachedb: connected to redis %s (%s)%s", link_name(l), l->role, l->failing ? ", working again" : "");
	l->failing = false;
}

/* A command failed or timed out: a few in a row and the server is left alone for a while. */
static void link_failure(struct redis_link *l, const char *why)
{
	if (l->state != LINK_READY)
		return;
	if (++l->failures >= FAILURES_MAX)
		link_fail(l, why);
}

static void on_connect(const redisAsyncContext *ac, int status)
{
	struct redis_link *l = ac->data;

	if (!l || l->ac != ac)
		return;
	if (status != REDIS_OK) {
		char why[160];

		snprintf(why, sizeof(why), "cannot connect: %s", ac->errstr[0] ? ac->errstr : "error");
		/* hiredis frees the context after this callback: it is not ours to free. */
		l->ac = NULL;
		link_fail(l, why);
		return;
	}
	l->connected = true;
	if (!l->setup_pending)
		link_ready(l);
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
	struct redis_link *l = ac->data;
	char why[160];

	(void)status;
	if (!l || l->ac != ac)
		return;
	snprintf(why, sizeof(why), "connection lost: %s", ac->errstr[0] ? ac->errstr : "closed by the server");
	/* Freed by hiredis once this returns. */
	l->ac = NULL;
	link_fail(l, why);
}

/* AUTH and SELECT: a refusal is a configuration problem, worth a clear warning. */
static void setup_reply(redisAsyncContext *ac, redisReply *reply, struct redis_link *l, const char *command)
{
	char why[200];

	if (!reply || l->ac != ac)
		return;
	if (reply->type == REDIS_REPLY_ERROR) {
		snprintf(why, sizeof(why), "%s refused: %.*s", command, (int)(reply->len < 120 ? reply->len : 120),
			 reply->str ? reply->str : "");
		stats.cachedb_errors++;
		link_fail(l, why);
		return;
	}
	if (l->setup_pending)
		l->setup_pending--;
	if (!l->setup_pending && l->connected && l->state == LINK_CONNECTING)
		link_ready(l);
}

static void on_auth_reply(redisAsyncContext *ac, void *reply, void *privdata)
{
	setup_reply(ac, reply, privdata, "AUTH");
}

static void on_select_reply(redisAsyncContext *ac, void *reply, void *privdata)
{
	setup_reply(ac, reply, privdata, "SELECT");
}

static void connect_expired(uv_timer_t *t)
{
	struct redis_link *l = t->data;

	if (l->state == LINK_CONNECTING)
		link_fail(l, "not ready in time");
}

static void link_connect(struct redis_link *l)
{
	struct cachedb *db = l->db;
	redisAsyncContext *ac;
	uint64_t deadline = db->timeout_ms * 10ULL;

	ac = l->path ? redisAsyncConnectUnix(l->path) : redisAsyncConnect(l->host, l->port);
	if (!ac) {
		link_fail(l, "out of memory");
		return;
	}
	if (ac->err) {
		char why[160];

		snprintf(why, sizeof(why), "cannot connect: %s", ac->errstr);
		redisAsyncFree(ac);
		link_fail(l, why);
		return;
	}
	if (redisLibuvAttach(ac, db->loop) != REDIS_OK) {
		/* The adapter's hooks are half set up: hiredis must not call them on a context it never polled. */
		memset(&ac->ev, 0, sizeof(ac->ev));
		redisAsyncFree(ac);
		link_fail(l, "cannot attach to the event loop");
		return;
	}
	ac->data = l;
	l->ac = ac;
	l->connected = false;
	l->state = LINK_CONNECTING;
	redisAsyncSetConnectCallback(ac, on_connect);
	redisAsyncSetDisconnectCallback(ac, on_disconnect);
	/* Queued now, sent as soon as the connection is up; the link is ready when both are answered. */
	l->setup_pending = 0;
	if (db->password) {
		int rc = db->user ? redisAsyncCommand(ac, on_auth_reply, l, "AUTH %s %s", db->user, db->password)
				  : redisAsyncCommand(ac, on_auth_reply, l, "AUTH %s", db->password);

		l->setup_pending += rc == REDIS_OK;
	}
	if (db->db_index)
		l->setup_pending += redisAsyncCommand(ac, on_select_reply, l, "SELECT %u", db->db_index) == REDIS_OK;
	uv_timer_stop(&l->timer);
	uv_timer_start(&l->timer, connect_expired, deadline > CONNECT_TIMEOUT_MIN_MS ? deadline : CONNECT_TIMEOUT_MIN_MS,
		       0);
}

static int link_init(struct cachedb *db, struct redis_link *l, const char *role, const char *address)
{
	l->db = db;
	l->role = role;
	l->state = LINK_OFF;
	l->backoff_ms = BACKOFF_FIRST_MS;
	uv_timer_init(db->loop, &l->timer);
	l->timer.data = l;
	db->handles_open++;
	if (!address)
		return 0;
	l->address = strdup(address);
	if (!l->address)
		return -ENOMEM;
	if (strncmp(address, "unix:", 5) == 0) {
		l->path = l->address + 5;
	} else {
		struct sockaddr_storage ss;
		const void *addr;

		if (parse_address(address, 6379, &ss))
			return -EINVAL;
		addr = ss.ss_family == AF_INET6 ? (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
						: (const void *)&((struct sockaddr_in *)&ss)->sin_addr;
		inet_ntop(ss.ss_family, addr, l->host, sizeof(l->host));
		l->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	}
	link_connect(l);
	return 0;
}

static void handle_closed(struct cachedb *db)
{
	if (--db->handles_open)
		return;
	free(db->primary.address);
	free(db->replica.address);
	free(db->user);
	if (db->password)
		memset(db->password, 0, strlen(db->password));
	free(db->password);
	free(db);
}

static void on_link_timer_closed(uv_handle_t *h)
{
	handle_closed(((struct redis_link *)h->data)->db);
}

static void on_deadline_closed(uv_handle_t *h)
{
	handle_closed(h->data);
}

/* ---- lookups ---- */

static void deadline_arm(struct cachedb *db);

static void deadline_expired(uv_timer_t *t)
{
	struct cachedb *db = t->data;
	uint64_t now = uv_now(db->loop);

	while (db->waiting_head && db->waiting_head->deadline_ms <= now) {
		struct cachedb_lookup *lk = db->waiting_head;
		struct redis_link *l = lk->link;

		stats.cachedb_errors++;
		/* The reply may still come: the lookup stays for hiredis, the caller goes on without it. */
		lookup_answer(lk, NULL, 0);
		/* Last: dropping the connection frees lk, through its callback. */
		link_failure(l, "lookups timed out");
	}
	deadline_arm(db);
}

static void deadline_arm(struct cachedb *db)
{
	uint64_t now = uv_now(db->loop);

	if (!db->waiting_head) {
		uv_timer_stop(&db->deadline);
		return;
	}
	uv_timer_start(&db->deadline, deadline_expired,
		       db->waiting_head->deadline_ms > now ? db->waiting_head->deadline_ms - now : 0, 0);
}

static void on_get_reply(redisAsyncContext *ac, void *r, void *privdata)
{
	struct cachedb_lookup *lk = privdata;
	struct redis_link *l = lk->link;
	redisReply *reply = r;

	if (l->in_flight)
		l->in_flight--;
	if (!reply) {
		/* The connection went: the disconnect callback deals with the link. */
		if (lk->cb)
			stats.cachedb_errors++;
		lookup_answer(lk, NULL, 0);
	} else if (reply->type == REDIS_REPLY_STRING && reply->len > 0) {
		l->failures = 0;
		lookup_answer(lk, (const uint8_t *)reply->str, (size_t)reply->len);
	} else if (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_NIL) {
		/* GETRANGE of a missing key is the empty string. */
		l->failures = 0;
		if (lk->cb)
			stats.cachedb_misses++;
		lookup_answer(lk, NULL, 0);
	} else {
		/* An error (WRONGTYPE, NOAUTH, LOADING...), or a reply no GETRANGE gives. */
		if (reply->type == REDIS_REPLY_ERROR)
			log_debug("cachedb: redis %s: %.*s", link_name(l), (int)(reply->len < 120 ? reply->len : 120),
				  reply->str ? reply->str : "");
		stats.cachedb_errors++;
		if (l->ac == ac)
			link_failure(l, "lookups failed");
		lookup_answer(lk, NULL, 0);
	}
	free(lk);
}

static struct redis_link *read_link(struct cachedb *db)
{
	if (db->replica.state == LINK_READY && db->replica.in_flight < IN_FLIGHT_MAX)
		return &db->replica;
	if (db->primary.state == LINK_READY && db->primary.in_flight < IN_FLIGHT_MAX)
		return &db->primary;
	return NULL;
}

bool cachedb_ready(const struct cachedb *db)
{
	return db && (db->replica.state == LINK_READY || db->primary.state == LINK_READY);
}

int cachedb_get(struct cachedb *db, const char *key, cachedb_get_cb cb, void *arg, struct cachedb_lookup **handle)
{
	struct redis_link *l = db && !db->stopping ? read_link(db) : NULL;
	struct cachedb_lookup *lk;

	if (!l) {
		stats.cachedb_skipped++;
		return -EAGAIN;
	}
	lk = calloc(1, sizeof(*lk));
	if (!lk)
		return -ENOMEM;
	lk->db = db;
	lk->link = l;
	lk->cb = cb;
	lk->arg = arg;
	lk->handle = handle;
	/*
	 * GETRANGE, not GET: no more than the largest value is ever sent to
	 * us, whatever was planted under the key; a longer one shows by its
	 * length and is refused.
	 */
	if (redisAsyncCommand(l->ac, on_get_reply, lk, "GETRANGE %s 0 %u", key,
			      (unsigned)(CACHEDB_HEADER_LEN + NFDNS_ENTRY_RESPONSE_MAX)) != REDIS_OK) {
		free(lk);
		stats.cachedb_skipped++;
		return -EAGAIN;
	}
	l->in_flight++;
	lk->deadline_ms = uv_now(db->loop) + db->timeout_ms;
	lk->waiting = true;
	lk->prev = db->waiting_tail;
	if (db->waiting_tail)
		db->waiting_tail->next = lk;
	else
		db->waiting_head = lk;
	db->waiting_tail = lk;
	if (lk == db->waiting_head)
		deadline_arm(db);
	if (handle)
		*handle = lk;
	return 0;
}

void cachedb_cancel(struct cachedb_lookup *lk)
{
	if (!lk)
		return;
	waiting_remove(lk);
	lk->cb = NULL;
	if (lk->handle)
		*lk->handle = NULL;
	lk->handle = NULL;
}

static void on_set_reply(redisAsyncContext *ac, void *r, void *privdata)
{
	struct redis_link *l = privdata;
	redisReply *reply = r;

	(void)ac;
	if (l->in_flight)
		l->in_flight--;
	if (!reply)
		return;
	if (reply->type == REDIS_REPLY_ERROR) {
		/*
		 * A full Redis (OOM) refuses writes but still answers reads:
		 * counted, and not held against the connection.
		 */
		stats.cachedb_errors++;
		log_debug("cachedb: redis %s refused a write: %.*s", link_name(l),
			  (int)(reply->len < 120 ? reply->len : 120), reply->str ? reply->str : "");
		return;
	}
	stats.cachedb_writes++;
}

int cachedb_put(struct cachedb *db, const char *key, const uint8_t *value, size_t len, uint32_t ttl)
{
	struct redis_link *l = db ? &db->primary : NULL;

	if (!l || db->stopping || l->state != LINK_READY || l->in_flight >= IN_FLIGHT_MAX || ttl == 0) {
		stats.cachedb_skipped++;
		return -EAGAIN;
	}
	if (redisAsyncCommand(l->ac, on_set_reply, l, "SET %s %b EX %u", key, value, len, ttl) != REDIS_OK) {
		stats.cachedb_skipped++;
		return -EAGAIN;
	}
	l->in_flight++;
	return 0;
}

/* ---- start and stop ---- */

int cachedb_start(struct cachedb **out, uv_loop_t *loop, const struct options *opt)
{
	struct cachedb *db;
	int err;

	*out = NULL;
	if (!opt->redis_server)
		return 0;
	db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	db->loop = loop;
	db->db_index = opt->redis_db;
	db->timeout_ms = opt->redis_timeout_ms;
	uv_timer_init(loop, &db->deadline);
	db->deadline.data = db;
	db->handles_open = 1;
	if ((opt->redis_user && !(db->user = strdup(opt->redis_user))) ||
	    (opt->redis_password && !(db->password = strdup(opt->redis_password)))) {
		cachedb_stop(db);
		return -ENOMEM;
	}
	err = link_init(db, &db->primary, "primary", opt->redis_server);
	if (!err)
		err = link_init(db, &db->replica, "replica", opt->redis_replica);
	if (err) {
		cachedb_stop(db);
		return err;
	}
	log_info("cachedb: answers shared through redis %s%s%s (lookups wait at most %u ms)", opt->redis_server,
		 opt->redis_replica ? ", read from " : "", opt->redis_replica ? opt->redis_replica : "",
		 db->timeout_ms);
	*out = db;
	return 0;
}

static void link_stop(struct redis_link *l)
{
	redisAsyncContext *ac = l->ac;

	l->ac = NULL;
	l->state = LINK_OFF;
	/* Calls back every command still waiting, with NULL: their lookups are freed there. */
	if (ac)
		redisAsyncFree(ac);
	if (l->db && uv_is_active((uv_handle_t *)&l->timer))
		uv_timer_stop(&l->timer);
	if (l->db && !uv_is_closing((uv_handle_t *)&l->timer))
		uv_close((uv_handle_t *)&l->timer, on_link_timer_closed);
}

void cachedb_stop(struct cachedb *db)
{
	if (!db)
		return;
	db->stopping = true;
	while (db->waiting_head)
		cachedb_cancel(db->waiting_head);
	link_stop(&db->primary);
	link_stop(&db->replica);
	uv_timer_stop(&db->deadline);
	uv_close((uv_handle_t *)&db->deadline, on_deadline_closed);
}
