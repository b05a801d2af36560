/*
 * decode_packet: one frame to one packet record.  The layers pack their
 * keys as they go; the raw header fields for tsa-p0f and the truncation
 * mark come last.
 */
#include "pkt.h"

int decode_packet(struct frag_table *frags, int dlt, const uint8_t *data,
    uint32_t caplen, uint32_t wirelen, int64_t sec, uint32_t nsec,
    struct mp_buf *out)
{
	struct pkt k;
	const uint8_t *end = data + caplen, *l3 = NULL;
	uint16_t et;

	memset(&k, 0, sizeof k);
	k.rec.b = out;
	k.frags = frags;
	k.sec = sec;
	k.nsec = nsec;
	k.wirelen = wirelen;
	if (caplen < wirelen)
		k.flags |= DEC_TRUNCATED;

	et = link_decode(&k, dlt, data, end, &l3);
	if (et == 0)
		return k.flags;
	if (!ip_decode(&k, et, l3, end))
		return k.flags;

	if (k.flags & DEC_TRUNCATED)
		mp_put_bool(KEY(&k, "truncated"), true);
	if (k.tcp_hdr_end != NULL)
		mp_put_bin(KEY(&k, "tcp_headers"), k.l3,
		    (size_t)(k.tcp_hdr_end - k.l3));
	if (k.http_hdr != NULL)
		mp_put_bin(KEY(&k, "http_headers"), k.http_hdr, k.http_hdr_len);
	rec_end(&k.rec);
	return k.flags | DEC_RECORD;
}
