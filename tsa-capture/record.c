/*
 * Packing the record map and its arrays without knowing their sizes in
 * advance.  Headers are fixed up when the container is closed, always in
 * the canonical (smallest) form, so the output is what a msgpack packer
 * would write.
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

/* Arrays reserve three bytes: write the header for n items at start, and
   compact a small one to its one-byte form. */
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

/*
 * A record reserves one byte, enough for the map header of up to 15 pairs,
 * which is most records; a larger one is moved up by two bytes at the end.
 * Room for a typical record is reserved at once so that the packers' own
 * checks never have to grow the buffer.
 */
void rec_begin(struct rec *r, struct mp_buf *b)
{
	r->b = b;
	r->n = 0;
	r->start = b->len;
	mp_buf_reserve(b, REC_ROOM);
	b->len++;
}

void rec_end(struct rec *r)
{
	struct mp_buf *b = r->b;
	uint8_t *h;

	if (r->n < 16) {
		b->p[r->start] = (uint8_t)(0x80 | r->n);
		return;
	}
	mp_buf_reserve(b, 2);
	h = b->p + r->start;
	memmove(h + 3, h + 1, b->len - r->start - 1);
	b->len += 2;
	h[0] = 0xde;
	h[1] = (uint8_t)(r->n >> 8);
	h[2] = (uint8_t)r->n;
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
