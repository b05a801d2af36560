/*
 * Link types from the MTU a SYN or SYN+ACK implies (p0f's [mtu] rules):
 * most systems derive their MSS from the interface MTU, which depends on
 * the link (Ethernet 1500, PPPoE 1492, ...).
 */
#ifndef P0F_MTU_H
#define P0F_MTU_H

#include <stdint.h>

#include "sig_read.h"
#include "tcp_sig.h"

/*
 * The MTU implied by the packet's MSS option (0 when it has none) and the
 * link type the database gives for it (NULL when none does).
 */
uint16_t mtu_of(const struct tcp_pkt *pk);
const char *mtu_link(const struct p0f_db *db, uint16_t mtu);

#endif
