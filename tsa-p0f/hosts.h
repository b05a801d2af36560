/*
 * What tsa-p0f remembers, in fixed-size tables allocated at start so that
 * memory never grows with the capture: hosts (p0f's host cache: the OS,
 * distance, link, uptime, application and language of each address, and
 * its NAT scores) and connections (p0f's flows: the handshake state that
 * decides which SYN+ACK and HTTP messages are fingerprinted).  When a
 * table is full the entry used longest ago makes room.
 */
#ifndef P0F_HOSTS_H
#define P0F_HOSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "http_sig.h"
#include "sig_read.h"
#include "tcp_sig.h"

/* The last SYN (or SYN+ACK) a host sent: compared with the next one. */
struct sig_hist {
	bool valid;
	bool fuzzy;
	const struct tcp_sig_rec *sig;	/* NULL: unknown */
	uint32_t quirks;
	uint32_t layout;	/* hash of the option layout */
	uint8_t ttl;
	uint16_t mss;
	uint32_t ts1;
	int64_t ms;		/* when it was seen */
};

/*
 * What a host record says of a host (host_rec.c), kept as it was last
 * written, so that a record is written only when something changed.
 */
struct host_facts {
	const struct p0f_label *os, *app;
	const char *link, *lang;
	int64_t up_ms;		/* when up_min was measured (ms) */
	int64_t fp_first, fp_last;	/* fingerprint times (ms), 0: none */
	double up_hz;		/* the measured clock frequency */
	uint32_t up_min;
	uint16_t mtu;		/* 0: none */
	int16_t dist;
	uint8_t bad_sw;
	bool up_known, nat, chg;
};

struct host {
	bool pairs_valid;	/* false: host_pairs.c never packed them */
	bool said;		/* a host record with facts was written */
	bool up_known;
	uint8_t alen;
	uint8_t addr[16];	/* for the host record */
	uint32_t up_min;
	int64_t up_ms;		/* when up_min was measured */
	double up_hz;
	int64_t fp_first, fp_last;	/* first and last fingerprint (ms) */
	uint16_t mtu;		/* implied by the last MSS, 0: none */

	int64_t last_seen;	/* seconds */
	struct sig_hist syn, synack;
	const struct p0f_label *os;	/* last OS match (TCP or HTTP) */
	const char *link;
	const struct p0f_label *app;	/* last HTTP application */
	const char *lang;
	int16_t dist;		/* -1: unknown */
	uint8_t bad_sw;		/* 1: UA names another OS, 2: forged */
	uint16_t last_port;
	uint16_t http_resp_port;
	bool http_resp_seen;	/* a response was fingerprinted */
	const struct p0f_label *http_resp;	/* its match, if any */
	int64_t http_resp_date;	/* its Date header (0: none) */
	int64_t http_resp_recv;	/* when it was seen */
	const struct p0f_label *http_req_os;	/* OS match of a request */
	uint16_t nat_reasons;	/* NAT_* reasons scored since the last NAT
				   verdict (nat.c); no key shows them yet */
	uint8_t scores[2][NAT_SCORES];	/* [0] as server, [1] as client */
	int64_t last_nat, last_chg;	/* seconds, 0: never */
	const struct p0f_label *pairs_os;	/* what the pairs show */
	struct host_facts said_facts;	/* what the last host record said */
};

struct flow {
	int64_t created;	/* seconds */
	uint16_t cli_port, srv_port;
	uint32_t next_cli_seq;	/* the SYN's sequence number + 1 */
	uint16_t syn_mss;
	int32_t tps[2];		/* [0] server, [1] client clock: 0 unknown,
				   -1 unusable, else Hz */
	bool acked;
	int8_t in_http;		/* 0 not yet, 1 request done, -1 given up */
};

void hosts_init(uint32_t max_hosts, uint32_t max_flows);
void hosts_free(void);

/*
 * Changes whenever a host is created, changed or forgotten, so that what
 * was looked up and read from hosts can be kept while it stays the same.
 * Never 0.
 */
extern uint64_t hosts_gen;
/*
 * Set by host_get for the host at each place (host_find), for
 * host_pairs.c, which clears it when it has packed the host's pairs
 * again and written its host record if its facts changed: one byte a
 * host, apart from the hosts, so that every record reads it from the
 * cache.
 */
extern bool *host_changed;

#define HOST_NONE UINT32_MAX
/*
 * The place in the table, 0 to max_hosts - 1, of the host whose address
 * of alen bytes is w0, w1 (as tsa_addr_words gives it: the caller has it
 * already), or HOST_NONE: what a record needs of a host is kept by its
 * place (host_changed, host_pairs.c), so most records never read the
 * host itself.
 */
uint32_t host_find(uint64_t w0, uint64_t w1, uint8_t alen);
/* The host at a place host_find returned. */
struct host *host_at(uint32_t i);
/*
 * Find or create, and mark as recently used.  Everything that changes a
 * host gets it from here, which marks its packed pairs stale.
 */
struct host *host_get(const uint8_t *addr, uint8_t alen, int64_t now);

/*
 * The connection a packet belongs to and its direction (*to_srv 1: from
 * the client), or NULL.
 */
struct flow *flow_find(const uint8_t *src, const uint8_t *dst, uint8_t alen,
    uint16_t sport, uint16_t dport, int *to_srv);
/* A new connection from a SYN (replacing any with the same ends). */
struct flow *flow_new(const uint8_t *src, const uint8_t *dst, uint8_t alen,
    uint16_t sport, uint16_t dport, int64_t now);
void flow_end(struct flow *f);

/*
 * Called with a host that is being forgotten (the cache is full, or it
 * was idle too long) and of which a host record was written: the readers
 * of the stream must learn that nothing is known of it any more.
 */
extern void (*host_forget_hook)(const struct host *h);

/*
 * Forget connections older than 30 s and hosts idle for two hours, as p0f
 * does every 50 packets (when the second has changed).
 */
void hosts_expire(int64_t now);

/* Counts for the statistics line. */
struct hosts_stats {
	uint64_t hosts_evicted, flows_evicted;
};
extern struct hosts_stats hosts_stats;

/*
 * Keep the signature as the host's last SYN (to_srv) or SYN+ACK, after
 * the uptime check has used the previous one.
 */
void host_remember_sig(struct host *h, int to_srv, const struct tcp_pkt *pk,
    const struct tcp_match *m, int64_t now_ms);

#endif
