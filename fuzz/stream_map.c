// link:
/*
 * The raw record path every stage runs: frame a record out of arbitrary
 * bytes, look keys up (the prepared key set of the reader's walk against
 * mp_map_get's plain loop: they must agree), append keys (with and without
 * replacing), and read the result back.  Nothing here may read out of
 * bounds or loop forever.
 */
#include <fcntl.h>
#include <unistd.h>

#include "tsa.h"

static const char *const keys[] = {
	"timestamp", "src_addr", "dst_addr", "protocol", "dns_resp_ips", "type",
};

static int same_value(const struct mp_obj *a, const struct mp_obj *b)
{
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case MP_NIL:
		return 1;
	case MP_BOOL:
		return a->b == b->b;
	case MP_UINT:
	case MP_INT:
		return a->u == b->u;
	case MP_FLOAT:
		return memcmp(&a->f, &b->f, sizeof a->f) == 0;
	default:
		return a->len == b->len && a->ptr == b->ptr;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tsa_writer *w;
	static struct mp_keys k;
	const uint8_t *p = data, *end = data + size;
	struct mp_obj vals[6], v2[6];

	if (!w) {
		w = tsa_writer_open("/dev/null", 1);
		mp_keys_init(&k, keys, 6);
	}
	while (p < end) {
		const uint8_t *rec = p;
		if (mp_skip(&p, end) < 0)
			break;
		size_t len = (size_t)(p - rec);
		uint64_t found;
		const uint8_t *walked = mp_map_walk(rec, p, &k, v2, &found);
		int64_t m = mp_map_get(rec, len, keys, 6, vals);
		/* the walk frames what mp_skip frames, if it is a map */
		const uint8_t *h = rec;
		struct mp_obj hdr;
		if (mp_next(&h, p, &hdr) == 0 && hdr.type == MP_MAP && walked != p)
			__builtin_trap();
		if (m < 0)
			continue;
		/* with string keys only, both find the same values */
		if (walked && (uint64_t)m != found)
			__builtin_trap();
		for (int i = 0; i < 6; i++)
			if (m >> i & 1 && !same_value(&v2[i], &vals[i]))
				__builtin_trap();
		for (int dedup = 0; dedup < 2; dedup++) {
			tsa_rec_dedup(w, dedup);
			tsa_rec_begin(w, rec, len);
			mp_put_cstr(tsa_rec_key(w, "protocol"), "tcp");
			mp_put_uint(tsa_rec_key(w, "new"), 1);
			size_t before = tsa_out(w)->len;
			tsa_rec_end(w);
			/* what was written is one well-formed map again */
			struct mp_buf *o = tsa_out(w);
			const uint8_t *q = o->p + before;
			if (o->len > before && mp_skip(&q, o->p + o->len) != 0)
				__builtin_trap();
			tsa_flush(w);
		}
		int64_t sec;
		uint32_t nsec;
		if ((m & 1) && vals[0].type == MP_EXT)	/* found, so set */
			(void)mp_obj_time(&vals[0], &sec, &nsec);
	}
	return 0;
}
