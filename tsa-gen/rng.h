/*
 * The generator's only source of randomness: xoshiro256** seeded through
 * splitmix64, so that one seed gives the same capture on every machine
 * (rand() differs between libcs; floating point is used only where the
 * result is rounded to integer nanoseconds or counts).
 *
 * Rule for callers: at most one draw per full expression.  The order in
 * which C evaluates function arguments and operands is unspecified (gcc
 * and clang differ), so two draws in one call would make the output
 * depend on the compiler.
 */
#ifndef GEN_RNG_H
#define GEN_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n); n 0 gives 0. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* Uniform in [lo, hi]. */
uint32_t rng_range(struct rng *r, uint32_t lo, uint32_t hi);
/* Uniform in [0, 1). */
double rng_unit(struct rng *r);
/* True with probability p. */
int rng_chance(struct rng *r, double p);
/* Exponentially distributed with the given mean (Poisson arrivals). */
double rng_exp(struct rng *r, double mean);
/* Pick an index from weights[0..n-1] (not all zero). */
unsigned rng_weighted(struct rng *r, const uint16_t *weights, unsigned n);
void rng_fill(struct rng *r, uint8_t *buf, size_t len);

#endif
