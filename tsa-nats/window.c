/*
 * The publisher's buffer of unacknowledged messages (window.h).
 *
 * Why not js_PublishAsync: the library keeps its pending messages in a hash
 * and, after a reconnection, first sends what it buffered while the link
 * was down, so a message lost in the broken connection would reach the
 * stream after its successors.  Here the messages stay in an array in
 * their order, every acknowledgement names its message by number (the last
 * token of its reply subject), and a resend always starts at the oldest
 * unacknowledged one.  (The subscriber puts messages back in order anyway:
 * in a cluster a message can be lost in a leader election while the next
 * one is stored.  This keeps that the exception.)
 *
 * The acknowledgements arrive on a library thread; the array, the counts
 * and the sending belong to the main thread, under the mutex.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"
#include "window.h"

/* How long an acknowledgement may take before the message is sent again. */
#define ACK_WAIT_NS (5 * 1000000000LL)
/* Bytes sent and not yet acknowledged at once: enough to keep a local
   server busy, little enough that a resend after a timeout is short. */
#define INFLIGHT_MAX (32u << 20)
/* Messages held at most (small ones come in bursts after idle flushes). */
#define ENTRIES_MAX (1u << 16)
/* Backing off after "not now" answers (a leader election), in ns. */
#define RETRY_MIN (100 * 1000000LL)
#define RETRY_MAX (2000 * 1000000LL)

enum state { WAITING, SENT, ACKED, REFUSED };

struct entry {
	natsMsg *m;
	size_t len;
	int64_t sent;
	enum state state;
};

struct window {
	struct link *l;
	const char *subject;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct entry *e;
	uint64_t mask;			/* capacity - 1 (a power of two) */
	uint64_t base, next;		/* held: [base, next) */
	uint64_t send;			/* the next to send */
	uint64_t held, limit;		/* payload bytes held, and at most */
	uint64_t inflight;		/* bytes of entries SENT */
	unsigned reconnects;		/* last seen from the link */
	int64_t retry_at, backoff;	/* after a REFUSED */
	bool refused;
	int64_t refused_since;		/* refusals without an ack between */
	bool refusals_said;
	char refused_why[200];
	bool have_first;
	uint64_t first_stream_seq;
	char fatal[300];
	natsSubscription *acks;
	char inbox[128];
	int64_t waiting_since;		/* drain: when it began */
	struct window_stats st;
};

#define E(w, seq) (&(w)->e[(seq) & (w)->mask])

/* The number after the last dot of a reply subject. */
static bool reply_seq(const char *subj, uint64_t *seq)
{
	const char *dot = strrchr(subj, '.');
	char *end;

	if (!dot || dot[1] < '0' || dot[1] > '9')
		return false;
	*seq = strtoull(dot + 1, &end, 10);
	return *end == 0;
}

/*
 * A JetStream publish acknowledgement: {"stream":"TSA","seq":7} (with
 * "duplicate":true for a message it had), or {"error":{"code":503,
 * "err_code":10008,"description":"..."}}.  Returns 1 stored, 0 to send
 * again later (a 5xx: the server cannot now), -1 refused for good (why).
 */
static int parse_ack(natsMsg *msg, uint64_t *stream_seq, bool *dup, char *why,
    size_t n)
{
	char text[1024];
	int len = natsMsg_GetDataLength(msg);
	const char *p;

	if (natsMsg_IsNoResponders(msg)) {
		/* No stream leader just now, or no stream for the subject. */
		snprintf(why, n, "no stream takes the subject just now");
		return 0;
	}
	if (len <= 0 || len >= (int)sizeof text) {
		snprintf(why, n, "an acknowledgement of %d bytes", len);
		return 0;
	}
	memcpy(text, natsMsg_GetData(msg), (size_t)len);
	text[len] = 0;
	if ((p = strstr(text, "\"error\""))) {
		const char *code = strstr(p, "\"code\":");
		const char *desc = strstr(p, "\"description\":\"");
		long c = code ? strtol(code + 7, NULL, 10) : 0;

		if (desc) {
			const char *q = strchr(desc + 15, '"');
			snprintf(why, n, "%.*s", q ? (int)(q - desc - 15) : 200,
			    desc + 15);
		} else {
			snprintf(why, n, "%.200s", text);
		}
		return c >= 500 ? 0 : -1;
	}
	if (!(p = strstr(text, "\"seq\":"))) {
		snprintf(why, n, "an acknowledgement without a sequence: %.160s", text);
		return 0;
	}
	*stream_seq = strtoull(p + 6, NULL, 10);
	*dup = strstr(text, "\"duplicate\":true") != NULL;
	return 1;
}

static void on_ack(natsConnection *nc, natsSubscription *sub, natsMsg *msg,
    void *arg)
{
	struct window *w = arg;
	uint64_t seq, sseq = 0;
	bool dup = false;
	char why[256] = "";
	int rc;

	(void)nc;
	(void)sub;
	if (!reply_seq(natsMsg_GetSubject(msg), &seq)) {
		natsMsg_Destroy(msg);
		return;
	}
	rc = parse_ack(msg, &sseq, &dup, why, sizeof why);
	pthread_mutex_lock(&w->mu);
	if (seq >= w->base && seq < w->next && E(w, seq)->state != ACKED) {
		struct entry *e = E(w, seq);

		if (e->state == SENT)
			w->inflight -= e->len;
		if (rc > 0) {
			e->state = ACKED;
			w->st.messages++;
			w->st.bytes += e->len;
			w->st.duplicates += dup;
			w->backoff = 0;
			w->refused_since = 0;
			if (w->refusals_said) {
				tsa_warn("%s: the server takes messages again",
				    w->subject);
				w->refusals_said = false;
			}
			if (seq == 0) {
				w->have_first = true;
				w->first_stream_seq = sseq;
			}
		} else if (rc == 0) {
			e->state = REFUSED;
			if (!w->refused_since)
				w->refused_since = mono_ns();
			snprintf(w->refused_why, sizeof w->refused_why, "%s", why);
			if (!w->refused) {
				w->backoff = w->backoff ? w->backoff * 2 : RETRY_MIN;
				if (w->backoff > RETRY_MAX)
					w->backoff = RETRY_MAX;
				w->retry_at = mono_ns() + w->backoff;
			}
			w->refused = true;
		} else if (!w->fatal[0]) {
			snprintf(w->fatal, sizeof w->fatal,
			    "the server refused message %" PRIu64 ": %s", seq, why);
		}
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	natsMsg_Destroy(msg);
}

struct window *window_new(struct link *l, const char *subject, uint64_t limit)
{
	struct window *w = tsa_calloc(1, sizeof *w);
	char *inbox = NULL, subj[160];
	natsStatus s;

	w->l = l;
	w->subject = subject;
	w->limit = limit;
	w->mask = 1023;
	w->e = tsa_calloc(w->mask + 1, sizeof *w->e);
	w->reconnects = atomic_load(&l->reconnects);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if ((s = natsInbox_Create(&inbox)) != NATS_OK)
		tsa_die("inbox: %s", link_error(s));
	snprintf(w->inbox, sizeof w->inbox, "%s", inbox);
	natsInbox_Destroy(inbox);
	snprintf(subj, sizeof subj, "%s.*", w->inbox);
	s = natsConnection_Subscribe(&w->acks, l->nc, subj, on_ack, w);
	if (s != NATS_OK)
		tsa_die("%s: cannot subscribe to acknowledgements: %s", l->url,
		    link_error(s));
	/* Acknowledgements must never be dropped for a slow reader. */
	natsSubscription_SetPendingLimits(w->acks, -1, -1);
	return w;
}

natsMsg *window_msg(struct window *w, uint64_t seq, const void *data, size_t len)
{
	char reply[160];
	natsMsg *m = NULL;
	natsStatus s;

	snprintf(reply, sizeof reply, "%s.%" PRIu64, w->inbox, seq);
	s = natsMsg_Create(&m, w->subject, reply, data, (int)len);
	if (s != NATS_OK)
		tsa_die("%s: message %" PRIu64 ": %s", w->subject, seq, link_error(s));
	return m;
}

/* Make room for one more entry (the array doubles, keeping the order). */
static void grow(struct window *w)
{
	uint64_t cap = w->mask + 1;
	struct entry *e;

	if (w->next - w->base < cap)
		return;
	e = tsa_calloc(cap * 2, sizeof *e);
	for (uint64_t s = w->base; s < w->next; s++)
		e[s & (cap * 2 - 1)] = *E(w, s);
	free(w->e);
	w->e = e;
	w->mask = cap * 2 - 1;
}

/* Everything unacknowledged goes again, oldest first.  Under the mutex. */
static void rewind_sends(struct window *w, const char *why)
{
	uint64_t n = 0;

	for (uint64_t s = w->base; s < w->send; s++) {
		struct entry *e = E(w, s);
		if (e->state == SENT || e->state == REFUSED) {
			e->state = WAITING;
			n++;
		}
	}
	w->inflight = 0;
	w->refused = false;
	w->send = w->base;
	w->st.resent += n;
	if (n && why)
		tsa_warn("%s: %s: sending %" PRIu64 " unacknowledged message%s again",
		    w->subject, why, n, n == 1 ? "" : "s");
}

static void pump_locked(struct window *w)
{
	int64_t now = mono_ns();
	unsigned rc;

	if (w->fatal[0])
		tsa_die("%s: %s", w->subject, w->fatal);
	link_check(w->l);
	/* Forget what the server has. */
	while (w->base < w->next && E(w, w->base)->state == ACKED) {
		struct entry *e = E(w, w->base);
		natsMsg_Destroy(e->m);
		e->m = NULL;
		w->held -= e->len;
		w->base++;
	}
	if (w->send < w->base)
		w->send = w->base;
	/* What went out before a reconnection may be lost: send it again. */
	if ((rc = atomic_load(&w->l->reconnects)) != w->reconnects) {
		w->reconnects = rc;
		rewind_sends(w, "reconnected");
	} else if (w->base < w->send && E(w, w->base)->state == SENT &&
	    now - E(w, w->base)->sent > ACK_WAIT_NS) {
		rewind_sends(w, "no acknowledgement in time");
	} else if (w->refused && now >= w->retry_at) {
		/* Said once, if it lasts: a stream deleted, a cluster without
		   a majority. */
		if (!w->refusals_said && w->refused_since &&
		    now - w->refused_since > 3 * 1000000000LL) {
			tsa_warn("%s: the server does not take messages (%s); "
			    "sending them again until it does", w->subject,
			    w->refused_why);
			w->refusals_said = true;
		}
		rewind_sends(w, NULL);
	}
	if (!atomic_load(&w->l->connected))
		return;
	while (w->send < w->next && w->inflight < INFLIGHT_MAX) {
		struct entry *e = E(w, w->send);
		natsStatus s;

		if (e->state == ACKED) {
			w->send++;
			continue;
		}
		e->state = SENT;
		e->sent = now;
		w->inflight += e->len;
		pthread_mutex_unlock(&w->mu);
		/* The message stays ours: the library copies it out. */
		s = natsConnection_PublishMsg(w->l->nc, e->m);
		pthread_mutex_lock(&w->mu);
		if (s != NATS_OK) {
			/* Down again: this and the rest go after reconnecting. */
			if (e->state == SENT) {
				e->state = WAITING;
				w->inflight -= e->len;
			}
			break;
		}
		w->send++;
	}
}

void window_pump(struct window *w)
{
	pthread_mutex_lock(&w->mu);
	pump_locked(w);
	pthread_mutex_unlock(&w->mu);
}

/* Wait on the condition for at most 100 ms. */
static void nap(struct window *w)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 100 * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&w->cv, &w->mu, &ts);
}

void window_add(struct window *w, natsMsg *m, uint64_t seq, size_t len)
{
	bool waited = false, said = false;

	pthread_mutex_lock(&w->mu);
	if (seq != w->next)
		tsa_die("internal error: message %" PRIu64 " added after %" PRIu64,
		    seq, w->next);
	for (;;) {
		pump_locked(w);
		/* One message always fits, however large the limit. */
		if (w->base == w->next || (w->held + len <= w->limit &&
		    w->next - w->base < ENTRIES_MAX))
			break;
		if (!waited) {
			w->st.waits++;
			waited = true;
		}
		/* Said when it is the link that holds reading up. */
		if (!said && !atomic_load(&w->l->connected)) {
			tsa_warn("%s: the buffer is full (%.1f MiB not acknowledged): "
			    "reading waits for the server", w->subject,
			    (double)w->held / (1 << 20));
			said = true;
		}
		nap(w);
	}
	grow(w);
	*E(w, seq) = (struct entry){ .m = m, .len = len, .state = WAITING };
	w->next++;
	w->held += len;
	pump_locked(w);
	pthread_mutex_unlock(&w->mu);
}

uint64_t window_first_stream_seq(struct window *w)
{
	uint64_t v;

	pthread_mutex_lock(&w->mu);
	while (!w->have_first) {
		pump_locked(w);
		if (!w->have_first)
			nap(w);
	}
	v = w->first_stream_seq;
	pthread_mutex_unlock(&w->mu);
	return v;
}

void window_drain(struct window *w)
{
	int64_t start = mono_ns();
	bool said = false;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		pump_locked(w);
		if (w->base == w->next)
			break;
		if (!said && mono_ns() - start > 3 * 1000000000LL) {
			tsa_warn("%s: waiting for the server to acknowledge %" PRIu64
			    " message%s (%" PRIu64 " KiB)", w->subject,
			    w->next - w->base, w->next - w->base == 1 ? "" : "s",
			    w->held >> 10);
			said = true;
		}
		nap(w);
	}
	pthread_mutex_unlock(&w->mu);
}

void window_stats(struct window *w, struct window_stats *st)
{
	pthread_mutex_lock(&w->mu);
	*st = w->st;
	pthread_mutex_unlock(&w->mu);
}

void window_free(struct window *w)
{
	if (!w)
		return;
	/* (After link_close: its connection, and with it the callbacks, are gone.) */
	natsSubscription_Destroy(w->acks);
	for (uint64_t s = w->base; s < w->next; s++)
		natsMsg_Destroy(E(w, s)->m);
	free(w->e);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
