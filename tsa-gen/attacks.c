/*
 * SYN flood: one source, random source ports, hping-style bare SYNs
 * (window 512, no options); the overwhelmed victim (Linux: MSS-only
 * SYN+ACK, window 10 * MSS) answers a few, the source never completes a
 * handshake.
 * Backscatter: a DDoS victim elsewhere answers SYNs spoofed with our
 * addresses, so SYN+ACKs (and some RSTs) arrive for connections nobody
 * here opened.
 * DNS reflection: open resolvers send large ANY answers to one local host
 * that never asked.
 * Port scan: nmap -sS from one source: bare SYN with MSS 1460 and window
 * 1024 (p0f's "NMap SYN scan"), RST+ACK from closed ports, SYN+ACK from
 * open ones which the scanner resets.
 */
#include <string.h>

#include "os_stacks.h"
#include "packet.h"
#include "dns_flow.h"
#include "world.h"
#include "attacks.h"

void
burst_init(struct gen *g, struct burst *b, int kind, uint32_t packets,
    uint64_t duration_ns)
{
	const struct site *s;

	memset(b, 0, sizeof *b);
	b->kind = (uint8_t)kind;
	b->left = packets;
	b->gap_ns = duration_ns / (packets ? packets : 1);
	b->sport = (uint16_t)rng_range(&g->rng, 40000, 65000);
	s = world_pick_site(g->world, &g->rng);
	/* Reflection asks for a whole zone: the site's parent domain. */
	strcpy(b->zone, strchr(s->name, '.') ? strchr(s->name, '.') + 1 :
	    s->name);
}

static void
bare_tcp(struct gen *g, struct host *src, struct host *dst, uint16_t sport,
    uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
    const uint8_t *opt, size_t optlen, int df)
{
	struct ip_hdr ip = { src, dst, 0, (uint8_t)df, 0, 0 };
	struct tcp_seg t = { sport, dport, seq, ack, flags, win, opt, optlen,
	    NULL, 0 };

	/* Linux answers (SYN+ACK, RST) with DF and IP ID 0. */
	ip.id = df ? 0 : host_next_id(src);
	gen_emit(g, pkt_tcp(g->frame, &ip, &t));
}

static const uint8_t mss1460[4] = { 2, 4, 0x05, 0xb4 };

static void
synflood(struct gen *g, struct burst *b)
{
	struct world *w = g->world;

	if (b->answer) {	/* the victim's SYN+ACK, never acknowledged */
		bare_tcp(g, w->flood_victim, w->flooder, 80, b->sport,
		    (uint32_t)rng_next(&g->rng), b->seq + 1, TH_SYN | TH_ACK,
		    14600, mss1460, sizeof mss1460, 1);
		b->answer = 0;
		return;
	}
	b->sport = (uint16_t)rng_range(&g->rng, 1024, 65535);
	b->seq = (uint32_t)rng_next(&g->rng);
	bare_tcp(g, w->flooder, w->flood_victim, b->sport, 80, b->seq, 0,
	    TH_SYN, 512, NULL, 0, 0);
	b->answer = rng_chance(&g->rng, 0.08);
}

static void
backscatter(struct gen *g, struct burst *b)
{
	struct world *w = g->world;
	/* One draw per statement: argument evaluation order is unspecified,
	 * and the output must not depend on the compiler. */
	uint16_t port = rng_chance(&g->rng, 0.7) ? 80 : 443;
	uint16_t dport = (uint16_t)rng_range(&g->rng, 1024, 65535);
	uint32_t seq = (uint32_t)rng_next(&g->rng);
	uint32_t ack = (uint32_t)rng_next(&g->rng);

	world_random_local(&g->rng, &b->peer);
	if (rng_chance(&g->rng, 0.12))
		bare_tcp(g, w->backscatter_src, &b->peer, port, dport, 0, ack,
		    TH_RST | TH_ACK, 0, NULL, 0, 1);
	else
		bare_tcp(g, w->backscatter_src, &b->peer, port, dport, seq, ack,
		    TH_SYN | TH_ACK, 14600, mss1460, sizeof mss1460, 1);
}

static void
reflection(struct gen *g, struct burst *b)
{
	struct world *w = g->world;
	struct host *r = w->open_resolvers[rng_below(&g->rng, 64)];

	gen_emit(g, dns_reflected_answer(g, r, w->reflection_victim,
	    (uint16_t)rng_range(&g->rng, 1024, 65535), b->zone));
}

static void
scan(struct gen *g, struct burst *b)
{
	struct world *w = g->world;

	switch (b->answer) {
	case 1:
		if (b->open) {
			uint8_t opt[20];
			size_t n = opts_encode(opt, os_stacks[OS_LINUX311].
			    synack_opts, w->scan_target->mss, 7, 0, 0);
			bare_tcp(g, w->scan_target, w->scanner, b->dport, b->sport,
			    (uint32_t)rng_next(&g->rng), b->seq + 1,
			    TH_SYN | TH_ACK, (uint16_t)(10 * w->scan_target->mss),
			    opt, n, 1);
			b->answer = 2;
		} else {
			bare_tcp(g, w->scan_target, w->scanner, b->dport,
			    b->sport, 0, b->seq + 1, TH_RST | TH_ACK, 0, NULL, 0,
			    1);
			b->answer = 0;
		}
		return;
	case 2:		/* nmap resets the half-open connection */
		bare_tcp(g, w->scanner, w->scan_target, b->sport, b->dport,
		    b->seq + 1, 0, TH_RST, 0, NULL, 0, 0);
		b->answer = 0;
		return;
	}
	/* Walk the port space in a scattered order, as nmap does. */
	b->dport = (uint16_t)(1 + (uint64_t)b->probe++ * 7919u % 65535u);
	b->seq = (uint32_t)rng_next(&g->rng);
	bare_tcp(g, w->scanner, w->scan_target, b->sport, b->dport, b->seq, 0,
	    TH_SYN, 1024, mss1460, sizeof mss1460, 0);
	b->open = b->dport == 22 || b->dport == 80 || b->dport == 443 ||
	    rng_chance(&g->rng, 0.002);
	/* Filtered ports (no answer) are a few percent. */
	b->answer = rng_chance(&g->rng, 0.95) ? 1 : 0;
}

int
burst_step(struct gen *g, struct burst *b, uint64_t *next)
{
	switch (b->kind) {
	case BURST_SYNFLOOD:
		synflood(g, b);
		break;
	case BURST_BACKSCATTER:
		backscatter(g, b);
		break;
	case BURST_REFLECTION:
		reflection(g, b);
		break;
	default:
		scan(g, b);
		break;
	}
	if (--b->left == 0)
		return 0;
	/* Answers follow their probe closely; probes are Poisson. */
	if (b->answer)
		*next = g->now + rng_range(&g->rng, 100, 2000) * USEC;
	else
		*next = g->now + 1 + (uint64_t)rng_exp(&g->rng,
		    (double)b->gap_ns);
	return 1;
}
