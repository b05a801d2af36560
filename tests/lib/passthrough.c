/*
 * The smallest stage: copy a stream through the library, optionally
 * appending one key to each packet record.  Used by the tests (a stage of
 * ours next to a Python one, EPIPE) and by make bench.
 */
#include <getopt.h>
#include <stdio.h>

#include "tsa.h"

int main(int argc, char **argv)
{
	const char *key = NULL;
	const uint8_t *rec;
	size_t len;
	int c, rc;

	tsa_init(argv[0]);
	while ((c = getopt(argc, argv, "a:")) != -1) {
		if (c != 'a')
			tsa_usage("usage: tsa-passthrough [-a KEY] [IN [OUT]]");
		key = optarg;
	}
	struct tsa_reader *r = tsa_reader_open(optind < argc ? argv[optind] : NULL);
	struct tsa_writer *w = tsa_writer_open(optind + 1 < argc ? argv[optind + 1] : NULL, 0);
	struct mp_obj t;

	tsa_header_pass(w, r, NULL, argc, argv);
	while ((rc = tsa_read(r, &rec, &len)) > 0) {
		tsa_rec_begin(w, rec, len);
		if (key && !tsa_rec_type(rec, len, &t))
			mp_put_bool(tsa_rec_key(w, key), true);
		tsa_rec_end(w);
	}
	tsa_writer_close(w);
	tsa_reader_close(r);
	return rc < 0;
}
