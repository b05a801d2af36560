/*
 * tsa-p0f: p0f v3 fingerprinting on the record stream.
 *
 * Reads p0f's signature database, then annotates SYN, SYN+ACK and HTTP
 * records with their fingerprints and every packet record with what is
 * known of its two endpoints.  Works on files, in pipes, after any stage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "host_pairs.h"
#include "hosts.h"
#include "sig_read.h"
#include "tsa.h"

#define DEFAULT_DB	"/etc/p0f/p0f.fp"
#define MAX_FLOWS	1000	/* p0f's default connection limit (-m c,) */

static void usage(void)
{
	printf("Usage: %s [-f FILE] [--compat] [--host-cache N] "
	    "[--settings FILE] [INPUT]\n"
	    "Fingerprint SYN, SYN+ACK and HTTP records with p0f v3's signatures "
	    "and annotate\nevery packet record with what is known of its "
	    "endpoints (OS, distance, link,\nuptime, application, language).\n"
	    "Reads INPUT or standard input, writes standard output.\n\n"
	    "  -f, --fp-file FILE  p0f.fp signature database "
	    "([p0f] DatabaseFilePath,\n"
	    "                      default " DEFAULT_DB ")\n"
	    "      --compat        reproduce p0f 3.09b exactly: the IPv6 "
	    "flow label counts\n"
	    "                      as a quirk ([p0f] Compat)\n"
	    "      --host-cache N  hosts remembered ([p0f] HostCacheSize, "
	    "default 10000)\n"
	    "      --settings FILE settings.ini to use\n"
	    "  -h, --help          this help\n", tsa_prog);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fp-file", required_argument, NULL, 'f' },
		{ "compat", no_argument, NULL, 'c' },
		{ "host-cache", required_argument, NULL, 'm' },
		{ "settings", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *opt_settings = NULL, *opt_fp = NULL, *opt_hosts = NULL;
	char *fp_path, err[512];
	bool compat = false, opt_compat = false;
	uint64_t max_hosts;
	struct p0f_db *db;
	struct tsa_reader *r;
	struct tsa_writer *w;
	int c, rc;

	tsa_init(argv[0]);
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			opt_fp = optarg;
			break;
		case 'c':
			opt_compat = true;
			break;
		case 'm':
			opt_hosts = optarg;
			break;
		case 's':
			opt_settings = optarg;
			break;
		case 'h':
			usage();
			return 0;
		default:
			tsa_usage("unknown option");
		}
	}
	if (argc - optind > 1)
		tsa_usage("at most one input file");
	tsa_settings_load(opt_settings);
	fp_path = opt_fp ? tsa_strdup(opt_fp) :
	    tsa_setting_path("p0f", "DatabaseFilePath", DEFAULT_DB);
	compat = opt_compat || tsa_setting_bool("p0f", "Compat", false);
	max_hosts = tsa_setting_u64("p0f", "HostCacheSize", 10000);
	if (opt_hosts && !tsa_parse_u64(opt_hosts, &max_hosts))
		tsa_usage("--host-cache: not a number: %s", opt_hosts);
	if (max_hosts < 1 || max_hosts > 100000000)
		tsa_usage("host cache size must be 1 to 100000000");

	/* As root, signatures another user could have written are refused. */
	if (!tsa_path_trusted(fp_path, err, sizeof err))
		tsa_die("%s: %s", fp_path, err);
	if (!(db = p0f_db_load(fp_path, err, sizeof err)))
		tsa_die("%s", err);
	hosts_init((uint32_t)max_hosts, MAX_FLOWS);
	host_pairs_init(db, (uint32_t)max_hosts);
	annotate_init(db, compat);

	r = tsa_reader_open(optind < argc ? argv[optind] : NULL);
	w = tsa_writer_open(NULL, 0);
	tsa_header_pass(w, r, NULL, argc, argv);
	while ((rc = annotate_next(r, w)) > 0)
		;
	tsa_writer_close(w);
	tsa_reader_close(r);

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
		tsa_warn("more than %d connections in their first 30 s: %llu "
		    "forgotten", MAX_FLOWS,
		    (unsigned long long)hosts_stats.flows_evicted);
	host_pairs_free();
	hosts_free();
	p0f_db_free(db);
	free(fp_path);
	return rc < 0 || tsa_exit_status();
}
