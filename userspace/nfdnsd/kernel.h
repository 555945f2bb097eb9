/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_KERNEL_H
#define NFDNSD_KERNEL_H

#include <uv.h>

#include "config.h"
#include "resolve.h"

struct kernel_link;

/* Never fails for want of the module: it keeps trying to register. */
int kernel_start(struct kernel_link **out, uv_loop_t *loop, struct resolver *r, const struct options *opt);
/* Unregisters and closes; kernel_free once the loop has run the close callbacks. */
void kernel_stop(struct kernel_link *k);
void kernel_free(struct kernel_link *k);

#endif
