/*
 * p0f v3's signature database (p0f.fp), read as p0f's readfp.c reads it:
 * sections, 'classes', labels and 'sys' lists here; each 'sig' line (and
 * [http:request]'s 'ua_os') handed to the module of its section, which
 * parses and keeps it: tcp_sig.c, http_sig.c, mtu.c.  The format is
 * described in p0f's README, section 5.
 */
#ifndef P0F_SIG_READ_H
#define P0F_SIG_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "http_sig.h"
#include "mtu.h"
#include "tcp_sig.h"

#define P0F_SYS_CLASS	0x80000000u	/* a 'sys' entry naming a class */

/* "label = type:class:name:flavor" */
struct p0f_label {
	const char *full;	/* name and flavor: "Linux 3.11 and newer" */
	const char *name;	/* "Linux" */
	const char *flavor;	/* "3.11 and newer", or NULL */
	uint16_t full_len, name_len;
	int class_id;		/* index into classes, -1 for applications */
	int name_id;		/* index into names */
	unsigned id;		/* labels are numbered in file order */
	bool generic;		/* 'g': considered when nothing else fits */
	const uint32_t *sys;	/* for applications: name ids | P0F_SYS_CLASS */
	unsigned nsys;
};

struct p0f_db {
	char **classes;
	unsigned nclasses;
	char **names;		/* OS and application names */
	unsigned nnames, names_cap;
	struct p0f_label **labels;
	unsigned nlabels, labels_cap;
	struct tcp_sigs tcp;	/* each module's own signatures */
	struct http_sigs http;
	struct mtu_sigs mtu;
	unsigned nsigs;
	struct arena_blk *arena;	/* strings and small arrays */
};

/*
 * Read a signature file.  On failure returns NULL with "path:line: what is
 * wrong" (or "path: why it cannot be read") in err.
 */
struct p0f_db *p0f_db_load(const char *path, char *err, size_t errlen);
/* Parse text already in memory; name is used in messages. */
struct p0f_db *p0f_db_parse(const char *name, const char *text, size_t len,
    char *err, size_t errlen);
void p0f_db_free(struct p0f_db *db);

/* ---- for the modules that read their own lines ---- */

/* A line handed to a module, with where it belongs. */
struct sig_line {
	struct p0f_db *db;
	int to_srv;		/* 1: a request section, 0: a response one */
	const struct p0f_label *label;	/* the label a 'sig' follows */
	const char *link;	/* in [mtu], that label: a link type */
	const char *file;
	unsigned line;
	char *err;
	size_t errlen;
};

/* "file:line: message" into sl's err; returns -1. */
int sig_fail(const struct sig_line *sl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Digits at *s, at most max; advances *s.  False if none or too big. */
bool sig_number(const char **s, long max, long *v);
/* A character of an OS or application name (NAME_CHARS or alnum). */
bool sig_name_char(int c);

/* Zeroed memory, and copies, that live as long as db. */
void *p0f_db_alloc(struct p0f_db *db, size_t n);
char *p0f_db_strndup(struct p0f_db *db, const char *s, size_t n);
/* The id of an OS or application name (any case), registering it if new. */
int p0f_db_name_id(struct p0f_db *db, const char *s, size_t n);
/*
 * Add an element of size bytes, zeroed, to the array *arr of *n elements
 * with room for *cap; returns it.
 */
void *p0f_grow(void **arr, unsigned *n, unsigned *cap, size_t size);

#endif
