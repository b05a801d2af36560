/*
 * tsa-aggregate's state: a window of packets over fixed-capacity tables.
 * A sliding window keeps what each packet added in a ring, so that it can
 * be taken away again; the whole-stream window never takes anything away
 * and keeps no ring.  Every table is allocated once from the settings, so
 * memory depends on the window and the table sizes, never on the length of
 * the capture.
 */
#ifndef AGG_H
#define AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsa.h"

#define NS 1000000000LL

/* REC_HOST: a host record (tsa-p0f), REC_OTHER: any other with a type. */
enum rec_kind { REC_PACKET, REC_HOST, REC_OTHER, REC_BAD };

/* tsa-geo's and tsa-p0f's keys of an endpoint (src_country, src_os, ...). */
enum { EK_COUNTRY, EK_OS, EK_OS_CLASS, EK_APP, EK_DIST, EK_LINK, EK_LANG,
	EK_UPTIME, EK_NAT, EK_LAT, EK_LON, EK_CITY, EK_ASN, EK_ORG, NEK };
/* The keys of a host record that tsa-aggregate reads (facts.c). */
enum { HK_APP, HK_DIST, NHK };

/*
 * A record as read (record.c): where it is, what it is, and of a packet
 * what the aggregator needs.  Of a packet the fields before `ts` are
 * cleared, the others set; the mp_obj fields are valid only when their
 * has_ flag is set.
 */
struct pkt {
	uint32_t len;
	uint16_t dport, sport;
	uint8_t proto;			/* PROTO_ (apps.c) */
	uint8_t app_type;		/* APPTYPE_: application_type */
	bool has_src_port;
	uint8_t dns;			/* 0, DNS_QUERY, DNS_RESPONSE */
	bool has_dst_port;
	bool has_qnames, has_ips, has_cnames, has_sni, has_http_host;
	bool late;			/* after a packet with a later time (main.c) */
	int64_t ts;			/* ns since the epoch */
	const uint8_t *src, *dst;	/* 4 or 16 bytes */
	uint8_t slen, dlen;
	int tcp_flags;			/* -1: not TCP */
	enum rec_kind kind;
	const uint8_t *rec, *end;	/* end also bounds the walks of the arrays */
	/*
	 * The endpoint keys, undecoded: the src_ ones, then the dst_ ones
	 * (ev[side * NEK + k]), each valid if its bit is set in ek.  Read
	 * through pkt_key where needed: a country only for a host new to the
	 * window, the labels to compare with its own.  Valid until the next
	 * record_read.  Of a host record (REC_HOST): its address in src and
	 * slen, its HK_ keys in ev and ek.
	 */
	const struct mp_obj *ev;
	uint32_t ek;
	/* containers: o.ptr is the first element */
	struct mp_obj qnames, ips, cnames, sni, http_host;
};
#define DNS_QUERY 1
#define DNS_RESPONSE 2

/* tsa_read, into p: the record, and what it is, a packet, another kind, bad. */
void record_init(void);	/* once, before the first record_read */
int record_read(struct tsa_reader *r, struct pkt *p);
/* Endpoint key k of side (0 src, 1 dst), if the record has it as a t; else NULL. */
static inline const struct mp_obj *pkt_key(const struct pkt *p, int side, int k,
    enum mp_type t)
{
	int i = side * NEK + k;

	return (p->ek >> i & 1) && p->ev[i].type == t ? &p->ev[i] : NULL;
}

/* ---- labels.c: interned short strings (OS labels, classes, apps) ---- */
#define LABEL_NONE 0
#define LABEL_MAX 96		/* longer labels are cut */
/* A label and its length in one row of a power of two: one load finds both. */
struct label {
	uint8_t len;
	char str[127];		/* up to LABEL_MAX bytes */
};
struct labels {
	uint32_t cap, mask, count;
	uint16_t *slots;	/* hash slots: id or 0 */
	struct label *row;	/* by id */
};
void labels_init(struct labels *l, uint32_t cap);
/* Id of s (interning it); LABEL_NONE when the table is full or s empty. */
uint16_t labels_id(struct labels *l, const uint8_t *s, size_t n);
const char *labels_str(const struct labels *l, uint16_t id, size_t *n);
/*
 * n bytes at x and y equal?  Labels are short: a word compare or two does
 * what a call to memcmp would (overlapping the last word rather than
 * looping over a tail).
 */
static inline bool bytes_eq(const void *x, const void *y, size_t n)
{
	const uint8_t *a = x, *b = y;
	uint64_t u0, v0, u1, v1, d;
	uint32_t s0, t0, s1, t1;
	size_t i;

	/* (the differences or'ed, to be tested once) */
	if (n >= 8) {
		memcpy(&u0, a, 8);
		memcpy(&v0, b, 8);
		memcpy(&u1, a + n - 8, 8);
		memcpy(&v1, b + n - 8, 8);
		d = (u0 ^ v0) | (u1 ^ v1);
		for (i = 8; d == 0 && i + 8 < n; i += 8) {	/* the middle words */
			memcpy(&u0, a + i, 8);
			memcpy(&v0, b + i, 8);
			d = u0 ^ v0;
		}
	} else if (n >= 4) {
		memcpy(&s0, a, 4);
		memcpy(&t0, b, 4);
		memcpy(&s1, a + n - 4, 4);
		memcpy(&t1, b + n - 4, 4);
		d = (s0 ^ t0) | (s1 ^ t1);
	} else if (n > 0) {
		/* 1 to 3 bytes: the first, middle and last cover them */
		d = (a[0] ^ b[0]) | (a[n / 2] ^ b[n / 2]) | (a[n - 1] ^ b[n - 1]);
	} else {
		d = 0;
	}
	return d == 0;
}

/*
 * Make *cur the id of the string o, a host's label: it rarely changes, so
 * the comparison with the current one is inline and the table the
 * fallback.  (LABEL_NONE has length 0: it matches only an empty string,
 * whose id is LABEL_NONE too.)
 */
static inline void labels_keep(struct labels *l, uint16_t *cur,
    const struct mp_obj *o)
{
	const struct label *r = &l->row[*cur];

	if (r->len != o->len || !bytes_eq(r->str, o->ptr, o->len))
		*cur = labels_id(l, o->ptr, o->len);
}

/* ---- apps.c: applications and server ports ---- */
enum { PROTO_NONE, PROTO_TCP, PROTO_UDP, PROTO_ICMP };	/* 2 bits */
enum { APPTYPE_NONE, APPTYPE_DNS, APPTYPE_HTTP, APPTYPE_TLS };	/* 2 bits */
enum {
	APP_NONE = 0,	/* (app_of_port: no service) */
	APP_OTHER_TCP = 0, APP_OTHER_UDP, APP_ICMP, APP_OTHER_IP, APP_DNS,
	APP_MDNS, APP_LLMNR, APP_HTTP, APP_TLS, APP_QUIC, APP_NTP, APP_DHCP,
	APP_SSDP, APP_NETBIOS, APP_SSH, APP_SMTP, APP_POP3, APP_IMAP, APP_SMB,
	APP_RDP, APP_FTP, APP_TELNET, APP_SNMP, APP_IPSEC, APP_OPENVPN,
	APP_WIREGUARD, APP_STUN, APP_DOT, APP_SIP, APP_SYSLOG, APP_LDAP,
	APP_KERBEROS, APP_MQTT, APP_BGP, NAPPS
};
#define TOP_PORTS 20		/* server ports listed in a snapshot */
extern const char *const app_names[NAPPS];
/* The service a port names, APP_NONE (== APP_OTHER_TCP) for none. */
uint8_t app_of_port(unsigned proto, unsigned port);
/* The packet's server port (0 without ports). */
unsigned app_server_port(const struct pkt *p, unsigned proto);
/* The application of a packet's transport, server port, application_type. */
uint8_t app_of(unsigned proto, unsigned port, unsigned app_type);
struct svc_count {
	uint64_t packets, bytes;
};

/* ---- countries: ISO codes A-Z A-Z, then "local" and "unknown" ---- */
#define C_LOCAL (26 * 26)
#define C_UNKNOWN (26 * 26 + 1)
#define NCOUNTRY (26 * 26 + 2)
struct country {
	uint64_t packets, bytes;
	uint32_t hosts;
};
uint16_t country_index(const uint8_t *cc);	/* not A-Z A-Z: C_UNKNOWN */
/* Name of an index into out[3]; "local" and "unknown" are returned as such. */
const char *country_name(uint16_t i, char out[3]);

/* ---- hosts.c: addresses of the window, keyed by address ---- */
/*
 * The counters are 64-bit: a whole-stream window never takes a packet away,
 * and the capturing host of a day-long capture on a busy link takes part in
 * more than 2^32 packets.
 */
struct host {
	uint8_t addr[16];
	uint8_t alen;			/* 0: free, or an overflow slot */
	uint8_t alerts;			/* active alert bits (alerts.c) */
	uint8_t dist;			/* 0xff unknown */
	uint8_t localnet;		/* in the local networks */
	uint32_t hash;
	uint32_t live_pos;		/* index in hosts.live */
	uint16_t country;		/* country index, fixed at creation */
	uint16_t os, os_class, app;	/* label ids */
	uint16_t link, lang;		/* label ids: p0f's link type, HTTP language */
	uint8_t facts;			/* HF_ */
	uint16_t mtu;			/* its link's MTU from its SYNs; 0 unknown */
	uint32_t uptime_min;		/* with HF_UPTIME: as last reported */
	float lat, lon;			/* with HF_LOC: tsa-geo's, fixed at creation */
	uint16_t city;			/* label id */
	uint16_t org;			/* label id: its AS's organisation */
	uint32_t asn;			/* 0: unknown */
	int64_t first_ts, last_ts;	/* its first packet since it last had none
					   in the window, its latest */
	uint32_t targets;		/* distinct (host, port) it sent SYNs to */
	uint64_t packets;		/* window packets to or from it */
	uint64_t rpackets;		/* of which it was a remote endpoint */
	uint64_t lpackets;		/* of which all endpoints were local */
	uint64_t syn, synack, ack;	/* TCP packets it sent */
	uint64_t synack_in;		/* SYN-ACKs it received (answers) */
	uint64_t dnsq, dnsr_in;		/* DNS queries sent, responses received */
	uint64_t bytes;
	uint64_t facts_seen;		/* host records as of this serial (facts.c) */
};
#define HF_UPTIME	0x01
#define HF_NAT		0x02	/* tsa-p0f saw several systems behind it */
#define HF_LOC		0x04	/* lat and lon known (a City database) */
#define TOP_LOCATIONS 100	/* locations listed in a snapshot */
#define TOP_ORGS 20		/* autonomous systems listed in a snapshot */
/*
 * Slots 0 and 1 are the overflow slots: a source, and a destination, that
 * find the table full are counted there.  Two, so that a packet between
 * two such addresses still has two endpoints.
 */
#define OVF_SRC 0
#define OVF_DST 1
#define HOST_FIRST 2		/* the first slot of an address */
#define FLOW_BITS 12		/* flow cache: 4096 pairs, 32 KB (hosts_pair) */
/*
 * Entries stay where they are (the window refers to them by slot); a hash
 * index over them is what moves.
 */
struct hosts {
	struct host *h;
	uint32_t cap;			/* entries, the overflow slots included */
	uint32_t *index, mask;		/* slot numbers; 0 empty */
	uint32_t maxmask;		/* the index grows up to this */
	uint32_t *free, nfree;
	uint32_t *live, nlive;		/* slots in use, for snapshots */
	uint32_t (*flow)[2];		/* flow cache: endpoint slots by flow_hash */
	uint64_t overflow;		/* endpoints counted in an overflow slot */
};
void hosts_init(struct hosts *t, uint32_t entries);

static inline bool host_is(const struct host *e, uint64_t x, uint64_t y,
    uint8_t alen)
{
	uint64_t ex, ey;

	memcpy(&ex, e->addr, 8);
	memcpy(&ey, e->addr + 8, 8);
	return ((ex ^ x) | (ey ^ y)) == 0 && e->alen == alen;
}

/* A new entry for an address of hash h, at free index position i; ovf when full. */
uint32_t hosts_add(struct hosts *t, const uint8_t *a, uint8_t alen,
    uint32_t h, uint32_t i, uint32_t ovf);

/* Slot of addr (as words x, y), created if absent (the overflow slot ovf when full). */
static inline uint32_t hosts_get(struct hosts *t, const uint8_t *a, uint8_t alen,
    uint64_t x, uint64_t y, uint32_t ovf)
{
	uint32_t s, h = tsa_addr_hash(x, y, alen), i;
	const struct host *e;

	for (i = h & t->mask; (s = t->index[i]) != 0; i = (i + 1) & t->mask) {
		e = &t->h[s];
		if (e->hash == h && host_is(e, x, y, alen))
			return s;
	}
	return hosts_add(t, a, alen, h, i, ovf);
}

/*
 * A pair of addresses' place in the flow cache, the same either way round.
 * Not keyed: the cache is direct-mapped, so colliding pairs only miss it,
 * and a miss costs one keyed lookup of each address (hosts_get).
 */
static inline uint32_t flow_hash(uint64_t sx, uint64_t sy, uint64_t dx,
    uint64_t dy)
{
	uint64_t x = ((sx ^ dx) * 0x9e3779b97f4a7c15ULL ^ (sy ^ dy)) *
	    0xbf58476d1ce4e5b9ULL;

	return (uint32_t)(x >> (64 - FLOW_BITS));
}

/*
 * Slots of a packet's source and destination, created if absent.  Inline,
 * per packet.  The flow cache first, either way round: a window's packets
 * are those of a few thousand conversations, and a hit saves hashing and
 * probing the index (the likeliest cache miss) for both endpoints.  An
 * entry that was dropped has alen 0, one reused holds another address,
 * an overflow slot no address: the comparison sees all three.
 */
static inline __attribute__((always_inline)) void hosts_pair(struct hosts *t,
    const struct pkt *p, uint32_t *src, uint32_t *dst)
{
	uint64_t sx, sy, dx, dy;
	uint32_t *f, s, d;

	tsa_addr_words(p->src, p->slen, &sx, &sy);
	tsa_addr_words(p->dst, p->dlen, &dx, &dy);
	f = t->flow[flow_hash(sx, sy, dx, dy)];
	s = f[0];
	d = f[1];
	if (host_is(&t->h[s], sx, sy, p->slen) && host_is(&t->h[d], dx, dy, p->dlen)) {
		*src = s;
		*dst = d;
	} else if (host_is(&t->h[d], sx, sy, p->slen) &&
	    host_is(&t->h[s], dx, dy, p->dlen)) {
		*src = d;
		*dst = s;
	} else {
		*src = f[0] = hosts_get(t, p->src, p->slen, sx, sy, OVF_SRC);
		*dst = f[1] = hosts_get(t, p->dst, p->dlen, dx, dy, OVF_DST);
	}
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
/* Is spec a list of addresses and CIDR blocks?  For the option table. */
bool local_check(const char *spec, const char **dest, char *why, size_t n);
/* In the local networks (the capturing host aside)?  Once per new host. */
bool local_net(const struct local *l, const uint8_t *a, uint8_t alen);
static inline bool local_is(const struct local *l, const struct host *h,
    uint32_t slot)
{
	return h->localnet || l->guess == slot + 1;	/* (guess 0: none) */
}

/*
 * The original took an address that appears in every packet.  Over the
 * window: the host with the most packets (tracked as packets arrive), once
 * it is in at least 90% of at least GUESS_MIN packets.  It stays the guess
 * until it leaves the window, or another host leads and it is in at most
 * half of the packets.  Re-guessed after every packet (window of n
 * packets), for its source, then its destination.
 */
#define GUESS_MIN 50

/* Re-guess, the leader settled (lp: its packets). */
static inline void local_reguess(struct local *l, const struct hosts *t,
    uint64_t lp, uint64_t n)
{
	if (l->guess == l->leader)
		return;
	if (l->guess && t->h[l->guess - 1].packets * 2 <= n)
		l->guess = 0;
	if (n >= GUESS_MIN && lp * 10 >= n * 9)
		l->guess = l->leader;
}

/* The turns of a packet's endpoints when one of them may take the lead. */
void local_lead(struct local *l, const struct hosts *t, uint32_t src,
    uint32_t dst, uint64_t n);

/*
 * Per packet, so inline: mostly neither endpoint takes the lead, and then
 * the destination's turn re-guesses as the source's did, changing nothing
 * more.  (A host that leaves the window stops being the leader or the
 * guess; the overflow slots take no turn.)
 */
static inline void local_guess(struct local *l, const struct hosts *t,
    uint32_t src, uint32_t dst, uint64_t n)
{
	uint64_t lp;
	bool s = src >= HOST_FIRST, d = dst >= HOST_FIRST;

	if (l->configured)
		return;
	lp = l->leader ? t->h[l->leader - 1].packets : 0;
	if ((s && t->h[src].packets > lp) || (d && t->h[dst].packets > lp))
		local_lead(l, t, src, dst, n);
	else if (s || d)
		local_reguess(l, t, lp, n);
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

/* ---- fine.c: the bandwidth of the whole-stream window ---- */
/*
 * The bytes of a span of unknown length in a fixed array of FINE buckets
 * of 2^shift ns from t0.  A packet beyond the last bucket makes pairs merge
 * and the width double; one before t0 shifts them.  A snapshot cuts them
 * into its buckets, whole fine buckets each, so that every bucket's bytes
 * are exact for its bounds and the buckets add up to the total.
 */
struct fine {
	int64_t t0;			/* start of fine bucket 0 */
	unsigned shift;			/* width 2^shift ns */
	uint32_t k;			/* buckets, a power of two */
	uint64_t *bytes;
};
/* Enough fine buckets for a snapshot of `buckets` to be cut from them finely. */
void fine_init(struct fine *f, uint32_t buckets);
void fine_start(struct fine *f, int64_t t);	/* at the first packet */
/* Make room for time t (last: the latest time added so far). */
void fine_fit(struct fine *f, int64_t t, int64_t last);
static inline void fine_add(struct fine *f, int64_t t, int64_t last, uint32_t len)
{
	/* (before t0, the difference wraps to a huge index) */
	uint64_t i = ((uint64_t)t - (uint64_t)f->t0) >> f->shift;

	if (i >= f->k) {
		fine_fit(f, t, last);
		i = ((uint64_t)t - (uint64_t)f->t0) >> f->shift;
	}
	f->bytes[i] += len;
}
/* Cut [t0, end] into n buckets: their width, and their bytes into out[n]. */
uint64_t fine_cut(const struct fine *f, int64_t end, uint32_t n, uint64_t *out);

/* ---- the aggregator ---- */

/* What one packet added, so that eviction takes exactly that away. */
struct contrib {
	int64_t ts;
	uint64_t cum;			/* agg.cum with this packet's bytes */
	uint32_t len;
	uint32_t src, dst;		/* host slots */
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
#define CF_LATE		0x0400	/* came after a packet with a later time */
#define CF_PROTO_SHIFT	11	/* 2 bits: PROTO_ */
#define CF_APPTYPE_SHIFT 13	/* 2 bits: APPTYPE_ */

struct thresholds {
	uint64_t syn, synack, dns, scan;
	double syn_ratio, synack_ratio, dns_ratio, scan_unanswered;
};

/*
 * The window: the whole stream (from its first packet, nothing ever
 * leaves), a time (the packets of the last window_ns), or a count (the last
 * window_count packets).  The last two are sliding windows.
 */
enum window_kind { WIN_ALL, WIN_TIME, WIN_COUNT };

struct agg {
	/* settings */
	enum window_kind kind;
	int64_t window_ns;		/* WIN_TIME */
	uint32_t window_count;		/* WIN_COUNT */
	int64_t every_ns;
	uint32_t buckets, top_hosts, top_domains;
	uint32_t detail_countries, detail_top;	/* country_detail's bounds */
	struct thresholds th;
	char window_text[32];		/* the "window" of the snapshots */

	/* a sliding window: a ring of contributions, grown up to ring_max */
	struct contrib *ring;
	uint32_t ring_cap, ring_max, head, n;	/* oldest at head */
	uint64_t cum;			/* bytes of all packets added so far */
	uint64_t evicted_early;		/* time window cut short by ring_max */
	int64_t cut_ts;			/* the latest time that left early */
	bool cut;			/* (cut_ts is set) */

	/* the whole-stream window: its totals, and bandwidth (sliding: from the ring) */
	uint64_t packets, bytes;
	struct fine fine;

	uint64_t late;			/* window packets with CF_LATE */
	struct country countries[NCOUNTRY];
	struct svc_count apps[NAPPS];
	struct svc_count *ports;	/* [(proto - 1) << 16 | port], TCP and UDP */
	/* [country * NAPPS + app]: the applications of the packets with a
	   remote endpoint in the country, for its page (country_detail) */
	struct svc_count *capps;
	struct hosts hosts;
	/*
	 * The latest host record of each address, and its serial
	 * (tsa_hostfacts_serial), which a host's facts are compared with.
	 */
	struct tsa_hostfacts *facts;
	uint64_t facts_serial;
	struct pairs pairs;
	struct labels labels;
	struct domains *domains;
	struct local local;

	/* stream time */
	bool started;
	int64_t first_ts;		/* the whole stream's earliest time */
	int64_t last_ts, next_snap;	/* last_ts: the latest time */
	uint64_t steps_back, epochs;
	/* the last stats record's time: an empty stream's window */
	bool have_stats_time;
	int64_t stats_sec;
	uint32_t stats_nsec;

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

/* The first packet of the stream, or of an epoch. */
void agg_start(struct agg *a, int64_t ts);
/*
 * Add one packet to a sliding window, its time already made monotonic: the
 * ring's times do not decrease from head to tail, which eviction and
 * snapshots rely on.  What the packet pushes out of the window, by time or
 * by count, leaves first.
 */
void agg_add(struct agg *a, const struct pkt *p);
/* Add one packet to the whole stream, at any time. */
void agg_add_all(struct agg *a, const struct pkt *p);
/* The packet just added came after a packet with a later time. */
void agg_late(struct agg *a);
/* Drop contributions older than t (time window). */
void agg_evict_before(struct agg *a, int64_t t);
void agg_evict_all(struct agg *a);
int64_t agg_window_start(const struct agg *a, int64_t end);
/* Packets in the window. */
static inline uint64_t agg_packets(const struct agg *a)
{
	return a->kind == WIN_ALL ? a->packets : a->n;
}

/* alerts.c */
#define AL_SYN_FLOOD	0x01
#define AL_SYNACK_FLOOD	0x02
#define AL_DNS_REFL	0x04
#define AL_SCAN		0x08
#define AL_ALL		0x0f
uint8_t alerts_holding(const struct agg *a, const struct host *h);
void alerts_raise(struct agg *a, uint32_t slot, int64_t now);
/*
 * After a packet: raise alerts that start now on its endpoint slot.  Per
 * packet with a SYN, SYN-ACK or DNS response, so the test that rules most
 * hosts out is inline: every alert needs a count over its threshold.
 */
static inline void alerts_check(struct agg *a, uint32_t slot, int64_t now)
{
	const struct host *h = &a->hosts.h[slot];
	const struct thresholds *t = &a->th;

	if (h->syn > t->syn || h->synack > t->synack || h->dnsr_in > t->dns ||
	    h->targets > t->scan)
		alerts_raise(a, slot, now);
}
/* Pack the alert map (without a "type" key if !record). */
void alerts_put(struct mp_buf *b, const struct host *h,
    uint8_t bit, int64_t start, int64_t end, bool record);
int alerts_count(uint8_t bits);

/* snapshot.c */
/*
 * A snapshot due on the schedule holds the window's packets before `end`;
 * the last of an epoch (a step back in time follows) or of the stream
 * (final) ends at its last packet and holds it.
 */
enum snap_kind { SNAP_DUE, SNAP_EPOCH_END, SNAP_FINAL };
void agg_snapshot(struct agg *a, int64_t end, enum snap_kind kind);
/* The final snapshot of a stream without packets: zeros. */
void agg_snapshot_empty(struct agg *a);

/* merge.c: snapshots of several sensors summed into one */
struct msnap;
struct msnap *msnap_new(void);
void msnap_free(struct msnap *s);
bool msnap_have(const struct msnap *s);
/* Add a snapshot record; again: its sensor is in s already (a next run). */
void msnap_fold(struct msnap *s, const uint8_t *rec, size_t len, bool again);
/* Write the sum (marked incomplete if asked) and empty s for the next. */
void msnap_emit(struct tsa_writer *w, struct msnap *s, bool incomplete,
    uint32_t top_hosts, uint32_t top_domains);

/* demux.c: --merge's inputs, their sensors, and when a window is written */
int merge_main(int nin, char **inputs, int argc, char **argv);

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

/* ---- facts.c: what host records say of a host ---- */
/* Take in a host record. */
void facts_put(struct agg *a, const struct pkt *p);
/* The host's facts (application, distance, link, language, uptime, NAT)
   from its host record, if newer. */
void facts_sync(struct agg *a, struct host *h);

/* options.c: the option table, and what it sets */
/* Window = auto: the whole stream of a file; this, sliding, for a live source. */
#define LIVE_WINDOW "60s"
/* Every = auto: only the final snapshot of a file's whole stream; else this. */
#define LIVE_EVERY "10s"
struct agg_opts {
	const char *window, *every, *local, *out;
	uint64_t buckets, top_hosts, top_domains, detail_countries, detail_top;
	uint64_t domain_cache, host_table, scan_table, max_window, host_facts;
	struct thresholds th;
	bool pass, live, merge;
	uint64_t merge_lag, merge_sensors, merge_memory;
	int verbose;
};
extern struct agg_opts agg_opt;
extern const struct tsa_tool agg_tool;

#endif
