"""The tsa-nats tests' harness: real nats-server processes on 127.0.0.1
(random ports, temporary stores, killed at the end whatever happens), a
TCP proxy whose link can be cut, streams to publish, and the checks that
compare what subscribers wrote with what publishers read."""
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP") or tempfile.mkdtemp()
SLOW = 4 if "asan" in BIN else 1
TOOL = os.path.join(BIN, "tsa-nats")

_procs = []            # every process started here, killed at exit

# The verdicts are the harness's (tests/tsatest.py).
from tsatest import check, same, done as finish  # noqa: E402,F401


def _cleanup():
    for p in _procs:
        if p.poll() is None:
            try:
                p.kill()
                p.wait(5)
            except Exception:
                pass


atexit.register(_cleanup)
# A test killed by the runner's timeout (SIGTERM) takes its servers along.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))


TOP = os.environ.get("TSA_TOP", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             "..", ".."))
# The users of docs/nats/accounts.conf, with the passwords it takes from
# the environment.
SENSOR = ["--user", "sensor", "--password", "sensor-pw"]
COLLECTOR = ["--user", "collector", "--password", "collector-pw"]
os.environ["TSA_SENSOR_PASSWORD"] = "sensor-pw"
os.environ["TSA_COLLECTOR_PASSWORD"] = "collector-pw"
# (nats-server includes files from the configuration's own directory.)
shutil.copy(os.path.join(TOP, "docs", "nats", "accounts.conf"), TMP)
ACCOUNTS = 'include "accounts.conf"'


def need_server():
    if not shutil.which("nats-server"):
        print("no nats-server (scripts/setup installs it)")
        sys.exit(77)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def spawn(argv, **kw):
    p = subprocess.Popen(argv, **kw)
    _procs.append(p)
    return p


class Server:
    """One nats-server with JetStream on 127.0.0.1.  Restarted on the same
    port and store, it recovers its streams (file storage)."""

    def __init__(self, name="s", args=(), cluster=None, conf=""):
        self.name = name
        self.port = free_port()
        self.mport = free_port()
        self.store = tempfile.mkdtemp(dir=TMP, prefix="store-%s-" % name)
        self.args = list(args)
        self.cluster = cluster      # (cluster port, [route ports]) or None
        self.conf = conf            # more configuration (cluster only)
        self.proc = None
        self.log = os.path.join(TMP, "server-%s.log" % name)

    @property
    def url(self):
        return "nats://127.0.0.1:%d" % self.port

    def _conf(self):
        path = os.path.join(TMP, "server-%s.conf" % self.name)
        cport, routes = self.cluster
        with open(path, "w") as f:
            f.write("server_name: %s\nlisten: 127.0.0.1:%d\nhttp: 127.0.0.1:%d\n"
                    "jetstream { store_dir: %s }\n"
                    "cluster { name: tsa\n listen: 127.0.0.1:%d\n routes: [%s] }\n%s\n"
                    % (self.name, self.port, self.mport, json.dumps(self.store),
                       cport, ", ".join("nats-route://127.0.0.1:%d" % r
                                        for r in routes), self.conf))
        return path

    def start(self, wait=True):
        if self.cluster:
            argv = ["nats-server", "-c", self._conf()]
        else:
            argv = ["nats-server", "-a", "127.0.0.1", "-p", str(self.port),
                    "-m", str(self.mport), "-js", "-sd", self.store,
                    "-n", self.name]
        self.proc = spawn(argv + self.args, stdout=open(self.log, "a"),
                          stderr=subprocess.STDOUT)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, limit=20):
        end = time.time() + limit
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("nats-server %s exited: see %s" % (self.name, self.log))
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % self.mport,
                                            timeout=1) as r:
                    if r.status == 200:
                        return
            except Exception:
                pass
            time.sleep(0.05)
        raise RuntimeError("nats-server %s not ready in %ds" % (self.name, limit))

    def varz(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/varz" % self.mport, timeout=2) as r:
            return json.loads(r.read())

    def jsz(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/jsz?streams=true&consumers=true"
                                    % self.mport, timeout=2) as r:
            return json.loads(r.read())

    def kill9(self):
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill9()


def cluster(n=3, conf=""):
    """n servers routed to each other on 127.0.0.1, started and ready."""
    cports = [free_port() for _ in range(n)]
    servers = [Server("n%d" % (i + 1), cluster=(cports[i], [p for j, p in enumerate(cports)
                                                          if j != i]), conf=conf)
               for i in range(n)]
    for s in servers:
        s.start(wait=False)
    for s in servers:
        s.wait_ready(30)
    return servers


class Proxy:
    """A TCP forwarder from a local port to a server, whose link can be cut:
    cut() closes every connection and refuses new ones until mend()."""

    def __init__(self, port):
        self.target = port
        self.lsock = socket.socket()
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", 0))
        self.port = self.lsock.getsockname()[1]
        self.lsock.listen(16)
        self.up = True
        self.conns = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self):
        return "nats://127.0.0.1:%d" % self.port

    def _pipe(self, a, b):
        try:
            while True:
                d = a.recv(1 << 16)
                if not d:
                    break
                b.sendall(d)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _accept(self):
        while True:
            try:
                c, _ = self.lsock.accept()
            except OSError:
                return
            if not self.up:
                c.close()
                continue
            try:
                s = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                c.close()
                continue
            with self.lock:
                self.conns += [c, s]
            threading.Thread(target=self._pipe, args=(c, s), daemon=True).start()
            threading.Thread(target=self._pipe, args=(s, c), daemon=True).start()

    def cut(self):
        self.up = False
        with self.lock:
            for s in self.conns:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self.conns = []

    def mend(self):
        self.up = True


def raw_publish(url, subject, payload, headers=None):
    """Publish one message with the bare NATS protocol: someone else's
    client, not tsa-nats."""
    host, port = url.rsplit("/", 1)[1].split(":")
    s = socket.create_connection((host, int(port)))
    f = s.makefile("rb")
    f.readline()                                    # INFO
    s.sendall(b'CONNECT {"verbose":false,"headers":true}\r\n')
    if headers:
        h = b"NATS/1.0\r\n" + b"".join(b"%s: %s\r\n" % (k.encode(), v.encode())
                                       for k, v in headers.items()) + b"\r\n"
        s.sendall(b"HPUB %s %d %d\r\n" % (subject.encode(), len(h), len(h) + len(payload))
                  + h + payload + b"\r\n")
    else:
        s.sendall(b"PUB %s %d\r\n" % (subject.encode(), len(payload)) + payload + b"\r\n")
    s.sendall(b"PING\r\n")
    while f.readline().strip() != b"PONG":
        pass
    s.close()


# ---- streams ----

def packets(n, sensor, start=1709294400):
    """n packet records, each different (key "n" numbers them): what a
    sensor's tsa-capture would write, as far as tsa-nats cares."""
    recs = []
    for i in range(n):
        t = start + i // 100
        recs.append({"timestamp": msgpack.Timestamp(t, (i % 100) * 10000000),
                     "length": 60 + i % 1400, "ip_version": 4,
                     "src_addr": bytes([10, 0, (i >> 8) & 255, i & 255]),
                     "dst_addr": bytes([192, 0, 2, i % 250 + 1]),
                     "protocol": "tcp", "ttl": 64, "src_port": 1024 + i % 60000,
                     "dst_port": 443, "application_type": "tls",
                     "tls_sni": "%s-%d.example.net" % (sensor, i), "n": i})
    return recs


def header(sensor, kind="packets", **more):
    h = {"tsa": 1, "kind": kind, "source": "%s.pcap" % sensor,
         "tools": [["tsa-capture", "-r", "%s.pcap" % sensor]]}
    h.update(more)
    return h


def stream(sensor, recs, end=True, **more):
    return tsatest.pack(header(sensor, **more), recs, end=end)


def settings_file(text=""):
    path = tempfile.mktemp(dir=TMP, suffix=".ini")
    with open(path, "w") as f:
        f.write(text)
    return path


# ---- the tool ----

def pub(url, subject, *args, stdin=subprocess.PIPE, **kw):
    return spawn([TOOL, "pub", "-s", url, subject] + list(args), stdin=stdin,
                 stdout=subprocess.DEVNULL,
                 stderr=open(os.path.join(TMP, "pub-%s.err" % subject), "a"), **kw)


def sub(url, subjects, *args, out=None, name="sub"):
    """A subscriber writing to a file (TMP/NAME.tsa); returns (proc, path)."""
    path = out or os.path.join(TMP, name + ".tsa")
    p = spawn([TOOL, "sub", "-s", url] + list(args) + list(subjects),
              stdout=open(path, "wb"), stderr=open(path + ".err", "w"))
    return p, path


def feed(proc, data, chunk=1 << 16, pause=0.0, gate=None):
    """Write data into proc's stdin in chunks, pausing between them, in a
    thread; then close it.  With gate (bytes), it writes up to there and
    waits until the test moves state["gate"] on (to len(data) at the end):
    a test steps a run through its failures whatever the machine's speed."""
    state = {"sent": 0, "done": False, "gate": len(data) if gate is None else gate}

    def run():
        try:
            while state["sent"] < len(data):
                if state["sent"] >= state["gate"]:
                    time.sleep(0.005)
                    continue
                n = min(chunk, len(data) - state["sent"], state["gate"] - state["sent"])
                proc.stdin.write(data[state["sent"]:state["sent"] + n])
                proc.stdin.flush()
                state["sent"] += n
                if pause:
                    time.sleep(pause)
            proc.stdin.close()
        except (BrokenPipeError, ValueError):
            pass
        state["done"] = True

    threading.Thread(target=run, daemon=True).start()
    return state


def reach(state, n):
    """Open the gate to n bytes and wait until the feeder has written them."""
    state["gate"] = max(state["gate"], n)
    while state["sent"] < min(n, state["gate"]) and not state["done"]:
        time.sleep(0.005)


def wait(proc, limit, what):
    try:
        rc = proc.wait(limit * SLOW)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        check(False, "%s ended within %ds" % (what, limit * SLOW))
        return None
    return rc


def read_out(path):
    with open(path, "rb") as f:
        return tsatest.read(f.read())


def by_sensor(recs):
    """The records of a sub's output per sensor, without the key sub added
    and without its sensor and sensor_end records."""
    out = {}
    for r in recs:
        if r.get("type") in ("sensor", "sensor_end"):
            continue
        r = dict(r)
        out.setdefault(r.pop("sensor"), []).append(r)
    return out


def sensors_of(header, recs):
    """Every run the output announced: its header's list and sensor records."""
    runs = list(header.get("sensors", []))
    runs += [{k: v for k, v in r.items() if k != "type"} for r in recs
             if r.get("type") == "sensor"]
    return runs


def ends_of(recs):
    return [r for r in recs if r.get("type") == "sensor_end"]


def err_text(path):
    with open(path + ".err") as f:
        return f.read()


def wire(sensor, run, seq, kind, header_seq=None, msg_id=True, part=None):
    """The NATS headers of message seq of a publisher's run, as tsa-nats pub
    sets them (tsa-nats/wire.h), for tests that make runs by hand."""
    h = {"Tsa-Sensor": sensor, "Tsa-Run": run, "Tsa-Seq": str(seq), "Tsa-Type": kind}
    if msg_id:
        h["Nats-Msg-Id"] = "%s-%d" % (run, seq)
    if header_seq is not None:
        h["Tsa-Header"] = str(header_seq)
    if part:
        h["Tsa-Part"] = "%d/%d" % part
    return h


def make_pki(d):
    """A CA, a server certificate for 127.0.0.1 and a client certificate,
    in directory d; returns P(name) -> path (ca.pem, server.pem, server.key,
    client.pem, client.key)."""
    os.makedirs(d, exist_ok=True)

    def openssl(*args):
        subprocess.run(["openssl"] + list(args), cwd=d, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=tsa test CA")
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth"),
                      ("client", "extendedKeyUsage=clientAuth")):
        with open(os.path.join(d, name + ".ext"), "w") as f:
            f.write(ext + "\n")
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name)
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2",
                "-extfile", name + ".ext")
    return lambda n: os.path.join(d, n)
