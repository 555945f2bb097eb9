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
	nn->resolver_sk = NULL;
	nn->resolver_portid = 0;
	nfdns_local_init(nn);

	config = kzalloc(sizeof(*config), GFP_KERNEL_ACCOUNT);
	if (!config)
		return -ENOMEM;
	nfdns_config_defaults(config);
	RCU_INIT_POINTER(nn->config, config);

	err = -ENOMEM;
	nn->stats = alloc_percpu_gfp(struct nfdns_stats, GFP_KERNEL_ACCOUNT);
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
	err = nfdns_rrl_init(nn);
	if (err)
		goto err_pending;
	err = nfdns_hooks_register(net);
	if (err)
		goto err_rrl;
	return 0;

err_rrl:
	nfdns_rrl_destroy(nn);
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

/*
 * The hooks come off first, on their own: the core then waits for a grace
 * period before any .exit runs, so no hook is still running when the
 * namespace's state is drained and freed.  Unregistering them in .exit
 * would not wait for a hook already running.
 */
static void __net_exit nfdns_net_pre_exit(struct net *net)
{
	nfdns_hooks_unregister(net);
}

static void __net_exit nfdns_net_exit(struct net *net)
{
	struct nfdns_net *nn = nfdns_pernet(net);

	/*
	 * No hook runs and no question can be added.  At rmmod the clients
	 * still wait, whose queries were taken: answer them.  When the
	 * namespace itself goes, its clients went with it.
	 */
	nfdns_pending_drain(nn, check_net(net));
	nfdns_resolver_release(nn);
}

/*
 * A pending timeout that took its question out before the drain may still
 * be answering it; it runs under RCU, so one grace period covers every
 * namespace going away in the batch.
 */
static void __net_exit nfdns_net_exit_batch(struct list_head *net_exit_list)
{
	struct net *net;

	synchronize_rcu();
	list_for_each_entry(net, net_exit_list, exit_list) {
		struct nfdns_net *nn = nfdns_pernet(net);

		nfdns_pending_destroy(nn);
		nfdns_cache_destroy(nn);
		nfdns_rrl_destroy(nn);
		nfdns_local_destroy(nn);
		free_percpu(nn->stats);
		/* Readers were hooks, timeouts and commands: all are gone. */
		kfree(rcu_dereference_protected(nn->config, true));
	}
}

static struct pernet_operations nfdns_net_ops = {
	.init = nfdns_net_init,
	.pre_exit = nfdns_net_pre_exit,
	.exit = nfdns_net_exit,
	.exit_batch = nfdns_net_exit_batch,
	.id = &nfdns_net_id,
	.size = sizeof(struct nfdns_net),
};

static int __init nfdns_init(void)
{
	int err;

	nfdns_cache_secret_init();
	nfdns_local_secret_init();
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

/*
 * The family goes first: once it is unregistered no command runs, and
 * no MISS is sent (nfdns_netlink_exit() stops the upcalls before it), so
 * the namespaces' state can go next.  The hooks run until then, passing
 * misses untouched; the clients still waiting are answered as each
 * namespace's state goes.
 */
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
