/*
 * Recursive descent over the grammar in tsa-filter.1:
 *
 *   expr       = and { ("or" | "||") and }
 *   and        = unary { ("and" | "&&") unary }
 *   unary      = ("not" | "!") unary | primary
 *   primary    = "(" expr ")" | "has" FIELD | FIELD OP values
 *   values     = value | "[" value { "," value } "]"
 *
 * so "not" binds tighter than "and", which binds tighter than "or".  Every
 * error names the column of the token where the parse went wrong.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "glob.h"
#include "util.h"

struct parser {
	struct lexer lx;
	struct token tok, prev;
	struct filter *f;
	struct filter_error *err;
	int depth;
	size_t capnodes, capkids, caplits;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	p->err->col = col;
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* A token quoted for a message: 'x', or "the end of the expression". */
static const char *show(const struct token *t, char buf[64])
{
	if (t->kind == T_END)
		return "the end of the expression";
	if (t->len > 40)
		snprintf(buf, 64, "'%.37s...'", t->text);
	else
		snprintf(buf, 64, "'%.*s'", (int)t->len, t->text);
	return buf;
}

static int advance(struct parser *p)
{
	p->prev = p->tok;
	return lex_next(&p->lx, &p->tok, p->err);
}

static int new_node(struct parser *p, enum node_kind kind)
{
	struct filter *f = p->f;
	if (f->nnodes == p->capnodes) {
		p->capnodes = p->capnodes ? 2 * p->capnodes : 16;
		f->nodes = tsa_realloc(f->nodes, p->capnodes * sizeof *f->nodes);
	}
	memset(&f->nodes[f->nnodes], 0, sizeof *f->nodes);
	f->nodes[f->nnodes].kind = (uint8_t)kind;
	return (int)f->nnodes++;
}

static bool is_field_name(const struct token *t)
{
	if (t->kind != T_WORD)
		return false;
	for (size_t k = 0; k < t->len; k++) {
		char c = t->text[k];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (k > 0 && c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/* The key and what scan_record compares first. */
static int add_key(struct filter *f, char *key)
{
	size_t n = strlen(key);
	f->keys[f->nkeys] = key;
	f->klen[f->nkeys] = (uint32_t)n;
	f->khead[f->nkeys] = 0;
	if (n >= 8)
		memcpy(&f->khead[f->nkeys], key, 8);
	f->klen_mask |= 1ull << (n & 63);
	return f->nkeys++;
}

/* The index of the field in keys[], adding it on first use. */
static int intern(struct parser *p, const struct token *t)
{
	struct filter *f = p->f;
	if (t->len == 4 && memcmp(t->text, "type", 4) == 0)
		return fail(p, t->col, "records with 'type' (stats, snapshots, "
		    "alerts) are not filtered: they always pass");
	for (int k = 1; k < f->nkeys; k++)
		if (f->klen[k] == t->len &&
		    memcmp(f->keys[k], t->text, t->len) == 0)
			return k;
	if (f->nkeys == FILTER_MAX_KEYS)
		return fail(p, t->col, "more than %d different fields",
		    FILTER_MAX_KEYS - 1);
	return add_key(f, tsa_strndup(t->text, t->len));
}

static int parse_or(struct parser *p);

/* Check a value against what the field holds, then keep it. */
static int value(struct parser *p, const struct token *field,
    struct field_info fi, const struct token *op, enum cmp_op cop)
{
	char b1[64], b2[64];
	if (p->tok.kind != T_WORD && p->tok.kind != T_STRING)
		return fail(p, p->tok.col, "expected a value after %s",
		    show(&p->prev, b1));
	struct lit l;
	lit_init(&l, &p->tok);
	const char *bad = NULL;
	switch (fi.type) {
	case F_NUM:
		if (!(l.has & L_NUM))
			bad = "is not a number";
		break;
	case F_ADDR:
		if (!(l.has & L_CIDR))
			bad = "is not an address or CIDR block";
		break;
	case F_TIME:
		if (!(l.has & L_TIME))
			bad = "is not an RFC 3339 time or a number of seconds";
		break;
	case F_BOOL:
		if (!(l.has & L_BOOL))
			bad = "is not true or false";
		break;
	case F_STR:
		if (!(l.has & L_STR))
			bad = "is not text: quote it";
		break;
	case F_BIN: case F_ANY:
		break;
	}
	if (bad) {
		free(l.str);
		if (fi.type == F_BOOL)
			return fail(p, p->tok.col, "%s %s", show(&p->tok, b1),
			    bad);
		return fail(p, p->tok.col, "%s %s (%.*s holds %s)",
		    show(&p->tok, b1), bad, (int)field->len, field->text,
		    ftype_name(fi.type));
	}
	if (fi.fold)
		lit_fold(&l);
	if (cop == OP_MATCH && !(l.has & L_STR)) {
		free(l.str);
		return fail(p, p->tok.col, "%s matches text: quote %s",
		    show(op, b2), show(&p->tok, b1));
	}
	if (cop == OP_MATCH) {
		const char *why;
		l.glob = glob_compile(l.str, l.slen, fi.fold, &why);
		if (!l.glob) {
			free(l.str);
			return fail(p, p->tok.col, "%s after %s", why,
			    show(op, b2));
		}
	}
	struct filter *f = p->f;
	if (f->nlits == p->caplits) {
		p->caplits = p->caplits ? 2 * p->caplits : 16;
		f->lits = tsa_realloc(f->lits, p->caplits * sizeof *f->lits);
	}
	f->lits[f->nlits++] = l;
	return advance(p);
}

static const struct {
	enum tok tok;
	enum cmp_op op;
	bool neg, list;
} ops[] = {
	{T_EQ, OP_EQ, false, true}, {T_NE, OP_EQ, true, true},
	{T_IN, OP_EQ, false, true}, {T_MATCH, OP_MATCH, false, true},
	{T_NMATCH, OP_MATCH, true, true},
	{T_LT, OP_LT, false, false}, {T_LE, OP_LE, false, false},
	{T_GT, OP_GT, false, false}, {T_GE, OP_GE, false, false},
};

/* FIELD OP values */
static int comparison(struct parser *p)
{
	char b1[64], b2[64];
	struct token field = p->tok;
	int key = intern(p, &field);
	if (key < 0 || advance(p) < 0)
		return -1;
	struct token op = p->tok;
	size_t k = 0;
	while (k < sizeof ops / sizeof *ops && ops[k].tok != op.kind)
		k++;
	if (k == sizeof ops / sizeof *ops)
		return fail(p, op.col, "expected an operator after %s, found %s",
		    show(&field, b1), show(&op, b2));
	struct field_info fi = field_lookup(field.text, field.len);
	enum cmp_op cop = ops[k].op;
	if (fi.type == F_BIN)
		return fail(p, op.col, "%s holds raw bytes: only 'has' applies",
		    show(&field, b1));
	if (cop == OP_MATCH && fi.type != F_STR && fi.type != F_ANY)
		return fail(p, op.col, "%s matches text, and %.*s holds %s",
		    show(&op, b1), (int)field.len, field.text,
		    ftype_name(fi.type));
	if (cop != OP_EQ && cop != OP_MATCH &&
	    (fi.type == F_ADDR || fi.type == F_BOOL))
		return fail(p, op.col, "%s does not apply to %s",
		    show(&op, b1), ftype_name(fi.type));
	if (advance(p) < 0)
		return -1;

	int n = new_node(p, N_CMP);
	struct node *nd = &p->f->nodes[n];
	nd->key = (uint8_t)key;
	nd->op = (uint8_t)cop;
	nd->neg = ops[k].neg;
	nd->fold = fi.fold;
	nd->a = (uint32_t)p->f->nlits;
	if (p->tok.kind == T_LBRACK) {
		if (!ops[k].list)
			return fail(p, p->tok.col,
			    "%s takes one value, not a list", show(&op, b1));
		int open = p->tok.col;
		if (advance(p) < 0)
			return -1;
		for (;;) {
			if (value(p, &field, fi, &op, cop) < 0)
				return -1;
			if (p->tok.kind == T_RBRACK)
				break;
			if (p->tok.kind != T_COMMA)
				return fail(p, p->tok.col, "expected ',' or ']' "
				    "in the list opened at column %d, found %s",
				    open, show(&p->tok, b1));
			if (advance(p) < 0)
				return -1;
		}
		if (advance(p) < 0)
			return -1;
	} else if (value(p, &field, fi, &op, cop) < 0) {
		return -1;
	}
	nd->n = (uint32_t)(p->f->nlits - nd->a);
	return n;
}

static int primary(struct parser *p)
{
	char b1[64], b2[64];
	struct token t = p->tok;
	if (t.kind == T_LPAREN) {
		if (++p->depth > FILTER_MAX_DEPTH)
			return fail(p, t.col, "parentheses nested too deeply");
		if (advance(p) < 0)
			return -1;
		int e = parse_or(p);
		if (e < 0)
			return -1;
		if (p->tok.kind != T_RPAREN)
			return fail(p, p->tok.col, "expected ')' to close the "
			    "'(' at column %d, found %s", t.col,
			    show(&p->tok, b1));
		p->depth--;
		return advance(p) < 0 ? -1 : e;
	}
	if (t.kind == T_HAS) {
		if (advance(p) < 0)
			return -1;
		if (!is_field_name(&p->tok))
			return fail(p, p->tok.col, "expected a field name after "
			    "'has', found %s", show(&p->tok, b1));
		int key = intern(p, &p->tok);
		if (key < 0)
			return -1;
		int n = new_node(p, N_HAS);
		p->f->nodes[n].key = (uint8_t)key;
		return advance(p) < 0 ? -1 : n;
	}
	if (is_field_name(&t))
		return comparison(p);
	if (p->prev.text == NULL)
		return fail(p, t.col, "expected a field name, 'has', 'not' or "
		    "'(', found %s", show(&t, b1));
	return fail(p, t.col, "expected a field name, 'has', 'not' or '(' "
	    "after %s, found %s", show(&p->prev, b1), show(&t, b2));
}

static int unary(struct parser *p)
{
	if (p->tok.kind != T_NOT)
		return primary(p);
	if (++p->depth > FILTER_MAX_DEPTH)
		return fail(p, p->tok.col, "too many nested 'not's");
	if (advance(p) < 0)
		return -1;
	int c = unary(p);
	if (c < 0)
		return -1;
	p->depth--;
	int n = new_node(p, N_NOT);
	p->f->nodes[n].a = (uint32_t)c;
	return n;
}

/*
 * sub { sep sub }: one sub-expression stands for itself; more become one
 * node listing its children (in kids[], contiguous, hence the local list).
 */
static int chain(struct parser *p, enum tok sep, enum node_kind kind,
    int (*sub)(struct parser *))
{
	int first = sub(p);
	if (first < 0 || p->tok.kind != sep)
		return first;
	size_t n = 1, cap = 8;
	uint32_t *list = tsa_malloc(cap * sizeof *list);
	list[0] = (uint32_t)first;
	while (p->tok.kind == sep) {
		int c;
		if (advance(p) < 0 || (c = sub(p)) < 0) {
			free(list);
			return -1;
		}
		if (n == cap)
			list = tsa_realloc(list, (cap *= 2) * sizeof *list);
		list[n++] = (uint32_t)c;
	}
	struct filter *f = p->f;
	if (f->nkids + n > p->capkids) {
		while (f->nkids + n > p->capkids)
			p->capkids = p->capkids ? 2 * p->capkids : 16;
		f->kids = tsa_realloc(f->kids, p->capkids * sizeof *f->kids);
	}
	memcpy(f->kids + f->nkids, list, n * sizeof *list);
	free(list);
	int node = new_node(p, kind);
	f->nodes[node].a = (uint32_t)f->nkids;
	f->nodes[node].n = (uint32_t)n;
	f->nkids += n;
	return node;
}

static int parse_and(struct parser *p)
{
	return chain(p, T_AND, N_AND, unary);
}

static int parse_or(struct parser *p)
{
	return chain(p, T_OR, N_OR, parse_and);
}

struct filter *filter_compile(const char *text, struct filter_error *err)
{
	char b1[64];
	struct filter *f = tsa_calloc(1, sizeof *f);
	add_key(f, tsa_strdup("type"));
	struct parser p = {.f = f, .err = err};
	lex_init(&p.lx, text);
	int root = -1;
	if (advance(&p) < 0)
		goto bad;
	p.prev.text = NULL;
	if (p.tok.kind == T_END) {
		fail(&p, 1, "the expression is empty");
		goto bad;
	}
	if ((root = parse_or(&p)) < 0)
		goto bad;
	if (p.tok.kind == T_RPAREN) {
		fail(&p, p.tok.col, "')' without a matching '('");
		goto bad;
	}
	if (p.tok.kind != T_END) {
		fail(&p, p.tok.col, "expected 'and', 'or' or the end of the "
		    "expression, found %s", show(&p.tok, b1));
		goto bad;
	}
	f->root = (uint32_t)root;
	hosts_prepare(f, add_key);
	return f;
bad:
	filter_free(f);
	return NULL;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	for (size_t k = 0; k < f->nlits; k++) {
		free(f->lits[k].str);
		glob_free(f->lits[k].glob);
	}
	for (int k = 0; k < f->nkeys; k++)
		free((char *)f->keys[k]);
	free(f->lits);
	free(f->nodes);
	free(f->kids);
	free(f);
}
