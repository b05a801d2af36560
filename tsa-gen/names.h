/* Domain names for the simulated sites: words, subdomains, suffixes. */
#ifndef GEN_NAMES_H
#define GEN_NAMES_H

#include <stddef.h>

#include "rng.h"

#define NAME_MAX_LEN 64

/* "www.word.tld" or "word-word.tld" etc. under a country suffix or gTLD. */
void name_site(struct rng *r, const char *cctld, char out[NAME_MAX_LEN]);
/* A CDN host name the site is an alias of. */
void name_cdn(struct rng *r, const char *site, char out[NAME_MAX_LEN]);
/* A name that does not exist (typos, stale hosts, malware-style labels). */
void name_nx(struct rng *r, const char *site, char out[NAME_MAX_LEN]);

#endif
