/*
 * HTTP/1.x start lines and the Host header, recognised by content on any
 * port.  A request is a known method followed by a space (the line may go
 * on in the next segment), or any token followed by a complete request line
 * ending in HTTP/n.n; a response starts with HTTP/n.n and a status code.
 */
#include <strings.h>

#include "pkt.h"

#define HEADER_MAX 4096		/* bytes of header block given to tsa-p0f */

/* Methods of HTTP, WebDAV, SSDP and friends, as protocol analyzers know them. */
#define M(s) { s, sizeof(s) - 1 }
static const struct { const char *s; size_t n; } methods[] = {
	M("GET"), M("PUT"), M("POST"), M("HEAD"), M("COPY"), M("LOCK"),
	M("MOVE"), M("POLL"), M("BCOPY"), M("BMOVE"), M("MKCOL"), M("TRACE"),
	M("PATCH"), M("LABEL"), M("MERGE"), M("DELETE"), M("SEARCH"),
	M("UNLOCK"), M("REPORT"), M("UPDATE"), M("NOTIFY"), M("BDELETE"),
	M("CONNECT"), M("OPTIONS"), M("CHECKIN"), M("PROPFIND"),
	M("CHECKOUT"), M("M-SEARCH"), M("CCM_POST"), M("SUBSCRIBE"),
	M("PROPPATCH"), M("BPROPFIND"), M("BPROPPATCH"), M("UNCHECKOUT"),
	M("MKACTIVITY"), M("MKWORKSPACE"), M("UNSUBSCRIBE"), M("RPC_CONNECT"),
	M("RPC_IN_DATA"), M("RPC_OUT_DATA"), M("VERSION-CONTROL"),
	M("BASELINE-CONTROL"), M("ORDERPATCH"), M("ACL"),
};
#undef M

/* RFC 9110 token characters. */
static int tchar(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c && c < 0x80 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* "HTTP/d.d" at p (n bytes available)? */
static int version(const uint8_t *p, size_t n)
{
	return n >= 8 && memcmp(p, "HTTP/", 5) == 0 && digit(p[5]) &&
	    p[6] == '.' && digit(p[7]);
}

static int known_method(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (methods[i].n == n && memcmp(methods[i].s, p, n) == 0)
			return 1;
	return 0;
}

int http_start(const uint8_t *p, const uint8_t *end)
{
	size_t n = (size_t)(end - p), i, t;

	/* Most segments are neither: binary data, TLS.  A start line begins
	   with a letter (methods are tokens, in practice upper case). */
	if (n == 0 || !((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')))
		return HTTP_NONE;
	if (n >= 12 && version(p, n) && p[8] == ' ' && digit(p[9]) &&
	    digit(p[10]) && digit(p[11]))
		return HTTP_RESPONSE;
	for (i = 0; i < n && i < 32 && tchar(p[i]); i++)
		;
	if (i == 0 || i == n)
		return HTTP_NONE;
	/* A known method may end the line: "OPTIONS\n" is a (bad) request. */
	if ((p[i] == ' ' || p[i] == '\r' || p[i] == '\n') && known_method(p, i))
		return HTTP_REQUEST;
	if (p[i] != ' ')
		return HTTP_NONE;
	/* Another token: only with the whole request line. */
	for (t = i + 1; t < n && p[t] > ' ' && p[t] < 0x7f; t++)
		;
	if (t == i + 1 || t == n || p[t] != ' ' || !version(p + t + 1, n - t - 1))
		return HTTP_NONE;
	t += 9;
	if (t < n && (p[t] == '\r' || p[t] == '\n'))
		return HTTP_REQUEST;
	return HTTP_NONE;
}

/* The end of the line at p (its LF or CRLF excluded), or NULL if the data
   ends first. */
static const uint8_t *line_end(const uint8_t *p, const uint8_t *end,
    const uint8_t **next)
{
	const uint8_t *lf = memchr(p, '\n', (size_t)(end - p));

	if (lf == NULL)
		return NULL;
	*next = lf + 1;
	return lf > p && lf[-1] == '\r' ? lf - 1 : lf;
}

static void request_line(struct pkt *k, const uint8_t *p, const uint8_t *end)
{
	const uint8_t *m = p, *u;

	while (p < end && *p != ' ' && *p != '\r' && *p != '\n')
		p++;
	put_text(KEY(k, "http_method"), m, (size_t)(p - m));
	if (p == end || *p != ' ')
		return;
	u = ++p;
	while (p < end && *p != ' ' && *p != '\r' && *p != '\n')
		p++;
	if (p < end && p > u)	/* a URI cut by the end of the segment is not shown */
		put_text(KEY(k, "http_uri"), u, (size_t)(p - u));
}

static void status_line(struct pkt *k, const uint8_t *p)
{
	put_uint(KEY(k, "http_status"),
	    (unsigned)(p[9] - '0') * 100 + (unsigned)(p[10] - '0') * 10 +
	    (unsigned)(p[11] - '0'));
}

void http_decode(struct pkt *k, int kind, const uint8_t *p,
    const uint8_t *end, int tcp)
{
	const uint8_t *line, *le, *next, *hdr_end = NULL;
	const uint8_t *limit = (size_t)(end - p) > HEADER_MAX ? p + HEADER_MAX : end;
	int want_host = kind == HTTP_REQUEST;	/* the first Host header counts */

	if (kind == HTTP_REQUEST) {
		PUT_LIT(KEY(k, "http_req_resp"), "request");
		request_line(k, p, end);
	} else {
		PUT_LIT(KEY(k, "http_req_resp"), "response");
		status_line(k, p);
	}
	/* Header lines up to the blank line. */
	for (line = p; (le = line_end(line, end, &next)) != NULL; line = next) {
		if (le == line && line != p) {
			hdr_end = next;
			break;
		}
		if (want_host && le - line > 5 &&
		    strncasecmp((const char *)line, "host:", 5) == 0) {
			const uint8_t *v = line + 5, *ve = le;

			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			put_text(KEY(k, "http_host"), v, (size_t)(ve - v));
			want_host = 0;
		}
		if (next >= limit)
			break;
	}
	if (tcp) {
		k->http_hdr = p;
		if (hdr_end == NULL || hdr_end > limit)
			hdr_end = limit;
		k->http_hdr_len = (size_t)(hdr_end - p);
	}
}
