// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl resolver: nfdnsd's control channel, a UNIX socket that takes
 * one JSON request per line and answers each with one JSON line (see
 * nfdnsd(8)).  One table of subcommands; each builds its request and
 * prints the answer as text, or as it came with --json.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "nfdnsctl.h"

#define RESOLVER_SOCKET "/run/nfdns/nfdnsd.sock"
#define RESOLVER_TIMEOUT_MS 15000
#define RESOLVER_REPLY_MAX (16 << 20)

struct resolver_cmd {
	const char *name;
	const char *args;
	const char *help;
	int min_args, max_args;
	/* Fills the request from the arguments left after the options. */
	int (*request)(struct nfdnsctl *ctl, json_object *req, int argc, char **argv);
	void (*print)(struct nfdnsctl *ctl, json_object *resp);
};

struct resolver_opts {
	const char *socket;
	bool subtree;
	bool prometheus;
	bool json;
};

static struct resolver_opts ropt;

static const char *member_str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

/* ---- requests ---- */

static int req_flush(struct nfdnsctl *ctl, json_object *req, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	json_object_object_add(req, "name", json_object_new_string(argv[0]));
	json_object_object_add(req, "subtree", json_object_new_boolean(ropt.subtree));
	return 0;
}

static int req_flush_infra(struct nfdnsctl *ctl, json_object *req, int argc, char **argv)
{
	(void)ctl;
	json_object_object_add(req, "server", json_object_new_string(argc ? argv[0] : "all"));
	return 0;
}

static int req_log_level(struct nfdnsctl *ctl, json_object *req, int argc, char **argv)
{
	(void)ctl;
	if (argc)
		json_object_object_add(req, "level", json_object_new_string(argv[0]));
	return 0;
}

static int req_stats(struct nfdnsctl *ctl, json_object *req, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	if (ropt.prometheus)
		json_object_object_add(req, "format", json_object_new_string("prometheus"));
	return 0;
}

/* ---- printing ---- */

static void print_members(FILE *f, json_object *o, const char *prefix)
{
	json_object_object_foreach(o, key, v)
	{
		if (!strcmp(key, "ok"))
			continue;
		if (json_object_is_type(v, json_type_object)) {
			char sub[128];

			snprintf(sub, sizeof(sub), "%s%s.", prefix, key);
			print_members(f, v, sub);
			continue;
		}
		fprintf(f, "%s%s %s\n", prefix, key,
			json_object_is_type(v, json_type_string) ?
				json_object_get_string(v) :
				json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
}

static void print_status(struct nfdnsctl *ctl, json_object *resp)
{
	print_members(ctl->out, resp, "");
}

static void print_stats(struct nfdnsctl *ctl, json_object *resp)
{
	json_object *stats;

	if (ropt.prometheus) {
		fputs(member_str(resp, "text"), ctl->out);
		return;
	}
	if (json_object_object_get_ex(resp, "stats", &stats))
		print_members(ctl->out, stats, "");
}

static void print_flush(struct nfdnsctl *ctl, json_object *resp)
{
	json_object *v;
	bool kernel = json_object_object_get_ex(resp, "kernel", &v) && json_object_get_boolean(v);

	fprintf(ctl->out, "%s RRsets flushed from nfdnsd; %s\n", member_str(resp, "rrsets"),
		kernel ? "the kernel's entries deleted" : "not registered with the kernel");
}

static void print_count(struct nfdnsctl *ctl, json_object *resp)
{
	json_object_object_foreach(resp, key, v)
	{
		if (strcmp(key, "ok"))
			fprintf(ctl->out, "%s flushed (%s)\n", json_object_get_string(v), key);
	}
}

static void print_list(struct nfdnsctl *ctl, json_object *resp, const char *key, const char *const *cols)
{
	json_object *list;

	if (!json_object_object_get_ex(resp, key, &list))
		return;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *e = json_object_array_get_idx(list, i);

		for (size_t c = 0; cols[c]; c++) {
			json_object *v;

			if (!json_object_object_get_ex(e, cols[c], &v))
				continue;
			fprintf(ctl->out, "%s%s=%s", c ? " " : "", cols[c], json_object_get_string(v));
		}
		fputc('\n', ctl->out);
	}
}

static void print_infra(struct nfdnsctl *ctl, json_object *resp)
{
	static const char *const cols[] = { "server", "srtt_ms", "rttvar_ms", "timeouts", "edns", "0x20",
					    "lame_zones", NULL };

	print_list(ctl, resp, "servers", cols);
}

static void print_requests(struct nfdnsctl *ctl, json_object *resp)
{
	static const char *const cols[] = { "name", "type", "age_ms", "waiters", "upstream_queries", "state",
					    "resolving", "zone", "forward_zone", "server", NULL };

	print_list(ctl, resp, "requests", cols);
}

static void print_reload(struct nfdnsctl *ctl, json_object *resp)
{
	const char *warning = member_str(resp, "warning");

	fprintf(ctl->out, "reloaded\n");
	if (*warning)
		fprintf(ctl->err, "nfdnsctl: nfdnsd: %s\n", warning);
}

static void print_level(struct nfdnsctl *ctl, json_object *resp)
{
	fprintf(ctl->out, "%s\n", member_str(resp, "level"));
}

static const struct resolver_cmd resolver_cmds[] = {
	{ "status", "", "version, uptime, kernel registration and settings", 0, 0, NULL, print_status },
	{ "stats", "[--json | --prometheus]", "every counter of nfdnsd", 0, 0, req_stats, print_stats },
	{ "flush", "NAME [--subtree]", "forget NAME (and below) in nfdnsd's cache and the kernel's", 1, 1,
	  req_flush, print_flush },
	{ "flush-infra", "[ADDR|all]", "forget what is known of a name server, or of all", 0, 1, req_flush_infra,
	  print_count },
	{ "flush-negative", "", "forget every NXDOMAIN and NODATA answer, in nfdnsd's cache and the kernel's", 0, 0,
	  NULL,
	  print_count },
	{ "dump-infra", "", "each name server: RTT, EDNS, 0x20 and lameness", 0, 0, NULL, print_infra },
	{ "requests", "", "questions being resolved, and their current step", 0, 0, NULL, print_requests },
	{ "reload", "", "read the configuration again (as SIGHUP)", 0, 0, NULL, print_reload },
	{ "log-level", "[LEVEL]", "show or set the log level (error, warning, info, debug)", 0, 1, req_log_level,
	  print_level },
};

#define N_RESOLVER_CMDS (sizeof(resolver_cmds) / sizeof(resolver_cmds[0]))

/* ---- the socket ---- */

static int transact(struct nfdnsctl *ctl, const char *path, const char *line, char **reply)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t len = 0, cap = 4096;
	struct pollfd pfd;
	char *buf = NULL;
	int fd, err;

	*reply = NULL;
	if (strlen(path) >= sizeof(sun.sun_path))
		return nfdnsctl_error(ctl, -ENAMETOOLONG, "socket path too long: %s", path);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return nfdnsctl_error(ctl, -errno, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = -errno;
		close(fd);
		return nfdnsctl_error(ctl, err, "cannot reach nfdnsd at %s%s", path,
				      err == -ENOENT || err == -ECONNREFUSED ? " (is it running?)" :
				      err == -EACCES			     ? " (not in its control group?)" :
									       "");
	}
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0) {
		err = -errno;
		close(fd);
		return nfdnsctl_error(ctl, err, "sending to nfdnsd");
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		ssize_t n;

		if (!buf || len + 1 >= cap) {
			char *grown = cap > RESOLVER_REPLY_MAX ? NULL : realloc(buf, cap *= 2);

			if (!grown) {
				free(buf);
				close(fd);
				return nfdnsctl_error(ctl, -EMSGSIZE, "nfdnsd's answer is too long");
			}
			buf = grown;
		}
		if (poll(&pfd, 1, RESOLVER_TIMEOUT_MS) <= 0) {
			free(buf);
			close(fd);
			return nfdnsctl_error(ctl, -ETIMEDOUT, "no answer from nfdnsd");
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n <= 0) {
			free(buf);
			close(fd);
			return nfdnsctl_error(ctl, n < 0 ? -errno : -ECONNRESET, "reading nfdnsd's answer");
		}
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf, '\n', len))
			break;
	}
	close(fd);
	*reply = buf;
	return 0;
}

static void print_help(FILE *f)
{
	fprintf(f, "usage: nfdnsctl resolver [--socket PATH] [--json] SUBCOMMAND [ARGS...]\n\nsubcommands:\n");
	for (size_t i = 0; i < N_RESOLVER_CMDS; i++)
		fprintf(f, "  %-14s %s\n                 %s\n", resolver_cmds[i].name, resolver_cmds[i].args,
			resolver_cmds[i].help);
}

/**
 * nfdnsctl_cmd_resolver() - talk to nfdnsd over its control socket
 * @ctl: the invocation
 * @argc: argument count
 * @argv: "resolver", then options and a subcommand with its arguments
 *
 * Return: 0 or -errno; nfdnsd's refusal is -EINVAL with its message.
 */
int nfdnsctl_cmd_resolver(struct nfdnsctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "subtree", no_argument, NULL, 't' },
		{ "prometheus", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const struct resolver_cmd *cmd = NULL;
	json_object *req, *resp, *ok;
	char *line = NULL, *reply = NULL;
	int opt, err, nargs;

	memset(&ropt, 0, sizeof(ropt));
	ropt.socket = getenv("NFDNSD_SOCKET") ? getenv("NFDNSD_SOCKET") : RESOLVER_SOCKET;
	ropt.json = ctl->json;
	/* Options may come before or after the subcommand. */
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			ropt.socket = optarg;
			break;
		case 'j':
			ropt.json = true;
			break;
		case 't':
			ropt.subtree = true;
			break;
		case 'p':
			ropt.prometheus = true;
			break;
		default:
			return nfdnsctl_bad_option(ctl, opt, argv);
		}
	}
	if (optind >= argc) {
		print_help(ctl->err);
		return nfdnsctl_usage(ctl, "resolver needs a subcommand");
	}
	for (size_t i = 0; i < N_RESOLVER_CMDS; i++)
		if (!strcmp(argv[optind], resolver_cmds[i].name))
			cmd = &resolver_cmds[i];
	if (!cmd) {
		print_help(ctl->err);
		return nfdnsctl_usage(ctl, "unknown resolver subcommand '%s'", argv[optind]);
	}
	nargs = argc - optind - 1;
	if (nargs < cmd->min_args || nargs > cmd->max_args)
		return nfdnsctl_usage(ctl, "usage: nfdnsctl resolver %s %s", cmd->name, cmd->args);
	if (ropt.subtree && cmd->request != req_flush)
		return nfdnsctl_usage(ctl, "--subtree is for flush");
	if (ropt.prometheus && (cmd->request != req_stats || ropt.json))
		return nfdnsctl_usage(ctl, "--prometheus is for stats, without --json");

	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string(cmd->name));
	if (cmd->request) {
		err = cmd->request(ctl, req, nargs, argv + optind + 1);
		if (err) {
			json_object_put(req);
			return err;
		}
	}
	if (asprintf(&line, "%s\n", json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN)) < 0)
		line = NULL;
	json_object_put(req);
	if (!line)
		return -ENOMEM;
	err = transact(ctl, ropt.socket, line, &reply);
	free(line);
	if (err)
		return err;
	resp = json_tokener_parse(reply);
	if (!resp || !json_object_is_type(resp, json_type_object) || !json_object_object_get_ex(resp, "ok", &ok)) {
		json_object_put(resp);
		free(reply);
		return nfdnsctl_error(ctl, -EPROTO, "nfdnsd's answer is not what the protocol says");
	}
	if (!json_object_get_boolean(ok)) {
		err = nfdnsctl_error(ctl, -EINVAL, "nfdnsd: %s", member_str(resp, "error"));
		json_object_put(resp);
		free(reply);
		return err;
	}
	if (ropt.json)
		fputs(reply, ctl->out);
	else
		cmd->print(ctl, resp);
	json_object_put(resp);
	free(reply);
	return 0;
}
