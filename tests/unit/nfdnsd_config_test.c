// SPDX-License-Identifier: GPL-2.0
/* nfdnsd: command line, configuration file and address parsing. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

#include "tap.h"

static int addr_is(const struct sockaddr_storage *ss, const char *text, unsigned port)
{
	char buf[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;

		inet_ntop(AF_INET, &s->sin_addr, buf, sizeof(buf));
		return strcmp(buf, text) == 0 && ntohs(s->sin_port) == port;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)ss;

		inet_ntop(AF_INET6, &s->sin6_addr, buf, sizeof(buf));
		return strcmp(buf, text) == 0 && ntohs(s->sin6_port) == port;
	}
	return 0;
}

static void test_addresses(void)
{
	static const struct {
		const char *in, *addr;
		unsigned port;
	} good[] = {
		{ "127.0.0.1", "127.0.0.1", 53 },   { "127.53.255.1:5353", "127.53.255.1", 5353 },
		{ "::1", "::1", 53 },		    { "[::1]", "::1", 53 },
		{ "[2001:db8::1]:853", "2001:db8::1", 853 }, { "0.0.0.0:53", "0.0.0.0", 53 },
	};
	static const char *const bad[] = { "",		"1.2.3",      "[::1",	 "[::1]x", "127.0.0.1:0",
					   "127.0.0.1:70000", "example.com", "::1:53x", "[::1]:", "1.2.3.4:" };
	struct sockaddr_storage ss;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(parse_address(good[i].in, 53, &ss) == 0 && addr_is(&ss, good[i].addr, good[i].port),
		   "address \"%s\" is %s port %u", good[i].in, good[i].addr, good[i].port);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse_address(bad[i], 53, &ss) < 0, "address \"%s\" refused", bad[i]);
}

static void test_numbers(void)
{
	uint32_t v = 0;
	bool b = false;

	ok(parse_u32("0x6e66", 0, UINT32_MAX, &v) == 0 && v == 0x6e66, "hex number");
	ok(parse_u32("4294967295", 0, UINT32_MAX, &v) == 0 && v == UINT32_MAX, "largest u32");
	ok(parse_u32("4294967296", 0, UINT32_MAX, &v) < 0, "u32 overflow refused");
	ok(parse_u32("-1", 0, 10, &v) < 0, "negative refused");
	ok(parse_u32("12abc", 0, 100, &v) < 0, "trailing garbage refused");
	ok(parse_u32("11", 0, 10, &v) < 0, "above the maximum refused");
	ok(parse_u32("", 0, 10, &v) < 0, "empty refused");
	ok(parse_bool("yes", &b) == 0 && b, "yes");
	ok(parse_bool("Off", &b) == 0 && !b, "Off");
	ok(parse_bool("maybe", &b) < 0, "maybe refused");
	ok(log_level_parse("debug") == LOG_LEVEL_DEBUG && log_level_parse("warn") == LOG_LEVEL_WARN &&
		   log_level_parse("loud") < 0,
	   "log levels");
}

static int parse(struct options *o, int argc, const char **argv)
{
	options_free(o);
	options_defaults(o);
	return options_parse(o, argc, (char **)argv);
}

static char *write_file(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/nfdnsd-config-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

static void test_command_line(void)
{
	struct options o;
	char *path;

	options_defaults(&o);
	{
		const char *argv[] = { "nfdnsd", "--config", "/dev/null", NULL };

		ok(parse(&o, 3, argv) == 0 && o.mark == DEFAULT_MARK && o.n_listen == 2 && !o.no_kernel &&
			   o.max_queries == 48 && o.edns_size == 1232 && o.cache_size == 100000,
		   "defaults: mark 0x6e66, two listen addresses, kernel link on");
	}
	{
		const char *argv[] = { "nfdnsd", "-c", "/dev/null", "--listen", "127.53.255.1:5300", "-l", "[::1]:5301",
				       "--no-kernel", "--trace", "--mark", "0x10", "--log-level", "debug", "--0x20",
				       "--root-hints", "/tmp/hints", "--max-ns-chase", "2", NULL };

		ok(parse(&o, 18, argv) == 0, "every kind of flag parses");
		ok(o.n_listen == 2 && addr_is(&o.listen[0], "127.53.255.1", 5300) && addr_is(&o.listen[1], "::1", 5301),
		   "--listen is repeatable");
		ok(o.no_kernel && o.trace && o.mark == 0x10 && o.log_level == LOG_LEVEL_DEBUG && o.use_0x20 &&
			   o.max_ns_chase == 2,
		   "switches and numbers set");
		ok(o.root_hints && strcmp(o.root_hints, "/tmp/hints") == 0, "--root-hints kept");
	}
	{
		const char *argv[] = { "nfdnsd", "--config", "/dev/null", NULL };

		ok(parse(&o, 3, argv) == 0 && o.dnssec_validation && o.harden_algo_downgrade && o.aggressive_nsec &&
			   o.n_trust_anchor_files == 0 && o.val_override_date == 0,
		   "DNSSEC defaults: validation, harden-algo-downgrade, aggressive-nsec on; built-in anchors");
	}
	{
		const char *argv[] = { "nfdnsd", "-c", "/dev/null", "--trust-anchor-file", "/a.ds",
				       "--trust-anchor-file", "/b.key", "--val-override-date", "20240101120000",
				       "--harden-algo-downgrade", "no", "--aggressive-nsec", "off",
				       "--dnssec-validation", "no", NULL };

		ok(parse(&o, 15, argv) == 0 && o.n_trust_anchor_files == 2 &&
			   strcmp(o.trust_anchor_files[0], "/a.ds") == 0 && strcmp(o.trust_anchor_files[1], "/b.key") == 0,
		   "trust-anchor-file is repeatable");
		ok(o.val_override_date == 1704110400 && !o.harden_algo_downgrade && !o.aggressive_nsec &&
			   !o.dnssec_validation,
		   "val-override-date 20240101120000 is 1704110400; DNSSEC switches off");
	}
	{
		static const char *const bad[] = { "2024010112", "2024010112000x", "20241301120000", "yesterday" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			const char *argv[] = { "nfdnsd", "-c", "/dev/null", "--val-override-date", bad[i], NULL };

			ok(parse(&o, 5, argv) < 0, "val-override-date \"%s\" refused", bad[i]);
		}
	}
	path = write_file("trust-anchor-file /etc/nfdns/root.ds\nval-override-date 20000101000000\n"
			  "harden-algo-downgrade no\naggressive-nsec yes\ndnssec-validation yes\n");
	{
		const char *argv[] = { "nfdnsd", "-c", path, NULL };

		ok(path && parse(&o, 3, argv) == 0 && o.n_trust_anchor_files == 1 &&
			   strcmp(o.trust_anchor_files[0], "/etc/nfdns/root.ds") == 0 &&
			   o.val_override_date == 946684800 && !o.harden_algo_downgrade && o.aggressive_nsec,
		   "DNSSEC settings from the configuration file");
	}
	if (path)
		unlink(path);
	{
		const char *argv[] = { "nfdnsd", "-c", "/dev/null", "--listen", "none", NULL };

		ok(parse(&o, 5, argv) == 0 && o.n_listen == 0, "--listen none serves nothing");
	}
	{
		const char *argv[] = { "nfdnsd", "-c", "/dev/null", "--bogus", NULL };

		ok(parse(&o, 4, argv) < 0, "unknown flag refused");
	}
	{
		const char *argv[] = { "nfdnsd", "-c", "/dev/null", "--mark", NULL };

		ok(parse(&o, 4, argv) < 0, "flag without its value refused");
	}
	{
		const char *argv[] = { "nfdnsd", "-c", "/dev/null", "--max-queries", "2", NULL };

		ok(parse(&o, 5, argv) < 0, "value out of range refused");
	}
	{
		const char *argv[] = { "nfdnsd", "-c", "/dev/null", "--no-ipv4", "--no-ipv6", NULL };

		ok(parse(&o, 5, argv) < 0, "no address family left refused");
	}
	{
		const char *argv[] = { "nfdnsd", "--config", "/nonexistent/nfdnsd.conf", NULL };

		ok(parse(&o, 3, argv) < 0, "missing explicit config file is an error");
	}

	path = write_file("# a comment\n"
			  "listen 127.53.255.9:5353   # trailing comment\n"
			  "listen [::1]:5354\n"
			  "mark 0x99\n"
			  "no-kernel yes\n"
			  "trace no\n"
			  "\n"
			  "cache-size 500\n"
			  "max-cname 8\n");
	ok(path != NULL, "config file written");
	if (path) {
		{
			const char *argv[] = { "nfdnsd", "--config", path, NULL };

			ok(parse(&o, 3, argv) == 0 && o.n_listen == 2 && addr_is(&o.listen[0], "127.53.255.9", 5353) &&
				   o.mark == 0x99 && o.no_kernel && !o.trace && o.cache_size == 500 && o.max_cname == 8,
			   "config file settings applied");
		}
		{
			const char *argv[] = { "nfdnsd", "--config", path, "--mark", "7", "--listen", "127.0.0.2", NULL };

			ok(parse(&o, 7, argv) == 0 && o.mark == 7 && o.n_listen == 1 &&
				   addr_is(&o.listen[0], "127.0.0.2", 53) && o.cache_size == 500,
			   "command line overrides the file; its --listen replaces the file's");
		}
		unlink(path);
	}
	path = write_file("mark 1\nfrobnicate yes\n");
	if (path) {
		const char *argv[] = { "nfdnsd", "--config", path, NULL };

		ok(parse(&o, 3, argv) < 0, "unknown config key refused");
		unlink(path);
	}
	path = write_file("cache-size lots\n");
	if (path) {
		const char *argv[] = { "nfdnsd", "--config", path, NULL };

		ok(parse(&o, 3, argv) < 0, "bad config value refused");
		unlink(path);
	}
	path = write_file("config /etc/other.conf\n");
	if (path) {
		const char *argv[] = { "nfdnsd", "--config", path, NULL };

		ok(parse(&o, 3, argv) < 0, "config key inside a config file refused");
		unlink(path);
	}
	options_free(&o);
}

static struct sockaddr_storage sa_of(const char *text)
{
	struct sockaddr_storage ss;

	if (parse_address(text, 53, &ss))
		abort();
	return ss;
}

static enum acl_action match(const struct acl *a, const char *addr)
{
	struct sockaddr_storage ss = sa_of(addr);

	return acl_match(a, (struct sockaddr *)&ss);
}

static void test_access_control(void)
{
	struct options o;
	const char *argv[] = { "nfdnsd", "--config", "/dev/null", "--access-control", "10.1.0.0/16 refuse",
			       "--access-control", "192.0.2.0/24 allow", "--access-control", "10.1.2.3 deny", NULL };
	static const char *const allowed[] = { "127.0.0.1", "::1", "10.9.9.9", "172.16.0.1", "172.31.255.255",
					       "192.168.1.1", "100.64.0.1", "169.254.3.4", "fd00::1", "fe80::1",
					       "::ffff:10.0.0.1" };
	static const char *const refused[] = { "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1", "::ffff:8.8.8.8" };
	struct acl a = { 0 };
	struct acl_entry e;

	options_defaults(&o);
	ok(parse(&o, 3, argv) == 0, "no access-control: parsed");
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		ok(match(&o.access, allowed[i]) == ACL_ALLOW, "default access: %s allowed", allowed[i]);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		ok(match(&o.access, refused[i]) == ACL_NONE, "default access: %s not allowed", refused[i]);
	options_free(&o);

	options_defaults(&o);
	ok(parse(&o, 9, argv) == 0, "access-control lines parsed");
	ok(match(&o.access, "10.1.9.9") == ACL_REFUSE, "10.1.0.0/16 refuse beats the default 10.0.0.0/8 allow");
	ok(match(&o.access, "10.2.0.1") == ACL_ALLOW, "the rest of 10.0.0.0/8 still allowed");
	ok(match(&o.access, "10.1.2.3") == ACL_DENY, "a whole address beats its /16");
	ok(match(&o.access, "192.0.2.77") == ACL_ALLOW, "192.0.2.0/24 allow added");
	ok(match(&o.access, "127.0.0.1") == ACL_ALLOW, "loopback still allowed");
	options_free(&o);

	static const char *const bad[] = { "10.0.0.0/8", "10.0.0.0/33 allow", "10.0.0.0/8 maybe", "host allow",
					   "::/129 deny", "10.0.0.0/ allow", "10.0.0.0/-1 allow" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *av[] = { "nfdnsd", "--config", "/dev/null", "--access-control", bad[i], NULL };

		options_defaults(&o);
		ok(parse(&o, 5, av) < 0, "access-control \"%s\" refused", bad[i]);
		options_free(&o);
	}
	ok(acl_parse_prefix("10.1.2.3/8", &e) == 0 && e.addr[0] == 10 && e.addr[1] == 0 && e.plen == 8,
	   "host bits of a prefix cleared");

	/* Upstream queries: the do-not-query list. */
	ok(acl_do_not_query(&a, true, false, NULL) == 0, "do-not-query list with localhost");
	static const char *const never[] = { "127.0.0.1", "127.53.0.1", "::1", "0.0.0.0", "::", "169.254.1.1",
					     "fe80::1", "224.0.0.1", "255.255.255.255", "ff02::1", "::ffff:127.0.0.1" };
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		ok(match(&a, never[i]) == ACL_DENY, "never queried by default: %s", never[i]);
	static const char *const fine[] = { "192.0.2.1", "10.0.0.1", "2001:db8::1", "fd00::1" };
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		ok(match(&a, fine[i]) == ACL_NONE, "queried by default: %s", fine[i]);
	acl_free(&a);
	ok(acl_do_not_query(&a, false, true, NULL) == 0, "do-not-query list with private ranges, without localhost");
	ok(match(&a, "127.0.0.1") == ACL_NONE && match(&a, "::1") == ACL_NONE,
	   "do-not-query-localhost no: loopback queried");
	ok(match(&a, "224.0.0.1") == ACL_DENY, "do-not-query-localhost no: multicast still never queried");
	ok(match(&a, "10.0.0.1") == ACL_DENY && match(&a, "192.168.0.1") == ACL_DENY && match(&a, "fd00::1") == ACL_DENY,
	   "do-not-query-private: private ranges refused");
	acl_free(&a);

	ok(acl_add_own_addresses(&a, ACL_DENY) == 0 && match(&a, "127.0.0.1") == ACL_DENY,
	   "this host's addresses include 127.0.0.1");
	acl_free(&a);
}

static void test_qname_minimisation(void)
{
	struct options o;
	char *path;

	options_defaults(&o);
	{
		const char *argv[] = { "nfdnsd", "--config", "/dev/null", NULL };

		ok(parse(&o, 3, argv) == 0 && o.qname_minimisation && !o.qname_minimisation_strict,
		   "qname-minimisation: on and relaxed by default");
	}
	{
		const char *argv[] = { "nfdnsd", "--config", "../../userspace/nfdnsd/nfdnsd.conf", "--listen", "none", NULL };

		ok(parse(&o, 5, argv) == 0 && o.qname_minimisation && !o.qname_minimisation_strict,
		   "qname-minimisation: the shipped nfdnsd.conf says yes, strict no");
	}
	path = write_file("qname-minimisation no\nqname-minimisation-strict yes\n");
	if (path) {
		const char *argv[] = { "nfdnsd", "--config", path, NULL };
		const char *over[] = { "nfdnsd", "--config", path, "--qname-minimisation", "yes",
				       "--qname-minimisation-strict", "no", NULL };

		ok(parse(&o, 3, argv) == 0 && !o.qname_minimisation && o.qname_minimisation_strict,
		   "qname-minimisation no, qname-minimisation-strict yes read from the file");
		ok(parse(&o, 7, over) == 0 && o.qname_minimisation && !o.qname_minimisation_strict,
		   "qname-minimisation: the command line overrides the file");
		unlink(path);
	}
	path = write_file("qname-minimisation maybe\n");
	if (path) {
		const char *argv[] = { "nfdnsd", "--config", path, NULL };

		ok(parse(&o, 3, argv) < 0, "qname-minimisation maybe refused");
		unlink(path);
	}
	{
		const char *argv[] = { "nfdnsd", "--config", "/dev/null", "--qname-minimisation-strict", NULL };

		ok(parse(&o, 4, argv) < 0, "--qname-minimisation-strict without yes or no refused");
	}
	options_free(&o);
}

static void test_redis(void)
{
	struct options o;
	char *path;

	options_defaults(&o);
	{
		const char *argv[] = { "nfdnsd", "--config", "/dev/null", NULL };

		ok(parse(&o, 3, argv) == 0 && !o.redis_server && o.redis_timeout_ms == 50 && o.redis_db == 0,
		   "cachedb: off by default, redis-timeout-ms 50, redis-db 0");
	}
	path = write_file("redis-server 10.0.0.7\nredis-replica [::1]:6380\nredis-user fleet\n"
			  "redis-password pw with spaces\nredis-db 3\nredis-timeout-ms 20\n");
	if (path) {
		const char *argv[] = { "nfdnsd", "--config", path, NULL };

		ok(parse(&o, 3, argv) == 0 && !strcmp(o.redis_server, "10.0.0.7") &&
			   !strcmp(o.redis_replica, "[::1]:6380") && !strcmp(o.redis_user, "fleet") &&
			   !strcmp(o.redis_password, "pw with spaces") && o.redis_db == 3 && o.redis_timeout_ms == 20,
		   "redis-server, -replica, -user, -password, -db and -timeout-ms read from the file");
		unlink(path);
	}
	{
		const char *argv[] = { "nfdnsd", "--config", "/dev/null", "--redis-server", "unix:/run/redis/redis.sock", NULL };

		ok(parse(&o, 5, argv) == 0 && !strcmp(o.redis_server, "unix:/run/redis/redis.sock"),
		   "redis-server unix:/PATH");
	}
	{
		const char *host[] = { "nfdnsd", "--config", "/dev/null", "--redis-server", "redis.example:6379", NULL };
		const char *relative[] = { "nfdnsd", "--config", "/dev/null", "--redis-server", "unix:redis.sock", NULL };
		const char *port[] = { "nfdnsd", "--config", "/dev/null", "--redis-server", "10.0.0.7:70000", NULL };

		ok(parse(&o, 5, host) < 0 && parse(&o, 5, relative) < 0 && parse(&o, 5, port) < 0,
		   "redis-server: a host name, a relative socket path or a bad port refused");
	}
	{
		const char *replica[] = { "nfdnsd", "--config", "/dev/null", "--redis-replica", "10.0.0.8", NULL };
		const char *user[] = { "nfdnsd", "--config", "/dev/null", "--redis-server", "10.0.0.7", "--redis-user", "u", NULL };
		const char *timeout[] = { "nfdnsd", "--config", "/dev/null", "--redis-timeout-ms", "0", NULL };

		ok(parse(&o, 5, replica) < 0 && parse(&o, 7, user) < 0 && parse(&o, 5, timeout) < 0,
		   "redis-replica without redis-server, redis-user without a password, timeout 0: refused");
	}
	options_free(&o);
}

int main(void)
{
	tap_plan(115);
	test_access_control();
	test_addresses();
	test_numbers();
	test_command_line();
	test_qname_minimisation();
	test_redis();
	return tap_done();
}
