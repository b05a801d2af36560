#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"
#include "alertlog.h"

struct started {
	char kind[24];
	uint8_t addr[16];
	size_t addrlen;
	int64_t at_ns;
};

/* A ring: the oldest entry is overwritten when it is full.  Lookups are
 * linear, a few per snapshot: alerts are few. */
static struct started *log_;
static size_t used, next;

static struct started *find(const char *kind, const uint8_t *addr,
    size_t addrlen)
{
	for (size_t i = 0; i < used; i++)
		if (log_[i].addrlen == addrlen && strcmp(log_[i].kind,
		    kind) == 0 && memcmp(log_[i].addr, addr, addrlen) == 0)
			return &log_[i];
	return NULL;
}

void alertlog_add(const struct alert_row *a)
{
	struct started *e;

	if (!a->alert || strlen(a->alert) >= sizeof e->kind || !a->end_ns)
		return;
	if (!log_)
		log_ = tsa_calloc(ALERTLOG_MAX, sizeof *log_);
	/* A second record for the same alert: the condition stopped holding
	 * and started again; the new start counts. */
	if (!(e = find(a->alert, a->addr, a->addrlen))) {
		e = &log_[next];
		next = (next + 1) % ALERTLOG_MAX;
		if (used < ALERTLOG_MAX)
			used++;
	}
	snprintf(e->kind, sizeof e->kind, "%s", a->alert);
	memcpy(e->addr, a->addr, a->addrlen);
	e->addrlen = a->addrlen;
	e->at_ns = a->end_ns;
}

void alertlog_fill(struct snapshot *s)
{
	for (size_t i = 0; i < s->nalerts; i++) {
		struct alert_row *a = &s->alerts[i];
		const struct started *e;
		if (a->alert && (e = find(a->alert, a->addr, a->addrlen)))
			a->since_ns = e->at_ns;
	}
}

void alertlog_free(void)
{
	free(log_);
	log_ = NULL;
	used = next = 0;
}
