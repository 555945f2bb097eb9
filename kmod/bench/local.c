// SPDX-License-Identifier: GPL-2.0
/* local.c, built into the bench module so that nothing needs exporting. */
#include "../local.c"
