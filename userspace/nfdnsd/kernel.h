/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_KERNEL_H
#define NFDNSD_KERNEL_H

#include <uv.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "resolve.h"

struct kernel_link;

/* Never fails for want of the module: it keeps trying to register. */
int kernel_start(struct kernel_link **out, uv_loop_t *loop, struct resolver *r, const struct options *opt);
/* Unregisters and closes; kernel_free once the loop has run the close callbacks. */
void kernel_stop(struct kernel_link *k);
void kernel_free(struct kernel_link *k);
/* Whether the module takes this nfdnsd's answers now, and since when (seconds of CLOCK_REALTIME; 0: never). */
bool kernel_registered(const struct kernel_link *k, time_t *since);
/* Deletes the kernel's entries of a wire name (and below it, with subtree); -errno when not registered. */
int kernel_cache_del(struct kernel_link *k, const uint8_t *name, size_t len, bool subtree);
/*
 * The local data changed (a reload): the old static entries go, and the
 * new rules and entries are pushed.  old is the local data before.
 */
/*
 * Deletes every negative entry of the kernel's cache (a dump, then one
 * delete per question), waiting for the kernel's answers; *count: entries
 * deleted.  -errno, -ENOENT without the module.
 */
int kernel_flush_negative(uint64_t *count);
/* The module's counters (NFDNS_CMD_STATS_GET) into vals[attr], n of them; -errno, -ENOENT without the module. */
int kernel_stats_read(uint64_t *vals, size_t n);
void kernel_local_changed(struct kernel_link *k, const struct localdata *old);

#endif
