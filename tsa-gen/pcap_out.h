/*
 * A classic pcap file writer (Ethernet link type), microsecond or
 * nanosecond timestamps, through one large buffer.
 */
#ifndef GEN_PCAP_OUT_H
#define GEN_PCAP_OUT_H

#include <stddef.h>
#include <stdint.h>

struct pcap_out;

/* path "-" is standard output; dies on errors and on a terminal. */
struct pcap_out *pcap_out_open(const char *path, int nano);
void pcap_out_write(struct pcap_out *po, uint64_t t_ns, const uint8_t *frame,
    size_t len);
/* Flushes and closes; dies if anything failed. */
void pcap_out_close(struct pcap_out *po);

#endif
