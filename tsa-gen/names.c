/*
 * Site names are built from common words so that each site has a
 * readable registrable domain under a real public suffix (multi-label
 * ones like co.uk and com.au included), which the aggregate stage groups.
 */
#include <stdio.h>
#include <string.h>

#include "names.h"

static const char *const words[] = {
	"news", "shop", "mail", "cloud", "photo", "travel", "bank", "music",
	"video", "game", "sport", "weather", "food", "health", "auto",
	"home", "book", "market", "radio", "tech", "city", "green", "blue",
	"north", "star", "river", "stone", "bright", "open", "smart",
	"daily", "global", "local", "first", "best", "fast", "fresh",
	"media", "press", "post", "hub", "net", "web", "data", "soft",
	"design", "studio", "house", "garden", "fashion", "style", "kids",
	"school", "campus", "jobs", "estate", "energy", "solar", "motor",
	"ticket", "hotel", "flight", "film", "art", "craft", "pet", "farm",
	"coffee", "pizza", "wine", "beer", "bike", "run", "ski", "surf",
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *const gtlds[] = {
	"com", "com", "com", "net", "org", "io", "info", "eu",
};
#define NGTLDS (sizeof gtlds / sizeof gtlds[0])

static const char *const subs[] = {
	"www", "www", "www", "www", "m", "static", "cdn", "api", "img",
	"shop", "blog", "news", "login", "media",
};
#define NSUBS (sizeof subs / sizeof subs[0])

void
name_site(struct rng *r, const char *cctld, char out[NAME_MAX_LEN])
{
	const char *tld = rng_chance(r, 0.55) ? cctld : gtlds[rng_below(r, NGTLDS)];
	const char *w1 = words[rng_below(r, NWORDS)];
	const char *w2 = words[rng_below(r, NWORDS)];
	const char *sub = subs[rng_below(r, NSUBS)];

	switch (rng_below(r, 4)) {
	case 0:
		snprintf(out, NAME_MAX_LEN, "%s.%s%s.%s", sub, w1, w2, tld);
		break;
	case 1:
		snprintf(out, NAME_MAX_LEN, "%s.%s-%s.%s", sub, w1, w2, tld);
		break;
	case 2:
		snprintf(out, NAME_MAX_LEN, "%s%u.%s", w1, rng_range(r, 1, 99),
		    tld);
		break;
	default:	/* the bare registrable domain */
		snprintf(out, NAME_MAX_LEN, "%s%s.%s", w1, w2, tld);
		break;
	}
}

void
name_cdn(struct rng *r, const char *site, char out[NAME_MAX_LEN])
{
	static const char *const cdns[] = {
		"%s.edgekey.net", "%s.cdn.cloudflare.net", "%s.akamaized.net",
		"%s.fastly.net", "%s.azureedge.net", "%s.b-cdn.net",
	};
	char label[NAME_MAX_LEN];
	const char *dot = strchr(site, '.');
	size_t n;

	/* The CDN label is the site's own label, past a service prefix
	 * ("www.shopnews.com" -> "shopnews"). */
	if (dot && strchr(dot + 1, '.'))
		site = dot + 1;
	dot = strchr(site, '.');
	n = dot ? (size_t)(dot - site) : strlen(site);
	if (n > 30)
		n = 30;
	memcpy(label, site, n);
	label[n] = '\0';
	if (rng_chance(r, 0.25))
		snprintf(out, NAME_MAX_LEN, "d%07x.cloudfront.net",
		    rng_below(r, 0xfffffff));
	else
		snprintf(out, NAME_MAX_LEN,
		    cdns[rng_below(r, sizeof cdns / sizeof cdns[0])], label);
}

void
name_nx(struct rng *r, const char *site, char out[NAME_MAX_LEN])
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char rnd[16];
	int i, n;

	switch (rng_below(r, 3)) {
	case 0:		/* a typo of a real site */
		snprintf(out, NAME_MAX_LEN, "w%s", site);
		break;
	case 1:		/* a stale service name */
		snprintf(out, NAME_MAX_LEN, "old-%s", site);
		break;
	default:	/* generated-looking label */
		n = (int)rng_range(r, 8, 14);
		for (i = 0; i < n; i++)
			rnd[i] = alnum[rng_below(r, sizeof alnum - 1)];
		rnd[n] = '\0';
		snprintf(out, NAME_MAX_LEN, "%s.%s", rnd,
		    rng_chance(r, 0.5) ? "com" : "net");
		break;
	}
	out[NAME_MAX_LEN - 1] = '\0';
}
