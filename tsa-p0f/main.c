/*
 * tsa-p0f: p0f v3 fingerprinting on the record stream.
 *
 * Reads p0f's signature database, then annotates SYN, SYN+ACK and HTTP
 * records with their fingerprints and every packet record with its two
 * endpoints' OS, and writes a host record, before the packet record, for
 * each host whose facts that record changed.  Works on files, in pipes,
 * after any stage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "config.h"
#include "host_pairs.h"
#include "host_rec.h"
#include "hosts.h"
#include "sig_read.h"
#include "tsa.h"

static struct {
	const char *fp, *out;
	bool compat;
	uint64_t hosts;
	int verbose;
} opt;

static const struct tsa_opt options[] = {
	{ .name = "fp-file", .shrt = 'f', .type = TSA_OPT_PATH, .arg = "FILE",
	  .section = "p0f", .key = "DatabaseFilePath", .def = "/etc/p0f/p0f.fp",
	  .dest = &opt.fp, .help = "p0f.fp signature database" },
	{ .name = "compat", .type = TSA_OPT_FLAG, .section = "p0f", .key = "Compat",
	  .def = "false", .dest = &opt.compat,
	  .help = "reproduce p0f 3.09b exactly: the IPv6 flow label\n"
	  "counts as a quirk; frames p0f does not read change\nnothing" },
	{ .name = "host-cache", .type = TSA_OPT_U64, .arg = "N", .section = "p0f",
	  .key = "HostCacheSize", .def = "10000", .min = 1, .max = 100000000,
	  /* What a host reserves at start: its state, its table slot and
	   * bucket, and its answers packed in advance (host_pairs.c): 618
	   * bytes measured (VmSize at --host-cache 1000000). */
	  .unit_bytes = 640, .dest = &opt.hosts,
	  .help = "hosts remembered; the least recently active go first" },
	{ .name = "output", .shrt = 'o', .type = TSA_OPT_PATH, .arg = "FILE",
	  .def = "-", .dest = &opt.out, .help = "write here instead of stdout" },
	{ .name = "verbose", .shrt = 'v', .type = TSA_OPT_COUNT, .dest = &opt.verbose,
	  .help = "counts and memory on stderr at the end" },
	TSA_OPT_END
};

static const struct tsa_tool tool = {
	.synopsis = "[OPTIONS] [FILE]",
	.about = "Fingerprint SYN, SYN+ACK and HTTP records with p0f v3's signatures and\n"
	    "annotate every packet record with its endpoints' OS; what is known of a\n"
	    "host (OS, distance, link, uptime, application, language...) goes into a\n"
	    "host record, written when it changes, before the first packet record\n"
	    "that depends on it.  Reads FILE or standard input, writes standard\n"
	    "output.",
	.opts = options,
};

/* The header's link_type (tsa-capture's, libpcap's DLT), -1 if none. */
static int64_t link_type(const struct tsa_reader *r)
{
	size_t len;
	const uint8_t *h = tsa_reader_header(r, &len);
	struct mp_obj v;

	if (mp_map_get1(h, len, "link_type", &v) == 1 && v.type == MP_UINT &&
	    v.u <= INT32_MAX)
		return (int64_t)v.u;
	return -1;
}

int main(int argc, char **argv)
{
	char err[512];
	struct p0f_db *db;
	struct tsa_reader *r;
	struct tsa_writer *w;
	const char *fp_path;
	int rc, first;

	tsa_init(argv[0]);
	first = tsa_opts_parse(&tool, argc, argv);
	if (argc - first > 1)
		tsa_usage("at most one input file");
	fp_path = opt.fp;

	/* As root, signatures another user could have written are refused. */
	if (!tsa_path_trusted(fp_path, err, sizeof err))
		tsa_die("%s: %s", fp_path, err);
	if (!(db = p0f_db_load(fp_path, err, sizeof err)))
		tsa_die("%s", err);
	hosts_init((uint32_t)opt.hosts, MAX_CONN);
	host_pairs_init(db, (uint32_t)opt.hosts);
	host_rec_init(db);

	r = tsa_reader_open(first < argc ? argv[first] : NULL);
	annotate_init(db, opt.compat, link_type(r), tsa_header_ran(r, "tsa-p0f"));
	w = tsa_writer_open(opt.out, 0);
	tsa_header_flag(w, HOST_REC_HDR);
	tsa_header_pass(w, r, NULL, argc, argv);
	while ((rc = annotate_next(r, w)) > 0)
		;
	tsa_writer_close(w);

	if (annotate_stats.no_headers || annotate_stats.bad_headers)
		tsa_warn("%llu SYN/SYN+ACK records without tcp_headers, %llu "
		    "with cut-short or malformed headers: not fingerprinted",
		    (unsigned long long)annotate_stats.no_headers,
		    (unsigned long long)annotate_stats.bad_headers);
	if (hosts_stats.hosts_evicted)
		tsa_warn("host cache full: %llu hosts forgotten (see [p0f] "
		    "HostCacheSize)",
		    (unsigned long long)hosts_stats.hosts_evicted);
	if (hosts_stats.flows_evicted)
		tsa_warn("more than %d connections in their first %d s: %llu "
		    "forgotten", MAX_CONN, CONN_MAX_AGE,
		    (unsigned long long)hosts_stats.flows_evicted);
	if (opt.verbose)
		tsa_warn("%llu records; peak RSS %ld KiB", (unsigned long long)
		    tsa_reader_count(r), tsa_peak_rss_kib());
	tsa_reader_close(r);
	host_rec_free();
	host_pairs_free();
	hosts_free();
	p0f_db_free(db);
	return rc < 0 || tsa_exit_status();
}
