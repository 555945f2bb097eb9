// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsd: local-data, local-zone and blocklist directives, the rules they
 * make for the kernel, and the answers nfdnsd gives from them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/nfdns.h>

#include "localdata.h"

#include "tap.h"

static char errbuf[4096];

/* Runs fn with stderr in errbuf, so that messages can be checked. */
static int captured(int (*fn)(struct localdata **, const char *, const char *), struct localdata **ld,
		    const char *value, const char *where)
{
	FILE *mem = fmemopen(errbuf, sizeof(errbuf) - 1, "w");
	FILE *saved = stderr;
	int err;

	memset(errbuf, 0, sizeof(errbuf));
	stderr = mem;
	err = fn(ld, value, where);
	stderr = saved;
	fclose(mem);
	errbuf[strcspn(errbuf, "\n")] = '\0';
	return err;
}

/* The answer to NAME TYPE: its rcode, and the answer's records in text. */
static bool ask(const struct localdata *ld, const char *name, ldns_rr_type type, int *rcode, char *out,
		size_t outlen)
{
	ldns_rdf *qname = ldns_dname_new_frm_str(name);
	ldns_rr_list *answer = NULL;
	bool local;

	out[0] = '\0';
	local = localdata_answer(ld, qname, type, rcode, &answer);
	for (size_t i = 0; local && i < ldns_rr_list_rr_count(answer); i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(answer, i), 0));

		snprintf(out + strlen(out), outlen - strlen(out), "%s%s", i ? " " : "", s);
		free(s);
	}
	ldns_rr_list_deep_free(answer);
	ldns_rdf_deep_free(qname);
	return local;
}

struct rule_count {
	size_t exact, subtree, redirect;
};

static int count_rule(void *arg, const struct local_rule *r)
{
	struct rule_count *c = arg;

	if (r->match == NFDNS_LOCAL_EXACT)
		c->exact++;
	else
		c->subtree++;
	c->redirect += r->action == NFDNS_LOCAL_REDIRECT;
	return 0;
}

static void test_answers(const char *dir)
{
	static const struct {
		const char *name;
		ldns_rr_type type;
		bool local;
		int rcode;
		const char *answer;
	} cases[] = {
		{ "nas.home.lan.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "192.168.1.10" },
		{ "NAS.Home.Lan.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "192.168.1.10" },
		{ "nas.home.lan.", LDNS_RR_TYPE_MX, true, LDNS_RCODE_NOERROR, "" },
		{ "y.home.lan.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "" },
		{ "printer.home.lan.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NXDOMAIN, "" },
		{ "home.lan.", LDNS_RR_TYPE_SOA, true, LDNS_RCODE_NOERROR, "" },
		{ "www.corp.test.", LDNS_RR_TYPE_A, true, LDNS_RCODE_REFUSED, "" },
		{ "www.gone.test.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NXDOMAIN, "" },
		{ "a.b.redir.test.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "10.9.9.9" },
		{ "redir.test.", LDNS_RR_TYPE_AAAA, true, LDNS_RCODE_NOERROR, "2001:db8::9" },
		{ "a.redir.test.", LDNS_RR_TYPE_TXT, true, LDNS_RCODE_NOERROR, "" },
		{ "solo.example.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "10.1.1.1 10.1.1.2" },
		{ "solo.example.", LDNS_RR_TYPE_AAAA, false, 0, "" },
		{ "x.solo.example.", LDNS_RR_TYPE_A, false, 0, "" },
		{ "ads.example.com.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "0.0.0.0" },
		{ "ads.example.com.", LDNS_RR_TYPE_AAAA, true, LDNS_RCODE_NOERROR, "::" },
		{ "ads.example.com.", LDNS_RR_TYPE_MX, true, LDNS_RCODE_NOERROR, "" },
		{ "sub.ads.example.com.", LDNS_RR_TYPE_A, false, 0, "" },
		{ "example.com.", LDNS_RR_TYPE_A, false, 0, "" },
		{ "localhost.", LDNS_RR_TYPE_A, false, 0, "" },
		{ "x.y.tracker.test.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "0.0.0.0" },
		{ "tracker.test.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "0.0.0.0" },
		{ "x.wild.test.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "0.0.0.0" },
		{ "x.adblock.test.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "0.0.0.0" },
		{ "deep.evil.test.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NXDOMAIN, "" },
		/* The nearest subtree wins: evil.test is NXDOMAIN, ok.evil.test is null. */
		{ "a.ok.evil.test.", LDNS_RR_TYPE_A, true, LDNS_RCODE_NOERROR, "0.0.0.0" },
	};
	char hosts[512], domains[512], nx[512], value[600], out[256];
	struct localdata *ld = NULL;
	struct rule_count count = { 0 };
	FILE *f;
	int rcode, err = 0;

	snprintf(hosts, sizeof(hosts), "%s/hosts", dir);
	snprintf(domains, sizeof(domains), "%s/domains", dir);
	snprintf(nx, sizeof(nx), "%s/nx", dir);
	f = fopen(hosts, "w");
	fputs("# hosts\n127.0.0.1 localhost\n::1 ip6-localhost\n0.0.0.0 ads.example.com # inline\n\n", f);
	fclose(f);
	f = fopen(domains, "w");
	fputs("tracker.test\n*.wild.test\n||adblock.test^\n! adblock comment\nok.evil.test\n", f);
	fclose(f);
	f = fopen(nx, "w");
	fputs("evil.test\n", f);
	fclose(f);

	err |= localdata_add_zone(&ld, "home.lan static", "t:1");
	err |= localdata_add_data(&ld, "\"nas.home.lan 300 A 192.168.1.10\"", "t:2");
	err |= localdata_add_data(&ld, "x.y.home.lan 300 A 192.168.1.11", "t:3");
	err |= localdata_add_zone(&ld, "corp.test refuse", "t:4");
	err |= localdata_add_zone(&ld, "gone.test nxdomain", "t:5");
	err |= localdata_add_data(&ld, "www.gone.test 60 A 1.2.3.4", "t:6");
	err |= localdata_add_zone(&ld, "redir.test redirect", "t:7");
	err |= localdata_add_data(&ld, "redir.test 120 A 10.9.9.9", "t:8");
	err |= localdata_add_data(&ld, "redir.test 120 AAAA 2001:db8::9", "t:9");
	err |= localdata_add_data(&ld, "solo.example 60 A 10.1.1.1", "t:10");
	err |= localdata_add_data(&ld, "solo.example 60 A 10.1.1.2", "t:11");
	err |= localdata_add_blocklist(&ld, hosts, "t:12");
	err |= localdata_add_blocklist(&ld, domains, "t:13");
	snprintf(value, sizeof(value), "%s nxdomain", nx);
	err |= localdata_add_blocklist(&ld, value, "t:14");
	err |= localdata_finish(ld);
	ok(err == 0, "a configuration of every kind is taken");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool local = ask(ld, cases[i].name, cases[i].type, &rcode, out, sizeof(out));
		char type[16];

		snprintf(type, sizeof(type), "%d", cases[i].type);
		if (!cases[i].local)
			ok(!local, "%s type %s is not local", cases[i].name, type);
		else
			ok(local && rcode == cases[i].rcode && strcmp(out, cases[i].answer) == 0,
			   "%s type %s: rcode %d \"%s\" (got %s rcode %d \"%s\")", cases[i].name, type, cases[i].rcode,
			   cases[i].answer, local ? "local" : "not local", rcode, out);
	}

	/*
	 * For the kernel: home.lan subtree, NODATA for home.lan, y.home.lan,
	 * x.y.home.lan and nas.home.lan; corp, gone and redir subtrees; the
	 * five block list subtrees and ads.example.com.
	 */
	localdata_each_rule(ld, count_rule, &count);
	ok(count.exact == 5 && count.subtree == 9 && count.redirect == 6,
	   "rules for the kernel: 5 exact, 9 subtrees, 6 with addresses (got %zu, %zu, %zu)", count.exact,
	   count.subtree, count.redirect);
	ok(localdata_n_rrsets(ld) == 3, "static RRsets: nas, x.y and solo (got %zu)", localdata_n_rrsets(ld));
	localdata_free(ld);
	unlink(hosts);
	unlink(domains);
	unlink(nx);
}

static void test_errors(const char *dir)
{
	static const struct {
		int (*fn)(struct localdata **, const char *, const char *);
		const char *value;
		const char *says;
	} cases[] = {
		{ localdata_add_data, "\"nas.home.lan 300 A 300.1.1.1\"", "conf:7: local-data" },
		{ localdata_add_data, "nas.home.lan 300 CH A 1.2.3.4", "conf:7:" },
		{ localdata_add_data, "\"\"", "conf:7: local-data wants" },
		{ localdata_add_zone, "home.lan", "conf:7: local-zone wants" },
		{ localdata_add_zone, "home.lan transparent", "is not static, refuse, nxdomain or redirect" },
		{ localdata_add_zone, "bad..name static", "conf:7: local-zone: bad name" },
		{ localdata_add_blocklist, "/nonexistent/list", "conf:7: blocklist /nonexistent/list" },
	};
	char path[512], value[600];
	struct localdata *ld = NULL;
	FILE *f;
	int err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = captured(cases[i].fn, &ld, cases[i].value, "conf:7");
		ok(err < 0 && strstr(errbuf, cases[i].says), "\"%s\" refused: %s", cases[i].value, errbuf);
	}

	snprintf(path, sizeof(path), "%s/bad", dir);
	f = fopen(path, "w");
	fputs("good.example\n0.0.0.0 fine.example\nbad..example\n", f);
	fclose(f);
	snprintf(value, sizeof(value), "%s:3", path);
	err = captured(localdata_add_blocklist, &ld, path, "conf:9");
	ok(err < 0 && strstr(errbuf, value), "a bad block list line names FILE:LINE: %s", errbuf);
	f = fopen(path, "w");
	fputs("one.example two.example\n", f);
	fclose(f);
	err = captured(localdata_add_blocklist, &ld, path, "conf:9");
	ok(err < 0 && strstr(errbuf, "/bad:1"), "two names without an address are refused: %s", errbuf);
	snprintf(value, sizeof(value), "%s sinkhole", path);
	err = captured(localdata_add_blocklist, &ld, value, "conf:9");
	ok(err < 0 && strstr(errbuf, "not null, nxdomain or refuse"), "an unknown answer is refused: %s", errbuf);
	unlink(path);

	localdata_free(ld);
	ld = NULL;
	localdata_add_zone(&ld, "home.lan static", "conf:1");
	err = captured(localdata_add_zone, &ld, "HOME.lan. refuse", "conf:2");
	ok(err < 0 && strstr(errbuf, "first at conf:1"), "a zone given twice is refused: %s", errbuf);
	localdata_free(ld);

	ld = NULL;
	localdata_add_zone(&ld, "r.test redirect", "conf:1");
	localdata_add_data(&ld, "www.r.test 60 A 10.0.0.1", "conf:2");
	memset(errbuf, 0, sizeof(errbuf));
	{
		FILE *mem = fmemopen(errbuf, sizeof(errbuf) - 1, "w");
		FILE *saved = stderr;

		stderr = mem;
		err = localdata_finish(ld);
		stderr = saved;
		fclose(mem);
		errbuf[strcspn(errbuf, "\n")] = '\0';
	}
	ok(err < 0 && strstr(errbuf, "conf:2") && strstr(errbuf, "conf:1"),
	   "a redirect zone with data below its name is refused: %s", errbuf);
	localdata_free(ld);
}

int main(void)
{
	char dir[] = "/tmp/nfdnsd-localdata.XXXXXX";

	if (!mkdtemp(dir))
		return 1;
	tap_plan(1 + 26 + 2 + 7 + 3 + 1 + 1);
	test_answers(dir);
	test_errors(dir);
	rmdir(dir);
	return tap_done();
}
