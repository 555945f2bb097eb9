// SPDX-License-Identifier: GPL-2.0
/* pending.c, built into the bench module so that nothing needs exporting. */
#include "../pending.c"
