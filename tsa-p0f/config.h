/*
 * Every constant tsa-p0f takes from p0f 3.09b, once, under p0f's own name:
 * the limits and timings of its config.h and the header fields of its
 * tcp.h.  A value can be checked against p0f's source by its name; where
 * tsa-p0f differs, the comment says how.
 */
#ifndef P0F_CONFIG_H
#define P0F_CONFIG_H

/* ---- what is remembered, and for how long ---- */

#define MAX_CONN	1000	/* connections followed at once (-m c,) */
/*
 * p0f's MAX_HOSTS (10000, -m ,h) is --host-cache's default, declared in
 * main.c's option table with the setting it comes from.
 */
#define CONN_MAX_AGE	30	/* s from its SYN until a connection is
				   forgotten (-t c,) */
#define HOST_IDLE_LIMIT	(120 * 60)	/* s; p0f counts 120 minutes */
#define EXPIRE_INTERVAL	50	/* packets between looks for both */

/* ---- TCP signatures ---- */

#define MAX_DIST	35	/* TTL distance for a match that is not fuzzy */
#define MAX_TCP_OPT	24	/* TCP options looked at */
#define SPECIAL_MSS	1331	/* p0f-sendsyn's probe: '*' in a SYN+ACK sig */
/* Characters allowed in OS and application names besides letters, digits. */
#define NAME_CHARS	" ./-_!?()"

/* ---- uptime from TCP timestamps ---- */

#define MIN_TSCALE	0.7	/* Hz: slowest timestamp clock believed */
#define MAX_TSCALE	1500	/* Hz: fastest */
#define MIN_TWAIT	25	/* ms between two timestamps, at least */
#define MAX_TWAIT	(1000 * 60 * 10)	/* ms, at most */
/* ms: a clock that went back this little is a packet out of order. */
#define TSTAMP_GRACE	100

/* ---- NAT and host change ---- */

#define NAT_SCORES	32	/* scores kept per host and direction */
#define MAX_NAT_TS	(1000 * 60 * 60 * 24)	/* ms: older timestamps say
						   nothing */
#define MIN_PORT_DROP	64	/* a client port this much lower: a new host */
#define SMALL_TTL_CHG	2	/* a TTL change this small far away: routing */
#define LOCAL_TTL_LIMIT	5	/* hops: "far away" starts beyond this */
#define NEAR_TTL_LIMIT	9	/* hops: any TTL change this near counts */
#define HTTP_MAX_DATE_DIFF 10	/* s a server's Date may be off */

/* ---- HTTP ---- */

#define HTTP_MAX_URL	1024	/* longest start line */
#define HTTP_MAX_HDRS	32	/* headers in a message or a signature */
#define HTTP_MAX_HDR_NAME 32
#define HTTP_MAX_HDR_VAL 1024
#define HTTP_MAX_SHOW	200	/* bytes of a value shown in a raw signature */

/* ---- the IP and TCP headers (p0f's tcp.h) ---- */

#define IP_TOS_CE	0x01	/* ECN: congestion encountered */
#define IP_TOS_ECT	0x02	/* ECN-capable transport */

#define IP4_MBZ		0x8000	/* IPv4 flags: "must be zero" */
#define IP4_DF		0x4000	/* don't fragment; the rest of the field but
				   these two: a fragment */

#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_PUSH	0x08
#define TCP_ACK		0x10
#define TCP_URG		0x20
#define TCP_ECE		0x40
#define TCP_CWR		0x80
#define TCP_NS_RES	0x01	/* in the data offset byte */

#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_MAXSEG	2
#define TCPOPT_WSCALE	3
#define TCPOPT_SACKOK	4
#define TCPOPT_SACK	5
#define TCPOPT_TSTAMP	8

#define MIN_TCP4	40	/* IPv4 and TCP headers without options */
#define MIN_TCP6	60	/* IPv6 and TCP headers */

#endif
