/* tsa-print's option table (options.c) and what it sets. */
#ifndef PRINT_OPTIONS_H
#define PRINT_OPTIONS_H

#include "tsa.h"

struct print_opts {
	const char *fields, *delimiter, *out;
	bool no_title, header, tables, json, csv, tsv, last, line_buffered;
	uint64_t host_facts;
};
extern struct print_opts print_opt;
extern const struct tsa_tool print_tool;

/* After parsing: refuse options that cannot go together (exit 2). */
void print_opts_check(void);

#endif
