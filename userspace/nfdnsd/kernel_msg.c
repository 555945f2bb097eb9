// SPDX-License-Identifier: GPL-2.0
/* Messages to the nfdns module that need no socket: built here, tested on the host. */
#include "kernel_msg.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nfdns.h>

uint32_t kernel_pending_timeout(uint32_t resolve_timeout_ms)
{
	uint64_t ms = (uint64_t)resolve_timeout_ms + KERNEL_PENDING_MARGIN_MS;

	return ms > KERNEL_PENDING_TIMEOUT_MAX ? KERNEL_PENDING_TIMEOUT_MAX : (uint32_t)ms;
}

struct nlmsghdr *kernel_msg_start(void *buf, uint16_t family, uint8_t cmd, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = NFDNS_GENL_VERSION;
	return nlh;
}

struct nlmsghdr *kernel_msg_pending_timeout(void *buf, uint16_t family, uint32_t seq, uint32_t timeout_ms)
{
	struct nlmsghdr *nlh = kernel_msg_start(buf, family, NFDNS_CMD_CONFIG_SET, NLM_F_ACK, seq);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);

	mnl_attr_put_u32(nlh, NFDNS_CONF_A_PENDING_TIMEOUT_MS, timeout_ms);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}
