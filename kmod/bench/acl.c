// SPDX-License-Identifier: GPL-2.0
/* acl.c, built into the bench module so that nothing needs exporting. */
#include "../acl.c"
