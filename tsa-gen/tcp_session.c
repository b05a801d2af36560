/*
 * Timing model: the capture sits next to one end (the local one).  A reply
 * from the far end shows up one round trip after the packet it answers; a
 * reply from the near end after a fraction of a millisecond.  Data goes in
 * flights of 10, 20, 40... segments (slow start) each answered by one
 * cumulative ACK.  Sequence and acknowledgement numbers are exact: every
 * packet acknowledges all the peer has sent before it.
 */
#include <string.h>

#include "util.h"
#include "http_msg.h"
#include "os_stacks.h"
#include "packet.h"
#include "tls_msg.h"
#include "tcp_session.h"

enum {
	ST_SYN, ST_SYNACK, ST_ACK, ST_DATA, ST_DATA_ACK, ST_FIN1, ST_FIN2,
	ST_FIN3,
};

uint32_t
host_tsval(const struct host *h, uint64_t t)
{
	uint32_t hz = os_stacks[h->os].ts_hz;

	return (uint32_t)((t - h->boot_ns) / (NSEC / hz));
}

uint16_t
host_ephemeral_port(struct rng *r, const struct host *h)
{
	switch (h->os) {
	case OS_LINUX311:
	case OS_LINUX26:
	case OS_ANDROID:
		return (uint16_t)rng_range(r, 32768, 60999);
	default:	/* IANA range: Windows, BSD, Apple */
		return (uint16_t)rng_range(r, 49152, 65535);
	}
}

/* Delay before a packet from the given side, answering the previous one. */
static uint64_t
reply_gap(struct gen *g, const struct tcp_sess *s, int from_srv)
{
	int far = from_srv ? s->cli_near : !s->cli_near;

	if (far)
		return s->rtt_ns + rng_below(&g->rng, s->rtt_ns / 10 + 1);
	return 30 * USEC + rng_below(&g->rng, 250 * USEC);
}

/* Spacing of back-to-back segments of one flight. */
static uint64_t
burst_gap(struct gen *g)
{
	return 15 * USEC + rng_below(&g->rng, 120 * USEC);
}

static void
common_init(struct gen *g, struct tcp_sess *s, struct host *cli,
    struct host *srv, const char *name, uint16_t port, int cli_near)
{
	const struct os_stack *co = &os_stacks[cli->os];
	const struct os_stack *so = &os_stacks[srv->os];
	int local_only = cli->local && srv->local;

	memset(s, 0, sizeof *s);
	s->cli = cli;
	s->srv = srv;
	s->name = name;
	s->cport = host_ephemeral_port(&g->rng, cli);
	s->sport = port;
	s->cseq = (uint32_t)rng_next(&g->rng);
	s->sseq = (uint32_t)rng_next(&g->rng);
	s->cli_near = (uint8_t)cli_near;
	s->rtt_ns = local_only ? (uint32_t)rng_range(&g->rng, 200, 2000) * USEC :
	    (uint32_t)rng_range(&g->rng, 8, 280) * MSEC;
	/*
	 * Recent Linux and Apple stacks label their IPv6 flows, older ones
	 * and Windows do not.  p0f 3.09b has no signature with the "flow"
	 * quirk, so labelled SYNs stay unrecognised, as in real captures;
	 * a minority here, so that most IPv6 SYNs are still named.
	 */
	if (cli->af == 6 && (cli->os == OS_LINUX311 || cli->os == OS_MACOS ||
	    cli->os == OS_IOS) && rng_chance(&g->rng, 0.3))
		s->cflow = rng_range(&g->rng, 1, 0xfffff);
	if (srv->af == 6 && srv->os == OS_LINUX311 && rng_chance(&g->rng, 0.3))
		s->sflow = rng_range(&g->rng, 1, 0xfffff);
	s->ts_ok = opts_have_ts(co->syn_opts) && so->ts_hz != 0;
	s->cws = co->wscale;
	s->sws = so->wscale;
	s->seg = (uint16_t)((cli->mss < srv->mss ? cli->mss : srv->mss) -
	    (s->ts_ok ? 12 : 0));
	s->flight_max = 10;
	s->closer_srv = rng_chance(&g->rng, 0.3);
	s->rst = rng_chance(&g->rng, 0.05);
	s->state = ST_SYN;
}

static uint32_t
body_size(struct rng *r)
{
	/* Log-uniform between 200 bytes and 80 kB. */
	double x = rng_unit(r);
	uint32_t n = 200;

	while (x > 0.12 && n < 80000) {
		n = n * 2;
		x -= 0.12;
	}
	return n + rng_below(r, n);
}

void
tcp_sess_http(struct gen *g, struct tcp_sess *s, struct host *cli,
    struct host *srv, const char *name, uint16_t port, int app, int lang,
    int server, int cli_near)
{
	int nreq = (app == UA_CURL || app == UA_WGET) ? 1 :
	    (int)rng_range(&g->rng, 1, 3);

	common_init(g, s, cli, srv, name, port, cli_near);
	s->app = (uint8_t)app;
	s->os = cli->os;
	s->lang = (uint8_t)lang;
	s->server = (uint8_t)server;
	for (int i = 0; i < nreq; i++) {
		struct tcp_msg *q = &s->msg[s->nmsg++];
		struct tcp_msg *p = &s->msg[s->nmsg++];
		uint32_t roll = rng_below(&g->rng, 100);

		q->kind = MSG_HTTP_REQ;
		q->seed = (uint32_t)rng_next(&g->rng);
		q->method = roll < 8 ? M_POST : roll < 12 ? M_HEAD : M_GET;
		p->kind = MSG_HTTP_RESP;
		p->from_srv = 1;
		p->method = q->method;
		p->seed = (uint32_t)rng_next(&g->rng);
		roll = rng_below(&g->rng, 100);
		p->status = roll < 85 ? 200 : roll < 93 ? 304 : roll < 96 ?
		    301 : 404;
		p->body_len = p->status == 304 ? 0 : p->status == 200 ?
		    body_size(&g->rng) : 150 + rng_below(&g->rng, 300);
	}
}

void
tcp_sess_tls(struct gen *g, struct tcp_sess *s, struct host *cli,
    struct host *srv, const char *name, int browser, int cli_near)
{
	int nex = (int)rng_range(&g->rng, 1, 3);
	struct tcp_msg *m;

	common_init(g, s, cli, srv, name, 443, cli_near);
	s->browser = (uint8_t)browser;
	m = &s->msg[s->nmsg++];
	m->kind = MSG_TLS_CLIENT_HELLO;
	m = &s->msg[s->nmsg++];
	m->kind = MSG_TLS_SERVER_HELLO;
	m->from_srv = 1;
	/* EncryptedExtensions, Certificate, CertificateVerify, Finished. */
	m = &s->msg[s->nmsg++];
	m->kind = MSG_TLS_DATA;
	m->from_srv = 1;
	m->len = rng_range(&g->rng, 2200, 5200);
	m = &s->msg[s->nmsg++];
	m->kind = MSG_TLS_DATA;	/* client Finished */
	m->len = 58;
	for (int i = 0; i < nex; i++) {
		m = &s->msg[s->nmsg++];
		m->kind = MSG_TLS_DATA;
		m->len = rng_range(&g->rng, 120, 900);
		m = &s->msg[s->nmsg++];
		m->kind = MSG_TLS_DATA;
		m->from_srv = 1;
		m->len = 60 + body_size(&g->rng);
	}
}

/* The window a side advertises during the transfer, scaled by its window
 * scale (every stack here offers one, so scaling is always on). */
static uint16_t
data_window(const struct host *h, uint8_t ws)
{
	uint32_t w = os_stacks[h->os].rcvbuf >> ws;

	return (uint16_t)(w > 65535 ? 65535 : w);
}

static void
tcp_send(struct gen *g, struct tcp_sess *s, int from_srv, uint8_t flags,
    const uint8_t *pay, size_t paylen)
{
	struct host *src = from_srv ? s->srv : s->cli;
	struct host *dst = from_srv ? s->cli : s->srv;
	const struct os_stack *os = &os_stacks[src->os];
	uint8_t opt[40];
	struct tcp_seg t;
	struct ip_hdr ip = { src, dst, 0, 1, 0, from_srv ? s->sflow : s->cflow };

	memset(&t, 0, sizeof t);
	t.sport = from_srv ? s->sport : s->cport;
	t.dport = from_srv ? s->cport : s->sport;
	t.seq = from_srv ? s->sseq : s->cseq;
	t.ack = (flags & TH_ACK) ? (from_srv ? s->cseq : s->sseq) : 0;
	t.flags = flags;
	t.opt = opt;
	t.pay = pay;
	t.paylen = paylen;

	if (flags & TH_SYN) {
		uint32_t tsv = host_tsval(src, g->now);
		const uint8_t *layout;

		if (!from_srv) {
			layout = os->syn_opts;
			t.win = os->syn_win ? os->syn_win :
			    (uint16_t)(os->syn_win_mss * src->mss);
			t.optlen = opts_encode(opt, layout, src->mss, os->wscale,
			    tsv, 0);
			s->c_tsval = tsv;
		} else {
			layout = s->ts_ok ? os->synack_ts_opts : os->synack_opts;
			t.win = os->synack_win ? os->synack_win :
			    (uint16_t)(os->synack_win_mss * src->mss);
			t.optlen = opts_encode(opt, layout, src->mss, os->wscale,
			    tsv, s->c_tsval);
			s->s_tsval = tsv;
		}
		/* Linux sends its SYN+ACK with IP ID 0 (p0f: "df" alone). */
		ip.id = from_srv && os->synack_id_zero ? 0 : host_next_id(src);
	} else {
		t.win = data_window(src, from_srv ? s->sws : s->cws);
		if (s->ts_ok && !(flags & TH_RST)) {
			uint32_t tsv = host_tsval(src, g->now);
			static const uint8_t nopnop_ts[] = { OPT_NOP, OPT_NOP,
			    OPT_TS, OPT_END };
			t.optlen = opts_encode(opt, nopnop_ts, 0, 0, tsv,
			    from_srv ? s->c_tsval : s->s_tsval);
			if (from_srv)
				s->s_tsval = tsv;
			else
				s->c_tsval = tsv;
		}
		ip.id = host_next_id(src);
	}
	if (src->af == 6)
		ip.id = 0;
	gen_emit(g, pkt_tcp(g->frame, &ip, &t));

	/* SYN and FIN take one sequence number. */
	uint32_t used = (uint32_t)paylen + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0);
	if (from_srv)
		s->sseq += used;
	else
		s->cseq += used;
}

/* Which version the server runs: a hash (FNV-1a) of the site's name, so
 * all its responses, over IPv4 and IPv6, name the same build. */
static uint32_t
server_build(const struct tcp_sess *s)
{
	uint32_t h = 2166136261u;

	for (const char *c = s->name; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	return h;
}

/* Render bytes [off, off+n) of a message into out; for the hellos, n is
 * set to the whole (they go in one segment). */
static void
render(struct gen *g, struct tcp_sess *s, struct tcp_msg *m, uint8_t *out,
    uint32_t off, uint32_t n)
{
	char head[2048];
	size_t hl;

	switch (m->kind) {
	case MSG_HTTP_REQ: {
		struct http_req q = { s->app, s->os, s->lang, m->method,
		    s->sport, m->seed };
		hl = http_request(head, sizeof head, &q, s->name);
		memcpy(out, head + off, n);
		break;
	}
	case MSG_HTTP_RESP: {
		struct http_resp p = { s->server, s->srv->os, m->method == M_HEAD,
		    m->status, m->body_len, m->seed, server_build(s),
		    m->date };
		hl = http_response_head(head, sizeof head, &p);
		uint32_t i = 0;
		for (; i < n && off + i < hl; i++)
			out[i] = (uint8_t)head[off + i];
		if (i < n)
			http_body(out + i, off + i - hl, n - i, m->seed);
		break;
	}
	case MSG_TLS_DATA:
		tls_app_data(out, n, &g->rng);
		break;
	default:
		tsa_die("internal error: message kind %d", m->kind);
	}
}

/* First look at a message: fix its length (HTTP heads, TLS hellos). */
static void
prepare(struct gen *g, struct tcp_sess *s, struct tcp_msg *m, uint8_t *buf,
    size_t cap)
{
	char head[2048];

	switch (m->kind) {
	case MSG_HTTP_REQ: {
		struct http_req q = { s->app, s->os, s->lang, m->method,
		    s->sport, m->seed };
		m->len = (uint32_t)http_request(head, sizeof head, &q, s->name);
		break;
	}
	case MSG_HTTP_RESP: {
		struct http_resp p = { s->server, s->srv->os, m->method == M_HEAD,
		    m->status, m->body_len, m->seed, server_build(s), 0 };
		m->date = (uint32_t)(g->now / NSEC);
		p.date = m->date;
		m->head_len = (uint16_t)http_response_head(head, sizeof head, &p);
		m->len = m->head_len + (m->method == M_HEAD ? 0 : m->body_len);
		break;
	}
	case MSG_TLS_CLIENT_HELLO:
		m->len = (uint32_t)tls_client_hello(buf, cap, &g->rng, s->name,
		    s->browser, s->tls_sid);
		break;
	case MSG_TLS_SERVER_HELLO:
		m->len = (uint32_t)tls_server_hello(buf, cap, &g->rng,
		    s->tls_sid);
		break;
	default:
		break;
	}
	if (m->len == 0)
		tsa_die("internal error: message does not fit (kind %d)",
		    m->kind);
}

static uint64_t
send_data(struct gen *g, struct tcp_sess *s)
{
	struct tcp_msg *m = &s->msg[s->cur];
	uint8_t pay[1500];
	uint32_t n;
	int hello = m->kind == MSG_TLS_CLIENT_HELLO ||
	    m->kind == MSG_TLS_SERVER_HELLO;

	if (s->off == 0 && (m->len == 0 || m->kind == MSG_HTTP_REQ ||
	    m->kind == MSG_HTTP_RESP))
		prepare(g, s, m, pay, sizeof pay);
	if (hello) {
		n = m->len;	/* rendered by prepare() into pay */
		if (n > s->seg)
			tsa_die("internal error: TLS hello over one segment");
	} else {
		n = m->len - s->off;
		if (n > s->seg)
			n = s->seg;
		/* TLS records are whole per segment: no runt last record. */
		if (m->kind == MSG_TLS_DATA && m->len - s->off - n > 0 &&
		    m->len - s->off - n < 6)
			n -= 6;
		render(g, s, m, pay, s->off, n);
	}
	s->off += n;
	s->flight++;
	s->last_from_srv = m->from_srv;
	tcp_send(g, s, m->from_srv, TH_ACK | (s->off == m->len ? TH_PUSH : 0), pay,
	    n);

	if (s->off < m->len) {
		if (s->flight < s->flight_max)
			return burst_gap(g);
		s->state = ST_DATA_ACK;
		return reply_gap(g, s, !m->from_srv);
	}
	/* Message complete. */
	s->cur++;
	s->off = 0;
	if (s->cur == s->nmsg) {
		s->state = ST_DATA_ACK;
		return reply_gap(g, s, !m->from_srv);
	}
	if (s->msg[s->cur].from_srv == m->from_srv)
		return burst_gap(g);	/* same side goes on */
	/* The other side answers; its data carries the ACK. */
	s->flight = 0;
	uint64_t gap = reply_gap(g, s, !m->from_srv);
	return gap + (m->from_srv ?
	    rng_range(&g->rng, 5, 400) * MSEC :	/* client think time */
	    rng_range(&g->rng, 1, 30) * MSEC);	/* server work */
}

int
tcp_sess_step(struct gen *g, struct tcp_sess *s, uint64_t *next)
{
	uint64_t d = 0;

	switch (s->state) {
	case ST_SYN:
		tcp_send(g, s, 0, TH_SYN, NULL, 0);
		s->state = ST_SYNACK;
		d = reply_gap(g, s, 1);
		break;
	case ST_SYNACK:
		tcp_send(g, s, 1, TH_SYN | TH_ACK, NULL, 0);
		s->state = ST_ACK;
		d = reply_gap(g, s, 0);
		break;
	case ST_ACK:
		tcp_send(g, s, 0, TH_ACK, NULL, 0);
		s->state = s->nmsg ? ST_DATA : ST_FIN1;
		d = rng_range(&g->rng, 50, 400) * USEC;
		break;
	case ST_DATA:
		d = send_data(g, s);
		break;
	case ST_DATA_ACK:
		/* The receiver of the last flight acknowledges it. */
		tcp_send(g, s, !s->last_from_srv, TH_ACK, NULL, 0);
		s->flight = 0;
		if (s->flight_max < 80)
			s->flight_max *= 2;
		if (s->cur == s->nmsg) {
			s->state = ST_FIN1;
			/* Idle keep-alive before someone closes. */
			d = rng_range(&g->rng, 20, 3000) * MSEC;
		} else {
			s->state = ST_DATA;
			d = reply_gap(g, s, s->last_from_srv);
		}
		break;
	case ST_FIN1:
		if (s->rst) {
			tcp_send(g, s, s->closer_srv, TH_RST | TH_ACK, NULL, 0);
			return 0;
		}
		tcp_send(g, s, s->closer_srv, TH_FIN | TH_ACK, NULL, 0);
		s->state = ST_FIN2;
		d = reply_gap(g, s, !s->closer_srv);
		break;
	case ST_FIN2:
		tcp_send(g, s, !s->closer_srv, TH_FIN | TH_ACK, NULL, 0);
		s->state = ST_FIN3;
		d = reply_gap(g, s, s->closer_srv);
		break;
	default:
		tcp_send(g, s, s->closer_srv, TH_ACK, NULL, 0);
		return 0;
	}
	*next = g->now + d;
	return 1;
}
