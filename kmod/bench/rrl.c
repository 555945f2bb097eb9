// SPDX-License-Identifier: GPL-2.0
/* rrl.c, built into the bench module so that nothing needs exporting. */
#include "../rrl.c"
