/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_SERVER_H
#define NFDNSD_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include <ldns/ldns.h>
#include <uv.h>

#include "config.h"
#include "resolve.h"

struct service;

/* Binds UDP and TCP on every listen address; fails if any cannot be bound. */
int service_start(struct service **out, uv_loop_t *loop, struct resolver *r, const struct options *opt);
/* Closes the listeners and drops every client question in flight. */
void service_stop(struct service *s);
/* After the loop has run the close callbacks. */
void service_free(struct service *s);

/* One line for the trace/log about an answered client question. */
void trace_answered(const char *via, const struct sockaddr *client, const ldns_rr *question,
		    const struct resolve_result *res, uint64_t start_ms, uint64_t now_ms);

#endif
