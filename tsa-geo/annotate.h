/*
 * Writing the answers into a record: the src_/dst_ keys, and for a stream
 * tsa-geo has already annotated, removing the keys of the earlier run.
 * The pairs (see lookup.h) are packed once, so writing a record is copying
 * it with a new map header and the pairs appended.
 */
#ifndef TSA_GEO_ANNOTATE_H
#define TSA_GEO_ANNOTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "lookup.h"
#include "stream.h"

enum geo_side { GEO_SRC, GEO_DST };

/* "src_country", ... */
const char *geo_key(int side, enum geo_field f);

/* Pack the src_scope/dst_scope pairs; once, before geo_result_pairs. */
void geo_annotate_init(void);

/*
 * The pairs to append for side's result r: stores at most two pointers in
 * out and returns how many.
 */
int geo_result_pairs(const struct geo_result *r, int side,
    const uint8_t **out);

/*
 * Write the map rec (whole, checked) to w with the pairs appended and its
 * header counting them.
 */
void geo_write(struct tsa_writer *w, const uint8_t *rec, size_t len,
    const uint8_t *const *pairs, int npairs);

/* Is key (a msgpack string object) one tsa-geo writes? */
bool geo_is_own_key(const struct mp_obj *key);

/*
 * Copy the map rec into out without tsa-geo's keys; pairs whose key is
 * not a string are kept.  Returns false if rec is not a well-formed map
 * (then out holds nothing of use).
 */
bool geo_strip(const uint8_t *rec, size_t len, struct mp_buf *out);

#endif
