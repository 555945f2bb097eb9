// SPDX-License-Identifier: GPL-2.0
/*
 * A transport for nfdnsctl without a kernel: it keeps every request sent
 * and answers from replies the test queued, built with libnl as the
 * module builds them.  Everything above the transport is nfdnsctl's own
 * code, so parsing, request building and output are tested as shipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nfdnsctl.h"
#include "nfdnsctl_stub.h"

struct stub stub;

int nfdnsctl_open(struct nfdnsctl *ctl)
{
	if (ctl->sock)
		return 0;
	stub.opens++;
	if (stub.not_loaded)
		return nfdnsctl_error(ctl, -ENOENT,
				      "the nfdns module is not loaded (modprobe nfdns)");
	ctl->sock = &stub;
	ctl->family = STUB_FAMILY;
	return 0;
}

void nfdnsctl_close(struct nfdnsctl *ctl)
{
	ctl->sock = NULL;
}

struct nl_msg *nfdnsctl_msg(struct nfdnsctl *ctl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, 0, 0, ctl->family, 0, flags, cmd,
				NFDNS_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int nfdnsctl_request(struct nfdnsctl *ctl, struct nl_msg *msg,
		     nfdnsctl_reply_fn fn, void *arg, const char **extack)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[NFDNS_A_MAX + 1];
	struct stub_reply *r;
	int err = 0;

	*extack = NULL;
	if (ctl->sock != &stub || ctl->family != STUB_FAMILY)
		return -EBADF;
	if (stub.n_requests < STUB_MAX_REQUESTS) {
		stub.requests[stub.n_requests] = malloc(nlh->nlmsg_len);
		memcpy(stub.requests[stub.n_requests], nlh, nlh->nlmsg_len);
		stub.n_requests++;
	}
	nlmsg_free(msg);

	if (stub.next_reply >= stub.n_replies)
		return 0;
	r = &stub.replies[stub.next_reply];
	/* A reply with msgs answers this request; an error ends it. */
	for (size_t i = 0; i < r->n_msgs && !err; i++) {
		if (genlmsg_parse(nlmsg_hdr(r->msgs[i]), 0, tb, NFDNS_A_MAX,
				  NULL))
			return -EPROTO;
		if (fn)
			err = fn(ctl, tb, arg);
	}
	stub.next_reply++;
	if (err)
		return err;
	if (r->err) {
		*extack = r->extack;
		return r->err;
	}
	return 0;
}

void stub_reset(void)
{
	size_t i, j;

	for (i = 0; i < stub.n_requests; i++)
		free(stub.requests[i]);
	for (i = 0; i < stub.n_replies; i++)
		for (j = 0; j < stub.replies[i].n_msgs; j++)
			nlmsg_free(stub.replies[i].msgs[j]);
	memset(&stub, 0, sizeof(stub));
}

struct nl_msg *stub_reply_msg(uint8_t cmd)
{
	struct stub_reply *r = &stub.replies[stub.n_replies - 1];
	struct nl_msg *msg = nlmsg_alloc_size(NFDNS_RESPONSE_MAX + 4096);

	genlmsg_put(msg, 0, 0, STUB_FAMILY, 0, 0, cmd, NFDNS_GENL_VERSION);
	r->msgs[r->n_msgs++] = msg;
	return msg;
}

void stub_reply(int err, const char *extack)
{
	struct stub_reply *r = &stub.replies[stub.n_replies++];

	r->err = err;
	r->extack = extack;
}

int stub_request_attrs(size_t i, struct nlattr **tb)
{
	if (i >= stub.n_requests)
		return -ENOENT;
	return genlmsg_parse(stub.requests[i], 0, tb, NFDNS_A_MAX, NULL);
}

int stub_request_cmd(size_t i)
{
	if (i >= stub.n_requests)
		return -1;
	return ((struct genlmsghdr *)nlmsg_data(stub.requests[i]))->cmd;
}
