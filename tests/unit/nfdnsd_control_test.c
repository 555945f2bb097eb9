// SPDX-License-Identifier: GPL-2.0
/* nfdnsd: the control protocol's requests, as the socket parses them, and its answers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_proto.h"

#include "tap.h"

static int parse(const char *line, struct control_request *req, char *err, size_t errlen)
{
	return control_parse(line, strlen(line), req, err, errlen);
}

static void test_good(void)
{
	struct control_request req;
	char err[256];

	ok(parse("{\"cmd\":\"status\"}", &req, err, sizeof(err)) == 0 && req.cmd == CONTROL_STATUS,
	   "status parses");
	json_object_put(req.obj);
	ok(parse("  {\"cmd\": \"flush\", \"name\": \"example.com\", \"subtree\": true}  \r", &req, err,
		 sizeof(err)) == 0 &&
		   req.cmd == CONTROL_FLUSH && !strcmp(req.name, "example.com") && req.subtree,
	   "flush with a name and subtree, spaces and a CR around");
	json_object_put(req.obj);
	ok(parse("{\"cmd\":\"flush\",\"name\":\"a.b\"}", &req, err, sizeof(err)) == 0 && !req.subtree,
	   "flush without subtree is the name alone");
	json_object_put(req.obj);
	ok(parse("{\"cmd\":\"flush-infra\",\"server\":\"all\"}", &req, err, sizeof(err)) == 0 && !req.server,
	   "flush-infra all is every server");
	json_object_put(req.obj);
	ok(parse("{\"cmd\":\"flush-infra\",\"server\":\"192.0.2.1\"}", &req, err, sizeof(err)) == 0 &&
		   !strcmp(req.server, "192.0.2.1"),
	   "flush-infra of one address");
	json_object_put(req.obj);
	ok(parse("{\"cmd\":\"stats\",\"format\":\"prometheus\"}", &req, err, sizeof(err)) == 0 && req.prometheus,
	   "stats in the Prometheus format");
	json_object_put(req.obj);
	ok(parse("{\"cmd\":\"log-level\"}", &req, err, sizeof(err)) == 0 && !req.level, "log-level asks");
	json_object_put(req.obj);
	ok(parse("{\"cmd\":\"log-level\",\"level\":\"debug\"}", &req, err, sizeof(err)) == 0 &&
		   !strcmp(req.level, "debug"),
	   "log-level sets");
	json_object_put(req.obj);
	for (int i = 0; i < CONTROL_N_CMDS; i++) {
		char line[128];
		int rc;

		snprintf(line, sizeof(line), "{\"cmd\":\"%s\",\"name\":\"x\"}", control_cmd_names[i]);
		rc = parse(line, &req, err, sizeof(err));
		ok(rc == 0 && (int)req.cmd == i, "command %s is known", control_cmd_names[i]);
		json_object_put(req.obj);
	}
}

static void test_bad(void)
{
	static const struct {
		const char *line;
		const char *says;
	} cases[] = {
		{ "", "not a JSON object" },
		{ "not json", "not a JSON object" },
		{ "{\"cmd\":\"status\"", "not a JSON object" },
		{ "{\"cmd\":\"status\"} trailing", "trailing bytes" },
		{ "[\"status\"]", "a request is a JSON object" },
		{ "42", "a request is a JSON object" },
		{ "{}", "\"cmd\" is missing" },
		{ "{\"cmd\":7}", "\"cmd\" must be a string" },
		{ "{\"cmd\":\"shutdown\"}", "unknown command \"shutdown\"" },
		{ "{\"cmd\":\"flush\"}", "flush needs \"name\"" },
		{ "{\"cmd\":\"flush\",\"name\":[]}", "\"name\" must be a string" },
		{ "{\"cmd\":\"flush\",\"name\":\"a\",\"subtree\":\"yes\"}", "\"subtree\" must be a boolean" },
		{ "{\"cmd\":\"stats\",\"format\":\"xml\"}", "\"format\" is \"json\" or \"prometheus\"" },
		{ "{\"cmd\":\"log-level\",\"level\":3}", "\"level\" must be a string" },
	};
	struct control_request req;
	char err[256], *big;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		ok(parse(cases[i].line, &req, err, sizeof(err)) == -EINVAL && strstr(err, cases[i].says) &&
			   !req.obj,
		   "'%s' refused: %s", cases[i].line, err);
	}
	ok(control_parse("{\"cmd\":\"status\"}\0x", 18, &req, err, sizeof(err)) == -EINVAL && strstr(err, "NUL"),
	   "a NUL byte is refused: %s", err);
	big = malloc(CONTROL_LINE_MAX + 2);
	memset(big, ' ', CONTROL_LINE_MAX + 1);
	big[CONTROL_LINE_MAX + 1] = '\0';
	ok(parse(big, &req, err, sizeof(err)) == -EINVAL && strstr(err, "longer than"), "an oversized line: %s",
	   err);
	free(big);
}

static void test_answers(void)
{
	char *line = control_error_line("bad \"thing\"\n");
	json_object *o = json_object_new_object();

	ok(line && !strcmp(line, "{\"ok\":false,\"error\":\"bad \\\"thing\\\"\\n\"}\n"),
	   "an error is one line, its text escaped: %s", line);
	free(line);
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "n", json_object_new_uint64(18446744073709551615ULL));
	line = control_line(o);
	ok(line && !strcmp(line, "{\"ok\":true,\"n\":18446744073709551615}\n"), "an answer is one line: %s", line);
	free(line);
}

int main(void)
{
	tap_plan(8 + CONTROL_N_CMDS + 14 + 2 + 2);
	test_good();
	test_bad();
	test_answers();
	return tap_done();
}
