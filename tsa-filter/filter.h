/*
 * tsa-filter's expression engine as main.c (and the fuzz target) see it:
 * compile the text once, then decide each record with one scan of its keys.
 */
#ifndef TSA_FILTER_FILTER_H
#define TSA_FILTER_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct filter;

struct filter_error {
	int col;		/* 1-based byte column in the expression */
	char msg[240];
};

/* NULL with *err filled in on a syntax or type error. */
struct filter *filter_compile(const char *text, struct filter_error *err);
void filter_free(struct filter *f);

enum filter_verdict {
	FILTER_PASS,		/* a packet record the expression holds for */
	FILTER_FAIL,		/* a packet record it does not hold for */
	FILTER_OTHER,		/* a record with "type": stats, snapshot, alert */
	FILTER_BAD,		/* not a well-formed map */
};

/*
 * Keep host records in t (NULL: none), so that a field src_X or dst_X that
 * a packet record lacks is X of its endpoint's latest host record (the
 * uptime, uptime_min, as measured plus the minutes since, at the packet's
 * time).  The table is the caller's.
 */
struct tsa_hostfacts;
void filter_set_hosts(struct filter *f, struct tsa_hostfacts *t);

/*
 * Allocates nothing (but for host records kept); safe on any bytes.  Notes which of the expression's
 * fields the record has, for filter_warn_unseen.
 */
enum filter_verdict filter_record(struct filter *f, const uint8_t *rec,
    size_t len);

/*
 * What tsa-filter tells the user about fields no record will match
 * (warn.c), one line per field on stderr.  At the first packet record:
 * the fields added by a stage (tsa-geo, tsa-p0f) that is not in the
 * stream's tools, unless that record has them.  At the end: the fields
 * that are no documented key and were in no packet record of the
 * nrecords read, with the nearest documented name.
 */
struct tsa_reader;
void filter_warn_stages(const struct filter *f, const struct tsa_reader *r);
void filter_warn_unseen(const struct filter *f, uint64_t nrecords);

/* Every documented field, one a line: name, what it holds, its stage. */
void filter_list_fields(FILE *out);

#endif
