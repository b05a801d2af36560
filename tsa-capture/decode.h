/*
 * The packet decoder: one captured frame in, at most one packet record out.
 * Every layer is found in the frame itself (no offsets remembered from
 * earlier packets), every read is bounded by the captured length, and the
 * record is packed straight into the caller's buffer as layers are decoded.
 */
#ifndef TSA_CAPTURE_DECODE_H
#define TSA_CAPTURE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "mp.h"

/* What decode_packet did with a frame; a bit set. */
enum {
	DEC_RECORD = 1 << 0,	/* a packet record was appended to out */
	DEC_NON_IP = 1 << 1,	/* not an IP packet (ARP, 802.11 management...) */
	DEC_TRUNCATED = 1 << 2,	/* caplen < wire length */
	DEC_MALFORMED = 1 << 3,	/* some layer was invalid: what came before
				   it is in the record (if any) */
	DEC_NAMES_CUT = 1 << 4,	/* DNS names past the caps below were left out */
};

/*
 * Caps on the DNS names of one record (questions and CNAME targets
 * together): how many, and how many bytes of text.  Compression pointers
 * would otherwise let a 64 KiB message ask for 11 MB of names.
 */
#define DNS_MAX_NAMES 128
#define DNS_MAX_NAME_BYTES 16384

/* Can decode_packet handle this DLT at all? */
bool decode_link_supported(int dlt);

struct frag_table;

/*
 * Decode one frame of link type dlt (libpcap's DLT_ value) and append its
 * packet record to out.  Returns DEC_* bits.  Never reads outside
 * data[0, caplen).  Fragments are reassembled in frags (frag.h), unless it
 * is NULL.
 */
int decode_packet(struct frag_table *frags, int dlt, const uint8_t *data,
    uint32_t caplen, uint32_t wirelen, int64_t sec, uint32_t nsec,
    struct mp_buf *out);

#endif
