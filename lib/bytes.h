/*
 * Integers in network byte order (big-endian) read from a byte pointer
 * the caller has bounds-checked: msgpack's lengths and numbers, and the
 * IP and TCP headers of the records.  Byte by byte, so alignment does not
 * matter; compilers make each a load and a byte swap.
 */
#ifndef TSA_BYTES_H
#define TSA_BYTES_H

#include <stdint.h>

static inline uint16_t tsa_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t tsa_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t tsa_be64(const uint8_t *p)
{
	return (uint64_t)tsa_be32(p) << 32 | tsa_be32(p + 4);
}

#endif
