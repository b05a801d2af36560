/*
 * --merge's inputs.  The snapshots to merge come from sensors: each input
 * stream is one sensor (a sensor's own tsa-aggregate output), or many,
 * interleaved, every record naming its own in "sensor" (what tsa-nats sub
 * writes; its header lists them).  Records are demultiplexed by input and
 * sensor into one queue per sensor; merge.c sums the snapshots of a window.
 *
 * A window (a window_end) is written when every sensor that is still
 * running has a snapshot queued, the earliest end first, as the lockstep
 * over files always did.  A sensor that is silent (its link down, its
 * publisher dead, or no traffic yet) must not hold the map back for
 * ever, nor make the others' queues grow without end: a window no longer
 * waits for a sensor whose last snapshot (or, before its first, the moment
 * it became known) is MergeLag of stream time older than the newest any
 * sensor sent; and when the queues hold MergeMemory bytes, the earliest
 * window is written with what it has.  A snapshot for a window already
 * written comes too late: it is left out and counted.  A sensor that ended
 * (its final snapshot, its sensor_end record, the end of its input) holds
 * nothing back.
 *
 * Sensors not met yet hold nothing back either, with one exception.  A
 * collected stream of sensors reading files (no "live" in its header: a
 * replay of captures, make demo-sensors) may hold one sensor's whole run
 * before the next one's first record, as the server stored them; there
 * windows also wait until the newest snapshot is MergeLag past them, and
 * the finals for the end of the input, so that a sensor met later still
 * counts in them.  A live collection does not wait: a sensor met later
 * joins from its first window not yet written.
 *
 * The final snapshots are written once every known sensor has ended (or
 * at the end of the input).  Other records pass through as they are read.
 * Sensor names come from the input: the table
 * is keyed by a keyed hash and holds MergeSensors at most; when it is full,
 * a sensor with nothing queued that holds nothing back makes room, else the
 * newcomer's snapshots are left out and counted.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "agg.h"

struct queued {				/* a sensor's snapshot waiting for its window */
	struct queued *next;
	struct stime end;
	size_t len;
	uint8_t rec[];
};

struct sensor {
	int input;
	char *name;			/* "" for a stream whose records name none */
	size_t nlen;
	char label[68];			/* the name for messages: printable, cut */
	uint64_t hash;
	struct queued *head, *tail;
	struct queued *fin;		/* its final snapshot, until the finals are summed */
	bool ended;			/* final snapshot, sensor_end or input end */
	bool sent;			/* a snapshot came from it */
	bool has_seen;
	struct stime seen;		/* its latest end, or the newest when it came */
	bool named, named_late;		/* windows without it, its late ones: said */
	bool in_fin;			/* a final of it is in the sum already */
	bool has_taken;
	struct stime taken;		/* the end of its last snapshot written */
};

struct input {
	struct tsa_reader *r;
	bool eof;
	bool open;			/* may bring sensors not met yet (see above) */
	bool named;			/* its records name their sensors */
};

struct demux {
	struct tsa_writer *w;
	struct input *in;
	int nin;
	struct sensor **s;		/* the table: max entries at most */
	size_t n, max;
	uint32_t *index;		/* entry + 1, 0 empty; at most half full */
	size_t mask;
	struct msnap *win, *fin;
	bool fin_incomplete;		/* a sensor's stream ended incomplete */
	bool has_done, has_newest;
	struct stime done;		/* the last window written */
	struct stime newest;		/* the latest window_end queued */
	size_t mem;			/* bytes queued */
	uint64_t late, unknown, forced, windows;
	uint32_t named;
};

/* At most this many sensors are named on stderr as windows go without them. */
#define BEHIND_NAMED 8

static uint64_t sensor_hash(int input, const uint8_t *name, size_t n)
{
	return tsa_hash_bytes(name, n) ^ ((uint64_t)(unsigned)input * 0x9e3779b97f4a7c15ull);
}

static void index_build(struct demux *d)
{
	size_t i, j;

	memset(d->index, 0, (d->mask + 1) * sizeof *d->index);
	for (i = 0; i < d->n; i++) {
		for (j = d->s[i]->hash & d->mask; d->index[j]; j = (j + 1) & d->mask)
			;
		d->index[j] = (uint32_t)i + 1;
	}
}

static struct sensor *sensor_find(struct demux *d, int input, const uint8_t *name,
    size_t n, uint64_t h)
{
	struct sensor *s;
	size_t j;

	for (j = h & d->mask; d->index[j]; j = (j + 1) & d->mask) {
		s = d->s[d->index[j] - 1];
		if (s->hash == h && s->input == input && s->nlen == n &&
		    memcmp(s->name, name, n) == 0)
			return s;
	}
	return NULL;
}

static struct queued *copy(struct demux *d, const uint8_t *rec, size_t len)
{
	struct queued *q = tsa_malloc(sizeof *q + len);

	q->next = NULL;
	q->len = len;
	memcpy(q->rec, rec, len);
	d->mem += len;
	return q;
}

/* Its final into the sum of the finals. */
static void fold_final(struct demux *d, struct sensor *s)
{
	if (!s->fin)
		return;
	msnap_fold(d->fin, s->fin->rec, s->fin->len, s->in_fin);
	s->in_fin = true;
	d->mem -= s->fin->len;
	free(s->fin);
	s->fin = NULL;
}

static void pop(struct demux *d, struct sensor *s)
{
	struct queued *q = s->head;

	s->head = q->next;
	if (!s->head)
		s->tail = NULL;
	d->mem -= q->len;
	free(q);
}

/* Does a window wait for this sensor? */
static bool waits_for(const struct demux *d, const struct sensor *s)
{
	return !s->ended && (!s->has_seen ||
	    stime_diff(s->seen, d->newest) < (double)agg_opt.merge_lag);
}

/*
 * Room for one more sensor: forget one that has nothing queued and holds
 * no window back (it ended, or has been silent for MergeLag), or never
 * sent a snapshot (only announced).  A flood of names then takes the place
 * of sensors gone quiet, never of one whose snapshots wait.  Rare: the
 * index is rebuilt.
 */
static void forget(struct demux *d, size_t i)
{
	struct sensor *s = d->s[i];

	fold_final(d, s);
	while (s->head)
		pop(d, s);
	free(s->name);
	free(s);
	d->s[i] = d->s[--d->n];
	index_build(d);
}

static bool make_room(struct demux *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!d->s[i]->head && (!d->s[i]->sent || !waits_for(d, d->s[i]))) {
			forget(d, i);
			return true;
		}
	return false;
}

/* Its name as messages show it: printable ASCII, at most 64 bytes. */
static void label(struct sensor *s)
{
	size_t i, n = s->nlen < 64 ? s->nlen : 64;

	if (!n) {
		snprintf(s->label, sizeof s->label, "(unnamed)");
		return;
	}
	for (i = 0; i < n; i++)
		s->label[i] = s->name[i] >= 0x20 && s->name[i] < 0x7f ? s->name[i] : '?';
	snprintf(s->label + n, sizeof s->label - n, "%s", n < s->nlen ? "..." : "");
}

/* The sensor of this input and name, made if new; NULL when there is no room. */
static struct sensor *sensor_get(struct demux *d, int input, const uint8_t *name, size_t n)
{
	uint64_t h = sensor_hash(input, name, n);
	struct sensor *s = sensor_find(d, input, name, n, h);
	size_t j;

	if (s)
		return s;
	if (d->n == d->max && !make_room(d))
		return NULL;
	s = tsa_calloc(1, sizeof *s);
	s->input = input;
	s->name = tsa_strndup(name, n);
	s->nlen = n;
	label(s);
	s->hash = h;
	s->seen = d->newest;
	s->has_seen = d->has_newest;
	d->s[d->n++] = s;
	for (j = h & d->mask; d->index[j]; j = (j + 1) & d->mask)
		;
	d->index[j] = (uint32_t)d->n;
	return s;
}

/* A record's "sensor" ("" when it has none). */
static void rec_sensor(const uint8_t *rec, size_t len, const uint8_t **name, size_t *n)
{
	struct mp_obj v;

	*name = (const uint8_t *)"";
	*n = 0;
	if (mp_map_get1(rec, len, "sensor", &v) == 1 && v.type == MP_STR) {
		*name = v.ptr;
		*n = v.len;
	}
}

/* ---- the windows ---- */

/* Can an input still bring a sensor not met yet that a window must wait for? */
static bool open_inputs(const struct demux *d)
{
	int k;

	for (k = 0; k < d->nin; k++)
		if (d->in[k].open && !d->in[k].eof)
			return true;
	return false;
}

/*
 * Write the windows that are due: the earliest queued end, once every
 * sensor still running has a snapshot queued, or once the lag or the
 * memory bound says so, or at the end (drain).
 */
static void windows_due(struct demux *d, bool drain)
{
	struct stime w = { 0, 0 };
	size_t i;
	bool any, all, force, full, missing;

	for (;;) {
		any = false;
		all = true;
		for (i = 0; i < d->n; i++) {
			struct sensor *s = d->s[i];

			if (!s->has_seen && d->has_newest) {	/* known before any snapshot */
				s->seen = d->newest;
				s->has_seen = true;
			}
			if (s->head) {
				if (!any || stime_cmp(s->head->end, w) < 0)
					w = s->head->end;
				any = true;
			} else if (waits_for(d, s))
				all = false;
		}
		if (!any)
			return;
		full = d->mem > agg_opt.merge_memory;
		force = !all && !drain && full;
		if (!all && !drain && !force)
			return;
		if (all && !drain && open_inputs(d) &&
		    stime_diff(w, d->newest) < (double)agg_opt.merge_lag)
			return;
		missing = false;
		for (i = 0; i < d->n; i++) {
			struct sensor *s = d->s[i];

			if (s->head && stime_cmp(s->head->end, w) == 0) {
				msnap_fold(d->win, s->head->rec, s->head->len, false);
				s->has_taken = true;
				s->taken = w;
				pop(d, s);
			} else if (!s->head && !s->ended) {
				missing = true;
				if (s->named)
					continue;
				s->named = true;
				if (d->named++ < BEHIND_NAMED)
					tsa_warn("sensor %s: windows written without it (%s)",
					    s->label, full ? "the others' snapshots filled "
					    "MergeMemory" : "nothing from it for MergeLag");
			}
		}
		d->forced += missing;
		d->windows++;
		d->done = w;
		d->has_done = true;
		msnap_emit(d->w, d->win, false, (uint32_t)agg_opt.top_hosts,
		    (uint32_t)agg_opt.top_domains);
	}
}

/*
 * The sum of the finals, once no known sensor is running (or at the end),
 * added in the order of the table, not of their coming, so that the
 * lists' order is that of the same streams merged as files.
 */
static void finals_due(struct demux *d, bool at_end)
{
	size_t i;
	bool any = msnap_have(d->fin);

	if (!at_end && open_inputs(d))
		return;
	for (i = 0; i < d->n; i++) {
		if (!at_end && (!d->s[i]->ended || d->s[i]->head))
			return;
		any = any || d->s[i]->fin;
	}
	if (!any)
		return;
	for (i = 0; i < d->n; i++)
		fold_final(d, d->s[i]);
	msnap_emit(d->w, d->fin, d->fin_incomplete || (at_end && !tsa_input_complete()),
	    (uint32_t)agg_opt.top_hosts, (uint32_t)agg_opt.top_domains);
	d->fin_incomplete = false;
	for (i = 0; i < d->n; i++)
		d->s[i]->in_fin = false;
}

/* ---- the records ---- */

/*
 * An input whose header lists no sensors stands for one, unnamed, until
 * its records show otherwise: the first that names its sensor makes that
 * stand-in go, if nothing came from it.
 */
static void unplace(struct demux *d, int input)
{
	size_t i;

	d->in[input].named = true;
	for (i = 0; i < d->n; i++)
		if (d->s[i]->input == input && !d->s[i]->nlen && !d->s[i]->sent) {
			forget(d, i);
			return;
		}
}

static void snapshot(struct demux *d, int input, const uint8_t *rec, size_t len)
{
	const uint8_t *name;
	struct sensor *s;
	struct queued *q;
	struct mp_obj v;
	struct stime end;
	size_t n;

	if (mp_map_get1(rec, len, "window_end", &v) != 1 ||
	    !mp_obj_time(&v, &end.sec, &end.nsec))
		end = (struct stime){ INT64_MIN, 0 };
	if (!d->has_newest || stime_cmp(end, d->newest) > 0)
		d->newest = end;
	d->has_newest = true;
	rec_sensor(rec, len, &name, &n);
	if (n && !d->in[input].named)
		unplace(d, input);
	if (!(s = sensor_get(d, input, name, n))) {
		if (!d->unknown++)
			tsa_warn("%s: more than MergeSensors (%llu) sensors at once: the "
			    "snapshots of the others are left out",
			    tsa_reader_name(d->in[input].r),
			    (unsigned long long)agg_opt.merge_sensors);
		return;
	}
	if (mp_map_get1(rec, len, "final", &v) == 1 && v.type == MP_BOOL && v.b) {
		fold_final(d, s);	/* (a run before this one's) */
		/* kept to be added in table order, unless memory is short */
		if (d->mem + len <= agg_opt.merge_memory)
			s->fin = copy(d, rec, len);
		else {
			msnap_fold(d->fin, rec, len, s->in_fin);
			s->in_fin = true;
		}
		s->ended = true;
		return;
	}
	/* It is alive, and this far: windows wait for it again. */
	s->ended = false;
	s->sent = true;
	if (!s->has_seen || stime_cmp(end, s->seen) > 0)
		s->seen = end;
	s->has_seen = true;
	/*
	 * Too late for its window: written already without it (an end equal
	 * to the last one written is another window of the same end, as a
	 * sensor's epoch_end snapshot makes, unless this sensor was in it).
	 */
	if (d->has_done && (stime_cmp(end, d->done) < 0 ||
	    (stime_cmp(end, d->done) == 0 &&
	    !(s->has_taken && stime_cmp(s->taken, d->done) == 0)))) {
		if (!s->named_late && d->named++ < BEHIND_NAMED)
			tsa_warn("sensor %s: snapshots for windows already written left out "
			    "(it is more than MergeLag behind)", s->label);
		s->named_late = true;
		d->late++;
		return;
	}
	q = copy(d, rec, len);
	q->end = end;
	if (s->tail)
		s->tail->next = q;
	else
		s->head = q;
	s->tail = q;
}

/* A sensor's end as tsa-nats sub writes it, or a run's start. */
static void sensor_event(struct demux *d, int input, const uint8_t *rec, size_t len,
    bool end)
{
	const uint8_t *name;
	struct sensor *s;
	struct mp_obj v;
	size_t n;

	rec_sensor(rec, len, &name, &n);
	if (!(s = sensor_get(d, input, name, n)))
		return;
	if (!end) {		/* a new run: waited for as if just known */
		s->ended = false;
		s->seen = d->newest;
		s->has_seen = d->has_newest;
		return;
	}
	s->ended = true;
	if (mp_map_get1(rec, len, "complete", &v) != 1 || v.type != MP_BOOL || !v.b)
		d->fin_incomplete = true;
}

/* The sensors a collected stream's header lists, else the input's one. */
static void header_sensors(struct demux *d, int input)
{
	size_t hlen;
	const uint8_t *h = tsa_reader_header(d->in[input].r, &hlen), *p, *e;
	struct mp_obj v, o;
	uint32_t i;

	if (mp_map_get1(h, hlen, "sensors", &v) != 1 || v.type != MP_ARRAY) {
		sensor_get(d, input, (const uint8_t *)"", 0);
		return;
	}
	d->in[input].named = true;
	p = v.ptr;
	e = h + hlen;
	for (i = 0; i < v.len; i++) {
		const uint8_t *m = p;

		if (mp_skip(&p, e) < 0)
			return;
		if (mp_map_get1(m, (size_t)(p - m), "sensor", &o) == 1 && o.type == MP_STR)
			sensor_get(d, input, o.ptr, o.len);
	}
}

/* Refuse what is not snapshots; is it a collected stream that is not live? */
static bool check_header(struct tsa_reader *r)
{
	size_t hlen;
	const uint8_t *h = tsa_reader_header(r, &hlen);
	struct mp_obj v;
	bool collected = mp_map_get1(h, hlen, "sensors", &v) == 1 && v.type == MP_ARRAY;
	int kind = mp_map_get1(h, hlen, "kind", &v);

	/* (a collector that started before any sensor knows no kind yet) */
	if (kind == 1 ? !mp_str_eq(&v, "snapshots", 9) : !collected)
		tsa_die("%s: not a snapshot stream (run tsa-aggregate on it first)",
		    tsa_reader_name(r));
	return collected && !(mp_map_get1(h, hlen, "live", &v) == 1 &&
	    v.type == MP_BOOL && v.b);
}

/*
 * The input to read next: one with a running sensor that has nothing
 * queued (a window waits for it; an input not read yet has its sensors
 * from its header), else any, in turn.  Of several pipes, one with
 * something to read: a silent one must not stop the others from being
 * read, which is what lets windows go on without it.  -1: every input
 * ended.
 */
static int next_input(struct demux *d, int last)
{
	struct pollfd pfd[64];
	int fds[64];
	size_t i;
	int k, want = -1, n = 0, any = -1;

	for (i = 0; i < d->n && want < 0; i++)
		if (!d->s[i]->head && waits_for(d, d->s[i]) && !d->in[d->s[i]->input].eof)
			want = d->s[i]->input;
	for (k = 1; k <= d->nin && any < 0; k++)
		if (!d->in[(last + k) % d->nin].eof)
			any = (last + k) % d->nin;
	if (want < 0)
		want = any;
	if (want < 0 || d->nin == 1 || tsa_reader_buffered(d->in[want].r) > 0)
		return want;
	for (k = 0; k < d->nin && n < 64; k++)
		if (!d->in[k].eof) {
			if (tsa_reader_buffered(d->in[k].r) > 0)
				return k;
			fds[n] = k;
			pfd[n++] = (struct pollfd){ .fd = tsa_reader_fd(d->in[k].r), .events = POLLIN };
		}
	tsa_idle();	/* (what is written goes out before the wait) */
	if (poll(pfd, (nfds_t)n, -1) <= 0)
		return want;	/* (a signal: tsa_read decides) */
	for (k = 0; k < n; k++)
		if (fds[k] == want && pfd[k].revents)
			return want;
	for (k = 0; k < n; k++)
		if (pfd[k].revents)
			return fds[k];
	return want;
}

static void input_ended(struct demux *d, int input)
{
	size_t i;

	d->in[input].eof = true;
	for (i = 0; i < d->n; i++)
		if (d->s[i]->input == input)
			d->s[i]->ended = true;
}

int merge_main(int nin, char **inputs, int argc, char **argv)
{
	static const char *const stdin_only[] = { "-" };
	struct demux d = { 0 };
	struct mp_obj t;
	const uint8_t *rec;
	size_t len, i;
	int k, rc, bad = 0;
	bool changed = true;

	if (nin == 0) {
		nin = 1;
		inputs = (char **)stdin_only;
	}
	d.nin = nin;
	d.in = tsa_calloc((size_t)nin, sizeof *d.in);
	d.max = (size_t)agg_opt.merge_sensors;
	d.s = tsa_calloc(d.max, sizeof *d.s);
	for (d.mask = 63; d.mask + 1 < 2 * d.max; d.mask = 2 * d.mask + 1)
		;
	d.index = tsa_calloc(d.mask + 1, sizeof *d.index);
	d.win = msnap_new();
	d.fin = msnap_new();
	for (k = 0; k < nin; k++) {
		d.in[k].r = tsa_reader_open(inputs[k]);
		d.in[k].open = check_header(d.in[k].r);
	}
	for (k = 0; k < nin; k++)
		header_sensors(&d, k);
	d.w = tsa_writer_open(agg_opt.out, 0);
	tsa_header_pass(d.w, d.in[0].r, "snapshots", argc, argv);

	k = nin - 1;
	for (;;) {
		if (changed) {
			windows_due(&d, false);
			finals_due(&d, false);
		}
		/* (what to read changes with what is queued or ended, or a pipe's dry) */
		if ((changed || d.in[k].eof || (nin > 1 && !tsa_reader_buffered(d.in[k].r))) &&
		    (k = next_input(&d, k)) < 0)
			break;
		changed = false;
		rc = tsa_read(d.in[k].r, &rec, &len);
		if (rc <= 0) {
			bad |= rc < 0;
			input_ended(&d, k);
			changed = true;
			continue;
		}
		if (tsa_rec_type(rec, len, &t)) {
			if (mp_str_eq(&t, "snapshot", 8)) {
				snapshot(&d, k, rec, len);
				changed = true;
				continue;
			}
			if (mp_str_eq(&t, "sensor_end", 10) || mp_str_eq(&t, "sensor", 6)) {
				sensor_event(&d, k, rec, len, t.len == 10);
				changed = true;
			}
		}
		mp_put_raw(tsa_out(d.w), rec, len);
		tsa_wrote(d.w);
	}
	windows_due(&d, true);
	finals_due(&d, true);
	if (d.late)
		tsa_warn("%llu snapshots came after their window was written without "
		    "them (a sensor MergeLag behind) and were left out",
		    (unsigned long long)d.late);
	if (d.unknown)
		tsa_warn("%llu snapshots of sensors beyond MergeSensors left out",
		    (unsigned long long)d.unknown);
	if (agg_opt.verbose)
		fprintf(stderr, "%s: %llu merged windows (%llu without a running sensor), "
		    "%zu sensors known at the end, peak RSS %ld KiB\n",
		    tsa_prog, (unsigned long long)d.windows, (unsigned long long)d.forced,
		    d.n, tsa_peak_rss_kib());
	tsa_writer_close(d.w);
	for (k = 0; k < nin; k++)
		tsa_reader_close(d.in[k].r);
	for (i = 0; i < d.n; i++) {
		while (d.s[i]->head)
			pop(&d, d.s[i]);
		free(d.s[i]->fin);
		free(d.s[i]->name);
		free(d.s[i]);
	}
	msnap_free(d.win);
	msnap_free(d.fin);
	free(d.s);
	free(d.index);
	free(d.in);
	return bad || tsa_exit_status();
}
