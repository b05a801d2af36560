/*
 * The connection to the NATS server: the URL (or a cluster's members),
 * authentication (token, user and password, credentials file), TLS, and
 * reconnection.  Once connected, the library reconnects by itself for as
 * long as it takes; the callbacks here only tell the rest of the program
 * (and the person reading stderr) that the link went down and came back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nats.h"
#include "tsa.h"

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const char *link_error(natsStatus s)
{
	static __thread char buf[300];
	const char *last = nats_GetLastError(NULL);

	/*
	 * The library's own text is the more precise; its status names the
	 * kind.  It starts with where in the library: "(conn.c:1905): ".
	 */
	if (last && *last) {
		const char *p = last;
		if (*p == '(' && (p = strstr(p, "): ")))
			last = p + 3;
		snprintf(buf, sizeof buf, "%s", last);
	} else
		snprintf(buf, sizeof buf, "%s", natsStatus_GetText(s));
	return buf;
}

const char *link_js_error(natsStatus s, jsErrCode jerr)
{
	static __thread char buf[340];

	if (jerr)
		snprintf(buf, sizeof buf, "%s (JetStream error %d)", link_error(s),
		    (int)jerr);
	else
		snprintf(buf, sizeof buf, "%s", link_error(s));
	return buf;
}

static void on_disconnected(natsConnection *nc, void *arg)
{
	struct link *l = arg;

	(void)nc;
	if (atomic_exchange(&l->connected, 0) && !atomic_load(&l->closing))
		tsa_warn("%s: connection lost; reconnecting", l->where);
}

static void on_reconnected(natsConnection *nc, void *arg)
{
	struct link *l = arg;

	/* (The library calls the connection's callbacks one at a time.) */
	if (natsConnection_GetConnectedUrl(nc, l->where, sizeof l->where) != NATS_OK)
		snprintf(l->where, sizeof l->where, "%s", l->url);
	atomic_fetch_add(&l->reconnects, 1);
	atomic_store(&l->connected, 1);
	tsa_warn("%s: reconnected", l->where);
}

static void on_closed(natsConnection *nc, void *arg)
{
	struct link *l = arg;

	(void)nc;
	atomic_store(&l->closed, 1);
}

/*
 * Errors the library meets on its own threads.  A permissions violation
 * (this user may not publish or subscribe where it must) will not mend:
 * the main thread ends the program with it.  A slow consumer (messages
 * dropped by the library) must not happen, as pending limits are lifted
 * where the program reads; if it does, nothing could be trusted after it.
 */
static void on_error(natsConnection *nc, natsSubscription *sub, natsStatus err,
    void *arg)
{
	struct link *l = arg;
	const char *last = NULL;

	(void)sub;
	natsConnection_GetLastError(nc, &last);
	if (err == NATS_NOT_PERMITTED || err == NATS_SLOW_CONSUMER) {
		snprintf(l->fatal_why, sizeof l->fatal_why, "%s",
		    last && *last ? last : natsStatus_GetText(err));
		atomic_store(&l->fatal, 1);
	}
}

void link_check(struct link *l)
{
	if (atomic_load(&l->fatal))
		tsa_die("%s: %s", l->url, l->fatal_why);
}

/* The URL setting, split at commas into the members of a cluster. */
static natsStatus set_servers(natsOptions *o, const char *url)
{
	char *copy = tsa_strdup(url), *save = NULL, *tok;
	const char *list[64];
	int n = 0;
	natsStatus s;

	for (tok = strtok_r(copy, ", ", &save); tok && n < 64;
	    tok = strtok_r(NULL, ", ", &save))
		list[n++] = tok;
	if (n == 0)
		tsa_die("[nats] Url is empty");
	s = natsOptions_SetServers(o, list, n);
	free(copy);
	return s;
}

static void must(natsStatus s, const char *what)
{
	if (s != NATS_OK)
		tsa_die("%s: %s", what, link_error(s));
}

struct link *link_open(const struct conf *c, const char *name)
{
	struct link *l = tsa_calloc(1, sizeof *l);
	natsOptions *o = NULL;
	natsStatus s;

	l->url = c->url;
	must(natsOptions_Create(&o), "NATS options");
	must(set_servers(o, c->url), c->url);
	must(natsOptions_SetName(o, name), "NATS options");
	/* Reconnect for ever, quickly: a sensor outlives server restarts. */
	must(natsOptions_SetMaxReconnect(o, -1), "NATS options");
	must(natsOptions_SetReconnectWait(o, 250), "NATS options");
	must(natsOptions_SetTimeout(o, 3000), "NATS options");
	/* Reads and writes in large blocks: messages are up to a megabyte. */
	must(natsOptions_SetIOBufSize(o, 1 << 20), "NATS options");
	must(natsOptions_SetSendAsap(o, true), "NATS options");
	must(natsOptions_SetDisconnectedCB(o, on_disconnected, l), "NATS options");
	must(natsOptions_SetReconnectedCB(o, on_reconnected, l), "NATS options");
	must(natsOptions_SetClosedCB(o, on_closed, l), "NATS options");
	must(natsOptions_SetErrorHandler(o, on_error, l), "NATS options");
	if (c->token && *c->token)
		must(natsOptions_SetToken(o, c->token), "token");
	if (c->user && *c->user)
		must(natsOptions_SetUserInfo(o, c->user,
		    c->password && *c->password ? c->password : NULL), "user");
	else if (c->password && *c->password)
		tsa_usage("a password without a user (--user, [nats] User)");
	if (c->creds && *c->creds) {
		char why[300];

		if (!tsa_path_trusted(c->creds, why, sizeof why))
			tsa_die("%s: %s", c->creds, why);
		s = natsOptions_SetUserCredentialsFromFiles(o, c->creds, NULL);
		if (s != NATS_OK)
			tsa_die("%s: %s", c->creds, link_error(s));
	}
	if ((c->tls_ca && *c->tls_ca) || (c->tls_cert && *c->tls_cert)) {
		must(natsOptions_SetSecure(o, true), "TLS");
		if (c->tls_ca && *c->tls_ca) {
			s = natsOptions_LoadCATrustedCertificates(o, c->tls_ca);
			if (s != NATS_OK)
				tsa_die("%s: %s", c->tls_ca, link_error(s));
		}
		if (c->tls_cert && *c->tls_cert) {
			if (!c->tls_key || !*c->tls_key)
				tsa_usage("--tls-cert needs --tls-key ([nats] TlsKey)");
			s = natsOptions_LoadCertificatesChain(o, c->tls_cert, c->tls_key);
			if (s != NATS_OK)
				tsa_die("%s: %s", c->tls_cert, link_error(s));
		}
	} else if (c->tls_key && *c->tls_key) {
		tsa_usage("--tls-key without --tls-cert");
	}

	s = natsConnection_Connect(&l->nc, o);
	natsOptions_Destroy(o);
	if (s != NATS_OK) {
		const char *why = link_error(s);

		if (s == NATS_NO_SERVER)
			tsa_die("%s: no server answers there", c->url);
		/* A server that wants a client certificate just hangs up. */
		if (c->tls_ca && *c->tls_ca && !(c->tls_cert && *c->tls_cert) &&
		    strstr(why, "PONG"))
			tsa_die("%s: connection refused: the server hung up after the "
			    "TLS handshake (does it want a client certificate? "
			    "--tls-cert, --tls-key)", c->url);
		tsa_die("%s: connection refused: %s", c->url, why);
	}
	if (natsConnection_GetConnectedUrl(l->nc, l->where, sizeof l->where) != NATS_OK)
		snprintf(l->where, sizeof l->where, "%s", l->url);
	atomic_store(&l->connected, 1);
	l->max_payload = natsConnection_GetMaxPayload(l->nc);
	s = natsConnection_JetStream(&l->js, l->nc, NULL);
	if (s != NATS_OK)
		tsa_die("%s: JetStream: %s", c->url, link_error(s));
	return l;
}

void link_close(struct link *l)
{
	if (!l)
		return;
	atomic_store(&l->closing, 1);
	jsCtx_Destroy(l->js);
	natsConnection_Close(l->nc);
	/*
	 * The callbacks (disconnected, then closed) run on a thread of the
	 * library after Close returns, and use l: it lives until the last has
	 * run.  Then the library's own threads are stopped, so that none
	 * outlives the program's data.
	 */
	for (int i = 0; i < 500 && !atomic_load(&l->closed); i++)
		usleep(2000);
	natsConnection_Destroy(l->nc);
	if (atomic_load(&l->closed))
		free(l);
	nats_CloseAndWait(2000);
}
