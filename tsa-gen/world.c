/*
 * Population.  Operating systems, browsers and link types are drawn with
 * fixed weights so that every stack in os_stacks.c shows up even in small
 * captures; remote hosts sit 4 to 24 hops away (TTL reduced accordingly),
 * local ones 0 or 1.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "geo_prefixes.h"
#include "http_msg.h"
#include "os_stacks.h"
#include "world.h"
#include "wbuf.h"

#define N_LOCAL		48
#define N_REMOTE	700
#define N_SITES		2400
#define N_LSITES	3

static struct host *
new_host(struct world *w, struct rng *r, uint64_t start, int af, int local,
    int os, const uint8_t addr[16])
{
	struct host *h;

	if (w->nhosts == w->cap)
		tsa_die("internal error: host table full");
	h = &w->hosts[w->nhosts++];
	memset(h, 0, sizeof *h);
	h->af = (uint8_t)af;
	h->local = (uint8_t)local;
	h->os = (uint8_t)os;
	memcpy(h->addr, addr, 16);
	h->ttl = (uint8_t)(os_stacks[os].ttl - (local ? rng_below(r, 2) :
	    rng_range(r, 4, 24)));
	/* Link MTU behind the host: Ethernet, PPPoE (DSL), VPN tunnels. */
	{
		static const uint16_t mtu[] = { 1500, 1492, 1440, 1420, 1400 };
		static const uint16_t wt[] = { 70, 12, 7, 6, 5 };
		unsigned k = local ? 0 : rng_weighted(r, wt, 5);
		h->mss = (uint16_t)(mtu[k] - (af == 4 ? 40 : 60));
	}
	h->ipid = (uint16_t)rng_range(r, 1, 65535);
	/* Up between an hour and 120 days before the capture starts. */
	h->boot_ns = start - (uint64_t)rng_range(r, 3600, 120 * 86400) * NSEC;
	h->boot_ns -= rng_below(r, 1000000000);
	h->mac[0] = 0x02;	/* locally administered, from the address */
	for (int i = 0; i < 5; i++)
		h->mac[1 + i] = (uint8_t)(addr[af == 4 ? (i % 4) : 11 + i] ^
		    (i * 0x3b));
	return h;
}

static void
v4(uint8_t a[16], unsigned x, unsigned y, unsigned z, unsigned t)
{
	memset(a, 0, 16);
	a[0] = (uint8_t)x; a[1] = (uint8_t)y; a[2] = (uint8_t)z; a[3] = (uint8_t)t;
}

static void
ula(uint8_t a[16], struct rng *r, unsigned last)
{
	static const uint8_t pfx[8] = { 0xfd, 0x12, 0x34, 0x56, 0x78, 0x9a, 0, 1 };

	memcpy(a, pfx, 8);
	if (last) {		/* a server's fixed interface id */
		memset(a + 8, 0, 8);
		be16(a + 14, last);
	} else {		/* privacy extension address */
		rng_fill(r, a + 8, 8);
	}
}

static struct host *
remote_host(struct world *w, struct rng *r, uint64_t start, int af, int os)
{
	uint8_t a[16];
	const struct prefix *p = af == 4 ? &prefixes4[rng_below(r, nprefixes4)] :
	    &prefixes6[rng_below(r, nprefixes6)];

	prefix_pick(r, p, a);
	return new_host(w, r, start, af, 0, os, a);
}

/* Operating systems of people's machines, and what browser each runs. */
static int
client_os(struct rng *r)
{
	static const uint16_t wt[OS_COUNT] = {
		[OS_LINUX311] = 14, [OS_LINUX26] = 5, [OS_ANDROID] = 7,
		[OS_WIN7] = 16, [OS_WIN10] = 24, [OS_MACOS] = 12,
		[OS_MACOSX] = 5, [OS_IOS] = 12, [OS_FREEBSD] = 5,
	};
	return (int)rng_weighted(r, wt, OS_COUNT);
}

static int
client_app(struct rng *r, int os)
{
	switch (os) {
	case OS_WIN7:
	case OS_WIN10: {
		static const uint8_t a[] = { UA_CHROME, UA_CHROME, UA_FIREFOX,
		    UA_MSIE, UA_CURL };
		return a[rng_below(r, sizeof a)];
	}
	case OS_MACOS:
	case OS_MACOSX: {
		static const uint8_t a[] = { UA_SAFARI, UA_SAFARI, UA_CHROME,
		    UA_FIREFOX, UA_CURL };
		return a[rng_below(r, sizeof a)];
	}
	case OS_IOS:
		return UA_SAFARI_IOS;
	case OS_ANDROID:
		return UA_CHROME_ANDROID;
	default: {
		static const uint8_t a[] = { UA_FIREFOX, UA_FIREFOX, UA_CHROME,
		    UA_CURL, UA_WGET };
		return a[rng_below(r, sizeof a)];
	}
	}
}

static int
server_os(struct rng *r, int server)
{
	if (server == SRV_IIS)
		return OS_WIN7;
	static const uint16_t wt[] = { 60, 20, 20 };
	static const uint8_t os[] = { OS_LINUX311, OS_LINUX26, OS_FREEBSD };
	return os[rng_weighted(r, wt, 3)];
}

static int
pick_server(struct rng *r)
{
	static const uint16_t wt[SRV_COUNT] = { 40, 45, 15 };
	return (int)rng_weighted(r, wt, SRV_COUNT);
}

struct world *
world_build(struct rng *r, uint64_t start)
{
	struct world *w = tsa_calloc(1, sizeof *w);
	uint8_t a[16];
	uint64_t cum = 0;
	unsigned i;

	w->cap = 2 * N_LOCAL + 2 * N_REMOTE + 2 * N_SITES + 2 * N_LSITES + 128;
	w->hosts = tsa_calloc(w->cap, sizeof *w->hosts);

	/* Local clients: 192.168.1.100+ and 10.20.x.y; half dual-stack. */
	w->local = tsa_calloc(N_LOCAL, sizeof *w->local);
	w->nlocal = N_LOCAL;
	for (i = 0; i < N_LOCAL; i++) {
		struct client *c = &w->local[i];
		int os = client_os(r);
		if (i % 2 == 0)
			v4(a, 192, 168, 1, 100 + i);
		else {
			unsigned net = rng_range(r, 0, 15);
			v4(a, 10, 20, net, rng_range(r, 2, 250));
		}
		c->h4 = new_host(w, r, start, 4, 1, os, a);
		if (rng_chance(r, 0.5)) {
			ula(a, r, 0);
			c->h6 = new_host(w, r, start, 6, 1, os, a);
			c->h6->boot_ns = c->h4->boot_ns;	/* same machine */
		}
		c->app = (uint8_t)client_app(r, os);
		c->lang = (uint8_t)rng_below(r, N_LANGS);
	}

	/* Remote clients connecting to our servers. */
	w->remote = tsa_calloc(N_REMOTE, sizeof *w->remote);
	w->nremote = N_REMOTE;
	for (i = 0; i < N_REMOTE; i++) {
		struct client *c = &w->remote[i];
		int os = client_os(r);
		int six = rng_chance(r, 0.2);
		if (six)
			c->h6 = remote_host(w, r, start, 6, os);
		else
			c->h4 = remote_host(w, r, start, 4, os);
		c->app = (uint8_t)client_app(r, os);
		c->lang = (uint8_t)rng_below(r, N_LANGS);
	}

	/* Remote sites; popularity is Zipf-like so some names recur a lot. */
	w->sites = tsa_calloc(N_SITES, sizeof *w->sites);
	w->nsites = N_SITES;
	for (i = 0; i < N_SITES; i++) {
		struct site *s = &w->sites[i];
		const struct prefix *p = &prefixes4[rng_below(r, nprefixes4)];
		int server = pick_server(r);
		int os = server_os(r, server);

		prefix_pick(r, p, a);
		s->h4 = new_host(w, r, start, 4, 0, os, a);
		if (rng_chance(r, 0.45)) {
			const struct prefix *p6 =
			    &prefixes6[rng_below(r, nprefixes6)];
			prefix_pick(r, p6, a);
			s->h6 = new_host(w, r, start, 6, 0, os, a);
			s->h6->boot_ns = s->h4->boot_ns;
		}
		name_site(r, p->tld, s->name);
		if (rng_chance(r, 0.3))
			name_cdn(r, s->name, s->cname);
		s->server = (uint8_t)server;
		s->http_port = rng_chance(r, 0.03) ? 8080 : 80;
		cum += 10000 / (1 + i % 500) + 1;
		s->cum = cum;
	}

	/* Our servers: nginx on Linux, IIS on Windows, Apache on FreeBSD. */
	w->lsites = tsa_calloc(N_LSITES, sizeof *w->lsites);
	w->nlsites = N_LSITES;
	{
		static const uint8_t srv[N_LSITES] = { SRV_NGINX, SRV_IIS,
		    SRV_APACHE };
		static const uint8_t os[N_LSITES] = { OS_LINUX311, OS_WIN7,
		    OS_FREEBSD };
		static const char *const names[N_LSITES] = {
		    "www.example-corp.com", "intranet.example-corp.com",
		    "files.example-corp.com" };
		for (i = 0; i < N_LSITES; i++) {
			struct site *s = &w->lsites[i];
			v4(a, 192, 168, 1, 10 + i);
			s->h4 = new_host(w, r, start, 4, 1, os[i], a);
			ula(a, r, 0x10 + i);
			s->h6 = new_host(w, r, start, 6, 1, os[i], a);
			s->h6->boot_ns = s->h4->boot_ns;
			strcpy(s->name, names[i]);
			s->server = srv[i];
			s->http_port = 80;
		}
	}

	/* The router resolves for the LAN; some clients use public ones. */
	v4(a, 192, 168, 1, 1);
	w->resolver4[0] = new_host(w, r, start, 4, 1, OS_LINUX311, a);
	v4(a, 8, 8, 8, 8);
	w->resolver4[1] = new_host(w, r, start, 4, 0, OS_LINUX311, a);
	v4(a, 9, 9, 9, 9);
	w->resolver4[2] = new_host(w, r, start, 4, 0, OS_LINUX311, a);
	ula(a, r, 1);
	w->resolver6 = new_host(w, r, start, 6, 1, OS_LINUX311, a);
	for (i = 0; i < 4; i++)
		w->ntp[i] = remote_host(w, r, start, i == 3 ? 6 : 4,
		    OS_LINUX311);
	for (i = 0; i < 64; i++)
		w->open_resolvers[i] = remote_host(w, r, start, 4, OS_LINUX26);

	w->flooder = remote_host(w, r, start, 4, OS_LINUX311);
	v4(a, 192, 168, 1, 20);
	w->flood_victim = new_host(w, r, start, 4, 1, OS_LINUX26, a);
	w->scanner = remote_host(w, r, start, 4, OS_LINUX311);
	v4(a, 192, 168, 1, 30);
	w->scan_target = new_host(w, r, start, 4, 1, OS_LINUX311, a);
	w->backscatter_src = remote_host(w, r, start, 4, OS_LINUX311);
	v4(a, 192, 168, 1, 40);
	w->reflection_victim = new_host(w, r, start, 4, 1, OS_WIN10, a);
	return w;
}

void
world_free(struct world *w)
{
	free(w->hosts);
	free(w->local);
	free(w->remote);
	free(w->sites);
	free(w->lsites);
	free(w);
}

const struct site *
world_pick_site(const struct world *w, struct rng *r)
{
	uint64_t x = rng_next(r) % w->sites[w->nsites - 1].cum;
	unsigned lo = 0, hi = w->nsites - 1;

	/* First site whose cumulative weight exceeds x. */
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (w->sites[mid].cum > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &w->sites[lo];
}

void
world_random_local(struct rng *r, struct host *h)
{
	memset(h, 0, sizeof *h);
	h->af = 4;
	h->local = 1;
	h->os = OS_LINUX311;
	h->ttl = 64;
	h->mss = 1460;
	unsigned net = rng_below(r, 256);
	v4(h->addr, 10, 20, net, rng_range(r, 1, 254));
	h->mac[0] = 0x02;
	memcpy(h->mac + 2, h->addr, 4);
}
