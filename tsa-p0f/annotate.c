/*
 * Records in, records out.  The order of events follows p0f's
 * flow_dispatch(): a SYN opens a connection and is fingerprinted; a
 * SYN+ACK counts only for a connection whose SYN was seen, once; the first
 * GET or HEAD request of a connection and the response to it are
 * fingerprinted; FIN and RST end the connection.  A SYN matching an
 * application signature (nmap and the like) ends its connection at once
 * and leaves the host's OS alone.
 *
 * Every other record costs the keys below, found by the reader in the walk
 * that frames the record (tsa_read_find), two host lookups, and one copy
 * of the hosts' OS pairs, which are packed in advance; a record between
 * the same two endpoints as one just before it needs no lookup
 * (host_pairs.c).  What else is known of a host goes into host records
 * (host_rec.c), written before the record that changed it.
 */
#include <string.h>

#include "annotate.h"
#include "config.h"
#include "host_pairs.h"
#include "host_rec.h"
#include "hosts.h"
#include "http_sig.h"
#include "linktype.h"
#include "mtu.h"
#include "nat.h"
#include "tcp_sig.h"
#include "uptime.h"

struct annotate_stats annotate_stats;

static const struct p0f_db *db;
static bool compat, rerun;
static int ip_off = P0F_LINK_UNKNOWN;	/* where p0f reads the IP header */
static unsigned to_expire = EXPIRE_INTERVAL;	/* packets to the next look */
static int64_t last_expire;

/* K_LEN last: only compat mode looks for it. */
enum { K_TS, K_SRC, K_DST, K_SPORT, K_DPORT, K_FLAGS, K_TCPH, K_HTTPH,
    K_TRUNC, K_LEN, NKEYS };
static const char *const keys[NKEYS] = {
	[K_TS] = "timestamp", [K_SRC] = "src_addr", [K_DST] = "dst_addr",
	[K_SPORT] = "src_port", [K_DPORT] = "dst_port",
	[K_FLAGS] = "tcp_flags", [K_TCPH] = "tcp_headers",
	[K_HTTPH] = "http_headers", [K_TRUNC] = "truncated",
	[K_LEN] = "length",
};
static struct mp_keys keyset;

/* One packet record's fields. */
struct pkt {
	const uint8_t *src, *dst;
	uint8_t alen;
	uint16_t sport, dport;
	int64_t ms;		/* capture time in milliseconds */
	int64_t sec;
	int64_t length;		/* the frame's, -1 if not known (compat only) */
	bool truncated;
};

/*
 * The writer of the record being annotated: a fingerprint's keys go
 * straight onto it (tsa_rec_key), before the hosts' pre-packed pairs.
 */
static struct tsa_writer *out;

#define KEY(lit) tsa_rec_keyn(out, lit, sizeof lit - 1)

void annotate_init(const struct p0f_db *d, bool c, int64_t link_type,
    bool r)
{
	db = d;
	compat = c;
	rerun = r;
	if (compat)
		ip_off = p0f_ip_offset(link_type);
	mp_keys_init(&keyset, keys, compat ? NKEYS : K_LEN);
}

#define PUT_STR(lit, s) put_str(KEY(lit), s)

static inline void put_str(struct mp_buf *b, const char *s)
{
	mp_put_str(b, s, strlen(s));
}

/* p0f_label, p0f_class, p0f_name, p0f_flavor for a match. */
static void put_label(const struct p0f_label *l)
{
	mp_put_str(KEY("p0f_label"), l->full, l->full_len);
	PUT_STR("p0f_class", l->class_id < 0 ? "!" :
	    db->classes[l->class_id]);
	mp_put_str(KEY("p0f_name"), l->name, l->name_len);
	if (l->flavor)
		PUT_STR("p0f_flavor", l->flavor);
}

/* The times of a host's first and last fingerprint, for its host record. */
static void fingerprinted(struct host *h, int64_t ms)
{
	if (!h->fp_first)
		h->fp_first = ms;
	h->fp_last = ms;
}

static bool check_uptime(struct flow *f, struct host *h, int to_srv,
    uint32_t ts1, int64_t ms, struct uptime *u)
{
	const struct sig_hist *ref = to_srv ? &h->syn : &h->synack;

	if (!ts1 || f->tps[to_srv] || !ref->valid || !ref->ts1)
		return false;
	switch (uptime_estimate(ref->ts1, ref->ms, ts1, ms, u)) {
	case UPTIME_BAD:
		f->tps[to_srv] = -1;
		return false;
	case UPTIME_WAIT:
		return false;
	default:
		break;
	}
	f->tps[to_srv] = (int32_t)u->hz;
	h->up_known = true;
	h->up_min = u->up_min;
	h->up_ms = ms;
	h->up_hz = u->raw_hz;
	return true;
}

/*
 * A SYN or SYN+ACK.  The signature is computed and written for every such
 * record (in compat mode only for those p0f reports: not for retransmitted
 * SYNs or SYN+ACKs without their SYN); the host and connection tables
 * change only where p0f's would.
 */
static void tcp_record(const struct pkt *p, const struct mp_obj *hdrs)
{
	struct tcp_pkt pk;
	struct tcp_win win;
	struct tcp_match m;
	struct flow *f = NULL;
	struct host *h;
	struct uptime up;
	char raw[TCP_RAW_SIG_MAX];
	size_t rawlen;
	int to_srv = 1, is_syn;
	bool observe = true;
	uint16_t syn_mss = 0, mtu;

	switch (tcp_pkt_parse(hdrs->ptr, hdrs->len, &pk)) {
	case TCP_PARSE_OK:
		break;
	case TCP_PARSE_IGNORED:
		return;
	default:
		annotate_stats.bad_headers++;
		return;
	}
	/*
	 * p0f reads no frame cut short, none whose IP length is more than the
	 * frame holds from where it looks for the IP header on, and no IPv6
	 * extension headers.
	 */
	if (compat && (p->truncated || pk.ext_hdrs || (ip_off >= 0 &&
	    p->length >= 0 && pk.tot_hdr + pk.pay_len > p->length - ip_off)))
		return;
	is_syn = (pk.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
	f = flow_find(p->src, p->dst, p->alen, p->sport, p->dport,
	    &to_srv);
	if (is_syn) {
		/* A retransmitted SYN changes nothing. */
		if (f && to_srv && f->next_cli_seq - 1 == pk.seq)
			observe = false;
		else {
			if (f)
				flow_end(f);
			f = flow_new(p->src, p->dst, p->alen, p->sport,
			    p->dport, p->sec);
			f->next_cli_seq = pk.seq + 1;
			host_get(p->src, p->alen, p->sec);
			host_get(p->dst, p->alen, p->sec);
		}
		to_srv = 1;
	} else {
		/* Stray, backwards or repeated SYN+ACKs are not p0f's. */
		if (!f || to_srv || f->acked)
			observe = false;
		else {
			f->acked = true;
			syn_mss = f->syn_mss;
		}
		to_srv = 0;
	}
	/* In compat mode only what p0f would report is written. */
	if (compat && !observe)
		return;
	tcp_win_explain(&pk, syn_mss, &win);
	tcp_sig_match(db, to_srv, &pk, &win, compat ? 0 : Q_FLOW, &m);
	rawlen = tcp_sig_format(&pk, &win, raw);
	mp_put_str(KEY("p0f_raw_sig"), raw, rawlen);
	if (m.sig) {
		put_label(m.sig->label);
		PUT_STR("p0f_match", m.fuzzy ? "fuzzy" :
		    m.sig->label->generic ? "generic" : "exact");
	} else
		PUT_STR("p0f_match", "none");
	mp_put_uint(KEY("p0f_dist"), m.dist);
	if (!observe)
		return;
	h = host_get(p->src, p->alen, p->sec);
	fingerprinted(h, p->ms);
	if (!(m.sig && m.sig->bad_ttl))
		h->dist = m.dist;
	if (is_syn)
		f->syn_mss = pk.mss;
	if (m.sig && m.sig->label->class_id == -1) {
		/* A tool, not an OS: p0f stops following the connection. */
		nat_verify_app(h, to_srv, m.sig->label, p->sec);
		flow_end(f);
		return;
	}
	nat_score_tcp(h, to_srv, &pk, &m, f->cli_port, p->ms);
	if ((mtu = mtu_of(&pk))) {
		const char *link = mtu_link(db, mtu);

		mp_put_uint(KEY("p0f_mtu"), mtu);
		h->mtu = mtu;
		if (link) {
			PUT_STR("p0f_link", link);
			h->link = link;
		}
	}
	if (check_uptime(f, h, to_srv, pk.ts1, p->ms, &up)) {
		mp_put_uint(KEY("p0f_uptime_min"), up.up_min);
		mp_put_uint(KEY("p0f_uptime_mod_days"), up.mod_days);
		mp_put_double(KEY("p0f_uptime_hz"), up.raw_hz);
	}
	host_remember_sig(h, to_srv, &pk, &m, p->ms);
}

/*
 * The raw text of an HTTP signature: up to 8 KiB, too much for the stack
 * of a function the compiler should inline.
 */
static char http_raw[HTTP_RAW_SIG_MAX];

/* The start of an HTTP request or response on a connection p0f follows. */
static void http_record(const struct pkt *p, const struct mp_obj *hdrs)
{
	struct http_msg msg;
	struct http_match hm;
	struct host *h;
	struct flow *f;
	const char *lang;
	size_t rawlen;
	int to_srv;

	f = flow_find(p->src, p->dst, p->alen, p->sport, p->dport,
	    &to_srv);
	if (!f || f->in_http < 0)
		return;
	if (!f->acked) {
		/* Data before the handshake completed: p0f gives up. */
		flow_end(f);
		return;
	}
	if (to_srv ? f->in_http == 1 : f->in_http != 1) {
		/* A second request, or a response before any request. */
		if (!to_srv)
			flow_end(f);
		return;
	}
	switch (http_msg_parse(db, to_srv, hdrs->ptr, hdrs->len, &msg)) {
	case HTTP_OK:
		break;
	case HTTP_INCOMPLETE:
		f->in_http = -1;
		return;
	default:
		flow_end(f);
		return;
	}
	http_sig_match(db, to_srv, &msg, &hm);
	rawlen = http_sig_format(db, to_srv, &msg, http_raw, sizeof http_raw);
	mp_put_str(KEY("p0f_http_raw_sig"), http_raw, rawlen);
	if (hm.sig) {
		mp_put_str(KEY("p0f_http_label"), hm.sig->label->full,
		    hm.sig->label->full_len);
		PUT_STR("p0f_http_match", hm.sig->label->generic ?
		    "generic" : "exact");
	} else
		PUT_STR("p0f_http_match", "none");
	if (hm.dishonest)
		mp_put_bool(KEY("p0f_http_dishonest"), true);
	h = host_get(p->src, p->alen, p->sec);
	fingerprinted(h, p->ms);
	lang = to_srv ? http_msg_lang(&msg) : NULL;
	if (lang) {
		PUT_STR("p0f_lang", lang);
		h->lang = lang;
	}
	nat_score_http(h, to_srv, db, &msg, &hm, f->srv_port, p->sec);
	if (hm.sig) {
		const struct p0f_label *l = hm.sig->label;

		if (l->class_id != -1) {
			h->os = l;
			if (to_srv)
				h->http_req_os = l;
		} else {
			h->app = l;
			if (hm.dishonest)
				h->bad_sw = 2;
		}
	}
	if (to_srv)
		f->in_http = 1;
	else
		flow_end(f);	/* both directions done: p0f stops here */
}

/*
 * In compat mode, is this a frame p0f does not read, which must change
 * nothing?  Every frame of a link type where p0f finds no IP header, and
 * every frame cut short by the snapshot length, whose IP length is more
 * than was captured (a SYN or SYN+ACK still goes to tcp_record, which
 * looks at its IP length and counts its headers if they were cut; other
 * records carry no IP header).  Of the frames cut short, p0f would read
 * one whose snapshot kept the whole IP packet and lost only link-layer
 * padding; records do not tell those apart.
 */
static bool p0f_unread(struct pkt *p, const struct mp_obj *v, uint64_t found,
    bool syn)
{
	p->truncated = (found & 1 << K_TRUNC) && v[K_TRUNC].type == MP_BOOL &&
	    v[K_TRUNC].b;
	p->length = (found & 1 << K_LEN) && v[K_LEN].type == MP_UINT &&
	    v[K_LEN].u <= INT64_MAX ? (int64_t)v[K_LEN].u : -1;
	return ip_off == P0F_LINK_NEVER || (p->truncated && !syn);
}

int annotate_next(struct tsa_reader *r, struct tsa_writer *w)
{
	struct mp_obj v[NKEYS];
	struct pkt p;
	const uint8_t *rec;
	size_t len;
	uint64_t found;
	int64_t sec;		/* both set by mp_obj_time when it is true */
	uint32_t nsec;
	int rc = tsa_read_find(r, &keyset, &rec, &len, v, &found);

	if (rc <= 0)
		return rc;
	/* Not a packet record (stats, snapshots...): copied unchanged. */
	if (!(found & 1 << K_SRC) || !(found & 1 << K_DST) ||
	    v[K_SRC].type != MP_BIN || v[K_DST].type != MP_BIN ||
	    v[K_SRC].len != v[K_DST].len ||
	    (v[K_SRC].len != 4 && v[K_SRC].len != 16)) {
		struct mp_obj t;

		/* but an earlier run's host records, which this run writes */
		if (rerun && tsa_rec_type(rec, len, &t) &&
		    tsa_hostfacts_type(&t))
			return 1;
		tsa_rec_begin(w, rec, len);
		tsa_rec_end(w);
		return 1;
	}
	tsa_rec_begin(w, rec, len);
	out = w;
	p.src = v[K_SRC].ptr;
	p.dst = v[K_DST].ptr;
	p.alen = (uint8_t)v[K_SRC].len;
	/* Times beyond year 30000 would overflow the millisecond clock. */
	if ((found & 1 << K_TS) && mp_obj_time(&v[K_TS], &sec, &nsec) &&
	    sec >= 0 && sec < 900000000000) {
		p.sec = sec;
		p.ms = sec * 1000 + nsec / 1000000;
	} else
		p.sec = p.ms = 0;
	if (--to_expire == 0) {
		to_expire = EXPIRE_INTERVAL;
		if (p.sec != last_expire) {
			hosts_expire(p.sec);
			last_expire = p.sec;
		}
	}
	if ((found & 1 << K_FLAGS) && v[K_FLAGS].type == MP_UINT &&
	    (found & 1 << K_SPORT) && v[K_SPORT].type == MP_UINT &&
	    (found & 1 << K_DPORT) && v[K_DPORT].type == MP_UINT) {
		uint64_t fl = v[K_FLAGS].u;
		bool syn = fl & TCP_SYN && !(fl & (TCP_RST | TCP_FIN));

		p.sport = (uint16_t)v[K_SPORT].u;
		p.dport = (uint16_t)v[K_DPORT].u;
		if (!(compat && p0f_unread(&p, v, found, syn))) {
			if (syn) {
				/* In compat mode p0f_unread read them. */
				if (!compat) {
					p.truncated = (found & 1 << K_TRUNC) &&
					    v[K_TRUNC].type == MP_BOOL &&
					    v[K_TRUNC].b;
					p.length = -1;
				}
				if ((found & 1 << K_TCPH) &&
				    v[K_TCPH].type == MP_BIN)
					tcp_record(&p, &v[K_TCPH]);
				else
					annotate_stats.no_headers++;
			} else if (fl & (TCP_FIN | TCP_RST)) {
				int to_srv;
				struct flow *f = flow_find(p.src, p.dst, p.alen,
				    p.sport, p.dport, &to_srv);

				if (f)
					flow_end(f);
			}
			if ((found & 1 << K_HTTPH) && v[K_HTTPH].type == MP_BIN)
				http_record(&p, &v[K_HTTPH]);
		}
	}
	/*
	 * The fingerprint's pairs come first, then the hosts'; the records
	 * of hosts forgotten or changed go before the record.
	 */
	host_rec_put_forgotten(tsa_out(w));
	host_pairs_put(w, p.src, p.dst, p.alen);
	tsa_rec_end(w);
	return 1;
}
