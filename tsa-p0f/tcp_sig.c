/*
 * SYN and SYN+ACK fingerprinting, following p0f 3.09b's rules (its README,
 * section 5, and the behaviour of its fp_tcp.c and process.c):
 *
 *  - quirks come from the IP and TCP headers; TCP options are walked the
 *    way p0f walks them, so malformed options give the same 'bad', 'opt+'
 *    and layout that p0f prints;
 *  - a window size is explained as a multiple of the MSS, of the MSS less
 *    12 (timestamps), of common Ethernet MSS values, of the MTU, or (on a
 *    SYN+ACK) of the peer's MSS, in p0f's order;
 *  - a signature matches exactly, or generically (a 'g' label, used only
 *    when no specific one fits), or fuzzily: 'df' or 'id+' gone, 'id-' or
 *    'ecn' appeared, or the TTL out of range.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "config.h"
#include "sig_read.h"
#include "tcp_sig.h"

const char *const p0f_quirk_names[P0F_NQUIRKS] = {
	"df", "id+", "id-", "ecn", "0+", "flow", "seq-", "ack+", "ack-",
	"uptr+", "urgf+", "pushf+", "ts1-", "ts2+", "opt+", "exws", "bad",
};

/*
 * Option names in signatures, by kind (n 0: none, written "?kind").  The
 * raw signature's writer copies four bytes at a time (an option has eight
 * bytes of its buffer), then cuts to n.
 */
static const struct {
	char s[5];
	uint8_t n;
} opt_text[] = {
	[TCPOPT_NOP] = { "nop", 3 }, [TCPOPT_MAXSEG] = { "mss", 3 },
	[TCPOPT_WSCALE] = { "ws", 2 }, [TCPOPT_SACKOK] = { "sok", 3 },
	[TCPOPT_SACK] = { "sack", 4 }, [TCPOPT_TSTAMP] = { "ts", 2 },
};
#define NOPT_TEXT (sizeof opt_text / sizeof *opt_text)

/* IPv6 extension headers p0f's README counts as 'olen'. */
static bool ip6_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 60;
}

static enum tcp_parse parse_ip(const uint8_t *h, size_t len,
    struct tcp_pkt *pk, size_t *ip_len, uint32_t *ip_total)
{
	if (len < 1)
		return TCP_PARSE_SHORT;
	if (h[0] >> 4 == 4) {
		size_t hl = (size_t)(h[0] & 15) * 4;
		uint16_t fo;

		if (len < 20)
			return TCP_PARSE_SHORT;
		if (hl < 20)
			return TCP_PARSE_BAD;
		if (len < hl)
			return TCP_PARSE_SHORT;
		if (h[9] != 6)
			return TCP_PARSE_IGNORED;
		fo = tsa_be16(h + 6);
		/* p0f looks at unfragmented segments only. */
		if (fo & ~(IP4_DF | IP4_MBZ))
			return TCP_PARSE_IGNORED;
		pk->ver = 4;
		pk->olen = (uint8_t)(hl - 20);
		pk->ttl = h[8];
		if (h[1] & (IP_TOS_CE | IP_TOS_ECT))
			pk->quirks |= Q_ECN;
		if (fo & IP4_MBZ)
			pk->quirks |= Q_NZ_MBZ;
		if (fo & IP4_DF) {
			pk->quirks |= Q_DF;
			if (tsa_be16(h + 4))
				pk->quirks |= Q_NZ_ID;
		} else if (!tsa_be16(h + 4))
			pk->quirks |= Q_ZERO_ID;
		*ip_len = hl;
		*ip_total = tsa_be16(h + 2);
		return TCP_PARSE_OK;
	}
	if (h[0] >> 4 == 6) {
		uint32_t vt;
		size_t off = 40;
		uint8_t nh;

		if (len < 40)
			return TCP_PARSE_SHORT;
		vt = tsa_be32(h);
		nh = h[6];
		/* Hop-by-hop, routing and destination options headers. */
		while (ip6_ext(nh)) {
			if (len < off + 8)
				return TCP_PARSE_SHORT;
			nh = h[off];
			off += ((size_t)h[off + 1] + 1) * 8;
			pk->ext_hdrs = true;
		}
		if (len < off)
			return TCP_PARSE_SHORT;
		if (nh != 6)
			return TCP_PARSE_IGNORED;
		pk->ver = 6;
		pk->olen = off - 40 > 255 ? 255 : (uint8_t)(off - 40);
		pk->ttl = h[7];
		if (vt & 0xfffff)
			pk->quirks |= Q_FLOW;
		if ((vt >> 20) & 3)
			pk->quirks |= Q_ECN;
		*ip_len = off;
		*ip_total = (uint32_t)tsa_be16(h + 4) + 40;
		return TCP_PARSE_OK;
	}
	return TCP_PARSE_BAD;
}

/*
 * Walk the options as p0f does, including where it gives up ('bad') and
 * how it judges the bytes after an end-of-options ('opt+').
 */
static void parse_options(const uint8_t *d, const uint8_t *end,
    struct tcp_pkt *pk)
{
	while (d < end && pk->nopt < MAX_TCP_OPT) {
		uint8_t kind = *d++;

		pk->opt[pk->nopt++] = kind;
		switch (kind) {
		case TCPOPT_EOL:
			pk->eol_pad = (uint8_t)(end - d);
			/* p0f stops at the first non-zero byte, past it. */
			while (d < end && !*d++)
				;
			if (d != end) {
				pk->quirks |= Q_OPT_EOL_NZ;
				d = end;
			}
			break;
		case TCPOPT_NOP:
			break;
		case TCPOPT_MAXSEG:
			if (end - d < 3)
				goto bad;
			if (*d != 4)
				pk->quirks |= Q_OPT_BAD;
			pk->mss = tsa_be16(d + 1);
			d += 3;
			break;
		case TCPOPT_WSCALE:
			if (end - d < 2)
				goto bad;
			if (*d != 3)
				pk->quirks |= Q_OPT_BAD;
			pk->wscale = d[1];
			if (pk->wscale > 14)
				pk->quirks |= Q_EXWS;
			d += 2;
			break;
		case TCPOPT_SACKOK:
			if (end - d < 1)
				goto bad;
			if (*d != 2)
				pk->quirks |= Q_OPT_BAD;
			d++;
			break;
		case TCPOPT_SACK:
			if (d == end || *d < 10 || *d > 34 ||
			    *d - 1 > end - d)
				goto bad;
			d += *d - 1;
			break;
		case TCPOPT_TSTAMP:
			if (end - d < 9)
				goto bad;
			if (*d != 10)
				pk->quirks |= Q_OPT_BAD;
			pk->ts1 = tsa_be32(d + 1);
			if (!pk->ts1)
				pk->quirks |= Q_TS1_ZERO;
			if ((pk->flags & (TCP_SYN | TCP_ACK | TCP_FIN |
			    TCP_RST)) == TCP_SYN && tsa_be32(d + 5))
				pk->quirks |= Q_TS2_NZ;
			d += 9;
			break;
		default:
			if (d == end || *d < 2 || *d > 40 || *d - 1 > end - d)
				goto bad;
			d += *d - 1;
		}
	}
	if (d == end)
		return;
bad:
	pk->quirks |= Q_OPT_BAD;
}

enum tcp_parse tcp_pkt_parse(const uint8_t *h, size_t len, struct tcp_pkt *pk)
{
	const uint8_t *t;
	size_t ip_len, doff, tlen;
	uint32_t ip_total;
	uint8_t fl, type;
	enum tcp_parse rc;

	memset(pk, 0, sizeof *pk);
	if ((rc = parse_ip(h, len, pk, &ip_len, &ip_total)) != TCP_PARSE_OK)
		return rc;
	t = h + ip_len;
	tlen = len - ip_len;
	if (tlen < 20)
		return TCP_PARSE_SHORT;
	doff = (size_t)(t[12] >> 4) * 4;
	if (doff < 20)
		return TCP_PARSE_BAD;
	if (tlen < doff)
		return TCP_PARSE_SHORT;
	/* The IP length must leave room for both headers. */
	if (ip_total < ip_len + doff)
		return TCP_PARSE_BAD;
	pk->pay_len = ip_total - (uint32_t)(ip_len + doff);
	pk->tot_hdr = (uint16_t)(ip_len + doff);
	fl = t[13];
	pk->flags = fl;
	type = fl & (TCP_SYN | TCP_ACK | TCP_FIN | TCP_RST);
	if (((fl & TCP_SYN) && (fl & (TCP_FIN | TCP_RST))) ||
	    ((fl & TCP_FIN) && (fl & TCP_RST)) || !type)
		return TCP_PARSE_IGNORED;
	pk->win = tsa_be16(t + 14);
	pk->seq = tsa_be32(t + 4);
	if ((fl & (TCP_ECE | TCP_CWR)) || (t[12] & TCP_NS_RES))
		pk->quirks |= Q_ECN;
	if (!pk->seq)
		pk->quirks |= Q_ZERO_SEQ;
	if (fl & TCP_ACK) {
		if (!tsa_be32(t + 8))
			pk->quirks |= Q_ZERO_ACK;
	} else if (!(fl & TCP_RST) && (t[8] & 1)) {
		/*
		 * p0f 3.09b tests "RD32(ack) & !(flags & RST)": a bitwise AND
		 * with 1, so on little-endian hosts it sees only the lowest
		 * bit of the ACK field's first byte.  Its signatures were
		 * collected that way, so the same test is kept here.
		 */
		pk->quirks |= Q_NZ_ACK;
	}
	if (fl & TCP_URG)
		pk->quirks |= Q_URG;
	else if (tsa_be16(t + 18))
		pk->quirks |= Q_NZ_URG;
	if (fl & TCP_PUSH)
		pk->quirks |= Q_PUSH;
	parse_options(t + 20, t + doff, pk);
	pk->layout = tcp_layout_hash(pk->opt, pk->nopt);
	return TCP_PARSE_OK;
}

uint32_t tcp_layout_hash(const uint8_t *opt, unsigned n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;

	for (; n >= 8; opt += 8, n -= 8) {
		uint64_t w;

		memcpy(&w, opt, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (; n; opt++, n--)
		h = (h ^ *opt) * 0x100000001b3ull;
	h ^= h >> 29;
	return (uint32_t)(h * 0xc4ceb9fe1a85ec53ull >> 32);
}

uint8_t tcp_guess_dist(uint8_t ttl)
{
	if (ttl <= 32)
		return 32 - ttl;
	if (ttl <= 64)
		return 64 - ttl;
	if (ttl <= 128)
		return 128 - ttl;
	return 255 - ttl;
}

/*
 * Is the window a multiple of something derived from the MSS or MTU?
 * The multiplier is p0f's 16-bit signed value; the order of the tests is
 * p0f's.
 */
void tcp_win_explain(const struct tcp_pkt *pk, uint16_t syn_mss,
    struct tcp_win *w)
{
	int win = pk->win, mss = pk->mss;
	int div[12];
	bool mtu[12];
	int n = 0;

	w->multi = -1;
	w->mtu = false;
	if (!win || mss < 100)
		return;
#define TRY(d, m) do { div[n] = (d); mtu[n] = (m); n++; } while (0)
	TRY(mss, false);
	if (pk->ts1)
		TRY(mss - 12, false);
	TRY(1500 - MIN_TCP4, false);
	TRY(1500 - MIN_TCP4 - 12, false);
	if (pk->ver == 6) {
		TRY(1500 - MIN_TCP6, false);
		TRY(1500 - MIN_TCP6 - 12, false);
	}
	TRY(mss + MIN_TCP4, true);
	TRY(mss + pk->tot_hdr, true);
	if (pk->ver == 6)
		TRY(mss + MIN_TCP6, true);
	TRY(1500, true);
	if (syn_mss) {
		TRY(syn_mss, false);
		TRY(syn_mss - 12, false);
	}
#undef TRY
	for (int i = 0; i < n; i++) {
		if (div[i] == 0 || win % div[i])
			continue;
		w->mtu = mtu[i];
		w->multi = (int16_t)(win / div[i]);
		return;
	}
}

/* ---- the [tcp:request] and [tcp:response] signature lines ---- */

static int parse_tcp_layout(const struct sig_line *sl, const char **vp,
    struct tcp_sig_rec *s)
{
	const char *v = *vp;
	long n;

	while (*v != ':') {
		size_t i;

		if (s->nopt >= MAX_TCP_OPT)
			return sig_fail(sl,
			    "more than %d TCP options", MAX_TCP_OPT);
		if (strncmp(v, "eol+", 4) == 0) {
			v += 4;
			if (!sig_number(&v, 255, &n))
				return sig_fail(sl, "malformed 'eol+n' option");
			if (*v != ':')
				return sig_fail(sl,
				    "'eol' must be the last option");
			s->opt[s->nopt++] = 0;
			s->eol_pad = (uint8_t)n;
			break;
		}
		if (*v == '?') {
			v++;
			if (!sig_number(&v, 255, &n))
				return sig_fail(sl, "malformed '?n' option");
			s->opt[s->nopt++] = (uint8_t)n;
		} else {
			for (i = 0; i < NOPT_TEXT; i++) {
				size_t l = opt_text[i].n;

				if (l && strncmp(v, opt_text[i].s, l) == 0 &&
				    (v[l] == ',' || v[l] == ':'))
					break;
			}
			if (i == NOPT_TEXT)
				return sig_fail(sl, "unknown TCP option '%.*s'",
				    (int)strcspn(v, ",:"), v);
			s->opt[s->nopt++] = (uint8_t)i;
			v += opt_text[i].n;
		}
		if (*v == ',')
			v++;
		else if (*v != ':')
			return sig_fail(sl, "malformed TCP option layout");
	}
	*vp = v + 1;
	return 0;
}

static int parse_tcp_quirks(const struct sig_line *sl, const char **vp,
    struct tcp_sig_rec *s)
{
	const char *v = *vp;

	while (*v != ':') {
		int q;

		for (q = 0; q < P0F_NQUIRKS; q++) {
			size_t l = strlen(p0f_quirk_names[q]);

			if (strncmp(v, p0f_quirk_names[q], l) == 0 &&
			    (v[l] == ',' || v[l] == ':'))
				break;
		}
		if (q == P0F_NQUIRKS)
			return sig_fail(sl, "unknown quirk '%.*s'",
			    (int)strcspn(v, ",:"), v);
		/* As p0f: IPv4-only quirks make no sense on an IPv6 sig. */
		if (s->ver == 6 && ((1u << q) & (Q_DF | Q_NZ_ID | Q_ZERO_ID |
		    Q_NZ_MBZ)))
			return sig_fail(sl, "quirk '%s' is not valid for IPv6",
			    p0f_quirk_names[q]);
		if (s->ver == 4 && (1u << q) == Q_FLOW)
			return sig_fail(sl,
			    "quirk 'flow' is not valid for IPv4");
		s->quirks |= 1u << q;
		v += strlen(p0f_quirk_names[q]);
		if (*v == ',')
			v++;
		else if (*v != ':')
			return sig_fail(sl, "malformed quirk list");
	}
	*vp = v + 1;
	return 0;
}

int tcp_sig_register(const struct sig_line *sl, const char *v)
{
	struct tcp_sigs *t = &sl->db->tcp;
	int d = sl->to_srv;
	struct tcp_sig_rec s = { .label = sl->label, .line = sl->line };
	long n, add;

	/* ver */
	if (*v == '4' || *v == '6')
		s.ver = (int8_t)(*v - '0');
	else if (*v == '*')
		s.ver = -1;
	else
		return sig_fail(sl, "IP version must be 4, 6 or *");
	if (v[1] != ':')
		return sig_fail(sl, "malformed signature after the IP version");
	v += 2;
	/* ittl, ittl+dist or ittl- */
	if (!sig_number(&v, 255, &n) || n < 1)
		return sig_fail(sl, "bad initial TTL (1-255)");
	if (*v == '-' && v[1] == ':') {
		s.bad_ttl = true;
		v++;
	} else if (*v == '+') {
		v++;
		if (!sig_number(&v, 255, &add) || n + add > 255)
			return sig_fail(sl,
			    "bad initial TTL (ttl+dist above 255)");
		n += add;
	}
	if (*v++ != ':')
		return sig_fail(sl, "malformed initial TTL");
	s.ttl = (uint8_t)n;
	/* olen */
	if (!sig_number(&v, 255, &n) || *v++ != ':')
		return sig_fail(sl, "bad IP options length (0-255)");
	s.olen = (uint8_t)n;
	/* mss */
	if (v[0] == '*' && v[1] == ':') {
		s.mss = -1;
		v += 2;
	} else {
		if (!sig_number(&v, 65535, &n) || *v++ != ':')
			return sig_fail(sl, "bad MSS (0-65535 or *)");
		s.mss = (int32_t)n;
	}
	/* wsize */
	if (v[0] == '*' && v[1] == ',') {
		s.win_type = P0F_WIN_ANY;
		v++;
	} else if (*v == '%') {
		v++;
		if (!sig_number(&v, 65535, &n) || n < 2)
			return sig_fail(sl,
			    "bad '%%' window divisor (2-65535)");
		s.win_type = P0F_WIN_MOD;
		s.win = (uint16_t)n;
	} else if (strncmp(v, "mss*", 4) == 0 || strncmp(v, "mtu*", 4) == 0) {
		s.win_type = v[1] == 's' ? P0F_WIN_MSS : P0F_WIN_MTU;
		v += 4;
		if (!sig_number(&v, 1000, &n) || n < 1)
			return sig_fail(sl,
			    "bad MSS/MTU window multiplier (1-1000)");
		s.win = (uint16_t)n;
	} else {
		if (!sig_number(&v, 65535, &n))
			return sig_fail(sl, "bad window size (0-65535, mss*N, "
			    "mtu*N, %%N or *)");
		s.win_type = P0F_WIN_NORMAL;
		s.win = (uint16_t)n;
	}
	if (*v++ != ',')
		return sig_fail(sl,
		    "missing ',' between window size and scale");
	/* scale */
	if (v[0] == '*' && v[1] == ':') {
		s.wscale = -1;
		v += 2;
	} else {
		if (!sig_number(&v, 255, &n) || *v++ != ':')
			return sig_fail(sl, "bad window scale (0-255 or *)");
		s.wscale = (int16_t)n;
	}
	if (parse_tcp_layout(sl, &v, &s) < 0 ||
	    parse_tcp_quirks(sl, &v, &s) < 0)
		return -1;
	s.layout = tcp_layout_hash(s.opt, s.nopt);
	/* pclass */
	if (strcmp(v, "*") == 0)
		s.pclass = -1;
	else if (strcmp(v, "0") == 0)
		s.pclass = 0;
	else if (strcmp(v, "+") == 0)
		s.pclass = 1;
	else
		return sig_fail(sl, "payload class must be 0, + or *");
	*(struct tcp_sig_rec *)p0f_grow((void **)&t->sig[d], &t->n[d],
	    &t->cap[d], sizeof s) = s;
	return 0;
}

void tcp_sigs_free(struct tcp_sigs *t)
{
	free(t->sig[0]);
	free(t->sig[1]);
}

/* ---- the search ---- */

/* The hashes first: most signatures have another layout. */
static bool same_layout(const struct tcp_sig_rec *s, const struct tcp_pkt *pk)
{
	return s->layout == pk->layout && s->nopt == pk->nopt &&
	    memcmp(s->opt, pk->opt, pk->nopt) == 0;
}

void tcp_sig_match(const struct p0f_db *db, int to_srv,
    const struct tcp_pkt *pk, const struct tcp_win *w, uint32_t ignore,
    struct tcp_match *m)
{
	const struct tcp_sig_rec *fmatch = NULL, *gmatch = NULL;
	const struct tcp_sig_rec *sigs = db->tcp.sig[to_srv];
	uint32_t quirks = pk->quirks & ~ignore;

	m->sig = NULL;
	m->fuzzy = false;
	m->dist = 0;
	for (unsigned i = 0; i < db->tcp.n[to_srv]; i++) {
		const struct tcp_sig_rec *r = &sigs[i];
		uint32_t rq = r->quirks & ~ignore;
		bool fuzzy = false;

		if (!same_layout(r, pk))
			continue;
		/* A '*' signature ignores the other IP version's quirks. */
		if (r->ver == -1)
			rq &= pk->ver == 4 ? ~(uint32_t)Q_FLOW :
			    ~(uint32_t)(Q_DF | Q_NZ_ID | Q_ZERO_ID);
		if (rq != quirks) {
			uint32_t deleted = (rq ^ quirks) & rq;
			uint32_t added = (rq ^ quirks) & quirks;

			if (fmatch || (deleted & ~(uint32_t)(Q_DF | Q_NZ_ID)) ||
			    (added & ~(uint32_t)(Q_ZERO_ID | Q_ECN)))
				continue;
			fuzzy = true;
		}
		if (r->eol_pad != pk->eol_pad || r->olen != pk->olen)
			continue;
		if (r->bad_ttl) {
			if (r->ttl < pk->ttl)
				continue;
		} else if (r->ttl < pk->ttl || r->ttl - pk->ttl > MAX_DIST)
			fuzzy = true;
		if (r->mss != -1 && r->mss != pk->mss)
			continue;
		if (r->wscale != -1 && r->wscale != pk->wscale)
			continue;
		if (r->pclass != -1 && r->pclass != (pk->pay_len != 0))
			continue;
		switch (r->win_type) {
		case P0F_WIN_NORMAL:
			if (r->win != pk->win)
				continue;
			break;
		case P0F_WIN_MOD:
			if (pk->win % r->win)
				continue;
			break;
		case P0F_WIN_MSS:
			if (w->mtu || r->win != w->multi)
				continue;
			break;
		case P0F_WIN_MTU:
			if (!w->mtu || r->win != w->multi)
				continue;
			break;
		default:
			break;
		}
		if (!fuzzy) {
			if (!r->label->generic) {
				m->sig = r;
				m->dist = (uint8_t)(r->ttl - pk->ttl);
				return;
			}
			if (!gmatch)
				gmatch = r;
		} else if (!fmatch)
			fmatch = r;
	}
	if (gmatch) {
		m->sig = gmatch;
		m->dist = (uint8_t)(gmatch->ttl - pk->ttl);
		return;
	}
	/* p0f gives no fuzzy matches to userland tools. */
	if (fmatch && fmatch->label->class_id == -1)
		return;
	if (!fmatch || fmatch->ttl < pk->ttl ||
	    (!fmatch->bad_ttl && fmatch->ttl - pk->ttl > MAX_DIST))
		m->dist = tcp_guess_dist(pk->ttl);
	else
		m->dist = (uint8_t)(fmatch->ttl - pk->ttl);
	m->sig = fmatch;
	m->fuzzy = fmatch != NULL;
}

/*
 * The signature text, with no printf: it is made for every SYN and
 * SYN+ACK.  Every field has a bound, so it is written unchecked into a
 * buffer long enough for the longest, then cut to TCP_RAW_SIG_MAX as a
 * bounded appender would cut it.
 */

/* "00" to "99": two digits a division. */
static const char digit_pairs[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* The numbers of a signature all fit 16 bits: five digits at most. */
static inline char *put_dec(char *d, uint16_t v)
{
	unsigned n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : 5;
	char *p = d + n;

	for (; v >= 100; v /= 100) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * (v % 100), 2);
	}
	if (v >= 10)
		memcpy(p - 2, digit_pairs + 2 * v, 2);
	else
		p[-1] = (char)('0' + v);
	return d + n;
}

/* Text, up to end at most. */
static inline char *put_txt(char *d, const char *end, const char *s)
{
	while (*s && d < end)
		*d++ = *s++;
	return d;
}


/*
 * The longest text: "255:255+255:255:65535:mtu*65535,255:" (36), then
 * per option "eol+255," (8), ':', per quirk a name of at most 6 and ','
 * (p0f_quirk_names), ":+".  The quirks' names come from a table: from
 * there on every byte goes through put_txt(), which stops at the end.
 */
#define SIG_TEXT_MAX (36 + MAX_TCP_OPT * 8 + 1 + P0F_NQUIRKS * 7 + 2)

size_t tcp_sig_format(const struct tcp_pkt *pk, const struct tcp_win *w,
    char buf[TCP_RAW_SIG_MAX])
{
	char t[SIG_TEXT_MAX], *d = t;
	const char *end = t + SIG_TEXT_MAX;
	uint8_t dist = tcp_guess_dist(pk->ttl);
	unsigned nopt = pk->nopt < MAX_TCP_OPT ? pk->nopt : MAX_TCP_OPT;
	size_t n;

	d = put_dec(d, pk->ver);
	*d++ = ':';
	d = put_dec(d, pk->ttl);
	*d++ = '+';
	if (dist > MAX_DIST)
		*d++ = '?';
	else
		d = put_dec(d, dist);
	*d++ = ':';
	d = put_dec(d, pk->olen);
	*d++ = ':';
	if (pk->mss == SPECIAL_MSS &&
	    (pk->flags & (TCP_SYN | TCP_ACK | TCP_FIN | TCP_RST)) ==
	    (TCP_SYN | TCP_ACK))
		*d++ = '*';
	else
		d = put_dec(d, pk->mss);
	*d++ = ':';
	if (w->multi > 0) {
		memcpy(d, w->mtu ? "mtu*" : "mss*", 4);
		d = put_dec(d + 4, (uint16_t)w->multi);
	} else
		d = put_dec(d, pk->win);
	*d++ = ',';
	d = put_dec(d, pk->wscale);
	*d++ = ':';
	for (unsigned i = 0; i < nopt; i++) {
		uint8_t k = pk->opt[i];

		if (i)
			*d++ = ',';
		if (k == TCPOPT_EOL) {
			memcpy(d, "eol+", 4);
			d = put_dec(d + 4, pk->eol_pad);
		} else if (k < sizeof opt_text / sizeof *opt_text &&
		    opt_text[k].n) {
			memcpy(d, opt_text[k].s, 4);
			d += opt_text[k].n;
		} else {
			*d++ = '?';
			d = put_dec(d, k);
		}
	}
	*d++ = ':';
	for (int q = 0, first = 1; q < P0F_NQUIRKS && pk->quirks >> q; q++)
		if (pk->quirks & (1u << q)) {
			if (!first)
				d = put_txt(d, end, ",");
			d = put_txt(d, end, p0f_quirk_names[q]);
			first = 0;
		}
	d = put_txt(d, end, pk->pay_len ? ":+" : ":0");
	n = (size_t)(d - t);
	if (n > TCP_RAW_SIG_MAX - 1)
		n = TCP_RAW_SIG_MAX - 1;
	memcpy(buf, t, n);
	buf[n] = 0;
	return n;
}
