/* SPDX-License-Identifier: GPL-2.0 */
/* GET /metrics: Prometheus text, over libmicrohttpd run from the libuv loop. */
#ifndef NFDNSD_METRICS_H
#define NFDNSD_METRICS_H

#include <uv.h>

struct metrics;
struct options;

/* Serves on o->metrics (nothing when unset).  -errno, logged. */
int metrics_start(struct metrics **out, uv_loop_t *loop, const struct options *o);
void metrics_stop(struct metrics *m);

#endif
