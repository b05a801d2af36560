/*
 * tsa-aggregate's state: a window of per-packet contributions over
 * fixed-capacity tables.  Every table is allocated once at start-up from
 * the settings, so memory depends on the window and the table sizes, never
 * on the length of the capture.
 */
#ifndef AGG_H
#define AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsa.h"

#define NS 1000000000LL

/*
 * One packet record, as far as the aggregator needs it (record.c).  The
 * fields before `ts` are cleared for each record, the rest up to `qnames`
 * set; the mp_obj fields are valid only when their has_ flag is set.
 */
struct pkt {
	uint32_t len;
	uint16_t dport;
	uint8_t dns;			/* 0, DNS_QUERY, DNS_RESPONSE */
	bool has_dst_port;
	bool has_qnames, has_ips, has_cnames, has_sni, has_http_host;
	int64_t ts;			/* ns since the epoch */
	const uint8_t *src, *dst;	/* 4 or 16 bytes */
	uint8_t slen, dlen;
	int tcp_flags;			/* -1: not TCP */
	const uint8_t *end;		/* bounds the walks of the arrays */
	/* tsa-geo and tsa-p0f keys, per endpoint (0 src, 1 dst) */
	const uint8_t *country[2];	/* 2 bytes or NULL */
	int dist[2];			/* -1 unknown */
	/* strings, or NULL; valid until the next record_read */
	const struct mp_obj *os[2], *os_class[2], *app[2];
	/* containers: o.ptr is the first element */
	struct mp_obj qnames, ips, cnames, sni, http_host;
};
#define DNS_QUERY 1
#define DNS_RESPONSE 2

enum rec_kind { REC_PACKET, REC_OTHER, REC_BAD };
/* tsa_read, and what the record is: a packet (then in p), another kind, bad. */
void record_init(void);	/* once, before the first record_read */
int record_read(struct tsa_reader *r, const uint8_t **rec, size_t *len,
    struct pkt *p, enum rec_kind *kind);

/* ---- labels.c: interned short strings (OS labels, classes, apps) ---- */
#define LABEL_NONE 0
#define LABEL_MAX 96		/* longer labels are cut */
struct labels {
	uint32_t cap, mask, count;
	uint16_t *slots;	/* hash slots: id or 0 */
	char (*str)[LABEL_MAX + 1];
	uint8_t *len;
};
struct labels *labels_new(uint32_t cap);
/* Id of s (interning it); LABEL_NONE when the table is full or s empty. */
uint16_t labels_id(struct labels *l, const uint8_t *s, size_t n);
const char *labels_str(const struct labels *l, uint16_t id, size_t *n);
uint32_t labels_count(const struct labels *l);	/* ids 1 .. count */
/*
 * n bytes at x and y equal?  Labels are short: a word compare or two does
 * what a call to memcmp would (overlapping the last word rather than
 * looping over a tail).
 */
static inline bool bytes_eq(const void *x, const void *y, size_t n)
{
	const uint8_t *a = x, *b = y;
	uint64_t u0, v0, u1, v1;
	uint32_t s0, t0, s1, t1;
	size_t i;

	if (n >= 8) {
		for (i = 8; i + 8 < n; i += 8) {	/* the middle words, past 16 */
			memcpy(&u0, a + i, 8);
			memcpy(&v0, b + i, 8);
			if (u0 != v0)
				return false;
		}
		memcpy(&u0, a, 8);
		memcpy(&v0, b, 8);
		memcpy(&u1, a + n - 8, 8);
		memcpy(&v1, b + n - 8, 8);
		return ((u0 ^ v0) | (u1 ^ v1)) == 0;
	}
	if (n >= 4) {
		memcpy(&s0, a, 4);
		memcpy(&t0, b, 4);
		memcpy(&s1, a + n - 4, 4);
		memcpy(&t1, b + n - 4, 4);
		return ((s0 ^ t0) | (s1 ^ t1)) == 0;
	}
	/* 0 to 3 bytes: the first, middle and last cover them */
	return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

/*
 * The id for the string o when a host's current label is cur: a host's
 * label rarely changes, so the comparison with cur is inline and the table
 * is the fallback.
 */
static inline uint16_t labels_keep(struct labels *l, uint16_t cur,
    const struct mp_obj *o)
{
	if (cur != LABEL_NONE && l->len[cur] == o->len &&
	    bytes_eq(l->str[cur], o->ptr, o->len))
		return cur;
	return labels_id(l, o->ptr, o->len);
}

/* ---- countries: ISO codes A-Z A-Z, then "local" and "unknown" ---- */
#define C_LOCAL (26 * 26)
#define C_UNKNOWN (26 * 26 + 1)
#define NCOUNTRY (26 * 26 + 2)
struct country {
	uint64_t packets, bytes;
	uint32_t hosts;
};
uint16_t country_index(const uint8_t *cc);	/* NULL: C_UNKNOWN */
/* Name of an index into out[3]; "local" and "unknown" are returned as such. */
const char *country_name(uint16_t i, char out[3]);

/* ---- hosts.c: addresses of the window, keyed by address ---- */
struct host {
	uint8_t addr[16];
	uint8_t alen;			/* 0: free, or the overflow host */
	uint8_t alerts;			/* active alert bits (alerts.c) */
	uint8_t dist;			/* 0xff unknown */
	uint8_t localnet;		/* in the local networks */
	uint32_t hash;
	uint32_t live_pos;		/* index in hosts.live */
	uint16_t country;		/* country index, fixed at creation */
	uint16_t os, os_class, app;	/* label ids */
	uint32_t packets;		/* window packets to or from it */
	uint32_t rpackets;		/* of which it was a remote endpoint */
	uint32_t lpackets;		/* of which all endpoints were local */
	uint32_t syn, synack, ack;	/* TCP packets it sent */
	uint32_t synack_in;		/* SYN-ACKs it received (answers) */
	uint32_t dnsq, dnsr_in;		/* DNS queries sent, responses received */
	uint32_t targets;		/* distinct (host, port) it sent SYNs to */
	uint64_t bytes;
};
/*
 * Entries stay where they are (the window refers to them by slot); a hash
 * index over them is what moves.  Slot 0 is the overflow host: addresses
 * that find the table full are counted there.
 */
struct hosts {
	struct host *h;
	uint32_t cap;			/* entries, slot 0 included */
	uint32_t *index, mask;		/* slot numbers; 0 empty */
	uint32_t maxmask;		/* the index grows up to this */
	uint32_t *free, nfree;
	uint32_t *live, nlive;		/* slots in use, for snapshots */
	uint32_t recent[2];		/* slots looked up last (0: none) */
	uint64_t overflow;		/* endpoints counted in slot 0 */
};
void hosts_init(struct hosts *t, uint32_t entries);

/* An address as two words, zero-padded: entries keep theirs padded too. */
static inline void addr_words(const uint8_t *a, uint8_t alen, uint64_t *x,
    uint64_t *y)
{
	*y = 0;
	if (alen == 4) {
		uint32_t w;

		memcpy(&w, a, 4);
		*x = w;
	} else {
		memcpy(x, a, 8);
		memcpy(y, a + 8, 8);
	}
}

static inline bool host_is(const struct host *e, uint64_t x, uint64_t y,
    uint8_t alen)
{
	uint64_t ex, ey;

	memcpy(&ex, e->addr, 8);
	memcpy(&ey, e->addr + 8, 8);
	return ((ex ^ x) | (ey ^ y)) == 0 && e->alen == alen;
}

static inline uint32_t addr_hash(uint64_t x, uint64_t y, uint8_t alen)
{
	x ^= y * 0x9e3779b97f4a7c15ULL;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 29;
	return (uint32_t)x ^ alen;
}

/* A new entry for an address of hash h, at free index position i. */
uint32_t hosts_add(struct hosts *t, const uint8_t *a, uint8_t alen,
    uint32_t h, uint32_t i);

/*
 * Slot of addr, created if absent (0 when full).  Inline, per endpoint of
 * every packet.  The two hosts looked up last first: the packets of a
 * conversation come in runs, and a hit here saves hashing and the index
 * probe, the likeliest cache miss.  An entry that was dropped has alen 0,
 * one reused holds another address: the comparison sees both.
 */
static inline uint32_t hosts_get(struct hosts *t, const uint8_t *a, uint8_t alen)
{
	uint64_t x, y;
	uint32_t s, h, i;
	const struct host *e;

	addr_words(a, alen, &x, &y);
	if (host_is(&t->h[s = t->recent[0]], x, y, alen))
		return s;
	if (host_is(&t->h[s = t->recent[1]], x, y, alen))
		goto found;
	h = addr_hash(x, y, alen);
	for (i = h & t->mask; (s = t->index[i]) != 0; i = (i + 1) & t->mask) {
		e = &t->h[s];
		if (e->hash == h && host_is(e, x, y, alen))
			goto found;
	}
	return hosts_add(t, a, alen, h, i);
found:
	t->recent[1] = t->recent[0];
	t->recent[0] = s;
	return s;
}

/* Drop a host whose packets fell to zero. */
void hosts_del(struct hosts *t, uint32_t slot);

/* (source, destination, port) triples a source sent SYNs to, counted. */
struct pair {
	uint32_t src, dst;		/* host slots + 1; 0: free */
	uint16_t port;
	uint16_t pad;
	uint32_t refs;
};
struct pairs {
	struct pair *p;
	uint32_t cap, mask, used, limit;
	uint32_t maxmask;		/* the table grows up to this */
	uint64_t overflow;
};
void pairs_init(struct pairs *t, uint32_t entries);
/* Count one more SYN for the triple; true if it is new. */
bool pairs_add(struct pairs *t, uint32_t src, uint32_t dst, uint16_t port, bool *stored);
/* One less; true if the triple is gone. */
bool pairs_sub(struct pairs *t, uint32_t src, uint32_t dst, uint16_t port);

/* ---- local.c: which side of a packet is local ---- */
struct local {
	struct tsa_cidr *nets;
	size_t nnets;
	bool configured;		/* LocalNetworks given: no guessing */
	uint32_t guess;			/* host slot + 1 of the capturing host */
	uint32_t leader;		/* host slot + 1 with the most packets */
};
void local_init(struct local *l, const char *spec);
/* In the local networks (the capturing host aside)?  Once per new host. */
bool local_net(const struct local *l, const uint8_t *a, uint8_t alen);
static inline bool local_is(const struct local *l, const struct host *h,
    uint32_t slot)
{
	return h->localnet || (l->guess && l->guess == slot + 1);
}

/*
 * The original took an address that appears in every packet.  In a sliding
 * window: the host with the most packets (tracked as packets arrive), once
 * it is in at least 90% of at least GUESS_MIN packets.  It stays the guess
 * until it leaves the window, or another host leads and it is in at most
 * half of the packets.  Re-guessed after every packet (window of n
 * packets), so inline: mostly the leader leads and is the guess, or is far
 * from 90%.
 */
#define GUESS_MIN 50
static inline void local_guess(struct local *l, const struct hosts *t,
    uint32_t slot, uint32_t n)
{
	/* (a host that leaves the window stops being the leader or the guess) */
	if (l->configured || slot == 0)
		return;
	if (!l->leader || t->h[slot].packets > t->h[l->leader - 1].packets)
		l->leader = slot + 1;
	if (l->guess == l->leader)
		return;
	if (l->guess && (uint64_t)t->h[l->guess - 1].packets * 2 <= n)
		l->guess = 0;
	if (n >= GUESS_MIN &&
	    (uint64_t)t->h[l->leader - 1].packets * 10 >= (uint64_t)n * 9)
		l->guess = l->leader;
}

/* ---- domains.c: addresses to registrable domains ---- */
struct domains;
struct domains *domains_new(uint32_t cache_entries);
void domains_learn(struct domains *d, const struct pkt *p);
/* Domain id of an address, 0 if none. */
uint32_t domains_of(struct domains *d, const uint8_t *a, uint8_t alen);
uint32_t domains_root(struct domains *d, uint32_t id);
uint32_t domains_next(const struct domains *d, uint32_t id);	/* alias cycle */
const char *domains_name(const struct domains *d, uint32_t id, size_t *n);
uint32_t domains_cap(const struct domains *d);	/* ids are below this */

/* ---- the aggregator ---- */

/* What one packet added, so that eviction takes exactly that away. */
struct contrib {
	int64_t ts;
	uint32_t len;
	uint32_t src, dst;		/* host slots, UINT32_MAX: none */
	uint16_t flags;
	uint16_t dport;
};
#define CF_SRC_REMOTE	0x0001
#define CF_DST_REMOTE	0x0002
#define CF_ALL_LOCAL	0x0004
#define CF_SAME_COUNTRY	0x0008	/* both remote, one country: counted once */
#define CF_SYN		0x0010
#define CF_SYNACK	0x0020
#define CF_ACK		0x0040
#define CF_DNSQ		0x0080
#define CF_DNSR		0x0100
#define CF_PAIR		0x0200	/* SYN counted in the pair table */

struct thresholds {
	uint64_t syn, synack, dns, scan;
	double syn_ratio, synack_ratio, dns_ratio, scan_unanswered;
};

struct agg {
	/* settings */
	int64_t window_ns;		/* time window, or 0 */
	uint32_t window_count;		/* count window, or 0 */
	int64_t every_ns;
	uint32_t buckets, top_hosts, top_domains;
	struct thresholds th;
	char window_text[32];

	/* the window: a ring of contributions, grown up to ring_max */
	struct contrib *ring;
	uint32_t ring_cap, ring_max, head, n;	/* oldest at head */
	uint64_t evicted_early;		/* time window cut short by ring_max */

	uint64_t packets, bytes;	/* window totals */
	struct country countries[NCOUNTRY];
	struct hosts hosts;
	struct pairs pairs;
	struct labels *labels;
	struct domains *domains;
	struct local local;

	/* stream time */
	bool started;
	int64_t last_ts, next_snap;
	uint64_t clamped, epochs;

	/* output */
	struct tsa_writer *w;
	uint64_t snapshots, alerts_raised;
	void *scratch;			/* snapshot.c's work space */
};

/* The ring slot of the window's i-th packet (0 the oldest), i < ring_cap. */
static inline uint32_t ring_pos(const struct agg *a, uint32_t i)
{
	uint32_t k = a->head + i;

	return k >= a->ring_cap ? k - a->ring_cap : k;
}

void agg_init(struct agg *a);
/*
 * Add one packet, its time already made monotonic: the window's times do
 * not decrease from head to tail, which snapshots rely on.
 */
void agg_add(struct agg *a, const struct pkt *p);
/* Take the oldest contribution out of the window. */
void agg_evict_one(struct agg *a);
/* Drop contributions older than t (time window); per packet, so inline. */
static inline void agg_evict_before(struct agg *a, int64_t t)
{
	while (a->n > 0 && a->ring[a->head].ts < t)
		agg_evict_one(a);
}
void agg_evict_all(struct agg *a);
int64_t agg_window_start(const struct agg *a, int64_t end);

/* alerts.c */
#define AL_SYN_FLOOD	0x01
#define AL_SYNACK_FLOOD	0x02
#define AL_DNS_REFL	0x04
#define AL_SCAN		0x08
#define AL_ALL		0x0f
uint8_t alerts_holding(const struct agg *a, const struct host *h);
/* After a packet: raise alerts that start now on its endpoints. */
void alerts_check(struct agg *a, uint32_t slot, int64_t now);
/* Pack the alert map (without a "type" key if !record). */
void alerts_put(struct mp_buf *b, const struct host *h,
    uint8_t bit, int64_t start, int64_t end, bool record);
int alerts_count(uint8_t bits);

/* snapshot.c */
void snapshot_emit(struct agg *a, int64_t end, bool final);

/* merge.c */
int merge_main(int nin, char **inputs, int argc, char **argv,
    const char *out, uint32_t top_hosts, uint32_t top_domains);

/* Put a time in ns as a msgpack timestamp. */
static inline void put_ns(struct mp_buf *b, int64_t ns)
{
	int64_t s = ns / NS, r = ns % NS;

	if (r < 0) {
		s--;
		r += NS;
	}
	mp_put_time(b, s, (uint32_t)r);
}

#endif
