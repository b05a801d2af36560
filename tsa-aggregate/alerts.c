/*
 * The original's three heuristics, over the window, plus a scan detector:
 *   syn_flood       a host sent more than SynFloodThreshold SYNs and more
 *                   than SynFloodRatio times as many SYNs as ACKs
 *   synack_flood    a host sent more than SynAckFloodThreshold SYN-ACKs and
 *                   more than SynAckFloodRatio times its ACKs (the victim of
 *                   a flood with spoofed sources, or a reflector)
 *   dns_reflection  a host received more than DnsReflectionThreshold DNS
 *                   responses and more than DnsReflectionRatio times the
 *                   queries it sent
 *   scan            a host sent SYNs to more than ScanThreshold distinct
 *                   (address, port) targets, and at least ScanUnansweredRatio
 *                   of them got no SYN-ACK back
 * An alert record is written when a condition starts to hold; the alert is
 * listed in every snapshot while it holds.  Conditions are raised as packets
 * arrive and cleared at snapshots, so one that hovers at its threshold is
 * raised at most once per snapshot interval.
 */
#include <stdio.h>

#include "agg.h"

static bool over(uint64_t n, uint64_t threshold, uint64_t base, double ratio)
{
	return n > threshold && (double)n > ratio * base;
}

uint8_t alerts_holding(const struct agg *a, const struct host *h)
{
	const struct thresholds *t = &a->th;
	uint8_t bits = 0;

	if (h->alen == 0)
		return 0;
	if (over(h->syn, t->syn, h->ack, t->syn_ratio))
		bits |= AL_SYN_FLOOD;
	if (over(h->synack, t->synack, h->ack, t->synack_ratio))
		bits |= AL_SYNACK_FLOOD;
	if (over(h->dnsr_in, t->dns, h->dnsq, t->dns_ratio))
		bits |= AL_DNS_REFL;
	if (h->targets > t->scan) {
		uint64_t answered = h->synack_in < h->targets ? h->synack_in : h->targets;

		if ((double)(h->targets - answered) >= t->scan_unanswered * h->targets)
			bits |= AL_SCAN;
	}
	return bits;
}

int alerts_count(uint8_t bits)
{
	return __builtin_popcount(bits);
}

static const char *alert_name(uint8_t bit)
{
	switch (bit) {
	case AL_SYN_FLOOD: return "syn_flood";
	case AL_SYNACK_FLOOD: return "synack_flood";
	case AL_DNS_REFL: return "dns_reflection";
	default: return "scan";
	}
}

void alerts_put(struct mp_buf *b, const struct host *h,
    uint8_t bit, int64_t start, int64_t end, bool record)
{
	char reason[160], addr[TSA_ADDR_STRLEN], cc[3];
	struct mp_map_w m, counts;
	uint64_t answered = h->synack_in < h->targets ? h->synack_in : h->targets;

	tsa_addr_fmt(h->addr, h->alen, addr);
	switch (bit) {
	case AL_SYN_FLOOD:
		snprintf(reason, sizeof reason,
		    "SYN flood source: %s sent %llu SYNs and %llu ACKs",
		    addr, (unsigned long long)h->syn, (unsigned long long)h->ack);
		break;
	case AL_SYNACK_FLOOD:
		snprintf(reason, sizeof reason,
		    "SYN-ACK flood (DDoS victim or reflector): %s sent %llu SYN-ACKs and %llu ACKs",
		    addr, (unsigned long long)h->synack, (unsigned long long)h->ack);
		break;
	case AL_DNS_REFL:
		snprintf(reason, sizeof reason,
		    "DNS reflection victim: %s received %llu DNS responses and sent %llu queries",
		    addr, (unsigned long long)h->dnsr_in, (unsigned long long)h->dnsq);
		break;
	default:
		snprintf(reason, sizeof reason,
		    "scan: %s sent SYNs to %u address:port targets, %llu answered",
		    addr, h->targets, (unsigned long long)answered);
		break;
	}
	mp_map_open(b, &m);
	if (record) {
		mp_map_key(b, &m, "type");
		mp_put_cstr(b, "alert");
	}
	mp_map_key(b, &m, "alert");
	mp_put_cstr(b, alert_name(bit));
	mp_map_key(b, &m, "host_addr");
	mp_put_bin(b, h->addr, h->alen);
	mp_map_key(b, &m, "country");
	mp_put_cstr(b, country_name(h->country, cc));
	mp_map_key(b, &m, "reason");
	mp_put_cstr(b, reason);
	mp_map_key(b, &m, "counts");
	mp_map_open(b, &counts);
	switch (bit) {
	case AL_SYN_FLOOD:
		mp_map_uint(b, &counts, "syn", h->syn);
		mp_map_uint(b, &counts, "ack", h->ack);
		break;
	case AL_SYNACK_FLOOD:
		mp_map_uint(b, &counts, "synack", h->synack);
		mp_map_uint(b, &counts, "ack", h->ack);
		break;
	case AL_DNS_REFL:
		mp_map_uint(b, &counts, "dns_responses", h->dnsr_in);
		mp_map_uint(b, &counts, "dns_queries", h->dnsq);
		break;
	default:
		mp_map_uint(b, &counts, "targets", h->targets);
		mp_map_uint(b, &counts, "answered", answered);
		mp_map_uint(b, &counts, "syn", h->syn);
		break;
	}
	mp_map_close(b, &counts);
	mp_map_key(b, &m, "window_start");
	put_ns(b, start);
	mp_map_key(b, &m, "window_end");
	put_ns(b, end);
	mp_map_close(b, &m);
}

/* The rest of alerts_check (agg.h), for a host with a count over its threshold. */
void alerts_raise(struct agg *a, uint32_t slot, int64_t now)
{
	struct host *h = &a->hosts.h[slot];
	uint8_t fresh, bit;

	if (slot < HOST_FIRST)
		return;
	fresh = alerts_holding(a, h) & (uint8_t)~h->alerts;
	if (!fresh)
		return;
	h->alerts |= fresh;
	for (bit = 1; bit <= AL_SCAN; bit <<= 1)
		if (fresh & bit) {
			alerts_put(tsa_out(a->w), h, bit,
			    agg_window_start(a, now), now, true);
			tsa_wrote(a->w);
			a->alerts_raised++;
		}
}
