/*
 * A pass-through stage written with msgpack-c, the library the design
 * names, for make bench to set beside libtsa's (tsa-passthrough): every
 * object is unpacked with msgpack_unpacker into msgpack-c's object tree
 * and packed again with msgpack_packer.  The header gets this invocation
 * in its tools, as every stage's does; records, the end record among
 * them, go through as they are.
 *
 *   tsa-msgpack-passthrough [IN] > OUT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msgpack.h>

#define READ_SIZE (1 << 20)
#define FLUSH_SIZE (1 << 20)

static const char *prog = "tsa-msgpack-passthrough";

static void die(const char *what)
{
	fprintf(stderr, "%s: %s\n", prog, what);
	exit(1);
}

static void flush(msgpack_sbuffer *sb)
{
	size_t off = 0;

	while (off < sb->size) {
		ssize_t n = write(1, sb->data + off, sb->size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			exit(errno == EPIPE ? 0 : 1);
		off += (size_t)n;
	}
	msgpack_sbuffer_clear(sb);
}

static bool key_is(const msgpack_object *k, const char *s)
{
	return k->type == MSGPACK_OBJECT_STR && k->via.str.size == strlen(s) &&
	    memcmp(k->via.str.ptr, s, k->via.str.size) == 0;
}

/* The header, with argv appended to its tools. */
static void pack_header(msgpack_packer *pk, const msgpack_object *h,
    int argc, char **argv)
{
	if (h->type != MSGPACK_OBJECT_MAP)
		die("stdin: the stream's first object is no map");
	msgpack_pack_map(pk, h->via.map.size);
	for (uint32_t i = 0; i < h->via.map.size; i++) {
		const msgpack_object_kv *kv = &h->via.map.ptr[i];

		msgpack_pack_object(pk, kv->key);
		if (!key_is(&kv->key, "tools") ||
		    kv->val.type != MSGPACK_OBJECT_ARRAY) {
			msgpack_pack_object(pk, kv->val);
			continue;
		}
		msgpack_pack_array(pk, kv->val.via.array.size + 1);
		for (uint32_t j = 0; j < kv->val.via.array.size; j++)
			msgpack_pack_object(pk, kv->val.via.array.ptr[j]);
		msgpack_pack_array(pk, (size_t)argc);
		for (int j = 0; j < argc; j++) {
			msgpack_pack_str(pk, strlen(argv[j]));
			msgpack_pack_str_body(pk, argv[j], strlen(argv[j]));
		}
	}
}

int main(int argc, char **argv)
{
	msgpack_unpacker up;
	msgpack_unpacked obj;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	bool header = true;

	if (argc > 2)
		die("usage: tsa-msgpack-passthrough [IN] > OUT");
	if (argc == 2) {
		int fd = open(argv[1], O_RDONLY);

		if (fd < 0 || dup2(fd, 0) < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, argv[1],
			    strerror(errno));
			exit(1);
		}
		close(fd);
	}
	if (!msgpack_unpacker_init(&up, READ_SIZE))
		die("out of memory");
	msgpack_unpacked_init(&obj);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	for (;;) {
		ssize_t n;
		int rc;

		if (!msgpack_unpacker_reserve_buffer(&up, READ_SIZE))
			die("out of memory");
		n = read(0, msgpack_unpacker_buffer(&up), READ_SIZE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die(strerror(errno));
		if (n == 0)
			break;
		msgpack_unpacker_buffer_consumed(&up, (size_t)n);
		while ((rc = msgpack_unpacker_next(&up, &obj)) ==
		    MSGPACK_UNPACK_SUCCESS) {
			if (header)
				pack_header(&pk, &obj.data, argc, argv);
			else
				msgpack_pack_object(&pk, obj.data);
			header = false;
			if (sb.size >= FLUSH_SIZE)
				flush(&sb);
		}
		if (rc == MSGPACK_UNPACK_PARSE_ERROR)
			die("stdin: not msgpack");
		if (rc == MSGPACK_UNPACK_NOMEM_ERROR)
			die("out of memory");
	}
	flush(&sb);
	if (msgpack_unpacker_message_size(&up) != 0)
		die("stdin: input cut short");
	msgpack_unpacked_destroy(&obj);
	msgpack_unpacker_destroy(&up);
	msgpack_sbuffer_destroy(&sb);
	return 0;
}
