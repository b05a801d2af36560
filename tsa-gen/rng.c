/* xoshiro256** 1.0 (Blackman and Vigna, public domain) seeded by splitmix64. */
#include <string.h>

#include "rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Lemire's multiply-shift: unbiased enough for traffic (bias < 2^-32). */
uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

uint32_t
rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(((rng_next(r) >> 32) *
	    ((uint64_t)hi - lo + 1)) >> 32);
}

double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

int
rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/*
 * Natural logarithm from IEEE basic operations only, so that the result
 * is the same bit for bit with any libm: x = m * 2^e with m in [1, 2),
 * ln m = 2 atanh((m - 1) / (m + 1)) by its series (|z| <= 1/3, 30 terms
 * are far below double precision).  x > 0.
 */
static double
portable_log(double x)
{
	int e = 0;
	double z, z2, term, sum = 0;

	while (x >= 2) {
		x /= 2;
		e++;
	}
	while (x < 1) {
		x *= 2;
		e--;
	}
	z = (x - 1) / (x + 1);
	z2 = z * z;
	term = z;
	for (int k = 1; k < 60; k += 2) {
		sum += term / k;
		term *= z2;
	}
	return 2 * sum + e * 0.69314718055994530942;
}

double
rng_exp(struct rng *r, double mean)
{
	/* 1 - u is in (0, 1]: never log(0). */
	return -mean * portable_log(1.0 - rng_unit(r));
}

unsigned
rng_weighted(struct rng *r, const uint16_t *w, unsigned n)
{
	uint32_t total = 0, x;
	unsigned i;

	for (i = 0; i < n; i++)
		total += w[i];
	x = rng_below(r, total);
	for (i = 0; i + 1 < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

void
rng_fill(struct rng *r, uint8_t *buf, size_t len)
{
	while (len >= 8) {
		uint64_t v = rng_next(r);
		memcpy(buf, &v, 8);
		buf += 8;
		len -= 8;
	}
	if (len) {
		uint64_t v = rng_next(r);
		memcpy(buf, &v, len);
	}
}
