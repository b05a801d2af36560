/*
 * tsa-filter: pass the packet records for which an expression holds.
 *
 *   tsa-filter [-o FILE] [--fail FILE] [--count] EXPR [FILE]
 *
 * Records with a "type" key (stats, snapshots, alerts) are not packets:
 * they go through to every output unchanged, so each output stays a
 * complete stream.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "tsa.h"

static struct {
	const char *in, *out, *fail;
	int verbose;
	bool list_fields;
	uint64_t host_facts;
} opt;

static const struct tsa_opt options[] = {
	{ .name = "read", .shrt = 'r', .type = TSA_OPT_PATH, .arg = "FILE",
	  .def = "-", .dest = &opt.in, .help = "read FILE instead of stdin" },
	{ .name = "output", .shrt = 'o', .type = TSA_OPT_PATH, .arg = "FILE",
	  .def = "-", .dest = &opt.out,
	  .help = "write the records that pass to FILE" },
	{ .name = "pass", .type = TSA_OPT_PATH, .arg = "FILE", .def = "-",
	  .dest = &opt.out, .help = "the same as --output (SiLK's name)" },
	{ .name = "fail", .type = TSA_OPT_PATH, .arg = "FILE", .def = "",
	  .dest = &opt.fail,
	  .help = "write the packet records that fail to FILE" },
	{ .name = "verbose", .shrt = 'v', .type = TSA_OPT_COUNT,
	  .dest = &opt.verbose,
	  .help = "records read, passed and failed on stderr at the end" },
	{ .name = "count", .type = TSA_OPT_COUNT, .dest = &opt.verbose,
	  .help = "the same as --verbose" },
	{ .name = "host-facts", .type = TSA_OPT_U64, .arg = "N",
	  .section = "filter", .key = "HostFacts", .def = "10000", .min = 1,
	  .max = 100000000, .unit_bytes = 400, .dest = &opt.host_facts,
	  .help = "hosts whose latest host record is kept, for the\n"
	  "src_ and dst_ host facts (at least [p0f] HostCacheSize)" },
	{ .name = "list-fields", .type = TSA_OPT_FLAG, .dest = &opt.list_fields,
	  .help = "the documented fields: name, what each holds, the\n"
	  "stage that adds it; then exit" },
	TSA_OPT_END
};

static const struct tsa_tool tool = {
	.synopsis = "[OPTIONS] EXPR [FILE]",
	.about = "Copy the packet records of a TSA stream (FILE or stdin) for which\n"
	    "EXPR holds; stats, snapshot and alert records always pass.",
	.notes = "EXPR, for example:\n"
	    "  'protocol == tcp and dst_port in [80, 443]'\n"
	    "  'not (src_addr in 10.0.0.0/8 or dst_addr in 10.0.0.0/8)'\n"
	    "  'tls_sni ~ \"*.example.com\" or dns_query_names ~ \"*.cn\"'\n"
	    "  'dst_country in [CN, RU] and has p0f_label'\n"
	    "Operators: == != < <= > >= in ~ !~ has and or not ( ).\n"
	    "See tsa-filter(1) for the grammar.",
	.opts = options,
};

/*
 * An output, and whether its reader is known to be gone.  With --fail
 * the two outputs end on their own: when the reader of one goes away, the
 * other still gets every record, and the input is read until both are
 * gone (as tee -p and SiLK's rwfilter do).  A reader is found gone only
 * by a write, so the outputs are looked at only when their buffer was
 * written out (it holds less than after the last copy): not per record.
 */
struct output {
	struct tsa_writer *w;
	const char *name;
	struct mp_buf *buf;	/* tsa_out(w) */
	size_t held;		/* buf->len after the last copy */
	bool gone;
};

static void copy(struct output *o, const uint8_t *rec, size_t len)
{
	if (o->gone)
		return;
	mp_put_raw(o->buf, rec, len);
	o->held = o->buf->len;
	tsa_wrote(o->w);
}

static bool flushed(struct output *o)
{
	return o->buf->len < o->held;
}

/*
 * Notice the outputs whose reader went away (at input record n) and say
 * so once for each that leaves the other going.  True when both are gone:
 * nobody reads any more, so neither does tsa-filter.
 */
static bool readers_gone(struct output *a, struct output *b, uint64_t n)
{
	a->held = a->buf->len;
	b->held = b->buf->len;
	bool ga = !a->gone && tsa_writer_gone(a->w);
	bool gb = !b->gone && tsa_writer_gone(b->w);

	a->gone |= ga;
	b->gone |= gb;
	if (ga && !b->gone)
		tsa_warn("%s: its reader went away at input record %" PRIu64
		    "; %s still gets every record", a->name, n, b->name);
	if (gb && !a->gone)
		tsa_warn("%s: its reader went away at input record %" PRIu64
		    "; %s still gets every record", b->name, n, a->name);
	return a->gone && b->gone;
}

int main(int argc, char **argv)
{
	tsa_init(argv[0]);
	int i = tsa_opts_parse(&tool, argc, argv);
	const char *in = opt.in, *out = opt.out, *failpath = *opt.fail ? opt.fail : NULL;

	if (opt.list_fields) {
		filter_list_fields(stdout);
		if (fflush(stdout) != 0 && errno != EPIPE)
			tsa_die("stdout: %s", strerror(errno));
		return 0;
	}
	if (i >= argc)
		tsa_usage("no filter expression given");
	const char *text = argv[i++];
	if (i < argc) {
		if (tsa_opt_given(&tool, "read"))
			tsa_usage("both -r %s and %s given", in, argv[i]);
		in = argv[i++];
	}
	if (i < argc)
		tsa_usage("more than one input file (%s)", argv[i]);
	if (failpath && (tsa_names_stdout(failpath) ? tsa_names_stdout(out) :
	    strcmp(failpath, out) == 0))
		tsa_usage("--fail and the passing records both go to %s",
		    tsa_names_stdout(out) ? "stdout" : out);

	struct filter_error err;
	struct filter *f = filter_compile(text, &err);
	if (!f)
		tsa_die("expression, column %d: %s", err.col, err.msg);

	struct tsa_hostfacts *hosts = tsa_hostfacts_new((uint32_t)opt.host_facts);
	filter_set_hosts(f, hosts);

	struct tsa_reader *r = tsa_reader_open(in);
	size_t hlen;
	const uint8_t *hdr = tsa_reader_header(r, &hlen);
	struct mp_obj kind;
	bool snapshots = mp_map_get1(hdr, hlen, "kind", &kind) == 1 &&
	    mp_str_eq(&kind, "snapshots", 9);
	if (snapshots)
		tsa_warn("%s: a snapshots stream has no packet records to "
		    "filter: every record passes", tsa_reader_name(r));
	struct output pass = { .w = tsa_writer_open(out, 0),
	    .name = tsa_names_stdout(out) ? "stdout" : out };
	struct output failed = { .name = failpath };
	pass.buf = tsa_out(pass.w);
	tsa_header_pass(pass.w, r, NULL, argc, argv);
	if (failpath) {
		failed.w = tsa_writer_open(failpath, 0);
		failed.buf = tsa_out(failed.w);
		tsa_header_pass(failed.w, r, NULL, argc, argv);
		tsa_writer_set_epipe_ok(pass.w);
		tsa_writer_set_epipe_ok(failed.w);
	} else {
		failed.gone = true;	/* no such output */
	}

	uint64_t npass = 0, nfail = 0, nother = 0;
	const uint8_t *rec;
	size_t len;
	int rc;
	while ((rc = tsa_read(r, &rec, &len)) > 0) {
		enum filter_verdict v = filter_record(f, rec, len);
		/* The first packet record has shown which fields it has. */
		if ((v == FILTER_PASS || v == FILTER_FAIL) && npass + nfail == 0)
			filter_warn_stages(f, r);
		switch (v) {
		case FILTER_PASS:
			npass++;
			copy(&pass, rec, len);
			break;
		case FILTER_FAIL:
			nfail++;
			copy(&failed, rec, len);
			break;
		case FILTER_OTHER:
			nother++;
			copy(&pass, rec, len);
			copy(&failed, rec, len);
			break;
		case FILTER_BAD:
			/* The reader framed it as a map: not reached. */
			tsa_warn("%s: record %" PRIu64 ": not a well-formed map",
			    tsa_reader_name(r), tsa_reader_count(r));
			rc = -1;
			break;
		}
		if (rc < 0)
			break;
		if (failed.w && (flushed(&pass) || flushed(&failed)) &&
		    readers_gone(&pass, &failed, tsa_reader_count(r)))
			break;
	}
	/* The last flush may find a reader gone, too. */
	if (failed.w) {
		tsa_flush(failed.w);
		tsa_flush(pass.w);
		readers_gone(&pass, &failed, tsa_reader_count(r));
		tsa_writer_close(failed.w);
	}
	tsa_writer_close(pass.w);
	/* After damaged input, its one line says it all. */
	if (!snapshots && rc == 0 && tsa_input_complete())
		filter_warn_unseen(f, npass + nfail);
	if (opt.verbose)
		fprintf(stderr, "%s: %" PRIu64 " records read, %" PRIu64
		    " passed, %" PRIu64 " failed; %" PRIu64 " other record%s "
		    "copied\n", tsa_prog, npass + nfail, npass, nfail, nother,
		    nother == 1 ? "" : "s");
	tsa_reader_close(r);
	filter_free(f);
	tsa_hostfacts_free(hosts);
	return rc < 0 || tsa_exit_status();
}
