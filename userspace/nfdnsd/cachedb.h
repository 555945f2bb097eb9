/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cachedb: answers shared by a fleet of nfdnsd through Redis.  A client
 * question that misses nfdnsd's own cache is looked up in Redis before
 * any upstream query; an answer resolved here is written back for the
 * others.  Redis is an accelerator, never a dependency: every lookup is
 * given up after redis-timeout-ms, a failing server is left alone for a
 * growing back-off, and no value is believed before it was checked.
 */
#ifndef NFDNSD_CACHEDB_H
#define NFDNSD_CACHEDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "config.h"

/*
 * Key: the version of the value format, then the SHA-256 of the
 * question (lower-cased wire name, type, class, DO) in hex.  A new value
 * format takes a new prefix, so that old and new readers never see each
 * other's values.
 */
#define CACHEDB_KEY_PREFIX "nfdns:v1:"
#define CACHEDB_KEY_MAX (sizeof(CACHEDB_KEY_PREFIX) - 1 + 64 + 1)

/*
 * Value: a 20-byte header, then the response in DNS wire format as the
 * kernel would store it (QR, RA, ID 0, the question lower-cased, no OPT).
 *
 *   0  "NFDC"       magic
 *   4  version      1
 *   5  flags        CACHEDB_F_*
 *   6  reserved     0 (2 bytes)
 *   8  stored       seconds since the epoch when written (8 bytes, big-endian)
 *  16  ttl          the response's smallest TTL when written (4 bytes, big-endian)
 *  20  response
 */
#define CACHEDB_VALUE_VERSION 1
#define CACHEDB_HEADER_LEN 20
/* The writer validated the answer secure.  Kept for operators; a reader never trusts it. */
#define CACHEDB_F_SECURE 0x01
/* The writer had validation on (secure or provably insecure). */
#define CACHEDB_F_VALIDATED 0x02
#define CACHEDB_F_ALL (CACHEDB_F_SECURE | CACHEDB_F_VALIDATED)
/* A writer's clock may be this far ahead of a reader's. */
#define CACHEDB_CLOCK_SKEW 60

struct cachedb;
struct cachedb_lookup;

/* The key of a question into out (CACHEDB_KEY_MAX bytes); the name is lower-cased here. */
int cachedb_key(char *out, size_t outlen, const uint8_t *qname, size_t qname_len, uint16_t qtype, uint16_t qclass,
		bool dnssec_ok);

/* A value for a response (malloc'd into *out). */
int cachedb_value_encode(uint8_t **out, size_t *outlen, const uint8_t *wire, size_t wire_len, uint64_t stored,
			 uint32_t ttl, uint8_t flags);

struct cachedb_value {
	const uint8_t *wire;		/* the response, inside the value */
	size_t wire_len;
	uint64_t stored;
	uint32_t ttl;
	uint32_t age;			/* seconds since stored, by this host's clock */
	uint8_t flags;
	uint8_t rcode;
};

/*
 * Checks a value read for the question (qname in wire form, any case) at
 * time now, as the kernel checks a CACHE_PUT: the header, then the
 * response must parse, answer exactly this question, hold no OPT or TSIG
 * record, fit NFDNS_ENTRY_RESPONSE_MAX, and be NOERROR or NXDOMAIN.
 * 0, -EBADMSG (why says how), or -ESTALE when it has outlived its TTL.
 */
int cachedb_value_decode(const uint8_t *value, size_t len, const uint8_t *qname, size_t qname_len, uint16_t qtype,
			 uint16_t qclass, uint64_t now, struct cachedb_value *out, const char **why);

/* Connects to the configured servers; *out is NULL (and 0 returned) when redis-server is unset. */
int cachedb_start(struct cachedb **out, uv_loop_t *loop, const struct options *opt);
/* Drops the connections (pending lookups end without calling back) and frees db once its handles close. */
void cachedb_stop(struct cachedb *db);

/*
 * What a lookup found: value NULL when there is nothing to use (no such
 * key, an error, a timeout, the connection lost).  The value is valid
 * during the call only.
 */
typedef void (*cachedb_get_cb)(void *arg, const uint8_t *value, size_t len);

/*
 * Looks key up.  0: cb runs later, once, within redis-timeout-ms (unless
 * cancelled), and *handle is set until then.  -EAGAIN: Redis is not
 * asked now (no connection, backing off, too busy), counted as skipped.
 */
int cachedb_get(struct cachedb *db, const char *key, cachedb_get_cb cb, void *arg, struct cachedb_lookup **handle);
/* The caller stops waiting; a reply arriving later is dropped. */
void cachedb_cancel(struct cachedb_lookup *lookup);
/* SET key value EX ttl on the primary, without waiting; -EAGAIN when skipped. */
int cachedb_put(struct cachedb *db, const char *key, const uint8_t *value, size_t len, uint32_t ttl);

/* Whether lookups are sent now (a connection ready on the replica or the primary). */
bool cachedb_ready(const struct cachedb *db);

#endif
