/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control protocol: one JSON object per line each way.  A request
 * names its command ("cmd") and its arguments; a response has "ok" and,
 * when false, "error".
 */
#ifndef NFDNSD_CONTROL_PROTO_H
#define NFDNSD_CONTROL_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* Longest request line taken; a longer one is an error and ends the connection. */
#define CONTROL_LINE_MAX 65536

enum control_cmd {
	CONTROL_STATUS,
	CONTROL_STATS,
	CONTROL_FLUSH,
	CONTROL_FLUSH_INFRA,
	CONTROL_FLUSH_NEGATIVE,
	CONTROL_DUMP_INFRA,
	CONTROL_REQUESTS,
	CONTROL_RELOAD,
	CONTROL_LOG_LEVEL,
	CONTROL_N_CMDS,
};

struct control_request {
	enum control_cmd cmd;
	const char *name;	/* flush: the name */
	bool subtree;		/* flush */
	const char *server;	/* flush-infra: an address, or NULL for all */
	const char *level;	/* log-level: the level to set, or NULL */
	bool prometheus;	/* stats: "format": "prometheus" */
	json_object *obj;	/* the parsed request; the strings point into it */
};

extern const char *const control_cmd_names[CONTROL_N_CMDS];

/*
 * Parses one request line.  0, with req->obj to json_object_put() after
 * use; or -EINVAL with a message for the client in err.
 */
int control_parse(const char *line, size_t len, struct control_request *req, char *err, size_t errlen);
/* {"ok":false,"error":msg} as a malloc'd line (with its newline). */
char *control_error_line(const char *msg);
/* A response object as a malloc'd line (with its newline); takes the object. */
char *control_line(json_object *resp);

#endif
