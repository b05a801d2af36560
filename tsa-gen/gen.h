/*
 * The generator's shared state: hosts (one IP stack each), the activity
 * scheduler's view of time, and the frame being built.  Every packet is
 * built into gen->frame and written by gen_emit() at gen->now.
 */
#ifndef GEN_GEN_H
#define GEN_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define NSEC	1000000000ULL
#define MSEC	1000000ULL
#define USEC	1000ULL

#define FRAME_MAX	2048	/* every frame fits an Ethernet MTU */

/* One network interface as seen from the capture point. */
struct host {
	uint8_t af;		/* 4 or 6 */
	uint8_t local;		/* on the capturing side (private range) */
	uint8_t os;		/* enum os_id: its TCP/IP stack */
	uint8_t ttl;		/* TTL or hop limit as it reaches the capture */
	uint16_t mss;		/* MSS it announces: link MTU - 40 (or - 60) */
	uint16_t ipid;		/* next IPv4 identification */
	uint64_t boot_ns;	/* boot time: timestamps count from here */
	uint8_t addr[16];	/* IPv4 in the first 4 bytes */
	uint8_t mac[6];
};

struct pcap_out;
struct world;
struct sched;

struct gen {
	struct rng rng;
	struct pcap_out *out;
	struct world *world;
	struct sched *sched;
	uint64_t now;		/* time of the packet being built, ns */
	uint64_t start;		/* time of the first packet */
	uint64_t emitted;	/* packets written so far */
	uint64_t limit;		/* packets to write */
	double rate;		/* average packets per second */
	double normal_rate;	/* ... of the traffic outside the attacks */
	uint8_t frame[FRAME_MAX];
};

/* Write gen->frame[0..len) at gen->now. */
void gen_emit(struct gen *g, size_t len);

/* Emit a UDP datagram from src to dst. */
void gen_udp(struct gen *g, struct host *src, struct host *dst,
    uint16_t sport, uint16_t dport, const uint8_t *pay, size_t len);
/* Round trip of a request/response exchange between two hosts. */
uint32_t gen_udp_rtt(struct gen *g, const struct host *a,
    const struct host *b, int slow);

/* The next IPv4 identification of a host (never 0). */
uint16_t host_next_id(struct host *h);

#endif
