/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_ROOTHINTS_H
#define NFDNSD_ROOTHINTS_H

extern const char builtin_root_hints[];

#endif
