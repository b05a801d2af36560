/*
 * tsa-nats pub: publish the TSA stream on stdin to a subject, as a run of
 * numbered messages (wire.h): the header, batches of records, and the end
 * record, which is the last.  It ends when its input has ended and the
 * server has acknowledged every message.
 *
 * Batching: records are packed into one message until the next would not
 * fit, and a partly filled batch goes out when the input has paused for
 * LINGER_NS since the batch's first record, so that a quiet live link
 * still delivers within a fraction of a second while a fast one fills
 * whole messages.  The input is read only when poll() says there is some:
 * between reads the buffer (window.c) resends what a reconnection or a
 * silent server lost.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "codec.h"
#include "nats.h"
#include "tsa.h"
#include "window.h"
#include "wire.h"

/* A partly filled batch waits at most this long for more records. */
#define LINGER_NS (50 * 1000000LL)

struct pub {
	struct window *w;
	struct wire_meta meta;		/* sensor, run, header_seq; seq is next */
	struct mp_buf batch;
	struct mp_buf packed;		/* the batch compressed */
	bool compress;
	uint64_t nrec;			/* records in the batch */
	int64_t batch_start;		/* mono_ns of its first record */
	size_t room;			/* payload bytes a message takes */
};

static void send(struct pub *p, enum wire_type type, enum wire_encoding enc,
    const void *data, size_t len, uint64_t off, uint64_t total)
{
	natsMsg *m = window_msg(p->w, p->meta.seq, data, len);
	natsStatus s;

	p->meta.type = type;
	p->meta.encoding = enc;
	p->meta.part_off = off;
	p->meta.part_total = total;
	if ((s = wire_put(m, &p->meta)) != NATS_OK)
		tsa_die("message headers: %s", link_error(s));
	window_add(p->w, m, p->meta.seq, len);
	p->meta.seq++;
}

static void send_batch(struct pub *p)
{
	if (p->nrec == 0)
		return;
	if (p->compress && codec_pack(p->batch.p, p->batch.len, &p->packed))
		send(p, WIRE_RECORDS, WIRE_ZSTD, p->packed.p, p->packed.len, 0, 0);
	else
		send(p, WIRE_RECORDS, WIRE_PLAIN, p->batch.p, p->batch.len, 0, 0);
	p->batch.len = 0;
	p->nrec = 0;
}

/* A record larger than a message goes in pieces, each its own message. */
static void send_parts(struct pub *p, const uint8_t *rec, size_t len)
{
	send_batch(p);
	for (size_t off = 0; off < len; off += p->room) {
		size_t n = len - off < p->room ? len - off : p->room;
		send(p, WIRE_PART, WIRE_PLAIN, rec + off, n, off, len);
	}
}

static void add(struct pub *p, const uint8_t *rec, size_t len)
{
	if (len > p->room) {
		send_parts(p, rec, len);
		return;
	}
	if (p->batch.len + len > p->room)
		send_batch(p);
	if (p->nrec == 0)
		p->batch_start = mono_ns();
	mp_put_raw(&p->batch, rec, len);
	p->nrec++;
}

/*
 * The published header: the input's, with "sensor" and this invocation
 * appended to "tools".  It promises an end record: pub always sends one.
 */
static void put_header(struct mp_buf *b, const struct tsa_reader *r,
    const char *sensor, int argc, char **argv)
{
	size_t hlen;
	const uint8_t *h = tsa_reader_header(r, &hlen);
	struct mp_buf name = { 0 };
	struct tsa_hdr_key set;

	mp_put_cstr(&name, sensor);
	set = (struct tsa_hdr_key){ "sensor", name.p, name.len };
	tsa_header_pack(b, h, hlen, NULL, &set, 1, true, argc, argv);
	mp_buf_free(&name);
}

/* Is there input within ms milliseconds (EOF counts)? */
static bool input_ready(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, ms);

	if (n < 0 && errno != EINTR)
		tsa_die("stdin: %s", strerror(errno));
	return n > 0;
}

/*
 * Wait for input, keeping the buffer going, and send a partly filled
 * batch once it has lingered long enough.
 */
static void wait_input(struct pub *p, struct tsa_reader *r)
{
	int fd = tsa_reader_fd(r);

	if (tsa_reader_buffered(r) > 0 || input_ready(fd, 0))
		return;
	for (;;) {
		int ms = 100;

		if (p->nrec) {
			int64_t left = p->batch_start + LINGER_NS - mono_ns();
			if (left <= 0) {
				send_batch(p);
				continue;
			}
			ms = (int)(left / 1000000) + 1;
		}
		if (input_ready(fd, ms))
			return;
		window_pump(p->w);
	}
}

static const char *default_sensor(const char *subject)
{
	const char *dot = strrchr(subject, '.');

	return dot ? dot + 1 : subject;
}

int pub_main(struct conf *c, const char *subject)
{
	struct pub p = { 0 };
	const char *sensor = c->sensor && *c->sensor ? c->sensor :
	    default_sensor(subject);
	char name[128], run[17];
	const uint8_t *rec;
	size_t len;
	int64_t max;
	int rc;

	if (strpbrk(subject, "*> \t") || !*subject || subject[0] == '.' ||
	    subject[strlen(subject) - 1] == '.' || strstr(subject, ".."))
		tsa_usage("%s: pub needs one literal subject (no wildcards)",
		    subject);
	if (!wire_sensor_ok(sensor))
		tsa_usage("%s: a sensor name is 1 to %d letters, digits, _ "
		    "and - (--sensor NAME)", sensor, WIRE_SENSOR_MAX);

	struct tsa_reader *r = tsa_reader_open(NULL);
	snprintf(name, sizeof name, "tsa-nats pub %s", sensor);
	struct link *l = link_open(c, name);
	max = stream_ready(l, c, subject);
	if ((uint64_t)max > c->batch)
		max = (int64_t)c->batch;
	if (max <= 2 * WIRE_HEADER_ROOM)
		tsa_die("%s: the server takes messages of %" PRId64 " bytes at most: "
		    "too small", c->url, max);
	p.room = (size_t)max - WIRE_HEADER_ROOM;
	p.compress = strcmp(c->compression, "zstd") == 0;
	mp_buf_grow(&p.batch, p.room);

	snprintf(p.meta.sensor, sizeof p.meta.sensor, "%s", sensor);
	if (getrandom(&p.meta.run, sizeof p.meta.run, 0) != sizeof p.meta.run)
		tsa_die("getrandom: %s", strerror(errno));
	p.w = window_new(l, subject, c->buffer);

	/* The header first; every later message names its stream sequence. */
	put_header(&p.batch, r, sensor, c->argc, c->argv);
	send(&p, WIRE_HEADER, WIRE_PLAIN, p.batch.p, p.batch.len, 0, 0);
	p.batch.len = 0;
	p.meta.header_seq = window_first_stream_seq(p.w);

	for (;;) {
		wait_input(&p, r);
		if ((rc = tsa_read(r, &rec, &len)) <= 0)
			break;
		add(&p, rec, len);
	}
	send_batch(&p);
	/* The input's end, whole or not, as this stage's end record says it. */
	tsa_put_end(&p.batch);
	send(&p, WIRE_END, WIRE_PLAIN, p.batch.p, p.batch.len, 0, 0);
	window_drain(p.w);

	struct window_stats st;
	window_stats(p.w, &st);
	wire_run_text(p.meta.run, run);
	if (st.resent)
		tsa_warn("%s: run %s: %" PRIu64 " message%s sent again after a "
		    "failure, %" PRIu64 " of them already stored", subject, run,
		    st.resent, st.resent == 1 ? "" : "s", st.duplicates);
	/* The connection first: no acknowledgement may come in after the free. */
	link_close(l);
	window_free(p.w);
	mp_buf_free(&p.batch);
	mp_buf_free(&p.packed);
	tsa_reader_close(r);
	return tsa_exit_status();
}
