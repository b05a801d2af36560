/*
 * Deciding one record: find every key the expression reads in a single scan
 * of the map (scan.c), then walk the compiled nodes over the raw values.
 * No allocation, no text formatting or parsing: numbers compare as numbers,
 * addresses as bytes against CIDR blocks, times as (seconds, nanoseconds).
 */
#include "expr.h"
#include "glob.h"
#include "tsa.h"

struct ctx {
	const struct filter *f;
	uint64_t found;		/* bit k: keys[k] is in the record */
	const struct val *vals;
};

static int cmp3_i(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int cmp3_d(double a, double b)
{
	return (a > b) - (a < b);
}

static inline bool holds(enum cmp_op op, int c)
{
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	case OP_MATCH: break;
	}
	return false;
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Byte order, ASCII case folded when fold (the literal is folded already). */
static int cmp3_str(const uint8_t *s, size_t n, const struct lit *l, bool fold)
{
	size_t m = n < l->slen ? n : l->slen;
	const uint8_t *t = (const uint8_t *)l->str;
	for (size_t k = 0; k < m; k++) {
		uint8_t a = fold ? lower(s[k]) : s[k];
		if (a != t[k])
			return a < t[k] ? -1 : 1;
	}
	return (n > l->slen) - (n < l->slen);
}

/* Does the comparison hold between one record value and one literal? */
static bool test(enum cmp_op op, bool fold, const struct lit *l,
    const struct mp_obj *v)
{
	switch (v->type) {
	case MP_UINT:
		if (op == OP_MATCH)
			return false;
		if (l->has & L_INT)
			return holds(op, v->u > INT64_MAX ? 1 :
			    cmp3_i((int64_t)v->u, l->i));
		return (l->has & L_NUM) && holds(op, cmp3_d((double)v->u, l->d));
	case MP_INT:
		if (op == OP_MATCH)
			return false;
		if (l->has & L_INT)
			return holds(op, cmp3_i(v->i, l->i));
		return (l->has & L_NUM) && holds(op, cmp3_d((double)v->i, l->d));
	case MP_FLOAT:
		/* A NaN compares false with everything, as in C. */
		if (op == OP_MATCH || !(l->has & L_NUM) || v->f != v->f)
			return false;
		return holds(op, cmp3_d(v->f, l->d));
	case MP_STR:
		if (!(l->has & L_STR))
			return false;
		if (op == OP_MATCH)
			return glob_match(l->glob, v->ptr, v->len);
		return holds(op, cmp3_str(v->ptr, v->len, l, fold));
	case MP_BIN:
		return op == OP_EQ && (l->has & L_CIDR) &&
		    (v->len == 4 || v->len == 16) &&
		    tsa_cidr_match(&l->cidr, v->ptr, v->len);
	case MP_BOOL:
		return op == OP_EQ && (l->has & L_BOOL) && v->b == l->b;
	case MP_EXT: {
		int64_t sec;
		uint32_t nsec;
		if (op == OP_MATCH || !mp_obj_time(v, &sec, &nsec))
			return false;
		if (!(l->has & L_TIME))
			return false;
		int c = cmp3_i(sec, l->sec);
		return holds(op, c ? c : cmp3_i(nsec, l->nsec));
	}
	case MP_NIL: case MP_ARRAY: case MP_MAP:
		break;
	}
	return false;
}

/* A value matches when it matches any literal of the list. */
static bool test_list(const struct ctx *c, const struct node *n,
    const struct mp_obj *v)
{
	const struct lit *l = c->f->lits + n->a;
	for (uint32_t k = 0; k < n->n; k++)
		if (test((enum cmp_op)n->op, n->fold, &l[k], v))
			return true;
	return false;
}

/*
 * An array matches when any element does; != and !~ hold when the key is
 * present and no element (or the value) matches the list.
 */
static bool compare(const struct ctx *c, const struct node *n)
{
	if (!(c->found >> n->key & 1))
		return false;
	const struct val *v = &c->vals[n->key];
	bool any = false;
	if (v->o.type != MP_ARRAY) {
		any = test_list(c, n, &v->o);
	} else {
		const uint8_t *p = v->elems;
		for (uint32_t k = 0; k < v->o.len && !any; k++) {
			const uint8_t *q = p;
			struct mp_obj e;
			/* Nested containers never match; skip them whole. */
			if (mp_next(&q, v->end, &e) < 0 || mp_skip(&p, v->end) < 0)
				break;
			any = test_list(c, n, &e);
		}
	}
	return any != n->neg;
}

static bool eval(const struct ctx *c, uint32_t i)
{
	const struct node *n = &c->f->nodes[i];
	switch ((enum node_kind)n->kind) {
	case N_OR:
		for (uint32_t k = 0; k < n->n; k++)
			if (eval(c, c->f->kids[n->a + k]))
				return true;
		return false;
	case N_AND:
		for (uint32_t k = 0; k < n->n; k++)
			if (!eval(c, c->f->kids[n->a + k]))
				return false;
		return true;
	case N_NOT:
		return !eval(c, n->a);
	case N_HAS:
		return c->found >> n->key & 1;
	case N_CMP:
		return compare(c, n);
	}
	return false;
}

enum filter_verdict filter_record(struct filter *f, const uint8_t *rec,
    size_t len)
{
	struct val vals[FILTER_MAX_KEYS];
	uint64_t found;
	int rc = scan_record(f, rec, len, vals, &found);
	if (rc < 0)
		return FILTER_BAD;
	if (rc > 0) {
		struct mp_obj t;
		if (f->hosts && tsa_rec_type(rec, len, &t) &&
		    tsa_hostfacts_type(&t))
			tsa_hostfacts_put(f->hosts, rec, len);
		return FILTER_OTHER;
	}
	uint64_t miss = f->host_keys & ~found;
	if (miss && f->hosts)
		hosts_fill(f, miss, vals, &found);
	f->seen |= found;
	struct ctx c = {f, found, vals};
	return eval(&c, f->root) ? FILTER_PASS : FILTER_FAIL;
}
