/*
 * p0f v3's signature database (p0f.fp): labels, 'sys' lists, OS classes,
 * and the TCP, MTU and HTTP signatures, as read by sig_read.c.  The format
 * is described in p0f's README, section 5.
 */
#ifndef P0F_SIG_READ_H
#define P0F_SIG_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define P0F_SYS_CLASS	0x80000000u	/* a 'sys' entry naming a class */

/* "label = type:class:name:flavor" */
struct p0f_label {
	const char *full;	/* name and flavor: "Linux 3.11 and newer" */
	const char *name;	/* "Linux" */
	const char *flavor;	/* "3.11 and newer", or NULL */
	uint16_t full_len, name_len;
	int class_id;		/* index into classes, -1 for applications */
	int name_id;		/* index into names */
	unsigned id;		/* labels are numbered in file order */
	bool generic;		/* 'g': considered only when nothing else fits */
	const uint32_t *sys;	/* for applications: name ids | P0F_SYS_CLASS */
	unsigned nsys;
};

/* Window size forms of a TCP signature. */
enum p0f_win { P0F_WIN_NORMAL, P0F_WIN_ANY, P0F_WIN_MOD, P0F_WIN_MSS,
    P0F_WIN_MTU };

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

struct mtu_sig {
	uint16_t mtu;
	const char *name;
};

/* One header of an HTTP signature: "Name", "?Name" or "Name=[value]". */
struct http_sig_hdr {
	int id;			/* index into hdr_names */
	bool optional;
	const char *value;	/* substring the value must contain, or NULL */
	size_t value_len;
};

/* sig = ver:horder:habsent:expsw */
struct http_sig_rec {
	const struct p0f_label *label;
	unsigned line;
	int8_t ver;		/* 0, 1, or -1 for '*' */
	uint8_t nhdr, nmiss;
	struct http_sig_hdr hdr[HTTP_MAX_HDRS];
	int miss[HTTP_MAX_HDRS];
	const char *sw;		/* expected in User-Agent or Server */
	/*
	 * Bits of header ids below 64 that a message must have (not
	 * optional) and must not have (miss), set by http_sig_prepare: most
	 * signatures are ruled out by these alone.
	 */
	uint64_t need, absent;
};

/* "ua_os": OS names to look for in an honest User-Agent. */
struct ua_os {
	int name_id;
	const char *text;	/* the name, or its [alias] */
};

/* Header ids registered first, so the matcher can find them by number. */
enum { HDR_UA, HDR_SERVER, HDR_AL, HDR_VIA, HDR_XFF, HDR_DATE, HDR_FIXED };

struct p0f_db {
	char **classes;
	unsigned nclasses;
	char **names;		/* OS and application names */
	unsigned nnames, names_cap;
	struct p0f_label **labels;
	unsigned nlabels, labels_cap;
	/* [0]: responses (SYN+ACK, HTTP response), [1]: requests */
	struct tcp_sig_rec *tcp[2];
	unsigned ntcp[2], tcp_cap[2];
	struct http_sig_rec *http[2];
	unsigned nhttp[2], http_cap[2];
	struct mtu_sig *mtu;
	unsigned nmtu, mtu_cap;
	char **hdr_names;	/* HTTP header names by id (case matters) */
	unsigned nhdr_names, hdr_cap;
	int *hdr_index;		/* hash of names to ids, -1 for empty slots */
	size_t *hdr_len;	/* lengths of the names, with the index */
	uint64_t *hdr_words;	/* two words of each name (sig_read.c) */
	unsigned hdr_index_mask;
	uint8_t *hdr_flags;	/* per header id: how http_sig.c shows it */
	int common[2][8];	/* ids of the headers normally present */
	unsigned ncommon[2];
	struct ua_os *ua;
	unsigned nua, ua_cap;
	unsigned nsigs;
	struct arena_blk *arena;	/* strings and small arrays */
};

/*
 * Read a signature file.  On failure returns NULL with "path:line: what is
 * wrong" (or "path: why it cannot be read") in err.
 */
struct p0f_db *p0f_db_load(const char *path, char *err, size_t errlen);
/* Parse text already in memory; name is used in messages. */
struct p0f_db *p0f_db_parse(const char *name, const char *text, size_t len,
    char *err, size_t errlen);
void p0f_db_free(struct p0f_db *db);

/* Id of an HTTP header name (exact bytes), or -1. */
int p0f_db_hdr_id(const struct p0f_db *db, const char *name, size_t len);
/* The id of a header name, registering it if new. */
int p0f_db_hdr_register(struct p0f_db *db, const char *name, size_t len);

#endif
