// link: TSA_CAPTURE_OBJS -lpcap
/*
 * The packet decoder: arbitrary bytes as a captured frame of each link type
 * tsa-capture supports.  Nothing may read outside the frame, loop forever or
 * crash, and what is written must be exactly one well-formed msgpack map
 * whose strings are valid UTF-8 (or nothing, for a frame that makes no
 * record).
 * The first byte chooses the link type; the second, if non-zero, makes the
 * frame truncated (the wire length is that much longer than what is given).
 */
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#include "../tsa-capture/decode.h"
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
	static struct mp_buf out;
	uint32_t caplen;
	int dlt, r;

	if (size < 2)
		return 0;
	dlt = links[data[0] % (sizeof links / sizeof links[0])];
	caplen = (uint32_t)(size - 2);
	out.len = 0;
	r = decode_packet(dlt, data + 2, caplen, caplen + data[1], 1700000000,
	    123456789, &out);
	if (r & DEC_RECORD)
		check(out.p, out.len);
	else if (out.len != 0)
		abort();
	return 0;
}
