// SPDX-License-Identifier: GPL-2.0
#include "trace.h"

bool trace_on;
