/*
 * tsa-print: show a TSA stream to a person.  JSON Lines by default (valid for
 * jq), tables for snapshots, or columns with -f (aligned, CSV or TSV).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "columns.h"
#include "options.h"
#include "show.h"
#include "tables.h"

/* The output's name in messages: "stdout", or -o's file. */
static const char *out_name = "stdout";

/* The output failed: a closed pipe ends us quietly, anything else is an error. */
static void check_out(void)
{
	if (!ferror(stdout))
		return;
	if (errno == EPIPE)
		exit(0);
	tsa_die("%s: %s", out_name, strerror(errno));
}

/* -o FILE: stdout becomes the file, so that every writer below uses stdout. */
static void open_out(const char *path)
{
	int fd;

	if (tsa_names_stdout(path))
		return;
	if (strcmp(path, "stderr") == 0) {
		fd = dup(2);
		out_name = "stderr";
	} else {
		fd = tsa_open_output(path);	/* (dies with the reason) */
		out_name = path;
	}
	if (fd < 0 || dup2(fd, 1) < 0)
		tsa_die("%s: %s", path, strerror(errno));
	close(fd);
}

/* Before waiting for input: what is printed (and what columns hold back,
 * arg) reaches the reader now. */
static void flush_out(void *arg)
{
	if (arg)
		columns_release(arg, stdout);
	fflush(stdout);
	check_out();
}

/* --tables, --json, or by the header's kind */
static int use_tables(const struct tsa_reader *r)
{
	size_t len;
	const uint8_t *h = tsa_reader_header(r, &len);
	struct mp_obj kind;

	if (print_opt.tables || print_opt.json)
		return print_opt.tables;
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

static int print_stream(const char *path, struct columns *cols, struct mp_buf *line)
{
	struct tsa_reader *r = tsa_reader_open(path);
	const uint8_t *rec;
	size_t len;
	int rc, tables = !cols && use_tables(r);
	struct mp_buf last = { 0 };
	struct mp_obj type;
	int snapshots = 0;

	if (print_opt.header) {
		const uint8_t *h = tsa_reader_header(r, &len);
		line->len = 0;
		show_json_record(line, h, len);
		fwrite(line->p, 1, line->len, stdout);
	}
	while ((rc = tsa_read(r, &rec, &len)) > 0) {
		if (print_opt.last) {
			if (tsa_rec_type(rec, len, &type) &&
			    mp_str_eq(&type, "snapshot", 8)) {
				last.len = 0;
				mp_put_raw(&last, rec, len);
				snapshots++;
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
	/* Printing nothing and exiting 0 would read as "nothing happened". */
	if (print_opt.last && rc == 0 && !snapshots) {
		tsa_warn("%s: --last: no snapshot record in %llu records "
		    "(tsa-aggregate writes them)", tsa_reader_name(r),
		    (unsigned long long)tsa_reader_count(r));
		rc = -1;
	}
	mp_buf_free(&last);
	tsa_reader_close(r);
	return rc;
}

int main(int argc, char **argv)
{
	int status = 0, first;
	struct columns *cols = NULL;
	struct mp_buf line = { 0 };
	static char obuf[1 << 20];

	tsa_init(argv[0]);
	first = tsa_opts_parse(&print_tool, argc, argv);
	print_opts_check();
	open_out(print_opt.out);
	/* Whole buffers for throughput, or whole lines for a reader that
	 * watches the output as it comes; either way what is printed goes
	 * out before tsa-print waits for more input. */
	setvbuf(stdout, obuf, print_opt.line_buffered ? _IOLBF : _IOFBF, sizeof obuf);
	if (print_opt.fields)
		cols = columns_new(print_opt.fields, print_opt.csv ? COLUMNS_CSV :
		    print_opt.tsv ? COLUMNS_TSV : COLUMNS_ALIGNED,
		    print_opt.delimiter[0], !print_opt.no_title,
		    (uint32_t)print_opt.host_facts);
	tsa_on_idle(flush_out, cols);
	if (first == argc) {
		status |= print_stream(NULL, cols, &line) < 0;
	} else {
		for (int i = first; i < argc; i++)
			status |= print_stream(argv[i], cols, &line) < 0;
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
