/*
 * Large allocations of national access and hosting networks (RIR
 * delegations).  Each block was checked to geolocate to its country in the
 * DB-IP country database (mmdblookup on samples across the block); blocks
 * shared with other countries were narrowed or left out.
 */
#include <arpa/inet.h>
#include <string.h>

#include "util.h"
#include "geo_prefixes.h"

const struct prefix prefixes4[] = {
	{ "US", "com", "12.0.0.0", 8 },
	{ "US", "com", "24.0.0.0", 12 },
	{ "CA", "ca", "142.112.0.0", 13 },
	{ "CA", "ca", "24.200.0.0", 14 },
	{ "MX", "com.mx", "189.128.0.0", 11 },
	{ "MX", "com.mx", "187.128.0.0", 12 },
	{ "BR", "com.br", "177.0.0.0", 12 },
	{ "BR", "com.br", "189.0.0.0", 11 },
	{ "AR", "com.ar", "181.0.0.0", 12 },
	{ "CL", "cl", "186.10.0.0", 15 },
	{ "CO", "com.co", "181.48.0.0", 13 },
	{ "PE", "com.pe", "190.232.0.0", 13 },
	{ "GB", "co.uk", "81.128.0.0", 11 },
	{ "GB", "co.uk", "86.128.0.0", 10 },
	{ "IE", "ie", "86.40.0.0", 13 },
	{ "DE", "de", "79.192.0.0", 10 },
	{ "DE", "de", "91.0.0.0", 10 },
	{ "FR", "fr", "90.0.0.0", 9 },
	{ "ES", "es", "83.32.0.0", 11 },
	{ "PT", "pt", "85.240.0.0", 13 },
	{ "IT", "it", "79.0.0.0", 10 },
	{ "IT", "it", "93.32.0.0", 11 },
	{ "NL", "nl", "84.24.0.0", 13 },
	{ "BE", "be", "81.240.0.0", 14 },
	{ "BE", "be", "91.176.0.0", 13 },
	{ "CH", "ch", "85.0.0.0", 13 },
	{ "AT", "at", "62.46.0.0", 15 },
	{ "SE", "se", "78.64.0.0", 12 },
	{ "SE", "se", "90.224.0.0", 12 },
	{ "NO", "no", "84.208.0.0", 13 },
	{ "DK", "dk", "80.160.0.0", 13 },
	{ "DK", "dk", "87.48.0.0", 12 },
	{ "FI", "fi", "91.152.0.0", 13 },
	{ "PL", "pl", "83.0.0.0", 11 },
	{ "CZ", "cz", "88.100.0.0", 14 },
	{ "HU", "hu", "84.0.0.0", 15 },
	{ "RO", "ro", "86.120.0.0", 13 },
	{ "GR", "gr", "79.166.0.0", 15 },
	{ "RU", "ru", "95.24.0.0", 13 },
	{ "RU", "ru", "91.76.0.0", 14 },
	{ "UA", "com.ua", "46.118.0.0", 15 },
	{ "UA", "com.ua", "176.36.0.0", 14 },
	{ "TR", "com.tr", "78.160.0.0", 11 },
	{ "IL", "co.il", "79.176.0.0", 13 },
	{ "SA", "com.sa", "188.48.0.0", 13 },
	{ "AE", "ae", "94.200.0.0", 13 },
	{ "IR", "ir", "5.112.0.0", 12 },
	{ "EG", "com.eg", "41.32.0.0", 12 },
	{ "EG", "com.eg", "156.160.0.0", 11 },
	{ "MA", "ma", "105.128.0.0", 11 },
	{ "DZ", "dz", "41.96.0.0", 12 },
	{ "NG", "com.ng", "105.112.0.0", 12 },
	{ "NG", "com.ng", "102.88.0.0", 14 },
	{ "KE", "co.ke", "41.89.0.0", 16 },
	{ "ZA", "co.za", "41.0.0.0", 13 },
	{ "IN", "co.in", "117.192.0.0", 10 },
	{ "IN", "co.in", "59.88.0.0", 13 },
	{ "PK", "com.pk", "39.32.0.0", 11 },
	{ "BD", "com.bd", "114.130.0.0", 16 },
	{ "CN", "com.cn", "114.80.0.0", 12 },
	{ "CN", "com.cn", "218.0.0.0", 11 },
	{ "JP", "co.jp", "126.0.0.0", 8 },
	{ "KR", "co.kr", "121.128.0.0", 10 },
	{ "TW", "com.tw", "1.160.0.0", 12 },
	{ "HK", "com.hk", "113.252.0.0", 14 },
	{ "SG", "com.sg", "116.14.0.0", 15 },
	{ "MY", "com.my", "175.136.0.0", 13 },
	{ "TH", "co.th", "171.96.0.0", 13 },
	{ "VN", "com.vn", "113.160.0.0", 11 },
	{ "ID", "co.id", "36.64.0.0", 11 },
	{ "PH", "com.ph", "112.198.0.0", 16 },
	{ "AU", "com.au", "1.120.0.0", 13 },
	{ "NZ", "co.nz", "122.56.0.0", 14 },
};
const unsigned nprefixes4 = sizeof prefixes4 / sizeof prefixes4[0];

const struct prefix prefixes6[] = {
	{ "US", "com", "2600:1700::", 28 },
	{ "US", "com", "2001:558::", 31 },
	{ "DE", "de", "2003::", 19 },
	{ "FR", "fr", "2a01:cb00::", 24 },
	{ "FR", "fr", "2a01:e00::", 26 },
	{ "GB", "co.uk", "2a02:c7c::", 30 },
	{ "NL", "nl", "2a02:a400::", 26 },
	{ "ES", "es", "2a0c:5a80::", 29 },
	{ "JP", "co.jp", "2400:4050::", 30 },
	{ "KR", "co.kr", "2001:2d8::", 32 },
	{ "CN", "com.cn", "240e::", 20 },
	{ "IN", "co.in", "2405:201::", 32 },
	{ "BR", "com.br", "2804:14c::", 32 },
	{ "AU", "com.au", "2001:8003::", 32 },
};
const unsigned nprefixes6 = sizeof prefixes6 / sizeof prefixes6[0];

void
prefix_pick(struct rng *r, const struct prefix *p, uint8_t addr[16])
{
	int v6 = strchr(p->net, ':') != NULL;
	int bits = v6 ? 128 : 32;

	memset(addr, 0, 16);
	if (inet_pton(v6 ? AF_INET6 : AF_INET, p->net, addr) != 1)
		tsa_die("internal error: bad prefix %s", p->net);
	/* Random host bits below the prefix length. */
	for (int b = p->len; b < bits; b++)
		if (rng_next(r) >> 63)
			addr[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	if (!v6 && (addr[3] == 0 || addr[3] == 255))
		addr[3] = (uint8_t)rng_range(r, 1, 254);
}
