// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl: names, types, numbers and JSON strings.
 *
 * Names and types go through ldns, so they read and print as dig's do.
 * JSON is only ever written, a few flat objects of names and numbers, so
 * a string escaper is all of it that nfdnsctl needs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "nfdnsctl.h"

/**
 * nfdnsctl_name_to_wire() - a name as the kernel wants it
 * @name: presentation format, with or without the final dot
 * @wire: NFDNS_NAME_MAX bytes, filled with the lower-cased wire form
 * @len: set to its length
 *
 * Return: 0, or -EINVAL when @name is not a valid domain name.
 */
int nfdnsctl_name_to_wire(const char *name, uint8_t *wire, uint8_t *len)
{
	ldns_rdf *rdf;
	size_t n;

	if (!*name)
		return -EINVAL;
	rdf = ldns_dname_new_frm_str(name);
	if (!rdf)
		return -EINVAL;
	ldns_dname2canonical(rdf);
	n = ldns_rdf_size(rdf);
	if (n < 1 || n > NFDNS_NAME_MAX) {
		ldns_rdf_deep_free(rdf);
		return -EINVAL;
	}
	memcpy(wire, ldns_rdf_data(rdf), n);
	*len = (uint8_t)n;
	ldns_rdf_deep_free(rdf);
	return 0;
}

/**
 * nfdnsctl_name_to_str() - a wire-format name in presentation format
 * @wire: the name
 * @len: its length
 * @buf: where to write it, ending with a dot
 * @size: room in @buf
 *
 * Return: 0, or -EINVAL when @wire is not a valid name.
 */
int nfdnsctl_name_to_str(const uint8_t *wire, unsigned int len, char *buf,
			 size_t size)
{
	ldns_rdf *rdf;
	char *s;
	size_t i = 0;

	/* ldns accepts trailing bytes; the kernel's names have none. */
	while (i < len && wire[i])
		i += wire[i] + 1;
	if (i + 1 != len)
		return -EINVAL;
	rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, len, wire);
	if (!rdf)
		return -EINVAL;
	s = ldns_rdf2str(rdf);
	ldns_rdf_deep_free(rdf);
	if (!s)
		return -EINVAL;
	snprintf(buf, size, "%s", s);
	free(s);
	return 0;
}

/**
 * nfdnsctl_type_from_str() - an RR type by its mnemonic or as TYPEnnn
 * @s: "AAAA", "mx", "TYPE65", or a number
 * @type: set to the type
 *
 * Return: 0, or -EINVAL.
 */
int nfdnsctl_type_from_str(const char *s, uint16_t *type)
{
	uint64_t n;
	ldns_rr_type t;

	if (!nfdnsctl_parse_u64(s, 65535, &n)) {
		*type = (uint16_t)n;
		return 0;
	}
	t = ldns_get_rr_type_by_name(s);
	if (!t)
		return -EINVAL;
	*type = (uint16_t)t;
	return 0;
}

/**
 * nfdnsctl_type_to_str() - an RR type's mnemonic, or TYPEnnn
 * @type: the type
 * @buf: where to write it
 * @size: room in @buf
 */
void nfdnsctl_type_to_str(uint16_t type, char *buf, size_t size)
{
	char *s = ldns_rr_type2str((ldns_rr_type)type);

	snprintf(buf, size, "%s", s ? s : "?");
	free(s);
}

/**
 * nfdnsctl_class_to_str() - a class's mnemonic, or CLASSnnn
 * @class: the class
 * @buf: where to write it
 * @size: room in @buf
 */
void nfdnsctl_class_to_str(uint16_t class, char *buf, size_t size)
{
	char *s = ldns_rr_class2str((ldns_rr_class)class);

	snprintf(buf, size, "%s", s ? s : "?");
	free(s);
}

/**
 * nfdnsctl_json_str() - write a JSON string, quoted and escaped
 * @f: the stream
 * @s: UTF-8 or plain bytes; control characters are escaped
 */
void nfdnsctl_json_str(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/**
 * nfdnsctl_parse_u64() - a whole decimal or 0x-hexadecimal number
 * @s: the text
 * @max: the largest value allowed
 * @val: set to the number
 *
 * Return: 0, -EINVAL when @s is not a number, -ERANGE above @max.
 */
int nfdnsctl_parse_u64(const char *s, uint64_t max, uint64_t *val)
{
	unsigned long long n;
	int base = 10;
	char *end;

	/* No octal: "010" is ten, as an operator means it. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	}
	if (!isxdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || n > max)
		return -ERANGE;
	*val = n;
	return 0;
}

/**
 * nfdnsctl_parse_bool() - yes/no, on/off, true/false, 1/0
 * @s: the text
 * @val: set to the truth
 *
 * Return: 0, or -EINVAL.
 */
int nfdnsctl_parse_bool(const char *s, bool *val)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*val = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*val = false;
			return 0;
		}
	}
	return -EINVAL;
}
