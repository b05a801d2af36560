/*
 * tsa-plot: draw tsa-aggregate's snapshots as gnuplot scripts, PNGs and a
 * static dashboard page.
 *
 * For each snapshot (or only the last, with --last) it writes one script
 * per figure into the output directory, runs gnuplot on them, and writes
 * index.html.  Every file is replaced atomically, so a browser pointed at
 * the directory during a live capture always sees a whole set.  The page
 * reloads itself while the stream runs; the final snapshot's page does
 * not, and neither does the last page of a stream cut short, which says
 * so.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tsa.h"
#include "alertlog.h"
#include "gnuplot.h"
#include "history.h"
#include "html.h"
#include "output.h"
#include "plot.h"
#include "snapshot.h"
#include "program.h"

#define MAX_REGIONS 8

_Noreturn static void usage(void)
{
	printf(
"usage: tsa-plot [-o DIR] [options] [FILE]\n"
"Draw tsa-aggregate's snapshot records (FILE or standard input) as gnuplot\n"
"scripts, PNGs and an index.html dashboard in DIR.\n"
"\n"
"  -o, --output DIR     output directory ([plot] OutputDirectory, 'out')\n"
"      --last           draw only the last snapshot of the stream\n"
"      --script-only    write the gnuplot scripts and the page, run nothing\n"
"  -m, --metric WHAT    colour the maps by 'packets' or 'bytes' ([plot] Metric)\n"
"  -r, --region NAME    also draw a region: europe, asia, africa,\n"
"                       north-america, south-america, oceania, or 'all';\n"
"                       repeatable ([plot] Regions, comma-separated)\n"
"      --size WxH       map size in pixels ([plot] Width, Height: 1600x900)\n"
"      --top N          bars per chart ([plot] Top, 15)\n"
"      --refresh SECS   reload interval of the live page ([plot] Refresh, 10)\n"
"  -D, --data FILE      map data file ([plot] MapData; default: the source\n"
"                       tree's tsa-plot/world.dat, else PREFIX/share/tsa/world.dat)\n"
"      --gnuplot PROG   the gnuplot to run ([plot] Gnuplot, 'gnuplot');\n"
"                       as root, it must be root's and writable by no one else\n"
"      --allow-shared-dir  write into DIR even if another user can write it\n"
"                       (refused by default: see SECURITY in tsa-plot(1))\n"
"      --settings FILE  settings file\n"
"  -h, --help           this help\n"
"\n"
"Files: world.png (and REGION.png), countries.png, domains.png, os.png,\n"
"apps.png, bandwidth.png, trend.png, each with its NAME.gp script, index.html and\n"
"history.tsv (the run's history, continued by a later run).\n");
	exit(0);
}

struct opts {
	const char *input, *outdir, *data, *gnuplot;
	char *owned[3];		/* paths from the settings, to free */
	char *gnuplot_path;	/* program_find(gnuplot) */
	int last, script_only, shared_ok;
	enum metric metric;
	const struct region *regions[MAX_REGIONS];
	size_t nregions;
	int width, height;
	size_t top;
	unsigned refresh, timeout;
};

static void add_region(struct opts *o, const char *name)
{
	if (strcmp(name, "all") == 0) {
		for (const struct region *r = regions + 1; r->name; r++)
			add_region(o, r->name);
		return;
	}
	const struct region *r = region_find(name);
	if (!r || r == regions)
		tsa_usage("unknown region '%s'", name);
	for (size_t i = 0; i < o->nregions; i++)
		if (o->regions[i] == r)
			return;
	if (o->nregions < MAX_REGIONS)
		o->regions[o->nregions++] = r;
}

static void add_regions(struct opts *o, const char *list)
{
	char *copy = tsa_strdup(list), *save = NULL;

	for (char *t = strtok_r(copy, ", ", &save); t;
	    t = strtok_r(NULL, ", ", &save))
		add_region(o, t);
	free(copy);
}

static enum metric parse_metric(const char *s)
{
	if (strcmp(s, "packets") == 0)
		return METRIC_PACKETS;
	if (strcmp(s, "bytes") == 0)
		return METRIC_BYTES;
	tsa_usage("metric must be 'packets' or 'bytes', not '%s'", s);
}

static void parse_size(const char *arg, int *w, int *h)
{
	char s[64], *x;
	uint64_t a, b;

	snprintf(s, sizeof s, "%s", arg);
	if (!(x = strchr(s, 'x')))
		tsa_usage("size must be WIDTHxHEIGHT, not '%s'", arg);
	*x = 0;
	if (!tsa_parse_u64(s, &a) || !tsa_parse_u64(x + 1, &b) || a < 480 ||
	    b < 300 || a > 8000 || b > 8000)
		tsa_usage("size must be between 480x300 and 8000x8000");
	*w = (int)a;
	*h = (int)b;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	enum { O_LAST = 256, O_SCRIPT, O_SIZE, O_TOP, O_REFRESH, O_GNUPLOT,
		O_SETTINGS, O_SHARED };
	static const struct option lopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "last", no_argument, NULL, O_LAST },
		{ "script-only", no_argument, NULL, O_SCRIPT },
		{ "metric", required_argument, NULL, 'm' },
		{ "region", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, O_SIZE },
		{ "top", required_argument, NULL, O_TOP },
		{ "refresh", required_argument, NULL, O_REFRESH },
		{ "data", required_argument, NULL, 'D' },
		{ "gnuplot", required_argument, NULL, O_GNUPLOT },
		{ "settings", required_argument, NULL, O_SETTINGS },
		{ "allow-shared-dir", no_argument, NULL, O_SHARED },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *settings = NULL, *metric = NULL, *size = NULL;
	const char *top = NULL, *refresh = NULL;
	uint64_t w, h;
	const char *cli_regions[MAX_REGIONS * 2];
	size_t ncli = 0;
	uint64_t v;
	int c;

	opterr = 0;	/* our own messages, in the usual form */
	while ((c = getopt_long(argc, argv, ":o:m:r:D:h", lopts, NULL)) != -1)
		switch (c) {
		case 'o': o->outdir = optarg; break;
		case O_LAST: o->last = 1; break;
		case O_SCRIPT: o->script_only = 1; break;
		case 'm': metric = optarg; break;
		case 'r':
			if (ncli < MAX_REGIONS * 2)
				cli_regions[ncli++] = optarg;
			break;
		case O_SIZE: size = optarg; break;
		case O_TOP: top = optarg; break;
		case O_REFRESH: refresh = optarg; break;
		case 'D': o->data = optarg; break;
		case O_GNUPLOT: o->gnuplot = optarg; break;
		case O_SETTINGS: settings = optarg; break;
		case O_SHARED: o->shared_ok = 1; break;
		case 'h': usage();
		case ':': tsa_usage("%s needs an argument", argv[optind - 1]);
		default: tsa_usage("unknown option '%s'", argv[optind - 1]);
		}
	if (argc - optind > 1)
		tsa_usage("one input file at most");
	o->input = optind < argc ? argv[optind] : "-";

	/* Settings first, flags override them. */
	tsa_settings_load(settings);
	if (!o->outdir)
		o->outdir = o->owned[0] = tsa_setting_path("plot",
		    "OutputDirectory", "out");
	if (!o->data)
		o->data = o->owned[1] = tsa_setting_path("plot", "MapData",
		    NULL);
	if (!o->gnuplot) {
		/* A bare name is looked up in PATH; a path is relative to
		 * the settings file, as every path in it. */
		o->gnuplot = tsa_setting_str("plot", "Gnuplot", "gnuplot");
		if (strchr(o->gnuplot, '/'))
			o->gnuplot = o->owned[2] = tsa_setting_path("plot",
			    "Gnuplot", NULL);
	}
	o->metric = parse_metric(metric ? metric :
	    tsa_setting_str("plot", "Metric", "packets"));
	/* Checked as read, before a narrower type could wrap them. */
	w = tsa_setting_u64("plot", "Width", 1600);
	h = tsa_setting_u64("plot", "Height", 900);
	if (w < 480 || h < 300 || w > 8000 || h > 8000)
		tsa_die("%s: [plot] Width and Height must be between 480x300 "
		    "and 8000x8000", tsa_settings_path() ? tsa_settings_path() :
		    "settings");
	o->width = (int)w;
	o->height = (int)h;
	if (size)
		parse_size(size, &o->width, &o->height);
	o->top = tsa_setting_u64("plot", "Top", 15);
	if (top && (!tsa_parse_u64(top, &v) || (o->top = v) == 0))
		tsa_usage("--top needs a positive number");
	if (o->top == 0 || o->top > 100)
		o->top = o->top ? 100 : 15;
	v = tsa_setting_u64("plot", "GnuplotTimeout", 120);
	if (v == 0 || v > 86400)
		tsa_die("%s: [plot] GnuplotTimeout must be between 1 and 86400 "
		    "seconds", tsa_settings_path() ? tsa_settings_path() :
		    "settings");
	o->timeout = (unsigned)v;
	v = tsa_setting_u64("plot", "Refresh", 10);
	if (v == 0 || v > 86400)
		tsa_die("%s: [plot] Refresh must be between 1 and 86400 seconds",
		    tsa_settings_path() ? tsa_settings_path() : "settings");
	o->refresh = (unsigned)v;
	if (refresh) {
		if (!tsa_parse_u64(refresh, &v) || v == 0 || v > 86400)
			tsa_usage("--refresh needs seconds between 1 and 86400");
		o->refresh = (unsigned)v;
	}
	if (ncli)
		for (size_t i = 0; i < ncli; i++)
			add_regions(o, cli_regions[i]);
	else
		add_regions(o, tsa_setting_str("plot", "Regions", ""));
}

/*
 * Write one script.  Returns a descriptor reading what was written, for
 * gnuplot, or -1 with --script-only.  A write error ends the program:
 * the directory is not usable.
 */
typedef void (*script_fn)(FILE *, const struct plot_ctx *);

static int write_script(const struct opts *o, const char *name,
    const struct plot_ctx *c, script_fn fn, const struct region *rg)
{
	struct outfile of;
	char file[64];
	FILE *f;
	int fd = -1;

	snprintf(file, sizeof file, "%s.gp", name);
	f = outfile_open(&of, file);
	if (fn)
		fn(f, c);
	else
		world_script(f, c, rg);
	if (outfile_commit(&of, o->script_only ? NULL : &fd) < 0)
		exit(1);
	return fd;
}

/*
 * Draw one snapshot: the scripts, the PNGs, the page; a snapshot without
 * packets gets only the page, which says so.  Returns the number of
 * figures gnuplot failed to draw.
 */
static size_t render(const struct opts *o, const struct plot_ctx *c,
    const struct html_page *page)
{
	static const struct {
		const char *name;
		script_fn fn;
	} charts[] = {
		{ "countries", countries_script },
		{ "domains", domains_script },
		{ "os", os_script },
		{ "bandwidth", bandwidth_script },
		{ "apps", apps_script },
		{ "trend", trend_script },
	};
	struct gp_job jobs[1 + MAX_REGIONS + 6];
	size_t n = 0, failed = 0;

	if (snapshot_empty(c->s)) {
		html_write(c, page);
		return 0;
	}
	memset(jobs, 0, sizeof jobs);
	/* The maps first: they take longest, so they start first. */
	jobs[n].name = "world";
	jobs[n++].script = write_script(o, "world", c, NULL, regions);
	for (size_t i = 0; i < o->nregions; i++) {
		jobs[n].name = o->regions[i]->name;
		jobs[n++].script = write_script(o, o->regions[i]->name, c,
		    NULL, o->regions[i]);
	}
	for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
		jobs[n].name = charts[i].name;
		jobs[n++].script = write_script(o, charts[i].name, c,
		    charts[i].fn, NULL);
	}
	if (!o->script_only)
		failed = gnuplot_run(o->gnuplot_path, o->timeout, jobs, n, 2);
	html_write(c, page);
	return failed;
}

/* What a stream without snapshots means, in one line. */
static void no_snapshots(struct tsa_reader *r, uint64_t other)
{
	size_t len;
	const uint8_t *h = tsa_reader_header(r, &len);
	struct mp_obj kind;
	bool has_kind = mp_map_get1(h, len, "kind", &kind) == 1;

	/* The advice only where it is true. */
	if (has_kind && mp_str_eq(&kind, "packets", 7))
		tsa_warn("%s: no snapshot records in a stream of packets "
		    "(%llu records); pipe packets through tsa-aggregate first",
		    tsa_reader_name(r), (unsigned long long)other);
	else if (has_kind && mp_str_eq(&kind, "snapshots", 9))
		tsa_warn("%s: no snapshot records: tsa-aggregate wrote none "
		    "(no packets, or it stopped early)", tsa_reader_name(r));
	else
		tsa_warn("%s: no snapshot records (%llu other records)",
		    tsa_reader_name(r), (unsigned long long)other);
}

/* How the input ended: what the last page says, and the exit status. */
enum ending {
	END_FINAL,	/* with its final snapshot, whole */
	END_BROKEN,	/* a malformed record (the reader said where) */
	END_INCOMPLETE,	/* cut short, here or upstream (the reader said so) */
	END_STOPPED,	/* a signal ended the reading of a file */
	END_NO_FINAL,	/* no final snapshot: a stage before died */
};

static enum ending ending_of(int rc, const struct tsa_reader *r, bool final)
{
	if (rc < 0)
		return END_BROKEN;
	if (!tsa_input_complete())
		return END_INCOMPLETE;
	if (final)
		return END_FINAL;
	if (tsa_interrupted() && !tsa_reader_ended(r))
		return END_STOPPED;
	return END_NO_FINAL;
}

/* The last page's notice: why the page is not the whole story. */
static const char *notice(enum ending e, const struct snapshot *s)
{
	static char text[512];

	switch (e) {
	case END_BROKEN:
		return "Incomplete: the stream broke off after this snapshot "
		    "(tsa-plot's message says where). Later traffic is not "
		    "counted.";
	case END_INCOMPLETE:
		snprintf(text, sizeof text, s->final ? "Incomplete: %s; the "
		    "final snapshot does not count every packet." :
		    "Incomplete: %s. This is the last snapshot received; later "
		    "traffic is not counted.", tsa_input_problem());
		return text;
	case END_STOPPED:
		return "Stopped by a signal before the end of the input: this "
		    "is the last snapshot read, not the final one of the "
		    "stream.";
	case END_NO_FINAL:
		return "Incomplete: the stream was cut short before its final "
		    "snapshot. This is the last snapshot received; later "
		    "traffic is not counted.";
	case END_FINAL:
		break;
	}
	return s->incomplete ? "Incomplete: the input of the stage that made "
	    "this snapshot was cut short; it does not count every packet." :
	    NULL;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct tsa_reader *r;
	struct plot_ctx c;
	struct worlddata *world;
	struct html_page page = { 0 };
	struct snapshot snap;
	struct history *hist;
	struct mp_buf last = { 0 };
	const uint8_t *rec;
	size_t len, failed = 0;
	uint64_t nsnap = 0, other = 0, bad = 0;
	bool drawn_final = false, pending = false, from_file;
	enum ending end = END_FINAL;
	struct stat st;
	int rc;

	tsa_init(argv[0]);
	parse_args(argc, argv, &o);
	/* Before anything is read or written: a refusal costs nothing. */
	if (!o.script_only)
		o.gnuplot_path = program_find(o.gnuplot);
	output_dir(o.outdir, o.shared_ok);

	world = worlddata_load(o.data);
	hist = tsa_calloc(1, sizeof *hist);
	history_load(hist);
	c = (struct plot_ctx){
		.hist = hist,
		.w = world,
		.width = o.width, .height = o.height,
		.metric = o.metric, .top = o.top, .font = "DejaVu Sans",
	};
	page.regions = o.regions;
	page.nregions = o.nregions;
	page.no_png = o.script_only;

	r = tsa_reader_open(o.input);
	from_file = fstat(tsa_reader_fd(r), &st) == 0 && S_ISREG(st.st_mode);
	tmp_cleanup_on_signal();
	while ((rc = tsa_read(r, &rec, &len)) > 0) {
		struct mp_obj t;
		if (tsa_rec_type(rec, len, &t) != 1 ||
		    !mp_str_eq(&t, "snapshot", 8)) {
			struct alert_row a = { 0 };
			if (tsa_rec_type(rec, len, &t) == 1 &&
			    mp_str_eq(&t, "alert", 5) &&
			    alert_decode(rec, len, &a) == 0)
				alertlog_add(&a);
			alert_free(&a);
			other++;
			continue;
		}
		nsnap++;
		/* Keep the bytes: the reader reuses its buffer. */
		last.len = 0;
		memcpy(mp_buf_reserve(&last, len), rec, len);
		last.len = len;
		/*
		 * Only the last snapshot is drawn with --last, and after a
		 * signal (Ctrl-C, a service manager's stop): a pipe then
		 * brings the final snapshot soon, and a file has no producer
		 * to end it, so its reading ends here.
		 */
		if (o.last || (tsa_interrupted() && !(mp_map_get1(rec, len,
		    "final", &t) == 1 && t.type == MP_BOOL && t.b))) {
			pending = true;
			if (tsa_interrupted() && from_file)
				break;
			continue;
		}
		if (snapshot_decode(rec, len, &snap) < 0) {
			tsa_warn("%s: snapshot %llu: malformed, skipped",
			    tsa_reader_name(r), (unsigned long long)nsnap);
			bad++;
			snapshot_free(&snap);
			last.len = 0;
			continue;
		}
		alertlog_fill(&snap);
		history_add(hist, &snap);
		c.s = &snap;
		/* Live pages reload; the final one stays, and is what is
		 * left when the pipeline ends: it goes to the disk. */
		drawn_final = snap.final;
		pending = false;
		page.refresh = snap.final ? 0 : o.refresh;
		page.serial = nsnap;
		page.notice = notice(END_FINAL, &snap);
		output_durable(snap.final);
		history_save(hist);
		failed += render(&o, &c, &page);
		snapshot_free(&snap);
	}

	/* The last page again, unless the final one is drawn and the input
	 * was whole: it must not say "live" forever, and must say why. */
	if (last.len && (pending || ending_of(rc, r, drawn_final) !=
	    END_FINAL)) {
		if (snapshot_decode(last.p, last.len, &snap) == 0) {
			alertlog_fill(&snap);
			if (pending)
				history_add(hist, &snap);
			end = ending_of(rc, r, snap.final);
			c.s = &snap;
			page.refresh = 0;
			page.serial = nsnap;
			page.notice = notice(end, &snap);
			output_durable(true);
			if (pending) {
				history_save(hist);
				failed += render(&o, &c, &page);
			}
			else	/* the pictures are drawn: only the page */
				html_write(&c, &page);
		} else {
			tsa_warn("%s: last snapshot malformed",
			    tsa_reader_name(r));
			bad++;
		}
		snapshot_free(&snap);
	}
	if (nsnap)
		output_sync();
	/* The reader has spoken of a broken or cut input already. */
	if (nsnap == 0 && rc == 0 && tsa_input_complete())
		no_snapshots(r, other);
	else if (end == END_NO_FINAL)
		tsa_warn("%s: input cut short: no final snapshot (did a stage "
		    "before this one die?); the last page says so",
		    tsa_reader_name(r));
	tsa_reader_close(r);
	mp_buf_free(&last);
	worlddata_free(world);
	alertlog_free();
	free(hist);
	free(o.gnuplot_path);
	for (size_t i = 0; i < sizeof o.owned / sizeof o.owned[0]; i++)
		free(o.owned[i]);
	if (rc < 0 || tsa_exit_status())
		return 1;
	return nsnap == 0 || end == END_NO_FINAL || failed || bad ? 1 : 0;
}
