/*
 * IP addresses as the stream carries them: 4 or 16 raw bytes in network
 * order.  Text only at the edges (tsa-print, settings, filter expressions).
 */
#ifndef TSA_ADDR_H
#define TSA_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hash.h"

#define TSA_ADDR_STRLEN 46

/*
 * A 4- or 16-byte address as two words, for hashing and comparing without
 * memcmp: its bytes in memory order, an IPv4 address zero-padded.  The 4
 * bytes are loaded as a 32-bit word: copied into a 64-bit one and read
 * back whole, they would stall the load until the copy lands.
 */
static inline void tsa_addr_words(const uint8_t *a, size_t len, uint64_t *x,
    uint64_t *y)
{
	if (len == 4) {
		uint32_t w;

		memcpy(&w, a, 4);
		*x = w;
		*y = 0;
	} else {
		memcpy(x, a, 8);
		memcpy(y, a + 8, 8);
	}
}

/*
 * A hash of an address's words (tsa_addr_words) for the tools' host tables:
 * keyed (hash.h), because the addresses are the senders' choice.
 */
static inline uint32_t tsa_addr_hash(uint64_t x, uint64_t y, size_t len)
{
	return tsa_hash_words(x, y, (uint32_t)len);
}

/* Text form of a 4- or 16-byte address; "?" for another length. */
const char *tsa_addr_fmt(const uint8_t *a, size_t len, char out[TSA_ADDR_STRLEN]);
/* Parse text; *len is 4 or 16.  Returns false on bad text. */
bool tsa_addr_parse(const char *s, uint8_t out[16], size_t *len);

/* A CIDR block.  An IPv4 block also matches IPv4-mapped IPv6 addresses. */
struct tsa_cidr {
	uint8_t addr[16];
	uint8_t len;		/* 4 or 16 */
	uint8_t prefix;
};
/* "10.0.0.0/8", "2001:db8::/32", or a bare address (full-length prefix). */
bool tsa_cidr_parse(const char *s, struct tsa_cidr *c);
bool tsa_cidr_match(const struct tsa_cidr *c, const uint8_t *a, size_t len);

/* Why an address is not looked up in a geolocation database. */
enum tsa_addr_scope {
	TSA_SCOPE_PUBLIC,
	TSA_SCOPE_PRIVATE,	/* RFC 1918, RFC 6598 CGN, fc00::/7 ULA */
	TSA_SCOPE_LOOPBACK,
	TSA_SCOPE_LINKLOCAL,
	TSA_SCOPE_MULTICAST,	/* and IPv4 broadcast */
	TSA_SCOPE_DOCUMENTATION,	/* TEST-NET-1/2/3, 2001:db8::/32 */
	TSA_SCOPE_RESERVED,	/* unspecified, 0/8, 240/4, benchmarking... */
};
enum tsa_addr_scope tsa_addr_scope(const uint8_t *a, size_t len);
const char *tsa_scope_name(enum tsa_addr_scope s);	/* "private", ... */

#endif
