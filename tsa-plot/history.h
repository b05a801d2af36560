/*
 * The run's history: one point per snapshot drawn (its end, packets,
 * bytes, countries with traffic, active alerts), for the trend chart
 * over the whole run, while the other charts show only the current
 * window.  At most HISTORY_MAX points are held: when full, every other
 * one of the oldest half goes, so memory stays fixed however long the
 * run, the recent past keeps its detail and the whole run stays in view.
 * The points are kept in history.tsv beside the page (replaced
 * atomically, as every file there), and a tsa-plot started again on the
 * same directory continues them.
 */
#ifndef TSA_PLOT_HISTORY_H
#define TSA_PLOT_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tsa.h"

#define HISTORY_MAX 2048
#define HISTORY_FILE "history.tsv"

struct hpoint {
	int64_t t_ns;		/* the snapshot's window_end */
	uint64_t packets, bytes;
	uint64_t countries;	/* with traffic, "local" and "unknown" not */
	uint64_t alerts;
};

struct history {
	struct hpoint p[HISTORY_MAX];
	size_t n;
	uint64_t thinned;	/* points dropped to stay within HISTORY_MAX */
};

/* Read HISTORY_FILE from the output directory, if there is one; lines
 * that do not parse are skipped, with one warning. */
void history_load(struct history *h);
/*
 * Add a snapshot's point.  A snapshot that ends before the last point
 * belongs to another run (another capture, a stream started again): the
 * history starts afresh with it.  One ending at the same time replaces
 * the last point (the same snapshot drawn again).
 */
void history_add(struct history *h, const struct snapshot *s);
/* Write HISTORY_FILE atomically; exits on a write error. */
void history_save(const struct history *h);

#endif
