/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfdns: dnswire test vectors and the code that checks them.
 *
 * Included after dnswire.h by the KUnit suite and by the host unit test,
 * so that every vector runs in both places.  dwc_run() returns 0 when a
 * case passes, else -1 with the failed check described in the result.
 *
 * Most messages ask for www.example.com, whose name sits at offset 12;
 * "example.com" then starts at 16 (pointer C0 10) and the first record
 * at 33.
 */
#ifndef _NFDNS_DNSWIRE_CASES_H
#define _NFDNS_DNSWIRE_CASES_H

#define DWC_H16(x)	(((x) >> 8) & 0xff), ((x) & 0xff)
#define DWC_H32(x)	(((x) >> 24) & 0xff), (((x) >> 16) & 0xff), \
			(((x) >> 8) & 0xff), ((x) & 0xff)
#define DWC_HDR(id, f1, f2, qd, an, ns, ar) \
	DWC_H16(id), (f1), (f2), DWC_H16(qd), DWC_H16(an), DWC_H16(ns), \
	DWC_H16(ar)
#define DWC_QTAIL(type, class)	DWC_H16(type), DWC_H16(class)
#define DWC_PTR(off)		(0xc0 | ((off) >> 8)), ((off) & 0xff)

/* 17 bytes. */
#define DWC_N_WWW	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', \
			'e', 3, 'c', 'o', 'm', 0
#define DWC_N_WWW_MIXED	3, 'W', 'w', 'W', 7, 'e', 'X', 'a', 'M', 'p', 'L', \
			'e', 3, 'C', 'o', 'M', 0
#define DWC_N_WWW_UPPER	3, 'W', 'W', 'W', 7, 'E', 'X', 'A', 'M', 'P', 'L', \
			'E', 3, 'C', 'O', 'M', 0
/* 13 bytes. */
#define DWC_N_EXAMPLE	7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', \
			'm', 0
/* 18 bytes. */
#define DWC_N_MAIL	4, 'm', 'a', 'i', 'l', DWC_N_EXAMPLE

#define DWC_X8		'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'
#define DWC_X61		DWC_X8, DWC_X8, DWC_X8, DWC_X8, DWC_X8, DWC_X8, \
			DWC_X8, 'a', 'a', 'a', 'a', 'a'
#define DWC_L61		61, DWC_X61
#define DWC_L62		62, DWC_X61, 'a'
#define DWC_L63		63, DWC_X61, 'a', 'a'
#define DWC_L64		64, DWC_X61, 'a', 'a', 'a'
/* 255 and 256 bytes. */
#define DWC_N255	DWC_L63, DWC_L63, DWC_L63, DWC_L61, 0
#define DWC_N256	DWC_L63, DWC_L63, DWC_L63, DWC_L62, 0

/* 11 bytes. */
#define DWC_OPT(size, ext, version, flags) \
	0, DWC_H16(41), DWC_H16(size), (ext), (version), (flags), 0, \
	DWC_H16(0)

/* 16 bytes, owner: the question name. */
#define DWC_RR_A(ttl)	DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(ttl), \
			DWC_H16(4), 192, 0, 2, 1
/* 50 bytes, owner example.com, for a question for www.example.com. */
#define DWC_RR_SOA(ttl, minimum) \
	DWC_PTR(16), DWC_QTAIL(6, 1), DWC_H32(ttl), DWC_H16(38), \
	2, 'n', 's', DWC_PTR(16), \
	10, 'h', 'o', 's', 't', 'm', 'a', 's', 't', 'e', 'r', DWC_PTR(16), \
	DWC_H32(1), DWC_H32(7200), DWC_H32(900), DWC_H32(1209600), \
	DWC_H32(minimum)

#define DWC_X4(...)	__VA_ARGS__, __VA_ARGS__, __VA_ARGS__, __VA_ARGS__
#define DWC_X32(...)	DWC_X4(DWC_X4(__VA_ARGS__)), DWC_X4(DWC_X4(__VA_ARGS__))

/* A standard query for www.example.com A with RD. */
#define DWC_Q_WWW(id)	DWC_HDR(id, 0x01, 0x00, 1, 0, 0, 0), DWC_N_WWW, \
			DWC_QTAIL(1, 1)

/* ---- Queries ---------------------------------------------------------- */

static const u8 dwc_q_plain[] = { DWC_Q_WWW(0x1234) };
static const u8 dwc_q_mixed[] = {
	DWC_HDR(0xbeef, 0x01, 0x00, 1, 0, 0, 0), DWC_N_WWW_MIXED,
	DWC_QTAIL(1, 1)
};
static const u8 dwc_lc_www[] = { DWC_N_WWW };
static const u8 dwc_q_edns_do[] = {
	DWC_HDR(0x0102, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(1232, 0, 0, 0x80)
};
static const u8 dwc_q_edns_4096[] = {
	DWC_HDR(0x4243, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(4096, 0, 0, 0x00)
};
static const u8 dwc_q_edns_small[] = {
	DWC_HDR(0x4244, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(100, 0, 0, 0x00)
};
static const u8 dwc_q_edns_cookie[] = {
	DWC_HDR(0x0001, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(28, 1),
	0, DWC_H16(41), DWC_H16(1400), 0, 0, 0x80, 0, DWC_H16(12),
	DWC_H16(10), DWC_H16(8), 1, 2, 3, 4, 5, 6, 7, 8
};
static const u8 dwc_q_edns_v1[] = {
	DWC_HDR(0x0bad, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(4096, 0, 1, 0x80)
};
static const u8 dwc_q_cd[] = {
	DWC_HDR(0x0cd0, 0x01, 0x10, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_ad[] = {
	DWC_HDR(0x0ad0, 0x01, 0x20, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_norecurse[] = {
	DWC_HDR(0x0200, 0x00, 0x00, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_root[] = {
	DWC_HDR(0x0007, 0x01, 0x00, 1, 0, 0, 0), 0, DWC_QTAIL(2, 1)
};
static const u8 dwc_q_label63[] = {
	DWC_HDR(0x0063, 0x01, 0x00, 1, 0, 0, 0), DWC_L63, 3, 'c', 'o', 'm', 0,
	DWC_QTAIL(1, 1)
};
static const u8 dwc_q_label64[] = {
	DWC_HDR(0x0064, 0x01, 0x00, 1, 0, 0, 0), DWC_L64, 3, 'c', 'o', 'm', 0,
	DWC_QTAIL(1, 1)
};
static const u8 dwc_q_name255[] = {
	DWC_HDR(0x00ff, 0x01, 0x00, 1, 0, 0, 0), DWC_N255, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_name256[] = {
	DWC_HDR(0x0100, 0x01, 0x00, 1, 0, 0, 0), DWC_N256, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_label_ext[] = {
	DWC_HDR(0x0041, 0x01, 0x00, 1, 0, 0, 0), 0x41, 0x00, 'x', 3, 'c', 'o',
	'm', 0, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_label_0x80[] = {
	DWC_HDR(0x0080, 0x01, 0x00, 1, 0, 0, 0), 0x80, 3, 'c', 'o', 'm', 0,
	DWC_QTAIL(1, 1)
};
static const u8 dwc_q_pointer[] = {
	DWC_HDR(0x0c0c, 0x01, 0x00, 1, 0, 0, 0), 3, 'w', 'w', 'w', DWC_PTR(12),
	DWC_QTAIL(1, 1)
};
static const u8 dwc_q_pointer_self[] = {
	DWC_HDR(0x0c0d, 0x01, 0x00, 1, 0, 0, 0), DWC_PTR(12), DWC_QTAIL(1, 1)
};
static const u8 dwc_q_qr[] = {
	DWC_HDR(0x1111, 0x81, 0x80, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_notify[] = {
	DWC_HDR(0x2222, 0x21, 0x00, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(6, 1)
};
static const u8 dwc_q_update[] = {
	DWC_HDR(0x2223, 0x29, 0x00, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(6, 1)
};
static const u8 dwc_q_status[] = {
	DWC_HDR(0x2224, 0x11, 0x00, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_qd0[] = { DWC_HDR(0x3330, 0x01, 0x00, 0, 0, 0, 0) };
static const u8 dwc_q_qd2[] = {
	DWC_HDR(0x3332, 0x01, 0x00, 2, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(28, 1)
};
static const u8 dwc_q_an1[] = {
	DWC_HDR(0x3333, 0x01, 0x00, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(60)
};
static const u8 dwc_q_ns1[] = {
	DWC_HDR(0x3334, 0x01, 0x00, 1, 0, 1, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(60)
};
static const u8 dwc_q_an1_empty[] = {
	DWC_HDR(0x3337, 0x01, 0x00, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_ns1_empty[] = {
	DWC_HDR(0x3338, 0x01, 0x00, 1, 0, 1, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_tkey[] = {
	DWC_HDR(0x3339, 0x01, 0x00, 1, 0, 0, 0), DWC_N_EXAMPLE,
	DWC_QTAIL(249, 255)
};
static const u8 dwc_q_ar2[] = {
	DWC_HDR(0x3335, 0x01, 0x00, 1, 0, 0, 2), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(1232, 0, 0, 0), DWC_OPT(1232, 0, 0, 0)
};
static const u8 dwc_q_tc[] = {
	DWC_HDR(0x3336, 0x03, 0x00, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_short_hdr[] = { DWC_H16(0x4444), 0x01, 0x00, 0, 1, 0, 0,
				      0, 0, 0 };
static const u8 dwc_q_trunc_name[] = {
	DWC_HDR(0x4445, 0x01, 0x00, 1, 0, 0, 0), 3, 'w', 'w', 'w', 7, 'e', 'x'
};
static const u8 dwc_q_no_root[] = {
	DWC_HDR(0x4446, 0x01, 0x00, 1, 0, 0, 0), 3, 'w', 'w', 'w', 7, 'e', 'x',
	'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm'
};
static const u8 dwc_q_trunc_qtail[] = {
	DWC_HDR(0x4447, 0x01, 0x00, 1, 0, 0, 0), DWC_N_WWW, DWC_H16(1), 0
};
static const u8 dwc_q_hdr_only[] = { DWC_HDR(0x4448, 0x01, 0x00, 1, 0, 0, 0) };
static const u8 dwc_q_trailing[] = {
	DWC_HDR(0x4449, 0x01, 0x00, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	0xde, 0xad
};
static const u8 dwc_q_opt_missing[] = {
	DWC_HDR(0x444a, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_opt_owner[] = {
	DWC_HDR(0x444b, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_H16(41), DWC_H16(1232), 0, 0, 0, 0, DWC_H16(0)
};
static const u8 dwc_q_opt_trunc[] = {
	DWC_HDR(0x444c, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	0, DWC_H16(41), DWC_H16(1232), 0, 0
};
static const u8 dwc_q_opt_rdlen[] = {
	DWC_HDR(0x444d, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	0, DWC_H16(41), DWC_H16(1232), 0, 0, 0, 0, DWC_H16(4), 0, 10
};
static const u8 dwc_q_opt_optlen[] = {
	DWC_HDR(0x444e, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	0, DWC_H16(41), DWC_H16(1232), 0, 0, 0, 0, DWC_H16(8),
	DWC_H16(10), DWC_H16(8), 1, 2, 3, 4
};
static const u8 dwc_q_opt_optshort[] = {
	DWC_HDR(0x444f, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	0, DWC_H16(41), DWC_H16(1232), 0, 0, 0, 0, DWC_H16(3), 0, 10, 0
};
static const u8 dwc_q_opt_trailing[] = {
	DWC_HDR(0x4450, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(1232, 0, 0, 0), 0
};
static const u8 dwc_q_tsig[] = {
	DWC_HDR(0x4451, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	3, 'k', 'e', 'y', 0, DWC_QTAIL(250, 255), DWC_H32(0), DWC_H16(0)
};
static const u8 dwc_q_axfr[] = {
	DWC_HDR(0x4452, 0x01, 0x00, 1, 0, 0, 0), DWC_N_EXAMPLE,
	DWC_QTAIL(252, 1)
};
static const u8 dwc_q_qtype_opt[] = {
	DWC_HDR(0x4453, 0x01, 0x00, 1, 0, 0, 0), DWC_N_EXAMPLE,
	DWC_QTAIL(41, 1)
};
static const u8 dwc_q_ar_loop[] = {
	DWC_HDR(0x4454, 0x01, 0x00, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(33), DWC_H16(41), DWC_H16(1232), 0, 0, 0, 0, DWC_H16(0)
};
static const u8 dwc_q_label_past_end[] = {
	DWC_HDR(0x4455, 0x01, 0x00, 1, 0, 0, 0), 40, 'a', 'b', DWC_QTAIL(1, 1)
};
static const u8 dwc_q_zero_len[] = { 0 };

/* ---- Responses -------------------------------------------------------- */

static const u8 dwc_r_a[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300), DWC_RR_A(200)
};
/* www CNAME web.example.com (at 45), web A. */
static const u8 dwc_r_cname[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(5, 1), DWC_H32(600), DWC_H16(6),
	3, 'w', 'e', 'b', DWC_PTR(16),
	DWC_PTR(45), DWC_QTAIL(1, 1), DWC_H32(120), DWC_H16(4), 192, 0, 2, 7
};
static const u8 dwc_r_nxdomain[] = {
	DWC_HDR(0, 0x81, 0x83, 1, 0, 1, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_SOA(3600, 300)
};
static const u8 dwc_r_nxdomain_low_ttl[] = {
	DWC_HDR(0, 0x81, 0x83, 1, 0, 1, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_SOA(60, 900)
};
static const u8 dwc_r_nodata[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 1, 0), DWC_N_WWW, DWC_QTAIL(28, 1),
	DWC_RR_SOA(600, 120)
};
/* www CNAME web.example.com, no AAAA for web: NODATA after the CNAME. */
static const u8 dwc_r_nodata_cname[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 1, 0), DWC_N_WWW, DWC_QTAIL(28, 1),
	DWC_PTR(12), DWC_QTAIL(5, 1), DWC_H32(30), DWC_H16(6),
	3, 'w', 'e', 'b', DWC_PTR(16),
	DWC_RR_SOA(600, 120)
};
static const u8 dwc_r_nxdomain_bare[] = {
	DWC_HDR(0, 0x81, 0x83, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_r_nodata_no_soa[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 1, 0), DWC_N_WWW, DWC_QTAIL(28, 1),
	DWC_PTR(16), DWC_QTAIL(2, 1), DWC_H32(86400), DWC_H16(5),
	2, 'n', 's', DWC_PTR(16)
};
static const u8 dwc_r_servfail[] = {
	DWC_HDR(0, 0x81, 0x82, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
/* MX mail.example.com (name at 47), glue A for it. */
static const u8 dwc_r_mx[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 1), DWC_N_WWW, DWC_QTAIL(15, 1),
	DWC_PTR(12), DWC_QTAIL(15, 1), DWC_H32(3600), DWC_H16(9),
	DWC_H16(10), 4, 'm', 'a', 'i', 'l', DWC_PTR(16),
	DWC_PTR(47), DWC_QTAIL(1, 1), DWC_H32(3600), DWC_H16(4), 192, 0, 2, 25
};
static const u8 dwc_r_srv[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(33, 1),
	DWC_PTR(12), DWC_QTAIL(33, 1), DWC_H32(60), DWC_H16(12),
	DWC_H16(0), DWC_H16(5), DWC_H16(443), 3, 's', 'r', 'v', DWC_PTR(16)
};
/* Answer, authority NS, additional glue: all three sections. */
static const u8 dwc_r_sections[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 1, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300),
	DWC_PTR(16), DWC_QTAIL(2, 1), DWC_H32(86400), DWC_H16(5),
	2, 'n', 's', DWC_PTR(16),
	DWC_PTR(61), DWC_QTAIL(1, 1), DWC_H32(40), DWC_H16(4), 192, 0, 2, 53
};
static const u8 dwc_r_upper[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW_UPPER, DWC_QTAIL(1, 1),
	DWC_RR_A(300)
};
static const u8 dwc_r_name255[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N255, DWC_QTAIL(1, 1),
	DWC_RR_A(5)
};
static const u8 dwc_r_any[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(255, 1),
	DWC_RR_A(77)
};
static const u8 dwc_r_txt[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(16, 1),
	DWC_PTR(12), DWC_QTAIL(16, 1), DWC_H32(10), DWC_H16(6),
	5, 'h', 'e', 'l', 'l', 'o'
};
static const u8 dwc_key_mail[] = { DWC_N_MAIL };

static const u8 dwc_r_query[] = {
	DWC_HDR(0, 0x01, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300)
};
static const u8 dwc_r_notify[] = {
	DWC_HDR(0, 0xa1, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300)
};
static const u8 dwc_r_tc[] = {
	DWC_HDR(0, 0x83, 0x80, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_r_qd0[] = { DWC_HDR(0, 0x81, 0x80, 0, 0, 0, 0) };
static const u8 dwc_r_qd2[] = {
	DWC_HDR(0, 0x81, 0x80, 2, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(28, 1)
};
static const u8 dwc_r_opt[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300), DWC_OPT(1232, 0, 0, 0)
};
static const u8 dwc_r_opt_answer[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300), DWC_OPT(1232, 0, 0, 0)
};
static const u8 dwc_r_tsig[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300), 3, 'k', 'e', 'y', 0, DWC_QTAIL(250, 255), DWC_H32(0),
	DWC_H16(0)
};
static const u8 dwc_r_ptr_self[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(33), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
/* A TXT holding C0 2F at 45 (opaque), then an owner at 47 pointing to it. */
static const u8 dwc_r_ptr_two_hop[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(16, 1), DWC_H32(60), DWC_H16(2), DWC_PTR(47),
	DWC_PTR(45), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
/* A TXT holding C0 30 at 45, then an owner at 47 pointing to it. */
static const u8 dwc_r_ptr_into_referrer[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(16, 1), DWC_H32(60), DWC_H16(2), DWC_PTR(48),
	DWC_PTR(45), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_ptr_forward[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(48), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 0
};
static const u8 dwc_r_ptr_oob[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(0x3fff), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_ptr_header[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(4), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_ptr_cut[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1), 0xc0
};
static const u8 dwc_r_cname_loop[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(5, 1), DWC_H32(60), DWC_H16(2), DWC_PTR(45)
};
static const u8 dwc_r_mx_oob[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(15, 1),
	DWC_PTR(12), DWC_QTAIL(15, 1), DWC_H32(60), DWC_H16(4),
	DWC_H16(10), DWC_PTR(0x1234)
};
/* The target name runs past RDLENGTH into the bytes that follow. */
static const u8 dwc_r_ns_past_rdata[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(2, 1),
	DWC_PTR(12), DWC_QTAIL(2, 1), DWC_H32(60), DWC_H16(3),
	2, 'n', 's', DWC_PTR(16)
};
static const u8 dwc_r_soa_short[] = {
	DWC_HDR(0, 0x81, 0x83, 1, 0, 1, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(16), DWC_QTAIL(6, 1), DWC_H32(60), DWC_H16(8),
	DWC_PTR(16), DWC_PTR(16), DWC_H32(1)
};
static const u8 dwc_r_a_len5[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(5), 192, 0, 2, 1, 0
};
/* A 2-byte label and a pointer to the 255-byte question: 257 bytes. */
static const u8 dwc_r_name_too_long[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N255, DWC_QTAIL(1, 1),
	1, 'a', DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4),
	192, 0, 2, 1
};
/* Labels of 63 and 2 bytes before the last 191 bytes of the question. */
static const u8 dwc_r_name_256_compressed[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 0, 1), DWC_N255, DWC_QTAIL(1, 1),
	DWC_L62, 1, 'a', DWC_PTR(76), DWC_QTAIL(1, 1), DWC_H32(60),
	DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_name_255_compressed[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 0, 1), DWC_N255, DWC_QTAIL(1, 1),
	DWC_L61, 1, 'a', DWC_PTR(76), DWC_QTAIL(1, 1), DWC_H32(60),
	DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_name256[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 0, 0), DWC_N256, DWC_QTAIL(1, 1)
};
static const u8 dwc_r_owner_label64[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_L64, 0, DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_owner_label63[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_L63, 0, DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_short_hdr[] = { 0, 0, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0 };
static const u8 dwc_r_trunc_question[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 0, 0), DWC_N_WWW, DWC_H16(1)
};
static const u8 dwc_r_trunc_rr[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(60)
};
static const u8 dwc_r_trunc_rdata[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0
};
static const u8 dwc_r_rdata_one_short[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2
};
static const u8 dwc_r_soa_one_short[] = {
	DWC_HDR(0, 0x81, 0x83, 1, 0, 1, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(16), DWC_QTAIL(6, 1), DWC_H32(60), DWC_H16(24),
	DWC_PTR(16), DWC_PTR(16), DWC_H32(1), DWC_H32(2), DWC_H32(3),
	DWC_H32(4), 0, 0, 1
};
static const u8 dwc_r_rr_one_short[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(60), 0
};
static const u8 dwc_r_qtail_one_short[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 0, 0), DWC_N_WWW, DWC_H16(1), 0
};
static const u8 dwc_r_ptr_to_end[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(49), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_aaaa_len4[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(28, 1),
	DWC_PTR(12), DWC_QTAIL(28, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
/* The question name, then nothing. */
static const u8 dwc_r_no_qtail[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 0, 0), DWC_N_WWW
};
static const u8 dwc_r_naptr[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(35, 1),
	DWC_PTR(12), DWC_QTAIL(35, 1), DWC_H32(60), DWC_H16(16),
	DWC_H16(10), DWC_H16(100), 1, 'u', 7, 'E', '2', 'U', '+', 's', 'i',
	'p', 0, 0
};
static const u8 dwc_r_naptr_string[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(35, 1),
	DWC_PTR(12), DWC_QTAIL(35, 1), DWC_H32(60), DWC_H16(16),
	DWC_H16(10), DWC_H16(100), 1, 'u', 7, 'E', '2', 'U', '+', 's', 'i',
	'p', 5, 0
};
static const u8 dwc_r_mx_short[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(15, 1),
	DWC_PTR(12), DWC_QTAIL(15, 1), DWC_H32(60), DWC_H16(1), 0
};
/* NODATA with a second SOA in the additional section. */
static const u8 dwc_r_nodata_extra_soa[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 1, 1), DWC_N_WWW, DWC_QTAIL(28, 1),
	DWC_RR_SOA(600, 120), DWC_RR_SOA(600, 5)
};
/* The second owner is read from the first record's TTL field. */
static const u8 dwc_r_ptr_ttl[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(0), DWC_H16(4), 192, 0, 2, 1,
	DWC_PTR(40), DWC_QTAIL(1, 1), DWC_H32(0), DWC_H16(4), 192, 0, 2, 2
};
/* ... and through a second pointer to a pointer in a TTL field. */
static const u8 dwc_r_ptr_ttl_hop[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 3, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(0x0000c00c), DWC_H16(4),
	192, 0, 2, 1,
	DWC_PTR(12), DWC_QTAIL(16, 1), DWC_H32(60), DWC_H16(2), DWC_PTR(41),
	DWC_PTR(61), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 2
};
/* A CNAME target read from the record's own TTL field. */
static const u8 dwc_r_rdata_ptr_own_ttl[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(5, 1), DWC_H32(0x0000c00c), DWC_H16(2),
	DWC_PTR(41)
};
/*
 * Names read from the bytes just before and just after a TTL field: the
 * CLASS (C0 0C) and the RDLENGTH (0, the root) of a TXT record.
 */
static const u8 dwc_r_ptr_beside_ttl[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 3, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(16, 0xc00c), DWC_H32(60), DWC_H16(0),
	DWC_PTR(37), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1,
	DWC_PTR(43), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 2
};
/* A TXT whose RDATA starts with a label running past it, and an owner
 * name pointing there.
 */
static const u8 dwc_r_ptr_runs_on[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(16, 1), DWC_H32(60), DWC_H16(3), 5, 'a', 'b',
	DWC_PTR(45), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
/* The same pointer to a whole name inside TXT RDATA is fine. */
static const u8 dwc_r_ptr_into_txt[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_PTR(12), DWC_QTAIL(16, 1), DWC_H32(60), DWC_H16(3), 1, 'a', 0,
	DWC_PTR(45), DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_count_high[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300)
};
static const u8 dwc_r_count_low[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300), DWC_RR_A(300)
};
static const u8 dwc_r_trailing[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300), 0
};
static const u8 dwc_r_ttl_top_bit[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(0x80000000)
};
static const u8 dwc_r_ttl_max[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(0x7fffffff)
};
static const u8 dwc_r_bad_label[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	0x41, 0, DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_r_question_ptr[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 0, 0, 0), DWC_PTR(12), DWC_QTAIL(1, 1)
};

/* 545 bytes: over 512, under 4096. */
static const u8 dwc_r_big[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 32, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_X32(DWC_RR_A(300))
};
static const u8 dwc_r_a_ad[] = {
	DWC_HDR(0, 0x85, 0xa0, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300)
};
/* 96 A records: more than the 1232 bytes a reply may have. */
static const u8 dwc_r_huge[] = {
	DWC_HDR(0, 0x81, 0x80, 1, 96, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_X32(DWC_RR_A(300)), DWC_X32(DWC_RR_A(300)), DWC_X32(DWC_RR_A(300))
};
static const u8 dwc_r_one_a[] = {
	DWC_HDR(0, 0x85, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300)
};

/* ---- Expected replies ------------------------------------------------- */

static const u8 dwc_x_mixed_100[] = {
	DWC_HDR(0xbeef, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW_MIXED,
	DWC_QTAIL(1, 1), DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(200),
	DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_x_mixed_floor[] = {
	DWC_HDR(0xbeef, 0x81, 0x80, 1, 1, 0, 0), DWC_N_WWW_MIXED,
	DWC_QTAIL(1, 1), DWC_PTR(12), DWC_QTAIL(1, 1), DWC_H32(0),
	DWC_H16(4), 192, 0, 2, 1
};
static const u8 dwc_x_edns_do[] = {
	DWC_HDR(0x0102, 0x81, 0x80, 1, 1, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300), DWC_OPT(1232, 0, 0, 0x80)
};
static const u8 dwc_x_cd_noad[] = {
	DWC_HDR(0x0cd0, 0x81, 0x90, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(299)
};
static const u8 dwc_x_ad[] = {
	DWC_HDR(0x0ad0, 0x81, 0xa0, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300)
};
static const u8 dwc_x_do_ad[] = {
	DWC_HDR(0x0102, 0x81, 0xa0, 1, 1, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300), DWC_OPT(1232, 0, 0, 0x80)
};
static const u8 dwc_x_tc_4096[] = {
	DWC_HDR(0x4243, 0x83, 0x80, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(1232, 0, 0, 0)
};
static const u8 dwc_x_norecurse[] = {
	DWC_HDR(0x0200, 0x80, 0x80, 1, 1, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_A(300)
};
static const u8 dwc_x_tc_plain[] = {
	DWC_HDR(0x1234, 0x83, 0x80, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_x_tc_edns[] = {
	DWC_HDR(0x4244, 0x83, 0x80, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(1232, 0, 0, 0)
};
static const u8 dwc_x_tc_cap[] = {
	DWC_HDR(0x4243, 0x83, 0x80, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(1232, 0, 0, 0)
};
static const u8 dwc_x_badvers[] = {
	DWC_HDR(0x0bad, 0x81, 0x80, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(1232, 1, 0, 0x80)
};
static const u8 dwc_x_nxdomain[] = {
	DWC_HDR(0x1234, 0x81, 0x83, 1, 0, 1, 0), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_RR_SOA(3550, 300)
};
static const u8 dwc_x_servfail[] = {
	DWC_HDR(0xbeef, 0x81, 0x82, 1, 0, 0, 0), DWC_N_WWW_MIXED,
	DWC_QTAIL(1, 1)
};
static const u8 dwc_x_refused_do[] = {
	DWC_HDR(0x0102, 0x81, 0x85, 1, 0, 0, 1), DWC_N_WWW, DWC_QTAIL(1, 1),
	DWC_OPT(1232, 0, 0, 0x80)
};
static const u8 dwc_x_servfail_cd[] = {
	DWC_HDR(0x0cd0, 0x81, 0x92, 1, 0, 0, 0), DWC_N_WWW, DWC_QTAIL(1, 1)
};
static const u8 dwc_q_mail[] = {
	DWC_HDR(0x5151, 0x01, 0x00, 1, 0, 0, 0), DWC_N_MAIL, DWC_QTAIL(1, 1)
};

/* ---- FORMERR ---------------------------------------------------------- */

static const u8 dwc_f_junk[] = {
	DWC_HDR(0x5555, 0x01, 0x10, 1, 0, 0, 0), 0xff, 0xff
};
static const u8 dwc_x_f_junk[] = { DWC_HDR(0x5555, 0x81, 0x91, 0, 0, 0, 0) };
static const u8 dwc_f_update[] = {
	DWC_HDR(0x5556, 0x29, 0x00, 0, 7, 7, 7), 1, 2, 3
};
static const u8 dwc_x_f_update[] = { DWC_HDR(0x5556, 0xa9, 0x81, 0, 0, 0, 0) };

/* ---- Names ------------------------------------------------------------ */

static const u8 dwc_n_www[] = { DWC_N_WWW };
static const u8 dwc_n_root[] = { 0 };
static const u8 dwc_n_63[] = { DWC_L63, 0 };
static const u8 dwc_n_64[] = { DWC_L64, 0 };
static const u8 dwc_n_255[] = { DWC_N255 };
static const u8 dwc_n_256[] = { DWC_N256 };
static const u8 dwc_n_ptr[] = { 3, 'w', 'w', 'w', DWC_PTR(12) };
static const u8 dwc_n_trailing[] = { DWC_N_WWW, 0 };
static const u8 dwc_n_cut[] = { 3, 'w', 'w', 'w', 7, 'e', 'x' };
static const u8 dwc_n_no_root[] = { 3, 'w', 'w', 'w' };
static const u8 dwc_n_example[] = { DWC_N_EXAMPLE };
static const u8 dwc_n_com[] = { 3, 'c', 'o', 'm', 0 };
static const u8 dwc_n_xexample[] = {
	8, 'x', 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0
};
/* Ends with the bytes of "example.com" inside one label. */
static const u8 dwc_n_inside[] = {
	13, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0
};
static const u8 dwc_n_org[] = { 3, 'o', 'r', 'g', 0 };

/* ---- Generated messages ----------------------------------------------- */

/*
 * A response whose second owner name reaches the question through a chain
 * of @links pointers stored in a TXT record: @links + 1 jumps in all.
 */
static unsigned int dwc_gen_ptr_chain(u8 *buf, unsigned int links)
{
	static const u8 head[] = { DWC_HDR(0, 0x81, 0x80, 1, 2, 0, 0),
				   DWC_N_WWW, DWC_QTAIL(1, 1),
				   DWC_PTR(12), DWC_QTAIL(16, 1),
				   DWC_H32(60) };
	static const u8 tail[] = { DWC_QTAIL(1, 1), DWC_H32(60), DWC_H16(4),
				   192, 0, 2, 1 };
	unsigned int off = sizeof(head), i, prev = 12;

	memcpy(buf, head, sizeof(head));
	put_unaligned_be16(2 * links, buf + off);
	off += 2;
	for (i = 0; i < links; i++) {
		put_unaligned_be16(0xc000 | prev, buf + off);
		prev = off;
		off += 2;
	}
	put_unaligned_be16(0xc000 | prev, buf + off);
	off += 2;
	memcpy(buf + off, tail, sizeof(tail));
	return off + sizeof(tail);
}

/* A response for www.example.com TXT of @len bytes, one TXT record. */
static unsigned int dwc_gen_big_txt(u8 *buf, unsigned int len)
{
	static const u8 head[] = { DWC_HDR(0, 0x81, 0x80, 1, 1, 0, 0),
				   DWC_N_WWW, DWC_QTAIL(16, 1),
				   DWC_PTR(12), DWC_QTAIL(16, 1),
				   DWC_H32(60) };
	unsigned int rdlen = len - sizeof(head) - 2;

	memcpy(buf, head, sizeof(head));
	put_unaligned_be16(rdlen & 0xffff, buf + sizeof(head));
	memset(buf + sizeof(head) + 2, 'x', rdlen);
	return len;
}

/* A query for www.example.com A of @len bytes: OPT with padding. */
static unsigned int dwc_gen_big_query(u8 *buf, unsigned int len)
{
	static const u8 head[] = { DWC_HDR(0x6464, 0x01, 0x00, 1, 0, 0, 1),
				   DWC_N_WWW, DWC_QTAIL(1, 1),
				   0, DWC_H16(41), DWC_H16(1232), 0, 0, 0, 0 };
	unsigned int rdlen = len - sizeof(head) - 2;

	memcpy(buf, head, sizeof(head));
	put_unaligned_be16(rdlen & 0xffff, buf + sizeof(head));
	put_unaligned_be16(12, buf + sizeof(head) + 2);	/* padding */
	put_unaligned_be16((rdlen - 4) & 0xffff, buf + sizeof(head) + 4);
	memset(buf + sizeof(head) + 6, 0, rdlen - 4);
	return len;
}

/* ---- The table -------------------------------------------------------- */

enum dwc_kind {
	DWC_QUERY,	/* dnswire_parse_query(in) */
	DWC_RESPONSE,	/* dnswire_validate_response(in), key in2 or its own */
	DWC_REPLY,	/* query in, stored response in2: dnswire_build_reply() */
	DWC_ERROR,	/* query in: dnswire_build_error() */
	DWC_FORMERR,	/* dnswire_build_formerr(in) */
	DWC_NAME,	/* dnswire_name_check(in) */
	DWC_SUBTREE,	/* dnswire_name_in_subtree(in, in2) */
	DWC_LIMIT,	/* dnswire_reply_limit() of the query fields q */
};

struct dnswire_case {
	const char *name;
	enum dwc_kind kind;
	const u8 *in;
	unsigned int in_len;
	const u8 *in2;
	unsigned int in2_len;
	unsigned int (*gen)(u8 *buf, unsigned int arg);
	unsigned int gen_arg;
	/* expected return value */
	int ret;
	/* DWC_RESPONSE refusals: expected message */
	const char *why;
	/* expected output: qname_lc for DWC_QUERY, reply bytes otherwise */
	const u8 *out;
	unsigned int out_len;
	/* the query is a malformed one the module must let through */
	bool malformed;
	/* too long for the prefix check */
	bool no_prefix;
	/* DWC_QUERY: expected fields when ret is 0 */
	struct {
		u16 id, qtype, qclass, udp_size, question_end;
		u8 qname_len, version;
		bool rd, cd, edns, dnssec_ok;
	} q;
	/* DWC_RESPONSE: key type and class when in2 is the key name */
	u16 key_type, key_class;
	unsigned int max_ttl;
	struct {
		u8 rcode;
		bool negative;
		u32 min_ttl;
		u16 n_ttl;
	} r;
	/* DWC_REPLY, DWC_ERROR */
	bool raw;		/* in2 is not validated; TTL offset ttl_off */
	u16 ttl_off;
	u32 elapsed;
	unsigned int cap;
	bool truncated;
	u8 rcode;
};

#define DWC_IN(a)	.in = (a), .in_len = sizeof(a)
#define DWC_IN2(a)	.in2 = (a), .in2_len = sizeof(a)
#define DWC_OUT(a)	.out = (a), .out_len = sizeof(a)

#define DWC_QOK(name_, arr, ...) \
	{ .name = name_, .kind = DWC_QUERY, DWC_IN(arr), .ret = 0, \
	  .q = { __VA_ARGS__ } }
#define DWC_QBAD(name_, arr, err) \
	{ .name = name_, .kind = DWC_QUERY, DWC_IN(arr), .ret = (err), \
	  .malformed = true }
#define DWC_ROK(name_, arr, ...) \
	{ .name = name_, .kind = DWC_RESPONSE, DWC_IN(arr), .ret = 0, \
	  .r = { __VA_ARGS__ } }
#define DWC_RBAD(name_, arr, why_) \
	{ .name = name_, .kind = DWC_RESPONSE, DWC_IN(arr), .ret = -EINVAL, \
	  .why = (why_) }
#define DWC_NAME_CASE(name_, arr, want) \
	{ .name = name_, .kind = DWC_NAME, DWC_IN(arr), .ret = (want) }
#define DWC_SUB(name_, n, z, want) \
	{ .name = name_, .kind = DWC_SUBTREE, DWC_IN(n), DWC_IN2(z), \
	  .ret = (want) }

static const struct dnswire_case dnswire_cases[] = {
	/* Queries that parse. */
	{ .name = "query: plain A with RD", .kind = DWC_QUERY,
	  DWC_IN(dwc_q_plain), DWC_OUT(dwc_lc_www),
	  .q = { .id = 0x1234, .qtype = 1, .qclass = 1, .question_end = 33,
		 .qname_len = 17, .rd = true } },
	{ .name = "query: mixed case name is lower-cased in the key",
	  .kind = DWC_QUERY, DWC_IN(dwc_q_mixed), DWC_OUT(dwc_lc_www),
	  .q = { .id = 0xbeef, .qtype = 1, .qclass = 1, .question_end = 33,
		 .qname_len = 17, .rd = true } },
	DWC_QOK("query: EDNS with DO", dwc_q_edns_do, .id = 0x0102,
		.qtype = 1, .qclass = 1, .question_end = 33, .qname_len = 17,
		.rd = true, .edns = true, .udp_size = 1232, .dnssec_ok = true),
	DWC_QOK("query: EDNS 4096", dwc_q_edns_4096, .id = 0x4243, .qtype = 1,
		.qclass = 1, .question_end = 33, .qname_len = 17, .rd = true,
		.edns = true, .udp_size = 4096),
	DWC_QOK("query: EDNS size below 512 reads as 512", dwc_q_edns_small,
		.id = 0x4244, .qtype = 1, .qclass = 1, .question_end = 33,
		.qname_len = 17, .rd = true, .edns = true, .udp_size = 512),
	DWC_QOK("query: EDNS with a cookie option", dwc_q_edns_cookie,
		.id = 1, .qtype = 28, .qclass = 1, .question_end = 33,
		.qname_len = 17, .rd = true, .edns = true, .udp_size = 1400,
		.dnssec_ok = true),
	DWC_QOK("query: EDNS version 1 parses", dwc_q_edns_v1, .id = 0x0bad,
		.qtype = 1, .qclass = 1, .question_end = 33, .qname_len = 17,
		.rd = true, .edns = true, .udp_size = 4096, .version = 1,
		.dnssec_ok = true),
	DWC_QOK("query: CD bit", dwc_q_cd, .id = 0x0cd0, .qtype = 1,
		.qclass = 1, .question_end = 33, .qname_len = 17, .rd = true,
		.cd = true),
	DWC_QOK("query: RD clear", dwc_q_norecurse, .id = 0x0200, .qtype = 1,
		.qclass = 1, .question_end = 33, .qname_len = 17),
	DWC_QOK("query: root NS", dwc_q_root, .id = 7, .qtype = 2, .qclass = 1,
		.question_end = 17, .qname_len = 1, .rd = true),
	DWC_QOK("query: 63-byte label", dwc_q_label63, .id = 0x63, .qtype = 1,
		.qclass = 1, .question_end = 85, .qname_len = 69, .rd = true),
	DWC_QOK("query: 255-byte name", dwc_q_name255, .id = 0xff, .qtype = 1,
		.qclass = 1, .question_end = 271, .qname_len = 255,
		.rd = true),

	/* Queries that do not. */
	DWC_QBAD("query: 64-byte label", dwc_q_label64, -EINVAL),
	DWC_QBAD("query: 256-byte name", dwc_q_name256, -EINVAL),
	DWC_QBAD("query: label type 0x40", dwc_q_label_ext, -EINVAL),
	DWC_QBAD("query: label type 0x80", dwc_q_label_0x80, -EINVAL),
	DWC_QBAD("query: compression pointer in question", dwc_q_pointer,
		 -EINVAL),
	DWC_QBAD("query: question is a pointer to itself", dwc_q_pointer_self,
		 -EINVAL),
	DWC_QBAD("query: QR set", dwc_q_qr, -EOPNOTSUPP),
	DWC_QBAD("query: opcode NOTIFY", dwc_q_notify, -EOPNOTSUPP),
	DWC_QBAD("query: opcode UPDATE", dwc_q_update, -EOPNOTSUPP),
	DWC_QBAD("query: opcode STATUS", dwc_q_status, -EOPNOTSUPP),
	DWC_QBAD("query: QDCOUNT 0", dwc_q_qd0, -EOPNOTSUPP),
	DWC_QBAD("query: QDCOUNT 2", dwc_q_qd2, -EOPNOTSUPP),
	DWC_QBAD("query: ANCOUNT 1", dwc_q_an1, -EINVAL),
	DWC_QBAD("query: NSCOUNT 1", dwc_q_ns1, -EINVAL),
	DWC_QBAD("query: ANCOUNT 1, no record", dwc_q_an1_empty, -EINVAL),
	DWC_QBAD("query: NSCOUNT 1, no record", dwc_q_ns1_empty, -EINVAL),
	DWC_QBAD("query: ARCOUNT 2", dwc_q_ar2, -EOPNOTSUPP),
	DWC_QBAD("query: TKEY", dwc_q_tkey, -EOPNOTSUPP),
	DWC_QBAD("query: TC set", dwc_q_tc, -EINVAL),
	DWC_QBAD("query: 11-byte header", dwc_q_short_hdr, -EINVAL),
	DWC_QBAD("query: header only", dwc_q_hdr_only, -EINVAL),
	DWC_QBAD("query: name cut short", dwc_q_trunc_name, -EINVAL),
	DWC_QBAD("query: name without root label", dwc_q_no_root, -EINVAL),
	DWC_QBAD("query: label past the end", dwc_q_label_past_end, -EINVAL),
	DWC_QBAD("query: QCLASS cut short", dwc_q_trunc_qtail, -EINVAL),
	DWC_QBAD("query: trailing bytes", dwc_q_trailing, -EINVAL),
	DWC_QBAD("query: ARCOUNT 1 without a record", dwc_q_opt_missing,
		 -EINVAL),
	DWC_QBAD("query: OPT with a non-root owner", dwc_q_opt_owner, -EINVAL),
	DWC_QBAD("query: OPT cut short", dwc_q_opt_trunc, -EINVAL),
	DWC_QBAD("query: OPT RDLENGTH past the end", dwc_q_opt_rdlen, -EINVAL),
	DWC_QBAD("query: EDNS option past RDATA", dwc_q_opt_optlen, -EINVAL),
	DWC_QBAD("query: EDNS option header cut short", dwc_q_opt_optshort,
		 -EINVAL),
	DWC_QBAD("query: bytes after OPT", dwc_q_opt_trailing, -EINVAL),
	DWC_QBAD("query: TSIG additional record", dwc_q_tsig, -EOPNOTSUPP),
	DWC_QBAD("query: AXFR", dwc_q_axfr, -EOPNOTSUPP),
	DWC_QBAD("query: QTYPE OPT", dwc_q_qtype_opt, -EOPNOTSUPP),
	DWC_QBAD("query: additional owner pointer loop", dwc_q_ar_loop,
		 -EINVAL),
	{ .name = "query: empty", .kind = DWC_QUERY, .in = dwc_q_zero_len,
	  .in_len = 0, .ret = -EINVAL, .malformed = true },

	/* Responses that validate. */
	DWC_ROK("response: two A records", dwc_r_a, .min_ttl = 200,
		.n_ttl = 2),
	DWC_ROK("response: CNAME chain to an A", dwc_r_cname, .min_ttl = 120,
		.n_ttl = 2),
	DWC_ROK("response: NXDOMAIN takes SOA MINIMUM", dwc_r_nxdomain,
		.rcode = 3, .negative = true, .min_ttl = 300, .n_ttl = 1),
	DWC_ROK("response: NXDOMAIN takes SOA TTL when lower",
		dwc_r_nxdomain_low_ttl, .rcode = 3, .negative = true,
		.min_ttl = 60, .n_ttl = 1),
	DWC_ROK("response: NODATA takes SOA MINIMUM", dwc_r_nodata,
		.negative = true, .min_ttl = 120, .n_ttl = 1),
	DWC_ROK("response: NODATA after a CNAME", dwc_r_nodata_cname,
		.negative = true, .min_ttl = 30, .n_ttl = 2),
	DWC_ROK("response: NXDOMAIN without records", dwc_r_nxdomain_bare,
		.rcode = 3, .negative = true),
	DWC_ROK("response: NODATA without SOA has no TTL",
		dwc_r_nodata_no_soa, .negative = true, .n_ttl = 1),
	DWC_ROK("response: SERVFAIL", dwc_r_servfail, .rcode = 2),
	DWC_ROK("response: MX and glue", dwc_r_mx, .min_ttl = 3600,
		.n_ttl = 2),
	DWC_ROK("response: SRV", dwc_r_srv, .min_ttl = 60, .n_ttl = 1),
	DWC_ROK("response: all three sections", dwc_r_sections, .min_ttl = 40,
		.n_ttl = 3),
	DWC_ROK("response: pointer to a name inside TXT RDATA",
		dwc_r_ptr_into_txt, .min_ttl = 60, .n_ttl = 2),
	DWC_ROK("response: names read from beside a TTL field",
		dwc_r_ptr_beside_ttl, .min_ttl = 60, .n_ttl = 3),
	DWC_ROK("response: NAPTR", dwc_r_naptr, .min_ttl = 60, .n_ttl = 1),
	DWC_ROK("response: SOA MINIMUM outside authority is ignored",
		dwc_r_nodata_extra_soa, .negative = true, .min_ttl = 120,
		.n_ttl = 2),
	DWC_ROK("response: ANY", dwc_r_any, .min_ttl = 77, .n_ttl = 1),
	DWC_ROK("response: TXT", dwc_r_txt, .min_ttl = 10, .n_ttl = 1),
	DWC_ROK("response: 255-byte name", dwc_r_name255, .min_ttl = 5,
		.n_ttl = 1),
	DWC_ROK("response: decompressed name of 255 bytes",
		dwc_r_name_255_compressed, .negative = true, .n_ttl = 1),
	DWC_ROK("response: 63-byte owner label", dwc_r_owner_label63,
		.negative = true, .n_ttl = 1),
	DWC_ROK("response: largest TTL", dwc_r_ttl_max, .min_ttl = 0x7fffffff,
		.n_ttl = 1),
	DWC_ROK("response: big answer", dwc_r_big, .min_ttl = 300,
		.n_ttl = 32),
	{ .name = "response: question matches without regard to case",
	  .kind = DWC_RESPONSE, DWC_IN(dwc_r_upper), DWC_IN2(dwc_lc_www),
	  .key_type = 1, .key_class = 1, .r = { .min_ttl = 300, .n_ttl = 1 } },
	{ .name = "response: 65535 bytes", .kind = DWC_RESPONSE,
	  .gen = dwc_gen_big_txt, .gen_arg = 65535, .no_prefix = true,
	  .r = { .min_ttl = 60, .n_ttl = 1 } },
	{ .name = "response: 65536 bytes", .kind = DWC_RESPONSE,
	  .gen = dwc_gen_big_txt, .gen_arg = 65536, .ret = -EINVAL,
	  .why = "longer than 65535 bytes" },
	{ .name = "query: 65535 bytes", .kind = DWC_QUERY,
	  .gen = dwc_gen_big_query, .gen_arg = 65535, .no_prefix = true,
	  .q = { .id = 0x6464, .qtype = 1, .qclass = 1, .question_end = 33,
		 .qname_len = 17, .rd = true, .edns = true,
		 .udp_size = 1232 } },
	{ .name = "query: 65536 bytes", .kind = DWC_QUERY,
	  .gen = dwc_gen_big_query, .gen_arg = 65536, .ret = -EINVAL },
	{ .name = "response: pointer chain of 128 jumps", .kind = DWC_RESPONSE,
	  .gen = dwc_gen_ptr_chain, .gen_arg = 127,
	  .r = { .min_ttl = 60, .n_ttl = 2 } },

	/* Responses that do not. */
	{ .name = "response: question name does not match key",
	  .kind = DWC_RESPONSE, DWC_IN(dwc_r_a), DWC_IN2(dwc_key_mail),
	  .key_type = 1, .key_class = 1, .ret = -EINVAL,
	  .why = "question does not match key" },
	{ .name = "response: question type does not match key",
	  .kind = DWC_RESPONSE, DWC_IN(dwc_r_a), DWC_IN2(dwc_lc_www),
	  .key_type = 28, .key_class = 1, .ret = -EINVAL,
	  .why = "question does not match key" },
	{ .name = "response: question class does not match key",
	  .kind = DWC_RESPONSE, DWC_IN(dwc_r_a), DWC_IN2(dwc_lc_www),
	  .key_type = 1, .key_class = 3, .ret = -EINVAL,
	  .why = "question does not match key" },
	{ .name = "response: more records than room for TTLs",
	  .kind = DWC_RESPONSE, DWC_IN(dwc_r_a), .max_ttl = 1, .ret = -ENOSPC,
	  .why = "too many records" },
	{ .name = "response: pointer chain of 129 jumps", .kind = DWC_RESPONSE,
	  .gen = dwc_gen_ptr_chain, .gen_arg = 128, .ret = -EINVAL,
	  .why = "too many compression pointers" },
	DWC_RBAD("response: QR clear", dwc_r_query, "not a response"),
	DWC_RBAD("response: opcode NOTIFY", dwc_r_notify, "opcode is not QUERY"),
	DWC_RBAD("response: TC set", dwc_r_tc, "truncated response"),
	DWC_RBAD("response: QDCOUNT 0", dwc_r_qd0, "question count is not 1"),
	DWC_RBAD("response: QDCOUNT 2", dwc_r_qd2, "question count is not 1"),
	DWC_RBAD("response: OPT in additional", dwc_r_opt,
		 "OPT record in response"),
	DWC_RBAD("response: OPT in answer", dwc_r_opt_answer,
		 "OPT record in response"),
	DWC_RBAD("response: TSIG", dwc_r_tsig, "TSIG record in response"),
	DWC_RBAD("response: owner pointer to itself", dwc_r_ptr_self,
		 "compression pointer loop"),
	DWC_RBAD("response: two-pointer loop", dwc_r_ptr_two_hop,
		 "compression pointer loop"),
	DWC_RBAD("response: pointer into the pointer that led there",
		 dwc_r_ptr_into_referrer, "compression pointer loop"),
	DWC_RBAD("response: CNAME target pointer to itself", dwc_r_cname_loop,
		 "compression pointer loop"),
	DWC_RBAD("response: forward pointer", dwc_r_ptr_forward,
		 "forward compression pointer"),
	DWC_RBAD("response: owner read from a TTL field", dwc_r_ptr_ttl,
		 "compression pointer into a TTL field"),
	DWC_RBAD("response: second pointer read from a TTL field",
		 dwc_r_ptr_ttl_hop, "compression pointer into a TTL field"),
	DWC_RBAD("response: RDATA name read from its own TTL field",
		 dwc_r_rdata_ptr_own_ttl,
		 "compression pointer into a TTL field"),
	DWC_RBAD("response: pointer target runs into the referrer",
		 dwc_r_ptr_runs_on, "compression target runs into later data"),
	DWC_RBAD("response: pointer out of bounds", dwc_r_ptr_oob,
		 "compression pointer out of bounds"),
	DWC_RBAD("response: pointer into the header", dwc_r_ptr_header,
		 "compression pointer into the header"),
	DWC_RBAD("response: MX pointer out of bounds", dwc_r_mx_oob,
		 "compression pointer out of bounds"),
	DWC_RBAD("response: pointer cut in half", dwc_r_ptr_cut,
		 "name runs past the end"),
	DWC_RBAD("response: NS name past RDLENGTH", dwc_r_ns_past_rdata,
		 "name runs past the end"),
	DWC_RBAD("response: SOA RDATA too short", dwc_r_soa_short,
		 "record data length does not match its type"),
	DWC_RBAD("response: A RDLENGTH 5", dwc_r_a_len5,
		 "record data length does not match its type"),
	DWC_RBAD("response: decompressed name of 257 bytes",
		 dwc_r_name_too_long, "name longer than 255 bytes"),
	DWC_RBAD("response: decompressed name of 256 bytes",
		 dwc_r_name_256_compressed, "name longer than 255 bytes"),
	DWC_RBAD("response: 256-byte question", dwc_r_name256,
		 "name longer than 255 bytes"),
	DWC_RBAD("response: 64-byte owner label", dwc_r_owner_label64,
		 "bad label type"),
	DWC_RBAD("response: label type 0x40", dwc_r_bad_label,
		 "bad label type"),
	DWC_RBAD("response: pointer in question", dwc_r_question_ptr,
		 "compression pointer in question"),
	DWC_RBAD("response: 11 bytes", dwc_r_short_hdr,
		 "shorter than a DNS header"),
	DWC_RBAD("response: question cut short", dwc_r_trunc_question,
		 "truncated question"),
	DWC_RBAD("response: record cut short", dwc_r_trunc_rr,
		 "truncated record"),
	DWC_RBAD("response: RDATA cut short", dwc_r_trunc_rdata,
		 "record data runs past the end"),
	DWC_RBAD("response: RDATA one byte short", dwc_r_rdata_one_short,
		 "record data runs past the end"),
	DWC_RBAD("response: SOA RDATA one byte short", dwc_r_soa_one_short,
		 "record data runs past the end"),
	DWC_RBAD("response: record header one byte short", dwc_r_rr_one_short,
		 "truncated record"),
	DWC_RBAD("response: QCLASS one byte short", dwc_r_qtail_one_short,
		 "truncated question"),
	DWC_RBAD("response: pointer just past the end", dwc_r_ptr_to_end,
		 "compression pointer out of bounds"),
	DWC_RBAD("response: NAPTR string past RDATA", dwc_r_naptr_string,
		 "record data length does not match its type"),
	DWC_RBAD("response: MX RDLENGTH 1", dwc_r_mx_short,
		 "record data length does not match its type"),
	DWC_RBAD("response: AAAA RDLENGTH 4", dwc_r_aaaa_len4,
		 "record data length does not match its type"),
	DWC_RBAD("response: ANCOUNT above the records present",
		 dwc_r_count_high, "name runs past the end"),
	DWC_RBAD("response: ANCOUNT below the records present",
		 dwc_r_count_low, "trailing bytes after the last record"),
	DWC_RBAD("response: trailing byte", dwc_r_trailing,
		 "trailing bytes after the last record"),
	DWC_RBAD("response: TTL with the top bit set", dwc_r_ttl_top_bit,
		 "TTL with the top bit set"),

	/* Replies from the cache. */
	{ .name = "reply: ID, RD and the client's case copied, TTL lowered",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_mixed), DWC_IN2(dwc_r_one_a),
	  .elapsed = 100, .ret = sizeof(dwc_x_mixed_100),
	  DWC_OUT(dwc_x_mixed_100) },
	{ .name = "reply: elapsed beyond the TTL gives 0",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_mixed), DWC_IN2(dwc_r_one_a),
	  .elapsed = 1000, .ret = sizeof(dwc_x_mixed_floor),
	  DWC_OUT(dwc_x_mixed_floor) },
	/* 0xffffffff is DNSWIRE_ELAPSED_STALE: dnswire_stale_ttl_test. */
	{ .name = "reply: largest elapsed gives 0, not a wrapped TTL",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_mixed), DWC_IN2(dwc_r_one_a),
	  .elapsed = 0xfffffffe, .ret = sizeof(dwc_x_mixed_floor),
	  DWC_OUT(dwc_x_mixed_floor) },
	{ .name = "reply: OPT appended with DO echoed", .kind = DWC_REPLY,
	  DWC_IN(dwc_q_edns_do), DWC_IN2(dwc_r_one_a),
	  .ret = sizeof(dwc_x_edns_do), DWC_OUT(dwc_x_edns_do) },
	{ .name = "reply: CD echoed, AA cleared, AD not to a client without DO or AD",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_cd), DWC_IN2(dwc_r_a_ad),
	  .elapsed = 1, .ret = sizeof(dwc_x_cd_noad), DWC_OUT(dwc_x_cd_noad) },
	{ .name = "reply: AD kept for a client that set AD", .kind = DWC_REPLY,
	  DWC_IN(dwc_q_ad), DWC_IN2(dwc_r_a_ad),
	  .ret = sizeof(dwc_x_ad), DWC_OUT(dwc_x_ad) },
	{ .name = "reply: AD kept for a client that set DO", .kind = DWC_REPLY,
	  DWC_IN(dwc_q_edns_do), DWC_IN2(dwc_r_a_ad),
	  .ret = sizeof(dwc_x_do_ad), DWC_OUT(dwc_x_do_ad) },
	{ .name = "reply: over 1232 bytes is truncated whatever EDNS says",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_edns_4096), DWC_IN2(dwc_r_huge),
	  .truncated = true, .ret = sizeof(dwc_x_tc_4096),
	  DWC_OUT(dwc_x_tc_4096) },
	{ .name = "reply: RD clear echoed", .kind = DWC_REPLY,
	  DWC_IN(dwc_q_norecurse), DWC_IN2(dwc_r_one_a),
	  .ret = sizeof(dwc_x_norecurse), DWC_OUT(dwc_x_norecurse) },
	{ .name = "reply: over 512 without EDNS is truncated",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_plain), DWC_IN2(dwc_r_big),
	  .truncated = true, .ret = sizeof(dwc_x_tc_plain),
	  DWC_OUT(dwc_x_tc_plain) },
	{ .name = "reply: the same fits with EDNS 4096", .kind = DWC_REPLY,
	  DWC_IN(dwc_q_edns_4096), DWC_IN2(dwc_r_big), .elapsed = 5,
	  .ret = sizeof(dwc_r_big) + DNSWIRE_OPT_LEN },
	{ .name = "reply: EDNS size 100 is taken as 512", .kind = DWC_REPLY,
	  DWC_IN(dwc_q_edns_small), DWC_IN2(dwc_r_big), .truncated = true,
	  .ret = sizeof(dwc_x_tc_edns), DWC_OUT(dwc_x_tc_edns) },
	{ .name = "reply: truncated when the buffer is smaller",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_edns_4096), DWC_IN2(dwc_r_big),
	  .cap = 300, .truncated = true, .ret = sizeof(dwc_x_tc_cap),
	  DWC_OUT(dwc_x_tc_cap) },
	{ .name = "reply: no room even for the question", .kind = DWC_REPLY,
	  DWC_IN(dwc_q_edns_4096), DWC_IN2(dwc_r_big), .cap = 40,
	  .truncated = true, .ret = -ENOSPC },
	{ .name = "reply: BADVERS for EDNS version 1", .kind = DWC_REPLY,
	  DWC_IN(dwc_q_edns_v1), DWC_IN2(dwc_r_one_a),
	  .ret = sizeof(dwc_x_badvers), DWC_OUT(dwc_x_badvers) },
	{ .name = "reply: NXDOMAIN with its SOA TTL lowered",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_plain), DWC_IN2(dwc_r_nxdomain),
	  .elapsed = 50, .ret = sizeof(dwc_x_nxdomain),
	  DWC_OUT(dwc_x_nxdomain) },
	{ .name = "reply: stored response without QTYPE is refused",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_plain), DWC_IN2(dwc_r_no_qtail),
	  .raw = true, .ret = -EINVAL },
	{ .name = "reply: TTL offset inside the question is refused",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_plain), DWC_IN2(dwc_r_one_a),
	  .raw = true, .ttl_off = 30, .ret = -EINVAL },
	{ .name = "reply: TTL offset past the end is refused",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_plain), DWC_IN2(dwc_r_one_a),
	  .raw = true, .ttl_off = sizeof(dwc_r_one_a) - 3, .ret = -EINVAL },
	{ .name = "reply: stored question of another length is refused",
	  .kind = DWC_REPLY, DWC_IN(dwc_q_mail), DWC_IN2(dwc_r_one_a),
	  .ret = -EINVAL },

	/* Error replies. */
	{ .name = "error: SERVFAIL keeps the client's case", .kind = DWC_ERROR,
	  DWC_IN(dwc_q_mixed), .rcode = 2, .ret = sizeof(dwc_x_servfail),
	  DWC_OUT(dwc_x_servfail) },
	{ .name = "error: REFUSED with OPT and DO", .kind = DWC_ERROR,
	  DWC_IN(dwc_q_edns_do), .rcode = 5, .ret = sizeof(dwc_x_refused_do),
	  DWC_OUT(dwc_x_refused_do) },
	{ .name = "error: SERVFAIL echoes CD", .kind = DWC_ERROR,
	  DWC_IN(dwc_q_cd), .rcode = 2,
	  .ret = sizeof(dwc_x_servfail_cd),
	  DWC_OUT(dwc_x_servfail_cd) },
	{ .name = "error: BADVERS for EDNS version 1", .kind = DWC_ERROR,
	  DWC_IN(dwc_q_edns_v1), .rcode = 2, .ret = sizeof(dwc_x_badvers),
	  DWC_OUT(dwc_x_badvers) },
	{ .name = "error: extended RCODE needs EDNS", .kind = DWC_ERROR,
	  DWC_IN(dwc_q_plain), .rcode = 16, .ret = -EINVAL },
	{ .name = "error: buffer too small", .kind = DWC_ERROR,
	  DWC_IN(dwc_q_plain), .rcode = 2, .cap = 32, .ret = -ENOSPC },
	{ .name = "formerr: header with ID, RD and CD", .kind = DWC_FORMERR,
	  DWC_IN(dwc_f_junk), .ret = DNSWIRE_HDR_LEN, DWC_OUT(dwc_x_f_junk) },
	{ .name = "formerr: opcode copied, counts zeroed", .kind = DWC_FORMERR,
	  DWC_IN(dwc_f_update), .ret = DNSWIRE_HDR_LEN,
	  DWC_OUT(dwc_x_f_update) },
	{ .name = "formerr: never to a response", .kind = DWC_FORMERR,
	  DWC_IN(dwc_q_qr), .ret = -EINVAL },
	{ .name = "formerr: not for less than a header", .kind = DWC_FORMERR,
	  DWC_IN(dwc_q_short_hdr), .ret = -EINVAL },
	{ .name = "formerr: buffer too small", .kind = DWC_FORMERR,
	  DWC_IN(dwc_f_junk), .cap = 11, .ret = -ENOSPC },

	/* Names. */
	DWC_NAME_CASE("name: www.example.com", dwc_n_www, 17),
	DWC_NAME_CASE("name: root", dwc_n_root, 1),
	DWC_NAME_CASE("name: 63-byte label", dwc_n_63, 65),
	DWC_NAME_CASE("name: 64-byte label", dwc_n_64, -EINVAL),
	DWC_NAME_CASE("name: 255 bytes", dwc_n_255, 255),
	DWC_NAME_CASE("name: 256 bytes", dwc_n_256, -EINVAL),
	DWC_NAME_CASE("name: compression pointer", dwc_n_ptr, -EINVAL),
	DWC_NAME_CASE("name: byte after the root label", dwc_n_trailing,
		      -EINVAL),
	DWC_NAME_CASE("name: cut inside a label", dwc_n_cut, -EINVAL),
	DWC_NAME_CASE("name: no root label", dwc_n_no_root, -EINVAL),
	{ .name = "name: empty", .kind = DWC_NAME, .in = dwc_n_root,
	  .in_len = 0, .ret = -EINVAL },
	DWC_SUB("subtree: name is the zone", dwc_n_www, dwc_n_www, 1),
	DWC_SUB("subtree: name below the zone", dwc_n_www, dwc_n_example, 1),
	DWC_SUB("subtree: two levels below", dwc_n_www, dwc_n_com, 1),
	DWC_SUB("subtree: everything is below the root", dwc_n_www,
		dwc_n_root, 1),
	DWC_SUB("subtree: xexample.com is not below example.com",
		dwc_n_xexample, dwc_n_example, 0),
	DWC_SUB("subtree: suffix inside a label does not count",
		dwc_n_inside, dwc_n_example, 0),
	DWC_SUB("subtree: zone below the name", dwc_n_example, dwc_n_www, 0),
	DWC_SUB("subtree: other TLD", dwc_n_www, dwc_n_org, 0),
	{ .name = "limit: 512 without EDNS", .kind = DWC_LIMIT,
	  .q = { .udp_size = 4096 }, .ret = 512 },
	{ .name = "limit: the size advertised", .kind = DWC_LIMIT,
	  .q = { .edns = true, .udp_size = 1000 }, .ret = 1000 },
	{ .name = "limit: 4096 capped at 1232", .kind = DWC_LIMIT,
	  .q = { .edns = true, .udp_size = 4096 }, .ret = 1232 },
	{ .name = "limit: never below 512", .kind = DWC_LIMIT,
	  .q = { .edns = true, .udp_size = 100 }, .ret = 512 },
	{ .name = "limit: 65535 capped at 1232", .kind = DWC_LIMIT,
	  .q = { .edns = true, .udp_size = 65535 }, .ret = 1232 },
};

/* ---- Checking --------------------------------------------------------- */

#define DWC_MAX_TTL	256
#define DWC_GEN_MAX	65536
#define DWC_OUT_MAX	4096
#define DWC_GUARD	64

struct dwc_scratch {
	struct dnswire_query q;
	struct dnswire_resp_info info;
	u16 ttl_offs[DWC_MAX_TTL];
	u8 key[DNSWIRE_NAME_MAX];
	u8 gen[DWC_GEN_MAX];
	u8 out[DWC_OUT_MAX + DWC_GUARD];
};

struct dwc_result {
	const char *what;
	long long got, want;
	const char *got_s, *want_s;
};

static int dwc_fail(struct dwc_result *r, const char *what, long long got,
		    long long want)
{
	r->what = what;
	r->got = got;
	r->want = want;
	r->got_s = NULL;
	r->want_s = NULL;
	return -1;
}

#define DWC_EXPECT(r, what, got, want)					\
	do {								\
		long long got_ = (got), want_ = (want);			\
		if (got_ != want_)					\
			return dwc_fail(r, what, got_, want_);		\
	} while (0)

/* The question of @msg as a cache key; 0, or -1 when it has none. */
static int dwc_key(const u8 *msg, unsigned int len, u8 *key, u8 *key_len,
		   u16 *qtype, u16 *qclass)
{
	unsigned int off = DNSWIRE_HDR_LEN;

	if (len < DNSWIRE_HDR_LEN)
		return -1;
	while (off < len && msg[off] && msg[off] <= DNSWIRE_LABEL_MAX)
		off += 1 + msg[off];
	if (off >= len || msg[off] ||
	    off + 1 - DNSWIRE_HDR_LEN > DNSWIRE_NAME_MAX || len - off < 5)
		return -1;
	*key_len = off + 1 - DNSWIRE_HDR_LEN;
	dnswire_name_lower(key, msg + DNSWIRE_HDR_LEN, *key_len);
	*qtype = get_unaligned_be16(msg + off + 1);
	*qclass = get_unaligned_be16(msg + off + 3);
	return 0;
}

static int dwc_validate_own(const u8 *msg, unsigned int len,
			    struct dwc_scratch *s, unsigned int max_ttl,
			    const char **why)
{
	u16 qtype = 1, qclass = 1;
	u8 key_len = 1;

	s->key[0] = 0;
	dwc_key(msg, len, s->key, &key_len, &qtype, &qclass);
	return dnswire_validate_response(msg, len, s->key, key_len, qtype,
					 qclass, s->ttl_offs, max_ttl,
					 &s->info, why);
}

static int dwc_run_query(const struct dnswire_case *c, const u8 *in,
			 unsigned int len, struct dwc_scratch *s,
			 struct dwc_result *r)
{
	struct dnswire_query *q = &s->q;
	int ret;

	memset(q, 0x5a, sizeof(*q));
	ret = dnswire_parse_query(in, len, q);
	DWC_EXPECT(r, "return value", ret, c->ret);
	if (ret)
		return 0;
	DWC_EXPECT(r, "id", q->id, c->q.id);
	DWC_EXPECT(r, "rd", q->rd, c->q.rd);
	DWC_EXPECT(r, "cd", q->cd, c->q.cd);
	DWC_EXPECT(r, "qname offset", q->qname - in, DNSWIRE_HDR_LEN);
	DWC_EXPECT(r, "qname_len", q->qname_len, c->q.qname_len);
	DWC_EXPECT(r, "qtype", q->qtype, c->q.qtype);
	DWC_EXPECT(r, "qclass", q->qclass, c->q.qclass);
	DWC_EXPECT(r, "question_end", q->question_end, c->q.question_end);
	DWC_EXPECT(r, "edns", q->edns, c->q.edns);
	DWC_EXPECT(r, "edns_udp_size", q->edns_udp_size, c->q.udp_size);
	DWC_EXPECT(r, "edns_version", q->edns_version, c->q.version);
	DWC_EXPECT(r, "edns_do", q->edns_do, c->q.dnssec_ok);
	if (c->out) {
		DWC_EXPECT(r, "qname_lc length", q->qname_len, c->out_len);
		DWC_EXPECT(r, "qname_lc bytes",
			   memcmp(q->qname_lc, c->out, c->out_len), 0);
	}
	return 0;
}

static int dwc_check_ttl_offs(const u8 *msg, unsigned int len,
			      const struct dwc_scratch *s,
			      struct dwc_result *r)
{
	unsigned int i, prev = 0;

	for (i = 0; i < s->info.n_ttl; i++) {
		unsigned int off = s->ttl_offs[i];

		if (off <= prev || off + 4 > len)
			return dwc_fail(r, "TTL offset out of place", off,
					prev);
		if (get_unaligned_be32(msg + off) & 0x80000000)
			return dwc_fail(r, "TTL with the top bit accepted",
					off, 0);
		prev = off;
	}
	return 0;
}

static int dwc_run_response(const struct dnswire_case *c, const u8 *in,
			    unsigned int len, struct dwc_scratch *s,
			    struct dwc_result *r)
{
	unsigned int max = c->max_ttl ? c->max_ttl : DWC_MAX_TTL;
	const char *why = "unset";
	int ret;

	if (c->in2)
		ret = dnswire_validate_response(in, len, c->in2, c->in2_len,
						c->key_type, c->key_class,
						s->ttl_offs, max, &s->info,
						&why);
	else
		ret = dwc_validate_own(in, len, s, max, &why);
	if (ret != c->ret) {
		dwc_fail(r, "return value", ret, c->ret);
		r->got_s = why;
		return -1;
	}
	if (ret) {
		int again = c->in2 ? ret :
			    dwc_validate_own(in, len, s, max, NULL);

		DWC_EXPECT(r, "return value without a message", again, ret);
		if (!why || (c->why && strcmp(why, c->why))) {
			dwc_fail(r, "refusal message", 0, 0);
			r->got_s = why ? why : "(none)";
			r->want_s = c->why;
			return -1;
		}
		return 0;
	}
	if (why)
		return dwc_fail(r, "message set on success", 0, 0);
	DWC_EXPECT(r, "rcode", s->info.rcode, c->r.rcode);
	DWC_EXPECT(r, "negative", s->info.negative, c->r.negative);
	DWC_EXPECT(r, "min_ttl", s->info.min_ttl, c->r.min_ttl);
	DWC_EXPECT(r, "n_ttl", s->info.n_ttl, c->r.n_ttl);
	return dwc_check_ttl_offs(in, len, s, r);
}

/* What every reply to s->q must look like, whatever it answers. */
static int dwc_check_reply(const struct dwc_scratch *s, const u8 *out,
			   unsigned int len, unsigned int cap, bool truncated)
{
	const struct dnswire_query *q = &s->q;
	bool opt = q->edns;

	if (len > cap || len > dnswire_reply_limit(q) ||
	    len < DNSWIRE_HDR_LEN + q->qname_len + 4u + (opt ? 11u : 0u))
		return -1;
	if (get_unaligned_be16(out) != q->id)
		return -1;
	if (!(out[2] & DNSWIRE_F1_QR) || (out[2] & DNSWIRE_F1_OPCODE) ||
	    (out[2] & DNSWIRE_F1_AA) || !(out[3] & DNSWIRE_F2_RA))
		return -1;
	if (!!(out[2] & DNSWIRE_F1_RD) != q->rd ||
	    !!(out[3] & DNSWIRE_F2_CD) != q->cd ||
	    !!(out[2] & DNSWIRE_F1_TC) != truncated)
		return -1;
	if (get_unaligned_be16(out + 4) != 1 ||
	    memcmp(out + DNSWIRE_HDR_LEN, q->qname, q->qname_len))
		return -1;
	if (opt) {
		const u8 *o = out + len - DNSWIRE_OPT_LEN;

		if (o[0] || get_unaligned_be16(o + 1) != DNSWIRE_TYPE_OPT ||
		    get_unaligned_be16(o + 3) != DNSWIRE_EDNS_UDP_SIZE ||
		    o[6] || !!(o[7] & 0x80) != q->edns_do ||
		    get_unaligned_be16(o + 9))
			return -1;
	}
	return 0;
}

static int dwc_run_reply(const struct dnswire_case *c, struct dwc_scratch *s,
			 struct dwc_result *r)
{
	unsigned int cap = c->cap ? c->cap : DWC_OUT_MAX, i;
	const char *why;
	bool truncated = !c->truncated;
	int ret;

	ret = dnswire_parse_query(c->in, c->in_len, &s->q);
	DWC_EXPECT(r, "query parses", ret, 0);
	if (c->raw) {
		s->ttl_offs[0] = c->ttl_off;
		s->info.n_ttl = c->ttl_off ? 1 : 0;
	} else {
		ret = dwc_validate_own(c->in2, c->in2_len, s, DWC_MAX_TTL,
				       &why);
		DWC_EXPECT(r, "stored response validates", ret, 0);
	}

	memset(s->out, 0xa5, sizeof(s->out));
	ret = dnswire_build_reply(s->out, cap, c->in2, c->in2_len, s->ttl_offs,
				  s->info.n_ttl, c->elapsed, &s->q,
				  s->q.qname, &truncated);
	DWC_EXPECT(r, "return value", ret, c->ret);
	DWC_EXPECT(r, "truncated", truncated, c->truncated);
	for (i = cap; i < sizeof(s->out); i++)
		DWC_EXPECT(r, "byte written past the buffer", s->out[i], 0xa5);
	if (ret < 0)
		return 0;
	if (c->out)
		DWC_EXPECT(r, "reply bytes", memcmp(s->out, c->out, c->out_len),
			   0);
	DWC_EXPECT(r, "reply header and question",
		   dwc_check_reply(s, s->out, ret, cap, truncated), 0);
	if (truncated || (s->q.edns && s->q.edns_version))
		return 0;
	for (i = 0; i < s->info.n_ttl; i++) {
		u32 was = get_unaligned_be32(c->in2 + s->ttl_offs[i]);
		u32 now = get_unaligned_be32(s->out + s->ttl_offs[i]);

		DWC_EXPECT(r, "TTL", now,
			   was > c->elapsed ? was - c->elapsed : 0);
	}
	return 0;
}

static int dwc_run_error(const struct dnswire_case *c, struct dwc_scratch *s,
			 struct dwc_result *r)
{
	unsigned int cap = c->cap ? c->cap : DWC_OUT_MAX, i;
	int ret;

	ret = dnswire_parse_query(c->in, c->in_len, &s->q);
	DWC_EXPECT(r, "query parses", ret, 0);
	memset(s->out, 0xa5, sizeof(s->out));
	ret = dnswire_build_error(s->out, cap, &s->q, s->q.qname, c->rcode);
	DWC_EXPECT(r, "return value", ret, c->ret);
	for (i = cap; i < sizeof(s->out); i++)
		DWC_EXPECT(r, "byte written past the buffer", s->out[i], 0xa5);
	if (ret < 0)
		return 0;
	if (c->out)
		DWC_EXPECT(r, "reply bytes", memcmp(s->out, c->out, c->out_len),
			   0);
	DWC_EXPECT(r, "reply header and question",
		   dwc_check_reply(s, s->out, ret, cap, false), 0);
	return 0;
}

static int dwc_run_formerr(const struct dnswire_case *c,
			   struct dwc_scratch *s, struct dwc_result *r)
{
	unsigned int cap = c->cap ? c->cap : DWC_OUT_MAX, i;
	int ret;

	memset(s->out, 0xa5, sizeof(s->out));
	ret = dnswire_build_formerr(s->out, cap, c->in, c->in_len);
	DWC_EXPECT(r, "return value", ret, c->ret);
	for (i = cap; i < sizeof(s->out); i++)
		DWC_EXPECT(r, "byte written past the buffer", s->out[i], 0xa5);
	if (ret >= 0 && c->out)
		DWC_EXPECT(r, "reply bytes", memcmp(s->out, c->out, c->out_len),
			   0);
	return 0;
}

static const u8 *dwc_input(const struct dnswire_case *c, struct dwc_scratch *s,
			   unsigned int *len)
{
	if (c->gen) {
		*len = c->gen(s->gen, c->gen_arg);
		return s->gen;
	}
	*len = c->in_len;
	return c->in;
}

/* Run one case: 0 when it passes, -1 with @r describing the failure. */
static int dwc_run(const struct dnswire_case *c, struct dwc_scratch *s,
		   struct dwc_result *r)
{
	unsigned int len;
	const u8 *in = dwc_input(c, s, &len);

	switch (c->kind) {
	case DWC_QUERY:
		return dwc_run_query(c, in, len, s, r);
	case DWC_RESPONSE:
		return dwc_run_response(c, in, len, s, r);
	case DWC_REPLY:
		return dwc_run_reply(c, s, r);
	case DWC_ERROR:
		return dwc_run_error(c, s, r);
	case DWC_FORMERR:
		return dwc_run_formerr(c, s, r);
	case DWC_NAME:
		DWC_EXPECT(r, "return value", dnswire_name_check(in, len),
			   c->ret);
		return 0;
	case DWC_SUBTREE:
		DWC_EXPECT(r, "return value",
			   dnswire_name_in_subtree(in, len, c->in2,
						   c->in2_len), c->ret);
		return 0;
	case DWC_LIMIT:
		memset(&s->q, 0, sizeof(s->q));
		s->q.edns = c->q.edns;
		s->q.edns_udp_size = c->q.udp_size;
		DWC_EXPECT(r, "return value", dnswire_reply_limit(&s->q),
			   c->ret);
		return 0;
	}
	return dwc_fail(r, "unknown case kind", c->kind, 0);
}

/* Whether a case is a message that parses or validates. */
static bool dwc_is_valid_message(const struct dnswire_case *c)
{
	return (c->kind == DWC_QUERY || c->kind == DWC_RESPONSE) && !c->ret &&
	       !c->in2 && !c->no_prefix;
}

/*
 * Every strict prefix of a valid message, and the message with one more
 * byte, must be refused: the counts leave no room for either.  @s must
 * have been allocated on its own, with exactly sizeof(*s) bytes.
 */
static int dwc_run_prefixes(const struct dnswire_case *c, struct dwc_scratch *s,
			    struct dwc_result *r)
{
	unsigned int len, l;
	const u8 *in = dwc_input(c, s, &len);
	u8 *end = (u8 *)(s + 1), *copy;
	const char *why;
	int ret;

	if (len + 1 > DWC_OUT_MAX)
		return dwc_fail(r, "message too long for the check", len, 0);
	for (l = 0; l <= len + 1; l++) {
		if (l == len)
			continue;
		/*
		 * At the very end of the scratch allocation, so that reading
		 * one byte too far trips KASAN or ASan.
		 */
		copy = end - l;
		memcpy(copy, in, l < len ? l : len);
		if (l > len)
			copy[len] = 0;
		if (c->kind == DWC_QUERY) {
			ret = dnswire_parse_query(copy, l, &s->q);
		} else {
			u16 qtype = 1, qclass = 1;
			u8 key_len = 1;

			s->key[0] = 0;
			dwc_key(in, len, s->key, &key_len, &qtype, &qclass);
			ret = dnswire_validate_response(copy, l, s->key,
							key_len, qtype, qclass,
							s->ttl_offs,
							DWC_MAX_TTL, &s->info,
							&why);
		}
		if (!ret)
			return dwc_fail(r, "accepted at length", l, len);
	}
	return 0;
}

#endif /* _NFDNS_DNSWIRE_CASES_H */
