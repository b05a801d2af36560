/*
 * The p0f.fp reader.  A line-oriented state machine like p0f's readfp.c:
 * a [module:direction] section, then "label" lines, each followed (for
 * applications) by a "sys" line and by its "sig" lines, which go to the
 * section's module (tcp_sig_register, http_sig_register,
 * mtu_sig_register) as p0f hands them to fp_tcp.c, fp_http.c and
 * fp_mtu.c.  Every problem is reported as "file:line: what is wrong";
 * nothing here exits, so the fuzz target can feed it anything.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "sig_read.h"
#include "util.h"

/* ---- an arena for everything that lives as long as the database ---- */

struct arena_blk {
	struct arena_blk *next;
	size_t used, cap;
	_Alignas(max_align_t) unsigned char data[];
};

void *p0f_db_alloc(struct p0f_db *db, size_t n)
{
	struct arena_blk *b = db->arena;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 16384 ? n : 16384;

		b = tsa_malloc(sizeof *b + cap);
		b->next = db->arena;
		b->used = 0;
		b->cap = cap;
		db->arena = b;
	}
	b->used += n;
	return memset(b->data + b->used - n, 0, n);
}

char *p0f_db_strndup(struct p0f_db *db, const char *s, size_t n)
{
	char *p = p0f_db_alloc(db, n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void *p0f_grow(void **arr, unsigned *n, unsigned *cap, size_t size)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*arr = tsa_realloc(*arr, (size_t)*cap * size);
	}
	return memset((char *)*arr + (size_t)(*n)++ * size, 0, size);
}

void p0f_db_free(struct p0f_db *db)
{
	if (!db)
		return;
	while (db->arena) {
		struct arena_blk *next = db->arena->next;

		free(db->arena);
		db->arena = next;
	}
	free(db->classes);
	free(db->names);
	free(db->labels);
	tcp_sigs_free(&db->tcp);
	http_sigs_free(&db->http);
	mtu_sigs_free(&db->mtu);
	free(db);
}

/* ---- parser state ---- */

enum state { NEED_SECT, NEED_LABEL, NEED_SYS, NEED_SIG };
enum module { MOD_NONE, MOD_MTU, MOD_TCP, MOD_HTTP };

struct parser {
	struct sig_line sl;	/* the database, the line, its section */
	struct p0f_label *label;	/* the current label */
	enum state state;
	enum module mod;
};

int sig_fail(const struct sig_line *sl, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(sl->err, sl->errlen, "%s:%u: %s", sl->file, sl->line, msg);
	return -1;
}

#define fail(p, ...) sig_fail(&(p)->sl, __VA_ARGS__)

bool sig_name_char(int c)
{
	return isalnum(c) || (c && strchr(NAME_CHARS, c));
}

bool sig_number(const char **s, long max, long *v)
{
	const char *q = *s;
	long n = 0;

	if (!isdigit((unsigned char)*q))
		return false;
	while (isdigit((unsigned char)*q)) {
		n = n * 10 + (*q++ - '0');
		if (n > max)
			return false;
	}
	*s = q;
	*v = n;
	return true;
}

static int class_id(const struct p0f_db *db, const char *s, size_t n)
{
	for (unsigned i = 0; i < db->nclasses; i++)
		if (strlen(db->classes[i]) == n &&
		    strncasecmp(db->classes[i], s, n) == 0)
			return (int)i;
	return -1;
}

int p0f_db_name_id(struct p0f_db *db, const char *s, size_t n)
{
	char **slot;

	for (unsigned i = 0; i < db->nnames; i++)
		if (strlen(db->names[i]) == n &&
		    strncasecmp(db->names[i], s, n) == 0)
			return (int)i;
	slot = p0f_grow((void **)&db->names, &db->nnames, &db->names_cap,
	    sizeof *db->names);
	*slot = p0f_db_strndup(db, s, n);
	return (int)db->nnames - 1;
}

/* ---- directives ---- */

static int parse_classes(struct parser *p, const char *v)
{
	struct p0f_db *db = p->sl.db;

	if (p->state != NEED_SECT)
		return fail(p, "'classes' must come before the first section");
	while (*v) {
		const char *e;

		while (isblank((unsigned char)*v) || *v == ',')
			v++;
		if (!*v)
			break;
		for (e = v; isalnum((unsigned char)*e); e++)
			;
		if (e == v || (*e && *e != ',' && !isblank((unsigned char)*e)))
			return fail(p, "malformed class name in 'classes'");
		db->classes = tsa_realloc(db->classes,
		    (db->nclasses + 1) * sizeof *db->classes);
		db->classes[db->nclasses++] = p0f_db_strndup(db, v,
		    (size_t)(e - v));
		v = e;
	}
	return 0;
}

static int parse_label(struct parser *p, const char *v)
{
	struct p0f_db *db = p->sl.db;
	struct p0f_label *l, **slot;
	const char *c, *n, *e;
	size_t fl;

	if (p->state != NEED_LABEL && p->state != NEED_SIG)
		return fail(p, p->state == NEED_SECT ?
		    "'label' before any [section]" :
		    "'label' where a 'sys' line is required");
	if (p->mod == MOD_MTU) {
		if (!*v)
			return fail(p, "empty MTU label");
		p->sl.link = p0f_db_strndup(db, v, strlen(v));
		p->state = NEED_SIG;
		return 0;
	}
	l = p0f_db_alloc(db, sizeof *l);
	if ((*v != 's' && *v != 'g') || v[1] != ':')
		return fail(p, "label type must be 's' or 'g' "
		    "(label = type:class:name:flavor)");
	l->generic = *v == 'g';
	c = v + 2;
	for (e = c; isalnum((unsigned char)*e) || *e == '!'; e++)
		;
	if (e == c || *e != ':')
		return fail(p, "malformed class in label");
	if (e - c == 1 && *c == '!')
		l->class_id = -1;
	else if ((l->class_id = class_id(db, c, (size_t)(e - c))) < 0)
		return fail(p, "unknown class '%.*s' (not in 'classes')",
		    (int)(e - c), c);
	n = e + 1;
	for (e = n; sig_name_char((unsigned char)*e); e++)
		;
	if (e == n || *e != ':')
		return fail(p, "malformed name in label");
	l->name_id = p0f_db_name_id(db, n, (size_t)(e - n));
	l->name = db->names[l->name_id];
	fl = strlen(e + 1);
	l->flavor = fl ? p0f_db_strndup(db, e + 1, fl) : NULL;
	if (l->flavor) {
		char *full = p0f_db_alloc(db, strlen(l->name) + fl + 2);

		sprintf(full, "%s %s", l->name, l->flavor);
		l->full = full;
	} else
		l->full = l->name;
	l->full_len = (uint16_t)strlen(l->full);
	l->name_len = (uint16_t)strlen(l->name);
	l->id = db->nlabels;
	slot = p0f_grow((void **)&db->labels, &db->nlabels,
	    &db->labels_cap, sizeof *db->labels);
	*slot = l;
	p->label = l;
	p->sl.label = l;
	p->state = l->class_id < 0 ? NEED_SYS : NEED_SIG;
	return 0;
}

static int parse_sys(struct parser *p, const char *v)
{
	struct p0f_db *db = p->sl.db;
	uint32_t ids[256], *sys;
	unsigned n = 0;

	if (p->state != NEED_SYS)
		return fail(p, "'sys' must follow the label of an application");
	while (*v) {
		bool is_class = false;
		const char *e;
		uint32_t id;

		while (isblank((unsigned char)*v) || *v == ',')
			v++;
		if (!*v)
			break;
		if (*v == '@') {
			is_class = true;
			v++;
		}
		for (e = v; sig_name_char((unsigned char)*e); e++)
			;
		if (e == v || (*e && *e != ','))
			return fail(p, "malformed 'sys' entry");
		if (is_class) {
			int c = class_id(db, v, (size_t)(e - v));

			if (c < 0)
				return fail(p, "unknown class '@%.*s' in 'sys'",
				    (int)(e - v), v);
			id = (uint32_t)c | P0F_SYS_CLASS;
		} else
			id = (uint32_t)p0f_db_name_id(db, v, (size_t)(e - v));
		if (n == sizeof ids / sizeof *ids)
			return fail(p, "too many 'sys' entries");
		ids[n++] = id;
		v = e;
	}
	sys = p0f_db_alloc(db, n * sizeof *ids);
	memcpy(sys, ids, n * sizeof *ids);
	p->label->sys = sys;
	p->label->nsys = n;
	p->state = NEED_SIG;
	return 0;
}

/* ---- lines ---- */

static int parse_section(struct parser *p, const char *l)
{
	const char *dir;

	if (strcmp(l, "[mtu]") == 0) {
		p->mod = MOD_MTU;
		p->state = NEED_LABEL;
		return 0;
	}
	if (strncmp(l, "[tcp:", 5) == 0) {
		p->mod = MOD_TCP;
		dir = l + 5;
	} else if (strncmp(l, "[http:", 6) == 0) {
		p->mod = MOD_HTTP;
		dir = l + 6;
	} else
		return fail(p, "unknown section %s (expected [mtu], "
		    "[tcp:request|response] or [http:request|response])", l);
	if (strcmp(dir, "request]") == 0)
		p->sl.to_srv = 1;
	else if (strcmp(dir, "response]") == 0)
		p->sl.to_srv = 0;
	else
		return fail(p, "unknown direction in %s "
		    "(expected request or response)", l);
	p->state = NEED_LABEL;
	return 0;
}

static int parse_line(struct parser *p, char *l)
{
	char *name = l, *v;
	size_t nl;

	if (*l == '[')
		return parse_section(p, l);
	while (isalpha((unsigned char)*l) || *l == '_')
		l++;
	nl = (size_t)(l - name);
	while (isblank((unsigned char)*l))
		l++;
	if (nl == 0 || *l != '=')
		return fail(p, "expected 'name = value' or [section]");
	v = l + 1;
	while (isblank((unsigned char)*v))
		v++;
	name[nl] = 0;
	if (strcmp(name, "classes") == 0)
		return parse_classes(p, v);
	if (strcmp(name, "ua_os") == 0) {
		if (p->mod != MOD_HTTP || !p->sl.to_srv ||
		    p->state != NEED_LABEL)
			return fail(p, "'ua_os' belongs at the start of "
			    "[http:request]");
		return http_ua_os_register(&p->sl, v);
	}
	if (strcmp(name, "label") == 0)
		return parse_label(p, v);
	if (strcmp(name, "sys") == 0)
		return parse_sys(p, v);
	if (strcmp(name, "sig") != 0)
		return fail(p, "unknown directive '%s'", name);
	if (p->state != NEED_SIG)
		return fail(p, p->state == NEED_SYS ?
		    "'sig' where a 'sys' line is required" :
		    "'sig' without a preceding 'label'");
	p->sl.db->nsigs++;
	switch (p->mod) {
	case MOD_MTU:
		return mtu_sig_register(&p->sl, v);
	case MOD_TCP:
		return tcp_sig_register(&p->sl, v);
	case MOD_HTTP:
		return http_sig_register(&p->sl, v);
	default:
		return fail(p, "'sig' outside a section");
	}
}

struct p0f_db *p0f_db_parse(const char *name, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct parser p = { .sl = { .file = name, .err = err,
	    .errlen = errlen } };
	const char *cur = text, *end = text + len;
	char *buf = NULL;
	size_t bufcap = 0;

	struct p0f_db *db = p.sl.db = tsa_calloc(1, sizeof *db);

	http_sigs_init(db);
	while (cur < end) {
		const char *eol = memchr(cur, '\n', (size_t)(end - cur));
		size_t n;

		if (!eol)
			eol = end;
		p.sl.line++;
		while (cur < eol && isblank((unsigned char)*cur))
			cur++;
		n = (size_t)(eol - cur);
		/* Tolerate CRLF files and trailing blanks. */
		while (n && (cur[n - 1] == '\r' ||
		    isblank((unsigned char)cur[n - 1])))
			n--;
		if (n && *cur != ';') {
			if (n + 1 > bufcap) {
				bufcap = n + 1;
				buf = tsa_realloc(buf, bufcap);
			}
			memcpy(buf, cur, n);
			buf[n] = 0;
			if (strlen(buf) != n) {
				fail(&p, "NUL byte in line");
				goto bad;
			}
			if (parse_line(&p, buf) < 0)
				goto bad;
		}
		cur = eol + 1;
	}
	free(buf);
	http_sigs_finish(db);
	if (db->nsigs == 0) {
		snprintf(err, errlen, "%s: no signatures found", name);
		p0f_db_free(db);
		return NULL;
	}
	return db;
bad:
	free(buf);
	p0f_db_free(db);
	return NULL;
}

struct p0f_db *p0f_db_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	struct p0f_db *db;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 131072;
			text = tsa_realloc(text, cap);
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	db = p0f_db_parse(path, text, len, err, errlen);
	free(text);
	return db;
}
