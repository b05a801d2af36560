/*
 * Names are written with RFC 1035 4.1.4 compression: any suffix already in
 * the message becomes a pointer, the way resolvers answer (the owner name
 * of the first answer points at the question, CNAME targets' A records
 * point at the target).
 */
#include <string.h>
#include <strings.h>

#include "dns_msg.h"

static void
put(struct dns_msg *m, const void *src, size_t n)
{
	if (m->over || m->len + n > m->cap) {
		m->over = 1;
		return;
	}
	memcpy(m->p + m->len, src, n);
	m->len += n;
}

static void
put8(struct dns_msg *m, unsigned v)
{
	uint8_t c = (uint8_t)v;
	put(m, &c, 1);
}

static void
put16(struct dns_msg *m, unsigned v)
{
	put8(m, v >> 8);
	put8(m, v);
}

static void
put32(struct dns_msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

static void
remember(struct dns_msg *m, const char *suffix, size_t off)
{
	size_t n = strlen(suffix) + 1;

	if (m->nnames == sizeof m->names / sizeof m->names[0] ||
	    m->stored + n > sizeof m->store || off > 0x3fff)
		return;
	memcpy(m->store + m->stored, suffix, n);
	m->names[m->nnames].suffix = m->store + m->stored;
	m->names[m->nnames].off = (uint16_t)off;
	m->nnames++;
	m->stored += n;
}

static void
put_name(struct dns_msg *m, const char *name)
{
	const char *s = name;

	while (*s) {
		for (unsigned i = 0; i < m->nnames; i++)
			if (strcasecmp(m->names[i].suffix, s) == 0) {
				put16(m, 0xc000u | m->names[i].off);
				return;
			}
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		if (n == 0 || n > 63) {	/* not a valid label: stop here */
			m->over = 1;
			return;
		}
		remember(m, s, m->len);
		put8(m, (unsigned)n);
		put(m, s, n);
		s += n;
		if (*s == '.')
			s++;
	}
	put8(m, 0);
}

void
dns_begin(struct dns_msg *m, uint8_t *buf, size_t cap, uint16_t id, int qr,
    unsigned rcode, const char *qname, uint16_t qtype)
{
	m->p = buf;
	m->cap = cap;
	m->len = 0;
	m->over = 0;
	m->ancount = m->nscount = m->arcount = 0;
	m->nnames = 0;
	m->stored = 0;
	put16(m, id);
	/* QR, opcode 0, RD; responses add RA and the rcode. */
	put16(m, qr ? 0x8180u | (rcode & 0xf) : 0x0100u);
	put16(m, 1);
	put16(m, 0);
	put16(m, 0);
	put16(m, 0);
	put_name(m, qname);
	put16(m, qtype);
	put16(m, 1);	/* IN */
}

static void
rr_head(struct dns_msg *m, const char *name, uint16_t type, uint32_t ttl)
{
	put_name(m, name);
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
}

void
dns_rr_addr(struct dns_msg *m, const char *name, uint16_t type, uint32_t ttl,
    const uint8_t *addr)
{
	size_t n = type == DNS_A ? 4 : 16;

	rr_head(m, name, type, ttl);
	put16(m, (unsigned)n);
	put(m, addr, n);
	m->ancount++;
}

/* RDATA holding a name: its length is known only after compression. */
static void
rdata_name(struct dns_msg *m, const char *target)
{
	size_t at = m->len;

	put16(m, 0);
	put_name(m, target);
	if (!m->over) {
		size_t n = m->len - at - 2;
		m->p[at] = (uint8_t)(n >> 8);
		m->p[at + 1] = (uint8_t)n;
	}
}

void
dns_rr_name(struct dns_msg *m, const char *name, uint16_t type, uint32_t ttl,
    const char *target)
{
	rr_head(m, name, type, ttl);
	rdata_name(m, target);
	m->ancount++;
}

void
dns_rr_soa(struct dns_msg *m, const char *zone, uint32_t serial)
{
	size_t at;
	char mname[80], rname[80];

	/* ns1.zone. hostmaster.zone. serial refresh retry expire minimum */
	if (strlen(zone) > 70) {
		m->over = 1;
		return;
	}
	memcpy(mname, "ns1.", 4);
	strcpy(mname + 4, zone);
	memcpy(rname, "hostmaster.", 11);
	strcpy(rname + 11, zone);
	rr_head(m, zone, DNS_SOA, 900);
	at = m->len;
	put16(m, 0);
	put_name(m, mname);
	put_name(m, rname);
	put32(m, serial);
	put32(m, 7200);
	put32(m, 3600);
	put32(m, 1209600);
	put32(m, 900);
	if (!m->over) {
		size_t n = m->len - at - 2;
		m->p[at] = (uint8_t)(n >> 8);
		m->p[at + 1] = (uint8_t)n;
	}
	m->nscount++;
}

void
dns_rr_txt(struct dns_msg *m, const char *name, uint32_t ttl,
    const char *text)
{
	size_t n = strlen(text);

	if (n > 255)
		n = 255;
	rr_head(m, name, DNS_TXT, ttl);
	put16(m, (unsigned)n + 1);
	put8(m, (unsigned)n);
	put(m, text, n);
	m->ancount++;
}

void
dns_edns(struct dns_msg *m, uint16_t udp_size)
{
	put8(m, 0);		/* root */
	put16(m, 41);		/* OPT */
	put16(m, udp_size);
	put32(m, 0);		/* extended rcode, version 0, no DO */
	put16(m, 0);
	m->arcount++;
}

size_t
dns_end(struct dns_msg *m)
{
	if (m->over)
		return 0;
	m->p[6] = (uint8_t)(m->ancount >> 8);
	m->p[7] = (uint8_t)m->ancount;
	m->p[8] = (uint8_t)(m->nscount >> 8);
	m->p[9] = (uint8_t)m->nscount;
	m->p[10] = (uint8_t)(m->arcount >> 8);
	m->p[11] = (uint8_t)m->arcount;
	return m->len;
}
