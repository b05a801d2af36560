/*
 * HTTP/1.1 messages as real clients and servers lay them out: the header
 * order of each program is what p0f 3.09b's [http:request] and
 * [http:response] signatures recognise.
 */
#ifndef GEN_HTTP_MSG_H
#define GEN_HTTP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

enum http_client {
	UA_FIREFOX, UA_CHROME, UA_MSIE, UA_SAFARI, UA_SAFARI_IOS, UA_CHROME_ANDROID,
	UA_CURL, UA_WGET, UA_COUNT
};
enum http_server { SRV_APACHE, SRV_NGINX, SRV_IIS, SRV_COUNT };
enum http_method { M_GET, M_HEAD, M_POST };

extern const char *const http_client_label[UA_COUNT];	/* p0f's app */
extern const char *const http_server_label[SRV_COUNT];

#define N_LANGS 12

/* What one request asks for; everything else follows from the seed. */
struct http_req {
	uint8_t client;		/* enum http_client */
	uint8_t os;		/* enum os_id of the client, for the U-A */
	uint8_t lang;		/* Accept-Language choice */
	uint8_t method;
	uint16_t port;		/* server port: other than 80 goes in Host */
	uint32_t seed;		/* picks path, referer, body */
};

struct http_resp {
	uint8_t server;		/* enum http_server */
	uint8_t os;		/* enum os_id it runs on */
	uint8_t head;		/* answer to HEAD: headers only */
	uint16_t status;
	uint32_t body_len;
	uint32_t seed;		/* picks content type, ETag, body */
	uint32_t build;		/* the server's version: fixed per server */
	int64_t date;		/* seconds since the epoch */
};

/* Render into out (cap bytes); returns the length, or 0 if it didn't fit. */
size_t http_request(char *out, size_t cap, const struct http_req *q,
    const char *host);
/* Only the header block; the body is http_body(). */
size_t http_response_head(char *out, size_t cap, const struct http_resp *p);
/* Body bytes [off, off+len) of a response: HTML-looking text. */
void http_body(uint8_t *out, size_t off, size_t len, uint32_t seed);

#endif
