/*
 * An activity: anything that emits packets over time (a connection, an
 * exchange, an attack burst) or starts others (the spawner).
 */
#ifndef GEN_ACTIVITY_H
#define GEN_ACTIVITY_H

#include <stdint.h>

#include "attacks.h"
#include "dns_flow.h"
#include "icmp_flows.h"
#include "ntp_flow.h"
#include "quic_flow.h"
#include "tcp_session.h"

enum act_kind {
	ACT_SPAWN, ACT_VISIT_DNS, ACT_TCP, ACT_DNS, ACT_NTP, ACT_QUIC,
	ACT_PING, ACT_UNREACH, ACT_BURST,
};

struct client;
struct site;

struct act {
	uint64_t t;		/* when its next packet is due */
	uint64_t order;		/* tie-break, set by sched_push */
	uint8_t kind;
	/* A web visit: after the lookup, the connection it leads to. */
	struct {
		struct client *c;
		const struct site *site;
		uint8_t tls, v6;
	} visit;
	union {
		struct tcp_sess tcp;
		struct dns_lookup dns;
		struct ntp_x ntp;
		struct quic_x quic;
		struct ping_x ping;
		struct unreach_x unreach;
		struct burst burst;
	} u;
};

#endif
