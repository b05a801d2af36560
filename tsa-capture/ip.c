/*
 * IPv4 (with options and fragments) and IPv6 (with extension headers).  The
 * record starts here, once the addresses are known: a frame too short to
 * hold them makes no record.
 *
 * Fragments of TCP, UDP, ICMP and ICMPv6 datagrams go to the reassembly
 * table (frag.c), when there is one.  The record of a fragment that is held
 * has its IP fields only; the record of the fragment that completes a
 * datagram carries, besides its own IP fields, the transport and
 * application fields of the whole datagram and "reassembled" (how many
 * fragments it took).  A first fragment the table refuses is decoded on its
 * own, as without reassembly.  So each datagram's transport fields are on
 * one record, never two.
 */
#include "frag.h"
#include "pkt.h"

#define MAX_EXT_HEADERS 16	/* IPv6 extension headers followed */

static const char *const frag_name[] = { NULL, "first", "later" };
enum { FRAG_NONE, FRAG_FIRST, FRAG_LATER };

/* Start the record with the keys every packet record has. */
static void begin(struct pkt *k, unsigned version, const uint8_t *src,
    const uint8_t *dst, size_t alen, unsigned proto, unsigned ttl, int frag)
{
	static const struct { uint8_t num, len; char name[7]; } names[] = {
		{ 1, 4, "icmp" }, { 6, 3, "tcp" }, { 17, 3, "udp" }, { 58, 6, "icmpv6" },
	};
	struct mp_buf *b = k->rec.b;
	uint8_t *d;
	size_t i;

	rec_begin(&k->rec, b);	/* about 150 bytes of REC_ROOM are used here */
	d = b->p + b->len;
	d = CUR_KEY(d, "timestamp");
	d = cur_time(d, k->sec, k->nsec);
	d = CUR_KEY(d, "length");
	d = cur_uint(d, k->wirelen);
	d = CUR_KEY(d, "ip_version");
	d = cur_uint(d, version);
	d = CUR_KEY(d, "src_addr");
	d = cur_bin8(d, src, alen);
	d = CUR_KEY(d, "dst_addr");
	d = cur_bin8(d, dst, alen);
	d = CUR_KEY(d, "protocol");
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].num == proto)
			break;
	if (i < sizeof names / sizeof names[0])
		d = cur_str(d, names[i].name, names[i].len);
	else
		d = cur_uint(d, proto);
	d = CUR_KEY(d, "ttl");
	d = cur_uint(d, ttl);
	k->rec.n += 7;
	if (frag != FRAG_NONE) {
		d = CUR_KEY(d, "fragment");
		d = cur_str(d, frag_name[frag], 5);
		k->rec.n++;
	}
	b->len = (size_t)(d - b->p);
}

/* Stream time of the packet in nanoseconds, saturated far outside any
   capture's range (only differences against a timeout are taken). */
static int64_t now_ns(const struct pkt *k)
{
	const int64_t lim = INT64_MAX / 1000000000 - 1;
	int64_t sec = k->sec > lim ? lim : k->sec < -lim ? -lim : k->sec;

	return sec * 1000000000 + k->nsec;
}

/* Protocols whose fields the records have: worth holding fragments for. */
static int reassembled_proto(unsigned proto)
{
	return proto == 6 || proto == 17 || proto == 1 || proto == 58;
}

/* The record of a fragment that completed a datagram: the IP fields were
   packed by begin(); now what the whole datagram says. */
static void whole(struct pkt *k, unsigned proto, const uint8_t *data,
    size_t len, unsigned nfrags)
{
	put_uint(KEY(k, "reassembled"), nfrags);
	transport_decode(k, proto, data, data + len);
	/* tsa-p0f reads headers as they were on the wire, and no single
	   frame has these. */
	k->tcp_hdr_end = NULL;
}

/*
 * An IPv4 fragment, with a reassembly table.  Returns FRAG_NOT_HELD (the
 * caller decodes the fragment on its own, as without reassembly), or
 * FRAG_HELD or FRAG_DONE with the record packed.  Kept out of line: the
 * common path is a packet that is no fragment.
 */
__attribute__((noinline))
static int fragment4(struct pkt *k, const uint8_t *p, const uint8_t *end,
    size_t ihl, unsigned off, int frag)
{
	struct frag_key key;
	const uint8_t *data;
	size_t total = tsa_be16(p + 2), dlen;
	unsigned nfrags;
	int held;

	if (!reassembled_proto(p[9]) || total < ihl)	/* total 0 too */
		return FRAG_NOT_HELD;
	/* Only a fragment captured whole can be part of a datagram. */
	if (total > (size_t)(end - p)) {
		frag_cut(k->frags);
		return FRAG_NOT_HELD;
	}
	memset(&key, 0, sizeof key);
	memcpy(key.src, p + 12, 4);
	memcpy(key.dst, p + 16, 4);
	key.id = tsa_be16(p + 4);
	key.version = 4;
	key.proto = p[9];
	held = frag_add(k->frags, &key, off, p[6] & 0x20, p + ihl, total - ihl,
	    now_ns(k), &data, &dlen, &nfrags);
	if (held != FRAG_NOT_HELD)
		begin(k, 4, p + 12, p + 16, 4, p[9], p[8], frag);
	if (held == FRAG_DONE)
		whole(k, p[9], data, dlen, nfrags);
	return held;
}

static int ipv4(struct pkt *k, const uint8_t *p, const uint8_t *end)
{
	const uint8_t *ip_end = end;
	size_t ihl, total;
	unsigned off, frag = FRAG_NONE;
	int ok = 1;

	if (end - p < 20) {
		pkt_short(k);
		return 0;
	}
	if (p[0] >> 4 != 4) {
		k->flags |= DEC_MALFORMED;
		return 0;
	}
	ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < 20) {		/* then the addresses are not where we look */
		k->flags |= DEC_MALFORMED;
		return 0;
	}
	total = tsa_be16(p + 2);
	if (total == 0)
		;	/* segmentation offload on the capturing host: use what is there */
	else if (total < ihl) {
		k->flags |= DEC_MALFORMED;
		ok = 0;
	} else if (total > (size_t)(end - p))
		pkt_short(k);	/* cut by the snapshot length, or bogus */
	else
		ip_end = p + total;	/* drop link-layer padding */
	off = (tsa_be16(p + 6) & 0x1fff) * 8u;
	if (off != 0)
		frag = FRAG_LATER;
	else if (p[6] & 0x20)
		frag = FRAG_FIRST;
	if (frag != FRAG_NONE && k->frags &&
	    fragment4(k, p, end, ihl, off, frag) != FRAG_NOT_HELD)
		return 1;
	begin(k, 4, p + 12, p + 16, 4, p[9], p[8], frag);
	if (!ok || frag == FRAG_LATER)
		return 1;
	if ((size_t)(end - p) < ihl) {
		pkt_short(k);
		return 1;
	}
	transport_decode(k, p[9], p + ihl, ip_end);
	return 1;
}

/* How an extension header chain ended. */
enum { CHAIN_OK, CHAIN_SHORT, CHAIN_LONG };

/*
 * Follow IPv6 extension headers from *nh at *q to the upper layer, leaving
 * *nh and *q there (*nh at the header that did not fit, if one does not).
 * The first fragment header met is returned in *fh; the bytes after the
 * fragment header of a non-first fragment are not headers, so the walk
 * ends there, *nh being the fragment header's next header.  Inline: it is
 * on every IPv6 packet's path.
 */
static inline __attribute__((always_inline)) int ext_walk(unsigned *nh,
    const uint8_t **q, const uint8_t *end, const uint8_t **fh)
{
	const uint8_t *h = *q;
	size_t len;
	int i;

	for (i = 0; i < MAX_EXT_HEADERS; i++) {
		switch (*nh) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 51:	/* authentication header: length in 4-byte units */
			if (end - h < 2)
				return CHAIN_SHORT;
			len = *nh == 51 ? ((size_t)h[1] + 2) * 4 : ((size_t)h[1] + 1) * 8;
			if ((size_t)(end - h) < len)
				return CHAIN_SHORT;
			*nh = h[0];
			h += len;
			break;
		case 44:	/* fragment */
			if (end - h < 8)
				return CHAIN_SHORT;
			if (*fh == NULL)
				*fh = h;
			*nh = h[0];
			h += 8;
			if (tsa_be16(h - 6) & 0xfff8) {
				*q = h;
				return CHAIN_OK;
			}
			break;
		default:
			*q = h;
			return CHAIN_OK;
		}
	}
	return CHAIN_LONG;
}

/*
 * An IPv6 fragment (fragment header fh, payload up to ip_end, all: captured
 * whole), with a reassembly table: as fragment4.  The fragment's own next
 * header may be an extension header of the fragmentable part (whose chain a
 * tiny first fragment may even cut); a completed datagram's payload then
 * starts with it.
 */
__attribute__((noinline))
static int fragment6(struct pkt *k, const uint8_t *p, const uint8_t *ip_end,
    int all, const uint8_t *fh, int frag)
{
	struct frag_key key;
	const uint8_t *data, *q, *inner = NULL;
	size_t dlen;
	unsigned nfrags, nh = fh[0];
	int held, chain;

	if (!reassembled_proto(nh) && nh != 43 && nh != 60 && nh != 51)
		return FRAG_NOT_HELD;
	if (!all) {
		frag_cut(k->frags);
		return FRAG_NOT_HELD;
	}
	memset(&key, 0, sizeof key);
	memcpy(key.src, p + 8, 16);
	memcpy(key.dst, p + 24, 16);
	key.id = tsa_be32(fh + 4);
	key.version = 6;
	held = frag_add(k->frags, &key, tsa_be16(fh + 2) & 0xfff8, fh[3] & 1,
	    fh + 8, (size_t)(ip_end - fh - 8), now_ns(k), &data, &dlen, &nfrags);
	if (held == FRAG_HELD)	/* protocol: as for a later fragment */
		begin(k, 6, p + 8, p + 24, 16, nh, p[7], frag);
	if (held != FRAG_DONE)
		return held;
	q = data;
	chain = ext_walk(&nh, &q, data + dlen, &inner);
	begin(k, 6, p + 8, p + 24, 16, nh, p[7], frag);
	if (chain == CHAIN_OK && inner == NULL)
		whole(k, nh, q, (size_t)(data + dlen - q), nfrags);
	else {		/* a cut chain, or a fragment in a fragment */
		k->flags |= DEC_MALFORMED;
		put_uint(KEY(k, "reassembled"), nfrags);
	}
	return held;
}

static int ipv6(struct pkt *k, const uint8_t *p, const uint8_t *end)
{
	const uint8_t *ip_end = end, *q, *fh = NULL;
	size_t plen;
	unsigned nh;
	int frag = FRAG_NONE, all = 0, chain;

	if (end - p < 40) {
		pkt_short(k);
		return 0;
	}
	if (p[0] >> 4 != 6) {
		k->flags |= DEC_MALFORMED;
		return 0;
	}
	plen = tsa_be16(p + 4);
	if (plen == 0)
		;		/* jumbogram or segmentation offload: use what is there */
	else if (plen > (size_t)(end - p) - 40)
		pkt_short(k);
	else {
		ip_end = p + 40 + plen;
		all = 1;
	}
	nh = p[6];
	q = p + 40;
	chain = ext_walk(&nh, &q, ip_end, &fh);
	if (fh != NULL) {
		if (tsa_be16(fh + 2) & 0xfff8)
			frag = FRAG_LATER;
		else if (fh[3] & 1)
			frag = FRAG_FIRST;
	}
	if (frag != FRAG_NONE && k->frags &&
	    fragment6(k, p, ip_end, all, fh, frag) != FRAG_NOT_HELD)
		return 1;
	begin(k, 6, p + 8, p + 24, 16, nh, p[7], frag);
	if (chain == CHAIN_LONG)	/* an absurd chain of extension headers */
		k->flags |= DEC_MALFORMED;
	else if (chain == CHAIN_SHORT)
		pkt_short(k);
	else if (frag != FRAG_LATER)
		transport_decode(k, nh, q, ip_end);
	return 1;
}

int ip_decode(struct pkt *k, uint16_t ethertype, const uint8_t *p,
    const uint8_t *end)
{
	k->l3 = p;
	return ethertype == 0x0800 ? ipv4(k, p, end) : ipv6(k, p, end);
}
