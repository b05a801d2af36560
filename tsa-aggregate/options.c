/*
 * tsa-aggregate's options and settings, declared once (lib/opts.h).
 */
#include <stdio.h>
#include <string.h>

#include "agg.h"

struct agg_opts agg_opt;

/* all, auto, a duration or a count of packets: checked here, decided later. */
static bool parse_window(const char *s, void *dest, char *why, size_t n)
{
	uint64_t v;
	const char *p;

	*(const char **)dest = s;
	if (strcmp(s, "all") == 0 || strcmp(s, "auto") == 0)
		return true;
	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (*s && !*p) {
		if (tsa_parse_u64(s, &v) && v >= 1 && v <= (1u << 30))
			return true;
		snprintf(why, n, "is not a count of 1 to %u packets", 1u << 30);
		return false;
	}
	if (tsa_parse_duration(s, &v) && v > 0 && v <= (uint64_t)INT64_MAX / 4 &&
	    strlen(s) < sizeof ((struct agg *)0)->window_text)
		return true;
	snprintf(why, n, "is not all, auto, a duration (60s, 5m) or a packet count");
	return false;
}

static bool parse_every(const char *s, void *dest, char *why, size_t n)
{
	uint64_t v;

	*(const char **)dest = s;
	if (strcmp(s, "auto") == 0 ||
	    (tsa_parse_duration(s, &v) && v <= (uint64_t)INT64_MAX / 4))
		return true;
	snprintf(why, n, "is not auto or a duration (10s, 1m; 0: only the final snapshot)");
	return false;
}

static bool parse_local(const char *s, void *dest, char *why, size_t n)
{
	return local_check(s, (const char **)dest, why, n);
}

static const struct tsa_opt options[] = {
	{ .name = "window", .shrt = 'w', .type = TSA_OPT_CUSTOM, .arg = "W",
	  .section = "aggregate", .key = "Window", .def = "auto",
	  .parse = parse_window, .dest = &agg_opt.window,
	  .help = "all (the whole stream), a time (60s, 5m) or the\n"
	  "last N packets (20000); auto: all for a file, " LIVE_WINDOW "\n"
	  "for a live source" },
	{ .name = "every", .shrt = 'e', .type = TSA_OPT_CUSTOM, .arg = "D",
	  .section = "aggregate", .key = "Every", .def = "auto",
	  .parse = parse_every, .dest = &agg_opt.every,
	  .help = "a snapshot every D of stream time, and one at the\n"
	  "end; 0: only the one at the end; auto: 0 for the\n"
	  "whole stream of a file, else " LIVE_EVERY },
	{ .name = "buckets", .shrt = 'b', .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "Buckets", .def = "25", .min = 1,
	  .max = 100000, .dest = &agg_opt.buckets,
	  .help = "bandwidth buckets across the window" },
	{ .name = "top-hosts", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "TopHosts", .def = "20", .max = 100000,
	  .dest = &agg_opt.top_hosts, .help = "hosts listed in a snapshot" },
	{ .name = "top-domains", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "TopDomains", .def = "20", .max = 100000,
	  .dest = &agg_opt.top_domains, .help = "domains listed in a snapshot" },
	{ .name = "detail-countries", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "DetailCountries", .def = "30",
	  .max = 1000, .dest = &agg_opt.detail_countries,
	  .help = "countries (the top by packets) given their own\n"
	  "hosts, domains, OS and applications in a snapshot" },
	{ .name = "detail-top", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "DetailTop", .def = "10", .max = 1000,
	  .dest = &agg_opt.detail_top,
	  .help = "hosts and domains listed for each of those" },
	{ .name = "local", .shrt = 'l', .type = TSA_OPT_CUSTOM, .arg = "CIDRS",
	  .section = "aggregate", .key = "LocalNetworks", .def = "",
	  .parse = parse_local, .dest = &agg_opt.local,
	  .help = "local networks, comma-separated (empty: private,\n"
	  "loopback and link-local ranges and the guessed\n"
	  "capturing host)" },
	{ .name = "domain-cache", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "DomainCacheSize", .def = "100000",
	  /* with its share of the name store and indexes: 162 bytes measured */
	  .min = 16, .max = 1 << 26, .unit_bytes = 162,
	  .dest = &agg_opt.domain_cache,
	  .help = "addresses whose names are kept across windows" },
	{ .name = "host-table", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "HostTableSize", .def = "131072",
	  .min = 16, .max = 1 << 26, .unit_bytes = 128,
	  .dest = &agg_opt.host_table,
	  .help = "addresses a window holds (more are counted\n"
	  "without a host entry)" },
	{ .name = "host-facts", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "HostFacts", .def = "10000",
	  .min = 1, .max = 100000000, .unit_bytes = 400,
	  .dest = &agg_opt.host_facts,
	  .help = "hosts whose latest host record is kept, for their\n"
	  "application and distance (at least [p0f] HostCacheSize)" },
	{ .name = "scan-table", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "ScanTableSize", .def = "262144",
	  .min = 16, .max = 1 << 26, .unit_bytes = 16,
	  .dest = &agg_opt.scan_table,
	  .help = "distinct (source, destination, port) SYN targets\n"
	  "tracked for scans" },
	{ .name = "max-window-packets", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "MaxWindowPackets", .def = "1000000",
	  .min = 1, .max = 1 << 30, .unit_bytes = 32,
	  .dest = &agg_opt.max_window,
	  .help = "packets a time window holds at most" },
	{ .name = "syn-flood", .type = TSA_OPT_U64, .arg = "N",
	  .section = "security", .key = "SynFloodThreshold", .def = "1000",
	  .dest = &agg_opt.th.syn,
	  .help = "syn_flood: more SYNs than this from a host ..." },
	{ .name = "syn-flood-ratio", .type = TSA_OPT_DOUBLE, .arg = "R",
	  .section = "security", .key = "SynFloodRatio", .def = "5", .max = 1e9,
	  .dest = &agg_opt.th.syn_ratio,
	  .help = "... and more than R times its ACK segments" },
	{ .name = "synack-flood", .type = TSA_OPT_U64, .arg = "N",
	  .section = "security", .key = "SynAckFloodThreshold", .def = "1000",
	  .dest = &agg_opt.th.synack,
	  .help = "synack_flood: more SYN-ACKs than this from a host ..." },
	{ .name = "synack-flood-ratio", .type = TSA_OPT_DOUBLE, .arg = "R",
	  .section = "security", .key = "SynAckFloodRatio", .def = "5", .max = 1e9,
	  .dest = &agg_opt.th.synack_ratio,
	  .help = "... and more than R times its ACK segments" },
	{ .name = "dns-reflection", .type = TSA_OPT_U64, .arg = "N",
	  .section = "security", .key = "DnsReflectionThreshold", .def = "1000",
	  .dest = &agg_opt.th.dns,
	  .help = "dns_reflection: more DNS responses than this to\na host ..." },
	{ .name = "dns-reflection-ratio", .type = TSA_OPT_DOUBLE, .arg = "R",
	  .section = "security", .key = "DnsReflectionRatio", .def = "5",
	  .max = 1e9, .dest = &agg_opt.th.dns_ratio,
	  .help = "... and more than R times the queries it sent" },
	{ .name = "scan", .type = TSA_OPT_U64, .arg = "N", .section = "security",
	  .key = "ScanThreshold", .def = "100", .dest = &agg_opt.th.scan,
	  .help = "scan: SYNs to more than N (address, port) targets ..." },
	{ .name = "scan-unanswered", .type = TSA_OPT_DOUBLE, .arg = "F",
	  .section = "security", .key = "ScanUnansweredRatio", .def = "0.8",
	  .max = 1, .dest = &agg_opt.th.scan_unanswered,
	  .help = "... of which at least this share got no SYN-ACK" },
	{ .name = "pass", .type = TSA_OPT_FLAG, .dest = &agg_opt.pass,
	  .help = "also pass the packet records through unchanged" },
	{ .name = "live", .type = TSA_OPT_FLAG, .dest = &agg_opt.live,
	  .help = "when the input is idle, let the clock advance\n"
	  "stream time so that snapshots come on time (also\n"
	  "when the header says \"live\": true)" },
	{ .name = "merge", .shrt = 'm', .type = TSA_OPT_FLAG, .dest = &agg_opt.merge,
	  .help = "combine the snapshots of several sensors: from\n"
	  "several streams, or one with every record marked\n"
	  "by its \"sensor\" (tsa-nats sub)" },
	{ .name = "merge-lag", .type = TSA_OPT_DURATION, .arg = "D",
	  .section = "aggregate", .key = "MergeLag", .def = "60s", .max = 86400 * 365,
	  .dest = &agg_opt.merge_lag,
	  .help = "--merge: a window waits for a silent sensor until\n"
	  "another sensor is D of stream time past it" },
	{ .name = "merge-sensors", .type = TSA_OPT_U64, .arg = "N",
	  .section = "aggregate", .key = "MergeSensors", .def = "1024", .min = 1,
	  .max = 1 << 20, .unit_bytes = 256, .dest = &agg_opt.merge_sensors,
	  .help = "--merge: sensors told apart at most (more are\n"
	  "left out and counted)" },
	{ .name = "merge-memory", .type = TSA_OPT_U64, .arg = "BYTES",
	  .section = "aggregate", .key = "MergeMemory", .def = "67108864",
	  .min = 1 << 20, .dest = &agg_opt.merge_memory,
	  .help = "--merge: bytes of snapshots waiting for other\n"
	  "sensors at most (beyond, the oldest window is\n"
	  "written without the sensors that are behind)" },
	{ .name = "output", .shrt = 'o', .type = TSA_OPT_PATH, .arg = "FILE",
	  .def = "-", .dest = &agg_opt.out, .help = "write here instead of stdout" },
	{ .name = "verbose", .shrt = 'v', .type = TSA_OPT_COUNT,
	  .dest = &agg_opt.verbose,
	  .help = "counts and table use on stderr at the end" },
	TSA_OPT_END
};

const struct tsa_tool agg_tool = {
	.synopsis = "[OPTIONS] [FILE]\n--merge [OPTIONS] [FILE...]",
	.about = "Aggregate the packet records of a TSA stream (FILE, or stdin) over a window\n"
	    "into snapshot records: countries, registrable domains, top hosts, OS labels,\n"
	    "bandwidth and active alerts; alert records when an alert starts.",
	.notes = "An alert holds while every condition of its threshold holds over the window.",
	.opts = options,
};
