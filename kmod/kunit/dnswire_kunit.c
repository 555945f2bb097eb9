// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: KUnit suite for the DNS wire format code.
 *
 * dnswire.c is included rather than linked so that its static helpers are
 * reachable and nothing has to be exported.  The test vectors are shared
 * with the host unit test (tests/unit/dnswire_test.c).
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../dnswire.c"
#include "dnswire_cases.h"

static void dnswire_case_desc(const struct dnswire_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dnswire_table, dnswire_cases, dnswire_case_desc);

/* The vectors that are valid messages, for the prefix test. */
static const void *dnswire_valid_gen_params(const void *prev, char *desc)
{
	const struct dnswire_case *c = prev;
	const struct dnswire_case *end = dnswire_cases +
					 ARRAY_SIZE(dnswire_cases);

	for (c = c ? c + 1 : dnswire_cases; c < end; c++) {
		if (dwc_is_valid_message(c)) {
			dnswire_case_desc(c, desc);
			return c;
		}
	}
	return NULL;
}

static struct dwc_scratch *dnswire_scratch(struct kunit *test)
{
	struct dwc_scratch *s;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	return s;
}

static void dnswire_report(struct kunit *test, const struct dwc_result *r)
{
	if (r->got_s || r->want_s)
		KUNIT_FAIL(test, "%s: got \"%s\", want \"%s\"", r->what,
			   r->got_s ? r->got_s : "",
			   r->want_s ? r->want_s : "");
	else
		KUNIT_FAIL(test, "%s: got %lld, want %lld", r->what, r->got,
			   r->want);
}

/* One vector of the shared table. */
static void dnswire_table_test(struct kunit *test)
{
	const struct dnswire_case *c = test->param_value;
	struct dwc_scratch *s = dnswire_scratch(test);
	struct dwc_result r = {};

	if (dwc_run(c, s, &r))
		dnswire_report(test, &r);
}

/* Every strict prefix of a valid vector, and one byte more, is refused. */
static void dnswire_prefix_test(struct kunit *test)
{
	const struct dnswire_case *c = test->param_value;
	struct dwc_scratch *s = dnswire_scratch(test);
	struct dwc_result r = {};

	if (dwc_run_prefixes(c, s, &r))
		dnswire_report(test, &r);
}

/* TTLs only ever go down as the entry ages, and stop at zero. */
static void dnswire_ttl_sweep_test(struct kunit *test)
{
	struct dwc_scratch *s = dnswire_scratch(test);
	u32 prev = 0xffffffff, elapsed, ttl;
	unsigned int off;
	const char *why;
	bool truncated;
	int ret;

	KUNIT_ASSERT_EQ(test, dnswire_parse_query(dwc_q_plain,
						  sizeof(dwc_q_plain), &s->q), 0);
	ret = dwc_validate_own(dwc_r_sections, sizeof(dwc_r_sections), s,
			       DWC_MAX_TTL, &why);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, s->info.n_ttl, 3);
	off = s->ttl_offs[0];
	for (elapsed = 0; elapsed <= 400; elapsed += 7) {
		ret = dnswire_build_reply(s->out, DWC_OUT_MAX, dwc_r_sections,
					  sizeof(dwc_r_sections), s->ttl_offs,
					  s->info.n_ttl, elapsed, &s->q, NULL,
					  &truncated);
		KUNIT_ASSERT_EQ(test, ret, (int)sizeof(dwc_r_sections));
		KUNIT_EXPECT_FALSE(test, truncated);
		ttl = get_unaligned_be32(s->out + off);
		KUNIT_EXPECT_LE(test, ttl, prev);
		KUNIT_EXPECT_EQ(test, ttl, elapsed < 300 ? 300 - elapsed : 0);
		prev = ttl;
	}
}

/* Served stale, every TTL is 30 (RFC 8767), whatever it was stored with. */
static void dnswire_stale_ttl_test(struct kunit *test)
{
	struct dwc_scratch *s = dnswire_scratch(test);
	const char *why;
	bool truncated;
	unsigned int i;
	int ret;

	KUNIT_ASSERT_EQ(test, dnswire_parse_query(dwc_q_plain,
						  sizeof(dwc_q_plain), &s->q), 0);
	ret = dwc_validate_own(dwc_r_sections, sizeof(dwc_r_sections), s,
			       DWC_MAX_TTL, &why);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = dnswire_build_reply(s->out, DWC_OUT_MAX, dwc_r_sections,
				  sizeof(dwc_r_sections), s->ttl_offs,
				  s->info.n_ttl, DNSWIRE_ELAPSED_STALE, &s->q,
				  NULL, &truncated);
	KUNIT_ASSERT_EQ(test, ret, (int)sizeof(dwc_r_sections));
	for (i = 0; i < s->info.n_ttl; i++)
		KUNIT_EXPECT_EQ(test, get_unaligned_be32(s->out + s->ttl_offs[i]),
				DNSWIRE_STALE_TTL);
}

/* Without a client name, the reply keeps the stored one. */
static void dnswire_no_client_name_test(struct kunit *test)
{
	struct dwc_scratch *s = dnswire_scratch(test);
	bool truncated;
	int ret;

	KUNIT_ASSERT_EQ(test, dnswire_parse_query(dwc_q_mixed,
						  sizeof(dwc_q_mixed), &s->q), 0);
	s->q.qname = NULL;
	ret = dnswire_build_reply(s->out, DWC_OUT_MAX, dwc_r_one_a,
				  sizeof(dwc_r_one_a), NULL, 0, 0, &s->q, NULL,
				  &truncated);
	KUNIT_ASSERT_EQ(test, ret, (int)sizeof(dwc_r_one_a));
	KUNIT_EXPECT_EQ(test, memcmp(s->out + DNSWIRE_HDR_LEN, dwc_lc_www,
				     sizeof(dwc_lc_www)), 0);
	ret = dnswire_build_error(s->out, DWC_OUT_MAX, &s->q, NULL, 2);
	KUNIT_ASSERT_EQ(test, ret, (int)sizeof(dwc_x_servfail));
	KUNIT_EXPECT_EQ(test, memcmp(s->out + DNSWIRE_HDR_LEN, dwc_lc_www,
				     sizeof(dwc_lc_www)), 0);
}

static void dnswire_lower_test(struct kunit *test)
{
	u8 name[] = { 3, 'W', 'w', '-', 2, 'Z', '@', 1, '[', 0 };
	static const u8 want[] = { 3, 'w', 'w', '-', 2, 'z', '@', 1, '[', 0 };

	dnswire_name_lower(name, name, sizeof(name));
	KUNIT_EXPECT_EQ(test, memcmp(name, want, sizeof(want)), 0);
}

static struct kunit_case dnswire_test_cases[] = {
	KUNIT_CASE_PARAM(dnswire_table_test, dnswire_table_gen_params),
	KUNIT_CASE_PARAM(dnswire_prefix_test, dnswire_valid_gen_params),
	KUNIT_CASE(dnswire_ttl_sweep_test),
	KUNIT_CASE(dnswire_no_client_name_test),
	KUNIT_CASE(dnswire_stale_ttl_test),
	KUNIT_CASE(dnswire_lower_test),
	{}
};

static struct kunit_suite dnswire_test_suite = {
	.name = "nfdns_dnswire",
	.test_cases = dnswire_test_cases,
};

kunit_test_suite(dnswire_test_suite);
