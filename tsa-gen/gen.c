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
