// SPDX-License-Identifier: GPL-2.0
#include "validate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The IANA root KSKs: KSK-2017 (20326) and KSK-2024 (38696), as Debian's
 * dns-root-data ships them in /usr/share/dns/root.ds. */
static const char *const root_anchors[] = {
	". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
	". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
};

#define DNSKEY_FLAG_ZONE 0x0100
#define DNSSEC_PROTOCOL 3
#define NSEC3_HASH_SHA1 1
/* RFC 9276: more iterations than this make an NSEC3 proof insecure. */
#define NSEC3_MAX_ITERATIONS 150

__attribute__((format(printf, 3, 4)))
static struct val_result verdict(enum val_status status, enum val_ede ede, const char *fmt, ...)
{
	struct val_result r = { .status = status, .ede = ede };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r.why, sizeof(r.why), fmt, ap);
	va_end(ap);
	return r;
}

static struct val_result secure(const char *why)
{
	return verdict(VAL_SECURE, VAL_EDE_NONE, "%s", why);
}

/* A name as text, for the trace (a static buffer per call site is enough). */
static const char *name_text(const ldns_rdf *name, char *buf, size_t size)
{
	char *s = name ? ldns_rdf2str(name) : NULL;

	snprintf(buf, size, "%s", s ? s : "?");
	free(s);
	return buf;
}

bool val_algorithm_supported(uint8_t algorithm)
{
	switch (algorithm) {
	case LDNS_RSASHA256:
	case LDNS_RSASHA512:
	case LDNS_ECDSAP256SHA256:
	case LDNS_ECDSAP384SHA384:
	case LDNS_ED25519:
		return true;
	default:
		return false;
	}
}

bool val_digest_supported(uint8_t digest)
{
	return digest == LDNS_SHA1 || digest == LDNS_SHA256 || digest == LDNS_SHA384;
}

static uint16_t key_flags(const ldns_rr *key)
{
	return ldns_rdf2native_int16(ldns_rr_dnskey_flags(key));
}

static uint8_t key_algorithm(const ldns_rr *key)
{
	return ldns_rdf2native_int8(ldns_rr_dnskey_algorithm(key));
}

static bool key_usable(const ldns_rr *key)
{
	return ldns_rr_get_type(key) == LDNS_RR_TYPE_DNSKEY && ldns_rr_rd_count(key) == 4 &&
	       ldns_rdf2native_int8(ldns_rr_dnskey_protocol(key)) == DNSSEC_PROTOCOL;
}

static uint16_t ds_keytag(const ldns_rr *ds)
{
	return ldns_rdf2native_int16(ldns_rr_rdf(ds, 0));
}

static uint8_t ds_algorithm(const ldns_rr *ds)
{
	return ldns_rdf2native_int8(ldns_rr_rdf(ds, 1));
}

static uint8_t ds_digest_type(const ldns_rr *ds)
{
	return ldns_rdf2native_int8(ldns_rr_rdf(ds, 2));
}

static bool same_name(const ldns_rdf *a, const ldns_rdf *b)
{
	return ldns_dname_compare(a, b) == 0;
}

/* Equal or below. */
static bool name_under(const ldns_rdf *name, const ldns_rdf *zone)
{
	return same_name(name, zone) || ldns_dname_is_subdomain(name, zone);
}

static void add_algorithm(uint8_t *list, size_t *n, size_t max, uint8_t alg)
{
	for (size_t i = 0; i < *n; i++)
		if (list[i] == alg)
			return;
	if (*n < max)
		list[(*n)++] = alg;
}

static bool has_algorithm(const uint8_t *list, size_t n, uint8_t alg)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == alg)
			return true;
	return false;
}

void val_config_defaults(struct val_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->harden_algo_downgrade = true;
	cfg->aggressive_nsec = true;
	cfg->nsec_store_size = 4096;
}

int validator_init(struct validator *v, const struct val_config *cfg)
{
	memset(v, 0, sizeof(*v));
	if (cfg)
		v->cfg = *cfg;
	else
		val_config_defaults(&v->cfg);
	v->anchors = ldns_rr_list_new();
	if (!v->anchors)
		return -ENOMEM;
	if (v->cfg.nsec_store_size) {
		v->nsec_store = calloc(v->cfg.nsec_store_size, sizeof(*v->nsec_store));
		if (!v->nsec_store) {
			ldns_rr_list_free(v->anchors);
			v->anchors = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static void nsec_entry_clear(struct val_nsec_entry *e)
{
	ldns_rdf_deep_free(e->zone);
	ldns_rr_free(e->nsec);
	ldns_rr_list_deep_free(e->rrsigs);
	memset(e, 0, sizeof(*e));
}

void validator_free(struct validator *v)
{
	for (size_t i = 0; i < v->nsec_count; i++)
		nsec_entry_clear(&v->nsec_store[i]);
	free(v->nsec_store);
	ldns_rr_list_deep_free(v->anchors);
	memset(v, 0, sizeof(*v));
}

static int add_anchor(struct validator *v, ldns_rr *rr)
{
	ldns_rr_type t = ldns_rr_get_type(rr);

	if (t != LDNS_RR_TYPE_DS && t != LDNS_RR_TYPE_DNSKEY) {
		ldns_rr_free(rr);
		return -EINVAL;
	}
	if (!ldns_rr_list_push_rr(v->anchors, rr)) {
		ldns_rr_free(rr);
		return -ENOMEM;
	}
	return 0;
}

int validator_add_anchor_file(struct validator *v, const char *path)
{
	FILE *f = fopen(path, "r");
	ldns_rdf *origin = NULL, *prev = NULL;
	uint32_t ttl = 3600;
	int line = 0, added = 0, err = 0;

	if (!f)
		return -errno;
	while (!feof(f)) {
		ldns_rr *rr = NULL;
		ldns_status s = ldns_rr_new_frm_fp_l(&rr, f, &ttl, &origin, &prev, &line);

		if (s == LDNS_STATUS_SYNTAX_EMPTY || s == LDNS_STATUS_SYNTAX_TTL ||
		    s == LDNS_STATUS_SYNTAX_ORIGIN || s == LDNS_STATUS_SYNTAX_INCLUDE)
			continue;
		if (s != LDNS_STATUS_OK) {
			err = -EINVAL;
			break;
		}
		err = add_anchor(v, rr);
		if (err)
			break;
		added++;
	}
	fclose(f);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	if (!err && added == 0)
		err = -ENOENT;
	return err;
}

int validator_add_default_anchors(struct validator *v)
{
	for (size_t i = 0; i < sizeof(root_anchors) / sizeof(root_anchors[0]); i++) {
		ldns_rr *rr = NULL;

		if (ldns_rr_new_frm_str(&rr, root_anchors[i], 0, NULL, NULL) != LDNS_STATUS_OK)
			return -EINVAL;
		int err = add_anchor(v, rr);

		if (err)
			return err;
	}
	return 0;
}

ldns_rr_list *validator_anchors_for(const struct validator *v, const ldns_rdf *zone)
{
	ldns_rr_list *out = NULL;

	for (size_t i = 0; i < ldns_rr_list_rr_count(v->anchors); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(v->anchors, i);

		if (!same_name(ldns_rr_owner(rr), zone))
			continue;
		if (!out)
			out = ldns_rr_list_new();
		if (!out || !ldns_rr_list_push_rr(out, ldns_rr_clone(rr)))
			break;
	}
	return out;
}

time_t validator_now(const struct validator *v)
{
	return v->cfg.override_date ? v->cfg.override_date : time(NULL);
}

void val_keys_free(struct val_keys *keys)
{
	ldns_rdf_deep_free(keys->zone);
	ldns_rr_list_deep_free(keys->dnskeys);
	memset(keys, 0, sizeof(*keys));
}

void val_count(struct validator *v, enum val_status status)
{
	switch (status) {
	case VAL_SECURE:
		v->counters.secure++;
		break;
	case VAL_INSECURE:
		v->counters.insecure++;
		break;
	case VAL_BOGUS:
		v->counters.bogus++;
		break;
	case VAL_INDETERMINATE:
		v->counters.indeterminate++;
		break;
	}
}

const char *val_status_name(enum val_status status)
{
	static const char *const names[] = { "secure", "insecure", "bogus", "indeterminate" };

	return (unsigned)status < 4 ? names[status] : "?";
}

/*
 * Signatures.  Why a signature failed, ranked: the verdict of an RRset
 * none of whose signatures holds is the most telling failure seen.
 */
enum sig_failure {
	SIG_FAIL_NONE,
	SIG_FAIL_NO_KEY,	/* no DNSKEY with its tag and algorithm */
	SIG_FAIL_NOT_ZONE_KEY,	/* only keys without the zone key bit */
	SIG_FAIL_CRYPTO,
	SIG_FAIL_NOT_YET,
	SIG_FAIL_EXPIRED,
};

/* Verdict when no signature holds. */
static struct val_result sig_failure_verdict(enum sig_failure f, const char *what)
{
	switch (f) {
	case SIG_FAIL_EXPIRED:
		return verdict(VAL_BOGUS, VAL_EDE_SIG_EXPIRED, "%s: signature expired", what);
	case SIG_FAIL_NOT_YET:
		return verdict(VAL_BOGUS, VAL_EDE_SIG_NOT_YET_VALID, "%s: signature not yet valid", what);
	case SIG_FAIL_NOT_ZONE_KEY:
		return verdict(VAL_BOGUS, VAL_EDE_NO_ZONE_KEY_BIT, "%s: signing key lacks the zone key bit",
			       what);
	case SIG_FAIL_NO_KEY:
		return verdict(VAL_BOGUS, VAL_EDE_DNSKEY_MISSING, "%s: no DNSKEY for its signatures", what);
	case SIG_FAIL_CRYPTO:
	case SIG_FAIL_NONE:
	default:
		return verdict(VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS, "%s: signature does not verify", what);
	}
}

static enum sig_failure status_failure(ldns_status s)
{
	switch (s) {
	case LDNS_STATUS_CRYPTO_SIG_EXPIRED:
		return SIG_FAIL_EXPIRED;
	case LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED:
		return SIG_FAIL_NOT_YET;
	default:
		return SIG_FAIL_CRYPTO;
	}
}

/*
 * The RRset as it was signed: a wildcard expansion is checked with the
 * wildcard's owner (RFC 4035 5.3.2).  NULL when the labels field is
 * impossible (more labels than the owner has).
 */
static ldns_rr_list *rrset_as_signed(const ldns_rr_list *rrset, const ldns_rr *rrsig, bool *expanded)
{
	const ldns_rdf *owner = ldns_rr_owner(ldns_rr_list_rr(rrset, 0));
	uint8_t labels = ldns_rdf2native_int8(ldns_rr_rrsig_labels(rrsig));
	uint8_t owner_labels = ldns_dname_label_count(owner);
	ldns_rr_list *copy;
	ldns_rdf *wild = NULL;

	if (ldns_dname_is_wildcard(owner))
		owner_labels--;
	*expanded = false;
	if (labels > owner_labels)
		return NULL;
	copy = ldns_rr_list_clone(rrset);
	if (!copy || labels == owner_labels)
		return copy;
	*expanded = true;
	ldns_rdf *suffix = ldns_rdf_clone(owner);

	for (uint8_t i = owner_labels; suffix && i > labels; i--) {
		ldns_rdf *up = ldns_dname_left_chop(suffix);

		ldns_rdf_deep_free(suffix);
		suffix = up;
	}
	wild = ldns_dname_new_frm_str("*");
	if (!suffix || !wild || ldns_dname_cat(wild, suffix) != LDNS_STATUS_OK) {
		ldns_rdf_deep_free(suffix);
		ldns_rdf_deep_free(wild);
		ldns_rr_list_deep_free(copy);
		return NULL;
	}
	ldns_rdf_deep_free(suffix);
	for (size_t i = 0; i < ldns_rr_list_rr_count(copy); i++) {
		ldns_rr *rr = ldns_rr_list_rr(copy, i);

		ldns_rdf_deep_free(ldns_rr_owner(rr));
		ldns_rr_set_owner(rr, ldns_rdf_clone(wild));
	}
	ldns_rdf_deep_free(wild);
	return copy;
}

/* The name one label below the wildcard's parent, toward OWNER. */
static ldns_rdf *wildcard_next_closer(const ldns_rdf *owner, uint8_t labels)
{
	ldns_rdf *name = ldns_rdf_clone(owner);

	for (uint8_t n = ldns_dname_label_count(owner); name && n > (uint8_t)(labels + 1); n--) {
		ldns_rdf *up = ldns_dname_left_chop(name);

		ldns_rdf_deep_free(name);
		name = up;
	}
	return name;
}

struct sig_check {
	uint8_t valid_algorithms[8];
	size_t n_valid;
	enum sig_failure worst;
	bool any_sig;
	bool expanded;		/* a valid signature came from a wildcard */
	uint8_t labels;		/* its labels field */
};

/*
 * Every RRSIG over RRSET by ZONE is tried with the keys of KEYS that
 * carry its tag and algorithm; which algorithms have a valid signature
 * and the worst failure go to *c.
 */
static void check_signatures(const struct validator *v, const ldns_rdf *zone, const ldns_rr_list *keys,
			     const ldns_rr_list *rrset, const ldns_rr_list *rrsigs, struct sig_check *c)
{
	const ldns_rr *first = ldns_rr_list_rr(rrset, 0);
	time_t now = validator_now(v);

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; rrsigs && i < ldns_rr_list_rr_count(rrsigs); i++) {
		ldns_rr *sig = ldns_rr_list_rr(rrsigs, i);
		enum sig_failure fail = SIG_FAIL_NO_KEY;
		bool expanded;

		if (ldns_rr_get_type(sig) != LDNS_RR_TYPE_RRSIG || ldns_rr_rd_count(sig) != 9 ||
		    !same_name(ldns_rr_owner(sig), ldns_rr_owner(first)) ||
		    ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(sig)) != ldns_rr_get_type(first) ||
		    !same_name(ldns_rr_rrsig_signame(sig), zone))
			continue;
		c->any_sig = true;
		uint8_t alg = ldns_rdf2native_int8(ldns_rr_rrsig_algorithm(sig));
		uint16_t tag = ldns_rdf2native_int16(ldns_rr_rrsig_keytag(sig));
		ldns_rr_list *signed_set = rrset_as_signed(rrset, sig, &expanded);

		if (!signed_set) {
			fail = SIG_FAIL_CRYPTO;
		} else {
			for (size_t k = 0; k < ldns_rr_list_rr_count(keys); k++) {
				ldns_rr *key = ldns_rr_list_rr(keys, k);

				if (!key_usable(key) || key_algorithm(key) != alg || ldns_calc_keytag(key) != tag)
					continue;
				if (!(key_flags(key) & DNSKEY_FLAG_ZONE)) {
					if (fail == SIG_FAIL_NO_KEY)
						fail = SIG_FAIL_NOT_ZONE_KEY;
					continue;
				}
				if (!val_algorithm_supported(alg)) {
					fail = SIG_FAIL_CRYPTO;
					continue;
				}
				ldns_status s = ldns_verify_rrsig_time(signed_set, sig, key, now);

				if (s == LDNS_STATUS_OK) {
					fail = SIG_FAIL_NONE;
					break;
				}
				enum sig_failure f = status_failure(s);

				if (fail == SIG_FAIL_NO_KEY || fail == SIG_FAIL_NOT_ZONE_KEY || f > fail)
					fail = f;
			}
			ldns_rr_list_deep_free(signed_set);
		}
		if (fail == SIG_FAIL_NONE) {
			add_algorithm(c->valid_algorithms, &c->n_valid, sizeof(c->valid_algorithms), alg);
			if (expanded) {
				c->expanded = true;
				c->labels = ldns_rdf2native_int8(ldns_rr_rrsig_labels(sig));
			}
		} else if (fail > c->worst) {
			c->worst = fail;
		}
	}
}

/* Secure when each of NEED (or, with none, any one algorithm) has a valid signature. */
static struct val_result signatures_verdict(const struct sig_check *c, const uint8_t *need, size_t n_need,
					    const char *what)
{
	if (!c->any_sig)
		return verdict(VAL_BOGUS, VAL_EDE_RRSIGS_MISSING, "%s: no RRSIG", what);
	if (c->n_valid == 0)
		return sig_failure_verdict(c->worst, what);
	for (size_t i = 0; i < n_need; i++)
		if (!has_algorithm(c->valid_algorithms, c->n_valid, need[i]))
			return verdict(VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS,
				       "%s: no valid signature of algorithm %u (downgrade)", what, need[i]);
	return secure(what);
}

/* The key in DNSKEYS a trusted DS or DNSKEY record designates, or NULL. */
static bool key_matches_trusted(const ldns_rr *key, const ldns_rr *trusted)
{
	if (ldns_rr_get_type(trusted) == LDNS_RR_TYPE_DNSKEY) {
		if (ldns_rr_rd_count(trusted) != 4)
			return false;
		for (size_t i = 0; i < 4; i++)
			if (ldns_rdf_compare(ldns_rr_rdf(key, i), ldns_rr_rdf(trusted, i)) != 0)
				return false;
		return true;
	}
	if (ldns_rr_rd_count(trusted) != 4 || ds_keytag(trusted) != ldns_calc_keytag(key) ||
	    ds_algorithm(trusted) != key_algorithm(key))
		return false;
	ldns_rr *ds = ldns_key_rr2ds(key, (ldns_hash)ds_digest_type(trusted));
	bool match = ds && ldns_rdf_compare(ldns_rr_rdf(ds, 3), ldns_rr_rdf(trusted, 3)) == 0;

	ldns_rr_free(ds);
	return match;
}

static bool trusted_supported(const ldns_rr *t)
{
	if (ldns_rr_get_type(t) == LDNS_RR_TYPE_DNSKEY)
		return ldns_rr_rd_count(t) == 4 && val_algorithm_supported(key_algorithm(t));
	return ldns_rr_get_type(t) == LDNS_RR_TYPE_DS && ldns_rr_rd_count(t) == 4 &&
	       val_algorithm_supported(ds_algorithm(t)) && val_digest_supported(ds_digest_type(t));
}

struct val_result val_verify_dnskeys(struct validator *v, const ldns_rdf *zone,
				     const ldns_rr_list *trusted, const ldns_rr_list *dnskeys,
				     const ldns_rr_list *rrsigs, struct val_keys *keys)
{
	uint8_t need[8];
	size_t n_need = 0, n_trusted = 0, n_supported = 0;
	bool unsupported_alg = false, non_zone_match = false;
	char zbuf[LDNS_MAX_DOMAINLEN + 1], what[LDNS_MAX_DOMAINLEN + 16];
	ldns_rr_list *matched;
	struct sig_check c;
	struct val_result r;

	memset(keys, 0, sizeof(*keys));
	snprintf(what, sizeof(what), "%s DNSKEY", name_text(zone, zbuf, sizeof(zbuf)));
	for (size_t i = 0; trusted && i < ldns_rr_list_rr_count(trusted); i++) {
		const ldns_rr *t = ldns_rr_list_rr(trusted, i);
		ldns_rr_type type = ldns_rr_get_type(t);

		if ((type != LDNS_RR_TYPE_DS && type != LDNS_RR_TYPE_DNSKEY) || !same_name(ldns_rr_owner(t), zone))
			continue;
		n_trusted++;
		if (!trusted_supported(t)) {
			if (ldns_rr_rd_count(t) == 4 &&
			    !val_algorithm_supported(type == LDNS_RR_TYPE_DS ? ds_algorithm(t) : key_algorithm(t)))
				unsupported_alg = true;
			continue;
		}
		n_supported++;
		add_algorithm(need, &n_need, sizeof(need), type == LDNS_RR_TYPE_DS ? ds_algorithm(t) : key_algorithm(t));
	}
	if (n_trusted == 0)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "%s: no DS or trust anchor to start from", what);
	/* RFC 4035 5.2: a DS set of nothing this validator implements is
	 * treated as if there were none. */
	if (n_supported == 0)
		return unsupported_alg ? verdict(VAL_INSECURE, VAL_EDE_UNSUPPORTED_DNSKEY_ALG,
						 "%s: DS algorithms unsupported", what)
				       : verdict(VAL_INSECURE, VAL_EDE_UNSUPPORTED_DS_DIGEST,
						 "%s: DS digest types unsupported", what);
	if (!dnskeys || ldns_rr_list_rr_count(dnskeys) == 0)
		return verdict(VAL_BOGUS, VAL_EDE_DNSKEY_MISSING, "%s: no DNSKEY records", what);

	matched = ldns_rr_list_new();
	if (!matched)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "%s: out of memory", what);
	for (size_t k = 0; k < ldns_rr_list_rr_count(dnskeys); k++) {
		ldns_rr *key = ldns_rr_list_rr(dnskeys, k);

		if (!key_usable(key) || !same_name(ldns_rr_owner(key), zone))
			continue;
		for (size_t i = 0; i < ldns_rr_list_rr_count(trusted); i++) {
			const ldns_rr *t = ldns_rr_list_rr(trusted, i);

			if (!same_name(ldns_rr_owner(t), zone) || !trusted_supported(t) || !key_matches_trusted(key, t))
				continue;
			if (!(key_flags(key) & DNSKEY_FLAG_ZONE)) {
				non_zone_match = true;
				continue;
			}
			ldns_rr_list_push_rr(matched, key);
			break;
		}
	}
	if (ldns_rr_list_rr_count(matched) == 0) {
		ldns_rr_list_free(matched);
		return non_zone_match ? verdict(VAL_BOGUS, VAL_EDE_NO_ZONE_KEY_BIT,
						"%s: the DS's key lacks the zone key bit", what)
				      : verdict(VAL_BOGUS, VAL_EDE_DNSKEY_MISSING, "%s: no DNSKEY matches the DS",
						what);
	}
	check_signatures(v, zone, matched, dnskeys, rrsigs, &c);
	ldns_rr_list_free(matched);
	/*
	 * harden-algo-downgrade: every supported algorithm the DS set lists
	 * must sign the DNSKEY set with a DS-matched key, as Unbound's option;
	 * without it any one will do (RFC 6840 5.11).
	 */
	r = signatures_verdict(&c, need, v->cfg.harden_algo_downgrade ? n_need : 0, what);
	if (r.status != VAL_SECURE)
		return r;

	keys->zone = ldns_rdf_clone(zone);
	keys->dnskeys = ldns_rr_list_new();
	for (size_t k = 0; keys->dnskeys && k < ldns_rr_list_rr_count(dnskeys); k++) {
		const ldns_rr *key = ldns_rr_list_rr(dnskeys, k);

		if (key_usable(key) && same_name(ldns_rr_owner(key), zone))
			ldns_rr_list_push_rr(keys->dnskeys, ldns_rr_clone(key));
	}
	if (!keys->zone || !keys->dnskeys) {
		val_keys_free(keys);
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "%s: out of memory", what);
	}
	if (v->cfg.harden_algo_downgrade) {
		memcpy(keys->algorithms, need, n_need);
		keys->n_algorithms = n_need;
	}
	return r;
}

static void rrset_what(const ldns_rr_list *rrset, char *buf, size_t size)
{
	char nbuf[LDNS_MAX_DOMAINLEN + 1];
	const ldns_rr *first = ldns_rr_list_rr(rrset, 0);
	char *type = ldns_rr_type2str(ldns_rr_get_type(first));

	snprintf(buf, size, "%s %s", name_text(ldns_rr_owner(first), nbuf, sizeof(nbuf)), type ? type : "?");
	free(type);
}

struct val_result val_verify_rrset(struct validator *v, const struct val_keys *keys,
				   const ldns_rr_list *rrset, const ldns_rr_list *rrsigs,
				   ldns_rdf **next_closer)
{
	char what[LDNS_MAX_DOMAINLEN + 32];
	struct sig_check c;
	struct val_result r;

	if (next_closer)
		*next_closer = NULL;
	if (!rrset || ldns_rr_list_rr_count(rrset) == 0)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "empty RRset");
	rrset_what(rrset, what, sizeof(what));
	if (!keys || !keys->dnskeys)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "%s: no trusted keys", what);
	if (!name_under(ldns_rr_owner(ldns_rr_list_rr(rrset, 0)), keys->zone))
		return verdict(VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS, "%s: outside the keys' zone", what);
	check_signatures(v, keys->zone, keys->dnskeys, rrset, rrsigs, &c);
	r = signatures_verdict(&c, keys->algorithms, keys->n_algorithms, what);
	if (r.status == VAL_SECURE && c.expanded && next_closer)
		*next_closer = wildcard_next_closer(ldns_rr_owner(ldns_rr_list_rr(rrset, 0)), c.labels);
	return r;
}

/*
 * Denial of existence.  The proof records are first verified one owner at
 * a time; the checks below see only records whose signatures held.
 */
struct denial {
	ldns_rr_list *nsec;	/* validated NSEC records (pointers into the answer) */
	ldns_rr_list *nsec3;	/* validated NSEC3 records with usable parameters */
	bool nsec3_unusable;	/* NSEC3 records that cannot be used (RFC 9276, unknown hash) */
};

static void denial_free(struct denial *d)
{
	ldns_rr_list_free(d->nsec);
	ldns_rr_list_free(d->nsec3);
}

/* The RRSIGs in LIST over OWNER/TYPE. */
static ldns_rr_list *sigs_for(const ldns_rr_list *list, const ldns_rdf *owner, ldns_rr_type type)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out && i < ldns_rr_list_rr_count(list); i++) {
		ldns_rr *rr = ldns_rr_list_rr(list, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && same_name(ldns_rr_owner(rr), owner) &&
		    ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) == type)
			ldns_rr_list_push_rr(out, rr);
	}
	return out;
}

uint32_t val_validated_ttl(const struct validator *v, uint32_t ttl, const ldns_rr_list *sigs)
{
	time_t now = validator_now(v);

	for (size_t i = 0; sigs && i < ldns_rr_list_rr_count(sigs); i++) {
		const ldns_rr *s = ldns_rr_list_rr(sigs, i);
		uint32_t orig = ldns_rdf2native_int32(ldns_rr_rrsig_origttl(s));
		time_t exp = (time_t)ldns_rdf2native_time_t(ldns_rr_rrsig_expiration(s));

		if (ldns_rr_get_type(s) != LDNS_RR_TYPE_RRSIG)
			continue;
		if (orig < ttl)
			ttl = orig;
		if (exp <= now)
			ttl = 0;
		else if ((uint64_t)(exp - now) < ttl)
			ttl = (uint32_t)(exp - now);
	}
	return ttl;
}

static struct val_result collect_denial(struct validator *v, const struct val_keys *keys,
					const ldns_rr_list *authority, struct denial *d)
{
	memset(d, 0, sizeof(*d));
	d->nsec = ldns_rr_list_new();
	d->nsec3 = ldns_rr_list_new();
	if (!d->nsec || !d->nsec3)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "out of memory");
	if (!keys || !keys->dnskeys)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "no trusted keys");
	for (size_t i = 0; authority && i < ldns_rr_list_rr_count(authority); i++) {
		ldns_rr *rr = ldns_rr_list_rr(authority, i);
		ldns_rr_type t = ldns_rr_get_type(rr);

		if (t != LDNS_RR_TYPE_NSEC && t != LDNS_RR_TYPE_NSEC3)
			continue;
		if (!name_under(ldns_rr_owner(rr), keys->zone))
			continue;
		ldns_rr_list *set = ldns_rr_list_new(), *sigs = sigs_for(authority, ldns_rr_owner(rr), t);
		struct val_result r;

		if (!set || !sigs || !ldns_rr_list_push_rr(set, rr)) {
			ldns_rr_list_free(set);
			ldns_rr_list_free(sigs);
			return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "out of memory");
		}
		r = val_verify_rrset(v, keys, set, sigs, NULL);
		if (r.status != VAL_SECURE) {
			ldns_rr_list_free(set);
			ldns_rr_list_free(sigs);
			return r;
		}
		if (t == LDNS_RR_TYPE_NSEC) {
			ldns_rr_list_push_rr(d->nsec, rr);
			if (v->cfg.aggressive_nsec)
				val_nsec_store_add(v, keys->zone, rr, sigs, val_validated_ttl(v, ldns_rr_ttl(rr), sigs));
		} else if (ldns_nsec3_algorithm(rr) == NSEC3_HASH_SHA1 &&
			   ldns_nsec3_iterations(rr) <= NSEC3_MAX_ITERATIONS) {
			ldns_rr_list_push_rr(d->nsec3, rr);
		} else {
			d->nsec3_unusable = true;
		}
		ldns_rr_list_free(set);
		ldns_rr_list_free(sigs);
	}
	return secure("denial records verified");
}

static bool bitmap_has(const ldns_rr *nsec, ldns_rr_type type)
{
	ldns_rdf *bitmap = ldns_nsec_get_bitmap(nsec);

	return bitmap && ldns_nsec_bitmap_covers_type(bitmap, type);
}

/* An NSEC/NSEC3 from the parent side of a zone cut, or at a DNAME: it
 * cannot deny anything below its owner (RFC 6840 4.1). */
static bool is_cut(const ldns_rr *nsec)
{
	return (bitmap_has(nsec, LDNS_RR_TYPE_NS) && !bitmap_has(nsec, LDNS_RR_TYPE_SOA)) ||
	       bitmap_has(nsec, LDNS_RR_TYPE_DNAME);
}

/* NSEC: OWNER < NAME < NEXT in canonical order (a strict cover). */
static bool nsec_covers(const ldns_rr *nsec, const ldns_rdf *name)
{
	const ldns_rdf *owner = ldns_rr_owner(nsec);

	if (same_name(owner, name) || !ldns_nsec_covers_name(nsec, name))
		return false;
	/* Below a delegation or DNAME, the parent's NSEC says nothing. */
	return !(ldns_dname_is_subdomain(name, owner) && is_cut(nsec));
}

static const ldns_rr *nsec_matching(const ldns_rr_list *nsecs, const ldns_rdf *name)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(nsecs); i++)
		if (same_name(ldns_rr_owner(ldns_rr_list_rr(nsecs, i)), name))
			return ldns_rr_list_rr(nsecs, i);
	return NULL;
}

static const ldns_rr *nsec_covering(const ldns_rr_list *nsecs, const ldns_rdf *name)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(nsecs); i++)
		if (nsec_covers(ldns_rr_list_rr(nsecs, i), name))
			return ldns_rr_list_rr(nsecs, i);
	return NULL;
}

/* The longest ancestor (or self) of A that is also one of B. */
static ldns_rdf *common_ancestor(const ldns_rdf *a, const ldns_rdf *b)
{
	ldns_rdf *name = ldns_rdf_clone(a);

	while (name && !name_under(b, name)) {
		ldns_rdf *up = ldns_dname_left_chop(name);

		ldns_rdf_deep_free(name);
		name = up;
	}
	return name;
}

/* RFC 4035 3.1.3.2: the closest encloser NSEC NSEC (covering NAME) implies. */
static ldns_rdf *nsec_closest_encloser(const ldns_rr *nsec, const ldns_rdf *name)
{
	ldns_rdf *a = common_ancestor(name, ldns_rr_owner(nsec));
	ldns_rdf *b = common_ancestor(name, ldns_rr_rdf(nsec, 0));

	if (!a || !b) {
		ldns_rdf_deep_free(a);
		ldns_rdf_deep_free(b);
		return NULL;
	}
	if (ldns_dname_label_count(a) >= ldns_dname_label_count(b)) {
		ldns_rdf_deep_free(b);
		return a;
	}
	ldns_rdf_deep_free(a);
	return b;
}

static ldns_rdf *wildcard_of(const ldns_rdf *encloser)
{
	ldns_rdf *wild = ldns_dname_new_frm_str("*");

	if (wild && ldns_dname_cat(wild, encloser) != LDNS_STATUS_OK) {
		ldns_rdf_deep_free(wild);
		return NULL;
	}
	return wild;
}

/* Up to three NSEC records a proof rests on. */
struct nsec_proof {
	const ldns_rr *used[3];
	size_t n;
};

static void proof_use(struct nsec_proof *p, const ldns_rr *nsec)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->used[i] == nsec)
			return;
	if (p->n < 3)
		p->used[p->n++] = nsec;
}

/* NSEC covering NAME whose next name is below NAME: NAME is an empty non-terminal. */
static bool nsec_shows_empty_nonterminal(const ldns_rr *nsec, const ldns_rdf *name)
{
	return ldns_dname_is_subdomain(ldns_rr_rdf(nsec, 0), name);
}

/* NXDOMAIN from NSEC: NAME covered, and the wildcard at its closest encloser. */
static bool nsec_nxdomain(const ldns_rr_list *nsecs, const ldns_rdf *name, struct nsec_proof *p)
{
	const ldns_rr *cover = nsec_covering(nsecs, name);
	ldns_rdf *ce, *wild;
	bool ok = false;

	if (!cover || nsec_shows_empty_nonterminal(cover, name))
		return false;
	ce = nsec_closest_encloser(cover, name);
	wild = ce ? wildcard_of(ce) : NULL;
	if (wild) {
		const ldns_rr *wcover = nsec_covering(nsecs, wild);

		if (wcover) {
			proof_use(p, cover);
			proof_use(p, wcover);
			ok = true;
		}
	}
	ldns_rdf_deep_free(ce);
	ldns_rdf_deep_free(wild);
	return ok;
}

/* The NSEC at a name holding neither TYPE nor a CNAME, and (unless for
 * DS) not a zone cut's parent side. */
static bool nsec_denies_type(const ldns_rr *nsec, ldns_rr_type type)
{
	if (bitmap_has(nsec, type) || bitmap_has(nsec, LDNS_RR_TYPE_CNAME))
		return false;
	if (type == LDNS_RR_TYPE_DS)
		/* The child's apex NSEC says nothing about the parent's DS. */
		return !bitmap_has(nsec, LDNS_RR_TYPE_SOA) || ldns_dname_label_count(ldns_rr_owner(nsec)) == 0;
	return !is_cut(nsec);
}

static bool nsec_nodata(const ldns_rr_list *nsecs, const ldns_rdf *name, ldns_rr_type type,
			struct nsec_proof *p)
{
	const ldns_rr *match = nsec_matching(nsecs, name), *cover;
	ldns_rdf *ce, *wild;
	bool ok = false;

	if (match) {
		if (!nsec_denies_type(match, type))
			return false;
		proof_use(p, match);
		return true;
	}
	cover = nsec_covering(nsecs, name);
	if (!cover)
		return false;
	if (nsec_shows_empty_nonterminal(cover, name) && type != LDNS_RR_TYPE_DS) {
		proof_use(p, cover);
		return true;
	}
	/* Wildcard NODATA: NAME absent, the wildcard there without TYPE. */
	ce = nsec_closest_encloser(cover, name);
	wild = ce ? wildcard_of(ce) : NULL;
	if (wild) {
		const ldns_rr *wmatch = nsec_matching(nsecs, wild);

		if (wmatch && nsec_denies_type(wmatch, type)) {
			proof_use(p, cover);
			proof_use(p, wmatch);
			ok = true;
		}
	}
	ldns_rdf_deep_free(ce);
	ldns_rdf_deep_free(wild);
	return ok;
}

/* NSEC3 (RFC 5155 8): hashes of names, compared with the hashed owners. */
static ldns_rdf *nsec3_hashed(const ldns_rr *nsec3, const ldns_rdf *name, const ldns_rdf *zone)
{
	ldns_rdf *label = ldns_nsec3_hash_name_frm_nsec3(nsec3, name);

	if (label && ldns_dname_cat(label, zone) != LDNS_STATUS_OK) {
		ldns_rdf_deep_free(label);
		return NULL;
	}
	return label;
}

static bool same_nsec3_params(const ldns_rr *a, const ldns_rr *b)
{
	return ldns_nsec3_algorithm(a) == ldns_nsec3_algorithm(b) &&
	       ldns_nsec3_iterations(a) == ldns_nsec3_iterations(b) &&
	       ldns_rdf_compare(ldns_rr_rdf(a, 3), ldns_rr_rdf(b, 3)) == 0;
}

static const ldns_rr *nsec3_matching(const ldns_rr_list *list, const ldns_rdf *name, const ldns_rdf *zone)
{
	const ldns_rr *found = NULL, *hashed_with = NULL;
	ldns_rdf *h = NULL;

	for (size_t i = 0; !found && i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *n3 = ldns_rr_list_rr(list, i);

		/* One hash per set of parameters met in a row. */
		if (!hashed_with || !same_nsec3_params(n3, hashed_with)) {
			ldns_rdf_deep_free(h);
			h = nsec3_hashed(n3, name, zone);
			hashed_with = n3;
		}
		if (h && same_name(ldns_rr_owner(n3), h))
			found = n3;
	}
	ldns_rdf_deep_free(h);
	return found;
}

static const ldns_rr *nsec3_covering(const ldns_rr_list *list, const ldns_rdf *name, const ldns_rdf *zone)
{
	const ldns_rr *found = NULL, *hashed_with = NULL;
	ldns_rdf *h = NULL;

	for (size_t i = 0; !found && i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *n3 = ldns_rr_list_rr(list, i);

		/* One hash per set of parameters met in a row. */
		if (!hashed_with || !same_nsec3_params(n3, hashed_with)) {
			ldns_rdf_deep_free(h);
			h = nsec3_hashed(n3, name, zone);
			hashed_with = n3;
		}
		if (h && !same_name(ldns_rr_owner(n3), h) && ldns_nsec_covers_name(n3, h))
			found = n3;
	}
	ldns_rdf_deep_free(h);
	return found;
}

/*
 * The closest encloser proof (RFC 5155 8.3): the longest ancestor of NAME
 * (NAME itself excluded) with a matching NSEC3 that is not a cut, and an
 * NSEC3 covering the next closer name.  *ce and *optout on success.
 */
static bool nsec3_closest_encloser(const ldns_rr_list *list, const ldns_rdf *zone, const ldns_rdf *name,
				   ldns_rdf **ce_out, bool *optout)
{
	ldns_rdf *next_closer = ldns_rdf_clone(name), *ce = next_closer ? ldns_dname_left_chop(name) : NULL;
	bool ok = false;

	while (ce && name_under(ce, zone)) {
		const ldns_rr *match = nsec3_matching(list, ce, zone);

		if (match) {
			const ldns_rr *cover = is_cut(match) ? NULL : nsec3_covering(list, next_closer, zone);

			if (cover) {
				*optout = ldns_nsec3_optout(cover);
				*ce_out = ce;
				ce = NULL;
				ok = true;
			}
			break;
		}
		ldns_rdf_deep_free(next_closer);
		next_closer = ce;
		ce = ldns_dname_left_chop(ce);
	}
	ldns_rdf_deep_free(ce);
	ldns_rdf_deep_free(next_closer);
	return ok;
}

static bool nsec3_denies_type(const ldns_rr *n3, ldns_rr_type type)
{
	return nsec_denies_type(n3, type);
}

static struct val_result no_proof(const char *what, const ldns_rdf *name, const struct denial *d)
{
	char nbuf[LDNS_MAX_DOMAINLEN + 1];

	if (d->nsec3_unusable && ldns_rr_list_rr_count(d->nsec) == 0 && ldns_rr_list_rr_count(d->nsec3) == 0)
		return verdict(VAL_INSECURE, VAL_EDE_NONE, "%s %s: NSEC3 parameters not supported", what,
			       name_text(name, nbuf, sizeof(nbuf)));
	return verdict(VAL_BOGUS, VAL_EDE_NSEC_MISSING, "%s %s: no NSEC or NSEC3 proof", what,
		       name_text(name, nbuf, sizeof(nbuf)));
}

struct val_result val_prove_nxdomain(struct validator *v, const struct val_keys *keys,
				     const ldns_rdf *qname, const ldns_rr_list *authority)
{
	struct denial d;
	struct val_result r = collect_denial(v, keys, authority, &d);
	struct nsec_proof p = { .n = 0 };

	if (r.status == VAL_SECURE) {
		ldns_rdf *ce = NULL;
		bool optout = false;

		if (nsec_nxdomain(d.nsec, qname, &p)) {
			r = secure("NXDOMAIN proven by NSEC");
		} else if (nsec3_closest_encloser(d.nsec3, keys->zone, qname, &ce, &optout)) {
			ldns_rdf *wild = wildcard_of(ce);

			if (wild && nsec3_covering(d.nsec3, wild, keys->zone))
				r = secure("NXDOMAIN proven by NSEC3");
			else
				r = no_proof("NXDOMAIN", qname, &d);
			ldns_rdf_deep_free(wild);
			ldns_rdf_deep_free(ce);
		} else {
			r = no_proof("NXDOMAIN", qname, &d);
		}
	}
	denial_free(&d);
	return r;
}

struct val_result val_prove_nodata(struct validator *v, const struct val_keys *keys,
				   const ldns_rdf *qname, ldns_rr_type qtype,
				   const ldns_rr_list *authority)
{
	struct denial d;
	struct val_result r = collect_denial(v, keys, authority, &d);
	struct nsec_proof p = { .n = 0 };

	if (r.status != VAL_SECURE)
		goto out;
	if (nsec_nodata(d.nsec, qname, qtype, &p)) {
		r = secure("NODATA proven by NSEC");
		goto out;
	}
	const ldns_rr *match = nsec3_matching(d.nsec3, qname, keys->zone);

	if (match) {
		r = nsec3_denies_type(match, qtype) ? secure("NODATA proven by NSEC3")
						    : no_proof("NODATA", qname, &d);
		goto out;
	}
	ldns_rdf *ce = NULL;
	bool optout = false;

	if (nsec3_closest_encloser(d.nsec3, keys->zone, qname, &ce, &optout)) {
		ldns_rdf *wild = wildcard_of(ce);
		const ldns_rr *wmatch = wild ? nsec3_matching(d.nsec3, wild, keys->zone) : NULL;

		if (wmatch && nsec3_denies_type(wmatch, qtype))
			r = secure("wildcard NODATA proven by NSEC3");
		else if (qtype == LDNS_RR_TYPE_DS && optout)
			r = verdict(VAL_INSECURE, VAL_EDE_NONE, "DS: NSEC3 opt-out span");
		else
			r = no_proof("NODATA", qname, &d);
		ldns_rdf_deep_free(wild);
		ldns_rdf_deep_free(ce);
		goto out;
	}
	r = no_proof("NODATA", qname, &d);
out:
	denial_free(&d);
	return r;
}

struct val_result val_prove_wildcard(struct validator *v, const struct val_keys *keys,
				     const ldns_rdf *qname, const ldns_rdf *next_closer,
				     const ldns_rr_list *authority)
{
	struct denial d;
	struct val_result r = collect_denial(v, keys, authority, &d);

	if (r.status != VAL_SECURE)
		goto out;
	if (!next_closer || !name_under(qname, next_closer)) {
		r = verdict(VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS, "wildcard: next closer name not above the name");
		goto out;
	}
	/* RFC 4035 5.3.4: an NSEC proving no closer match exists. */
	const ldns_rr *cover = nsec_covering(d.nsec, qname);

	if (cover && !nsec_shows_empty_nonterminal(cover, qname)) {
		ldns_rdf *ce = nsec_closest_encloser(cover, qname), *parent = ldns_dname_left_chop(next_closer);
		bool fits = ce && parent && same_name(ce, parent);

		ldns_rdf_deep_free(ce);
		ldns_rdf_deep_free(parent);
		if (fits) {
			r = secure("wildcard expansion proven by NSEC");
			goto out;
		}
	}
	/* RFC 5155 8.8: an NSEC3 covering the next closer name. */
	if (nsec3_covering(d.nsec3, next_closer, keys->zone)) {
		r = secure("wildcard expansion proven by NSEC3");
		goto out;
	}
	r = no_proof("wildcard", qname, &d);
out:
	denial_free(&d);
	return r;
}

struct val_result val_prove_no_ds(struct validator *v, const struct val_keys *keys,
				  const ldns_rdf *child, const ldns_rr_list *authority)
{
	struct denial d;
	struct val_result r = collect_denial(v, keys, authority, &d);
	char nbuf[LDNS_MAX_DOMAINLEN + 1];
	const ldns_rr *match;

	if (r.status != VAL_SECURE)
		goto out;
	name_text(child, nbuf, sizeof(nbuf));
	match = nsec_matching(d.nsec, child);
	if (!match)
		match = nsec3_matching(d.nsec3, child, keys->zone);
	if (match) {
		if (bitmap_has(match, LDNS_RR_TYPE_NS) && !bitmap_has(match, LDNS_RR_TYPE_DS) &&
		    !bitmap_has(match, LDNS_RR_TYPE_SOA))
			r = verdict(VAL_INSECURE, VAL_EDE_NONE, "%s: delegation without DS proven", nbuf);
		else
			r = verdict(VAL_BOGUS, VAL_EDE_DNSSEC_BOGUS, "%s: the proof shows no unsigned delegation",
				    nbuf);
		goto out;
	}
	ldns_rdf *ce = NULL;
	bool optout = false;

	if (nsec3_closest_encloser(d.nsec3, keys->zone, child, &ce, &optout) && optout) {
		r = verdict(VAL_INSECURE, VAL_EDE_NONE, "%s: in an NSEC3 opt-out span", nbuf);
		ldns_rdf_deep_free(ce);
		goto out;
	}
	ldns_rdf_deep_free(ce);
	r = no_proof("no DS", child, &d);
out:
	denial_free(&d);
	return r;
}

/* Aggressive use of the NSEC records validated (RFC 8198). */
static void nsec_store_expire(struct validator *v, time_t now)
{
	size_t kept = 0;

	for (size_t i = 0; i < v->nsec_count; i++) {
		if (v->nsec_store[i].expires <= now) {
			nsec_entry_clear(&v->nsec_store[i]);
			continue;
		}
		v->nsec_store[kept++] = v->nsec_store[i];
	}
	for (size_t i = kept; i < v->nsec_count; i++)
		memset(&v->nsec_store[i], 0, sizeof(v->nsec_store[i]));
	v->nsec_count = kept;
}

int val_nsec_store_add(struct validator *v, const ldns_rdf *zone, const ldns_rr *nsec,
		       const ldns_rr_list *rrsigs, uint32_t ttl)
{
	time_t now = validator_now(v);
	struct val_nsec_entry *slot = NULL;

	if (!v->nsec_store || ttl == 0 || ldns_rr_get_type(nsec) != LDNS_RR_TYPE_NSEC)
		return 0;
	nsec_store_expire(v, now);
	for (size_t i = 0; i < v->nsec_count && !slot; i++)
		if (same_name(v->nsec_store[i].zone, zone) &&
		    same_name(ldns_rr_owner(v->nsec_store[i].nsec), ldns_rr_owner(nsec)))
			slot = &v->nsec_store[i];
	if (!slot && v->nsec_count < v->cfg.nsec_store_size)
		slot = &v->nsec_store[v->nsec_count++];
	if (!slot) {
		/* Full: the one that would expire first makes room. */
		slot = &v->nsec_store[0];
		for (size_t i = 1; i < v->nsec_count; i++)
			if (v->nsec_store[i].expires < slot->expires)
				slot = &v->nsec_store[i];
	}
	nsec_entry_clear(slot);
	slot->zone = ldns_rdf_clone(zone);
	slot->nsec = ldns_rr_clone(nsec);
	slot->rrsigs = rrsigs ? ldns_rr_list_clone(rrsigs) : ldns_rr_list_new();
	slot->expires = now + ttl;
	if (!slot->zone || !slot->nsec || !slot->rrsigs) {
		nsec_entry_clear(slot);
		slot->expires = 0;
		nsec_store_expire(v, now);
		return -ENOMEM;
	}
	return 0;
}

void val_nsec_store_flush(struct validator *v)
{
	for (size_t i = 0; i < v->nsec_count; i++)
		nsec_entry_clear(&v->nsec_store[i]);
	v->nsec_count = 0;
}

static const struct val_nsec_entry *entry_of(const struct validator *v, const ldns_rr *nsec)
{
	for (size_t i = 0; i < v->nsec_count; i++)
		if (v->nsec_store[i].nsec == nsec)
			return &v->nsec_store[i];
	return NULL;
}

static ldns_rr *clone_with_ttl(const ldns_rr *rr, uint32_t ttl)
{
	ldns_rr *c = ldns_rr_clone(rr);

	if (c)
		ldns_rr_set_ttl(c, ttl);
	return c;
}

struct val_result val_nsec_store_lookup(struct validator *v, const ldns_rdf *qname,
					ldns_rr_type qtype, ldns_pkt_rcode *rcode,
					ldns_rr_list **proof)
{
	time_t now = validator_now(v);
	const ldns_rdf *zone = NULL;
	ldns_rr_list *nsecs;
	struct nsec_proof p = { .n = 0 };
	struct val_result r;

	*proof = NULL;
	if (!v->cfg.aggressive_nsec || !v->nsec_store)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "aggressive NSEC off");
	nsec_store_expire(v, now);
	/* The closest enclosing zone with records in the store. */
	for (size_t i = 0; i < v->nsec_count; i++) {
		const ldns_rdf *z = v->nsec_store[i].zone;

		if (name_under(qname, z) && (!zone || ldns_dname_label_count(z) > ldns_dname_label_count(zone)))
			zone = z;
	}
	if (!zone)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "no NSEC stored for the zone");
	nsecs = ldns_rr_list_new();
	if (!nsecs)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "out of memory");
	for (size_t i = 0; i < v->nsec_count; i++)
		if (same_name(v->nsec_store[i].zone, zone))
			ldns_rr_list_push_rr(nsecs, v->nsec_store[i].nsec);

	if (nsec_nodata(nsecs, qname, qtype, &p)) {
		*rcode = LDNS_RCODE_NOERROR;
		r = secure("NODATA from stored NSEC");
	} else if ((p.n = 0, nsec_nxdomain(nsecs, qname, &p))) {
		*rcode = LDNS_RCODE_NXDOMAIN;
		r = secure("NXDOMAIN from stored NSEC");
	} else {
		r = verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "stored NSEC records prove nothing");
		p.n = 0;
	}
	ldns_rr_list_free(nsecs);
	if (r.status != VAL_SECURE)
		return r;

	*proof = ldns_rr_list_new();
	for (size_t i = 0; *proof && i < p.n; i++) {
		const struct val_nsec_entry *e = entry_of(v, p.used[i]);
		uint32_t left = (uint32_t)(e->expires - now);

		ldns_rr_list_push_rr(*proof, clone_with_ttl(e->nsec, left));
		for (size_t s = 0; s < ldns_rr_list_rr_count(e->rrsigs); s++)
			ldns_rr_list_push_rr(*proof, clone_with_ttl(ldns_rr_list_rr(e->rrsigs, s), left));
	}
	if (!*proof)
		return verdict(VAL_INDETERMINATE, VAL_EDE_NONE, "out of memory");
	return r;
}
