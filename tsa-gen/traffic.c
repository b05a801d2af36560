/*
 * What the capture holds, by share of activities started:
 *   web visits from the LAN: DNS lookup, then HTTP (port 80/8080) or TLS
 *   connections from the internet to our three servers
 *   DNS lookups alone (a share of them NXDOMAIN), NTP polls, QUIC,
 *   pings (ICMP and ICMPv6), traceroute probes answered by unreachables.
 * The spawner's mean gap after starting an activity is that activity's
 * mean packet count divided by the packet rate left after the attacks, so
 * the capture runs at the requested rate on average.
 */
#include <math.h>
#include <string.h>

#include "util.h"
#include "activity.h"
#include "http_msg.h"
#include "sched.h"
#include "world.h"
#include "traffic.h"

enum mix {
	MIX_WEB_HTTP, MIX_WEB_TLS, MIX_INBOUND, MIX_DNS, MIX_NTP, MIX_QUIC,
	MIX_PING, MIX_UNREACH, MIX_COUNT
};

static const uint16_t mix_weight[MIX_COUNT] = {
	[MIX_WEB_HTTP] = 20, [MIX_WEB_TLS] = 32, [MIX_INBOUND] = 10,
	[MIX_DNS] = 16, [MIX_NTP] = 5, [MIX_QUIC] = 7, [MIX_PING] = 7,
	[MIX_UNREACH] = 3,
};

/* Mean packets each activity emits (measured on long runs). */
static const double mix_packets[MIX_COUNT] = {
	[MIX_WEB_HTTP] = 26.2, [MIX_WEB_TLS] = 37.2, [MIX_INBOUND] = 27.8,
	[MIX_DNS] = 2.84, [MIX_NTP] = 5.2, [MIX_QUIC] = 25.3, [MIX_PING] = 7.9,
	[MIX_UNREACH] = 4.0,
};

static struct host *
pick_resolver(struct gen *g, struct client *c, int *v6)
{
	struct world *w = g->world;
	static const uint16_t wt[3] = { 70, 20, 10 };

	*v6 = c->h6 && rng_chance(&g->rng, 0.3);
	if (*v6)
		return w->resolver6;
	return w->resolver4[rng_weighted(&g->rng, wt, 3)];
}

static void
start_visit(struct gen *g, struct act *a, int tls)
{
	struct world *w = g->world;
	struct client *c = &w->local[rng_below(&g->rng, w->nlocal)];
	const struct site *s = world_pick_site(w, &g->rng);
	int dns6;
	struct host *res = pick_resolver(g, c, &dns6);

	a->kind = ACT_VISIT_DNS;
	a->visit.c = c;
	a->visit.site = s;
	a->visit.tls = (uint8_t)tls;
	/* Happy eyeballs: IPv6 when both ends have it, mostly. */
	a->visit.v6 = c->h6 && s->h6 && rng_chance(&g->rng, 0.8);
	dns_lookup_init(g, &a->u.dns, dns6 ? c->h6 : c->h4, res, s,
	    c->h6 != NULL);
}

/* The lookup is answered: open the connection to the answered address. */
static void
visit_connect(struct gen *g, struct act *a)
{
	struct client *c = a->visit.c;
	const struct site *s = a->visit.site;
	struct host *cli = a->visit.v6 ? c->h6 : c->h4;
	struct host *srv = a->visit.v6 ? s->h6 : s->h4;

	a->kind = ACT_TCP;
	if (a->visit.tls)
		tcp_sess_tls(g, &a->u.tcp, cli, srv, s->name,
		    c->app != UA_CURL && c->app != UA_WGET, 1);
	else
		tcp_sess_http(g, &a->u.tcp, cli, srv, s->name, s->http_port,
		    c->app, c->lang, s->server, 1);
}

static void
start(struct gen *g, struct act *a, int what)
{
	struct world *w = g->world;
	struct client *c = &w->local[rng_below(&g->rng, w->nlocal)];
	const struct site *s = world_pick_site(w, &g->rng);
	int six = c->h6 && s->h6 && rng_chance(&g->rng, 0.6);
	struct host *ch = six ? c->h6 : c->h4;
	struct host *sh = six ? s->h6 : s->h4;

	switch (what) {
	case MIX_WEB_HTTP:
	case MIX_WEB_TLS:
		start_visit(g, a, what == MIX_WEB_TLS);
		break;
	case MIX_INBOUND: {
		struct client *rc = &w->remote[rng_below(&g->rng, w->nremote)];
		struct site *ls = &w->lsites[rng_below(&g->rng, w->nlsites)];
		struct host *rh = rc->h6 ? rc->h6 : rc->h4;
		struct host *lh = rc->h6 ? ls->h6 : ls->h4;
		a->kind = ACT_TCP;
		if (rng_chance(&g->rng, 0.4))
			tcp_sess_tls(g, &a->u.tcp, rh, lh, ls->name,
			    rc->app != UA_CURL && rc->app != UA_WGET, 0);
		else
			tcp_sess_http(g, &a->u.tcp, rh, lh, ls->name, 80,
			    rc->app, rc->lang, ls->server, 0);
		break;
	}
	case MIX_DNS: {
		int dns6;
		struct host *res = pick_resolver(g, c, &dns6);
		a->kind = ACT_DNS;
		dns_lookup_init(g, &a->u.dns, dns6 ? c->h6 : c->h4, res,
		    rng_chance(&g->rng, 0.4) ? NULL : s, c->h6 != NULL);
		break;
	}
	case MIX_NTP: {
		int k = rng_below(&g->rng, 4);
		a->kind = ACT_NTP;
		if (w->ntp[k]->af == 6 && !c->h6)
			k = 0;
		ntp_init(g, &a->u.ntp, w->ntp[k]->af == 6 ? c->h6 : c->h4,
		    w->ntp[k]);
		break;
	}
	case MIX_QUIC:
		a->kind = ACT_QUIC;
		quic_init(g, &a->u.quic, ch, sh);
		break;
	case MIX_PING:
		a->kind = ACT_PING;
		if (rng_chance(&g->rng, 0.15)) {	/* someone pings us */
			struct client *rc =
			    &w->remote[rng_below(&g->rng, w->nremote)];
			struct site *ls =
			    &w->lsites[rng_below(&g->rng, w->nlsites)];
			ping_init(g, &a->u.ping, rc->h6 ? rc->h6 : rc->h4,
			    rc->h6 ? ls->h6 : ls->h4);
		} else {
			ping_init(g, &a->u.ping, ch, sh);
		}
		break;
	default:
		a->kind = ACT_UNREACH;
		unreach_init(g, &a->u.unreach, ch, sh);
		break;
	}
}

static uint64_t
spawn(struct gen *g)
{
	struct act *a = sched_new(g->sched);
	unsigned what = rng_weighted(&g->rng, mix_weight, MIX_COUNT);
	double gap;

	memset(a, 0, sizeof *a);
	start(g, a, (int)what);
	a->t = g->now;
	sched_push(g->sched, a);
	gap = rng_exp(&g->rng, mix_packets[what] / g->normal_rate);
	return g->now + 1 + (uint64_t)(gap * (double)NSEC);
}

void
traffic_start(struct gen *g, double attack_pct)
{
	double span = (double)g->limit / g->rate;	/* seconds */
	uint64_t attack = (uint64_t)llround((double)g->limit * attack_pct /
	    100.0);
	unsigned nb;
	struct act *a;

	/* Bursts of at least 1200 packets where the budget allows (the
	 * detectors fire above 1000 a minute); one smaller burst else. */
	nb = (unsigned)(attack / 1200);
	if (nb > BURST_KINDS)
		nb = BURST_KINDS;
	if (nb == 0 && attack > 0)
		nb = 1;
	g->normal_rate = g->rate * (1.0 - attack_pct / 100.0);
	if (g->normal_rate < 1)
		g->normal_rate = 1;

	for (unsigned k = 0; k < nb; k++) {
		double dur = span / (2.0 * nb);
		if (dur > 30)
			dur = 30;
		double at = span * (k + 1) / (nb + 1) - dur / 2;
		a = sched_new(g->sched);
		memset(a, 0, sizeof *a);
		a->kind = ACT_BURST;
		burst_init(g, &a->u.burst, (int)k, (uint32_t)(attack / nb),
		    (uint64_t)(dur * (double)NSEC));
		a->t = g->start + (uint64_t)(at * (double)NSEC);
		sched_push(g->sched, a);
	}

	a = sched_new(g->sched);
	memset(a, 0, sizeof *a);
	a->kind = ACT_SPAWN;
	a->t = g->start;
	sched_push(g->sched, a);
}

int
act_step(struct gen *g, struct act *a, uint64_t *next)
{
	switch (a->kind) {
	case ACT_SPAWN:
		*next = spawn(g);
		return 1;
	case ACT_VISIT_DNS:
		if (!dns_lookup_step(g, &a->u.dns, next))
			visit_connect(g, a);
		return 1;
	case ACT_TCP:
		return tcp_sess_step(g, &a->u.tcp, next);
	case ACT_DNS:
		return dns_lookup_step(g, &a->u.dns, next);
	case ACT_NTP:
		return ntp_step(g, &a->u.ntp, next);
	case ACT_QUIC:
		return quic_step(g, &a->u.quic, next);
	case ACT_PING:
		return ping_step(g, &a->u.ping, next);
	case ACT_UNREACH:
		return unreach_step(g, &a->u.unreach, next);
	case ACT_BURST:
		return burst_step(g, &a->u.burst, next);
	}
	tsa_die("internal error: activity kind %d", a->kind);
}
