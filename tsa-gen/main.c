/*
 * tsa-gen: write a reproducible pcap of realistic mixed traffic (and a
 * share of attacks) for demos, tests and benchmarks.
 */
#include <getopt.h>
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

/* 2024-03-01 12:00:00 UTC: a fixed default so output is reproducible. */
#define DEFAULT_START	1709294400ULL

static void
help(void)
{
	printf(
"usage: tsa-gen [options] -o FILE\n"
"Write a pcap of generated traffic: web browsing (DNS, HTTP, TLS), inbound\n"
"connections, NTP, QUIC, ICMP over IPv4 and IPv6, with real OS fingerprints,\n"
"plus a share of attacks (SYN flood, backscatter, DNS reflection, port scan).\n"
"The same options and seed always give the same file.\n"
"\n"
"  -o, --output FILE     write here; - for standard output (not a terminal)\n"
"  -n, --packets N       exactly N packets (default 10000)\n"
"  -s, --seed S          random seed (default 1)\n"
"      --start TIME      first packet at TIME, seconds since the epoch\n"
"                        (default %llu, 2024-03-01 12:00:00 UTC)\n"
"      --rate PPS        average packets per second (default 2000)\n"
"      --attacks PCT     percent of packets that are attacks (default 2)\n"
"      --nano            nanosecond timestamps (default microseconds)\n"
"      --settings FILE   settings file (section [gen])\n"
"  -h, --help            this help\n", DEFAULT_START);
}

static uint64_t
u64_arg(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	uint64_t v;

	if (!tsa_parse_u64(s, &v) || v < min || v > max)
		tsa_usage("%s: '%s' is not a number from %llu to %llu", opt, s,
		    (unsigned long long)min, (unsigned long long)max);
	return v;
}

static double
double_arg(const char *opt, const char *s, double min, double max)
{
	double v;

	if (!tsa_parse_double(s, &v) || !(v >= min && v <= max))
		tsa_usage("%s: '%s' is not a number from %g to %g", opt, s, min,
		    max);
	return v;
}

int
main(int argc, char **argv)
{
	enum { O_START = 256, O_RATE, O_ATTACKS, O_NANO, O_SETTINGS };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "packets", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "start", required_argument, NULL, O_START },
		{ "rate", required_argument, NULL, O_RATE },
		{ "attacks", required_argument, NULL, O_ATTACKS },
		{ "nano", no_argument, NULL, O_NANO },
		{ "settings", required_argument, NULL, O_SETTINGS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *settings = NULL;
	const char *a_packets = NULL, *a_seed = NULL, *a_start = NULL;
	const char *a_rate = NULL, *a_attacks = NULL;
	int nano = 0, c;
	struct gen g;
	struct sched sched;
	struct act *a;
	uint64_t next, seed;
	double attacks;

	tsa_init(argv[0]);
	opterr = 0;	/* our own messages, in the "tsa-gen: ..." form */
	while ((c = getopt_long(argc, argv, ":o:n:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'n': a_packets = optarg; break;
		case 's': a_seed = optarg; break;
		case O_START: a_start = optarg; break;
		case O_RATE: a_rate = optarg; break;
		case O_ATTACKS: a_attacks = optarg; break;
		case O_NANO: nano = 1; break;
		case O_SETTINGS: settings = optarg; break;
		case 'h': help(); return 0;
		case ':':
			tsa_usage("option '%s' needs a value", argv[optind - 1]);
		default:
			tsa_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		tsa_usage("unexpected argument '%s'", argv[optind]);
	if (!out)
		tsa_usage("no output: give -o FILE (or -o - for a pipe)");

	/* Settings give the defaults; flags override them. */
	tsa_settings_load(settings);
	memset(&g, 0, sizeof g);
	memset(&sched, 0, sizeof sched);
	g.limit = a_packets ? u64_arg("--packets", a_packets, 1, 1ULL << 40) :
	    tsa_setting_u64("gen", "Packets", 10000);
	seed = a_seed ? u64_arg("--seed", a_seed, 0, UINT64_MAX) :
	    tsa_setting_u64("gen", "Seed", 1);
	g.start = (a_start ? u64_arg("--start", a_start, 0, 4000000000ULL) :
	    tsa_setting_u64("gen", "Start", DEFAULT_START)) * NSEC;
	g.rate = a_rate ? double_arg("--rate", a_rate, 1, 1e7) :
	    tsa_setting_double("gen", "Rate", 2000);
	attacks = a_attacks ? double_arg("--attacks", a_attacks, 0, 50) :
	    tsa_setting_double("gen", "Attacks", 2);
	if (!(g.rate >= 1 && g.rate <= 1e7))
		tsa_die("settings: [gen] Rate must be from 1 to 10000000");
	if (!(attacks >= 0 && attacks <= 50))
		tsa_die("settings: [gen] Attacks must be from 0 to 50");
	/* pcap keeps 32-bit seconds: the capture must end before 2106. */
	if ((double)g.start / NSEC + 2.0 * (double)g.limit / g.rate >
	    (double)UINT32_MAX)
		tsa_usage("the capture would run past 2106 (pcap's 32-bit "
		    "seconds): lower --start or raise --rate");

	rng_seed(&g.rng, seed);
	g.out = pcap_out_open(out, nano);
	g.world = world_build(&g.rng, g.start);
	g.sched = &sched;
	g.now = g.start;
	traffic_start(&g, attacks);

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
