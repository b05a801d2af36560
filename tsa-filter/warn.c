/*
 * What tsa-filter tells the user when a field of the expression cannot be
 * in the stream, where "0 passed" alone would leave them guessing: a field
 * whose stage has not run (a country filter before tsa-geo), and a field
 * that is no documented key and in no record (most often a misspelling).
 * Both work from what filtering has at hand anyway, the header's tools and
 * the fields found in records (filter.seen), so they cost nothing per
 * record.
 */
#include <inttypes.h>
#include <string.h>

#include "expr.h"
#include "tsa.h"

void filter_warn_stages(const struct filter *f, const struct tsa_reader *r)
{
	for (int k = 1; k < f->nkeys; k++) {
		const char *stage = field_lookup(f->keys[k], f->klen[k]).stage;
		/*
		 * Only the stages that annotate a stream: any program may
		 * make one in tsa-capture's place.  A stage of the user's own
		 * that adds the key instead is not in tools either, but then
		 * the first record is likely to have it.
		 */
		if (!stage || strcmp(stage, "tsa-capture") == 0 ||
		    (f->seen >> k & 1) || tsa_header_ran(r, stage))
			continue;
		tsa_warn("%s: no %s in this stream's tools; put tsa-filter "
		    "after %s", f->keys[k], stage, stage);
	}
}

void filter_warn_unseen(const struct filter *f, uint64_t nrecords)
{
	for (int k = 1; k < f->nkeys; k++) {
		char near[2 * FIELD_NAME_MAX + 8];
		/* A documented key may simply match nothing in this stream. */
		if ((f->seen >> k & 1) ||
		    field_lookup(f->keys[k], f->klen[k]).stage)
			continue;
		field_nearest(f->keys[k], near, sizeof near);
		tsa_warn("no record has %s (read %" PRIu64 " record%s%s%s%s)",
		    f->keys[k], nrecords, nrecords == 1 ? "" : "s",
		    *near ? "; did you mean " : "", near, *near ? "?" : "");
	}
}
