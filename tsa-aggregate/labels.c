/*
 * Interned short strings: OS labels, OS classes and applications from
 * tsa-p0f.  There are a few hundred of them in p0f.fp, so a small fixed
 * table holds every one a stream can name; a full table answers LABEL_NONE
 * rather than growing.
 */
#include <stdlib.h>

#include "agg.h"

/* Keyed: the labels are whatever the stream says. */
static uint32_t hash(const uint8_t *s, size_t n)
{
	return (uint32_t)tsa_hash_bytes(s, n);
}

void labels_init(struct labels *l, uint32_t cap)
{
	memset(l, 0, sizeof *l);
	if (cap > 65535)
		cap = 65535;
	l->cap = cap;
	l->mask = 1;
	while (l->mask < 2 * cap)
		l->mask <<= 1;
	l->slots = tsa_calloc(l->mask, sizeof *l->slots);
	l->mask--;
	l->row = tsa_calloc(cap + 1, sizeof *l->row);
}

uint16_t labels_id(struct labels *l, const uint8_t *s, size_t n)
{
	uint32_t i;
	uint16_t id;

	if (n == 0)
		return LABEL_NONE;
	if (n > LABEL_MAX)
		n = LABEL_MAX;
	for (i = hash(s, n) & l->mask; (id = l->slots[i]) != 0; i = (i + 1) & l->mask)
		if (l->row[id].len == n && memcmp(l->row[id].str, s, n) == 0)
			return id;
	if (l->count >= l->cap)
		return LABEL_NONE;
	id = (uint16_t)++l->count;
	memcpy(l->row[id].str, s, n);
	l->row[id].len = (uint8_t)n;
	l->slots[i] = id;
	return id;
}

const char *labels_str(const struct labels *l, uint16_t id, size_t *n)
{
	if (id == LABEL_NONE || id > l->count) {
		*n = 0;
		return "";
	}
	*n = l->row[id].len;
	return l->row[id].str;
}
