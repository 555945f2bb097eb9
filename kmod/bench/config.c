// SPDX-License-Identifier: GPL-2.0
/* config.c, built into the bench module so that nothing needs exporting. */
#include "../config.c"
