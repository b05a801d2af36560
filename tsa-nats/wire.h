/*
 * A TSA stream as NATS messages: the one place where their layout is
 * written down (docs/nats.md describes it for people).
 *
 * A publisher's run is one TSA stream read by one `tsa-nats pub`.  Its
 * messages, all on the publisher's subject, are numbered 0, 1, 2 ... in the
 * order they were made, and each carries NATS headers:
 *
 *   Nats-Msg-Id   RUN-SEQ: the server drops a message whose id it has
 *                 already stored (a resend after a reconnect)
 *   Tsa-Sensor    the sensor's name
 *   Tsa-Run       the run: 16 hex digits drawn at random when pub starts
 *   Tsa-Seq       the message's number in the run
 *   Tsa-Type      header   (number 0) the stream's header map
 *                 records  one or more whole records, back to back
 *                 part     a piece of one record too large for a message
 *                 end      the stream's end record (the last message)
 *   Tsa-Header    the stream sequence of the run's header message, for a
 *                 reader that starts in the middle of a run (not on 0)
 *   Tsa-Part      OFFSET/TOTAL of a piece within its record (part only)
 *   Tsa-Encoding  zstd: the payload is one zstd frame (records only;
 *                 absent: as it is)
 *
 * The payload is msgpack: maps back to back, as on a pipe.
 */
#ifndef TSA_NATS_WIRE_H
#define TSA_NATS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

enum wire_type { WIRE_HEADER, WIRE_RECORDS, WIRE_PART, WIRE_END };
/* (WIRE_OTHER: an encoding of a later version, which this one cannot read) */
enum wire_encoding { WIRE_PLAIN, WIRE_ZSTD, WIRE_OTHER };

#define WIRE_SENSOR_MAX 64

struct wire_meta {
	enum wire_type type;
	char sensor[WIRE_SENSOR_MAX + 1];
	uint64_t run;
	uint64_t seq;
	uint64_t header_seq;		/* not on the header itself */
	uint64_t part_off, part_total;	/* part only */
	enum wire_encoding encoding;
};

/*
 * The room the headers take in a message, at most: a payload is cut to the
 * server's largest message less this.
 */
#define WIRE_HEADER_ROOM 512

/* Set the headers of m from w. */
natsStatus wire_put(natsMsg *m, const struct wire_meta *w);
/*
 * Read them: true, or false with the reason in why when m is not a
 * message of this layout (someone else publishing on the subject).
 */
bool wire_get(natsMsg *m, struct wire_meta *w, char *why, size_t n);
/* A sensor name: 1 to 64 of A-Z a-z 0-9 _ - (a subject token, a header value). */
bool wire_sensor_ok(const char *name);
const char *wire_type_name(enum wire_type t);
/* The run as text (16 hex digits), for messages and records. */
void wire_run_text(uint64_t run, char out[17]);

#endif
