/*
 * tsa-capture: read packets from a capture file or an interface with
 * libpcap and write the TSA stream: a header, one record per IP packet,
 * and "stats" records.  The only tool that touches raw packets.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "frag.h"
#include "options.h"
#include "privileges.h"
#include "progress.h"
#include "source.h"
#include "tsa.h"

#define FLUSH_NS 1000000000LL	/* live output reaches the pipe this often */

struct state {
	struct source src;
	struct tsa_writer *w;
	struct frag_table *frags;	/* NULL: no reassembly */
	uint64_t limit;		/* -c: stop after this many frames, 0: all */
	uint64_t frames, decoded, non_ip, truncated, malformed, names_cut;
	int64_t last_sec;	/* time of the last packet, for file stats */
	uint32_t last_nsec;
};

static pcap_t *live_pcap;

/*
 * SIGINT or SIGTERM (tsa_init's handler): stop capturing; the stream then
 * ends as usual, with its final stats and end record, so that every stage
 * after this one finishes its work.
 */
static void on_interrupt(void)
{
	if (live_pcap)
		pcap_breakloop(live_pcap);
}

static int64_t now_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A stats record.  For a file its time is that of the last packet read, so
   it sorts with the packets; for a live capture, now. */
static void put_stats(struct state *st, int final)
{
	struct mp_buf *b = tsa_out(st->w);
	struct pcap_stat ps;
	int have_ps = st->src.live && pcap_stats(st->src.pcap, &ps) == 0;
	int64_t sec = st->last_sec;
	uint32_t nsec = st->last_nsec;
	struct frag_counts fc = { 0, 0, 0, 0 };
	struct mp_map_w m;

	if (final && st->frags)	/* what is still incomplete never will be */
		frag_flush(st->frags);
	if (st->frags)
		fc = *frag_counts(st->frags);

	if (st->src.live || st->frames == 0) {
		int64_t t = now_ns(CLOCK_REALTIME);

		sec = t / 1000000000;
		nsec = (uint32_t)(t % 1000000000);
	}
	mp_map_open(b, &m);
	mp_map_key(b, &m, "type");
	mp_put_cstr(b, "stats");
	mp_map_key(b, &m, "time");
	mp_put_time(b, sec, nsec);
	mp_map_key(b, &m, "final");
	mp_put_bool(b, final);
	if (have_ps) {
		mp_map_uint(b, &m, "received", ps.ps_recv);
		mp_map_uint(b, &m, "dropped", ps.ps_drop);
		mp_map_uint(b, &m, "if_dropped", ps.ps_ifdrop);
	}
	mp_map_uint(b, &m, "decoded", st->decoded);
	mp_map_uint(b, &m, "non_ip", st->non_ip);
	mp_map_uint(b, &m, "truncated", st->truncated);
	mp_map_uint(b, &m, "malformed", st->malformed);
	mp_map_uint(b, &m, "dns_names_cut", st->names_cut);
	mp_map_uint(b, &m, "frag_reassembled", fc.reassembled);
	mp_map_uint(b, &m, "frag_timed_out", fc.timed_out);
	mp_map_uint(b, &m, "frag_dropped", fc.dropped);
	mp_map_uint(b, &m, "frag_overlaps", fc.overlaps);
	mp_map_close(b, &m);
	tsa_wrote(st->w);
}

static void put_header(struct state *st, int argc, char **argv)
{
	struct mp_buf *b = tsa_out(st->w);
	struct mp_map_w m;

	/* "live" tells later stages that the clock matters (tsa-aggregate). */
	mp_map_open(b, &m);
	mp_map_uint(b, &m, "tsa", TSA_STREAM_VERSION);
	mp_map_key(b, &m, "kind");
	mp_put_cstr(b, "packets");
	mp_map_uint(b, &m, "link_type", (uint64_t)st->src.dlt);
	mp_map_uint(b, &m, "snaplen", (uint64_t)pcap_snapshot(st->src.pcap));
	mp_map_key(b, &m, "source");
	mp_put_cstr(b, st->src.name);
	if (st->src.live) {
		mp_map_key(b, &m, "live");
		mp_put_bool(b, true);
	}
	mp_map_key(b, &m, TSA_HDR_END);
	mp_put_bool(b, true);
	mp_map_key(b, &m, "tools");
	tsa_put_tools(b, NULL, 0, argc, argv);
	mp_map_close(b, &m);
	tsa_wrote(st->w);
}

static void packet(struct state *st, const struct pcap_pkthdr *h,
    const uint8_t *data)
{
	int64_t sec = h->ts.tv_sec;
	uint64_t nsec = (uint64_t)h->ts.tv_usec * st->src.nsec_mult;
	int r;

	if (nsec >= 1000000000) {	/* a broken file: keep the time valid */
		sec += (int64_t)(nsec / 1000000000);
		nsec %= 1000000000;
	}
	st->frames++;
	st->last_sec = sec;
	st->last_nsec = (uint32_t)nsec;
	r = decode_packet(st->frags, st->src.dlt, data, h->caplen, h->len, sec,
	    (uint32_t)nsec, tsa_out(st->w));
	if (r & DEC_RECORD) {
		st->decoded++;
		tsa_wrote(st->w);
	}
	if (r & ~DEC_RECORD) {	/* the rare frame with something to count */
		st->non_ip += (r & DEC_NON_IP) != 0;
		st->truncated += (r & DEC_TRUNCATED) != 0;
		st->malformed += (r & DEC_MALFORMED) != 0;
		st->names_cut += (r & DEC_NAMES_CUT) != 0;
	}
}

static void dispatch_cb(u_char *user, const struct pcap_pkthdr *h,
    const u_char *data)
{
	struct state *st = (struct state *)user;

	packet(st, h, data);
	if (st->limit && st->frames >= st->limit)
		pcap_breakloop(st->src.pcap);
}

/* Returns 0, or -1 after a read error (the packets before it are out). */
static int read_file(struct state *st, int quiet)
{
	struct progress pr;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = 0;

	progress_init(&pr, st->src.file, st->src.size, quiet);
	while (!tsa_interrupted() && (rc = pcap_next_ex(st->src.pcap, &h, &data)) == 1) {
		packet(st, h, data);
		if (st->limit && st->frames >= st->limit)
			break;
		if (st->frames % PROGRESS_EVERY == 0)
			progress_tick(&pr, st->frames);
	}
	progress_end(&pr, st->frames);
	if (!tsa_interrupted() && rc == PCAP_ERROR) {
		put_stats(st, 1);
		tsa_flush(st->w);
		tsa_warn("%s: %s", st->src.name, pcap_geterr(st->src.pcap));
		tsa_input_failed("%s: %s", st->src.name, pcap_geterr(st->src.pcap));
		return -1;
	}
	put_stats(st, 1);
	return 0;
}

static int read_live(struct state *st, uint64_t stats_ns)
{
	struct pollfd pfd;
	int64_t now, next_stats, last_flush;
	int n;
	char err[PCAP_ERRBUF_SIZE];

	if (pcap_setnonblock(st->src.pcap, 1, err) < 0)
		tsa_die("%s: %s", st->src.name, err);
	pfd.fd = pcap_get_selectable_fd(st->src.pcap);
	pfd.events = POLLIN;
	now = last_flush = now_ns(CLOCK_MONOTONIC);
	next_stats = stats_ns ? now + (int64_t)stats_ns : INT64_MAX;
	while (!tsa_interrupted()) {
		n = pcap_dispatch(st->src.pcap, -1, dispatch_cb, (u_char *)st);
		if (n == PCAP_ERROR_BREAK)
			break;	/* -c reached, or a signal */
		if (n < 0) {
			tsa_flush(st->w);
			tsa_warn("%s: %s", st->src.name, pcap_geterr(st->src.pcap));
			tsa_input_failed("%s: %s", st->src.name,
			    pcap_geterr(st->src.pcap));
			put_stats(st, 1);
			return -1;
		}
		now = now_ns(CLOCK_MONOTONIC);
		if (now >= next_stats) {
			put_stats(st, 0);
			next_stats = now + (int64_t)stats_ns;
		}
		if (n > 0 && now - last_flush < FLUSH_NS)
			continue;
		/* Nothing more waiting (or a second of output pending): send
		   what we have, then sleep until packets or the next stats. */
		tsa_flush(st->w);
		last_flush = now;
		if (n == 0) {
			int64_t wait = next_stats - now;

			if (wait > FLUSH_NS)
				wait = FLUSH_NS;
			if (poll(&pfd, 1, (int)(wait / 1000000) + 1) < 0 &&
			    errno != EINTR)
				tsa_die("poll: %s", strerror(errno));
		}
	}
	put_stats(st, 1);
	return 0;
}

/* At the end, on stderr: libpcap's counters when live, and what was left
   out of records, if anything. */
static void summary(struct state *st)
{
	const struct frag_counts *fc;
	struct pcap_stat ps;

	if (st->src.live && pcap_stats(st->src.pcap, &ps) == 0)
		fprintf(stderr, "%llu packets captured (%llu IP), %u received by "
		    "filter, %u dropped by kernel, %u dropped by interface\n",
		    (unsigned long long)st->frames,
		    (unsigned long long)st->decoded, ps.ps_recv, ps.ps_drop,
		    ps.ps_ifdrop);
	else if (!st->src.live && cap_opt.verbose)
		fprintf(stderr, "%s: %llu packets read (%llu IP, %llu not IP, %llu "
		    "cut by the snapshot length, %llu malformed)\n", st->src.name,
		    (unsigned long long)st->frames, (unsigned long long)st->decoded,
		    (unsigned long long)st->non_ip, (unsigned long long)st->truncated,
		    (unsigned long long)st->malformed);
	if (st->names_cut)
		tsa_warn("%s: %llu DNS records kept only their first names (at "
		    "most %d names and %d bytes of names per record)",
		    st->src.name, (unsigned long long)st->names_cut,
		    DNS_MAX_NAMES, DNS_MAX_NAME_BYTES);
	if (st->frags == NULL)
		return;
	fc = frag_counts(st->frags);
	if (fc->timed_out + fc->dropped + fc->overlaps > 0)
		tsa_warn("%s: fragments: %llu datagrams reassembled, %llu timed "
		    "out or incomplete, %llu fragments not held (over the "
		    "[capture] Reassembly limits, or impossible), %llu "
		    "overlapping held data with other bytes",
		    st->src.name, (unsigned long long)fc->reassembled,
		    (unsigned long long)fc->timed_out,
		    (unsigned long long)fc->dropped,
		    (unsigned long long)fc->overlaps);
}

/* The reassembly table, or NULL when turned off. */
static struct frag_table *reassembly(void)
{
	struct frag_limits lim;

	lim.datagrams = (uint32_t)cap_opt.frag_datagrams;
	lim.memory = cap_opt.frag_memory;
	lim.timeout_ns = cap_opt.frag_timeout * 1000000000ull;
	return lim.datagrams ? frag_new(&lim) : NULL;
}

/*
 * -r or -i; without either, [app] UseLiveCapture chooses between the
 * settings' interface and file.
 */
static void choose_source(const char **file, const char **iface)
{
	bool r = tsa_opt_given(&capture_tool, "read");
	bool i = tsa_opt_given(&capture_tool, "interface");

	*file = *iface = NULL;
	if (r && i)
		tsa_usage("-r and -i exclude each other");
	if (r || (!i && !cap_opt.live)) {
		*file = cap_opt.file;
		/* empty: the settings' directory */
		if (!**file || (*file)[strlen(*file) - 1] == '/')
			tsa_usage("no input: give -r FILE or -i IFACE, or set [app] "
			    "InitFileLocation in the settings");
	} else {
		*iface = cap_opt.iface;
	}
}

/* The trailing arguments, joined by spaces, as tcpdump does. */
static char *join(int argc, char **argv)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = tsa_malloc(len);
	s[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int main(int argc, char **argv)
{
	static struct state st;
	const char *file, *iface;
	uint64_t snaplen;
	int rc, first;

	tsa_init(argv[0]);
	first = tsa_opts_parse(&capture_tool, argc, argv);
	choose_source(&file, &iface);
	st.limit = cap_opt.count;
	snaplen = cap_opt.snaplen ? cap_opt.snaplen : 262144;	/* 0: as tcpdump */
	st.frags = reassembly();

	st.w = tsa_writer_open(cap_opt.out, 0);
	if (iface) {
		source_open_live(&st.src, iface, (int)snaplen,
		    cap_opt.promisc && !cap_opt.no_promisc,
		    tsa_opt_given(&capture_tool, "buffer-kib") ?
		    cap_opt.buffer_kib * 1024 : cap_opt.buffer);
		live_pcap = st.src.pcap;
	} else
		source_open_file(&st.src, file);
	privileges_drop(cap_opt.user, cap_opt.quiet);
	if (first < argc) {
		char *expr = join(argc - first, argv + first);

		source_filter(&st.src, expr);
		free(expr);
	}

	tsa_on_interrupt(on_interrupt);
	put_header(&st, argc, argv);
	if (st.src.live)
		rc = read_live(&st, cap_opt.stats_every * 1000000000ull);
	else
		rc = read_file(&st, cap_opt.quiet);
	if (!cap_opt.quiet)
		summary(&st);
	pcap_close(st.src.pcap);
	frag_free(st.frags);
	tsa_writer_close(st.w);
	return rc < 0;
}
