/*
 * One TCP connection from SYN to FIN (or RST): three-way handshake with
 * the stacks' real options, application messages cut into MSS-sized
 * segments in growing flights with cumulative ACKs, timestamps from each
 * host's clock, then teardown.  Emits one packet per step.
 */
#ifndef GEN_TCP_SESSION_H
#define GEN_TCP_SESSION_H

#include <stdint.h>

#include "gen.h"

#define TCP_MAX_MSGS 10

enum tcp_msg_kind {
	MSG_HTTP_REQ, MSG_HTTP_RESP, MSG_TLS_CLIENT_HELLO, MSG_TLS_SERVER_HELLO,
	MSG_TLS_DATA,
};

struct tcp_msg {
	uint8_t kind;
	uint8_t from_srv;
	uint8_t method;		/* HTTP request: enum http_method */
	uint16_t status;	/* HTTP response */
	uint16_t head_len;	/* HTTP: the header block */
	uint32_t len;		/* bytes on the wire; 0 until first rendered */
	uint32_t body_len;
	uint32_t seed;
	uint32_t date;		/* HTTP response Date, seconds */
};

struct tcp_sess {
	struct host *cli, *srv;
	const char *name;		/* Host header and SNI */
	uint16_t cport, sport;
	uint32_t cseq, sseq;		/* next sequence number of each side */
	uint32_t c_tsval, s_tsval;	/* last timestamp each side sent */
	uint32_t rtt_ns;
	uint32_t cflow, sflow;		/* IPv6 flow labels of each side */
	uint32_t off;			/* bytes of msg[cur] already sent */
	uint16_t seg;			/* payload bytes per full segment */
	uint8_t state;
	uint8_t cli_near;		/* the capture is next to the client */
	uint8_t ts_ok;			/* both sides send timestamps */
	uint8_t cws, sws;		/* window scales in use (0 if none) */
	uint8_t nmsg, cur;
	uint8_t flight, flight_max;
	uint8_t last_from_srv;		/* sender of the latest data */
	uint8_t closer_srv, rst;	/* who closes, and whether by RST */
	uint8_t app, os, lang;		/* the client program, for HTTP */
	uint8_t browser;		/* TLS: a browser's ClientHello */
	uint8_t server;			/* enum http_server */
	uint8_t tls_sid[32];
	struct tcp_msg msg[TCP_MAX_MSGS];
};

/* A plain HTTP connection (1 to 3 requests) or a TLS one on port 443. */
void tcp_sess_http(struct gen *g, struct tcp_sess *s, struct host *cli,
    struct host *srv, const char *name, uint16_t port, int app, int lang,
    int server, int cli_near);
void tcp_sess_tls(struct gen *g, struct tcp_sess *s, struct host *cli,
    struct host *srv, const char *name, int browser, int cli_near);

/* Emit the next packet; returns 0 when the connection is over, else sets
 * *next to when the following packet is due. */
int tcp_sess_step(struct gen *g, struct tcp_sess *s, uint64_t *next);

/* The TCP timestamp clock of a host at time t. */
uint32_t host_tsval(const struct host *h, uint64_t t);
/* An ephemeral port as the host's OS would choose it. */
uint16_t host_ephemeral_port(struct rng *r, const struct host *h);

#endif
