// SPDX-License-Identifier: GPL-2.0
/*
 * Local data, local zones and block lists.
 *
 * The directives are kept as given while the configuration is read, then
 * localdata_finish() turns them into what both nfdnsd and the kernel
 * answer from: RRsets answered for their own name and type (static cache
 * entries in the kernel), and rules covering a name or a subtree (the
 * kernel's local rules).  Rules are looked up as the kernel does: an exact
 * rule for the name itself, then the subtree rule of the nearest enclosing
 * name.  Both live in ldns red-black trees.
 */
#include "localdata.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/nfdns.h>

enum zone_type {
	ZONE_STATIC,
	ZONE_REFUSE,
	ZONE_NXDOMAIN,
	ZONE_REDIRECT,
};

static const char *const zone_type_names[] = {
	[ZONE_STATIC] = "static",
	[ZONE_REFUSE] = "refuse",
	[ZONE_NXDOMAIN] = "nxdomain",
	[ZONE_REDIRECT] = "redirect",
};

struct local_zone {
	uint8_t name[255];
	uint8_t len;
	enum zone_type type;
	char *where;
};

struct local_data {
	ldns_rr *rr;
	char *where;
};

struct rule_node {
	ldns_rbnode_t node;
	uint32_t ttl;
	uint8_t match, action, name_len;
	bool has4, has6;
	uint8_t addr4[4];
	uint8_t *addr6;		/* 16 bytes, or NULL: most rules have none */
	uint8_t name[];
};

struct rrset_node {
	ldns_rbnode_t node;
	uint16_t type;
	uint8_t name_len;
	uint8_t name[255];
	ldns_rr_list *rrs;
};

struct localdata {
	struct local_zone *zones;
	size_t n_zones;
	struct local_data *data;
	size_t n_data;
	ldns_rbtree_t *rules;
	ldns_rbtree_t *rrsets;
};

/* Block list answers: null (0.0.0.0 and ::), NXDOMAIN or REFUSED. */
#define BLOCK_TTL 3600

static const uint8_t ip6_any[16];

static void name_lower(uint8_t *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		name[i] = (uint8_t)tolower(name[i]);
}

static int rule_cmp(const void *a, const void *b)
{
	const struct rule_node *x = a, *y = b;
	int c;

	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	c = memcmp(x->name, y->name, x->name_len);
	if (c)
		return c;
	return (int)x->match - (int)y->match;
}

static int rrset_cmp(const void *a, const void *b)
{
	const struct rrset_node *x = a, *y = b;
	int c;

	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	c = memcmp(x->name, y->name, x->name_len);
	if (c)
		return c;
	return (int)x->type - (int)y->type;
}

static struct localdata *localdata_get(struct localdata **ld)
{
	if (!*ld) {
		*ld = calloc(1, sizeof(**ld));
		if (!*ld)
			return NULL;
		(*ld)->rules = ldns_rbtree_create(rule_cmp);
		(*ld)->rrsets = ldns_rbtree_create(rrset_cmp);
		if (!(*ld)->rules || !(*ld)->rrsets) {
			localdata_free(*ld);
			*ld = NULL;
		}
	}
	return *ld;
}

/* A text name, absolute or not, as a lower-cased wire name. */
static int text_to_wire(const char *text, uint8_t *out, uint8_t *len)
{
	char buf[300];
	size_t n = strlen(text);
	ldns_rdf *rdf;

	if (n == 0 || n >= sizeof(buf) - 2)
		return -EINVAL;
	memcpy(buf, text, n + 1);
	if (buf[n - 1] != '.') {
		buf[n] = '.';
		buf[n + 1] = '\0';
	}
	rdf = ldns_dname_new_frm_str(buf);
	if (!rdf)
		return -EINVAL;
	if (ldns_rdf_size(rdf) > 255) {
		ldns_rdf_deep_free(rdf);
		return -EINVAL;
	}
	*len = (uint8_t)ldns_rdf_size(rdf);
	memcpy(out, ldns_rdf_data(rdf), *len);
	name_lower(out, *len);
	ldns_rdf_deep_free(rdf);
	return 0;
}

/* A rule for a name and match; one given again replaces the first. */
static int rule_put(struct localdata *ld, const uint8_t *name, uint8_t len, uint8_t match, uint8_t action,
		    const uint8_t *addr4, const uint8_t *addr6, uint32_t ttl)
{
	struct rule_node *r = calloc(1, sizeof(*r) + len), *old;

	if (!r)
		return -ENOMEM;
	memcpy(r->name, name, len);
	r->name_len = len;
	r->match = match;
	r->action = action;
	r->ttl = ttl;
	if (addr4) {
		r->has4 = true;
		memcpy(r->addr4, addr4, 4);
	}
	if (addr6) {
		r->addr6 = malloc(16);
		if (!r->addr6) {
			free(r);
			return -ENOMEM;
		}
		r->has6 = true;
		memcpy(r->addr6, addr6, 16);
	}
	r->node.key = r;
	old = (struct rule_node *)ldns_rbtree_search(ld->rules, r);
	if (old) {
		old->action = r->action;
		old->ttl = r->ttl;
		old->has4 = r->has4;
		memcpy(old->addr4, r->addr4, 4);
		free(old->addr6);
		old->has6 = r->has6;
		old->addr6 = r->addr6;
		free(r);
		return 0;
	}
	ldns_rbtree_insert(ld->rules, &r->node);
	return 0;
}

int localdata_add_data(struct localdata **ldp, const char *value, const char *where)
{
	struct localdata *ld = localdata_get(ldp);
	char text[1024];
	size_t n = strlen(value);
	ldns_rr *rr = NULL;
	ldns_status st;
	struct local_data *grown;

	if (!ld)
		return -ENOMEM;
	/* "NAME TTL TYPE RDATA", quoted as Unbound writes it, or not. */
	if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
		value++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(text)) {
		fprintf(stderr, "nfdnsd: %s: local-data wants \"NAME TTL TYPE RDATA\"\n", where);
		return -EINVAL;
	}
	memcpy(text, value, n);
	text[n] = '\0';
	st = ldns_rr_new_frm_str(&rr, text, 3600, NULL, NULL);
	if (st != LDNS_STATUS_OK) {
		fprintf(stderr, "nfdnsd: %s: local-data \"%s\": %s\n", where, text, ldns_get_errorstr_by_id(st));
		return -EINVAL;
	}
	if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
		fprintf(stderr, "nfdnsd: %s: local-data \"%s\": only class IN\n", where, text);
		ldns_rr_free(rr);
		return -EINVAL;
	}
	grown = realloc(ld->data, (ld->n_data + 1) * sizeof(*ld->data));
	if (!grown) {
		ldns_rr_free(rr);
		return -ENOMEM;
	}
	ld->data = grown;
	ld->data[ld->n_data].rr = rr;
	ld->data[ld->n_data].where = strdup(where);
	ld->n_data++;
	return 0;
}

int localdata_add_zone(struct localdata **ldp, const char *value, const char *where)
{
	struct localdata *ld = localdata_get(ldp);
	char name[300], type[32], extra[2];
	struct local_zone *grown, z;
	size_t t;

	if (!ld)
		return -ENOMEM;
	memset(&z, 0, sizeof(z));
	if (sscanf(value, "%299s %31s %1s", name, type, extra) != 2) {
		fprintf(stderr, "nfdnsd: %s: local-zone wants \"NAME static|refuse|nxdomain|redirect\"\n", where);
		return -EINVAL;
	}
	for (t = 0; t < sizeof(zone_type_names) / sizeof(zone_type_names[0]); t++)
		if (strcasecmp(type, zone_type_names[t]) == 0)
			break;
	if (t == sizeof(zone_type_names) / sizeof(zone_type_names[0])) {
		fprintf(stderr, "nfdnsd: %s: local-zone type \"%s\" is not static, refuse, nxdomain or redirect\n",
			where, type);
		return -EINVAL;
	}
	if (text_to_wire(name, z.name, &z.len)) {
		fprintf(stderr, "nfdnsd: %s: local-zone: bad name \"%s\"\n", where, name);
		return -EINVAL;
	}
	for (size_t i = 0; i < ld->n_zones; i++) {
		if (ld->zones[i].len == z.len && !memcmp(ld->zones[i].name, z.name, z.len)) {
			fprintf(stderr, "nfdnsd: %s: local-zone %s is given twice (first at %s)\n", where, name,
				ld->zones[i].where);
			return -EINVAL;
		}
	}
	z.type = (enum zone_type)t;
	z.where = strdup(where);
	grown = realloc(ld->zones, (ld->n_zones + 1) * sizeof(*ld->zones));
	if (!grown || !z.where) {
		free(z.where);
		if (grown)
			ld->zones = grown;
		return -ENOMEM;
	}
	ld->zones = grown;
	ld->zones[ld->n_zones++] = z;
	return 0;
}

/* Names that hosts files carry for the host itself, not to block. */
static bool hosts_boilerplate(const char *name)
{
	static const char *const names[] = {
		"localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost",
		"ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters",
		"ip6-allhosts", "0.0.0.0",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

struct block_mode {
	uint8_t action;
	bool null;
};

static int block_name(struct localdata *ld, const char *text, uint8_t match, const struct block_mode *mode,
		      const char *where)
{
	static const uint8_t any4[4];
	uint8_t name[255], len;

	if (text_to_wire(text, name, &len) || len <= 1) {
		fprintf(stderr, "nfdnsd: %s: not a domain name: \"%s\"\n", where, text);
		return -EINVAL;
	}
	return rule_put(ld, name, len, match, mode->action, mode->null ? any4 : NULL, mode->null ? ip6_any : NULL,
			BLOCK_TTL);
}

/*
 * One line of a block list: "ADDRESS NAME..." (a hosts file: those names),
 * or "NAME", "*.NAME" or "||NAME^" (that name and everything below it).
 */
static int block_line(struct localdata *ld, char *line, const struct block_mode *mode, const char *where)
{
	char *tok, *save = NULL, *hash = strchr(line, '#');
	uint8_t addr[16];
	int err;

	if (hash)
		*hash = '\0';
	tok = strtok_r(line, " \t\r\n", &save);
	if (!tok || *tok == '!')
		return 0;
	if (inet_pton(AF_INET, tok, addr) == 1 || inet_pton(AF_INET6, tok, addr) == 1) {
		while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
			if (hosts_boilerplate(tok))
				continue;
			err = block_name(ld, tok, NFDNS_LOCAL_EXACT, mode, where);
			if (err)
				return err;
		}
		return 0;
	}
	if (strtok_r(NULL, " \t\r\n", &save)) {
		fprintf(stderr, "nfdnsd: %s: a block list line is \"ADDRESS NAME...\" or one name\n", where);
		return -EINVAL;
	}
	if (strncmp(tok, "||", 2) == 0) {
		size_t n = strlen(tok);

		if (n < 4 || tok[n - 1] != '^') {
			fprintf(stderr, "nfdnsd: %s: \"%s\" is not \"||NAME^\"\n", where, tok);
			return -EINVAL;
		}
		tok[n - 1] = '\0';
		tok += 2;
	} else if (strncmp(tok, "*.", 2) == 0) {
		tok += 2;
	}
	return block_name(ld, tok, NFDNS_LOCAL_SUBTREE, mode, where);
}

int localdata_add_blocklist(struct localdata **ldp, const char *value, const char *where)
{
	struct localdata *ld = localdata_get(ldp);
	char path[4096], how[32] = "null", extra[2], lwhere[4200];
	struct block_mode mode = { NFDNS_LOCAL_REDIRECT, true };
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t n;
	FILE *f;
	int err = 0;

	if (!ld)
		return -ENOMEM;
	if (sscanf(value, "%4095s %31s %1s", path, how, extra) > 2) {
		fprintf(stderr, "nfdnsd: %s: blocklist wants \"FILE [null|nxdomain|refuse]\"\n", where);
		return -EINVAL;
	}
	if (strcmp(how, "nxdomain") == 0) {
		mode = (struct block_mode){ NFDNS_LOCAL_NXDOMAIN, false };
	} else if (strcmp(how, "refuse") == 0) {
		mode = (struct block_mode){ NFDNS_LOCAL_REFUSED, false };
	} else if (strcmp(how, "null") != 0) {
		fprintf(stderr, "nfdnsd: %s: blocklist answer \"%s\" is not null, nxdomain or refuse\n", where, how);
		return -EINVAL;
	}
	f = fopen(path, "r");
	if (!f) {
		err = -errno;
		fprintf(stderr, "nfdnsd: %s: blocklist %s: %s\n", where, path, strerror(-err));
		return err;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		snprintf(lwhere, sizeof(lwhere), "%s:%u", path, lineno);
		if (memchr(line, '\0', (size_t)n)) {
			fprintf(stderr, "nfdnsd: %s: a NUL byte: not a text file\n", lwhere);
			err = -EINVAL;
			break;
		}
		err = block_line(ld, line, &mode, lwhere);
		if (err)
			break;
	}
	free(line);
	fclose(f);
	return err;
}

static const struct local_zone *zone_of(const struct localdata *ld, const uint8_t *name, uint8_t len)
{
	const struct local_zone *best = NULL;

	for (size_t i = 0; i < ld->n_zones; i++) {
		const struct local_zone *z = &ld->zones[i];
		uint8_t off = 0;

		if (best && z->len <= best->len)
			continue;
		while (off < len && len - off > z->len)
			off += name[off] + 1;
		if (len - off == z->len && !memcmp(name + off, z->name, z->len))
			best = z;
	}
	return best;
}

static int rrset_add(struct localdata *ld, const uint8_t *name, uint8_t len, const ldns_rr *rr)
{
	struct rrset_node key, *s;
	ldns_rr *copy = ldns_rr_clone(rr);

	if (!copy)
		return -ENOMEM;
	memset(&key, 0, sizeof(key));
	memcpy(key.name, name, len);
	key.name_len = len;
	key.type = ldns_rr_get_type(rr);
	s = (struct rrset_node *)ldns_rbtree_search(ld->rrsets, &key);
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (s)
			s->rrs = ldns_rr_list_new();
		if (!s || !s->rrs) {
			free(s);
			ldns_rr_free(copy);
			return -ENOMEM;
		}
		memcpy(s->name, name, len);
		s->name_len = len;
		s->type = key.type;
		s->node.key = s;
		ldns_rbtree_insert(ld->rrsets, &s->node);
	}
	if (!ldns_rr_list_push_rr(s->rrs, copy)) {
		ldns_rr_free(copy);
		return -ENOMEM;
	}
	return 0;
}

/* A redirect zone answers every name below it with its own A and AAAA. */
static int redirect_rule(struct localdata *ld, const struct local_zone *z)
{
	const uint8_t *a4 = NULL, *a6 = NULL;
	uint32_t ttl = UINT32_MAX;

	for (size_t i = 0; i < ld->n_data; i++) {
		const ldns_rr *rr = ld->data[i].rr;
		uint8_t name[255], len = (uint8_t)ldns_rdf_size(ldns_rr_owner(rr));
		const uint8_t **slot;

		memcpy(name, ldns_rdf_data(ldns_rr_owner(rr)), len);
		name_lower(name, len);
		if (zone_of(ld, name, len) != z)
			continue;
		if (len != z->len || memcmp(name, z->name, len) ||
		    (ldns_rr_get_type(rr) != LDNS_RR_TYPE_A && ldns_rr_get_type(rr) != LDNS_RR_TYPE_AAAA)) {
			fprintf(stderr,
				"nfdnsd: %s: redirect zone (%s) holds one A and one AAAA record at its own name only\n",
				ld->data[i].where, z->where);
			return -EINVAL;
		}
		slot = ldns_rr_get_type(rr) == LDNS_RR_TYPE_A ? &a4 : &a6;
		if (*slot) {
			fprintf(stderr, "nfdnsd: %s: redirect zone (%s) has a second %s record\n", ld->data[i].where,
				z->where, ldns_rr_get_type(rr) == LDNS_RR_TYPE_A ? "A" : "AAAA");
			return -EINVAL;
		}
		*slot = ldns_rdf_data(ldns_rr_rdf(rr, 0));
		if (ldns_rr_ttl(rr) < ttl)
			ttl = ldns_rr_ttl(rr);
	}
	if (!a4 && !a6) {
		fprintf(stderr, "nfdnsd: %s: redirect zone without an A or AAAA local-data at its name\n", z->where);
		return -EINVAL;
	}
	return rule_put(ld, z->name, z->len, NFDNS_LOCAL_SUBTREE, NFDNS_LOCAL_REDIRECT, a4, a6,
			ttl > NFDNS_TTL_MAX ? NFDNS_TTL_MAX : ttl);
}

int localdata_finish(struct localdata *ld)
{
	static const uint8_t zone_action[] = {
		[ZONE_STATIC] = NFDNS_LOCAL_NXDOMAIN,
		[ZONE_REFUSE] = NFDNS_LOCAL_REFUSED,
		[ZONE_NXDOMAIN] = NFDNS_LOCAL_NXDOMAIN,
	};
	int err;

	if (!ld)
		return 0;
	for (size_t i = 0; i < ld->n_zones; i++) {
		const struct local_zone *z = &ld->zones[i];

		err = z->type == ZONE_REDIRECT ? redirect_rule(ld, z)
					       : rule_put(ld, z->name, z->len, NFDNS_LOCAL_SUBTREE,
							  zone_action[z->type], NULL, NULL, 0);
		if (err)
			return err;
	}
	for (size_t i = 0; i < ld->n_data; i++) {
		const ldns_rr *rr = ld->data[i].rr;
		uint8_t name[255], len = (uint8_t)ldns_rdf_size(ldns_rr_owner(rr)), off = 0;
		const struct local_zone *z;

		memcpy(name, ldns_rdf_data(ldns_rr_owner(rr)), len);
		name_lower(name, len);
		z = zone_of(ld, name, len);
		/* An nxdomain zone answers NXDOMAIN whatever data it holds; a redirect zone made its rule. */
		if (z && (z->type == ZONE_NXDOMAIN || z->type == ZONE_REDIRECT))
			continue;
		err = rrset_add(ld, name, len, rr);
		if (err)
			return err;
		if (!z)
			continue;
		/* In a zone, the name and the names between it and the zone exist: their other types are NODATA. */
		while (len - off >= z->len) {
			err = rule_put(ld, name + off, (uint8_t)(len - off), NFDNS_LOCAL_EXACT, NFDNS_LOCAL_NODATA, NULL,
				       NULL, 0);
			if (err)
				return err;
			if (len - off == z->len)
				break;
			off += name[off] + 1;
		}
	}
	return 0;
}

static void free_rule(ldns_rbnode_t *node, void *arg)
{
	struct rule_node *r = (struct rule_node *)node;

	(void)arg;
	free(r->addr6);
	free(r);
}

static void free_rrset(ldns_rbnode_t *node, void *arg)
{
	struct rrset_node *s = (struct rrset_node *)node;

	(void)arg;
	ldns_rr_list_deep_free(s->rrs);
	free(s);
}

void localdata_free(struct localdata *ld)
{
	if (!ld)
		return;
	for (size_t i = 0; i < ld->n_zones; i++)
		free(ld->zones[i].where);
	for (size_t i = 0; i < ld->n_data; i++) {
		ldns_rr_free(ld->data[i].rr);
		free(ld->data[i].where);
	}
	free(ld->zones);
	free(ld->data);
	if (ld->rules) {
		ldns_traverse_postorder(ld->rules, free_rule, NULL);
		free(ld->rules);
	}
	if (ld->rrsets) {
		ldns_traverse_postorder(ld->rrsets, free_rrset, NULL);
		free(ld->rrsets);
	}
	free(ld);
}

static const struct rule_node *rule_find(const struct localdata *ld, const uint8_t *name, uint8_t len, uint8_t match)
{
	struct {
		struct rule_node r;
		uint8_t name[255];
	} key;

	memset(&key.r, 0, sizeof(key.r));
	memcpy(key.r.name, name, len);
	key.r.name_len = len;
	key.r.match = match;
	return (const struct rule_node *)ldns_rbtree_search(ld->rules, &key.r);
}

/* As the kernel looks: an exact rule for the name, then the nearest subtree. */
static const struct rule_node *rule_lookup(const struct localdata *ld, const uint8_t *name, uint8_t len)
{
	const struct rule_node *r = rule_find(ld, name, len, NFDNS_LOCAL_EXACT);
	uint8_t off = 0;

	while (!r && off < len) {
		r = rule_find(ld, name + off, (uint8_t)(len - off), NFDNS_LOCAL_SUBTREE);
		if (!name[off])
			break;
		off += name[off] + 1;
	}
	return r;
}

static ldns_rr *address_rr(const ldns_rdf *owner, ldns_rr_type type, const uint8_t *addr, uint32_t ttl)
{
	ldns_rr *rr = ldns_rr_new();
	ldns_rdf *owner_copy = ldns_rdf_clone(owner);
	ldns_rdf *rdf = ldns_rdf_new_frm_data(type == LDNS_RR_TYPE_A ? LDNS_RDF_TYPE_A : LDNS_RDF_TYPE_AAAA,
					       type == LDNS_RR_TYPE_A ? 4 : 16, addr);

	if (!rr || !owner_copy || !rdf) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(owner_copy);
		ldns_rdf_deep_free(rdf);
		return NULL;
	}
	ldns_rr_set_owner(rr, owner_copy);
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, ttl);
	ldns_rr_push_rdf(rr, rdf);
	return rr;
}

bool localdata_answer(const struct localdata *ld, const ldns_rdf *qname, ldns_rr_type qtype, int *rcode,
		      ldns_rr_list **answer)
{
	struct rrset_node key, *s;
	const struct rule_node *r;
	uint8_t len;

	if (!ld || ldns_rdf_size(qname) > 255)
		return false;
	len = (uint8_t)ldns_rdf_size(qname);
	memset(&key, 0, sizeof(key));
	memcpy(key.name, ldns_rdf_data(qname), len);
	name_lower(key.name, len);
	key.name_len = len;
	key.type = qtype;
	s = (struct rrset_node *)ldns_rbtree_search(ld->rrsets, &key);
	if (s) {
		*rcode = LDNS_RCODE_NOERROR;
		*answer = ldns_rr_list_clone(s->rrs);
		return *answer != NULL;
	}
	r = rule_lookup(ld, key.name, len);
	if (!r)
		return false;
	*answer = ldns_rr_list_new();
	if (!*answer)
		return false;
	switch (r->action) {
	case NFDNS_LOCAL_NXDOMAIN:
		*rcode = LDNS_RCODE_NXDOMAIN;
		break;
	case NFDNS_LOCAL_REFUSED:
		*rcode = LDNS_RCODE_REFUSED;
		break;
	case NFDNS_LOCAL_REDIRECT:
		*rcode = LDNS_RCODE_NOERROR;
		if ((qtype == LDNS_RR_TYPE_A && r->has4) || (qtype == LDNS_RR_TYPE_AAAA && r->has6)) {
			ldns_rr *rr = address_rr(qname, qtype, qtype == LDNS_RR_TYPE_A ? r->addr4 : r->addr6,
						 r->ttl);

			if (!rr || !ldns_rr_list_push_rr(*answer, rr)) {
				ldns_rr_free(rr);
				ldns_rr_list_free(*answer);
				*answer = NULL;
				return false;
			}
		}
		break;
	default:
		*rcode = LDNS_RCODE_NOERROR;
		break;
	}
	return true;
}

size_t localdata_n_rules(const struct localdata *ld)
{
	return ld ? ld->rules->count : 0;
}

size_t localdata_n_rrsets(const struct localdata *ld)
{
	return ld ? ld->rrsets->count : 0;
}

int localdata_each_rule(const struct localdata *ld, int (*fn)(void *arg, const struct local_rule *rule), void *arg)
{
	struct local_rule out;
	ldns_rbnode_t *n;
	int err;

	if (!ld)
		return 0;
	LDNS_RBTREE_FOR(n, ldns_rbnode_t *, ld->rules)
	{
		const struct rule_node *r = (const struct rule_node *)n;

		memset(&out, 0, sizeof(out));
		memcpy(out.name, r->name, r->name_len);
		out.name_len = r->name_len;
		out.match = r->match;
		out.action = r->action;
		out.has4 = r->has4;
		out.has6 = r->has6;
		memcpy(out.addr4, r->addr4, 4);
		if (r->has6)
			memcpy(out.addr6, r->addr6, 16);
		out.ttl = r->ttl;
		err = fn(arg, &out);
		if (err)
			return err;
	}
	return 0;
}

int localdata_each_rrset(const struct localdata *ld, int (*fn)(void *arg, const struct local_rrset *set), void *arg)
{
	ldns_rbnode_t *n;
	int err;

	if (!ld)
		return 0;
	LDNS_RBTREE_FOR(n, ldns_rbnode_t *, ld->rrsets)
	{
		const struct rrset_node *s = (const struct rrset_node *)n;
		struct local_rrset out = { s->name, s->name_len, s->type, s->rrs };

		err = fn(arg, &out);
		if (err)
			return err;
	}
	return 0;
}
