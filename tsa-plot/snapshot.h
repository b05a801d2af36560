/*
 * A snapshot record (docs/stream.md "Snapshot records") decoded into plain
 * C values.  tsa-plot decodes one snapshot at a time, a few per minute, so
 * this is the one place where the tool builds a tree: every string is
 * copied, so the record's bytes may go away.  Missing or mistyped fields
 * are left empty (zero, NULL, no entries): a partial snapshot still draws.
 */
#ifndef TSA_PLOT_SNAPSHOT_H
#define TSA_PLOT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	struct strlist aliases, countries, os, apps;
	int64_t *dists;
	size_t ndists;
	uint64_t packets, bytes;
};

struct host_row {
	uint8_t addr[16];
	size_t addrlen;		/* 0 when absent */
	char *country, *os, *os_class, *app, *domain;	/* NULL: absent */
	char *link, *lang;
	uint64_t mtu;		/* 0: absent */
	int64_t dist;
	bool has_dist, has_uptime, nat;
	uint64_t uptime_min;
	int64_t first_ns, last_ns;	/* 0: absent */
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

struct alert_row {
	char *alert, *reason, *country;
	uint8_t addr[16];
	size_t addrlen;
	int64_t start_ns, end_ns;	/* the window its counts are over */
	int64_t since_ns;	/* when it began, from its alert record; 0 */
	struct count_pair *counts;
	size_t ncounts;
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
	int64_t start_ns;	/* since the epoch; 0 when absent */
	uint64_t bucket_ns;
	double *bps;
	size_t nbps;
	uint64_t *bytes;
	size_t nbytes;
	double avg_bps;
	bool has_avg;
};

struct snapshot {
	int64_t start_ns, end_ns;	/* window_start, window_end */
	char *window;		/* "60s", or "20000 packets" */
	bool final;		/* the snapshot at the end of the stream */
	bool incomplete;	/* its producer's input was cut short */
	uint64_t packets, bytes;
	struct country_row *countries;
	size_t ncountries;
	struct domain_row *domains;
	size_t ndomains;
	struct host_row *hosts;
	size_t nhosts;
	struct os_row *os;
	size_t nos;
	struct app_row *apps;
	size_t napps;
	struct port_row *ports;
	size_t nports;
	struct loc_row *locs;
	size_t nlocs;
	struct org_row *orgs;
	size_t norgs;
	struct alert_row *alerts;
	size_t nalerts;
	struct country_detail *detail;
	size_t ndetail;
	struct bandwidth bw;
};

/*
 * Decode rec (a map whose "type" is "snapshot").  Returns 0, or -1 if the
 * bytes are not a well-formed map; *s is then empty but still freeable.
 */
int snapshot_decode(const uint8_t *rec, size_t len, struct snapshot *s);
/* No packets and nothing counted: there is no picture to draw. */
bool snapshot_empty(const struct snapshot *s);
void snapshot_free(struct snapshot *s);
/* The country's detail, or NULL when the snapshot has none for it. */
const struct country_detail *snapshot_detail(const struct snapshot *s,
    const char *country);
/* An alert record (docs/stream.md "Alert records"), as an alert_row. */
int alert_decode(const uint8_t *rec, size_t len, struct alert_row *a);
void alert_free(struct alert_row *a);

#endif
