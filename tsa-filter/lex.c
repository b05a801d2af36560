/*
 * Tokens of a filter expression.  Operators and brackets are punctuation;
 * everything else up to the next space or punctuation is one bare word, so
 * 10.0.0.0/8, 2001:db8::1, *.example.com and 2024-05-01T12:00:00Z need no
 * quotes.  Quotes (double or single) are for text with spaces or
 * punctuation in it.
 */
#include <stdio.h>
#include <string.h>

#include "expr.h"

void lex_init(struct lexer *lx, const char *s)
{
	lx->s = s;
	lx->pos = 0;
	lx->end = strlen(s);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Bytes that end a bare word. */
static bool is_punct(char c)
{
	return strchr("()[],\"'!=<>~&|", c) != NULL;
}

static const struct {
	const char *word;
	enum tok kind;
} keywords[] = {
	{"and", T_AND}, {"or", T_OR}, {"not", T_NOT}, {"has", T_HAS},
	{"in", T_IN},
};

int lex_next(struct lexer *lx, struct token *t, struct filter_error *err)
{
	const char *s = lx->s;
	while (lx->pos < lx->end && is_space(s[lx->pos]))
		lx->pos++;
	size_t p = lx->pos;
	t->col = (int)p + 1;
	t->text = s + p;
	t->len = 1;
	if (p >= lx->end) {
		t->kind = T_END;
		t->len = 0;
		return 0;
	}
	char c = s[p], c1 = p + 1 < lx->end ? s[p + 1] : '\0';
	switch (c) {
	case '(': t->kind = T_LPAREN; break;
	case ')': t->kind = T_RPAREN; break;
	case '[': t->kind = T_LBRACK; break;
	case ']': t->kind = T_RBRACK; break;
	case ',': t->kind = T_COMMA; break;
	case '~': t->kind = T_MATCH; break;
	case '<':
	case '>':
		t->kind = c == '<' ? (c1 == '=' ? T_LE : T_LT) :
		    (c1 == '=' ? T_GE : T_GT);
		t->len = c1 == '=' ? 2 : 1;
		break;
	case '=':
		if (c1 != '=') {
			err->col = t->col;
			snprintf(err->msg, sizeof err->msg,
			    "'=' is not an operator (did you mean '=='?)");
			return -1;
		}
		t->kind = T_EQ;
		t->len = 2;
		break;
	case '!':
		t->kind = c1 == '=' ? T_NE : c1 == '~' ? T_NMATCH : T_NOT;
		t->len = c1 == '=' || c1 == '~' ? 2 : 1;
		break;
	case '&':
	case '|':
		if (c1 != c) {
			err->col = t->col;
			snprintf(err->msg, sizeof err->msg,
			    "'%c' is not an operator (did you mean '%c%c' or '%s'?)",
			    c, c, c, c == '&' ? "and" : "or");
			return -1;
		}
		t->kind = c == '&' ? T_AND : T_OR;
		t->len = 2;
		break;
	case '"':
	case '\'':
		/* Scan to the closing quote; a backslash escapes one byte. */
		for (size_t q = p + 1; q < lx->end; q++) {
			if (s[q] == '\\' && q + 1 < lx->end) {
				q++;
			} else if (s[q] == c) {
				t->kind = T_STRING;
				t->len = q + 1 - p;
				lx->pos = q + 1;
				return 0;
			}
		}
		err->col = t->col;
		snprintf(err->msg, sizeof err->msg, "string has no closing %c", c);
		return -1;
	default: {
		size_t q = p;
		while (q < lx->end && !is_space(s[q]) && !is_punct(s[q]))
			q++;
		t->kind = T_WORD;
		t->len = q - p;
		for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++)
			if (strlen(keywords[k].word) == t->len &&
			    memcmp(keywords[k].word, t->text, t->len) == 0)
				t->kind = keywords[k].kind;
	}
	}
	lx->pos = p + t->len;
	return 0;
}
