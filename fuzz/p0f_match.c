// link: TSA_P0F_OBJS
/*
 * The header matcher: arbitrary bytes as the tcp_headers of a SYN or
 * SYN+ACK, or as an HTTP request or response header block, decoded,
 * matched against Debian's p0f.fp (or a small built-in database) and
 * formatted.  Nothing may read out of bounds or loop forever.
 * The first byte chooses: bit 0 SYN / SYN+ACK or request / response,
 * bit 1 TCP or HTTP; the next two are the SYN's MSS for a SYN+ACK.
 */
#include <stdlib.h>
#include <string.h>

#include "../tsa-p0f/http_sig.h"
#include "../tsa-p0f/mtu.h"
#include "../tsa-p0f/sig_read.h"
#include "../tsa-p0f/tcp_sig.h"

static const char mini[] =
    "classes = win,unix\n[mtu]\nlabel = Ethernet\nsig = 1500\n"
    "[tcp:request]\nlabel = s:unix:Linux:3.11 and newer\n"
    "sig = *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
    "label = g:win:Windows:XP\n"
    "sig = *:128:0:*:%8192,0:mss,nop,nop,sok:df,id+:+\n"
    "[tcp:response]\nlabel = s:unix:Linux:3.x\n"
    "sig = *:64:0:*:mss*10,0:mss:df:0\n"
    "[http:request]\nua_os = Linux,Windows\nlabel = s:!:Firefox:10.x\n"
    "sys = Linux,@win\nsig = *:Host,User-Agent,?Referer:Keep-Alive:Firefox/\n"
    "[http:response]\nlabel = s:!:Apache:2.x\nsys = Linux\n"
    "sig = 1:Date,Server,?Vary:Keep-Alive:Apache\n";

static struct p0f_db *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[1024], err[512];
	int dir;

	if (!db) {
		db = p0f_db_load("/etc/p0f/p0f.fp", err, sizeof err);
		if (!db)
			db = p0f_db_parse("mini", mini, sizeof mini - 1, err,
			    sizeof err);
		if (!db)
			abort();
	}
	if (size < 3)
		return 0;
	dir = data[0] & 1;
	if (data[0] & 2) {
		struct http_msg msg;
		struct http_match hm;

		if (http_msg_parse(db, dir, data + 3, size - 3, &msg) ==
		    HTTP_OK) {
			http_sig_match(db, dir, &msg, &hm);
			(void)http_sig_format(db, dir, &msg, buf, sizeof buf);
			(void)http_msg_lang(&msg);
		}
	} else {
		struct tcp_pkt pk;
		struct tcp_match m;
		struct tcp_win win;
		uint16_t syn_mss = (uint16_t)(data[1] << 8 | data[2]);

		if (tcp_pkt_parse(data + 3, size - 3, &pk) == TCP_PARSE_OK) {
			tcp_win_explain(&pk, syn_mss, &win);
			tcp_sig_match(db, dir, &pk, &win, dir ? 0 : Q_FLOW,
			    &m);
			if (tcp_sig_format(&pk, &win, buf) >=
			    TCP_RAW_SIG_MAX)
				abort();
			(void)mtu_link(db, mtu_of(&pk));
		}
	}
	return 0;
}
