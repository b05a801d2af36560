/*
 * The simulated network: local clients and servers on the capturing side
 * (192.168.1.0/24, 10.20.0.0/16, fd12:3456:789a:1::/64), remote web sites
 * and clients across the countries of geo_prefixes.c, resolvers, NTP
 * servers, and the parties of the attacks.  Built once from the seed.
 */
#ifndef GEN_WORLD_H
#define GEN_WORLD_H

#include <stdint.h>

#include "gen.h"
#include "names.h"

/* A person's machine: one stack, IPv4 and maybe IPv6. */
struct client {
	struct host *h4, *h6;
	uint8_t app;		/* enum http_client */
	uint8_t lang;
};

/* A web site: the name clients look up and the server behind it. */
struct site {
	char name[NAME_MAX_LEN];
	char cname[NAME_MAX_LEN];	/* alias target, "" if none */
	struct host *h4, *h6;		/* h6 NULL: no AAAA */
	uint8_t server;			/* enum http_server */
	uint16_t http_port;		/* 80, or 8080 for a few */
	uint64_t cum;			/* cumulative popularity, for picking */
};

struct world {
	struct host *hosts;
	unsigned nhosts, cap;

	struct client *local, *remote;	/* browsing side / inbound side */
	unsigned nlocal, nremote;
	struct site *sites;		/* remote web sites */
	unsigned nsites;
	struct site *lsites;		/* local servers open to the internet */
	unsigned nlsites;

	struct host *resolver4[3], *resolver6;	/* what clients ask */
	struct host *ntp[4];
	struct host *open_resolvers[64];	/* reflectors of the attack */

	/* Attack parties: flooder -> flood_victim, scanner -> scan_target,
	 * backscatter_src answering spoofed SYNs towards our networks,
	 * reflection_victim receiving the reflected answers. */
	struct host *flooder, *flood_victim;
	struct host *scanner, *scan_target;
	struct host *backscatter_src;
	struct host *reflection_victim;
};

struct world *world_build(struct rng *r, uint64_t start_ns);
void world_free(struct world *w);

const struct site *world_pick_site(const struct world *w, struct rng *r);
/* A local host to stand in as a scratch destination (backscatter). */
void world_random_local(struct rng *r, struct host *h);

#endif
