/*
 * DNS messages (also mDNS and LLMNR, which share the format): query or
 * response, the question names, the A and AAAA addresses and CNAME targets
 * of the answer section, the response code.  Compression pointers may point
 * anywhere in the message but are followed at most MAX_HOPS times per name,
 * so a loop ends; a name longer than NAME_MAX_TEXT characters of text is
 * refused.  A message cut short yields what came before the cut.
 *
 * Compression lets a 2-byte pointer stand for a name of 1023 characters,
 * so a 64 KiB message could ask for 11 MB of names: a record keeps at most
 * DNS_MAX_NAMES names (questions and CNAME targets together) and
 * DNS_MAX_NAME_BYTES bytes of their text.  Past a cap the rest are skipped,
 * not decoded (the work per packet stays bounded too), and the record is
 * flagged DEC_NAMES_CUT.
 */
#include "pkt.h"

#define MAX_HOPS 64
#define NAME_MAX_TEXT 1024

/*
 * Read the name at *pp as text into out.  *pp moves past the name as it
 * sits in place (up to and including the first pointer).  Returns the text
 * length, or -1 if the name runs past end, loops, or uses a label type
 * other than plain labels and pointers.
 */
static int get_name(const uint8_t *msg, const uint8_t *end, const uint8_t **pp,
    char *out)
{
	const uint8_t *p = *pp;
	size_t o = 0, n;
	int hops = 0, jumped = 0;

	for (;;) {
		if (p >= end)
			return -1;
		if (*p == 0) {
			if (!jumped)
				*pp = p + 1;
			return (int)o;
		}
		if ((*p & 0xc0) == 0xc0) {
			size_t off;

			if (end - p < 2 || ++hops > MAX_HOPS)
				return -1;
			off = (size_t)(p[0] & 0x3f) << 8 | p[1];
			if (!jumped)
				*pp = p + 2;
			jumped = 1;
			if (off >= (size_t)(end - msg))
				return -1;
			p = msg + off;
			continue;
		}
		if (*p & 0xc0)	/* extended (0x40) and reserved (0x80) labels */
			return -1;
		if ((size_t)(end - p) <= *p)
			return -1;
		if (o) {
			if (o + 1 > NAME_MAX_TEXT)
				return -1;
			out[o++] = '.';
		}
		n = text_escape(out + o, NAME_MAX_TEXT - o, p + 1, *p, 1);
		if (n == (size_t)-1)
			return -1;
		o += n;
		p += 1 + *p;
	}
}

/* Move *pp past a name without decoding it.  Inline: get_rr runs it twice
   for every answer. */
static inline int skip_name(const uint8_t *end, const uint8_t **pp)
{
	const uint8_t *p = *pp;

	while (p < end) {
		if (*p == 0) {
			*pp = p + 1;
			return 0;
		}
		if ((*p & 0xc0) == 0xc0) {
			if (end - p < 2)
				return -1;
			*pp = p + 2;
			return 0;
		}
		if (*p & 0xc0)
			return -1;
		p += 1 + *p;
	}
	return -1;
}

/*
 * One resource record at *pp: its type, and its data [*rd, *rd + *rdlen).
 * Returns -1 when the record does not fit.
 */
static int get_rr(const uint8_t *end, const uint8_t **pp, unsigned *type,
    const uint8_t **rd, size_t *rdlen)
{
	const uint8_t *p = *pp;

	if (skip_name(end, &p) < 0 || end - p < 10)
		return -1;
	*type = tsa_be16(p);
	*rdlen = tsa_be16(p + 8);
	p += 10;
	if ((size_t)(end - p) < *rdlen)
		return -1;
	*rd = p;
	*pp = p + *rdlen;
	return 0;
}

/* What is left of a record's name budget. */
struct budget {
	unsigned names;
	size_t bytes;
};

/* Room for one more name of n bytes?  Takes it from the budget if so. */
static int take(struct pkt *k, struct budget *b, size_t n)
{
	if (b->names == 0 || n > b->bytes) {
		b->names = 0;		/* the caps are final for this record */
		k->flags |= DEC_NAMES_CUT;
		return 0;
	}
	b->names--;
	b->bytes -= n;
	return 1;
}

void dns_decode(struct pkt *k, const uint8_t *msg, const uint8_t *end)
{
	char name[NAME_MAX_TEXT];
	const uint8_t *p, *answers, *rd;
	unsigned flags, qd, an, i, type;
	size_t rdlen;
	struct rec_arr a;
	struct budget left = { DNS_MAX_NAMES, DNS_MAX_NAME_BYTES };
	int n, bad = 0;

	/* The flags are enough to tell a query from a response. */
	if (end - msg < 4) {
		pkt_short(k);
		return;
	}
	flags = tsa_be16(msg + 2);
	if (flags & 0x8000) {
		PUT_LIT(KEY(k, "dns_query_resp"), "response");
		put_uint(KEY(k, "dns_rcode"), flags & 0x0f);
	} else
		PUT_LIT(KEY(k, "dns_query_resp"), "query");
	if (end - msg < 12) {
		pkt_short(k);
		return;
	}
	qd = tsa_be16(msg + 4);
	an = tsa_be16(msg + 6);

	p = msg + 12;
	ARR_BEGIN(k, &a, "dns_query_names");
	for (i = 0; i < qd; i++) {
		if (left.names == 0) {	/* over a cap: only find the answers */
			k->flags |= DEC_NAMES_CUT;
			if (skip_name(end, &p) < 0 || end - p < 4) {
				bad = 1;
				break;
			}
		} else if ((n = get_name(msg, end, &p, name)) < 0 || end - p < 4) {
			bad = 1;
			break;
		} else if (take(k, &left, (size_t)n)) {
			mp_put_str(k->rec.b, name, (size_t)n);
			a.n++;
		}
		p += 4;		/* type, class */
	}
	rec_arr_end(&k->rec, &a);
	if (bad) {
		pkt_short(k);
		return;
	}

	/* Addresses, then CNAME targets: two walks over the answers. */
	answers = p;
	ARR_BEGIN(k, &a, "dns_resp_ips");
	for (i = 0; i < an; i++) {
		if (get_rr(end, &p, &type, &rd, &rdlen) < 0) {
			bad = 1;
			break;
		}
		if ((type == 1 && rdlen == 4) || (type == 28 && rdlen == 16)) {
			mp_put_bin(k->rec.b, rd, rdlen);
			a.n++;
		}
	}
	rec_arr_end(&k->rec, &a);

	p = answers;
	ARR_BEGIN(k, &a, "dns_cnames");
	for (i = 0; i < an; i++) {
		if (get_rr(end, &p, &type, &rd, &rdlen) < 0)
			break;
		if (type == 5 && left.names == 0)
			k->flags |= DEC_NAMES_CUT;
		else if (type == 5) {
			const uint8_t *q = rd;

			/* The target may point outside its data, not run past it. */
			if ((n = get_name(msg, end, &q, name)) < 0 || q > rd + rdlen) {
				bad = 1;
				continue;
			}
			if (take(k, &left, (size_t)n)) {
				mp_put_str(k->rec.b, name, (size_t)n);
				a.n++;
			}
		}
	}
	rec_arr_end(&k->rec, &a);
	if (bad)
		pkt_short(k);
}
