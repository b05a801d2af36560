/*
 * Building the text of a raw signature into a fixed buffer, sized for the
 * longest text p0f can print (HTTP_RAW_SIG_MAX): were it too short, the
 * text would be cut, never overrun.
 */
#ifndef TSA_P0F_SIGTEXT_H
#define TSA_P0F_SIGTEXT_H

#include <stddef.h>
#include <string.h>

struct out {
	char *p;
	size_t len, cap;	/* cap includes the terminating NUL */
};

static inline void put(struct out *o, const void *s, size_t n)
{
	if (o->len + 1 >= o->cap)
		return;
	if (n > o->cap - 1 - o->len)
		n = o->cap - 1 - o->len;
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = 0;
}

/*
 * A C string: the names and numbers of a signature are a few bytes each,
 * copied in one pass for less than strlen() and memcpy() calls cost.
 */
static inline void puts_(struct out *o, const char *s)
{
	char *d, *end;

	if (o->len + 1 >= o->cap)
		return;
	d = o->p + o->len;
	end = o->p + o->cap - 1;
	while (*s && d < end)
		*d++ = *s++;
	*d = 0;
	o->len = (size_t)(d - o->p);
}

#endif
