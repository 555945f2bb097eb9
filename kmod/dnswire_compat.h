/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfdns: the few types and helpers dnswire.c needs.
 *
 * dnswire.c is built into the module, into the host unit tests and into
 * the fuzzer.  Inside the kernel this header pulls in the kernel's own
 * definitions; elsewhere it provides the same names from libc.
 */
#ifndef _NFDNS_DNSWIRE_COMPAT_H
#define _NFDNS_DNSWIRE_COMPAT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
/* The header moved out of asm/ in 6.12; Kbuild says where it is. */
#ifdef NFDNS_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#else /* !__KERNEL__ */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_unaligned_be16(u16 val, void *p)
{
	u8 *b = p;

	b[0] = val >> 8;
	b[1] = val & 0xff;
}

static inline void put_unaligned_be32(u32 val, void *p)
{
	u8 *b = p;

	b[0] = val >> 24;
	b[1] = (val >> 16) & 0xff;
	b[2] = (val >> 8) & 0xff;
	b[3] = val & 0xff;
}

#endif /* __KERNEL__ */

#endif /* _NFDNS_DNSWIRE_COMPAT_H */
