/*
 * p0f's timestamp clock estimate (fp_tcp.c, check_ts_tcp): wait at least
 * 25 ms and at most 10 minutes for at least 5 ticks; tolerate a counter
 * that went back slightly within 100 ms (packets out of order); accept
 * 0.7 Hz to 1.5 kHz; round the frequency to a plausible value.
 */
#include "config.h"
#include "uptime.h"

static uint32_t round_hz(uint32_t f)
{
	if (f == 0)
		return 1;
	if (f <= 10)
		return f;
	if (f <= 50)
		return (f + 3) / 5 * 5;
	if (f <= 100)
		return (f + 7) / 10 * 10;
	if (f <= 500)
		return (f + 33) / 50 * 50;
	return (f + 67) / 100 * 100;
}

enum uptime_rc uptime_estimate(uint32_t ref_ts, int64_t ref_ms, uint32_t ts,
    int64_t ms, struct uptime *u)
{
	/* Unsigned, as p0f: a clock that went back counts as far too late. */
	uint64_t ms_diff = (uint64_t)(ms - ref_ms);
	uint32_t ts_diff = ts - ref_ts;
	double f;

	if (ms_diff < MIN_TWAIT || ms_diff > MAX_TWAIT)
		return UPTIME_WAIT;
	if (ts_diff < 5 || (ms_diff < TSTAMP_GRACE &&
	    (~ts_diff) / 1000 < MAX_TSCALE / TSTAMP_GRACE))
		return UPTIME_WAIT;
	if (ts_diff > ~ts_diff)
		f = ~ts_diff * -1000.0 / (double)ms_diff;
	else
		f = ts_diff * 1000.0 / (double)ms_diff;
	if (f < MIN_TSCALE || f > MAX_TSCALE)
		return UPTIME_BAD;
	u->raw_hz = f;
	u->hz = round_hz((uint32_t)f);
	u->up_min = ts / u->hz / 60;
	u->mod_days = 0xFFFFFFFFu / (u->hz * 60u * 60 * 24);
	return UPTIME_OK;
}
