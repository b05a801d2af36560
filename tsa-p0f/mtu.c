/*
 * MTU to link type.  p0f adds the minimal IPv4 or IPv6 plus TCP header size
 * to the MSS and looks the sum up in the [mtu] section; the first label
 * listing the value wins.
 */
#include <stdlib.h>

#include "config.h"
#include "mtu.h"
#include "sig_read.h"

int mtu_sig_register(const struct sig_line *sl, const char *v)
{
	struct mtu_sigs *ms = &sl->db->mtu;
	struct mtu_sig *m;
	long mtu;

	if (!sig_number(&v, 65535, &mtu) || *v || mtu == 0)
		return sig_fail(sl, "malformed MTU value (1-65535)");
	m = p0f_grow((void **)&ms->sig, &ms->n, &ms->cap, sizeof *m);
	m->mtu = (uint16_t)mtu;
	m->name = sl->link;
	return 0;
}

void mtu_sigs_free(struct mtu_sigs *m)
{
	free(m->sig);
}

uint16_t mtu_of(const struct tcp_pkt *pk)
{
	uint32_t mtu;

	if (!pk->mss)
		return 0;
	mtu = (uint32_t)pk->mss + (pk->ver == 4 ? MIN_TCP4 : MIN_TCP6);
	/* p0f keeps it in 32 bits; an MSS near 65535 has no link anyway. */
	return mtu > 65535 ? 0 : (uint16_t)mtu;
}

const char *mtu_link(const struct p0f_db *db, uint16_t mtu)
{
	for (unsigned i = 0; i < db->mtu.n; i++)
		if (db->mtu.sig[i].mtu == mtu)
			return db->mtu.sig[i].name;
	return NULL;
}
