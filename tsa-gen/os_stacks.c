/*
 * The stacks' fingerprints, written against /etc/p0f/p0f.fp of p0f 3.09b.
 * Signature fields there are ver:ttl:olen:mss:wsize,scale:olayout:quirks:pclass;
 * every stack here sets DF with a non-zero IP ID ("df,id+"), except Linux
 * SYN+ACKs, which carry ID 0 ("df" only).  Comments quote the signature
 * each entry is built to match.
 */
#include <string.h>

#include "os_stacks.h"
#include "wbuf.h"

#define L_LINUX	{ OPT_MSS, OPT_SOK, OPT_TS, OPT_NOP, OPT_WS }
#define L_LINUX_NOTS { OPT_MSS, OPT_NOP, OPT_NOP, OPT_SOK, OPT_NOP, OPT_WS }
#define L_WIN	{ OPT_MSS, OPT_NOP, OPT_WS, OPT_NOP, OPT_NOP, OPT_SOK }
#define L_WIN_TS { OPT_MSS, OPT_NOP, OPT_WS, OPT_SOK, OPT_TS }
#define L_APPLE	{ OPT_MSS, OPT_NOP, OPT_WS, OPT_NOP, OPT_NOP, OPT_TS, \
		  OPT_SOK, OPT_EOL }
#define L_BSD	{ OPT_MSS, OPT_NOP, OPT_WS, OPT_SOK, OPT_TS }
#define L_BSD_NOTS { OPT_MSS, OPT_NOP, OPT_WS, OPT_SOK, OPT_EOL }

const struct os_stack os_stacks[OS_COUNT] = {
	/* SYN:  *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0
	 * SYN+ACK (Linux 3.x): *:64:0:*:mss*10,*:mss,sok,ts,nop,ws:df:0
	 * and *:64:0:*:mss*10,*:mss,nop,nop,sok,nop,ws:df:0 */
	[OS_LINUX311] = { "Linux 3.11 and newer", "Linux 3.x", 64, 1, 7,
	    20, 0, 10, 0, 1000, 6291456, L_LINUX, L_LINUX, L_LINUX_NOTS },
	/* SYN:  *:64:0:*:mss*4,7:mss,sok,ts,nop,ws:df,id+:0
	 * SYN+ACK: *:64:0:*:mss*4,*:mss,sok,ts,nop,ws:df:0 */
	[OS_LINUX26] = { "Linux 2.6.x", "Linux 2.6.x", 64, 1, 7,
	    4, 0, 4, 0, 250, 4194304, L_LINUX, L_LINUX, L_LINUX_NOTS },
	/* SYN:  *:64:0:*:mss*44,3:mss,sok,ts,nop,ws:df,id+:0 */
	[OS_ANDROID] = { "Linux (Android)", NULL, 64, 1, 3,
	    44, 0, 0, 0, 100, 1048576, L_LINUX, L_LINUX, L_LINUX_NOTS },
	/* SYN:  *:128:0:*:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0
	 * SYN+ACK: *:128:0:*:8192,8:mss,nop,ws,sok,ts:df,id+:0
	 * and *:128:0:*:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0 */
	[OS_WIN7] = { "Windows 7 or 8", "Windows 7 or 8", 128, 0, 8,
	    0, 8192, 0, 8192, 100, 262144, L_WIN, L_WIN_TS, L_WIN },
	/* SYN: 64240,8:mss,nop,ws,nop,nop,sok - only the generic
	 * *:128:0:*:*,*:mss,nop,ws,nop,nop,sok:df,id+:0 in 3.09b */
	[OS_WIN10] = { "Windows NT kernel", NULL, 128, 0, 8,
	    0, 64240, 0, 0, 1000, 262144, L_WIN, L_WIN_TS, L_WIN },
	/* SYN:  *:64:0:*:65535,4:mss,nop,ws,nop,nop,ts,sok,eol+1:df,id+:0 */
	[OS_MACOS] = { "MacOS X 10.9 or newer (sometimes iPhone or iPad)",
	    NULL, 64, 0, 4, 0, 65535, 0, 0, 1000, 4194304,
	    L_APPLE, L_APPLE, L_BSD_NOTS },
	/* SYN:  *:64:0:*:65535,3:mss,nop,ws,nop,nop,ts,sok,eol+1:df,id+:0 */
	[OS_MACOSX] = { "Mac OS X 10.x", NULL, 64, 0, 3,
	    0, 65535, 0, 0, 1000, 2097152, L_APPLE, L_APPLE, L_BSD_NOTS },
	/* SYN:  *:64:0:*:65535,2:mss,nop,ws,nop,nop,ts,sok,eol+1:df,id+:0 */
	[OS_IOS] = { "iOS iPhone or iPad", NULL, 64, 0, 2,
	    0, 65535, 0, 0, 1000, 1048576, L_APPLE, L_APPLE, L_BSD_NOTS },
	/* SYN:  *:64:0:*:65535,6:mss,nop,ws,sok,ts:df,id+:0
	 * SYN+ACK (FreeBSD 9.x): *:64:0:*:65535,6:mss,nop,ws,sok,ts:df,id+:0
	 * and *:64:0:*:65535,6:mss,nop,ws,sok,eol+1:df,id+:0 */
	[OS_FREEBSD] = { "FreeBSD 9.x or newer", "FreeBSD 9.x", 64, 0, 6,
	    0, 65535, 0, 65535, 1000, 4194304, L_BSD, L_BSD, L_BSD_NOTS },
};

int
opts_have_ts(const uint8_t *layout)
{
	for (int i = 0; i < 10 && layout[i] != OPT_END; i++)
		if (layout[i] == OPT_TS)
			return 1;
	return 0;
}

size_t
opts_encode(uint8_t *out, const uint8_t *layout, uint16_t mss,
    uint8_t wscale, uint32_t ts1, uint32_t ts2)
{
	size_t n = 0;

	for (int i = 0; i < 10 && layout[i] != OPT_END; i++) {
		switch (layout[i]) {
		case OPT_MSS:
			out[n++] = 2; out[n++] = 4;
			be16(out + n, mss);
			n += 2;
			break;
		case OPT_NOP:
			out[n++] = 1;
			break;
		case OPT_WS:
			out[n++] = 3; out[n++] = 3; out[n++] = wscale;
			break;
		case OPT_SOK:
			out[n++] = 4; out[n++] = 2;
			break;
		case OPT_TS:
			out[n++] = 8; out[n++] = 10;
			be32(out + n, ts1);
			be32(out + n + 4, ts2);
			n += 8;
			break;
		case OPT_EOL:	/* p0f's "eol+N": N zero bytes follow */
			out[n++] = 0;
			while (n % 4)
				out[n++] = 0;
			break;
		}
	}
	return n;
}
