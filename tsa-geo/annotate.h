/*
 * Writing the answers into a record: the src_/dst_ keys, and for a stream
 * tsa-geo has already annotated, removing the keys of the earlier run.
 */
#ifndef TSA_GEO_ANNOTATE_H
#define TSA_GEO_ANNOTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lookup.h"
#include "stream.h"

enum geo_side { GEO_SRC, GEO_DST };

/* Append side's keys for r to the record begun with tsa_rec_begin. */
void geo_annotate(struct tsa_writer *w, enum geo_side side,
    const struct geo_result *r);

/* Is key (a msgpack string object) one tsa-geo writes? */
bool geo_is_own_key(const struct mp_obj *key);

/*
 * Copy the map rec into out without tsa-geo's keys.  Returns false if rec
 * is not a well-formed map (then out is unchanged).
 */
bool geo_strip(const uint8_t *rec, size_t len, struct mp_buf *out);

/* Does the header's "tools" list name tool (by argv[0]'s last component)? */
bool geo_header_ran(const uint8_t *hdr, size_t len, const char *tool);

#endif
