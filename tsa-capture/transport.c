/*
 * TCP, UDP, ICMP and ICMPv6, and the choice of application decoder.  The
 * application is recognised by content (HTTP start lines, TLS records), DNS
 * by its well-known ports (53, mDNS 5353, LLMNR 5355), one packet (or
 * reassembled IP datagram) at a time: there is no TCP reassembly, so a
 * message that starts in an earlier segment is not seen.
 */
#include "pkt.h"

enum { APP_NONE, APP_DNS, APP_HTTP, APP_TLS };
static const struct { const char *s; size_t n; } app_name[] = {
	{ "none", 4 }, { "dns", 3 }, { "http", 4 }, { "tls", 3 },
};

static int dns_port(unsigned port)
{
	return port == 53 || port == 5353 || port == 5355;
}

/* The set flags joined by '-' in the order SYN FIN RST PSH ACK URG ECE CWR
   (at most 31 characters). */
static uint8_t *cur_tcp_op(uint8_t *d, unsigned flags)
{
	static const struct { uint8_t bit; char name[4]; } order[] = {
		{ 0x02, "SYN" }, { 0x01, "FIN" }, { 0x04, "RST" }, { 0x08, "PSH" },
		{ 0x10, "ACK" }, { 0x20, "URG" }, { 0x40, "ECE" }, { 0x80, "CWR" },
	};
	uint8_t *hdr = d++;
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (!(flags & order[i].bit))
			continue;
		if (d > hdr + 1)
			*d++ = '-';
		memcpy(d, order[i].name, 3);
		d += 3;
	}
	*hdr = (uint8_t)(0xa0 | (d - hdr - 1));
	return d;
}

static void app(struct pkt *k, int which, int http_kind, const uint8_t *p,
    const uint8_t *end, int tcp)
{
	mp_put_str(KEY(k, "application_type"), app_name[which].s,
	    app_name[which].n);
	switch (which) {
	case APP_DNS:
		if (tcp) {	/* a 2-byte length prefix, then the message */
			size_t len = tsa_be16(p);

			p += 2;
			if ((size_t)(end - p) > len)
				end = p + len;
		}
		dns_decode(k, p, end);
		break;
	case APP_HTTP:
		http_decode(k, http_kind, p, end, tcp);
		break;
	case APP_TLS:
		tls_decode(k, p, end);
		break;
	}
}

static void tcp(struct pkt *k, const uint8_t *p, const uint8_t *end)
{
	struct mp_buf *b = k->rec.b;
	unsigned sport, dport, flags;
	uint8_t *d;
	size_t hlen;
	int which = APP_NONE, hk = HTTP_NONE;

	if (end - p < 4) {
		pkt_short(k);
		return;
	}
	sport = tsa_be16(p);
	dport = tsa_be16(p + 2);
	d = mp_buf_reserve(b, 96);
	d = CUR_KEY(d, "src_port");
	d = cur_uint(d, sport);
	d = CUR_KEY(d, "dst_port");
	d = cur_uint(d, dport);
	k->rec.n += 2;
	if (end - p < 14) {
		b->len = (size_t)(d - b->p);
		pkt_short(k);
		return;
	}
	flags = p[13];
	d = CUR_KEY(d, "tcp_flags");
	d = cur_uint(d, flags);
	k->rec.n++;
	if (flags) {
		d = CUR_KEY(d, "tcp_op");
		d = cur_tcp_op(d, flags);
		k->rec.n++;
	}
	b->len = (size_t)(d - b->p);
	hlen = (size_t)(p[12] >> 4) * 4;
	if (hlen < 20) {
		k->flags |= DEC_MALFORMED;
		return;
	}
	if ((size_t)(end - p) < hlen) {
		pkt_short(k);
		return;
	}
	if (flags & 0x02)	/* SYN or SYN+ACK: headers for tsa-p0f */
		k->tcp_hdr_end = p + hlen;
	p += hlen;
	if ((dns_port(sport) || dns_port(dport)) && end - p >= 2 + 4)
		which = APP_DNS;
	else if ((hk = http_start(p, end)) != HTTP_NONE)
		which = APP_HTTP;
	else if (tls_record_start(p, end))
		which = APP_TLS;
	app(k, which, hk, p, end, 1);
}

static void udp(struct pkt *k, const uint8_t *p, const uint8_t *end)
{
	unsigned sport, dport;
	size_t ulen;
	int which = APP_NONE, hk = HTTP_NONE;

	if (end - p < 4) {
		pkt_short(k);
		return;
	}
	sport = tsa_be16(p);
	dport = tsa_be16(p + 2);
	put_uint(KEY(k, "src_port"), sport);
	put_uint(KEY(k, "dst_port"), dport);
	if (end - p < 8) {
		pkt_short(k);
		return;
	}
	ulen = tsa_be16(p + 4);
	if (ulen >= 8 && ulen < (size_t)(end - p))
		end = p + ulen;
	p += 8;
	if ((dns_port(sport) || dns_port(dport)) && end - p >= 4)
		which = APP_DNS;
	else if ((hk = http_start(p, end)) != HTTP_NONE)
		which = APP_HTTP;	/* SSDP and other HTTP over UDP */
	app(k, which, hk, p, end, 0);
}

static void icmp(struct pkt *k, const uint8_t *p, const uint8_t *end)
{
	if (end - p < 2) {
		pkt_short(k);
		return;
	}
	put_uint(KEY(k, "icmp_type"), p[0]);
	put_uint(KEY(k, "icmp_code"), p[1]);
}

void transport_decode(struct pkt *k, unsigned proto, const uint8_t *p,
    const uint8_t *end)
{
	switch (proto) {
	case 6: tcp(k, p, end); break;
	case 17: udp(k, p, end); break;
	case 1:
	case 58: icmp(k, p, end); break;
	}
}
