/*
 * tsa-aggregate's records for people: a snapshot as titled, aligned tables
 * with percentages (as SiLK's rwstats prints its top-N lists), an alert as
 * one line.
 */
#ifndef TSA_PRINT_TABLES_H
#define TSA_PRINT_TABLES_H

#include "tsa.h"

/*
 * Append the text of a snapshot or alert record to out.  Returns 1 when it
 * did, 0 for other records (the caller shows them as JSON), -1 when the
 * record is malformed.
 */
int tables_record(struct mp_buf *out, const uint8_t *rec, size_t len);

#endif
