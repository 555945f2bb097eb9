/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfdns: what the oldest supported kernel (6.1) lacks of the netlink API
 * that the module and the code generated from its spec use.
 */
#ifndef _NFDNS_COMPAT_H
#define _NFDNS_COMPAT_H

#include <net/netlink.h>

/*
 * Before 6.2 a policy's range pointer is not const, though the kernel
 * only reads through it, and the code generated from the spec makes its
 * ranges const.  The generated file is built with this header included
 * first (kmod/Kbuild).  NL_SET_ERR_MSG_FMT() came in the same release.
 */
#ifndef NL_SET_ERR_MSG_FMT
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

/**
 * nfdns_nl_set_reason() - explain a refusal with a string chosen at run time
 * @extack: the request's extended ack, or NULL
 * @why: the reason, a string that outlives the request
 *
 * The wire parser, the cache and the settings check explain a refusal with
 * one of their static strings, which NL_SET_ERR_MSG() cannot take: it wants
 * a literal.  NL_SET_ERR_MSG_FMT() copies it.  6.1 has no such macro;
 * there the string is set the way 6.1's own NL_SET_ERR_MSG() sets one,
 * which is sound because every reason is a static string.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define nfdns_nl_set_reason(extack, why) NL_SET_ERR_MSG_FMT(extack, "%s", why)
#else
static inline void nfdns_nl_set_reason(struct netlink_ext_ack *extack,
				       const char *why)
{
	do_trace_netlink_extack(why);
	if (extack)
		extack->_msg = why;
}
#endif

#endif /* _NFDNS_COMPAT_H */
