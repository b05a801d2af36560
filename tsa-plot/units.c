/*
 * Three significant figures at most, so the labels of a bar chart stay the
 * same width: 1.23k, 12.3k, 123k.
 */
#include <math.h>
#include <stdio.h>

#include "units.h"

static const char *scaled(char out[UNITS_LEN], double v, const char *sep,
    const char *unit)
{
	static const char prefix[] = { 0, 'k', 'M', 'G', 'T', 'P', 'E' };
	int i = 0;

	if (!isfinite(v) || v < 0)
		v = 0;
	/* Step up once the rounded value would print as 1000. */
	while (i < 6 && v >= 999.5) {
		v /= 1000;
		i++;
	}
	if (i == 0)
		snprintf(out, UNITS_LEN, "%.0f%s%s", v, sep, unit);
	else
		snprintf(out, UNITS_LEN, "%.*f%s%c%s",
		    v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v, sep, prefix[i], unit);
	return out;
}

const char *units_count(char out[UNITS_LEN], double v)
{
	return scaled(out, v, "", "");
}

const char *units_bytes(char out[UNITS_LEN], double v)
{
	return scaled(out, v, " ", "B");
}

const char *units_bps(char out[UNITS_LEN], double v)
{
	return scaled(out, v, " ", "bit/s");
}
