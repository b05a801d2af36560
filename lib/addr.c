#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

const char *tsa_addr_fmt(const uint8_t *a, size_t len, char out[TSA_ADDR_STRLEN])
{
	if (len == 4)
		return inet_ntop(AF_INET, a, out, TSA_ADDR_STRLEN);
	if (len == 16)
		return inet_ntop(AF_INET6, a, out, TSA_ADDR_STRLEN);
	strcpy(out, "?");
	return out;
}

bool tsa_addr_parse(const char *s, uint8_t out[16], size_t *len)
{
	if (inet_pton(AF_INET, s, out) == 1) {
		*len = 4;
		return true;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*len = 16;
		return true;
	}
	return false;
}

bool tsa_cidr_parse(const char *s, struct tsa_cidr *c)
{
	char buf[TSA_ADDR_STRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen, n = slash ? (size_t)(slash - s) : strlen(s);
	char *end;
	long bits;

	if (n >= TSA_ADDR_STRLEN)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(c, 0, sizeof *c);
	if (!tsa_addr_parse(buf, c->addr, &alen))
		return false;
	c->len = (uint8_t)alen;
	c->prefix = (uint8_t)(alen * 8);
	if (slash) {
		if (slash[1] < '0' || slash[1] > '9')
			return false;
		bits = strtol(slash + 1, &end, 10);
		if (*end || bits < 0 || bits > (long)(alen * 8))
			return false;
		c->prefix = (uint8_t)bits;
	}
	/* Clear host bits so that matching compares prefixes only. */
	for (unsigned i = 0; i < alen; i++) {
		unsigned keep = c->prefix > i * 8 ? c->prefix - i * 8 : 0;
		if (keep < 8)
			c->addr[i] &= (uint8_t)(0xff00 >> keep);
	}
	return true;
}

static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	return rest == 0 || ((a[whole] ^ b[whole]) & (uint8_t)(0xff00 >> rest)) == 0;
}

bool tsa_cidr_match(const struct tsa_cidr *c, const uint8_t *a, size_t len)
{
	if (len == 16 && c->len == 4 && memcmp(a, v4mapped, 12) == 0) {
		a += 12;
		len = 4;
	}
	return len == c->len && prefix_eq(a, c->addr, c->prefix);
}

struct range {
	uint8_t addr[16];
	uint8_t prefix;
	uint8_t scope;
};

static const struct range v4ranges[] = {
	{ { 10 }, 8, TSA_SCOPE_PRIVATE },
	{ { 172, 16 }, 12, TSA_SCOPE_PRIVATE },
	{ { 192, 168 }, 16, TSA_SCOPE_PRIVATE },
	{ { 100, 64 }, 10, TSA_SCOPE_PRIVATE },		/* RFC 6598 shared/CGN */
	{ { 127 }, 8, TSA_SCOPE_LOOPBACK },
	{ { 169, 254 }, 16, TSA_SCOPE_LINKLOCAL },
	{ { 224 }, 4, TSA_SCOPE_MULTICAST },
	{ { 255, 255, 255, 255 }, 32, TSA_SCOPE_MULTICAST },
	{ { 192, 0, 2 }, 24, TSA_SCOPE_DOCUMENTATION },
	{ { 198, 51, 100 }, 24, TSA_SCOPE_DOCUMENTATION },
	{ { 203, 0, 113 }, 24, TSA_SCOPE_DOCUMENTATION },
	{ { 0 }, 8, TSA_SCOPE_RESERVED },
	{ { 240 }, 4, TSA_SCOPE_RESERVED },
	{ { 192, 0, 0 }, 24, TSA_SCOPE_RESERVED },	/* IETF protocol assignments */
	{ { 198, 18 }, 15, TSA_SCOPE_RESERVED },	/* benchmarking */
};

static const struct range v6ranges[] = {
	{ { 0 }, 128, TSA_SCOPE_RESERVED },		/* :: */
	{ { [15] = 1 }, 128, TSA_SCOPE_LOOPBACK },	/* ::1 */
	{ { 0xfc }, 7, TSA_SCOPE_PRIVATE },
	{ { 0xfe, 0x80 }, 10, TSA_SCOPE_LINKLOCAL },
	{ { 0xff }, 8, TSA_SCOPE_MULTICAST },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, TSA_SCOPE_DOCUMENTATION },
	{ { 0x01 }, 64, TSA_SCOPE_RESERVED },		/* 100::/64 discard */
};

enum tsa_addr_scope tsa_addr_scope(const uint8_t *a, size_t len)
{
	const struct range *r;
	size_t n;

	if (len == 16 && memcmp(a, v4mapped, 12) == 0) {
		a += 12;
		len = 4;
	}
	if (len == 4) {
		r = v4ranges;
		n = sizeof v4ranges / sizeof v4ranges[0];
	} else if (len == 16) {
		r = v6ranges;
		n = sizeof v6ranges / sizeof v6ranges[0];
	} else {
		return TSA_SCOPE_RESERVED;
	}
	for (size_t i = 0; i < n; i++)
		if (prefix_eq(a, r[i].addr, r[i].prefix))
			return (enum tsa_addr_scope)r[i].scope;
	return TSA_SCOPE_PUBLIC;
}

const char *tsa_scope_name(enum tsa_addr_scope s)
{
	static const char *const names[] = {
		"public", "private", "loopback", "link-local", "multicast",
		"documentation", "reserved",
	};

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "reserved";
}
