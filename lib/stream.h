/*
 * The TSA record stream: a header map, then records (maps), back to back.
 * The reader hands out each record as raw bytes that stay valid until the
 * next call; the writer buffers output in large blocks and lets a stage copy
 * a record through with keys appended, without re-encoding it.
 */
#ifndef TSA_STREAM_H
#define TSA_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mp.h"

#define TSA_STREAM_VERSION 1
#define TSA_MAX_RECORD (16u << 20)	/* a larger record is an error */
/*
 * The header key that promises an end record, {"type": "end", "complete":
 * bool, ...}, as the stream's last record: a reader of such a stream knows
 * a stream that stops without one was cut short (a stage died).
 */
#define TSA_HDR_END "end_record"

struct tsa_reader;
struct tsa_writer;

/*
 * The standard streams by name, as SiLK's tools take them: NULL, "-" or
 * "stdin" (a file of that name is ./stdin), "stdout", "stderr".
 */
static inline bool tsa_names_stdin(const char *path)
{
	return !path || !*path || !strcmp(path, "-") || !strcmp(path, "stdin");
}
static inline bool tsa_names_stdout(const char *path)
{
	return !path || !*path || !strcmp(path, "-") || !strcmp(path, "stdout");
}

/*
 * Open path (tsa_names_stdin: standard input) and read and check the header.  Any
 * failure (missing file, terminal on stdin, no valid header, wrong version)
 * prints "prog: file: problem" and exits 1.
 */
struct tsa_reader *tsa_reader_open(const char *path);
const char *tsa_reader_name(const struct tsa_reader *r);	/* for messages */
/* The header map's raw bytes. */
const uint8_t *tsa_reader_header(const struct tsa_reader *r, size_t *len);
/*
 * Next record: 1 with *rec and *len set, 0 at the end of the stream: its
 * end record (which is not handed out), or the end of the input.  A
 * truncated or malformed record prints an error naming the file and the
 * record number and returns -1; the caller finishes its output and exits
 * with tsa_exit_status().  A stream that promised an end record and ends
 * without one, or whose end record says it is incomplete, also gets one
 * line, and 0: what was read is good, but the input is not whole.
 */
int tsa_read(struct tsa_reader *r, const uint8_t **rec, size_t *len);
/*
 * tsa_read that also finds the keys of k in the record, in the walk that
 * frames it (see mp_map_walk): *found gets the mask of keys found and
 * vals[i] the value of key i.  The per-record path of every stage.
 */
int tsa_read_find(struct tsa_reader *r, const struct mp_keys *k,
    const uint8_t **rec, size_t *len, struct mp_obj *vals, uint64_t *found);
uint64_t tsa_reader_count(const struct tsa_reader *r);	/* records read */
/* Did the stream end with its end record? */
int tsa_reader_ended(const struct tsa_reader *r);
/*
 * The process's inputs, all readers together: whole (every stream ended
 * as it should, or a signal stopped the reading), or not, and why (NULL if
 * whole).  A tool marks its final output incomplete when they are not, and
 * exits with tsa_exit_status(): 0 when whole, else 1.
 */
bool tsa_input_complete(void);
const char *tsa_input_problem(void);
int tsa_exit_status(void);
/*
 * A producer's own input failed part way (a capture file cut short): the
 * reason goes into the end record, and the exit status is 1.  The caller
 * has printed its message.
 */
void tsa_input_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * For a process whose input does not come through a tsa_reader (records
 * from a message bus): is rec an end record, and take one into the input
 * state as tsa_read does (its complete and interrupted flags; the
 * warning names name).
 */
bool tsa_is_end(const uint8_t *rec, size_t len);
void tsa_input_end(const char *name, const uint8_t *rec, size_t len);
/*
 * Pack the end record this process's output ends with (what
 * tsa_writer_close writes), for output that does not go through a
 * tsa_writer.
 */
void tsa_put_end(struct mp_buf *b);

/*
 * Before the reader waits for input it flushes every open writer and calls
 * these hooks, so that a stage never sits on records while its input is
 * quiet.  For output of a tool's own (text, files); at most 4.
 */
void tsa_on_idle(void (*fn)(void *), void *arg);
/* What the reader does before it waits: flush the writers, call the hooks. */
void tsa_idle(void);
/* The reader's file descriptor, for poll() in live stages. */
int tsa_reader_fd(const struct tsa_reader *r);
/* Bytes already buffered: poll() on the fd is not needed while this is > 0. */
size_t tsa_reader_buffered(const struct tsa_reader *r);
void tsa_reader_close(struct tsa_reader *r);

/*
 * Open path (tsa_names_stdout: standard output; "stderr").  Refuses a terminal ("pipe into
 * tsa-print") unless allow_tty.  A write that fails with EPIPE ends the
 * program quietly with status 0; other write errors exit 1 with a message.
 */
struct tsa_writer *tsa_writer_open(const char *path, int allow_tty);
/*
 * For a program with more than one output (tsa-filter --fail): EPIPE on w
 * no longer ends the program but marks w gone; from then on what is
 * written to w is discarded, and the program decides what to do.
 */
void tsa_writer_set_epipe_ok(struct tsa_writer *w);
bool tsa_writer_gone(const struct tsa_writer *w);
/* The output buffer: pack records into it directly, then tsa_wrote(). */
struct mp_buf *tsa_out(struct tsa_writer *w);
/* Call after each record; flushes when the buffer is large. */
void tsa_wrote(struct tsa_writer *w);
void tsa_flush(struct tsa_writer *w);
/*
 * Write the end record (complete, or not and why: tsa_input_problem), flush,
 * close; exit 1 on a write error.
 */
void tsa_writer_close(struct tsa_writer *w);

/*
 * Copy a record with keys appended:
 *   tsa_rec_begin(w, rec, len);
 *   mp_put_str(tsa_rec_key(w, "src_country"), "DE", 2);   // key, then value
 *   tsa_rec_end(w);
 * tsa_rec_key packs the key and returns the buffer to pack the value into.
 * If no key is added, the record is copied unchanged.  rec must stay valid
 * until tsa_rec_end.
 */
void tsa_rec_begin(struct tsa_writer *w, const uint8_t *rec, size_t len);
struct mp_buf *tsa_rec_key(struct tsa_writer *w, const char *key);
/* tsa_rec_key for a key of n bytes (a literal's length is known). */
struct mp_buf *tsa_rec_keyn(struct tsa_writer *w, const char *key, size_t n);
void tsa_rec_end(struct tsa_writer *w);
/*
 * Append npairs key/value pairs that are already packed (for example a
 * host's annotations, packed once and reused for every record): one copy,
 * made by tsa_rec_end, so pairs must stay unchanged until then.
 */
void tsa_rec_pairs(struct tsa_writer *w, const void *pairs, size_t len,
    uint32_t npairs);
/*
 * Replace keys instead of appending duplicates: tsa_rec_end then leaves out
 * the record's own pairs whose keys are appended.  tsa_header_pass turns this
 * on by itself when the header's tools show this program ran before; it
 * costs a pass over the record's keys.
 */
void tsa_rec_dedup(struct tsa_writer *w, int on);

/* A header key and its packed value (len bytes). */
struct tsa_hdr_key {
	const char *key;
	const void *val;
	size_t len;
};
/*
 * Pack into b the header hdr (hlen bytes) as the next stage passes it on:
 * its keys, but those of set[0..nset) with their new values, kind (if not
 * NULL) replaced, with end the end_record promise (replacing the input's),
 * and this invocation (argv) appended to "tools".
 */
void tsa_header_pack(struct mp_buf *b, const uint8_t *hdr, size_t hlen,
    const char *kind, const struct tsa_hdr_key *set, unsigned nset, bool end,
    int argc, char **argv);
/*
 * Write the header of r to w with this invocation (argv) appended to its
 * "tools" array; kind, if not NULL, replaces "kind"; TSA_HDR_END added.
 */
void tsa_header_pass(struct tsa_writer *w, const struct tsa_reader *r,
    const char *kind, int argc, char **argv);
/*
 * Have tsa_header_pass set the header key key (a literal) to the packed
 * value val (len bytes, copied), replacing the input's: what this stage
 * says of its output (tsa-geo: the databases it answers from).
 */
void tsa_header_set(struct tsa_writer *w, const char *key, const void *val,
    size_t len);
/* The same with true: a promise (tsa-p0f: host records). */
void tsa_header_flag(struct tsa_writer *w, const char *key);
/* Does the header's "tools" name this program (by base name) already? */
int tsa_header_ran(const struct tsa_reader *r, const char *tool);
/*
 * Pack a "tools" array: the elements of the array at old (may be NULL), then
 * argv as an array of strings.  For tools that build their own header.
 */
void tsa_put_tools(struct mp_buf *b, const uint8_t *old, size_t oldlen,
    int argc, char **argv);

/* Does a map record have "type" (non-packet record)?  Returns the type in t. */
int tsa_rec_type(const uint8_t *rec, size_t len, struct mp_obj *t);

#endif
