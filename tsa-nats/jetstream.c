/*
 * The JetStream stream that holds the sensors' messages: found by name, or
 * created from the settings (subjects, age and size limits, storage,
 * replicas, the window in which resent duplicates are dropped) when it is
 * missing.  An existing stream is used as it is: its limits are the
 * operator's, not this program's, to change.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nats.h"
#include "tsa.h"

bool subject_matches(const char *f, const char *s)
{
	for (;;) {
		const char *fe = strchr(f, '.'), *se = strchr(s, '.');
		size_t fl = fe ? (size_t)(fe - f) : strlen(f);
		size_t sl = se ? (size_t)(se - s) : strlen(s);

		if (fl == 1 && *f == '>')
			return sl > 0;
		if (!(fl == 1 && *f == '*') && (fl != sl || memcmp(f, s, fl) != 0))
			return false;
		if (!fe || !se)
			return !fe && !se;
		f = fe + 1;
		s = se + 1;
	}
}

/*
 * A cluster that is starting, or electing a leader, answers "not
 * available" for a few seconds; so does a server whose JetStream is
 * still reading its store after a restart.  Those are waited out.
 */
bool js_transient(natsStatus s, jsErrCode jerr)
{
	return s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS ||
	    jerr == JSClusterNotAvailErr || jerr == JSClusterNotLeaderErr ||
	    jerr == JSClusterIncompleteErr || jerr == JSStreamOfflineErr;
}

/* Create the stream: NATS_OK, or the error (and its JetStream code). */
static natsStatus create(struct link *l, const struct conf *c, jsErrCode *jerr)
{
	jsStreamConfig cfg;
	jsStreamInfo *si = NULL;
	const char *subj[32];
	char *copy = tsa_strdup(c->subjects), *save = NULL, *tok;
	int n = 0;
	natsStatus s;

	for (tok = strtok_r(copy, ", ", &save); tok && n < 32;
	    tok = strtok_r(NULL, ", ", &save))
		subj[n++] = tok;
	if (n == 0)
		tsa_die("[nats] Subjects is empty: the stream %s needs subjects",
		    c->stream);
	jsStreamConfig_Init(&cfg);
	cfg.Name = c->stream;
	cfg.Subjects = subj;
	cfg.SubjectsLen = n;
	cfg.Retention = js_LimitsPolicy;
	cfg.MaxAge = (int64_t)c->max_age_ns;
	cfg.MaxBytes = c->max_bytes ? (int64_t)c->max_bytes : -1;
	cfg.Storage = strcmp(c->storage, "memory") == 0 ? js_MemoryStorage :
	    js_FileStorage;
	cfg.Replicas = (int64_t)c->replicas;
	cfg.Duplicates = (int64_t)c->dup_ns;
	/* Oldest messages go first when a limit is reached, never new ones. */
	cfg.Discard = js_DiscardOld;
	*jerr = 0;
	s = js_AddStream(&si, l->js, &cfg, NULL, jerr);
	free(copy);
	if (s == NATS_OK) {
		tsa_warn("%s: created the stream %s (subjects %s, %s storage, "
		    "%llu replica%s)", l->url, c->stream, c->subjects, c->storage,
		    (unsigned long long)c->replicas, c->replicas == 1 ? "" : "s");
		jsStreamInfo_Destroy(si);
	}
	return s;
}

int64_t stream_ready(struct link *l, const struct conf *c, const char *subject)
{
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s;
	int64_t max, deadline = mono_ns() + 30 * 1000000000LL;

	for (;;) {
		jerr = 0;
		s = js_GetStreamInfo(&si, l->js, c->stream, NULL, &jerr);
		if (s == NATS_OK)
			break;
		/* Missing: made here (or, at the same moment, by another). */
		if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr)
			s = create(l, c, &jerr);
		if (s == NATS_OK || jerr == JSStreamNameExistErr)
			continue;
		if (jerr == JSNotEnabledErr || jerr == JSNotEnabledForAccountErr)
			tsa_die("%s: JetStream is not enabled there (nats-server -js)",
			    l->url);
		link_check(l);	/* (a permissions violation comes apart) */
		if (!js_transient(s, jerr) || mono_ns() > deadline || tsa_interrupted())
			tsa_die("%s: stream %s: %s", l->url, c->stream,
			    link_js_error(s, jerr));
		usleep(250000);
	}
	if (subject) {
		bool ok = false;

		for (int i = 0; i < si->Config->SubjectsLen; i++)
			ok |= subject_matches(si->Config->Subjects[i], subject);
		if (!ok) {
			char list[256] = "";

			for (int i = 0; i < si->Config->SubjectsLen; i++)
				snprintf(list + strlen(list), sizeof list - strlen(list),
				    "%s%s", i ? ", " : "", si->Config->Subjects[i]);
			tsa_die("%s: not a subject of the stream %s (its subjects: %s)",
			    subject, c->stream, list);
		}
	}
	max = l->max_payload;
	if (si->Config->MaxMsgSize > 0 && si->Config->MaxMsgSize < max)
		max = si->Config->MaxMsgSize;
	jsStreamInfo_Destroy(si);
	return max;
}
