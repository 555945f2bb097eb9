/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forward and stub zones: names resolved by asking configured servers
 * instead of iterating from the root.
 */
#ifndef NFDNSD_ZONES_H
#define NFDNSD_ZONES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <ldns/ldns.h>

#define ZONE_MAX_SERVERS 16

enum zone_kind {
	ZONE_FORWARD,	/* recursive servers, asked with RD=1; their answer is final */
	ZONE_STUB,	/* authoritative servers: iteration starts there */
};

struct zone_servers {
	ldns_rdf *name;
	enum zone_kind kind;
	struct sockaddr_storage addr[ZONE_MAX_SERVERS];
	size_t n_addr;
	char *where;
};

struct zones {
	struct zone_servers *z;
	size_t n;
};

/* "NAME ADDR..." for a forward or stub zone; ADDR is ADDR, ADDR@PORT or ADDR:PORT.  -errno, message printed. */
int zones_add(struct zones **zs, enum zone_kind kind, const char *value, const char *where);
/* The most specific zone at or above name, or NULL. */
const struct zone_servers *zones_match(const struct zones *zs, const ldns_rdf *name);
void zones_free(struct zones *zs);

#endif
