/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_LOG_H
#define NFDNSD_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_LEVEL_ERR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* Returns -EINVAL for an unknown name. */
int log_level_parse(const char *name);
const char *log_level_name(enum log_level level);

void log_setup(enum log_level level, bool use_syslog, const char *ident);
void log_close(void);
void log_set_level(enum log_level level);
/* One JSON object per line ({"ts","type","msg"}) instead of text. */
void log_set_json(bool json);
bool log_json(void);
struct json_object;
/* Writes o as one line, with "ts" and "type" added; takes o. */
void log_object(int prio, const char *type, struct json_object *o);
enum log_level log_get_level(void);
bool log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Written whatever the level: used by --trace and by counter dumps. */
void log_always(const char *tag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)                                        \
	do {                                                  \
		if (log_enabled(LOG_LEVEL_DEBUG))             \
			log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__); \
	} while (0)

#endif
