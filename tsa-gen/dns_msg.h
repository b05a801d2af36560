/* DNS messages (RFC 1035) with name compression, and EDNS (RFC 6891). */
#ifndef GEN_DNS_MSG_H
#define GEN_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"
#include "wbuf.h"

#define DNS_A		1
#define DNS_NS		2
#define DNS_CNAME	5
#define DNS_SOA		6
#define DNS_TXT		16
#define DNS_AAAA	28
#define DNS_ANY		255

#define DNS_NXDOMAIN	3

struct dns_msg {
	struct wbuf w;
	unsigned ancount, nscount, arcount;
	/* Compression targets: every label start written so far. */
	struct { const char *suffix; uint16_t off; } names[48];
	unsigned nnames;
	char store[1024];	/* copies of the names those point into */
	size_t stored;
};

/* Header and question; rd: recursion desired; qr: this is a response. */
void dns_begin(struct dns_msg *m, uint8_t *buf, size_t cap, uint16_t id,
    int qr, unsigned rcode, const char *qname, uint16_t qtype);
void dns_rr_addr(struct dns_msg *m, const char *name, uint16_t type,
    uint32_t ttl, const uint8_t *addr);
void dns_rr_name(struct dns_msg *m, const char *name, uint16_t type,
    uint32_t ttl, const char *target);
void dns_rr_soa(struct dns_msg *m, const char *zone, uint32_t serial);
void dns_rr_txt(struct dns_msg *m, const char *name, uint32_t ttl,
    const char *text);
void dns_edns(struct dns_msg *m, uint16_t udp_size);
/* Patches the counts; returns the length, 0 if it did not fit. */
size_t dns_end(struct dns_msg *m);

#endif
