#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"
#include "history.h"
#include "output.h"

static void thin(struct history *h)
{
	size_t half = h->n / 2, k = 0;

	/* Keep the first point (the run's start) and every other one of the
	 * older half; the newer half stays whole. */
	for (size_t i = 0; i < half; i += 2)
		h->p[k++] = h->p[i];
	memmove(&h->p[k], &h->p[half], (h->n - half) * sizeof h->p[0]);
	h->thinned += h->n - (k + h->n - half);
	h->n = k + h->n - half;
}

static void push(struct history *h, const struct hpoint *pt)
{
	if (h->n && pt->t_ns == h->p[h->n - 1].t_ns) {
		h->p[h->n - 1] = *pt;
		return;
	}
	if (h->n && pt->t_ns < h->p[h->n - 1].t_ns)
		h->n = 0;
	if (h->n == HISTORY_MAX)
		thin(h);
	h->p[h->n++] = *pt;
}

void history_load(struct history *h)
{
	FILE *f = output_read(HISTORY_FILE);
	char line[256];
	size_t lineno = 0, bad = 0, first_bad = 0;

	h->n = 0;
	h->thinned = 0;
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		struct hpoint pt;
		int end = 0;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%" SCNd64 " %" SCNu64 " %" SCNu64 " %" SCNu64
		    " %" SCNu64 "%n", &pt.t_ns, &pt.packets, &pt.bytes,
		    &pt.countries, &pt.alerts, &end) != 5 ||
		    (line[end] != '\n' && line[end] != 0) ||
		    (h->n && pt.t_ns < h->p[h->n - 1].t_ns)) {
			if (!bad++)
				first_bad = lineno;
			continue;
		}
		push(h, &pt);
	}
	if (ferror(f))
		tsa_warn("%s/%s: read error; the history starts from what was "
		    "read", output_path(), HISTORY_FILE);
	if (bad)
		tsa_warn("%s/%s:%zu: %zu line%s not a history point (time, "
		    "packets, bytes, countries, alerts, in order), skipped",
		    output_path(), HISTORY_FILE, first_bad, bad, bad == 1 ?
		    "" : "s");
	fclose(f);
}

void history_add(struct history *h, const struct snapshot *s)
{
	struct hpoint pt = { .t_ns = snapshot_end_ns(s), .packets = s->packets,
		.bytes = s->bytes, .alerts = s->nalerts };

	for (size_t i = 0; i < s->ncountries; i++) {
		const char *c = s->countries[i].country;
		if (c && strcmp(c, "local") && strcmp(c, "unknown") &&
		    (s->countries[i].packets || s->countries[i].bytes))
			pt.countries++;
	}
	push(h, &pt);
}

void history_save(const struct history *h)
{
	struct outfile of;
	FILE *f = outfile_open(&of, HISTORY_FILE);

	fprintf(f, "# tsa-plot's history of this directory's snapshots: "
	    "window_end (ns since the epoch),\n# packets, bytes, countries "
	    "with traffic, active alerts.  Older points thinned\n# to keep "
	    "at most %d.\n", HISTORY_MAX);
	for (size_t i = 0; i < h->n; i++)
		fprintf(f, "%" PRId64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %"
		    PRIu64 "\n", h->p[i].t_ns, h->p[i].packets, h->p[i].bytes,
		    h->p[i].countries, h->p[i].alerts);
	if (outfile_commit(&of, NULL) < 0)
		exit(1);
}
