/*
 * Frame layout: Ethernet II, IP, L4.  The capture sits on the local side of
 * the router, so remote hosts appear behind router_mac and local ones with
 * their own MAC.  Checksums: RFC 1071 one's complement sums; TCP, UDP and
 * ICMPv6 over the pseudo-header (RFC 793, 768, 8200 section 8.1).
 */
#include <string.h>

#include "util.h"
#include "packet.h"
#include "wbuf.h"

#define ETH_LEN	14
#define IP4_LEN	20
#define IP6_LEN	40

const uint8_t router_mac[6] = { 0x00, 0x1b, 0x21, 0x3c, 0x9d, 0x01 };

static uint32_t
sum_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t
ip_len(const struct ip_hdr *ip)
{
	return ip->src->af == 4 ? IP4_LEN : IP6_LEN;
}

/* Builders check the size before writing anything into the frame. */
static uint8_t *
l4_start(uint8_t *frame, const struct ip_hdr *ip, size_t l4len)
{
	if (ETH_LEN + ip_len(ip) + l4len > FRAME_MAX)
		tsa_die("internal error: %zu-byte frame",
		    ETH_LEN + ip_len(ip) + l4len);
	return frame + ETH_LEN + ip_len(ip);
}

/*
 * Write Ethernet and IP headers for an L4 part of l4len bytes that the
 * caller has already put at frame + ETH_LEN + ip_len(); then the L4
 * checksum at csum_off within it (pseudo-header included unless ICMPv4).
 */
static size_t
finish(uint8_t *frame, const struct ip_hdr *ip, uint8_t proto, size_t l4len,
    size_t csum_off)
{
	const struct host *s = ip->src, *d = ip->dst;
	uint8_t *iph = frame + ETH_LEN;
	size_t hl = ip_len(ip);
	uint8_t *l4 = iph + hl;
	uint32_t sum = 0;

	memcpy(frame, d->local ? d->mac : router_mac, 6);
	memcpy(frame + 6, s->local ? s->mac : router_mac, 6);
	be16(frame + 12, s->af == 4 ? 0x0800 : 0x86dd);

	if (s->af == 4) {
		iph[0] = 0x45;
		iph[1] = 0;
		be16(iph + 2, (uint16_t)(IP4_LEN + l4len));
		be16(iph + 4, ip->id);
		be16(iph + 6, ip->df ? 0x4000 : 0);
		iph[8] = ip->ttl ? ip->ttl : s->ttl;
		iph[9] = proto;
		be16(iph + 10, 0);
		memcpy(iph + 12, s->addr, 4);
		memcpy(iph + 16, d->addr, 4);
		be16(iph + 10, fold(sum_bytes(0, iph, IP4_LEN)));
		if (proto != IPPROTO_ICMP_)
			sum = sum_bytes(0, iph + 12, 8);
	} else {
		be32(iph, 0x60000000u | (ip->flow & 0xfffff));
		be16(iph + 4, (uint16_t)l4len);
		iph[6] = proto;
		iph[7] = ip->ttl ? ip->ttl : s->ttl;
		memcpy(iph + 8, s->addr, 16);
		memcpy(iph + 24, d->addr, 16);
		sum = sum_bytes(0, iph + 8, 32);
	}
	if (proto != IPPROTO_ICMP_)
		sum += proto + (uint32_t)l4len;
	be16(l4 + csum_off, 0);
	uint16_t c = fold(sum_bytes(sum, l4, l4len));
	if (proto == IPPROTO_UDP_ && c == 0)
		c = 0xffff;	/* 0 means "no checksum" in UDP */
	be16(l4 + csum_off, c);
	return ETH_LEN + hl + l4len;
}

size_t
pkt_tcp(uint8_t *frame, const struct ip_hdr *ip, const struct tcp_seg *t)
{
	size_t hl = 20 + t->optlen;
	uint8_t *l4 = l4_start(frame, ip, hl + t->paylen);

	be16(l4, t->sport);
	be16(l4 + 2, t->dport);
	be32(l4 + 4, t->seq);
	be32(l4 + 8, t->ack);
	l4[12] = (uint8_t)((hl / 4) << 4);
	l4[13] = t->flags;
	be16(l4 + 14, t->win);
	be16(l4 + 18, 0);	/* urgent pointer */
	if (t->optlen)
		memcpy(l4 + 20, t->opt, t->optlen);
	if (t->paylen)
		memcpy(l4 + hl, t->pay, t->paylen);
	return finish(frame, ip, IPPROTO_TCP_, hl + t->paylen, 16);
}

size_t
pkt_udp(uint8_t *frame, const struct ip_hdr *ip, uint16_t sport,
    uint16_t dport, const uint8_t *pay, size_t paylen)
{
	uint8_t *l4 = l4_start(frame, ip, 8 + paylen);

	be16(l4, sport);
	be16(l4 + 2, dport);
	be16(l4 + 4, (uint16_t)(8 + paylen));
	if (paylen)
		memcpy(l4 + 8, pay, paylen);
	return finish(frame, ip, IPPROTO_UDP_, 8 + paylen, 6);
}

size_t
pkt_icmp(uint8_t *frame, const struct ip_hdr *ip, uint8_t type, uint8_t code,
    uint32_t rest, const uint8_t *body, size_t bodylen)
{
	uint8_t *l4 = l4_start(frame, ip, 8 + bodylen);

	l4[0] = type;
	l4[1] = code;
	be32(l4 + 4, rest);
	if (bodylen)
		memcpy(l4 + 8, body, bodylen);
	return finish(frame, ip, ip->src->af == 4 ? IPPROTO_ICMP_ :
	    IPPROTO_ICMPV6_, 8 + bodylen, 2);
}
