/*
 * When each alert began.  A snapshot lists the alerts that hold in its
 * window, with that window's counts; the alert record written when the
 * condition started to hold says when that was.  tsa-plot remembers the
 * start of the latest ALERTLOG_MAX alerts (kind and host), oldest
 * forgotten first, and the page shows it beside each active alert.
 */
#ifndef TSA_PLOT_ALERTLOG_H
#define TSA_PLOT_ALERTLOG_H

#include "tsa.h"

#define ALERTLOG_MAX 4096

/* Remember an alert record's start (its window_end: the packet that made
 * the condition hold). */
void alertlog_add(const struct alert_row *a);
/* Fill in since_ns of the snapshot's alerts that were seen starting. */
void alertlog_fill(struct snapshot *s);
void alertlog_free(void);

#endif
