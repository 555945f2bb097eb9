// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: host unit test of kmod/dnswire.c.
 *
 * Runs the test vectors shared with the KUnit suite, then checks that only
 * the host can run: random mutations of the vectors through the fuzzer's
 * invariant checks, and the malformed-query payloads of the end-to-end
 * test.  Output is TAP.
 *
 *   dnswire_test                       run the tests
 *   dnswire_test --dump-corpus DIR     write every vector's messages to DIR
 *   dnswire_test --dump-malformed DIR  write the malformed queries to DIR
 *
 * DNSWIRE_MALFORMED_DIR overrides where the malformed queries are read
 * (default ../fuzz/corpus/malformed-queries, from tests/unit).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnswire.h"
#include "kunit/dnswire_cases.h"
#include "../fuzz/fuzz_dnswire.c"

#define N_CASES		(sizeof(dnswire_cases) / sizeof(dnswire_cases[0]))
#define MUTATIONS	200000

static unsigned int test_no;
static unsigned int failures;

static void tap(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - ", ok ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failures++;
}

static void report(const struct dnswire_case *c, const struct dwc_result *r,
		   const char *prefix)
{
	if (r->got_s || r->want_s)
		printf("# %s%s: %s: got \"%s\", want \"%s\"\n", prefix,
		       c->name, r->what, r->got_s ? r->got_s : "",
		       r->want_s ? r->want_s : "");
	else
		printf("# %s%s: %s: got %lld, want %lld\n", prefix, c->name,
		       r->what, r->got, r->want);
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u32 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state >> 32;
}

static const u8 interesting[] = {
	0x00, 0x01, 0x3f, 0x40, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xff,
	0x0c, 0x29, 0x06,
};

/* One to four random edits of @buf; returns the new length. */
static size_t mutate(u8 *buf, size_t len, size_t cap)
{
	unsigned int n = 1 + rng() % 4, i;

	for (i = 0; i < n; i++) {
		size_t pos = len ? rng() % len : 0;

		switch (rng() % 7) {
		case 0:
			if (len)
				buf[pos] ^= 1 << (rng() % 8);
			break;
		case 1:
			if (len)
				buf[pos] = interesting[rng() %
						       sizeof(interesting)];
			break;
		case 2:
			if (len)
				buf[pos] = rng();
			break;
		case 3:
			len = len ? rng() % len : 0;
			break;
		case 4:
			if (len < cap) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = rng();
				len++;
			}
			break;
		case 5:
			if (len) {
				memmove(buf + pos, buf + pos + 1,
					len - pos - 1);
				len--;
			}
			break;
		case 6:
			/* a count field */
			if (len >= DNSWIRE_HDR_LEN)
				buf[5 + 2 * (rng() % 4)] += rng() % 3 - 1;
			break;
		}
	}
	return len;
}

static int run_mutations(struct dwc_scratch *s)
{
	static u8 buf[4096], tail[4096];
	unsigned int i, inputs = 0;

	for (i = 0; i < MUTATIONS; i++) {
		const struct dnswire_case *c = &dnswire_cases[rng() % N_CASES];
		const u8 *in;
		unsigned int in_len;
		const char *err;
		size_t len;

		if (c->kind == DWC_REPLY && (rng() & 1)) {
			in = c->in2;
			in_len = c->in2_len;
		} else {
			in = dwc_input(c, s, &in_len);
		}
		if (!in_len || in_len > sizeof(buf) - 8)
			continue;
		memcpy(buf, in, in_len);
		len = mutate(buf, in_len, sizeof(buf));
		inputs++;
		/* At the end of an object, so that ASan sees overreads. */
		memcpy(tail + sizeof(tail) - len, buf, len);
		err = fuzz_dnswire_one(tail + sizeof(tail) - len, len);
		if (err) {
			size_t j;

			printf("# mutation of %s: %s\n# input:", c->name, err);
			for (j = 0; j < len; j++)
				printf(" %02x", buf[j]);
			printf("\n");
			return -1;
		}
	}
	return inputs;
}

static int read_file(const char *path, u8 *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* Every malformed query must be left for the network to deliver. */
static void run_malformed(void)
{
	const char *dir = getenv("DNSWIRE_MALFORMED_DIR");
	static u8 buf[65536];
	struct dnswire_query q;
	unsigned int files = 0, bad = 0;
	struct dirent *de;
	char path[4096];
	DIR *d;

	if (!dir)
		dir = "../fuzz/corpus/malformed-queries";
	d = opendir(dir);
	if (!d) {
		printf("ok %u - malformed queries refused # SKIP no %s\n",
		       ++test_no, dir);
		return;
	}
	while ((de = readdir(d))) {
		int len, ret;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		len = read_file(path, buf, sizeof(buf));
		if (len < 0)
			continue;
		files++;
		ret = dnswire_parse_query(buf, len, &q);
		if (ret != -EINVAL && ret != -EOPNOTSUPP) {
			printf("# %s: parse_query returned %d\n", de->d_name,
			       ret);
			bad++;
		}
	}
	closedir(d);
	tap(files && !bad, "malformed queries refused (%u files)", files);
}

/* A file name from a case name: letters, digits and dashes. */
static void file_name(char *dst, size_t cap, const char *name,
		      const char *suffix)
{
	size_t n = 0;
	bool dash = false;

	for (; *name && n + 1 < cap; name++) {
		char ch = *name;

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			dst[n++] = ch;
			dash = false;
		} else if (ch >= 'A' && ch <= 'Z') {
			dst[n++] = ch - 'A' + 'a';
			dash = false;
		} else if (!dash && n) {
			dst[n++] = '-';
			dash = true;
		}
	}
	while (n && dst[n - 1] == '-')
		n--;
	dst[n] = 0;
	strncat(dst, suffix, cap - n - 1);
}

static int write_file(const char *dir, const char *name, const char *suffix,
		      const u8 *data, size_t len)
{
	char fname[200], path[4096];
	FILE *f;

	file_name(fname, sizeof(fname), name, suffix);
	snprintf(path, sizeof(path), "%s/%s", dir, fname);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		perror(path);
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

static int dump(const char *dir, bool malformed_only, struct dwc_scratch *s)
{
	unsigned int i;

	for (i = 0; i < N_CASES; i++) {
		const struct dnswire_case *c = &dnswire_cases[i];
		unsigned int len;
		const u8 *in = dwc_input(c, s, &len);

		if (malformed_only) {
			if (c->kind != DWC_QUERY || !c->malformed)
				continue;
		} else if (c->kind == DWC_NAME || c->kind == DWC_SUBTREE ||
			   c->kind == DWC_LIMIT || len > 4096) {
			continue;
		}
		if (write_file(dir, c->name, "", in, len))
			return 1;
		if (!malformed_only && c->kind == DWC_REPLY &&
		    write_file(dir, c->name, "-stored", c->in2, c->in2_len))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct dwc_scratch *s = calloc(1, sizeof(*s));
	unsigned int i, n_valid = 0;
	int inputs, ret;

	if (!s)
		return 1;
	if (argc != 1) {
		if (argc == 3 && !strcmp(argv[1], "--dump-corpus")) {
			ret = dump(argv[2], false, s);
		} else if (argc == 3 && !strcmp(argv[1], "--dump-malformed")) {
			ret = dump(argv[2], true, s);
		} else {
			fprintf(stderr, "usage: %s [--dump-corpus DIR | "
				"--dump-malformed DIR]\n", argv[0]);
			ret = 2;
		}
		free(s);
		return ret;
	}

	for (i = 0; i < N_CASES; i++)
		n_valid += dwc_is_valid_message(&dnswire_cases[i]);
	printf("TAP version 13\n1..%zu\n", N_CASES + n_valid + 2);

	for (i = 0; i < N_CASES; i++) {
		const struct dnswire_case *c = &dnswire_cases[i];
		struct dwc_result r = { 0 };
		bool ok = !dwc_run(c, s, &r);

		if (!ok)
			report(c, &r, "");
		tap(ok, "%s", c->name);
	}
	for (i = 0; i < N_CASES; i++) {
		const struct dnswire_case *c = &dnswire_cases[i];
		struct dwc_result r = { 0 };
		bool ok;

		if (!dwc_is_valid_message(c))
			continue;
		ok = !dwc_run_prefixes(c, s, &r);
		if (!ok)
			report(c, &r, "prefix of ");
		tap(ok, "every prefix and extension refused: %s", c->name);
	}

	inputs = run_mutations(s);
	tap(inputs > 0, "fuzz invariants hold over %d mutated vectors",
	    inputs);
	run_malformed();

	free(s);
	return failures ? 1 : 0;
}
