// link:
/*
 * lib/hostfacts: the table of host records that tsa-filter, tsa-aggregate
 * and tsa-print keep from the stream, which anyone upstream can write.
 * Records from arbitrary bytes go in (host records, and others whose
 * src_addr is looked up, as a packet's would be); every key of a kept
 * record is read back and the uptime computed at a packet's time.  A small
 * table, so that eviction and replacement run all the time.  Nothing may
 * read out of bounds, loop forever or keep a pointer to a freed record.
 */
#include "tsa.h"

static const char *const facts[] = {
	"os", "dist", "link", "lang", "uptime_min", "nat", "app", "mtu",
};

static void look_up(const struct tsa_host *h, int64_t sec, uint32_t nsec)
{
	struct mp_obj v;
	uint64_t up;

	for (size_t i = 0; i < sizeof facts / sizeof *facts; i++)
		if (tsa_host_get(h, facts[i], strlen(facts[i]), &v) &&
		    v.type == MP_STR && v.len)
			(void)((const volatile uint8_t *)v.ptr)[v.len - 1];
	(void)tsa_host_uptime(h, sec, nsec, &up);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "type", "src_addr", "timestamp" };
	struct tsa_hostfacts *t = tsa_hostfacts_new(4);
	const uint8_t *p = data, *end = data + size;

	while (p < end) {
		const uint8_t *rec = p;
		struct mp_obj v[3];
		int64_t found, sec = 0;
		uint32_t nsec = 0;
		const struct tsa_host *h;

		if (mp_skip(&p, end) < 0)
			break;
		found = mp_map_get(rec, (size_t)(p - rec), keys, 3, v);
		if (found < 0)
			continue;
		if ((found & 1) && tsa_hostfacts_type(&v[0])) {
			if ((h = tsa_hostfacts_put(t, rec, (size_t)(p - rec))))
				look_up(h, 0, 0);
			continue;
		}
		if (!(found & 2) || v[1].type != MP_BIN)
			continue;
		if (found & 4)
			(void)mp_obj_time(&v[2], &sec, &nsec);
		if ((h = tsa_hostfacts_find(t, v[1].ptr, v[1].len)))
			look_up(h, sec, nsec);
	}
	tsa_hostfacts_free(t);
	return 0;
}
