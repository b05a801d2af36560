/*
 * HTTP fingerprinting as p0f 3.09b does it (README section 5, fp_http.c):
 * only GET and HEAD requests and the responses to them; header names are
 * compared exactly (case matters); a signature lists headers in order,
 * each perhaps optional ("?Referer": may be missing, but not elsewhere) or
 * with a substring its value must contain; other headers may come between.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "http_sig.h"
#include "languages.h"
#include "sig_read.h"
#include "util.h"
#include "sigtext.h"

/* Headers registered first, numbered as HDR_* (http_sig.h). */
static const char *const fixed_hdrs[HDR_FIXED] = {
	"User-Agent", "Server", "Accept-Language", "Via", "X-Forwarded-For",
	"Date",
};

/* Headers p0f marks optional ('?') and shows without a value. */
static const char *const req_optional[] = {
	"Cookie", "Referer", "Origin", "Range", "If-Modified-Since",
	"If-None-Match", "Via", "X-Forwarded-For", "Authorization",
	"Proxy-Authorization", "Cache-Control", NULL
};
static const char *const resp_optional[] = {
	"Set-Cookie", "Last-Modified", "ETag", "Content-Length",
	"Content-Disposition", "Cache-Control", "Expires", "Pragma", "Location",
	"Refresh", "Content-Range", "Vary", NULL
};
/* Headers normally present, listed in the raw signature when absent. */
static const char *const req_common[] = {
	"Host", "User-Agent", "Connection", "Accept", "Accept-Encoding",
	"Accept-Language", "Accept-Charset", "Keep-Alive", NULL
};
static const char *const resp_common[] = {
	"Content-Type", "Connection", "Keep-Alive", "Accept-Ranges", "Date",
	NULL
};
/* Headers whose values depend on the request, shown without them. */
static const char *const req_skipval[] = { "Host", "User-Agent", NULL };
static const char *const resp_skipval[] = {
	"Date", "Content-Type", "Server", NULL
};

/* ---- header names ---- */

/*
 * A header name's hash, from its words (tsa_str_words), which with its
 * length are the whole name up to 16 bytes: no cost per byte.
 */
static inline unsigned name_hash(uint64_t head, uint64_t tail, size_t n)
{
	uint64_t h = (head ^ n) * 0x9e3779b97f4a7c15ull ^
	    tail * 0xc2b2ae3d27d4eb4full;

	return (unsigned)(h ^ h >> 32);
}

/*
 * Once the file is read, header names are looked up through a hash table:
 * every header of every HTTP message is looked up.
 */
static void index_headers(struct http_sigs *hs)
{
	unsigned size = 64;

	while (size < hs->nhdr_names * 2)
		size *= 2;
	hs->hdr_index = tsa_malloc(size * sizeof *hs->hdr_index);
	memset(hs->hdr_index, 0xff, size * sizeof *hs->hdr_index);
	hs->hdr_index_mask = size - 1;
	hs->hdr_len = tsa_malloc((hs->nhdr_names + 1) * sizeof *hs->hdr_len);
	hs->hdr_words = tsa_malloc((hs->nhdr_names + 1) * 2 *
	    sizeof *hs->hdr_words);
	for (unsigned i = 0; i < hs->nhdr_names; i++) {
		size_t n = strlen(hs->hdr_names[i]);
		uint64_t *w = &hs->hdr_words[2 * i];
		unsigned s;

		tsa_str_words(hs->hdr_names[i], n, &w[0], &w[1]);
		s = name_hash(w[0], w[1], n) & hs->hdr_index_mask;
		hs->hdr_len[i] = n;
		while (hs->hdr_index[s] >= 0)
			s = (s + 1) & hs->hdr_index_mask;
		hs->hdr_index[s] = (int)i;
	}
}

/*
 * The id of a header name (exact bytes), or -1: by the index once it is
 * made, by a scan while the file is read.
 */
static int hdr_id(const struct http_sigs *hs, const char *name, size_t len)
{
	if (hs->hdr_index) {
		uint64_t head, tail;
		unsigned s;
		int id;

		tsa_str_words(name, len, &head, &tail);
		s = name_hash(head, tail, len) & hs->hdr_index_mask;
		while ((id = hs->hdr_index[s]) >= 0) {
			if (hs->hdr_len[id] == len &&
			    hs->hdr_words[2 * id] == head &&
			    hs->hdr_words[2 * id + 1] == tail &&
			    (len <= 16 ||
			    memcmp(hs->hdr_names[id], name, len) == 0))
				return id;
			s = (s + 1) & hs->hdr_index_mask;
		}
		return -1;
	}
	for (unsigned i = 0; i < hs->nhdr_names; i++)
		if (strlen(hs->hdr_names[i]) == len &&
		    memcmp(hs->hdr_names[i], name, len) == 0)
			return (int)i;
	return -1;
}

/* The id of a header name, registering it if new. */
static int hdr_register(struct p0f_db *db, const char *name, size_t len)
{
	struct http_sigs *hs = &db->http;
	int id = hdr_id(hs, name, len);
	char **slot;

	if (id >= 0)
		return id;
	slot = p0f_grow((void **)&hs->hdr_names, &hs->nhdr_names, &hs->hdr_cap,
	    sizeof *hs->hdr_names);
	*slot = p0f_db_strndup(db, name, len);
	return (int)hs->nhdr_names - 1;
}

/* ---- the [http:request] and [http:response] signature lines ---- */

static int parse_http_names(const struct sig_line *sl, const char **vp,
    struct http_sig_rec *s, bool absent)
{
	const char *v = *vp;

	while (*v != ':') {
		bool optional = false;
		const char *e;
		int id;

		if ((absent ? s->nmiss : s->nhdr) >= HTTP_MAX_HDRS)
			return sig_fail(sl, "more than %d headers listed",
			    HTTP_MAX_HDRS);
		if (!absent && *v == '?') {
			optional = true;
			v++;
		}
		for (e = v; isalnum((unsigned char)*e) || *e == '-' ||
		    *e == '_'; e++)
			;
		if (e == v)
			return sig_fail(sl, "malformed header name");
		id = hdr_register(sl->db, v, (size_t)(e - v));
		v = e;
		if (absent) {
			s->miss[s->nmiss++] = id;
		} else {
			struct http_sig_hdr *h = &s->hdr[s->nhdr++];

			h->id = id;
			h->optional = optional;
			if (*v == '=') {
				if (v[1] != '[')
					return sig_fail(sl,
					    "missing '[' after '='");
				v += 2;
				for (e = v; *e && *e != ']'; e++)
					;
				if (e == v || !*e)
					return sig_fail(sl,
					    "malformed header value "
					    "(Name=[value])");
				h->value = p0f_db_strndup(sl->db, v,
				    (size_t)(e - v));
				h->value_len = (size_t)(e - v);
				v = e + 1;
			}
		}
		if (*v == ',')
			v++;
		else if (*v != ':')
			return sig_fail(sl, "malformed header list");
	}
	*vp = v + 1;
	return 0;
}

int http_sig_register(const struct sig_line *sl, const char *v)
{
	struct http_sigs *hs = &sl->db->http;
	int d = sl->to_srv;
	struct http_sig_rec s = { .label = sl->label, .line = sl->line };

	if (*v == '0' || *v == '1')
		s.ver = (int8_t)(*v - '0');
	else if (*v == '*')
		s.ver = -1;
	else
		return sig_fail(sl, "HTTP version must be 0, 1 or *");
	if (v[1] != ':')
		return sig_fail(sl,
		    "malformed signature after the HTTP version");
	v += 2;
	if (parse_http_names(sl, &v, &s, false) < 0 ||
	    parse_http_names(sl, &v, &s, true) < 0)
		return -1;
	if (*v) {
		if (strchr(v, ':'))
			return sig_fail(sl,
			    "malformed expected software string");
		s.sw = p0f_db_strndup(sl->db, v, strlen(v));
	}
	*(struct http_sig_rec *)p0f_grow((void **)&hs->sig[d], &hs->n[d],
	    &hs->cap[d], sizeof s) = s;
	return 0;
}

int http_ua_os_register(const struct sig_line *sl, const char *v)
{
	struct p0f_db *db = sl->db;
	struct http_sigs *hs = &db->http;

	while (*v) {
		const char *e;
		struct ua_os *u;
		int id;

		for (e = v; sig_name_char((unsigned char)*e); e++)
			;
		if (e == v)
			return sig_fail(sl, "malformed system name in 'ua_os'");
		id = p0f_db_name_id(db, v, (size_t)(e - v));
		u = p0f_grow((void **)&hs->ua, &hs->nua, &hs->ua_cap,
		    sizeof *u);
		u->name_id = id;
		u->text = db->names[id];
		v = e;
		if (*v == '=') {
			if (v[1] != '[')
				return sig_fail(sl,
				    "missing '[' after '=' in 'ua_os'");
			v += 2;
			for (e = v; *e && *e != ']'; e++)
				;
			if (e == v || !*e)
				return sig_fail(sl,
				    "malformed alias in 'ua_os'");
			u->text = p0f_db_strndup(db, v, (size_t)(e - v));
			v = e + 1;
		}
		if (*v == ',')
			v++;
		else if (*v)
			return sig_fail(sl, "malformed 'ua_os' list");
	}
	return 0;
}

/* ---- messages ---- */

/*
 * Do the n bytes at v contain needle, k bytes long?  Needles and values
 * are short: a memchr for the first byte beats memmem's setup.
 */
static bool contains(const uint8_t *v, size_t n, const char *needle,
    size_t k)
{
	const uint8_t *p = v, *end = v + n;

	if (k == 0)
		return true;
	while ((size_t)(end - p) >= k &&
	    (p = memchr(p, (uint8_t)needle[0], (size_t)(end - p) - k + 1))) {
		if (memcmp(p + 1, needle + 1, k - 1) == 0)
			return true;
		p++;
	}
	return false;
}

/* The same for a C string needle. */
bool http_contains(const uint8_t *v, size_t n, const char *needle)
{
	return contains(v, n, needle, strlen(needle));
}

/* A header name's bytes: isalnum() in the C locale, '-' and '_'. */
static inline bool is_name_char(uint8_t c)
{
	/* c | 0x20 is a lower-case letter for letters of either case only. */
	return (uint8_t)((c | 0x20) - 'a') < 26 || (uint8_t)(c - '0') < 10 ||
	    c == '-' || c == '_';
}

/* Two digits at v, or -1. */
static int digits2(const uint8_t *v)
{
	if (v[0] < '0' || v[0] > '9' || v[1] < '0' || v[1] > '9')
		return -1;
	return (v[0] - '0') * 10 + (v[1] - '0');
}

/*
 * "Sun, 06 Nov 1994 08:49:37 GMT", the form servers send, read without
 * strptime (which costs thousands of instructions): false for anything
 * else, which goes to strptime.  For what it accepts the result is
 * strptime's and timegm's (a day past the month's end rolls over, as
 * timegm does it).
 */
static bool rfc1123_fast(const uint8_t *v, size_t n, int64_t *t)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int d, y1, y2, hh, mm, ss;
	unsigned mon;

	if (n != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' ||
	    v[11] != ' ' || v[16] != ' ' || v[19] != ':' || v[22] != ':' ||
	    memcmp(v + 25, " GMT", 4) != 0)
		return false;
	for (d = 0; d < 7 && memcmp(v, days + 3 * d, 3) != 0; d++)
		;
	for (mon = 0; mon < 12 && memcmp(v + 8, months + 3 * mon, 3) != 0;
	    mon++)
		;
	if (d == 7 || mon == 12)
		return false;
	d = digits2(v + 5);
	y1 = digits2(v + 12);
	y2 = digits2(v + 14);
	hh = digits2(v + 17);
	mm = digits2(v + 20);
	ss = digits2(v + 23);
	if (d < 1 || d > 31 || y1 < 19 || y2 < 0 || (y1 == 19 && y2 < 70) ||
	    hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
		return false;
	*t = tsa_days_from_civil(y1 * 100 + y2, mon + 1, (unsigned)d) * 86400 +
	    hh * 3600 + mm * 60 + ss;
	return true;
}

/* An RFC 1123 date, as p0f reads it (strptime), in seconds; 0 if bad. */
static int64_t parse_date(const uint8_t *v, size_t n)
{
	char buf[64];
	struct tm tm;
	int64_t t;

	if (rfc1123_fast(v, n, &t))
		return t;
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, v, n);
	buf[n] = 0;
	memset(&tm, 0, sizeof tm);
	if (!strptime(buf, "%a, %d %b %Y %H:%M:%S %Z", &tm))
		return 0;
	return (int64_t)timegm(&tm);
}

/* The start line: p0f's checks for "is this HTTP at all". */
static enum http_parse start_line(int to_srv, const uint8_t *b, size_t len,
    struct http_msg *m, size_t *pos)
{
	const uint8_t *sig;
	size_t off;

	if (len < (to_srv ? 15u : 13u))
		return HTTP_INCOMPLETE;
	if (to_srv && memcmp(b, "GET /", 5) != 0 && memcmp(b, "HEAD /", 6) != 0)
		return HTTP_NOT_FOR_P0F;
	for (off = 0; off < len && off < HTTP_MAX_URL && b[off] != '\n'; off++)
		if (b[off] != '\r' && (b[off] < 0x20 || b[off] > 0x7f))
			return HTTP_NOT_FOR_P0F;
	if (off == HTTP_MAX_URL || off < (to_srv ? 14u : 13u))
		return HTTP_NOT_FOR_P0F;
	if (off == len)
		return HTTP_INCOMPLETE;
	if (to_srv) {
		sig = b + off - 8;
		if (b[off - 1] == '\r')
			sig--;
	} else
		sig = b;
	if (memcmp(sig, "HTTP/1.", 7) != 0)
		return HTTP_NOT_FOR_P0F;
	m->ver = sig[7] == '1';
	*pos = off + 1;
	return HTTP_OK;
}

enum http_parse http_msg_parse(const struct p0f_db *db, int to_srv,
    const uint8_t *b, size_t len, struct http_msg *m)
{
	enum http_parse rc;
	size_t off;

	/* All but the headers, which are filled in as far as nhdr says. */
	memset(m, 0, offsetof(struct http_msg, hdr));
	if ((rc = start_line(to_srv, b, len, m, &off)) != HTTP_OK)
		return rc;
	while (off < len) {
		struct http_hdr_seen *h;
		size_t name = off, nlen = 0, vstart, vlen = 0;

		if (b[off] == '\r' || b[off] == '\n')
			return HTTP_OK;
		if (m->nhdr >= HTTP_MAX_HDRS)
			return HTTP_NOT_FOR_P0F;
		while (off < len && is_name_char(b[off]) &&
		    nlen <= HTTP_MAX_HDR_NAME) {
			off++;
			nlen++;
		}
		if (off == len)
			return HTTP_INCOMPLETE;
		if (!nlen || b[off] != ':' || nlen > HTTP_MAX_HDR_NAME)
			return HTTP_NOT_FOR_P0F;
		off++;
		if (off < len && (b[off] == ' ' || b[off] == '\t'))
			off++;
		vstart = off;
		{
			/* To the '\n' or the end, at most one byte too far. */
			size_t lim = len - off < HTTP_MAX_HDR_VAL + 1 ?
			    len - off : HTTP_MAX_HDR_VAL + 1;
			const uint8_t *nl = memchr(b + off, '\n', lim);

			vlen = nl ? (size_t)(nl - (b + off)) : lim;
			off += vlen;
		}
		if (vlen > HTTP_MAX_HDR_VAL)
			return HTTP_NOT_FOR_P0F;
		if (off == len)
			return HTTP_INCOMPLETE;
		if (b[off - 1] == '\r' && vlen)
			vlen--;
		h = &m->hdr[m->nhdr++];
		h->id = hdr_id(&db->http, (const char *)b + name, nlen);
		if (h->id >= 0 && h->id < HTTP_FIRST_IDS) {
			if (!m->first[h->id])
				m->first[h->id] = (uint8_t)m->nhdr;
			else
				m->again = true;
			m->present |= 1ull << h->id;
		}
		h->name = b + name;
		h->nlen = (uint16_t)nlen;
		h->vlen = (uint16_t)vlen;
		h->val = vlen ? b + vstart : NULL;
		h->clen = 0;
		if (vlen) {
			const uint8_t *nul = memchr(h->val, 0, vlen);

			h->clen = (uint16_t)(nul ? (size_t)(nul - h->val) :
			    vlen);
			if (h->id == (to_srv ? HDR_UA : HDR_SERVER)) {
				m->sw = h->val;
				m->swlen = h->clen;	/* p0f's C string */
			} else if (to_srv && h->id == HDR_AL) {
				m->lang = h->val;
				m->langlen = h->vlen;
			} else if (h->id == HDR_VIA || h->id == HDR_XFF)
				m->via = h->val;
			else if (!to_srv && h->id == HDR_DATE)
				m->date = parse_date(h->val, h->vlen);
		}
		off++;
	}
	/*
	 * The block ended right after a header line.  A record's header block
	 * may leave out the blank line that ends it; as long as it was not cut
	 * at the 4 KiB limit it is complete.
	 */
	return len < 4096 && b[len - 1] == '\n' ? HTTP_OK : HTTP_INCOMPLETE;
}

/* The first header with this id at or after from, or m->nhdr. */
static inline unsigned find_hdr(const struct http_msg *m, int id,
    unsigned from)
{
	if (id >= 0 && id < HTTP_FIRST_IDS) {
		unsigned f = m->first[id];

		if (!f)
			return m->nhdr;
		if (f - 1 >= from)
			return f - 1;
		if (!m->again)
			return m->nhdr;
		/* Maybe a repeated header: look for the next one. */
	}
	while (from < m->nhdr && m->hdr[from].id != id)
		from++;
	return from;
}

static inline bool has_hdr(const struct http_msg *m, int id)
{
	return find_hdr(m, id, 0) < m->nhdr;
}

static bool sig_matches(const struct http_sig_rec *rs, const struct http_msg *m)
{
	unsigned th = 0;

	if (rs->ver != -1 && rs->ver != m->ver)
		return false;
	for (unsigned rh = 0; rh < rs->nhdr; rh++) {
		const struct http_sig_hdr *r = &rs->hdr[rh];
		unsigned at = find_hdr(m, r->id, th);

		if (at == m->nhdr) {
			if (!r->optional)
				return false;
			/* Missing is fine; out of order is not. */
			if (has_hdr(m, r->id))
				return false;
			continue;
		}
		th = at;
		if (r->value && (!m->hdr[th].val ||
		    !contains(m->hdr[th].val, m->hdr[th].clen, r->value,
		    r->value_len)))
			return false;
		th++;
	}
	for (unsigned i = 0; i < rs->nmiss; i++)
		if (has_hdr(m, rs->miss[i]))
			return false;
	return true;
}

void http_sig_match(const struct p0f_db *db, int to_srv,
    const struct http_msg *m, struct http_match *r)
{
	const struct http_sig_rec *gmatch = NULL;

	r->sig = NULL;
	r->dishonest = false;
	for (unsigned i = 0; i < db->http.n[to_srv]; i++) {
		const struct http_sig_rec *rs = &db->http.sig[to_srv][i];

		/*
		 * Most signatures are out at once: the message lacks a header
		 * they need, or has one they must not.
		 */
		if ((rs->need & ~m->present) || (rs->absent & m->present) ||
		    !sig_matches(rs, m))
			continue;
		if (!rs->label->generic) {
			r->sig = rs;
			break;
		}
		if (!gmatch)
			gmatch = rs;
	}
	if (!r->sig)
		r->sig = gmatch;
	if (r->sig && r->sig->sw && m->sw &&
	    !http_contains(m->sw, m->swlen, r->sig->sw))
		r->dishonest = true;
}

const char *http_msg_lang(const struct http_msg *m)
{
	const uint8_t *l = m->lang;

	if (!l || m->langlen < 2 || !isalpha(l[0]) || !isalpha(l[1]) ||
	    (m->langlen > 2 && isalpha(l[2])))
		return NULL;
	return p0f_language((const char *)l);
}

const struct ua_os *http_ua_os(const struct p0f_db *db, const uint8_t *ua,
    size_t len)
{
	for (unsigned i = 0; i < db->http.nua; i++)
		if (http_contains(ua, len, db->http.ua[i].text))
			return &db->http.ua[i];
	return NULL;
}

/* ---- raw signature text ---- */

#define ONES	0x0101010101010101ull
#define HIGHS	(ONES * 0x80)
/* Any byte of x below c (c at most 0x80), or zero. */
#define HAS_LESS(x, c)	(((x) - ONES * (c)) & ~(x) & HIGHS)
#define HAS_ZERO(x)	HAS_LESS(x, 1)

/*
 * The bytes of v p0f shows: printable ASCII (0x20 to 0x7f) up to a ']' or
 * end2.  User-Agent and Server values are long: eight bytes are checked
 * at a time until one of them stops the value.
 */
static size_t clean_len(const uint8_t *v, size_t n, uint8_t end2)
{
	size_t i = 0;

	for (; n - i >= 8; i += 8) {
		uint64_t x;

		memcpy(&x, v + i, 8);
		if ((x & HIGHS) | HAS_LESS(x, 0x20) |
		    HAS_ZERO(x ^ (ONES * ']')) | HAS_ZERO(x ^ (ONES * end2)))
			break;
	}
	while (i < n && (uint8_t)(v[i] - 0x20) < 0x60 && v[i] != ']' &&
	    v[i] != end2)
		i++;
	return i;
}

/* A value as p0f shows it: printable ASCII up to a ']' (or '|'). */
static void put_clean(struct out *o, const uint8_t *v, size_t n, bool bar,
    bool brackets)
{
	size_t i = clean_len(v, n < HTTP_MAX_SHOW ? n : HTTP_MAX_SHOW,
	    bar ? '|' : ']');

	if (!i)
		return;
	if (brackets)
		puts_(o, "=[");
	put(o, v, i);
	if (brackets)
		puts_(o, "]");
}

enum { HF_OPT_REQ = 1, HF_OPT_RESP = 2, HF_SKIP_REQ = 4, HF_SKIP_RESP = 8 };

static void flag(struct p0f_db *db, const char *const *list, uint8_t f)
{
	for (; *list; list++)
		db->http.hdr_flags[hdr_register(db, *list, strlen(*list))] |= f;
}

_Static_assert(HTTP_FIRST_IDS <= 64, "ids with a place in first[] have a bit");

/* Ids below HTTP_FIRST_IDS as bits, as in http_msg's present. */
static uint64_t id_bit(int id)
{
	return id >= 0 && id < HTTP_FIRST_IDS ? 1ull << id : 0;
}

void http_sigs_init(struct p0f_db *db)
{
	for (int i = 0; i < HDR_FIXED; i++)
		hdr_register(db, fixed_hdrs[i], strlen(fixed_hdrs[i]));
}

void http_sigs_finish(struct p0f_db *db)
{
	static const char *const *const common[2] = { resp_common, req_common };
	struct http_sigs *hs = &db->http;
	unsigned n = hs->nhdr_names + 64;

	/* What rules a signature out at once: see http_sig_match. */
	for (int d = 0; d < 2; d++)
		for (unsigned i = 0; i < hs->n[d]; i++) {
			struct http_sig_rec *rs = &hs->sig[d][i];

			for (unsigned h = 0; h < rs->nhdr; h++)
				if (!rs->hdr[h].optional)
					rs->need |= id_bit(rs->hdr[h].id);
			for (unsigned h = 0; h < rs->nmiss; h++)
				rs->absent |= id_bit(rs->miss[h]);
		}

	/* Register every listed name first: the flags array is sized once. */
	hs->hdr_flags = tsa_calloc(n, 1);
	flag(db, req_optional, HF_OPT_REQ);
	flag(db, resp_optional, HF_OPT_RESP);
	flag(db, req_skipval, HF_SKIP_REQ);
	flag(db, resp_skipval, HF_SKIP_RESP);
	for (int d = 0; d < 2; d++)
		for (const char *const *c = common[d]; *c; c++)
			hs->common[d][hs->ncommon[d]++] =
			    hdr_register(db, *c, strlen(*c));
	_Static_assert(sizeof req_common / sizeof *req_common <=
	    HTTP_MAX_COMMON + 1 && sizeof resp_common / sizeof *resp_common <=
	    HTTP_MAX_COMMON + 1, "room for the common headers' ids");
	index_headers(hs);
}

void http_sigs_free(struct http_sigs *hs)
{
	free(hs->sig[0]);
	free(hs->sig[1]);
	free(hs->hdr_names);
	free(hs->hdr_flags);
	free(hs->hdr_index);
	free(hs->hdr_len);
	free(hs->hdr_words);
	free(hs->ua);
}

size_t http_sig_format(const struct p0f_db *db, int to_srv,
    const struct http_msg *m, char *buf, size_t cap)
{
	struct out o = { buf, 0, cap };
	bool first = true;
	char ver[3] = { (char)('0' + m->ver), ':', 0 };

	if (cap)
		buf[0] = 0;
	puts_(&o, ver);
	for (unsigned i = 0; i < m->nhdr; i++) {
		const struct http_hdr_seen *h = &m->hdr[i];

		if (!first)
			puts_(&o, ",");
		first = false;
		if (h->id >= 0) {
			uint8_t f = db->http.hdr_flags[h->id];
			bool opt = f & (to_srv ? HF_OPT_REQ : HF_OPT_RESP);

			if (opt)
				puts_(&o, "?");
			puts_(&o, db->http.hdr_names[h->id]);
			if (h->val && !opt &&
			    !(f & (to_srv ? HF_SKIP_REQ : HF_SKIP_RESP)))
				put_clean(&o, h->val, h->vlen, true, true);
		} else {
			put(&o, h->name, h->nlen);
			if (h->val)
				put_clean(&o, h->val, h->vlen, false, true);
		}
	}
	puts_(&o, ":");
	first = true;
	for (unsigned c = 0; c < db->http.ncommon[to_srv]; c++) {
		int id = db->http.common[to_srv][c];

		if (has_hdr(m, id))
			continue;
		if (!first)
			puts_(&o, ",");
		first = false;
		puts_(&o, db->http.hdr_names[id]);
	}
	puts_(&o, ":");
	if (m->sw)
		put_clean(&o, m->sw, m->swlen, false, false);
	return o.len;
}
