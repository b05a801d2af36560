/* tsa-capture's option table (options.c) and what it sets. */
#ifndef CAPTURE_OPTIONS_H
#define CAPTURE_OPTIONS_H

#include "tsa.h"

struct capture_opts {
	const char *file, *iface, *user, *out;
	bool live, promisc, no_promisc, quiet;
	uint64_t count, snaplen, buffer, buffer_kib, stats_every;
	uint64_t frag_datagrams, frag_memory, frag_timeout;
	int verbose;
};
extern struct capture_opts cap_opt;
extern const struct tsa_tool capture_tool;

#endif
