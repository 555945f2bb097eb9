// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsd: validate.c against the signed hierarchy of tests/zones/signed.sh,
 * generated afresh into a temporary directory.  Each case hands the
 * validator what a resolver would have fetched (DS, DNSKEY, RRset, the
 * NSEC/NSEC3 records a server would send) and checks the verdict and, for
 * bogus, the Extended DNS Error code.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "validate.h"

#include "tap.h"

#ifndef SIGNED_SH
#error "SIGNED_SH: path of tests/zones/signed.sh"
#endif

static char dir[] = "/tmp/nfdnsd-validate.XXXXXX";

struct zone {
	const char *name;	/* "sec." */
	ldns_rr_list *rrs;
};

static struct zone zones[] = {
	{ ".", NULL },	      { "sec.", NULL },	    { "a.sec.", NULL },	 { "insec.", NULL },
	{ "n3.", NULL },      { "optout.", NULL },  { "badsig.", NULL }, { "expired.", NULL },
	{ "notyet.", NULL },  { "nokey.", NULL },   { "norrsig.", NULL }, { "roll.", NULL },
	{ "alg8.", NULL },    { "alg10.", NULL },   { "alg13.", NULL },	 { "alg14.", NULL },
	{ "alg15.", NULL },
};

static ldns_rdf *dn(const char *s)
{
	ldns_rdf *d = ldns_dname_new_frm_str(s);

	if (!d) {
		printf("Bail out! bad name %s\n", s);
		exit(1);
	}
	return d;
}

static struct zone *zone(const char *name)
{
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(zones[i].name, name) == 0)
			return &zones[i];
	printf("Bail out! no zone %s\n", name);
	exit(1);
}

static void load_zones(void)
{
	char path[256];

	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		const char *n = zones[i].name;
		ldns_zone *z = NULL;
		ldns_rdf *origin = dn(n);
		FILE *f;
		int line = 0;

		snprintf(path, sizeof(path), "%s/zones/%.*s.zone", dir,
			 strcmp(n, ".") == 0 ? 4 : (int)strlen(n) - 1, strcmp(n, ".") == 0 ? "root" : n);
		f = fopen(path, "r");
		if (!f || ldns_zone_new_frm_fp_l(&z, f, origin, 300, LDNS_RR_CLASS_IN, &line) != LDNS_STATUS_OK) {
			printf("Bail out! cannot load %s (line %d)\n", path, line);
			exit(1);
		}
		fclose(f);
		zones[i].rrs = ldns_rr_list_clone(ldns_zone_rrs(z));
		ldns_rr_list_push_rr(zones[i].rrs, ldns_rr_clone(ldns_zone_soa(z)));
		ldns_zone_deep_free(z);
		ldns_rdf_deep_free(origin);
	}
}

/* The records of Z at NAME of TYPE (shallow list: the zone's records). */
static ldns_rr_list *rrset(const char *z, const char *name, ldns_rr_type type)
{
	ldns_rr_list *out = ldns_rr_list_new(), *all = zone(z)->rrs;
	ldns_rdf *owner = dn(name);

	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);

		if (ldns_rr_get_type(rr) == type && ldns_dname_compare(ldns_rr_owner(rr), owner) == 0)
			ldns_rr_list_push_rr(out, rr);
	}
	ldns_rdf_deep_free(owner);
	return out;
}

static ldns_rr_list *sigs(const char *z, const char *name, ldns_rr_type type)
{
	ldns_rr_list *all = rrset(z, name, LDNS_RR_TYPE_RRSIG), *out = ldns_rr_list_new();

	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);

		if (ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == type)
			ldns_rr_list_push_rr(out, rr);
	}
	ldns_rr_list_free(all);
	return out;
}

/* Only the signatures of ALG (or all but ALG, with !keep). */
static ldns_rr_list *sigs_alg(ldns_rr_list *list, uint8_t alg, bool keep)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++) {
		ldns_rr *rr = ldns_rr_list_rr(list, i);

		if ((ldns_rdf2native_int8(ldns_rr_rrsig_algorithm(rr)) == alg) == keep)
			ldns_rr_list_push_rr(out, rr);
	}
	return out;
}

/* The NSEC of Z at NAME, or the one covering it (strictly). */
static ldns_rr *nsec_for(const char *z, const char *name, bool covering)
{
	ldns_rr_list *all = zone(z)->rrs;
	ldns_rdf *n = dn(name);
	ldns_rr *found = NULL;

	for (size_t i = 0; !found && i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		bool at;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC)
			continue;
		at = ldns_dname_compare(ldns_rr_owner(rr), n) == 0;
		if (covering ? (!at && ldns_nsec_covers_name(rr, n)) : at)
			found = rr;
	}
	ldns_rdf_deep_free(n);
	if (!found) {
		printf("Bail out! no NSEC %s %s in %s\n", covering ? "covering" : "at", name, z);
		exit(1);
	}
	return found;
}

static ldns_rr *nsec3_for(const char *z, const char *name, bool covering)
{
	ldns_rr_list *all = zone(z)->rrs;
	ldns_rdf *n = dn(name), *zn = dn(z);
	ldns_rr *found = NULL;

	for (size_t i = 0; !found && i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		ldns_rdf *h;
		bool at;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3)
			continue;
		h = ldns_nsec3_hash_name_frm_nsec3(rr, n);
		ldns_dname_cat(h, zn);
		at = ldns_dname_compare(ldns_rr_owner(rr), h) == 0;
		if (covering ? (!at && ldns_nsec_covers_name(rr, h)) : at)
			found = rr;
		ldns_rdf_deep_free(h);
	}
	ldns_rdf_deep_free(n);
	ldns_rdf_deep_free(zn);
	if (!found) {
		printf("Bail out! no NSEC3 %s %s in %s\n", covering ? "covering" : "at", name, z);
		exit(1);
	}
	return found;
}

static bool has_nsec3_for(const char *z, const char *name)
{
	ldns_rr_list *all = zone(z)->rrs;
	ldns_rdf *n = dn(name), *zn = dn(z);
	bool at = false;

	for (size_t i = 0; !at && i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3)
			continue;
		ldns_rdf *h = ldns_nsec3_hash_name_frm_nsec3(rr, n);

		ldns_dname_cat(h, zn);
		at = ldns_dname_compare(ldns_rr_owner(rr), h) == 0;
		ldns_rdf_deep_free(h);
	}
	ldns_rdf_deep_free(n);
	ldns_rdf_deep_free(zn);
	return at;
}

/* An authority section: the given NSEC/NSEC3 records and their RRSIGs. */
static ldns_rr_list *authority(const char *z, int n, ...)
{
	ldns_rr_list *out = ldns_rr_list_new();
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		ldns_rr *rr = va_arg(ap, ldns_rr *);
		char *owner = ldns_rdf2str(ldns_rr_owner(rr));
		ldns_rr_list *s = sigs(z, owner, ldns_rr_get_type(rr));

		ldns_rr_list_push_rr(out, rr);
		ldns_rr_list_push_rr_list(out, s);
		ldns_rr_list_free(s);
		free(owner);
	}
	va_end(ap);
	return out;
}

static struct validator v;

/* The verdict is STATUS, with EDE unless EDE is -1 (any). */
static bool is(struct val_result r, enum val_status status, int ede)
{
	bool match = r.status == status && (ede < 0 || (int)r.ede == ede);

	if (!match)
		printf("# got %s, EDE %d: %s\n", val_status_name(r.status), r.ede, r.why);
	return match;
}

static ldns_rr_list *rrset_copy(const char *z, const char *name, ldns_rr_type type)
{
	ldns_rr_list *shallow = rrset(z, name, type), *copy = ldns_rr_list_clone(shallow);

	ldns_rr_list_free(shallow);
	return copy;
}

/* The keys of zone Z, proven from its parent's DS set (or the anchor for the root). */
static struct val_result keys_of(const char *z, const struct val_keys *parent, struct val_keys *out)
{
	ldns_rr_list *trusted, *dnskeys = rrset(z, z, LDNS_RR_TYPE_DNSKEY), *s = sigs(z, z, LDNS_RR_TYPE_DNSKEY);
	ldns_rdf *name = dn(z);
	struct val_result r;

	if (!parent) {
		trusted = validator_anchors_for(&v, name);
	} else {
		const char *pz = strcmp(strchr(z, '.') + 1, "") == 0 ? "." : strchr(z, '.') + 1;

		trusted = rrset(pz, z, LDNS_RR_TYPE_DS);
		ldns_rr_list *dss = sigs(pz, z, LDNS_RR_TYPE_DS);
		struct val_result dr = val_verify_rrset(&v, parent, trusted, dss, NULL);

		ldns_rr_list_free(dss);
		if (dr.status != VAL_SECURE) {
			ldns_rr_list_free(trusted);
			ldns_rr_list_free(dnskeys);
			ldns_rr_list_free(s);
			ldns_rdf_deep_free(name);
			memset(out, 0, sizeof(*out));
			return dr;
		}
	}
	r = val_verify_dnskeys(&v, name, trusted, dnskeys, s, out);
	if (parent)
		ldns_rr_list_free(trusted);
	else
		ldns_rr_list_deep_free(trusted);
	ldns_rr_list_free(dnskeys);
	ldns_rr_list_free(s);
	ldns_rdf_deep_free(name);
	return r;
}

static struct val_result verify(const struct val_keys *k, const char *z, const char *name, ldns_rr_type type)
{
	ldns_rr_list *set = rrset(z, name, type), *s = sigs(z, name, type);
	struct val_result r = val_verify_rrset(&v, k, set, s, NULL);

	ldns_rr_list_free(set);
	ldns_rr_list_free(s);
	return r;
}

static struct val_keys root_keys;

static void test_anchors(void)
{
	char path[256];
	struct validator d;
	ldns_rdf *root = dn(".");
	ldns_rr_list *a;

	ok(validator_init(&d, NULL) == 0 && validator_add_default_anchors(&d) == 0, "built-in anchors load");
	a = validator_anchors_for(&d, root);
	ok(a && ldns_rr_list_rr_count(a) == 2 &&
		   ldns_rdf2native_int16(ldns_rr_rdf(ldns_rr_list_rr(a, 0), 0)) == 20326 &&
		   ldns_rdf2native_int16(ldns_rr_rdf(ldns_rr_list_rr(a, 1), 0)) == 38696,
	   "built-in anchors are the root KSKs 20326 and 38696");
	/* The same records as Debian's dns-root-data, where it is installed. */
	if (access("/usr/share/dns/root.ds", R_OK) == 0) {
		struct validator f;
		ldns_rr_list *b;

		validator_init(&f, NULL);
		validator_add_anchor_file(&f, "/usr/share/dns/root.ds");
		b = validator_anchors_for(&f, root);
		ok(a && b && ldns_rr_list_compare(a, b) == 0, "built-in anchors equal /usr/share/dns/root.ds");
		ldns_rr_list_deep_free(b);
		validator_free(&f);
	} else {
		ok(1, "# SKIP no /usr/share/dns/root.ds");
	}
	ldns_rr_list_deep_free(a);

	/* This hierarchy's root is not the IANA one. */
	{
		struct validator keep = v;
		struct val_keys k;

		v = d;
		ok(is(keys_of(".", NULL, &k), VAL_BOGUS, VAL_EDE_DNSKEY_MISSING),
		   "test root's DNSKEY against the IANA anchors: bogus, DNSKEY missing");
		d = v;
		v = keep;
	}
	validator_free(&d);

	snprintf(path, sizeof(path), "%s/root.ds", dir);
	ok(validator_add_anchor_file(&v, path) == 0, "trust-anchor-file with the root DS loads");
	snprintf(path, sizeof(path), "%s/root.key", dir);
	ok(validator_add_anchor_file(&v, "/nonexistent") < 0, "a missing anchor file is an error");
	ok(is(keys_of(".", NULL, &root_keys), VAL_SECURE, -1), "root DNSKEY secure from the DS anchor");
	{
		struct validator kv;
		struct validator keep = v;
		struct val_keys k;

		validator_init(&kv, NULL);
		validator_add_anchor_file(&kv, path);
		v = kv;
		ok(is(keys_of(".", NULL, &k), VAL_SECURE, -1), "root DNSKEY secure from a DNSKEY anchor");
		val_keys_free(&k);
		kv = v;
		v = keep;
		validator_free(&kv);
	}
	{
		struct validator two;
		char ds_path[256];
		ldns_rr_list *both = NULL;

		snprintf(ds_path, sizeof(ds_path), "%s/root.ds", dir);
		validator_init(&two, NULL);
		ok(validator_add_anchor_file(&two, ds_path) == 0 && validator_add_anchor_file(&two, path) == 0 &&
			   (both = validator_anchors_for(&two, root)) && ldns_rr_list_rr_count(both) == 2,
		   "two anchor files: a DS and a DNSKEY anchor for the root");
		ldns_rr_list_deep_free(both);
		validator_free(&two);
	}
	{
		ldns_rr_list *dnskeys = rrset(".", ".", LDNS_RR_TYPE_DNSKEY), *s = sigs(".", ".", LDNS_RR_TYPE_DNSKEY);
		struct val_keys k;

		ok(is(val_verify_dnskeys(&v, root, NULL, dnskeys, s, &k), VAL_INDETERMINATE, -1),
		   "DNSKEY set with no DS or anchor to start from: indeterminate");
		ldns_rr_list_free(dnskeys);
		ldns_rr_list_free(s);
	}
	ldns_rdf_deep_free(root);
}

static void test_algorithms(void)
{
	static const char *const algs[] = { "alg8.", "alg10.", "alg13.", "alg14.", "alg15." };

	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		struct val_keys k;
		char www[32];

		snprintf(www, sizeof(www), "www.%s", algs[i]);
		ok(is(keys_of(algs[i], &root_keys, &k), VAL_SECURE, -1), "%s DNSKEY secure", algs[i]);
		ok(is(verify(&k, algs[i], www, LDNS_RR_TYPE_A), VAL_SECURE, -1), "%s A secure", www);

		/* The same signature over other data. */
		ldns_rr_list *set = rrset_copy(algs[i], www, LDNS_RR_TYPE_A);
		ldns_rr_list *s = sigs(algs[i], www, LDNS_RR_TYPE_A);
		ldns_rdf *other = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, "192.0.2.66");

		ldns_rdf_deep_free(ldns_rr_set_rdf(ldns_rr_list_rr(set, 0), other, 0));
		ok(is(val_verify_rrset(&v, &k, set, s, NULL), VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS),
		   "%s A with changed data: bogus", www);
		ldns_rr_list_deep_free(set);
		ldns_rr_list_free(s);
		val_keys_free(&k);
	}
}

static void test_chain_and_bogus(void)
{
	struct val_keys sec, asec, k;

	ok(is(keys_of("sec.", &root_keys, &sec), VAL_SECURE, -1), "sec. DNSKEY (KSK+ZSK) secure");
	ok(is(verify(&sec, "sec.", "www.sec.", LDNS_RR_TYPE_A), VAL_SECURE, -1), "www.sec. A (ZSK) secure");
	ok(is(keys_of("a.sec.", &sec, &asec), VAL_SECURE, -1), "a.sec. DNSKEY secure from sec.'s DS");
	ok(is(verify(&asec, "a.sec.", "www.a.sec.", LDNS_RR_TYPE_A), VAL_SECURE, -1),
	   "www.a.sec. A secure: three levels");
	ok(is(verify(&sec, "a.sec.", "www.a.sec.", LDNS_RR_TYPE_A), VAL_BOGUS, VAL_EDE_RRSIGS_MISSING),
	   "www.a.sec. A with the parent's keys: bogus, no RRSIG by sec.");

	ok(is(keys_of("badsig.", &root_keys, &k), VAL_SECURE, -1), "badsig. DNSKEY secure");
	ok(is(verify(&k, "badsig.", "www.badsig.", LDNS_RR_TYPE_A), VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS),
	   "www.badsig. A: bogus, DNSSEC Bogus");
	ok(is(verify(&k, "badsig.", "txt.badsig.", LDNS_RR_TYPE_TXT), VAL_SECURE, -1),
	   "txt.badsig. TXT secure");
	val_keys_free(&k);

	ok(is(keys_of("expired.", &root_keys, &k), VAL_BOGUS, VAL_EDE_SIG_EXPIRED),
	   "expired. DNSKEY: bogus, Signature Expired");
	ok(is(keys_of("notyet.", &root_keys, &k), VAL_BOGUS, VAL_EDE_SIG_NOT_YET_VALID),
	   "notyet. DNSKEY: bogus, Signature Not Yet Valid");
	ok(is(keys_of("nokey.", &root_keys, &k), VAL_BOGUS, VAL_EDE_DNSKEY_MISSING),
	   "nokey. DNSKEY (DS names another key): bogus, DNSKEY Missing");

	ok(is(keys_of("norrsig.", &root_keys, &k), VAL_SECURE, -1), "norrsig. DNSKEY secure");
	ok(is(verify(&k, "norrsig.", "www.norrsig.", LDNS_RR_TYPE_A), VAL_BOGUS, VAL_EDE_RRSIGS_MISSING),
	   "www.norrsig. A without RRSIG: bogus, RRSIGs Missing");
	ok(is(verify(&k, "norrsig.", "txt.norrsig.", LDNS_RR_TYPE_TXT), VAL_SECURE, -1),
	   "txt.norrsig. TXT secure");
	val_keys_free(&k);

	/* A DS designating a key without the zone key bit. */
	{
		ldns_rr_list *dnskeys = rrset_copy("alg13.", "alg13.", LDNS_RR_TYPE_DNSKEY);
		ldns_rr *key = ldns_rr_list_rr(dnskeys, 0);
		ldns_rr_list *s = sigs("alg13.", "alg13.", LDNS_RR_TYPE_DNSKEY), *ds = ldns_rr_list_new();
		ldns_rdf *name = dn("alg13.");

		ldns_rdf_deep_free(ldns_rr_set_rdf(key, ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, 1), 0));
		ldns_rr_list_push_rr(ds, ldns_key_rr2ds(key, LDNS_SHA256));
		ok(is(val_verify_dnskeys(&v, name, ds, dnskeys, s, &k), VAL_BOGUS, VAL_EDE_NO_ZONE_KEY_BIT),
		   "DS of a key without the zone key bit: bogus, No Zone Key Bit Set");
		ldns_rr_list_deep_free(ds);
		ldns_rr_list_deep_free(dnskeys);
		ldns_rr_list_free(s);
		ldns_rdf_deep_free(name);
	}

	/* DS sets of nothing supported: insecure (RFC 4035 5.2). */
	{
		ldns_rr_list *ds = rrset_copy(".", "alg13.", LDNS_RR_TYPE_DS);
		ldns_rr_list *dnskeys = rrset("alg13.", "alg13.", LDNS_RR_TYPE_DNSKEY);
		ldns_rr_list *s = sigs("alg13.", "alg13.", LDNS_RR_TYPE_DNSKEY);
		ldns_rdf *name = dn("alg13.");
		ldns_rr *d = ldns_rr_list_rr(ds, 0);
		ldns_rdf *old = ldns_rr_rdf(d, 1);

		ldns_rr_set_rdf(d, ldns_native2rdf_int8(LDNS_RDF_TYPE_ALG, LDNS_RSASHA1), 1);
		ok(is(val_verify_dnskeys(&v, name, ds, dnskeys, s, &k), VAL_INSECURE, VAL_EDE_UNSUPPORTED_DNSKEY_ALG),
		   "DS of algorithm 5 only: insecure, Unsupported DNSKEY Algorithm");
		ldns_rdf_deep_free(ldns_rr_set_rdf(d, old, 1));
		old = ldns_rr_rdf(d, 2);
		ldns_rr_set_rdf(d, ldns_native2rdf_int8(LDNS_RDF_TYPE_INT8, 3), 2);
		ok(is(val_verify_dnskeys(&v, name, ds, dnskeys, s, &k), VAL_INSECURE, VAL_EDE_UNSUPPORTED_DS_DIGEST),
		   "DS of digest type 3 only: insecure, Unsupported DS Digest Type");
		ldns_rdf_deep_free(ldns_rr_set_rdf(d, old, 2));
		ok(is(val_verify_dnskeys(&v, name, ds, dnskeys, s, &k), VAL_SECURE, -1),
		   "the same DS unchanged: secure");
		val_keys_free(&k);
		ldns_rr_list_deep_free(ds);
		ldns_rr_list_free(dnskeys);
		ldns_rr_list_free(s);
		ldns_rdf_deep_free(name);
	}
	val_keys_free(&asec);
	val_keys_free(&sec);
}

static void test_windows(void)
{
	struct val_keys k;
	ldns_rr_list *s = sigs("alg13.", "www.alg13.", LDNS_RR_TYPE_A);
	ldns_rr *sig = ldns_rr_list_rr(s, 0);
	time_t inception = (time_t)ldns_rdf2native_time_t(ldns_rr_rrsig_inception(sig));
	time_t expiration = (time_t)ldns_rdf2native_time_t(ldns_rr_rrsig_expiration(sig));

	ok(is(keys_of("alg13.", &root_keys, &k), VAL_SECURE, -1), "alg13. DNSKEY secure now");
	v.cfg.override_date = inception - 3600;
	ok(is(verify(&k, "alg13.", "www.alg13.", LDNS_RR_TYPE_A), VAL_BOGUS, VAL_EDE_SIG_NOT_YET_VALID),
	   "val-override-date before inception: bogus, Signature Not Yet Valid");
	v.cfg.override_date = expiration + 3600;
	ok(is(verify(&k, "alg13.", "www.alg13.", LDNS_RR_TYPE_A), VAL_BOGUS, VAL_EDE_SIG_EXPIRED),
	   "val-override-date after expiration: bogus, Signature Expired");
	v.cfg.override_date = inception + 60;
	ok(is(verify(&k, "alg13.", "www.alg13.", LDNS_RR_TYPE_A), VAL_SECURE, -1),
	   "val-override-date inside the window: secure");
	ok(val_validated_ttl(&v, 86400, s) == 300, "validated TTL capped by the RRSIG's original TTL (300)");
	v.cfg.override_date = expiration - 100;
	ok(val_validated_ttl(&v, 86400, s) == 100, "validated TTL capped by the time left to expiration");
	v.cfg.override_date = 0;
	val_keys_free(&k);
	ldns_rr_list_free(s);

	/* expired. is bogus for its dates alone: inside them it validates. */
	{
		ldns_rr_list *ds = rrset(".", "expired.", LDNS_RR_TYPE_DS);
		ldns_rr_list *dnskeys = rrset("expired.", "expired.", LDNS_RR_TYPE_DNSKEY);
		ldns_rdf *name = dn("expired.");

		s = sigs("expired.", "expired.", LDNS_RR_TYPE_DNSKEY);
		v.cfg.override_date =
			(time_t)ldns_rdf2native_time_t(ldns_rr_rrsig_inception(ldns_rr_list_rr(s, 0))) + 60;
		ok(is(val_verify_dnskeys(&v, name, ds, dnskeys, s, &k), VAL_SECURE, -1),
		   "expired. DNSKEY with val-override-date inside its window: secure");
		val_keys_free(&k);
		v.cfg.override_date = 0;
		ldns_rr_list_free(s);
		ldns_rr_list_free(ds);
		ldns_rr_list_free(dnskeys);
		ldns_rdf_deep_free(name);
	}
}

static void test_rollover(void)
{
	struct val_keys k;
	ldns_rr_list *dnskeys = rrset("roll.", "roll.", LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *all = sigs("roll.", "roll.", LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *only8 = sigs_alg(all, LDNS_RSASHA256, true);
	ldns_rr_list *only13 = sigs_alg(all, LDNS_ECDSAP256SHA256, true);
	ldns_rr_list *ds = rrset(".", "roll.", LDNS_RR_TYPE_DS);
	ldns_rdf *name = dn("roll.");

	ok(ldns_rr_list_rr_count(ds) == 2 && ldns_rr_list_rr_count(only8) == 1 &&
		   ldns_rr_list_rr_count(only13) == 1,
	   "roll.: two DS, DNSKEY signed by both algorithms");
	ok(is(val_verify_dnskeys(&v, name, ds, dnskeys, all, &k), VAL_SECURE, -1),
	   "roll. DNSKEY secure with both algorithms");
	ok(k.n_algorithms == 2, "roll.: RRsets must carry both algorithms");
	ok(is(verify(&k, "roll.", "www.roll.", LDNS_RR_TYPE_A), VAL_SECURE, -1), "www.roll. A secure");
	{
		ldns_rr_list *set = rrset("roll.", "www.roll.", LDNS_RR_TYPE_A);
		ldns_rr_list *s = sigs("roll.", "www.roll.", LDNS_RR_TYPE_A);
		ldns_rr_list *s8 = sigs_alg(s, LDNS_RSASHA256, true);

		ok(is(val_verify_rrset(&v, &k, set, s8, NULL), VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS),
		   "www.roll. A stripped of its ECDSA signature: bogus (downgrade)");
		ldns_rr_list_free(s8);
		ldns_rr_list_free(s);
		ldns_rr_list_free(set);
	}
	val_keys_free(&k);
	ok(is(val_verify_dnskeys(&v, name, ds, dnskeys, only8, &k), VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS),
	   "roll. DNSKEY stripped of the ECDSA signature: bogus (algorithm downgrade)");
	ok(is(val_verify_dnskeys(&v, name, ds, dnskeys, only13, &k), VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS),
	   "roll. DNSKEY stripped of the RSA signature: bogus");
	v.cfg.harden_algo_downgrade = false;
	ok(is(val_verify_dnskeys(&v, name, ds, dnskeys, only8, &k), VAL_SECURE, -1),
	   "harden-algo-downgrade no: one algorithm is enough");
	ok(k.n_algorithms == 0, "harden-algo-downgrade no: RRsets need no particular algorithm");
	val_keys_free(&k);
	v.cfg.harden_algo_downgrade = true;

	/* A DS only for the RSA key: its algorithm alone is required. */
	{
		ldns_rr_list *ds8 = ldns_rr_list_new();

		for (size_t i = 0; i < ldns_rr_list_rr_count(ds); i++)
			if (ldns_rdf2native_int8(ldns_rr_rdf(ldns_rr_list_rr(ds, i), 1)) == LDNS_RSASHA256)
				ldns_rr_list_push_rr(ds8, ldns_rr_list_rr(ds, i));
		ok(is(val_verify_dnskeys(&v, name, ds8, dnskeys, only8, &k), VAL_SECURE, -1),
		   "DS of the RSA key only, RSA signature only: secure");
		val_keys_free(&k);
		ldns_rr_list_free(ds8);
	}
	ldns_rr_list_free(ds);
	ldns_rr_list_free(only8);
	ldns_rr_list_free(only13);
	ldns_rr_list_free(all);
	ldns_rr_list_free(dnskeys);
	ldns_rdf_deep_free(name);
}

static void rename_rr(ldns_rr *rr, const char *name)
{
	ldns_rdf_deep_free(ldns_rr_owner(rr));
	ldns_rr_set_owner(rr, dn(name));
}

/* The wildcard's RRset and RRSIGs as a server expands them for NAME. */
static void expand(const char *z, const char *wild, const char *name, ldns_rr_list **set, ldns_rr_list **s)
{
	ldns_rr_list *w = rrset(z, wild, LDNS_RR_TYPE_A), *ws = sigs(z, wild, LDNS_RR_TYPE_A);

	*set = ldns_rr_list_clone(w);
	*s = ldns_rr_list_clone(ws);
	for (size_t i = 0; i < ldns_rr_list_rr_count(*set); i++)
		rename_rr(ldns_rr_list_rr(*set, i), name);
	for (size_t i = 0; i < ldns_rr_list_rr_count(*s); i++)
		rename_rr(ldns_rr_list_rr(*s, i), name);
	ldns_rr_list_free(w);
	ldns_rr_list_free(ws);
}

static bool name_is(const ldns_rdf *d, const char *s)
{
	ldns_rdf *e = dn(s);
	bool same = d && ldns_dname_compare(d, e) == 0;

	ldns_rdf_deep_free(e);
	return same;
}

static void test_wildcards(void)
{
	struct val_keys sec, n3;
	ldns_rr_list *set, *s, *auth;
	ldns_rdf *nc = NULL, *q;

	keys_of("sec.", &root_keys, &sec);
	keys_of("n3.", &root_keys, &n3);

	expand("sec.", "*.wild.sec.", "x.wild.sec.", &set, &s);
	ok(is(val_verify_rrset(&v, &sec, set, s, &nc), VAL_SECURE, -1), "x.wild.sec. A from *.wild.sec.: signature holds");
	ok(name_is(nc, "x.wild.sec."), "wildcard expansion detected, next closer x.wild.sec.");
	q = dn("x.wild.sec.");
	auth = authority("sec.", 1, nsec_for("sec.", "x.wild.sec.", true));
	ok(is(val_prove_wildcard(&v, &sec, q, nc, auth), VAL_SECURE, -1),
	   "wildcard answer with the NSEC covering x.wild.sec.: secure");
	ldns_rr_list_free(auth);
	auth = ldns_rr_list_new();
	ok(is(val_prove_wildcard(&v, &sec, q, nc, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "wildcard answer without the NSEC: bogus, NSEC Missing");
	ldns_rr_list_free(auth);
	auth = authority("sec.", 1, nsec_for("sec.", "nx.sec.", true));
	ok(is(val_prove_wildcard(&v, &sec, q, nc, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "wildcard answer with an NSEC covering another name: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	ldns_rdf_deep_free(nc);
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(s);

	expand("sec.", "*.wild.sec.", "a.b.wild.sec.", &set, &s);
	ok(is(val_verify_rrset(&v, &sec, set, s, &nc), VAL_SECURE, -1) && name_is(nc, "b.wild.sec."),
	   "a.b.wild.sec. A from the wildcard: next closer b.wild.sec.");
	ldns_rdf_deep_free(nc);
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(s);
	set = rrset("sec.", "www.sec.", LDNS_RR_TYPE_A);
	s = sigs("sec.", "www.sec.", LDNS_RR_TYPE_A);
	{
		ldns_rdf *sentinel = dn("sentinel.");

		nc = sentinel;
		ok(is(val_verify_rrset(&v, &sec, set, s, &nc), VAL_SECURE, -1) && nc == NULL,
		   "www.sec. A is no expansion: no next closer name");
		ldns_rdf_deep_free(sentinel);
	}
	ldns_rr_list_free(set);
	ldns_rr_list_free(s);

	expand("n3.", "*.wild.n3.", "x.wild.n3.", &set, &s);
	ok(is(val_verify_rrset(&v, &n3, set, s, &nc), VAL_SECURE, -1) && name_is(nc, "x.wild.n3."),
	   "x.wild.n3. A from *.wild.n3.: next closer x.wild.n3.");
	q = dn("x.wild.n3.");
	auth = authority("n3.", 1, nsec3_for("n3.", "x.wild.n3.", true));
	ok(is(val_prove_wildcard(&v, &n3, q, nc, auth), VAL_SECURE, -1),
	   "NSEC3 wildcard answer with the next closer covered: secure");
	ldns_rr_list_free(auth);
	auth = authority("n3.", 1, nsec3_for("n3.", "wild.n3.", false));
	ok(is(val_prove_wildcard(&v, &n3, q, nc, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC3 wildcard answer without the next closer's cover: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	ldns_rdf_deep_free(nc);
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(s);
	val_keys_free(&sec);
	val_keys_free(&n3);
}

static void test_nsec_denial(void)
{
	struct val_keys sec, root;
	ldns_rr_list *auth;
	ldns_rdf *q;

	keys_of("sec.", &root_keys, &sec);
	keys_of(".", NULL, &root);

	q = dn("nx.sec.");
	auth = authority("sec.", 2, nsec_for("sec.", "nx.sec.", true), nsec_for("sec.", "*.sec.", true));
	ok(is(val_prove_nxdomain(&v, &sec, q, auth), VAL_SECURE, -1), "NSEC NXDOMAIN nx.sec.: secure");
	ldns_rr_list_free(auth);
	auth = authority("sec.", 1, nsec_for("sec.", "nx.sec.", true));
	ok(nsec_for("sec.", "nx.sec.", true) != nsec_for("sec.", "*.sec.", true) &&
		   is(val_prove_nxdomain(&v, &sec, q, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC NXDOMAIN without the wildcard's NSEC: bogus, NSEC Missing");
	ldns_rr_list_free(auth);
	auth = authority("sec.", 1, nsec_for("sec.", "*.sec.", true));
	ok(is(val_prove_nxdomain(&v, &sec, q, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC NXDOMAIN without the name's NSEC: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	/* After the last name: the last NSEC, whose next name is the apex. */
	q = dn("zzz.sec.");
	auth = authority("sec.", 2, nsec_for("sec.", "zzz.sec.", true), nsec_for("sec.", "*.sec.", true));
	ok(ldns_dname_compare(ldns_rr_rdf(nsec_for("sec.", "zzz.sec.", true), 0),
			      ldns_rr_owner(nsec_for("sec.", "sec.", false))) == 0 &&
		   is(val_prove_nxdomain(&v, &sec, q, auth), VAL_SECURE, -1),
	   "NSEC NXDOMAIN zzz.sec. by the last NSEC (next name the apex): secure");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	/* The name of an existing RRset is no NXDOMAIN. */
	q = dn("www.sec.");
	auth = authority("sec.", 2, nsec_for("sec.", "www.sec.", false), nsec_for("sec.", "*.sec.", true));
	ok(is(val_prove_nxdomain(&v, &sec, q, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NXDOMAIN for www.sec. with its own NSEC: bogus");
	ldns_rr_list_free(auth);

	auth = authority("sec.", 1, nsec_for("sec.", "www.sec.", false));
	ok(is(val_prove_nodata(&v, &sec, q, LDNS_RR_TYPE_AAAA, auth), VAL_SECURE, -1),
	   "NSEC NODATA www.sec. AAAA: secure");
	ok(is(val_prove_nodata(&v, &sec, q, LDNS_RR_TYPE_A, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC NODATA www.sec. A (in the bitmap): bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	q = dn("alias.sec.");
	auth = authority("sec.", 1, nsec_for("sec.", "alias.sec.", false));
	ok(is(val_prove_nodata(&v, &sec, q, LDNS_RR_TYPE_AAAA, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC NODATA at a CNAME: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	q = dn("a.sec.");
	auth = authority("sec.", 1, nsec_for("sec.", "a.sec.", false));
	ok(is(val_prove_nodata(&v, &sec, q, LDNS_RR_TYPE_A, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NODATA from a delegation's parent-side NSEC: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	q = dn("x.a.sec.");
	auth = authority("sec.", 2, nsec_for("sec.", "a.sec.", false), nsec_for("sec.", "*.a.sec.", true));
	ok(is(val_prove_nxdomain(&v, &sec, q, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NXDOMAIN below a delegation from the parent's NSEC: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	/* er.sec. is an empty non-terminal (above deep.er.sec.). */
	q = dn("er.sec.");
	auth = authority("sec.", 2, nsec_for("sec.", "er.sec.", true), nsec_for("sec.", "*.sec.", true));
	ok(is(val_prove_nxdomain(&v, &sec, q, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NXDOMAIN for an empty non-terminal: bogus");
	ok(is(val_prove_nodata(&v, &sec, q, LDNS_RR_TYPE_A, auth), VAL_SECURE, -1),
	   "NODATA for an empty non-terminal (the NSEC's next name is below it): secure");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	/* Wildcard NODATA: x.wild.sec. AAAA. */
	q = dn("x.wild.sec.");
	auth = authority("sec.", 2, nsec_for("sec.", "x.wild.sec.", true), nsec_for("sec.", "*.wild.sec.", false));
	ok(is(val_prove_nodata(&v, &sec, q, LDNS_RR_TYPE_AAAA, auth), VAL_SECURE, -1),
	   "NSEC wildcard NODATA x.wild.sec. AAAA: secure");
	ok(is(val_prove_nodata(&v, &sec, q, LDNS_RR_TYPE_A, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC wildcard NODATA for A, which the wildcard has: bogus");
	ldns_rr_list_free(auth);
	auth = authority("sec.", 1, nsec_for("sec.", "www.sec.", false));
	ok(is(val_prove_nodata(&v, &sec, q, LDNS_RR_TYPE_AAAA, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "wildcard NODATA with an unrelated NSEC: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	/* A forged NSEC (its signature no longer holds). */
	{
		ldns_rr *n = ldns_rr_clone(nsec_for("sec.", "nx.sec.", true));
		ldns_rr_list *s;
		char *owner = ldns_rdf2str(ldns_rr_owner(n));

		ldns_rdf_deep_free(ldns_rr_set_rdf(n, dn("zzz.sec."), 0));
		s = sigs("sec.", owner, LDNS_RR_TYPE_NSEC);
		auth = ldns_rr_list_new();
		ldns_rr_list_push_rr(auth, n);
		ldns_rr_list_push_rr_list(auth, s);
		ldns_rr_list_push_rr(auth, nsec_for("sec.", "*.sec.", true));
		ldns_rr_list_free(s);
		s = sigs("sec.", "sec.", LDNS_RR_TYPE_NSEC);
		ldns_rr_list_push_rr_list(auth, s);
		q = dn("www.sec.");
		ok(is(val_prove_nxdomain(&v, &sec, q, auth), VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS),
		   "NXDOMAIN from an NSEC with a widened span: bogus");
		ldns_rdf_deep_free(q);
		ldns_rr_list_free(s);
		ldns_rr_free(n);
		ldns_rr_list_free(auth);
		free(owner);
	}

	/* Insecure delegation proven by the root's NSEC. */
	q = dn("insec.");
	auth = authority(".", 1, nsec_for(".", "insec.", false));
	ok(is(val_prove_no_ds(&v, &root, q, auth), VAL_INSECURE, -1), "insec.: NSEC with NS, no DS: insecure");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	q = dn("sec.");
	auth = authority(".", 1, nsec_for(".", "sec.", false));
	ok(is(val_prove_no_ds(&v, &root, q, auth), VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS),
	   "sec. claimed without DS while its NSEC lists DS: bogus");
	ldns_rr_list_free(auth);
	auth = ldns_rr_list_new();
	ok(is(val_prove_no_ds(&v, &root, q, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "referral without DS and without proof: bogus, NSEC Missing");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	val_keys_free(&root);
	val_keys_free(&sec);
}

static void test_nsec3_denial(void)
{
	struct val_keys n3, oo;
	ldns_rr_list *auth;
	ldns_rdf *q;

	ok(is(keys_of("n3.", &root_keys, &n3), VAL_SECURE, -1), "n3. DNSKEY secure");
	ok(is(keys_of("optout.", &root_keys, &oo), VAL_SECURE, -1), "optout. DNSKEY secure");

	q = dn("nx.n3.");
	auth = authority("n3.", 3, nsec3_for("n3.", "n3.", false), nsec3_for("n3.", "nx.n3.", true),
			 nsec3_for("n3.", "*.n3.", true));
	ok(is(val_prove_nxdomain(&v, &n3, q, auth), VAL_SECURE, -1),
	   "NSEC3 NXDOMAIN nx.n3. (encloser, next closer, wildcard): secure");
	ldns_rr_list_free(auth);
	auth = authority("n3.", 2, nsec3_for("n3.", "n3.", false), nsec3_for("n3.", "nx.n3.", true));
	ok(nsec3_for("n3.", "nx.n3.", true) != nsec3_for("n3.", "*.n3.", true) &&
		   is(val_prove_nxdomain(&v, &n3, q, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC3 NXDOMAIN without the wildcard's cover: bogus");
	ldns_rr_list_free(auth);
	auth = authority("n3.", 2, nsec3_for("n3.", "nx.n3.", true), nsec3_for("n3.", "*.n3.", true));
	ok(is(val_prove_nxdomain(&v, &n3, q, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC3 NXDOMAIN without the closest encloser: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	q = dn("www.n3.");
	auth = authority("n3.", 1, nsec3_for("n3.", "www.n3.", false));
	ok(is(val_prove_nodata(&v, &n3, q, LDNS_RR_TYPE_AAAA, auth), VAL_SECURE, -1),
	   "NSEC3 NODATA www.n3. AAAA: secure");
	ok(is(val_prove_nodata(&v, &n3, q, LDNS_RR_TYPE_A, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC3 NODATA www.n3. A (in the bitmap): bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	q = dn("alias.n3.");
	auth = authority("n3.", 1, nsec3_for("n3.", "alias.n3.", false));
	ok(is(val_prove_nodata(&v, &n3, q, LDNS_RR_TYPE_AAAA, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC3 NODATA at a CNAME: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	q = dn("er.n3.");
	auth = authority("n3.", 1, nsec3_for("n3.", "er.n3.", false));
	ok(is(val_prove_nodata(&v, &n3, q, LDNS_RR_TYPE_A, auth), VAL_SECURE, -1),
	   "NSEC3 NODATA at an empty non-terminal: secure");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	q = dn("x.wild.n3.");
	auth = authority("n3.", 3, nsec3_for("n3.", "wild.n3.", false), nsec3_for("n3.", "x.wild.n3.", true),
			 nsec3_for("n3.", "*.wild.n3.", false));
	ok(is(val_prove_nodata(&v, &n3, q, LDNS_RR_TYPE_AAAA, auth), VAL_SECURE, -1),
	   "NSEC3 wildcard NODATA x.wild.n3. AAAA: secure");
	ok(is(val_prove_nodata(&v, &n3, q, LDNS_RR_TYPE_A, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC3 wildcard NODATA for A, which the wildcard has: bogus");
	ldns_rr_list_free(auth);
	auth = authority("n3.", 2, nsec3_for("n3.", "wild.n3.", false), nsec3_for("n3.", "*.wild.n3.", false));
	ok(is(val_prove_nodata(&v, &n3, q, LDNS_RR_TYPE_AAAA, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "NSEC3 wildcard NODATA without the next closer's cover: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);

	/* Opt-out: unsigned.optout. is delegated without DS. */
	q = dn("unsigned.optout.");
	if (has_nsec3_for("optout.", "unsigned.optout."))
		auth = authority("optout.", 1, nsec3_for("optout.", "unsigned.optout.", false));
	else
		auth = authority("optout.", 2, nsec3_for("optout.", "optout.", false),
				 nsec3_for("optout.", "unsigned.optout.", true));
	ok(is(val_prove_no_ds(&v, &oo, q, auth), VAL_INSECURE, -1),
	   "unsigned.optout.: its NSEC3 (NS, no DS) proves the delegation insecure");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	/* A delegation left out of the chain: only the opt-out span covers it. */
	q = dn("other.optout.");
	auth = authority("optout.", 2, nsec3_for("optout.", "optout.", false),
			 nsec3_for("optout.", "other.optout.", true));
	ok(ldns_nsec3_optout(nsec3_for("optout.", "other.optout.", true)) &&
		   is(val_prove_no_ds(&v, &oo, q, auth), VAL_INSECURE, -1),
	   "a delegation in an NSEC3 opt-out span: insecure");
	ok(is(val_prove_nodata(&v, &oo, q, LDNS_RR_TYPE_DS, auth), VAL_INSECURE, -1),
	   "DS NODATA in an opt-out span: insecure");
	ok(is(val_prove_nodata(&v, &oo, q, LDNS_RR_TYPE_A, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "an opt-out span proves no other type absent: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	/* The same proof shape without the opt-out flag proves nothing. */
	q = dn("unsigned.n3.");
	auth = authority("n3.", 2, nsec3_for("n3.", "n3.", false), nsec3_for("n3.", "unsigned.n3.", true));
	ok(is(val_prove_no_ds(&v, &n3, q, auth), VAL_BOGUS, VAL_EDE_NSEC_MISSING),
	   "no DS under an NSEC3 span without opt-out: bogus");
	ldns_rr_list_free(auth);
	ldns_rdf_deep_free(q);
	val_keys_free(&n3);
	val_keys_free(&oo);
}

static void test_aggressive(void)
{
	struct val_keys sec;
	ldns_rr_list *auth, *proof = NULL;
	ldns_rdf *q;
	ldns_pkt_rcode rcode = LDNS_RCODE_SERVFAIL;
	time_t now = time(NULL);

	keys_of("sec.", &root_keys, &sec);
	q = dn("o.sec.");
	ok(v.nsec_count > 0, "the proofs above filled the store");
	val_nsec_store_flush(&v);
	ok(is(val_nsec_store_lookup(&v, q, LDNS_RR_TYPE_A, &rcode, &proof), VAL_INDETERMINATE, -1) &&
		   proof == NULL,
	   "flushed store proves nothing");
	auth = authority("sec.", 2, nsec_for("sec.", "nx.sec.", true), nsec_for("sec.", "*.sec.", true));
	ldns_rdf *nx = dn("nx.sec.");

	val_prove_nxdomain(&v, &sec, nx, auth);
	ldns_rdf_deep_free(nx);
	ldns_rr_list_free(auth);
	ok(v.nsec_count == 2, "a validated NXDOMAIN proof fills the store with its two NSECs");
	ok(is(val_nsec_store_lookup(&v, q, LDNS_RR_TYPE_A, &rcode, &proof), VAL_SECURE, -1) &&
		   rcode == LDNS_RCODE_NXDOMAIN && proof && ldns_rr_list_rr_count(proof) == 4,
	   "o.sec. (in the stored span): NXDOMAIN, two NSECs and their RRSIGs");
	/* The synthesised proof passes the validator as an answer would. */
	ok(proof && is(val_prove_nxdomain(&v, &sec, q, proof), VAL_SECURE, -1),
	   "the synthesised proof validates");
	ldns_rr_list_deep_free(proof);
	proof = NULL;
	ldns_rdf_deep_free(q);
	q = dn("zzz.sec.");
	ok(is(val_nsec_store_lookup(&v, q, LDNS_RR_TYPE_A, &rcode, &proof), VAL_INDETERMINATE, -1),
	   "zzz.sec. (outside the span): not proven");
	ldns_rr_list_deep_free(proof);
	proof = NULL;
	ldns_rdf_deep_free(q);
	q = dn("ns.sec.");
	ok(is(val_nsec_store_lookup(&v, q, LDNS_RR_TYPE_AAAA, &rcode, &proof), VAL_SECURE, -1) &&
		   rcode == LDNS_RCODE_NOERROR,
	   "ns.sec. AAAA: NODATA from the stored NSEC at ns.sec.");
	ldns_rr_list_deep_free(proof);
	proof = NULL;
	ok(is(val_nsec_store_lookup(&v, q, LDNS_RR_TYPE_A, &rcode, &proof), VAL_INDETERMINATE, -1),
	   "ns.sec. A (in its bitmap): not proven");
	ldns_rr_list_deep_free(proof);
	proof = NULL;
	ldns_rdf_deep_free(q);
	q = dn("o.alg13.");
	ok(is(val_nsec_store_lookup(&v, q, LDNS_RR_TYPE_A, &rcode, &proof), VAL_INDETERMINATE, -1),
	   "another zone: not proven");
	ldns_rdf_deep_free(q);

	q = dn("o.sec.");
	v.cfg.aggressive_nsec = false;
	ok(is(val_nsec_store_lookup(&v, q, LDNS_RR_TYPE_A, &rcode, &proof), VAL_INDETERMINATE, -1),
	   "aggressive-nsec no: not used");
	v.cfg.aggressive_nsec = true;
	v.cfg.override_date = now + 299;
	ok(is(val_nsec_store_lookup(&v, q, LDNS_RR_TYPE_A, &rcode, &proof), VAL_SECURE, -1),
	   "still proven just before the TTL (300 s) runs out");
	ldns_rr_list_deep_free(proof);
	proof = NULL;
	v.cfg.override_date = now + 301;
	ok(is(val_nsec_store_lookup(&v, q, LDNS_RR_TYPE_A, &rcode, &proof), VAL_INDETERMINATE, -1) &&
		   v.nsec_count == 0,
	   "expired with the TTL: not proven, store emptied");
	v.cfg.override_date = 0;
	ldns_rdf_deep_free(q);

	/* Bounded: the entry expiring first makes room. */
	{
		struct validator small;
		struct val_config cfg;
		ldns_rdf *z = dn("sec.");

		val_config_defaults(&cfg);
		cfg.nsec_store_size = 2;
		validator_init(&small, &cfg);
		val_nsec_store_add(&small, z, nsec_for("sec.", "nx.sec.", true), NULL, 100);
		val_nsec_store_add(&small, z, nsec_for("sec.", "*.sec.", true), NULL, 300);
		val_nsec_store_add(&small, z, nsec_for("sec.", "www.sec.", false), NULL, 200);
		ok(small.nsec_count == 2 &&
			   ldns_dname_compare(ldns_rr_owner(small.nsec_store[0].nsec),
					      ldns_rr_owner(nsec_for("sec.", "www.sec.", false))) == 0,
		   "a full store replaces the entry that expires first");
		validator_free(&small);
		ldns_rdf_deep_free(z);
	}
	val_keys_free(&sec);
}

static void test_counters(void)
{
	val_count(&v, VAL_SECURE);
	val_count(&v, VAL_SECURE);
	val_count(&v, VAL_BOGUS);
	val_count(&v, VAL_INSECURE);
	val_count(&v, VAL_INDETERMINATE);
	ok(v.counters.secure == 2 && v.counters.bogus == 1 && v.counters.insecure == 1 &&
		   v.counters.indeterminate == 1,
	   "counters count verdicts");
}

int main(void)
{
	char cmd[512];

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "%s gen %s >%s/gen.log 2>&1", SIGNED_SH, dir, dir);
	if (system(cmd) != 0) {
		printf("Bail out! %s failed\n", cmd);
		return 1;
	}
	load_zones();
	validator_init(&v, NULL);

	tap_plan(120);
	test_anchors();
	test_algorithms();
	test_chain_and_bogus();
	test_windows();
	test_rollover();
	test_wildcards();
	test_nsec_denial();
	test_nsec3_denial();
	test_aggressive();
	test_counters();

	val_keys_free(&root_keys);
	validator_free(&v);
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		ldns_rr_list_deep_free(zones[i].rrs);
	if (!getenv("KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	} else {
		printf("# kept %s\n", dir);
	}
	return tap_done();
}
