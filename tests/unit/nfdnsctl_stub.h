/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel-less transport of the nfdnsctl unit test. */
#ifndef NFDNSCTL_STUB_H
#define NFDNSCTL_STUB_H

#include <stddef.h>

struct nl_msg;
struct nlattr;
struct nlmsghdr;

#define STUB_FAMILY 0x4242
#define STUB_MAX_REQUESTS 16
#define STUB_MAX_REPLIES 16
#define STUB_MAX_MSGS 8

/**
 * struct stub_reply - what the "kernel" answers to one request
 * @msgs: reply messages, passed to the caller's callback in order
 * @n_msgs: how many
 * @err: then the request fails with this (0: it succeeds)
 * @extack: and this extended-ack message
 */
struct stub_reply {
	struct nl_msg *msgs[STUB_MAX_MSGS];
	size_t n_msgs;
	int err;
	const char *extack;
};

struct stub {
	bool not_loaded;
	unsigned int opens;
	struct nlmsghdr *requests[STUB_MAX_REQUESTS];
	size_t n_requests;
	struct stub_reply replies[STUB_MAX_REPLIES];
	size_t n_replies;
	size_t next_reply;
};

extern struct stub stub;

void stub_reset(void);
/* Queue the answer to the next request; then add its messages. */
void stub_reply(int err, const char *extack);
struct nl_msg *stub_reply_msg(uint8_t cmd);
int stub_request_attrs(size_t i, struct nlattr **tb);
int stub_request_cmd(size_t i);

#endif
