/*
 * tsa-nats: a bridge between a TSA stream and a NATS JetStream stream.
 * What the parts share: the settings, the connection, the JetStream
 * stream's set-up, and the two commands.
 */
#ifndef TSA_NATS_H
#define TSA_NATS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <nats/nats.h>

/* Every option and setting, filled by tsa_opts_parse (main.c). */
struct conf {
	/* the connection */
	const char *url;
	const char *token, *user, *password, *creds;
	const char *tls_ca, *tls_cert, *tls_key;
	/* the JetStream stream, and how it is created when missing */
	const char *stream;
	const char *subjects;		/* comma-separated */
	uint64_t max_age_ns, max_bytes, replicas, dup_ns;
	const char *storage;		/* "file" or "memory" */
	/* pub */
	const char *sensor;
	uint64_t buffer, batch;
	const char *compression;	/* "zstd" or "none" */
	/* sub */
	const char *durable;
	int64_t since_ns;		/* 0: new messages only; SINCE_ALL */
	int64_t until_ns;		/* 0: none */
	uint64_t ends, idle_ns;
	uint64_t gap_wait_ns;		/* a missing message counts as lost after */
	const char *output;		/* "-": stdout */
	/* this invocation, with secrets blanked, for the header's "tools" */
	int argc;
	char **argv;
};
#define SINCE_ALL INT64_MIN

/* ---- conn.c: the connection ---- */

struct link {
	natsConnection *nc;
	jsCtx *js;
	const char *url;		/* as given, for messages */
	char where[256];		/* the server connected to (callbacks) */
	int64_t max_payload;		/* the server's, learnt on connect */
	/* set from the library's threads */
	atomic_int connected;		/* 1 while connected */
	atomic_uint reconnects;		/* reconnections so far */
	atomic_int fatal;		/* a permission error: the program ends */
	atomic_int closing;		/* link_close: a disconnection is expected */
	atomic_int closed;		/* the library's last callback has run */
	char fatal_why[256];
};

/*
 * Connect with the settings' authentication and TLS, with reconnection
 * for ever.  A connection that is refused ends the program: one line,
 * exit 1.  name is the client's name the server shows.
 */
struct link *link_open(const struct conf *c, const char *name);
void link_close(struct link *l);
/* The library's last error, as text, for messages. */
const char *link_error(natsStatus s);
/* A JetStream API error code and text as one phrase. */
const char *link_js_error(natsStatus s, jsErrCode jerr);
/* End the program if a library thread saw a fatal error. */
void link_check(struct link *l);

/* ---- jetstream.c: the stream ---- */

/*
 * Make sure the stream exists (create it from the settings when it does
 * not) and that its subjects take subject (NULL: no check).  Returns the
 * largest message the stream and the server take.  Errors end the program.
 */
int64_t stream_ready(struct link *l, const struct conf *c, const char *subject);
/* An error a cluster electing a leader or a server starting gives for a while. */
bool js_transient(natsStatus s, jsErrCode jerr);
/* Does the subject filter (with * and >) match the literal subject? */
bool subject_matches(const char *filter, const char *subject);

/* ---- the commands ---- */
int pub_main(struct conf *c, const char *subject);
int sub_main(struct conf *c, char **subjects, int nsubjects);

/* Nanoseconds since the epoch, and on a clock that never steps. */
int64_t now_ns(void);
int64_t mono_ns(void);

#endif
