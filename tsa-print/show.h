/* Turning raw msgpack values into text for people and for jq. */
#ifndef TSA_PRINT_SHOW_H
#define TSA_PRINT_SHOW_H

#include "tsa.h"

/* Values nested deeper than this print as null (and are counted). */
#define SHOW_MAX_DEPTH 32

/* Does a key hold addresses (bin of 4 or 16 shown as text)?  docs/stream.md */
int show_is_addr_key(const uint8_t *k, size_t n);

/*
 * Append the value at *p as JSON to out and advance *p past it.  key/klen
 * name the value's key (for address detection), or NULL.  Returns -1 on
 * malformed input.
 */
int show_json(struct mp_buf *out, const uint8_t **p, const uint8_t *end,
    const uint8_t *key, size_t klen, int depth);

/* A whole record as one JSON line, newline included. */
int show_json_record(struct mp_buf *out, const uint8_t *rec, size_t len);

/*
 * The value at p as plain text for a column: strings unquoted, arrays joined
 * with ',', maps as JSON; control bytes in strings as '?', for a terminal.
 */
void show_text(struct mp_buf *out, const uint8_t *p, const uint8_t *end,
    const uint8_t *key, size_t klen);
/* The same with control bytes kept, for CSV and TSV, which quote or escape them. */
void show_text_exact(struct mp_buf *out, const uint8_t *p, const uint8_t *end,
    const uint8_t *key, size_t klen);

/*
 * A string of a decoded record (lib/snapshot.h's), as show_text shows a
 * string value; show_json_str: quoted, as show_json does.
 */
void show_str(struct mp_buf *out, const char *s);
void show_json_str(struct mp_buf *out, const char *s);

/* Values cut off by SHOW_MAX_DEPTH, for the closing warning. */
extern unsigned long show_too_deep;

#endif
