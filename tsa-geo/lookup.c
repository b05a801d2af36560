/*
 * The cache.  Traffic repeats addresses heavily (a flow is many packets),
 * and a warm libmaxminddb lookup plus the path walks for each field cost
 * far more than the rest of a record's handling, so:
 *
 *  - a 2-way set-associative table keyed on the address remembers, per
 *    address, its scope and where its answers are;
 *  - answers are interned by the database record they came from (many
 *    addresses share one record: every address of a country, in a country
 *    database), packed once into a fixed arena as msgpack value bytes.
 *
 * Nothing here allocates after geo_lookup_new: when the arena or the
 * intern table fills up, everything is forgotten at once and refilled.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "addr.h"
#include "annotate.h"
#include "lookup.h"
#include "util.h"

struct cache_ent {
	uint64_t k0, k1;	/* the address, IPv4 in the low bytes of k0 */
	uint32_t loc, asn;	/* arena offset + 1 of the answers; 0: none */
	uint8_t len;		/* 4 or 16; 0: empty slot */
	uint8_t scope;
	uint8_t older;		/* in e[0] only: which way to replace next */
};

struct cache_set {
	struct cache_ent e[2];
};

struct intern_ent {
	uint32_t offset;	/* data record offset in its database */
	uint32_t ans;		/* arena offset + 1; 0: empty slot */
	uint8_t which;		/* 0 location, 1 ASN database */
};

struct geo_lookup {
	const struct geo_db *db[2];
	struct cache_set *sets;
	unsigned set_bits;
	struct intern_ent *intern;
	uint32_t intern_mask, intern_used, intern_max;
	uint8_t *arena;
	size_t arena_len, arena_cap;
	struct mp_buf values;	/* one answer's values while packing */
	struct mp_buf pairs;	/* and its keys and values */
	struct geo_stats st;
};

/*
 * Upper bound of one answer's bytes: the mask, and per side a count, a
 * length, and per field a key (at most 13 bytes) and a value (strings are
 * at most 1024 bytes, see db.c).
 */
#define MAX_PAIRS (GEO_NFIELDS * (1 + 13 + 3 + 1024))
#define MAX_ANSWER (1 + 2 * (3 + MAX_PAIRS))

static const uint64_t golden = 0x9e3779b97f4a7c15ull;

/*
 * The address table is read at random, once or twice per record: on 4 KiB
 * pages nearly every lookup would also miss the TLB, so ask for huge pages
 * (where transparent huge pages are set to "madvise").  Zeroed.
 */
static void *table(size_t n, size_t size)
{
	size_t bytes = n * size, huge = (size_t)2 << 20;
	void *p;

	if (bytes < huge)
		return tsa_calloc(n, size);
	bytes = (bytes + huge - 1) & ~(huge - 1);
	if (posix_memalign(&p, huge, bytes) != 0)
		return tsa_calloc(n, size);
	madvise(p, bytes, MADV_HUGEPAGE);
	memset(p, 0, bytes);
	return p;
}

struct geo_lookup *geo_lookup_new(const struct geo_db *loc,
    const struct geo_db *asn, uint64_t cache_size)
{
	struct geo_lookup *g = tsa_calloc(1, sizeof *g);
	unsigned bits = 1;

	if (cache_size > (1u << 26))
		cache_size = 1u << 26;
	while ((2ull << bits) < cache_size)
		bits++;
	g->db[0] = loc;
	g->db[1] = asn;
	g->set_bits = bits;
	g->sets = table((size_t)1 << bits, sizeof *g->sets);
	/*
	 * Two answers per cached address at most; intern at half load.  Even
	 * a tiny cache gets room for many answers, or it would be emptied at
	 * nearly every record (geo_lookup_begin).
	 */
	unsigned ibits = bits + 2 < 8 ? 8 : bits + 2;
	g->intern_mask = (1u << ibits) - 1;
	g->intern_max = 1u << (ibits - 1);
	g->intern = tsa_calloc((size_t)g->intern_mask + 1, sizeof *g->intern);
	/* Room for a typical country or city answer per address. */
	g->arena_cap = ((size_t)2 << bits) * 128 + 16 * MAX_ANSWER;
	g->arena = tsa_malloc(g->arena_cap);
	mp_buf_grow(&g->values, MAX_ANSWER);
	mp_buf_grow(&g->pairs, MAX_ANSWER);
	return g;
}

void geo_lookup_free(struct geo_lookup *g)
{
	if (!g)
		return;
	free(g->sets);
	free(g->intern);
	free(g->arena);
	mp_buf_free(&g->values);
	mp_buf_free(&g->pairs);
	free(g);
}

void geo_lookup_flush(struct geo_lookup *g)
{
	memset(g->sets, 0, ((size_t)1 << g->set_bits) * sizeof *g->sets);
	memset(g->intern, 0, ((size_t)g->intern_mask + 1) * sizeof *g->intern);
	g->intern_used = 0;
	g->arena_len = 0;
}

const struct geo_stats *geo_lookup_stats(const struct geo_lookup *g)
{
	return &g->st;
}

/* The answer for one database record, packed and interned. */
static uint32_t answer(struct geo_lookup *g, int which, MMDB_entry_s *ent)
{
	uint32_t h = (uint32_t)(((ent->offset * 2ull + (uint64_t)which) * golden) >> 32);
	uint32_t i = h & g->intern_mask;
	uint32_t off[GEO_NFIELDS], len[GEO_NFIELDS];
	struct mp_buf *b = &g->pairs;
	unsigned mask;

	for (; g->intern[i].ans; i = (i + 1) & g->intern_mask)
		if (g->intern[i].offset == ent->offset && g->intern[i].which == which)
			return g->intern[i].ans;

	g->values.len = 0;
	mask = geo_db_answer(g->db[which], ent, &g->values, off, len);
	b->len = 0;
	mp_buf_reserve(b, 1);
	b->p[b->len++] = (uint8_t)mask;
	for (int side = 0; side < 2; side++) {
		size_t start = b->len;
		uint8_t n = 0;
		mp_buf_reserve(b, 3);
		b->len += 3;
		for (int f = 0; f < GEO_NFIELDS; f++) {
			if (!(mask & (1u << f)))
				continue;
			mp_put_cstr(b, geo_key(side, (enum geo_field)f));
			mp_put_raw(b, g->values.p + off[f], len[f]);
			n++;
		}
		size_t plen = b->len - start - 3;
		b->p[start] = n;
		b->p[start + 1] = (uint8_t)plen;
		b->p[start + 2] = (uint8_t)(plen >> 8);
	}
	memcpy(g->arena + g->arena_len, b->p, b->len);
	g->intern[i].offset = ent->offset;
	g->intern[i].which = (uint8_t)which;
	g->intern[i].ans = (uint32_t)g->arena_len + 1;
	g->intern_used++;
	g->arena_len += b->len;
	return g->intern[i].ans;
}

static uint32_t resolve(struct geo_lookup *g, int which, const uint8_t *a,
    size_t len)
{
	MMDB_entry_s ent;
	int rc;

	if (!g->db[which] || !g->db[which]->open)
		return 0;
	rc = geo_db_lookup(g->db[which], a, len, &ent);
	if (rc < 0)
		g->st.errors++;
	if (rc <= 0)
		return 0;
	return answer(g, which, &ent);
}

void geo_lookup_begin(struct geo_lookup *g)
{
	/* Two addresses, two answers each. */
	if (g->arena_cap - g->arena_len < 4 * MAX_ANSWER ||
	    g->intern_used + 4 > g->intern_max) {
		geo_lookup_flush(g);
		g->st.flushes++;
	}
}

/*
 * The cache key of an address: IPv4 (also IPv4-mapped IPv6) in the low
 * bytes of k0.  Returns the length to look up, or 0 for a bad one.
 */
static inline size_t cache_key(const uint8_t **a, size_t len, uint64_t *k0,
    uint64_t *k1)
{
	static const uint8_t mapped[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };

	if (len == 16 && memcmp(*a, mapped, 12) == 0) {
		*a += 12;
		len = 4;
	}
	if (len == 4) {
		uint32_t v;
		memcpy(&v, *a, 4);
		*k0 = v;
		*k1 = 0;
	} else if (len == 16) {
		memcpy(k0, *a, 8);
		memcpy(k1, *a + 8, 8);
	} else {
		return 0;
	}
	return len;
}

static inline struct cache_set *cache_set(const struct geo_lookup *g,
    uint64_t k0, uint64_t k1, size_t len)
{
	return &g->sets[((k0 ^ (k1 * golden) ^ len) * golden) >> (64 - g->set_bits)];
}

void geo_lookup_prefetch(const struct geo_lookup *g, const uint8_t *a,
    size_t len)
{
	uint64_t k0, k1;

	if ((len = cache_key(&a, len, &k0, &k1)) != 0)
		__builtin_prefetch(cache_set(g, k0, k1, len));
}

bool geo_lookup(struct geo_lookup *g, const uint8_t *a, size_t len,
    struct geo_result *r)
{
	uint64_t k0, k1;
	struct cache_set *s;
	struct cache_ent *e;

	if ((len = cache_key(&a, len, &k0, &k1)) == 0)
		return false;
	g->st.addrs++;
	s = cache_set(g, k0, k1, len);
	for (int w = 0; w < 2; w++) {
		e = &s->e[w];
		if (e->k0 == k0 && e->k1 == k1 && e->len == len) {
			s->e[0].older = (uint8_t)!w;
			g->st.hits++;
			goto done;
		}
	}

	int w = s->e[0].older;
	e = &s->e[w];
	e->k0 = k0;
	e->k1 = k1;
	e->len = (uint8_t)len;
	e->scope = (uint8_t)tsa_addr_scope(a, len);
	e->loc = e->asn = 0;
	if (e->scope == TSA_SCOPE_PUBLIC) {
		e->loc = resolve(g, 0, a, len);
		e->asn = resolve(g, 1, a, len);
	}
	s->e[0].older = (uint8_t)!w;
done:
	r->scope = e->scope;
	r->loc = e->loc ? g->arena + e->loc - 1 : NULL;
	r->asn = e->asn ? g->arena + e->asn - 1 : NULL;
	if (e->scope != TSA_SCOPE_PUBLIC)
		g->st.local++;
	else if (r->loc && (r->loc[0] & (1u << GEO_COUNTRY)))
		g->st.found++;
	return true;
}
