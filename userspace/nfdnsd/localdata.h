/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local data, local zones and block lists: names nfdnsd answers itself,
 * and pushes into the kernel (static cache entries and local rules) so
 * that the kernel answers them too.
 */
#ifndef NFDNSD_LOCALDATA_H
#define NFDNSD_LOCALDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

struct localdata;

/* A local rule as the kernel holds it (enum nfdns_local_*). */
struct local_rule {
	uint8_t name[255];
	uint8_t name_len;
	uint8_t match;
	uint8_t action;
	bool has4, has6;
	uint8_t addr4[4];
	uint8_t addr6[16];
	uint32_t ttl;
};

/* One local-data RRset, answered as it is for its own name and type. */
struct local_rrset {
	const uint8_t *name;
	uint8_t name_len;
	uint16_t type;
	const ldns_rr_list *rrs;
};

/* The three directives; where is "FILE:LINE" for messages.  -errno, message printed. */
int localdata_add_data(struct localdata **ld, const char *value, const char *where);
int localdata_add_zone(struct localdata **ld, const char *value, const char *where);
int localdata_add_blocklist(struct localdata **ld, const char *value, const char *where);
/*
 * Checks what the directives make together and builds the rules; called
 * once the whole configuration is read.  -errno, message printed.
 */
int localdata_finish(struct localdata *ld);
void localdata_free(struct localdata *ld);

/*
 * The answer to a question that local data or a rule covers: *rcode and a
 * new *answer list (maybe empty) for the caller to free.  false when the
 * question is not local.
 */
bool localdata_answer(const struct localdata *ld, const ldns_rdf *qname, ldns_rr_type qtype, int *rcode,
		      ldns_rr_list **answer);

size_t localdata_n_rules(const struct localdata *ld);
size_t localdata_n_rrsets(const struct localdata *ld);
/* Walks the rules (for the kernel); stops when fn returns non-zero, and returns that. */
int localdata_each_rule(const struct localdata *ld, int (*fn)(void *arg, const struct local_rule *rule), void *arg);
/* Walks the RRsets that go into the kernel as static entries. */
int localdata_each_rrset(const struct localdata *ld, int (*fn)(void *arg, const struct local_rrset *set),
			 void *arg);

#endif
