/*
 * Echo payloads look like the senders': Windows ping sends 32 bytes of
 * "abcdefghijklmnopqrstuvwabcdefghi"; Unix ping 56 bytes starting with a
 * struct timeval, then 0x10, 0x11, ...  Unreachables quote the offending
 * datagram: IPv4 its header and 8 bytes (RFC 792), IPv6 as much as fits
 * (RFC 4443); here the whole probe.
 */
#include <string.h>

#include "os_stacks.h"
#include "packet.h"
#include "tcp_session.h"
#include "icmp_flows.h"

#define ETH_LEN 14

static uint32_t
path_rtt(struct gen *g, const struct host *a, const struct host *b)
{
	if (a->local && b->local)
		return (uint32_t)rng_range(&g->rng, 200, 1500) * USEC;
	return (uint32_t)rng_range(&g->rng, 10, 300) * MSEC;
}

void
ping_init(struct gen *g, struct ping_x *p, struct host *src, struct host *dst)
{
	memset(p, 0, sizeof *p);
	p->src = src;
	p->dst = dst;
	p->rtt_ns = path_rtt(g, src, dst);
	p->id = (uint16_t)rng_next(&g->rng);
	p->seq = 1;
	p->count = (uint8_t)rng_range(&g->rng, 2, 6);
	p->lost = rng_chance(&g->rng, 0.1) ? 1 : 0;
}

static size_t
echo_body(const struct ping_x *p, uint64_t t, uint8_t *b)
{
	if (p->src->os == OS_WIN7 || p->src->os == OS_WIN10) {
		memcpy(b, "abcdefghijklmnopqrstuvwabcdefghi", 32);
		return 32;
	}
	uint64_t sec = t / NSEC, usec = (t % NSEC) / USEC;
	for (int i = 0; i < 8; i++) {	/* little-endian timeval, as sent */
		b[i] = (uint8_t)(sec >> (8 * i));
		b[8 + i] = (uint8_t)(usec >> (8 * i));
	}
	for (int i = 16; i < 56; i++)
		b[i] = (uint8_t)(i - 8);
	return 56;
}

int
ping_step(struct gen *g, struct ping_x *p, uint64_t *next)
{
	uint8_t body[64];
	int v6 = p->src->af == 6;
	uint32_t rest = (uint32_t)p->id << 16 | p->seq;
	size_t n;

	if (!p->await) {
		struct ip_hdr ip = { p->src, p->dst, 0, 1, 0, 0 };
		p->sent = g->now;
		n = echo_body(p, g->now, body);
		if (!v6)
			ip.id = host_next_id(p->src);
		gen_emit(g, pkt_icmp(g->frame, &ip, v6 ? 128 : 8, 0, rest, body,
		    n));
		if (p->seq > p->count - p->lost) {	/* lost: no reply */
			p->seq++;
			*next = g->now + NSEC;
			return p->seq <= p->count;
		}
		p->await = 1;
		*next = g->now + p->rtt_ns + rng_below(&g->rng, p->rtt_ns / 8 + 1);
		return 1;
	}
	struct ip_hdr ip = { p->dst, p->src, 0, 0, 0, 0 };
	n = echo_body(p, p->sent, body);
	if (!v6)
		ip.id = host_next_id(p->dst);
	gen_emit(g, pkt_icmp(g->frame, &ip, v6 ? 129 : 0, 0, rest, body, n));
	p->await = 0;
	p->seq++;
	*next = p->sent + NSEC;		/* ping's one-second interval */
	if (*next <= g->now)
		*next = g->now + USEC;
	return p->seq <= p->count;
}

void
unreach_init(struct gen *g, struct unreach_x *u, struct host *src,
    struct host *dst)
{
	memset(u, 0, sizeof *u);
	u->src = src;
	u->dst = dst;
	u->rtt_ns = path_rtt(g, src, dst);
	u->sport = host_ephemeral_port(&g->rng, src);
	u->dport = (uint16_t)(33434 + rng_below(&g->rng, 30));	/* traceroute */
	u->probes = (uint8_t)rng_range(&g->rng, 1, 3);
}

int
unreach_step(struct gen *g, struct unreach_x *u, uint64_t *next)
{
	uint8_t probe[FRAME_MAX];
	uint8_t pay[32];
	int v6 = u->src->af == 6;
	struct ip_hdr ip = { u->src, u->dst, 0, 0, 0, 0 };
	size_t n;

	memset(pay, 0, sizeof pay);
	if (!v6)
		ip.id = (uint16_t)(0x1000 + u->dport);
	/* The probe as sent, which the answer quotes. */
	n = pkt_udp(probe, &ip, u->sport, u->dport, pay, sizeof pay);
	if (u->step % 2 == 0) {
		memcpy(g->frame, probe, n);
		gen_emit(g, n);
		*next = g->now + u->rtt_ns;
	} else {
		struct ip_hdr back = { u->dst, u->src, 0, 0, 0, 0 };
		size_t quoted = v6 ? n - ETH_LEN : 20 + 8;
		if (!v6) {
			back.id = host_next_id(u->dst);
			back.df = 0;
		}
		gen_emit(g, pkt_icmp(g->frame, &back, v6 ? 1 : 3, v6 ? 4 : 3, 0,
		    probe + ETH_LEN, quoted));
		u->dport++;
		*next = g->now + rng_range(&g->rng, 1, 50) * MSEC;
	}
	return ++u->step < 2 * u->probes;
}
