/*
 * Where packets come from: a capture file (pcap or pcapng, "-" for stdin)
 * or a live interface, with an optional filter.  All errors are fatal and
 * name the file or interface.
 */
#ifndef TSA_CAPTURE_SOURCE_H
#define TSA_CAPTURE_SOURCE_H

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

struct source {
	pcap_t *pcap;
	const char *name;	/* the file, "stdin", or the interface */
	int live;
	int dlt;
	uint32_t nsec_mult;	/* 1, or 1000 where libpcap only has microseconds */
	FILE *file;		/* file input: for progress */
	int64_t size;		/* file size, -1 when not a regular file */
};

void source_open_file(struct source *s, const char *path);
void source_open_live(struct source *s, const char *iface, int snaplen,
    int promisc, uint64_t buffer_bytes);
/* Compile and install a tcpdump-style filter expression. */
void source_filter(struct source *s, const char *expr);

#endif
