/* The longer writers of wbuf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wbuf.h"

void
wb_printf(struct wbuf *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf((char *)w->p + w->len, w->cap - w->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= w->cap - w->len)
		w->over = 1;
	else
		w->len += (size_t)n;
}

size_t
wb_mark(struct wbuf *w, int n)
{
	size_t at = w->len;
	uint8_t *p = wb_room(w, (size_t)n);
	if (p)
		memset(p, 0, (size_t)n);
	return at;
}

void
wb_patch(struct wbuf *w, size_t at, int n)
{
	if (w->over)
		return;
	size_t v = w->len - at - (size_t)n;
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		w->p[at + (size_t)i] = (uint8_t)v;
}
