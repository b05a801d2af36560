/*
 * Packing the record map without knowing its size in advance: three bytes
 * are reserved for a map16 (or array16) header, and when the container is
 * closed a small one is compacted to the canonical one-byte form, so the
 * output is what a msgpack packer would write.
 */
#include <string.h>

#include "pkt.h"

static size_t reserve3(struct mp_buf *b)
{
	size_t at = b->len;

	mp_buf_reserve(b, 3);
	b->len += 3;
	return at;
}

/* Write the header for n items at start; fix (0x80 or 0x90) or 16-bit
   (0xde or 0xdc) form. */
static void close3(struct mp_buf *b, size_t start, uint32_t n, uint8_t fix,
    uint8_t big)
{
	uint8_t *h = b->p + start;

	if (n < 16) {
		h[0] = (uint8_t)(fix | n);
		memmove(h + 1, h + 3, b->len - start - 3);
		b->len -= 2;
	} else {
		if (n > 0xffff)	/* cannot happen: callers stop well before */
			n = 0xffff;
		h[0] = big;
		h[1] = (uint8_t)(n >> 8);
		h[2] = (uint8_t)n;
	}
}

void rec_begin(struct rec *r, struct mp_buf *b)
{
	r->b = b;
	r->n = 0;
	r->start = reserve3(b);
}

void rec_end(struct rec *r)
{
	close3(r->b, r->start, r->n, 0x80, 0xde);
}

void rec_arr_begin(struct rec *r, struct rec_arr *a, const char *key, size_t n)
{
	a->key_at = r->b->len;
	rec_key(r, key, n);
	a->start = reserve3(r->b);
	a->n = 0;
}

/* An empty array is dropped with its key: a field that does not apply is
   absent. */
void rec_arr_end(struct rec *r, struct rec_arr *a)
{
	if (a->n == 0) {
		r->b->len = a->key_at;
		r->n--;
		return;
	}
	close3(r->b, a->start, a->n, 0x90, 0xdc);
}
