/*
 * QUIC-looking traffic on 443/udp: RFC 9000 long-header Initial packets
 * padded to 1200 bytes, then short-header packets; payloads are random
 * (they would be encrypted anyway).
 */
#include <string.h>

#include "tcp_session.h"
#include "quic_flow.h"
#include "wbuf.h"

void
quic_init(struct gen *g, struct quic_x *q, struct host *cli,
    struct host *srv)
{
	memset(q, 0, sizeof *q);
	q->cli = cli;
	q->srv = srv;
	q->rtt_ns = gen_udp_rtt(g, cli, srv, 0);
	q->sport = host_ephemeral_port(&g->rng, cli);
	rng_fill(&g->rng, q->dcid, 8);
	rng_fill(&g->rng, q->scid, 8);
	q->left = (uint16_t)rng_range(&g->rng, 4, 40);
}

/* A long-header packet of the given type, padded to len bytes. */
static size_t
quic_long(struct gen *g, uint8_t *b, size_t len, unsigned type,
    const uint8_t *dcid, const uint8_t *scid, uint32_t pn)
{
	size_t n = 0, rest;

	b[n++] = (uint8_t)(0xc0 | (type << 4) | 0x03);	/* 4-byte PN */
	be32(b + n, 1);	/* version 1 */
	n += 4;
	b[n++] = 8; memcpy(b + n, dcid, 8); n += 8;
	b[n++] = 8; memcpy(b + n, scid, 8); n += 8;
	if (type == 0)
		b[n++] = 0;	/* Initial: no token */
	rest = len - n - 2;	/* length field covers PN and payload */
	be16(b + n, 0x4000 | (unsigned)rest);	/* a 2-byte varint */
	be32(b + n + 2, pn);
	n += 6;
	rng_fill(&g->rng, b + n, len - n);
	return len;
}

int
quic_step(struct gen *g, struct quic_x *q, uint64_t *next)
{
	uint8_t b[1400];
	size_t n;

	switch (q->step) {
	case 0:		/* client Initial */
		n = quic_long(g, b, 1200, 0, q->dcid, q->scid, q->pn_c++);
		gen_udp(g, q->cli, q->srv, q->sport, 443, b, n);
		*next = g->now + q->rtt_ns;
		break;
	case 1:		/* server Initial + Handshake, coalesced */
		n = quic_long(g, b, 1200, 0, q->scid, q->dcid, q->pn_s++);
		gen_udp(g, q->srv, q->cli, 443, q->sport, b, n);
		*next = g->now + rng_range(&g->rng, 50, 500) * USEC;
		break;
	default: {	/* 1-RTT short-header packets both ways */
		int from_srv = q->step % 3 != 2;
		n = from_srv ? rng_range(&g->rng, 200, 1350) :
		    rng_range(&g->rng, 40, 300);
		b[0] = 0x40 | 0x03 | (uint8_t)(rng_below(&g->rng, 4) << 3);
		memcpy(b + 1, from_srv ? q->scid : q->dcid, 8);
		rng_fill(&g->rng, b + 9, n - 9);
		if (from_srv)
			gen_udp(g, q->srv, q->cli, 443, q->sport, b, n);
		else
			gen_udp(g, q->cli, q->srv, q->sport, 443, b, n);
		*next = g->now + (from_srv ? rng_range(&g->rng, 100, 3000) *
		    USEC : q->rtt_ns);
		if (q->left-- == 0)
			return 0;
	}
	}
	q->step++;
	return 1;
}
