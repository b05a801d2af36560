// link:
/*
 * The stream reader: a valid header followed by arbitrary bytes, read
 * record by record until the end or an error, as every stage reads.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t header[] = "\x81\xa3tsa\x01";	/* {"tsa": 1} */
	char path[64];
	int fd = memfd_create("stream", 0);

	if (fd < 0)
		return 0;
	if (write(fd, header, 6) != 6 || write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	lseek(fd, 0, SEEK_SET);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct tsa_reader *r = tsa_reader_open(path);
	const uint8_t *rec;
	size_t len;
	struct mp_obj v;
	while (tsa_read(r, &rec, &len) > 0)
		(void)mp_map_get1(rec, len, "src_addr", &v);
	tsa_reader_close(r);
	close(fd);
	return 0;
}
