// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics endpoint: GET /metrics answers the Prometheus text format
 * (stats_prometheus(): nfdnsd's counters, gauges, latency histograms and
 * the kernel module's counters).  libmicrohttpd does the HTTP; it runs
 * without threads of its own, from the event loop: its epoll descriptor
 * is watched by libuv, and MHD_run() is called when it is ready and when
 * its timeout passes.  Bound to loopback unless told otherwise.
 */
#include "metrics.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "stats.h"
#include "util.h"

#define METRICS_MAX_CONNECTIONS 16
#define METRICS_TIMEOUT_S 10
#define METRICS_MAX_PER_CLIENT 8
#define METRICS_MEMORY_PER_CONNECTION (64 * 1024)

struct metrics {
	struct MHD_Daemon *mhd;
	uv_poll_t poll;
	uv_timer_t timer;
	int closing;
};

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *type, char *body,
			     size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	char *text = NULL;

	(void)cls;
	(void)version;
	(void)upload_data;
	(void)req_cls;
	if (*upload_data_size)
		return MHD_NO;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", strdup("GET only\n"), 9);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain", strdup("/metrics only\n"), 14);
	if (stats_prometheus(&text))
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", strdup("out of memory\n"), 14);
	return reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
}

static void on_timer(uv_timer_t *t);

/* Runs what is ready, then waits again, at most as long as MHD says. */
static void run_mhd(struct metrics *m)
{
	MHD_UNSIGNED_LONG_LONG ms = 0;

	MHD_run(m->mhd);
	if (MHD_get_timeout(m->mhd, &ms) == MHD_YES)
		uv_timer_start(&m->timer, on_timer, ms, 0);
	else
		uv_timer_stop(&m->timer);
}

static void on_timer(uv_timer_t *t)
{
	run_mhd(t->data);
}

static void on_poll(uv_poll_t *p, int status, int events)
{
	(void)status;
	(void)events;
	run_mhd(p->data);
}

int metrics_start(struct metrics **out, uv_loop_t *loop, const struct options *o)
{
	struct sockaddr_storage addr;
	const union MHD_DaemonInfo *info;
	struct metrics *m;
	char a[SA_STRLEN];
	int err;

	*out = NULL;
	if (!o->metrics)
		return 0;
	/* A port alone is loopback's. */
	if (parse_address(o->metrics, 9153, &addr) &&
	    (strspn(o->metrics, "0123456789") != strlen(o->metrics) ||
	     parse_address("127.0.0.1", (uint16_t)atoi(o->metrics), &addr))) {
		log_err("metrics: not an address: %s", o->metrics);
		return -EINVAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->mhd = MHD_start_daemon(MHD_USE_EPOLL | (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
				  on_request, m, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)METRICS_MAX_CONNECTIONS,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)METRICS_MAX_PER_CLIENT,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)METRICS_MEMORY_PER_CONNECTION,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)METRICS_TIMEOUT_S, MHD_OPTION_END);
	info = m->mhd ? MHD_get_daemon_info(m->mhd, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
	if (!info) {
		err = errno ? -errno : -EINVAL;
		log_err("metrics: cannot serve on %s: %s", sa_str((struct sockaddr *)&addr, true, a), strerror(-err));
		if (m->mhd)
			MHD_stop_daemon(m->mhd);
		free(m);
		return err;
	}
	uv_poll_init(loop, &m->poll, info->epoll_fd);
	uv_timer_init(loop, &m->timer);
	m->poll.data = m->timer.data = m;
	uv_poll_start(&m->poll, UV_READABLE, on_poll);
	log_info("metrics on http://%s/metrics", sa_str((struct sockaddr *)&addr, true, a));
	*out = m;
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	struct metrics *m = h->data;

	if (--m->closing == 0) {
		MHD_stop_daemon(m->mhd);
		free(m);
	}
}

void metrics_stop(struct metrics *m)
{
	if (!m)
		return;
	m->closing = 2;
	uv_poll_stop(&m->poll);
	uv_timer_stop(&m->timer);
	uv_close((uv_handle_t *)&m->poll, on_closed);
	uv_close((uv_handle_t *)&m->timer, on_closed);
}
