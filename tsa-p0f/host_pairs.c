/*
 * A packet record carries its endpoints' OS, src_os and src_os_class,
 * dst_os and dst_os_class (every other fact of a host is in its host
 * record, host_rec.c).  Each host has a slot of fixed size holding its
 * pairs twice, "src_" then "dst_" spelling, ready to be copied, after a
 * head that says how long they are.  host_get() marks a host changed
 * (host_changed), and every change to a host goes through it, so the
 * pairs are repacked, and the host record written if the host's facts
 * changed, on the record after a change.  A record reads the head and the
 * pairs, in the same few cache lines, and not the host itself.
 *
 * A record's pairs, its source's then its destination's, are put together
 * once and appended with one tsa_rec_pairs(); they are kept for the next
 * records between the same two endpoints (struct ends).
 */
#include <stdlib.h>
#include <string.h>

#include "host_pairs.h"
#include "host_rec.h"
#include "util.h"

enum { P_OS, P_OS_CLASS, NPAIRS };

/* The keys as msgpack fixstrs (all shorter than 32 bytes). */
static const char *const key_name[NPAIRS] = {
	[P_OS] = "os", [P_OS_CLASS] = "os_class",
};
#define KEY_MAX 16
static uint8_t key[2][NPAIRS][KEY_MAX];
static uint8_t key_len[NPAIRS];

/* The start of a host's slot, before its pairs. */
struct head {
	uint32_t len;		/* bytes of one spelling */
	uint8_t n;		/* pairs in one spelling */
};

static const struct p0f_db *db;
static uint8_t *pool;		/* max_hosts slots of slot_size bytes */
static size_t slot_size;	/* the head and both spellings */
static struct mp_buf scratch;	/* a host's pairs while being packed */

/*
 * The pairs appended for the last two (source, destination) pairs of
 * addresses: packets come in trains, one way or both ways along a
 * connection, and a record between the same endpoints as one of the last
 * two needs no host lookup and one copy.  An entry holds while no host
 * changes (hosts_gen).
 */
struct ends {
	uint64_t src[2], dst[2];	/* addresses as in hosts.c's keys */
	uint8_t alen;
	uint64_t gen;
	uint32_t n;
	struct mp_buf pairs;
};
static struct ends last[2];
static unsigned victim;

/* Bytes of a msgpack string of n bytes. */
static size_t str_size(size_t n)
{
	return n + (n < 32 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5);
}

void host_pairs_init(const struct p0f_db *d, uint32_t max_hosts)
{
	size_t full = 0, class = 0, one = 0;

	db = d;
	for (int i = 0; i < NPAIRS; i++) {
		size_t n = strlen(key_name[i]);

		if (1 + 4 + n > KEY_MAX)
			tsa_die("internal error: key %s too long", key_name[i]);

		key_len[i] = (uint8_t)(1 + 4 + n);
		for (int s = 0; s < 2; s++) {
			key[s][i][0] = (uint8_t)(0xa0 | (4 + n));
			memcpy(&key[s][i][1], s ? "dst_" : "src_", 4);
			memcpy(&key[s][i][5], key_name[i], n);
		}
		one += key_len[i];
	}
	for (unsigned i = 0; i < db->nlabels; i++)
		if (db->labels[i]->full_len > full)
			full = db->labels[i]->full_len;
	for (unsigned i = 0; i < db->nclasses; i++)
		if (strlen(db->classes[i]) > class)
			class = strlen(db->classes[i]);
	/* The values at their longest. */
	one += str_size(full) + str_size(class);
	/* Rounded up so that every head is aligned. */
	slot_size = (sizeof(struct head) + 2 * one + 7) & ~(size_t)7;
	pool = tsa_calloc(max_hosts, slot_size);
	/* hosts_gen starts at 1: the empty entries match nothing. */
	last[0].gen = last[1].gen = 0;
}

void host_pairs_free(void)
{
	free(pool);
	pool = NULL;
	mp_buf_free(&scratch);
	for (int i = 0; i < 2; i++) {
		mp_buf_free(&last[i].pairs);
		last[i].gen = 0;
	}
}

static void put_key(struct mp_buf *b, int dst, int k)
{
	mp_put_raw(b, key[dst][k], key_len[k]);
}

/* Pack one spelling of a host's pairs.  Returns the number of pairs. */
static uint8_t pack(struct mp_buf *b, const struct host *h, int dst)
{
	if (!h->os)
		return 0;
	put_key(b, dst, P_OS);
	mp_put_str(b, h->os->full, h->os->full_len);
	put_key(b, dst, P_OS_CLASS);
	mp_put_cstr(b, db->classes[h->os->class_id]);
	return 2;
}

/*
 * The host at place i changed: its host record goes to out if its facts
 * did, and both spellings of its pairs into its slot, after its head,
 * if its OS did (most SYNs change neither).
 */
static void repack(uint32_t i, struct head *hd, struct tsa_writer *out)
{
	struct host *h = host_at(i);
	size_t len;

	host_changed[i] = false;
	if (host_rec_put(tsa_out(out), h))
		tsa_wrote(out);
	if (h->pairs_valid && h->pairs_os == h->os)
		return;
	scratch.len = 0;
	hd->n = pack(&scratch, h, 0);
	len = scratch.len;
	pack(&scratch, h, 1);
	/* Both spellings have keys of the same lengths. */
	if (scratch.len > slot_size - sizeof *hd || scratch.len != 2 * len)
		tsa_die("internal error: host pairs larger than their slot");
	if (scratch.len)	/* scratch.p is NULL until the first pair */
		memcpy(hd + 1, scratch.p, scratch.len);
	hd->len = (uint32_t)len;
	h->pairs_os = h->os;
	h->pairs_valid = true;
}

/* The slot of the host at place i (host_find). */
static inline struct head *head_of(uint32_t i)
{
	return (struct head *)(pool + (size_t)i * slot_size);
}

/* Add one spelling of the pairs of the host at place i to e. */
static inline void add(struct ends *e, uint32_t i, int dst,
    struct tsa_writer *out)
{
	struct head *hd = head_of(i);

	if (host_changed[i])
		repack(i, hd, out);
	if (hd->n) {
		memcpy(mp_buf_reserve(&e->pairs, hd->len),
		    (const uint8_t *)(hd + 1) + (dst ? hd->len : 0), hd->len);
		e->pairs.len += hd->len;
		e->n += hd->n;
	}
}

void host_pairs_put(struct tsa_writer *w, const uint8_t *src,
    const uint8_t *dst, uint8_t alen)
{
	uint64_t s[2], d[2];
	struct ends *e;
	uint32_t hs, hd;

	tsa_addr_words(src, alen, &s[0], &s[1]);
	tsa_addr_words(dst, alen, &d[0], &d[1]);
	for (unsigned i = 0; i < 2; i++) {
		e = &last[i];
		if (e->gen == hosts_gen && e->src[0] == s[0] &&
		    e->src[1] == s[1] && e->dst[0] == d[0] &&
		    e->dst[1] == d[1] && e->alen == alen) {
			victim = i ^ 1;
			goto put;
		}
	}
	e = &last[victim];
	victim ^= 1;
	memcpy(e->src, s, sizeof s);
	memcpy(e->dst, d, sizeof d);
	e->alen = alen;
	e->gen = hosts_gen;
	e->n = 0;
	e->pairs.len = 0;
	/*
	 * Both hosts are looked up, and the destination's slot is fetched
	 * while the source's is read: the cache misses of the two overlap.
	 */
	hs = host_find(s[0], s[1], alen);
	hd = host_find(d[0], d[1], alen);
	if (hd != HOST_NONE)
		__builtin_prefetch(head_of(hd));
	if (hs != HOST_NONE)
		add(e, hs, 0, w);
	if (hd != HOST_NONE)
		add(e, hd, 1, w);
put:
	if (e->n)
		tsa_rec_pairs(w, e->pairs.p, e->pairs.len, e->n);
}
