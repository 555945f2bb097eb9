// SPDX-License-Identifier: GPL-2.0
#include "dname.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

int wire_name_len(const uint8_t *p, size_t max)
{
	size_t off = 0;

	while (off < max) {
		uint8_t l = p[off];

		if (l == 0)
			return off + 1 <= NAME_WIRE_MAX ? (int)(off + 1) : -EINVAL;
		if (l > 63)
			return -EINVAL;
		off += 1 + (size_t)l;
	}
	return -EINVAL;
}

int wire_label_count(const uint8_t *name, size_t len)
{
	size_t off = 0;
	int n = 0;

	while (off < len && name[off] != 0) {
		off += 1 + (size_t)name[off];
		n++;
	}
	return n;
}

bool wire_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

bool wire_name_under(const uint8_t *name, size_t nlen, const uint8_t *zone, size_t zlen)
{
	int nl = wire_label_count(name, nlen), zl = wire_label_count(zone, zlen);
	size_t off = 0;

	if (nl < zl)
		return false;
	/* Drop leading labels until both names have as many; then the rests must match. */
	for (int i = 0; i < nl - zl; i++)
		off += 1 + (size_t)name[off];
	if (off > nlen)
		return false;
	return wire_name_equal(name + off, nlen - off, zone, zlen);
}

bool name_equal(const ldns_rdf *a, const ldns_rdf *b)
{
	return wire_name_equal(ldns_rdf_data(a), ldns_rdf_size(a), ldns_rdf_data(b), ldns_rdf_size(b));
}

bool name_under(const ldns_rdf *name, const ldns_rdf *zone)
{
	return wire_name_under(ldns_rdf_data(name), ldns_rdf_size(name), ldns_rdf_data(zone),
			       ldns_rdf_size(zone));
}

bool name_identical(const ldns_rdf *a, const ldns_rdf *b)
{
	return ldns_rdf_size(a) == ldns_rdf_size(b) &&
	       memcmp(ldns_rdf_data(a), ldns_rdf_data(b), ldns_rdf_size(a)) == 0;
}

size_t name_canonical(const ldns_rdf *name, uint8_t *out)
{
	size_t len = ldns_rdf_size(name);

	if (len > NAME_WIRE_MAX)
		len = NAME_WIRE_MAX;
	/* Length bytes are at most 63, below 'A', so lowering every byte is safe. */
	for (size_t i = 0; i < len; i++)
		out[i] = lower(ldns_rdf_data(name)[i]);
	return len;
}

void name_randomize_case(ldns_rdf *name)
{
	uint8_t *p = ldns_rdf_data(name);
	size_t len = ldns_rdf_size(name), off = 0;
	uint32_t bits = 0;
	int nbits = 0;

	while (off < len && p[off] != 0) {
		size_t l = p[off];

		for (size_t i = off + 1; i <= off + l && i < len; i++) {
			uint8_t c = lower(p[i]);

			if (c < 'a' || c > 'z')
				continue;
			if (nbits == 0) {
				bits = rnd_u32();
				nbits = 32;
			}
			p[i] = (bits & 1) ? (uint8_t)(c - 32) : c;
			bits >>= 1;
			nbits--;
		}
		off += 1 + l;
	}
}

const char *name_str(const ldns_rdf *name, char buf[NAME_STRLEN])
{
	char *s = name ? ldns_rdf2str(name) : NULL;

	snprintf(buf, NAME_STRLEN, "%s", s ? s : "?");
	free(s);
	return buf;
}

const char *type_str(ldns_rr_type type, char buf[16])
{
	const ldns_rr_descriptor *d = ldns_rr_descript(type);

	if (d && d->_name)
		snprintf(buf, 16, "%s", d->_name);
	else
		snprintf(buf, 16, "TYPE%u", (unsigned)type);
	return buf;
}

const char *rcode_str(unsigned rcode, char buf[16])
{
	static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
					     "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
					     "NXRRSET", "NOTAUTH", "NOTZONE" };

	if (rcode < ARRAY_SIZE(names))
		snprintf(buf, 16, "%s", names[rcode]);
	else
		snprintf(buf, 16, "RCODE%u", rcode);
	return buf;
}

/* Past a possibly compressed name at off: the offset after it, or -EINVAL. */
static int skip_name(const uint8_t *msg, size_t len, size_t off)
{
	for (unsigned labels = 0; off < len && labels < 128; labels++) {
		uint8_t n = msg[off];

		if (n == 0)
			return (int)off + 1;
		if ((n & 0xc0) == 0xc0)
			return off + 2 <= len ? (int)off + 2 : -EINVAL;
		if (n & 0xc0)
			return -EINVAL;
		off += 1 + (size_t)n;
	}
	return -EINVAL;
}

int wire_message_len(const uint8_t *msg, size_t len)
{
	size_t off = 12;
	unsigned counts[4];

	if (len < 12 || len > 65535)
		return -EINVAL;
	for (int i = 0; i < 4; i++)
		counts[i] = (unsigned)msg[4 + 2 * i] << 8 | msg[5 + 2 * i];
	for (unsigned i = 0; i < counts[0]; i++) {
		int next = skip_name(msg, len, off);

		if (next < 0 || (size_t)next + 4 > len)
			return -EINVAL;
		off = (size_t)next + 4;
	}
	for (unsigned i = 0; i < counts[1] + counts[2] + counts[3]; i++) {
		int next = skip_name(msg, len, off);
		size_t rdlen;

		if (next < 0 || (size_t)next + 10 > len)
			return -EINVAL;
		rdlen = (size_t)msg[next + 8] << 8 | msg[next + 9];
		off = (size_t)next + 10 + rdlen;
		if (off > len)
			return -EINVAL;
	}
	return (int)off;
}

ldns_rr *dname_synthesize(const ldns_rr *dname, const ldns_rdf *name)
{
	const ldns_rdf *owner = ldns_rr_owner(dname), *target = ldns_rr_rdf(dname, 0);
	size_t prefix, len;
	uint8_t buf[NAME_WIRE_MAX];
	ldns_rdf *owner_copy, *new_target;
	ldns_rr *cname;

	if (!target || ldns_rdf_get_type(target) != LDNS_RDF_TYPE_DNAME || name_equal(name, owner) ||
	    !name_under(name, owner))
		return NULL;
	prefix = ldns_rdf_size(name) - ldns_rdf_size(owner);
	len = prefix + ldns_rdf_size(target);
	if (len > NAME_WIRE_MAX)
		return NULL;
	memcpy(buf, ldns_rdf_data(name), prefix);
	memcpy(buf + prefix, ldns_rdf_data(target), ldns_rdf_size(target));
	new_target = ldns_dname_new_frm_data((uint16_t)len, buf);
	owner_copy = ldns_rdf_clone(name);
	cname = ldns_rr_new();
	if (!new_target || !owner_copy || !cname) {
		ldns_rdf_deep_free(new_target);
		ldns_rdf_deep_free(owner_copy);
		ldns_rr_free(cname);
		return NULL;
	}
	ldns_rr_set_owner(cname, owner_copy);
	ldns_rr_set_type(cname, LDNS_RR_TYPE_CNAME);
	ldns_rr_set_class(cname, ldns_rr_get_class(dname));
	ldns_rr_set_ttl(cname, ldns_rr_ttl(dname));
	ldns_rr_push_rdf(cname, new_target);
	return cname;
}

unsigned qmin_next_labels(unsigned labels, unsigned revealed, unsigned sent)
{
	unsigned count = sent + 1;	/* this query's rank among the minimised ones */
	unsigned hidden = labels > revealed ? labels - revealed : 0;

	if (hidden <= 1)
		return labels;
	/* Counted with the root label, as the RFC's limits are. */
	if (labels + 1 > MAX_MINIMISE_COUNT && count > MINIMISE_ONE_LAB) {
		unsigned rest, extra;

		if (count >= MAX_MINIMISE_COUNT)
			return labels;
		/* The labels past the single steps, spread over the queries left. */
		rest = labels - MINIMISE_ONE_LAB;
		extra = rest / MINIMISE_MULTIPLE_LABS;
		/* One label per query is the base: extra counts those beyond it. */
		if (MAX_MINIMISE_COUNT - count >= rest % MINIMISE_MULTIPLE_LABS && extra > 0)
			extra--;
		hidden = extra < hidden ? hidden - extra : 1;
	}
	return labels - hidden + 1;
}
