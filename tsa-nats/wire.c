/* The NATS headers of a TSA message: written by pub, read by sub (wire.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static const char *const type_names[] = { "header", "records", "part", "end" };

const char *wire_type_name(enum wire_type t) { return type_names[t]; }

void wire_run_text(uint64_t run, char out[17])
{
	snprintf(out, 17, "%016" PRIx64, run);
}

bool wire_sensor_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > WIRE_SENSOR_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

natsStatus wire_put(natsMsg *m, const struct wire_meta *w)
{
	char run[17], id[64], num[24], hdr[24], part[48];
	natsStatus s;

	wire_run_text(w->run, run);
	snprintf(id, sizeof id, "%s-%" PRIu64, run, w->seq);
	snprintf(num, sizeof num, "%" PRIu64, w->seq);
	s = natsMsgHeader_Set(m, "Nats-Msg-Id", id);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Tsa-Sensor", w->sensor);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Tsa-Run", run);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Tsa-Seq", num);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Tsa-Type", type_names[w->type]);
	if (s == NATS_OK && w->type != WIRE_HEADER) {
		snprintf(hdr, sizeof hdr, "%" PRIu64, w->header_seq);
		s = natsMsgHeader_Set(m, "Tsa-Header", hdr);
	}
	if (s == NATS_OK && w->encoding == WIRE_ZSTD)
		s = natsMsgHeader_Set(m, "Tsa-Encoding", "zstd");
	if (s == NATS_OK && w->type == WIRE_PART) {
		snprintf(part, sizeof part, "%" PRIu64 "/%" PRIu64, w->part_off,
		    w->part_total);
		s = natsMsgHeader_Set(m, "Tsa-Part", part);
	}
	return s;
}

/* A whole decimal number, or false. */
static bool number(const char *s, uint64_t *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	*v = strtoull(s, &end, 10);
	return *end == 0;
}

/* OFFSET/TOTAL, with OFFSET < TOTAL. */
static bool fraction(const char *s, uint64_t *off, uint64_t *total)
{
	const char *slash = strchr(s, '/');
	char head[24];

	if (!slash || slash - s >= (long)sizeof head)
		return false;
	memcpy(head, s, (size_t)(slash - s));
	head[slash - s] = 0;
	return number(head, off) && number(slash + 1, total) && *off < *total;
}

bool wire_get(natsMsg *m, struct wire_meta *w, char *why, size_t n)
{
	const char *sensor = NULL, *run = NULL, *seq = NULL, *type = NULL;
	const char *hdr = NULL, *part = NULL, *enc = NULL;
	char *end;
	int t;

	memset(w, 0, sizeof *w);
	if (natsMsgHeader_Get(m, "Tsa-Type", &type) != NATS_OK) {
		snprintf(why, n, "no Tsa-Type header");
		return false;
	}
	for (t = 0; t < 4 && strcmp(type, type_names[t]) != 0; t++)
		;
	if (t == 4) {
		snprintf(why, n, "Tsa-Type %.40s is none of this version's", type);
		return false;
	}
	w->type = (enum wire_type)t;
	if (natsMsgHeader_Get(m, "Tsa-Sensor", &sensor) != NATS_OK ||
	    !wire_sensor_ok(sensor)) {
		snprintf(why, n, "no valid Tsa-Sensor header");
		return false;
	}
	snprintf(w->sensor, sizeof w->sensor, "%s", sensor);
	if (natsMsgHeader_Get(m, "Tsa-Run", &run) != NATS_OK ||
	    strlen(run) != 16 || (w->run = strtoull(run, &end, 16), *end)) {
		snprintf(why, n, "no valid Tsa-Run header");
		return false;
	}
	if (natsMsgHeader_Get(m, "Tsa-Seq", &seq) != NATS_OK ||
	    !number(seq, &w->seq)) {
		snprintf(why, n, "no valid Tsa-Seq header");
		return false;
	}
	if ((w->type == WIRE_HEADER) != (w->seq == 0)) {
		snprintf(why, n, "a %s as message %s of its run", type, seq);
		return false;
	}
	if (w->type != WIRE_HEADER &&
	    (natsMsgHeader_Get(m, "Tsa-Header", &hdr) != NATS_OK ||
	    !number(hdr, &w->header_seq))) {
		snprintf(why, n, "no valid Tsa-Header header");
		return false;
	}
	if (natsMsgHeader_Get(m, "Tsa-Encoding", &enc) == NATS_OK)
		w->encoding = strcmp(enc, "zstd") == 0 ? WIRE_ZSTD : WIRE_OTHER;
	if (w->type == WIRE_PART &&
	    (natsMsgHeader_Get(m, "Tsa-Part", &part) != NATS_OK ||
	    !fraction(part, &w->part_off, &w->part_total))) {
		snprintf(why, n, "no valid Tsa-Part header");
		return false;
	}
	return true;
}
