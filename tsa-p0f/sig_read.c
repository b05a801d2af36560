/*
 * The p0f.fp reader.  A line-oriented state machine like p0f's own: a
 * [module:direction] section, then "label" lines, each followed (for
 * applications) by a "sys" line and by its "sig" lines.  Every problem is
 * reported as "file:line: what is wrong"; nothing here exits, so the fuzz
 * target can feed it anything.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "http_sig.h"
#include "sig_read.h"
#include "tcp_sig.h"
#include "util.h"

const char *const p0f_quirk_names[P0F_NQUIRKS] = {
	"df", "id+", "id-", "ecn", "0+", "flow", "seq-", "ack+", "ack-",
	"uptr+", "urgf+", "pushf+", "ts1-", "ts2+", "opt+", "exws", "bad",
};

/* Headers p0f registers before reading signatures (see sig_read.h). */
static const char *const fixed_hdrs[HDR_FIXED] = {
	"User-Agent", "Server", "Accept-Language", "Via", "X-Forwarded-For",
	"Date",
};

/* ---- an arena for everything that lives as long as the database ---- */

struct arena_blk {
	struct arena_blk *next;
	size_t used, cap;
	_Alignas(max_align_t) unsigned char data[];
};

static void *db_alloc(struct p0f_db *db, size_t n)
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

static char *db_strndup(struct p0f_db *db, const char *s, size_t n)
{
	char *p = db_alloc(db, n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

/* Grow an array held in the database by one element; returns the new one. */
static void *grow(void **arr, unsigned *n, unsigned *cap, size_t size)
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
	for (int i = 0; i < 2; i++) {
		free(db->tcp[i]);
		free(db->http[i]);
	}
	free(db->mtu);
	free(db->hdr_names);
	free(db->hdr_flags);
	free(db->hdr_index);
	free(db->hdr_len);
	free(db->hdr_words);
	free(db->ua);
	free(db);
}

/* ---- parser state ---- */

enum state { NEED_SECT, NEED_LABEL, NEED_SYS, NEED_SIG };
enum module { MOD_NONE, MOD_MTU, MOD_TCP, MOD_HTTP };

struct parser {
	struct p0f_db *db;
	const char *file;
	unsigned line;
	char *err;
	size_t errlen;
	enum state state;
	enum module mod;
	int to_srv;		/* 1: request section, 0: response */
	struct p0f_label *label;	/* current label */
	const char *mtu_name;	/* current [mtu] label */
	uint32_t *sys;		/* current 'sys' list */
	unsigned nsys;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u: %s", p->file, p->line, msg);
	return -1;
}

static bool name_char(int c)
{
	return isalnum(c) || (c && strchr(NAME_CHARS, c));
}

/* Digits at *s, at most max; advances *s.  False if none or too big. */
static bool number(const char **s, long max, long *v)
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

static int class_id(struct parser *p, const char *s, size_t n)
{
	for (unsigned i = 0; i < p->db->nclasses; i++)
		if (strlen(p->db->classes[i]) == n &&
		    strncasecmp(p->db->classes[i], s, n) == 0)
			return (int)i;
	return -1;
}

/* Look up or register an OS or application name (case-insensitive). */
static int name_id(struct p0f_db *db, const char *s, size_t n)
{
	char **slot;

	for (unsigned i = 0; i < db->nnames; i++)
		if (strlen(db->names[i]) == n &&
		    strncasecmp(db->names[i], s, n) == 0)
			return (int)i;
	slot = grow((void **)&db->names, &db->nnames, &db->names_cap,
	    sizeof *db->names);
	*slot = db_strndup(db, s, n);
	return (int)db->nnames - 1;
}

/*
 * A header name's hash, from its words (tsa_str_words), which with its
 * length are the whole name up to 16 bytes: no cost per byte.
 */
static inline unsigned name_hash(uint64_t head, uint64_t tail, size_t n)
{
	uint64_t h = (head ^ n) * 0x9e3779b97f4a7c15ull ^
	    tail * 0xc2b2ae3d27d4eb4full;

	return (unsigned)(h ^ h >> 32);
}

/*
 * Once the file is read, header names are looked up through a hash table:
 * every header of every HTTP message is looked up.
 */
static void index_headers(struct p0f_db *db)
{
	unsigned size = 64;

	while (size < db->nhdr_names * 2)
		size *= 2;
	db->hdr_index = tsa_malloc(size * sizeof *db->hdr_index);
	memset(db->hdr_index, 0xff, size * sizeof *db->hdr_index);
	db->hdr_index_mask = size - 1;
	db->hdr_len = tsa_malloc((db->nhdr_names + 1) * sizeof *db->hdr_len);
	db->hdr_words = tsa_malloc((db->nhdr_names + 1) * 2 *
	    sizeof *db->hdr_words);
	for (unsigned i = 0; i < db->nhdr_names; i++) {
		size_t n = strlen(db->hdr_names[i]);
		uint64_t *w = &db->hdr_words[2 * i];
		unsigned s;

		tsa_str_words(db->hdr_names[i], n, &w[0], &w[1]);
		s = name_hash(w[0], w[1], n) & db->hdr_index_mask;
		db->hdr_len[i] = n;
		while (db->hdr_index[s] >= 0)
			s = (s + 1) & db->hdr_index_mask;
		db->hdr_index[s] = (int)i;
	}
}

int p0f_db_hdr_id(const struct p0f_db *db, const char *name, size_t len)
{
	if (db->hdr_index) {
		uint64_t head, tail;
		unsigned s;
		int id;

		tsa_str_words(name, len, &head, &tail);
		s = name_hash(head, tail, len) & db->hdr_index_mask;
		while ((id = db->hdr_index[s]) >= 0) {
			if (db->hdr_len[id] == len &&
			    db->hdr_words[2 * id] == head &&
			    db->hdr_words[2 * id + 1] == tail &&
			    (len <= 16 ||
			    memcmp(db->hdr_names[id], name, len) == 0))
				return id;
			s = (s + 1) & db->hdr_index_mask;
		}
		return -1;
	}
	for (unsigned i = 0; i < db->nhdr_names; i++)
		if (strlen(db->hdr_names[i]) == len &&
		    memcmp(db->hdr_names[i], name, len) == 0)
			return (int)i;
	return -1;
}

int p0f_db_hdr_register(struct p0f_db *db, const char *name, size_t len)
{
	int id = p0f_db_hdr_id(db, name, len);
	char **slot;

	if (id >= 0)
		return id;
	slot = grow((void **)&db->hdr_names, &db->nhdr_names, &db->hdr_cap,
	    sizeof *db->hdr_names);
	*slot = db_strndup(db, name, len);
	return (int)db->nhdr_names - 1;
}

/* ---- directives ---- */

static int parse_classes(struct parser *p, const char *v)
{
	struct p0f_db *db = p->db;

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
		db->classes[db->nclasses++] = db_strndup(db, v, (size_t)(e - v));
		v = e;
	}
	return 0;
}

static int parse_label(struct parser *p, const char *v)
{
	struct p0f_db *db = p->db;
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
		p->mtu_name = db_strndup(db, v, strlen(v));
		p->state = NEED_SIG;
		return 0;
	}
	l = db_alloc(db, sizeof *l);
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
	else if ((l->class_id = class_id(p, c, (size_t)(e - c))) < 0)
		return fail(p, "unknown class '%.*s' (not in 'classes')",
		    (int)(e - c), c);
	n = e + 1;
	for (e = n; name_char((unsigned char)*e); e++)
		;
	if (e == n || *e != ':')
		return fail(p, "malformed name in label");
	l->name_id = name_id(db, n, (size_t)(e - n));
	l->name = db->names[l->name_id];
	fl = strlen(e + 1);
	l->flavor = fl ? db_strndup(db, e + 1, fl) : NULL;
	if (l->flavor) {
		char *full = db_alloc(db, strlen(l->name) + fl + 2);

		sprintf(full, "%s %s", l->name, l->flavor);
		l->full = full;
	} else
		l->full = l->name;
	l->full_len = (uint16_t)strlen(l->full);
	l->name_len = (uint16_t)strlen(l->name);
	l->id = db->nlabels;
	slot = grow((void **)&db->labels, &db->nlabels, &db->labels_cap,
	    sizeof *db->labels);
	*slot = l;
	p->label = l;
	p->sys = NULL;
	p->nsys = 0;
	p->state = l->class_id < 0 ? NEED_SYS : NEED_SIG;
	return 0;
}

static int parse_sys(struct parser *p, const char *v)
{
	struct p0f_db *db = p->db;
	uint32_t ids[256];
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
		for (e = v; name_char((unsigned char)*e); e++)
			;
		if (e == v || (*e && *e != ','))
			return fail(p, "malformed 'sys' entry");
		if (is_class) {
			int c = class_id(p, v, (size_t)(e - v));

			if (c < 0)
				return fail(p, "unknown class '@%.*s' in 'sys'",
				    (int)(e - v), v);
			id = (uint32_t)c | P0F_SYS_CLASS;
		} else
			id = (uint32_t)name_id(db, v, (size_t)(e - v));
		if (n == sizeof ids / sizeof *ids)
			return fail(p, "too many 'sys' entries");
		ids[n++] = id;
		v = e;
	}
	p->sys = db_alloc(db, n * sizeof *ids);
	memcpy(p->sys, ids, n * sizeof *ids);
	p->nsys = n;
	p->label->sys = p->sys;
	p->label->nsys = n;
	p->state = NEED_SIG;
	return 0;
}

static int parse_ua_os(struct parser *p, const char *v)
{
	struct p0f_db *db = p->db;

	if (p->mod != MOD_HTTP || !p->to_srv || p->state != NEED_LABEL)
		return fail(p, "'ua_os' belongs at the start of [http:request]");
	while (*v) {
		const char *e;
		struct ua_os *u;
		int id;

		for (e = v; name_char((unsigned char)*e); e++)
			;
		if (e == v)
			return fail(p, "malformed system name in 'ua_os'");
		id = name_id(db, v, (size_t)(e - v));
		u = grow((void **)&db->ua, &db->nua, &db->ua_cap, sizeof *u);
		u->name_id = id;
		u->text = db->names[id];
		v = e;
		if (*v == '=') {
			if (v[1] != '[')
				return fail(p, "missing '[' after '=' in 'ua_os'");
			v += 2;
			for (e = v; *e && *e != ']'; e++)
				;
			if (e == v || !*e)
				return fail(p, "malformed alias in 'ua_os'");
			u->text = db_strndup(db, v, (size_t)(e - v));
			v = e + 1;
		}
		if (*v == ',')
			v++;
		else if (*v)
			return fail(p, "malformed 'ua_os' list");
	}
	return 0;
}

/* ---- signatures ---- */

static int parse_mtu_sig(struct parser *p, const char *v)
{
	struct mtu_sig *m;
	long mtu;

	if (!number(&v, 65535, &mtu) || *v || mtu == 0)
		return fail(p, "malformed MTU value (1-65535)");
	m = grow((void **)&p->db->mtu, &p->db->nmtu, &p->db->mtu_cap,
	    sizeof *m);
	m->mtu = (uint16_t)mtu;
	m->name = p->mtu_name;
	return 0;
}

static const struct { const char *name; uint8_t kind; } opt_names[] = {
	{ "nop", 1 }, { "mss", 2 }, { "ws", 3 }, { "sok", 4 }, { "sack", 5 },
	{ "ts", 8 },
};

static int parse_tcp_layout(struct parser *p, const char **vp,
    struct tcp_sig_rec *s)
{
	const char *v = *vp;
	long n;

	while (*v != ':') {
		size_t i;

		if (s->nopt >= MAX_TCP_OPT)
			return fail(p, "more than %d TCP options", MAX_TCP_OPT);
		if (strncmp(v, "eol+", 4) == 0) {
			v += 4;
			if (!number(&v, 255, &n))
				return fail(p, "malformed 'eol+n' option");
			if (*v != ':')
				return fail(p, "'eol' must be the last option");
			s->opt[s->nopt++] = 0;
			s->eol_pad = (uint8_t)n;
			break;
		}
		if (*v == '?') {
			v++;
			if (!number(&v, 255, &n))
				return fail(p, "malformed '?n' option");
			s->opt[s->nopt++] = (uint8_t)n;
		} else {
			for (i = 0; i < sizeof opt_names / sizeof *opt_names;
			    i++) {
				size_t l = strlen(opt_names[i].name);

				if (strncmp(v, opt_names[i].name, l) == 0 &&
				    (v[l] == ',' || v[l] == ':'))
					break;
			}
			if (i == sizeof opt_names / sizeof *opt_names)
				return fail(p, "unknown TCP option '%.*s'",
				    (int)strcspn(v, ",:"), v);
			s->opt[s->nopt++] = opt_names[i].kind;
			v += strlen(opt_names[i].name);
		}
		if (*v == ',')
			v++;
		else if (*v != ':')
			return fail(p, "malformed TCP option layout");
	}
	*vp = v + 1;
	return 0;
}

static int parse_tcp_quirks(struct parser *p, const char **vp,
    struct tcp_sig_rec *s)
{
	const char *v = *vp;

	while (*v != ':') {
		int q;

		for (q = 0; q < P0F_NQUIRKS; q++) {
			size_t l = strlen(p0f_quirk_names[q]);

			if (strncmp(v, p0f_quirk_names[q], l) == 0 &&
			    (v[l] == ',' || v[l] == ':'))
				break;
		}
		if (q == P0F_NQUIRKS)
			return fail(p, "unknown quirk '%.*s'",
			    (int)strcspn(v, ",:"), v);
		/* As p0f: IPv4-only quirks make no sense on an IPv6 sig. */
		if (s->ver == 6 && ((1u << q) & (Q_DF | Q_NZ_ID | Q_ZERO_ID |
		    Q_NZ_MBZ)))
			return fail(p, "quirk '%s' is not valid for IPv6",
			    p0f_quirk_names[q]);
		if (s->ver == 4 && (1u << q) == Q_FLOW)
			return fail(p, "quirk 'flow' is not valid for IPv4");
		s->quirks |= 1u << q;
		v += strlen(p0f_quirk_names[q]);
		if (*v == ',')
			v++;
		else if (*v != ':')
			return fail(p, "malformed quirk list");
	}
	*vp = v + 1;
	return 0;
}

static int parse_tcp_sig(struct parser *p, const char *v)
{
	struct p0f_db *db = p->db;
	struct tcp_sig_rec s = { .label = p->label, .line = p->line };
	long n, add;

	/* ver */
	if (*v == '4' || *v == '6')
		s.ver = (int8_t)(*v - '0');
	else if (*v == '*')
		s.ver = -1;
	else
		return fail(p, "IP version must be 4, 6 or *");
	if (v[1] != ':')
		return fail(p, "malformed signature after the IP version");
	v += 2;
	/* ittl, ittl+dist or ittl- */
	if (!number(&v, 255, &n) || n < 1)
		return fail(p, "bad initial TTL (1-255)");
	if (*v == '-' && v[1] == ':') {
		s.bad_ttl = true;
		v++;
	} else if (*v == '+') {
		v++;
		if (!number(&v, 255, &add) || n + add > 255)
			return fail(p, "bad initial TTL (ttl+dist above 255)");
		n += add;
	}
	if (*v++ != ':')
		return fail(p, "malformed initial TTL");
	s.ttl = (uint8_t)n;
	/* olen */
	if (!number(&v, 255, &n) || *v++ != ':')
		return fail(p, "bad IP options length (0-255)");
	s.olen = (uint8_t)n;
	/* mss */
	if (v[0] == '*' && v[1] == ':') {
		s.mss = -1;
		v += 2;
	} else {
		if (!number(&v, 65535, &n) || *v++ != ':')
			return fail(p, "bad MSS (0-65535 or *)");
		s.mss = (int32_t)n;
	}
	/* wsize */
	if (v[0] == '*' && v[1] == ',') {
		s.win_type = P0F_WIN_ANY;
		v++;
	} else if (*v == '%') {
		v++;
		if (!number(&v, 65535, &n) || n < 2)
			return fail(p, "bad '%%' window divisor (2-65535)");
		s.win_type = P0F_WIN_MOD;
		s.win = (uint16_t)n;
	} else if (strncmp(v, "mss*", 4) == 0 || strncmp(v, "mtu*", 4) == 0) {
		s.win_type = v[1] == 's' ? P0F_WIN_MSS : P0F_WIN_MTU;
		v += 4;
		if (!number(&v, 1000, &n) || n < 1)
			return fail(p, "bad MSS/MTU window multiplier (1-1000)");
		s.win = (uint16_t)n;
	} else {
		if (!number(&v, 65535, &n))
			return fail(p, "bad window size (0-65535, mss*N, "
			    "mtu*N, %%N or *)");
		s.win_type = P0F_WIN_NORMAL;
		s.win = (uint16_t)n;
	}
	if (*v++ != ',')
		return fail(p, "missing ',' between window size and scale");
	/* scale */
	if (v[0] == '*' && v[1] == ':') {
		s.wscale = -1;
		v += 2;
	} else {
		if (!number(&v, 255, &n) || *v++ != ':')
			return fail(p, "bad window scale (0-255 or *)");
		s.wscale = (int16_t)n;
	}
	if (parse_tcp_layout(p, &v, &s) < 0 || parse_tcp_quirks(p, &v, &s) < 0)
		return -1;
	s.layout = tcp_layout_hash(s.opt, s.nopt);
	/* pclass */
	if (strcmp(v, "*") == 0)
		s.pclass = -1;
	else if (strcmp(v, "0") == 0)
		s.pclass = 0;
	else if (strcmp(v, "+") == 0)
		s.pclass = 1;
	else
		return fail(p, "payload class must be 0, + or *");
	*(struct tcp_sig_rec *)grow((void **)&db->tcp[p->to_srv],
	    &db->ntcp[p->to_srv], &db->tcp_cap[p->to_srv], sizeof s) = s;
	return 0;
}

static int parse_http_names(struct parser *p, const char **vp,
    struct http_sig_rec *s, bool absent)
{
	const char *v = *vp;

	while (*v != ':') {
		bool optional = false;
		const char *e;
		int id;

		if ((absent ? s->nmiss : s->nhdr) >= HTTP_MAX_HDRS)
			return fail(p, "more than %d headers listed",
			    HTTP_MAX_HDRS);
		if (!absent && *v == '?') {
			optional = true;
			v++;
		}
		for (e = v; isalnum((unsigned char)*e) || *e == '-' ||
		    *e == '_'; e++)
			;
		if (e == v)
			return fail(p, "malformed header name");
		id = p0f_db_hdr_register(p->db, v, (size_t)(e - v));
		v = e;
		if (absent) {
			s->miss[s->nmiss++] = id;
		} else {
			struct http_sig_hdr *h = &s->hdr[s->nhdr++];

			h->id = id;
			h->optional = optional;
			if (*v == '=') {
				if (v[1] != '[')
					return fail(p, "missing '[' after '='");
				v += 2;
				for (e = v; *e && *e != ']'; e++)
					;
				if (e == v || !*e)
					return fail(p, "malformed header value "
					    "(Name=[value])");
				h->value = db_strndup(p->db, v,
				    (size_t)(e - v));
				h->value_len = (size_t)(e - v);
				v = e + 1;
			}
		}
		if (*v == ',')
			v++;
		else if (*v != ':')
			return fail(p, "malformed header list");
	}
	*vp = v + 1;
	return 0;
}

static int parse_http_sig(struct parser *p, const char *v)
{
	struct p0f_db *db = p->db;
	struct http_sig_rec s = { .label = p->label, .line = p->line };

	if (*v == '0' || *v == '1')
		s.ver = (int8_t)(*v - '0');
	else if (*v == '*')
		s.ver = -1;
	else
		return fail(p, "HTTP version must be 0, 1 or *");
	if (v[1] != ':')
		return fail(p, "malformed signature after the HTTP version");
	v += 2;
	if (parse_http_names(p, &v, &s, false) < 0 ||
	    parse_http_names(p, &v, &s, true) < 0)
		return -1;
	if (*v) {
		if (strchr(v, ':'))
			return fail(p, "malformed expected software string");
		s.sw = db_strndup(db, v, strlen(v));
	}
	*(struct http_sig_rec *)grow((void **)&db->http[p->to_srv],
	    &db->nhttp[p->to_srv], &db->http_cap[p->to_srv], sizeof s) = s;
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
		p->to_srv = 1;
	else if (strcmp(dir, "response]") == 0)
		p->to_srv = 0;
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
	if (strcmp(name, "ua_os") == 0)
		return parse_ua_os(p, v);
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
	p->db->nsigs++;
	switch (p->mod) {
	case MOD_MTU:
		return parse_mtu_sig(p, v);
	case MOD_TCP:
		return parse_tcp_sig(p, v);
	case MOD_HTTP:
		return parse_http_sig(p, v);
	default:
		return fail(p, "'sig' outside a section");
	}
}

struct p0f_db *p0f_db_parse(const char *name, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct parser p = { .file = name, .err = err, .errlen = errlen };
	const char *cur = text, *end = text + len;
	char *buf = NULL;
	size_t bufcap = 0;

	p.db = tsa_calloc(1, sizeof *p.db);
	for (int i = 0; i < HDR_FIXED; i++)
		p0f_db_hdr_register(p.db, fixed_hdrs[i], strlen(fixed_hdrs[i]));
	while (cur < end) {
		const char *eol = memchr(cur, '\n', (size_t)(end - cur));
		size_t n;

		if (!eol)
			eol = end;
		p.line++;
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
	http_sig_prepare(p.db);
	index_headers(p.db);
	if (p.db->nsigs == 0) {
		snprintf(err, errlen, "%s: no signatures found", name);
		p0f_db_free(p.db);
		return NULL;
	}
	return p.db;
bad:
	free(buf);
	p0f_db_free(p.db);
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
