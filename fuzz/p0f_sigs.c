// link: TSA_P0F_OBJS
/*
 * p0f.fp text: any bytes must parse or be refused with a file:line message;
 * a database that parses must then match a SYN, a SYN+ACK and an HTTP
 * request without trouble, whatever its signatures say.
 */
#include <stdlib.h>
#include <string.h>

#include "../tsa-p0f/http_sig.h"
#include "../tsa-p0f/sig_read.h"
#include "../tsa-p0f/tcp_sig.h"

static const uint8_t syn[] = {
	0x45, 0x00, 0x00, 0x3c, 0x1b, 0xae, 0x40, 0x00, 0x40, 0x06, 0xbe, 0x6b,
	0xac, 0x10, 0x2a, 0xd8, 0x0a, 0xc9, 0x7e, 0xf1, 0x9d, 0x08, 0x1f, 0x90,
	0xaf, 0xa0, 0x55, 0xd0, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xff, 0xff,
	0xd5, 0xde, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
	0x00, 0xf6, 0x4e, 0x7e, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x08,
};
static const char req[] =
    "GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: Mozilla/5.0 (X11; Linux)\r\n"
    "Accept: */*\r\nAccept-Language: en-us\r\nConnection: close\r\n\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct p0f_db *db = p0f_db_parse("fuzz.fp", (const char *)data, size,
	    err, sizeof err);
	struct tcp_pkt pk;
	struct tcp_match m;
	struct http_msg msg;
	struct http_match hm;
	char buf[1024];

	if (!db) {
		if (!strchr(err, ':'))
			abort();	/* every refusal names the file */
		return 0;
	}
	if (tcp_pkt_parse(syn, sizeof syn, &pk) == TCP_PARSE_OK) {
		struct tcp_win win;

		tcp_win_explain(&pk, 0, &win);
		tcp_sig_match(db, 1, &pk, &win, 0, &m);
		tcp_win_explain(&pk, 1460, &win);
		tcp_sig_match(db, 0, &pk, &win, Q_FLOW, &m);
		(void)tcp_sig_format(&pk, &win, buf);
	}
	if (http_msg_parse(db, 1, (const uint8_t *)req, sizeof req - 1,
	    &msg) == HTTP_OK) {
		http_sig_match(db, 1, &msg, &hm);
		(void)http_sig_format(db, 1, &msg, buf, sizeof buf);
	}
	p0f_db_free(db);
	return 0;
}
