/*
 * Opening captures.  Files are read through a stdio stream with a large
 * buffer: libpcap itself reads 4 KiB at a time, which costs a fifth of the
 * read loop's speed.  Live captures use immediate mode, so that packets are
 * handed over as they arrive rather than when a kernel block fills.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode.h"
#include "source.h"
#include "util.h"

#define FILE_BUFFER (1u << 20)

static void check_link(struct source *s)
{
	const char *name;

	s->dlt = pcap_datalink(s->pcap);
	if (decode_link_supported(s->dlt))
		return;
	name = pcap_datalink_val_to_name(s->dlt);
	tsa_die("%s: unsupported link type %s (%d)", s->name,
	    name ? name : "unknown", s->dlt);
}

void source_open_file(struct source *s, const char *path)
{
	static char buf[FILE_BUFFER];
	char err[PCAP_ERRBUF_SIZE];
	struct stat st;
	FILE *f;

	memset(s, 0, sizeof *s);
	if (strcmp(path, "-") == 0) {
		s->name = "stdin";
		f = stdin;
		if (isatty(0))
			tsa_die("stdin: is a terminal, not a capture file");
	} else {
		s->name = path;
		if ((f = fopen(path, "rb")) == NULL)
			tsa_die("%s: %s", path, strerror(errno));
	}
	s->size = -1;
	if (fstat(fileno(f), &st) == 0) {
		if (S_ISDIR(st.st_mode))
			tsa_die("%s: is a directory", s->name);
		if (S_ISREG(st.st_mode))
			s->size = st.st_size;
	}
	if (s->size == 0)
		tsa_die("%s: empty file, not a capture", s->name);
	setvbuf(f, buf, _IOFBF, sizeof buf);
	s->pcap = pcap_fopen_offline_with_tstamp_precision(f,
	    PCAP_TSTAMP_PRECISION_NANO, err);
	if (s->pcap == NULL) {
		if (strcmp(err, "unknown file format") == 0)
			tsa_die("%s: not a capture file (neither pcap nor pcapng)",
			    s->name);
		tsa_die("%s: %s", s->name, err);
	}
	s->file = f;
	s->nsec_mult = 1;
	check_link(s);
}

void source_open_live(struct source *s, const char *iface, int snaplen,
    int promisc, uint64_t buffer_bytes)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int rc;

	memset(s, 0, sizeof *s);
	s->name = iface;
	s->live = 1;
	s->size = -1;
	if ((p = pcap_create(iface, err)) == NULL)
		tsa_die("%s: %s", iface, err);
	pcap_set_snaplen(p, snaplen);
	pcap_set_promisc(p, promisc);
	pcap_set_immediate_mode(p, 1);
	if (buffer_bytes)
		pcap_set_buffer_size(p, buffer_bytes > INT32_MAX ? INT32_MAX :
		    (int)buffer_bytes);
	s->nsec_mult = 1;
	if (pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO) != 0)
		s->nsec_mult = 1000;
	rc = pcap_activate(p);
	switch (rc) {
	case 0:
		break;
	case PCAP_ERROR_NO_SUCH_DEVICE:
		tsa_die("%s: no such interface", iface);
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		tsa_die("%s: permission denied (capturing needs root or "
		    "CAP_NET_RAW and CAP_NET_ADMIN)", iface);
	case PCAP_ERROR_IFACE_NOT_UP:
		tsa_die("%s: interface is not up", iface);
	default:
		if (rc < 0)
			tsa_die("%s: %s", iface, pcap_geterr(p));
		tsa_warn("%s: %s", iface, pcap_geterr(p));	/* a warning */
	}
	s->pcap = p;
	check_link(s);
}

void source_filter(struct source *s, const char *expr)
{
	struct bpf_program prog;
	bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
	char err[PCAP_ERRBUF_SIZE];

	/* The netmask only matters for "ip broadcast". */
	if (s->live && pcap_lookupnet(s->name, &net, &mask, err) < 0)
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(s->pcap, &prog, expr, 1, mask) < 0)
		tsa_die("filter '%s': %s", expr, pcap_geterr(s->pcap));
	if (pcap_setfilter(s->pcap, &prog) < 0)
		tsa_die("%s: cannot set filter: %s", s->name, pcap_geterr(s->pcap));
	pcap_freecode(&prog);
}
