/*
 * tsa-nats sub: one TSA stream on stdout from the messages of the
 * subjects' publishers (output.h).  Each fetched batch is written and
 * flushed, and only then acknowledged: a message the server counts as
 * done has reached the stage after this one.  Per publisher's run the
 * messages are written in its order and once (runs.h).
 *
 * It ends after --ends N publishers' end records, after --idle without a
 * message, at the first message stored at or after --until, or at a
 * signal (then its end record says interrupted, and it exits 0).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec.h"
#include "consumer.h"
#include "nats.h"
#include "output.h"
#include "runs.h"
#include "tsa.h"
#include "wire.h"

/* Held messages (runs with gaps) at most, over all runs. */
#define HELD_BYTES_MAX (256u << 20)
#define HELD_MSGS_MAX 4096
/* How long a fetch waits for the first message of a quiet stream. */
#define WAIT_MS 250

struct item {
	natsMsg *m;
	struct wire_meta w;
	bool ok;
	char why[160];
	uint64_t stream_seq;
	int64_t time;
	struct run *r;
};

struct sub {
	struct conf *c;
	struct link *l;
	struct consumer *k;
	int nk;
	struct runs runs;
	struct out *out;
	natsMsg **toack;		/* written, to acknowledge after the flush */
	size_t ntoack, capack;
	size_t *lens;			/* the records of one message */
	struct mp_buf plain;		/* a compressed message's records */
	size_t caplens;
	struct item *items;
	size_t capitems;
	uint64_t ends;
	bool stop;
	int64_t last_msg;		/* mono_ns */
	uint64_t foreign, dups, damaged, late, gaps, waited;
	char **said;			/* subjects told of a foreign message */
	size_t nsaid;
};

static void ack_later(struct sub *s, natsMsg *m)
{
	if (s->ntoack == s->capack) {
		s->capack = s->capack ? s->capack * 2 : 64;
		s->toack = tsa_realloc(s->toack, s->capack * sizeof *s->toack);
	}
	s->toack[s->ntoack++] = m;
}

/* Flush what was written, then acknowledge it. */
static void settle(struct sub *s)
{
	if (!s->ntoack)
		return;
	out_flush(s->out);
	for (size_t i = 0; i < s->ntoack; i++) {
		natsMsg_Ack(s->toack[i], NULL);
		natsMsg_Destroy(s->toack[i]);
	}
	s->ntoack = 0;
}

/*
 * A message fetched and not written (the subscriber stops, or it waited
 * for a gap or for the rest of its record): handed back to the server at
 * once, so that a durable consumer's next run gets it first, in order,
 * rather than after the acknowledgement wait.
 */
static void give_back(natsMsg *m)
{
	natsMsg_Nak(m, NULL);
	natsMsg_Destroy(m);
}

/* Someone else's message on the subject: one line per subject, then counted. */
static void foreign(struct sub *s, struct item *it)
{
	const char *subj = natsMsg_GetSubject(it->m);

	s->foreign++;
	for (size_t i = 0; i < s->nsaid; i++)
		if (strcmp(s->said[i], subj) == 0)
			goto counted;
	s->said = tsa_realloc(s->said, (s->nsaid + 1) * sizeof *s->said);
	s->said[s->nsaid++] = tsa_strdup(subj);
	tsa_warn("%s: a message that is not from tsa-nats pub (%s): skipped "
	    "(further ones on this subject are only counted)", subj, it->why);
counted:
	natsMsg_Ack(it->m, NULL);
	natsMsg_Destroy(it->m);
}

/* A message of a run whose content is broken: its records are lost. */
static void damaged(struct sub *s, struct run *r, const struct wire_meta *w,
    const char *why)
{
	char run[17];

	wire_run_text(r->id, run);
	s->damaged++;
	tsa_warn("%s: sensor %s, run %s, message %" PRIu64 ": %s; its records "
	    "are lost", r->subject, r->sensor, run, w->seq, why);
	tsa_input_failed("sensor %s: run %s: message %" PRIu64 ": %s", r->sensor,
	    run, w->seq, why);
}

/* Is p..p+len exactly one map? */
static bool one_map(const uint8_t *p, size_t len)
{
	const uint8_t *q = p;

	return len && ((*p & 0xf0) == 0x80 || *p == 0xde || *p == 0xdf) &&
	    mp_skip(&q, p + len) == 0 && q == p + len;
}

/*
 * The records of a payload: maps back to back, none of them an end record
 * (which would end the output for every reader).  Their lengths in
 * s->lens; the count, or 0 with why.
 */
static size_t frame(struct sub *s, const uint8_t *p, size_t len, char *why,
    size_t n)
{
	const uint8_t *end = p + len;
	size_t i = 0;

	while (p < end) {
		const uint8_t *e;

		if (!((*p & 0xf0) == 0x80 || *p == 0xde || *p == 0xdf)) {
			snprintf(why, n, "record %zu is not a map", i + 1);
			return 0;
		}
		if (!(e = mp_map_walk(p, end, NULL, NULL, NULL))) {
			snprintf(why, n, "record %zu is not valid msgpack", i + 1);
			return 0;
		}
		if (*p <= 0x84 && tsa_is_end(p, (size_t)(e - p))) {
			snprintf(why, n, "record %zu is an end record", i + 1);
			return 0;
		}
		if (i == s->caplens) {
			s->caplens = s->caplens ? s->caplens * 2 : 4096;
			s->lens = tsa_realloc(s->lens, s->caplens * sizeof *s->lens);
		}
		s->lens[i++] = (size_t)(e - p);
		p = e;
	}
	if (i == 0)
		snprintf(why, n, "no records");
	return i;
}

/*
 * The pieces of a record are acknowledged together when the record is
 * written: a subscriber stopped half way gets them all again next time.
 */
static void keep_piece(struct run *r, natsMsg *m)
{
	if (r->npieces == r->cappieces) {
		r->cappieces = r->cappieces ? r->cappieces * 2 : 16;
		r->pieces = tsa_realloc(r->pieces, r->cappieces * sizeof *r->pieces);
	}
	r->pieces[r->npieces++] = m;
}

static void pieces_done(struct sub *s, struct run *r)
{
	for (size_t i = 0; i < r->npieces; i++)
		ack_later(s, r->pieces[i]);
	r->npieces = 0;
	r->part.len = 0;
}

/* Write message m (the next of its run, or a late one) and note it done. */
static void deliver(struct sub *s, struct run *r, natsMsg *m,
    const struct wire_meta *w)
{
	const uint8_t *p = (const uint8_t *)natsMsg_GetData(m);
	size_t len = (size_t)natsMsg_GetDataLength(m), n;
	char why[160];

	if (!r->announced)
		out_sensor(s->out, r);
	switch (w->type) {
	case WIRE_HEADER:
		/* Known already: the header of a run is what announces it. */
		break;
	case WIRE_RECORDS:
		if (w->encoding == WIRE_OTHER) {
			damaged(s, r, w, "an encoding this version cannot read");
			break;
		}
		if (w->encoding == WIRE_ZSTD) {
			if (!codec_unpack(p, len, &s->plain, why, sizeof why)) {
				damaged(s, r, w, why);
				break;
			}
			p = s->plain.p;
			len = s->plain.len;
		}
		if (!(n = frame(s, p, len, why, sizeof why))) {
			damaged(s, r, w, why);
			break;
		}
		for (size_t i = 0; i < n; i++) {
			out_record(s->out, r, p, s->lens[i]);
			p += s->lens[i];
		}
		break;
	case WIRE_PART:
		if (w->part_off != r->part.len) {
			damaged(s, r, w, "a piece of a record out of place");
			pieces_done(s, r);
			break;
		}
		mp_put_raw(&r->part, p, len);
		if (r->part.len < w->part_total) {
			run_written(r, w->seq);
			keep_piece(r, m);
			return;
		}
		if (r->part.len != w->part_total || !one_map(r->part.p, r->part.len) ||
		    tsa_is_end(r->part.p, r->part.len))
			damaged(s, r, w, "a record in pieces that is not one map");
		else
			out_record(s->out, r, r->part.p, r->part.len);
		pieces_done(s, r);
		break;
	case WIRE_END:
		if (!one_map(p, len) || !tsa_is_end(p, len)) {
			damaged(s, r, w, "an end message without an end record");
			break;
		}
		{
			char name[200];

			snprintf(name, sizeof name, "%s (sensor %s)", r->subject,
			    r->sensor);
			tsa_input_end(name, p, len);
		}
		out_run_end(s->out, r, p, len);
		r->ended = true;
		s->ends++;
		if (s->c->ends && s->ends >= s->c->ends)
			s->stop = true;
		break;
	}
	run_written(r, w->seq);
	ack_later(s, m);
}

/* Write the held messages of r that are now next, in order. */
static void deliver_held(struct sub *s, struct run *r)
{
	natsMsg *m;
	struct wire_meta w;
	char why[160];

	while (!s->stop && (m = run_take_next(&s->runs, r))) {
		if (!wire_get(m, &w, why, sizeof why))
			tsa_die("internal error: a held message lost its headers");
		deliver(s, r, m, &w);
	}
	if (r->nheld)
		r->gap_since = mono_ns();
}

/*
 * A run met in the middle (its header message not in this batch): its
 * header, by its stream sequence.  If the stream no longer has it (age or
 * size limits), the run goes on without.
 */
static void fetch_header(struct sub *s, struct run *r, uint64_t seq)
{
	natsMsg *m = NULL;
	jsErrCode jerr = 0;
	struct wire_meta w;
	char why[160] = "not a header message of this run", run[17];
	natsStatus st = js_GetMsg(&m, s->l->js, s->c->stream, seq, NULL, &jerr);

	if (st == NATS_OK && wire_get(m, &w, why, sizeof why) &&
	    w.type == WIRE_HEADER && w.run == r->id &&
	    one_map((const uint8_t *)natsMsg_GetData(m),
	    (size_t)natsMsg_GetDataLength(m))) {
		run_set_header(r, (const uint8_t *)natsMsg_GetData(m),
		    (size_t)natsMsg_GetDataLength(m));
	} else {
		wire_run_text(r->id, run);
		tsa_warn("%s: sensor %s, run %s: its header (stream message %" PRIu64
		    ") cannot be read: %s", r->subject, r->sensor, run, seq,
		    st == NATS_OK ? why : link_js_error(st, jerr));
	}
	natsMsg_Destroy(m);
}

/* The run of a message, met now for the first time or not. */
static struct run *run_of(struct sub *s, struct item *it)
{
	struct run *r = runs_find(&s->runs, it->w.run);

	if (r)
		return r;
	r = runs_add(&s->runs, it->w.run, it->w.sensor, natsMsg_GetSubject(it->m));
	if (it->w.type == WIRE_HEADER) {
		const uint8_t *p = (const uint8_t *)natsMsg_GetData(it->m);
		size_t len = (size_t)natsMsg_GetDataLength(it->m);
		if (one_map(p, len))
			run_set_header(r, p, len);
		else
			damaged(s, r, &it->w, "a header message without a header map");
	} else {
		fetch_header(s, r, it->w.header_seq);
	}
	return r;
}

/* Write a fetched batch; returns the last stream sequence in it. */
static uint64_t handle(struct sub *s, natsMsgList *list)
{
	uint64_t last = 0;

	size_t n = (size_t)list->Count;

	if (n > s->capitems) {
		s->capitems = n;
		s->items = tsa_realloc(s->items, n * sizeof *s->items);
	}
	/*
	 * First every message's headers, and the runs they belong to: the
	 * output header lists the runs of the first batch.
	 */
	for (size_t i = 0; i < n; i++) {
		struct item *it = &s->items[i];
		jsMsgMetaData *md = NULL;

		it->m = list->Msgs[i];
		list->Msgs[i] = NULL;
		it->ok = wire_get(it->m, &it->w, it->why, sizeof it->why);
		it->stream_seq = 0;
		it->time = 0;
		if (natsMsg_GetMetaData(&md, it->m) == NATS_OK) {
			it->stream_seq = md->Sequence.Stream;
			it->time = md->Timestamp;
			jsMsgMetaData_Destroy(md);
		}
		it->r = it->ok ? run_of(s, it) : NULL;
		if (it->stream_seq > last)
			last = it->stream_seq;
	}
	if (!out_started(s->out))
		out_header(s->out, &s->runs, s->c->argc, s->c->argv);
	for (size_t i = 0; i < n; i++) {
		struct item *it = &s->items[i];

		if (s->stop || (s->c->until_ns && it->time >= s->c->until_ns)) {
			/* Not written: given back (see give_back). */
			s->stop = true;
			give_back(it->m);
			continue;
		}
		if (!it->ok) {
			foreign(s, it);
			continue;
		}
		switch (run_place(it->r, it->w.seq)) {
		case PLACE_DUP:
			s->dups++;
			/* A piece of a record still gathering is not done yet. */
			if (it->r->npieces && it->w.type == WIRE_PART) {
				natsMsg_Destroy(it->m);
				break;
			}
			natsMsg_Ack(it->m, NULL);
			natsMsg_Destroy(it->m);
			break;
		case PLACE_HOLD:
			s->waited++;
			run_hold(&s->runs, it->r, it->w.seq, it->stream_seq, it->m,
			    mono_ns());
			break;
		case PLACE_LATE: {
			char run[17];
			wire_run_text(it->r->id, run);
			if (s->late++ == 0)
				tsa_warn("%s: sensor %s, run %s: message %" PRIu64
				    " arrived after its successors (stored out of order "
				    "before this reader started): written late",
				    it->r->subject, it->r->sensor, run, it->w.seq);
			deliver(s, it->r, it->m, &it->w);
			break;
		}
		case PLACE_WRITE:
			deliver(s, it->r, it->m, &it->w);
			deliver_held(s, it->r);
			break;
		}
	}
	settle(s);
	return last;
}

/*
 * Gaps that do not close: the publisher died before resending, or the
 * held messages grow too many.  What is missing is lost; say so, mark the
 * output incomplete, and go on with what is there.
 */
static void check_gaps(struct sub *s)
{
	int64_t now = mono_ns();
	size_t held = 0;

	for (size_t i = 0; i < s->runs.n; i++)
		held += s->runs.all[i]->nheld;
	for (size_t i = 0; i < s->runs.n && !s->stop; i++) {
		struct run *r = s->runs.all[i];
		uint64_t from, to;
		char run[17];

		if (!r->nheld || (now - r->gap_since < (int64_t)s->c->gap_wait_ns &&
		    s->runs.held_bytes < HELD_BYTES_MAX && held < HELD_MSGS_MAX))
			continue;
		run_skip_gap(r, &from, &to);
		wire_run_text(r->id, run);
		s->gaps++;
		char which[64];
		if (from == to)
			snprintf(which, sizeof which, "message %" PRIu64, from);
		else
			snprintf(which, sizeof which, "messages %" PRIu64 " to %" PRIu64,
			    from, to);
		tsa_warn("%s: sensor %s, run %s: %s never came: lost", r->subject,
		    r->sensor, run, which);
		tsa_input_failed("sensor %s: run %s: %s lost", r->sensor, run, which);
		deliver_held(s, r);
		settle(s);
	}
}

/* One fetch from each subject's consumer in turn. */
static void fetch_round(struct sub *s)
{
	natsMsgList list;
	uint64_t resume = runs_min_held(&s->runs);
	int ms = s->nk > 1 ? WAIT_MS / s->nk + 1 : WAIT_MS;

	if (!atomic_load(&s->l->connected)) {
		usleep(100000);
		return;
	}
	for (int i = 0; i < s->nk && !s->stop; i++) {
		if (consumer_fetch(&s->k[i], s->l, s->c, &list, ms, resume)) {
			s->last_msg = mono_ns();
			s->k[i].last_stream_seq = handle(s, &list);
			natsMsgList_Destroy(&list);
		}
	}
}

int sub_main(struct conf *c, char **subjects, int nsubjects)
{
	struct sub s = { .c = c };
	char name[64];

	for (int i = 0; i < nsubjects; i++)
		if (!*subjects[i] || strpbrk(subjects[i], " \t"))
			tsa_usage("%s: not a subject", subjects[i]);
	s.out = out_open(c->output);
	snprintf(name, sizeof name, "tsa-nats sub%s%s", c->durable ? " " : "",
	    c->durable ? c->durable : "");
	s.l = link_open(c, name);
	stream_ready(s.l, c, NULL);
	s.nk = nsubjects;
	s.k = tsa_calloc((size_t)nsubjects, sizeof *s.k);
	for (int i = 0; i < nsubjects; i++)
		consumer_open(&s.k[i], s.l, c, subjects[i], nsubjects);

	s.last_msg = mono_ns();
	while (!s.stop && !tsa_interrupted()) {
		link_check(s.l);
		fetch_round(&s);
		check_gaps(&s);
		if (c->idle_ns && mono_ns() - s.last_msg >= (int64_t)c->idle_ns)
			break;
	}
	settle(&s);

	/* Held messages and the pieces of a record not yet whole go back. */
	uint64_t held = 0;
	for (size_t i = 0; i < s.runs.n; i++) {
		struct run *r = s.runs.all[i];
		for (size_t j = 0; j < r->npieces; j++)
			give_back(r->pieces[j]);
		for (size_t j = 0; j < r->nheld; j++)
			give_back(r->held[j].m);
		held += r->nheld;
	}
	if (held)
		tsa_warn("%" PRIu64 " message%s after a gap not written (given "
		    "back: a durable consumer delivers them again)", held,
		    held == 1 ? "" : "s");
	if (s.waited)
		tsa_warn("%" PRIu64 " message%s came before an earlier one of "
		    "%s run (stored out of order after a failure) and waited",
		    s.waited, s.waited == 1 ? "" : "s", s.waited == 1 ? "its" : "their");
	if (s.foreign)
		tsa_warn("%" PRIu64 " message%s that were not TSA messages skipped",
		    s.foreign, s.foreign == 1 ? "" : "s");
	for (int i = 0; i < s.nk; i++)
		consumer_close(&s.k[i], s.l, c);
	out_close(s.out, &s.runs, c->argc, c->argv);
	link_close(s.l);
	runs_free(&s.runs);
	for (size_t i = 0; i < s.nsaid; i++)
		free(s.said[i]);
	free(s.said);
	free(s.k);
	free(s.toack);
	free(s.lens);
	free(s.items);
	mp_buf_free(&s.plain);
	return tsa_exit_status();
}
