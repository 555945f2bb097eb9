// SPDX-License-Identifier: GPL-2.0
#include "infra.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "dname.h"
#include "util.h"

/* Address family, address and port: the identity of a server. */
static size_t addr_key(uint8_t *key, const struct sockaddr *sa)
{
	size_t n = 0;

	key[n++] = (uint8_t)sa->sa_family;
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		memcpy(key + n, &s6->sin6_addr, 16);
		n += 16;
		memcpy(key + n, &s6->sin6_port, 2);
		n += 2;
	} else {
		const struct sockaddr_in *s4 = (const void *)sa;

		memcpy(key + n, &s4->sin_addr, 4);
		n += 4;
		memcpy(key + n, &s4->sin_port, 2);
		n += 2;
	}
	return n;
}

int infra_init(struct infra *in, size_t max_entries)
{
	int err = lru_init(&in->servers, max_entries, free);

	if (err)
		return err;
	err = lru_init(&in->lame, max_entries, NULL);
	if (err)
		lru_destroy(&in->servers);
	return err;
}

void infra_destroy(struct infra *in)
{
	lru_destroy(&in->servers);
	lru_destroy(&in->lame);
}

static struct infra_server *lookup(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	uint8_t key[32];
	size_t n = addr_key(key, sa);
	struct lru_entry *e = lru_get(&in->servers, key, n, now);

	return e ? e->value : NULL;
}

struct infra_server *infra_server(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	struct infra_server *s = lookup(in, sa, now);
	uint8_t key[32];
	size_t n;

	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	n = addr_key(key, sa);
	if (lru_put(&in->servers, key, n, s, now + INFRA_TTL, now)) {
		free(s);
		return NULL;
	}
	return s;
}

static void refresh(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	uint8_t key[32];
	size_t n = addr_key(key, sa);
	struct lru_entry *e = lru_get(&in->servers, key, n, now);

	if (e)
		e->expires = now + INFRA_TTL;
}

void infra_rtt_sample(struct infra *in, const struct sockaddr *sa, uint32_t rtt_ms, uint64_t now)
{
	struct infra_server *s = infra_server(in, sa, now);

	if (!s)
		return;
	if (!s->rtt_known) {
		s->srtt = rtt_ms;
		s->rttvar = rtt_ms / 2;
		s->rtt_known = true;
	} else {
		uint32_t diff = s->srtt > rtt_ms ? s->srtt - rtt_ms : rtt_ms - s->srtt;

		s->rttvar = (3 * s->rttvar + diff) / 4;
		s->srtt = (7 * s->srtt + rtt_ms) / 8;
	}
	s->timeouts = 0;
	s->backoff_until = 0;
	refresh(in, sa, now);
}

void infra_timeout(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	struct infra_server *s = infra_server(in, sa, now);
	uint64_t backoff;

	if (!s)
		return;
	if (s->timeouts < 30)
		s->timeouts++;
	backoff = 1000ULL << (s->timeouts - 1 < 20 ? s->timeouts - 1 : 20);
	if (backoff > INFRA_BACKOFF_MAX)
		backoff = INFRA_BACKOFF_MAX;
	s->backoff_until = now + backoff;
	refresh(in, sa, now);
}

uint32_t infra_rto(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	struct infra_server *s = lookup(in, sa, now);
	uint64_t rto;

	if (!s || !s->rtt_known)
		rto = INFRA_RTO_INITIAL;
	else
		rto = (uint64_t)s->srtt + 4ULL * s->rttvar;
	/* A server that has been silent gets longer waits, as TCP does. */
	if (s && s->timeouts)
		rto <<= (s->timeouts < 3 ? s->timeouts : 3);
	if (rto < INFRA_RTO_MIN)
		rto = INFRA_RTO_MIN;
	if (rto > INFRA_RTO_MAX)
		rto = INFRA_RTO_MAX;
	return (uint32_t)rto;
}

void infra_set_no_edns(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	struct infra_server *s = infra_server(in, sa, now);

	if (s) {
		s->no_edns = true;
		s->no_edns_at = now;
	}
}

bool infra_use_edns(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	struct infra_server *s = lookup(in, sa, now);

	/* Servers get upgraded: after a while EDNS is tried again. */
	if (s && s->no_edns && now - s->no_edns_at >= INFRA_REPROBE)
		s->no_edns = false;
	return !(s && s->no_edns);
}

void infra_set_no_0x20(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	struct infra_server *s = infra_server(in, sa, now);

	if (s) {
		s->no_0x20 = true;
		s->no_0x20_at = now;
	}
}

bool infra_use_0x20(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	struct infra_server *s = lookup(in, sa, now);

	if (s && s->no_0x20 && now - s->no_0x20_at >= INFRA_REPROBE)
		s->no_0x20 = false;
	return !(s && s->no_0x20);
}

static size_t lame_key(uint8_t *key, const ldns_rdf *zone, const struct sockaddr *sa)
{
	size_t n = addr_key(key, sa);

	return n + name_canonical(zone, key + n);
}

void infra_set_lame_for(struct infra *in, const ldns_rdf *zone, const struct sockaddr *sa, uint64_t now,
			uint32_t ttl_ms)
{
	uint8_t key[32 + NAME_WIRE_MAX];
	size_t n = lame_key(key, zone, sa);

	lru_put(&in->lame, key, n, NULL, now + ttl_ms, now);
}

void infra_set_lame(struct infra *in, const ldns_rdf *zone, const struct sockaddr *sa, uint64_t now)
{
	infra_set_lame_for(in, zone, sa, now, INFRA_LAME_TTL);
}

bool infra_is_lame(struct infra *in, const ldns_rdf *zone, const struct sockaddr *sa, uint64_t now)
{
	uint8_t key[32 + NAME_WIRE_MAX];
	size_t n = lame_key(key, zone, sa);

	return lru_get(&in->lame, key, n, now) != NULL;
}

uint64_t infra_score(struct infra *in, const struct sockaddr *sa, uint64_t now)
{
	struct infra_server *s = lookup(in, sa, now);

	if (!s)
		return 0;
	if (s->backoff_until > now)
		return 1000000000ULL + (s->backoff_until - now);
	if (!s->rtt_known)
		return s->timeouts ? 100000ULL * s->timeouts : 0;
	return 1 + s->srtt;
}

int infra_select(struct infra *in, const struct sockaddr_storage *cands, const bool *skip, size_t n,
		 uint64_t now)
{
	uint64_t best = UINT64_MAX;
	uint32_t ties = 0;
	int pick = -ENOENT;

	for (size_t i = 0; i < n; i++) {
		uint64_t score;

		if (skip && skip[i])
			continue;
		score = infra_score(in, (const struct sockaddr *)&cands[i], now);
		if (score < best) {
			best = score;
			pick = (int)i;
			ties = 1;
		} else if (score == best && rnd_below(++ties) == 0) {
			/* Reservoir choice: each tied address equally likely. */
			pick = (int)i;
		}
	}
	return pick;
}

struct infra_match {
	uint8_t key[32];
	size_t len;
};

static bool key_starts(const struct lru_entry *e, void *arg)
{
	const struct infra_match *m = arg;

	return !m->len || (e->keylen >= m->len && !memcmp(e->key, m->key, m->len));
}

size_t infra_flush(struct infra *in, const struct sockaddr *sa)
{
	struct infra_match m = { .len = 0 };

	if (sa)
		m.len = addr_key(m.key, sa);
	return lru_remove_if(&in->servers, key_starts, &m) + lru_remove_if(&in->lame, key_starts, &m);
}

static void key_addr(const uint8_t *key, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (key[0] == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, key + 1, 16);
		memcpy(&s6->sin6_port, key + 17, 2);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, key + 1, 4);
		memcpy(&s4->sin_port, key + 5, 2);
	}
}

struct lame_count {
	struct infra_match m;
	uint64_t now;
	size_t n;
};

static int count_lame(const struct lru_entry *e, void *arg)
{
	struct lame_count *c = arg;

	if (e->expires > c->now && key_starts(e, &c->m))
		c->n++;
	return 0;
}

struct infra_walk {
	struct infra *in;
	uint64_t now;
	int (*fn)(void *arg, const struct sockaddr *sa, const struct infra_server *s, size_t lame_zones);
	void *arg;
};

static int walk_server(const struct lru_entry *e, void *arg)
{
	struct infra_walk *w = arg;
	struct sockaddr_storage ss;
	struct lame_count c = { .now = w->now };

	if (e->expires <= w->now)
		return 0;
	key_addr(e->key, &ss);
	c.m.len = addr_key(c.m.key, (struct sockaddr *)&ss);
	lru_each(&w->in->lame, count_lame, &c);
	return w->fn(w->arg, (struct sockaddr *)&ss, e->value, c.n);
}

int infra_each(struct infra *in, uint64_t now,
	       int (*fn)(void *arg, const struct sockaddr *sa, const struct infra_server *s, size_t lame_zones),
	       void *arg)
{
	struct infra_walk w = { in, now, fn, arg };

	return lru_each(&in->servers, walk_server, &w);
}
