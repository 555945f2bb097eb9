// SPDX-License-Identifier: GPL-2.0
/* dnswire.c, built into the bench module so that nothing needs exporting. */
#include "../dnswire.c"
