// SPDX-License-Identifier: GPL-2.0
/* cache.c, built into the bench module so that nothing needs exporting. */
#include "../cache.c"
