#!/usr/bin/python3
# Expressions that must be refused: one line naming the column where the
# problem is, status 1, nothing written.  Includes the type checks for the
# documented fields and the glob pattern check.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filterlib import fail, finish, ip, run, stream

data, _ = stream([{"protocol": "tcp", "dst_port": 443,
                   "src_addr": ip("10.0.0.1")}])

cases = [
    ("protocol ==", 12, "expected a value after '=='"),
    ("protocol == and dst_port == 1", 13, "expected a value after '=='"),
    ("protocol = tcp", 10, "'=' is not an operator (did you mean '=='?)"),
    ("dst_port", 9, "expected an operator after 'dst_port', found the end "
     "of the expression"),
    ("dst_port 443", 10, "expected an operator after 'dst_port', found "
     "'443'"),
    ("dst_port == 443 tcp", 17, "expected 'and', 'or' or the end of the "
     "expression, found 'tcp'"),
    ("(dst_port == 1", 15, "expected ')' to close the '(' at column 1, "
     "found the end of the expression"),
    ("dst_port == 1)", 14, "')' without a matching '('"),
    ("", 1, "the expression is empty"),
    ("   ", 1, "the expression is empty"),
    ("and", 1, "expected a field name, 'has', 'not' or '(', found 'and'"),
    ("dst_port == 1 and", 18, "expected a field name, 'has', 'not' or '(' "
     "after 'and', found the end of the expression"),
    ("not", 4, "expected a field name, 'has', 'not' or '(' after 'not', "
     "found the end of the expression"),
    ("()", 2, "expected a field name, 'has', 'not' or '(' after '(', found "
     "')'"),
    ("10.0.0.1 == src_addr", 1, "expected a field name, 'has', 'not' or "
     "'(', found '10.0.0.1'"),
    ("has 1x", 5, "expected a field name after 'has', found '1x'"),
    ("x in [1,", 9, "expected a value after ','"),
    ("x in []", 7, "expected a value after '['"),
    ("x in [1 2]", 9, "expected ',' or ']' in the list opened at column 6, "
     "found '2'"),
    ("x < [1]", 5, "'<' takes one value, not a list"),
    ('x == "abc', 6, 'string has no closing "'),
    ("x == 'abc", 6, "string has no closing '"),
    ("a & b", 3, "'&' is not an operator (did you mean '&&' or 'and'?)"),
    ("a == 1 | b == 2", 8, "'|' is not an operator (did you mean '||' or "
     "'or'?)"),
    # types of the documented fields
    ("dst_port == http", 13, "'http' is not a number (dst_port holds "
     "numbers)"),
    ('dst_port == "443"', 13, "'\"443\"' is not a number (dst_port holds "
     "numbers)"),
    ("dst_port in [80, http]", 18, "'http' is not a number (dst_port holds "
     "numbers)"),
    ("src_addr in 10.0.0.300/8", 13, "'10.0.0.300/8' is not an address or "
     "CIDR block (src_addr holds addresses)"),
    ("dst_addr == 10.0.0.0/33", 13, "'10.0.0.0/33' is not an address or "
     "CIDR block (dst_addr holds addresses)"),
    ("dns_resp_ips in 2001:db8::/129", 17, "'2001:db8::/129' is not an "
     "address or CIDR block (dns_resp_ips holds addresses)"),
    ("my_addrs == example.com", 13, "'example.com' is not an address or "
     "CIDR block (my_addrs holds addresses)"),
    ("src_addr < 1.2.3.4", 10, "'<' does not apply to addresses"),
    ("truncated > false", 11, "'>' does not apply to true or false"),
    ("truncated == yes", 14, "'yes' is not true or false"),
    ("src_country == 12", 16, "'12' is not text: quote it (src_country "
     "holds text)"),
    ("timestamp > yesterday", 13, "'yesterday' is not an RFC 3339 time or "
     "a number of seconds (timestamp holds times)"),
    ("timestamp > 2024-02-30", 13, "'2024-02-30' is not an RFC 3339 time or "
     "a number of seconds (timestamp holds times)"),
    ("timestamp > 2023-02-29", 13, "'2023-02-29' is not an RFC 3339 time "
     "or a number of seconds (timestamp holds times)"),
    ("timestamp > 2024-01-01T24:00:00Z", 13, "'2024-01-01T24:00:00Z' is not "
     "an RFC 3339 time or a number of seconds (timestamp holds times)"),
    ("timestamp > 2024-01-01T10:00:00+0100", 13, "'2024-01-01T10:00:00+0100' "
     "is not an RFC 3339 time or a number of seconds (timestamp holds "
     "times)"),
    ("tcp_headers == 1", 13, "'tcp_headers' holds raw bytes: only 'has' "
     "applies"),
    ("dst_port ~ 4*", 10, "'~' matches text, and dst_port holds numbers"),
    ("user_tag ~ 5", 12, "'~' matches text: quote '5'"),
    ('tls_sni ~ "[a"', 11, "unclosed '[' in the pattern after '~'"),
    ("type == stats", 1, "records with 'type' (stats, snapshots, alerts) "
     "are not filtered: they always pass"),
    ("a == 1 and " + "(" * 101 + "a == 1" + ")" * 101, 112,
     "parentheses nested too deeply"),
]
many = " and ".join(f"k{i} == 1" for i in range(64))
cases.append((many, many.index("k63") + 1, "more than 63 different fields"))

for expr, col, msg in cases:
    rc, out, err = run([expr], data)
    want = f"tsa-filter: expression, column {col}: {msg}\n"
    if rc != 1 or out or err != want:
        fail(f"{expr[:40]!r}: status {rc}, {len(out)} bytes out, stderr "
             f"{err!r}; expected {want!r}")
    else:
        print(f"ok {expr[:40]!r}")

finish()
