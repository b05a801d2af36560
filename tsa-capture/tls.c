/*
 * TLS: a segment that starts with a TLS record is "tls"; from a ClientHello
 * whose extensions are in this segment, the server name (SNI).
 */
#include "pkt.h"

/* Content type 20-24 (change_cipher_spec .. heartbeat), version 3.0 to 3.4,
   a length a record can have. */
int tls_record_start(const uint8_t *p, const uint8_t *end)
{
	if (end - p < 5)
		return 0;
	return p[0] >= 20 && p[0] <= 24 && p[1] == 3 && p[2] <= 4 &&
	    tsa_be16(p + 3) <= (1u << 14) + 2048;
}

/* Skip a vector with an n-byte length prefix; NULL if it does not fit. */
static const uint8_t *skip_vec(const uint8_t *p, const uint8_t *end, int n)
{
	size_t len;

	if (end - p < n)
		return NULL;
	len = n == 1 ? p[0] : tsa_be16(p);
	p += n;
	return (size_t)(end - p) < len ? NULL : p + len;
}

void tls_decode(struct pkt *k, const uint8_t *p, const uint8_t *end)
{
	const uint8_t *ext_end;
	size_t len;

	/* Records before the handshake (a TLS 1.3 client may send a
	   change_cipher_spec first) are skipped. */
	while (tls_record_start(p, end) && p[0] != 22) {
		len = tsa_be16(p + 3);
		if ((size_t)(end - p - 5) < len)
			return;
		p += 5 + len;
	}
	if (end - p < 9 || p[0] != 22 || p[5] != 1)	/* handshake, ClientHello */
		return;
	len = tsa_be16(p + 3);
	if ((size_t)(end - p - 5) > len)
		end = p + 5 + len;
	p += 9;			/* record header, handshake type and length */
	/* client_version, random, session_id, cipher_suites, compression */
	if (end - p < 34)
		return;
	p += 34;
	if ((p = skip_vec(p, end, 1)) == NULL || (p = skip_vec(p, end, 2)) == NULL ||
	    (p = skip_vec(p, end, 1)) == NULL || end - p < 2)
		return;
	len = tsa_be16(p);
	p += 2;
	/* Extensions past the segment's end are in the next one. */
	ext_end = (size_t)(end - p) < len ? end : p + len;
	while (ext_end - p >= 4) {
		unsigned type = tsa_be16(p);
		const uint8_t *e, *q;

		len = tsa_be16(p + 2);
		if ((size_t)(ext_end - p - 4) < len)
			return;
		e = p + 4 + len;
		if (type == 0) {	/* server_name: a list of (type, name) */
			if (len < 2)
				return;
			q = p + 6;

			while (e - q >= 3) {
				size_t n = tsa_be16(q + 1);

				if ((size_t)(e - q - 3) < n)
					return;
				if (q[0] == 0) {	/* host_name */
					put_text(KEY(k, "tls_sni"), q + 3, n);
					return;
				}
				q += 3 + n;
			}
			return;
		}
		p = e;
	}
}
