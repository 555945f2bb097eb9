// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: the "nfdns" generic netlink family (see uapi/linux/nfdns.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/inetdevice.h>
#include <linux/netlink.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "internal.h"
#include "nfdns-nl-gen.h"

static struct genl_family nfdns_genl_family;

/* The NFDNS_A_ENTRY nest of the largest entry, and a message holding it. */
#define NFDNS_ENTRY_NEST_MAX						\
	(NLA_HDRLEN + NLA_ALIGN(NLA_HDRLEN + NFDNS_NAME_MAX) +		\
	 2 * NLA_ALIGN(NLA_HDRLEN + sizeof(u16)) + NLA_HDRLEN +		\
	 NLA_ALIGN(NLA_HDRLEN + NFDNS_ENTRY_RESPONSE_MAX) +		\
	 3 * NLA_ALIGN(NLA_HDRLEN + sizeof(u32)))
#define NFDNS_ENTRY_MSG_MAX	(NLMSG_HDRLEN + GENL_HDRLEN + NFDNS_ENTRY_NEST_MAX)

/*
 * The family's GENL_UNS_ADMIN_PERM check refuses without a message; doing
 * it here lets the caller learn which capability is missing.
 */
static bool nfdns_admin_skb(const struct sk_buff *skb, struct net *net,
			    struct netlink_ext_ack *extack)
{
	if (netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN))
		return true;
	NL_SET_ERR_MSG(extack, "nfdns: CAP_NET_ADMIN is required");
	return false;
}

static int nfdns_put_clients(struct sk_buff *msg, const struct nfdns_config *c)
{
	struct nlattr *list;
	u8 buf[sizeof(struct in6_addr) + 1];
	unsigned int i;

	list = nla_nest_start(msg, NFDNS_CONF_A_CLIENTS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < c->n_clients4; i++) {
		memcpy(buf, &c->clients4[i].addr, sizeof(__be32));
		buf[sizeof(__be32)] = inet_mask_len(c->clients4[i].mask);
		if (nla_put(msg, NFDNS_CONF_A_CLIENT4, sizeof(__be32) + 1, buf))
			return -EMSGSIZE;
	}
	for (i = 0; i < c->n_clients6; i++) {
		memcpy(buf, &c->clients6[i].addr, sizeof(struct in6_addr));
		buf[sizeof(struct in6_addr)] = c->clients6[i].len;
		if (nla_put(msg, NFDNS_CONF_A_CLIENT6, sizeof(buf), buf))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, list);
	return 0;
}

static bool nfdns_admin(struct sk_buff *skb, struct genl_info *info)
{
	return nfdns_admin_skb(skb, genl_info_net(info), info->extack);
}

/*
 * Root in a user namespace of its own has CAP_NET_ADMIN over its network
 * namespaces; what it may make the kernel keep is bounded by the module's
 * ceilings, and only the host's administrator goes past them.
 */
static int nfdns_check_ceilings(struct sk_buff *skb,
				const struct nfdns_config *old,
				const struct nfdns_config *new,
				struct nlattr **tb,
				struct netlink_ext_ack *extack)
{
	struct nfdns_ceilings ceil;
	int over;

	nfdns_ceilings_get(&ceil);
	over = nfdns_config_over_ceiling(old, new, &ceil);
	if (!over || netlink_capable(skb, CAP_NET_ADMIN))
		return 0;
	switch (over) {
	case NFDNS_CONF_A_MAX_BYTES:
		NL_SET_ERR_MSG_ATTR(extack, tb[over],
				    "nfdns: max_bytes above the max_bytes_ceiling module parameter needs CAP_NET_ADMIN in the initial user namespace");
		break;
	case NFDNS_CONF_A_MAX_PENDING:
		NL_SET_ERR_MSG_ATTR(extack, tb[over],
				    "nfdns: max_pending above the max_pending_ceiling module parameter needs CAP_NET_ADMIN in the initial user namespace");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, tb[over],
				    "nfdns: max_waiters above the max_waiters_ceiling module parameter needs CAP_NET_ADMIN in the initial user namespace");
		break;
	}
	return -EPERM;
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
	    nla_put_u8(msg, NFDNS_CONF_A_ENABLED, c->enabled) ||
	    nla_put_u32(msg, NFDNS_CONF_A_RRL_RATE, c->rrl_rate) ||
	    nla_put_u32(msg, NFDNS_CONF_A_RRL_SLIP, c->rrl_slip) ||
	    nla_put_u8(msg, NFDNS_CONF_A_RRL_PREFIX4, c->rrl_prefix4) ||
	    nla_put_u8(msg, NFDNS_CONF_A_RRL_PREFIX6, c->rrl_prefix6) ||
	    nla_put_u32(msg, NFDNS_CONF_A_PREFETCH_PCT, c->prefetch_pct) ||
	    nla_put_u32(msg, NFDNS_CONF_A_STALE_ANSWER_MS,
			c->stale_answer_ms) ||
	    nla_put_u8(msg, NFDNS_CONF_A_STALE_WITHOUT_RESOLVER,
		       c->stale_without_resolver) ||
	    nla_put_u8(msg, NFDNS_CONF_A_PREFETCH_ADAPTIVE,
		       c->prefetch_adaptive))
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

	if (nfdns_put_clients(msg, c))
		goto cancel;

	list = nla_nest_start(msg, NFDNS_CONF_A_IFACES);
	if (!list)
		goto cancel;
	for (i = 0; i < c->n_ifaces; i++)
		if (nla_put_string(msg, NFDNS_CONF_A_IFNAME, c->ifaces[i]))
			goto cancel;
	nla_nest_end(msg, list);

	nla_nest_end(msg, nest);
	return 0;

cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/**
 * nfdns_nl_config_get_doit() - NFDNS_CMD_CONFIG_GET: the settings
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 or a negative errno.
 */
int nfdns_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
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

static int nfdns_parse_clients(struct nfdns_config *c,
			       const struct nlattr *list,
			       struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	const u8 *d;
	int rem;

	c->n_clients4 = 0;
	c->n_clients6 = 0;
	nla_for_each_nested(a, list, rem) {
		d = nla_data(a);
		if (nla_type(a) == NFDNS_CONF_A_CLIENT4) {
			__be32 addr;

			if (d[sizeof(addr)] > 32) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "nfdns: IPv4 prefix length above 32");
				return -EINVAL;
			}
			memcpy(&addr, d, sizeof(addr));
			if (nfdns_config_add_client4(c, addr, d[sizeof(addr)]))
				goto too_many;
		} else {
			struct in6_addr addr;

			if (d[sizeof(addr)] > 128) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "nfdns: IPv6 prefix length above 128");
				return -EINVAL;
			}
			memcpy(&addr, d, sizeof(addr));
			if (nfdns_config_add_client6(c, &addr, d[sizeof(addr)]))
				goto too_many;
		}
	}
	return 0;

too_many:
	NL_SET_ERR_MSG_ATTR(extack, a,
			    "nfdns: at most 32 client prefixes per family");
	return -EINVAL;
}

static int nfdns_parse_ifaces(struct nfdns_config *c, const struct nlattr *list,
			      struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	c->n_ifaces = 0;
	memset(c->ifaces, 0, sizeof(c->ifaces));
	nla_for_each_nested(a, list, rem) {
		if (c->n_ifaces == NFDNS_MAX_IFACES) {
			NL_SET_ERR_MSG_ATTR(extack, a, "nfdns: at most 8 interfaces");
			return -EINVAL;
		}
		if (nla_len(a) <= 1) {
			NL_SET_ERR_MSG_ATTR(extack, a, "nfdns: empty interface name");
			return -EINVAL;
		}
		nla_strscpy(c->ifaces[c->n_ifaces++], a, IFNAMSIZ);
	}
	return 0;
}

/**
 * nfdns_nl_config_set_doit() - NFDNS_CMD_CONFIG_SET: change settings, all or none
 * @skb: the request
 * @info: its parsed attributes
 *
 * The policy checked each value's range; here the lists are read and the
 * settings checked together.
 *
 * Return: 0 or a negative errno, with the reason in the extended ack.
 */
int nfdns_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
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
			       nfdns_config_nl_policy, info->extack);
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
	if (tb[NFDNS_CONF_A_STALE_ANSWER_MS])
		new->stale_answer_ms =
			nla_get_u32(tb[NFDNS_CONF_A_STALE_ANSWER_MS]);
	if (tb[NFDNS_CONF_A_STALE_WITHOUT_RESOLVER])
		new->stale_without_resolver =
			nla_get_u8(tb[NFDNS_CONF_A_STALE_WITHOUT_RESOLVER]);
	if (tb[NFDNS_CONF_A_PREFETCH_PCT])
		new->prefetch_pct = nla_get_u32(tb[NFDNS_CONF_A_PREFETCH_PCT]);
	if (tb[NFDNS_CONF_A_PREFETCH_ADAPTIVE])
		new->prefetch_adaptive =
			nla_get_u8(tb[NFDNS_CONF_A_PREFETCH_ADAPTIVE]);
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
	if (tb[NFDNS_CONF_A_RRL_RATE])
		new->rrl_rate = nla_get_u32(tb[NFDNS_CONF_A_RRL_RATE]);
	if (tb[NFDNS_CONF_A_RRL_SLIP])
		new->rrl_slip = nla_get_u32(tb[NFDNS_CONF_A_RRL_SLIP]);
	if (tb[NFDNS_CONF_A_RRL_PREFIX4])
		new->rrl_prefix4 = nla_get_u8(tb[NFDNS_CONF_A_RRL_PREFIX4]);
	if (tb[NFDNS_CONF_A_RRL_PREFIX6])
		new->rrl_prefix6 = nla_get_u8(tb[NFDNS_CONF_A_RRL_PREFIX6]);
	if (tb[NFDNS_CONF_A_CLIENTS]) {
		err = nfdns_parse_clients(new, tb[NFDNS_CONF_A_CLIENTS],
					  info->extack);
		if (err)
			goto err_unlock;
	}
	if (tb[NFDNS_CONF_A_IFACES]) {
		err = nfdns_parse_ifaces(new, tb[NFDNS_CONF_A_IFACES],
					 info->extack);
		if (err)
			goto err_unlock;
	}

	err = nfdns_config_check(new, &why);
	if (err) {
		nfdns_nl_set_reason(info->extack, why);
		goto err_unlock;
	}
	err = nfdns_check_ceilings(skb, old, new, tb, info->extack);
	if (err)
		goto err_unlock;
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

/**
 * nfdns_nl_stats_get_doit() - NFDNS_CMD_STATS_GET: the counters
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 or a negative errno.
 */
int nfdns_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
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
	/* Not under the cache mutex: counters must not wait behind a flush. */
	sum[NFDNS_STAT_A_ENTRIES] = READ_ONCE(nn->cache.entries);
	sum[NFDNS_STAT_A_BYTES] = READ_ONCE(nn->cache.bytes);
	sum[NFDNS_STAT_A_LOCAL_RULES] = READ_ONCE(nn->local_rules);
	sum[NFDNS_STAT_A_LOCAL_BYTES] = READ_ONCE(nn->local_bytes);
	spin_lock_bh(&nn->pending->lock);
	sum[NFDNS_STAT_A_PENDING] = nn->pending->count;
	sum[NFDNS_STAT_A_WAITERS] = nn->pending->waiters;
	spin_unlock_bh(&nn->pending->lock);

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

/*
 * The resolver is known by its socket, held while it is registered, not by
 * its port alone: netlink_release() frees the port (another socket may
 * bind it) and marks the socket dead before NETLINK_URELEASE reports it.
 * In that window a MISS is not sent (nfdns_send_miss() checks the socket),
 * a new resolver may register, and the late NETLINK_URELEASE cannot undo
 * the registration of a live socket that took the same port.
 */
static bool nfdns_resolver_gone(const struct nfdns_net *nn)
{
	lockdep_assert_held(&nn->resolver_lock);
	return !nn->resolver_sk || sock_flag(nn->resolver_sk, SOCK_DEAD);
}

/* Forget the resolver; the caller drops the reference it returns. */
static struct sock *nfdns_resolver_clear(struct nfdns_net *nn)
{
	struct sock *sk = nn->resolver_sk;

	lockdep_assert_held(&nn->resolver_lock);
	nn->resolver_sk = NULL;
	WRITE_ONCE(nn->resolver_portid, 0);
	return sk;
}

/**
 * nfdns_resolver_release() - forget the resolver of a namespace going away
 * @nn: namespace state
 *
 * Context: process; nothing can register any more.
 */
void nfdns_resolver_release(struct nfdns_net *nn)
{
	struct sock *sk;

	spin_lock_bh(&nn->resolver_lock);
	sk = nfdns_resolver_clear(nn);
	spin_unlock_bh(&nn->resolver_lock);
	if (sk)
		sock_put(sk);
}

/**
 * nfdns_nl_resolver_register_doit() - NFDNS_CMD_RESOLVER_REGISTER: the sender becomes the resolver
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0, -EPERM, or -EBUSY when another live socket is registered.
 */
int nfdns_nl_resolver_register_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	struct sock *sk = NETLINK_CB(skb).sk, *old;
	int err = 0;

	if (!nfdns_admin(skb, info))
		return -EPERM;
again:
	spin_lock_bh(&nn->resolver_lock);
	if (nn->resolver_sk && nn->resolver_sk != sk &&
	    sock_flag(nn->resolver_sk, SOCK_DEAD)) {
		/*
		 * The last resolver closed and its release is not reported
		 * yet: nobody will answer its questions.
		 */
		old = nfdns_resolver_clear(nn);
		spin_unlock_bh(&nn->resolver_lock);
		sock_put(old);
		nfdns_pending_fail_all(nn);
		goto again;
	}
	if (nn->resolver_sk && nn->resolver_sk != sk) {
		NL_SET_ERR_MSG(info->extack,
			       "nfdns: another resolver is registered in this namespace");
		err = -EBUSY;
	} else if (!nn->resolver_sk) {
		sock_hold(sk);
		nn->resolver_sk = sk;
		WRITE_ONCE(nn->resolver_portid, info->snd_portid);
	}
	spin_unlock_bh(&nn->resolver_lock);
	return err;
}

/**
 * nfdns_nl_resolver_unregister_doit() - NFDNS_CMD_RESOLVER_UNREGISTER: the sender stops being the resolver
 * @skb: the request
 * @info: its parsed attributes
 *
 * Its pending questions are answered SERVFAIL.
 *
 * Return: 0, -EPERM, or -ENOENT when the sender is not the resolver.
 */
int nfdns_nl_resolver_unregister_doit(struct sk_buff *skb,
					 struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	struct sock *sk = NULL;

	if (!nfdns_admin(skb, info))
		return -EPERM;
	spin_lock_bh(&nn->resolver_lock);
	if (nn->resolver_sk == NETLINK_CB(skb).sk)
		sk = nfdns_resolver_clear(nn);
	spin_unlock_bh(&nn->resolver_lock);
	if (!sk) {
		NL_SET_ERR_MSG(info->extack,
			       "nfdns: this socket is not the registered resolver");
		return -ENOENT;
	}
	sock_put(sk);
	nfdns_pending_fail_all(nn);
	return 0;
}

/*
 * The generator of the spec's policies gives binary attributes no maximum
 * length (6.12's ynl-gen-c.py has none), so the limits of names and
 * responses are checked here, and refused as the policy would refuse them:
 * -ERANGE, the policy's message, and the limit in the extended ack.
 */
static const struct nla_policy nfdns_name_len_policy = {
	.type = NLA_BINARY, .len = NFDNS_NAME_MAX,
};

static const struct nla_policy nfdns_response_len_policy = {
	.type = NLA_BINARY, .len = NFDNS_ENTRY_RESPONSE_MAX,
};

static int nfdns_check_len(const struct nlattr *a,
			   const struct nla_policy *pol,
			   struct netlink_ext_ack *extack)
{
	if (nla_len(a) <= pol->len)
		return 0;
	NL_SET_ERR_MSG_ATTR_POL(extack, a, pol,
				"Attribute failed policy validation");
	return -ERANGE;
}

/*
 * Read a wire-format name attribute, lower-cased, into @name (room for
 * NFDNS_NAME_MAX bytes).  Return: its length, or a negative errno.
 */
static int nfdns_parse_name(const struct nlattr *a, u8 *name,
			    struct netlink_ext_ack *extack)
{
	int err;

	err = nfdns_check_len(a, &nfdns_name_len_policy, extack);
	if (err)
		return err;
	if (dnswire_name_check(nla_data(a), nla_len(a)) != nla_len(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "nfdns: not a wire-format name");
		return -EINVAL;
	}
	dnswire_name_lower(name, nla_data(a), nla_len(a));
	return nla_len(a);
}

/*
 * Read the name of a command, and its type when given, into @key.  Only
 * the attributes every caller's policy has are read: a per-op policy sizes
 * info->attrs to its own highest attribute.
 */
static int nfdns_parse_name_type(struct genl_info *info,
				 struct nfdns_key *key, u8 *name)
{
	struct nlattr **attrs = info->attrs;
	int len;

	if (!attrs[NFDNS_A_QNAME]) {
		NL_SET_ERR_MSG(info->extack, "nfdns: NFDNS_A_QNAME is required");
		return -EINVAL;
	}
	len = nfdns_parse_name(attrs[NFDNS_A_QNAME], name, info->extack);
	if (len < 0)
		return len;
	memset(key, 0, sizeof(*key));
	key->name = name;
	key->name_len = len;
	key->qtype = attrs[NFDNS_A_QTYPE] ? nla_get_u16(attrs[NFDNS_A_QTYPE]) : 0;
	key->qclass = DNSWIRE_CLASS_IN;
	return 0;
}

/*
 * Read the whole question of a command into @key, with the name
 * lower-cased into @name: QNAME and QTYPE are required.  For commands
 * whose policy has every question attribute (up to NFDNS_A_CD).
 */
static int nfdns_parse_question(struct genl_info *info, struct nfdns_key *key,
				u8 *name)
{
	struct nlattr **attrs = info->attrs;
	int err;

	err = nfdns_parse_name_type(info, key, name);
	if (err)
		return err;
	if (!attrs[NFDNS_A_QTYPE]) {
		NL_SET_ERR_MSG(info->extack, "nfdns: NFDNS_A_QTYPE is required");
		return -EINVAL;
	}
	if (attrs[NFDNS_A_QCLASS])
		key->qclass = nla_get_u16(attrs[NFDNS_A_QCLASS]);
	key->do_bit = (nla_get_flag(attrs[NFDNS_A_DO]) ? 1 : 0) |
		      (nla_get_flag(attrs[NFDNS_A_CD]) ? NFDNS_KEY_CD : 0);
	return 0;
}

/**
 * nfdns_nl_cache_put_doit() - NFDNS_CMD_CACHE_PUT: store a response and answer its waiters
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 or a negative errno, with the reason in the extended ack.
 */
int nfdns_nl_cache_put_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	struct dnswire_resp_info ri;
	const char *why = NULL;
	const struct nlattr *a;
	u8 name[NFDNS_NAME_MAX];
	struct nfdns_key key;
	u16 *ttl_offs;
	u32 flags, ttl;
	int err;

	if (!nfdns_admin(skb, info))
		return -EPERM;
	a = info->attrs[NFDNS_A_RESPONSE];
	if (a) {
		err = nfdns_check_len(a, &nfdns_response_len_policy,
				      info->extack);
		if (err)
			return err;
	}
	flags = info->attrs[NFDNS_A_FLAGS] ?
		nla_get_u32(info->attrs[NFDNS_A_FLAGS]) : 0;
	if (flags & ~NFDNS_ENTRY_F_STATIC) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NFDNS_A_FLAGS],
				    "nfdns: only NFDNS_ENTRY_F_STATIC may be set");
		return -EINVAL;
	}
	err = nfdns_parse_question(info, &key, name);
	if (err)
		goto reject;
	if (!a || !info->attrs[NFDNS_A_TTL]) {
		NL_SET_ERR_MSG(info->extack,
			       "nfdns: NFDNS_A_RESPONSE and NFDNS_A_TTL are required");
		err = -EINVAL;
		goto reject;
	}
	ttl_offs = kmalloc_array(NFDNS_MAX_RRS, sizeof(*ttl_offs), GFP_KERNEL);
	if (!ttl_offs)
		return -ENOMEM;
	err = dnswire_validate_response(nla_data(a), nla_len(a), key.name,
					key.name_len, key.qtype, key.qclass,
					ttl_offs, NFDNS_MAX_RRS, &ri, &why);
	if (err) {
		NL_SET_BAD_ATTR(info->extack, a);
		nfdns_nl_set_reason(info->extack, why);
		/* No better answer is coming: do not leave the clients waiting. */
		nfdns_pending_fail(nn, &key, DNSWIRE_RCODE_SERVFAIL);
		goto free_offs;
	}
	if (ri.negative)
		flags |= NFDNS_ENTRY_F_NEGATIVE;
	ttl = nla_get_u32(info->attrs[NFDNS_A_TTL]);

	/*
	 * Stored before the waiters are answered, so that a client asking
	 * again right after its answer finds it in the cache rather than
	 * causing another upcall.  The waiters get the answer even if the
	 * cache cannot keep it.
	 */
	err = nfdns_cache_insert(nn, &key, nla_data(a), nla_len(a), ttl_offs,
				 ri.n_ttl, ttl, flags, &why);
	if (err)
		nfdns_nl_set_reason(info->extack, why);
	nfdns_pending_answer(nn, &key, nla_data(a), nla_len(a), ttl_offs,
			     ri.n_ttl);
free_offs:
	kfree(ttl_offs);
reject:
	if (err)
		nfdns_stat_inc(nn, NFDNS_STAT_A_INSERT_REJECTS);
	return err;
}

/*
 * Keep a failure for a short while, as a response with no records, so a
 * storm of clients does not make the resolver fail over and over.
 */
static void nfdns_store_failure(struct nfdns_net *nn,
				const struct nfdns_key *key, u8 rcode, u32 ttl)
{
	struct {
		struct dnswire_query q;
		u8 resp[DNSWIRE_HDR_LEN + NFDNS_NAME_MAX + 4];
	} *buf;
	const char *why = NULL;
	int len;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return;
	buf->q.rd = true;
	buf->q.qname = key->name;
	buf->q.qname_len = key->name_len;
	buf->q.qtype = key->qtype;
	buf->q.qclass = key->qclass;
	buf->q.question_end = DNSWIRE_HDR_LEN + key->name_len + 4;
	len = dnswire_build_error(buf->resp, sizeof(buf->resp), &buf->q,
				  key->name, rcode);
	if (len > 0)
		nfdns_cache_insert(nn, key, buf->resp, len, NULL, 0, ttl,
				   NFDNS_ENTRY_F_NEGATIVE, &why);
	kfree(buf);
}

/**
 * nfdns_nl_cache_fail_doit() - NFDNS_CMD_CACHE_FAIL: answer a question's waiters with an error
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0, or -ENOENT when no client waits for the question.
 */
int nfdns_nl_cache_fail_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	u8 name[NFDNS_NAME_MAX];
	struct nfdns_key key;
	u8 rcode;
	int err;

	if (!nfdns_admin(skb, info))
		return -EPERM;
	err = nfdns_parse_question(info, &key, name);
	if (err)
		return err;
	if (!info->attrs[NFDNS_A_RCODE]) {
		NL_SET_ERR_MSG(info->extack, "nfdns: NFDNS_A_RCODE is required");
		return -EINVAL;
	}
	rcode = nla_get_u8(info->attrs[NFDNS_A_RCODE]);
	if (info->attrs[NFDNS_A_TTL])
		nfdns_store_failure(nn, &key, rcode,
				    nla_get_u32(info->attrs[NFDNS_A_TTL]));
	err = nfdns_pending_fail(nn, &key, rcode);
	if (err < 0) {
		NL_SET_ERR_MSG(info->extack,
			       "nfdns: no client is waiting for that question");
		return err;
	}
	return 0;
}

static int nfdns_put_entry(struct sk_buff *msg, const struct nfdns_entry *e,
			   u64 now)
{
	const u8 *resp = nfdns_entry_resp(e);
	struct nlattr *nest;
	u32 flags = e->flags;

	if (!nfdns_entry_fresh(e, now))
		flags |= NFDNS_ENTRY_F_STALE;
	if (READ_ONCE(e->refreshed))
		flags |= NFDNS_ENTRY_F_PREFETCHED;
	nest = nla_nest_start(msg, NFDNS_A_ENTRY);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(msg, NFDNS_ENTRY_A_QNAME, e->qname_len,
		    resp + DNSWIRE_HDR_LEN) ||
	    nla_put_u16(msg, NFDNS_ENTRY_A_QTYPE, e->qtype) ||
	    nla_put_u16(msg, NFDNS_ENTRY_A_QCLASS, e->qclass) ||
	    ((e->do_bit & 1) && nla_put_flag(msg, NFDNS_ENTRY_A_DO)) ||
	    ((e->do_bit & NFDNS_KEY_CD) &&
	     nla_put_flag(msg, NFDNS_ENTRY_A_CD)) ||
	    nla_put(msg, NFDNS_ENTRY_A_RESPONSE, e->resp_len, resp) ||
	    nla_put_u32(msg, NFDNS_ENTRY_A_TTL, e->ttl) ||
	    nla_put_u32(msg, NFDNS_ENTRY_A_REMAINING,
			nfdns_entry_remaining(e, now)) ||
	    nla_put_u32(msg, NFDNS_ENTRY_A_FLAGS, flags)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * nfdns_nl_cache_get_doit() - NFDNS_CMD_CACHE_GET: one entry
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0, or -ENOENT when the cache has no such entry.
 */
int nfdns_nl_cache_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	u8 name[NFDNS_NAME_MAX];
	struct nfdns_entry *e;
	struct nfdns_key key;
	struct sk_buff *msg;
	void *hdr;
	int err;

	/* The cache holds every name every client asked for. */
	if (!nfdns_admin(skb, info))
		return -EPERM;
	err = nfdns_parse_question(info, &key, name);
	if (err)
		return err;
	msg = genlmsg_new(NFDNS_ENTRY_NEST_MAX, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nfdns_genl_family, 0,
				NFDNS_CMD_CACHE_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_msg;
	}
	rcu_read_lock();
	e = rhashtable_lookup(&nn->cache.table, &key, nfdns_cache_params);
	if (e)
		err = nfdns_put_entry(msg, e, get_jiffies_64());
	rcu_read_unlock();
	if (!e) {
		NL_SET_ERR_MSG(info->extack, "nfdns: no such entry");
		err = -ENOENT;
	}
	if (err)
		goto err_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
	return err;
}

/*
 * A dump walks the table across calls; the walker lives in cb->args[0].
 * Every message is given room for the largest entry, so that no entry
 * is ever left out for want of room.
 */
static int nfdns_dump_start(struct netlink_callback *cb)
{
	struct net *net = sock_net(cb->skb->sk);
	struct nfdns_net *nn = nfdns_pernet(net);
	struct rhashtable_iter *iter;

	/* cb->extack is NULL here before 6.2: 6.1 refuses without a message. */
	if (!nfdns_admin_skb(cb->skb, net, cb->extack))
		return -EPERM;
	cb->min_dump_alloc = NFDNS_ENTRY_MSG_MAX;
	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter)
		return -ENOMEM;
	rhashtable_walk_enter(&nn->cache.table, iter);
	cb->args[0] = (long)iter;
	return 0;
}

static int nfdns_dump_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

/**
 * nfdns_nl_cache_get_dumpit() - NFDNS_CMD_CACHE_GET dump: every entry
 * @skb: the message to fill
 * @cb: the dump's state; nfdns_dump_start() set up the walk
 *
 * Return: the length filled, 0 at the end, or a negative errno.
 */
int nfdns_nl_cache_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];
	u64 now = get_jiffies_64();
	struct nfdns_entry *e;
	int err = 0;
	void *hdr;

	rhashtable_walk_start(iter);
	for (e = rhashtable_walk_peek(iter); e; e = rhashtable_walk_next(iter)) {
		if (IS_ERR(e)) {
			/* The table was resized: the walk goes on. */
			if (PTR_ERR(e) == -EAGAIN)
				continue;
			err = PTR_ERR(e);
			break;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &nfdns_genl_family,
				  NLM_F_MULTI, NFDNS_CMD_CACHE_GET);
		if (hdr && !nfdns_put_entry(skb, e, now)) {
			genlmsg_end(skb, hdr);
			continue;
		}
		if (hdr)
			genlmsg_cancel(skb, hdr);
		/*
		 * The entry goes first in the next message.  An empty
		 * message that cannot hold it would end the dump as if
		 * complete: fail it instead.
		 */
		if (!skb->len) {
			NL_SET_ERR_MSG(cb->extack,
				       "nfdns: a cache entry does not fit in a dump message");
			err = -EMSGSIZE;
		}
		break;
	}
	rhashtable_walk_stop(iter);
	return err ? err : skb->len;
}

static int nfdns_reply_count(struct genl_info *info, u8 cmd, u64 count)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nfdns_genl_family, 0, cmd);
	if (!hdr ||
	    nla_put_u64_64bit(msg, NFDNS_A_COUNT, count, NFDNS_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * nfdns_nl_cache_del_doit() - NFDNS_CMD_CACHE_DEL: delete the entries of a name, or of a subtree
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 (the reply counts the entries deleted) or a negative errno.
 */
int nfdns_nl_cache_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	u8 name[NFDNS_NAME_MAX];
	struct nfdns_key key;
	u64 count;
	int err;

	if (!nfdns_admin(skb, info))
		return -EPERM;
	err = nfdns_parse_name_type(info, &key, name);
	if (err)
		return err;
	count = nfdns_cache_delete(nn, key.name, key.name_len,
				   info->attrs[NFDNS_A_QTYPE] ? key.qtype : -1,
				   nla_get_flag(info->attrs[NFDNS_A_SUBTREE]));
	return nfdns_reply_count(info, NFDNS_CMD_CACHE_DEL, count);
}

/**
 * nfdns_nl_cache_flush_doit() - NFDNS_CMD_CACHE_FLUSH: delete every entry
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 (the reply counts the entries deleted) or a negative errno.
 */
int nfdns_nl_cache_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));

	if (!nfdns_admin(skb, info))
		return -EPERM;
	return nfdns_reply_count(info, NFDNS_CMD_CACHE_FLUSH,
				 nfdns_cache_flush(nn));
}

static int nfdns_local_add_rule(struct nfdns_local_set *set,
				const struct nlattr *nest,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFDNS_LOCAL_A_MAX + 1];
	u8 name[NFDNS_NAME_MAX];
	struct in6_addr addr6;
	u32 ttl = 3600;
	__be32 addr4;
	u8 match, action;
	int len, err;

	/* The policy validated every nest already; this only indexes one. */
	err = nla_parse_nested(tb, NFDNS_LOCAL_A_MAX, nest,
			       nfdns_local_nl_policy, extack);
	if (err)
		return err;
	if (!tb[NFDNS_LOCAL_A_NAME] || !tb[NFDNS_LOCAL_A_ACTION]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "nfdns: a local rule needs NAME and ACTION");
		return -EINVAL;
	}
	len = nfdns_parse_name(tb[NFDNS_LOCAL_A_NAME], name, extack);
	if (len < 0)
		return len;
	match = tb[NFDNS_LOCAL_A_MATCH] ?
		nla_get_u8(tb[NFDNS_LOCAL_A_MATCH]) : NFDNS_LOCAL_EXACT;
	action = nla_get_u8(tb[NFDNS_LOCAL_A_ACTION]);
	if (action == NFDNS_LOCAL_REDIRECT && !tb[NFDNS_LOCAL_A_ADDR4] &&
	    !tb[NFDNS_LOCAL_A_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "nfdns: a REDIRECT rule needs ADDR4 or ADDR6");
		return -EINVAL;
	}
	if (tb[NFDNS_LOCAL_A_TTL])
		ttl = nla_get_u32(tb[NFDNS_LOCAL_A_TTL]);
	if (tb[NFDNS_LOCAL_A_ADDR4])
		addr4 = nla_get_in_addr(tb[NFDNS_LOCAL_A_ADDR4]);
	if (tb[NFDNS_LOCAL_A_ADDR6])
		addr6 = nla_get_in6_addr(tb[NFDNS_LOCAL_A_ADDR6]);
	err = nfdns_local_set_add(set, name, len, match, action,
				  tb[NFDNS_LOCAL_A_ADDR4] ? &addr4 : NULL,
				  tb[NFDNS_LOCAL_A_ADDR6] ? &addr6 : NULL, ttl);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "nfdns: too many local rules, or too many distinct answers");
	return err;
}

/**
 * nfdns_nl_local_add_doit() - NFDNS_CMD_LOCAL_ADD: add rules to the sender's staged set
 * @skb: the request
 * @info: its parsed attributes
 *
 * Any error drops the whole staged set, so that a set missing some of its
 * rules can never be committed by mistake.
 *
 * Return: 0 or a negative errno.
 */
int nfdns_nl_local_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	struct nfdns_local_set *set;
	const struct nlattr *a;
	int rem, err = 0;
	u64 before;

	if (!nfdns_admin(skb, info))
		return -EPERM;
	if (!info->attrs[NFDNS_A_LOCAL]) {
		NL_SET_ERR_MSG(info->extack, "nfdns: NFDNS_A_LOCAL is required");
		return -EINVAL;
	}
	mutex_lock(&nn->local_lock);
	set = nfdns_local_stage(nn, info->snd_portid);
	if (IS_ERR_OR_NULL(set)) {
		mutex_unlock(&nn->local_lock);
		if (!set)
			return -ENOMEM;
		NL_SET_ERR_MSG(info->extack,
			       "nfdns: an earlier LOCAL_ADD failed: LOCAL_ABORT first");
		return PTR_ERR(set);
	}
	before = nfdns_local_set_bytes(set);
	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(a) != NFDNS_A_LOCAL)
			continue;
		err = nfdns_local_add_rule(set, a, info->extack);
		if (err)
			break;
	}
	nfdns_local_staged_grew(nn, before);
	if (err)
		nfdns_local_fail_staged(nn, info->snd_portid);
	mutex_unlock(&nn->local_lock);
	return err;
}

/**
 * nfdns_nl_local_commit_doit() - NFDNS_CMD_LOCAL_COMMIT: the staged set becomes the active one
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 (the reply counts the rules active) or a negative errno.
 */
int nfdns_nl_local_commit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));
	s64 rules;

	if (!nfdns_admin(skb, info))
		return -EPERM;
	rules = nfdns_local_commit(nn, info->snd_portid);
	if (rules < 0) {
		NL_SET_ERR_MSG(info->extack,
			       "nfdns: an earlier LOCAL_ADD failed; nothing was committed");
		return rules;
	}
	return nfdns_reply_count(info, NFDNS_CMD_LOCAL_COMMIT, rules);
}

/**
 * nfdns_nl_local_abort_doit() - NFDNS_CMD_LOCAL_ABORT: drop the sender's staged set
 * @skb: the request
 * @info: its parsed attributes
 *
 * Return: 0 or -EPERM.
 */
int nfdns_nl_local_abort_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfdns_net *nn = nfdns_pernet(genl_info_net(info));

	if (!nfdns_admin(skb, info))
		return -EPERM;
	nfdns_local_abort(nn, info->snd_portid);
	return 0;
}

/*
 * Set while the family is registered.  nfdns_netlink_exit() clears it and
 * waits for a grace period before unregistering the family: a MISS is
 * only sent inside the RCU read-side section that saw it set.
 */
static bool nfdns_upcalls_on;

/**
 * nfdns_resolver_ready() - whether misses can be sent to a resolver
 * @nn: namespace state
 *
 * A hint for the hooks, read without the lock: nfdns_send_miss() checks
 * again.
 *
 * Context: any.
 * Return: true when the family is up and a resolver is registered.
 */
bool nfdns_resolver_ready(const struct nfdns_net *nn)
{
	return READ_ONCE(nfdns_upcalls_on) && READ_ONCE(nn->resolver_portid);
}

static size_t nfdns_question_size(void)
{
	return nla_total_size(NFDNS_NAME_MAX) + 2 * nla_total_size(sizeof(u16)) +
	       2 * nla_total_size(0);
}

/*
 * Send the resolver one question, as a MISS or a PREFETCH.  The resolver
 * lock is taken for the two loads that tell a live resolver socket; the
 * message is the only allocation.
 */
static int nfdns_send_question(struct nfdns_net *nn,
			       const struct nfdns_key *key, u8 cmd)
{
	struct sk_buff *msg;
	u32 portid = 0;
	void *hdr;
	int err;

	rcu_read_lock();
	if (READ_ONCE(nfdns_upcalls_on)) {
		spin_lock_bh(&nn->resolver_lock);
		if (!nfdns_resolver_gone(nn))
			portid = nn->resolver_portid;
		spin_unlock_bh(&nn->resolver_lock);
	}
	err = -ENOTCONN;
	if (!portid)
		goto out;
	err = -ENOMEM;
	msg = genlmsg_new(nfdns_question_size(), GFP_ATOMIC);
	if (!msg)
		goto out;
	hdr = genlmsg_put(msg, 0, 0, &nfdns_genl_family, 0, cmd);
	if (!hdr ||
	    nla_put(msg, NFDNS_A_QNAME, key->name_len, key->name) ||
	    nla_put_u16(msg, NFDNS_A_QTYPE, key->qtype) ||
	    nla_put_u16(msg, NFDNS_A_QCLASS, key->qclass) ||
	    ((key->do_bit & 1) && nla_put_flag(msg, NFDNS_A_DO)) ||
	    ((key->do_bit & NFDNS_KEY_CD) && nla_put_flag(msg, NFDNS_A_CD))) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_unicast(nn->net, msg, portid);
out:
	rcu_read_unlock();
	return err;
}

/**
 * nfdns_send_miss() - ask the namespace's resolver a question
 * @nn: namespace state
 * @key: the question
 *
 * Context: any; does not sleep.
 * Return: 0, or a negative errno when the resolver could not be told.
 */
int nfdns_send_miss(struct nfdns_net *nn, const struct nfdns_key *key)
{
	return nfdns_send_question(nn, key, NFDNS_CMD_MISS);
}

/**
 * nfdns_send_prefetch() - ask the namespace's resolver to refresh an entry
 * @nn: namespace state
 * @key: the question
 *
 * Counts the outcome; a PREFETCH that cannot be sent leaves the entry to
 * expire, and the first client after that causes an ordinary MISS.
 *
 * Context: any; does not sleep.
 */
void nfdns_send_prefetch(struct nfdns_net *nn, const struct nfdns_key *key)
{
	nfdns_stat_inc(nn, nfdns_send_question(nn, key, NFDNS_CMD_PREFETCH) ?
		       NFDNS_STAT_A_PREFETCH_ERRORS :
		       NFDNS_STAT_A_PREFETCHES);
}

/*
 * The op table generated from the spec, with the dump's start and done
 * callbacks, which a per-op table of the spec cannot name: filled in at
 * init.
 */
static struct genl_ops nfdns_genl_ops[ARRAY_SIZE(nfdns_nl_ops)] __ro_after_init;

static void nfdns_ops_init(void)
{
	unsigned int i;

	memcpy(nfdns_genl_ops, nfdns_nl_ops, sizeof(nfdns_genl_ops));
	for (i = 0; i < ARRAY_SIZE(nfdns_genl_ops); i++) {
		if (nfdns_genl_ops[i].cmd != NFDNS_CMD_CACHE_GET)
			continue;
		nfdns_genl_ops[i].start = nfdns_dump_start;
		nfdns_genl_ops[i].done = nfdns_dump_done;
	}
}

static struct genl_family nfdns_genl_family __ro_after_init = {
	.name = NFDNS_GENL_NAME,
	.version = NFDNS_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = nfdns_genl_ops,
	.n_ops = ARRAY_SIZE(nfdns_genl_ops),
};

/*
 * The resolver's socket closed: it no longer receives misses.  Only the
 * registered socket's own release counts (see nfdns_resolver_gone()).
 */
static int nfdns_netlink_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct netlink_notify *n = ptr;
	struct sock *sk = NULL;
	struct nfdns_net *nn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	nn = nfdns_pernet(n->net);
	/* A set staged by a socket that is gone can never be committed. */
	if (n->portid && READ_ONCE(nn->local_staged_portid) == n->portid)
		nfdns_local_abort(nn, n->portid);
	spin_lock_bh(&nn->resolver_lock);
	if (n->portid && nn->resolver_portid == n->portid &&
	    nfdns_resolver_gone(nn))
		sk = nfdns_resolver_clear(nn);
	spin_unlock_bh(&nn->resolver_lock);
	/* Nobody will answer them now: do not keep the clients waiting. */
	if (sk) {
		sock_put(sk);
		nfdns_pending_fail_all(nn);
	}
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

	/* An nla_len is 16 bits; a dump message must fit in 64 KiB. */
	BUILD_BUG_ON(NFDNS_ENTRY_NEST_MAX > U16_MAX);
	BUILD_BUG_ON(SKB_DATA_ALIGN(NFDNS_ENTRY_MSG_MAX) +
		     SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) > SZ_64K);

	/* The nests are parsed into tables sized by the uapi enums. */
	BUILD_BUG_ON(ARRAY_SIZE(nfdns_config_nl_policy) != NFDNS_CONF_A_MAX + 1);
	BUILD_BUG_ON(ARRAY_SIZE(nfdns_local_nl_policy) != NFDNS_LOCAL_A_MAX + 1);

	nfdns_ops_init();
	err = netlink_register_notifier(&nfdns_netlink_notifier);
	if (err)
		return err;
	err = genl_register_family(&nfdns_genl_family);
	if (err)
		goto err_notifier;
	WRITE_ONCE(nfdns_upcalls_on, true);
	return 0;

err_notifier:
	netlink_unregister_notifier(&nfdns_netlink_notifier);
	return err;
}

/**
 * nfdns_netlink_exit() - stop the upcalls, then unregister what
 * nfdns_netlink_init() registered
 *
 * The hooks may still run: from here on they let misses pass.
 */
void nfdns_netlink_exit(void)
{
	WRITE_ONCE(nfdns_upcalls_on, false);
	synchronize_rcu();
	genl_unregister_family(&nfdns_genl_family);
	netlink_unregister_notifier(&nfdns_netlink_notifier);
}
