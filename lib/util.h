/*
 * Errors in the form "prog: file: what went wrong", and the few process-wide
 * settings every tool shares.
 */
#ifndef TSA_UTIL_H
#define TSA_UTIL_H

#include <stddef.h>
#include <stdint.h>

extern const char *tsa_prog;

/* Set the program name for messages and ignore SIGPIPE (EPIPE is handled). */
void tsa_init(const char *argv0);

void tsa_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void tsa_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Usage error: message, then "try 'prog --help'", exit 2. */
_Noreturn void tsa_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

void *tsa_malloc(size_t n);	/* never NULL: dies on OOM */
void *tsa_calloc(size_t n, size_t m);
void *tsa_realloc(void *p, size_t n);
char *tsa_strdup(const char *s);

/* Parse whole-string numbers; false on junk, overflow or out of range. */
int tsa_parse_u64(const char *s, uint64_t *v);
int tsa_parse_double(const char *s, double *v);
/* "60s", "5m", "1h", "250ms", "2d" or plain seconds, as nanoseconds. */
int tsa_parse_duration(const char *s, uint64_t *ns);

/* Peak resident set size of this process in KiB (for statistics). */
long tsa_peak_rss_kib(void);

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1 to 12). */
int64_t tsa_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Format nanoseconds since the epoch as RFC 3339 UTC with 9 decimals. */
void tsa_fmt_time(char out[40], int64_t sec, uint32_t nsec);

#endif
