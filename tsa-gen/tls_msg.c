/*
 * RFC 8446 framing.  Lengths are patched in after the contents are laid
 * out, so every record, handshake and extension length is consistent (as
 * tshark checks).  Keys and randoms are random bytes.
 */
#include <string.h>

#include "tls_msg.h"
#include "wbuf.h"

/* n random bytes; none, and nothing drawn from r, when they do not fit */
static void
rnd(struct wbuf *w, struct rng *r, size_t n)
{
	uint8_t *p = wb_room(w, n);
	if (p)
		rng_fill(r, p, n);
}

size_t
tls_client_hello(uint8_t *out, size_t cap, struct rng *r, const char *sni,
    int browser, uint8_t session_id[32])
{
	static const uint16_t suites_browser[] = {
		0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
		0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
	};
	static const uint16_t suites_lib[] = {
		0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0xc02b, 0xc02f, 0x009f,
	};
	static const uint16_t sigalgs[] = {
		0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601,
	};
	struct wbuf w = wb_init(out, cap);
	size_t rec, hs, exts, e, l;
	size_t sni_len = strlen(sni);

	wb_u8(&w, 22); wb_u16(&w, 0x0301); rec = wb_mark(&w, 2);
	wb_u8(&w, 1); hs = wb_mark(&w, 3);
	wb_u16(&w, 0x0303);
	rnd(&w, r, 32);				/* random */
	rng_fill(r, session_id, 32);
	/* legacy session id */
	wb_u8(&w, 32); wb_put(&w, session_id, 32);
	if (browser) {
		wb_u16(&w, sizeof suites_browser);
		for (size_t i = 0; i < sizeof suites_browser / 2; i++)
			wb_u16(&w, suites_browser[i]);
	} else {
		wb_u16(&w, sizeof suites_lib);
		for (size_t i = 0; i < sizeof suites_lib / 2; i++)
			wb_u16(&w, suites_lib[i]);
	}
	wb_u8(&w, 1); wb_u8(&w, 0);		/* compression: null */
	exts = wb_mark(&w, 2);

	wb_u16(&w, 0); e = wb_mark(&w, 2);	/* server_name */
	l = wb_mark(&w, 2); wb_u8(&w, 0); wb_u16(&w, (unsigned)sni_len);
	wb_put(&w, sni, sni_len); wb_patch(&w, l, 2); wb_patch(&w, e, 2);
	/* extended_master_secret */
	wb_u16(&w, 23); wb_u16(&w, 0);
	/* renegotiation_info */
	wb_u16(&w, 0xff01); wb_u16(&w, 1); wb_u8(&w, 0);
	/* supported_groups */
	wb_u16(&w, 10); wb_u16(&w, 8); wb_u16(&w, 6);
	wb_u16(&w, 0x001d); wb_u16(&w, 0x0017); wb_u16(&w, 0x0018);
	/* ec_point_formats */
	wb_u16(&w, 11); wb_u16(&w, 2); wb_u8(&w, 1); wb_u8(&w, 0);
	if (browser) {
		wb_u16(&w, 35); wb_u16(&w, 0);	/* session_ticket */
		wb_u16(&w, 16); e = wb_mark(&w, 2);	/* ALPN */
		l = wb_mark(&w, 2);
		wb_u8(&w, 2); wb_put(&w, "h2", 2);
		wb_u8(&w, 8); wb_put(&w, "http/1.1", 8);
		wb_patch(&w, l, 2); wb_patch(&w, e, 2);
		wb_u16(&w, 5); wb_u16(&w, 5);	/* status_request: OCSP */
		wb_u8(&w, 1); wb_u16(&w, 0); wb_u16(&w, 0);
	}
	/* signature_algorithms */
	wb_u16(&w, 13); e = wb_mark(&w, 2);
	l = wb_mark(&w, 2);
	for (size_t i = 0; i < sizeof sigalgs / 2; i++)
		wb_u16(&w, sigalgs[i]);
	wb_patch(&w, l, 2); wb_patch(&w, e, 2);
	/* key_share: x25519 */
	wb_u16(&w, 51); e = wb_mark(&w, 2);
	l = wb_mark(&w, 2); wb_u16(&w, 0x001d); wb_u16(&w, 32);
	rnd(&w, r, 32);
	wb_patch(&w, l, 2); wb_patch(&w, e, 2);
	/* psk_key_exchange_modes */
	wb_u16(&w, 45); wb_u16(&w, 2); wb_u8(&w, 1); wb_u8(&w, 1);
	/* supported_versions */
	wb_u16(&w, 43); wb_u16(&w, 5); wb_u8(&w, 4);
	wb_u16(&w, 0x0304); wb_u16(&w, 0x0303);

	wb_patch(&w, exts, 2);
	wb_patch(&w, hs, 3);
	wb_patch(&w, rec, 2);
	return wb_len(&w);
}

size_t
tls_server_hello(uint8_t *out, size_t cap, struct rng *r,
    const uint8_t session_id[32])
{
	struct wbuf w = wb_init(out, cap);
	size_t rec, hs, exts;

	wb_u8(&w, 22); wb_u16(&w, 0x0303); rec = wb_mark(&w, 2);
	wb_u8(&w, 2); hs = wb_mark(&w, 3);
	wb_u16(&w, 0x0303);
	rnd(&w, r, 32);
	wb_u8(&w, 32); wb_put(&w, session_id, 32);
	wb_u16(&w, 0x1301);			/* TLS_AES_128_GCM_SHA256 */
	wb_u8(&w, 0);
	exts = wb_mark(&w, 2);
	/* supported_versions */
	wb_u16(&w, 43); wb_u16(&w, 2); wb_u16(&w, 0x0304);
	wb_u16(&w, 51); wb_u16(&w, 36); wb_u16(&w, 0x001d); wb_u16(&w, 32);
	rnd(&w, r, 32);				/* key_share */
	wb_patch(&w, exts, 2);
	wb_patch(&w, hs, 3);
	wb_patch(&w, rec, 2);
	/* Middlebox-compatibility ChangeCipherSpec (RFC 8446 D.4). */
	wb_u8(&w, 20); wb_u16(&w, 0x0303); wb_u16(&w, 1); wb_u8(&w, 1);
	return wb_len(&w);
}

size_t
tls_app_data(uint8_t *out, size_t len, struct rng *r)
{
	out[0] = 23;
	out[1] = 3;
	out[2] = 3;
	be16(out + 3, (unsigned)(len - 5));
	rng_fill(r, out + 5, len - 5);
	return len;
}
