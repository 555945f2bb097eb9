// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl: a request whose refusal is explained to the user.
 */
#include <errno.h>
#include <string.h>

#include "nfdnsctl.h"

/**
 * nfdnsctl_refused() - report a failed request in one line
 * @ctl: the invocation
 * @err: its negative errno
 * @extack: the kernel's extended-ack message, or NULL
 * @what: what the request did
 *
 * The line carries the kernel's message when it gave one, and says what
 * CAP_NET_ADMIN has to do with it for -EPERM.
 *
 * Return: @err.
 */
int nfdnsctl_refused(struct nfdnsctl *ctl, int err, const char *extack,
		     const char *what)
{
	if (err == -EPERM)
		return nfdnsctl_error(ctl, err,
				      "%s: CAP_NET_ADMIN is needed (%s)", what,
				      strerror(-err));
	if (extack)
		return nfdnsctl_error(ctl, err, "%s: %s (%s)", what, extack,
				      strerror(-err));
	return nfdnsctl_error(ctl, err, "%s: %s", what, strerror(-err));
}

/**
 * nfdnsctl_transact() - send a request, and report a refusal
 * @ctl: an open invocation
 * @msg: the request, freed here (NULL: allocation failed)
 * @fn: reply callback, or NULL
 * @arg: passed to @fn
 * @what: what the request does, for the error line
 *
 * Return: 0 or -errno.
 */
int nfdnsctl_transact(struct nfdnsctl *ctl, struct nl_msg *msg,
		      nfdnsctl_reply_fn fn, void *arg, const char *what)
{
	const char *extack;
	int err;

	if (!msg)
		return nfdnsctl_error(ctl, -ENOMEM, "%s: out of memory", what);
	err = nfdnsctl_request(ctl, msg, fn, arg, &extack);
	return err ? nfdnsctl_refused(ctl, err, extack, what) : 0;
}
