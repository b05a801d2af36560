/*
 * The floor for make bench: read every packet of a capture with libpcap
 * through a 1 MiB stdio buffer and do nothing else.  No tool that reads
 * packets can be faster than this loop.
 */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long n = 0, bytes = 0;
	FILE *f;
	pcap_t *p;

	if (argc != 2 || !(f = fopen(argv[1], "rb")))
		return 1;
	setvbuf(f, buf, _IOFBF, sizeof buf);
	if (!(p = pcap_fopen_offline(f, err))) {
		fprintf(stderr, "pcap_floor: %s\n", err);
		return 1;
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		bytes += h->caplen;
	}
	printf("%lu %lu\n", n, bytes);
	return 0;
}
