/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_KERNEL_MSG_H
#define NFDNSD_KERNEL_MSG_H

#include <stdint.h>

#include <libmnl/libmnl.h>

/* The kernel's hard bound on pending_timeout_ms (NFDNS_CONF_A_PENDING_TIMEOUT_MS). */
#define KERNEL_PENDING_TIMEOUT_MAX 60000
/* How much longer than a resolution the kernel waits: nfdnsd's answer or failure comes first. */
#define KERNEL_PENDING_MARGIN_MS 1000

/*
 * The kernel's pending timeout for a resolve-timeout-ms: a little longer,
 * so that the kernel never answers SERVFAIL for a question nfdnsd is still
 * resolving, within the kernel's bound.
 */
uint32_t kernel_pending_timeout(uint32_t resolve_timeout_ms);

/* A genetlink request header for the nfdns family in buf. */
struct nlmsghdr *kernel_msg_start(void *buf, uint16_t family, uint8_t cmd, uint16_t flags, uint32_t seq);
/* CONFIG_SET of the pending timeout, acknowledged; returns the message. */
struct nlmsghdr *kernel_msg_pending_timeout(void *buf, uint16_t family, uint32_t seq, uint32_t timeout_ms);

#endif
