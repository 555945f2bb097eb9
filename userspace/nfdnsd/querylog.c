// SPDX-License-Identifier: GPL-2.0
/*
 * The query log.  Its volume is bounded: a token bucket of log-queries-rate
 * lines per second; lines over it are dropped and counted, and one line
 * says how many each second that dropped any.
 */
#include "querylog.h"

#include <inttypes.h>
#include <syslog.h>

#include <json-c/json.h>

#include "dname.h"
#include "log.h"
#include "stats.h"
#include "util.h"

static uint32_t rate;
static uint64_t second;		/* the second (ms / 1000) being counted */
static uint32_t used, dropped;

void querylog_setup(uint32_t lines_per_s)
{
	rate = lines_per_s;
}

/* A new second: say what the last one dropped, and refill. */
static void tick(uint64_t now_ms)
{
	if (now_ms / 1000 == second)
		return;
	if (dropped) {
		if (log_json()) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "dropped", json_object_new_uint64(dropped));
			log_object(LOG_INFO, "querylog", o);
		} else {
			log_always("query", "%" PRIu32 " query log lines dropped (log-queries-rate %" PRIu32 ")",
				   dropped, rate);
		}
	}
	second = now_ms / 1000;
	used = 0;
	dropped = 0;
}

void querylog_answer(const char *via, const struct sockaddr *client, const ldns_rr *question, int rcode,
		     size_t answers, bool from_cache, uint64_t now_ms, uint64_t ms)
{
	char n[NAME_STRLEN], t[16], rc[16], a[SA_STRLEN];
	const char *how = rcode == LDNS_RCODE_SERVFAIL ? "failed" : from_cache ? "cache" : "resolved";

	if (!rate)
		return;
	tick(now_ms);
	if (used >= rate) {
		dropped++;
		stats.querylog_dropped++;
		return;
	}
	used++;
	name_str(ldns_rr_owner(question), n);
	type_str(ldns_rr_get_type(question), t);
	rcode_str((unsigned)rcode, rc);
	if (client)
		sa_str(client, true, a);
	if (log_json()) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "client", json_object_new_string(client ? a : "kernel"));
		json_object_object_add(o, "name", json_object_new_string(n));
		json_object_object_add(o, "qtype", json_object_new_string(t));
		json_object_object_add(o, "rcode", json_object_new_string(rc));
		json_object_object_add(o, "answers", json_object_new_uint64(answers));
		json_object_object_add(o, "how", json_object_new_string(how));
		json_object_object_add(o, "via", json_object_new_string(via));
		json_object_object_add(o, "ms", json_object_new_uint64(ms));
		log_object(LOG_INFO, "query", o);
		return;
	}
	log_always("query", "%s %s %s %s %zu %s %" PRIu64 " ms %s", client ? a : "kernel", n, t, rc, answers, how, ms,
		   via);
}
