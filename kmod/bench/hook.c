// SPDX-License-Identifier: GPL-2.0
/* hook.c, built into the bench module so that nothing needs exporting. */
#include "../hook.c"

#include "hitbench.h"

const struct nf_hook_ops *const nfdns_hitbench_ops = &nfdns_hook_ops[0];
