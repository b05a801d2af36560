/*
 * Progress of a file read on stderr, like pv: share of the file read,
 * packets per second, time left.  Only when stderr is a terminal, and only
 * once a read has taken a second, so small files and pipelines stay quiet.
 */
#ifndef TSA_CAPTURE_PROGRESS_H
#define TSA_CAPTURE_PROGRESS_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* How many packets between looks at the clock. */
#define PROGRESS_EVERY 16384

struct progress {
	int on, drawn;
	FILE *f;
	int64_t size;
	struct timespec start, last;
};

void progress_init(struct progress *pr, FILE *f, int64_t size, int quiet);
void progress_tick(struct progress *pr, uint64_t packets);
void progress_end(struct progress *pr, uint64_t packets);

#endif
