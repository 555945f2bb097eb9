/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_UTIL_H
#define NFDNSD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Enough for "[ffff:...:255.255.255.255]:65535". */
#define SA_STRLEN 64

uint32_t rnd_u32(void);
/* Uniform in [0, bound). */
uint32_t rnd_below(uint32_t bound);

bool sa_equal(const struct sockaddr *a, const struct sockaddr *b);
socklen_t sa_len(const struct sockaddr *sa);
uint16_t sa_port(const struct sockaddr *sa);
void sa_set_port(struct sockaddr *sa, uint16_t port);
/* "127.0.0.1", "::1"; with_port adds ":53" or "[::1]:53". */
const char *sa_str(const struct sockaddr *sa, bool with_port, char buf[SA_STRLEN]);

uint64_t hash_bytes(uint64_t seed, const void *data, size_t len);

#endif
