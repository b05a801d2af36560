#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "hash.h"
#include "util.h"

uint64_t tsa_hash_key[16];

void tsa_hash_init(void)
{
	size_t got = 0;

	while (got < sizeof tsa_hash_key) {
		ssize_t n = getrandom((char *)tsa_hash_key + got,
		    sizeof tsa_hash_key - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			tsa_die("getrandom: %s", strerror(errno));
		got += (size_t)n;
	}
}

#define ROTL(x, b) ((x) << (b) | (x) >> (64 - (b)))
#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/* SipHash-1-3: one round per 8-byte block, three to finish. */
uint64_t tsa_hash_bytes(const void *p, size_t n)
{
	const uint8_t *s = p;
	uint64_t k0 = tsa_hash_key[6], k1 = tsa_hash_key[7];	/* its own */
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t m, b = (uint64_t)n << 56;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		m = 0;
		for (int j = 0; j < 8; j++)	/* little-endian, as specified */
			m |= (uint64_t)s[i + j] << (8 * j);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	for (int j = 0; i < n; i++, j++)
		b |= (uint64_t)s[i] << (8 * j);
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}
