// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: the "nfdns" generic netlink family (see uapi/linux/nfdns.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "internal.h"

static struct genl_family nfdns_genl_family;

/*
 * NL_SET_ERR_MSG() takes a literal; reasons chosen at run time are static
 * strings too, so they can be stored the same way.
 */
static void nfdns_set_err_msg(struct netlink_ext_ack *extack, const char *why)
{
	if (extack)
		extack->_msg = why;
}

/* Commands that carry no attributes refuse any. */
static const struct nla_policy nfdns_no_attrs_policy[NFDNS_A_MAX + 1] = {
};

static const struct nla_policy nfdns_ports_policy[NFDNS_CONF_A_MAX + 1] = {
	[NFDNS_CONF_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy nfdns_addrs_policy[NFDNS_CONF_A_MAX + 1] = {
	[NFDNS_CONF_A_ADDR4] = { .type = NLA_BE32 },
	[NFDNS_CONF_A_ADDR6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

static const struct nla_policy nfdns_config_policy[NFDNS_CONF_A_MAX + 1] = {
	[NFDNS_CONF_A_MAX_BYTES] = { .type = NLA_U64 },
	[NFDNS_CONF_A_MAX_ENTRIES] = { .type = NLA_U32 },
	[NFDNS_CONF_A_MIN_TTL] = { .type = NLA_U32 },
	[NFDNS_CONF_A_MAX_TTL] = { .type = NLA_U32 },
	[NFDNS_CONF_A_NEG_MAX_TTL] = { .type = NLA_U32 },
	[NFDNS_CONF_A_PENDING_TIMEOUT_MS] = { .type = NLA_U32 },
	[NFDNS_CONF_A_MAX_PENDING] = { .type = NLA_U32 },
	[NFDNS_CONF_A_MAX_WAITERS] = { .type = NLA_U32 },
	[NFDNS_CONF_A_MARK] = { .type = NLA_U32 },
	[NFDNS_CONF_A_SERVE_STALE] = { .type = NLA_U32 },
	[NFDNS_CONF_A_NORECURSE_PASS] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFDNS_CONF_A_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[NFDNS_CONF_A_PORTS] = NLA_POLICY_NESTED(nfdns_ports_policy),
	[NFDNS_CONF_A_ADDRS] = NLA_POLICY_NESTED(nfdns_addrs_policy),
};

static const struct nla_policy nfdns_config_set_policy[NFDNS_A_MAX + 1] = {
	[NFDNS_A_CONFIG] = NLA_POLICY_NESTED(nfdns_config_policy),
};

/*
 * The family's GENL_UNS_ADMIN_PERM check refuses without a message; doing
 * it here lets the caller learn which capability is missing.
 */
static bool nfdns_admin(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);

	if (netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN))
		return true;
	NL_SET_ERR_MSG(info->extack, "nfdns: CAP_NET_ADMIN is required");
	return false;
}

static int nfdns_put_config(struct sk_buff *msg, const struct nfdns_config *c)
{
	struct nlattr *nest, *list;
	unsigned int i;

	nest = nla_nest_start(msg, NFDNS_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, NFDNS_CONF_A_MAX_BYTES, c->max_bytes,
			      NFDNS_CONF_A_PAD) ||
	    nla_put_u32(msg, NFDNS_CONF_A_MAX_ENTRIES, c->max_entries) ||
	    nla_put_u32(msg, NFDNS_CONF_A_MIN_TTL, c->min_ttl) ||
	    nla_put_u32(msg, NFDNS_CONF_A_MAX_TTL, c->max_ttl) ||
	    nla_put_u32(msg, NFDNS_CONF_A_NEG_MAX_TTL, c->neg_max_ttl) ||
	    nla_put_u32(msg, NFDNS_CONF_A_PENDING_TIMEOUT_MS,
			c->pending_timeout_ms) ||
	    nla_put_u32(msg, NFDNS_CONF_A_MAX_PENDING, c->max_pending) ||
	    nla_put_u32(msg, NFDNS_CONF_A_MAX_WAITERS, c->max_waiters) ||
	    nla_put_u32(msg, NFDNS_CONF_A_MARK, c->mark) ||
	    nla_put_u32(msg, NFDNS_CONF_A_SERVE_STALE, c->serve_stale) ||
	    nla_put_u8(msg, NFDNS_CONF_A_NORECURSE_PASS, c->norecurse_pass) ||
	    nla_put_u8(msg, NFDNS_CONF_A_ENABLED, c->enabled))
		goto cancel;

	list = nla_nest_start(msg, NFDNS_CONF_A_PORTS);
	if (!list)
		goto cancel;
	for (i = 0; i < c->n_ports; i++)
		if (nla_put_u16(msg, NFDNS_CONF_A_PORT, c->ports[i]))
			goto cancel;
	nla_nest_end(msg, list);

	list = nla_nest_start(msg, NFDNS_CONF_A_ADDRS);
	if (!list)
		goto cancel;
	for (i = 0; i < c->n_addr4; i++)
		if (nla_put_be32(msg, NFDNS_CONF_A_ADDR4, c->addr4[i]))
			goto cancel;
	for (i = 0; i < c->n_addr6; i++)
		if (nla_put_in6_addr(msg, NFDNS_CONF_A_ADDR6, &c->addr6[i]))
			goto cancel;
	nla_nest_end(msg, list);

	nla_nest_end(msg, nest);
	return 0;

cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int nfdns_cmd_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	struct nfdns_config *copy;
	struct sk_buff *msg;
	u32 portid;
	void *hdr;
	int err;

	copy = kmalloc(sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	rcu_read_lock();
	memcpy(copy, rcu_dereference(nn->config), sizeof(*copy));
	rcu_read_unlock();
	spin_lock_bh(&nn->resolver_lock);
	portid = nn->resolver_portid;
	spin_unlock_bh(&nn->resolver_lock);

	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &nfdns_genl_family, 0,
				NFDNS_CMD_CONFIG_GET);
	if (!hdr)
		goto err_msg;
	err = nfdns_put_config(msg, copy);
	if (err)
		goto err_msg;
	if (portid && nla_put_u32(msg, NFDNS_A_RESOLVER_PID, portid)) {
		err = -EMSGSIZE;
		goto err_msg;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	goto out;

err_msg:
	nlmsg_free(msg);
out:
	kfree(copy);
	return err;
}

static int nfdns_parse_ports(struct nfdns_config *c, const struct nlattr *list,
			     struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	c->n_ports = 0;
	nla_for_each_nested(a, list, rem) {
		if (c->n_ports == NFDNS_MAX_PORTS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "nfdns: at most 8 ports");
			return -EINVAL;
		}
		c->ports[c->n_ports++] = nla_get_u16(a);
	}
	return 0;
}

static int nfdns_parse_addrs(struct nfdns_config *c, const struct nlattr *list,
			     struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	c->n_addr4 = 0;
	c->n_addr6 = 0;
	nla_for_each_nested(a, list, rem) {
		if (nla_type(a) == NFDNS_CONF_A_ADDR4) {
			if (c->n_addr4 == NFDNS_MAX_ADDRS)
				goto too_many;
			c->addr4[c->n_addr4++] = nla_get_be32(a);
		} else {
			if (c->n_addr6 == NFDNS_MAX_ADDRS)
				goto too_many;
			c->addr6[c->n_addr6++] = nla_get_in6_addr(a);
		}
	}
	return 0;

too_many:
	NL_SET_ERR_MSG_ATTR(extack, a, "nfdns: at most 16 addresses per family");
	return -EINVAL;
}

static int nfdns_cmd_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	struct nlattr *tb[NFDNS_CONF_A_MAX + 1];
	struct nfdns_config *new, *old;
	const char *why = NULL;
	int err;

	if (!nfdns_admin(skb, info))
		return -EPERM;
	if (!info->attrs[NFDNS_A_CONFIG]) {
		NL_SET_ERR_MSG(info->extack, "nfdns: NFDNS_A_CONFIG is required");
		return -EINVAL;
	}
	/* The policy already validated the nest; this only indexes it. */
	err = nla_parse_nested(tb, NFDNS_CONF_A_MAX, info->attrs[NFDNS_A_CONFIG],
			       nfdns_config_policy, info->extack);
	if (err)
		return err;

	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;

	mutex_lock(&nn->config_lock);
	old = rcu_dereference_protected(nn->config,
					lockdep_is_held(&nn->config_lock));
	memcpy(new, old, sizeof(*new));

	if (tb[NFDNS_CONF_A_MAX_BYTES])
		new->max_bytes = nla_get_u64(tb[NFDNS_CONF_A_MAX_BYTES]);
	if (tb[NFDNS_CONF_A_MAX_ENTRIES])
		new->max_entries = nla_get_u32(tb[NFDNS_CONF_A_MAX_ENTRIES]);
	if (tb[NFDNS_CONF_A_MIN_TTL])
		new->min_ttl = nla_get_u32(tb[NFDNS_CONF_A_MIN_TTL]);
	if (tb[NFDNS_CONF_A_MAX_TTL])
		new->max_ttl = nla_get_u32(tb[NFDNS_CONF_A_MAX_TTL]);
	if (tb[NFDNS_CONF_A_NEG_MAX_TTL])
		new->neg_max_ttl = nla_get_u32(tb[NFDNS_CONF_A_NEG_MAX_TTL]);
	if (tb[NFDNS_CONF_A_PENDING_TIMEOUT_MS])
		new->pending_timeout_ms =
			nla_get_u32(tb[NFDNS_CONF_A_PENDING_TIMEOUT_MS]);
	if (tb[NFDNS_CONF_A_MAX_PENDING])
		new->max_pending = nla_get_u32(tb[NFDNS_CONF_A_MAX_PENDING]);
	if (tb[NFDNS_CONF_A_MAX_WAITERS])
		new->max_waiters = nla_get_u32(tb[NFDNS_CONF_A_MAX_WAITERS]);
	if (tb[NFDNS_CONF_A_MARK])
		new->mark = nla_get_u32(tb[NFDNS_CONF_A_MARK]);
	if (tb[NFDNS_CONF_A_SERVE_STALE])
		new->serve_stale = nla_get_u32(tb[NFDNS_CONF_A_SERVE_STALE]);
	if (tb[NFDNS_CONF_A_NORECURSE_PASS])
		new->norecurse_pass = nla_get_u8(tb[NFDNS_CONF_A_NORECURSE_PASS]);
	if (tb[NFDNS_CONF_A_ENABLED])
		new->enabled = nla_get_u8(tb[NFDNS_CONF_A_ENABLED]);
	if (tb[NFDNS_CONF_A_PORTS]) {
		err = nfdns_parse_ports(new, tb[NFDNS_CONF_A_PORTS], info->extack);
		if (err)
			goto err_unlock;
	}
	if (tb[NFDNS_CONF_A_ADDRS]) {
		err = nfdns_parse_addrs(new, tb[NFDNS_CONF_A_ADDRS], info->extack);
		if (err)
			goto err_unlock;
	}

	err = nfdns_config_check(new, &why);
	if (err) {
		nfdns_set_err_msg(info->extack, why);
		goto err_unlock;
	}
	rcu_assign_pointer(nn->config, new);
	mutex_unlock(&nn->config_lock);
	kfree_rcu(old, rcu);
	return 0;

err_unlock:
	mutex_unlock(&nn->config_lock);
	kfree(new);
	return err;
}

/**
 * nfdns_stats_sum() - add up every CPU's counters
 * @nn: namespace state
 * @sum: array of %__NFDNS_STAT_A_MAX counters to fill
 */
void nfdns_stats_sum(struct nfdns_net *nn, u64 *sum)
{
	unsigned int i, start;
	int cpu;

	memset(sum, 0, sizeof(u64) * __NFDNS_STAT_A_MAX);
	for_each_possible_cpu(cpu) {
		const struct nfdns_stats *s = per_cpu_ptr(nn->stats, cpu);
		u64 v[__NFDNS_STAT_A_MAX];

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < __NFDNS_STAT_A_MAX; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < __NFDNS_STAT_A_MAX; i++)
			sum[i] += v[i];
	}
}

static int nfdns_cmd_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	struct nlattr *nest;
	struct sk_buff *msg;
	unsigned int i;
	u64 *sum;
	void *hdr;
	int err = -ENOMEM;

	sum = kcalloc(__NFDNS_STAT_A_MAX, sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	nfdns_stats_sum(nn, sum);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &nfdns_genl_family, 0,
				NFDNS_CMD_STATS_GET);
	if (!hdr)
		goto err_msg;
	nest = nla_nest_start(msg, NFDNS_A_STATS);
	if (!nest)
		goto err_msg;
	for (i = NFDNS_STAT_A_UNSPEC + 1; i < __NFDNS_STAT_A_MAX; i++) {
		if (i == NFDNS_STAT_A_PAD)
			continue;
		if (nla_put_u64_64bit(msg, i, sum[i], NFDNS_STAT_A_PAD))
			goto err_msg;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	goto out;

err_msg:
	nlmsg_free(msg);
out:
	kfree(sum);
	return err;
}

static int nfdns_cmd_resolver_register(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	int err = 0;

	if (!nfdns_admin(skb, info))
		return -EPERM;
	spin_lock_bh(&nn->resolver_lock);
	if (nn->resolver_portid && nn->resolver_portid != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack,
			       "nfdns: another resolver is registered in this namespace");
		err = -EBUSY;
	} else {
		nn->resolver_portid = info->snd_portid;
	}
	spin_unlock_bh(&nn->resolver_lock);
	return err;
}

static int nfdns_cmd_resolver_unregister(struct sk_buff *skb,
					 struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	int err = 0;

	if (!nfdns_admin(skb, info))
		return -EPERM;
	spin_lock_bh(&nn->resolver_lock);
	if (nn->resolver_portid != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack,
			       "nfdns: this socket is not the registered resolver");
		err = -ENOENT;
	} else {
		nn->resolver_portid = 0;
	}
	spin_unlock_bh(&nn->resolver_lock);
	return err;
}

static const struct genl_ops nfdns_genl_ops[] = {
	{
		.cmd = NFDNS_CMD_RESOLVER_REGISTER,
		.doit = nfdns_cmd_resolver_register,
		.policy = nfdns_no_attrs_policy,
		.maxattr = NFDNS_A_MAX,
	},
	{
		.cmd = NFDNS_CMD_RESOLVER_UNREGISTER,
		.doit = nfdns_cmd_resolver_unregister,
		.policy = nfdns_no_attrs_policy,
		.maxattr = NFDNS_A_MAX,
	},
	{
		.cmd = NFDNS_CMD_STATS_GET,
		.doit = nfdns_cmd_stats_get,
		.policy = nfdns_no_attrs_policy,
		.maxattr = NFDNS_A_MAX,
	},
	{
		.cmd = NFDNS_CMD_CONFIG_GET,
		.doit = nfdns_cmd_config_get,
		.policy = nfdns_no_attrs_policy,
		.maxattr = NFDNS_A_MAX,
	},
	{
		.cmd = NFDNS_CMD_CONFIG_SET,
		.doit = nfdns_cmd_config_set,
		.policy = nfdns_config_set_policy,
		.maxattr = NFDNS_A_MAX,
	},
};

static struct genl_family nfdns_genl_family __ro_after_init = {
	.name = NFDNS_GENL_NAME,
	.version = NFDNS_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = nfdns_genl_ops,
	.n_ops = ARRAY_SIZE(nfdns_genl_ops),
};

/* The resolver's socket closed: it no longer receives misses. */
static int nfdns_netlink_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct netlink_notify *n = ptr;
	struct nfdns_net *nn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	nn = nfdns_pernet(n->net);
	spin_lock_bh(&nn->resolver_lock);
	if (nn->resolver_portid == n->portid)
		nn->resolver_portid = 0;
	spin_unlock_bh(&nn->resolver_lock);
	return NOTIFY_DONE;
}

static struct notifier_block nfdns_netlink_notifier = {
	.notifier_call = nfdns_netlink_event,
};

/**
 * nfdns_netlink_init() - register the family and the socket-release notifier
 *
 * Return: 0 or a negative errno.
 */
int nfdns_netlink_init(void)
{
	int err;

	err = netlink_register_notifier(&nfdns_netlink_notifier);
	if (err)
		return err;
	err = genl_register_family(&nfdns_genl_family);
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	netlink_unregister_notifier(&nfdns_netlink_notifier);
	return err;
}

/**
 * nfdns_netlink_exit() - unregister what nfdns_netlink_init() registered
 */
void nfdns_netlink_exit(void)
{
	genl_unregister_family(&nfdns_genl_family);
	netlink_unregister_notifier(&nfdns_netlink_notifier);
}
