/*
 * The bandwidth of the whole-stream window.  Its span is not known until
 * the stream ends, and nothing leaves it, so no packet needs to be kept:
 * bytes go into a fixed array of fine buckets whose width doubles (pairs
 * merging) whenever the span outgrows it.  The span then fills between a
 * half and all of the array, so a snapshot cut into Buckets has at least
 * FINE_PER_BUCKET / 2 fine buckets in each of its own.  Times are
 * differences of stream times, below 2^63 (record.c bounds them), taken
 * as unsigned so that none can overflow.
 */
#include <stdlib.h>

#include "agg.h"

#define FINE_MIN 4096
#define FINE_MAX (1u << 21)	/* 16 MiB */
#define FINE_PER_BUCKET 64

void fine_init(struct fine *f, uint32_t buckets)
{
	uint64_t want = (uint64_t)buckets * FINE_PER_BUCKET;

	f->k = FINE_MIN;
	while (f->k < want && f->k < FINE_MAX)
		f->k <<= 1;
	f->bytes = tsa_calloc(f->k, sizeof *f->bytes);
	f->shift = 0;
	f->t0 = 0;
}

void fine_start(struct fine *f, int64_t t)
{
	memset(f->bytes, 0, (size_t)f->k * sizeof *f->bytes);
	f->t0 = t;
	f->shift = 0;
}

/* Merge pairs: twice the width, the same start. */
static void widen(struct fine *f)
{
	uint32_t i;

	for (i = 0; i < f->k / 2; i++)
		f->bytes[i] = f->bytes[2 * i] + f->bytes[2 * i + 1];
	memset(f->bytes + f->k / 2, 0, (size_t)(f->k / 2) * sizeof *f->bytes);
	f->shift++;
}

void fine_fit(struct fine *f, int64_t t, int64_t last)
{
	uint64_t back, s, used;

	if (t >= f->t0) {
		while ((((uint64_t)t - (uint64_t)f->t0) >> f->shift) >= f->k)
			widen(f);
		return;
	}
	/*
	 * Before t0 (a packet older than the first, later in the stream): move
	 * the buckets up by whole buckets, widening them until that fits.
	 */
	for (;;) {
		back = (uint64_t)f->t0 - (uint64_t)t;
		s = (back >> f->shift) + ((back & ((1ULL << f->shift) - 1)) != 0);
		used = (((uint64_t)last - (uint64_t)f->t0) >> f->shift) + 1;
		if (used + s <= f->k)
			break;
		widen(f);
	}
	memmove(f->bytes + s, f->bytes, (size_t)used * sizeof *f->bytes);
	memset(f->bytes, 0, (size_t)s * sizeof *f->bytes);
	f->t0 = (int64_t)((uint64_t)f->t0 - (s << f->shift));
}

uint64_t fine_cut(const struct fine *f, int64_t end, uint32_t n, uint64_t *out)
{
	/* fine buckets from t0 to the one holding end; those past the array are empty */
	uint64_t u = (((uint64_t)end - (uint64_t)f->t0) >> f->shift) + 1;
	uint64_t m = u / n + (u % n != 0), i, e, lim = u < f->k ? u : f->k;
	uint32_t j;

	for (i = 0, j = 0; j < n; j++) {
		out[j] = 0;
		for (e = i + m < lim ? i + m : lim; i < e; i++)
			out[j] += f->bytes[i];
	}
	return m << f->shift;
}
