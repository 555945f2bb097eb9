// SPDX-License-Identifier: GPL-2.0
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include <json-c/json.h>

static enum log_level current_level = LOG_LEVEL_INFO;
static bool to_syslog;
static bool as_json;

static const char *const level_names[] = {
	[LOG_LEVEL_ERR] = "error",
	[LOG_LEVEL_WARN] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

int log_level_parse(const char *name)
{
	for (int i = 0; i <= LOG_LEVEL_DEBUG; i++)
		if (strcasecmp(name, level_names[i]) == 0)
			return i;
	if (strcasecmp(name, "err") == 0)
		return LOG_LEVEL_ERR;
	if (strcasecmp(name, "warn") == 0)
		return LOG_LEVEL_WARN;
	return -EINVAL;
}

const char *log_level_name(enum log_level level)
{
	return level <= LOG_LEVEL_DEBUG ? level_names[level] : "?";
}

void log_setup(enum log_level level, bool use_syslog, const char *ident)
{
	current_level = level;
	to_syslog = use_syslog;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_json(bool json)
{
	as_json = json;
}

bool log_json(void)
{
	return as_json;
}

/* RFC 3339, UTC, to the millisecond: what journald and Loki parse. */
static void json_time(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char when[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03dZ", when, (int)(ts.tv_nsec / 1000000));
}

void log_object(int prio, const char *type, json_object *o)
{
	char when[48];

	json_time(when, sizeof(when));
	json_object_object_add(o, "ts", json_object_new_string(when));
	json_object_object_add(o, "type", json_object_new_string(type));
	if (to_syslog)
		syslog(prio, "%s", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	else
		fprintf(stderr, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	fflush(stderr);
	json_object_put(o);
}

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

void log_close(void)
{
	if (to_syslog)
		closelog();
	to_syslog = false;
}

bool log_enabled(enum log_level level)
{
	return level <= current_level;
}

static void emit(int prio, const char *tag, const char *fmt, va_list ap)
{
	if (as_json) {
		json_object *o = json_object_new_object();
		char msg[2048];

		vsnprintf(msg, sizeof(msg), fmt, ap);
		json_object_object_add(o, "msg", json_object_new_string(msg));
		log_object(prio, tag, o);
		return;
	}
	if (to_syslog) {
		vsyslog(prio, fmt, ap);
		return;
	}

	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	/* One fprintf per line keeps lines whole when stderr is shared. */
	char line[2048];
	int n = snprintf(line, sizeof(line), "%s.%03ld nfdnsd %s: ", when, ts.tv_nsec / 1000000, tag);

	if (n < 0)
		return;
	if ((size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	fprintf(stderr, "%s\n", line);
	fflush(stderr);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	emit(prio[level], level_names[level], fmt, ap);
	va_end(ap);
}

void log_always(const char *tag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_INFO, tag, fmt, ap);
	va_end(ap);
}
