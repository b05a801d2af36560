/*
 * Link types from the MTU a SYN or SYN+ACK implies (p0f's [mtu] section,
 * fp_mtu.c): most systems derive their MSS from the interface MTU, which
 * depends on the link (Ethernet 1500, PPPoE 1492, ...).
 */
#ifndef P0F_MTU_H
#define P0F_MTU_H

#include <stdint.h>

struct p0f_db;
struct sig_line;
struct tcp_pkt;

/* "sig = 1492" under "label = DSL" */
struct mtu_sig {
	uint16_t mtu;
	const char *name;	/* the label: a link type */
};

/* The [mtu] section, in file order. */
struct mtu_sigs {
	struct mtu_sig *sig;
	unsigned n, cap;
};

/* Read and keep a 'sig' line of [mtu] (sl->link is its label). */
int mtu_sig_register(const struct sig_line *sl, const char *val);
void mtu_sigs_free(struct mtu_sigs *m);

/*
 * The MTU implied by the packet's MSS option (0 when it has none) and the
 * link type the database gives for it (NULL when none does).
 */
uint16_t mtu_of(const struct tcp_pkt *pk);
const char *mtu_link(const struct p0f_db *db, uint16_t mtu);

#endif
