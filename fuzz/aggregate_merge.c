// link: TSA_AGGREGATE_OBJS -lpsl
/*
 * tsa-aggregate --merge as a collector runs it: up to four sensors'
 * snapshot streams, each a valid header followed by arbitrary bytes, read
 * in lockstep, folded and written again.  The inputs come from other
 * machines, so nothing may read out of bounds, overflow (far years, counts
 * near 2^64, bucket widths of any size) or allocate by what an array
 * header claims.  The byte 0xc1, which msgpack never uses, separates the
 * inputs; the first byte chooses whether the headers promise an end record
 * and how many hosts and domains are kept.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tsa.h"
#include "../tsa-aggregate/agg.h"

#define INPUTS_MAX 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* {"tsa": 1, "kind": "snapshots"}, and with "end_record": true */
	static const uint8_t plain[] = "\x82\xa3tsa\x01\xa4kind\xa9snapshots";
	static const uint8_t ended[] = "\x83\xa3tsa\x01\xa4kind\xa9snapshots"
	    "\xaa" "end_record\xc3";
	static char *argv[] = { "tsa-aggregate", "--merge", NULL };
	static bool started;
	char paths[INPUTS_MAX][64], *inputs[INPUTS_MAX];
	int fds[INPUTS_MAX], n = 0, i;
	const uint8_t *p, *end, *sep, *hdr;
	size_t hlen;

	if (!started) {
		tsa_init(argv[0]);
		started = true;
	}
	if (size < 1)
		return 0;
	hdr = data[0] & 1 ? ended : plain;
	hlen = data[0] & 1 ? sizeof ended - 1 : sizeof plain - 1;
	for (p = data + 1, end = data + size; n < INPUTS_MAX; p = sep + 1) {
		sep = memchr(p, 0xc1, (size_t)(end - p));
		if (!sep || n == INPUTS_MAX - 1)
			sep = end;
		fds[n] = memfd_create("sensor", 0);
		if (fds[n] < 0)
			break;
		if (write(fds[n], hdr, hlen) != (ssize_t)hlen ||
		    write(fds[n], p, (size_t)(sep - p)) != sep - p ||
		    lseek(fds[n], 0, SEEK_SET) != 0) {
			close(fds[n]);
			break;
		}
		snprintf(paths[n], sizeof paths[n], "/proc/self/fd/%d", fds[n]);
		inputs[n] = paths[n];
		n++;
		if (sep == end)
			break;
	}
	/* What the option table would set (options.c's defaults, but for
	   few sensors and little memory, so that their bounds are met). */
	agg_opt.out = "/dev/null";
	agg_opt.top_hosts = 1 + (data[0] >> 1 & 7);
	agg_opt.top_domains = 1 + (data[0] >> 4 & 7);
	agg_opt.detail_countries = 1 + (data[0] >> 1 & 3);
	agg_opt.detail_top = 1 + (data[0] >> 4 & 3);
	agg_opt.merge_sensors = 3;
	agg_opt.merge_lag = 60 * (uint64_t)1000000000;
	agg_opt.merge_memory = 1 << 20;
	if (n > 0)
		(void)merge_main(n, inputs, 2, argv);
	for (i = 0; i < n; i++)
		close(fds[i]);
	return 0;
}
