/*
 * TCP/IP stacks: what each operating system puts into its SYN (as a
 * client) and SYN+ACK (as a server), exactly as p0f 3.09b's p0f.fp expects
 * them, so that p0f names them.  The label is p0f's name for the stack.
 */
#ifndef GEN_OS_STACKS_H
#define GEN_OS_STACKS_H

#include <stddef.h>
#include <stdint.h>

enum os_id {
	OS_LINUX311,	/* Linux 3.11 and newer */
	OS_LINUX26,	/* Linux 2.6.x */
	OS_ANDROID,	/* Linux (Android) */
	OS_WIN7,	/* Windows 7 or 8 */
	OS_WIN10,	/* Windows 10: p0f 3.09b only knows "NT kernel" */
	OS_MACOS,	/* MacOS X 10.9 or newer */
	OS_MACOSX,	/* Mac OS X 10.x */
	OS_IOS,		/* iOS */
	OS_FREEBSD,	/* FreeBSD 9.x or newer */
	OS_COUNT
};

/* TCP option kinds in a layout; OPT_EOL pads to a 4-byte boundary. */
enum { OPT_END, OPT_MSS, OPT_NOP, OPT_WS, OPT_SOK, OPT_TS, OPT_EOL };

struct os_stack {
	const char *syn_label;		/* p0f's label for its SYN */
	const char *synack_label;	/* ... for its SYN+ACK (NULL: no server) */
	uint8_t ttl;			/* initial TTL / hop limit */
	uint8_t synack_id_zero;		/* IPv4 ID 0 on SYN+ACK (Linux) */
	uint8_t wscale;
	uint8_t syn_win_mss;		/* SYN window = MSS * this, */
	uint16_t syn_win;		/* ... or this fixed value */
	uint8_t synack_win_mss;
	uint16_t synack_win;
	uint16_t ts_hz;			/* timestamp clock */
	uint32_t rcvbuf;		/* window during the transfer */
	uint8_t syn_opts[10];
	uint8_t synack_ts_opts[10];	/* SYN+ACK when the SYN had timestamps */
	uint8_t synack_opts[10];	/* ... and when it had none */
};

extern const struct os_stack os_stacks[OS_COUNT];

/* Does this layout carry a timestamp option? */
int opts_have_ts(const uint8_t *layout);

/*
 * Encode a layout into TCP option bytes; returns the length (a multiple of
 * 4).  ts1/ts2 fill a timestamp option.
 */
size_t opts_encode(uint8_t *out, const uint8_t *layout, uint16_t mss,
    uint8_t wscale, uint32_t ts1, uint32_t ts2);

#endif
