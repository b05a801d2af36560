/*
 * NAT and host-change detection, as p0f scores it: the reasons p0f
 * reports (its "ip sharing" and "host change" lines) and the comparisons
 * that add to a host's scores (struct host: nat_reasons, scores,
 * last_nat, last_chg).
 */
#ifndef P0F_NAT_H
#define P0F_NAT_H

#include <stdint.h>

#include "hosts.h"
#include "http_sig.h"
#include "sig_read.h"
#include "tcp_sig.h"

/* NAT and host-change reasons, as p0f reports them. */
enum {
	NAT_APP_SIG = 1 << 0, NAT_OS_SIG = 1 << 1, NAT_UNK_DIFF = 1 << 2,
	NAT_TO_UNK = 1 << 3, NAT_TS = 1 << 4, NAT_TTL = 1 << 5,
	NAT_PORT = 1 << 6, NAT_MSS = 1 << 7, NAT_FUZZY = 1 << 8,
	NAT_APP_VIA = 1 << 9, NAT_APP_DATE = 1 << 10, NAT_APP_LB = 1 << 11,
	NAT_APP_UA = 1 << 12,
};

/*
 * Compare a new OS-level TCP signature with what the host showed before
 * and score the differences.  cli_port: the connection's client port.
 */
void nat_score_tcp(struct host *h, int to_srv, const struct tcp_pkt *pk,
    const struct tcp_match *m, uint16_t cli_port, int64_t now_ms);

/* An application runs on the host: is it one for the host's OS? */
void nat_verify_app(struct host *h, int to_srv, const struct p0f_label *app,
    int64_t now);

/*
 * The same for an HTTP request (to_srv) or response; then a response is
 * remembered as the server's last one.
 */
void nat_score_http(struct host *h, int to_srv, const struct p0f_db *db,
    const struct http_msg *msg, const struct http_match *hm,
    uint16_t srv_port, int64_t now);

#endif
