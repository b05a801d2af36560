/*
 * Keyed hashing for every table keyed by data from the wire (addresses,
 * names, tuples).  Without a secret, whoever sends the packets chooses which
 * keys collide and turns a table into a list: 150,000 crafted sources made
 * tsa-aggregate 190 times slower than random ones.  The keys are drawn from
 * the system's randomness once per process (tsa_init), and no output
 * depends on a hash value, so runs stay reproducible.
 */
#ifndef TSA_HASH_H
#define TSA_HASH_H

#include <stddef.h>
#include <stdint.h>

extern uint64_t tsa_hash_key[16];
/* Draw the keys (called by tsa_init; a tool that skips it hashes unkeyed). */
void tsa_hash_init(void);

/*
 * Fixed-size keys (an address as two words and its length, a tuple of slot
 * numbers): vector multiply-shift over 32-bit pieces, strongly universal
 * (Thorup, "High speed hashing for integers and strings"): for any two
 * distinct keys chosen without knowing the secret, the 32 bits returned
 * collide with probability 2^-32.  Five multiplies: the host tables hash on
 * every miss of their caches, millions of times a second.
 */
static inline uint32_t tsa_hash_words(uint64_t x, uint64_t y, uint32_t tag)
{
	const uint64_t *k = tsa_hash_key;
	uint64_t h = k[0] + k[1] * (uint32_t)x + k[2] * (x >> 32) +
	    k[3] * (uint32_t)y + k[4] * (y >> 32) + k[5] * tag;

	return (uint32_t)(h >> 32);
}

/*
 * Up to 6 words (a connection: two addresses and the ports): the sum of
 * each word times its own random odd multiplier, whose high half is
 * approximately universal (Dietzfelbinger's multiply-shift, word by word).
 */
static inline uint32_t tsa_hash_u64s(const uint64_t *w, unsigned n)
{
	uint64_t h = tsa_hash_key[8];

	for (unsigned i = 0; i < n && i < 6; i++)
		h += (tsa_hash_key[9 + i] | 1) * w[i];
	return (uint32_t)(h >> 32);
}

/*
 * Keys of any length (domain names, fragment ids): SipHash-1-3 under the
 * process's key, for keys an attacker writes byte by byte.
 */
uint64_t tsa_hash_bytes(const void *p, size_t n);

#endif
