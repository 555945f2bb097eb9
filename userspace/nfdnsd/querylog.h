/* SPDX-License-Identifier: GPL-2.0 */
/* The query log: one line per client question answered, at a bounded rate. */
#ifndef NFDNSD_QUERYLOG_H
#define NFDNSD_QUERYLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ldns/ldns.h>

/* lines_per_s 0: off. */
void querylog_setup(uint32_t lines_per_s);
/* client NULL: a kernel miss (the kernel keeps the client); via "udp", "tcp" or "kernel". */
void querylog_answer(const char *via, const struct sockaddr *client, const ldns_rr *question, int rcode,
		     size_t answers, bool from_cache, uint64_t now_ms, uint64_t ms);

#endif
