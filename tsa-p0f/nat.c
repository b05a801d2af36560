/*
 * p0f's NAT and host-change detection (its add_nat_score, verify_tool_class
 * and the score_nat of fp_tcp.c and fp_http.c): each new SYN, SYN+ACK or
 * HTTP message of a host is compared with what the host showed before,
 * and the differences scored.  A run of large scores means several
 * systems share the address (NAT, proxy, load balancer); a single large
 * one, that the host changed (rebooted into another OS, address reused).
 */
#include <string.h>

#include "config.h"
#include "nat.h"

/*
 * Record a score for the host as client (to_srv 1) or server; the last
 * NAT_SCORES are kept per host and direction.
 */
static void nat_add_score(struct host *h, int to_srv, uint16_t reason,
    uint8_t score, int64_t now)
{
	uint8_t *s = h->scores[to_srv ? 1 : 0];
	unsigned over5 = 0, over2 = 0, over1 = 0, over0 = 0;

	memmove(s, s + 1, NAT_SCORES - 1);
	s[NAT_SCORES - 1] = score;
	h->nat_reasons |= reason;
	if (!score)
		return;
	for (int i = 0; i < NAT_SCORES; i++) {
		if (s[i] >= 6)
			over5++;
		if (s[i] >= 3)
			over2++;
		if (s[i] >= 2)
			over1++;
		if (s[i] >= 1)
			over0++;
	}
	if (over5 > 2 || over2 > 4 || over1 > 6 || over0 > 8) {
		h->last_nat = now;
		memset(s, 0, NAT_SCORES);
		h->nat_reasons = 0;
	} else if (score > 1)
		h->last_chg = now;
}

void nat_verify_app(struct host *h, int to_srv, const struct p0f_label *app,
    int64_t now)
{
	unsigned i;

	if (!h->os)
		return;
	for (i = 0; i < app->nsys; i++) {
		uint32_t s = app->sys[i];

		if (s & P0F_SYS_CLASS ?
		    (int)(s & ~P0F_SYS_CLASS) == h->os->class_id :
		    (int)s == h->os->name_id)
			break;
	}
	if (i == app->nsys)
		nat_add_score(h, to_srv, NAT_APP_SIG, 4, now);
	else
		nat_add_score(h, to_srv, 0, 0, now);
}

void nat_score_tcp(struct host *h, int to_srv, const struct tcp_pkt *pk,
    const struct tcp_match *m, uint16_t cli_port, int64_t now_ms)
{
	struct sig_hist *ref = to_srv ? &h->syn : &h->synack;
	const struct tcp_sig_rec *sig = m->sig;
	uint16_t reason = 0;
	unsigned score = 0;
	bool diff_already = false;
	int64_t now = now_ms / 1000;

	if (!ref->valid) {
		if (sig && h->os && h->os->name_id != sig->label->name_id) {
			reason |= NAT_OS_SIG;
			score += 8;
		}
		goto update;
	}
	if (!sig || !ref->sig) {
		/* Unknown signatures: weak evidence, maybe a userland tool. */
		if ((pk->quirks ^ ref->quirks) &
		    ~(uint32_t)(Q_ECN | Q_DF | Q_NZ_ID | Q_ZERO_ID)) {
			reason |= NAT_UNK_DIFF;
			score += 2;
		} else if (to_srv && pk->layout != ref->layout) {
			reason |= NAT_UNK_DIFF;
			score += 1;
		}
		if (to_srv && sig != ref->sig) {
			reason |= NAT_TO_UNK;
			score += 1;
		}
	} else if (ref->sig->label->name_id != sig->label->name_id) {
		reason |= NAT_OS_SIG;
		score += 8;
		diff_already = true;
	} else if (to_srv) {
		if (ref->sig->label != sig->label) {
			reason |= NAT_OS_SIG;
			score += 2;
		} else if (ref->sig != sig) {
			reason |= NAT_OS_SIG;
			score += 1;
		} else if (m->fuzzy != ref->fuzzy) {
			reason |= NAT_FUZZY;
			score += 1;
		}
	}
	if (!diff_already && sig && h->os &&
	    h->os->name_id != sig->label->name_id) {
		reason |= NAT_OS_SIG;
		score += 8;
		diff_already = true;
	}
	{
		int ttl_diff = (int)pk->ttl - ref->ttl;

		if (!diff_already && ttl_diff && (!sig || !sig->bad_ttl) &&
		    (!ref->sig || !ref->sig->bad_ttl) &&
		    (m->dist <= NEAR_TTL_LIMIT || ttl_diff > 1)) {
			int a = ttl_diff < 0 ? -ttl_diff : ttl_diff;

			score += m->dist > LOCAL_TTL_LIMIT &&
			    a <= SMALL_TTL_CHG ? 1 : 4;
			reason |= NAT_TTL;
		}
	}
	if (to_srv && h->last_port && cli_port < h->last_port &&
	    h->last_port - cli_port >= MIN_PORT_DROP) {
		reason |= NAT_PORT;
		score += 1;
	}
	if (pk->mss != ref->mss) {
		reason |= NAT_MSS;
		score += 1;
	}
	/* Consistent timestamps halve the score; a jump adds to it. */
	if (score && pk->ts1 && ref->ts1) {
		uint64_t ms_diff = (uint64_t)(now_ms - ref->ms);

		if (ms_diff < MAX_NAT_TS) {
			uint64_t use = ms_diff < TSTAMP_GRACE ? TSTAMP_GRACE :
			    ms_diff;
			uint64_t max_ts = use * MAX_TSCALE / 1000;
			uint32_t ts_diff = pk->ts1 - ref->ts1;

			if (ts_diff > max_ts && (ms_diff >= TSTAMP_GRACE ||
			    (uint32_t)~ts_diff > max_ts)) {
				score += 4;
				reason |= NAT_TS;
			} else
				score /= 2;
		}
	}
update:
	nat_add_score(h, to_srv, reason, score > 255 ? 255 : (uint8_t)score,
	    now);
	if (sig)
		h->os = sig->label;
	h->last_port = cli_port;
}

/*
 * HTTP's part (p0f's fp_http.c score_nat): unknown signatures are taken to
 * be applications, so only a server that goes from known to unknown, an
 * application on the wrong OS, a server whose software changes (load
 * balancing), a User-Agent naming another OS, Via / X-Forwarded-For, or a
 * server clock (Date) that jumps.
 */
void nat_score_http(struct host *h, int to_srv, const struct p0f_db *db,
    const struct http_msg *msg, const struct http_match *hm,
    uint16_t srv_port, int64_t now)
{
	const struct p0f_label *m = hm->sig ? hm->sig->label : NULL;
	const struct p0f_label *ref = to_srv ? h->http_req_os : h->http_resp;
	bool ref_seen = to_srv ? h->http_req_os != NULL :
	    h->http_resp_seen && h->http_resp_port == srv_port;
	uint16_t reason = 0;
	unsigned score = 0;

	if (!ref_seen)
		ref = NULL;
	if (!m) {
		if (!to_srv && ref) {
			score += 4;
			reason |= NAT_TO_UNK;
		}
	} else if (m->class_id == -1) {
		nat_verify_app(h, to_srv, m, now);
		if (!to_srv && ref) {
			if (ref->name_id != m->name_id) {
				score += 8;
				reason |= NAT_APP_LB;
			} else if (ref != m) {
				score += 2;
				reason |= NAT_APP_LB;
			}
		}
	} else {
		bool diff_already = false;

		if (ref && ref->name_id != m->name_id) {
			score += 8;
			reason |= NAT_OS_SIG;
			diff_already = true;
		} else if (ref && ref != m) {
			score += 2;
			reason |= NAT_OS_SIG;
		} else if (!ref && ref_seen) {
			score += 4;
			reason |= NAT_TO_UNK;
		}
		if (!diff_already && (!h->os || h->os->name_id != m->name_id)) {
			score += 4;
			reason |= NAT_OS_SIG;
		}
	}
	/* An honest-looking User-Agent that names another OS. */
	if (to_srv && m && m->class_id == -1 && msg->sw && !hm->dishonest) {
		const struct ua_os *u = http_ua_os(db, msg->sw, msg->swlen);

		if (u) {
			if (!h->os || u->name_id != h->os->name_id) {
				score += 4;
				reason |= NAT_APP_UA;
				if (!h->bad_sw)
					h->bad_sw = 1;
			} else
				h->bad_sw = 0;
		}
	}
	if (msg->via) {
		score += 8;
		reason |= NAT_APP_VIA;
	}
	if (!to_srv && ref_seen && h->http_resp_date && msg->date) {
		int64_t recv_diff = now - h->http_resp_recv;
		int64_t hdr_diff = msg->date - h->http_resp_date;

		if (hdr_diff < -HTTP_MAX_DATE_DIFF ||
		    hdr_diff > recv_diff + HTTP_MAX_DATE_DIFF) {
			score += 4;
			reason |= NAT_APP_DATE;
		}
	}
	nat_add_score(h, to_srv, reason, score > 255 ? 255 : (uint8_t)score,
	    now);
	if (!to_srv) {
		h->http_resp_seen = true;
		h->http_resp = m;
		h->http_resp_port = srv_port;
		h->http_resp_date = msg->date;
		h->http_resp_recv = now;
	}
}
