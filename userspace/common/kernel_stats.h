/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel module's counters (NFDNS_CMD_STATS_GET), by name: what
 * nfdnsctl prints and nfdnsd's /metrics exports, so that both name them
 * alike.  Included by each program that needs it.
 */
#ifndef NFDNS_KERNEL_STATS_H
#define NFDNS_KERNEL_STATS_H

#include <stdbool.h>

#include <linux/nfdns.h>

/**
 * struct nfdns_stat_desc - one counter
 * @name: its name in text and JSON output
 * @metric: its Prometheus metric name
 * @attr: %NFDNS_STAT_A_*
 * @gauge: a level rather than a running count
 * @help: what it counts
 */
struct nfdns_stat_desc {
	const char *name;
	const char *metric;
	unsigned int attr;
	bool gauge;
	const char *help;
};

static const struct nfdns_stat_desc nfdns_stat_descs[] = {
	{ "hits", "nfdns_hits_total", NFDNS_STAT_A_HITS, false,
	  "Queries answered from the cache." },
	{ "misses", "nfdns_misses_total", NFDNS_STAT_A_MISSES, false,
	  "Queries not in the cache." },
	{ "upcalls", "nfdns_upcalls_total", NFDNS_STAT_A_UPCALLS, false,
	  "Questions sent to the resolver." },
	{ "upcall_errors", "nfdns_upcall_errors_total",
	  NFDNS_STAT_A_UPCALL_ERRORS, false,
	  "Questions that could not be sent to the resolver." },
	{ "coalesced", "nfdns_coalesced_total", NFDNS_STAT_A_COALESCED, false,
	  "Queries that joined a question already pending." },
	{ "answers", "nfdns_answers_total", NFDNS_STAT_A_ANSWERS, false,
	  "Replies sent, from hits and to waiting clients." },
	{ "servfails", "nfdns_servfails_total", NFDNS_STAT_A_SERVFAILS, false,
	  "SERVFAIL replies sent." },
	{ "stale_answers", "nfdns_stale_answers_total",
	  NFDNS_STAT_A_STALE_ANSWERS, false,
	  "Replies served from expired entries, with TTL 30." },
	{ "prefetches", "nfdns_prefetches_total", NFDNS_STAT_A_PREFETCHES,
	  false, "Entries asked near expiry that the resolver was told to refresh." },
	{ "prefetch_errors", "nfdns_prefetch_errors_total",
	  NFDNS_STAT_A_PREFETCH_ERRORS, false,
	  "Refreshes that could not be sent to the resolver." },
	{ "truncated", "nfdns_truncated_total", NFDNS_STAT_A_TRUNCATED, false,
	  "Replies sent truncated because they were too big." },
	{ "pass_not_query", "nfdns_pass_not_query_total",
	  NFDNS_STAT_A_PASS_NOT_QUERY, false,
	  "Packets passed untouched: not a DNS query." },
	{ "pass_malformed", "nfdns_pass_malformed_total",
	  NFDNS_STAT_A_PASS_MALFORMED, false,
	  "Packets passed untouched: malformed query." },
	{ "pass_marked", "nfdns_pass_marked_total", NFDNS_STAT_A_PASS_MARKED,
	  false, "Packets passed untouched: they carried the resolver's mark." },
	{ "pass_norecurse", "nfdns_pass_norecurse_total",
	  NFDNS_STAT_A_PASS_NORECURSE, false,
	  "Packets passed untouched: recursion not desired." },
	{ "pass_fail_open", "nfdns_pass_fail_open_total",
	  NFDNS_STAT_A_PASS_FAIL_OPEN, false,
	  "Misses passed untouched: no resolver registered." },
	{ "pass_over_limit", "nfdns_pass_over_limit_total",
	  NFDNS_STAT_A_PASS_OVER_LIMIT, false,
	  "Misses passed untouched: too many pending questions or waiters." },
	{ "pass_not_host", "nfdns_pass_not_host_total",
	  NFDNS_STAT_A_PASS_NOT_HOST, false,
	  "Packets passed untouched: broadcast, multicast or for another host." },
	{ "pass_martian", "nfdns_pass_martian_total",
	  NFDNS_STAT_A_PASS_MARTIAN, false,
	  "Packets passed untouched: impossible source address." },
	{ "pass_acl", "nfdns_pass_acl_total", NFDNS_STAT_A_PASS_ACL, false,
	  "Packets passed untouched: source not in clients." },
	{ "pass_iface", "nfdns_pass_iface_total", NFDNS_STAT_A_PASS_IFACE,
	  false, "Packets passed untouched: interface not in ifaces." },
	{ "rrl_dropped", "nfdns_rrl_dropped_total", NFDNS_STAT_A_RRL_DROPPED,
	  false, "Queries dropped by the response rate limit." },
	{ "rrl_slipped", "nfdns_rrl_slipped_total", NFDNS_STAT_A_RRL_SLIPPED,
	  false, "Queries over the rate limit answered with TC=1." },
	{ "local_answers", "nfdns_local_answers_total",
	  NFDNS_STAT_A_LOCAL_ANSWERS, false,
	  "Queries answered by a local rule (local zone or block list)." },
	{ "local_rules", "nfdns_local_rules", NFDNS_STAT_A_LOCAL_RULES, true,
	  "Local rules active." },
	{ "local_bytes", "nfdns_local_bytes", NFDNS_STAT_A_LOCAL_BYTES, true,
	  "Bytes the local rules take, active and staged." },
	{ "reply_errors", "nfdns_reply_errors_total",
	  NFDNS_STAT_A_REPLY_ERRORS, false,
	  "Replies that could not be built or routed." },
	{ "inserts", "nfdns_inserts_total", NFDNS_STAT_A_INSERTS, false,
	  "Entries stored." },
	{ "insert_rejects", "nfdns_insert_rejects_total",
	  NFDNS_STAT_A_INSERT_REJECTS, false, "Pushed responses refused." },
	{ "evictions", "nfdns_evictions_total", NFDNS_STAT_A_EVICTIONS, false,
	  "Live entries evicted to make room." },
	{ "expirations", "nfdns_expirations_total", NFDNS_STAT_A_EXPIRATIONS,
	  false, "Expired entries reclaimed." },
	{ "timeouts", "nfdns_timeouts_total", NFDNS_STAT_A_TIMEOUTS, false,
	  "Pending questions that timed out." },
	{ "entries", "nfdns_cache_entries", NFDNS_STAT_A_ENTRIES, true,
	  "Entries in the cache." },
	{ "bytes", "nfdns_cache_bytes", NFDNS_STAT_A_BYTES, true,
	  "Bytes charged to the cache." },
	{ "pending", "nfdns_pending_questions", NFDNS_STAT_A_PENDING, true,
	  "Questions waiting for the resolver." },
	{ "waiters", "nfdns_waiting_clients", NFDNS_STAT_A_WAITERS, true,
	  "Clients waiting for an answer." },
};

#define NFDNS_N_STAT_DESCS (sizeof(nfdns_stat_descs) / sizeof(nfdns_stat_descs[0]))

#endif
