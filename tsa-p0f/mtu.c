/*
 * MTU to link type.  p0f adds the minimal IPv4 or IPv6 plus TCP header size
 * to the MSS and looks the sum up in the [mtu] section; the first label
 * listing the value wins.
 */
#include "config.h"
#include "mtu.h"

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
	for (unsigned i = 0; i < db->nmtu; i++)
		if (db->mtu[i].mtu == mtu)
			return db->mtu[i].name;
	return NULL;
}
