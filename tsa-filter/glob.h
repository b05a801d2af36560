/*
 * Shell-style glob patterns for string fields: '*' any run of bytes, '?' one
 * byte, [abc] [a-z] [!abc] a byte from a set, '\' makes the next byte
 * literal.  Matching never backtracks more than once per subject byte, so a
 * pattern like "*a*a*a*a*b" cannot blow up on a long subject.
 */
#ifndef TSA_FILTER_GLOB_H
#define TSA_FILTER_GLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct glob;

/*
 * Compile pattern (n bytes).  With fold, ASCII letters match either case.
 * Returns NULL with *why set on a bad pattern (an unclosed '[').
 */
struct glob *glob_compile(const char *pat, size_t n, bool fold,
    const char **why);
bool glob_match(const struct glob *g, const uint8_t *s, size_t n);
void glob_free(struct glob *g);

#endif
