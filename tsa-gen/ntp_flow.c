/* NTP: RFC 5905 client/server mode packets with consistent timestamps. */
#include <string.h>

#include "tcp_session.h"
#include "ntp_flow.h"

/* NTP timestamps: seconds since 1900 and a 32-bit binary fraction. */
static void
ntp_time(uint8_t *p, uint64_t t)
{
	uint64_t sec = t / NSEC + 2208988800u;
	uint64_t frac = ((t % NSEC) << 32) / NSEC;

	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(sec >> (24 - 8 * i));
	for (int i = 0; i < 4; i++)
		p[4 + i] = (uint8_t)(frac >> (24 - 8 * i));
}

void
ntp_init(struct gen *g, struct ntp_x *n, struct host *cli, struct host *srv)
{
	memset(n, 0, sizeof *n);
	n->cli = cli;
	n->srv = srv;
	n->rtt_ns = gen_udp_rtt(g, cli, srv, 0);
	/* ntpd talks from port 123; SNTP clients from an ephemeral port. */
	n->sport = rng_chance(&g->rng, 0.5) ? 123 :
	    host_ephemeral_port(&g->rng, cli);
	n->polls = (uint8_t)rng_range(&g->rng, 1, 4);
}

int
ntp_step(struct gen *g, struct ntp_x *n, uint64_t *next)
{
	uint8_t p[48];

	memset(p, 0, sizeof p);
	if (n->step % 2 == 0) {
		p[0] = 0x23;		/* LI 0, version 4, mode 3 (client) */
		p[2] = 6;		/* poll 64 s */
		p[3] = 0xe9;		/* precision 2^-23 */
		n->xmit = g->now;
		ntp_time(p + 40, n->xmit);
		gen_udp(g, n->cli, n->srv, n->sport, 123, p, sizeof p);
		*next = g->now + n->rtt_ns;
	} else {
		uint64_t recv = g->now - n->rtt_ns / 2;
		p[0] = 0x24;		/* mode 4 (server) */
		p[1] = 2;		/* stratum 2 */
		p[2] = 6;
		p[3] = 0xe8;
		p[5] = 0x01;		/* root delay, dispersion: a few ms */
		p[9] = 0x02;
		memcpy(p + 12, n->srv->addr, 4);	/* reference id: upstream */
		p[12] ^= 0x5a;
		ntp_time(p + 16, g->now - 300 * NSEC);
		ntp_time(p + 24, n->xmit);
		ntp_time(p + 32, recv);
		ntp_time(p + 40, recv + 20 * USEC);
		gen_udp(g, n->srv, n->cli, 123, n->sport, p, sizeof p);
		*next = g->now + rng_range(&g->rng, 1, 8) * NSEC;
	}
	return ++n->step < 2 * n->polls;
}
