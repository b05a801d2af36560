/*
 * tsa-gen: write a reproducible pcap of realistic mixed traffic (and a
 * share of attacks) for demos, tests and benchmarks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"
#include "activity.h"
#include "pcap_out.h"
#include "sched.h"
#include "traffic.h"
#include "world.h"
#include "gen.h"

static struct {
	const char *out;
	uint64_t packets, seed, start;
	double rate, attacks;
	bool nano;
} opt;

static const struct tsa_opt options[] = {
	{ .name = "output", .shrt = 'o', .type = TSA_OPT_PATH, .arg = "FILE",
	  .def = "", .dest = &opt.out,
	  .help = "write here; - for standard output (not a terminal)" },
	{ .name = "packets", .shrt = 'n', .type = TSA_OPT_U64, .arg = "N",
	  .section = "gen", .key = "Packets", .def = "10000", .min = 1,
	  .max = 1099511627776.0, .dest = &opt.packets,
	  .help = "exactly N packets" },
	{ .name = "seed", .shrt = 's', .type = TSA_OPT_U64, .arg = "S",
	  .section = "gen", .key = "Seed", .def = "1", .dest = &opt.seed,
	  .help = "random seed: the same seed and options, the same file" },
	/* A fixed default, so that output is reproducible: 2024-03-01 12:00 UTC. */
	{ .name = "start", .type = TSA_OPT_U64, .arg = "TIME", .section = "gen",
	  .key = "Start", .def = "1709294400", .max = 4000000000.0,
	  .dest = &opt.start,
	  .help = "time of the first packet, seconds since the epoch" },
	{ .name = "rate", .type = TSA_OPT_DOUBLE, .arg = "PPS", .section = "gen",
	  .key = "Rate", .def = "2000", .min = 1, .max = 1e7, .dest = &opt.rate,
	  .help = "average packets per second" },
	{ .name = "attacks", .type = TSA_OPT_DOUBLE, .arg = "PCT",
	  .section = "gen", .key = "Attacks", .def = "2", .max = 50,
	  .dest = &opt.attacks, .help = "percent of packets that are attacks" },
	{ .name = "nano", .type = TSA_OPT_FLAG, .dest = &opt.nano,
	  .help = "nanosecond timestamps (default microseconds)" },
	TSA_OPT_END
};

static const struct tsa_tool tool = {
	.synopsis = "[OPTIONS] -o FILE",
	.about = "Write a pcap of generated traffic: web browsing (DNS, HTTP, TLS), inbound\n"
	    "connections, NTP, QUIC, ICMP over IPv4 and IPv6, with real OS fingerprints,\n"
	    "plus a share of attacks (SYN flood, backscatter, DNS reflection, port scan).\n"
	    "The same options and seed always give the same file.",
	.opts = options,
};

int
main(int argc, char **argv)
{
	struct gen g;
	struct sched sched;
	struct act *a;
	uint64_t next;
	int first;

	tsa_init(argv[0]);
	first = tsa_opts_parse(&tool, argc, argv);
	if (first < argc)
		tsa_usage("unexpected argument '%s'", argv[first]);
	if (!*opt.out)
		tsa_usage("no output: give -o FILE (or -o - for a pipe)");
	memset(&g, 0, sizeof g);
	memset(&sched, 0, sizeof sched);
	g.limit = opt.packets;
	g.start = opt.start * NSEC;
	g.rate = opt.rate;
	/* pcap keeps 32-bit seconds: the capture must end before 2106. */
	if ((double)g.start / NSEC + 2.0 * (double)g.limit / g.rate >
	    (double)UINT32_MAX)
		tsa_usage("the capture would run past 2106 (pcap's 32-bit "
		    "seconds): lower --start or raise --rate");

	rng_seed(&g.rng, opt.seed);
	g.out = pcap_out_open(opt.out, opt.nano);
	g.world = world_build(&g.rng, g.start);
	g.sched = &sched;
	g.now = g.start;
	traffic_start(&g, opt.attacks);

	/* Each step emits at most one packet, in time order. */
	while (g.emitted < g.limit && (a = sched_pop(&sched)) != NULL) {
		g.now = a->t;
		if (act_step(&g, a, &next)) {
			a->t = next;
			sched_push(&sched, a);
		} else {
			sched_release(&sched, a);
		}
	}
	pcap_out_close(g.out);
	sched_free(&sched);
	world_free(g.world);
	return 0;
}
