// SPDX-License-Identifier: GPL-2.0
/*
 * kselftest: the nfdns generic netlink ABI.  Each test runs in a network
 * namespace of its own, so it starts from the defaults.
 */
#include <errno.h>
#include <stdio.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/genetlink.h>

#include <linux/nfdns.h>

#include "kselftest_harness.h"
#include "genl_util.h"

struct config {
	uint64_t max_bytes;
	uint32_t u32[NFDNS_CONF_A_MAX + 1];
	uint8_t u8[NFDNS_CONF_A_MAX + 1];
	uint16_t ports[16];
	unsigned int n_ports;
	uint32_t addr4[16];
	unsigned int n_addr4;
	uint32_t resolver_pid;
	unsigned int seen;
};

static int config_list_cb(const struct nlattr *attr, void *data)
{
	struct config *c = data;

	if (mnl_attr_get_type(attr) == NFDNS_CONF_A_PORT && c->n_ports < 16)
		c->ports[c->n_ports++] = mnl_attr_get_u16(attr);
	if (mnl_attr_get_type(attr) == NFDNS_CONF_A_ADDR4 && c->n_addr4 < 16)
		c->addr4[c->n_addr4++] = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int config_attr_cb(const struct nlattr *attr, void *data)
{
	struct config *c = data;
	int type = mnl_attr_get_type(attr);

	c->seen++;
	switch (type) {
	case NFDNS_CONF_A_MAX_BYTES:
		c->max_bytes = mnl_attr_get_u64(attr);
		break;
	case NFDNS_CONF_A_NORECURSE_PASS:
	case NFDNS_CONF_A_ENABLED:
		c->u8[type] = mnl_attr_get_u8(attr);
		break;
	case NFDNS_CONF_A_PORTS:
	case NFDNS_CONF_A_ADDRS:
		mnl_attr_parse_nested(attr, config_list_cb, c);
		break;
	default:
		if (type <= NFDNS_CONF_A_MAX &&
		    mnl_attr_get_payload_len(attr) == 4)
			c->u32[type] = mnl_attr_get_u32(attr);
	}
	return MNL_CB_OK;
}

static int config_top_cb(const struct nlattr *attr, void *data)
{
	struct config *c = data;

	if (mnl_attr_get_type(attr) == NFDNS_A_CONFIG)
		mnl_attr_parse_nested(attr, config_attr_cb, c);
	if (mnl_attr_get_type(attr) == NFDNS_A_RESOLVER_PID)
		c->resolver_pid = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), config_top_cb, data);
}

static int config_get(struct nl *nl, struct config *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	memset(c, 0, sizeof(*c));
	return nl_talk(nl, nl_request(nl, buf, NFDNS_CMD_CONFIG_GET, 0),
		       config_cb, c);
}

static int simple_cmd(struct nl *nl, uint8_t cmd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return nl_talk(nl, nl_request(nl, buf, cmd, 0), NULL, NULL);
}

/* CONFIG_SET with one u32 setting. */
static int config_set_u32(struct nl *nl, uint16_t type, uint32_t value)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, NFDNS_CMD_CONFIG_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);

	mnl_attr_put_u32(nlh, type, value);
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nl, nlh, NULL, NULL);
}

/* CONFIG_SET with one u64 setting. */
static int config_set_u64(struct nl *nl, uint16_t type, uint64_t value)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_request(nl, buf, NFDNS_CMD_CONFIG_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);

	mnl_attr_put_u64(nlh, type, value);
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nl, nlh, NULL, NULL);
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

FIXTURE(nfdns) {
	struct nl nl;
};

FIXTURE_SETUP(nfdns)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, nl_open(&self->nl)) TH_LOG("is nfdns.ko loaded?");
	ASSERT_NE(0, self->nl.family);
}

FIXTURE_TEARDOWN(nfdns)
{
	nl_close(&self->nl);
}

TEST_F(nfdns, family_version)
{
	EXPECT_EQ(NFDNS_GENL_VERSION, self->nl.version);
}

TEST_F(nfdns, config_defaults)
{
	struct config c;

	ASSERT_EQ(0, config_get(&self->nl, &c));
	EXPECT_EQ(1, c.n_ports);
	EXPECT_EQ(53, c.ports[0]);
	EXPECT_EQ(0, c.n_addr4);
	EXPECT_EQ(NFDNS_DEFAULT_MARK, c.u32[NFDNS_CONF_A_MARK]);
	EXPECT_EQ(5000, c.u32[NFDNS_CONF_A_PENDING_TIMEOUT_MS]);
	EXPECT_EQ(1, c.u8[NFDNS_CONF_A_NORECURSE_PASS]);
	EXPECT_EQ(1, c.u8[NFDNS_CONF_A_ENABLED]);
	EXPECT_LT(0, c.max_bytes);
	EXPECT_EQ(0, c.resolver_pid);
}

TEST_F(nfdns, config_set_roundtrip)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest, *list;
	struct config c;

	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CONFIG_SET, 0);
	nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);
	mnl_attr_put_u32(nlh, NFDNS_CONF_A_PENDING_TIMEOUT_MS, 2500);
	mnl_attr_put_u64(nlh, NFDNS_CONF_A_MAX_BYTES, 1 << 20);
	mnl_attr_put_u8(nlh, NFDNS_CONF_A_NORECURSE_PASS, 0);
	list = mnl_attr_nest_start(nlh, NFDNS_CONF_A_PORTS);
	mnl_attr_put_u16(nlh, NFDNS_CONF_A_PORT, 53);
	mnl_attr_put_u16(nlh, NFDNS_CONF_A_PORT, 5353);
	mnl_attr_nest_end(nlh, list);
	list = mnl_attr_nest_start(nlh, NFDNS_CONF_A_ADDRS);
	mnl_attr_put_u32(nlh, NFDNS_CONF_A_ADDR4, inet_addr("198.18.0.1"));
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, nl_talk(&self->nl, nlh, NULL, NULL)) TH_LOG("%s", self->nl.errmsg);

	ASSERT_EQ(0, config_get(&self->nl, &c));
	EXPECT_EQ(2500, c.u32[NFDNS_CONF_A_PENDING_TIMEOUT_MS]);
	EXPECT_EQ(1 << 20, c.max_bytes);
	EXPECT_EQ(0, c.u8[NFDNS_CONF_A_NORECURSE_PASS]);
	ASSERT_EQ(2, c.n_ports);
	EXPECT_EQ(53, c.ports[0]);
	EXPECT_EQ(5353, c.ports[1]);
	ASSERT_EQ(1, c.n_addr4);
	EXPECT_EQ(inet_addr("198.18.0.1"), c.addr4[0]);
	/* Settings not named keep their value. */
	EXPECT_EQ(NFDNS_DEFAULT_MARK, c.u32[NFDNS_CONF_A_MARK]);
}

TEST_F(nfdns, config_set_refused_with_reason)
{
	struct config c;

	/* A value out of its own range: the attribute policy refuses it. */
	EXPECT_EQ(-ERANGE, config_set_u32(&self->nl, NFDNS_CONF_A_MIN_TTL, 999999));
	EXPECT_STREQ("integer out of range", self->nl.errmsg);
	EXPECT_EQ(-ERANGE, config_set_u32(&self->nl, NFDNS_CONF_A_PENDING_TIMEOUT_MS,
					  NFDNS_PENDING_TIMEOUT_MS_MIN - 1));
	EXPECT_STREQ("integer out of range", self->nl.errmsg);
	/* Settings that disagree with each other: the module explains. */
	ASSERT_EQ(0, config_get(&self->nl, &c));
	EXPECT_EQ(-EINVAL, config_set_u32(&self->nl, NFDNS_CONF_A_MIN_TTL,
					  c.u32[NFDNS_CONF_A_MAX_TTL] + 1));
	EXPECT_STREQ("min_ttl must not exceed max_ttl", self->nl.errmsg);
	/* A refused change changes nothing. */
	ASSERT_EQ(0, config_get(&self->nl, &c));
	EXPECT_EQ(0, c.u32[NFDNS_CONF_A_MIN_TTL]);
	EXPECT_EQ(5000, c.u32[NFDNS_CONF_A_PENDING_TIMEOUT_MS]);
}

TEST_F(nfdns, policy_refusals)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	/* An attribute the command does not take. */
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CONFIG_GET, 0);
	mnl_attr_put_u16(nlh, NFDNS_A_QTYPE, 1);
	EXPECT_EQ(-EINVAL, nl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(0, strlen(self->nl.errmsg));

	/* An attribute type beyond the family's. */
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_STATS_GET, 0);
	mnl_attr_put_u32(nlh, NFDNS_A_MAX + 1, 1);
	EXPECT_EQ(-EINVAL, nl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(0, strlen(self->nl.errmsg));

	/* A flag out of range. */
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CONFIG_SET, 0);
	nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);
	mnl_attr_put_u8(nlh, NFDNS_CONF_A_ENABLED, 2);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-ERANGE, nl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(0, strlen(self->nl.errmsg));

	/* A wrong size. */
	nlh = nl_request(&self->nl, buf, NFDNS_CMD_CONFIG_SET, 0);
	nest = mnl_attr_nest_start(nlh, NFDNS_A_CONFIG);
	mnl_attr_put_u8(nlh, NFDNS_CONF_A_MAX_TTL, 1);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, nl_talk(&self->nl, nlh, NULL, NULL));
	EXPECT_NE(0, strlen(self->nl.errmsg));

	/* CONFIG_SET without its nest. */
	EXPECT_EQ(-EINVAL, simple_cmd(&self->nl, NFDNS_CMD_CONFIG_SET));
	EXPECT_STREQ("nfdns: NFDNS_A_CONFIG is required", self->nl.errmsg);

	/* A command the family does not have. */
	EXPECT_EQ(-EOPNOTSUPP, simple_cmd(&self->nl, 200));
}

TEST_F(nfdns, unprivileged_refused)
{
	struct nl nl;
	struct config c;

	ASSERT_EQ(0, drop_net_admin());
	ASSERT_EQ(0, nl_open(&nl));
	EXPECT_EQ(-EPERM, config_set_u32(&nl, NFDNS_CONF_A_MAX_TTL, 60));
	EXPECT_STREQ("nfdns: CAP_NET_ADMIN is required", nl.errmsg);
	EXPECT_EQ(-EPERM, simple_cmd(&nl, NFDNS_CMD_RESOLVER_REGISTER));
	EXPECT_STREQ("nfdns: CAP_NET_ADMIN is required", nl.errmsg);
	/* Reading the settings needs no privilege. */
	EXPECT_EQ(0, config_get(&nl, &c));
	EXPECT_EQ(86400, c.u32[NFDNS_CONF_A_MAX_TTL]);
	nl_close(&nl);
}

/* A ceiling module parameter, as root may have changed it. */
static uint64_t ceiling(const char *name)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/nfdns/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

#define CEILING_MSG(limit)						\
	"nfdns: " limit " above the " limit "_ceiling module parameter "	\
	"needs CAP_NET_ADMIN in the initial user namespace"

/*
 * Root of a user namespace of its own: CAP_NET_ADMIN over its network
 * namespace, none over the host.  The exit status is the first failed
 * check's line, 0 when all passed.
 */
static int in_user_namespace(uint64_t bytes_ceil, uint32_t pending_ceil,
			     uint32_t waiters_ceil)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl nl;
	struct config c;

#define CHECK(cond) do { if (!(cond)) return __LINE__ % 250 + 1; } while (0)
	CHECK(unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0);
	CHECK(nl_open(&nl) == 0);
	CHECK(config_get(&nl, &c) == 0);
	/* A new namespace starts within the ceiling. */
	CHECK(c.max_bytes <= bytes_ceil);
	/* Changes up to the ceiling are its own business... */
	CHECK(config_set_u32(&nl, NFDNS_CONF_A_MAX_TTL, 60) == 0);
	CHECK(config_set_u64(&nl, NFDNS_CONF_A_MAX_BYTES, bytes_ceil) == 0);
	CHECK(config_set_u32(&nl, NFDNS_CONF_A_MAX_PENDING, pending_ceil) == 0);
	CHECK(config_set_u32(&nl, NFDNS_CONF_A_MAX_WAITERS, waiters_ceil) == 0);
	/* ... past it, the host's. */
	CHECK(config_set_u64(&nl, NFDNS_CONF_A_MAX_BYTES, bytes_ceil + 4096) == -EPERM);
	CHECK(!strcmp(nl.errmsg, CEILING_MSG("max_bytes")));
	CHECK(config_set_u64(&nl, NFDNS_CONF_A_MAX_BYTES, 1ULL << 40) == -EPERM);
	CHECK(config_set_u32(&nl, NFDNS_CONF_A_MAX_PENDING, pending_ceil + 1) == -EPERM);
	CHECK(!strcmp(nl.errmsg, CEILING_MSG("max_pending")));
	CHECK(config_set_u32(&nl, NFDNS_CONF_A_MAX_WAITERS, waiters_ceil + 1) == -EPERM);
	CHECK(!strcmp(nl.errmsg, CEILING_MSG("max_waiters")));
	CHECK(config_get(&nl, &c) == 0);
	CHECK(c.max_bytes == bytes_ceil);
	CHECK(c.u32[NFDNS_CONF_A_MAX_PENDING] == pending_ceil);
	CHECK(c.u32[NFDNS_CONF_A_MAX_WAITERS] == waiters_ceil);
	/* Lowering is always allowed. */
	CHECK(config_set_u64(&nl, NFDNS_CONF_A_MAX_BYTES, 1 << 20) == 0);
	/* The namespace's own cache is its own to read. */
	CHECK(nl_talk(&nl, nl_request(&nl, buf, NFDNS_CMD_CACHE_GET, NLM_F_DUMP),
		      NULL, NULL) == 0);
	nl_close(&nl);
#undef CHECK
	return 0;
}

TEST_F(nfdns, memory_limits_past_the_ceiling_need_the_host)
{
	uint64_t bytes_ceil = ceiling("max_bytes_ceiling");
	uint32_t pending_ceil = ceiling("max_pending_ceiling");
	uint32_t waiters_ceil = ceiling("max_waiters_ceiling");
	struct config c;
	pid_t pid;
	int status;

	ASSERT_LE(4096, bytes_ceil);
	ASSERT_LT(bytes_ceil, 1ULL << 40);
	ASSERT_LT(0, pending_ceil);
	ASSERT_GT(65536, pending_ceil);
	ASSERT_LT(0, waiters_ceil);
	ASSERT_GT(4096, waiters_ceil);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(in_user_namespace(bytes_ceil, pending_ceil, waiters_ceil));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	/* Non-zero: the line of the check that failed, modulo 250, plus 1. */
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* The host's administrator may go past the ceilings. */
	ASSERT_EQ(0, config_set_u64(&self->nl, NFDNS_CONF_A_MAX_BYTES,
				    bytes_ceil + 4096)) TH_LOG("%s", self->nl.errmsg);
	ASSERT_EQ(0, config_set_u32(&self->nl, NFDNS_CONF_A_MAX_PENDING,
				    pending_ceil + 1));
	ASSERT_EQ(0, config_set_u32(&self->nl, NFDNS_CONF_A_MAX_WAITERS,
				    waiters_ceil + 1));
	ASSERT_EQ(0, config_get(&self->nl, &c));
	EXPECT_EQ(bytes_ceil + 4096, c.max_bytes);
	EXPECT_EQ(pending_ceil + 1, c.u32[NFDNS_CONF_A_MAX_PENDING]);
	EXPECT_EQ(waiters_ceil + 1, c.u32[NFDNS_CONF_A_MAX_WAITERS]);
}

TEST_F(nfdns, resolver_registration)
{
	struct nl second;
	struct config c;

	ASSERT_EQ(0, simple_cmd(&self->nl, NFDNS_CMD_RESOLVER_REGISTER));
	ASSERT_EQ(0, config_get(&self->nl, &c));
	EXPECT_EQ(self->nl.portid, c.resolver_pid);

	ASSERT_EQ(0, nl_open(&second));
	EXPECT_EQ(-EBUSY, simple_cmd(&second, NFDNS_CMD_RESOLVER_REGISTER));
	EXPECT_STREQ("nfdns: another resolver is registered in this namespace",
		     second.errmsg);
	EXPECT_EQ(-ENOENT, simple_cmd(&second, NFDNS_CMD_RESOLVER_UNREGISTER));

	/* Closing the resolver's socket releases the registration. */
	nl_close(&self->nl);
	EXPECT_EQ(0, simple_cmd(&second, NFDNS_CMD_RESOLVER_REGISTER));
	ASSERT_EQ(0, config_get(&second, &c));
	EXPECT_EQ(second.portid, c.resolver_pid);
	EXPECT_EQ(0, simple_cmd(&second, NFDNS_CMD_RESOLVER_UNREGISTER));
	ASSERT_EQ(0, config_get(&second, &c));
	EXPECT_EQ(0, c.resolver_pid);
	nl_close(&second);
}

TEST_F(nfdns, state_is_per_namespace)
{
	struct config c;
	pid_t pid;
	int status;

	ASSERT_EQ(0, config_set_u32(&self->nl, NFDNS_CONF_A_MAX_TTL, 60));
	ASSERT_EQ(0, simple_cmd(&self->nl, NFDNS_CMD_RESOLVER_REGISTER));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nl nl;

		if (unshare(CLONE_NEWNET) || nl_open(&nl) || config_get(&nl, &c))
			_exit(2);
		/* A new namespace starts from the defaults, with no resolver. */
		_exit(c.u32[NFDNS_CONF_A_MAX_TTL] == 86400 && !c.resolver_pid ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, config_get(&self->nl, &c));
	EXPECT_EQ(60, c.u32[NFDNS_CONF_A_MAX_TTL]);
}

struct stats {
	unsigned int count;
	uint64_t value[NFDNS_STAT_A_MAX + 1];
};

static int stats_attr_cb(const struct nlattr *attr, void *data)
{
	struct stats *s = data;

	if (mnl_attr_get_type(attr) <= NFDNS_STAT_A_MAX &&
	    mnl_attr_get_payload_len(attr) == 8) {
		s->value[mnl_attr_get_type(attr)] = mnl_attr_get_u64(attr);
		s->count++;
	}
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

TEST_F(nfdns, stats_get)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct stats s = { 0 };

	ASSERT_EQ(0, nl_talk(&self->nl,
			     nl_request(&self->nl, buf, NFDNS_CMD_STATS_GET, 0),
			     stats_cb, &s));
	/* Every counter but the padding, and a new namespace has done nothing. */
	EXPECT_EQ(NFDNS_STAT_A_MAX - 1, s.count);
	EXPECT_EQ(0, s.value[NFDNS_STAT_A_HITS]);
	EXPECT_EQ(0, s.value[NFDNS_STAT_A_ENTRIES]);
}

TEST_HARNESS_MAIN
