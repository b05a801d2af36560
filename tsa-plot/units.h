/*
 * Numbers for people: "1.2M" packets, "3.4 GB", "12.5 Mbit/s".  Decimal
 * (SI) prefixes throughout, as network tools count bits and bytes.
 */
#ifndef TSA_PLOT_UNITS_H
#define TSA_PLOT_UNITS_H

#include <stddef.h>

#define UNITS_LEN 32

/* A count: "950", "12.3k", "1.2M", "4.5G". */
const char *units_count(char out[UNITS_LEN], double v);
/* Bytes: "950 B", "12.3 kB", "3.4 GB". */
const char *units_bytes(char out[UNITS_LEN], double v);
/* Bits per second: "950 bit/s", "12.5 Mbit/s". */
const char *units_bps(char out[UNITS_LEN], double v);

/*
 * An axis tic: the fewest digits that say the value, "0", "2.5k", "40 MB";
 * bytes adds " B" with its prefix.
 */
const char *units_tic(char out[UNITS_LEN], double v, int bytes);
/* A round step (1, 2 or 5 times a power of ten) giving about n tics up to
 * max; at least min_step. */
double units_step(double max, int n, double min_step);

#endif
