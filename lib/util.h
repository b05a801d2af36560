/*
 * Errors in the form "prog: file: what went wrong", and the few process-wide
 * settings every tool shares.
 */
#ifndef TSA_UTIL_H
#define TSA_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

extern const char *tsa_prog;

/*
 * Set the program name for messages, ignore SIGPIPE (EPIPE is handled),
 * draw the hash keys, and take over SIGINT and SIGTERM.  A terminal's
 * Ctrl-C and a service manager's stop signal the whole pipeline at once;
 * the result must survive that.  So the first signal only sets a flag:
 * the producer (tsa-capture) stops and ends its stream, and every stage
 * after it reads on to that end, writes its final records and exits 0.  A
 * stage whose input is a regular file takes the flag as the end of its
 * input.  A second signal ends the process at once, as people expect of a
 * stuck pipeline.
 */
void tsa_init(const char *argv0);
/* Has SIGINT or SIGTERM arrived? */
int tsa_interrupted(void);
/*
 * Call fn (async-signal-safe: pcap_breakloop, setting a flag) from the
 * handler of the first signal.
 */
void tsa_on_interrupt(void (*fn)(void));

void tsa_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void tsa_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Usage error: "prog: message (try 'prog --help')", one line, exit 2. */
_Noreturn void tsa_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

void *tsa_malloc(size_t n);	/* never NULL: dies on OOM */
void *tsa_calloc(size_t n, size_t m);
void *tsa_realloc(void *p, size_t n);
char *tsa_strdup(const char *s);
/* n bytes (no NUL needed among them) as a C string. */
char *tsa_strndup(const void *p, size_t n);

/* Parse whole-string numbers; false on junk, overflow or out of range. */
int tsa_parse_u64(const char *s, uint64_t *v);
/* true/yes/on/1 or false/no/off/0 (any case): 1 or 0; else -1. */
int tsa_parse_bool(const char *s);
int tsa_parse_double(const char *s, double *v);
/* "60s", "5m", "1h", "250ms", "2d" or plain seconds, as nanoseconds. */
int tsa_parse_duration(const char *s, uint64_t *ns);

/*
 * Edits between two names (insert, delete, change, or swap two neighbours),
 * letter case ignored, for "did you mean ...?"; SIZE_MAX for names of 64
 * bytes or more, which are simply far.
 */
size_t tsa_edit_distance(const char *a, const char *b);

/* Peak resident set size of this process in KiB (for statistics). */
long tsa_peak_rss_kib(void);

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1 to 12). */
int64_t tsa_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Format nanoseconds since the epoch as RFC 3339 UTC with 9 decimals. */
void tsa_fmt_time(char out[40], int64_t sec, uint32_t nsec);

/*
 * A string of len bytes as two words, for hashing and comparing names
 * without memcmp: its first 8 bytes (fewer: zero-padded) and, from 8
 * bytes on, its last 8 (else 0), in memory order.  With the length they
 * are the whole string up to 16 bytes.  A name of 4 to 7 bytes is read
 * with two 4-byte loads that may overlap, not byte by byte.
 */
static inline void tsa_str_words(const void *s, size_t len, uint64_t *head,
    uint64_t *tail)
{
	const uint8_t *p = s;

	if (len >= 8) {
		memcpy(head, p, 8);
		memcpy(tail, p + len - 8, 8);
	} else {
		uint8_t b[8] = { 0 };

		if (len >= 4) {
			memcpy(b, p, 4);
			memcpy(b + len - 4, p + len - 4, 4);
		} else {
			for (size_t i = 0; i < len; i++)
				b[i] = p[i];
		}
		memcpy(head, b, 8);
		*tail = 0;
	}
}

#endif
