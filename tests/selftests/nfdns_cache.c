// SPDX-License-Identifier: GPL-2.0
/*
 * kselftest: the nfdns cache.  The cache commands over netlink, and the
 * path of a query through the hooks with this program as the client (UDP
 * to the loopback addresses, seen by LOCAL_OUT) and as the resolver (a
 * registered netlink socket receiving NFDNS_CMD_MISS).  Each test runs in
 * a network namespace of its own, so it starts from the defaults with an
 * empty cache and zeroed counters.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/genetlink.h>

#include <linux/nfdns.h>

#include "kselftest_harness.h"
#include "genl_util.h"

/*
 * The harness's test wrappers keep locals across their setjmp(); whether
 * GCC warns about that depends on how much of the test it inlines.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define TYPE_A		1
#define TYPE_SOA	6
#define TYPE_TXT	16
#define TYPE_AAAA	28
#define TYPE_OPT	41

#define RCODE_NOERROR	0
#define RCODE_SERVFAIL	2
#define RCODE_NXDOMAIN	3

/* Bounds on waits: generous, since the VM may run without KVM. */
#define REPLY_WAIT_MS	10000
/* How long silence must last before "nothing more came" is believed. */
#define QUIET_MS	300

#define MSG_BUF		(NFDNS_RESPONSE_MAX + 4096)

/* ---- DNS messages ------------------------------------------------------ */

struct msg {
	uint8_t b[NFDNS_RESPONSE_MAX];
	size_t len;
};

static void put8(struct msg *m, uint8_t v)
{
	m->b[m->len++] = v;
}

static void put16(struct msg *m, uint16_t v)
{
	put8(m, v >> 8);
	put8(m, v & 0xff);
}

static void put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

static void put_bytes(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

/* "www.example." (trailing dot optional, "." for the root) to wire form. */
static int name_wire(const char *dotted, uint8_t *out)
{
	const char *p = dotted;
	int n = 0;

	while (*p && strcmp(p, ".")) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		if (l == 0 || l > 63 || n + 1 + l > NFDNS_NAME_MAX - 1)
			return -1;
		out[n++] = l;
		memcpy(out + n, p, l);
		n += l;
		p += l;
		if (*p == '.')
			p++;
	}
	out[n++] = 0;
	return n;
}

static void put_name(struct msg *m, const char *dotted)
{
	m->len += name_wire(dotted, m->b + m->len);
}

struct query_opts {
	uint16_t id;
	bool no_rd;
	bool cd;
	bool edns;
	uint16_t udp_size;
	bool do_bit;
};

static void build_query(struct msg *m, const char *name, uint16_t qtype,
			const struct query_opts *o)
{
	m->len = 0;
	put16(m, o->id);
	put8(m, o->no_rd ? 0 : 0x01);
	put8(m, o->cd ? 0x10 : 0);
	put16(m, 1);
	put16(m, 0);
	put16(m, 0);
	put16(m, o->edns ? 1 : 0);
	put_name(m, name);
	put16(m, qtype);
	put16(m, 1);
	if (o->edns) {
		put8(m, 0);			/* root owner */
		put16(m, TYPE_OPT);
		put16(m, o->udp_size);		/* class: payload size */
		put8(m, 0);			/* extended RCODE */
		put8(m, 0);			/* version */
		put16(m, o->do_bit ? 0x8000 : 0);
		put16(m, 0);			/* no options */
	}
}

static void put_rdata(struct msg *m, uint16_t type, unsigned int i)
{
	static const uint8_t v6[14] = { 0x20, 0x01, 0x0d, 0xb8 };

	switch (type) {
	case TYPE_A:
		put16(m, 4);
		put8(m, 192);
		put8(m, 0);
		put8(m, 2 + i / 250);
		put8(m, 1 + i % 250);
		break;
	case TYPE_AAAA:
		put16(m, 16);
		put_bytes(m, v6, sizeof(v6));
		put16(m, i + 1);
		break;
	default:	/* a TXT-shaped string: fine for any opaque type */
		put16(m, 3);
		put8(m, 2);
		put8(m, 'h');
		put8(m, 'i');
	}
}

struct resp_opts {
	uint16_t qclass;	/* 0: IN */
	uint8_t rcode;
	unsigned int answers;	/* records of the question's type */
	bool soa;		/* an SOA of example. in the authority section */
	bool opt;		/* an OPT record in the additional section */
	bool query;		/* QR=0: not a response */
	uint32_t ttl;
};

/*
 * A response as a resolver would push it: question as given, answers
 * owned by a compression pointer to the question name.
 */
static void build_response(struct msg *m, const char *name, uint16_t qtype,
			   const struct resp_opts *o)
{
	unsigned int i;

	m->len = 0;
	put16(m, 0);
	put8(m, o->query ? 0x01 : 0x81);	/* QR, RD */
	put8(m, 0x80 | o->rcode);		/* RA */
	put16(m, 1);
	put16(m, o->answers);
	put16(m, o->soa ? 1 : 0);
	put16(m, o->opt ? 1 : 0);
	put_name(m, name);
	put16(m, qtype);
	put16(m, o->qclass ? o->qclass : 1);
	for (i = 0; i < o->answers; i++) {
		put16(m, 0xc00c);
		put16(m, qtype);
		put16(m, o->qclass ? o->qclass : 1);
		put32(m, o->ttl);
		put_rdata(m, qtype, i);
	}
	if (o->soa) {
		struct msg rd = { .len = 0 };

		put_name(&rd, "ns1.example.");
		put_name(&rd, "hostmaster.example.");
		put32(&rd, 1);
		put32(&rd, 3600);
		put32(&rd, 900);
		put32(&rd, 604800);
		put32(&rd, 60);
		put_name(m, "example.");
		put16(m, TYPE_SOA);
		put16(m, 1);
		put32(m, o->ttl);
		put16(m, rd.len);
		put_bytes(m, rd.b, rd.len);
	}
	if (o->opt) {
		put8(m, 0);
		put16(m, TYPE_OPT);
		put16(m, 1232);
		put32(m, 0);
		put16(m, 0);
	}
}

/* One A record, TTL 300: the common case. */
static void build_answer(struct msg *m, const char *name, uint16_t qtype)
{
	struct resp_opts o = { .answers = 1, .ttl = 300 };

	build_response(m, name, qtype, &o);
}

struct reply {
	uint16_t id;
	uint8_t f1, f2;
	uint16_t qd, an, ns, ar;
	const uint8_t *qname;
	int qname_len;
	uint16_t qtype, qclass;
	bool has_opt;
	uint16_t opt_udp_size;
	bool opt_do;
	uint32_t max_answer_ttl;
	uint16_t first_type;
	uint8_t first_rdata[16];
	uint16_t first_rdlen;
};

#define REPLY_RCODE(r)	((r)->f2 & 0x0f)
#define REPLY_QR(r)	(!!((r)->f1 & 0x80))
#define REPLY_TC(r)	(!!((r)->f1 & 0x02))
#define REPLY_RD(r)	(!!((r)->f1 & 0x01))
#define REPLY_RA(r)	(!!((r)->f2 & 0x80))
#define REPLY_CD(r)	(!!((r)->f2 & 0x10))

static uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* Offset past the name at off, or -1. */
static int skip_name(const uint8_t *m, size_t len, size_t off)
{
	while (off < len) {
		if ((m[off] & 0xc0) == 0xc0)
			return off + 2 <= len ? (int)off + 2 : -1;
		if (m[off] == 0)
			return off + 1;
		off += 1 + m[off];
	}
	return -1;
}

static int parse_reply(const uint8_t *m, size_t len, struct reply *r)
{
	unsigned int i;
	int off;

	memset(r, 0, sizeof(*r));
	if (len < 12)
		return -1;
	r->id = get16(m);
	r->f1 = m[2];
	r->f2 = m[3];
	r->qd = get16(m + 4);
	r->an = get16(m + 6);
	r->ns = get16(m + 8);
	r->ar = get16(m + 10);
	off = 12;
	if (r->qd == 1) {
		off = skip_name(m, len, 12);
		if (off < 0 || off + 4 > (int)len)
			return -1;
		r->qname = m + 12;
		r->qname_len = off - 12;
		r->qtype = get16(m + off);
		r->qclass = get16(m + off + 2);
		off += 4;
	} else if (r->qd) {
		return -1;
	}
	for (i = 0; i < (unsigned int)(r->an + r->ns + r->ar); i++) {
		uint16_t type, rdlen;
		uint32_t ttl;

		off = skip_name(m, len, off);
		if (off < 0 || off + 10 > (int)len)
			return -1;
		type = get16(m + off);
		ttl = get32(m + off + 4);
		rdlen = get16(m + off + 8);
		if (off + 10 + rdlen > (int)len)
			return -1;
		if (i < r->an) {
			if (i == 0) {
				r->first_type = type;
				r->first_rdlen = rdlen;
				memcpy(r->first_rdata, m + off + 10,
				       rdlen < 16 ? rdlen : 16);
			}
			if (ttl > r->max_answer_ttl)
				r->max_answer_ttl = ttl;
		}
		if (i >= r->an + r->ns && type == TYPE_OPT) {
			r->has_opt = true;
			r->opt_udp_size = get16(m + off + 2);
			r->opt_do = !!(ttl & 0x8000);
		}
		off += 10 + rdlen;
	}
	return off == (int)len ? 0 : -1;
}

/* ---- netlink ------------------------------------------------------------ */

static int simple_cmd(struct nl *nl, uint8_t cmd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return nl_talk(nl, nl_request(nl, buf, cmd, 0), NULL, NULL);
}

/* CONFIG_SET of one setting of 1, 4 or 8 bytes. */
static int config_set(struct nl *nl, uint16_t type, uint64_t value, int size)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, NFDNS_CMD_CONFIG_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);

	if (size == 1)
		mnl_attr_put_u8(nlh, type, value);
	else if (size == 8)
		mnl_attr_put_u64(nlh, type, value);
	else
		mnl_attr_put_u32(nlh, type, value);
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nl, nlh, NULL, NULL);
}

static void put_question(struct nlmsghdr *nlh, const char *name,
			 uint16_t qtype, bool do_bit)
{
	uint8_t wire[NFDNS_NAME_MAX + 64];
	int n = name_wire(name, wire);

	mnl_attr_put(nlh, NFDNS_A_QNAME, n, wire);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, qtype);
	mnl_attr_put_u16(nlh, NFDNS_A_QCLASS, 1);
	if (do_bit)
		mnl_attr_put(nlh, NFDNS_A_DO, 0, NULL);
}

static struct nlmsghdr *put_request(struct nl *nl, char *buf, const char *name,
				    uint16_t qtype, bool do_bit,
				    const struct msg *resp, uint32_t ttl,
				    uint32_t flags)
{
	struct nlmsghdr *nlh = nl_request(nl, buf, NFDNS_CMD_CACHE_PUT, 0);

	put_question(nlh, name, qtype, do_bit);
	mnl_attr_put(nlh, NFDNS_A_RESPONSE, resp->len, resp->b);
	mnl_attr_put_u32(nlh, NFDNS_A_TTL, ttl);
	if (flags)
		mnl_attr_put_u32(nlh, NFDNS_A_FLAGS, flags);
	return nlh;
}

static int cache_put(struct nl *nl, const char *name, uint16_t qtype,
		     bool do_bit, const struct msg *resp, uint32_t ttl,
		     uint32_t flags)
{
	static char buf[MSG_BUF];

	return nl_talk(nl, put_request(nl, buf, name, qtype, do_bit, resp,
				       ttl, flags), NULL, NULL);
}

/* PUT of a one-record answer with TTL 300. */
static int put_simple(struct nl *nl, const char *name, uint16_t qtype,
		      uint32_t flags)
{
	struct msg m;

	build_answer(&m, name, qtype);
	return cache_put(nl, name, qtype, false, &m, 300, flags);
}

static int cache_fail(struct nl *nl, const char *name, uint16_t qtype,
		      bool do_bit, uint8_t rcode, int64_t ttl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, NFDNS_CMD_CACHE_FAIL, 0);

	put_question(nlh, name, qtype, do_bit);
	mnl_attr_put_u8(nlh, NFDNS_A_RCODE, rcode);
	if (ttl >= 0)
		mnl_attr_put_u32(nlh, NFDNS_A_TTL, ttl);
	return nl_talk(nl, nlh, NULL, NULL);
}

static int count_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFDNS_A_COUNT &&
	    mnl_attr_get_payload_len(attr) == 8)
		*(int64_t *)data = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), count_attr_cb, data);
}

/* CACHE_DEL; qtype 0 deletes every type.  *count: -1 when no reply came. */
static int cache_del(struct nl *nl, const char *name, uint16_t qtype,
		     bool subtree, int64_t *count)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint8_t wire[NFDNS_NAME_MAX + 64];
	struct nlmsghdr *nlh = nl_request(nl, buf, NFDNS_CMD_CACHE_DEL, 0);

	mnl_attr_put(nlh, NFDNS_A_QNAME, name_wire(name, wire), wire);
	if (qtype)
		mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, qtype);
	if (subtree)
		mnl_attr_put(nlh, NFDNS_A_SUBTREE, 0, NULL);
	*count = -1;
	return nl_talk(nl, nlh, count_cb, count);
}

static int cache_flush(struct nl *nl, int64_t *count)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	*count = -1;
	return nl_talk(nl, nl_request(nl, buf, NFDNS_CMD_CACHE_FLUSH, 0),
		       count_cb, count);
}

struct entry {
	unsigned int n_entries;	/* NFDNS_A_ENTRY nests seen */
	uint8_t qname[NFDNS_NAME_MAX + 1];
	int qname_len;
	uint16_t qtype, qclass;
	bool do_bit;
	uint8_t response[NFDNS_RESPONSE_MAX];
	int response_len;
	uint32_t ttl, remaining, flags;
	bool has_ttl, has_remaining, has_flags;
};

static int entry_attr_cb(const struct nlattr *attr, void *data)
{
	struct entry *e = data;
	uint16_t len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case NFDNS_ENTRY_A_QNAME:
		if (len <= NFDNS_NAME_MAX) {
			memcpy(e->qname, mnl_attr_get_payload(attr), len);
			e->qname_len = len;
		}
		break;
	case NFDNS_ENTRY_A_QTYPE:
		e->qtype = mnl_attr_get_u16(attr);
		break;
	case NFDNS_ENTRY_A_QCLASS:
		e->qclass = mnl_attr_get_u16(attr);
		break;
	case NFDNS_ENTRY_A_DO:
		e->do_bit = true;
		break;
	case NFDNS_ENTRY_A_RESPONSE:
		memcpy(e->response, mnl_attr_get_payload(attr), len);
		e->response_len = len;
		break;
	case NFDNS_ENTRY_A_TTL:
		e->ttl = mnl_attr_get_u32(attr);
		e->has_ttl = true;
		break;
	case NFDNS_ENTRY_A_REMAINING:
		e->remaining = mnl_attr_get_u32(attr);
		e->has_remaining = true;
		break;
	case NFDNS_ENTRY_A_FLAGS:
		e->flags = mnl_attr_get_u32(attr);
		e->has_flags = true;
		break;
	}
	return MNL_CB_OK;
}

static int entry_top_cb(const struct nlattr *attr, void *data)
{
	struct entry *e = data;

	if (mnl_attr_get_type(attr) == NFDNS_A_ENTRY) {
		e->n_entries++;
		mnl_attr_parse_nested(attr, entry_attr_cb, e);
	}
	return MNL_CB_OK;
}

static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), entry_top_cb, data);
}

/* CACHE_GET of one question into *e (zeroed first). */
static int cache_get(struct nl *nl, const char *name, uint16_t qtype,
		     bool do_bit, struct entry *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint8_t wire[NFDNS_NAME_MAX + 64];
	struct nlmsghdr *nlh = nl_request(nl, buf, NFDNS_CMD_CACHE_GET, 0);

	mnl_attr_put(nlh, NFDNS_A_QNAME, name_wire(name, wire), wire);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, qtype);
	if (do_bit)
		mnl_attr_put(nlh, NFDNS_A_DO, 0, NULL);
	memset(e, 0, sizeof(*e));
	return nl_talk(nl, nlh, entry_cb, e);
}

/* Whether the question is in the cache (any error but ENOENT counts as no). */
static bool cached(struct nl *nl, const char *name, uint16_t qtype)
{
	static struct entry e;

	return cache_get(nl, name, qtype, false, &e) == 0 && e.n_entries == 1;
}

struct stats {
	uint64_t v[NFDNS_STAT_A_MAX + 1];
};

static int stats_attr_cb(const struct nlattr *attr, void *data)
{
	struct stats *s = data;

	if (mnl_attr_get_type(attr) <= NFDNS_STAT_A_MAX &&
	    mnl_attr_get_payload_len(attr) == 8)
		s->v[mnl_attr_get_type(attr)] = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int stats_top_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFDNS_A_STATS)
		mnl_attr_parse_nested(attr, stats_attr_cb, data);
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), stats_top_cb, data);
}

/* One counter; UINT64_MAX when STATS_GET failed. */
static uint64_t counter(struct nl *nl, unsigned int which)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct stats s;

	memset(&s, 0, sizeof(s));
	if (nl_talk(nl, nl_request(nl, buf, NFDNS_CMD_STATS_GET, 0),
		    stats_cb, &s))
		return UINT64_MAX;
	return s.v[which];
}

/* ---- the resolver side -------------------------------------------------- */

struct miss {
	uint8_t cmd;
	uint8_t qname[NFDNS_NAME_MAX + 1];
	int qname_len;
	uint16_t qtype, qclass;
	bool has_qtype, has_qclass;
	bool do_bit;
};

static int miss_attr_cb(const struct nlattr *attr, void *data)
{
	struct miss *m = data;
	uint16_t len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case NFDNS_A_QNAME:
		if (len <= NFDNS_NAME_MAX) {
			memcpy(m->qname, mnl_attr_get_payload(attr), len);
			m->qname_len = len;
		}
		break;
	case NFDNS_A_QTYPE:
		m->qtype = mnl_attr_get_u16(attr);
		m->has_qtype = true;
		break;
	case NFDNS_A_QCLASS:
		m->qclass = mnl_attr_get_u16(attr);
		m->has_qclass = true;
		break;
	case NFDNS_A_DO:
		m->do_bit = true;
		break;
	}
	return MNL_CB_OK;
}

/*
 * Wait up to timeout_ms for messages on the resolver socket; return how
 * many NFDNS_CMD_MISS came in the first datagram that held any (the first
 * is parsed into *m), 0 on timeout, -1 on error.
 */
static int recv_miss(struct nl *r, struct miss *m, int timeout_ms)
{
	static char buf[65536];
	struct pollfd p = { .fd = mnl_socket_get_fd(r->sock), .events = POLLIN };
	struct nlmsghdr *nlh;
	int n, len, misses = 0;

	memset(m, 0, sizeof(*m));
	n = poll(&p, 1, timeout_ms);
	if (n <= 0)
		return n;
	len = mnl_socket_recvfrom(r->sock, buf, sizeof(buf));
	if (len < 0)
		return -1;
	for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_type != r->family || g->cmd != NFDNS_CMD_MISS)
			continue;
		if (!misses++) {
			m->cmd = g->cmd;
			mnl_attr_parse(nlh, sizeof(*g), miss_attr_cb, m);
		}
	}
	return misses;
}

/* MISS messages that arrive until the socket stays quiet for QUIET_MS. */
static int count_misses(struct nl *r)
{
	struct miss m;
	int n, total = 0;

	while ((n = recv_miss(r, &m, QUIET_MS)) > 0)
		total += n;
	return n < 0 ? -1 : total;
}

static int resolver_open(struct nl *r)
{
	int err = nl_open(r);

	return err ? err : simple_cmd(r, NFDNS_CMD_RESOLVER_REGISTER);
}

/* ---- the client side ---------------------------------------------------- */

static int loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err = 0;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		err = -errno;
	close(fd);
	return err;
}

static socklen_t server_addr(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(53);
		s6->sin6_addr = in6addr_loopback;
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(53);
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*s4);
	}
}

static int udp_client(int family)
{
	return socket(family, SOCK_DGRAM, 0);
}

static int send_query(int fd, int family, const struct msg *q)
{
	struct sockaddr_storage ss;
	socklen_t sl = server_addr(family, &ss);

	return sendto(fd, q->b, q->len, 0, (struct sockaddr *)&ss, sl) ==
	       (ssize_t)q->len ? 0 : -errno;
}

/* A query for name/qtype with RD=1 and the given ID, nothing else. */
static int ask(int fd, int family, const char *name, uint16_t qtype,
	       uint16_t id)
{
	struct query_opts o = { .id = id };
	struct msg q;

	build_query(&q, name, qtype, &o);
	return send_query(fd, family, &q);
}

/*
 * Wait up to timeout_ms for a datagram; return its length, 0 on timeout.
 * *from gets the sender.
 */
static ssize_t recv_reply(int fd, struct msg *m, int timeout_ms,
			  struct sockaddr_storage *from)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	socklen_t sl = sizeof(*from);
	ssize_t n;

	m->len = 0;
	n = poll(&p, 1, timeout_ms);
	if (n <= 0)
		return n;
	n = recvfrom(fd, m->b, sizeof(m->b), 0, (struct sockaddr *)from, &sl);
	if (n > 0)
		m->len = n;
	return n;
}

/* A reply arrived from the address and port the query went to. */
static bool from_server(const struct sockaddr_storage *from, int family)
{
	struct sockaddr_storage want;

	server_addr(family, &want);
	if (from->ss_family != family)
		return false;
	if (family == AF_INET6)
		return !memcmp(&((struct sockaddr_in6 *)from)->sin6_addr,
			       &((struct sockaddr_in6 *)&want)->sin6_addr, 16) &&
		       ((struct sockaddr_in6 *)from)->sin6_port == htons(53);
	return ((struct sockaddr_in *)from)->sin_addr.s_addr ==
		       htonl(INADDR_LOOPBACK) &&
	       ((struct sockaddr_in *)from)->sin_port == htons(53);
}

/* Send a query and wait for its reply; 0 and *r filled, or -1. */
static int query_and_wait(int family, const char *name, uint16_t qtype,
			  const struct query_opts *o, struct msg *buf,
			  struct reply *r)
{
	struct sockaddr_storage from;
	struct msg q;
	int fd = udp_client(family), ret = -1;

	if (fd < 0)
		return -1;
	build_query(&q, name, qtype, o);
	if (!send_query(fd, family, &q) &&
	    recv_reply(fd, buf, REPLY_WAIT_MS, &from) > 0 &&
	    from_server(&from, family) && !parse_reply(buf->b, buf->len, r))
		ret = 0;
	close(fd);
	return ret;
}

static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[0].effective &= ~(1U << CAP_NET_ADMIN);
	data[0].permitted &= ~(1U << CAP_NET_ADMIN);
	data[0].inheritable &= ~(1U << CAP_NET_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/* Whether the running kernel is older than major.minor. */
static bool kernel_before(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma < major || (ma == major && mi < minor);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- tests -------------------------------------------------------------- */

FIXTURE(cache) {
	struct nl nl;
	struct entry *e;
	struct msg *m;
};

FIXTURE_SETUP(cache)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, loopback_up());
	ASSERT_EQ(0, nl_open(&self->nl)) TH_LOG("is nfdns.ko loaded?");
	ASSERT_NE(0, self->nl.family);
	self->e = calloc(1, sizeof(*self->e));
	self->m = calloc(1, sizeof(*self->m));
	ASSERT_NE(NULL, self->e);
	ASSERT_NE(NULL, self->m);
}

FIXTURE_TEARDOWN(cache)
{
	nl_close(&self->nl);
	free(self->e);
	free(self->m);
}

TEST_F(cache, put_get_roundtrip)
{
	static const uint8_t lc_wire[] = "\3www\7example";
	struct entry *e = self->e;
	struct msg resp;

	build_answer(&resp, "www.example.", TYPE_A);
	ASSERT_EQ(0, cache_put(&self->nl, "www.example.", TYPE_A, false, &resp,
			       300, 0)) TH_LOG("%s", self->nl.errmsg);

	/* The key is case-insensitive; the entry's name comes back lower. */
	ASSERT_EQ(0, cache_get(&self->nl, "WwW.ExAmPlE.", TYPE_A, false, e))
		TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(1, e->n_entries);
	ASSERT_EQ(sizeof(lc_wire), e->qname_len);
	EXPECT_EQ(0, memcmp(lc_wire, e->qname, sizeof(lc_wire)));
	EXPECT_EQ(TYPE_A, e->qtype);
	EXPECT_EQ(1, e->qclass);
	EXPECT_FALSE(e->do_bit);
	ASSERT_EQ(resp.len, e->response_len);
	EXPECT_EQ(0, memcmp(resp.b, e->response, resp.len));
	EXPECT_TRUE(e->has_ttl);
	EXPECT_EQ(300, e->ttl);
	EXPECT_TRUE(e->has_remaining);
	EXPECT_GE(300, e->remaining);
	EXPECT_LT(0, e->remaining);
	EXPECT_TRUE(e->has_flags);
	EXPECT_EQ(0, e->flags);

	/* Another type, or the DO variant, is another key. */
	EXPECT_EQ(-ENOENT, cache_get(&self->nl, "www.example.", TYPE_AAAA,
				     false, e));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	EXPECT_EQ(-ENOENT, cache_get(&self->nl, "www.example.", TYPE_A, true, e));

	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_INSERTS));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
	EXPECT_LT(resp.len - 1, counter(&self->nl, NFDNS_STAT_A_BYTES));

	/* A second PUT of the same question replaces the first. */
	ASSERT_EQ(0, cache_put(&self->nl, "www.example.", TYPE_A, false, &resp,
			       120, 0));
	ASSERT_EQ(0, cache_get(&self->nl, "www.example.", TYPE_A, false, e));
	EXPECT_EQ(120, e->ttl);
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
}

TEST_F(cache, put_flags)
{
	struct resp_opts nx = { .rcode = RCODE_NXDOMAIN, .soa = true, .ttl = 60 };
	struct resp_opts nodata = { .soa = true, .ttl = 60 };
	struct entry *e = self->e;
	struct msg resp;

	ASSERT_EQ(0, put_simple(&self->nl, "static.example.", TYPE_A,
				NFDNS_ENTRY_F_STATIC)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, cache_get(&self->nl, "static.example.", TYPE_A, false, e));
	EXPECT_EQ(NFDNS_ENTRY_F_STATIC, e->flags);

	build_response(&resp, "nx.example.", TYPE_A, &nx);
	ASSERT_EQ(0, cache_put(&self->nl, "nx.example.", TYPE_A, false, &resp,
			       60, 0)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, cache_get(&self->nl, "nx.example.", TYPE_A, false, e));
	EXPECT_EQ(NFDNS_ENTRY_F_NEGATIVE, e->flags);

	build_response(&resp, "www.example.", TYPE_TXT, &nodata);
	ASSERT_EQ(0, cache_put(&self->nl, "www.example.", TYPE_TXT, false, &resp,
			       60, 0)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, cache_get(&self->nl, "www.example.", TYPE_TXT, false, e));
	EXPECT_EQ(NFDNS_ENTRY_F_NEGATIVE, e->flags);

	/* The DO bit is part of the key. */
	build_answer(&resp, "www.example.", TYPE_A);
	ASSERT_EQ(0, cache_put(&self->nl, "www.example.", TYPE_A, true, &resp,
			       300, 0));
	ASSERT_EQ(0, cache_get(&self->nl, "www.example.", TYPE_A, true, e));
	EXPECT_TRUE(e->do_bit);
	EXPECT_EQ(-ENOENT, cache_get(&self->nl, "www.example.", TYPE_A, false, e));
}

TEST_F(cache, put_without_qclass_means_in)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint8_t wire[64];
	struct nlmsghdr *nlh;
	struct msg resp;

	build_answer(&resp, "www.example.", TYPE_A);
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CACHE_PUT, 0);
	mnl_attr_put(nlh, NFDNS_A_QNAME, name_wire("www.example.", wire), wire);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, TYPE_A);
	mnl_attr_put(nlh, NFDNS_A_RESPONSE, resp.len, resp.b);
	mnl_attr_put_u32(nlh, NFDNS_A_TTL, 300);
	ASSERT_EQ(0, nl_talk(&self->nl, nlh, NULL, NULL))
		TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, cache_get(&self->nl, "www.example.", TYPE_A, false, self->e));
	EXPECT_EQ(1, self->e->qclass);
}

TEST_F(cache, ttl_clamped_by_config)
{
	struct resp_opts nx = { .rcode = RCODE_NXDOMAIN, .soa = true, .ttl = 300 };
	struct entry *e = self->e;
	struct msg resp;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_TTL, 600, 4));
	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MIN_TTL, 20, 4));
	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_NEG_MAX_TTL, 30, 4));

	build_answer(&resp, "short.example.", TYPE_A);
	ASSERT_EQ(0, cache_put(&self->nl, "short.example.", TYPE_A, false,
			       &resp, 5, 0)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, cache_get(&self->nl, "short.example.", TYPE_A, false, e));
	EXPECT_EQ(20, e->ttl);

	build_answer(&resp, "long.example.", TYPE_A);
	ASSERT_EQ(0, cache_put(&self->nl, "long.example.", TYPE_A, false,
			       &resp, 10000, 0));
	ASSERT_EQ(0, cache_get(&self->nl, "long.example.", TYPE_A, false, e));
	EXPECT_EQ(600, e->ttl);
	EXPECT_GE(600, e->remaining);

	build_answer(&resp, "mid.example.", TYPE_A);
	ASSERT_EQ(0, cache_put(&self->nl, "mid.example.", TYPE_A, false,
			       &resp, 200, 0));
	ASSERT_EQ(0, cache_get(&self->nl, "mid.example.", TYPE_A, false, e));
	EXPECT_EQ(200, e->ttl);

	build_response(&resp, "nx.example.", TYPE_A, &nx);
	ASSERT_EQ(0, cache_put(&self->nl, "nx.example.", TYPE_A, false, &resp,
			       300, 0)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, cache_get(&self->nl, "nx.example.", TYPE_A, false, e));
	EXPECT_EQ(30, e->ttl);
}

/* A PUT of resp for www.example./A that must be refused with a reason. */
#define EXPECT_PUT_REFUSED(resp)						\
	do {									\
		EXPECT_EQ(-EINVAL, cache_put(&self->nl, "www.example.", TYPE_A, \
					     false, (resp), 300, 0));		\
		EXPECT_NE(0, strlen(self->nl.errmsg));				\
		TH_LOG("refusal: %s", self->nl.errmsg);				\
	} while (0)

TEST_F(cache, put_refused_with_reason)
{
	struct resp_opts o = { .answers = 1, .ttl = 300 };
	struct msg resp;
	unsigned int refused = 0;

	/* A record count that promises more than there is. */
	build_answer(&resp, "www.example.", TYPE_A);
	resp.b[7] = 2;
	EXPECT_PUT_REFUSED(&resp);
	refused++;

	/* Cut short in the middle of the answer. */
	build_answer(&resp, "www.example.", TYPE_A);
	resp.len -= 3;
	EXPECT_PUT_REFUSED(&resp);
	refused++;

	/* Bytes after the last record. */
	build_answer(&resp, "www.example.", TYPE_A);
	resp.b[resp.len++] = 0;
	EXPECT_PUT_REFUSED(&resp);
	refused++;

	/* The response is for another name, type or class. */
	build_answer(&resp, "other.example.", TYPE_A);
	EXPECT_PUT_REFUSED(&resp);
	refused++;
	build_answer(&resp, "www.example.", TYPE_AAAA);
	EXPECT_PUT_REFUSED(&resp);
	refused++;
	o.qclass = 3;	/* CH */
	build_response(&resp, "www.example.", TYPE_A, &o);
	EXPECT_PUT_REFUSED(&resp);
	refused++;
	o.qclass = 0;

	/* An OPT record belongs to one hop; the kernel adds its own. */
	o.opt = true;
	build_response(&resp, "www.example.", TYPE_A, &o);
	EXPECT_PUT_REFUSED(&resp);
	refused++;
	o.opt = false;

	/* A query is not a response. */
	o.query = true;
	build_response(&resp, "www.example.", TYPE_A, &o);
	EXPECT_PUT_REFUSED(&resp);
	refused++;
	o.query = false;

	/* No question. */
	build_answer(&resp, "www.example.", TYPE_A);
	resp.b[5] = 0;
	EXPECT_PUT_REFUSED(&resp);
	refused++;

	/* A compression pointer that points forward, past the message. */
	build_answer(&resp, "www.example.", TYPE_A);
	resp.b[12 + 13 + 4 + 1] = 0xff;	/* the answer's owner pointer */
	EXPECT_PUT_REFUSED(&resp);
	refused++;

	EXPECT_EQ(refused, counter(&self->nl, NFDNS_STAT_A_INSERT_REJECTS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_INSERTS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
	EXPECT_FALSE(cached(&self->nl, "www.example.", TYPE_A));
}

TEST_F(cache, put_missing_attributes)
{
	char buf[MSG_BUF];
	uint8_t wire[64];
	int wire_len = name_wire("www.example.", wire);
	struct nlmsghdr *nlh;
	struct msg resp;
	int skip;

	build_answer(&resp, "www.example.", TYPE_A);
	/* Leave out QNAME, QTYPE, then RESPONSE. */
	for (skip = 0; skip < 3; skip++) {
		nlh = nl_request(&self->nl, buf, NFDNS_CMD_CACHE_PUT, 0);
		if (skip != 0)
			mnl_attr_put(nlh, NFDNS_A_QNAME, wire_len, wire);
		if (skip != 1)
			mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, TYPE_A);
		if (skip != 2)
			mnl_attr_put(nlh, NFDNS_A_RESPONSE, resp.len, resp.b);
		mnl_attr_put_u32(nlh, NFDNS_A_TTL, 300);
		EXPECT_EQ(-EINVAL, nl_talk(&self->nl, nlh, NULL, NULL))
			TH_LOG("attribute %d left out", skip);
		EXPECT_NE(0, strlen(self->nl.errmsg));
	}
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
}

/* The error of a refusal by the attribute policy: EINVAL or ERANGE. */
#define EXPECT_POLICY_REFUSAL(err)						\
	do {									\
		int _e = (err);							\
		EXPECT_TRUE(_e == -EINVAL || _e == -ERANGE)			\
			TH_LOG("got %d", _e);					\
		EXPECT_NE(0, strlen(self->nl.errmsg));				\
	} while (0)

TEST_F(cache, policy_refusals)
{
	char buf[MSG_BUF];
	uint8_t wire[NFDNS_NAME_MAX + 8];
	struct nlmsghdr *nlh;
	struct msg resp;

	build_answer(&resp, "www.example.", TYPE_A);

	/* A name longer than 255 bytes. */
	memset(wire, 1, sizeof(wire));
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CACHE_PUT, 0);
	mnl_attr_put(nlh, NFDNS_A_QNAME, NFDNS_NAME_MAX + 1, wire);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, TYPE_A);
	mnl_attr_put(nlh, NFDNS_A_RESPONSE, resp.len, resp.b);
	mnl_attr_put_u32(nlh, NFDNS_A_TTL, 300);
	EXPECT_POLICY_REFUSAL(nl_talk(&self->nl, nlh, NULL, NULL));

	/* An empty name. */
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CACHE_GET, 0);
	mnl_attr_put(nlh, NFDNS_A_QNAME, 0, NULL);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, TYPE_A);
	EXPECT_POLICY_REFUSAL(nl_talk(&self->nl, nlh, NULL, NULL));

	/* A response shorter than a header. */
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CACHE_PUT, 0);
	put_question(nlh, "www.example.", TYPE_A, false);
	mnl_attr_put(nlh, NFDNS_A_RESPONSE, 11, resp.b);
	mnl_attr_put_u32(nlh, NFDNS_A_TTL, 300);
	EXPECT_POLICY_REFUSAL(nl_talk(&self->nl, nlh, NULL, NULL));

	/* QTYPE of the wrong size. */
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CACHE_GET, 0);
	mnl_attr_put(nlh, NFDNS_A_QNAME, name_wire("www.example.", wire), wire);
	mnl_attr_put_u8(nlh, NFDNS_A_QTYPE, TYPE_A);
	EXPECT_POLICY_REFUSAL(nl_talk(&self->nl, nlh, NULL, NULL));

	/* An RCODE beyond 15. */
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CACHE_FAIL, 0);
	put_question(nlh, "www.example.", TYPE_A, false);
	mnl_attr_put_u8(nlh, NFDNS_A_RCODE, 16);
	EXPECT_POLICY_REFUSAL(nl_talk(&self->nl, nlh, NULL, NULL));

	/* An attribute PUT does not take. */
	nlh = put_request(&self->nl, buf, "www.example.", TYPE_A, false, &resp,
			  300, 0);
	mnl_attr_put_u32(nlh, NFDNS_A_RESOLVER_PID, 1);
	EXPECT_POLICY_REFUSAL(nl_talk(&self->nl, nlh, NULL, NULL));

	/* Unknown entry flags. */
	EXPECT_POLICY_REFUSAL(cache_put(&self->nl, "www.example.", TYPE_A, false,
					&resp, 300, 1U << 31));

	/* A name in wire form must end with the root label. */
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CACHE_PUT, 0);
	mnl_attr_put(nlh, NFDNS_A_QNAME, 12, "\3www\7example");
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, TYPE_A);
	mnl_attr_put(nlh, NFDNS_A_RESPONSE, resp.len, resp.b);
	mnl_attr_put_u32(nlh, NFDNS_A_TTL, 300);
	EXPECT_EQ(-EINVAL, nl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(0, strlen(self->nl.errmsg));

	/* GET needs a question. */
	EXPECT_EQ(-EINVAL, simple_cmd(&self->nl, NFDNS_CMD_CACHE_GET));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	/* DEL needs a name. */
	EXPECT_EQ(-EINVAL, simple_cmd(&self->nl, NFDNS_CMD_CACHE_DEL));
	EXPECT_NE(0, strlen(self->nl.errmsg));

	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
}

TEST_F(cache, unprivileged_refused)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl nl;
	struct msg resp;
	int64_t count;

	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0));
	ASSERT_EQ(0, drop_net_admin());
	ASSERT_EQ(0, nl_open(&nl));

	build_answer(&resp, "new.example.", TYPE_A);
	EXPECT_EQ(-EPERM, cache_put(&nl, "new.example.", TYPE_A, false, &resp,
				    300, 0));
	EXPECT_STREQ("nfdns: CAP_NET_ADMIN is required", nl.errmsg);
	EXPECT_EQ(-EPERM, cache_del(&nl, "www.example.", 0, false, &count));
	EXPECT_STREQ("nfdns: CAP_NET_ADMIN is required", nl.errmsg);
	EXPECT_EQ(-EPERM, cache_flush(&nl, &count));
	EXPECT_STREQ("nfdns: CAP_NET_ADMIN is required", nl.errmsg);
	/* Refused for want of privilege, not for want of a pending question. */
	EXPECT_EQ(-EPERM, cache_fail(&nl, "www.example.", TYPE_A, false,
				     RCODE_SERVFAIL, -1));
	EXPECT_STREQ("nfdns: CAP_NET_ADMIN is required", nl.errmsg);

	/* The cache holds the names every client asked: reading it is admin. */
	EXPECT_EQ(-EPERM, cache_get(&nl, "www.example.", TYPE_A, false, self->e));
	EXPECT_STREQ("nfdns: CAP_NET_ADMIN is required", nl.errmsg);
	EXPECT_EQ(0, self->e->n_entries);
	EXPECT_EQ(-EPERM, nl_talk(&nl, nl_request(&nl, buf, NFDNS_CMD_CACHE_GET,
						  NLM_F_DUMP), entry_cb, self->e));
	/* Before 6.2 a dump's start cannot carry a message. */
	if (!kernel_before(6, 2) || nl.errmsg[0])
		EXPECT_STREQ("nfdns: CAP_NET_ADMIN is required", nl.errmsg);
	EXPECT_EQ(0, self->e->n_entries);

	/* The counters need no privilege; nothing changed. */
	EXPECT_EQ(1, counter(&nl, NFDNS_STAT_A_ENTRIES));
	EXPECT_EQ(1, counter(&nl, NFDNS_STAT_A_INSERTS));
	nl_close(&nl);
}

TEST_F(cache, del_one_type_all_types_subtree)
{
	static const char *const names[] = {
		"a.www.example.", "b.a.www.example.", "ww.example.",
		"xwww.example.", "other.test.",
	};
	int64_t count;
	unsigned int i;

	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0));
	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_AAAA, 0));
	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_TXT, 0));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ASSERT_EQ(0, put_simple(&self->nl, names[i], TYPE_A, 0))
			TH_LOG("name %u: %s", i, self->nl.errmsg);
	ASSERT_EQ(8, counter(&self->nl, NFDNS_STAT_A_ENTRIES));

	/* One type, named in another case. */
	ASSERT_EQ(0, cache_del(&self->nl, "WWW.example.", TYPE_A, false, &count))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(1, count);
	EXPECT_FALSE(cached(&self->nl, "www.example.", TYPE_A));
	EXPECT_TRUE(cached(&self->nl, "www.example.", TYPE_AAAA));

	/* Every type of one name, not the names below it. */
	ASSERT_EQ(0, cache_del(&self->nl, "www.example.", 0, false, &count));
	EXPECT_EQ(2, count);
	EXPECT_FALSE(cached(&self->nl, "www.example.", TYPE_AAAA));
	EXPECT_FALSE(cached(&self->nl, "www.example.", TYPE_TXT));
	EXPECT_TRUE(cached(&self->nl, "a.www.example.", TYPE_A));

	/* Nothing left to delete. */
	ASSERT_EQ(0, cache_del(&self->nl, "www.example.", 0, false, &count));
	EXPECT_EQ(0, count);

	/* A subtree stops at label boundaries: not ww.example., xwww.example. */
	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0));
	ASSERT_EQ(0, cache_del(&self->nl, "www.example.", 0, true, &count));
	EXPECT_EQ(3, count);
	EXPECT_FALSE(cached(&self->nl, "a.www.example.", TYPE_A));
	EXPECT_FALSE(cached(&self->nl, "b.a.www.example.", TYPE_A));
	EXPECT_TRUE(cached(&self->nl, "ww.example.", TYPE_A));
	EXPECT_TRUE(cached(&self->nl, "xwww.example.", TYPE_A));

	/* The subtree of a zone. */
	ASSERT_EQ(0, cache_del(&self->nl, "EXAMPLE.", 0, true, &count));
	EXPECT_EQ(2, count);
	EXPECT_TRUE(cached(&self->nl, "other.test.", TYPE_A));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_ENTRIES));

	/* The subtree of the root is everything. */
	ASSERT_EQ(0, cache_del(&self->nl, ".", 0, true, &count));
	EXPECT_EQ(1, count);
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
}

TEST_F(cache, flush_count)
{
	char name[64];
	int64_t count;
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "n%d.example.", i);
		ASSERT_EQ(0, put_simple(&self->nl, name, TYPE_A,
					i == 0 ? NFDNS_ENTRY_F_STATIC : 0));
	}
	ASSERT_EQ(0, cache_flush(&self->nl, &count)) TH_LOG("%s", self->nl.errmsg);
	/* Static entries go too: a flush is everything. */
	EXPECT_EQ(5, count);
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_BYTES));
	EXPECT_FALSE(cached(&self->nl, "n1.example.", TYPE_A));
	ASSERT_EQ(0, cache_flush(&self->nl, &count));
	EXPECT_EQ(0, count);
}

/* ---- dump of many entries ---- */

#define DUMP_BATCH	200

struct dump_seen {
	unsigned int total;
	uint8_t *seen;		/* times each index came back */
	unsigned int n;
	unsigned int duplicates;
	unsigned int strangers;	/* entries with names that were not put */
	unsigned int bad_messages; /* messages without exactly one entry */
	unsigned int messages;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	static struct entry e;
	struct dump_seen *d = data;
	char label[64];
	unsigned long i;
	char *end;

	memset(&e, 0, sizeof(e));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), entry_top_cb, &e);
	d->messages++;
	if (e.n_entries != 1) {
		d->bad_messages++;
		return MNL_CB_OK;
	}
	d->total++;
	/* Names are n<index>.dump.example. */
	if (e.qname_len < 2 || e.qname[0] >= sizeof(label) || e.qname[1] != 'n') {
		d->strangers++;
		return MNL_CB_OK;
	}
	memcpy(label, e.qname + 2, e.qname[0] - 1);
	label[e.qname[0] - 1] = '\0';
	i = strtoul(label, &end, 10);
	if (*end || i >= d->n) {
		d->strangers++;
		return MNL_CB_OK;
	}
	if (d->seen[i]++)
		d->duplicates++;
	return MNL_CB_OK;
}

/* PUT count entries n<i>.dump.example./A, DUMP_BATCH requests per send. */
static int put_many(struct nl *nl, unsigned int count, unsigned int *failed)
{
	static char batch[DUMP_BATCH * 256];
	static char ackbuf[65536];
	unsigned int i = 0;

	*failed = 0;
	while (i < count) {
		unsigned int n = 0, acked = 0, first_seq = nl->seq + 1;
		size_t off = 0;

		for (; i < count && n < DUMP_BATCH; i++, n++) {
			char name[64];
			struct msg resp;
			struct nlmsghdr *nlh;

			snprintf(name, sizeof(name), "n%u.dump.example.", i);
			build_answer(&resp, name, TYPE_A);
			nlh = put_request(nl, batch + off, name, TYPE_A, false,
					  &resp, 3600, 0);
			off += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		if (mnl_socket_sendto(nl->sock, batch, off) < 0)
			return -errno;
		while (acked < n) {
			int len = mnl_socket_recvfrom(nl->sock, ackbuf,
						      sizeof(ackbuf));
			struct nlmsghdr *nlh;

			if (len < 0)
				return -errno;
			for (nlh = (struct nlmsghdr *)ackbuf; mnl_nlmsg_ok(nlh, len);
			     nlh = mnl_nlmsg_next(nlh, &len)) {
				const struct nlmsgerr *err;

				if (nlh->nlmsg_type != NLMSG_ERROR ||
				    nlh->nlmsg_seq < first_seq)
					continue;
				err = mnl_nlmsg_get_payload(nlh);
				if (err->error)
					(*failed)++;
				acked++;
			}
		}
	}
	return 0;
}

static unsigned int dump_entries(void)
{
	const char *s = getenv("NFDNS_DUMP_ENTRIES");

	return s ? strtoul(s, NULL, 10) : 100000;
}

TEST_F_TIMEOUT(cache, dump_many_entries_once_each, 1200)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int n = dump_entries(), failed, i, missing = 0;
	struct dump_seen d = { .n = n };
	int rcvbuf = 8 << 20;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_ENTRIES, 2 * n, 4));
	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_BYTES, 1ULL << 32, 8));
	setsockopt(mnl_socket_get_fd(self->nl.sock), SOL_SOCKET, SO_RCVBUFFORCE,
		   &rcvbuf, sizeof(rcvbuf));

	ASSERT_EQ(0, put_many(&self->nl, n, &failed));
	ASSERT_EQ(0, failed);
	ASSERT_EQ(n, counter(&self->nl, NFDNS_STAT_A_ENTRIES));

	d.seen = calloc(n, 1);
	ASSERT_NE(NULL, d.seen);
	ASSERT_EQ(0, nl_talk(&self->nl,
			     nl_request(&self->nl, buf, NFDNS_CMD_CACHE_GET,
					NLM_F_DUMP),
			     dump_cb, &d)) TH_LOG("%s", self->nl.errmsg);
	for (i = 0; i < n; i++)
		missing += !d.seen[i];
	/*
	 * Every entry comes back.  A table resize still running from the
	 * inserts restarts the kernel's walk, which may then return some
	 * entries twice; readers of a dump drop repeats.
	 */
	EXPECT_LE(n, d.total);
	EXPECT_EQ(0, missing);
	EXPECT_EQ(d.total - n, d.duplicates);
	EXPECT_EQ(0, d.strangers);
	EXPECT_EQ(0, d.bad_messages);
	free(d.seen);
}

TEST_F(cache, dump_empty_and_small)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_seen d = { .n = 3 };
	uint8_t seen[3] = { 0 };
	unsigned int failed;

	d.seen = seen;
	ASSERT_EQ(0, nl_talk(&self->nl,
			     nl_request(&self->nl, buf, NFDNS_CMD_CACHE_GET,
					NLM_F_DUMP), dump_cb, &d));
	EXPECT_EQ(0, d.messages);

	ASSERT_EQ(0, put_many(&self->nl, 3, &failed));
	ASSERT_EQ(0, failed);
	ASSERT_EQ(0, nl_talk(&self->nl,
			     nl_request(&self->nl, buf, NFDNS_CMD_CACHE_GET,
					NLM_F_DUMP), dump_cb, &d));
	EXPECT_EQ(3, d.total);
	EXPECT_EQ(1, seen[0]);
	EXPECT_EQ(1, seen[1]);
	EXPECT_EQ(1, seen[2]);
}

/* ---- entries of every size ---- */

/*
 * A TXT response of exactly @size bytes: header, question, and one record
 * whose strings fill the rest; the strings' bytes follow @seed.
 */
static void build_sized(struct msg *m, const char *name, size_t size,
			unsigned int seed)
{
	size_t left;

	m->len = 0;
	put16(m, seed);
	put16(m, 0x8180);
	put16(m, 1);
	put16(m, 1);
	put16(m, 0);
	put16(m, 0);
	put_name(m, name);
	put16(m, TYPE_TXT);
	put16(m, 1);
	put16(m, 0xc00c);
	put16(m, TYPE_TXT);
	put16(m, 1);
	put32(m, 300);
	left = size - m->len - 2;
	put16(m, left);
	while (left) {
		size_t n = left - 1 > 255 ? 255 : left - 1;

		put8(m, n);
		left -= n + 1;
		while (n--)
			put8(m, 'a' + (seed + m->len) % 26);
	}
}

/* Every 512 bytes from the smallest, then the largest less one, the largest. */
#define SIZES_MIN	64	/* room for the header, question and record */
#define SIZES_STEPS	((NFDNS_ENTRY_RESPONSE_MAX - 1 - SIZES_MIN + 511) / 512)
#define SIZES_N		(SIZES_STEPS + 2)

struct sizes_seen {
	unsigned int entries;
	unsigned int whole;	/* byte for byte what was put */
	unsigned int seen[SIZES_N];
};

static size_t size_of(unsigned int i)
{
	if (i < SIZES_STEPS)
		return SIZES_MIN + (size_t)i * 512;
	return i == SIZES_STEPS ? NFDNS_ENTRY_RESPONSE_MAX - 1 :
				  NFDNS_ENTRY_RESPONSE_MAX;
}

static int sizes_cb(const struct nlmsghdr *nlh, void *data)
{
	static struct entry e;
	static struct msg want;
	struct sizes_seen *d = data;
	char name[64];
	unsigned int i;

	memset(&e, 0, sizeof(e));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), entry_top_cb, &e);
	d->entries += e.n_entries;
	/* Names are s<index>.sizes.example. */
	if (e.n_entries != 1 || e.qname_len < 2 || e.qname[1] != 's' ||
	    sscanf((const char *)e.qname + 2, "%u", &i) != 1 ||
	    i >= sizeof(d->seen) / sizeof(d->seen[0]))
		return MNL_CB_OK;
	d->seen[i]++;
	snprintf(name, sizeof(name), "s%u.sizes.example.", i);
	build_sized(&want, name, size_of(i), i);
	if (e.response_len == (int)want.len &&
	    !memcmp(e.response, want.b, want.len))
		d->whole++;
	return MNL_CB_OK;
}

TEST_F(cache, entries_of_every_size_dump_whole)
{
	static struct sizes_seen d;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct msg *m = self->m;
	unsigned int i, n = 0;
	char name[64];

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_BYTES, 64 << 20, 8));
	for (i = 0; i < SIZES_N; i++, n++) {
		snprintf(name, sizeof(name), "s%u.sizes.example.", i);
		build_sized(m, name, size_of(i), i);
		ASSERT_EQ(size_of(i), m->len);
		ASSERT_EQ(0, cache_put(&self->nl, name, TYPE_TXT, false, m, 300, 0))
			TH_LOG("%zu bytes: %s", m->len, self->nl.errmsg);
	}
	ASSERT_EQ(n, counter(&self->nl, NFDNS_STAT_A_ENTRIES));

	/* One byte more is refused by the policy, which names the limit. */
	build_sized(m, "over.sizes.example.", NFDNS_ENTRY_RESPONSE_MAX + 1, 0);
	EXPECT_EQ(-ERANGE, cache_put(&self->nl, "over.sizes.example.", TYPE_TXT,
				     false, m, 300, 0));
	EXPECT_STREQ("Attribute failed policy validation", self->nl.errmsg);
	EXPECT_EQ(NFDNS_ENTRY_RESPONSE_MAX, self->nl.err_max_len);
	EXPECT_FALSE(cached(&self->nl, "over.sizes.example.", TYPE_TXT));

	/* The largest comes back whole from a lookup... */
	snprintf(name, sizeof(name), "s%u.sizes.example.", n - 1);
	ASSERT_EQ(0, cache_get(&self->nl, name, TYPE_TXT, false, self->e));
	EXPECT_EQ(NFDNS_ENTRY_RESPONSE_MAX, self->e->response_len);

	/* ... and every entry from a dump, each once. */
	memset(&d, 0, sizeof(d));
	ASSERT_EQ(0, nl_talk(&self->nl,
			     nl_request(&self->nl, buf, NFDNS_CMD_CACHE_GET,
					NLM_F_DUMP), sizes_cb, &d))
		TH_LOG("%s", self->nl.errmsg);
	EXPECT_EQ(n, d.entries);
	EXPECT_EQ(n, d.whole);
	for (i = 0; i < n; i++)
		EXPECT_EQ(1, d.seen[i]) TH_LOG("entry %u (%zu bytes)", i, size_of(i));
}

/* ---- limits ---- */

TEST_F(cache, eviction_keeps_static_entries)
{
	char name[64];
	int i;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_ENTRIES, 8, 4));
	ASSERT_EQ(0, put_simple(&self->nl, "s1.example.", TYPE_A,
				NFDNS_ENTRY_F_STATIC));
	ASSERT_EQ(0, put_simple(&self->nl, "s2.example.", TYPE_A,
				NFDNS_ENTRY_F_STATIC));
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "e%d.example.", i);
		ASSERT_EQ(0, put_simple(&self->nl, name, TYPE_A, 0))
			TH_LOG("%s: %s", name, self->nl.errmsg);
	}
	EXPECT_EQ(8, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
	EXPECT_EQ(14, counter(&self->nl, NFDNS_STAT_A_EVICTIONS));
	EXPECT_EQ(22, counter(&self->nl, NFDNS_STAT_A_INSERTS));
	EXPECT_TRUE(cached(&self->nl, "s1.example.", TYPE_A));
	EXPECT_TRUE(cached(&self->nl, "s2.example.", TYPE_A));
	/* The newest entry is never the one evicted for itself. */
	EXPECT_TRUE(cached(&self->nl, "e19.example.", TYPE_A));
}

TEST_F(cache, full_of_static_entries_refuses)
{
	struct msg resp;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_ENTRIES, 2, 4));
	ASSERT_EQ(0, put_simple(&self->nl, "s1.example.", TYPE_A,
				NFDNS_ENTRY_F_STATIC));
	ASSERT_EQ(0, put_simple(&self->nl, "s2.example.", TYPE_A,
				NFDNS_ENTRY_F_STATIC));

	build_answer(&resp, "s3.example.", TYPE_A);
	EXPECT_EQ(-ENOSPC, cache_put(&self->nl, "s3.example.", TYPE_A, false,
				     &resp, 300, NFDNS_ENTRY_F_STATIC));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	build_answer(&resp, "d3.example.", TYPE_A);
	EXPECT_EQ(-ENOSPC, cache_put(&self->nl, "d3.example.", TYPE_A, false,
				     &resp, 300, 0));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	EXPECT_EQ(2, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_EVICTIONS));
	EXPECT_TRUE(cached(&self->nl, "s1.example.", TYPE_A));
	EXPECT_TRUE(cached(&self->nl, "s2.example.", TYPE_A));
	EXPECT_FALSE(cached(&self->nl, "s3.example.", TYPE_A));
}

/* Wait (bounded) until the entry's REMAINING reads 0, then past it. */
static bool wait_expired(struct nl *nl, const char *name, uint16_t qtype,
			 struct entry *e)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (cache_get(nl, name, qtype, false, e) == 0 && e->remaining == 0)
			break;
		sleep_ms(100);
	}
	if (i == 100)
		return false;
	/* REMAINING may round down: let the last second pass for sure. */
	sleep_ms(1100);
	return true;
}

TEST_F(cache, expired_entries_go_before_live_ones)
{
	struct msg resp;
	char name[64];
	int i;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_ENTRIES, 4, 4));
	/* Keeps the expired entry from the background reclaim. */
	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_SERVE_STALE, 3600, 4));
	build_answer(&resp, "old.example.", TYPE_A);
	ASSERT_EQ(0, cache_put(&self->nl, "old.example.", TYPE_A, false, &resp,
			       1, 0));
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "live%d.example.", i);
		ASSERT_EQ(0, put_simple(&self->nl, name, TYPE_A, 0));
	}
	ASSERT_TRUE(wait_expired(&self->nl, "old.example.", TYPE_A, self->e));

	ASSERT_EQ(0, put_simple(&self->nl, "new.example.", TYPE_A, 0));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_EVICTIONS));
	EXPECT_LE(1, counter(&self->nl, NFDNS_STAT_A_EXPIRATIONS));
	EXPECT_EQ(4, counter(&self->nl, NFDNS_STAT_A_ENTRIES));
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "live%d.example.", i);
		EXPECT_TRUE(cached(&self->nl, name, TYPE_A)) TH_LOG("%s", name);
	}
	EXPECT_TRUE(cached(&self->nl, "new.example.", TYPE_A));
}

/* ---- the query path ---- */

TEST_F(cache, miss_upcall_then_put_answers_client)
{
	static const uint8_t lc_wire[] = "\3www\7example";
	struct query_opts o = { .id = 0x1234 };
	struct sockaddr_storage from;
	struct reply r;
	struct msg q, *m = self->m;
	struct nl resolver;
	struct miss miss;
	int fd;

	ASSERT_EQ(0, resolver_open(&resolver)) TH_LOG("%s", resolver.errmsg);
	fd = udp_client(AF_INET);
	ASSERT_LE(0, fd);
	build_query(&q, "WwW.ExAmPlE.", TYPE_A, &o);
	ASSERT_EQ(0, send_query(fd, AF_INET, &q));

	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	ASSERT_EQ(sizeof(lc_wire), miss.qname_len);
	EXPECT_EQ(0, memcmp(lc_wire, miss.qname, sizeof(lc_wire)));
	EXPECT_TRUE(miss.has_qtype);
	EXPECT_EQ(TYPE_A, miss.qtype);
	EXPECT_TRUE(miss.has_qclass);
	EXPECT_EQ(1, miss.qclass);
	EXPECT_FALSE(miss.do_bit);
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_MISSES));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_UPCALLS));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_PENDING));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_WAITERS));
	/* The query was consumed: no reply until the answer is pushed. */
	EXPECT_EQ(0, recv_reply(fd, m, QUIET_MS, &from));

	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0))
		TH_LOG("%s", self->nl.errmsg);
	ASSERT_LT(0, recv_reply(fd, m, REPLY_WAIT_MS, &from));
	EXPECT_TRUE(from_server(&from, AF_INET));
	ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
	EXPECT_EQ(0x1234, r.id);
	EXPECT_TRUE(REPLY_QR(&r));
	EXPECT_TRUE(REPLY_RD(&r));
	EXPECT_TRUE(REPLY_RA(&r));
	EXPECT_FALSE(REPLY_TC(&r));
	EXPECT_EQ(RCODE_NOERROR, REPLY_RCODE(&r));
	ASSERT_EQ(1, r.qd);
	/* The client's case survives (0x20). */
	ASSERT_EQ(q.len - 12 - 4, r.qname_len);
	EXPECT_EQ(0, memcmp(q.b + 12, r.qname, r.qname_len));
	EXPECT_EQ(1, r.an);
	EXPECT_EQ(TYPE_A, r.first_type);
	EXPECT_GE(300, r.max_answer_ttl);
	EXPECT_FALSE(r.has_opt);
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_ANSWERS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_PENDING));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_WAITERS));

	/*
	 * Asked again: a hit, answered without a new upcall.  (With CD it
	 * would be another question: CD is part of the key.)
	 */
	o.id = 0x4321;
	build_query(&q, "www.EXAMPLE.", TYPE_A, &o);
	ASSERT_EQ(0, send_query(fd, AF_INET, &q));
	ASSERT_LT(0, recv_reply(fd, m, REPLY_WAIT_MS, &from));
	ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
	EXPECT_EQ(0x4321, r.id);
	EXPECT_FALSE(REPLY_CD(&r));
	EXPECT_EQ(0, memcmp(q.b + 12, r.qname, r.qname_len));
	EXPECT_EQ(1, r.an);
	EXPECT_EQ(0, count_misses(&resolver));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_HITS));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_UPCALLS));
	EXPECT_EQ(2, counter(&self->nl, NFDNS_STAT_A_ANSWERS));
	ASSERT_EQ(0, cache_get(&self->nl, "www.example.", TYPE_A, false, self->e));
	close(fd);
	nl_close(&resolver);
}

TEST_F(cache, hit_over_ipv6)
{
	struct query_opts o = { .id = 0xbeef };
	struct msg *m = self->m;
	struct reply r;

	ASSERT_EQ(0, put_simple(&self->nl, "six.example.", TYPE_AAAA, 0));
	ASSERT_EQ(0, query_and_wait(AF_INET6, "SIX.example.", TYPE_AAAA, &o, m, &r));
	EXPECT_EQ(0xbeef, r.id);
	EXPECT_EQ(RCODE_NOERROR, REPLY_RCODE(&r));
	EXPECT_EQ(1, r.an);
	EXPECT_EQ(TYPE_AAAA, r.first_type);
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_HITS));
}

TEST_F(cache, hit_without_resolver)
{
	struct query_opts o = { .id = 7 };
	struct reply r;

	/* A hit needs no resolver: only misses do. */
	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0));
	ASSERT_EQ(0, query_and_wait(AF_INET, "www.example.", TYPE_A, &o,
				    self->m, &r));
	EXPECT_EQ(7, r.id);
	EXPECT_EQ(1, r.an);
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_HITS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_MISSES));
}

TEST_F(cache, miss_without_resolver_fails_open)
{
	struct msg *m = self->m;
	struct sockaddr_storage from;
	int fd, server;
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(53),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	/* A server on 127.0.0.1:53 receives the query untouched. */
	server = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, server);
	ASSERT_EQ(0, bind(server, (struct sockaddr *)&sin, sizeof(sin)));
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, ask(fd, AF_INET, "www.example.", TYPE_A, 99));
	ASSERT_LT(0, recv_reply(server, m, REPLY_WAIT_MS, &from));
	EXPECT_EQ(99, get16(m->b));
	EXPECT_EQ(0, m->b[2] & 0x80);
	/* Both hooks may see it on loopback; each counts a fail-open miss. */
	EXPECT_LE(1, counter(&self->nl, NFDNS_STAT_A_PASS_FAIL_OPEN));
	EXPECT_LE(1, counter(&self->nl, NFDNS_STAT_A_MISSES));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_UPCALLS));
	close(fd);
	close(server);
}

/* ---- what the hooks intercept ---- */

static void sin4(struct sockaddr_in *sin, const char *addr, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = inet_addr(addr);
}

/* A server socket on addr:port, to catch queries that pass. */
static int udp_server(const char *addr, uint16_t port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	sin4(&sin, addr, port);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Send a query for www.example./A with the given ID to addr:port. */
static int ask_at(int fd, const char *addr, uint16_t port, uint16_t id)
{
	struct query_opts o = { .id = id };
	struct sockaddr_in sin;
	struct msg q;

	build_query(&q, "www.example.", TYPE_A, &o);
	sin4(&sin, addr, port);
	return sendto(fd, q.b, q.len, 0, (struct sockaddr *)&sin, sizeof(sin)) ==
	       (ssize_t)q.len ? 0 : -errno;
}

/* A reply to id came to fd from addr:port. */
static bool answered_from(int fd, struct msg *m, const char *addr,
			  uint16_t port, uint16_t id)
{
	struct sockaddr_storage from;
	struct sockaddr_in *f = (struct sockaddr_in *)&from;

	return recv_reply(fd, m, REPLY_WAIT_MS, &from) > 0 &&
	       f->sin_family == AF_INET && f->sin_addr.s_addr == inet_addr(addr) &&
	       f->sin_port == htons(port) && m->len >= 12 && get16(m->b) == id &&
	       (m->b[2] & 0x80);
}

/* The query with that ID reached the server socket untouched. */
static bool passed_to(int server, struct msg *m, uint16_t id)
{
	struct sockaddr_storage from;

	return recv_reply(server, m, REPLY_WAIT_MS, &from) > 0 && m->len >= 12 &&
	       get16(m->b) == id && !(m->b[2] & 0x80);
}

TEST_F(cache, only_configured_ports_intercepted)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest, *list;
	int fd, server;

	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0));
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CONFIG_SET, 0);
	nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);
	list = mnl_attr_nest_start(nlh, NFDNS_CONF_A_PORTS);
	mnl_attr_put_u16(nlh, NFDNS_CONF_A_PORT, 5353);
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, nl_talk(&self->nl, nlh, NULL, NULL)) TH_LOG("%s", self->nl.errmsg);

	server = udp_server("127.0.0.1", 53);
	ASSERT_LE(0, server);
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, ask_at(fd, "127.0.0.1", 53, 31));
	EXPECT_TRUE(passed_to(server, self->m, 31));
	ASSERT_EQ(0, ask_at(fd, "127.0.0.1", 5353, 32));
	EXPECT_TRUE(answered_from(fd, self->m, "127.0.0.1", 5353, 32));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_HITS));
	close(fd);
	close(server);
}

TEST_F(cache, only_configured_addresses_intercepted)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest, *list;
	int fd, server;

	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0));
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CONFIG_SET, 0);
	nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);
	list = mnl_attr_nest_start(nlh, NFDNS_CONF_A_ADDRS);
	mnl_attr_put_u32(nlh, NFDNS_CONF_A_ADDR4, inet_addr("127.0.0.2"));
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, nl_talk(&self->nl, nlh, NULL, NULL)) TH_LOG("%s", self->nl.errmsg);

	server = udp_server("127.0.0.1", 53);
	ASSERT_LE(0, server);
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, ask_at(fd, "127.0.0.1", 53, 41));
	EXPECT_TRUE(passed_to(server, self->m, 41));
	/* The reply comes from the address the client asked. */
	ASSERT_EQ(0, ask_at(fd, "127.0.0.2", 53, 42));
	EXPECT_TRUE(answered_from(fd, self->m, "127.0.0.2", 53, 42));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_HITS));
	close(fd);
	close(server);
}

TEST_F(cache, disabled_passes_everything)
{
	int fd, server;

	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0));
	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_ENABLED, 0, 1));
	server = udp_server("127.0.0.1", 53);
	ASSERT_LE(0, server);
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, ask_at(fd, "127.0.0.1", 53, 51));
	EXPECT_TRUE(passed_to(server, self->m, 51));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_HITS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_MISSES));

	/* And enabled again, the same query is a hit. */
	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_ENABLED, 1, 1));
	ASSERT_EQ(0, ask_at(fd, "127.0.0.1", 53, 52));
	EXPECT_TRUE(answered_from(fd, self->m, "127.0.0.1", 53, 52));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_HITS));
	close(fd);
	close(server);
}

TEST_F(cache, pending_questions_beyond_limit_pass)
{
	struct nl resolver;
	struct miss miss;
	int fd;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_PENDING, 1, 4));
	ASSERT_EQ(0, resolver_open(&resolver));
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, ask(fd, AF_INET, "first.example.", TYPE_A, 61));
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	/* A second question has no room in the pending table. */
	ASSERT_EQ(0, ask(fd, AF_INET, "second.example.", TYPE_A, 62));
	EXPECT_EQ(0, count_misses(&resolver));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_PENDING));
	EXPECT_LE(1, counter(&self->nl, NFDNS_STAT_A_PASS_OVER_LIMIT));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_UPCALLS));
	close(fd);
	nl_close(&resolver);
}

TEST_F(cache, marked_and_norecurse_queries_pass)
{
	struct query_opts norec = { .id = 5, .no_rd = true };
	uint32_t mark = NFDNS_DEFAULT_MARK;
	struct sockaddr_storage from;
	struct nl resolver;
	struct msg q, *m = self->m;
	int fd, server;
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(53),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	ASSERT_EQ(0, resolver_open(&resolver));
	server = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, server);
	ASSERT_EQ(0, bind(server, (struct sockaddr *)&sin, sizeof(sin)));

	/* The resolver's own queries carry the mark and reach the server. */
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)));
	ASSERT_EQ(0, ask(fd, AF_INET, "www.example.", TYPE_A, 4));
	ASSERT_LT(0, recv_reply(server, m, REPLY_WAIT_MS, &from));
	EXPECT_EQ(4, get16(m->b));
	EXPECT_LE(1, counter(&self->nl, NFDNS_STAT_A_PASS_MARKED));
	close(fd);

	/* So do iterative (RD=0) queries. */
	fd = udp_client(AF_INET);
	build_query(&q, "www.example.", TYPE_A, &norec);
	ASSERT_EQ(0, send_query(fd, AF_INET, &q));
	ASSERT_LT(0, recv_reply(server, m, REPLY_WAIT_MS, &from));
	EXPECT_EQ(5, get16(m->b));
	EXPECT_LE(1, counter(&self->nl, NFDNS_STAT_A_PASS_NORECURSE));
	close(fd);

	/* Not a query at all (a response to port 53). */
	fd = udp_client(AF_INET);
	build_answer(&q, "www.example.", TYPE_A);
	ASSERT_EQ(0, send_query(fd, AF_INET, &q));
	ASSERT_LT(0, recv_reply(server, m, REPLY_WAIT_MS, &from));
	EXPECT_LE(1, counter(&self->nl, NFDNS_STAT_A_PASS_NOT_QUERY));
	close(fd);

	EXPECT_EQ(0, count_misses(&resolver));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_UPCALLS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_MISSES));
	close(server);
	nl_close(&resolver);
}

TEST_F(cache, fail_answers_waiters_with_rcode)
{
	struct sockaddr_storage from;
	struct msg *m = self->m;
	struct nl resolver;
	struct miss miss;
	struct reply r;
	int fd;

	ASSERT_EQ(0, resolver_open(&resolver));
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, ask(fd, AF_INET, "broken.example.", TYPE_A, 0x0a0b));
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	ASSERT_EQ(0, cache_fail(&self->nl, "broken.example.", TYPE_A, false,
				RCODE_SERVFAIL, -1)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_LT(0, recv_reply(fd, m, REPLY_WAIT_MS, &from));
	ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
	EXPECT_EQ(0x0a0b, r.id);
	EXPECT_EQ(RCODE_SERVFAIL, REPLY_RCODE(&r));
	EXPECT_EQ(1, r.qd);
	EXPECT_EQ(0, r.an);
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_SERVFAILS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_PENDING));
	/* Nothing stored without a TTL: the next query is a miss again. */
	EXPECT_FALSE(cached(&self->nl, "broken.example.", TYPE_A));
	ASSERT_EQ(0, ask(fd, AF_INET, "broken.example.", TYPE_A, 0x0a0c));
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));

	/* With a TTL, a negative entry with that RCODE is kept. */
	ASSERT_EQ(0, cache_fail(&self->nl, "broken.example.", TYPE_A, false,
				RCODE_NXDOMAIN, 30)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_LT(0, recv_reply(fd, m, REPLY_WAIT_MS, &from));
	ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
	EXPECT_EQ(0x0a0c, r.id);
	EXPECT_EQ(RCODE_NXDOMAIN, REPLY_RCODE(&r));
	ASSERT_EQ(0, cache_get(&self->nl, "broken.example.", TYPE_A, false,
			       self->e));
	EXPECT_TRUE(self->e->flags & NFDNS_ENTRY_F_NEGATIVE);
	EXPECT_GE(30, self->e->ttl);
	ASSERT_EQ(0, ask(fd, AF_INET, "broken.example.", TYPE_A, 0x0a0d));
	ASSERT_LT(0, recv_reply(fd, m, REPLY_WAIT_MS, &from));
	ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
	EXPECT_EQ(0x0a0d, r.id);
	EXPECT_EQ(RCODE_NXDOMAIN, REPLY_RCODE(&r));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_HITS));
	EXPECT_EQ(0, count_misses(&resolver));
	close(fd);
	nl_close(&resolver);
}

TEST_F(cache, refused_put_servfails_waiters)
{
	struct sockaddr_storage from;
	struct msg *m = self->m;
	struct msg resp;
	struct nl resolver;
	struct miss miss;
	struct reply r;
	int fd;

	ASSERT_EQ(0, resolver_open(&resolver));
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, ask(fd, AF_INET, "bad.example.", TYPE_A, 0x0b0c));
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	/* A response for another name: refused, and the client told so. */
	build_answer(&resp, "other.example.", TYPE_A);
	EXPECT_EQ(-EINVAL, cache_put(&self->nl, "bad.example.", TYPE_A, false,
				     &resp, 300, 0));
	ASSERT_LT(0, recv_reply(fd, m, REPLY_WAIT_MS, &from));
	ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
	EXPECT_EQ(0x0b0c, r.id);
	EXPECT_EQ(RCODE_SERVFAIL, REPLY_RCODE(&r));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_PENDING));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_TIMEOUTS));
	EXPECT_FALSE(cached(&self->nl, "bad.example.", TYPE_A));
	close(fd);
	nl_close(&resolver);
}

TEST_F(cache, fail_without_pending_question)
{
	EXPECT_EQ(-ENOENT, cache_fail(&self->nl, "idle.example.", TYPE_A, false,
				      RCODE_SERVFAIL, -1));
	EXPECT_NE(0, strlen(self->nl.errmsg));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_SERVFAILS));
}

#define CLIENTS 200

TEST_F(cache, identical_queries_coalesce)
{
	struct sockaddr_storage from;
	struct msg *m = self->m;
	struct nl resolver;
	struct miss miss;
	int fd[CLIENTS], i, answered = 0, right = 0;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_WAITERS, 256, 4));
	ASSERT_EQ(0, resolver_open(&resolver));
	for (i = 0; i < CLIENTS; i++) {
		fd[i] = udp_client(AF_INET);
		ASSERT_LE(0, fd[i]);
		ASSERT_EQ(0, ask(fd[i], AF_INET, "popular.example.", TYPE_A,
				 1000 + i));
	}
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	EXPECT_EQ(0, count_misses(&resolver));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_UPCALLS));
	EXPECT_EQ(CLIENTS - 1, counter(&self->nl, NFDNS_STAT_A_COALESCED));
	EXPECT_EQ(CLIENTS, counter(&self->nl, NFDNS_STAT_A_MISSES));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_PENDING));
	EXPECT_EQ(CLIENTS, counter(&self->nl, NFDNS_STAT_A_WAITERS));

	ASSERT_EQ(0, put_simple(&self->nl, "popular.example.", TYPE_A, 0));
	for (i = 0; i < CLIENTS; i++) {
		struct reply r;

		if (recv_reply(fd[i], m, REPLY_WAIT_MS, &from) <= 0)
			continue;
		answered++;
		if (!parse_reply(m->b, m->len, &r) && r.id == 1000 + i &&
		    r.an == 1 && REPLY_RCODE(&r) == RCODE_NOERROR)
			right++;
		close(fd[i]);
	}
	EXPECT_EQ(CLIENTS, answered);
	EXPECT_EQ(CLIENTS, right);
	EXPECT_EQ(CLIENTS, counter(&self->nl, NFDNS_STAT_A_ANSWERS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_WAITERS));
	nl_close(&resolver);
}

TEST_F(cache, waiters_beyond_limit_pass)
{
	struct nl resolver;
	struct miss miss;
	int fd[4], i;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_MAX_WAITERS, 2, 4));
	ASSERT_EQ(0, resolver_open(&resolver));
	for (i = 0; i < 4; i++) {
		fd[i] = udp_client(AF_INET);
		ASSERT_EQ(0, ask(fd[i], AF_INET, "crowded.example.", TYPE_A, i));
	}
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	EXPECT_EQ(0, count_misses(&resolver));
	EXPECT_EQ(2, counter(&self->nl, NFDNS_STAT_A_WAITERS));
	/* Passed at LOCAL_OUT, and again at PRE_ROUTING on loopback. */
	EXPECT_LE(2, counter(&self->nl, NFDNS_STAT_A_PASS_OVER_LIMIT));
	for (i = 0; i < 4; i++)
		close(fd[i]);
	nl_close(&resolver);
}

/* Waiters of a resolver that goes away get SERVFAIL. */
static void resolver_gone(struct __test_metadata *_metadata,
			  FIXTURE_DATA(cache) *self, bool unregister)
{
	struct sockaddr_storage from;
	struct msg *m = self->m;
	struct nl resolver;
	struct miss miss;
	struct reply r;
	int fd[2], i;

	ASSERT_EQ(0, resolver_open(&resolver));
	for (i = 0; i < 2; i++) {
		fd[i] = udp_client(AF_INET);
		ASSERT_EQ(0, ask(fd[i], AF_INET, i ? "two.example." : "one.example.",
				 TYPE_A, 77 + i));
	}
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	EXPECT_EQ(2, counter(&self->nl, NFDNS_STAT_A_PENDING));

	if (unregister) {
		ASSERT_EQ(0, simple_cmd(&resolver, NFDNS_CMD_RESOLVER_UNREGISTER));
	} else {
		nl_close(&resolver);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_LT(0, recv_reply(fd[i], m, REPLY_WAIT_MS, &from));
		ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
		EXPECT_EQ(77 + i, r.id);
		EXPECT_EQ(RCODE_SERVFAIL, REPLY_RCODE(&r));
		close(fd[i]);
	}
	EXPECT_EQ(2, counter(&self->nl, NFDNS_STAT_A_SERVFAILS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_PENDING));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_WAITERS));
	if (unregister)
		nl_close(&resolver);
}

TEST_F(cache, resolver_close_servfails_waiters)
{
	resolver_gone(_metadata, self, false);
}

TEST_F(cache, resolver_unregister_servfails_waiters)
{
	resolver_gone(_metadata, self, true);
}

TEST_F(cache, pending_timeout_servfails)
{
	struct sockaddr_storage from;
	struct msg *m = self->m;
	struct nl resolver;
	struct miss miss;
	struct reply r;
	int fd;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_PENDING_TIMEOUT_MS, 200, 4));
	ASSERT_EQ(0, resolver_open(&resolver));
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, ask(fd, AF_INET, "slow.example.", TYPE_A, 0x5555));
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	ASSERT_LT(0, recv_reply(fd, m, REPLY_WAIT_MS, &from));
	ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
	EXPECT_EQ(0x5555, r.id);
	EXPECT_EQ(RCODE_SERVFAIL, REPLY_RCODE(&r));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_TIMEOUTS));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_SERVFAILS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_PENDING));
	/* A late answer finds nobody waiting, and is still stored. */
	EXPECT_EQ(0, put_simple(&self->nl, "slow.example.", TYPE_A, 0));
	EXPECT_TRUE(cached(&self->nl, "slow.example.", TYPE_A));
	close(fd);
	nl_close(&resolver);
}

TEST_F_TIMEOUT(cache, pending_timeout_serves_stale, 60)
{
	struct sockaddr_storage from;
	struct msg *m = self->m;
	struct nl resolver;
	struct miss miss;
	struct msg resp;
	struct reply r;
	int fd;

	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_PENDING_TIMEOUT_MS, 200, 4));
	ASSERT_EQ(0, config_set(&self->nl, NFDNS_CONF_A_SERVE_STALE, 3600, 4));
	build_answer(&resp, "stale.example.", TYPE_A);
	ASSERT_EQ(0, cache_put(&self->nl, "stale.example.", TYPE_A, false,
			       &resp, 1, 0));
	ASSERT_TRUE(wait_expired(&self->nl, "stale.example.", TYPE_A, self->e));

	ASSERT_EQ(0, resolver_open(&resolver));
	fd = udp_client(AF_INET);
	ASSERT_EQ(0, ask(fd, AF_INET, "stale.example.", TYPE_A, 0x6666));
	/* Expired: a miss, asked of the resolver, which stays silent. */
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	ASSERT_LT(0, recv_reply(fd, m, REPLY_WAIT_MS, &from));
	ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
	EXPECT_EQ(0x6666, r.id);
	EXPECT_EQ(RCODE_NOERROR, REPLY_RCODE(&r));
	EXPECT_EQ(1, r.an);
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_STALE_ANSWERS));
	EXPECT_EQ(1, counter(&self->nl, NFDNS_STAT_A_TIMEOUTS));
	EXPECT_EQ(0, counter(&self->nl, NFDNS_STAT_A_SERVFAILS));
	close(fd);
	nl_close(&resolver);
}

TEST_F(cache, edns_opt_echoed_and_do_is_part_of_the_key)
{
	struct query_opts plain = { .id = 1 };
	struct query_opts edns = { .id = 2, .edns = true, .udp_size = 4096 };
	struct query_opts dnssec = { .id = 3, .edns = true, .udp_size = 4096,
				     .do_bit = true };
	struct sockaddr_storage from;
	struct msg q, *m = self->m;
	struct nl resolver;
	struct miss miss;
	struct msg resp;
	struct reply r;
	int fd;

	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0));

	ASSERT_EQ(0, query_and_wait(AF_INET, "www.example.", TYPE_A, &plain, m, &r));
	EXPECT_EQ(1, r.id);
	EXPECT_EQ(0, r.ar);
	EXPECT_FALSE(r.has_opt);

	ASSERT_EQ(0, query_and_wait(AF_INET, "www.example.", TYPE_A, &edns, m, &r));
	EXPECT_EQ(2, r.id);
	EXPECT_EQ(1, r.an);
	ASSERT_TRUE(r.has_opt);
	EXPECT_EQ(1232, r.opt_udp_size);
	EXPECT_FALSE(r.opt_do);
	EXPECT_EQ(2, counter(&self->nl, NFDNS_STAT_A_HITS));

	/* DO=1 is another question: a miss, upcalled with the DO flag. */
	ASSERT_EQ(0, resolver_open(&resolver));
	fd = udp_client(AF_INET);
	build_query(&q, "www.example.", TYPE_A, &dnssec);
	ASSERT_EQ(0, send_query(fd, AF_INET, &q));
	ASSERT_EQ(1, recv_miss(&resolver, &miss, REPLY_WAIT_MS));
	EXPECT_TRUE(miss.do_bit);
	EXPECT_EQ(2, counter(&self->nl, NFDNS_STAT_A_HITS));

	/* Pushing the answer for DO=0 does not answer the DO=1 waiter. */
	ASSERT_EQ(0, put_simple(&self->nl, "www.example.", TYPE_A, 0));
	EXPECT_EQ(0, recv_reply(fd, m, QUIET_MS, &from));
	build_answer(&resp, "www.example.", TYPE_A);
	ASSERT_EQ(0, cache_put(&self->nl, "www.example.", TYPE_A, true, &resp,
			       300, 0));
	ASSERT_LT(0, recv_reply(fd, m, REPLY_WAIT_MS, &from));
	ASSERT_EQ(0, parse_reply(m->b, m->len, &r));
	EXPECT_EQ(3, r.id);
	ASSERT_TRUE(r.has_opt);
	EXPECT_TRUE(r.opt_do);
	EXPECT_EQ(1232, r.opt_udp_size);
	close(fd);
	nl_close(&resolver);
}

TEST_F(cache, oversize_answer_truncated)
{
	struct resp_opts big = { .answers = 40, .ttl = 300 };
	struct query_opts plain = { .id = 11 };
	struct query_opts small_edns = { .id = 12, .edns = true, .udp_size = 512 };
	struct query_opts edns = { .id = 13, .edns = true, .udp_size = 1232 };
	struct msg resp, *m = self->m;
	struct reply r;

	/* 40 A records: 12 + 16 + 40 * 16 = 668 bytes, more than 512. */
	build_response(&resp, "big.example.", TYPE_A, &big);
	ASSERT_LT(512, resp.len);
	ASSERT_EQ(0, cache_put(&self->nl, "big.example.", TYPE_A, false, &resp,
			       300, 0)) TH_LOG("%s", self->nl.errmsg);

	ASSERT_EQ(0, query_and_wait(AF_INET, "big.example.", TYPE_A, &plain, m, &r));
	EXPECT_EQ(11, r.id);
	EXPECT_TRUE(REPLY_TC(&r));
	EXPECT_EQ(1, r.qd);
	EXPECT_EQ(0, r.an);
	EXPECT_EQ(0, r.ns);
	EXPECT_EQ(0, r.ar);
	EXPECT_GE(512, m->len);

	ASSERT_EQ(0, query_and_wait(AF_INET, "big.example.", TYPE_A, &small_edns,
				    m, &r));
	EXPECT_EQ(12, r.id);
	EXPECT_TRUE(REPLY_TC(&r));
	EXPECT_EQ(0, r.an);
	EXPECT_TRUE(r.has_opt);
	EXPECT_GE(512, m->len);

	ASSERT_EQ(0, query_and_wait(AF_INET, "big.example.", TYPE_A, &edns, m, &r));
	EXPECT_EQ(13, r.id);
	EXPECT_FALSE(REPLY_TC(&r));
	EXPECT_EQ(40, r.an);
	EXPECT_TRUE(r.has_opt);
	EXPECT_EQ(resp.len + 11, m->len);

	EXPECT_EQ(2, counter(&self->nl, NFDNS_STAT_A_TRUNCATED));
	EXPECT_EQ(3, counter(&self->nl, NFDNS_STAT_A_HITS));
}

TEST_F(cache, reply_ttls_count_down)
{
	struct query_opts o = { .id = 21 };
	struct msg resp;
	struct reply r;

	build_answer(&resp, "ttl.example.", TYPE_A);
	ASSERT_EQ(0, cache_put(&self->nl, "ttl.example.", TYPE_A, false, &resp,
			       300, 0));
	sleep_ms(2100);
	ASSERT_EQ(0, query_and_wait(AF_INET, "ttl.example.", TYPE_A, &o,
				    self->m, &r));
	EXPECT_GE(298, r.max_answer_ttl);
	EXPECT_LT(0, r.max_answer_ttl);
	/* The stored copy keeps its TTLs as they were pushed. */
	ASSERT_EQ(0, cache_get(&self->nl, "ttl.example.", TYPE_A, false, self->e));
	EXPECT_EQ(0, memcmp(resp.b, self->e->response, resp.len));
}

TEST_HARNESS_MAIN
