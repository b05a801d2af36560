/*
 * IPv4 (with options and fragments) and IPv6 (with extension headers).  The
 * record starts here, once the addresses are known: a frame too short to
 * hold them makes no record.
 */
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
	total = rd16(p + 2);
	if (total == 0)
		;	/* segmentation offload on the capturing host: use what is there */
	else if (total < ihl) {
		k->flags |= DEC_MALFORMED;
		ok = 0;
	} else if (total > (size_t)(end - p))
		pkt_short(k);	/* cut by the snapshot length, or bogus */
	else
		ip_end = p + total;	/* drop link-layer padding */
	off = (rd16(p + 6) & 0x1fff) * 8u;
	if (off != 0)
		frag = FRAG_LATER;
	else if (p[6] & 0x20)
		frag = FRAG_FIRST;
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

static int ipv6(struct pkt *k, const uint8_t *p, const uint8_t *end)
{
	const uint8_t *ip_end = end, *q;
	size_t plen, len;
	unsigned nh;
	int i, frag = FRAG_NONE, done = 0;

	if (end - p < 40) {
		pkt_short(k);
		return 0;
	}
	if (p[0] >> 4 != 6) {
		k->flags |= DEC_MALFORMED;
		return 0;
	}
	plen = rd16(p + 4);
	if (plen == 0)
		;		/* jumbogram or segmentation offload: use what is there */
	else if (plen > (size_t)(end - p) - 40)
		pkt_short(k);
	else
		ip_end = p + 40 + plen;
	nh = p[6];
	q = p + 40;
	for (i = 0; i < MAX_EXT_HEADERS && !done; i++) {
		switch (nh) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 51:	/* authentication header: length in 4-byte units */
			if (ip_end - q < 2)
				goto short_;
			len = nh == 51 ? ((size_t)q[1] + 2) * 4 : ((size_t)q[1] + 1) * 8;
			if ((size_t)(ip_end - q) < len)
				goto short_;
			nh = q[0];
			q += len;
			break;
		case 44:	/* fragment */
			if (ip_end - q < 8)
				goto short_;
			nh = q[0];
			if (rd16(q + 2) & 0xfff8)
				frag = FRAG_LATER;
			else if (q[3] & 1)
				frag = FRAG_FIRST;
			q += 8;
			break;
		default:
			done = 1;
		}
	}
	begin(k, 6, p + 8, p + 24, 16, nh, p[7], frag);
	if (!done)		/* an absurd chain of extension headers */
		k->flags |= DEC_MALFORMED;
	else if (frag != FRAG_LATER)
		transport_decode(k, nh, q, ip_end);
	return 1;
short_:
	begin(k, 6, p + 8, p + 24, 16, nh, p[7], frag);
	pkt_short(k);
	return 1;
}

int ip_decode(struct pkt *k, uint16_t ethertype, const uint8_t *p,
    const uint8_t *end)
{
	k->l3 = p;
	return ethertype == 0x0800 ? ipv4(k, p, end) : ipv6(k, p, end);
}
