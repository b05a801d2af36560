/*
 * How tsa-gen writes bytes, declared once.  Wire formats are big-endian:
 * be16/be32 store a field at a fixed offset (frame headers, length fields
 * patched in later).  Messages whose length depends on their contents
 * (DNS, TLS, HTTP) and the capture file's output buffer are appended to a
 * struct wbuf instead.  A write that does not fit writes nothing and marks
 * the buffer over; every later write is dropped too, so a builder checks
 * once at the end (wb_len) rather than after every field.
 */
#ifndef GEN_WBUF_H
#define GEN_WBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void
be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v & 0xffff);
}

struct wbuf {
	uint8_t *p;
	size_t cap, len;
	int over;		/* a write did not fit */
};

static inline struct wbuf
wb_init(void *p, size_t cap)
{
	return (struct wbuf){ p, cap, 0, 0 };
}

/* The next n bytes, for the caller to fill, or NULL when over. */
static inline uint8_t *
wb_room(struct wbuf *w, size_t n)
{
	if (w->over || n > w->cap - w->len) {
		w->over = 1;
		return NULL;
	}
	w->len += n;
	return w->p + w->len - n;
}

static inline void
wb_put(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *p = wb_room(w, n);
	if (p && n)
		memcpy(p, src, n);
}

static inline void
wb_u8(struct wbuf *w, unsigned v)
{
	uint8_t *p = wb_room(w, 1);
	if (p)
		*p = (uint8_t)v;
}

static inline void
wb_u16(struct wbuf *w, unsigned v)
{
	uint8_t *p = wb_room(w, 2);
	if (p)
		be16(p, v);
}

static inline void
wb_u32(struct wbuf *w, uint32_t v)
{
	uint8_t *p = wb_room(w, 4);
	if (p)
		be32(p, v);
}

void wb_printf(struct wbuf *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A big-endian length field of n bytes (1 to 4) whose value is known only
 * later: wb_mark reserves it, wb_patch fills in the number of bytes
 * written after it since.
 */
size_t wb_mark(struct wbuf *w, int n);
void wb_patch(struct wbuf *w, size_t at, int n);

/* The length written, or 0 if anything did not fit. */
static inline size_t
wb_len(const struct wbuf *w)
{
	return w->over ? 0 : w->len;
}

#endif
