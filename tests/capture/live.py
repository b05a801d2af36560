#!/usr/bin/python3
"""Live capture on the loopback interface: curl fetches a file from a local
Python HTTP server and dig asks a tiny local DNS responder, while tsa-capture
runs with a port filter.  The records must describe exactly that traffic;
the output must reach the pipe while the capture runs (flushed within a
second); stats records carry libpcap's counters; run as root, the capture
runs as nobody after opening the interface; SIGTERM ends it cleanly."""
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP", "/tmp")
from tsatest import check, done  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http_server(www, port):
    """Python's HTTP server on 127.0.0.1:port, returned once it listens
    (so that the capture started next sees the whole exchange)."""
    server = subprocess.Popen(
        ["/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1",
         "--directory", www, str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(40):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server


def dns_responder(sock):
    """Answer every query with a CNAME and an A record."""
    while True:
        try:
            q, peer = sock.recvfrom(512)
        except OSError:
            return
        qid, = struct.unpack("!H", q[:2])
        end = q.index(b"\0", 12) + 5          # question: name, type, class
        cname = b"\x05alias\x07example\x00"
        ans = (b"\xc0\x0c" + struct.pack("!HHIH", 5, 1, 60, len(cname)) + cname +
               b"\xc0" + bytes([end]) + struct.pack("!HHIH", 1, 1, 60, 4) +
               bytes([192, 0, 2, 7]))
        sock.sendto(struct.pack("!HHHHHH", qid, 0x8180, 1, 2, 0, 0) +
                    q[12:end] + ans, peer)


def main():
    http_port = free_port()
    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns_addr = None
    for a in ("127.0.0.1", "127.0.0.53", "127.0.0.54"):
        try:
            dns.bind((a, 53))
            dns_addr = a
            break
        except OSError:
            continue
    if dns_addr is None:
        print("cannot bind a DNS responder to port 53 on loopback")
        sys.exit(77)
    threading.Thread(target=dns_responder, args=(dns,), daemon=True).start()

    www = os.path.join(TMP, "www")
    os.makedirs(www, exist_ok=True)
    with open(os.path.join(www, "hello.txt"), "w") as f:
        f.write("hello from tsa\n")
    server = http_server(www, http_port)

    ini = os.path.join(TMP, "live.ini")
    with open(ini, "w") as f:
        f.write("[capture]\nStatsInterval = 1\nUser = nobody\n")
    out_path = os.path.join(TMP, "live.tsa")
    out = open(out_path, "wb")
    cap = subprocess.Popen(
        [os.path.join(BIN, "tsa-capture"), "--settings", ini, "-i", "lo",
         "tcp", "port", str(http_port), "or", "(", "udp", "port", "53", "and",
         "host", dns_addr, ")"],
        stdout=out, stderr=subprocess.PIPE)
    # The header appears once the interface is open and the loop waits.
    for _ in range(100):
        if os.path.getsize(out_path) > 0 or cap.poll() is not None:
            break
        time.sleep(0.05)
    check(os.path.getsize(out_path) > 0, "capture started")
    size_before = os.path.getsize(out_path)
    body = subprocess.run(["curl", "-s", "http://127.0.0.1:%d/hello.txt" % http_port],
                          stdout=subprocess.PIPE, check=True).stdout
    subprocess.run(["dig", "+tries=1", "+time=2", "@" + dns_addr,
                    "tsa-test.example", "A"], stdout=subprocess.DEVNULL,
                   check=False)
    time.sleep(1.6)             # output is flushed at least once a second
    size_during = os.path.getsize(out_path)
    with open("/proc/%d/status" % cap.pid) as f:
        uid = [l.split()[1:] for l in f if l.startswith("Uid:")][0]
    cap.send_signal(signal.SIGTERM)
    rc = cap.wait(10)
    err = cap.stderr.read().decode()
    server.terminate()
    server.wait()
    out.close()

    check(body == b"hello from tsa\n", "curl got the file")
    check(rc == 0, "SIGTERM ends the capture with status 0 (stderr %r)" % err)
    check(size_during > size_before,
          "records reached the output while capturing (%d -> %d bytes)" %
          (size_before, size_during))
    if os.geteuid() == 0:
        check(set(uid) == {"65534"}, "runs as nobody after opening lo: uids %s" % uid)

    recs = tsatest.maps(open(out_path, "rb").read())
    h = recs[0]
    check(h["source"] == "lo" and h["link_type"] == 1 and h.get("live") is True, "header %r" % h)
    pkts = [r for r in recs[1:] if "type" not in r]
    stats = [r for r in recs[1:] if r.get("type") == "stats"]
    lo = bytes([127, 0, 0, 1])

    def is_http(r):
        return r.get("protocol") == "tcp" and http_port in (r["src_port"], r["dst_port"])

    tcp = [r for r in pkts if is_http(r)]
    syn = [r for r in tcp if r["tcp_op"] == "SYN"]
    synack = [r for r in tcp if r["tcp_op"] == "SYN-ACK"]
    check(len(syn) == 1 and syn[0]["dst_port"] == http_port and
          syn[0]["src_addr"] == lo and "tcp_headers" in syn[0] and
          syn[0]["tcp_headers"][0] >> 4 == 4 and
          struct.unpack("!H", syn[0]["tcp_headers"][22:24])[0] == http_port,
          "one SYN to the server, with its raw headers")
    check(len(synack) == 1 and synack[0]["src_port"] == http_port,
          "one SYN-ACK from the server")
    req = [r for r in tcp if r.get("http_req_resp") == "request"]
    check(len(req) == 1 and req[0]["http_method"] == "GET" and
          req[0]["http_uri"] == "/hello.txt" and
          req[0]["http_host"] == "127.0.0.1:%d" % http_port and
          req[0]["http_headers"].startswith(b"GET /hello.txt HTTP/1.1\r\n") and
          req[0]["http_headers"].endswith(b"\r\n\r\n"),
          "the HTTP request: %r" % {k: v for k, v in (req[0] if req else {}).items()
                                   if k.startswith("http")})
    resp = [r for r in tcp if r.get("http_req_resp") == "response"]
    check(len(resp) == 1 and resp[0]["http_status"] == 200 and
          resp[0]["src_port"] == http_port, "the HTTP response, status 200")
    fins = [r for r in tcp if r["tcp_flags"] & 1]
    check(len(fins) >= 1, "the connection is closed (%d FIN)" % len(fins))

    d = [r for r in pkts if r.get("application_type") == "dns"]
    q = [r for r in d if r["dns_query_resp"] == "query"]
    a = [r for r in d if r["dns_query_resp"] == "response"]
    check(len(q) == 1 and q[0]["dns_query_names"] == ["tsa-test.example"] and
          q[0]["dst_port"] == 53, "the DNS query")
    check(len(a) == 1 and a[0]["dns_resp_ips"] == [bytes([192, 0, 2, 7])] and
          a[0]["dns_cnames"] == ["alias.example"] and a[0]["dns_rcode"] == 0,
          "the DNS response: %r" % (a[0] if a else None))
    check(len(pkts) == len(tcp) + len(d), "nothing but the filtered traffic")

    check(len(stats) >= 2 and stats[-1]["final"] is True and
          not any(s["final"] for s in stats[:-1]),
          "%d stats records, the last final" % len(stats))
    last = stats[-1]
    check(all(k in last for k in ("received", "dropped", "if_dropped")) and
          last["received"] >= len(pkts) and last["dropped"] == 0 and
          last["decoded"] == len(pkts) and last["non_ip"] == 0,
          "final stats %r" % last)

    # A second capture with a small snapshot length, not promiscuous, a
    # kernel buffer size, and -c: it ends by itself after 5 packets.
    server = http_server(www, http_port)
    out_path = os.path.join(TMP, "live-short.tsa")
    with open(out_path, "wb") as out:
        cap = subprocess.Popen(
            [os.path.join(BIN, "tsa-capture"), "-q", "-i", "lo", "-s", "60", "-p",
             "-B", "2048", "-c", "5", "tcp", "port", str(http_port)],
            stdout=out)
        for _ in range(100):
            if os.path.getsize(out_path) > 0:
                break
            time.sleep(0.05)
        subprocess.run(["curl", "-s", "-o", "/dev/null",
                        "http://127.0.0.1:%d/hello.txt" % http_port], check=True)
        try:
            rc = cap.wait(10)
        except subprocess.TimeoutExpired:
            cap.kill()
            rc = None
    server.terminate()
    server.wait()
    recs = tsatest.maps(open(out_path, "rb").read())
    pkts = [r for r in recs[1:] if "type" not in r]
    check(rc == 0 and recs[0]["snaplen"] == 60 and len(pkts) == 5,
          "-s 60 -c 5: ends by itself with 5 records (status %r)" % rc)
    cut = [r for r in pkts if r["length"] > 60]
    check(cut and all(r.get("truncated") is True for r in cut) and
          not any("truncated" in r for r in pkts if r["length"] <= 60) and
          recs[-1]["truncated"] == len(cut) and recs[-1]["final"],
          "%d records longer than 60 bytes marked truncated" % len(cut))
    done()


main()
