/*
 * tsa-aggregate: the original app's analyzer as one streaming stage.  It
 * consumes packet records into a window (the whole stream, or a sliding
 * one: a time or a count of packets) and writes a "snapshot" record every
 * --every of stream time and at the end, "alert" records as alerts start,
 * and passes other records through.  With --merge it combines the snapshot
 * streams of several sensors instead.
 *
 * Time is the packets' time, never the clock, so that a file gives the same
 * snapshots at any speed; only with --live does an idle input let wall-clock
 * time stand in for stream time, so that snapshots still come when no
 * packets do.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "agg.h"

/*
 * "all" is the whole stream, "60s" a time window, "20000" a count of
 * packets; "auto" the whole stream of a file, or LIVE_WINDOW of a live source.
 */
static void set_window(struct agg *a, const char *s, bool live)
{
	uint64_t v;
	const char *p;

	if (strcmp(s, "auto") == 0)
		s = live ? LIVE_WINDOW : "all";
	a->window_ns = 0;
	a->window_count = 0;
	snprintf(a->window_text, sizeof a->window_text, "%s", s);
	if (strcmp(s, "all") == 0) {
		a->kind = WIN_ALL;
		return;
	}
	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (*s && !*p) {
		(void)tsa_parse_u64(s, &v);	/* checked by parse_window */
		a->kind = WIN_COUNT;
		a->window_count = (uint32_t)v;
		return;
	}
	(void)tsa_parse_duration(s, &v);	/* checked by parse_window */
	a->kind = WIN_TIME;
	a->window_ns = (int64_t)v;
}

/* "auto": only the final snapshot of a file's whole stream, else LIVE_EVERY. */
static void set_every(struct agg *a, const char *s, bool live)
{
	uint64_t v;

	if (strcmp(s, "auto") == 0)
		s = a->kind == WIN_ALL && !live ? "0" : LIVE_EVERY;
	v = 0;
	(void)tsa_parse_duration(s, &v);	/* checked by parse_every */
	a->every_ns = (int64_t)v;
}

static int64_t wall_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * NS + t.tv_nsec;
}

static int64_t floor_to(int64_t t, int64_t step)
{
	int64_t q = t / step;

	if (t % step < 0)
		q--;
	return q * step;
}

/* The first snapshot boundary after t; none with --every 0. */
static int64_t boundary_after(const struct agg *a, int64_t t)
{
	return a->every_ns ? floor_to(t, a->every_ns) + a->every_ns : INT64_MAX;
}

/*
 * Emit the snapshots due before stream time t.  A gap in the packets must
 * not cost one snapshot per interval (a 1 ns interval over a day's gap
 * would never end), so the schedule skips boundaries where nothing
 * changes: a count window or the whole stream does not change in a gap, so
 * after one snapshot it jumps to the last boundary before t; a time window
 * changes only as packets leave it, so it jumps from one departure to the
 * next until it is empty, and after that one empty snapshot resumes with
 * the next packet.
 */
static void snapshots_until(struct agg *a, int64_t t, bool live)
{
	int64_t last, leave;

	while (t >= a->next_snap) {
		agg_snapshot(a, a->next_snap, SNAP_DUE);
		a->next_snap += a->every_ns;
		if (live)
			tsa_flush(a->w);
		if (t < a->next_snap + a->every_ns)
			continue;
		last = floor_to(t, a->every_ns);
		if (a->kind != WIN_TIME) {
			a->next_snap = last;
		} else if (a->n == 0) {
			a->next_snap = last + a->every_ns;
		} else {
			/* the first boundary without the oldest packet */
			leave = boundary_after(a, a->ring[a->head].ts + a->window_ns);
			if (leave > a->next_snap)
				a->next_snap = leave < last ? leave : last;
		}
	}
}

/*
 * A packet older than the latest one.  Within the window it is counted: a
 * sliding window, whose ring must stay in time order, counts it at the
 * latest time; the whole stream at its own.  Older than the window's start
 * (captures concatenated, a replay looping), it starts a new epoch: a
 * snapshot of the window so far, then an empty one.  The whole stream has
 * no start to fall behind.
 */
static void step_back(struct agg *a, struct pkt *p)
{
	a->steps_back++;
	if (a->kind != WIN_ALL && p->ts < agg_window_start(a, a->last_ts)) {
		agg_snapshot(a, a->last_ts, SNAP_EPOCH_END);
		agg_evict_all(a);
		a->epochs++;
		agg_start(a, p->ts);
		a->next_snap = boundary_after(a, p->ts);
		return;
	}
	p->late = true;
	if (a->kind != WIN_ALL)
		p->ts = a->last_ts;
}

/* A stats record before the first packet: its time is an empty stream's. */
static void note_stats(struct agg *a, const struct pkt *p)
{
	size_t len = (size_t)(p->end - p->rec);
	struct mp_obj t, v;

	if (tsa_rec_type(p->rec, len, &t) && mp_str_eq(&t, "stats", 5) &&
	    mp_map_get1(p->rec, len, "time", &v) == 1 &&
	    mp_obj_time(&v, &a->stats_sec, &a->stats_nsec))
		a->have_stats_time = true;
}

static bool header_live(const struct tsa_reader *r)
{
	size_t len;
	const uint8_t *h = tsa_reader_header(r, &len);
	struct mp_obj v;

	return mp_map_get1(h, len, "live", &v) == 1 && v.type == MP_BOOL && v.b;
}

static void check_kind(const struct tsa_reader *r)
{
	size_t len;
	const uint8_t *h = tsa_reader_header(r, &len);
	struct mp_obj v;

	if (mp_map_get1(h, len, "kind", &v) == 1 && mp_str_eq(&v, "snapshots", 9))
		tsa_die("%s: already a snapshot stream (use --merge to combine several)",
		    tsa_reader_name(r));
}

/* The tables, from the options; memory follows the settings, not the input. */
static void setup(struct agg *a)
{
	a->buckets = (uint32_t)agg_opt.buckets;
	a->th = agg_opt.th;
	a->ring_max = (uint32_t)agg_opt.max_window;
	hosts_init(&a->hosts, (uint32_t)agg_opt.host_table);
	/* Touched now, so that memory is fixed from the start rather than
	 * growing with the ports seen (2 MiB). */
	a->ports = tsa_malloc((2 << 16) * sizeof *a->ports);
	for (volatile struct svc_count *c = a->ports; c < a->ports + (2 << 16);
	    c++)
		c->packets = c->bytes = 0;
	a->capps = tsa_calloc((size_t)NCOUNTRY * NAPPS, sizeof *a->capps);
	a->facts = tsa_hostfacts_new((uint32_t)agg_opt.host_facts);
	a->facts_serial = tsa_hostfacts_serial(a->facts);
	pairs_init(&a->pairs, (uint32_t)agg_opt.scan_table);
	labels_init(&a->labels, 4096);
	a->domains = domains_new((uint32_t)agg_opt.domain_cache);
	local_init(&a->local, agg_opt.local);
	record_init();
}

int main(int argc, char **argv)
{
	static struct agg agg;
	struct agg *a = &agg;
	struct tsa_reader *r;
	struct pkt p;
	uint64_t bad = 0, others = 0, npackets = 0;
	int64_t wall_last = 0;
	int n, rc, first;
	bool live;
	void (*add)(struct agg *, const struct pkt *);

	tsa_init(argv[0]);
	first = tsa_opts_parse(&agg_tool, argc, argv);
	a->top_hosts = (uint32_t)agg_opt.top_hosts;
	a->top_domains = (uint32_t)agg_opt.top_domains;
	a->detail_countries = (uint32_t)agg_opt.detail_countries;
	a->detail_top = (uint32_t)agg_opt.detail_top;
	if (agg_opt.merge) {
		return merge_main(argc - first, argv + first, argc, argv);
	}
	if (argc - first > 1)
		tsa_usage("one input at a time (several with --merge)");
	setup(a);

	r = tsa_reader_open(first < argc ? argv[first] : "-");
	check_kind(r);
	/* Window and Every are decided once the header says whether it is live. */
	live = agg_opt.live || header_live(r);
	set_window(a, agg_opt.window, live);
	set_every(a, agg_opt.every, live);
	if (a->kind == WIN_COUNT)
		a->ring_max = a->window_count;
	if (a->kind == WIN_ALL)
		fine_init(&a->fine, a->buckets);
	add = a->kind == WIN_ALL ? agg_add_all : agg_add;
	a->w = tsa_writer_open(agg_opt.out, 0);
	tsa_header_pass(a->w, r, "snapshots", argc, argv);

	for (;;) {
		/* Live and idle: wait no longer than the next snapshot is due. */
		if (live && a->started && tsa_reader_buffered(r) == 0) {
			int64_t now = a->last_ts + (wall_ns() - wall_last), wait_ms;
			struct pollfd pfd = { .fd = tsa_reader_fd(r), .events = POLLIN };

			if (now >= a->next_snap) {
				snapshots_until(a, now, true);
				continue;
			}
			tsa_idle();
			wait_ms = (a->next_snap - now) / 1000000 + 1;
			/* (a signal: the input goes on to its end, so wait on) */
			n = poll(&pfd, 1, wait_ms > 60000 ? 60000 : (int)wait_ms);
			if (n == 0 || (n < 0 && errno == EINTR))
				continue;
		}
		if ((rc = record_read(r, &p)) <= 0)
			break;
		switch (p.kind) {
		case REC_HOST:
			/* Consumed as packet records are: --pass forwards them. */
			facts_put(a, &p);
			if (agg_opt.pass) {
				mp_put_raw(tsa_out(a->w), p.rec, (size_t)(p.end - p.rec));
				tsa_wrote(a->w);
			}
			continue;
		case REC_OTHER:
			if (!a->started)
				note_stats(a, &p);
			mp_put_raw(tsa_out(a->w), p.rec, (size_t)(p.end - p.rec));
			tsa_wrote(a->w);
			others++;
			continue;
		case REC_BAD:
			/* Not counted, but --pass promises every record goes on. */
			bad++;
			if (agg_opt.pass) {
				mp_put_raw(tsa_out(a->w), p.rec, (size_t)(p.end - p.rec));
				tsa_wrote(a->w);
			}
			continue;
		case REC_PACKET:
			break;
		}
		npackets++;
		if (!a->started) {
			agg_start(a, p.ts);
			a->next_snap = boundary_after(a, p.ts);
		} else if (p.ts < a->last_ts) {
			step_back(a, &p);
		}
		if (p.ts >= a->next_snap)
			snapshots_until(a, p.ts, live);
		if (p.has_ips || p.has_sni || p.has_http_host)
			domains_learn(a->domains, &p);
		add(a, &p);
		if (!p.late)
			a->last_ts = p.ts;
		else
			agg_late(a);
		if (live)
			wall_last = wall_ns();
		if (agg_opt.pass) {
			mp_put_raw(tsa_out(a->w), p.rec, (size_t)(p.end - p.rec));
			tsa_wrote(a->w);
		}
	}
	/*
	 * The final snapshot ends at the last packet; of a live source, at the
	 * stream time the input ended, after every snapshot the clock made.
	 */
	if (a->started && live) {
		int64_t idle = wall_ns() - wall_last;

		if (idle > 0)
			a->last_ts += idle;
	}
	if (a->started)
		agg_snapshot(a, a->last_ts, SNAP_FINAL);
	else
		agg_snapshot_empty(a);
	/* After a read error the reader's message is the only line. */
	if (bad && rc == 0)
		tsa_warn("%s: %llu packet records without a usable time or addresses skipped",
		    tsa_reader_name(r), (unsigned long long)bad);
	if (a->hosts.overflow)
		tsa_warn("host table full (HostTableSize): %llu endpoints counted without a host entry",
		    (unsigned long long)a->hosts.overflow);
	if (a->evicted_early)
		tsa_warn("%llu packets left the %s window early (MaxWindowPackets %u)",
		    (unsigned long long)a->evicted_early, a->window_text, a->ring_max);
	if (agg_opt.verbose)
		fprintf(stderr, "%s: %llu packets, %llu other records, %llu snapshots, "
		    "%llu alerts, %llu steps back in time, %llu epochs, hosts %u/%u, "
		    "scan targets overflow %llu, peak RSS %ld KiB\n", tsa_prog,
		    (unsigned long long)npackets, (unsigned long long)others,
		    (unsigned long long)a->snapshots, (unsigned long long)a->alerts_raised,
		    (unsigned long long)a->steps_back, (unsigned long long)a->epochs,
		    a->hosts.nlive, a->hosts.cap - HOST_FIRST,
		    (unsigned long long)a->pairs.overflow, tsa_peak_rss_kib());
	tsa_writer_close(a->w);
	tsa_reader_close(r);
	return rc < 0 || tsa_exit_status();
}
