/*
 * tsa-print's options, declared once (lib/opts.h), and the combinations it
 * refuses.  tsa-print reads no settings: how to show a stream is asked of
 * each run, not configured.
 */
#include <stdio.h>
#include <string.h>

#include "options.h"

struct print_opts print_opt;

/* One byte: a column delimiter several bytes long would need a rule for
   splitting it back. */
static bool parse_delimiter(const char *s, void *dest, char *why, size_t n)
{
	if (strlen(s) != 1) {
		snprintf(why, n, "is not one character");
		return false;
	}
	if (s[0] == '\n' || s[0] == '\r') {
		snprintf(why, n, "is a line break");
		return false;
	}
	*(const char **)dest = s;
	return true;
}

static const struct tsa_opt options[] = {
	{ .name = "fields", .shrt = 'f', .type = TSA_OPT_STR, .arg = "LIST",
	  .dest = &print_opt.fields,
	  .help = "these keys (comma-separated) as aligned columns\n"
	  "with a title line; records with none are skipped" },
	{ .name = "delimiter", .type = TSA_OPT_CUSTOM, .arg = "C", .def = "|",
	  .parse = parse_delimiter, .dest = &print_opt.delimiter,
	  .help = "the character after each aligned column" },
	{ .name = "no-title", .type = TSA_OPT_FLAG, .dest = &print_opt.no_title,
	  .help = "no title line (header row) with -f, --csv, --tsv" },
	{ .name = "csv", .type = TSA_OPT_FLAG, .dest = &print_opt.csv,
	  .help = "the -f columns as CSV (RFC 4180: commas, quotes\n"
	  "where needed, CRLF line ends, a header row)" },
	{ .name = "tsv", .type = TSA_OPT_FLAG, .dest = &print_opt.tsv,
	  .help = "the -f columns separated by tabs, unpadded, with a\n"
	  "header row; tab, newline, CR and \\ in a value\n"
	  "written \\t \\n \\r \\\\" },
	{ .name = "header", .type = TSA_OPT_FLAG, .dest = &print_opt.header,
	  .help = "also print each stream's header (as JSON)" },
	{ .name = "tables", .type = TSA_OPT_FLAG, .dest = &print_opt.tables,
	  .help = "snapshots and alerts as tables (the default for\n"
	  "streams of kind \"snapshots\"); other records as JSON" },
	{ .name = "json", .type = TSA_OPT_FLAG, .dest = &print_opt.json,
	  .help = "JSON Lines for every stream" },
	{ .name = "last", .type = TSA_OPT_FLAG, .dest = &print_opt.last,
	  .help = "only each stream's last snapshot record (an error if\n"
	  "a stream has none)" },
	{ .name = "line-buffered", .shrt = 'l', .type = TSA_OPT_FLAG,
	  .dest = &print_opt.line_buffered,
	  .help = "write each line when it is whole (for a pipe read\n"
	  "as it goes, as tcpdump -l)" },
	{ .name = "host-facts", .type = TSA_OPT_U64, .arg = "N",
	  .section = "print", .key = "HostFacts", .def = "10000", .min = 1,
	  .max = 100000000, .unit_bytes = 400, .dest = &print_opt.host_facts,
	  .help = "hosts whose latest host record is kept, for -f's\n"
	  "src_ and dst_ host facts (at least [p0f] HostCacheSize)" },
	{ .name = "output", .shrt = 'o', .type = TSA_OPT_PATH, .arg = "FILE",
	  .def = "-", .dest = &print_opt.out, .help = "write here instead of stdout" },
	TSA_OPT_END
};

const struct tsa_tool print_tool = {
	.synopsis = "[OPTIONS] [FILE...]",
	.about = "Show TSA records (from FILEs, or stdin; '-' is stdin) as text.",
	.notes = "Default output is JSON Lines: addresses as text, times as RFC 3339 UTC\n"
	    "with nanoseconds, other binary values as hex.",
	.opts = options,
};

/*
 * Each output form is one of: JSON lines, tables, columns (aligned, CSV or
 * TSV).  Two of them asked for at once, or an option of one form given to
 * another, would leave the user guessing which one won: refused.
 */
void print_opts_check(void)
{
	const struct print_opts *o = &print_opt;
	const char *cols = o->csv ? "--csv" : o->tsv ? "--tsv" : "-f";

	if (o->tables && o->json)
		tsa_usage("--tables and --json: choose one");
	if (o->csv && o->tsv)
		tsa_usage("--csv and --tsv: choose one");
	if ((o->csv || o->tsv) && !o->fields)
		tsa_usage("%s needs -f LIST (the columns)", cols);
	if (o->fields && (o->tables || o->json))
		tsa_usage("%s and %s: columns or %s, not both", cols,
		    o->tables ? "--tables" : "--json", o->tables ? "tables" : "JSON");
	if (o->fields && o->header)
		tsa_usage("--header and %s: the header is shown as JSON, "
		    "not as columns", cols);
	if (tsa_opt_given(&print_tool, "delimiter") && !o->fields)
		tsa_usage("--delimiter is for -f columns");
	if (tsa_opt_given(&print_tool, "delimiter") && (o->csv || o->tsv))
		tsa_usage("--delimiter and %s: %s has its own", cols, cols);
	if (o->no_title && !o->fields)
		tsa_usage("--no-title is for -f, --csv and --tsv");
}
