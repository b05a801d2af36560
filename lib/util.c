#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "hash.h"
#include "util.h"

const char *tsa_prog = "tsa";

static volatile sig_atomic_t interrupted;
static void (*on_interrupt)(void);

static void on_signal(int sig)
{
	if (interrupted) {
		/* The second: end now, by the signal, as its default does. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	interrupted = sig;
	if (on_interrupt)
		on_interrupt();
}

void tsa_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	struct sigaction sa;

	if (argv0)
		tsa_prog = slash ? slash + 1 : argv0;
	/* A closed pipe shows up as EPIPE from write(), where it is handled. */
	signal(SIGPIPE, SIG_IGN);
	tsa_hash_init();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	/* Reads and writes carry on; poll() returns EINTR, and its loops look
	   at the flag. */
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 2; i++) {
		int sig = i ? SIGTERM : SIGINT;
		struct sigaction old;

		/* A signal ignored at start stays so (nohup, a background job). */
		if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sig, &sa, NULL);
	}
}

int tsa_interrupted(void) { return interrupted != 0; }
void tsa_on_interrupt(void (*fn)(void)) { on_interrupt = fn; }

static void vmsg(const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof line, fmt, ap);
	/* One line, always: a message must never break a log into two. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "%s: %s\n", tsa_prog, line);
}

void tsa_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void tsa_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(1);
}

void tsa_usage(const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* One line: a script's log keeps it whole. */
	tsa_warn("%s (try '%s --help')", msg, tsa_prog);
	exit(2);
}

void *tsa_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		tsa_die("out of memory (%zu bytes)", n);
	return p;
}

void *tsa_calloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (!p)
		tsa_die("out of memory (%zu x %zu bytes)", n, m);
	return p;
}

void *tsa_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		tsa_die("out of memory (%zu bytes)", n);
	return q;
}

char *tsa_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(tsa_malloc(n), s, n);
}

char *tsa_strndup(const void *p, size_t n)
{
	char *s = tsa_malloc(n + 1);

	memcpy(s, p, n);
	s[n] = 0;
	return s;
}

int tsa_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return 0;
	*v = x;
	return 1;
}

int tsa_parse_bool(const char *s)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (int i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

int tsa_parse_double(const char *s, double *v)
{
	char *end;
	double x;

	if (!s || !*s)
		return 0;
	errno = 0;
	x = strtod(s, &end);
	if (errno || *end || !isfinite(x))
		return 0;
	*v = x;
	return 1;
}

int tsa_parse_duration(const char *s, uint64_t *ns)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
		{ "m", 60e9 }, { "h", 3600e9 }, { "d", 86400e9 }, { "", 1e9 },
	};
	char *end;
	double x;

	if (!s || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	x = strtod(s, &end);
	if (errno || !isfinite(x))
		return 0;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].unit) == 0) {
			x *= units[i].mult;
			if (x > 1e19)
				return 0;
			*ns = (uint64_t)x;
			return 1;
		}
	}
	return 0;
}

size_t tsa_edit_distance(const char *a, const char *b)
{
	enum { MAX = 64 };
	size_t la = strlen(a), lb = strlen(b), d[MAX][MAX];

	if (la >= MAX || lb >= MAX)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t v = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			/* two neighbours swapped: one slip of the fingers */
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    cb == tolower((unsigned char)a[i - 2]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

long tsa_peak_rss_kib(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void tsa_fmt_time(char out[40], int64_t sec, uint32_t nsec)
{
	int64_t days = sec / 86400, rem = sec % 86400, y;
	unsigned m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil(days, &y, &m, &d);
	if (y > 99999)	/* nonsense times stay within the buffer */
		y = 99999;
	if (y < -9999)
		y = -9999;
	snprintf(out, 40, "%04d-%02u-%02uT%02u:%02u:%02u.%09uZ",
	    (int)y, m, d, (unsigned)(rem / 3600),
	    (unsigned)(rem / 60 % 60), (unsigned)(rem % 60), nsec % 1000000000u);
}

/* Howard Hinnant's algorithm: 400-year eras of 146097 days, March first. */
int64_t tsa_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
