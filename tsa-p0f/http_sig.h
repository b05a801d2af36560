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

#include "sig_read.h"

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

/*
 * Register the header names p0f treats specially (optional, shown without
 * value, normally present) and sum up each signature's headers (need,
 * absent); called by the database reader once the signatures are read.
 */
void http_sig_prepare(struct p0f_db *db);

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
 * Does the value contain needle?  Values are passed up to any NUL, as
 * p0f's C strings end (http_hdr's clen, http_msg's swlen).
 */
bool http_contains(const uint8_t *v, size_t n, const char *needle);

#endif
