/*
 * The subscriber's output: one TSA stream in which the sensors' records
 * are interleaved as the server stored them, each with "sensor" appended.
 *
 *   header   {"tsa": 1, "kind": ..., "end_record": true, ["live": true,]
 *             "sensors": [SENSOR, ...], "tools": [[tsa-nats sub ...]]}
 *            SENSOR = {"sensor": NAME, "run": HEX, "subject": SUBJECT,
 *                      "header": the publisher's header (with its tools)}
 *   {"type": "sensor", SENSOR's pairs}       a run met after the header,
 *                                            before its first record
 *   records  each as its publisher read it, plus "sensor": NAME
 *   {"type": "sensor_end", "sensor": NAME, "run": HEX, "complete": bool,
 *    ["reason": ..., "interrupted": true]}  a publisher's end record
 *   {"type": "end", ...}                     this stream's own end
 */
#ifndef TSA_NATS_OUTPUT_H
#define TSA_NATS_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runs.h"

struct out;

struct out *out_open(const char *path);
bool out_started(const struct out *o);
/* The header, with every run known so far (they count as announced). */
void out_header(struct out *o, struct runs *rs, int argc, char **argv);
/* A run met after the header. */
void out_sensor(struct out *o, struct run *r);
void out_record(struct out *o, struct run *r, const uint8_t *rec, size_t len);
/* The publisher's end record, as a sensor_end record. */
void out_run_end(struct out *o, struct run *r, const uint8_t *end, size_t len);
void out_flush(struct out *o);
/* The header if none was written, then this stream's end record. */
void out_close(struct out *o, struct runs *rs, int argc, char **argv);

#endif
