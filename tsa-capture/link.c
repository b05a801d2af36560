/*
 * Link layers: from the start of a frame to its IP packet.  Each frame is
 * decoded on its own (VLAN tags, LLC/SNAP, 802.11 header sizes vary from
 * frame to frame).
 */
#include <pcap/dlt.h>

#include "pkt.h"

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define MAX_TAGS 8		/* VLAN/MPLS labels followed before giving up */

bool decode_link_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
	case DLT_IEEE802_11:
	case DLT_IEEE802_11_RADIO:
		return true;
	}
	return false;
}

/* A frame that carries something other than IP. */
static uint16_t non_ip(struct pkt *k)
{
	k->flags |= DEC_NON_IP;
	return 0;
}

/* Raw IP: the version nibble says which. */
static uint16_t by_version(struct pkt *k, const uint8_t *p, const uint8_t *end)
{
	if (p >= end) {
		pkt_short(k);
		return 0;
	}
	switch (p[0] >> 4) {
	case 4: return ETH_IPV4;
	case 6: return ETH_IPV6;
	}
	k->flags |= DEC_MALFORMED;
	return 0;
}

/*
 * An EtherType at type[0..1], payload from p: follow VLAN tags (802.1Q,
 * 802.1ad, the older 0x9100), PPPoE sessions and MPLS label stacks to IP.
 */
static uint16_t ethertype(struct pkt *k, const uint8_t *type, const uint8_t *p,
    const uint8_t *end, const uint8_t **l3)
{
	uint16_t et = tsa_be16(type);
	int hops;

	for (hops = 0; hops < MAX_TAGS; hops++) {
		switch (et) {
		case ETH_IPV4:
		case ETH_IPV6:
			*l3 = p;
			return et;
		case 0x8100:
		case 0x88a8:
		case 0x9100:
			if (end - p < 4)
				goto short_;
			et = tsa_be16(p + 2);
			p += 4;
			break;
		case 0x8864:	/* PPPoE session: 6-byte header, PPP protocol */
			if (end - p < 8)
				goto short_;
			et = tsa_be16(p + 6);
			p += 8;
			if (et == 0x0021)
				et = ETH_IPV4;
			else if (et == 0x0057)
				et = ETH_IPV6;
			else
				return non_ip(k);
			break;
		case 0x8847:	/* MPLS unicast: labels up to bottom of stack */
		case 0x8848:
			if (end - p < 4)
				goto short_;
			if (p[2] & 1) {	/* IP, or a pseudowire (not IP) */
				p += 4;
				*l3 = p;
				if (p >= end)
					goto short_;
				if (p[0] >> 4 == 4)
					return ETH_IPV4;
				if (p[0] >> 4 == 6)
					return ETH_IPV6;
				return non_ip(k);
			}
			p += 4;
			break;
		default:
			return non_ip(k);
		}
	}
	k->flags |= DEC_MALFORMED;	/* more tags than any real network uses */
	return 0;
short_:
	pkt_short(k);
	return 0;
}

/* 802.2 LLC with a SNAP header carrying an EtherType (OUI 0). */
static uint16_t llc_snap(struct pkt *k, const uint8_t *p, const uint8_t *end,
    const uint8_t **l3)
{
	if (end - p >= 3 && (p[0] != 0xaa || p[1] != 0xaa || p[2] != 0x03))
		return non_ip(k);
	if (end - p < 8) {
		pkt_short(k);
		return 0;
	}
	if (p[0] != 0xaa || p[1] != 0xaa || p[2] != 0x03 ||
	    p[3] != 0 || p[4] != 0 || p[5] != 0)
		return non_ip(k);
	return ethertype(k, p + 6, p + 8, end, l3);
}

static uint16_t ethernet(struct pkt *k, const uint8_t *p, const uint8_t *end,
    const uint8_t **l3)
{
	if (end - p < 14) {
		pkt_short(k);
		return 0;
	}
	if (tsa_be16(p + 12) < 0x0600)	/* an 802.3 length: LLC follows */
		return llc_snap(k, p + 14, end, l3);
	return ethertype(k, p + 12, p + 14, end, l3);
}

/* BSD loopback: the address family, in the capturing host's byte order
   (DLT_NULL) or in network order (DLT_LOOP). */
static uint16_t null_loop(struct pkt *k, int dlt, const uint8_t *p,
    const uint8_t *end, const uint8_t **l3)
{
	uint32_t af;

	if (end - p < 4) {
		pkt_short(k);
		return 0;
	}
	af = tsa_be32(p);
	if (dlt == DLT_NULL && (af & 0xffff) == 0)	/* little-endian host */
		af = (uint32_t)p[0] | (uint32_t)p[1] << 8;
	*l3 = p + 4;
	switch (af) {
	case 2:				/* AF_INET everywhere */
		return ETH_IPV4;
	case 10: case 24: case 28: case 30:	/* AF_INET6: Linux, BSDs, macOS */
		return ETH_IPV6;
	}
	return non_ip(k);
}

/* 802.11 data frames; a radiotap header, if any, has been skipped. */
static uint16_t ieee80211(struct pkt *k, const uint8_t *p, const uint8_t *end,
    const uint8_t **l3)
{
	unsigned fc0, fc1, subtype;
	size_t hlen = 24;

	if (end - p < 2) {
		pkt_short(k);
		return 0;
	}
	fc0 = p[0];
	fc1 = p[1];
	if ((fc0 & 0x0c) != 0x08 || (fc0 & 0x03) != 0)	/* data, version 0 */
		return non_ip(k);
	subtype = fc0 >> 4;
	if (subtype & 0x04)	/* null function: no payload */
		return non_ip(k);
	if (fc1 & 0x40)		/* protected: encrypted payload */
		return non_ip(k);
	if ((fc1 & 0x03) == 0x03)	/* to and from DS: a fourth address */
		hlen += 6;
	if (subtype & 0x08) {	/* QoS data */
		if ((size_t)(end - p) < hlen + 2) {
			pkt_short(k);
			return 0;
		}
		if (p[hlen] & 0x80)	/* A-MSDU: subframes, not one packet */
			return non_ip(k);
		hlen += 2;
		if (fc1 & 0x80)	/* +HTC: HT control field */
			hlen += 4;
	}
	if ((size_t)(end - p) < hlen) {
		pkt_short(k);
		return 0;
	}
	return llc_snap(k, p + hlen, end, l3);
}

static uint16_t radiotap(struct pkt *k, const uint8_t *p, const uint8_t *end,
    const uint8_t **l3)
{
	size_t len;

	if (end - p < 8) {
		pkt_short(k);
		return 0;
	}
	len = (size_t)p[2] | (size_t)p[3] << 8;	/* little-endian */
	if (p[0] != 0 || len < 8) {
		k->flags |= DEC_MALFORMED;
		return 0;
	}
	if ((size_t)(end - p) < len) {
		pkt_short(k);
		return 0;
	}
	return ieee80211(k, p + len, end, l3);
}

uint16_t link_decode(struct pkt *k, int dlt, const uint8_t *p,
    const uint8_t *end, const uint8_t **l3)
{
	switch (dlt) {
	case DLT_EN10MB:
		return ethernet(k, p, end, l3);
	case DLT_LINUX_SLL:	/* 16 bytes, protocol last */
		if (end - p < 16)
			break;
		if (tsa_be16(p + 14) == 0x0004)	/* 802.2 LLC frame */
			return llc_snap(k, p + 16, end, l3);
		return ethertype(k, p + 14, p + 16, end, l3);
	case DLT_LINUX_SLL2:	/* 20 bytes, protocol first */
		if (end - p < 20)
			break;
		if (tsa_be16(p) == 0x0004)
			return llc_snap(k, p + 20, end, l3);
		return ethertype(k, p, p + 20, end, l3);
	case DLT_RAW:
		*l3 = p;
		return by_version(k, p, end);
	case DLT_IPV4:
		*l3 = p;
		return ETH_IPV4;
	case DLT_IPV6:
		*l3 = p;
		return ETH_IPV6;
	case DLT_NULL:
	case DLT_LOOP:
		return null_loop(k, dlt, p, end, l3);
	case DLT_IEEE802_11:
		return ieee80211(k, p, end, l3);
	case DLT_IEEE802_11_RADIO:
		return radiotap(k, p, end, l3);
	default:
		return non_ip(k);
	}
	pkt_short(k);
	return 0;
}
