/*
 * The snapshot layout is declared once (lib/snapshot.h): what the decoder
 * reads, the encoder must write back byte for byte.  Reads a stream and,
 * for each snapshot record, decodes it, encodes the struct, and compares.
 * Prints the count of snapshots and of those identical; the first
 * difference goes to stderr.
 */
#include <stdio.h>

#include "tsa.h"

int main(int argc, char **argv)
{
	struct tsa_reader *r;
	const uint8_t *rec;
	size_t len, n = 0, same = 0;
	struct mp_obj t;
	int rc;

	tsa_init(argv[0]);
	r = tsa_reader_open(argc > 1 ? argv[1] : NULL);
	while ((rc = tsa_read(r, &rec, &len)) > 0) {
		struct snapshot s;
		struct mp_buf b = { 0 };

		if (!tsa_rec_type(rec, len, &t) || !mp_str_eq(&t, "snapshot", 8))
			continue;
		n++;
		if (snapshot_decode(rec, len, &s) == 0) {
			snapshot_put(&b, &s);
			if (b.len == len && memcmp(b.p, rec, len) == 0)
				same++;
			else if (n - same == 1) {
				size_t i = 0;

				while (i < len && i < b.len && b.p[i] == rec[i])
					i++;
				fprintf(stderr, "snapshot %zu: differs at byte %zu "
				    "of %zu (re-encoded: %zu bytes)\n", n, i, len,
				    b.len);
			}
		}
		snapshot_free(&s);
		mp_buf_free(&b);
	}
	tsa_reader_close(r);
	printf("%zu %zu\n", n, same);
	return rc < 0;
}
