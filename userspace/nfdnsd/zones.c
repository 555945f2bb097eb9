// SPDX-License-Identifier: GPL-2.0
#include "zones.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static const char *const kind_names[] = { [ZONE_FORWARD] = "forward-zone", [ZONE_STUB] = "stub-zone" };

/* Unbound writes a port as ADDR@PORT; nfdnsd's other settings as ADDR:PORT or [ADDR]:PORT. */
static int parse_server(const char *text, struct sockaddr_storage *out)
{
	char buf[128];
	const char *at = strchr(text, '@');

	if (!at)
		return parse_address(text, 53, out);
	if (strchr(at + 1, '@') || at == text || (size_t)(at - text) + 8 > sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), memchr(text, ':', (size_t)(at - text)) ? "[%.*s]:%s" : "%.*s:%s",
		 (int)(at - text), text, at + 1);
	return parse_address(buf, 53, out);
}

int zones_add(struct zones **zsp, enum zone_kind kind, const char *value, const char *where)
{
	const char *what = kind_names[kind];
	struct zone_servers z, *grown;
	char *copy = strdup(value), *tok, *save = NULL;
	struct zones *zs = *zsp;
	int err = -EINVAL;

	memset(&z, 0, sizeof(z));
	if (!copy)
		return -ENOMEM;
	tok = strtok_r(copy, " \t", &save);
	if (!tok || !(z.name = ldns_dname_new_frm_str(tok)) || ldns_dname_label_count(z.name) > 127) {
		fprintf(stderr, "nfdnsd: %s: %s wants \"NAME ADDR...\": bad name \"%s\"\n", where, what, tok ? tok : "");
		goto out;
	}
	ldns_dname2canonical(z.name);
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (z.n_addr == ZONE_MAX_SERVERS) {
			fprintf(stderr, "nfdnsd: %s: %s: more than %d addresses\n", where, what, ZONE_MAX_SERVERS);
			goto out;
		}
		if (parse_server(tok, &z.addr[z.n_addr])) {
			fprintf(stderr, "nfdnsd: %s: %s: bad address \"%s\" (ADDR, ADDR@PORT or [ADDR]:PORT)\n", where,
				what, tok);
			goto out;
		}
		z.n_addr++;
	}
	if (!z.n_addr) {
		fprintf(stderr, "nfdnsd: %s: %s %s has no address\n", where, what, value);
		goto out;
	}
	for (size_t i = 0; zs && i < zs->n; i++) {
		if (ldns_dname_compare(zs->z[i].name, z.name) == 0) {
			fprintf(stderr, "nfdnsd: %s: %s: the zone is already a %s (%s)\n", where, what,
				kind_names[zs->z[i].kind], zs->z[i].where);
			goto out;
		}
	}
	err = -ENOMEM;
	if (!zs) {
		zs = calloc(1, sizeof(*zs));
		if (!zs)
			goto out;
		*zsp = zs;
	}
	z.kind = kind;
	z.where = strdup(where);
	grown = realloc(zs->z, (zs->n + 1) * sizeof(*zs->z));
	if (!grown || !z.where)
		goto out;
	zs->z = grown;
	zs->z[zs->n++] = z;
	z.name = NULL;
	z.where = NULL;
	err = 0;
out:
	ldns_rdf_deep_free(z.name);
	free(z.where);
	free(copy);
	return err;
}

const struct zone_servers *zones_match(const struct zones *zs, const ldns_rdf *name)
{
	const struct zone_servers *best = NULL;

	for (size_t i = 0; zs && i < zs->n; i++) {
		const struct zone_servers *z = &zs->z[i];

		if ((ldns_dname_compare(z->name, name) == 0 || ldns_dname_is_subdomain(name, z->name)) &&
		    (!best || ldns_dname_label_count(z->name) > ldns_dname_label_count(best->name)))
			best = z;
	}
	return best;
}

void zones_free(struct zones *zs)
{
	if (!zs)
		return;
	for (size_t i = 0; i < zs->n; i++) {
		ldns_rdf_deep_free(zs->z[i].name);
		free(zs->z[i].where);
	}
	free(zs->z);
	free(zs);
}
