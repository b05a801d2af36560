#!/usr/bin/python3
# Security: a server that wants a user and password, one that wants a
# token, one that wants TLS with client certificates.  Refused, tsa-nats
# says so in one line and exits 1; with the right credentials (flags or
# settings.ini) the records go through.  A password given on the command
# line does not reach the header's tool history.
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403

need_server()
a = packets(300, "site1")
data = stream("site1", a)


def attempt(url, *args, settings=None):
    """pub then sub --since all --ends 1: (pub status, pub stderr, sub status, records)."""
    env = dict(os.environ)
    if settings:
        env["TSA_SETTINGS"] = settings_file(settings)
    p = subprocess.run([TOOL, "pub", "-s", url, "tsa.site1"] + list(args), input=data,
                       capture_output=True, env=env, timeout=30 * SLOW)
    if p.returncode:
        return p.returncode, p.stderr.decode(), None, None
    s = subprocess.run([TOOL, "sub", "-s", url, "--since", "all", "--ends", "1",
                        "tsa.site1"] + list(args), capture_output=True, env=env,
                       timeout=30 * SLOW)
    hdr, recs, end = tsatest.read(s.stdout) if s.stdout else (None, [], None)
    return p.returncode, p.stderr.decode(), s.returncode, (hdr, recs)


def refused(what, res, words):
    rc, err, _, _ = res
    same("%s: exit status" % what, rc, 1)
    lines = err.strip().splitlines()
    same("%s: one line" % what, len(lines), 1)
    check(any(w in err for w in words), "%s: it says why: %s" % (what, err.strip()))


# Nobody there.
port = free_port()
refused("no server", attempt("nats://127.0.0.1:%d" % port), ["no server answers"])

# User and password.
srv = Server("pw", ["--user", "alice", "--pass", "s3cret"]).start()
refused("no credentials", attempt(srv.url), ["Authorization", "authorization"])
refused("a wrong password", attempt(srv.url, "--user", "alice", "--password", "nope"),
        ["Authorization", "authorization"])
rc, err, src, (hdr, recs) = attempt(srv.url, "--user", "alice", "--password", "s3cret")
same("user and password: pub and sub exit status", (rc, src), (0, 0))
same("... the records", by_sensor(recs).get("site1"), a)
tools = sensors_of(hdr, recs)[0]["header"]["tools"][-1]
check("s3cret" not in tools and "***" in tools,
      "the password is not in the tool history: %s" % tools)
srv.stop()

# A token, from settings.ini.
srv = Server("tok", ["--auth", "t0ken-xyz"]).start()
refused("a wrong token", attempt(srv.url, settings="[nats]\nToken = wrong\n"),
        ["Authorization", "authorization"])
rc, err, src, (hdr, recs) = attempt(srv.url, settings="[nats]\nToken = t0ken-xyz\n")
same("token from settings.ini: exit status", (rc, src), (0, 0))
same("... the records", by_sensor(recs).get("site1"), a)
srv.stop()

# TLS, the server verifying client certificates.
P = make_pki(os.path.join(TMP, "pki"))
srv = Server("tls", ["--tlsverify", "--tlscert", P("server.pem"), "--tlskey", P("server.key"),
                     "--tlscacert", P("ca.pem")]).start()
refused("TLS, without the CA", attempt(srv.url), ["unable to get local issuer certificate"])
refused("TLS without a client certificate", attempt(srv.url, "--tls-ca", P("ca.pem")),
        ["client certificate"])
rc, err, src, (hdr, recs) = attempt(srv.url, settings="[nats]\nTlsCa = %s\nTlsCert = %s\n"
                                    "TlsKey = %s\n" % (P("ca.pem"), P("client.pem"),
                                                       P("client.key")))
same("TLS with a client certificate (settings.ini): exit status", (rc, src), (0, 0))
same("... the records", by_sensor(recs).get("site1"), a)
srv.stop()
finish()
