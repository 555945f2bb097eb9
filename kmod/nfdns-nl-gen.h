/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	kmod/nfdns.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_NFDNS_GEN_H
#define _LINUX_NFDNS_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/nfdns.h>

/* Common nested types */
extern const struct nla_policy nfdns_addrs_nl_policy[NFDNS_CONF_A_ADDR6 + 1];
extern const struct nla_policy nfdns_clients_nl_policy[NFDNS_CONF_A_CLIENT6 + 1];
extern const struct nla_policy nfdns_config_nl_policy[NFDNS_CONF_A_PREFETCH_ADAPTIVE + 1];
extern const struct nla_policy nfdns_ifaces_nl_policy[NFDNS_CONF_A_IFNAME + 1];
extern const struct nla_policy nfdns_local_nl_policy[NFDNS_LOCAL_A_TTL + 1];
extern const struct nla_policy nfdns_ports_nl_policy[NFDNS_CONF_A_PORT + 1];

extern const struct nla_policy nfdns_resolver_register_nl_policy[NFDNS_A_PAD + 1];

extern const struct nla_policy nfdns_resolver_unregister_nl_policy[NFDNS_A_PAD + 1];

extern const struct nla_policy nfdns_cache_put_nl_policy[NFDNS_A_CD + 1];

extern const struct nla_policy nfdns_cache_fail_nl_policy[NFDNS_A_CD + 1];

extern const struct nla_policy nfdns_cache_get_nl_policy[NFDNS_A_CD + 1];

extern const struct nla_policy nfdns_cache_del_nl_policy[NFDNS_A_SUBTREE + 1];

extern const struct nla_policy nfdns_cache_flush_nl_policy[NFDNS_A_PAD + 1];

extern const struct nla_policy nfdns_stats_get_nl_policy[NFDNS_A_PAD + 1];

extern const struct nla_policy nfdns_config_get_nl_policy[NFDNS_A_PAD + 1];

extern const struct nla_policy nfdns_config_set_nl_policy[NFDNS_A_CONFIG + 1];

extern const struct nla_policy nfdns_local_add_nl_policy[NFDNS_A_LOCAL + 1];

extern const struct nla_policy nfdns_local_commit_nl_policy[NFDNS_A_PAD + 1];

extern const struct nla_policy nfdns_local_abort_nl_policy[NFDNS_A_PAD + 1];

/* Ops table for nfdns */
extern const struct genl_ops nfdns_nl_ops[13];

int nfdns_nl_resolver_register_doit(struct sk_buff *skb,
				    struct genl_info *info);
int nfdns_nl_resolver_unregister_doit(struct sk_buff *skb,
				      struct genl_info *info);
int nfdns_nl_cache_put_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_cache_fail_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_cache_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_cache_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int nfdns_nl_cache_del_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_cache_flush_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_local_add_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_local_commit_doit(struct sk_buff *skb, struct genl_info *info);
int nfdns_nl_local_abort_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _LINUX_NFDNS_GEN_H */
