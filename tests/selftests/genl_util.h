/* SPDX-License-Identifier: GPL-2.0 */
/* Small libmnl helpers for talking to the nfdns family in tests. */
#ifndef NFDNS_GENL_UTIL_H
#define NFDNS_GENL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t version;
	uint32_t portid;
	unsigned int seq;
	char errmsg[256];	/* extended-ack message of the last refusal */
	uint32_t err_max_len;	/* its policy's maximum length, 0: none */
};

int nl_open(struct nl *nl);
void nl_close(struct nl *nl);
struct nlmsghdr *nl_request(struct nl *nl, char *buf, uint8_t cmd, uint16_t flags);
/*
 * Send, then receive until the ack or the end of a dump; cb sees each data
 * message.  -errno on a refusal, also when a dump ends with an error.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data);

#endif
