/*
 * pcap files as libpcap writes them: native byte order header with magic
 * 0xa1b2c3d4 (microseconds) or 0xa1b23c4d (nanoseconds), version 2.4,
 * snaplen 262144, LINKTYPE_ETHERNET.  We write the whole frame (caplen ==
 * len) into a 4 MiB buffer and write(2) it out in big chunks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trust.h"
#include "util.h"
#include "pcap_out.h"
#include "wbuf.h"

#define OUT_BUF	(4u << 20)
#define SNAPLEN	262144u

struct pcap_out {
	int fd;
	int nano;
	const char *path;
	struct wbuf out;	/* the bytes held in buf */
	uint8_t buf[OUT_BUF];
};

static void
flush_buf(struct pcap_out *po)
{
	size_t off = 0;

	while (off < po->out.len) {
		ssize_t n = write(po->fd, po->buf + off, po->out.len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)	/* reader went away: stop quietly */
				_exit(0);
			tsa_die("%s: %s", po->path, strerror(errno));
		}
		off += (size_t)n;
	}
	po->out.len = 0;
}

/* Anything written fits an empty buffer: a frame is at most FRAME_MAX. */
static inline void
put(struct pcap_out *po, const void *p, size_t len)
{
	if (len > po->out.cap - po->out.len)
		flush_buf(po);
	wb_put(&po->out, p, len);
}

struct pcap_out *
pcap_out_open(const char *path, int nano)
{
	struct pcap_out *po = tsa_malloc(sizeof *po);
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t thiszone;
		uint32_t sigfigs, snaplen, linktype;
	} fh = { nano ? 0xa1b23c4du : 0xa1b2c3d4u, 2, 4, 0, 0, SNAPLEN, 1 };

	po->nano = nano;
	po->out = wb_init(po->buf, sizeof po->buf);
	if (strcmp(path, "-") == 0) {
		po->fd = STDOUT_FILENO;
		po->path = "standard output";
		if (isatty(po->fd))
			tsa_usage("refusing to write a capture to a terminal; "
			    "use -o FILE or a pipe");
	} else {
		po->path = path;
		po->fd = tsa_open_output(path);
	}
	put(po, &fh, sizeof fh);
	return po;
}

void
pcap_out_write(struct pcap_out *po, uint64_t t_ns, const uint8_t *frame,
    size_t len)
{
	uint32_t rh[4];

	rh[0] = (uint32_t)(t_ns / 1000000000u);
	rh[1] = (uint32_t)(t_ns % 1000000000u);
	if (!po->nano)
		rh[1] /= 1000;
	rh[2] = rh[3] = (uint32_t)len;
	put(po, rh, sizeof rh);
	put(po, frame, len);
}

void
pcap_out_close(struct pcap_out *po)
{
	flush_buf(po);
	if (po->fd != STDOUT_FILENO && close(po->fd) != 0)
		tsa_die("%s: %s", po->path, strerror(errno));
	free(po);
}
