// link:
/*
 * The raw record path every stage runs: frame a record out of arbitrary
 * bytes, look keys up, append keys (with and without replacing), and read
 * the result back.  Nothing here may read out of bounds or loop forever.
 */
#include <fcntl.h>
#include <unistd.h>

#include "tsa.h"

static const char *const keys[] = {
	"timestamp", "src_addr", "dst_addr", "protocol", "dns_resp_ips", "type",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tsa_writer *w;
	const uint8_t *p = data, *end = data + size;
	struct mp_obj vals[6];

	if (!w)
		w = tsa_writer_open("/dev/null", 1);
	while (p < end) {
		const uint8_t *rec = p;
		if (mp_skip(&p, end) < 0)
			break;
		size_t len = (size_t)(p - rec);
		if (mp_map_get(rec, len, keys, 6, vals) < 0)
			continue;
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
		if (vals[0].type == MP_EXT)
			(void)mp_obj_time(&vals[0], &sec, &nsec);
	}
	return 0;
}
