/* SPDX-License-Identifier: GPL-2.0 */
/* The running daemon: what the control channel and reload act on. */
#ifndef NFDNSD_DAEMON_H
#define NFDNSD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <uv.h>

#include "config.h"
#include "resolve.h"

struct service;
struct kernel_link;
struct control;
struct metrics;

struct daemon {
	uv_loop_t *loop;
	struct options opt;
	struct resolver resolver;
	struct service *service;
	struct kernel_link *kernel;
	struct control *control;
	struct metrics *metrics;
	uv_signal_t sigterm, sigint, sigusr1, sighup;
	uv_timer_t prime;
	bool stopping;
	int argc;
	char **argv;
	time_t started;
	unsigned reloads;
};

/*
 * Reads the configuration again (the file, then the command line over it)
 * and applies it.  When it does not parse, nothing changes and err holds
 * the messages (FILE:LINE: ...).  Settings only a restart can change keep
 * their running values; warn names them.  0 or -errno.
 */
int daemon_reload(struct daemon *d, char *err, size_t errlen, char *warn, size_t warnlen);

#endif
