/*
 * A main for the fuzz targets without libFuzzer: each file named on the
 * command line is one input, given to the target as libFuzzer would give
 * it (in a buffer of exactly its size).  tests/lib/fuzz-targets.t builds
 * every target with it and replays inputs, so that a target left behind
 * by a change of the code it calls fails make test, not a fuzzing run.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t cap = 0, got;

	if (!f) {
		fprintf(stderr, "fuzz-main: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	*n = 0;
	do {
		if (*n == cap) {
			cap = cap ? 2 * cap : 65536;
			if ((b = realloc(b, cap)) == NULL) {
				fprintf(stderr, "fuzz-main: %s: out of memory\n", path);
				exit(2);
			}
		}
		got = fread(b + *n, 1, cap - *n, f);
		*n += got;
	} while (got > 0);
	if (ferror(f)) {
		fprintf(stderr, "fuzz-main: %s: read error\n", path);
		exit(2);
	}
	fclose(f);
	/* exactly n bytes, so that ASan sees a read past the input */
	return *n ? realloc(b, *n) : b;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t n;
		uint8_t *b = slurp(argv[i], &n);

		LLVMFuzzerTestOneInput(b, n);
		free(b);
	}
	return 0;
}
