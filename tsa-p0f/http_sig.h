/*
 * HTTP fingerprints: the order of headers, which ones are absent, and the
 * software a request or response claims (User-Agent, Server), matched
 * against p0f.fp's [http:request] and [http:response] signatures.
 */
#ifndef P0F_HTTP_SIG_H
#define P0F_HTTP_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct p0f_db;
struct p0f_label;
struct sig_line;

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
	 * optional) and must not have (miss), set by http_sigs_finish: most
	 * signatures are ruled out by these alone.
	 */
	uint64_t need, absent;
};

/* "ua_os": OS names to look for in an honest User-Agent. */
struct ua_os {
	int name_id;
	const char *text;	/* the name, or its [alias] */
};

/* Headers p0f lists in a raw signature when they are absent, at most. */
#define HTTP_MAX_COMMON	8

/*
 * The longest raw signature, NUL included: "1:", HTTP_MAX_HDRS headers of
 * at most ",?", a name, "=[", HTTP_MAX_SHOW bytes and "]"; ':', the
 * absent common headers with commas, ':', the software (HTTP_MAX_SHOW).
 * p0f's text has no bound; this one holds the longest it can print.
 */
#define HTTP_RAW_SIG_MAX (2 + HTTP_MAX_HDRS * (HTTP_MAX_HDR_NAME + \
	HTTP_MAX_SHOW + 5) + 1 + HTTP_MAX_COMMON * (HTTP_MAX_HDR_NAME + 1) + \
	1 + HTTP_MAX_SHOW + 1)

/* Header ids registered first, so the matcher can find them by number. */
enum { HDR_UA, HDR_SERVER, HDR_AL, HDR_VIA, HDR_XFF, HDR_DATE, HDR_FIXED };

/*
 * The [http:response] (0) and [http:request] (1) sections, and the header
 * names they and p0f's own lists use, numbered (case matters).
 */
struct http_sigs {
	struct http_sig_rec *sig[2];
	unsigned n[2], cap[2];
	char **hdr_names;	/* by id */
	unsigned nhdr_names, hdr_cap;
	int *hdr_index;		/* hash of names to ids, -1 for empty slots */
	size_t *hdr_len;	/* lengths of the names, with the index */
	uint64_t *hdr_words;	/* two words of each name (tsa_str_words) */
	unsigned hdr_index_mask;
	uint8_t *hdr_flags;	/* per id: how a raw signature shows it */
	int common[2][HTTP_MAX_COMMON];	/* ids of the headers normally
					   present */
	unsigned ncommon[2];
	struct ua_os *ua;
	unsigned nua, ua_cap;
};

/* Register the header names p0f knows before it reads any signature. */
void http_sigs_init(struct p0f_db *db);
/* Read and keep a 'sig' line of [http:request] or [http:response]. */
int http_sig_register(const struct sig_line *sl, const char *val);
/* Read the 'ua_os' line of [http:request]. */
int http_ua_os_register(const struct sig_line *sl, const char *val);
/*
 * Once every line is read: register the header names p0f treats specially
 * (optional, shown without value, normally present), sum up each
 * signature's headers (need, absent) and index the names.
 */
void http_sigs_finish(struct p0f_db *db);
void http_sigs_free(struct http_sigs *hs);

/* A header as seen: its id in the database, or its own name when unknown. */
struct http_hdr_seen {
	int id;			/* -1: not a header the database names */
	uint16_t nlen, vlen;
	uint16_t clen;		/* vlen up to any NUL: p0f's C string */
	const uint8_t *name;
	const uint8_t *val;	/* NULL when empty */
};

/*
 * Header ids below this have their first place in a message noted, so
 * that matching a signature does not scan the headers for each of its own
 * (p0f.fp names about 50; ids beyond are scanned for).
 */
#define HTTP_FIRST_IDS 64

/* A request or response header block, pointing into the record. */
struct http_msg {
	int8_t ver;		/* 0: HTTP/1.0, 1: HTTP/1.1 */
	unsigned nhdr;
	uint8_t first[HTTP_FIRST_IDS];	/* index + 1 of an id's first header,
					   0: absent */
	bool again;		/* one of those ids comes twice */
	uint64_t present;	/* bits of those ids found */
	const uint8_t *sw, *lang, *via;	/* values, NULL if absent */
	uint16_t swlen, langlen;
	int64_t date;		/* a response's Date, 0 if none or unreadable */
	struct http_hdr_seen hdr[HTTP_MAX_HDRS];	/* last: see parse */
};

enum http_parse { HTTP_OK, HTTP_NOT_FOR_P0F, HTTP_INCOMPLETE };

/*
 * Parse a header block (start line to the blank line) the way p0f does.
 * NOT_FOR_P0F: a request other than GET or HEAD, or something p0f rejects
 * as not HTTP; INCOMPLETE: the block ends before the blank line.
 */
enum http_parse http_msg_parse(const struct p0f_db *db, int to_srv,
    const uint8_t *buf, size_t len, struct http_msg *m);

struct http_match {
	const struct http_sig_rec *sig;	/* NULL: no match */
	bool dishonest;		/* User-Agent/Server contradicts the match */
};

void http_sig_match(const struct p0f_db *db, int to_srv,
    const struct http_msg *m, struct http_match *r);

/* p0f's raw_sig text for the message, at most cap-1 bytes; its length. */
size_t http_sig_format(const struct p0f_db *db, int to_srv,
    const struct http_msg *m, char *out, size_t cap);

/*
 * The language of a request's Accept-Language as p0f names it ("en-us,en"
 * -> "English"); NULL without a two-letter tag first or for a tag that is
 * no ISO 639-1 language.
 */
const char *http_msg_lang(const struct http_msg *m);

/*
 * The first ua_os entry whose name (or alias) the User-Agent ua contains,
 * or NULL.
 */
const struct ua_os *http_ua_os(const struct p0f_db *db, const uint8_t *ua,
    size_t len);

/*
 * Does the value contain needle?  Values are passed up to any NUL, as
 * p0f's C strings end (http_hdr's clen, http_msg's swlen).
 */
bool http_contains(const uint8_t *v, size_t n, const char *needle);

#endif
