// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl: the generic netlink transport, on libnl-genl.
 *
 * libnl 3.7 turns a kernel error into an errno but drops its extended-ack
 * message, which is the one thing an operator needs to read; so the error
 * callback here takes the message out of the NLMSGERR attributes itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "nfdnsctl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* A message holds at most one whole entry: 64 KiB with its attributes. */
#define NFDNSCTL_RCVBUF (4 << 20)
#define NFDNSCTL_MSGBUF (256 << 10)

struct request {
	struct nfdnsctl *ctl;
	nfdnsctl_reply_fn fn;
	void *arg;
	int err;
	bool done;
	char extack[256];
};

static int enter_netns(struct nfdnsctl *ctl)
{
	char path[4096];
	int fd, err = 0;

	if (strchr(ctl->netns, '/'))
		snprintf(path, sizeof(path), "%s", ctl->netns);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", ctl->netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nfdnsctl_error(ctl, -errno, "network namespace %s: %s",
				      ctl->netns, strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0)
		err = nfdnsctl_error(ctl, -errno,
				     "cannot enter network namespace %s: %s",
				     ctl->netns, strerror(errno));
	close(fd);
	return err;
}

/**
 * nfdnsctl_open() - connect to the nfdns family, once per invocation
 * @ctl: the invocation
 *
 * Return: 0, or -errno after saying what is wrong (-ENOENT: the module is
 * not loaded).
 */
int nfdnsctl_open(struct nfdnsctl *ctl)
{
	struct nl_sock *sk;
	int one = 1, err;

	if (ctl->sock)
		return 0;
	if (ctl->netns) {
		err = enter_netns(ctl);
		if (err)
			return err;
	}
	sk = nl_socket_alloc();
	if (!sk)
		return nfdnsctl_error(ctl, -ENOMEM, "out of memory");
	err = genl_connect(sk);
	if (err < 0) {
		err = nfdnsctl_error(ctl, -EIO,
				     "cannot open a netlink socket: %s",
				     nl_geterror(err));
		goto err_free;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
	nl_socket_set_buffer_size(sk, NFDNSCTL_RCVBUF, 0);
	nl_socket_set_msg_buf_size(sk, NFDNSCTL_MSGBUF);
	/* Peeking sizes the buffer to each message, however large. */
	nl_socket_enable_msg_peek(sk);

	ctl->family = genl_ctrl_resolve(sk, NFDNS_GENL_NAME);
	if (ctl->family < 0) {
		err = nfdnsctl_error(ctl, -ENOENT,
				     "the nfdns module is not loaded (modprobe nfdns)");
		goto err_free;
	}
	ctl->sock = sk;
	return 0;

err_free:
	nl_socket_free(sk);
	return err;
}

/**
 * nfdnsctl_close() - drop the connection
 * @ctl: the invocation
 */
void nfdnsctl_close(struct nfdnsctl *ctl)
{
	if (ctl->sock) {
		nl_socket_free(ctl->sock);
		ctl->sock = NULL;
	}
}

/**
 * nfdnsctl_msg() - a new request of the nfdns family
 * @ctl: an open invocation
 * @cmd: %NFDNS_CMD_*
 * @flags: extra netlink flags (%NLM_F_DUMP)
 *
 * Return: the message, or NULL when out of memory.
 */
struct nl_msg *nfdnsctl_msg(struct nfdnsctl *ctl, uint8_t cmd, int flags)
{
	/* Room for a CACHE_PUT of the largest response the kernel stores. */
	struct nl_msg *msg = nlmsg_alloc_size(NFDNS_ENTRY_RESPONSE_MAX + 4096);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctl->family, 0, flags,
			 cmd, NFDNS_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	struct nlattr *tb[NFDNS_A_MAX + 1];
	int err;

	if (req->err)
		return NL_SKIP;
	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, NFDNS_A_MAX, NULL);
	if (err < 0) {
		req->err = -EPROTO;
		return NL_SKIP;
	}
	if (req->fn) {
		err = req->fn(req->ctl, tb, req->arg);
		if (err)
			req->err = err;
	}
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *nlh = (const void *)((const char *)e - NLMSG_HDRLEN);
	struct request *req = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;

	(void)nla;
	req->err = e->error ? e->error : req->err;
	req->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	/* The TLVs follow the echoed request, which may be capped. */
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	if (off >= nlh->nlmsg_len)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, NULL) < 0)
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(req->extack, sizeof(req->extack), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

/* A dump that fails part way ends with its error in NLMSG_DONE. */
static void done_error(struct request *req, const struct nlmsghdr *nlh)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int err;

	if (nlh->nlmsg_type != NLMSG_DONE ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(err)))
		return;
	memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (err >= 0 || req->err)
		return;
	req->err = err;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)NLMSG_DATA(nlh) + NLA_ALIGN(sizeof(err))),
		      nlh->nlmsg_len - NLMSG_LENGTH(NLA_ALIGN(sizeof(err))), NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(req->extack, sizeof(req->extack), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	done_error(req, nlmsg_hdr(msg));
	req->done = true;
	return NL_STOP;
}

/**
 * nfdnsctl_request() - send a request and read every reply to it
 * @ctl: an open invocation
 * @msg: the request, freed here
 * @fn: called for each reply message (NULL: none expected)
 * @arg: passed to @fn
 * @extack: set to the kernel's extended-ack message on a refusal, or NULL
 *
 * Return: 0, the first error @fn returned, or the kernel's -errno.
 */
int nfdnsctl_request(struct nfdnsctl *ctl, struct nl_msg *msg,
		     nfdnsctl_reply_fn fn, void *arg, const char **extack)
{
	static char last_extack[256];
	struct request req = { .ctl = ctl, .fn = fn, .arg = arg };
	struct nl_sock *sk = ctl->sock;
	struct nl_cb *cb;
	int err;

	*extack = NULL;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_finish, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);

	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		err = -EIO;
		goto out;
	}
	while (!req.done) {
		err = nl_recvmsgs(sk, cb);
		if (err < 0 && !req.done) {
			/* An interrupted read is retried; anything else ends. */
			if (err == -NLE_INTR || err == -NLE_AGAIN)
				continue;
			req.err = req.err ? req.err : -EIO;
			break;
		}
	}
	err = req.err;
	if (req.extack[0]) {
		memcpy(last_extack, req.extack, sizeof(last_extack));
		*extack = last_extack;
	}
out:
	nl_cb_put(cb);
	return err;
}
