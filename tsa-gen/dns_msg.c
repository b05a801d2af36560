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
				wb_u16(&m->w, 0xc000u | m->names[i].off);
				return;
			}
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		if (n == 0 || n > 63) {	/* not a valid label: stop here */
			m->w.over = 1;
			return;
		}
		remember(m, s, m->w.len);
		wb_u8(&m->w, (unsigned)n);
		wb_put(&m->w, s, n);
		s += n;
		if (*s == '.')
			s++;
	}
	wb_u8(&m->w, 0);
}

void
dns_begin(struct dns_msg *m, uint8_t *buf, size_t cap, uint16_t id, int qr,
    unsigned rcode, const char *qname, uint16_t qtype)
{
	m->w = wb_init(buf, cap);
	m->ancount = m->nscount = m->arcount = 0;
	m->nnames = 0;
	m->stored = 0;
	wb_u16(&m->w, id);
	/* QR, opcode 0, RD; responses add RA and the rcode. */
	wb_u16(&m->w, qr ? 0x8180u | (rcode & 0xf) : 0x0100u);
	wb_u16(&m->w, 1);
	wb_u16(&m->w, 0);
	wb_u16(&m->w, 0);
	wb_u16(&m->w, 0);
	put_name(m, qname);
	wb_u16(&m->w, qtype);
	wb_u16(&m->w, 1);	/* IN */
}

static void
rr_head(struct dns_msg *m, const char *name, uint16_t type, uint32_t ttl)
{
	put_name(m, name);
	wb_u16(&m->w, type);
	wb_u16(&m->w, 1);
	wb_u32(&m->w, ttl);
}

void
dns_rr_addr(struct dns_msg *m, const char *name, uint16_t type, uint32_t ttl,
    const uint8_t *addr)
{
	size_t n = type == DNS_A ? 4 : 16;

	rr_head(m, name, type, ttl);
	wb_u16(&m->w, (unsigned)n);
	wb_put(&m->w, addr, n);
	m->ancount++;
}

/* RDATA holding a name: its length is known only after compression. */
static void
rdata_name(struct dns_msg *m, const char *target)
{
	size_t at = wb_mark(&m->w, 2);

	put_name(m, target);
	wb_patch(&m->w, at, 2);
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
		m->w.over = 1;
		return;
	}
	memcpy(mname, "ns1.", 4);
	strcpy(mname + 4, zone);
	memcpy(rname, "hostmaster.", 11);
	strcpy(rname + 11, zone);
	rr_head(m, zone, DNS_SOA, 900);
	at = wb_mark(&m->w, 2);
	put_name(m, mname);
	put_name(m, rname);
	wb_u32(&m->w, serial);
	wb_u32(&m->w, 7200);
	wb_u32(&m->w, 3600);
	wb_u32(&m->w, 1209600);
	wb_u32(&m->w, 900);
	wb_patch(&m->w, at, 2);
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
	wb_u16(&m->w, (unsigned)n + 1);
	wb_u8(&m->w, (unsigned)n);
	wb_put(&m->w, text, n);
	m->ancount++;
}

void
dns_edns(struct dns_msg *m, uint16_t udp_size)
{
	wb_u8(&m->w, 0);		/* root */
	wb_u16(&m->w, 41);		/* OPT */
	wb_u16(&m->w, udp_size);
	wb_u32(&m->w, 0);		/* extended rcode, version 0, no DO */
	wb_u16(&m->w, 0);
	m->arcount++;
}

size_t
dns_end(struct dns_msg *m)
{
	if (m->w.over)
		return 0;
	be16(m->w.p + 6, m->ancount);
	be16(m->w.p + 8, m->nscount);
	be16(m->w.p + 10, m->arcount);
	return m->w.len;
}
