// SPDX-License-Identifier: GPL-2.0
/*
 * The control channel: a UNIX stream socket (mode 0660, root and the
 * control group) that takes one JSON request per line and answers each
 * with one JSON line (control_proto.c).  `nfdnsctl resolver` speaks it;
 * so can socat.  Connections are few and bounded, lines are bounded, and
 * an idle connection is closed: a client can hold nothing for long.
 */
#include "control.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cache.h"
#include "control_proto.h"
#include "daemon.h"
#include "dname.h"
#include "infra.h"
#include "kernel.h"
#include "localdata.h"
#include "log.h"
#include "stats.h"
#include "upstream.h"
#include "util.h"

#ifndef NFDNSD_VERSION
#define NFDNSD_VERSION "0.1"
#endif

#define CONTROL_MAX_CLIENTS 16
#define CONTROL_IDLE_MS 10000
#define CONTROL_QUEUED_MAX (4 << 20)

struct control_client {
	uv_pipe_t pipe;
	uv_timer_t idle;
	struct control *ctl;
	struct control_client *next, **pprev;
	char *buf;
	size_t len;
	int closing;		/* handles left to close */
};

struct control {
	struct daemon *d;
	uv_pipe_t server;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct control_client *clients;
	size_t n_clients;
};

/* ---- the commands ---- */

typedef int (*control_fn)(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
			  size_t errlen);

static void add_str(json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, json_object_new_string(value ? value : ""));
}

static void add_u64(json_object *o, const char *key, uint64_t value)
{
	json_object_object_add(o, key, json_object_new_uint64(value));
}

static int cmd_status(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
		      size_t errlen)
{
	json_object *settings = json_object_new_object(), *listen = json_object_new_array();
	const struct options *o = &d->opt;
	time_t since;
	bool registered = kernel_registered(d->kernel, &since);
	char a[SA_STRLEN];

	(void)req;
	(void)err;
	(void)errlen;
	add_str(resp, "version", NFDNSD_VERSION);
	add_u64(resp, "pid", (uint64_t)getpid());
	add_u64(resp, "uptime_s", (uint64_t)(time(NULL) - d->started));
	json_object_object_add(resp, "kernel_registered", json_object_new_boolean(registered));
	if (registered)
		add_u64(resp, "kernel_registered_s", (uint64_t)(time(NULL) - since));
	add_str(resp, "config_file", o->config_file);
	add_u64(resp, "reloads", d->reloads);
	add_u64(resp, "requests_in_flight", d->resolver.in_flight);
	for (size_t i = 0; i < o->n_listen; i++)
		json_object_array_add(listen,
				      json_object_new_string(sa_str((const struct sockaddr *)&o->listen[i], true, a)));
	json_object_object_add(settings, "listen", listen);
	add_u64(settings, "mark", o->mark);
	add_str(settings, "log-level", log_level_name(log_get_level()));
	add_u64(settings, "cache-size", o->cache_size);
	add_u64(settings, "infra-size", o->infra_size);
	add_u64(settings, "max-ttl", o->max_ttl);
	add_u64(settings, "resolve-timeout-ms", o->resolve_timeout_ms);
	add_u64(settings, "max-clients", o->max_clients);
	json_object_object_add(settings, "dnssec-validation", json_object_new_boolean(o->dnssec_validation));
	json_object_object_add(settings, "qname-minimisation", json_object_new_boolean(o->qname_minimisation));
	json_object_object_add(settings, "kernel", json_object_new_boolean(!o->no_kernel));
	add_u64(settings, "local-rules", localdata_n_rules(o->local));
	add_u64(settings, "local-rrsets", localdata_n_rrsets(o->local));
	json_object_object_add(resp, "settings", settings);
	return 0;
}

static int cmd_stats(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
		     size_t errlen)
{
	json_object *counters;
	char *text = NULL;
	int rc;

	(void)d;
	if (req->prometheus) {
		rc = stats_prometheus(&text);
		if (rc) {
			snprintf(err, errlen, "%s", strerror(-rc));
			return rc;
		}
		add_str(resp, "text", text);
		free(text);
		return 0;
	}
	counters = json_object_new_object();
#define STATS_JSON(name, help) add_u64(counters, #name, stats.name);
	STATS_FIELDS(STATS_JSON)
#undef STATS_JSON
	add_u64(counters, "cache_rrsets", d->resolver.cache.lru.count);
	add_u64(counters, "infra_servers", d->resolver.infra.servers.count);
	add_u64(counters, "requests_in_flight", d->resolver.in_flight);
	add_u64(counters, "clients_waiting", d->resolver.waiting);
	add_u64(counters, "upstream_sockets", upstream_sockets_open());
	json_object_object_add(resp, "stats", counters);
	return 0;
}

/* nfdnsd's cache first, so that what the kernel asks again is resolved anew. */
static int cmd_flush(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
		     size_t errlen)
{
	ldns_rdf *name = ldns_dname_new_frm_str(req->name);
	size_t n;
	int rc;

	if (!name || ldns_rdf_get_type(name) != LDNS_RDF_TYPE_DNAME) {
		ldns_rdf_deep_free(name);
		snprintf(err, errlen, "not a domain name: \"%.255s\"", req->name);
		return -EINVAL;
	}
	if (!ldns_dname_str_absolute(req->name)) {
		ldns_rdf *abs = ldns_dname_new_frm_str(".");

		if (!abs || ldns_dname_cat(name, abs) != LDNS_STATUS_OK) {
			ldns_rdf_deep_free(abs);
			ldns_rdf_deep_free(name);
			return -ENOMEM;
		}
		ldns_rdf_deep_free(abs);
	}
	n = cache_flush_name(&d->resolver.cache, name, req->subtree);
	add_u64(resp, "rrsets", n);
	rc = kernel_cache_del(d->kernel, ldns_rdf_data(name), ldns_rdf_size(name), req->subtree);
	json_object_object_add(resp, "kernel", json_object_new_boolean(rc == 0));
	log_info("flushed %s%s: %zu RRsets%s", req->name, req->subtree ? " and below" : "", n,
		 rc == 0 ? ", and the kernel's entries" : "");
	ldns_rdf_deep_free(name);
	return 0;
}

static int cmd_flush_infra(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
			   size_t errlen)
{
	struct sockaddr_storage ss;

	if (req->server && parse_address(req->server, 53, &ss)) {
		snprintf(err, errlen, "not an address: \"%.64s\"", req->server);
		return -EINVAL;
	}
	add_u64(resp, "entries", infra_flush(&d->resolver.infra, req->server ? (struct sockaddr *)&ss : NULL));
	return 0;
}

static int cmd_flush_negative(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
			      size_t errlen)
{
	uint64_t kernel = 0;

	(void)req;
	(void)err;
	(void)errlen;
	add_u64(resp, "rrsets", cache_flush_negative(&d->resolver.cache));
	if (!d->opt.no_kernel && kernel_flush_negative(&kernel) == 0)
		add_u64(resp, "kernel_entries", kernel);
	return 0;
}

static int infra_entry(void *arg, const struct sockaddr *sa, const struct infra_server *s, size_t lame_zones)
{
	json_object *o = json_object_new_object();
	char a[SA_STRLEN];

	add_str(o, "server", sa_str(sa, true, a));
	json_object_object_add(o, "rtt_known", json_object_new_boolean(s->rtt_known));
	add_u64(o, "srtt_ms", s->srtt);
	add_u64(o, "rttvar_ms", s->rttvar);
	add_u64(o, "timeouts", s->timeouts);
	json_object_object_add(o, "edns", json_object_new_boolean(!s->no_edns));
	json_object_object_add(o, "0x20", json_object_new_boolean(!s->no_0x20));
	add_u64(o, "lame_zones", lame_zones);
	json_object_array_add(arg, o);
	return 0;
}

static int cmd_dump_infra(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
			  size_t errlen)
{
	json_object *list = json_object_new_array();

	(void)req;
	(void)err;
	(void)errlen;
	infra_each(&d->resolver.infra, uv_now(d->loop), infra_entry, list);
	json_object_object_add(resp, "servers", list);
	return 0;
}

static int request_entry(void *arg, const struct request_info *ri)
{
	json_object *o = json_object_new_object();
	char n[NAME_STRLEN], t[16], a[SA_STRLEN];

	add_str(o, "name", name_str(ri->qname, n));
	add_str(o, "type", type_str(ri->qtype, t));
	add_u64(o, "age_ms", ri->age_ms);
	add_u64(o, "waiters", ri->waiters);
	add_u64(o, "upstream_queries", ri->queries);
	add_str(o, "state", ri->state);
	add_u64(o, "depth", ri->depth);
	add_str(o, "resolving", name_str(ri->asking, n));
	if (ri->zone)
		add_str(o, ri->forwarding ? "forward_zone" : "zone", name_str(ri->zone, n));
	if (ri->server)
		add_str(o, "server", sa_str(ri->server, true, a));
	json_object_array_add(arg, o);
	return 0;
}

static int cmd_requests(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
			size_t errlen)
{
	json_object *list = json_object_new_array();

	(void)req;
	(void)err;
	(void)errlen;
	resolver_each_request(&d->resolver, request_entry, list);
	json_object_object_add(resp, "requests", list);
	return 0;
}

static int cmd_reload(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
		      size_t errlen)
{
	char warn[1024] = "";
	int rc;

	(void)req;
	rc = daemon_reload(d, err, errlen, warn, sizeof(warn));
	if (!rc && warn[0])
		add_str(resp, "warning", warn);
	return rc;
}

static int cmd_log_level(struct daemon *d, const struct control_request *req, json_object *resp, char *err,
			 size_t errlen)
{
	int level;

	(void)d;
	if (req->level) {
		level = log_level_parse(req->level);
		if (level < 0) {
			snprintf(err, errlen, "unknown log level \"%.32s\" (error, warning, info, debug)", req->level);
			return -EINVAL;
		}
		log_set_level(level);
		log_always("control", "log level %s", log_level_name(level));
	}
	add_str(resp, "level", log_level_name(log_get_level()));
	return 0;
}

static const control_fn commands[CONTROL_N_CMDS] = {
	[CONTROL_STATUS] = cmd_status,		 [CONTROL_STATS] = cmd_stats,
	[CONTROL_FLUSH] = cmd_flush,		 [CONTROL_FLUSH_INFRA] = cmd_flush_infra,
	[CONTROL_FLUSH_NEGATIVE] = cmd_flush_negative, [CONTROL_DUMP_INFRA] = cmd_dump_infra,
	[CONTROL_REQUESTS] = cmd_requests,	 [CONTROL_RELOAD] = cmd_reload,
	[CONTROL_LOG_LEVEL] = cmd_log_level,
};

static char *handle_line(struct daemon *d, const char *line, size_t len)
{
	struct control_request req;
	char err[2048] = "";
	json_object *resp;
	int rc;

	if (control_parse(line, len, &req, err, sizeof(err)))
		return control_error_line(err);
	resp = json_object_new_object();
	rc = commands[req.cmd](d, &req, resp, err, sizeof(err));
	json_object_put(req.obj);
	if (rc) {
		json_object_put(resp);
		return control_error_line(err[0] ? err : strerror(-rc));
	}
	json_object_object_add(resp, "ok", json_object_new_boolean(1));
	return control_line(resp);
}

/* ---- connections ---- */

static void on_client_closed(uv_handle_t *h)
{
	struct control_client *c = h->data;

	if (--c->closing == 0) {
		free(c->buf);
		free(c);
	}
}

static void client_close(struct control_client *c)
{
	if (c->closing)
		return;
	c->closing = 2;
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	c->ctl->n_clients--;
	uv_timer_stop(&c->idle);
	uv_close((uv_handle_t *)&c->idle, on_client_closed);
	uv_close((uv_handle_t *)&c->pipe, on_client_closed);
}

static void on_idle(uv_timer_t *t)
{
	client_close(t->data);
}

static void on_written(uv_write_t *w, int status)
{
	(void)status;
	free(w->data);
	free(w);
}

static void client_send(struct control_client *c, char *line)
{
	uv_write_t *w;
	uv_buf_t b;

	if (!line)
		return;
	w = malloc(sizeof(*w));
	if (!w) {
		free(line);
		return;
	}
	w->data = line;
	b = uv_buf_init(line, (unsigned)strlen(line));
	if (uv_write(w, (uv_stream_t *)&c->pipe, &b, 1, on_written)) {
		free(line);
		free(w);
		return;
	}
	/* A client that does not read its answers is not kept: it would hold memory. */
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->pipe) > CONTROL_QUEUED_MAX) {
		log_warn("control: a client does not read its answers; closing it");
		client_close(c);
	}
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct control_client *c = h->data;

	(void)suggested;
	/* One byte more than a line may take, to see that a line is too long. */
	*buf = uv_buf_init(c->buf + c->len, (unsigned)(CONTROL_LINE_MAX + 1 - c->len));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct control_client *c = s->data;
	char *nl;

	(void)buf;
	if (n < 0) {
		client_close(c);
		return;
	}
	c->len += (size_t)n;
	uv_timer_again(&c->idle);
	while (!c->closing && (nl = memchr(c->buf, '\n', c->len))) {
		size_t line = (size_t)(nl - c->buf);

		client_send(c, handle_line(c->ctl->d, c->buf, line));
		memmove(c->buf, nl + 1, c->len - line - 1);
		c->len -= line + 1;
	}
	if (c->len > CONTROL_LINE_MAX) {
		char msg[64];

		snprintf(msg, sizeof(msg), "request longer than %d bytes", CONTROL_LINE_MAX);
		client_send(c, control_error_line(msg));
		client_close(c);
	}
}

static void on_connection(uv_stream_t *server, int status)
{
	struct control *ctl = server->data;
	struct control_client *c;

	if (status < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (c)
		c->buf = malloc(CONTROL_LINE_MAX + 1);
	if (!c || !c->buf || uv_pipe_init(ctl->d->loop, &c->pipe, 0)) {
		if (c)
			free(c->buf);
		free(c);
		return;
	}
	c->ctl = ctl;
	c->pipe.data = c;
	uv_timer_init(ctl->d->loop, &c->idle);
	c->idle.data = c;
	c->next = ctl->clients;
	if (c->next)
		c->next->pprev = &c->next;
	c->pprev = &ctl->clients;
	ctl->clients = c;
	ctl->n_clients++;
	if (uv_accept(server, (uv_stream_t *)&c->pipe)) {
		client_close(c);
		return;
	}
	if (ctl->n_clients > CONTROL_MAX_CLIENTS) {
		client_send(c, control_error_line("too many control connections"));
		client_close(c);
		return;
	}
	uv_timer_start(&c->idle, on_idle, CONTROL_IDLE_MS, CONTROL_IDLE_MS);
	uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
}

/* ---- the socket ---- */

static void on_server_closed(uv_handle_t *h)
{
	free(h->data);
}

/* A socket file left by an nfdnsd that is gone is replaced; a live one is not. */
static int claim_path(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, rc;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (rc == 0)
		return -EADDRINUSE;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}

int control_start(struct control **out, struct daemon *d)
{
	const struct options *o = &d->opt;
	const char *path = o->control_socket ? o->control_socket : DEFAULT_CONTROL_SOCKET;
	const char *group = o->control_group ? o->control_group : DEFAULT_CONTROL_GROUP;
	struct control *ctl;
	char dir[sizeof(ctl->path)];
	struct group *gr;
	int err;

	*out = NULL;
	if (strcmp(path, "none") == 0)
		return 0;
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return -ENOMEM;
	if (strlen(path) >= sizeof(ctl->path)) {
		free(ctl);
		log_err("control socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ctl->d = d;
	snprintf(dir, sizeof(dir), "%s", path);
	if (mkdir(dirname(dir), 0755) && errno != EEXIST)
		log_warn("cannot make the directory of %s: %s", path, strerror(errno));
	/* DNS matters more than control: without the socket nfdnsd still serves. */
	err = claim_path(path);
	if (err) {
		log_err("control socket %s: %s; running without one", path,
			err == -EADDRINUSE ? "another nfdnsd answers there" : strerror(-err));
		free(ctl);
		return 0;
	}
	uv_pipe_init(d->loop, &ctl->server, 0);
	ctl->server.data = ctl;
	/* No window with a looser mode: the socket is made 0600, then opened to the group. */
	{
		mode_t saved = umask(0177);

		err = uv_pipe_bind(&ctl->server, path);
		umask(saved);
	}
	if (!err) {
		gr = getgrnam(group);
		if (gr && chown(path, (uid_t)-1, gr->gr_gid))
			log_warn("control socket %s: group %s: %s", path, group, strerror(errno));
		if (!gr && o->control_group)
			log_warn("control socket %s: no group %s: root only", path, group);
		if (chmod(path, gr ? 0660 : 0600))
			err = -errno;
	}
	if (!err)
		err = uv_listen((uv_stream_t *)&ctl->server, 8, on_connection);
	if (err) {
		log_err("control socket %s: %s; running without one", path, strerror(-err));
		unlink(path);
		uv_close((uv_handle_t *)&ctl->server, on_server_closed);
		return 0;
	}
	log_info("control socket %s", path);
	*out = ctl;
	return 0;
}

void control_stop(struct control *ctl)
{
	if (!ctl)
		return;
	while (ctl->clients)
		client_close(ctl->clients);
	unlink(ctl->path);
	uv_close((uv_handle_t *)&ctl->server, on_server_closed);
}
