// link: TSA_FILTER_OBJS
/*
 * tsa-filter's expression compiler and evaluator.  The input up to the
 * first NUL is an expression: it must compile or be refused with a column
 * inside the text (plus one for the end).  A compiled expression is run on
 * fixed records covering every value type, and on the bytes after the NUL
 * taken as a record, which may be anything.  Each field of the expression
 * is looked up for "did you mean", as a misspelled one would be.
 */
#include <stdlib.h>

#include "tsa.h"
#include "../tsa-filter/expr.h"

static struct mp_buf recs[3];

static void build(void)
{
	static const uint8_t v4[4] = {10, 1, 2, 3}, v6[16] = {0x20, 1, 0xd, 0xb8,
	    [15] = 1}, mapped[16] = {[10] = 0xff, [11] = 0xff, 8, 8, 8, 8};
	struct mp_buf *b = &recs[0];
	mp_put_map(b, 16);
	mp_put_cstr(b, "timestamp"); mp_put_time(b, 1700000000, 5);
	mp_put_cstr(b, "length"); mp_put_uint(b, 1500);
	mp_put_cstr(b, "src_addr"); mp_put_bin(b, v4, 4);
	mp_put_cstr(b, "dst_addr"); mp_put_bin(b, mapped, 16);
	mp_put_cstr(b, "protocol"); mp_put_cstr(b, "tcp");
	mp_put_cstr(b, "dst_port"); mp_put_uint(b, 443);
	mp_put_cstr(b, "x_delta"); mp_put_int(b, -5);
	mp_put_cstr(b, "src_lat"); mp_put_double(b, -33.5);
	mp_put_cstr(b, "truncated"); mp_put_bool(b, true);
	mp_put_cstr(b, "tls_sni"); mp_put_cstr(b, "Mail.Example.COM");
	mp_put_cstr(b, "dns_query_names"); mp_put_array(b, 2);
	mp_put_cstr(b, "a.example.cn"); mp_put_cstr(b, "");
	mp_put_cstr(b, "dns_resp_ips"); mp_put_array(b, 2);
	mp_put_bin(b, v4, 4); mp_put_bin(b, v6, 16);
	mp_put_cstr(b, "user_tag"); mp_put_array(b, 3);
	mp_put_uint(b, 1); mp_put_array(b, 1); mp_put_nil(b); mp_put_map(b, 0);
	mp_put_cstr(b, "tcp_headers"); mp_put_bin(b, "\x45\0", 2);
	mp_put_cstr(b, "big"); mp_put_uint(b, UINT64_MAX);
	mp_put_cstr(b, "dst_port"); mp_put_cstr(b, "duplicate");
	b = &recs[1];
	mp_put_map(b, 3);
	mp_put_cstr(b, "ip_version"); mp_put_uint(b, 6);
	mp_put_cstr(b, "src_addr"); mp_put_bin(b, v6, 16);
	mp_put_cstr(b, "protocol"); mp_put_uint(b, 47);
	b = &recs[2];
	mp_put_map(b, 2);
	mp_put_cstr(b, "final"); mp_put_bool(b, true);
	mp_put_cstr(b, "type"); mp_put_cstr(b, "stats");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!recs[0].len)
		build();
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul ? (size_t)(nul - data) : size;
	char *text = malloc(n + 1);
	memcpy(text, data, n);
	text[n] = '\0';
	struct filter_error err;
	struct filter *f = filter_compile(text, &err);
	if (!f) {
		if (err.col < 1 || (size_t)err.col > n + 1 || !err.msg[0])
			abort();
	} else {
		for (int k = 0; k < 3; k++) {
			enum filter_verdict v = filter_record(f, recs[k].p,
			    recs[k].len);
			if (v == FILTER_BAD || (k == 2) != (v == FILTER_OTHER))
				abort();
		}
		if (nul)
			(void)filter_record(f, nul + 1, size - n - 1);
		for (int k = 1; k < f->nkeys; k++) {
			char near[2 * FIELD_NAME_MAX + 8];
			field_nearest(f->keys[k], near, sizeof near);
			if (strlen(near) >= sizeof near)
				abort();
		}
		filter_free(f);
	}
	free(text);
	return 0;
}
