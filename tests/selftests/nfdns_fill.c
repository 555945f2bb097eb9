// SPDX-License-Identifier: GPL-2.0
/*
 * Fill the nfdns cache of this namespace with N entries, names
 * h<i>.bench. A 192.0.2.1 for i in FIRST..FIRST+N-1 (FIRST is 0 unless
 * given), and write a dnsperf query file of the first M of them.  Used to
 * measure the hit path at a given cache size, and to fill a cache until a
 * limit refuses.  A refusal stops it with "put <i>: <error> (<ext-ack>)".
 *
 *   nfdns_fill [-f FIRST] N [QUERYFILE M]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include <linux/nfdns.h>

#include "genl_util.h"

/* Response for h<i>.bench. A: header, question, one answer by pointer. */
static size_t build(unsigned int i, uint8_t *name, size_t *name_len,
		    uint8_t *resp)
{
	char label[16];
	size_t l = (size_t)snprintf(label, sizeof(label), "h%u", i), n = 0, r;

	name[n++] = (uint8_t)l;
	memcpy(name + n, label, l);
	n += l;
	memcpy(name + n, "\5bench", 7);
	n += 7;
	*name_len = n;

	memcpy(resp, "\0\0\x81\x80\0\1\0\1\0\0\0\0", 12);
	memcpy(resp + 12, name, n);
	r = 12 + n;
	memcpy(resp + r, "\0\1\0\1\xc0\x0c\0\1\0\1\0\1\x51\x80\0\4\xc0\0\2\1", 20);
	return r + 20;
}

/*
 * Touch the stack that reporting a refusal will use, while there is room.
 * In a memory cgroup filled by the cache, a first touch of a stack page
 * after the refusal is a charge that only the OOM killer can satisfy.
 */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char pad[64 * 1024];
	size_t i;

	for (i = 0; i < sizeof(pad); i += 1024)
		pad[i] = 0;
}

int main(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int n, i, m = 0, first = 0;
	FILE *qf = NULL;
	struct nl nl;
	int err;

	if (argc > 2 && !strcmp(argv[1], "-f")) {
		first = (unsigned int)strtoul(argv[2], NULL, 10);
		argc -= 2;
		argv += 2;
	}
	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: nfdns_fill [-f FIRST] N [QUERYFILE M]\n");
		return 2;
	}
	n = (unsigned int)strtoul(argv[1], NULL, 10);
	if (argc == 4) {
		qf = fopen(argv[2], "w");
		m = (unsigned int)strtoul(argv[3], NULL, 10);
		if (!qf) {
			perror(argv[2]);
			return 1;
		}
	}
	prefault_stack();
	err = nl_open(&nl);
	if (err) {
		fprintf(stderr, "nfdns family: %s\n", strerror(-err));
		return 1;
	}
	for (i = first; i - first < n; i++) {
		uint8_t name[64], resp[128];
		size_t name_len, len = build(i, name, &name_len, resp);
		struct nlmsghdr *nlh = nl_request(&nl, buf, NFDNS_CMD_CACHE_PUT, 0);

		mnl_attr_put(nlh, NFDNS_A_QNAME, name_len, name);
		mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, 1);
		mnl_attr_put(nlh, NFDNS_A_RESPONSE, len, resp);
		mnl_attr_put_u32(nlh, NFDNS_A_TTL, 86400);
		err = nl_talk(&nl, nlh, NULL, NULL);
		if (err) {
			fprintf(stderr, "put %u: %s (%s)\n", i, strerror(-err),
				nl.errmsg);
			return 1;
		}
		if (qf && i - first < m)
			fprintf(qf, "h%u.bench A\n", i);
	}
	if (qf)
		fclose(qf);
	nl_close(&nl);
	return 0;
}
