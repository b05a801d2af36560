/*
 * p0f's find_offset (process.c): for the link types it names, a fixed
 * offset; for the others, the first even offset below 40 at which the
 * first TCP frame seems to hold an IPv4 or IPv6 header carrying TCP,
 * kept for good.  For each link type tsa-capture decodes, what that comes
 * to, as checked with p0f 3.09b on crafted captures:
 *
 *  - Ethernet: 14, also for VLAN-tagged (and PPPoE, MPLS) frames, whose
 *    IP header is further in: p0f reads none of those.  The records do
 *    not say how a frame was encapsulated, so --compat cannot skip them
 *    (tests/p0f/oracle.t names the capture where this shows).
 *  - Linux cooked v1: 16; null/loopback (host byte order): 4; raw IP: 0.
 *  - OpenBSD loopback (DLT_LOOP): p0f takes 8, but the header is 4 bytes:
 *    it reads from the IP header's fifth byte and finds nothing.
 *  - 802.11 without radio header: 32, right for data frames without QoS
 *    (header 24, LLC/SNAP 8) only; as for VLANs, the records cannot tell.
 *  - Found by the search: Linux cooked v2 (20), DLT_IPV4 and DLT_IPV6
 *    (0).  802.11 with a radiotap header: the IP header starts 40 bytes
 *    in or further (radiotap 8 or more, 802.11 24, LLC/SNAP 8), past the
 *    search: p0f reads nothing (unless bytes of the first frame happen to
 *    look like an IP header, from which it would read garbage).
 */
#include <pcap/dlt.h>

#include "linktype.h"

int p0f_ip_offset(int64_t link_type)
{
	switch (link_type) {
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return 0;
	case DLT_NULL:
		return 4;
	case DLT_EN10MB:
		return 14;
	case DLT_LINUX_SLL:
		return 16;
	case DLT_LINUX_SLL2:
		return 20;
	case DLT_IEEE802_11:
		return 32;
	case DLT_LOOP:
	case DLT_IEEE802_11_RADIO:
		return P0F_LINK_NEVER;
	default:
		return P0F_LINK_UNKNOWN;
	}
}
