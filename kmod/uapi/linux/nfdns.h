/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nfdns: in-kernel DNS cache, generic netlink interface.
 *
 * This header is the only definition of the nfdns netlink ABI.  The kernel
 * module, nfdnsd and nfdnsctl all include it from this path.
 *
 * Conventions:
 *  - Names (NFDNS_A_QNAME) are in DNS wire format: length-prefixed labels
 *    ending with the root label, no compression, at most 255 bytes.
 *  - Integers are in host byte order unless said otherwise.
 *  - Privilege: every command that changes state, and CACHE_GET (the
 *    cache holds every name every client asked for), needs CAP_NET_ADMIN
 *    in the user namespace that owns the network namespace of the socket.
 *    Raising max_bytes, max_pending or max_waiters above the ceilings the
 *    module sets for every namespace (module parameters max_bytes_ceiling,
 *    default 1/16 of RAM, max_pending_ceiling and max_waiters_ceiling)
 *    needs CAP_NET_ADMIN in the initial user namespace.  STATS_GET and
 *    CONFIG_GET need nothing.  A refusal for want of privilege is -EPERM.
 *  - Every refusal carries an extended-ack message.
 *  - All state is per network namespace.
 */
#ifndef _UAPI_LINUX_NFDNS_H
#define _UAPI_LINUX_NFDNS_H

#include <linux/types.h>

#define NFDNS_GENL_NAME		"nfdns"
#define NFDNS_GENL_VERSION	1

/* The longest name in wire format (RFC 1035 3.1). */
#define NFDNS_NAME_MAX		255
/* The largest DNS message (a TCP message's length is 16 bits). */
#define NFDNS_RESPONSE_MAX	65535
/*
 * The largest response the kernel stores for one question (63 KiB).  A
 * CACHE_PUT of a larger one is refused by the attribute policy: an entry
 * with all its attributes must fit in one NFDNS_A_ENTRY attribute, whose
 * length is 16 bits, and a CACHE_GET reply in a 64 KiB buffer.  It is
 * below 65507, the most a UDP client can be sent.
 */
#define NFDNS_ENTRY_RESPONSE_MAX	64512

/*
 * The skb mark nfdnsd puts on its upstream sockets by default, and the one
 * the module lets pass untouched by default, so that the resolver's own
 * queries are never intercepted.
 */
#define NFDNS_DEFAULT_MARK	0x6e66

/*
 * The limits of the settings (enum nfdns_config_attr) and of local rules.
 * The module's attribute policies refuse a value outside them with
 * -ERANGE; nfdnsctl and nfdnsd check against the same values.
 */
#define NFDNS_TTL_MAX			604800	/* TTLs, TTL limits, serve_stale */
#define NFDNS_MAX_BYTES_MIN		4096
#define NFDNS_MAX_BYTES_MAX		(1ULL << 40)
#define NFDNS_MAX_ENTRIES_MAX		(1U << 24)
#define NFDNS_PENDING_TIMEOUT_MS_MIN	100
#define NFDNS_PENDING_TIMEOUT_MS_MAX	60000
#define NFDNS_MAX_PENDING_MAX		65536
#define NFDNS_MAX_WAITERS_MAX		4096
#define NFDNS_STALE_ANSWER_MS_MAX	60000
#define NFDNS_PREFETCH_PCT_MAX		90
#define NFDNS_RRL_RATE_MAX		1000000
#define NFDNS_RRL_SLIP_MAX		10
#define NFDNS_RRL_PREFIX4_MIN		8
#define NFDNS_RRL_PREFIX6_MIN		16
/* How many ports, addresses and client prefixes per family, interfaces. */
#define NFDNS_MAX_PORTS			8
#define NFDNS_MAX_ADDRS			16
#define NFDNS_MAX_CLIENTS		32
#define NFDNS_MAX_IFACES		8
/* The longest interface name, IFNAMSIZ - 1. */
#define NFDNS_IFNAME_MAX		15

/**
 * enum nfdns_cmd - commands of the nfdns family
 * @NFDNS_CMD_UNSPEC: unused
 * @NFDNS_CMD_RESOLVER_REGISTER: (admin) the sending socket becomes the
 *	namespace's resolver and receives %NFDNS_CMD_MISS.  Refused with
 *	-EBUSY when another live socket is registered.  The registration
 *	ends when the socket closes.  Reply: none (ack).
 * @NFDNS_CMD_RESOLVER_UNREGISTER: (admin) the sending socket stops being
 *	the resolver; its pending questions are answered SERVFAIL.
 * @NFDNS_CMD_MISS: kernel to resolver, unicast: a question to resolve.
 *	Attributes: %NFDNS_A_QNAME, %NFDNS_A_QTYPE, %NFDNS_A_QCLASS,
 *	%NFDNS_A_DO.
 * @NFDNS_CMD_CACHE_PUT: (admin) store a response and answer every client
 *	waiting for it.  Attributes: %NFDNS_A_QNAME, %NFDNS_A_QTYPE,
 *	%NFDNS_A_QCLASS, %NFDNS_A_DO (optional), %NFDNS_A_RESPONSE,
 *	%NFDNS_A_TTL, %NFDNS_A_FLAGS (optional, %NFDNS_ENTRY_F_STATIC).
 *	The response must parse, must carry the question given, and must
 *	have no OPT record.
 * @NFDNS_CMD_CACHE_FAIL: (admin) resolution failed.  Attributes: the
 *	question, %NFDNS_A_RCODE; %NFDNS_A_TTL (optional) stores a short
 *	negative entry for that long.
 * @NFDNS_CMD_CACHE_GET: (admin) one entry (with the question) or, as a
 *	dump, all of them.  Each reply carries %NFDNS_A_ENTRY.  A message
 *	may be up to 64 KiB: read with a buffer at least that large.
 * @NFDNS_CMD_CACHE_DEL: (admin) delete the entries of %NFDNS_A_QNAME:
 *	one type (%NFDNS_A_QTYPE given) or all; with %NFDNS_A_SUBTREE, every
 *	name at or below it.  Reply: %NFDNS_A_COUNT, the entries deleted.
 * @NFDNS_CMD_CACHE_FLUSH: (admin) delete every entry.  Reply:
 *	%NFDNS_A_COUNT.
 * @NFDNS_CMD_STATS_GET: counters.  Reply: %NFDNS_A_STATS.
 * @NFDNS_CMD_CONFIG_GET: settings.  Reply: %NFDNS_A_CONFIG and, when a
 *	resolver is registered, %NFDNS_A_RESOLVER_PID.
 * @NFDNS_CMD_CONFIG_SET: (admin) change settings.  Attribute:
 *	%NFDNS_A_CONFIG holding the settings to change; the others keep
 *	their value.  All are checked before any is applied.
 * @NFDNS_CMD_LOCAL_ADD: (admin) add rules to the staged local rule set
 *	of the namespace: one or more %NFDNS_A_LOCAL nests.  The staged set
 *	belongs to the sending socket; a message from another socket, or the
 *	sender closing, drops it.  A rule for a name and match already
 *	staged replaces it.  Refused with -ENOSPC past %NFDNS_LOCAL_MAX_RULES
 *	rules.  Any error drops the staged set, and the sender's further
 *	LOCAL_ADD and its LOCAL_COMMIT fail with -ESTALE until it sends
 *	%NFDNS_CMD_LOCAL_ABORT: a set missing rules is never published.
 * @NFDNS_CMD_LOCAL_COMMIT: (admin) the staged set replaces the active one
 *	at once (an empty staged set clears it), and cached entries that a
 *	rule now covers are deleted.  Reply: %NFDNS_A_COUNT, the rules now
 *	active.
 * @NFDNS_CMD_LOCAL_ABORT: (admin) drop the staged set.
 * @NFDNS_CMD_PREFETCH: kernel to resolver, unicast: a cached answer is
 *	being asked for near the end of its TTL (or past it, when it was just
 *	served stale); resolve the question again, bypassing any cache of
 *	the resolver's own, and store the fresh answer with
 *	%NFDNS_CMD_CACHE_PUT, which replaces the entry with no moment
 *	without one.  No client waits on it: a failure is not reported.  Sent
 *	once per entry.  Attributes: as %NFDNS_CMD_MISS.
 * @__NFDNS_CMD_MAX: internal
 * @NFDNS_CMD_MAX: highest command
 */
enum nfdns_cmd {
	NFDNS_CMD_UNSPEC,
	NFDNS_CMD_RESOLVER_REGISTER,
	NFDNS_CMD_RESOLVER_UNREGISTER,
	NFDNS_CMD_MISS,
	NFDNS_CMD_CACHE_PUT,
	NFDNS_CMD_CACHE_FAIL,
	NFDNS_CMD_CACHE_GET,
	NFDNS_CMD_CACHE_DEL,
	NFDNS_CMD_CACHE_FLUSH,
	NFDNS_CMD_STATS_GET,
	NFDNS_CMD_CONFIG_GET,
	NFDNS_CMD_CONFIG_SET,
	NFDNS_CMD_LOCAL_ADD,
	NFDNS_CMD_LOCAL_COMMIT,
	NFDNS_CMD_LOCAL_ABORT,
	NFDNS_CMD_PREFETCH,

	__NFDNS_CMD_MAX,
	NFDNS_CMD_MAX = __NFDNS_CMD_MAX - 1
};

/**
 * enum nfdns_attr - top-level attributes
 * @NFDNS_A_UNSPEC: unused
 * @NFDNS_A_QNAME: binary, wire-format name, 1..255 bytes
 * @NFDNS_A_QTYPE: u16, RR type
 * @NFDNS_A_QCLASS: u16, class (default 1, IN)
 * @NFDNS_A_DO: flag, the question was asked with the DNSSEC OK bit
 * @NFDNS_A_RESPONSE: binary, a whole DNS message, 12 bytes up to
 *	%NFDNS_ENTRY_RESPONSE_MAX
 * @NFDNS_A_TTL: u32, seconds the entry stays fresh (before clamping)
 * @NFDNS_A_RCODE: u8, DNS RCODE (0..15)
 * @NFDNS_A_FLAGS: u32, %NFDNS_ENTRY_F_* bits
 * @NFDNS_A_SUBTREE: flag, CACHE_DEL applies to the name and all below it
 * @NFDNS_A_ENTRY: nest, &enum nfdns_entry_attr
 * @NFDNS_A_STATS: nest, &enum nfdns_stat_attr
 * @NFDNS_A_CONFIG: nest, &enum nfdns_config_attr
 * @NFDNS_A_RESOLVER_PID: u32, port id of the registered resolver socket
 * @NFDNS_A_COUNT: u64, entries affected
 * @NFDNS_A_PAD: padding for 64-bit attributes
 * @NFDNS_A_CD: flag, the question was asked with Checking Disabled; part
 *	of the question like %NFDNS_A_DO (in MISS, CACHE_PUT, CACHE_FAIL,
 *	CACHE_GET)
 * @NFDNS_A_LOCAL: nest, &enum nfdns_local_attr: one local rule
 * @__NFDNS_A_MAX: internal
 * @NFDNS_A_MAX: highest attribute
 */
enum nfdns_attr {
	NFDNS_A_UNSPEC,
	NFDNS_A_QNAME,
	NFDNS_A_QTYPE,
	NFDNS_A_QCLASS,
	NFDNS_A_DO,
	NFDNS_A_RESPONSE,
	NFDNS_A_TTL,
	NFDNS_A_RCODE,
	NFDNS_A_FLAGS,
	NFDNS_A_SUBTREE,
	NFDNS_A_ENTRY,
	NFDNS_A_STATS,
	NFDNS_A_CONFIG,
	NFDNS_A_RESOLVER_PID,
	NFDNS_A_COUNT,
	NFDNS_A_PAD,
	NFDNS_A_CD,
	NFDNS_A_LOCAL,

	__NFDNS_A_MAX,
	NFDNS_A_MAX = __NFDNS_A_MAX - 1
};

/* Entry flags (NFDNS_A_FLAGS, NFDNS_ENTRY_A_FLAGS). */
#define NFDNS_ENTRY_F_STATIC	(1U << 0)	/* never expires, never evicted */
#define NFDNS_ENTRY_F_NEGATIVE	(1U << 1)	/* NXDOMAIN or NODATA */
#define NFDNS_ENTRY_F_STALE	(1U << 2)	/* past its TTL, kept for serve-stale */
/* Reported by CACHE_GET only: a PREFETCH was sent for this entry. */
#define NFDNS_ENTRY_F_PREFETCHED (1U << 3)

/**
 * enum nfdns_entry_attr - attributes of one cache entry (in NFDNS_A_ENTRY)
 * @NFDNS_ENTRY_A_UNSPEC: unused
 * @NFDNS_ENTRY_A_QNAME: binary, wire-format name (lower case)
 * @NFDNS_ENTRY_A_QTYPE: u16
 * @NFDNS_ENTRY_A_QCLASS: u16
 * @NFDNS_ENTRY_A_DO: flag
 * @NFDNS_ENTRY_A_RESPONSE: binary, the stored response with its TTLs
 *	as stored (not decremented)
 * @NFDNS_ENTRY_A_TTL: u32, TTL the entry was stored with (after clamping)
 * @NFDNS_ENTRY_A_REMAINING: u32, seconds left before it expires (0 when
 *	stale; meaningless for static entries)
 * @NFDNS_ENTRY_A_FLAGS: u32, %NFDNS_ENTRY_F_* bits
 * @NFDNS_ENTRY_A_PAD: padding
 * @NFDNS_ENTRY_A_CD: flag, stored for questions asked with CD
 * @__NFDNS_ENTRY_A_MAX: internal
 * @NFDNS_ENTRY_A_MAX: highest entry attribute
 */
enum nfdns_entry_attr {
	NFDNS_ENTRY_A_UNSPEC,
	NFDNS_ENTRY_A_QNAME,
	NFDNS_ENTRY_A_QTYPE,
	NFDNS_ENTRY_A_QCLASS,
	NFDNS_ENTRY_A_DO,
	NFDNS_ENTRY_A_RESPONSE,
	NFDNS_ENTRY_A_TTL,
	NFDNS_ENTRY_A_REMAINING,
	NFDNS_ENTRY_A_FLAGS,
	NFDNS_ENTRY_A_PAD,
	NFDNS_ENTRY_A_CD,

	__NFDNS_ENTRY_A_MAX,
	NFDNS_ENTRY_A_MAX = __NFDNS_ENTRY_A_MAX - 1
};

/* Rules one staged set may hold; their memory is charged to the sender. */
#define NFDNS_LOCAL_MAX_RULES	4194304

/**
 * enum nfdns_local_match - which names a local rule covers
 * @NFDNS_LOCAL_EXACT: the rule's name only
 * @NFDNS_LOCAL_SUBTREE: the name and every name below it
 *
 * A query name is matched from itself up towards the root: an exact rule
 * for the name itself wins, then the subtree rule of the nearest
 * enclosing name.  Rules are consulted on a cache miss only: a static
 * cache entry (local data) answers before them.
 */
enum nfdns_local_match {
	NFDNS_LOCAL_EXACT,
	NFDNS_LOCAL_SUBTREE,
};

/**
 * enum nfdns_local_action - how a query that a local rule covers is answered
 * @NFDNS_LOCAL_NXDOMAIN: NXDOMAIN
 * @NFDNS_LOCAL_NODATA: NOERROR with an empty answer
 * @NFDNS_LOCAL_REFUSED: REFUSED
 * @NFDNS_LOCAL_REDIRECT: A and AAAA questions get the rule's
 *	%NFDNS_LOCAL_A_ADDR4 / %NFDNS_LOCAL_A_ADDR6 (with the query name as
 *	owner and the rule's TTL); other types, and a family the rule has no
 *	address for, get NODATA.  Block lists use 0.0.0.0 and ::.
 * @__NFDNS_LOCAL_ACTION_MAX: internal
 * @NFDNS_LOCAL_ACTION_MAX: highest action
 */
enum nfdns_local_action {
	NFDNS_LOCAL_NXDOMAIN,
	NFDNS_LOCAL_NODATA,
	NFDNS_LOCAL_REFUSED,
	NFDNS_LOCAL_REDIRECT,

	__NFDNS_LOCAL_ACTION_MAX,
	NFDNS_LOCAL_ACTION_MAX = __NFDNS_LOCAL_ACTION_MAX - 1
};

/**
 * enum nfdns_local_attr - attributes of one local rule (in NFDNS_A_LOCAL)
 * @NFDNS_LOCAL_A_UNSPEC: unused
 * @NFDNS_LOCAL_A_NAME: binary, wire-format name, 1..255 bytes (case is
 *	ignored; "\0", the root, is allowed)
 * @NFDNS_LOCAL_A_MATCH: u8, &enum nfdns_local_match
 * @NFDNS_LOCAL_A_ACTION: u8, &enum nfdns_local_action
 * @NFDNS_LOCAL_A_ADDR4: be32, address of %NFDNS_LOCAL_REDIRECT A answers
 * @NFDNS_LOCAL_A_ADDR6: binary, 16 bytes, address of AAAA answers
 * @NFDNS_LOCAL_A_TTL: u32, TTL of the records answered (default 3600,
 *	at most 604800)
 * @__NFDNS_LOCAL_A_MAX: internal
 * @NFDNS_LOCAL_A_MAX: highest local rule attribute
 */
enum nfdns_local_attr {
	NFDNS_LOCAL_A_UNSPEC,
	NFDNS_LOCAL_A_NAME,
	NFDNS_LOCAL_A_MATCH,
	NFDNS_LOCAL_A_ACTION,
	NFDNS_LOCAL_A_ADDR4,
	NFDNS_LOCAL_A_ADDR6,
	NFDNS_LOCAL_A_TTL,

	__NFDNS_LOCAL_A_MAX,
	NFDNS_LOCAL_A_MAX = __NFDNS_LOCAL_A_MAX - 1
};

/**
 * enum nfdns_stat_attr - counters (in NFDNS_A_STATS), all u64
 * @NFDNS_STAT_A_UNSPEC: unused
 * @NFDNS_STAT_A_HITS: queries answered from the cache
 * @NFDNS_STAT_A_MISSES: queries not in the cache
 * @NFDNS_STAT_A_UPCALLS: %NFDNS_CMD_MISS messages sent
 * @NFDNS_STAT_A_UPCALL_ERRORS: %NFDNS_CMD_MISS messages that could not be
 *	sent (resolver socket full or gone)
 * @NFDNS_STAT_A_COALESCED: queries that joined a question already pending
 * @NFDNS_STAT_A_ANSWERS: replies sent (hits and answered waiters)
 * @NFDNS_STAT_A_SERVFAILS: SERVFAIL replies sent (failures, timeouts)
 * @NFDNS_STAT_A_STALE_ANSWERS: replies served from expired entries (with
 *	TTL 30, RFC 8767)
 * @NFDNS_STAT_A_TRUNCATED: replies sent with TC=1 because too big
 * @NFDNS_STAT_A_PASS_NOT_QUERY: packets passed: not a DNS query
 * @NFDNS_STAT_A_PASS_MALFORMED: packets passed: malformed query
 * @NFDNS_STAT_A_PASS_MARKED: packets passed: carried the resolver's mark
 * @NFDNS_STAT_A_PASS_NORECURSE: packets passed: RD=0
 * @NFDNS_STAT_A_PASS_FAIL_OPEN: misses passed: no resolver registered
 * @NFDNS_STAT_A_PASS_OVER_LIMIT: misses passed: pending or waiter bound hit
 * @NFDNS_STAT_A_REPLY_ERRORS: replies that could not be built or routed
 * @NFDNS_STAT_A_INSERTS: entries stored
 * @NFDNS_STAT_A_INSERT_REJECTS: pushed responses refused
 * @NFDNS_STAT_A_EVICTIONS: live entries evicted for room
 * @NFDNS_STAT_A_EXPIRATIONS: expired entries reclaimed
 * @NFDNS_STAT_A_TIMEOUTS: pending questions that timed out
 * @NFDNS_STAT_A_ENTRIES: gauge: entries in the cache
 * @NFDNS_STAT_A_BYTES: gauge: bytes charged to the cache
 * @NFDNS_STAT_A_PENDING: gauge: questions pending
 * @NFDNS_STAT_A_WAITERS: gauge: clients waiting
 * @NFDNS_STAT_A_PAD: padding
 * @NFDNS_STAT_A_PASS_NOT_HOST: packets passed: broadcast, multicast or
 *	for another host (not PACKET_HOST, or to a broadcast address)
 * @NFDNS_STAT_A_PASS_MARTIAN: packets passed: a source that cannot come
 *	from where the packet came (loopback, unspecified, multicast or one of
 *	this host's addresses, from another interface)
 * @NFDNS_STAT_A_PASS_ACL: packets passed: source not in the clients list
 * @NFDNS_STAT_A_PASS_IFACE: packets passed: interface not in ifaces
 * @NFDNS_STAT_A_RRL_DROPPED: queries dropped by the response rate limit
 * @NFDNS_STAT_A_RRL_SLIPPED: queries over the rate limit answered with an
 *	empty TC=1 reply (so a real client retries over TCP)
 * @NFDNS_STAT_A_LOCAL_ANSWERS: queries answered by a local rule
 * @NFDNS_STAT_A_LOCAL_RULES: gauge: local rules active
 * @NFDNS_STAT_A_LOCAL_BYTES: gauge: bytes the active and staged local
 *	rules take
 * @NFDNS_STAT_A_PREFETCHES: %NFDNS_CMD_PREFETCH messages sent
 * @NFDNS_STAT_A_PREFETCH_ERRORS: %NFDNS_CMD_PREFETCH messages that could
 *	not be sent (the entry is then left to expire)
 * @__NFDNS_STAT_A_MAX: internal
 * @NFDNS_STAT_A_MAX: highest counter
 */
enum nfdns_stat_attr {
	NFDNS_STAT_A_UNSPEC,
	NFDNS_STAT_A_HITS,
	NFDNS_STAT_A_MISSES,
	NFDNS_STAT_A_UPCALLS,
	NFDNS_STAT_A_UPCALL_ERRORS,
	NFDNS_STAT_A_COALESCED,
	NFDNS_STAT_A_ANSWERS,
	NFDNS_STAT_A_SERVFAILS,
	NFDNS_STAT_A_STALE_ANSWERS,
	NFDNS_STAT_A_TRUNCATED,
	NFDNS_STAT_A_PASS_NOT_QUERY,
	NFDNS_STAT_A_PASS_MALFORMED,
	NFDNS_STAT_A_PASS_MARKED,
	NFDNS_STAT_A_PASS_NORECURSE,
	NFDNS_STAT_A_PASS_FAIL_OPEN,
	NFDNS_STAT_A_PASS_OVER_LIMIT,
	NFDNS_STAT_A_REPLY_ERRORS,
	NFDNS_STAT_A_INSERTS,
	NFDNS_STAT_A_INSERT_REJECTS,
	NFDNS_STAT_A_EVICTIONS,
	NFDNS_STAT_A_EXPIRATIONS,
	NFDNS_STAT_A_TIMEOUTS,
	NFDNS_STAT_A_ENTRIES,
	NFDNS_STAT_A_BYTES,
	NFDNS_STAT_A_PENDING,
	NFDNS_STAT_A_WAITERS,
	NFDNS_STAT_A_PAD,
	NFDNS_STAT_A_PASS_NOT_HOST,
	NFDNS_STAT_A_PASS_MARTIAN,
	NFDNS_STAT_A_PASS_ACL,
	NFDNS_STAT_A_PASS_IFACE,
	NFDNS_STAT_A_RRL_DROPPED,
	NFDNS_STAT_A_RRL_SLIPPED,
	NFDNS_STAT_A_LOCAL_ANSWERS,
	NFDNS_STAT_A_LOCAL_RULES,
	NFDNS_STAT_A_LOCAL_BYTES,
	NFDNS_STAT_A_PREFETCHES,
	NFDNS_STAT_A_PREFETCH_ERRORS,

	__NFDNS_STAT_A_MAX,
	NFDNS_STAT_A_MAX = __NFDNS_STAT_A_MAX - 1
};

/**
 * enum nfdns_config_attr - settings (in NFDNS_A_CONFIG)
 * @NFDNS_CONF_A_UNSPEC: unused
 * @NFDNS_CONF_A_MAX_BYTES: u64, byte budget of the cache (4096..2^40;
 *	above max_bytes_ceiling only from the initial user namespace)
 * @NFDNS_CONF_A_MAX_ENTRIES: u32, entry limit of the cache (1..2^24)
 * @NFDNS_CONF_A_MIN_TTL: u32, seconds; shorter TTLs are raised to this
 * @NFDNS_CONF_A_MAX_TTL: u32, seconds; longer TTLs are lowered to this
 *	(min_ttl <= max_ttl <= 604800)
 * @NFDNS_CONF_A_NEG_MAX_TTL: u32, seconds; cap for negative entries
 * @NFDNS_CONF_A_PENDING_TIMEOUT_MS: u32, how long a question waits for
 *	the resolver before it is answered SERVFAIL (100..60000)
 * @NFDNS_CONF_A_MAX_PENDING: u32, questions pending at once (1..65536;
 *	above max_pending_ceiling only from the initial user namespace)
 * @NFDNS_CONF_A_MAX_WAITERS: u32, clients waiting on one question
 *	(1..4096; above max_waiters_ceiling only from the initial user
 *	namespace)
 * @NFDNS_CONF_A_MARK: u32, packets with this skb mark pass untouched
 *	(0: none); nfdnsd sets it on its upstream sockets
 * @NFDNS_CONF_A_SERVE_STALE: u32, seconds an expired entry may still be
 *	served, with TTL 30, when the resolver does not answer within
 *	stale_answer_ms or no resolver is registered (0: off; RFC 8767)
 * @NFDNS_CONF_A_NORECURSE_PASS: u8, 1: queries with RD=0 pass untouched
 * @NFDNS_CONF_A_PORTS: nest of u16 (%NFDNS_CONF_A_PORT), UDP destination
 *	ports intercepted (1..8 ports)
 * @NFDNS_CONF_A_ADDRS: nest of %NFDNS_CONF_A_ADDR4 (be32) and
 *	%NFDNS_CONF_A_ADDR6 (16 bytes); when not empty, only queries to
 *	these addresses are intercepted (up to 16)
 * @NFDNS_CONF_A_PORT: u16, inside %NFDNS_CONF_A_PORTS
 * @NFDNS_CONF_A_ADDR4: be32, inside %NFDNS_CONF_A_ADDRS
 * @NFDNS_CONF_A_ADDR6: binary, 16 bytes, inside %NFDNS_CONF_A_ADDRS
 * @NFDNS_CONF_A_ENABLED: u8, 0: the hooks pass everything untouched
 * @NFDNS_CONF_A_PAD: padding
 * @NFDNS_CONF_A_CLIENTS: nest of %NFDNS_CONF_A_CLIENT4 and
 *	%NFDNS_CONF_A_CLIENT6: the sources whose queries are answered (up to
 *	32 prefixes per family); queries from other sources pass untouched.
 *	0.0.0.0/0 and ::/0 mean every source.  Default: loopback, 10/8,
 *	172.16/12, 192.168/16, 100.64/10, 169.254/16, fc00::/7, fe80::/10
 * @NFDNS_CONF_A_CLIENT4: binary, 5 bytes, inside %NFDNS_CONF_A_CLIENTS:
 *	an IPv4 network (network byte order) then its prefix length (0..32)
 * @NFDNS_CONF_A_CLIENT6: binary, 17 bytes, inside %NFDNS_CONF_A_CLIENTS:
 *	an IPv6 network then its prefix length (0..128)
 * @NFDNS_CONF_A_IFACES: nest of %NFDNS_CONF_A_IFNAME: only queries
 *	arriving on (or, from local processes, leaving by) these interfaces
 *	are answered, loopback always (up to 8; empty: every interface)
 * @NFDNS_CONF_A_IFNAME: string, an interface name, inside
 *	%NFDNS_CONF_A_IFACES
 * @NFDNS_CONF_A_RRL_RATE: u32, answers per second to one source prefix
 *	(0: no limit; up to 1000000); sources on loopback are never limited
 * @NFDNS_CONF_A_RRL_SLIP: u32, every this many queries over the limit
 *	gets an empty TC=1 reply instead of none (0: never; up to 10)
 * @NFDNS_CONF_A_RRL_PREFIX4: u8, IPv4 prefix length the limit counts by
 *	(8..32, default 24)
 * @NFDNS_CONF_A_RRL_PREFIX6: u8, IPv6 prefix length the limit counts by
 *	(16..128, default 56)
 * @NFDNS_CONF_A_PREFETCH_PCT: u32, a hit on an entry with less than this
 *	percentage of its TTL left sends one %NFDNS_CMD_PREFETCH for it
 *	(0: never; up to 90; default 10)
 * @NFDNS_CONF_A_STALE_ANSWER_MS: u32, how long a client asking for an
 *	expired entry inside the serve-stale window waits for the resolver
 *	before it is answered from the stale entry; the question stays
 *	pending and the fresh answer replaces the entry (0: answer stale at
 *	once and prefetch; up to 60000; default 1800, RFC 8767's client
 *	response timer)
 * @NFDNS_CONF_A_STALE_WITHOUT_RESOLVER: u8, 1: with no resolver
 *	registered, an expired entry inside the serve-stale window is served
 *	stale rather than the query passed on (default 1); a query with no
 *	entry passes on either way
 * @NFDNS_CONF_A_PREFETCH_ADAPTIVE: u8, 1: a hit also prefetches an entry
 *	whose remaining TTL is shorter than 1.5 times the mean gap between the
 *	queries that found it, so that the next query would find it expired
 *	(default 1; only while prefetch_pct is not 0)
 * @__NFDNS_CONF_A_MAX: internal
 * @NFDNS_CONF_A_MAX: highest setting
 */
enum nfdns_config_attr {
	NFDNS_CONF_A_UNSPEC,
	NFDNS_CONF_A_MAX_BYTES,
	NFDNS_CONF_A_MAX_ENTRIES,
	NFDNS_CONF_A_MIN_TTL,
	NFDNS_CONF_A_MAX_TTL,
	NFDNS_CONF_A_NEG_MAX_TTL,
	NFDNS_CONF_A_PENDING_TIMEOUT_MS,
	NFDNS_CONF_A_MAX_PENDING,
	NFDNS_CONF_A_MAX_WAITERS,
	NFDNS_CONF_A_MARK,
	NFDNS_CONF_A_SERVE_STALE,
	NFDNS_CONF_A_NORECURSE_PASS,
	NFDNS_CONF_A_PORTS,
	NFDNS_CONF_A_ADDRS,
	NFDNS_CONF_A_PORT,
	NFDNS_CONF_A_ADDR4,
	NFDNS_CONF_A_ADDR6,
	NFDNS_CONF_A_ENABLED,
	NFDNS_CONF_A_PAD,
	NFDNS_CONF_A_CLIENTS,
	NFDNS_CONF_A_CLIENT4,
	NFDNS_CONF_A_CLIENT6,
	NFDNS_CONF_A_IFACES,
	NFDNS_CONF_A_IFNAME,
	NFDNS_CONF_A_RRL_RATE,
	NFDNS_CONF_A_RRL_SLIP,
	NFDNS_CONF_A_RRL_PREFIX4,
	NFDNS_CONF_A_RRL_PREFIX6,
	NFDNS_CONF_A_PREFETCH_PCT,
	NFDNS_CONF_A_STALE_ANSWER_MS,
	NFDNS_CONF_A_STALE_WITHOUT_RESOLVER,
	NFDNS_CONF_A_PREFETCH_ADAPTIVE,

	__NFDNS_CONF_A_MAX,
	NFDNS_CONF_A_MAX = __NFDNS_CONF_A_MAX - 1
};

#endif /* _UAPI_LINUX_NFDNS_H */
