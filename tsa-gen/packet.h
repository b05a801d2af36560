/*
 * Frame builders: Ethernet, IPv4 or IPv6, then TCP, UDP, ICMP or ICMPv6,
 * with every length and checksum filled in.  Each returns the frame length.
 */
#ifndef GEN_PACKET_H
#define GEN_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "gen.h"

#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define IPPROTO_ICMP_	1
#define IPPROTO_ICMPV6_	58

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PUSH	0x08
#define TH_ACK	0x10

/* The IP header of one packet. */
struct ip_hdr {
	const struct host *src, *dst;
	uint8_t ttl;		/* 0: the source host's */
	uint8_t df;		/* IPv4 don't-fragment */
	uint16_t id;		/* IPv4 identification */
	uint32_t flow;		/* IPv6 flow label */
};

struct tcp_seg {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const uint8_t *opt;	/* a multiple of 4 bytes */
	size_t optlen;
	const uint8_t *pay;
	size_t paylen;
};

size_t pkt_tcp(uint8_t *frame, const struct ip_hdr *ip,
    const struct tcp_seg *s);
size_t pkt_udp(uint8_t *frame, const struct ip_hdr *ip, uint16_t sport,
    uint16_t dport, const uint8_t *pay, size_t paylen);
/* ICMP (IPv4) or ICMPv6 by the source's family: type, code, the 4-byte
 * rest of header, then the body. */
size_t pkt_icmp(uint8_t *frame, const struct ip_hdr *ip, uint8_t type,
    uint8_t code, uint32_t rest, const uint8_t *body, size_t bodylen);

/* The MAC address of the local router every remote host is behind. */
extern const uint8_t router_mac[6];

#endif
