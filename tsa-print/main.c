/*
 * tsa-print: show a TSA stream to a person.  JSON Lines by default (valid for
 * jq), or aligned columns with -f.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "columns.h"
#include "show.h"
#include "tables.h"

_Noreturn static void usage(void)
{
	printf("Usage: %s [OPTIONS] [FILE...]\n"
	    "Show TSA records (from FILEs, or stdin; '-' is stdin) as text.\n\n"
	    "  -f, --fields LIST    aligned columns of these keys (comma-separated),\n"
	    "                       with a title line; records without any are skipped\n"
	    "      --delimiter C    column delimiter (default '|')\n"
	    "      --no-title       no title line in column output\n"
	    "      --header         also print each stream's header\n"
	    "      --tables         snapshots and alerts as tables (the default for\n"
	    "                       streams of kind \"snapshots\"); other records as JSON\n"
	    "      --json           JSON Lines for every stream\n"
	    "      --last           only the stream's last snapshot record\n"
	    "  -l, --line-buffered  write each line when it is whole (for a pipe\n"
	    "                       read as it goes, as tcpdump -l)\n"
	    "  -h, --help           this help\n\n"
	    "Default output is JSON Lines: addresses as text, times as RFC 3339 UTC\n"
	    "with nanoseconds, other binary values as hex.\n", tsa_prog);
	exit(0);
}

/* stdout failed: a closed pipe ends us quietly, anything else is an error. */
static void check_out(void)
{
	if (!ferror(stdout))
		return;
	if (errno == EPIPE)
		exit(0);
	tsa_die("stdout: %s", strerror(errno));
}

/* Before waiting for input: what is printed reaches the reader now. */
static void flush_out(void *arg)
{
	(void)arg;
	fflush(stdout);
	check_out();
}

/* --tables, --json, or by the header's kind */
static enum { AUTO, TABLES, JSON } mode = AUTO;
static int last_only;	/* --last: keep the newest snapshot, show it at the end */

static int use_tables(const struct tsa_reader *r)
{
	size_t len;
	const uint8_t *h = tsa_reader_header(r, &len);
	struct mp_obj kind;

	if (mode != AUTO)
		return mode == TABLES;
	return mp_map_get1(h, len, "kind", &kind) == 1 && mp_str_eq(&kind, "snapshots", 9);
}

/* One record in the chosen form; -1 if it is malformed. */
static int print_record(const uint8_t *rec, size_t len, int tables,
    struct columns *cols, struct mp_buf *line)
{
	int t;

	if (cols) {
		columns_record(cols, rec, len, stdout);
		return 0;
	}
	line->len = 0;
	t = tables ? tables_record(line, rec, len) : 0;
	if (t < 0 || (t == 0 && show_json_record(line, rec, len) < 0))
		return -1;
	fwrite(line->p, 1, line->len, stdout);
	return 0;
}

static int print_stream(const char *path, int header, struct columns *cols,
    struct mp_buf *line)
{
	struct tsa_reader *r = tsa_reader_open(path);
	const uint8_t *rec;
	size_t len;
	int rc, tables = !cols && use_tables(r);
	struct mp_buf last = { 0 };
	struct mp_obj type;

	if (header && !cols) {
		const uint8_t *h = tsa_reader_header(r, &len);
		line->len = 0;
		show_json_record(line, h, len);
		fwrite(line->p, 1, line->len, stdout);
	}
	while ((rc = tsa_read(r, &rec, &len)) > 0) {
		if (last_only) {
			if (tsa_rec_type(rec, len, &type) &&
			    mp_str_eq(&type, "snapshot", 8)) {
				last.len = 0;
				mp_put_raw(&last, rec, len);
			}
			continue;
		}
		if (print_record(rec, len, tables, cols, line) < 0) {
			tsa_warn("%s: record %llu: malformed", tsa_reader_name(r),
			    (unsigned long long)tsa_reader_count(r));
			rc = -1;
			break;
		}
		check_out();
	}
	if (last.len && print_record(last.p, last.len, tables, cols, line) < 0) {
		tsa_warn("%s: last snapshot: malformed", tsa_reader_name(r));
		rc = -1;
	}
	mp_buf_free(&last);
	tsa_reader_close(r);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fields", required_argument, NULL, 'f' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "no-title", no_argument, NULL, 'T' },
		{ "header", no_argument, NULL, 'H' },
		{ "tables", no_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "last", no_argument, NULL, 'L' },
		{ "line-buffered", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fields = NULL;
	char delim = '|';
	int title = 1, header = 0, c, status = 0, lines = 0;
	struct columns *cols = NULL;
	struct mp_buf line = { 0 };
	static char obuf[1 << 20];

	tsa_init(argv[0]);
	while ((c = getopt_long(argc, argv, "f:lh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': fields = optarg; break;
		case 'd':
			if (strlen(optarg) != 1)
				tsa_usage("--delimiter: one character");
			delim = optarg[0];
			break;
		case 'T': title = 0; break;
		case 'H': header = 1; break;
		case 't': mode = TABLES; break;
		case 'j': mode = JSON; break;
		case 'L': last_only = 1; break;
		case 'l': lines = 1; break;
		case 'h': usage();
		default: tsa_usage("unknown option");
		}
	}
	/* Whole buffers for throughput, or whole lines for a reader that
	 * watches the output as it comes; either way what is printed goes
	 * out before tsa-print waits for more input. */
	setvbuf(stdout, obuf, lines ? _IOLBF : _IOFBF, sizeof obuf);
	tsa_on_idle(flush_out, NULL);
	if (fields)
		cols = columns_new(fields, delim, title);
	if (optind == argc) {
		status |= print_stream(NULL, header, cols, &line) < 0;
	} else {
		for (int i = optind; i < argc; i++)
			status |= print_stream(argv[i], header, cols, &line) < 0;
	}
	if (cols)
		columns_finish(cols, stdout);
	if (show_too_deep)
		tsa_warn("%lu values nested deeper than %d shown as null",
		    show_too_deep, SHOW_MAX_DEPTH);
	fflush(stdout);
	check_out();
	mp_buf_free(&line);
	return status || tsa_exit_status();
}
