/*
 * Compression of record batches.  Records repeat their keys ("timestamp",
 * "src_addr", ...) in every map, so a batch of packet records shrinks to a
 * ninth with zstd's fastest level: the server copies, hashes and stores a
 * ninth of the bytes, and a link between sites carries a ninth.  Headers,
 * end records and the pieces of a large record travel as they are.
 */
#ifndef TSA_NATS_CODEC_H
#define TSA_NATS_CODEC_H

#include <stdbool.h>
#include <stddef.h>

#include "mp.h"

/* A batch this small is sent as it is: it would barely shrink. */
#define CODEC_MIN 512
/* A compressed batch says how large it was; larger than this is refused. */
#define CODEC_MAX_SIZE (64u << 20)

/*
 * Compress src into out (replacing its contents): true, or false when it
 * would not shrink (then send src as it is).
 */
bool codec_pack(const void *src, size_t len, struct mp_buf *out);
/*
 * Decompress src into out (replacing its contents): true, or false with
 * the reason in why (not zstd, damaged, or larger than CODEC_MAX_SIZE).
 */
bool codec_unpack(const void *src, size_t len, struct mp_buf *out, char *why,
    size_t n);

#endif
