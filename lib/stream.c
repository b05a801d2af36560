/*
 * Stream reader and writer.  Both use large buffers and plain read()/write():
 * at millions of records a second, stdio's 4 KiB blocks and per-call locking
 * show up in profiles.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "stream.h"
#include "trust.h"
#include "util.h"

#define READ_START (64u << 10)
#define READ_CHUNK (1u << 20)
#define WRITE_FLUSH (1u << 20)
#define PIPE_SIZE (1 << 20)	/* Linux's default limit for unprivileged users */

struct tsa_reader {
	int fd;
	bool regular;		/* a file: a signal ends the input (tsa_init) */
	bool want_end;		/* the header promises an end record */
	bool ended;		/* the end record was read */
	bool interrupted;	/* stopped reading at a signal */
	char *name;
	uint8_t *buf;
	size_t cap, start, end;
	uint64_t consumed;	/* bytes before buf[0], for error offsets */
	int eof;
	int full;		/* the last read filled the free space */
	uint64_t count;
	uint8_t *hdr;
	size_t hdrlen;
	char err[160];		/* why frame() failed */
};

struct tsa_writer {
	int fd;
	char *name;
	struct mp_buf out;
	size_t mark;		/* where the record being packed began */
	uint64_t written;	/* bytes flushed */
	uint64_t oversize;	/* records over TSA_MAX_RECORD, not written */
	/* record being copied with keys appended */
	const uint8_t *rec;
	size_t reclen;
	struct mp_buf extra;
	struct mp_buf kept;	/* dedup: the record's pairs that stay */
	uint32_t nadd;
	/* the last pairs of tsa_rec_pairs, not yet copied (see there) */
	const void *tail;
	size_t taillen;
	int dedup;
	size_t keyoff[64];	/* offsets of appended keys in extra, for dedup */
	bool epipe_ok;		/* EPIPE closes this writer, not the program */
	bool gone;		/* its reader went away: output is discarded */
	struct tsa_hdr_key set[4];	/* tsa_header_set's (values owned) */
	unsigned nset;
};

/*
 * A pipe holds 64 KiB by default: between two stages that each move
 * hundreds of megabytes a second, that is a context switch every few
 * hundred records.  Ask for more; where it is refused the default stays.
 */
static void widen_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE);
#else
	(void)fd;
#endif
}

/*
 * Latency: a stage writes what it holds before it blocks waiting for input.
 * Output is buffered in large blocks for throughput, but when the input
 * pauses (a quiet live link), every record already read must reach the end
 * of the pipeline at once, not when a megabyte has gathered.  So the reader
 * tries a read that does not wait, and only if it would wait flushes every
 * writer of the process and calls the idle hooks (text output of its own),
 * then waits.  At full speed the input never pauses and nothing changes.
 */
#define MAX_WRITERS 8
#define MAX_HOOKS 4
static struct tsa_writer *writers[MAX_WRITERS];
static struct { void (*fn)(void *); void *arg; } hooks[MAX_HOOKS];
static int nhooks;

void tsa_on_idle(void (*fn)(void *), void *arg)
{
	if (nhooks == MAX_HOOKS)
		tsa_die("internal error: more than %d idle hooks", MAX_HOOKS);
	hooks[nhooks].fn = fn;
	hooks[nhooks].arg = arg;
	nhooks++;
}

void tsa_idle(void)
{
	for (int i = 0; i < MAX_WRITERS; i++)
		if (writers[i] && writers[i]->out.len)
			tsa_flush(writers[i]);
	for (int i = 0; i < nhooks; i++)
		hooks[i].fn(hooks[i].arg);
}

static bool output_pending(void)
{
	if (nhooks)
		return true;
	for (int i = 0; i < MAX_WRITERS; i++)
		if (writers[i] && writers[i]->out.len)
			return true;
	return false;
}

/*
 * A read that returns -1 with EAGAIN instead of waiting: preadv2's
 * RWF_NOWAIT (Linux 5.9 on pipes: one call), else poll() first.
 */
static ssize_t read_nowait(int fd, void *buf, size_t n)
{
	static bool no_rwf;
	struct iovec iov = { buf, n };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t got;

	if (!no_rwf) {
		got = preadv2(fd, &iov, 1, -1, RWF_NOWAIT);
		if (got >= 0 || (errno != EOPNOTSUPP && errno != EINVAL &&
		    errno != ESPIPE))
			return got;
		no_rwf = true;
	}
	if (poll(&pfd, 1, 0) == 0) {
		errno = EAGAIN;
		return -1;
	}
	return read(fd, buf, n);
}

static ssize_t read_input(int fd, void *buf, size_t n)
{
	ssize_t got;

	if (output_pending()) {
		got = read_nowait(fd, buf, n);
		if (got >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return got;
		tsa_idle();
	}
	return read(fd, buf, n);
}

/*
 * How the process's input ended (one or several readers): complete unless
 * a stream was cut short, said it was incomplete, or could not be read.
 */
static char problem[256];
static bool stopped_by_signal;

/* The first problem, as "prog: input: what", the way the end record says it. */
static void input_problem(const char *name, const char *what)
{
	if (!problem[0])
		snprintf(problem, sizeof problem, "%s: %s: %s", tsa_prog, name, what);
}

void tsa_input_failed(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (problem[0])
		return;
	n = snprintf(problem, sizeof problem, "%s: ", tsa_prog);
	va_start(ap, fmt);
	vsnprintf(problem + n, sizeof problem - (size_t)n, fmt, ap);
	va_end(ap);
}

bool tsa_input_complete(void) { return problem[0] == 0; }
const char *tsa_input_problem(void) { return problem[0] ? problem : NULL; }
int tsa_exit_status(void) { return problem[0] != 0; }

/* ---- reader ---- */

/*
 * Read more input; returns bytes read, 0 at EOF.  Dies on read errors.  The
 * buffer starts small and doubles while reads come back full, up to
 * READ_CHUNK (a stage between pipes reads in large blocks; a small input
 * never costs a large buffer), and beyond that only for a record larger
 * than the free space.
 */
static size_t fill(struct tsa_reader *r)
{
	size_t want;
	ssize_t n;

	if (r->start > 0 && (r->start == r->end || r->cap - r->end < r->cap / 4)) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->consumed += r->start;
		r->start = 0;
	}
	if (r->cap - r->end < r->cap / 4 || (r->full && r->cap < READ_CHUNK)) {
		r->cap *= 2;
		r->buf = tsa_realloc(r->buf, r->cap);
	}
	want = r->cap - r->end;
	if (r->regular && tsa_interrupted()) {
		/* A file has no producer to end it: the signal ends it here. */
		r->eof = 1;
		r->interrupted = true;
		stopped_by_signal = true;
		r->full = 0;
		return 0;
	}
	do
		n = read_input(r->fd, r->buf + r->end, want);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		tsa_die("%s: %s", r->name, strerror(errno));
	if (n == 0)
		r->eof = 1;
	r->full = (size_t)n == want;
	r->end += (size_t)n;
	return (size_t)n;
}

/*
 * Frame the next object: 1 and its bounds, 0 at a clean EOF, -1 with the
 * reason in r->err.  A partial object is completed by reading more, up to the
 * record size limit.  With k, the keys of k are found in the same walk.
 */
static int frame(struct tsa_reader *r, const uint8_t **obj, size_t *len,
    const struct mp_keys *k, struct mp_obj *vals, uint64_t *found)
{
	for (;;) {
		const uint8_t *p = r->buf + r->start, *end = r->buf + r->end, *q;
		int rc;

		if (p < end) {
			if (!(*p >= 0x80 && *p <= 0x8f) && *p != 0xde && *p != 0xdf) {
				snprintf(r->err, sizeof r->err,
				    "record %llu (byte %llu) is not a map",
				    (unsigned long long)r->count + 1,
				    (unsigned long long)(r->consumed + r->start));
				return -1;
			}
			if ((q = mp_map_walk(p, end, k, vals, found)) != NULL) {
				*obj = p;
				*len = (size_t)(q - p);
				r->start += *len;
				return 1;
			}
			/* truncated (read more) or invalid: mp_skip tells which */
			if ((rc = mp_skip(&p, end)) == 0)
				rc = -2;
			if (rc == -2) {
				snprintf(r->err, sizeof r->err,
				    "record %llu (byte %llu): invalid msgpack",
				    (unsigned long long)r->count + 1,
				    (unsigned long long)(r->consumed + r->start));
				return -1;
			}
			if (r->end - r->start > TSA_MAX_RECORD) {
				snprintf(r->err, sizeof r->err,
				    "record %llu (byte %llu): larger than %u bytes or malformed",
				    (unsigned long long)r->count + 1,
				    (unsigned long long)(r->consumed + r->start),
				    TSA_MAX_RECORD);
				return -1;
			}
		}
		if (r->eof) {
			if (p == end || r->interrupted)
				return 0;
			snprintf(r->err, sizeof r->err,
			    "record %llu (byte %llu): truncated stream",
			    (unsigned long long)r->count + 1,
			    (unsigned long long)(r->consumed + r->start));
			return -1;
		}
		fill(r);
	}
}

static void check_header(struct tsa_reader *r)
{
	static const uint8_t pcap_magics[][4] = {
		{ 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 },
		{ 0x4d, 0x3c, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0x3c, 0x4d },
		{ 0x0a, 0x0d, 0x0d, 0x0a },
	};
	const uint8_t *h;
	size_t n;
	struct mp_obj v;
	int rc;

	while (!r->eof && r->end - r->start < 4)
		fill(r);
	for (size_t i = 0; i < sizeof pcap_magics / 4; i++)
		if (r->end >= 4 && memcmp(r->buf, pcap_magics[i], 4) == 0)
			tsa_die("%s: a capture file, not a TSA stream: read it with tsa-capture -r",
			    r->name);
	if (r->end == 0)
		tsa_die("%s: empty input: no TSA stream header", r->name);
	rc = frame(r, &h, &n, NULL, NULL, NULL);
	if (rc == 0)
		tsa_die("%s: empty input: no TSA stream header", r->name);
	if (rc < 0)
		tsa_die("%s: not a TSA stream: %s", r->name, r->err);
	if (mp_map_get1(h, n, "tsa", &v) != 1)
		tsa_die("%s: not a TSA stream (header has no \"tsa\" key)", r->name);
	if (v.type != MP_UINT || v.u != TSA_STREAM_VERSION)
		tsa_die("%s: TSA stream version %lld, this tool reads version %d",
		    r->name, v.type == MP_UINT ? (long long)v.u : -1LL,
		    TSA_STREAM_VERSION);
	r->hdr = tsa_malloc(n);
	memcpy(r->hdr, h, n);
	r->hdrlen = n;
	r->want_end = mp_map_get1(h, n, TSA_HDR_END, &v) == 1 &&
	    v.type == MP_BOOL && v.b;
}

struct tsa_reader *tsa_reader_open(const char *path)
{
	struct tsa_reader *r = tsa_calloc(1, sizeof *r);
	struct stat st;

	if (tsa_names_stdin(path)) {
		r->fd = 0;
		r->name = tsa_strdup("stdin");
	} else {
		r->fd = open(path, O_RDONLY);
		if (r->fd < 0)
			tsa_die("%s: %s", path, strerror(errno));
		r->name = tsa_strdup(path);
	}
	if (isatty(r->fd))
		tsa_die("%s: is a terminal; pipe a TSA stream in (from tsa-capture)",
		    r->name);
	r->regular = fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode);
	widen_pipe(r->fd);
	r->cap = READ_START;
	r->buf = tsa_malloc(r->cap);
	check_header(r);
	return r;
}

const char *tsa_reader_name(const struct tsa_reader *r) { return r->name; }

const uint8_t *tsa_reader_header(const struct tsa_reader *r, size_t *len)
{
	*len = r->hdrlen;
	return r->hdr;
}

/*
 * An end record's verdict taken into the process's input state: the
 * interrupted flag, and the first problem (its reason as the stage that
 * found it said it).  name is the input it came from, for the warning.
 */
static void take_end(const char *name, const uint8_t *rec, size_t len)
{
	struct mp_obj v;
	char why[200];

	if (mp_map_get1(rec, len, "interrupted", &v) == 1 && v.type == MP_BOOL && v.b)
		stopped_by_signal = true;
	if (mp_map_get1(rec, len, "complete", &v) == 1 && v.type == MP_BOOL && !v.b) {
		if (mp_map_get1(rec, len, "reason", &v) == 1 && v.type == MP_STR)
			snprintf(why, sizeof why, "%.*s", (int)v.len, (const char *)v.ptr);
		else
			snprintf(why, sizeof why, "no reason given");
		/*
		 * Passed on as it was said, by the stage that saw it; each stage
		 * that exits non-zero for it says so (its stderr may be the only
		 * one a person sees: the first stage may be on another host).
		 */
		tsa_warn("%s: incomplete stream (%s)", name, why);
		if (!problem[0])
			snprintf(problem, sizeof problem, "%s", why);
	}
}

/*
 * Is the record an end record?  It has at most four pairs, and a packet
 * record has more, so the test that rules a packet out is its first byte.
 */
bool tsa_is_end(const uint8_t *rec, size_t len)
{
	struct mp_obj v;

	return len > 0 && (rec[0] & 0xf0) == 0x80 && (rec[0] & 0x0f) <= 4 &&
	    mp_map_get1(rec, len, "type", &v) == 1 && mp_str_eq(&v, "end", 3);
}

void tsa_input_end(const char *name, const uint8_t *rec, size_t len)
{
	take_end(name, rec, len);
}

static __attribute__((noinline)) bool end_record(struct tsa_reader *r,
    const uint8_t *rec, size_t len)
{
	if (!tsa_is_end(rec, len))
		return false;
	r->ended = true;
	take_end(r->name, rec, len);
	return true;
}

/* The end of the input, well or not: said, and noted for the end record. */
static __attribute__((noinline)) int input_ended(struct tsa_reader *r, int rc)
{
	if (rc < 0) {
		tsa_warn("%s: %s", r->name, r->err);
		input_problem(r->name, r->err);
	} else if (r->want_end && !r->interrupted) {
		tsa_warn("%s: input cut short: no end record after record %llu "
		    "(did the stage before this one die?)", r->name,
		    (unsigned long long)r->count);
		input_problem(r->name, "input cut short (no end record)");
	}
	return rc;
}

/*
 * Inline into both entry points: tsa_read's walk then frames only (k is
 * NULL there), as fast as before records could end with an end record.
 */
static inline __attribute__((always_inline)) int read_rec(struct tsa_reader *r,
    const struct mp_keys *k, const uint8_t **rec, size_t *len,
    struct mp_obj *vals, uint64_t *found)
{
	int rc;

	if (__builtin_expect(r->ended, 0))
		return 0;
	rc = frame(r, rec, len, k, vals, found);
	if (__builtin_expect(rc <= 0, 0))
		return input_ended(r, rc);
	if (__builtin_expect(**rec <= 0x84, 0) && end_record(r, *rec, *len))
		return 0;
	r->count++;
	return 1;
}

int tsa_read(struct tsa_reader *r, const uint8_t **rec, size_t *len)
{
	return read_rec(r, NULL, rec, len, NULL, NULL);
}

int tsa_read_find(struct tsa_reader *r, const struct mp_keys *k,
    const uint8_t **rec, size_t *len, struct mp_obj *vals, uint64_t *found)
{
	return read_rec(r, k, rec, len, vals, found);
}

int tsa_reader_ended(const struct tsa_reader *r) { return r->ended; }

uint64_t tsa_reader_count(const struct tsa_reader *r) { return r->count; }
int tsa_reader_fd(const struct tsa_reader *r) { return r->fd; }
size_t tsa_reader_buffered(const struct tsa_reader *r) { return r->end - r->start; }

void tsa_reader_close(struct tsa_reader *r)
{
	if (!r)
		return;
	if (r->fd > 0)
		close(r->fd);
	free(r->buf);
	free(r->hdr);
	free(r->name);
	free(r);
}

/* ---- writer ---- */

struct tsa_writer *tsa_writer_open(const char *path, int allow_tty)
{
	struct tsa_writer *w = tsa_calloc(1, sizeof *w);

	if (tsa_names_stdout(path)) {
		w->fd = 1;
		w->name = tsa_strdup("stdout");
	} else if (strcmp(path, "stderr") == 0) {
		w->fd = 2;
		w->name = tsa_strdup("stderr");
	} else {
		w->fd = tsa_open_output(path);
		w->name = tsa_strdup(path);
	}
	if (!allow_tty && isatty(w->fd))
		tsa_die("%s: is a terminal; refusing to write binary records there "
		    "(pipe into tsa-print)", w->name);
	widen_pipe(w->fd);
	/* The buffer grows as records come (to WRITE_FLUSH and a record):
	   a writer of a few small records, as tsa-aggregate --merge's of a
	   short run, need not touch a megabyte. */
	for (int i = 0; i < MAX_WRITERS; i++) {
		if (!writers[i]) {
			writers[i] = w;
			break;
		}
	}
	return w;
}

struct mp_buf *tsa_out(struct tsa_writer *w) { return &w->out; }

void tsa_flush(struct tsa_writer *w)
{
	size_t off = 0;

	while (off < w->out.len && !w->gone) {
		ssize_t n = write(w->fd, w->out.p + off, w->out.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE && w->epipe_ok) {
			w->gone = true;	/* the caller asks tsa_writer_gone */
			break;
		}
		if (n < 0 && errno == EPIPE)
			exit(0);	/* the reader went away: end quietly */
		if (n < 0)
			tsa_die("%s: %s", w->name, strerror(errno));
		off += (size_t)n;
	}
	w->written += w->out.len;
	w->out.len = 0;
	w->mark = 0;
}

void tsa_writer_set_epipe_ok(struct tsa_writer *w) { w->epipe_ok = true; }
bool tsa_writer_gone(const struct tsa_writer *w) { return w->gone; }

/*
 * A record that grew past TSA_MAX_RECORD with the keys a stage added is
 * left out: no reader would take it.  It is counted and said once; the
 * stream is then not whole, and its end record says so (and the exit
 * status), as for a damaged input.
 */
static __attribute__((noinline)) void oversize(struct tsa_writer *w)
{
	w->out.len = w->mark;
	if (w->oversize++ == 0) {
		tsa_warn("%s: a record larger than %u bytes left out "
		    "(the count is given at the end)", w->name, TSA_MAX_RECORD);
		tsa_input_failed("%s: records larger than %u bytes left out",
		    w->name, TSA_MAX_RECORD);
	}
}

void tsa_wrote(struct tsa_writer *w)
{
	if (__builtin_expect(w->out.len - w->mark > TSA_MAX_RECORD, 0))
		oversize(w);
	w->mark = w->out.len;
	if (w->out.len >= WRITE_FLUSH)
		tsa_flush(w);
}

void tsa_put_end(struct mp_buf *b)
{
	const char *why = tsa_input_problem();
	struct mp_map_w m;

	if (tsa_interrupted())
		stopped_by_signal = true;
	mp_map_open(b, &m);
	mp_map_key(b, &m, "type");
	mp_put_cstr(b, "end");
	mp_map_key(b, &m, "complete");
	mp_put_bool(b, why == NULL);
	if (why) {
		mp_map_key(b, &m, "reason");
		mp_put_cstr(b, why);
	}
	if (stopped_by_signal) {
		mp_map_key(b, &m, "interrupted");
		mp_put_bool(b, true);
	}
	mp_map_close(b, &m);
}

/*
 * The end record: the stream is whole, or says why not.  Only after a
 * header (a writer that wrote nothing leaves nothing).
 */
static void put_end(struct tsa_writer *w)
{
	if (w->written == 0 && w->out.len == 0)
		return;
	tsa_put_end(&w->out);
	w->mark = w->out.len;
}

void tsa_writer_close(struct tsa_writer *w)
{
	for (int i = 0; i < MAX_WRITERS; i++)
		if (writers[i] == w)
			writers[i] = NULL;
	put_end(w);
	tsa_flush(w);
	if (w->oversize)
		tsa_warn("%s: %llu records larger than %u bytes left out", w->name,
		    (unsigned long long)w->oversize, TSA_MAX_RECORD);
	if (w->fd > 1 && close(w->fd) < 0)
		tsa_die("%s: %s", w->name, strerror(errno));
	mp_buf_free(&w->out);
	mp_buf_free(&w->extra);
	mp_buf_free(&w->kept);
	for (unsigned i = 0; i < w->nset; i++)
		free((void *)w->set[i].val);
	free(w->name);
	free(w);
}

/* ---- copying records with keys appended ---- */

void tsa_rec_begin(struct tsa_writer *w, const uint8_t *rec, size_t len)
{
	w->rec = rec;
	w->reclen = len;
	w->extra.len = 0;
	w->nadd = 0;
	w->tail = NULL;
}

/* Pairs kept by pointer go into extra before anything appended after them. */
static void copy_tail(struct tsa_writer *w)
{
	mp_put_raw(&w->extra, w->tail, w->taillen);
	w->tail = NULL;
}

struct mp_buf *tsa_rec_keyn(struct tsa_writer *w, const char *key, size_t n)
{
	if (w->tail)
		copy_tail(w);
	if (w->nadd < 64)
		w->keyoff[w->nadd] = w->extra.len;
	w->nadd++;
	mp_put_str(&w->extra, key, n);
	return &w->extra;
}

struct mp_buf *tsa_rec_key(struct tsa_writer *w, const char *key)
{
	return tsa_rec_keyn(w, key, strlen(key));
}

void tsa_rec_pairs(struct tsa_writer *w, const void *pairs, size_t len,
    uint32_t npairs)
{
	const uint8_t *p = pairs, *end = p + len;

	if (w->tail)
		copy_tail(w);
	/*
	 * Without dedup the pairs are only noted, and tsa_rec_end copies them
	 * straight to the output: one copy instead of two.
	 */
	if (!w->dedup) {
		w->tail = pairs;
		w->taillen = len;
		w->nadd += npairs;
		return;
	}
	/* note where each key lands, for the dedup comparison */
	for (uint32_t i = 0; i < npairs && p < end; i++) {
		const uint8_t *v;
		if (w->nadd + i < 64)
			w->keyoff[w->nadd + i] = w->extra.len + (size_t)(p - (const uint8_t *)pairs);
		if ((v = mp_skip_value(p, end)) == NULL ||
		    (p = mp_skip_value(v, end)) == NULL)
			break;
	}
	mp_put_raw(&w->extra, pairs, len);
	w->nadd += npairs;
}

void tsa_rec_dedup(struct tsa_writer *w, int on) { w->dedup = on; }

/* Is the key k one of the keys appended to the current record? */
static int appended(const struct tsa_writer *w, const struct mp_obj *k)
{
	for (uint32_t i = 0; i < w->nadd && i < 64; i++) {
		const uint8_t *p = w->extra.p + w->keyoff[i];
		struct mp_obj a;
		if (mp_next(&p, w->extra.p + w->extra.len, &a) == 0 &&
		    a.len == k->len && memcmp(a.ptr, k->ptr, k->len) == 0)
			return 1;
	}
	return 0;
}

void tsa_rec_end(struct tsa_writer *w)
{
	const uint8_t *p = w->rec, *end = w->rec + w->reclen;

	if (w->nadd == 0) {
		mp_put_raw(&w->out, w->rec, w->reclen);
	} else if (!w->dedup) {
		/*
		 * The record was framed by tsa_read, so it is a map: a new
		 * header, then the record's pairs and the appended ones, in
		 * one reservation of the output buffer.
		 */
		size_t body, tail = w->tail ? w->taillen : 0, h;
		uint8_t *o;
		uint32_t n;

		if (mp_map_header(&p, end, &n) < 0)
			tsa_die("internal error: tsa_rec_end on a non-map");
		body = (size_t)(end - p);
		o = mp_buf_reserve(&w->out, 5 + body + w->extra.len + tail);
		h = mp_map_hdr_store(o, n + w->nadd);
		memcpy(o + h, p, body);
		if (w->extra.len)
			memcpy(o + h + body, w->extra.p, w->extra.len);
		if (tail)
			memcpy(o + h + body + w->extra.len, w->tail, tail);
		w->out.len += h + body + w->extra.len + tail;
	} else {
		/* Copy pair by pair, leaving out keys that are being replaced. */
		struct mp_map_iter it;
		struct mp_obj k;
		const uint8_t *ks, *vs, *ve;
		struct mp_buf *kept = &w->kept;
		uint32_t n = 0;

		kept->len = 0;

		mp_map_begin(&it, w->rec, w->reclen);
		for (;;) {
			ks = it.p;
			if (mp_map_step(&it, &k, &vs, &ve) <= 0)
				break;
			if (appended(w, &k))
				continue;
			mp_put_raw(kept, ks, (size_t)(ve - ks));
			n++;
		}
		mp_put_map(&w->out, n + w->nadd);
		mp_put_raw(&w->out, kept->p, kept->len);
		mp_put_raw(&w->out, w->extra.p, w->extra.len);
	}
	tsa_wrote(w);
}

/* ---- header ---- */

void tsa_put_tools(struct mp_buf *b, const uint8_t *old, size_t oldlen,
    int argc, char **argv)
{
	const uint8_t *p = old, *end = old ? old + oldlen : NULL;
	struct mp_obj a;
	uint32_t n = 0;

	if (old && mp_next(&p, end, &a) == 0 && a.type == MP_ARRAY)
		n = a.len;
	else
		p = end = NULL;
	mp_put_array(b, n + 1);
	if (n)
		mp_put_raw(b, p, (size_t)(end - p));
	mp_put_array(b, (uint32_t)argc);
	for (int i = 0; i < argc; i++)
		mp_put_cstr(b, argv[i]);
}

/*
 * Does the tools array (its n elements start at p) name the program argv0?
 * Programs are compared by base name: argv[0] may be a path.
 */
static int tools_name(const uint8_t *p, const uint8_t *end, uint32_t n,
    const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	struct mp_obj inv, name;

	base = base ? base + 1 : argv0;
	for (uint32_t j = 0; j < n; j++) {
		const uint8_t *q = p;
		if (mp_next(&q, end, &inv) == 0 && inv.type == MP_ARRAY &&
		    inv.len > 0 && mp_next(&q, end, &name) == 0 &&
		    name.type == MP_STR) {
			const uint8_t *s = memrchr(name.ptr, '/', name.len);
			size_t off = s ? (size_t)(s + 1 - name.ptr) : 0;
			if (name.len - off == strlen(base) &&
			    memcmp(name.ptr + off, base, name.len - off) == 0)
				return 1;
		}
		if (mp_skip(&p, end) < 0)
			return 0;
	}
	return 0;
}

int tsa_header_ran(const struct tsa_reader *r, const char *tool)
{
	struct mp_obj t;

	return mp_map_get1(r->hdr, r->hdrlen, "tools", &t) == 1 &&
	    t.type == MP_ARRAY && tools_name(t.ptr, r->hdr + r->hdrlen, t.len, tool);
}

void tsa_header_set(struct tsa_writer *w, const char *key, const void *val,
    size_t len)
{
	if (w->nset == sizeof w->set / sizeof *w->set)
		tsa_die("internal error: too many header keys set");
	void *copy = tsa_malloc(len ? len : 1);

	memcpy(copy, val, len);
	w->set[w->nset++] = (struct tsa_hdr_key){ key, copy, len };
}

void tsa_header_flag(struct tsa_writer *w, const char *key)
{
	static const uint8_t yes = 0xc3;	/* msgpack's true */

	tsa_header_set(w, key, &yes, 1);
}

static bool is_set(const struct tsa_hdr_key *set, unsigned nset,
    const struct mp_obj *k)
{
	for (unsigned i = 0; i < nset; i++)
		if (mp_str_eq(k, set[i].key, strlen(set[i].key)))
			return true;
	return false;
}

void tsa_header_pack(struct mp_buf *b, const uint8_t *hdr, size_t hlen,
    const char *kind, const struct tsa_hdr_key *set, unsigned nset, bool end,
    int argc, char **argv)
{
	struct mp_map_iter it;
	struct mp_obj k;
	const uint8_t *ks, *vs, *ve, *tools = NULL;
	size_t toolslen = 0;
	struct mp_buf body = { 0 };
	uint32_t n = 0;

	mp_map_begin(&it, hdr, hlen);
	for (;;) {
		ks = it.p;
		if (mp_map_step(&it, &k, &vs, &ve) <= 0)
			break;
		if (mp_str_eq(&k, "tools", 5)) {
			tools = vs;
			toolslen = (size_t)(ve - vs);
			continue;
		}
		if ((kind && mp_str_eq(&k, "kind", 4)) || is_set(set, nset, &k) ||
		    (end && mp_str_eq(&k, TSA_HDR_END, strlen(TSA_HDR_END))))
			continue;
		mp_put_raw(&body, ks, (size_t)(ve - ks));
		n++;
	}
	for (unsigned i = 0; i < nset; i++) {
		mp_put_cstr(&body, set[i].key);
		mp_put_raw(&body, set[i].val, set[i].len);
		n++;
	}
	if (kind) {
		mp_put_cstr(&body, "kind");
		mp_put_cstr(&body, kind);
		n++;
	}
	if (end) {
		mp_put_cstr(&body, TSA_HDR_END);
		mp_put_bool(&body, true);
		n++;
	}
	mp_put_cstr(&body, "tools");
	tsa_put_tools(&body, tools, toolslen, argc, argv);
	n++;
	mp_put_map(b, n);
	mp_put_raw(b, body.p, body.len);
	mp_buf_free(&body);
}

void tsa_header_pass(struct tsa_writer *w, const struct tsa_reader *r,
    const char *kind, int argc, char **argv)
{
	/* (an input that promises an end record keeps its key where it is) */
	tsa_header_pack(&w->out, r->hdr, r->hdrlen, kind, w->set, w->nset,
	    !r->want_end, argc, argv);
	/* A stage that already ran on this stream replaces its own keys. */
	if (tsa_header_ran(r, argv[0]))
		w->dedup = 1;
	tsa_wrote(w);
}

int tsa_rec_type(const uint8_t *rec, size_t len, struct mp_obj *t)
{
	return mp_map_get1(rec, len, "type", t) == 1;
}
