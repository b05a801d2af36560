/* The subscriber's pull consumers (consumer.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "consumer.h"
#include "tsa.h"

/* A message held longer than this unacknowledged is delivered again. */
#define ACK_WAIT_NS (60 * 1000000000LL)
/* Messages delivered and not acknowledged at most: the held ones of runs
   with gaps (runs.h) must never use them all up. */
#define MAX_ACK_PENDING 20000
/* A consumer that is not durable is removed this long after its reader
   went away. */
#define INACTIVE_NS (300 * 1000000000LL)
/* A fetch takes at most this many messages and bytes. */
#define FETCH_BATCH 256
#define FETCH_BYTES (32 << 20)

/*
 * The durable name for a subject: the name given, or with several
 * subjects the name and the subject, in the characters a name may have.
 */
static void durable_name(char *out, size_t n, const char *durable,
    const char *subject, int nsubjects)
{
	size_t i = (size_t)snprintf(out, n, "%s", durable);

	if (nsubjects == 1)
		return;
	if (i + 1 < n)
		out[i++] = '_';
	for (const char *s = subject; *s && i + 1 < n; s++)
		out[i++] = *s == '*' ? 'S' : *s == '>' ? 'G' :
		    ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-') ? *s : '_';
	out[i] = 0;
}

static void bind(struct consumer *k, struct link *l, const struct conf *c)
{
	jsSubOptions so;
	jsErrCode jerr = 0;
	natsStatus s;

	jsSubOptions_Init(&so);
	so.Stream = c->stream;
	so.Consumer = k->name;
	s = js_PullSubscribe(&k->sub, l->js, k->subject, NULL, NULL, &so, &jerr);
	if (s != NATS_OK)
		tsa_die("%s: consumer %s: %s", k->subject, k->name,
		    link_js_error(s, jerr));
	/* Fetched messages must never be dropped by the library. */
	natsSubscription_SetPendingLimits(k->sub, -1, -1);
}

/*
 * Make the consumer; start 0: as the options say, else at that sequence.
 * NATS_OK, or the error and its JetStream code.
 */
static natsStatus create(struct consumer *k, struct link *l,
    const struct conf *c, uint64_t start, jsErrCode *jerr)
{
	jsConsumerConfig cc;
	jsConsumerInfo *ci = NULL;
	natsStatus s;

	jsConsumerConfig_Init(&cc);
	cc.Durable = k->durable ? k->name : NULL;
	cc.FilterSubject = k->subject;
	cc.AckPolicy = js_AckExplicit;
	cc.AckWait = ACK_WAIT_NS;
	cc.MaxAckPending = MAX_ACK_PENDING;
	cc.MaxDeliver = -1;
	if (!k->durable)
		cc.InactiveThreshold = INACTIVE_NS;
	if (start) {
		cc.DeliverPolicy = js_DeliverByStartSequence;
		cc.OptStartSeq = start;
	} else if (c->since_ns == SINCE_ALL) {
		cc.DeliverPolicy = js_DeliverAll;
	} else if (c->since_ns) {
		cc.DeliverPolicy = js_DeliverByStartTime;
		cc.OptStartTime = c->since_ns;
	} else {
		cc.DeliverPolicy = js_DeliverNew;
	}
	*jerr = 0;
	s = js_AddConsumer(&ci, l->js, c->stream, &cc, NULL, jerr);
	if (s == NATS_OK) {
		snprintf(k->name, sizeof k->name, "%s", ci->Name);
		jsConsumerInfo_Destroy(ci);
	}
	return s;
}

void consumer_open(struct consumer *k, struct link *l, const struct conf *c,
    const char *subject, int nsubjects)
{
	jsConsumerInfo *ci = NULL;
	jsErrCode jerr = 0;
	natsStatus s;
	int64_t deadline = mono_ns() + 30 * 1000000000LL;

	memset(k, 0, sizeof *k);
	k->subject = subject;
	k->durable = c->durable && *c->durable;
	if (k->durable)
		durable_name(k->name, sizeof k->name, c->durable, subject, nsubjects);
	/* A cluster that is busy (a leader election) is waited for. */
	for (;;) {
		if (k->durable) {
			jerr = 0;
			s = js_GetConsumerInfo(&ci, l->js, c->stream, k->name, NULL, &jerr);
			if (s == NATS_OK) {
				const char *f = ci->Config->FilterSubject;
				if (!f || strcmp(f, subject) != 0)
					tsa_die("%s: the durable consumer %s follows %s, "
					    "not %s", subject, k->name,
					    f && *f ? f : "the whole stream", subject);
				if (c->since_ns)
					tsa_warn("%s: --since ignored: the durable "
					    "consumer %s resumes where it stopped",
					    subject, k->name);
				jsConsumerInfo_Destroy(ci);
				break;
			}
			if (s == NATS_NOT_FOUND || jerr == JSConsumerNotFoundErr)
				s = create(k, l, c, 0, &jerr);
		} else {
			s = create(k, l, c, 0, &jerr);
		}
		/* (Made at the same moment by another run with the name.) */
		if (s == NATS_OK || jerr == JSConsumerNameExistErr)
			break;
		link_check(l);	/* (a permissions violation comes apart) */
		if (!js_transient(s, jerr) || mono_ns() > deadline ||
		    tsa_interrupted())
			tsa_die("%s: cannot make a consumer on the stream %s: %s",
			    subject, c->stream, link_js_error(s, jerr));
		usleep(250000);
	}
	bind(k, l, c);
}

/*
 * A fetch that failed in another way than "nothing there": the connection
 * may be down (then the library reconnects and this waits), a cluster may
 * be electing the consumer's leader (this waits too), or the server may
 * have lost the consumer (a server restarted without its state, an
 * ephemeral consumer removed while this reader was away): then, once
 * three looks a second apart agree, it is made again where this reader
 * stands.
 */
static void recover(struct consumer *k, struct link *l, const struct conf *c,
    uint64_t resume)
{
	jsConsumerInfo *ci = NULL;
	jsErrCode jerr = 0;
	natsStatus s;
	int64_t now = mono_ns();

	if (now - k->checked < 1000000000LL || !atomic_load(&l->connected))
		return;
	k->checked = now;
	s = js_GetConsumerInfo(&ci, l->js, c->stream, k->name, NULL, &jerr);
	if (s == NATS_OK) {
		jsConsumerInfo_Destroy(ci);
		k->missing = 0;
		return;
	}
	if (s != NATS_NOT_FOUND && jerr != JSConsumerNotFoundErr)
		return;		/* JetStream busy or not ready yet: later */
	if (++k->missing < 3)
		return;
	/*
	 * From the first message not acknowledged: the oldest held one, else
	 * the one after the last fetched; if none was fetched yet, as the
	 * options first said.
	 */
	if (k->last_stream_seq && k->last_stream_seq + 1 < resume)
		resume = k->last_stream_seq + 1;
	if (resume == UINT64_MAX)
		resume = 0;
	if ((s = create(k, l, c, resume, &jerr)) != NATS_OK) {
		if (!js_transient(s, jerr))
			tsa_die("%s: cannot make the consumer again: %s", k->subject,
			    link_js_error(s, jerr));
		return;		/* next time */
	}
	if (resume)
		tsa_warn("%s: the server lost the consumer; made again from "
		    "stream message %" PRIu64, k->subject, resume);
	else
		tsa_warn("%s: the server lost the consumer; made again", k->subject);
	k->missing = 0;
	natsSubscription_Destroy(k->sub);
	k->sub = NULL;
	bind(k, l, c);
}

int consumer_fetch(struct consumer *k, struct link *l, const struct conf *c,
    natsMsgList *list, int ms, uint64_t resume)
{
	jsFetchRequest req;
	natsStatus s;

	/*
	 * no_wait with an expiry: the server answers with what it has, up to
	 * the batch, as soon as it has anything, and waits up to the expiry
	 * when it has nothing (nats-server 2.9).  So a quiet stream costs one
	 * request per expiry and a busy one gets whole batches at once.
	 */
	jsFetchRequest_Init(&req);
	req.Batch = FETCH_BATCH;
	req.MaxBytes = FETCH_BYTES;
	req.NoWait = true;
	req.Expires = (int64_t)ms * 1000000;
	s = natsSubscription_FetchRequest(list, k->sub, &req);
	if (s == NATS_OK)
		return list->Count;
	if (s != NATS_TIMEOUT && s != NATS_NOT_FOUND)
		recover(k, l, c, resume);
	return 0;
}

void consumer_close(struct consumer *k, struct link *l, const struct conf *c)
{
	/*
	 * Not unsubscribed: a durable consumer keeps its place on the server.
	 * Another one is of no more use.
	 */
	natsSubscription_Destroy(k->sub);
	k->sub = NULL;
	if (!k->durable && atomic_load(&l->connected))
		js_DeleteConsumer(l->js, c->stream, k->name, NULL, NULL);
}
