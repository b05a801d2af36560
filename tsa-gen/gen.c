#include "packet.h"
#include "pcap_out.h"
#include "gen.h"

void
gen_emit(struct gen *g, size_t len)
{
	pcap_out_write(g->out, g->now, g->frame, len);
	g->emitted++;
}

/* One global counter per host, as Windows and the BSDs keep it. */
uint16_t
host_next_id(struct host *h)
{
	if (++h->ipid == 0)
		h->ipid = 1;
	return h->ipid;
}

void
gen_udp(struct gen *g, struct host *src, struct host *dst, uint16_t sport,
    uint16_t dport, const uint8_t *pay, size_t len)
{
	struct ip_hdr ip = { src, dst, 0, 0, 0, 0 };

	/* Stacks set DF on UDP only for path MTU probing; IDs still advance. */
	ip.id = src->af == 4 ? host_next_id(src) : 0;
	gen_emit(g, pkt_udp(g->frame, &ip, sport, dport, pay, len));
}

uint32_t
gen_udp_rtt(struct gen *g, const struct host *a, const struct host *b,
    int slow)
{
	/* On the LAN, the router answers from its cache or, slow, after
	 * recursion. */
	if (a->local && b->local)
		return slow ? (uint32_t)rng_range(&g->rng, 2, 90) * MSEC :
		    (uint32_t)rng_range(&g->rng, 300, 1500) * USEC;
	return (uint32_t)rng_range(&g->rng, 8, 120) * MSEC;
}
