/*
 * Records as columns: aligned with a title line, like SiLK's rwcut, or as
 * CSV (RFC 4180) or TSV for other programs.
 */
#ifndef TSA_PRINT_COLUMNS_H
#define TSA_PRINT_COLUMNS_H

#include <stdio.h>

#include "tsa.h"

enum columns_style {
	COLUMNS_ALIGNED,	/* padded, delim after each column */
	COLUMNS_CSV,		/* RFC 4180: quoted where needed, CRLF */
	COLUMNS_TSV,		/* tabs; \t \n \r \\ escaped in values */
};

struct columns;

/* fields: comma-separated keys; delim separates aligned columns; hosts:
   the number of hosts whose host record is kept for src_ and dst_ facts. */
struct columns *columns_new(const char *fields, enum columns_style style,
    char delim, int title, uint32_t hosts);
/* Print a row for a record that has at least one of the fields. */
void columns_record(struct columns *c, const uint8_t *rec, size_t len, FILE *out);
/* The input paused: print the rows held back for sizing, sized by them. */
void columns_release(struct columns *c, FILE *out);
/* Print rows still held back for sizing (the title, if no row came), and free. */
void columns_finish(struct columns *c, FILE *out);

#endif
