/*
 * Requests and responses.  Header order and values follow p0f.fp:
 *  Firefox 10+: Host,User-Agent,Accept=[,*\/\*;q=],?Accept-Language=[;q=],
 *      Accept-Encoding=[gzip, deflate],?DNT=[1],Connection=[keep-alive]
 *  Chrome 51+: Host,Connection=[keep-alive],Upgrade-Insecure-Requests=[1],
 *      User-Agent,Accept,Accept-Encoding=[gzip, deflate, sdch],Accept-Language
 *  MSIE 8+: Accept,?Referer,?Accept-Language,User-Agent,
 *      Accept-Encoding=[gzip, deflate],Host,Connection=[Keep-Alive]
 *  Safari 7+: Host,Accept-Encoding=[gzip, deflate],Connection=[keep-alive],
 *      Accept,User-Agent,Accept-Language
 *  Android 4.x: Host,Connection,Accept=[,*\/\*;q=0.8],User-Agent,
 *      Accept-Encoding=[gzip,deflate],Accept-Language,Accept-Charset=[utf-16, *;q=0.7]
 *  curl: User-Agent,Host,Accept=[*\/\*]      wget: User-Agent,Accept,Host,Connection
 *  Apache 2.x: Date,Server,Last-Modified,Accept-Ranges,Content-Length,
 *      Keep-Alive=[timeout],Connection=[Keep-Alive],Content-Type
 *  nginx 1.x: Server,Date,Content-Type,Content-Length,Last-Modified,
 *      Connection=[keep-alive],Keep-Alive=[timeout],Accept-Ranges=[bytes]
 *  IIS 7+: Content-Length,Content-Type,Server,Date (no Connection,
 *      Keep-Alive or Accept-Ranges)
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "os_stacks.h"
#include "http_msg.h"
#include "wbuf.h"

const char *const http_client_label[UA_COUNT] = {
	[UA_FIREFOX] = "Firefox 10.x or newer",
	[UA_CHROME] = "Chrome 51.x or newer",
	[UA_MSIE] = "MSIE 8 or newer",
	[UA_SAFARI] = "Safari 7 or newer",
	[UA_SAFARI_IOS] = "Safari 7 or newer",
	[UA_CHROME_ANDROID] = "Android 4.x",
	[UA_CURL] = "curl",
	[UA_WGET] = "wget",
};

const char *const http_server_label[SRV_COUNT] = {
	[SRV_APACHE] = "Apache 2.x",
	[SRV_NGINX] = "nginx 1.x",
	[SRV_IIS] = "IIS 7.x",
};

/* Accept-Language values (with ";q=", which Firefox's signature wants). */
static const char *const langs[N_LANGS] = {
	"en-US,en;q=0.5", "de-DE,de;q=0.8,en-US;q=0.5,en;q=0.3",
	"fr-FR,fr;q=0.8,en-US;q=0.5,en;q=0.3", "es-ES,es;q=0.8,en;q=0.5",
	"en-GB,en;q=0.5", "ja,en-US;q=0.7,en;q=0.3", "pt-BR,pt;q=0.8,en;q=0.5",
	"it-IT,it;q=0.8,en;q=0.5", "nl,en-US;q=0.7,en;q=0.3",
	"pl,en-US;q=0.7,en;q=0.3", "ru-RU,ru;q=0.8,en;q=0.5",
	"zh-CN,zh;q=0.8,en;q=0.5",
};

static const char *const paths[] = {
	"/", "/index.html", "/news/", "/about", "/contact", "/search?q=weather",
	"/products/list?page=2", "/css/main.css", "/js/app.js", "/blog/2024/05/",
	"/login", "/favicon.ico", "/robots.txt", "/static/site.css",
	"/api/v1/status", "/images/", "/en/help", "/articles/12345",
};
#define NPATHS (sizeof paths / sizeof paths[0])

static const char *
ua_string(const struct http_req *q)
{
	int win7 = q->os == OS_WIN7;

	switch (q->client) {
	case UA_FIREFOX:
		if (q->os == OS_WIN7 || q->os == OS_WIN10)
			return win7 ? "Mozilla/5.0 (Windows NT 6.1; Win64; x64; "
			    "rv:115.0) Gecko/20100101 Firefox/115.0" :
			    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) "
			    "Gecko/20100101 Firefox/121.0";
		if (q->os == OS_MACOS || q->os == OS_MACOSX)
			return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; "
			    "rv:121.0) Gecko/20100101 Firefox/121.0";
		if (q->os == OS_FREEBSD)
			return "Mozilla/5.0 (X11; FreeBSD amd64; rv:120.0) "
			    "Gecko/20100101 Firefox/120.0";
		return "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) "
		    "Gecko/20100101 Firefox/121.0";
	case UA_CHROME:
		if (q->os == OS_WIN7 || q->os == OS_WIN10)
			return win7 ? "Mozilla/5.0 (Windows NT 6.1; Win64; x64) "
			    "AppleWebKit/537.36 (KHTML, like Gecko) "
			    "Chrome/109.0.0.0 Safari/537.36" :
			    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
			    "AppleWebKit/537.36 (KHTML, like Gecko) "
			    "Chrome/120.0.0.0 Safari/537.36";
		if (q->os == OS_MACOS || q->os == OS_MACOSX)
			return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
			    "AppleWebKit/537.36 (KHTML, like Gecko) "
			    "Chrome/120.0.0.0 Safari/537.36";
		return "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
		    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
	case UA_MSIE:
		return win7 ? "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; "
		    "rv:11.0) like Gecko" : "Mozilla/5.0 (Windows NT 10.0; "
		    "WOW64; Trident/7.0; rv:11.0) like Gecko";
	case UA_SAFARI:
		return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
		    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
		    "Safari/605.1.15";
	case UA_SAFARI_IOS:
		return "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
		    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
		    "Mobile/15E148 Safari/604.1";
	case UA_CHROME_ANDROID:
		return "Mozilla/5.0 (Linux; U; Android 4.4.2; en-us; SM-T530 "
		    "Build/KOT49H) AppleWebKit/534.30 (KHTML, like Gecko) "
		    "Version/4.0 Safari/534.30";
	case UA_CURL:
		return "curl/7.26.0";
	default:
		return "Wget/1.13.4 (linux-gnu)";
	}
}

size_t
http_request(char *out, size_t cap, const struct http_req *q, const char *name)
{
	char host[80];
	static const char *const methods[] = { "GET", "HEAD", "POST" };
	struct wbuf b = wb_init(out, cap);
	const char *path = paths[q->seed % NPATHS];
	const char *ua = ua_string(q);
	const char *lang = langs[q->lang % N_LANGS];
	const char *html = "text/html,application/xhtml+xml,application/xml;"
	    "q=0.9,*/*;q=0.8";
	int post = q->method == M_POST;
	unsigned postlen = 20 + (q->seed >> 8) % 200;

	/* RFC 7230 5.4: Host carries the port unless it is the default. */
	if (q->port == 80)
		snprintf(host, sizeof host, "%s", name);
	else
		snprintf(host, sizeof host, "%s:%u", name, q->port);
	if (post)
		path = "/login";
	wb_printf(&b, "%s %s HTTP/1.1\r\n", methods[q->method], path);
	switch (q->client) {
	case UA_FIREFOX:
		wb_printf(&b, "Host: %s\r\nUser-Agent: %s\r\nAccept: %s\r\n"
		    "Accept-Language: %s\r\nAccept-Encoding: gzip, deflate\r\n",
		    host, ua, html, lang);
		if (q->seed & 0x100)
			wb_printf(&b, "DNT: 1\r\n");
		wb_printf(&b, "Connection: keep-alive\r\n");
		if (q->seed & 0x200)
			wb_printf(&b, "Referer: http://%s/\r\n", host);
		wb_printf(&b, "Upgrade-Insecure-Requests: 1\r\n");
		break;
	case UA_CHROME:
		wb_printf(&b, "Host: %s\r\nConnection: keep-alive\r\n"
		    "Upgrade-Insecure-Requests: 1\r\nUser-Agent: %s\r\n"
		    "Accept: text/html,application/xhtml+xml,application/xml;"
		    "q=0.9,image/webp,*/*;q=0.8\r\n"
		    "Accept-Encoding: gzip, deflate, sdch\r\n"
		    "Accept-Language: %s\r\n", host, ua, lang);
		break;
	case UA_MSIE:
		wb_printf(&b, "Accept: text/html, application/xhtml+xml, "
		    "*/*\r\n");
		if (q->seed & 0x200)
			wb_printf(&b, "Referer: http://%s/\r\n", host);
		wb_printf(&b, "Accept-Language: %.5s\r\nUser-Agent: %s\r\n"
		    "Accept-Encoding: gzip, deflate\r\nHost: %s\r\n"
		    "Connection: Keep-Alive\r\n", lang, ua, host);
		break;
	case UA_SAFARI:
	case UA_SAFARI_IOS:
		wb_printf(&b, "Host: %s\r\nAccept-Encoding: gzip, deflate\r\n"
		    "Connection: keep-alive\r\nAccept: text/html,application/"
		    "xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
		    "User-Agent: %s\r\nAccept-Language: %.5s\r\n", host, ua,
		    lang);
		if (q->seed & 0x200)
			wb_printf(&b, "Referer: http://%s/\r\n", host);
		break;
	case UA_CHROME_ANDROID:
		wb_printf(&b, "Host: %s\r\nConnection: keep-alive\r\n"
		    "Accept: text/html,application/xhtml+xml,application/xml;"
		    "q=0.9,*/*;q=0.8\r\nUser-Agent: %s\r\n"
		    "Accept-Encoding: gzip,deflate\r\nAccept-Language: %.5s\r\n"
		    "Accept-Charset: utf-16, *;q=0.7\r\n", host, ua, lang);
		break;
	case UA_CURL:
		wb_printf(&b, "User-Agent: %s\r\nHost: %s\r\nAccept: */*\r\n",
		    ua, host);
		break;
	default:
		wb_printf(&b, "User-Agent: %s\r\nAccept: */*\r\nHost: %s\r\n"
		    "Connection: Keep-Alive\r\n", ua, host);
		break;
	}
	if (post)
		wb_printf(&b, "Content-Type: "
		    "application/x-www-form-urlencoded\r\n"
		    "Content-Length: %u\r\n", postlen);
	wb_printf(&b, "\r\n");
	if (post) {
		/* user=...&token=... padded to the announced length */
		size_t start = b.len;
		wb_printf(&b, "user=guest%u&remember=1&token=", q->seed % 1000);
		while (!b.over && b.len - start < postlen)
			wb_printf(&b, "%c",
			    "0123456789abcdef"[(b.len * 7 + q->seed) & 15]);
	}
	return wb_len(&b);
}

static void
http_date(char out[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static const char *
content_type(uint32_t seed)
{
	static const char *const types[] = {
		"text/html; charset=UTF-8", "text/html; charset=UTF-8",
		"text/html", "text/css", "application/javascript",
		"text/plain",
	};
	return types[(seed >> 4) % (sizeof types / sizeof types[0])];
}

size_t
http_response_head(char *out, size_t cap, const struct http_resp *p)
{
	struct wbuf b = wb_init(out, cap);
	char date[32], lastmod[32];
	const char *reason = p->status == 200 ? "OK" : p->status == 304 ?
	    "Not Modified" : p->status == 301 ? "Moved Permanently" :
	    "Not Found";
	const char *ctype = content_type(p->seed);

	http_date(date, p->date);
	http_date(lastmod, p->date - 86400 * (int64_t)(1 + p->seed % 400));
	wb_printf(&b, "HTTP/1.1 %u %s\r\n", p->status, reason);
	switch (p->server) {
	case SRV_APACHE:
		wb_printf(&b, "Date: %s\r\nServer: Apache/2.4.%u (%s)\r\n"
		    "Last-Modified: %s\r\nETag: \"%x-%x\"\r\n"
		    "Accept-Ranges: bytes\r\nContent-Length: %u\r\n"
		    "Keep-Alive: timeout=5, max=100\r\n"
		    "Connection: Keep-Alive\r\nContent-Type: %s\r\n",
		    date, 38 + p->build % 20, p->os == OS_FREEBSD ? "FreeBSD" :
		    p->build & 1 ? "Debian" : "Ubuntu",
		    lastmod, p->seed, p->body_len, p->body_len, ctype);
		break;
	case SRV_NGINX:
		wb_printf(&b, "Server: nginx/1.%u.%u\r\nDate: %s\r\n"
		    "Content-Type: %s\r\nContent-Length: %u\r\n"
		    "Last-Modified: %s\r\nConnection: keep-alive\r\n"
		    "Keep-Alive: timeout=20\r\nETag: \"%x-%x\"\r\n"
		    "Accept-Ranges: bytes\r\n",
		    18 + p->build % 8, p->build % 3, date, ctype, p->body_len,
		    lastmod, p->seed, p->body_len);
		break;
	default:
		wb_printf(&b, "Content-Length: %u\r\nContent-Type: %s\r\n"
		    "ETag: \"%08x\"\r\nServer: Microsoft-IIS/%s\r\n"
		    "X-Powered-By: ASP.NET\r\nDate: %s\r\n",
		    p->body_len, ctype, p->seed,
		    p->build & 1 ? "8.5" : "10.0", date);
		break;
	}
	wb_printf(&b, "\r\n");
	return wb_len(&b);
}

void
http_body(uint8_t *out, size_t off, size_t len, uint32_t seed)
{
	static const char text[] =
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<title>Welcome</title>\n<link rel=\"stylesheet\" href=\"/css/main.css\">\n"
	    "</head>\n<body>\n<div class=\"content\">\n<p>Lorem ipsum dolor sit "
	    "amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt "
	    "ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis "
	    "nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo "
	    "consequat.</p>\n<ul><li><a href=\"/news/\">News</a></li><li><a "
	    "href=\"/about\">About us</a></li></ul>\n</div>\n";
	size_t n = sizeof text - 1;

	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)text[(off + i + seed % 7) % n];
}
