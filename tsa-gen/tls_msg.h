/*
 * TLS 1.3 handshake records as they appear in the clear (ClientHello with
 * SNI, ServerHello, ChangeCipherSpec) and opaque application data records.
 */
#ifndef GEN_TLS_MSG_H
#define GEN_TLS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

/* Browser-like (ALPN h2) or library-like (no ALPN, fewer suites). */
size_t tls_client_hello(uint8_t *out, size_t cap, struct rng *r,
    const char *sni, int browser, uint8_t session_id[32]);
/* ServerHello echoing the session id, then ChangeCipherSpec. */
size_t tls_server_hello(uint8_t *out, size_t cap, struct rng *r,
    const uint8_t session_id[32]);
/* One application_data record of exactly len bytes (len > 5). */
size_t tls_app_data(uint8_t *out, size_t len, struct rng *r);

#endif
