// SPDX-License-Identifier: GPL-2.0
/* netlink.c, built into the bench module so that nothing needs exporting. */
#include "../netlink.c"
