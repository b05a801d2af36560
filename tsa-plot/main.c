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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>

#include "tsa.h"
#include "alertlog.h"
#include "gnuplot.h"
#include "history.h"
#include "html.h"
#include "options.h"
#include "output.h"
#include "plot.h"
#include "tsa.h"
#include "program.h"

#define MAX_REGIONS 8

struct opts {
	const char *input, *outdir, *data, *gnuplot;
	char *gnuplot_path;	/* program_find(gnuplot) */
	bool last, script_only, shared_ok;
	enum metric metric;
	const struct region *regions[MAX_REGIONS];
	size_t nregions;
	int width, height;
	size_t top;
	unsigned refresh, timeout;
};

static void add_region(struct opts *o, const char *name)
{
	const struct region *r;

	if (strcmp(name, "all") == 0) {
		for (r = regions + 1; r->name; r++)
			add_region(o, r->name);
		return;
	}
	r = region_find(name);	/* (checked by options.c) */
	for (size_t i = 0; r && i < o->nregions; i++)
		if (o->regions[i] == r)
			return;
	if (r && o->nregions < MAX_REGIONS)
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

static void parse_args(int argc, char **argv, struct opts *o)
{
	int first = tsa_opts_parse(&plot_tool, argc, argv);
	size_t from = 0;

	if (argc - first > 1)
		tsa_usage("one input file at most");
	o->input = first < argc ? argv[first] : "-";
	o->outdir = *plot_opt.outdir ? plot_opt.outdir : "out";
	o->data = *plot_opt.data ? plot_opt.data : NULL;
	o->gnuplot = plot_opt.gnuplot;
	o->last = plot_opt.last;
	o->script_only = plot_opt.script_only;
	o->shared_ok = plot_opt.shared_ok;
	o->metric = strcmp(plot_opt.metric, "bytes") == 0 ? METRIC_BYTES :
	    METRIC_PACKETS;
	o->width = (int)plot_opt.width;
	o->height = (int)plot_opt.height;
	o->top = (size_t)plot_opt.top;
	o->refresh = (unsigned)plot_opt.refresh;
	o->timeout = (unsigned)plot_opt.timeout;
	/* Regions on the command line replace the setting's. */
	if (tsa_opt_given(&plot_tool, "region") &&
	    tsa_opt_in_settings(&plot_tool, "region"))
		from = 1;
	for (size_t i = from; i < plot_opt.regions.n; i++)
		add_regions(o, plot_opt.regions.v[i]);
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
	html_write_countries(c, page);
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
		/* (No packets still give a final snapshot, of zeros.) */
		tsa_warn("%s: no snapshot records: tsa-aggregate stopped before "
		    "its final snapshot, or a stage between removed them",
		    tsa_reader_name(r));
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

/* Is more of the input already here (buffered or readable)? */
static bool input_waiting(struct tsa_reader *r)
{
	struct pollfd p = { .fd = tsa_reader_fd(r), .events = POLLIN };

	return tsa_reader_buffered(r) > 0 || poll(&p, 1, 0) > 0;
}

/* What drawing a snapshot needs, for the loop and the idle hook. */
struct drawing {
	const struct opts *o;
	struct plot_ctx *c;
	struct html_page *page;
	struct history *hist;
	const struct mp_buf *last;	/* the latest snapshot's bytes */
	bool on;			/* last holds one not drawn yet */
	uint64_t serial, skipped, drawn;
	size_t failed;
};

static void draw(struct drawing *d, const struct snapshot *snap,
    uint64_t serial)
{
	d->c->s = snap;
	/* Live pages reload; the final one stays, and is what is left
	 * when the pipeline ends: it goes to the disk. */
	d->page->refresh = snap->final ? 0 : d->o->refresh;
	d->page->serial = serial;
	d->page->skipped = d->skipped;
	d->page->notice = notice(END_FINAL, snap);
	output_durable(snap->final);
	history_save(d->hist);
	d->failed += render(d->o, d->c, d->page);
	d->drawn++;
}

/* Before the reader waits: draw the snapshot held back, the newest. */
static void draw_held(void *arg)
{
	struct drawing *d = arg;
	struct snapshot snap;

	if (!d->on)
		return;
	d->on = false;
	if (snapshot_decode(d->last->p, d->last->len, &snap) == 0) {
		alertlog_fill(&snap);
		draw(d, &snap, d->serial);
	}
	snapshot_free(&snap);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct tsa_reader *r;
	const uint8_t *hdr;
	size_t hdrlen;
	struct plot_ctx c;
	struct worlddata *world;
	struct html_page page = { 0 };
	struct snapshot snap;
	struct history *hist;
	struct drawing held;
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
		.links = true,
	};
	page.regions = o.regions;
	page.nregions = o.nregions;
	page.no_png = o.script_only;

	r = tsa_reader_open(o.input);
	hdr = tsa_reader_header(r, &hdrlen);
	c.ncredits = credits_read(hdr, hdrlen, c.credits);
	from_file = fstat(tsa_reader_fd(r), &st) == 0 && S_ISREG(st.st_mode);
	held = (struct drawing){ .o = &o, .c = &c, .page = &page,
		.hist = hist, .last = &last };
	tsa_on_idle(draw_held, &held);
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
		pending = false;
		/*
		 * Live, when the next records are already waiting, this
		 * snapshot is not drawn: the next one may replace it.  The
		 * newest is drawn when the input goes quiet (draw_held, run
		 * before the reader waits), so tsa-plot never falls behind
		 * a pipeline that sends snapshots faster than it draws.
		 */
		if (!snap.final && !from_file && input_waiting(r)) {
			if (held.on)
				held.skipped++;
			held.on = true;
			held.serial = nsnap;
			snapshot_free(&snap);
			continue;
		}
		if (held.on)	/* replaced before it was drawn */
			held.skipped++;
		held.on = false;
		drawn_final = snap.final;
		draw(&held, &snap, nsnap);
		snapshot_free(&snap);
	}
	if (held.on) {		/* cut short: the end's page below draws it */
		held.on = false;
		pending = true;
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
			else {	/* the pictures are drawn: only the pages */
				html_write_countries(&c, &page);
				html_write(&c, &page);
			}
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
	if (rc < 0 || tsa_exit_status())
		return 1;
	if (plot_opt.verbose)
		fprintf(stderr, "%s: %llu snapshots read, %llu drawn, %llu "
		    "skipped (newer ones came before they were drawn)\n",
		    tsa_prog, (unsigned long long)nsnap,
		    (unsigned long long)(held.drawn + (pending ? 1 : 0)),
		    (unsigned long long)held.skipped);
	return nsnap == 0 || end == END_NO_FINAL || failed || held.failed ||
	    bad ? 1 : 0;
}
