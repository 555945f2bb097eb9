// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/nfdns.h>

#include "genl_util.h"

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		nl->family = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_VERSION:
		nl->version = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
}

static int policy_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	if (mnl_attr_get_type(attr) == NL_POLICY_TYPE_ATTR_MAX_LENGTH &&
	    mnl_attr_get_payload_len(attr) == 4)
		nl->err_max_len = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
			 mnl_attr_get_str(attr));
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_POLICY)
		mnl_attr_parse_nested(attr, policy_attr_cb, nl);
	return MNL_CB_OK;
}

int nl_open(struct nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return -errno;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NFDNS_GENL_NAME);
	return nl_talk(nl, nlh, family_cb, nl);
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *nl_request(struct nl *nl, char *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = NFDNS_GENL_VERSION;
	return nlh;
}

/*
 * Large enough for any dump message: 6.1 kernels can fill a dump message
 * past the reader's last buffer size, and a truncated read loses it.
 */
#define NL_RECV_SIZE	(256 * 1024)

int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	static __thread char buf[NL_RECV_SIZE];
	unsigned int seq = req->nlmsg_seq;
	ssize_t n;

	nl->errmsg[0] = '\0';
	nl->err_max_len = 0;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *nlh;
		int len;

		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		len = (int)n;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
				unsigned int off = sizeof(*err);

				/* The TLVs follow the request the kernel echoes. */
				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += err->msg.nlmsg_len - sizeof(err->msg);
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(nlh, MNL_ALIGN(off),
						       extack_attr_cb, nl);
				return err->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				/* A dump that failed says so here. */
				const int *done = mnl_nlmsg_get_payload(nlh);

				if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*done))
					return 0;
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(nlh, sizeof(*done),
						       extack_attr_cb, nl);
				return *done;
			}
			if (cb && cb(nlh, data) < 0)
				return -EPROTO;
		}
	}
}
