/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NFDNSD_CONTROL_H
#define NFDNSD_CONTROL_H

struct daemon;
struct control;

#define DEFAULT_CONTROL_SOCKET "/run/nfdns/nfdnsd.sock"
#define DEFAULT_CONTROL_GROUP "nfdns"

/*
 * Listens on control-socket (unless "none").  A socket that cannot be had
 * (another nfdnsd's, no permission) is logged, and *out stays NULL: nfdnsd
 * serves DNS without it.  -errno only without memory.
 */
int control_start(struct control **out, struct daemon *d);
/* Closes every connection and the socket, and removes its file. */
void control_stop(struct control *ctl);

#endif
