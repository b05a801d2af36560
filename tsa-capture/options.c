/*
 * tsa-capture's options and settings, declared once (lib/opts.h).  The
 * original app's [app] keys choose the source when neither -r nor -i is
 * given.
 */
#include "options.h"

struct capture_opts cap_opt;

static const struct tsa_opt options[] = {
	{ .name = "read", .shrt = 'r', .type = TSA_OPT_PATH, .arg = "FILE",
	  .section = "app", .key = "InitFileLocation", .def = "",
	  .dest = &cap_opt.file,
	  .help = "read a pcap or pcapng file ('-': standard input)" },
	{ .name = "interface", .shrt = 'i', .type = TSA_OPT_STR, .arg = "IFACE",
	  .section = "app", .key = "CaptureInterface", .def = "eth0",
	  .dest = &cap_opt.iface, .help = "capture live on an interface" },
	{ .name = "live", .type = TSA_OPT_FLAG, .section = "app",
	  .key = "UseLiveCapture", .def = "false", .dest = &cap_opt.live,
	  .help = "without -r or -i: capture on the interface of the\n"
	  "settings rather than read their file" },
	{ .name = "count", .shrt = 'c', .type = TSA_OPT_U64, .arg = "N",
	  .def = "0", .dest = &cap_opt.count,
	  .help = "stop after N packets (0: no limit)" },
	{ .name = "promiscuous", .type = TSA_OPT_FLAG, .section = "capture",
	  .key = "Promiscuous", .def = "true", .dest = &cap_opt.promisc,
	  .help = "put the interface in promiscuous mode" },
	{ .name = "no-promiscuous", .shrt = 'p', .type = TSA_OPT_FLAG,
	  .dest = &cap_opt.no_promisc, .help = "not in promiscuous mode" },
	{ .name = "snaplen", .shrt = 's', .type = TSA_OPT_U64, .arg = "BYTES",
	  .section = "capture", .key = "SnapLen", .def = "262144", .max = 262144,
	  .dest = &cap_opt.snaplen,
	  .help = "bytes captured per packet (0: 262144, as tcpdump)" },
	{ .name = "buffer-size", .type = TSA_OPT_U64, .arg = "BYTES",
	  .section = "capture", .key = "BufferSize", .def = "33554432",
	  .max = 2147483648.0, .dest = &cap_opt.buffer,
	  .help = "kernel capture buffer (0: libpcap's, 2 MiB)" },
	{ .name = "buffer-kib", .shrt = 'B', .type = TSA_OPT_U64, .arg = "KIB",
	  .def = "0", .max = 2097152, .dest = &cap_opt.buffer_kib,
	  .help = "the same in KiB, as tcpdump's -B" },
	{ .name = "user", .shrt = 'Z', .type = TSA_OPT_STR, .arg = "USER",
	  .section = "capture", .key = "User", .def = "nobody",
	  .dest = &cap_opt.user,
	  .help = "after opening, switch to USER when run as root\n"
	  "(every capability is dropped in any case)" },
	{ .name = "stats-interval", .type = TSA_OPT_U64, .arg = "SECS",
	  .section = "capture", .key = "StatsInterval", .def = "5", .max = 86400,
	  .dest = &cap_opt.stats_every,
	  .help = "seconds between stats records of a live capture" },
	{ .name = "reassembly-datagrams", .type = TSA_OPT_U64, .arg = "N",
	  .section = "capture", .key = "ReassemblyDatagrams", .def = "1024",
	  .max = 1 << 20, .dest = &cap_opt.frag_datagrams,
	  .help = "IP datagrams held for reassembly at once (0: none;\n"
	  "every fragment is decoded on its own)" },
	{ .name = "reassembly-memory", .type = TSA_OPT_U64, .arg = "BYTES",
	  .section = "capture", .key = "ReassemblyMemory", .def = "8388608",
	  .min = 65536, .max = 1 << 30, .unit_bytes = 1,
	  .dest = &cap_opt.frag_memory, .help = "bytes of fragments held at once" },
	{ .name = "reassembly-timeout", .type = TSA_OPT_U64, .arg = "SECS",
	  .section = "capture", .key = "ReassemblyTimeout", .def = "30",
	  .min = 1, .max = 3600, .dest = &cap_opt.frag_timeout,
	  .help = "stream time a datagram has from its first fragment\nto complete" },
	{ .name = "output", .shrt = 'o', .type = TSA_OPT_PATH, .arg = "FILE",
	  .def = "-", .dest = &cap_opt.out, .help = "write here instead of stdout" },
	{ .name = "quiet", .shrt = 'q', .type = TSA_OPT_FLAG, .dest = &cap_opt.quiet,
	  .help = "no progress display, no summary" },
	{ .name = "verbose", .shrt = 'v', .type = TSA_OPT_COUNT,
	  .dest = &cap_opt.verbose,
	  .help = "the summary for a file too, not only for a live capture" },
	TSA_OPT_END
};

const struct tsa_tool capture_tool = {
	.synopsis = "[-r FILE | -i IFACE] [OPTIONS] [FILTER...]",
	.about = "Read packets with libpcap and write the TSA record stream: one record\n"
	    "per IP packet, and stats records.",
	.notes = "FILTER is a tcpdump filter expression (pcap-filter(7)), for files too.\n"
	    "Without -r and -i, [app] UseLiveCapture (--live) chooses between [app]\n"
	    "CaptureInterface and [app] InitFileLocation.",
	.opts = options,
};
