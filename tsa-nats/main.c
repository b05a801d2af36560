/*
 * tsa-nats: carry TSA streams through NATS JetStream, so that many
 * sensors feed one collector across sites, and nothing in flight is lost
 * when a server, a link or the collector restarts.
 *
 *   tsa-nats pub [OPTIONS] SUBJECT          stdin to the stream
 *   tsa-nats sub [OPTIONS] SUBJECT...       the stream to stdout
 */
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nats.h"
#include "opts.h"
#include "tsa.h"

static struct conf C;

/*
 * --since and --until: "all" (since only), a duration before now (90m,
 * 2h, 1d), or an RFC 3339 time (2024-03-01T12:00:00Z, with an offset or
 * a fraction of a second).
 */
static bool parse_time(const char *text, void *dest, char *why, size_t n)
{
	int64_t *t = dest;
	uint64_t ns;
	int y, mo, d, h, mi, s, used = 0;
	int64_t frac = 0, off = 0;
	const char *p;

	if (strcmp(text, "all") == 0) {
		*t = SINCE_ALL;
		return true;
	}
	if (tsa_parse_duration(text, &ns)) {
		*t = now_ns() - (int64_t)ns;
		return true;
	}
	if (sscanf(text, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
	    &s, &used) != 6 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || s > 60)
		goto bad;
	p = text + used;
	if (*p == '.') {
		int64_t scale = 100000000;
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om, k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5)
			goto bad;
		off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		goto bad;
	}
	if (*p)
		goto bad;
	*t = ((tsa_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + s - off) * 1000000000LL) + frac;
	return true;
bad:
	snprintf(why, n, "not a time: %s (all, a duration before now such as 2h, "
	    "or 2024-03-01T12:00:00Z)", text);
	return false;
}

static const char *const storages[] = { "file", "memory", NULL };
static const char *const codecs[] = { "zstd", "none", NULL };

#define OPT(name, s, type, arg, key, def, lo, hi, dest, help) \
	{ name, s, type, arg, key ? "nats" : NULL, key, def, lo, hi, NULL, NULL, \
	  0, dest, help }

static const struct tsa_opt opts[] = {
	OPT("server", 's', TSA_OPT_STR, "URL", "Url", "nats://127.0.0.1:4222",
	    0, 0, &C.url, "the server; a cluster's members comma-separated"),
	OPT("stream", 0, TSA_OPT_STR, "NAME", "Stream", "TSA", 0, 0, &C.stream,
	    "the JetStream stream (made when missing, with\n"
	    "the six options that follow)"),
	OPT("subjects", 0, TSA_OPT_STR, "LIST", "Subjects", "tsa.>", 0, 0,
	    &C.subjects, "its subjects, comma-separated"),
	OPT("max-age", 0, TSA_OPT_DURATION, "AGE", "MaxAge", "7d", 0, 0,
	    &C.max_age_ns, "how long it keeps a message (0: for ever)"),
	OPT("max-bytes", 0, TSA_OPT_U64, "BYTES", "MaxBytes", "10737418240", 0, 0,
	    &C.max_bytes, "how much it keeps (0: no limit)"),
	{ "storage", 0, TSA_OPT_CHOICE, "KIND", "nats", "Storage", "file", 0, 0,
	  storages, NULL, 0, &C.storage, "file (kept across restarts) or memory" },
	OPT("replicas", 0, TSA_OPT_U64, "N", "Replicas", "1", 1, 5, &C.replicas,
	    "its copies, on as many servers of a cluster"),
	OPT("duplicates", 0, TSA_OPT_DURATION, "TIME", "Duplicates", "2m", 0.1, 0,
	    &C.dup_ns, "a message resent within TIME is dropped"),
	OPT("token", 0, TSA_OPT_STR, "TOKEN", "Token", "", 0, 0, &C.token,
	    "authenticate with this token"),
	OPT("user", 0, TSA_OPT_STR, "NAME", "User", "", 0, 0, &C.user,
	    "authenticate as this user, with --password"),
	OPT("password", 0, TSA_OPT_STR, "WORD", "Password", "", 0, 0, &C.password,
	    "the user's password (settings.ini keeps it\n"
	    "out of ps and shell histories)"),
	OPT("creds", 0, TSA_OPT_PATH, "FILE", "Credentials", "", 0, 0, &C.creds,
	    "authenticate with a credentials file (JWT, seed)"),
	OPT("tls-ca", 0, TSA_OPT_PATH, "FILE", "TlsCa", "", 0, 0, &C.tls_ca,
	    "TLS, trusting server certificates of this CA"),
	OPT("tls-cert", 0, TSA_OPT_PATH, "FILE", "TlsCert", "", 0, 0, &C.tls_cert,
	    "TLS with this client certificate"),
	OPT("tls-key", 0, TSA_OPT_PATH, "FILE", "TlsKey", "", 0, 0, &C.tls_key,
	    "the client certificate's key"),
	OPT("sensor", 0, TSA_OPT_STR, "NAME", NULL, "", 0, 0, &C.sensor,
	    "pub: the sensor's name (default: the subject's\nlast token)"),
	OPT("buffer", 0, TSA_OPT_U64, "BYTES", "Buffer", "268435456", 1 << 20, 0,
	    &C.buffer, "pub: unacknowledged bytes kept for resending;\n"
	    "when full, reading waits"),
	OPT("batch", 0, TSA_OPT_U64, "BYTES", "Batch", "1048576", 4096, 64 << 20,
	    &C.batch, "pub: a message's size at most (the server's\n"
	    "max_payload bounds it too)"),
	{ "compression", 0, TSA_OPT_CHOICE, "HOW", "nats", "Compression", "zstd",
	  0, 0, codecs, NULL, 0, &C.compression, "pub: zstd (batches of records a ninth\n"
	  "of their size on the wire and in the store) or none" },
	OPT("durable", 0, TSA_OPT_STR, "NAME", NULL, "", 0, 0, &C.durable,
	    "sub: resume where the last run with NAME stopped"),
	{ "since", 0, TSA_OPT_CUSTOM, "TIME", NULL, NULL, NULL, 0, 0, NULL,
	  parse_time, 0, &C.since_ns, "sub: from what was stored since TIME: all, 2h\n"
	  "(ago), 2024-03-01T12:00:00Z (default: from now)" },
	{ "until", 0, TSA_OPT_CUSTOM, "TIME", NULL, NULL, NULL, 0, 0, NULL,
	  parse_time, 0, &C.until_ns, "sub: end before what was stored from TIME on" },
	OPT("ends", 0, TSA_OPT_U64, "N", NULL, NULL, 1, 0, &C.ends,
	    "sub: end once N publishers' streams have ended"),
	OPT("idle", 0, TSA_OPT_DURATION, "TIME", NULL, NULL, 0.001, 0, &C.idle_ns,
	    "sub: end after TIME without a message"),
	OPT("gap-wait", 0, TSA_OPT_DURATION, "TIME", "GapWait", "60s", 0.1, 0,
	    &C.gap_wait_ns, "sub: a message missing from a run this long\n"
	    "while later ones wait is lost"),
	OPT("output", 'o', TSA_OPT_PATH, "FILE", NULL, "-", 0, 0, &C.output,
	    "sub: write the stream here instead of stdout"),
	TSA_OPT_END
};

static const struct tsa_tool tool = {
	"pub [OPTIONS] SUBJECT\nsub [OPTIONS] SUBJECT...",
	"Carry TSA streams through a NATS JetStream stream.  pub publishes the\n"
	"stream on stdin to SUBJECT and ends when the server has acknowledged\n"
	"all of it; sub writes one stream to stdout from the subjects' publishers,\n"
	"each record with \"sensor\", each publisher's records in its order, once.",
	"Options marked pub: or sub: belong to that command, the others to both.\n"
	"Examples:\n"
	"  tsa-capture -i eth0 | tsa-geo | tsa-nats pub tsa.berlin\n"
	"  tsa-nats sub --durable map 'tsa.>' | tsa-aggregate | tsa-plot",
	opts,
};

static const char *const pub_only[] = { "sensor", "buffer", "batch",
	"compression", NULL };
static const char *const sub_only[] = { "durable", "since", "until", "ends",
	"idle", "gap-wait", NULL };

static void refuse(const char *const *names, const char *cmd)
{
	for (int i = 0; names[i]; i++)
		if (tsa_opt_given(&tool, names[i]))
			tsa_usage("--%s is not an option of %s", names[i], cmd);
}

/*
 * This invocation for the header's "tools", which every subscriber sees:
 * a token or password given on the command line is blanked.
 */
static char **redact(int argc, char **argv)
{
	static const char *const secret[] = { "token", "password" };
	char **out = tsa_calloc((size_t)argc + 1, sizeof *out);

	for (int i = 0; i < argc; i++) {
		out[i] = argv[i];
		if (strncmp(argv[i], "--", 2) != 0 || !argv[i][2])
			continue;
		const char *name = argv[i] + 2, *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		for (int j = 0; j < 2; j++) {
			if (strncmp(secret[j], name, n) != 0)
				continue;
			if (eq) {
				size_t len = (size_t)(eq - argv[i]) + 1;
				char *s = tsa_malloc(len + 4);
				memcpy(s, argv[i], len);
				memcpy(s + len, "***", 4);
				out[i] = s;
			} else if (i + 1 < argc) {
				out[i + 1] = "***";
				i++;
			}
			break;
		}
	}
	return out;
}

/*
 * SIGINT and SIGTERM go to this thread alone, where the library's handler
 * (tsa_init) notes them.  Delivered to one of libnats's threads instead,
 * they would break its poll() with EINTR, which it takes for a broken
 * connection.
 */
static void *signals(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	for (;;)
		pause();
	return NULL;
}

static void route_signals(void)
{
	sigset_t set;
	pthread_t t;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&t, NULL, signals, NULL) != 0)
		tsa_die("cannot start a thread");
	pthread_detach(t);
}

int main(int argc, char **argv)
{
	int first;

	tsa_init(argv[0]);
	route_signals();
	/*
	 * Messages of a megabyte come and go hundreds of times a second: kept
	 * in the heap and reused, not mapped and unmapped (and faulted in
	 * again) each time.
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	first = tsa_opts_parse(&tool, argc, argv);
	if (first >= argc)
		tsa_usage("pub or sub? (tsa-nats pub SUBJECT, tsa-nats sub SUBJECT...)");
	C.argc = argc;
	C.argv = redact(argc, argv);
	if (strcmp(argv[first], "pub") == 0) {
		refuse(sub_only, "pub");
		if (argc - first != 2)
			tsa_usage("pub takes one subject");
		return pub_main(&C, argv[first + 1]);
	}
	if (strcmp(argv[first], "sub") == 0) {
		refuse(pub_only, "sub");
		if (argc - first < 2)
			tsa_usage("sub needs a subject ('tsa.>' for every sensor)");
		if (C.until_ns == SINCE_ALL)
			tsa_usage("--until all: give a time");
		return sub_main(&C, argv + first + 1, argc - first - 1);
	}
	tsa_usage("%s: not a command (pub or sub)", argv[first]);
}
