/*
 * SYN and SYN+ACK fingerprints: what p0f reads from the raw IP and TCP
 * headers, its raw signature text, and the search through p0f.fp with
 * p0f's generic and fuzzy rules.
 */
#ifndef P0F_TCP_SIG_H
#define P0F_TCP_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct p0f_db;
struct p0f_label;
struct sig_line;

/*
 * Room for a raw signature and its NUL: p0f's longest is under 240 bytes
 * (a 24-option layout, every quirk); tcp_sig_format cuts at this bound.
 */
#define TCP_RAW_SIG_MAX 320

/* TCP quirks, one bit each, in the order p0f prints them. */
enum {
	Q_DF = 1 << 0, Q_NZ_ID = 1 << 1, Q_ZERO_ID = 1 << 2, Q_ECN = 1 << 3,
	Q_NZ_MBZ = 1 << 4, Q_FLOW = 1 << 5, Q_ZERO_SEQ = 1 << 6,
	Q_NZ_ACK = 1 << 7, Q_ZERO_ACK = 1 << 8, Q_NZ_URG = 1 << 9,
	Q_URG = 1 << 10, Q_PUSH = 1 << 11, Q_TS1_ZERO = 1 << 12,
	Q_TS2_NZ = 1 << 13, Q_OPT_EOL_NZ = 1 << 14, Q_EXWS = 1 << 15,
	Q_OPT_BAD = 1 << 16,
};
#define P0F_NQUIRKS 17
extern const char *const p0f_quirk_names[P0F_NQUIRKS];

/* Window size forms of a TCP signature. */
enum p0f_win { P0F_WIN_NORMAL, P0F_WIN_ANY, P0F_WIN_MOD, P0F_WIN_MSS,
    P0F_WIN_MTU };

/* sig = ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass */
struct tcp_sig_rec {
	const struct p0f_label *label;
	unsigned line;
	int8_t ver;		/* 4, 6, or -1 for '*' */
	bool bad_ttl;		/* "64-": the TTL is random up to this */
	uint8_t ttl;		/* initial TTL */
	uint8_t olen;		/* IP options length */
	int32_t mss;		/* -1 for '*' */
	uint8_t win_type;	/* enum p0f_win */
	uint16_t win;		/* value, divisor or multiplier */
	int16_t wscale;		/* -1 for '*' */
	uint8_t nopt, eol_pad;
	uint8_t opt[MAX_TCP_OPT];	/* option kinds in order */
	uint32_t layout;	/* tcp_layout_hash of opt */
	uint32_t quirks;
	int8_t pclass;		/* payload: 0, 1 (non-zero) or -1 for '*' */
};

/* The [tcp:response] (0) and [tcp:request] (1) sections, in file order. */
struct tcp_sigs {
	struct tcp_sig_rec *sig[2];
	unsigned n[2], cap[2];
};

/* Read and keep a 'sig' line of [tcp:request] or [tcp:response]. */
int tcp_sig_register(const struct sig_line *sl, const char *val);
void tcp_sigs_free(struct tcp_sigs *t);

/* What a SYN or SYN+ACK shows (p0f's packet_data). */
struct tcp_pkt {
	uint8_t ver;		/* 4 or 6 */
	uint8_t ttl;
	uint8_t olen;		/* IPv4 options / IPv6 extension headers */
	uint8_t flags;		/* TCP flags byte */
	uint8_t wscale;
	uint8_t nopt, eol_pad;
	uint8_t opt[MAX_TCP_OPT];
	uint16_t tot_hdr;	/* IP and TCP header bytes */
	uint16_t win, mss;	/* mss 0: no MSS option */
	uint32_t quirks;
	uint32_t seq;
	uint32_t ts1;		/* own timestamp, 0 if none */
	uint32_t pay_len;
	uint32_t layout;	/* tcp_layout_hash of the options */
	bool ext_hdrs;		/* IPv6 extension headers (p0f ignores these) */
};

/*
 * Hash of an option layout: signatures and the SYNs a host sent before
 * are compared with a packet's by it first.
 */
uint32_t tcp_layout_hash(const uint8_t *opt, unsigned n);

enum tcp_parse { TCP_PARSE_OK, TCP_PARSE_SHORT, TCP_PARSE_BAD,
    TCP_PARSE_IGNORED };

/*
 * Decode raw headers (IP header with options or extension headers, then the
 * TCP header with options).  SHORT: the bytes end early; BAD: the headers
 * contradict themselves; IGNORED: not a TCP segment p0f fingerprints (a
 * fragment, a silly flag combination).
 */
enum tcp_parse tcp_pkt_parse(const uint8_t *h, size_t len, struct tcp_pkt *pk);

/* The outcome of a match. */
struct tcp_match {
	const struct tcp_sig_rec *sig;	/* NULL: no match */
	bool fuzzy;
	uint8_t dist;
};

/*
 * The window as p0f explains it: a multiple (multi) of the MTU (mtu) or
 * of the MSS or something derived from it, or neither (multi -1).
 */
struct tcp_win {
	int multi;
	bool mtu;
};

/*
 * Explain pk's window, once for both tcp_sig_match and tcp_sig_format.
 * syn_mss: the MSS of the SYN that opened the flow (0 if unknown), which
 * p0f uses to explain SYN+ACK windows.
 */
void tcp_win_explain(const struct tcp_pkt *pk, uint16_t syn_mss,
    struct tcp_win *w);

/*
 * Find the signature for pk.  to_srv: 1 for a SYN, 0 for a SYN+ACK;
 * ignore: quirks left out of the comparison (tsa-p0f ignores 'flow'
 * unless in compat mode).
 */
void tcp_sig_match(const struct p0f_db *db, int to_srv,
    const struct tcp_pkt *pk, const struct tcp_win *w, uint32_t ignore,
    struct tcp_match *m);

/* p0f's raw_sig text; returns its length. */
size_t tcp_sig_format(const struct tcp_pkt *pk, const struct tcp_win *w,
    char out[TCP_RAW_SIG_MAX]);

/* p0f's guess at the distance when no signature gives the initial TTL. */
uint8_t tcp_guess_dist(uint8_t ttl);

#endif
