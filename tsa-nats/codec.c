/* zstd for record batches (codec.h). */
#include <stdio.h>
#include <zstd.h>

#include "codec.h"
#include "tsa.h"

/* The fastest level: the publisher must keep up with a capture. */
#define LEVEL 1

bool codec_pack(const void *src, size_t len, struct mp_buf *out)
{
	static ZSTD_CCtx *cctx;
	size_t bound = ZSTD_compressBound(len), n;

	if (len < CODEC_MIN)
		return false;
	if (!cctx && !(cctx = ZSTD_createCCtx()))
		tsa_die("zstd: out of memory");
	out->len = 0;
	mp_buf_reserve(out, bound);
	n = ZSTD_compressCCtx(cctx, out->p, bound, src, len, LEVEL);
	if (ZSTD_isError(n))
		tsa_die("zstd: %s", ZSTD_getErrorName(n));
	if (n >= len)
		return false;
	out->len = n;
	return true;
}

bool codec_unpack(const void *src, size_t len, struct mp_buf *out, char *why,
    size_t n)
{
	static ZSTD_DCtx *dctx;
	unsigned long long size = ZSTD_getFrameContentSize(src, len);
	size_t got;

	if (size == ZSTD_CONTENTSIZE_ERROR) {
		snprintf(why, n, "not zstd data");
		return false;
	}
	/* A frame that does not say its size, or says a huge one, could be a
	   bomb: a publisher's frames always say theirs. */
	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size > CODEC_MAX_SIZE) {
		snprintf(why, n, "compressed data of unknown or excessive size");
		return false;
	}
	if (!dctx && !(dctx = ZSTD_createDCtx()))
		tsa_die("zstd: out of memory");
	out->len = 0;
	mp_buf_reserve(out, (size_t)size + 1);
	got = ZSTD_decompressDCtx(dctx, out->p, (size_t)size, src, len);
	if (ZSTD_isError(got) || got != size) {
		snprintf(why, n, "damaged compressed data (%s)",
		    ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short");
		return false;
	}
	out->len = got;
	return true;
}
