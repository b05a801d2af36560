/*
 * Uptime from TCP timestamps: two timestamps of one host some time apart
 * give the tick frequency of its clock; the current timestamp divided by
 * the frequency is the time since the counter started, usually at boot.
 */
#ifndef P0F_UPTIME_H
#define P0F_UPTIME_H

#include <stdint.h>

struct uptime {
	uint32_t up_min;	/* minutes since the clock started */
	uint32_t mod_days;	/* the counter wraps after this many days */
	uint32_t hz;		/* rounded frequency */
	double raw_hz;		/* measured frequency */
};

enum uptime_rc { UPTIME_WAIT, UPTIME_OK, UPTIME_BAD };

/*
 * Compare timestamp ts (seen at ms, milliseconds) with an earlier one
 * (ref_ts at ref_ms).  WAIT: too soon or too late to tell, try a later
 * packet; BAD: the frequency is outside what RFC 1323 allows, stop trying
 * on this connection; OK: *u is filled in.
 */
enum uptime_rc uptime_estimate(uint32_t ref_ts, int64_t ref_ms, uint32_t ts,
    int64_t ms, struct uptime *u);

#endif
