/*
 * The compiled form of a filter expression, shared by the lexer, parser and
 * evaluator.  An expression compiles to a flat array of nodes (and/or nodes
 * list their children, so a long chain of "and"s stays shallow), literals
 * pre-interpreted in every type they can stand for, and the set of record
 * keys the expression reads: those are found in one scan of each record.
 */
#ifndef TSA_FILTER_EXPR_H
#define TSA_FILTER_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "filter.h"
#include "mp.h"

/* ---- lexer ---- */

enum tok {
	T_END, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA,
	T_AND, T_OR, T_NOT, T_HAS, T_IN,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_MATCH, T_NMATCH,
	T_WORD,			/* a bare word: field name, number, address... */
	T_STRING,		/* quoted text; text/len include the quotes */
};

struct token {
	enum tok kind;
	int col;		/* 1-based */
	const char *text;	/* the token as written */
	size_t len;
};

struct lexer {
	const char *s;
	size_t pos, end;
};

void lex_init(struct lexer *lx, const char *s);
/* The next token, or -1 with err set (bad character, unclosed quote). */
int lex_next(struct lexer *lx, struct token *t, struct filter_error *err);

/* ---- field knowledge: the documented keys (fields.c) ---- */

enum ftype {
	F_ANY,			/* unknown field, or protocol (text or number) */
	F_NUM, F_STR, F_ADDR, F_TIME, F_BOOL, F_BIN,
};

struct field_info {
	enum ftype type;
	bool fold;		/* DNS names, SNI, country and continent codes:
				   case-insensitive */
	const char *stage;	/* the tool that adds the key ("tsa-geo"), NULL
				   for a key the stream contract does not name */
};

#define FIELD_NAME_MAX 64	/* longer names are no documented key */

struct field_info field_lookup(const char *name, size_t len);
const char *ftype_name(enum ftype t);	/* "numbers", "addresses", ... */
/*
 * The documented key or keys nearest a name that is none, for "did you
 * mean": a misspelling (one edit, or two in a name of 8 bytes or more; a
 * swap of neighbours is one, case is none), else the keys it is the end of
 * ("port": "src_port or dst_port").  "" when none is near.
 */
void field_nearest(const char *name, char *out, size_t n);

/* ---- literals (literal.c) ---- */

enum {
	L_INT = 1, L_NUM = 2, L_CIDR = 4, L_TIME = 8, L_BOOL = 16, L_STR = 32,
};

struct glob;

struct lit {
	unsigned has;		/* L_* interpretations that parsed */
	char *str;		/* the text, unescaped, folded for fold fields;
				   a value of its own only with L_STR */
	size_t slen;
	int64_t i;		/* L_INT */
	double d;		/* L_NUM (also set with L_INT) */
	struct tsa_cidr cidr;	/* L_CIDR */
	int64_t sec;		/* L_TIME */
	uint32_t nsec;
	bool b;			/* L_BOOL */
	struct glob *glob;	/* compiled for '~' */
};

/*
 * Interpret a value token.  A bare word is a number (and a time in seconds),
 * or true/false, or else text; text is also an address or CIDR block, or an
 * RFC 3339 time, when it reads as one.  Quotes make any value text.
 */
void lit_init(struct lit *l, const struct token *t);
void lit_fold(struct lit *l);
bool parse_rfc3339(const char *s, int64_t *sec, uint32_t *nsec);

/* ---- compiled expression ---- */

enum node_kind { N_OR, N_AND, N_NOT, N_HAS, N_CMP };

/* Base comparisons; != and !~ are == and ~ with neg set. */
enum cmp_op { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE, OP_MATCH };

struct node {
	uint8_t kind;
	uint8_t key;		/* N_HAS, N_CMP: index into keys */
	uint8_t op;		/* N_CMP */
	bool neg;		/* N_CMP: true for != and !~ */
	bool fold;		/* N_CMP: compare text case-insensitively */
	uint32_t a, n;		/* N_AND/N_OR: kids[a..a+n); N_NOT: node a;
				   N_CMP: lits[a..a+n) */
};

#define FILTER_MAX_KEYS 64	/* bits of the found mask; key 0 is "type" */
#define FILTER_MAX_DEPTH 100	/* nested parentheses and nots */

struct filter {
	struct node *nodes;
	size_t nnodes;
	uint32_t *kids;
	size_t nkids;
	struct lit *lits;
	size_t nlits;
	const char *keys[FILTER_MAX_KEYS];
	uint32_t klen[FILTER_MAX_KEYS];
	uint64_t khead[FILTER_MAX_KEYS];	/* first 8 bytes, if that long */
	uint64_t klen_mask;	/* bit n: a key of length n (mod 64) */
	int nkeys;
	uint32_t root;
	uint64_t seen;		/* bit k: keys[k] was in a packet record */
	/*
	 * Host facts (hosts.c): keys[k] of the form src_X or dst_X (bit k of
	 * host_keys) that a packet record lacks is X of the latest host
	 * record of its src_addr or dst_addr, kept in hosts; k_src, k_dst,
	 * k_ts are where those addresses and the time are found.
	 */
	struct tsa_hostfacts *hosts;
	uint64_t host_keys;
	int k_src, k_dst, k_ts;
};

/* ---- one record (scan.c, eval.c) ---- */

/* A key's value: decoded, and for an array where its elements lie. */
struct val {
	struct mp_obj o;
	const uint8_t *elems, *end;
};

/*
 * Find the filter's keys in the map rec: vals[k] and bit k of *found for
 * each present key.  Returns 0, 1 when the record has "type" (vals are then
 * incomplete), -1 when rec is not a well-formed map.
 */
int scan_record(const struct filter *f, const uint8_t *rec, size_t len,
    struct val *vals, uint64_t *found);

/*
 * After compiling: note the host-fact keys, adding the keys they need
 * (parse.c's add_key, passed in) while there is room.
 */
void hosts_prepare(struct filter *f, int (*add)(struct filter *, char *));
/* The keys of mask missing from a packet record, from the host facts. */
void hosts_fill(const struct filter *f, uint64_t mask, struct val *vals,
    uint64_t *found);

#endif
