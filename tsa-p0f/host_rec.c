/*
 * A host record is packed from the host's facts (struct host_facts), which
 * are kept as last written: most changes to a host (another SYN from it,
 * the same OS again) change none of them, and then nothing is written.
 * The keys are those that packet records carried as src_... and dst_...
 * before host records, without the prefix.
 */
#include <stdlib.h>
#include <string.h>

#include "host_rec.h"

static const struct p0f_db *db;

/* Records of forgotten hosts, packed when they go (hosts.c's hook). */
static struct mp_buf forgotten;

static void put_time_ms(struct mp_buf *b, int64_t ms)
{
	mp_put_time(b, ms / 1000, (uint32_t)(ms % 1000) * 1000000u);
}

static void facts_of(const struct host *h, struct host_facts *f)
{
	memset(f, 0, sizeof *f);	/* padding too: compared with memcmp */
	f->os = h->os;
	f->app = h->app;
	f->link = h->link;
	f->lang = h->lang;
	f->up_known = h->up_known;
	if (h->up_known) {
		f->up_ms = h->up_ms;
		f->up_min = h->up_min;
		f->up_hz = h->up_hz;
	}
	f->fp_first = h->fp_first;
	f->fp_last = h->fp_last;
	f->mtu = h->mtu;
	f->dist = h->dist;
	f->bad_sw = h->bad_sw;
	f->nat = h->last_nat != 0;
	f->chg = h->last_chg != 0;
}

/* Does f say anything at all? */
static bool facts_any(const struct host_facts *f)
{
	return f->os || f->app || f->link || f->lang || f->up_known ||
	    f->fp_first || f->mtu || f->dist >= 0 || f->bad_sw || f->nat ||
	    f->chg;
}

#define KEY(b, lit) mp_put_str(b, lit, sizeof lit - 1)

static void pack(struct mp_buf *b, const struct host *h,
    const struct host_facts *f)
{
	uint32_t n = 2;
	size_t at;

	/* The pair count is known at the end: room for a map 16 header. */
	at = b->len;
	mp_put_raw(b, "\xde\0\0", 3);
	KEY(b, "type");
	KEY(b, "host");
	KEY(b, "addr");
	mp_put_bin(b, h->addr, h->alen);
	if (f->os) {
		KEY(b, "os");
		mp_put_str(b, f->os->full, f->os->full_len);
		KEY(b, "os_name");
		mp_put_str(b, f->os->name, f->os->name_len);
		n += 2;
		if (f->os->flavor) {
			KEY(b, "os_flavor");
			mp_put_cstr(b, f->os->flavor);
			n++;
		}
		KEY(b, "os_class");
		mp_put_cstr(b, db->classes[f->os->class_id]);
		n++;
	}
	if (f->link) {
		KEY(b, "link");
		mp_put_cstr(b, f->link);
		n++;
	}
	if (f->mtu) {
		KEY(b, "mtu");
		mp_put_uint(b, f->mtu);
		n++;
	}
	if (f->dist >= 0) {
		KEY(b, "dist");
		mp_put_uint(b, (uint64_t)f->dist);
		n++;
	}
	if (f->up_known) {
		KEY(b, "uptime_min");
		mp_put_uint(b, f->up_min);
		KEY(b, "uptime_hz");
		mp_put_double(b, f->up_hz);
		KEY(b, "uptime_time");
		put_time_ms(b, f->up_ms);
		n += 3;
	}
	if (f->app) {
		KEY(b, "app");
		mp_put_str(b, f->app->full, f->app->full_len);
		KEY(b, "app_name");
		mp_put_str(b, f->app->name, f->app->name_len);
		n += 2;
	}
	if (f->lang) {
		KEY(b, "lang");
		mp_put_cstr(b, f->lang);
		n++;
	}
	if (f->nat) {
		KEY(b, "nat");
		mp_put_bool(b, true);
		n++;
	}
	if (f->chg) {
		KEY(b, "os_change");
		mp_put_bool(b, true);
		n++;
	}
	if (f->bad_sw) {
		KEY(b, "bad_sw");
		mp_put_uint(b, f->bad_sw);
		n++;
	}
	if (f->fp_first) {
		KEY(b, "first_fp");
		put_time_ms(b, f->fp_first);
		KEY(b, "last_fp");
		put_time_ms(b, f->fp_last);
		n += 2;
	}
	if (n < 16) {		/* a fixmap: the body moves back */
		b->p[at] = (uint8_t)(0x80 | n);
		memmove(b->p + at + 1, b->p + at + 3, b->len - at - 3);
		b->len -= 2;
	} else {
		b->p[at + 1] = (uint8_t)(n >> 8);
		b->p[at + 2] = (uint8_t)n;
	}
}

bool host_rec_put(struct mp_buf *b, struct host *h)
{
	struct host_facts f;

	facts_of(h, &f);
	if (h->said ? memcmp(&f, &h->said_facts, sizeof f) == 0 :
	    !facts_any(&f))
		return false;
	pack(b, h, &f);
	h->said_facts = f;
	h->said = true;
	return true;
}

static void forget(const struct host *h)
{
	struct mp_buf *b = &forgotten;

	mp_put_map(b, 2);
	KEY(b, "type");
	KEY(b, "host");
	KEY(b, "addr");
	mp_put_bin(b, h->addr, h->alen);
}

void host_rec_put_forgotten(struct mp_buf *b)
{
	if (forgotten.len) {
		mp_put_raw(b, forgotten.p, forgotten.len);
		forgotten.len = 0;
	}
}

void host_rec_init(const struct p0f_db *d)
{
	db = d;
	host_forget_hook = forget;
}

void host_rec_free(void)
{
	mp_buf_free(&forgotten);
	host_forget_hook = NULL;
}
