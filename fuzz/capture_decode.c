// link: TSA_CAPTURE_OBJS -lpcap
/*
 * The packet decoder, fragment reassembly included: arbitrary bytes as a
 * sequence of captured frames of one of the link types tsa-capture
 * supports, decoded in order through one reassembly table with small
 * limits (so that they are reached).  Nothing may read outside a frame,
 * loop forever, leak or crash, and what each frame makes must be exactly
 * one well-formed msgpack map whose strings are valid UTF-8 (or nothing,
 * for a frame that makes no record).
 *
 * Input: one byte choosing the link type, then frames, each a 2-byte
 * big-endian length (cut to what is left), one byte whose high nibble is
 * the time step in half seconds and whose low nibble makes the frame
 * truncated (the wire length is that much longer), and the frame.
 */
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#include "../tsa-capture/decode.h"
#include "../tsa-capture/frag.h"
#include "mp.h"

static const int links[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
	DLT_IPV6, DLT_NULL, DLT_LOOP, DLT_IEEE802_11, DLT_IEEE802_11_RADIO,
};

static int utf8_ok(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = s[i] < 0x80 ? 1 : (s[i] & 0xe0) == 0xc0 ? 2 :
		    (s[i] & 0xf0) == 0xe0 ? 3 : (s[i] & 0xf8) == 0xf0 ? 4 : 0;

		if (len == 0 || i + len > n)
			return 0;
		for (size_t j = 1; j < len; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

/* Walk every object: strings must be UTF-8; the map must end exactly. */
static void check(const uint8_t *p, size_t len)
{
	const uint8_t *q = p, *end = p + len;
	struct mp_obj o;
	uint64_t left = 1;

	while (left > 0) {
		if (mp_next(&q, end, &o) < 0)
			abort();
		left--;
		if (o.type == MP_STR && !utf8_ok(o.ptr, o.len))
			abort();
		if (o.type == MP_ARRAY)
			left += o.len;
		else if (o.type == MP_MAP)
			left += 2 * (uint64_t)o.len;
	}
	if (q != end || p[0] < 0x80 || (p[0] > 0x8f && p[0] != 0xde))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Room for a few datagrams, and a timeout a few frames can reach. */
	static const struct frag_limits lim = { 4, 48 << 10, 3000000000u };
	static struct mp_buf out;
	const uint8_t *p = data + 1, *end = data + size;
	struct frag_table *frags;
	int64_t sec = 1700000000;
	uint32_t nsec = 0, caplen;
	int dlt, r;

	if (size < 1)
		return 0;
	dlt = links[data[0] % (sizeof links / sizeof links[0])];
	frags = frag_new(&lim);
	while (end - p >= 3) {
		caplen = (uint32_t)(p[0] << 8 | p[1]);
		if (caplen > (size_t)(end - p) - 3)
			caplen = (uint32_t)(end - p - 3);
		nsec += 500000000u * (p[2] >> 4);
		sec += nsec / 1000000000;
		nsec %= 1000000000;
		out.len = 0;
		r = decode_packet(frags, dlt, p + 3, caplen, caplen + (p[2] & 15),
		    sec, nsec, &out);
		if (r & DEC_RECORD)
			check(out.p, out.len);
		else if (out.len != 0)
			abort();
		p += 3 + caplen;
	}
	frag_free(frags);
	return 0;
}
