/*
 * Glob matching with one saved position: every element but '*' consumes
 * exactly one byte, so on a mismatch it is enough to let the most recent
 * '*' swallow one more byte and retry from just after it (earlier stars
 * never need to be revisited).  That bounds the work by pattern length times
 * subject length, whatever the pattern.
 */
#include <stdlib.h>
#include <string.h>

#include "glob.h"
#include "util.h"

enum { G_BYTE, G_ANY, G_SET, G_STAR };

struct gel {
	uint8_t kind;
	uint8_t c;		/* G_BYTE: the byte (folded when matching folds) */
	uint32_t set;		/* G_SET: index into sets */
};

struct glob {
	bool fold;
	size_t n;
	struct gel *el;
	uint64_t (*sets)[4];	/* 256-bit byte sets */
};

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static void set_add(uint64_t *set, uint8_t c, bool fold)
{
	set[c >> 6] |= 1ull << (c & 63);
	if (fold && c >= 'a' && c <= 'z')
		set_add(set, c - 32, false);
	else if (fold && c >= 'A' && c <= 'Z')
		set_add(set, c + 32, false);
}

/* Parse a [...] class starting after '['; returns the index past ']' or 0. */
static size_t parse_set(const char *pat, size_t i, size_t n, uint64_t *set,
    bool fold)
{
	bool neg = false;
	if (i < n && (pat[i] == '!' || pat[i] == '^')) {
		neg = true;
		i++;
	}
	/* A ']' first in the class is a member, as in fnmatch. */
	for (bool first = true; i < n && (first || pat[i] != ']'); first = false) {
		uint8_t lo = (uint8_t)pat[i++];
		if (lo == '\\' && i < n)
			lo = (uint8_t)pat[i++];
		uint8_t hi = lo;
		if (i + 1 < n && pat[i] == '-' && pat[i + 1] != ']') {
			i++;
			hi = (uint8_t)pat[i++];
			if (hi == '\\' && i < n)
				hi = (uint8_t)pat[i++];
		}
		for (unsigned c = lo; c <= hi; c++)
			set_add(set, (uint8_t)c, fold);
	}
	if (i >= n)
		return 0;	/* no closing ']' */
	if (neg)
		for (int k = 0; k < 4; k++)
			set[k] = ~set[k];
	return i + 1;
}

struct glob *glob_compile(const char *pat, size_t n, bool fold,
    const char **why)
{
	struct glob *g = tsa_calloc(1, sizeof *g);
	g->fold = fold;
	g->el = tsa_calloc(n ? n : 1, sizeof *g->el);
	g->sets = tsa_calloc(n ? n : 1, sizeof *g->sets);
	size_t nsets = 0;
	for (size_t i = 0; i < n;) {
		struct gel *e = &g->el[g->n];
		char c = pat[i++];
		if (c == '*') {
			/* "**" means the same as "*"; keep one. */
			if (g->n > 0 && e[-1].kind == G_STAR)
				continue;
			e->kind = G_STAR;
		} else if (c == '?') {
			e->kind = G_ANY;
		} else if (c == '[') {
			size_t next = parse_set(pat, i, n, g->sets[nsets], fold);
			if (next == 0) {
				*why = "unclosed '[' in the pattern";
				glob_free(g);
				return NULL;
			}
			i = next;
			e->kind = G_SET;
			e->set = (uint32_t)nsets++;
		} else {
			if (c == '\\' && i < n)
				c = pat[i++];
			e->kind = G_BYTE;
			e->c = fold ? lower((uint8_t)c) : (uint8_t)c;
		}
		g->n++;
	}
	return g;
}

static bool one(const struct glob *g, const struct gel *e, uint8_t c)
{
	switch (e->kind) {
	case G_BYTE:
		return e->c == (g->fold ? lower(c) : c);
	case G_ANY:
		return true;
	case G_SET:
		return g->sets[e->set][c >> 6] >> (c & 63) & 1;
	}
	return false;
}

bool glob_match(const struct glob *g, const uint8_t *s, size_t n)
{
	size_t pi = 0, si = 0;
	size_t star_p = SIZE_MAX, star_s = 0;
	while (si < n) {
		if (pi < g->n && g->el[pi].kind == G_STAR) {
			star_p = ++pi;
			star_s = si;
		} else if (pi < g->n && one(g, &g->el[pi], s[si])) {
			pi++;
			si++;
		} else if (star_p != SIZE_MAX) {
			pi = star_p;
			si = ++star_s;
		} else {
			return false;
		}
	}
	while (pi < g->n && g->el[pi].kind == G_STAR)
		pi++;
	return pi == g->n;
}

void glob_free(struct glob *g)
{
	if (!g)
		return;
	free(g->el);
	free(g->sets);
	free(g);
}
