/* The subscriber's output stream (output.h). */
#include <string.h>

#include "nats.h"
#include "output.h"
#include "tsa.h"

struct out {
	struct tsa_writer *w;
	bool started;
};

/* path: a file, or "-" (stdout) */
struct out *out_open(const char *path)
{
	struct out *o = tsa_calloc(1, sizeof *o);

	o->w = tsa_writer_open(path, 0);
	return o;
}

bool out_started(const struct out *o) { return o->started; }

/* The pairs that describe a run: sensor, run, subject, header. */
static uint32_t put_run_pairs(struct mp_buf *b, const struct run *r)
{
	char run[17];

	wire_run_text(r->id, run);
	mp_put_cstr(b, "sensor");
	mp_put_cstr(b, r->sensor);
	mp_put_cstr(b, "run");
	mp_put_cstr(b, run);
	mp_put_cstr(b, "subject");
	mp_put_cstr(b, r->subject);
	if (!r->hdr)
		return 3;
	mp_put_cstr(b, "header");
	mp_put_raw(b, r->hdr, r->hdrlen);
	return 4;
}

static void put_run(struct mp_buf *b, const struct run *r)
{
	struct mp_buf body = { 0 };
	uint32_t n = put_run_pairs(&body, r);

	mp_put_map(b, n);
	mp_put_raw(b, body.p, body.len);
	mp_buf_free(&body);
}

/* A key of a run's header: 1 found (in v), else 0. */
static int hdr_key(const struct run *r, const char *key, struct mp_obj *v)
{
	return r->hdr && mp_map_get1(r->hdr, r->hdrlen, key, v) == 1;
}

void out_header(struct out *o, struct runs *rs, int argc, char **argv)
{
	struct mp_buf *b = tsa_out(o->w);
	struct mp_obj kind = { 0 }, v;
	bool have_kind = false, live = false;
	struct mp_map_w m;

	for (size_t i = 0; i < rs->n; i++) {
		const struct run *r = rs->all[i];
		if (!have_kind && hdr_key(r, "kind", &v) && v.type == MP_STR) {
			kind = v;
			have_kind = true;
		}
		if (hdr_key(r, "live", &v) && v.type == MP_BOOL && v.b)
			live = true;
	}
	mp_map_open(b, &m);
	mp_map_uint(b, &m, "tsa", TSA_STREAM_VERSION);
	if (have_kind) {
		mp_map_key(b, &m, "kind");
		mp_put_str(b, kind.ptr, kind.len);
	}
	if (live) {
		mp_map_key(b, &m, "live");
		mp_put_bool(b, true);
	}
	mp_map_key(b, &m, TSA_HDR_END);
	mp_put_bool(b, true);
	mp_map_key(b, &m, "sensors");
	mp_put_array(b, (uint32_t)rs->n);
	for (size_t i = 0; i < rs->n; i++) {
		put_run(b, rs->all[i]);
		rs->all[i]->announced = true;
	}
	mp_map_key(b, &m, "tools");
	tsa_put_tools(b, NULL, 0, argc, argv);
	mp_map_close(b, &m);
	tsa_wrote(o->w);
	o->started = true;
}

void out_sensor(struct out *o, struct run *r)
{
	struct mp_buf *b = tsa_out(o->w), body = { 0 };
	uint32_t n = put_run_pairs(&body, r);

	mp_put_map(b, n + 1);
	mp_put_cstr(b, "type");
	mp_put_cstr(b, "sensor");
	mp_put_raw(b, body.p, body.len);
	mp_buf_free(&body);
	tsa_wrote(o->w);
	r->announced = true;
}

void out_record(struct out *o, struct run *r, const uint8_t *rec, size_t len)
{
	tsa_rec_dedup(o->w, r->dedup);
	tsa_rec_begin(o->w, rec, len);
	tsa_rec_pairs(o->w, r->pair.p, r->pair.len, 1);
	tsa_rec_end(o->w);
	r->records++;
}

/*
 * The publisher's end record keeps its verdict but not its type: an "end"
 * here would end the whole stream for every reader.
 */
void out_run_end(struct out *o, struct run *r, const uint8_t *end, size_t len)
{
	struct mp_buf *b = tsa_out(o->w);
	static const char *const keys[] = { "complete", "reason", "interrupted" };
	struct mp_obj v[3];
	struct mp_map_w m;
	int64_t found = mp_map_get(end, len, keys, 3, v);
	char run[17];
	bool complete = found >= 0 && (found & 1) && v[0].type == MP_BOOL && v[0].b;
	bool reason = found > 0 && (found & 2) && v[1].type == MP_STR;
	bool intr = found > 0 && (found & 4) && v[2].type == MP_BOOL && v[2].b;

	wire_run_text(r->id, run);
	mp_map_open(b, &m);
	mp_map_key(b, &m, "type");
	mp_put_cstr(b, "sensor_end");
	mp_map_key(b, &m, "sensor");
	mp_put_cstr(b, r->sensor);
	mp_map_key(b, &m, "run");
	mp_put_cstr(b, run);
	mp_map_key(b, &m, "complete");
	mp_put_bool(b, complete);
	if (reason) {
		mp_map_key(b, &m, "reason");
		mp_put_str(b, v[1].ptr, v[1].len);
	}
	if (intr) {
		mp_map_key(b, &m, "interrupted");
		mp_put_bool(b, true);
	}
	mp_map_close(b, &m);
	tsa_wrote(o->w);
}

void out_flush(struct out *o)
{
	tsa_flush(o->w);
}

void out_close(struct out *o, struct runs *rs, int argc, char **argv)
{
	if (!o->started)
		out_header(o, rs, argc, argv);
	tsa_writer_close(o->w);
	free(o);
}
