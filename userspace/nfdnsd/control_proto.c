// SPDX-License-Identifier: GPL-2.0
#include "control_proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const control_cmd_names[CONTROL_N_CMDS] = {
	[CONTROL_STATUS] = "status",
	[CONTROL_STATS] = "stats",
	[CONTROL_FLUSH] = "flush",
	[CONTROL_FLUSH_INFRA] = "flush-infra",
	[CONTROL_FLUSH_NEGATIVE] = "flush-negative",
	[CONTROL_DUMP_INFRA] = "dump-infra",
	[CONTROL_REQUESTS] = "requests",
	[CONTROL_RELOAD] = "reload",
	[CONTROL_LOG_LEVEL] = "log-level",
};

/* A member of the given type, or absent; -EINVAL with a message when of another type. */
static int member(json_object *obj, const char *key, json_type type, json_object **out, char *err, size_t errlen)
{
	static const char *const type_names[] = {
		[json_type_null] = "null",     [json_type_boolean] = "a boolean", [json_type_double] = "a number",
		[json_type_int] = "a number",  [json_type_object] = "an object",  [json_type_array] = "an array",
		[json_type_string] = "a string",
	};

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, out))
		return 0;
	if (!json_object_is_type(*out, type)) {
		snprintf(err, errlen, "\"%s\" must be %s", key, type_names[type]);
		return -EINVAL;
	}
	return 0;
}

int control_parse(const char *line, size_t len, struct control_request *req, char *err, size_t errlen)
{
	json_tokener *tok;
	json_object *obj, *v;
	const char *cmd;
	size_t i, end;

	memset(req, 0, sizeof(*req));
	if (len > CONTROL_LINE_MAX) {
		snprintf(err, errlen, "request longer than %d bytes", CONTROL_LINE_MAX);
		return -EINVAL;
	}
	if (memchr(line, '\0', len)) {
		snprintf(err, errlen, "a NUL byte in the request");
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	obj = json_tokener_parse_ex(tok, line, (int)len);
	end = obj ? json_tokener_get_parse_end(tok) : len;
	/* A bare number may go on: the end of the line ends it. */
	if (!obj && json_tokener_get_error(tok) == json_tokener_continue)
		obj = json_tokener_parse_ex(tok, " ", 1);
	if (!obj || end < len) {
		/* Only white space may follow the object. */
		while (obj && end < len && strchr(" \t\r", line[end]))
			end++;
		if (!obj || end < len) {
			snprintf(err, errlen, "not a JSON object: %s",
				 obj ? "trailing bytes" : json_tokener_error_desc(json_tokener_get_error(tok)));
			json_object_put(obj);
			json_tokener_free(tok);
			return -EINVAL;
		}
	}
	json_tokener_free(tok);
	req->obj = obj;
	if (!json_object_is_type(obj, json_type_object)) {
		snprintf(err, errlen, "a request is a JSON object");
		goto bad;
	}
	if (member(obj, "cmd", json_type_string, &v, err, errlen))
		goto bad;
	if (!v) {
		snprintf(err, errlen, "\"cmd\" is missing");
		goto bad;
	}
	cmd = json_object_get_string(v);
	for (i = 0; i < CONTROL_N_CMDS; i++)
		if (strcmp(cmd, control_cmd_names[i]) == 0)
			break;
	if (i == CONTROL_N_CMDS) {
		snprintf(err, errlen, "unknown command \"%.64s\"", cmd);
		goto bad;
	}
	req->cmd = (enum control_cmd)i;
	switch (req->cmd) {
	case CONTROL_FLUSH:
		if (member(obj, "name", json_type_string, &v, err, errlen))
			goto bad;
		if (!v) {
			snprintf(err, errlen, "flush needs \"name\"");
			goto bad;
		}
		req->name = json_object_get_string(v);
		if (member(obj, "subtree", json_type_boolean, &v, err, errlen))
			goto bad;
		req->subtree = v && json_object_get_boolean(v);
		break;
	case CONTROL_FLUSH_INFRA:
		if (member(obj, "server", json_type_string, &v, err, errlen))
			goto bad;
		req->server = v && strcmp(json_object_get_string(v), "all") ? json_object_get_string(v) : NULL;
		break;
	case CONTROL_LOG_LEVEL:
		if (member(obj, "level", json_type_string, &v, err, errlen))
			goto bad;
		req->level = v ? json_object_get_string(v) : NULL;
		break;
	case CONTROL_STATS:
		if (member(obj, "format", json_type_string, &v, err, errlen))
			goto bad;
		if (v && strcmp(json_object_get_string(v), "prometheus") && strcmp(json_object_get_string(v), "json")) {
			snprintf(err, errlen, "\"format\" is \"json\" or \"prometheus\"");
			goto bad;
		}
		req->prometheus = v && !strcmp(json_object_get_string(v), "prometheus");
		break;
	default:
		break;
	}
	return 0;
bad:
	json_object_put(req->obj);
	req->obj = NULL;
	return -EINVAL;
}

char *control_line(json_object *resp)
{
	const char *text = resp ? json_object_to_json_string_ext(resp, JSON_C_TO_STRING_PLAIN) : NULL;
	char *line = NULL;

	if (text && asprintf(&line, "%s\n", text) < 0)
		line = NULL;
	json_object_put(resp);
	return line;
}

char *control_error_line(const char *msg)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	return control_line(o);
}
