// SPDX-License-Identifier: GPL-2.0
/*
 * nfdns: in-kernel DNS cache.  Module entry points and per-namespace state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "internal.h"

unsigned int nfdns_net_id __read_mostly;

static int __net_init nfdns_net_init(struct net *net)
{
	struct nfdns_net *nn = nfdns_pernet(net);
	struct nfdns_config *config;
	int cpu, err;

	nn->net = net;
	mutex_init(&nn->config_lock);
	spin_lock_init(&nn->resolver_lock);
	nn->resolver_portid = 0;

	config = kzalloc(sizeof(*config), GFP_KERNEL);
	if (!config)
		return -ENOMEM;
	nfdns_config_defaults(config);
	RCU_INIT_POINTER(nn->config, config);

	err = -ENOMEM;
	nn->stats = alloc_percpu(struct nfdns_stats);
	if (!nn->stats)
		goto err_free_config;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(nn->stats, cpu)->syncp);

	err = nfdns_cache_init(nn);
	if (err)
		goto err_free_stats;
	err = nfdns_pending_init(nn);
	if (err)
		goto err_cache;
	err = nfdns_hooks_register(net);
	if (err)
		goto err_pending;
	return 0;

err_pending:
	nfdns_pending_destroy(nn);
err_cache:
	nfdns_cache_destroy(nn);
err_free_stats:
	free_percpu(nn->stats);
err_free_config:
	kfree(config);
	RCU_INIT_POINTER(nn->config, NULL);
	return err;
}

static void __net_exit nfdns_net_exit(struct net *net)
{
	struct nfdns_net *nn = nfdns_pernet(net);

	/* Returns once no hook runs: nothing reaches the tables after it. */
	nfdns_hooks_unregister(net);
	nfdns_pending_destroy(nn);
	nfdns_cache_destroy(nn);
	free_percpu(nn->stats);
	/* No reader is left: the namespace is gone and so are its sockets. */
	kfree(rcu_dereference_protected(nn->config, true));
}

static struct pernet_operations nfdns_net_ops = {
	.init = nfdns_net_init,
	.exit = nfdns_net_exit,
	.id = &nfdns_net_id,
	.size = sizeof(struct nfdns_net),
};

static int __init nfdns_init(void)
{
	int err;

	nfdns_cache_secret_init();
	nfdns_config_init();
	err = register_pernet_subsys(&nfdns_net_ops);
	if (err)
		return err;
	err = nfdns_netlink_init();
	if (err)
		goto err_pernet;
	pr_info("loaded\n");
	return 0;

err_pernet:
	unregister_pernet_subsys(&nfdns_net_ops);
	return err;
}

static void __exit nfdns_exit(void)
{
	nfdns_netlink_exit();
	unregister_pernet_subsys(&nfdns_net_ops);
	/* Replaced configurations are freed by RCU callbacks. */
	rcu_barrier();
	pr_info("unloaded\n");
}

module_init(nfdns_init);
module_exit(nfdns_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("In-kernel DNS cache answering queries at netfilter hooks");
MODULE_ALIAS_GENL_FAMILY(NFDNS_GENL_NAME);
