#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ from the repository's own test inputs
(the HTTP messages and smuggling payloads of the HTTP1/Gateway tests, the paths of the Policy
tests, the JOSE fixture tokens and JWKS, the configuration examples) plus a few hand-written
classics. Seeds are named seed-<sha1 prefix>; re-running adds what is missing.

    python3 fuzz/tools/make_seeds.py
"""
import glob, hashlib, json, os, re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

def swift_literals(paths):
    """Every Swift string literal ("..." and #"..."#) in the files, unescaped, as bytes."""
    out = []
    for path in paths:
        text = open(path, encoding="utf-8").read()
        for m in re.finditer(r'#"(.*?)"#', text):
            out.append(m.group(1).encode())
        for m in re.finditer(r'(?<![#\\])"((?:[^"\\\n]|\\.)*)"', text):
            out.append(unescape(m.group(1)))
    return out

def unescape(s):
    res = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            simple = {"r": b"\r", "n": b"\n", "t": b"\t", "0": b"\0", "\\": b"\\", '"': b'"', "'": b"'"}
            if n in simple:
                res += simple[n]; i += 2; continue
            if n == "u" and s[i + 2:i + 3] == "{":
                end = s.index("}", i)
                res += chr(int(s[i + 3:end], 16)).encode("utf-8", "surrogatepass"); i = end + 1; continue
            if n == "(":
                res += b"x"; depth = 0; i += 1
                while i < len(s):
                    depth += s[i] == "("; depth -= s[i] == ")"; i += 1
                    if depth == 0: break
                continue
        res += c.encode()
        i += 1
    return bytes(res)

def write(target, items):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    n = 0
    for item in set(items):
        if isinstance(item, str): item = item.encode()
        if not item or len(item) > 8192: continue
        name = os.path.join(d, "seed-" + hashlib.sha1(item).hexdigest()[:16])
        if not os.path.exists(name):
            open(name, "wb").write(item); n += 1
    print(f"{target}: {n} new, {len(os.listdir(d))} total")

http_tests = glob.glob(f"{ROOT}/Tests/HTTP1Tests/*.swift") + glob.glob(f"{ROOT}/Tests/GatewayTests/**/*.swift", recursive=True)
lits = swift_literals(http_tests)
METHODS = (b"GET ", b"POST ", b"PUT ", b"HEAD ", b"DELETE ", b"OPTIONS ", b"PATCH ", b"CONNECT ", b"TRACE ", b"get ")
requests = [l for l in lits if l.startswith(METHODS) and b"HTTP/" in l]
requests += [
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-encoding: identity\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello",
    b"POST / HTTP/1.1\r\nHost: a\r\nContent_Length: 5\r\n\r\nhello",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n",
    b"GET / HTTP/1.1\r\nHost: a\r\n X-Folded: yes\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
    b"GET / HTTP/1.1\nHost: a\n\n",
    b"GET / HTTP/1.0\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
    b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nPOST /3 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi",
    b"GET /\x00 HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n",
]
write("request-parser", requests)

responses = [l for l in swift_literals(glob.glob(f"{ROOT}/Tests/HTTP1Tests/*.swift") + glob.glob(f"{ROOT}/Tests/GatewayTests/**/*.swift", recursive=True)) if l.startswith(b"HTTP/")]
responses += [
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\n\r\nuntil close",
    b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
    b"HTTP/1.1 304 Not Modified\r\n\r\n",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    b"HEAD\nHTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n",
    b"HEAD\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx",
    b"HTTP/1.1 999 Weird\r\n\r\n",
    b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
]
write("response-parser", responses)

write("chunked-decoder", [
    b"0\r\n\r\n", b"5\r\nhello\r\n0\r\n\r\n", b"5;a=b;c=\"d\"\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
    b"A\r\n0123456789\r\n1\r\nx\r\n0\r\n\r\n", b"5\r\nhelloXX0\r\n\r\n", b"-1\r\n", b"0x5\r\nhello\r\n0\r\n\r\n",
    b" 5\r\nhello\r\n0\r\n\r\n", b"5 \r\nhello\r\n0\r\n\r\n", b"ffffffffffffffff0\r\n", b"5\nhello\n0\n\n",
    b"0\r\nTrailer: a\r\n folded\r\n\r\n", b"0\r\nContent-Length: 5\r\n\r\n",
])

fields = [b"Host: a", b"Content-Length: 5", b"Transfer-Encoding: chunked", b"X-Empty:", b"X:  padded  ",
          b"Name : value", b" folded: x", b"Bad\x00Name: v", b"X: a\x7fb", b"X: tab\there", b"X: caf\xc3\xa9",
          b"X: \xff\xfe", b":novalue", b"NoColon", b"Authorization: Bearer abc.def.ghi", b"X: a\rb", b"Transfer_Encoding: chunked"]
for r in requests:
    fields += [line for line in r.split(b"\r\n")[1:] if b":" in line][:3]
write("field-line", fields)

paths = [l for l in swift_literals(glob.glob(f"{ROOT}/Tests/PolicyTests/*.swift") + glob.glob(f"{ROOT}/Tests/GatewayTests/AuthPath*.swift"))
         if l.startswith(b"/") and len(l) < 400]
paths += [b"/", b"/v1/public/a/../b", b"/v1/port-calls/42", b"/v1/port-calls/42;jsessionid=1", b"/v1/vessels/x/crew",
          b"/v1/admin/%2e%2e/public", b"/v1/a.b/c-d/9/e", b"/static/", b"/static", b"/v1/public?x=1", b"/%41%42?q",
          b"/v1//public///a", b"/v1/port-calls/..;/admin", b"/a/%252e%252e/b", b"/a/%C0%AE%C0%AE/b", b"/a\\b"]
write("path-route", paths)

fixtures = json.load(open(f"{ROOT}/Tests/JOSETests/Fixtures/fixtures.json"))
tokens = [t["token"].encode() for t in fixtures["tokens"]]
write("jose-token", tokens)
write("bearer", [b"Bearer " + t for t in tokens[:10]] + [b"Bearer abc", b"bearer abc==", b"Bearer  abc", b"Bearer\tabc",
      b"Basic dXNlcjpwYXNz", b"Bearer", b"Bearer ", b"", b"   ", b"Bearer a b", b"Bearer a,b", b"BEARER x~+/==", b"Bearer =",
      b"Bearer abc=d", b" Bearer abc ", b"Bearer\x00abc"])

jwks_docs = [json.dumps(i["jwks"]).encode() for i in fixtures["issuers"]]
for i in fixtures["issuers"]:
    for k in i["jwks"]["keys"]:
        jwks_docs.append(json.dumps({"keys": [k]}).encode())
        bad = dict(k); bad["use"] = "enc"; jwks_docs.append(json.dumps({"keys": [bad]}).encode())
jwks_docs += [b'{"keys":[]}', b'{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}', b'{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}',
              b'{"keys":{}}', b'[]', b'{"keys":[1,"a",null]}', b'{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}']
write("jwks", jwks_docs)

import base64
def b64d(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
json_docs = [b'{}', b'[]', b'"\\ud83d\\ude00"', b'{"a":[1,-2.5e3,true,null,{"b":"\\u00e9"}]}', b'{"a":1,"a":2}', b'[1e400]',
             b'{"iss":"a","i\\u0073s":"b"}', b'0', b'-0', b'1.0e+2', b'"\\ud800"', b'[' * 20 + b']' * 20, b'\xef\xbb\xbf{}']
for t in fixtures["tokens"][:40]:
    parts = t["token"].split(".")
    for p in parts[:2]:
        try: json_docs.append(b64d(p))
        except Exception: pass
write("json", json_docs + jwks_docs[:3])

configs = [open(f, "rb").read() for f in glob.glob(f"{ROOT}/config/*.json")]
configs += [l for l in swift_literals(glob.glob(f"{ROOT}/Tests/ConfigTests/*.swift")) if l.lstrip().startswith(b"{") and b"listen" in l]
write("config", configs)
