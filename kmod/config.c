// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: settings of a network namespace, their defaults and their limits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/string.h>

#include "internal.h"

#define NFDNS_TTL_CEILING	604800U		/* one week */

/**
 * nfdns_config_defaults() - fill in the settings of a new namespace
 * @c: configuration to fill
 */
void nfdns_config_defaults(struct nfdns_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_bytes = 64ULL << 20;
	c->max_entries = 262144;
	c->min_ttl = 0;
	c->max_ttl = 86400;
	c->neg_max_ttl = 3600;
	c->pending_timeout_ms = 5000;
	c->max_pending = 4096;
	c->max_waiters = 64;
	c->mark = NFDNS_DEFAULT_MARK;
	c->serve_stale = 0;
	c->norecurse_pass = true;
	c->enabled = true;
	c->n_ports = 1;
	c->ports[0] = 53;
}

/**
 * nfdns_config_check() - check that settings make sense together
 * @c: configuration to check
 * @why: set to a human-readable reason on failure
 *
 * Return: 0, or -EINVAL with @why set.
 */
int nfdns_config_check(const struct nfdns_config *c, const char **why)
{
	unsigned int i;

	if (c->max_bytes < 4096 || c->max_bytes > (1ULL << 40)) {
		*why = "max_bytes must be between 4096 and 2^40";
		return -EINVAL;
	}
	if (c->max_entries < 1 || c->max_entries > (1U << 24)) {
		*why = "max_entries must be between 1 and 2^24";
		return -EINVAL;
	}
	if (c->max_ttl > NFDNS_TTL_CEILING || c->neg_max_ttl > NFDNS_TTL_CEILING) {
		*why = "TTL limits must not exceed 604800 seconds";
		return -EINVAL;
	}
	if (c->min_ttl > c->max_ttl) {
		*why = "min_ttl must not exceed max_ttl";
		return -EINVAL;
	}
	if (c->pending_timeout_ms < 100 || c->pending_timeout_ms > 60000) {
		*why = "pending_timeout_ms must be between 100 and 60000";
		return -EINVAL;
	}
	if (c->max_pending < 1 || c->max_pending > 65536) {
		*why = "max_pending must be between 1 and 65536";
		return -EINVAL;
	}
	if (c->max_waiters < 1 || c->max_waiters > 4096) {
		*why = "max_waiters must be between 1 and 4096";
		return -EINVAL;
	}
	if (c->serve_stale > NFDNS_TTL_CEILING) {
		*why = "serve_stale must not exceed 604800 seconds";
		return -EINVAL;
	}
	if (c->n_ports < 1 || c->n_ports > NFDNS_MAX_PORTS) {
		*why = "between 1 and 8 ports must be intercepted";
		return -EINVAL;
	}
	for (i = 0; i < c->n_ports; i++) {
		if (!c->ports[i]) {
			*why = "port 0 cannot be intercepted";
			return -EINVAL;
		}
	}
	if (c->n_addr4 > NFDNS_MAX_ADDRS || c->n_addr6 > NFDNS_MAX_ADDRS) {
		*why = "at most 16 addresses per family";
		return -EINVAL;
	}
	return 0;
}
