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
