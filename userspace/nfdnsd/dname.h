/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_DNAME_H
#define NFDNSD_DNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#define NAME_WIRE_MAX 255
/* Presentation form, every byte escaped as \DDD at worst. */
#define NAME_STRLEN (NAME_WIRE_MAX * 4 + 2)

/*
 * Wire-format helpers; names are uncompressed length-prefixed labels ending
 * with the root label.  Comparisons ignore ASCII case (RFC 4343).
 */
/* Length of the wire name at p (within max bytes), or -EINVAL. */
int wire_name_len(const uint8_t *p, size_t max);
int wire_label_count(const uint8_t *name, size_t len);
/*
 * Bytes a whole message occupies, walking its header counts (names may be
 * compressed), or -EINVAL when it does not fit in len.  Less than len
 * means bytes trail the message.
 */
int wire_message_len(const uint8_t *msg, size_t len);
bool wire_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);
/* True when name is zone or lies below it. */
bool wire_name_under(const uint8_t *name, size_t nlen, const uint8_t *zone, size_t zlen);

bool name_equal(const ldns_rdf *a, const ldns_rdf *b);
bool name_under(const ldns_rdf *name, const ldns_rdf *zone);
/* Exact byte equality, case included: what 0x20 checking needs. */
bool name_identical(const ldns_rdf *a, const ldns_rdf *b);
/*
 * The CNAME a DNAME implies for name (RFC 6672 2.2): owner name, target
 * name with the DNAME's owner suffix replaced by its target, TTL and class
 * of the DNAME.  NULL when name is not strictly below the DNAME's owner or
 * the result would be longer than 255 bytes.
 */
ldns_rr *dname_synthesize(const ldns_rr *dname, const ldns_rdf *name);
/* Lower-case wire form into out (NAME_WIRE_MAX bytes); returns length. */
size_t name_canonical(const ldns_rdf *name, uint8_t *out);
/* Flip the case of each letter at random (draft-vixie-dnsext-dns0x20). */
void name_randomize_case(ldns_rdf *name);

/*
 * QNAME minimisation (RFC 9156 2.3): the first MINIMISE_ONE_LAB queries
 * for a name show one more label each; past them labels come several at a
 * time, so that a name of any length is walked in at most
 * MAX_MINIMISE_COUNT queries, the last one with the full name.
 */
#define MAX_MINIMISE_COUNT 10
#define MINIMISE_ONE_LAB 4
#define MINIMISE_MULTIPLE_LABS (MAX_MINIMISE_COUNT - MINIMISE_ONE_LAB)
/*
 * How many of a name's labels (the root not counted) its next query
 * shows, when the servers asked know `revealed` of them already and
 * `sent` minimised queries went out for it.  labels: the full name.
 */
unsigned qmin_next_labels(unsigned labels, unsigned revealed, unsigned sent);

const char *name_str(const ldns_rdf *name, char buf[NAME_STRLEN]);
const char *type_str(ldns_rr_type type, char buf[16]);
const char *rcode_str(unsigned rcode, char buf[16]);

#endif
