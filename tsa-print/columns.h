/* Aligned columns with a title line, like SiLK's rwcut. */
#ifndef TSA_PRINT_COLUMNS_H
#define TSA_PRINT_COLUMNS_H

#include <stdio.h>

#include "tsa.h"

struct columns;

/* fields: comma-separated keys; delim separates columns. */
struct columns *columns_new(const char *fields, char delim, int title);
/* Print a row for a record that has at least one of the fields. */
void columns_record(struct columns *c, const uint8_t *rec, size_t len, FILE *out);
/* Print rows still held back for sizing, and free. */
void columns_finish(struct columns *c, FILE *out);

#endif
