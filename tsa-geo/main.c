/*
 * tsa-geo: add the country (and, where the database has them, continent,
 * city, coordinates and network) of each record's source and destination
 * address, from MaxMind-format databases read with libmaxminddb.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "annotate.h"
#include "db.h"
#include "lookup.h"
#include "record.h"
#include "tsa.h"

static struct {
	const char *db, *asn, *out;
	uint64_t cache;
	int verbose;
} opt;

static const struct tsa_opt options[] = {
	{ .name = "database", .shrt = 'd', .type = TSA_OPT_PATH, .arg = "FILE",
	  .section = "geoip", .key = "DatabaseFilePath", .def = "", .dest = &opt.db,
	  .help = "location database: GeoLite2/GeoIP2 or DB-IP\n"
	  "Country or City, ip-location-db country or city\n"
	  "(empty: dbip-country.mmdb, installed with TSA)" },
	{ .name = "asn-database", .shrt = 'a', .type = TSA_OPT_PATH, .arg = "FILE",
	  .section = "geoip", .key = "AsnDatabaseFilePath", .def = "",
	  .dest = &opt.asn,
	  .help = "ASN database: GeoLite2-ASN or ip-location-db asn\n(empty: none)" },
	{ .name = "cache-size", .shrt = 'c', .type = TSA_OPT_U64, .arg = "N",
	  .section = "geoip", .key = "CacheSize", .def = "65536", .min = 1,
	  /* geo_lookup_new's cap; per address, with its share of the intern
	   * table and the answer store: 184 bytes measured at a power of two */
	  .max = 1 << 26, .unit_bytes = 184, .dest = &opt.cache,
	  .help = "addresses remembered with their answers" },
	{ .name = "output", .shrt = 'o', .type = TSA_OPT_PATH, .arg = "FILE",
	  .def = "-", .dest = &opt.out, .help = "write here instead of stdout" },
	{ .name = "verbose", .shrt = 'v', .type = TSA_OPT_COUNT, .dest = &opt.verbose,
	  .help = "counts and cache figures on stderr at the end" },
	TSA_OPT_END
};

static const struct tsa_tool tool = {
	.synopsis = "[OPTIONS] [FILE]",
	.about = "Add src_/dst_country, continent, city, coordinates and network to the\n"
	    "records of a TSA stream (FILE, or stdin), from MaxMind DB files.",
	.notes = "Private, loopback, link-local, multicast, documentation and reserved\n"
	    "addresses are not looked up: they get src_scope/dst_scope instead.\n"
	    "SIGHUP reopens the databases (after geoipupdate) between two records.",
	.opts = options,
};

static volatile sig_atomic_t hup;

static void on_hup(int sig)
{
	(void)sig;
	hup = 1;
}

struct geo {
	struct geo_db loc, asn;
	const char *loc_path, *asn_path;	/* asn_path NULL: none */
	struct geo_lookup *lookup;
	uint64_t reopens;
};

static void open_all(struct geo *g)
{
	char err[1600];

	if (!geo_db_open(&g->loc, g->loc_path, GEO_ROLE_LOCATION, err, sizeof err))
		tsa_die("%s", err);
	if (g->asn_path &&
	    !geo_db_open(&g->asn, g->asn_path, GEO_ROLE_ASN, err, sizeof err))
		tsa_die("%s", err);
}

/*
 * The database in use is tsa-geo's own copy (dbfile.c), whatever happened
 * to its file since, so a file that cannot be opened (half-written, wrong
 * kind, changing) is reported and the copy in use kept.
 */
static void reopen_one(struct geo_db *db, const char *path, enum geo_role role)
{
	struct geo_db fresh;
	char err[1600], built[32];
	time_t t;

	if (!geo_db_open(&fresh, path, role, err, sizeof err)) {
		tsa_warn("%s; keeping the database already open", err);
		return;
	}
	geo_db_close(db);
	*db = fresh;
	t = (time_t)db->mmdb.metadata.build_epoch;
	strftime(built, sizeof built, "%Y-%m-%d", gmtime(&t));
	tsa_warn("%s: reopened (%s, built %s)", path,
	    db->mmdb.metadata.database_type, built);
}

static void reopen_all(struct geo *g)
{
	hup = 0;
	reopen_one(&g->loc, g->loc_path, GEO_ROLE_LOCATION);
	if (g->asn_path)
		reopen_one(&g->asn, g->asn_path, GEO_ROLE_ASN);
	geo_lookup_flush(g->lookup);
	g->reopens++;
}

/*
 * Before blocking on input: pass on what is written (a live pipeline must
 * not sit on records), and wait in poll() so that a SIGHUP while idle
 * reopens at once rather than at the next record.
 */
static void wait_input(struct geo *g, struct tsa_reader *r, struct tsa_writer *w)
{
	struct pollfd pfd = { .fd = tsa_reader_fd(r), .events = POLLIN };

	tsa_flush(w);
	for (;;) {
		if (hup)
			reopen_all(g);
		if (poll(&pfd, 1, -1) >= 0 || errno != EINTR)
			return;
	}
}

/*
 * The header names the databases that answer ("geo_databases", the
 * location one first): their metadata's database_type and their file's
 * name, so that what draws the map credits the right source (the type
 * alone can be vague: ip-location-db's say "country ipvAll").
 */
static void put_database(struct mp_buf *b, const struct geo_db *db,
    const char *path)
{
	const char *type = db->mmdb.metadata.database_type;
	const char *base = strrchr(path, '/');

	mp_put_map(b, 2);
	mp_put_cstr(b, "type");
	mp_put_cstr(b, type ? type : "");
	mp_put_cstr(b, "file");
	mp_put_cstr(b, base ? base + 1 : path);
}

static void header_databases(struct tsa_writer *w, const struct geo *g)
{
	struct mp_buf b = { 0 };

	mp_put_array(&b, g->asn_path ? 2 : 1);
	put_database(&b, &g->loc, g->loc_path);
	if (g->asn_path)
		put_database(&b, &g->asn, g->asn_path);
	tsa_header_set(w, "geo_databases", b.p, b.len);
	mp_buf_free(&b);
}

static void print_stats(const struct geo *g, uint64_t records, uint64_t bad)
{
	const struct geo_stats *s = geo_lookup_stats(g->lookup);

	tsa_warn("%llu records, %llu addresses: %llu with a country, %llu unknown, "
	    "%llu not looked up (scope); cache hits %.1f%%, %llu flushes; "
	    "%llu lookup errors, %llu bad addresses, %llu reopens; peak RSS %ld KiB",
	    (unsigned long long)records, (unsigned long long)s->addrs,
	    (unsigned long long)s->found,
	    (unsigned long long)(s->addrs - s->found - s->local),
	    (unsigned long long)s->local,
	    s->addrs ? 100.0 * (double)s->hits / (double)s->addrs : 0.0,
	    (unsigned long long)s->flushes, (unsigned long long)s->errors,
	    (unsigned long long)bad, (unsigned long long)g->reopens,
	    tsa_peak_rss_kib());
}

int main(int argc, char **argv)
{
	const char *in_path = NULL;
	int rc;
	struct geo g = { 0 };
	uint64_t records = 0, bad = 0;
	struct sigaction sa;
	struct mp_buf stripped = { 0 };
	bool rerun;
	char *shipped = NULL;
	int first;

	tsa_init(argv[0]);
	first = tsa_opts_parse(&tool, argc, argv);
	if (argc - first > 1)
		tsa_usage("one input file at most");
	if (first < argc)
		in_path = argv[first];
	g.loc_path = opt.db;
	if (!*g.loc_path && !(g.loc_path = shipped = tsa_data_file("dbip-country.mmdb")))
		tsa_usage("no location database: give -d FILE or set [geoip] "
		    "DatabaseFilePath (scripts/setup fetches the default one)");
	g.asn_path = *opt.asn ? opt.asn : NULL;

	/* Databases first: a missing one is the likeliest mistake. */
	open_all(&g);
	g.lookup = geo_lookup_new(&g.loc, g.asn_path ? &g.asn : NULL, opt.cache);

	geo_rec_init();
	geo_annotate_init();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_hup;
	sa.sa_flags = SA_RESTART;	/* the reader's read() just carries on */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);

	struct tsa_reader *r = tsa_reader_open(in_path);
	struct tsa_writer *w = tsa_writer_open(opt.out, 0);
	/*
	 * On a stream tsa-geo already annotated, every key of the earlier run
	 * goes, not only those this run writes again: answers from another
	 * database (a country file after a city file) must not mix.
	 */
	rerun = tsa_header_ran(r, "tsa-geo");
	header_databases(w, &g);
	tsa_header_pass(w, r, NULL, argc, argv);

	const uint8_t *rec;
	size_t len;
	for (;;) {
		if (hup)
			reopen_all(&g);
		if (tsa_reader_buffered(r) == 0)
			wait_input(&g, r, w);
		struct geo_rec gr;
		if ((rc = geo_rec_read(r, &rec, &len, &gr, g.lookup)) <= 0)
			break;
		records++;
		if (gr.typed) {
			/* Not a packet record: passes through as it is. */
			geo_write(w, rec, len, NULL, 0);
			continue;
		}
		if (rerun && geo_strip(rec, len, &stripped)) {
			/* gr pointed into rec, which stays valid. */
			rec = stripped.p;
			len = stripped.len;
		}
		const uint8_t *pairs[4];
		int np = 0;
		geo_lookup_begin(g.lookup);
		for (int side = 0; side < 2; side++) {
			struct geo_result res;
			if (!gr.has[side])
				continue;
			if (gr.addr[side].type != MP_BIN || !geo_lookup(g.lookup,
			    gr.addr[side].ptr, gr.addr[side].len, &res)) {
				bad++;
				continue;
			}
			np += geo_result_pairs(&res, side, pairs + np);
		}
		geo_write(w, rec, len, pairs, np);
	}
	tsa_writer_close(w);
	if (bad)
		tsa_warn("%s: %llu addresses that are not 4 or 16 bytes of binary "
		    "left without geolocation", tsa_reader_name(r),
		    (unsigned long long)bad);
	if (opt.verbose)
		print_stats(&g, records, bad);
	tsa_reader_close(r);
	geo_lookup_free(g.lookup);
	geo_db_close(&g.loc);
	geo_db_close(&g.asn);
	free(shipped);
	mp_buf_free(&stripped);
	return rc < 0 || tsa_exit_status();
}
