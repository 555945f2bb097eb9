// SPDX-License-Identifier: GPL-2.0
/* The policies and op table generated from the spec, for netlink.c. */
#include "../compat.h"
#include "../nfdns-nl-gen.c"
