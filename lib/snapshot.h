/*
 * The snapshot record (docs/stream.md "Snapshot records") as plain C
 * values: the one declaration of its layout.  tsa-aggregate fills one and
 * encodes it, --merge decodes its inputs and encodes their sum, tsa-plot
 * and tsa-print decode what they draw and show.  Snapshots are a few per
 * minute, so this is where a tool may build a tree: every string is owned
 * by the struct (snapshot_free frees it).
 *
 * Decoding reads what it can: a missing or mistyped field is left empty
 * (zero, NULL, no entries), so a partial snapshot still draws.  Encoding
 * writes the keys in the order of the fields below, optional ones only
 * when set, and sizes each map itself.
 */
#ifndef TSA_SNAPSHOT_H
#define TSA_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp.h"

/* A stream time as msgpack has it: no year of the input overflows it. */
struct stime {
	int64_t sec;
	uint32_t nsec;
};

static inline int stime_cmp(struct stime x, struct stime y)
{
	if (x.sec != y.sec)
		return x.sec < y.sec ? -1 : 1;
	return (x.nsec > y.nsec) - (x.nsec < y.nsec);
}

/* y - x in ns, as a double (no overflow, whatever the years). */
static inline double stime_diff(struct stime x, struct stime y)
{
	return ((double)y.sec - (double)x.sec) * 1e9 + ((double)y.nsec - (double)x.nsec);
}

/* ns since the epoch as a time, and back (0 when has is false or the time
 * is past what 64 bits of ns hold: for drawing, not for sums). */
struct stime stime_of_ns(int64_t ns);
int64_t stime_ns(struct stime t, bool has);

struct strlist {
	char **v;
	size_t n;
};

struct country_row {
	char *country;		/* alpha-2, "local" or "unknown" */
	uint64_t packets, bytes, hosts;
};

struct domain_row {
	char *domain;
	struct strlist aliases;	/* (listed only when it has any) */
	uint64_t packets, bytes, hosts;
	struct strlist countries, os, apps;
	uint64_t *dists;
	size_t ndists;
};

struct host_row {
	uint8_t addr[16];
	size_t addrlen;		/* 0 when absent */
	char *country, *os, *os_class, *app;	/* NULL: absent */
	uint64_t dist;
	bool has_dist;
	char *link;
	uint64_t mtu;		/* 0: absent */
	char *lang;
	bool has_uptime;
	uint64_t uptime_min;
	bool nat;
	bool has_seen;		/* first_seen and last_seen */
	struct stime first_seen, last_seen;
	char *domain;
	uint64_t packets, bytes;
};

struct os_row {
	char *os, *class;
	uint64_t hosts, packets;
};

struct app_row {
	char *app;		/* "TLS", "other UDP" */
	uint64_t packets, bytes;
};

struct port_row {
	uint64_t port;
	char *protocol, *app;	/* "tcp"; the service, NULL for none */
	uint64_t packets, bytes;
};

struct loc_row {
	double lat, lon;
	bool has_lat, has_lon;
	char *city, *country;	/* NULL when absent */
	uint64_t packets, bytes, hosts;
};

struct org_row {
	uint64_t asn;
	char *org;		/* NULL when absent */
	uint64_t packets, bytes, hosts;
};

struct count_pair {
	char *key;
	uint64_t n;
};

/* An alert as its record has it (docs/stream.md "Alert records"): the
 * fields a reader shows, and the packed map, which a snapshot carries as
 * it is (raw, rawlen: the encoder writes them back). */
struct alert_row {
	char *alert, *reason, *country;
	uint8_t addr[16];
	size_t addrlen;
	int64_t start_ns, end_ns;	/* the window its counts are over */
	int64_t since_ns;	/* when it began, from its alert record; 0 */
	struct count_pair *counts;
	size_t ncounts;
	uint8_t *raw;
	size_t rawlen;
};

/* One country's own lists (country_detail), as the window's. */
struct country_detail {
	char *country;
	struct host_row *hosts;
	size_t nhosts;
	struct domain_row *domains;
	size_t ndomains;
	struct os_row *os;
	size_t nos;
	struct app_row *apps;
	size_t napps;
};

struct bandwidth {
	bool has_start;
	struct stime start;
	uint64_t bucket_ns;
	double *bps;
	size_t nbps;
	uint64_t *bytes;
	size_t nbytes;
	double avg_bps;
	bool has_avg;
};

struct snapshot {
	bool has_bounds;	/* window_start and window_end */
	struct stime start, end;
	char *window;		/* the window: a duration ("60s"), or */
	uint64_t window_packets;	/* a count of packets (window NULL) */
	bool final;		/* the snapshot at the end of the stream */
	bool incomplete;	/* its producer's input was cut short */
	bool epoch_end;		/* the last of an epoch (time stepped back) */
	uint64_t epoch;		/* 0: absent */
	bool has_complete;
	struct stime complete_from;
	uint64_t out_of_order, hosts_overflow;	/* 0: absent */
	uint64_t sensors;	/* --merge's: 0, absent */
	uint64_t packets, bytes;
	struct country_row *countries;
	size_t ncountries;
	struct domain_row *domains;
	size_t ndomains;
	struct os_row *os;
	size_t nos;
	struct host_row *hosts;
	size_t nhosts;
	struct country_detail *detail;
	size_t ndetail;
	struct app_row *apps;
	size_t napps;
	struct port_row *ports;
	size_t nports;
	struct loc_row *locs;
	size_t nlocs;
	struct org_row *orgs;
	size_t norgs;
	struct bandwidth bw;
	struct alert_row *alerts;
	size_t nalerts;
};

/*
 * Pack s as a snapshot record (its "type" first) at the end of b.
 */
void snapshot_put(struct mp_buf *b, const struct snapshot *s);
/* The window's bounds as ns since the epoch (stime_ns: 0 when absent). */
static inline int64_t snapshot_start_ns(const struct snapshot *s)
{
	return stime_ns(s->start, s->has_bounds);
}

static inline int64_t snapshot_end_ns(const struct snapshot *s)
{
	return stime_ns(s->end, s->has_bounds);
}
/* The window as a person reads it: "60s" or "20000 packets"; NULL when
 * the snapshot does not say. */
const char *snapshot_window(const struct snapshot *s, char buf[32]);

/*
 * Decode rec (a map whose "type" is "snapshot").  Returns 0, or -1 if the
 * bytes are not a well-formed map; *s then holds what came before the
 * damage (nothing, if rec is not a map at all).  Free *s either way.
 */
int snapshot_decode(const uint8_t *rec, size_t len, struct snapshot *s);
/* No packets and nothing counted: there is no picture to draw. */
bool snapshot_empty(const struct snapshot *s);
void snapshot_free(struct snapshot *s);
/*
 * The window's own lists (hosts, domains, os, apps) in a country's detail
 * layout, and the other way: --merge sums both alike, and a country's page
 * draws a snapshot whose lists are the country's.  Shallow: the rows are
 * shared, not copied (country unset).
 */
struct country_detail snapshot_lists(const struct snapshot *s);
void snapshot_set_lists(struct snapshot *s, const struct country_detail *d);
/* The country's detail, or NULL when the snapshot has none for it. */
const struct country_detail *snapshot_detail(const struct snapshot *s,
    const char *country);
/* An alert record (docs/stream.md "Alert records"), as an alert_row, with
 * its bytes (raw).  Returns 0, or -1 if the bytes are not a well-formed
 * map: *a then holds the fields before the damage, and no raw.  Free *a
 * either way. */
int alert_decode(const uint8_t *rec, size_t len, struct alert_row *a);
void alert_free(struct alert_row *a);

#endif
