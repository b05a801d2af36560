#!/bin/sh
# p0f 3.09b recognises the generated stacks: every client OS among the SYN
# lines and every server OS among the SYN+ACK lines, nearly all SYNs and
# HTTP messages named, and it measures uptimes (from the TCP timestamps)
# and link MTUs (from the MSS).
set -eu
gen="$TSA_BIN/tsa-gen"
cd "$TSA_TMP"
. "$TSA_TOP/tests/lib.sh"
need_cmd p0f

"$gen" -n 40000 -s 3 --attacks 0 -o p.pcap
p0f -r p.pcap -o p0f.log > /dev/null 2>&1 || die "p0f failed"

field() {	# field MOD KEY: values of KEY on lines of module MOD
	grep " mod=$1|" p0f.log | tr '|' '\n' | sed -n "s/^$2=//p"
}
field syn os | sort | uniq -c
field syn+ack os | sort | uniq -c
for os in "Linux 3.11 and newer" "Linux 2.6.x" "Linux (Android)" \
    "Windows 7 or 8" "Windows NT kernel" "Mac OS X 10.x" \
    "MacOS X 10.9 or newer (sometimes iPhone or iPad)" \
    "iOS iPhone or iPad" "FreeBSD 9.x or newer"; do
	field syn os | grep -qxF "$os" || fail "no SYN named '$os'"
done
for os in "Linux 3.x" "Linux 2.6.x" "Windows 7 or 8" "FreeBSD 9.x"; do
	field syn+ack os | grep -qxF "$os" || fail "no SYN+ACK named '$os'"
done

# Unnamed SYNs are only IPv6 ones with flow labels (p0f 3.09b has no
# signature with the "flow" quirk): under 10 percent.
total=$(field syn os | wc -l)
unknown=$(field syn os | grep -cxF '???' || true)
[ "$total" -gt 500 ] || fail "only $total SYNs"
[ $((unknown * 10)) -lt "$total" ] || fail "$unknown of $total SYNs unnamed"
bad=$(grep " mod=syn|" p0f.log | grep 'os=???' | grep -cv ':flow:' || true)
[ "$bad" -eq 0 ] || fail "$bad SYNs without flow label unnamed"

# Distances: local hosts 0-1 hops, remote ones 4-24.
field syn dist | awk '$1 > 24 { bad++ } END { exit bad > 0 }' ||
	fail "SYN distance over 24"

# Uptime from timestamps, at the clocks the stacks run (1000, 250, 100 Hz).
up=$(field uptime raw_freq | wc -l)
[ "$up" -gt 100 ] || fail "only $up uptime lines"
for hz in 1000 250 100; do
	field uptime raw_freq | grep -q "^$hz.00 Hz" || fail "no $hz Hz clock"
done

# Each host's clock started at its boot: the uptimes p0f derives for one
# host from different connections agree (the capture lasts 20 s; allow
# 30 min for the rounding of p0f's frequency estimate), in 90 percent of
# the lines at least.
grep " mod=uptime|" p0f.log | awk -F'|' '
	{
		host = ($4 == "subj=cli") ? $2 : $3
		sub(/^(cli|srv)=/, "", host); sub(/\/[0-9]+$/, "", host)
		split($5, u, /[= ]/)	# uptime=D days H hrs M min
		m = u[2] * 1440 + u[4] * 60 + u[6]
		if (!(host in first)) first[host] = m
		else { n++; d = m - first[host]; if (d < 0) d = -d; if (d <= 30) ok++ }
	}
	END { print ok + 0, n + 0; exit !(n > 50 && ok >= 0.9 * n) }
' > uptime.out || fail "uptimes of a host disagree (agree, compared): $(cat uptime.out)"

# Link types from the MSS: Ethernet, PPPoE (DSL), tunnels.
for link in "Ethernet or modem" "DSL" "generic tunnel or VPN"; do
	field mtu link | grep -qxF "$link" || fail "no MTU link '$link'"
done

# HTTP: every client program and server named.
for app in "Firefox 10.x or newer" "Chrome 51.x or newer" "MSIE 8 or newer" \
    "Safari 7 or newer" "Android 4.x" "curl" "wget"; do
	field "http request" app | grep -qxF "$app" || fail "no request by $app"
done
for app in "Apache 2.x" "nginx 1.x" "IIS 7.x"; do
	field "http response" app | grep -qxF "$app" || fail "no response by $app"
done
req=$(field "http request" app | wc -l)
unk=$(field "http request" app | grep -cxF '???' || true)
[ "$req" -gt 200 ] && [ "$unk" -eq 0 ] || fail "$unk of $req requests unnamed"
unk=$(field "http response" app | grep -cxF '???' || true)
[ "$unk" -eq 0 ] || fail "$unk responses unnamed"
finish
