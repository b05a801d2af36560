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
	/* Past the last prefix: in exponent form, not 300 digits. */
	if (v >= 999.5e18) {
		snprintf(out, UNITS_LEN, "%.3g%s%s", v, sep, unit);
		return out;
	}
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

const char *units_tic(char out[UNITS_LEN], double v, int bytes)
{
	static const char prefix[] = { 0, 'k', 'M', 'G', 'T', 'P', 'E' };
	int i = 0;

	if (!isfinite(v) || v < 0)
		v = 0;
	if (v >= 1e21) {	/* past the last prefix */
		snprintf(out, UNITS_LEN, "%.3g%s", v, bytes ? " B" : "");
		return out;
	}
	while (i < 6 && v >= 1000) {
		v /= 1000;
		i++;
	}
	/* %.3g: a tic step is 1, 2 or 5 times a power of ten, so three
	 * digits always say it exactly. */
	if (i == 0)
		snprintf(out, UNITS_LEN, "%.3g%s", v, bytes ? " B" : "");
	else
		snprintf(out, UNITS_LEN, "%.3g%s%c%s", v, bytes ? " " : "",
		    prefix[i], bytes ? "B" : "");
	return out;
}

double units_step(double max, int n, double min_step)
{
	double raw, mag, norm, step;

	if (!isfinite(max) || max <= 0 || n < 1)
		return min_step > 0 ? min_step : 1;
	raw = max / n;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
	return step < min_step ? min_step : step;
}
