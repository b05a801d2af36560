/* Language names for two-letter ISO 639-1 codes (lower case, as p0f). */
#ifndef P0F_LANGUAGES_H
#define P0F_LANGUAGES_H

#include <stddef.h>

/* The name for code[0..1], or NULL when the code is not a language. */
const char *p0f_language(const char code[2]);

/* The length of the longest name. */
size_t p0f_language_max_len(void);

#endif
