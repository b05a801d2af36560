/*
 * The local side of a packet.  With [aggregate] LocalNetworks (or --local)
 * it is exactly that CIDR list.  Without it, the private, loopback and
 * link-local ranges (RFC 1918 and RFC 6598 for IPv4, fc00::/7 and fe80::/10
 * for IPv6), plus the capturing host as the original guessed it: an address
 * that takes part in about every packet, which a public server capturing its
 * own traffic would be.
 */
#include <stdlib.h>

#include <stdio.h>

#include "agg.h"

bool local_check(const char *spec, const char **dest, char *why, size_t n)
{
	char *copy = tsa_strdup(spec), *tok, *save = NULL;
	struct tsa_cidr c;
	bool ok = true;

	for (tok = strtok_r(copy, ", \t", &save); tok && ok;
	    tok = strtok_r(NULL, ", \t", &save)) {
		if (!tsa_cidr_parse(tok, &c)) {
			snprintf(why, n, "has \"%s\", not an address or CIDR block", tok);
			ok = false;
		}
	}
	free(copy);
	if (ok)
		*dest = spec;
	return ok;
}

void local_init(struct local *l, const char *spec)
{
	char *copy, *tok, *save = NULL;
	size_t cap = 0;

	memset(l, 0, sizeof *l);
	if (!spec)
		return;
	copy = tsa_strdup(spec);
	for (tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (l->nnets == cap) {
			cap = cap ? 2 * cap : 8;
			l->nets = tsa_realloc(l->nets, cap * sizeof *l->nets);
		}
		if (!tsa_cidr_parse(tok, &l->nets[l->nnets]))
			tsa_die("LocalNetworks: %s: not an address or CIDR block", tok);
		l->nnets++;
	}
	free(copy);
	l->configured = l->nnets > 0;
}

bool local_net(const struct local *l, const uint8_t *a, uint8_t alen)
{
	size_t i;

	if (l->configured) {
		for (i = 0; i < l->nnets; i++)
			if (tsa_cidr_match(&l->nets[i], a, alen))
				return true;
		return false;
	}
	switch (tsa_addr_scope(a, alen)) {
	case TSA_SCOPE_PRIVATE:
	case TSA_SCOPE_LOOPBACK:
	case TSA_SCOPE_LINKLOCAL:
		return true;
	default:
		return false;
	}
}

/* An endpoint's turn: it takes the lead if it has more packets. */
static void turn(struct local *l, const struct hosts *t, uint32_t slot, uint64_t n)
{
	if (slot < HOST_FIRST)
		return;
	if (!l->leader || t->h[slot].packets > t->h[l->leader - 1].packets)
		l->leader = slot + 1;
	local_reguess(l, t, t->h[l->leader - 1].packets, n);
}

void local_lead(struct local *l, const struct hosts *t, uint32_t src,
    uint32_t dst, uint64_t n)
{
	turn(l, t, src, n);
	turn(l, t, dst, n);
}
