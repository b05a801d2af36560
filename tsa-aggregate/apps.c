/*
 * Applications and server ports.  Each TCP or UDP packet is put under its
 * server port: the destination of a SYN, the source of a SYN-ACK; else,
 * of a port below 1024 and one above, the lower; else the one of the two
 * that names a known service; else the lower one (clients take high
 * ephemeral ports).  Its application is what
 * tsa-capture's application_type says (DNS, HTTP, TLS, from the payload or
 * the DNS ports), else the service of the server port (QUIC on UDP 443,
 * NTP on 123, ...), else "other TCP" or "other UDP" (also a fragment
 * without ports); ICMP and ICMPv6 are "ICMP", other IP protocols "other IP".
 *
 * What a sliding window keeps of a packet to take it away again is the
 * server port (contrib.dport) and two small codes in its flags (the
 * transport and application_type), from which app_of() gives the same
 * application again: the ring's entries stay 32 bytes.
 */
#include <string.h>

#include "agg.h"

const char *const app_names[NAPPS] = {
	[APP_OTHER_TCP] = "other TCP", [APP_OTHER_UDP] = "other UDP",
	[APP_ICMP] = "ICMP", [APP_OTHER_IP] = "other IP",
	[APP_DNS] = "DNS", [APP_MDNS] = "mDNS", [APP_LLMNR] = "LLMNR",
	[APP_HTTP] = "HTTP", [APP_TLS] = "TLS", [APP_QUIC] = "QUIC",
	[APP_NTP] = "NTP", [APP_DHCP] = "DHCP", [APP_SSDP] = "SSDP",
	[APP_NETBIOS] = "NetBIOS", [APP_SSH] = "SSH", [APP_SMTP] = "SMTP",
	[APP_POP3] = "POP3", [APP_IMAP] = "IMAP", [APP_SMB] = "SMB",
	[APP_RDP] = "RDP", [APP_FTP] = "FTP", [APP_TELNET] = "Telnet",
	[APP_SNMP] = "SNMP", [APP_IPSEC] = "IPsec", [APP_OPENVPN] = "OpenVPN",
	[APP_WIREGUARD] = "WireGuard", [APP_STUN] = "STUN", [APP_DOT] =
	"DNS over TLS", [APP_SIP] = "SIP", [APP_SYSLOG] = "syslog",
	[APP_LDAP] = "LDAP", [APP_KERBEROS] = "Kerberos", [APP_MQTT] = "MQTT",
	[APP_BGP] = "BGP",
};

/* The service a server port names (IANA's assignments, the common ones);
 * APP_NONE for none. */
uint8_t app_of_port(unsigned proto, unsigned port)
{
	if (proto == PROTO_UDP)
		switch (port) {
		case 53: return APP_DNS;
		case 5353: return APP_MDNS;
		case 5355: return APP_LLMNR;
		case 443: return APP_QUIC;
		case 123: return APP_NTP;
		case 67: case 68: case 546: case 547: return APP_DHCP;
		case 1900: return APP_SSDP;
		case 137: case 138: return APP_NETBIOS;
		case 161: case 162: return APP_SNMP;
		case 500: case 4500: return APP_IPSEC;
		case 1194: return APP_OPENVPN;
		case 51820: return APP_WIREGUARD;
		case 3478: case 19302: return APP_STUN;
		case 5060: return APP_SIP;
		case 514: return APP_SYSLOG;
		case 88: return APP_KERBEROS;
		case 389: return APP_LDAP;
		}
	else if (proto == PROTO_TCP)
		switch (port) {
		case 53: return APP_DNS;
		case 80: case 8080: return APP_HTTP;
		case 443: case 8443: return APP_TLS;
		case 22: return APP_SSH;
		case 25: case 465: case 587: return APP_SMTP;
		case 110: case 995: return APP_POP3;
		case 143: case 993: return APP_IMAP;
		case 445: return APP_SMB;
		case 139: return APP_NETBIOS;
		case 3389: return APP_RDP;
		case 20: case 21: return APP_FTP;
		case 23: return APP_TELNET;
		case 853: return APP_DOT;
		case 5060: case 5061: return APP_SIP;
		case 389: case 636: return APP_LDAP;
		case 88: return APP_KERBEROS;
		case 1883: case 8883: return APP_MQTT;
		case 179: return APP_BGP;
		case 1194: return APP_OPENVPN;
		}
	return APP_NONE;
}

unsigned app_server_port(const struct pkt *p, unsigned proto)
{
	unsigned s = p->sport, d = p->dport;
	bool ks, kd;

	if (!p->has_src_port || !p->has_dst_port)
		return p->has_dst_port ? d : p->has_src_port ? s : 0;
	if (proto == PROTO_TCP && p->tcp_flags >= 0 && (p->tcp_flags & 0x02))
		return p->tcp_flags & 0x10 ? s : d;
	if ((s < 1024) != (d < 1024))	/* the common case, without lookups */
		return s < d ? s : d;
	ks = app_of_port(proto, s) != APP_NONE;
	kd = app_of_port(proto, d) != APP_NONE;
	if (ks != kd)
		return ks ? s : d;
	return s < d ? s : d;
}

uint8_t app_of(unsigned proto, unsigned port, unsigned app_type)
{
	uint8_t a;

	switch (app_type) {
	case APPTYPE_DNS:
		a = app_of_port(PROTO_UDP, port);
		return a == APP_MDNS || a == APP_LLMNR ? a : APP_DNS;
	case APPTYPE_HTTP:
		return APP_HTTP;
	case APPTYPE_TLS:
		return APP_TLS;
	}
	if (proto == PROTO_NONE)
		return APP_OTHER_IP;
	if (proto == PROTO_ICMP)
		return APP_ICMP;
	if ((a = app_of_port(proto, port)) != APP_NONE)
		return a;
	return proto == PROTO_TCP ? APP_OTHER_TCP : APP_OTHER_UDP;
}
