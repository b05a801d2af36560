/*
 * Values in an expression.  The text of a value does not say what it will
 * be compared with (a record's "protocol" is text or a number; a user
 * stage's key could be anything), so each value is interpreted once, at
 * compile time, in every type it can stand for, and the evaluator picks the
 * interpretation matching the record's value.  A number is also a time (in
 * seconds since the epoch); text may also be an address or a time.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "util.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * A number of seconds is also a time; take it from the digits, not the
 * double, so 1700000000.5 is exactly half a second past.
 */
static void decimal_time(struct lit *l, const char *s, bool neg)
{
	int64_t sec = 0;
	uint32_t ns = 0, scale = 100000000;
	int n = 0;
	for (; is_digit(*s); s++)
		if (++n > 18)
			return;		/* beyond any timestamp */
		else
			sec = sec * 10 + (*s - '0');
	if (*s == '.')
		for (s++; is_digit(*s); s++, scale /= 10)
			ns += (uint32_t)(*s - '0') * scale;
	if (neg && ns > 0) {
		sec = -sec - 1;
		ns = 1000000000 - ns;
	} else if (neg) {
		sec = -sec;
	}
	l->has |= L_TIME;
	l->sec = sec;
	l->nsec = ns;
}

/* Decimal or 0x hex integers, decimal fractions with an exponent. */
static void parse_number(struct lit *l, const char *s)
{
	bool neg = *s == '-';
	const char *p = s + (*s == '-' || *s == '+');
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && is_hex(p[2])) {
		const char *q = p + 2;
		while (is_hex(*q))
			q++;
		if (*q != '\0')
			return;
		errno = 0;
		long long v = strtoll(s, NULL, 16);
		if (errno == 0) {
			l->has |= L_INT | L_NUM | L_TIME;
			l->i = l->sec = v;
			l->d = (double)v;
		}
		return;
	}
	/* [digits][.digits][e[sign]digits], with a digit somewhere before e */
	const char *q = p;
	bool digits = false, frac = false, exp = false;
	while (is_digit(*q))
		q++, digits = true;
	if (*q == '.') {
		frac = true;
		for (q++; is_digit(*q); q++)
			digits = true;
	}
	if (!digits)
		return;
	if (*q == 'e' || *q == 'E') {
		exp = true;
		q++;
		q += *q == '-' || *q == '+';
		if (!is_digit(*q))
			return;
		while (is_digit(*q))
			q++;
	}
	if (*q != '\0')
		return;
	errno = 0;
	double d = strtod(s, NULL);
	if (errno == ERANGE)
		return;
	l->has |= L_NUM;
	l->d = d;
	if (!frac && !exp) {
		errno = 0;
		long long v = strtoll(s, NULL, 10);
		if (errno == 0) {
			l->has |= L_INT;
			l->i = v;
		}
	}
	if (!exp) {
		decimal_time(l, p, neg);
	} else if (d > -9e18 && d < 9e18) {
		double f = floor(d);
		l->has |= L_TIME;
		l->sec = (int64_t)f;
		l->nsec = (uint32_t)((d - f) * 1e9);
		if (l->nsec > 999999999)
			l->nsec = 999999999;
	}
}

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int k = 0; k < n; k++) {
		if (!is_digit(s[k]))
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	return v;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/*
 * RFC 3339: 2024-05-01T12:00:00.5Z, 2024-05-01T14:00:00+02:00, or a bare
 * date (midnight).  Without an offset the time is UTC.
 */
bool parse_rfc3339(const char *s, int64_t *sec, uint32_t *nsec)
{
	int y = digits(s, 4), mo = -1, d = -1, h = 0, mi = 0, se = 0;
	uint32_t ns = 0;
	if (y < 0 || s[4] != '-' || (mo = digits(s + 5, 2)) < 1 || mo > 12 ||
	    s[7] != '-' || (d = digits(s + 8, 2)) < 1 ||
	    d > days_in_month(y, mo))
		return false;
	s += 10;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		if ((h = digits(s + 1, 2)) < 0 || h > 23 || s[3] != ':' ||
		    (mi = digits(s + 4, 2)) < 0 || mi > 59 || s[6] != ':' ||
		    (se = digits(s + 7, 2)) < 0 || se > 60)
			return false;
		s += 9;
		if (*s == '.') {
			if (!is_digit(s[1]))
				return false;
			uint32_t scale = 100000000;
			for (s++; is_digit(*s); s++, scale /= 10)
				ns += (uint32_t)(*s - '0') * scale;
		}
		int off = 0;
		if (*s == 'Z' || *s == 'z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			int oh = digits(s + 1, 2), om = -1;
			if (oh < 0 || oh > 23 || s[3] != ':' ||
			    (om = digits(s + 4, 2)) < 0 || om > 59)
				return false;
			off = (oh * 60 + om) * (*s == '-' ? -1 : 1);
			s += 6;
		}
		mi -= off;
	}
	if (*s != '\0')
		return false;
	*sec = tsa_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    (int64_t)h * 3600 + (int64_t)mi * 60 + se;
	*nsec = ns;
	return true;
}

void lit_init(struct lit *l, const struct token *t)
{
	memset(l, 0, sizeof *l);
	bool quoted = t->kind == T_STRING;
	const char *p = t->text + quoted;
	size_t n = t->len - 2 * quoted;
	l->str = tsa_malloc(n + 1);
	/* In quotes, \" \' and \\ stand for the byte; other backslashes stay
	   (they are glob escapes: "\*" matches a star). */
	for (size_t k = 0; k < n; k++) {
		if (quoted && p[k] == '\\' && k + 1 < n &&
		    (p[k + 1] == '\\' || p[k + 1] == '"' || p[k + 1] == '\''))
			k++;
		l->str[l->slen++] = p[k];
	}
	l->str[l->slen] = '\0';
	/* A bare number or true/false is only that: quote it to mean text. */
	if (!quoted) {
		parse_number(l, l->str);
		if (strcmp(l->str, "true") == 0 || strcmp(l->str, "false") == 0) {
			l->has |= L_BOOL;
			l->b = l->str[0] == 't';
		}
		if (l->has)
			return;
	}
	l->has |= L_STR;
	if (tsa_cidr_parse(l->str, &l->cidr))
		l->has |= L_CIDR;
	if (parse_rfc3339(l->str, &l->sec, &l->nsec))
		l->has |= L_TIME;
}

void lit_fold(struct lit *l)
{
	for (size_t k = 0; k < l->slen; k++)
		if (l->str[k] >= 'A' && l->str[k] <= 'Z')
			l->str[k] += 32;
}
