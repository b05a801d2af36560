/*
 * RFC 8446 framing.  Lengths are patched in after the contents are laid
 * out, so every record, handshake and extension length is consistent (as
 * tshark checks).  Keys and randoms are random bytes.
 */
#include <string.h>

#include "tls_msg.h"

struct w {
	uint8_t *p;
	size_t cap, len;
	int over;
};

static void
b(struct w *w, const void *src, size_t n)
{
	if (w->over || w->len + n > w->cap) {
		w->over = 1;
		return;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void
u8(struct w *w, unsigned v)
{
	uint8_t c = (uint8_t)v;
	b(w, &c, 1);
}

static void
u16(struct w *w, unsigned v)
{
	u8(w, v >> 8);
	u8(w, v);
}

/* Reserve an n-byte length field; patch() fills it with what follows. */
static size_t
mark(struct w *w, int n)
{
	size_t at = w->len;
	for (int i = 0; i < n; i++)
		u8(w, 0);
	return at;
}

static void
patch(struct w *w, size_t at, int n)
{
	if (w->over)
		return;
	size_t v = w->len - at - (size_t)n;
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		w->p[at + (size_t)i] = (uint8_t)v;
}

static void
rnd(struct w *w, struct rng *r, size_t n)
{
	if (w->over || w->len + n > w->cap) {
		w->over = 1;
		return;
	}
	rng_fill(r, w->p + w->len, n);
	w->len += n;
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
	struct w w = { out, cap, 0, 0 };
	size_t rec, hs, exts, e, l;
	size_t sni_len = strlen(sni);

	u8(&w, 22); u16(&w, 0x0301); rec = mark(&w, 2);
	u8(&w, 1); hs = mark(&w, 3);
	u16(&w, 0x0303);
	rnd(&w, r, 32);				/* random */
	rng_fill(r, session_id, 32);
	u8(&w, 32); b(&w, session_id, 32);	/* legacy session id */
	if (browser) {
		u16(&w, sizeof suites_browser);
		for (size_t i = 0; i < sizeof suites_browser / 2; i++)
			u16(&w, suites_browser[i]);
	} else {
		u16(&w, sizeof suites_lib);
		for (size_t i = 0; i < sizeof suites_lib / 2; i++)
			u16(&w, suites_lib[i]);
	}
	u8(&w, 1); u8(&w, 0);			/* compression: null */
	exts = mark(&w, 2);

	u16(&w, 0); e = mark(&w, 2);		/* server_name */
	l = mark(&w, 2); u8(&w, 0); u16(&w, (unsigned)sni_len);
	b(&w, sni, sni_len); patch(&w, l, 2); patch(&w, e, 2);
	u16(&w, 23); u16(&w, 0);		/* extended_master_secret */
	u16(&w, 0xff01); u16(&w, 1); u8(&w, 0);	/* renegotiation_info */
	u16(&w, 10); u16(&w, 8); u16(&w, 6);	/* supported_groups */
	u16(&w, 0x001d); u16(&w, 0x0017); u16(&w, 0x0018);
	u16(&w, 11); u16(&w, 2); u8(&w, 1); u8(&w, 0);	/* ec_point_formats */
	if (browser) {
		u16(&w, 35); u16(&w, 0);	/* session_ticket */
		u16(&w, 16); e = mark(&w, 2);	/* ALPN */
		l = mark(&w, 2);
		u8(&w, 2); b(&w, "h2", 2);
		u8(&w, 8); b(&w, "http/1.1", 8);
		patch(&w, l, 2); patch(&w, e, 2);
		u16(&w, 5); u16(&w, 5);		/* status_request: OCSP */
		u8(&w, 1); u16(&w, 0); u16(&w, 0);
	}
	u16(&w, 13); e = mark(&w, 2);		/* signature_algorithms */
	l = mark(&w, 2);
	for (size_t i = 0; i < sizeof sigalgs / 2; i++)
		u16(&w, sigalgs[i]);
	patch(&w, l, 2); patch(&w, e, 2);
	u16(&w, 51); e = mark(&w, 2);		/* key_share: x25519 */
	l = mark(&w, 2); u16(&w, 0x001d); u16(&w, 32); rnd(&w, r, 32);
	patch(&w, l, 2); patch(&w, e, 2);
	u16(&w, 45); u16(&w, 2); u8(&w, 1); u8(&w, 1);	/* psk_key_exchange_modes */
	u16(&w, 43); u16(&w, 5); u8(&w, 4);	/* supported_versions */
	u16(&w, 0x0304); u16(&w, 0x0303);

	patch(&w, exts, 2);
	patch(&w, hs, 3);
	patch(&w, rec, 2);
	return w.over ? 0 : w.len;
}

size_t
tls_server_hello(uint8_t *out, size_t cap, struct rng *r,
    const uint8_t session_id[32])
{
	struct w w = { out, cap, 0, 0 };
	size_t rec, hs, exts;

	u8(&w, 22); u16(&w, 0x0303); rec = mark(&w, 2);
	u8(&w, 2); hs = mark(&w, 3);
	u16(&w, 0x0303);
	rnd(&w, r, 32);
	u8(&w, 32); b(&w, session_id, 32);
	u16(&w, 0x1301);			/* TLS_AES_128_GCM_SHA256 */
	u8(&w, 0);
	exts = mark(&w, 2);
	u16(&w, 43); u16(&w, 2); u16(&w, 0x0304);	/* supported_versions */
	u16(&w, 51); u16(&w, 36); u16(&w, 0x001d); u16(&w, 32);
	rnd(&w, r, 32);				/* key_share */
	patch(&w, exts, 2);
	patch(&w, hs, 3);
	patch(&w, rec, 2);
	/* Middlebox-compatibility ChangeCipherSpec (RFC 8446 D.4). */
	u8(&w, 20); u16(&w, 0x0303); u16(&w, 1); u8(&w, 1);
	return w.over ? 0 : w.len;
}

size_t
tls_app_data(uint8_t *out, size_t len, struct rng *r)
{
	out[0] = 23;
	out[1] = 3;
	out[2] = 3;
	out[3] = (uint8_t)((len - 5) >> 8);
	out[4] = (uint8_t)(len - 5);
	rng_fill(r, out + 5, len - 5);
	return len;
}
