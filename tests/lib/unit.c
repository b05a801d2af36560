/*
 * Unit tests of the shared library.  msgpack-c serves as the independent
 * decoder: what mp_put_* writes must read back through it unchanged.
 */
#include <fcntl.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tsa.h"

static int checks, failures;

#define CHECK(cond) do { \
	checks++; \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

/* Decode b with msgpack-c; the caller destroys the result. */
static int oracle(const struct mp_buf *b, msgpack_unpacked *u, size_t *off)
{
	return msgpack_unpack_next(u, (const char *)b->p, b->len, off) ==
	    MSGPACK_UNPACK_SUCCESS;
}

static void test_scalars(void)
{
	static const int64_t ints[] = {
		0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295LL,
		4294967296LL, INT64_MAX, -1, -32, -33, -128, -129, -32768,
		-32769, INT32_MIN, (int64_t)INT32_MIN - 1, INT64_MIN,
	};
	struct mp_buf b = { 0 };
	msgpack_unpacked u;
	size_t off = 0;

	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		mp_put_int(&b, ints[i]);
	mp_put_uint(&b, UINT64_MAX);
	msgpack_unpacked_init(&u);
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		CHECK(oracle(&b, &u, &off));
		if (ints[i] >= 0)
			CHECK(u.data.type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
			    u.data.via.u64 == (uint64_t)ints[i]);
		else
			CHECK(u.data.type == MSGPACK_OBJECT_NEGATIVE_INTEGER &&
			    u.data.via.i64 == ints[i]);
	}
	CHECK(oracle(&b, &u, &off) && u.data.via.u64 == UINT64_MAX);
	CHECK(off == b.len);

	/* and our own decoder agrees */
	const uint8_t *p = b.p, *end = b.p + b.len;
	struct mp_obj o;
	int64_t v;
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		CHECK(mp_next(&p, end, &o) == 0 && mp_obj_int(&o, &v) && v == ints[i]);
	}
	CHECK(mp_next(&p, end, &o) == 0 && o.type == MP_UINT && o.u == UINT64_MAX);
	CHECK(!mp_obj_int(&o, &v));
	CHECK(p == end && mp_next(&p, end, &o) == -1);

	/* strings and bins at every length boundary */
	static const size_t lens[] = { 0, 1, 31, 32, 255, 256, 65535, 65536 };
	char *s = malloc(70000);
	memset(s, 'x', 70000);
	b.len = 0;
	for (size_t i = 0; i < 8; i++) {
		mp_put_str(&b, s, lens[i]);
		mp_put_bin(&b, s, lens[i]);
	}
	off = 0;
	for (size_t i = 0; i < 8; i++) {
		CHECK(oracle(&b, &u, &off) && u.data.type == MSGPACK_OBJECT_STR &&
		    u.data.via.str.size == lens[i]);
		CHECK(oracle(&b, &u, &off) && u.data.type == MSGPACK_OBJECT_BIN &&
		    u.data.via.bin.size == lens[i]);
	}
	free(s);

	b.len = 0;
	mp_put_double(&b, 2.5);
	mp_put_bool(&b, true);
	mp_put_nil(&b);
	off = 0;
	CHECK(oracle(&b, &u, &off) && u.data.via.f64 == 2.5);
	CHECK(oracle(&b, &u, &off) && u.data.type == MSGPACK_OBJECT_BOOLEAN && u.data.via.boolean);
	CHECK(oracle(&b, &u, &off) && u.data.type == MSGPACK_OBJECT_NIL);
	msgpack_unpacked_destroy(&u);
	mp_buf_free(&b);
}

static void test_time(void)
{
	static const struct { int64_t sec; uint32_t nsec; size_t len; } t[] = {
		{ 0, 0, 6 }, { 1700000000, 0, 6 }, { 1700000000, 123456789, 10 },
		{ (1LL << 34) - 1, 999999999, 10 }, { 1LL << 34, 1, 15 },
		{ -1, 500, 15 },
	};
	struct mp_buf b = { 0 };

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const uint8_t *p;
		struct mp_obj o;
		int64_t sec;
		uint32_t nsec;
		msgpack_unpacked u;
		size_t off = 0;

		b.len = 0;
		mp_put_time(&b, t[i].sec, t[i].nsec);
		CHECK(b.len == t[i].len);
		p = b.p;
		CHECK(mp_next(&p, b.p + b.len, &o) == 0 && mp_obj_time(&o, &sec, &nsec) &&
		    sec == t[i].sec && nsec == t[i].nsec);
		msgpack_unpacked_init(&u);
		CHECK(oracle(&b, &u, &off) && u.data.type == MSGPACK_OBJECT_EXT &&
		    u.data.via.ext.type == -1);
		msgpack_unpacked_destroy(&u);
	}
	char txt[40];
	tsa_fmt_time(txt, 1700000000, 123456789);
	CHECK(strcmp(txt, "2023-11-14T22:13:20.123456789Z") == 0);
	tsa_fmt_time(txt, 951782400, 0);	/* leap day */
	CHECK(strcmp(txt, "2000-02-29T00:00:00.000000000Z") == 0);
	tsa_fmt_time(txt, -1, 0);
	CHECK(strcmp(txt, "1969-12-31T23:59:59.000000000Z") == 0);
	mp_buf_free(&b);
}

/* A record with nesting, used by the map and truncation tests. */
static void sample_record(struct mp_buf *b)
{
	mp_put_map(b, 5);
	mp_put_cstr(b, "src_port");
	mp_put_uint(b, 443);
	mp_put_cstr(b, "nested");
	mp_put_array(b, 2);
	mp_put_map(b, 1);
	mp_put_cstr(b, "a");
	mp_put_array(b, 0);
	mp_put_cstr(b, "b");
	mp_put_cstr(b, "protocol");
	mp_put_cstr(b, "tcp");
	mp_put_cstr(b, "src_addr");
	mp_put_bin(b, "\x08\x08\x08\x08", 4);
	mp_put_cstr(b, "timestamp");
	mp_put_time(b, 1700000000, 5);
}

static void test_map(void)
{
	struct mp_buf b = { 0 };
	static const char *const keys[] = { "protocol", "missing", "src_port", "nested" };
	struct mp_obj v[4];
	int64_t m;

	sample_record(&b);
	m = mp_map_get(b.p, b.len, keys, 4, v);
	CHECK(m == (1 | 4 | 8));
	CHECK(mp_str_eq(&v[0], "tcp", 3));
	CHECK(v[2].type == MP_UINT && v[2].u == 443);
	CHECK(v[3].type == MP_ARRAY && v[3].len == 2);
	CHECK(v[3].ptr && v[3].ptr[0] == 0x81);	/* the first element, a map */
	CHECK(mp_map_get1(b.p, b.len, "missing", &v[0]) == 0);
	CHECK(mp_map_get1((const uint8_t *)"\x92\x01\x02", 3, "x", &v[0]) == -1);

	/* Every cut of the record is reported as truncated, never read past. */
	for (size_t cut = 0; cut < b.len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		const uint8_t *p = copy;
		memcpy(copy, b.p, cut);
		CHECK(mp_skip(&p, copy + cut) == -1);
		free(copy);
	}
	const uint8_t *p = b.p;
	CHECK(mp_skip(&p, b.p + b.len) == 0 && p == b.p + b.len);

	/* A container claiming more elements than bytes is refused at once. */
	static const uint8_t huge[] = { 0xdd, 0xff, 0xff, 0xff, 0xff, 1, 2 };
	p = huge;
	CHECK(mp_skip(&p, huge + sizeof huge) == -1);
	static const uint8_t bad[] = { 0x92, 0x01, 0xc1 };
	p = bad;
	CHECK(mp_skip(&p, bad + sizeof bad) == -2);
	/* Deep nesting costs no stack. */
	uint8_t *deep = malloc(1000001);
	memset(deep, 0x91, 1000000);
	deep[1000000] = 0x01;
	p = deep;
	CHECK(mp_skip(&p, deep + 1000001) == 0);
	free(deep);
	mp_buf_free(&b);
}


/*
 * Prepared key sets against mp_map_get's plain comparison loop: random
 * keys that share prefixes, suffixes and lengths (the hash's hard cases),
 * up to 40 bytes, with repeated and non-string keys in the maps.
 */
static void test_keys(void)
{
	static const char *const parts[] = { "src_", "dst_", "dns_query_", "a",
	    "os", "country", "_class", "x", "names", "resp", "tcp_headers" };
	char pool[200][48];
	const char *wanted[64];
	struct mp_obj v1[64], v2[64];
	struct mp_buf b = { 0 };
	struct mp_keys k;
	unsigned seed = 12345;

#define RND() (seed = seed * 1103515245u + 12345u, seed >> 16)
	for (int i = 0; i < 200; i++) {
		pool[i][0] = 0;
		for (int n = 1 + (int)(RND() % 4); n > 0; n--)
			if (strlen(pool[i]) + 12 < sizeof pool[i])
				strcat(pool[i], parts[RND() % 11]);
	}
	for (int round = 0; round < 300; round++) {
		int nw = 1 + (int)(RND() % 64), np = (int)(RND() % 40);
		uint64_t m1;
		int64_t m2;

		for (int i = 0; i < nw; i++)
			wanted[i] = pool[RND() % 200];
		mp_keys_init(&k, wanted, nw);
		b.len = 0;
		mp_put_map(&b, (uint32_t)np);
		for (int i = 0; i < np; i++) {
			if (RND() % 20 == 0)
				mp_put_uint(&b, i);	/* a non-string key */
			else if (RND() % 2)
				mp_put_cstr(&b, wanted[RND() % nw]);
			else
				mp_put_cstr(&b, pool[RND() % 200]);
			mp_put_uint(&b, (uint64_t)i);
		}
		m2 = mp_map_get(b.p, b.len, wanted, nw, v2);
		/* mp_map_get refuses non-string keys; the walk skips them */
		CHECK(mp_map_walk(b.p, b.p + b.len, &k, v1, &m1) == b.p + b.len);
		if (m2 >= 0) {
			/* (mp_map_get gives a key repeated in the set the
			 * record's second occurrence; the walk leaves it out) */
			CHECK(m1 == ((uint64_t)m2 & k.all));
			for (int i = 0; i < nw; i++)
				if (m1 >> i & 1)
					CHECK(v1[i].type == MP_UINT && v1[i].u == v2[i].u);
		}
		/* Every cut is refused, and nothing past it is read (ASan). */
		for (size_t cut = 0; cut < b.len; cut++) {
			uint8_t *copy = malloc(cut ? cut : 1);
			memcpy(copy, b.p, cut);
			CHECK(mp_map_walk(copy, copy + cut, &k, v1, &m1) == NULL);
			free(copy);
		}
	}
	/* Of a key repeated in the set, the first gets the value. */
	static const char *const twice[] = { "ttl", "ttl" };
	mp_keys_init(&k, twice, 2);
	b.len = 0;
	mp_put_map(&b, 1);
	mp_put_cstr(&b, "ttl");
	mp_put_uint(&b, 64);
	uint64_t m;
	CHECK(mp_map_walk(b.p, b.p + b.len, &k, v1, &m) && m == 1 &&
	    v1[0].u == 64);
#undef RND
	mp_buf_free(&b);
}

static void test_addr(void)
{
	struct tsa_cidr c;
	uint8_t a[16];
	size_t n;

	CHECK(tsa_cidr_parse("10.1.2.3/8", &c) && c.prefix == 8 && c.addr[1] == 0);
	CHECK(tsa_addr_parse("10.255.255.255", a, &n) && tsa_cidr_match(&c, a, n));
	CHECK(tsa_addr_parse("11.0.0.0", a, &n) && !tsa_cidr_match(&c, a, n));
	CHECK(tsa_addr_parse("::ffff:10.0.0.1", a, &n) && n == 16 && tsa_cidr_match(&c, a, n));
	CHECK(tsa_cidr_parse("2001:db8::/33", &c));
	CHECK(tsa_addr_parse("2001:db8:7fff::1", a, &n) && tsa_cidr_match(&c, a, n));
	CHECK(tsa_addr_parse("2001:db8:8000::1", a, &n) && !tsa_cidr_match(&c, a, n));
	CHECK(tsa_cidr_parse("0.0.0.0/0", &c) && tsa_addr_parse("1.2.3.4", a, &n) &&
	    tsa_cidr_match(&c, a, n));
	CHECK(!tsa_cidr_parse("10.0.0.0/33", &c));
	CHECK(!tsa_cidr_parse("10.0.0.0/", &c));
	CHECK(!tsa_cidr_parse("10.0.0/8", &c));
	CHECK(!tsa_cidr_parse("fe80::/129", &c));

	static const struct { const char *a; enum tsa_addr_scope s; } sc[] = {
		{ "8.8.8.8", TSA_SCOPE_PUBLIC }, { "192.168.1.1", TSA_SCOPE_PRIVATE },
		{ "172.31.255.255", TSA_SCOPE_PRIVATE }, { "172.32.0.0", TSA_SCOPE_PUBLIC },
		{ "127.0.0.1", TSA_SCOPE_LOOPBACK }, { "169.254.1.1", TSA_SCOPE_LINKLOCAL },
		{ "239.255.255.250", TSA_SCOPE_MULTICAST }, { "255.255.255.255", TSA_SCOPE_MULTICAST },
		{ "198.51.100.7", TSA_SCOPE_DOCUMENTATION }, { "0.1.2.3", TSA_SCOPE_RESERVED },
		{ "2a00:1450::1", TSA_SCOPE_PUBLIC }, { "fd00::1", TSA_SCOPE_PRIVATE },
		{ "fe80::1", TSA_SCOPE_LINKLOCAL }, { "ff02::fb", TSA_SCOPE_MULTICAST },
		{ "::1", TSA_SCOPE_LOOPBACK }, { "2001:db8::1", TSA_SCOPE_DOCUMENTATION },
		{ "::ffff:192.168.0.1", TSA_SCOPE_PRIVATE }, { "100.64.0.1", TSA_SCOPE_PRIVATE },
	};
	for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++) {
		CHECK(tsa_addr_parse(sc[i].a, a, &n));
		if (tsa_addr_scope(a, n) != sc[i].s)
			fprintf(stderr, "scope of %s\n", sc[i].a);
		CHECK(tsa_addr_scope(a, n) == sc[i].s);
	}
	char txt[TSA_ADDR_STRLEN];
	CHECK(strcmp(tsa_addr_fmt((const uint8_t *)"\x01\x02\x03\x04", 4, txt), "1.2.3.4") == 0);
}

static void test_durations(void)
{
	uint64_t ns;

	CHECK(tsa_parse_duration("60s", &ns) && ns == 60000000000ULL);
	/* the calendar under both date readers (tsa-filter, tsa-p0f) */
	CHECK(tsa_days_from_civil(1970, 1, 1) == 0);
	CHECK(tsa_days_from_civil(1969, 12, 31) == -1);
	CHECK(tsa_days_from_civil(2000, 3, 1) == 11017);
	CHECK(tsa_days_from_civil(2100, 3, 1) == 47541);
	CHECK(tsa_parse_duration("5m", &ns) && ns == 300000000000ULL);
	CHECK(tsa_parse_duration("250ms", &ns) && ns == 250000000ULL);
	CHECK(tsa_parse_duration("2", &ns) && ns == 2000000000ULL);
	CHECK(!tsa_parse_duration("s", &ns));
	CHECK(!tsa_parse_duration("-1s", &ns));
	CHECK(!tsa_parse_duration("5 parsecs", &ns));
}

/* Write a stream with the library's writer into a file and read it back. */
static void test_stream(const char *dir)
{
	char path[512], path2[512];
	struct tsa_writer *w;
	struct tsa_reader *r;
	struct mp_buf rec = { 0 };
	const uint8_t *p;
	size_t len;
	char *argv[] = { "tsa-test", "--flag", NULL };

	snprintf(path, sizeof path, "%s/s1.tsa", dir);
	w = tsa_writer_open(path, 0);
	mp_put_map(tsa_out(w), 3);
	mp_put_cstr(tsa_out(w), "tsa");
	mp_put_uint(tsa_out(w), 1);
	mp_put_cstr(tsa_out(w), "custom");
	mp_put_cstr(tsa_out(w), "kept");
	mp_put_cstr(tsa_out(w), "tools");
	tsa_put_tools(tsa_out(w), NULL, 0, 1, argv);
	sample_record(&rec);
	for (int i = 0; i < 100000; i++) {
		mp_put_raw(tsa_out(w), rec.p, rec.len);
		tsa_wrote(w);
	}
	mp_put_map(tsa_out(w), 2);	/* a record type nobody knows */
	mp_put_cstr(tsa_out(w), "type");
	mp_put_cstr(tsa_out(w), "future");
	mp_put_cstr(tsa_out(w), "x");
	mp_put_uint(tsa_out(w), 7);
	tsa_writer_close(w);

	/* Pass it through a stage that appends two keys to packet records. */
	snprintf(path2, sizeof path2, "%s/s2.tsa", dir);
	r = tsa_reader_open(path);
	w = tsa_writer_open(path2, 0);
	tsa_header_pass(w, r, NULL, 2, argv);
	int n = 0, rc;
	struct mp_obj t;
	while ((rc = tsa_read(r, &p, &len)) > 0) {
		n++;
		tsa_rec_begin(w, p, len);
		if (!tsa_rec_type(p, len, &t)) {
			static const uint8_t packed[] = "\xa5" "extra" "\x01";
			mp_put_cstr(tsa_rec_key(w, "src_country"), "US");
			tsa_rec_pairs(w, packed, 7, 1);
		}
		tsa_rec_end(w);
	}
	CHECK(rc == 0 && n == 100001);
	tsa_reader_close(r);
	tsa_writer_close(w);

	/* Read back: header tools grew, keys appended after the old ones. */
	r = tsa_reader_open(path2);
	const uint8_t *h = tsa_reader_header(r, &len);
	struct mp_obj v;
	CHECK(mp_map_get1(h, len, "custom", &v) == 1 && mp_str_eq(&v, "kept", 4));
	CHECK(mp_map_get1(h, len, "tools", &v) == 1 && v.type == MP_ARRAY && v.len == 2);
	n = 0;
	while ((rc = tsa_read(r, &p, &len)) > 0) {
		struct mp_map_iter it;
		struct mp_obj k;
		const uint8_t *vs, *ve;
		const char *order[] = { "src_port", "nested", "protocol", "src_addr",
		    "timestamp", "src_country", "extra" };
		int i = 0, ok = 1;
		n++;
		if (tsa_rec_type(p, len, &t)) {
			CHECK(mp_str_eq(&t, "future", 6));
			CHECK(len == 16);	/* unchanged */
			continue;
		}
		mp_map_begin(&it, p, len);
		while (mp_map_step(&it, &k, &vs, &ve) > 0)
			ok &= i < 7 && mp_str_eq(&k, order[i], strlen(order[i])), i++;
		if (n == 1 || n == 100000)
			CHECK(ok && i == 7);
	}
	CHECK(rc == 0 && n == 100001);
	tsa_reader_close(r);

	/* The same stage run again replaces its keys instead of doubling them. */
	r = tsa_reader_open(path2);
	snprintf(path, sizeof path, "%s/s3.tsa", dir);
	w = tsa_writer_open(path, 0);
	tsa_header_pass(w, r, "other", 2, argv);
	while ((rc = tsa_read(r, &p, &len)) > 0) {
		static const uint8_t packed[] = "\xa5" "extra" "\x02";
		tsa_rec_begin(w, p, len);
		if (!tsa_rec_type(p, len, &t)) {
			mp_put_cstr(tsa_rec_key(w, "src_country"), "DE");
			tsa_rec_pairs(w, packed, 7, 1);
		}
		tsa_rec_end(w);
	}
	tsa_reader_close(r);
	tsa_writer_close(w);
	r = tsa_reader_open(path);
	h = tsa_reader_header(r, &len);
	CHECK(mp_map_get1(h, len, "kind", &v) == 1 && mp_str_eq(&v, "other", 5));
	CHECK(tsa_read(r, &p, &len) == 1);
	CHECK(mp_map_get1(p, len, "src_country", &v) == 1 && mp_str_eq(&v, "DE", 2));
	CHECK(mp_map_get1(p, len, "extra", &v) == 1 && v.type == MP_UINT && v.u == 2);
	struct mp_obj m;
	const uint8_t *q = p;
	CHECK(mp_next(&q, p + len, &m) == 0 && m.len == 7);
	tsa_reader_close(r);
	mp_buf_free(&rec);
}

/* A stream cut inside a record: the records before it, then an error. */
static void test_truncated(const char *dir)
{
	char path[512], cut[512];
	FILE *f;
	long size;
	char *data;

	snprintf(path, sizeof path, "%s/s1.tsa", dir);
	snprintf(cut, sizeof cut, "%s/cut.tsa", dir);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	data = malloc((size_t)size);
	CHECK(fread(data, 1, (size_t)size, f) == (size_t)size);
	fclose(f);
	f = fopen(cut, "wb");
	/* inside the last record: the end record (20 bytes) and 20 more */
	fwrite(data, 1, (size_t)size - 40, f);
	fclose(f);
	free(data);

	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 2);
		struct tsa_reader *r = tsa_reader_open(cut);
		const uint8_t *p;
		size_t len;
		int rc, n = 0;
		while ((rc = tsa_read(r, &p, &len)) > 0)
			n++;
		_exit(rc == -1 && n == 99999 ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/*
 * Sized maps: the header is written at the close, as small as the count
 * allows, with the pairs moved when it takes more than its one byte.
 * msgpack-c reads them back; sizes 0, 15 (fixmap), 16 and 70000 (map16,
 * map32), nested in an outer map.
 */
static void test_sized_maps(void)
{
	static const uint32_t sizes[] = { 0, 15, 16, 70000 };

	for (size_t t = 0; t < sizeof sizes / sizeof *sizes; t++) {
		struct mp_buf b = { 0 };
		struct mp_map_w outer, inner;
		msgpack_unpacked u;
		size_t off = 0;
		char key[16];

		mp_map_open(&b, &outer);
		mp_map_key(&b, &outer, "inner");
		mp_map_open(&b, &inner);
		for (uint32_t i = 0; i < sizes[t]; i++) {
			snprintf(key, sizeof key, "k%u", i);
			mp_map_key(&b, &inner, key);
			mp_put_uint(&b, i);
		}
		mp_map_close(&b, &inner);
		mp_map_key(&b, &outer, "after");
		mp_put_cstr(&b, "x");
		mp_map_close(&b, &outer);
		CHECK(b.p[0] == 0x82);
		CHECK(b.p[7] == (sizes[t] < 16 ? 0x80 | sizes[t] :
		    sizes[t] < 65536 ? 0xde : 0xdf));
		msgpack_unpacked_init(&u);
		CHECK(oracle(&b, &u, &off) && off == b.len &&
		    u.data.type == MSGPACK_OBJECT_MAP && u.data.via.map.size == 2);
		if (u.data.type == MSGPACK_OBJECT_MAP && u.data.via.map.size == 2) {
			msgpack_object_map *m = &u.data.via.map.ptr[0].val.via.map;
			msgpack_object *after = &u.data.via.map.ptr[1].val;

			CHECK(m->size == sizes[t]);
			CHECK(sizes[t] == 0 ||
			    m->ptr[sizes[t] - 1].val.via.u64 == sizes[t] - 1);
			CHECK(after->type == MSGPACK_OBJECT_STR &&
			    after->via.str.size == 1 && after->via.str.ptr[0] == 'x');
		}
		msgpack_unpacked_destroy(&u);
		mp_buf_free(&b);
	}
}

static void test_settings(const char *dir)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/settings.ini", dir);
	f = fopen(path, "w");
	fprintf(f, "; comment\n[geoip]\nDatabaseFilePath = data/x.mmdb\n"
	    "[aggregate]\nWindow = 60s ; inline comment\nBuckets = 25\n"
	    "[app]\nUseLiveCapture = False\nEmpty =\n");
	fclose(f);
	tsa_settings_load(path);
	CHECK(strcmp(tsa_settings_path(), path) == 0);
	CHECK(strcmp(tsa_setting("AGGREGATE", "window"), "60s") == 0);
	CHECK(strcmp(tsa_setting("aggregate", "Buckets"), "25") == 0);
	CHECK(tsa_setting("aggregate", "Absent") == NULL);
	CHECK(strcmp(tsa_setting("app", "UseLiveCapture"), "False") == 0);
	CHECK(strcmp(tsa_setting("app", "Empty"), "") == 0);
	CHECK(tsa_setting_entry("app", "useLIVEcapture")->line == 8);
	char *p = tsa_settings_resolve(tsa_setting("geoip", "DatabaseFilePath"));
	char want[600];
	snprintf(want, sizeof want, "%s/data/x.mmdb", dir);
	CHECK(strcmp(p, want) == 0);
	free(p);
}

/* A host record: type, addr, then dist (if >= 0) and pad bytes of text. */
static void host_rec(struct mp_buf *b, const uint8_t *a, size_t alen,
    int dist, size_t pad)
{
	static char text[2000];

	memset(text, 'x', sizeof text);
	b->len = 0;
	mp_put_map(b, 2 + (dist >= 0) + (pad > 0));
	mp_put_cstr(b, "type");
	mp_put_cstr(b, "host");
	mp_put_cstr(b, "addr");
	mp_put_bin(b, a, alen);
	if (dist >= 0) {
		mp_put_cstr(b, "dist");
		mp_put_uint(b, (uint64_t)dist);
	}
	if (pad) {
		mp_put_cstr(b, "pad");
		mp_put_str(b, text, pad);
	}
}

static uint64_t dist_of(const struct tsa_hostfacts *t, const uint8_t *a,
    size_t alen)
{
	const struct tsa_host *h = tsa_hostfacts_find(t, a, alen);
	struct mp_obj v;

	if (!h || !tsa_host_get(h, "dist", 4, &v) || v.type != MP_UINT)
		return UINT64_MAX;
	return v.u;
}

/*
 * lib/hostfacts: the latest record per address, the least recently
 * updated out first, a forgotten host gone, a large record cut to whole
 * pairs, the uptime at a time.
 */
static void test_hostfacts(void)
{
	struct tsa_hostfacts *t = tsa_hostfacts_new(2);
	struct mp_buf b = { 0 };
	uint8_t a[3][16] = { { 192, 0, 2, 1 }, { 192, 0, 2, 2 },
	    { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } };
	struct mp_obj v;
	uint64_t serial = tsa_hostfacts_serial(t), up;

	host_rec(&b, a[0], 4, 5, 0);
	CHECK(tsa_hostfacts_put(t, b.p, b.len));
	CHECK(tsa_hostfacts_serial(t) != serial);
	host_rec(&b, a[1], 4, 6, 0);
	CHECK(tsa_hostfacts_put(t, b.p, b.len));
	CHECK(dist_of(t, a[0], 4) == 5 && dist_of(t, a[1], 4) == 6);
	/* The same address as IPv6 is another host. */
	CHECK(tsa_hostfacts_find(t, a[0], 16) == NULL);
	/* An update makes a[0] the newest: a new host pushes a[1] out. */
	host_rec(&b, a[0], 4, 7, 0);
	CHECK(tsa_hostfacts_put(t, b.p, b.len));
	host_rec(&b, a[2], 16, 8, 0);
	CHECK(tsa_hostfacts_put(t, b.p, b.len));
	CHECK(dist_of(t, a[0], 4) == 7 && dist_of(t, a[2], 16) == 8);
	CHECK(tsa_hostfacts_find(t, a[1], 4) == NULL);
	CHECK(tsa_hostfacts_stats(t)->evicted == 1);
	/* Forgotten: only type and addr. */
	host_rec(&b, a[0], 4, -1, 0);
	CHECK(tsa_hostfacts_put(t, b.p, b.len) == NULL);
	CHECK(tsa_hostfacts_find(t, a[0], 4) == NULL);
	CHECK(dist_of(t, a[2], 16) == 8);
	/* Too large: the pairs that fit are kept. */
	host_rec(&b, a[1], 4, 9, 1500);
	CHECK(tsa_hostfacts_put(t, b.p, b.len));
	CHECK(dist_of(t, a[1], 4) == 9);
	CHECK(!tsa_host_get(tsa_hostfacts_find(t, a[1], 4), "pad", 3, &v));
	CHECK(tsa_hostfacts_stats(t)->cut == 1);
	/* No address: refused, nothing changes. */
	b.len = 0;
	mp_put_map(&b, 1);
	mp_put_cstr(&b, "type");
	mp_put_cstr(&b, "host");
	CHECK(!tsa_hostfacts_put(t, b.p, b.len));
	CHECK(tsa_hostfacts_stats(t)->bad == 1);
	/* The caller's value starts at 0 with each record. */
	host_rec(&b, a[1], 4, 10, 0);
	struct tsa_host *u = tsa_hostfacts_put(t, b.p, b.len);
	CHECK(u && u->user == 0 && dist_of(t, a[1], 4) == 10);
	if (u)
		u->user = 42;
	CHECK(tsa_hostfacts_find(t, a[1], 4)->user == 42);
	CHECK(tsa_hostfacts_set(t, a[1], 4, b.p, b.len)->user == 0);
	/* Uptime: 100 min measured at 10.5 s; 59.5 s later still 100. */
	b.len = 0;
	mp_put_map(&b, 4);
	mp_put_cstr(&b, "type");
	mp_put_cstr(&b, "host");
	mp_put_cstr(&b, "addr");
	mp_put_bin(&b, a[0], 4);
	mp_put_cstr(&b, "uptime_min");
	mp_put_uint(&b, 100);
	mp_put_cstr(&b, "uptime_time");
	mp_put_time(&b, 10, 500000000);
	CHECK(tsa_hostfacts_put(t, b.p, b.len));
	const struct tsa_host *h = tsa_hostfacts_find(t, a[0], 4);
	CHECK(h && tsa_host_uptime(h, 5, 0, &up) && up == 100);
	CHECK(h && tsa_host_uptime(h, 70, 0, &up) && up == 100);
	CHECK(h && tsa_host_uptime(h, 70, 500000000, &up) && up == 101);
	CHECK(h && tsa_host_uptime(h, 3610, 500000000, &up) && up == 160);
	CHECK(!tsa_host_uptime(tsa_hostfacts_find(t, a[1], 4), 70, 0, &up));
	mp_buf_free(&b);
	tsa_hostfacts_free(t);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";

	tsa_init("tsa-test-lib");
	test_scalars();
	test_time();
	test_map();
	test_sized_maps();
	test_keys();
	test_addr();
	test_durations();
	test_stream(dir);
	test_truncated(dir);
	test_settings(dir);
	test_hostfacts();
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
