// SPDX-License-Identifier: GPL-2.0
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/*
 * Query IDs and source ports must not be predictable by an off-path
 * attacker, so they come from the kernel's CSPRNG; a small pool keeps the
 * syscall count low.
 */
static uint8_t pool[512];
static size_t pool_left;

uint32_t rnd_u32(void)
{
	uint32_t v;

	if (pool_left < sizeof(v)) {
		size_t got = 0;

		while (got < sizeof(pool)) {
			ssize_t n = getrandom(pool + got, sizeof(pool) - got, 0);

			if (n < 0) {
				if (errno == EINTR)
					continue;
				/* getrandom cannot fail once the pool is initialised; stay safe anyway. */
				n = 0;
				break;
			}
			got += (size_t)n;
		}
		pool_left = got;
	}
	pool_left -= sizeof(v);
	memcpy(&v, pool + pool_left, sizeof(v));
	memset(pool + pool_left, 0, sizeof(v));
	return v;
}

uint32_t rnd_below(uint32_t bound)
{
	uint32_t limit, v;

	if (bound <= 1)
		return 0;
	/* Reject the top slice so every value is equally likely. */
	limit = UINT32_MAX - UINT32_MAX % bound;
	do
		v = rnd_u32();
	while (v >= limit);
	return v % bound;
}

socklen_t sa_len(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

bool sa_equal(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->sa_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0 &&
		       (!IN6_IS_ADDR_LINKLOCAL(&x->sin6_addr) || x->sin6_scope_id == y->sin6_scope_id);
	}
	return false;
}

uint16_t sa_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
	return ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
}

void sa_set_port(struct sockaddr *sa, uint16_t port)
{
	if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)sa)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)(void *)sa)->sin_port = htons(port);
}

const char *sa_str(const struct sockaddr *sa, bool with_port, char buf[SA_STRLEN])
{
	char a[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, a, sizeof(a));
		if (with_port)
			snprintf(buf, SA_STRLEN, "[%s]:%u", a, sa_port(sa));
		else
			snprintf(buf, SA_STRLEN, "%s", a);
	} else if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, a, sizeof(a));
		if (with_port)
			snprintf(buf, SA_STRLEN, "%s:%u", a, sa_port(sa));
		else
			snprintf(buf, SA_STRLEN, "%s", a);
	} else {
		snprintf(buf, SA_STRLEN, "?");
	}
	return buf;
}

/* FNV-1a from a secret seed, finished with a mixer, so that names chosen by
 * an attacker cannot be aimed at one bucket without knowing the seed. */
uint64_t hash_bytes(uint64_t seed, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}
