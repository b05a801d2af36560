/*
 * State shared by the decoder's layers while one frame is decoded, and the
 * helpers that pack the record's map.  Internal to tsa-capture.
 */
#ifndef TSA_CAPTURE_PKT_H
#define TSA_CAPTURE_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "decode.h"
#include "mp.h"

/* The record being packed: a map whose pair count is fixed up at the end. */
struct rec {
	struct mp_buf *b;
	size_t start;		/* offset of the map header */
	uint32_t n;		/* pairs so far */
};

/* An array value whose element count is fixed up at the end. */
struct rec_arr {
	size_t key_at;		/* where its key starts, to drop an empty array */
	size_t start;
	uint32_t n;
};

struct pkt {
	struct rec rec;
	struct frag_table *frags;	/* reassembly, or NULL */
	int flags;		/* DEC_* */
	int64_t sec;
	uint32_t nsec;
	uint32_t wirelen;
	const uint8_t *l3;	/* the IP header */
	/* Filled by the layers for the keys packed last. */
	const uint8_t *tcp_hdr_end;	/* SYN/SYN-ACK: end of the TCP header */
	const uint8_t *http_hdr;	/* HTTP over TCP: the header block */
	size_t http_hdr_len;
};

/* Inline packers for the values every record has (the library's are calls). */
static inline void put_uint(struct mp_buf *b, uint64_t v)
{
	uint8_t *d = mp_buf_reserve(b, 3);

	if (v < 128) {
		d[0] = (uint8_t)v;
		b->len++;
	} else if (v < 256) {
		d[0] = 0xcc;
		d[1] = (uint8_t)v;
		b->len += 2;
	} else if (v < 65536) {
		d[0] = 0xcd;
		d[1] = (uint8_t)(v >> 8);
		d[2] = (uint8_t)v;
		b->len += 3;
	} else
		mp_put_uint(b, v);
}

/* A string literal: its length is a constant, mp_put_str's test folds away. */
#define PUT_LIT(b, s) mp_put_str((b), (s), sizeof(s) - 1)

/* Keys are string literals shorter than 32 bytes (msgpack fixstr). */
#define KEY(k, s) rec_key(&(k)->rec, (s), sizeof(s) - 1)
static inline struct mp_buf *rec_key(struct rec *r, const char *key, size_t n)
{
	mp_put_str(r->b, key, n);
	r->n++;
	return r->b;
}

/*
 * The hot path packs through a local cursor into room reserved once: with
 * byte stores through the buffer itself the compiler must reload its
 * fields after every store.  Each returns the cursor moved past what it
 * wrote, always in msgpack's smallest form.
 */
#define CUR_KEY(d, s) cur_str((d), (s), sizeof(s) - 1)
static inline uint8_t *cur_str(uint8_t *d, const char *s, size_t n)	/* n < 32 */
{
	*d++ = (uint8_t)(0xa0 | n);
	memcpy(d, s, n);
	return d + n;
}

static inline uint8_t *cur_be(uint8_t *d, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--)
		*d++ = (uint8_t)(v >> (8 * i));
	return d;
}

static inline uint8_t *cur_uint(uint8_t *d, uint32_t v)
{
	if (v < 128) {
		*d++ = (uint8_t)v;
		return d;
	}
	if (v < 256) {
		*d++ = 0xcc;
		*d++ = (uint8_t)v;
		return d;
	}
	if (v < 65536) {
		*d++ = 0xcd;
		return cur_be(d, v, 2);
	}
	*d++ = 0xce;
	return cur_be(d, v, 4);
}

static inline uint8_t *cur_bin8(uint8_t *d, const void *p, size_t n)	/* n < 256 */
{
	*d++ = 0xc4;
	*d++ = (uint8_t)n;
	memcpy(d, p, n);
	return d + n;
}

/* A timestamp extension: the 32-, 64- or 96-bit form. */
static inline uint8_t *cur_time(uint8_t *d, int64_t sec, uint32_t nsec)
{
	uint64_t v = (uint64_t)nsec << 34 | (uint64_t)sec;

	if (sec < 0 || (uint64_t)sec >> 34) {
		*d++ = 0xc7;
		*d++ = 12;
		*d++ = 0xff;
		d = cur_be(d, nsec, 4);
		return cur_be(d, (uint64_t)sec, 8);
	}
	/* two calls with constant widths: each becomes a byte swap and a store */
	if (v >> 32) {
		*d++ = 0xd7;
		*d++ = 0xff;
		return cur_be(d, v, 8);
	}
	*d++ = 0xd6;
	*d++ = 0xff;
	return cur_be(d, v, 4);
}

/* Room rec_begin reserves: more than the keys any layer packs by cursor. */
#define REC_ROOM 512

void rec_begin(struct rec *r, struct mp_buf *b);
void rec_end(struct rec *r);
#define ARR_BEGIN(k, a, s) rec_arr_begin(&(k)->rec, (a), (s), sizeof(s) - 1)
void rec_arr_begin(struct rec *r, struct rec_arr *a, const char *key, size_t n);
void rec_arr_end(struct rec *r, struct rec_arr *a);

/*
 * A layer ran out of bytes: that is truncation when the frame was cut by
 * the snapshot length, otherwise the packet is malformed.
 */
static inline void pkt_short(struct pkt *k)
{
	if (!(k->flags & DEC_TRUNCATED))
		k->flags |= DEC_MALFORMED;
}

/* link.c: find the network layer.  Returns its EtherType (0x0800 or 0x86dd)
   and start, or 0 for a frame that carries no IP packet. */
uint16_t link_decode(struct pkt *k, int dlt, const uint8_t *p,
    const uint8_t *end, const uint8_t **l3);

/* ip.c: decode IPv4 or IPv6 at p; starts the record once the addresses are
   known.  Returns 0 when no record was started. */
int ip_decode(struct pkt *k, uint16_t ethertype, const uint8_t *p,
    const uint8_t *end);

/* transport.c: the layer above IP (proto), payload [p, end). */
void transport_decode(struct pkt *k, unsigned proto, const uint8_t *p,
    const uint8_t *end);

/* dns.c: one DNS message [msg, end). */
void dns_decode(struct pkt *k, const uint8_t *msg, const uint8_t *end);

/* http.c */
enum { HTTP_NONE, HTTP_REQUEST, HTTP_RESPONSE };
int http_start(const uint8_t *p, const uint8_t *end);
void http_decode(struct pkt *k, int kind, const uint8_t *p,
    const uint8_t *end, int tcp);

/* tls.c */
int tls_record_start(const uint8_t *p, const uint8_t *end);
void tls_decode(struct pkt *k, const uint8_t *p, const uint8_t *end);

/* text.c: bytes from the wire as a msgpack str that is valid UTF-8. */
size_t text_escape(char *out, size_t cap, const uint8_t *s, size_t n,
    int escape_dot);
void put_text(struct mp_buf *b, const uint8_t *s, size_t n);

#endif
