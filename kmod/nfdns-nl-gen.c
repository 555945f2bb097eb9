// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	kmod/nfdns.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "nfdns-nl-gen.h"

#include <uapi/linux/nfdns.h>

/* Integer value ranges */
static const struct netlink_range_validation nfdns_local_a_ttl_range = {
	.max	= NFDNS_TTL_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_max_bytes_range = {
	.min	= NFDNS_MAX_BYTES_MIN,
	.max	= NFDNS_MAX_BYTES_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_max_entries_range = {
	.min	= 1ULL,
	.max	= NFDNS_MAX_ENTRIES_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_min_ttl_range = {
	.max	= NFDNS_TTL_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_max_ttl_range = {
	.max	= NFDNS_TTL_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_neg_max_ttl_range = {
	.max	= NFDNS_TTL_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_pending_timeout_ms_range = {
	.min	= NFDNS_PENDING_TIMEOUT_MS_MIN,
	.max	= NFDNS_PENDING_TIMEOUT_MS_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_max_pending_range = {
	.min	= 1ULL,
	.max	= NFDNS_MAX_PENDING_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_serve_stale_range = {
	.max	= NFDNS_TTL_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_rrl_rate_range = {
	.max	= NFDNS_RRL_RATE_MAX,
};

static const struct netlink_range_validation nfdns_conf_a_stale_answer_ms_range = {
	.max	= NFDNS_STALE_ANSWER_MS_MAX,
};

/* Common nested types */
const struct nla_policy nfdns_addrs_nl_policy[NFDNS_CONF_A_ADDR6 + 1] = {
	[NFDNS_CONF_A_ADDR4] = { .type = NLA_U32, },
	[NFDNS_CONF_A_ADDR6] = NLA_POLICY_EXACT_LEN(16),
};

const struct nla_policy nfdns_clients_nl_policy[NFDNS_CONF_A_CLIENT6 + 1] = {
	[NFDNS_CONF_A_CLIENT4] = NLA_POLICY_EXACT_LEN(5),
	[NFDNS_CONF_A_CLIENT6] = NLA_POLICY_EXACT_LEN(17),
};

const struct nla_policy nfdns_config_nl_policy[NFDNS_CONF_A_PREFETCH_ADAPTIVE + 1] = {
	[NFDNS_CONF_A_MAX_BYTES] = NLA_POLICY_FULL_RANGE(NLA_U64, &nfdns_conf_a_max_bytes_range),
	[NFDNS_CONF_A_MAX_ENTRIES] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_conf_a_max_entries_range),
	[NFDNS_CONF_A_MIN_TTL] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_conf_a_min_ttl_range),
	[NFDNS_CONF_A_MAX_TTL] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_conf_a_max_ttl_range),
	[NFDNS_CONF_A_NEG_MAX_TTL] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_conf_a_neg_max_ttl_range),
	[NFDNS_CONF_A_PENDING_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_conf_a_pending_timeout_ms_range),
	[NFDNS_CONF_A_MAX_PENDING] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_conf_a_max_pending_range),
	[NFDNS_CONF_A_MAX_WAITERS] = NLA_POLICY_RANGE(NLA_U32, 1, NFDNS_MAX_WAITERS_MAX),
	[NFDNS_CONF_A_MARK] = { .type = NLA_U32, },
	[NFDNS_CONF_A_SERVE_STALE] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_conf_a_serve_stale_range),
	[NFDNS_CONF_A_NORECURSE_PASS] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFDNS_CONF_A_PORTS] = NLA_POLICY_NESTED(nfdns_ports_nl_policy),
	[NFDNS_CONF_A_ADDRS] = NLA_POLICY_NESTED(nfdns_addrs_nl_policy),
	[NFDNS_CONF_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[NFDNS_CONF_A_ADDR4] = { .type = NLA_U32, },
	[NFDNS_CONF_A_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[NFDNS_CONF_A_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFDNS_CONF_A_CLIENTS] = NLA_POLICY_NESTED(nfdns_clients_nl_policy),
	[NFDNS_CONF_A_CLIENT4] = NLA_POLICY_EXACT_LEN(5),
	[NFDNS_CONF_A_CLIENT6] = NLA_POLICY_EXACT_LEN(17),
	[NFDNS_CONF_A_IFACES] = NLA_POLICY_NESTED(nfdns_ifaces_nl_policy),
	[NFDNS_CONF_A_IFNAME] = { .type = NLA_NUL_STRING, .len = NFDNS_IFNAME_MAX, },
	[NFDNS_CONF_A_RRL_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_conf_a_rrl_rate_range),
	[NFDNS_CONF_A_RRL_SLIP] = NLA_POLICY_MAX(NLA_U32, NFDNS_RRL_SLIP_MAX),
	[NFDNS_CONF_A_RRL_PREFIX4] = NLA_POLICY_RANGE(NLA_U8, NFDNS_RRL_PREFIX4_MIN, 32),
	[NFDNS_CONF_A_RRL_PREFIX6] = NLA_POLICY_RANGE(NLA_U8, NFDNS_RRL_PREFIX6_MIN, 128),
	[NFDNS_CONF_A_PREFETCH_PCT] = NLA_POLICY_MAX(NLA_U32, NFDNS_PREFETCH_PCT_MAX),
	[NFDNS_CONF_A_STALE_ANSWER_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_conf_a_stale_answer_ms_range),
	[NFDNS_CONF_A_STALE_WITHOUT_RESOLVER] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFDNS_CONF_A_PREFETCH_ADAPTIVE] = NLA_POLICY_MAX(NLA_U8, 1),
};

const struct nla_policy nfdns_ifaces_nl_policy[NFDNS_CONF_A_IFNAME + 1] = {
	[NFDNS_CONF_A_IFNAME] = { .type = NLA_NUL_STRING, .len = NFDNS_IFNAME_MAX, },
};

const struct nla_policy nfdns_local_nl_policy[NFDNS_LOCAL_A_TTL + 1] = {
	[NFDNS_LOCAL_A_NAME] = { .type = NLA_BINARY, },
	[NFDNS_LOCAL_A_MATCH] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFDNS_LOCAL_A_ACTION] = NLA_POLICY_MAX(NLA_U8, 3),
	[NFDNS_LOCAL_A_ADDR4] = { .type = NLA_U32, },
	[NFDNS_LOCAL_A_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[NFDNS_LOCAL_A_TTL] = NLA_POLICY_FULL_RANGE(NLA_U32, &nfdns_local_a_ttl_range),
};

const struct nla_policy nfdns_ports_nl_policy[NFDNS_CONF_A_PORT + 1] = {
	[NFDNS_CONF_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

/* NFDNS_CMD_RESOLVER_REGISTER - do */
const struct nla_policy nfdns_resolver_register_nl_policy[NFDNS_A_PAD + 1] = {
};

/* NFDNS_CMD_RESOLVER_UNREGISTER - do */
const struct nla_policy nfdns_resolver_unregister_nl_policy[NFDNS_A_PAD + 1] = {
};

/* NFDNS_CMD_CACHE_PUT - do */
const struct nla_policy nfdns_cache_put_nl_policy[NFDNS_A_CD + 1] = {
	[NFDNS_A_QNAME] = { .type = NLA_BINARY, },
	[NFDNS_A_QTYPE] = { .type = NLA_U16, },
	[NFDNS_A_QCLASS] = { .type = NLA_U16, },
	[NFDNS_A_DO] = { .type = NLA_FLAG, },
	[NFDNS_A_CD] = { .type = NLA_FLAG, },
	[NFDNS_A_RESPONSE] = { .type = NLA_BINARY, },
	[NFDNS_A_TTL] = { .type = NLA_U32, },
	[NFDNS_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0xf),
};

/* NFDNS_CMD_CACHE_FAIL - do */
const struct nla_policy nfdns_cache_fail_nl_policy[NFDNS_A_CD + 1] = {
	[NFDNS_A_QNAME] = { .type = NLA_BINARY, },
	[NFDNS_A_QTYPE] = { .type = NLA_U16, },
	[NFDNS_A_QCLASS] = { .type = NLA_U16, },
	[NFDNS_A_DO] = { .type = NLA_FLAG, },
	[NFDNS_A_CD] = { .type = NLA_FLAG, },
	[NFDNS_A_RCODE] = NLA_POLICY_MAX(NLA_U8, 15),
	[NFDNS_A_TTL] = { .type = NLA_U32, },
};

/* NFDNS_CMD_CACHE_GET - do */
const struct nla_policy nfdns_cache_get_nl_policy[NFDNS_A_CD + 1] = {
	[NFDNS_A_QNAME] = { .type = NLA_BINARY, },
	[NFDNS_A_QTYPE] = { .type = NLA_U16, },
	[NFDNS_A_QCLASS] = { .type = NLA_U16, },
	[NFDNS_A_DO] = { .type = NLA_FLAG, },
	[NFDNS_A_CD] = { .type = NLA_FLAG, },
};

/* NFDNS_CMD_CACHE_DEL - do */
const struct nla_policy nfdns_cache_del_nl_policy[NFDNS_A_SUBTREE + 1] = {
	[NFDNS_A_QNAME] = { .type = NLA_BINARY, },
	[NFDNS_A_QTYPE] = { .type = NLA_U16, },
	[NFDNS_A_SUBTREE] = { .type = NLA_FLAG, },
};

/* NFDNS_CMD_CACHE_FLUSH - do */
const struct nla_policy nfdns_cache_flush_nl_policy[NFDNS_A_PAD + 1] = {
};

/* NFDNS_CMD_STATS_GET - do */
const struct nla_policy nfdns_stats_get_nl_policy[NFDNS_A_PAD + 1] = {
};

/* NFDNS_CMD_CONFIG_GET - do */
const struct nla_policy nfdns_config_get_nl_policy[NFDNS_A_PAD + 1] = {
};

/* NFDNS_CMD_CONFIG_SET - do */
const struct nla_policy nfdns_config_set_nl_policy[NFDNS_A_CONFIG + 1] = {
	[NFDNS_A_CONFIG] = NLA_POLICY_NESTED(nfdns_config_nl_policy),
};

/* NFDNS_CMD_LOCAL_ADD - do */
const struct nla_policy nfdns_local_add_nl_policy[NFDNS_A_LOCAL + 1] = {
	[NFDNS_A_LOCAL] = NLA_POLICY_NESTED(nfdns_local_nl_policy),
};

/* NFDNS_CMD_LOCAL_COMMIT - do */
const struct nla_policy nfdns_local_commit_nl_policy[NFDNS_A_PAD + 1] = {
};

/* NFDNS_CMD_LOCAL_ABORT - do */
const struct nla_policy nfdns_local_abort_nl_policy[NFDNS_A_PAD + 1] = {
};

/* Ops table for nfdns */
const struct genl_ops nfdns_nl_ops[13] = {
	{
		.cmd		= NFDNS_CMD_RESOLVER_REGISTER,
		.doit		= nfdns_nl_resolver_register_doit,
		.policy		= nfdns_resolver_register_nl_policy,
		.maxattr	= NFDNS_A_PAD,
	},
	{
		.cmd		= NFDNS_CMD_RESOLVER_UNREGISTER,
		.doit		= nfdns_nl_resolver_unregister_doit,
		.policy		= nfdns_resolver_unregister_nl_policy,
		.maxattr	= NFDNS_A_PAD,
	},
	{
		.cmd		= NFDNS_CMD_CACHE_PUT,
		.doit		= nfdns_nl_cache_put_doit,
		.policy		= nfdns_cache_put_nl_policy,
		.maxattr	= NFDNS_A_CD,
	},
	{
		.cmd		= NFDNS_CMD_CACHE_FAIL,
		.doit		= nfdns_nl_cache_fail_doit,
		.policy		= nfdns_cache_fail_nl_policy,
		.maxattr	= NFDNS_A_CD,
	},
	{
		.cmd		= NFDNS_CMD_CACHE_GET,
		.doit		= nfdns_nl_cache_get_doit,
		.dumpit		= nfdns_nl_cache_get_dumpit,
		.policy		= nfdns_cache_get_nl_policy,
		.maxattr	= NFDNS_A_CD,
	},
	{
		.cmd		= NFDNS_CMD_CACHE_DEL,
		.doit		= nfdns_nl_cache_del_doit,
		.policy		= nfdns_cache_del_nl_policy,
		.maxattr	= NFDNS_A_SUBTREE,
	},
	{
		.cmd		= NFDNS_CMD_CACHE_FLUSH,
		.doit		= nfdns_nl_cache_flush_doit,
		.policy		= nfdns_cache_flush_nl_policy,
		.maxattr	= NFDNS_A_PAD,
	},
	{
		.cmd		= NFDNS_CMD_STATS_GET,
		.doit		= nfdns_nl_stats_get_doit,
		.policy		= nfdns_stats_get_nl_policy,
		.maxattr	= NFDNS_A_PAD,
	},
	{
		.cmd		= NFDNS_CMD_CONFIG_GET,
		.doit		= nfdns_nl_config_get_doit,
		.policy		= nfdns_config_get_nl_policy,
		.maxattr	= NFDNS_A_PAD,
	},
	{
		.cmd		= NFDNS_CMD_CONFIG_SET,
		.doit		= nfdns_nl_config_set_doit,
		.policy		= nfdns_config_set_nl_policy,
		.maxattr	= NFDNS_A_CONFIG,
	},
	{
		.cmd		= NFDNS_CMD_LOCAL_ADD,
		.doit		= nfdns_nl_local_add_doit,
		.policy		= nfdns_local_add_nl_policy,
		.maxattr	= NFDNS_A_LOCAL,
	},
	{
		.cmd		= NFDNS_CMD_LOCAL_COMMIT,
		.doit		= nfdns_nl_local_commit_doit,
		.policy		= nfdns_local_commit_nl_policy,
		.maxattr	= NFDNS_A_PAD,
	},
	{
		.cmd		= NFDNS_CMD_LOCAL_ABORT,
		.doit		= nfdns_nl_local_abort_doit,
		.policy		= nfdns_local_abort_nl_policy,
		.maxattr	= NFDNS_A_PAD,
	},
};
