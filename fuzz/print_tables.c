// link: TSA_PRINT_OBJS
/*
 * tsa-print's tables: arbitrary bytes as a record, shown as tsa-print
 * shows a snapshot or an alert (titled tables, shares, the bandwidth line
 * and its chart), and as a JSON line.  Nothing may read out of bounds,
 * convert a NaN or an infinity to an integer, or allocate by what an
 * array header claims.  Each chart character is one of its bars (the
 * decoder reads a bucket that is no usable rate as 0).
 */
#include <stdlib.h>
#include <string.h>

#include "../tsa-print/show.h"
#include "../tsa-print/tables.h"

/*
 * The chart, when there is one, is the line after "Bandwidth: ...": "  [",
 * a character a bucket, "]".  Text from the stream cannot fake either
 * line: control characters in it are shown as '?', so every newline is
 * tsa-print's.
 */
static void check_chart(const struct mp_buf *b)
{
	static const char ok[] = " .:-=+*#%@";
	const char *p = (const char *)b->p, *end = p + b->len;
	const char *bw = memmem(p, b->len, "\nBandwidth: ", 12), *c, *e;

	if (!bw || !(c = memchr(bw + 1, '\n', (size_t)(end - bw - 1))) ||
	    end - c < 4 || memcmp(c, "\n  [", 4) != 0)
		return;
	if (!(e = memchr(c + 1, '\n', (size_t)(end - c - 1))) || e[-1] != ']')
		abort();
	for (c += 4; c < e - 1; c++)
		if (!strchr(ok, *c))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mp_buf out;

	out.len = 0;
	if (tables_record(&out, data, size) > 0)
		check_chart(&out);
	out.len = 0;
	(void)show_json_record(&out, data, size);
	return 0;
}
