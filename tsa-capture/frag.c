/*
 * Fragment reassembly.  A datagram being reassembled keeps a buffer that
 * grows to the highest byte seen and a bitmap of the 8-byte units filled
 * (every fragment but the last is a multiple of 8 bytes, at an offset that
 * is one): a fragment costs a look-up and work proportional to its length.
 *
 * Overlaps: the first copy of a byte wins; a later fragment only fills the
 * gaps.  Receivers differ (Windows keeps the first copy, as Wireshark's
 * reassembly does; Linux since 4.19, and every IPv6 stack that follows
 * RFC 5722, discards a datagram with overlapping fragments; old BSDs
 * preferred later data at some offsets), and a passive observer cannot know
 * which one is listening.  Keeping the first copy means that data seen
 * cannot be rewritten afterwards, and fragments whose overlapping bytes
 * differ (an attempt to show the observer and the receiver different
 * packets) are counted, so that the attempt itself is visible.
 *
 * Limits: a datagram is given timeout_ns of stream time from its first
 * fragment; when the table holds its maximum of datagrams or bytes, a new
 * datagram is refused (as Linux does over ipfrag_high_thresh) rather than
 * an old one evicted, so that a flood of fragments cannot push out the
 * datagrams in progress, and a refused first fragment is still decoded on
 * its own by the caller.  Each call also times out at most EXPIRE_STEP of
 * the oldest datagrams, so no packet pays for many.
 */
#include <stdlib.h>
#include <string.h>

#include "frag.h"
#include "hash.h"
#include "util.h"

#define UNITS ((FRAG_MAX_DATAGRAM + 7) / 8)
#define EXPIRE_STEP 4
#define MIN_BUFFER 2048

struct dgram {
	struct frag_key key;
	struct dgram *hnext;		/* hash chain */
	struct dgram *older, *newer;	/* in order of creation */
	int64_t born;			/* stream time of its first fragment */
	uint8_t *data;
	uint32_t size;			/* of data */
	uint32_t end;			/* highest byte held + 1 */
	uint32_t total;			/* payload length, once the last fragment is in */
	uint32_t units;			/* 8-byte units filled */
	uint32_t nfrags;
	int have_last;
	uint8_t map[(UNITS + 7) / 8];	/* units filled */
};

struct frag_table {
	struct frag_limits lim;
	struct dgram **bucket;
	size_t mask;
	struct dgram *oldest, *newest;
	uint32_t n;
	uint64_t mem;		/* bytes of dgram structs and buffers */
	struct dgram *done;	/* completed by the last call; freed by the next */
	struct frag_counts c;
};

/* The library's keyed hash: nobody on the wire can choose datagrams that
   share a chain. */
static uint64_t frag_hash(const struct frag_key *k)
{
	return tsa_hash_bytes(k, sizeof *k);
}

struct frag_table *frag_new(const struct frag_limits *lim)
{
	struct frag_table *t = tsa_calloc(1, sizeof *t);
	size_t n = 16;

	t->lim = *lim;
	while (n < 2 * (size_t)lim->datagrams)
		n *= 2;
	t->bucket = tsa_calloc(n, sizeof *t->bucket);
	t->mask = n - 1;
	return t;
}

static void dgram_free(struct frag_table *t, struct dgram *d)
{
	t->mem -= sizeof *d + d->size;
	free(d->data);
	free(d);
}

/* Take d out of the hash chain and the age list (not freed). */
static void unlink_dgram(struct frag_table *t, struct dgram *d)
{
	struct dgram **pp = &t->bucket[frag_hash(&d->key) & t->mask];

	while (*pp != d)
		pp = &(*pp)->hnext;
	*pp = d->hnext;
	if (d->older)
		d->older->newer = d->newer;
	else
		t->oldest = d->newer;
	if (d->newer)
		d->newer->older = d->older;
	else
		t->newest = d->older;
	t->n--;
}

static void release_done(struct frag_table *t)
{
	if (t->done) {
		dgram_free(t, t->done);
		t->done = NULL;
	}
}

void frag_flush(struct frag_table *t)
{
	struct dgram *d;

	release_done(t);
	while ((d = t->oldest) != NULL) {
		unlink_dgram(t, d);
		dgram_free(t, d);
		t->c.timed_out++;
	}
}

void frag_free(struct frag_table *t)
{
	if (t == NULL)
		return;
	frag_flush(t);
	free(t->bucket);
	free(t);
}

const struct frag_counts *frag_counts(const struct frag_table *t)
{
	return &t->c;
}

/* Stream time can step back (files concatenated): what is further than
   the timeout from now either way has had its time. */
static int expired(const struct frag_table *t, const struct dgram *d,
    int64_t now)
{
	uint64_t dist = now >= d->born ? (uint64_t)now - (uint64_t)d->born :
	    (uint64_t)d->born - (uint64_t)now;

	return dist > t->lim.timeout_ns;
}

static void expire(struct frag_table *t, int64_t now)
{
	struct dgram *d;
	int i;

	for (i = 0; i < EXPIRE_STEP && (d = t->oldest) != NULL &&
	    expired(t, d, now); i++) {
		unlink_dgram(t, d);
		dgram_free(t, d);
		t->c.timed_out++;
	}
}

static struct dgram *find(struct frag_table *t, const struct frag_key *k,
    uint64_t h)
{
	struct dgram *d;

	for (d = t->bucket[h & t->mask]; d; d = d->hnext)
		if (memcmp(&d->key, k, sizeof *k) == 0)
			return d;
	return NULL;
}

static struct dgram *create(struct frag_table *t, const struct frag_key *k,
    uint64_t h, int64_t now)
{
	struct dgram *d;

	if (t->n >= t->lim.datagrams || t->mem + sizeof *d > t->lim.memory)
		return NULL;
	d = tsa_calloc(1, sizeof *d);
	d->key = *k;
	d->born = now;
	d->hnext = t->bucket[h & t->mask];
	t->bucket[h & t->mask] = d;
	d->older = t->newest;
	if (t->newest)
		t->newest->newer = d;
	else
		t->oldest = d;
	t->newest = d;
	t->n++;
	t->mem += sizeof *d;
	return d;
}

/* Room for bytes up to end; doubling, so that many small fragments do not
   copy the buffer many times.  0 when the memory limit forbids it. */
static int grow(struct frag_table *t, struct dgram *d, uint32_t end)
{
	uint32_t size = d->size ? d->size : MIN_BUFFER;

	if (end <= d->size)
		return 1;
	while (size < end)
		size *= 2;
	if (size > FRAG_MAX_DATAGRAM)
		size = FRAG_MAX_DATAGRAM;
	if (t->mem + (size - d->size) > t->lim.memory) {
		size = end;	/* just enough, then */
		if (t->mem + (size - d->size) > t->lim.memory)
			return 0;
	}
	d->data = tsa_realloc(d->data, size);
	t->mem += size - d->size;
	d->size = size;
	return 1;
}

/* Copy the units of [off, end) not filled yet; 1 if a filled one differs. */
static int fill(struct dgram *d, uint32_t off, uint32_t end, const uint8_t *p)
{
	uint32_t u, b0, b1;
	int differs = 0;

	for (u = off / 8; u * 8 < end; u++) {
		b0 = u * 8;
		b1 = b0 + 8 < end ? b0 + 8 : end;
		if (d->map[u / 8] >> (u % 8) & 1) {
			if (memcmp(d->data + b0, p + (b0 - off), b1 - b0) != 0)
				differs = 1;
			continue;
		}
		memcpy(d->data + b0, p + (b0 - off), b1 - b0);
		d->map[u / 8] |= (uint8_t)(1u << (u % 8));
		d->units++;
	}
	return differs;
}

void frag_cut(struct frag_table *t)
{
	t->c.dropped++;
}

int frag_add(struct frag_table *t, const struct frag_key *k, uint32_t off,
    int more, const uint8_t *p, size_t len, int64_t now_ns,
    const uint8_t **data, size_t *dlen, unsigned *nfrags)
{
	struct dgram *d;
	uint64_t h;
	uint32_t end;

	release_done(t);
	expire(t, now_ns);
	/* An IPv4 fragment other than the last that is not a multiple of 8
	   bytes is cut to one, as Linux does (and so it is held, as Wireshark
	   holds it); RFC 8200 has IPv6 discard it. */
	if (more && len % 8 && k->version == 4)
		len -= len % 8;
	/* Geometry no datagram can have: past 64 KiB, a fragment other than
	   the last that is empty or not a multiple of 8 bytes, or a "last
	   fragment" at offset 0, which is the whole datagram. */
	if (off % 8 || off > FRAG_MAX_DATAGRAM || len > FRAG_MAX_DATAGRAM - off ||
	    (more && (len == 0 || len % 8)) || (!more && off == 0))
		goto drop;
	end = off + (uint32_t)len;
	h = frag_hash(k);
	if ((d = find(t, k, h)) == NULL && (d = create(t, k, h, now_ns)) == NULL)
		goto drop;
	/* Data past the end that the last fragment gave, or a last fragment
	   that ends elsewhere or before data already held. */
	if (d->have_last && (end > d->total || (!more && end != d->total)))
		goto drop;
	if (!more && end < d->end)
		goto drop;
	if (!grow(t, d, end)) {
		if (d->nfrags == 0) {	/* created for nothing */
			unlink_dgram(t, d);
			dgram_free(t, d);
		}
		goto drop;
	}
	if (fill(d, off, end, p))
		t->c.overlaps++;
	d->nfrags++;
	if (end > d->end)
		d->end = end;
	if (!more) {
		d->have_last = 1;
		d->total = end;
	}
	if (!d->have_last || d->units != (d->total + 7) / 8)
		return FRAG_HELD;
	unlink_dgram(t, d);
	t->done = d;
	t->c.reassembled++;
	*data = d->data;
	*dlen = d->total;
	*nfrags = d->nfrags;
	return FRAG_DONE;
drop:
	t->c.dropped++;
	return FRAG_NOT_HELD;
}
