#!/usr/bin/env python3
"""Upload and download SIZE bytes through a portcullis gateway over TLS and check both hashes.

Self-contained: makes a throw-away P-256 certificate (openssl CLI), starts a hashing upstream on
127.0.0.1 (this process, one thread per connection), writes a configuration (two public routes,
access log off, limits.max_body_bytes = SIZE), starts `portcullis serve` on it, then on one TLS
keep-alive connection (Python's ssl):

  upload    POST /upload with Content-Length: SIZE; the upstream answers the SHA-256 it hashed
  download  GET /download/SIZE; the client hashes what arrives

Both hashes must equal the hash of what was sent. The gateway's peak resident memory (VmHWM in
/proc/PID/status) is read after start-up and a warm-up request, and after each transfer: it must not
grow with SIZE (backpressure: at most 256 KiB queued per side). The full run for the figures:

    swift build -c release
    loadtest/tools/tls_bulk_transfer.py --portcullis .build/release/portcullis --size 1GiB --cpu 0

A smaller run is part of `swift test` (TLSBulkTransferTests). The throughput comparison with
nginx-tls (the 0.9x target) is tls_bulk_compare.sh; this tool is the pass/fail check with memory. Exit status 0 when both hashes match and
the peak-memory growth is at most --max-growth-mib (if given); prints one JSON object last.
"""
import argparse, hashlib, json, os, re, socket, ssl, subprocess, sys, tempfile, threading, time

BLOCK = hashlib.sha256(b"portcullis").digest() * (1 << 15)   # 1 MiB, not compressible by anything in the path


def pattern_sha256(size):
    h = hashlib.sha256()
    full, rest = divmod(size, len(BLOCK))
    for _ in range(full): h.update(BLOCK)
    h.update(BLOCK[:rest])
    return h.hexdigest()


def parse_size(text):
    m = re.fullmatch(r"(\d+)\s*([KMG]i?B?)?", text.strip(), re.I)
    if not m: raise argparse.ArgumentTypeError(f"not a size: {text}")
    unit = (m.group(2) or "").upper()[:1]
    return int(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[unit]


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"): return int(line.split()[1])
    return -1


class Upstream(threading.Thread):
    """HTTP/1.1 keep-alive server: POST /upload answers {"sha256", "bytes"} of the body it hashed;
    GET /download/N sends N bytes of the pattern."""
    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def run(self):
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    d = conn.recv(1 << 16)
                    if not d: return
                    buf += d
                head, _, buf = buf.partition(b"\r\n\r\n")
                lines = head.split(b"\r\n")
                method, target = lines[0].split(b" ")[:2]
                fields = {l.split(b":", 1)[0].strip().lower(): l.split(b":", 1)[1].strip() for l in lines[1:] if b":" in l}
                length = int(fields.get(b"content-length", b"0"))
                h, got = hashlib.sha256(), 0
                take = min(length, len(buf)); h.update(buf[:take]); got += take; buf = buf[take:]
                while got < length:
                    d = conn.recv(min(1 << 20, length - got))
                    if not d: return
                    h.update(d); got += len(d)
                if method == b"POST":
                    body = json.dumps({"sha256": h.hexdigest(), "bytes": got}).encode()
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                else:
                    n = int(target.rsplit(b"/", 1)[1]) if target.startswith(b"/download/") else 0
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n" % n)
                    full, rest = divmod(n, len(BLOCK))
                    for _ in range(full): conn.sendall(BLOCK)
                    conn.sendall(BLOCK[:rest])
        except OSError:
            return
        finally:
            conn.close()


class Client:
    def __init__(self, port):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.t = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=120), server_hostname="localhost")
        self.buf = b""

    def head(self):
        while b"\r\n\r\n" not in self.buf:
            d = self.t.recv(1 << 16)
            if not d: raise ConnectionError("closed before a response head")
            self.buf += d
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        fields = {l.split(b":", 1)[0].strip().lower(): l.split(b":", 1)[1].strip() for l in lines[1:]}
        return int(lines[0].split(b" ")[1]), int(fields.get(b"content-length", b"0"))

    def body(self, length, sink):
        take = min(length, len(self.buf)); sink(self.buf[:take]); self.buf = self.buf[take:]
        got = take
        while got < length:
            d = self.t.recv(min(1 << 20, length - got))
            if not d: raise ConnectionError("closed in a response body")
            sink(d); got += len(d)
        return got

    def upload(self, size):
        self.t.sendall(b"POST /upload HTTP/1.1\r\nHost: bulk\r\nContent-Length: %d\r\n\r\n" % size)
        full, rest = divmod(size, len(BLOCK))
        for _ in range(full): self.t.sendall(BLOCK)
        self.t.sendall(BLOCK[:rest])
        status, length = self.head()
        chunks = []
        self.body(length, chunks.append)
        return status, json.loads(b"".join(chunks) or b"{}")

    def download(self, size):
        self.t.sendall(b"GET /download/%d HTTP/1.1\r\nHost: bulk\r\n\r\n" % size)
        status, length = self.head()
        h = hashlib.sha256()
        got = self.body(length, h.update)
        return status, got, h.hexdigest()


def start_gateway(args, directory, upstream_port):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", key, "-out", cert], check=True, capture_output=True)
    config = {
        "listen": "127.0.0.1:0", "workers": 1,
        "upstreams": {"sink": {"targets": [f"http://127.0.0.1:{upstream_port}"]}},
        "routes": [{"path": "/upload", "upstream": "sink", "public": True},
                   {"path": "/download/{n}", "upstream": "sink", "public": True}],
        "limits": {"max_body_bytes": max(args.size, 1)},
        "access_log": {"enabled": False},
        "log": {"level": "info"},
        "tls": {"certificates": [{"certificate_file": cert, "private_key_file": key}]},
    }
    path = os.path.join(directory, "portcullis.json")
    with open(path, "w") as f: json.dump(config, f)
    command = ([ "taskset", "-c", args.cpu] if args.cpu is not None else []) + [args.portcullis, "serve", "--config", path]
    gateway = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = gateway.stderr.readline()
        if not line: break
        m = re.search(r'"msg":"gateway listening".*"listen":"127\.0\.0\.1:(\d+)"', line)
        if m:
            threading.Thread(target=lambda: [None for _ in gateway.stderr], daemon=True).start()   # keep draining
            return gateway, int(m.group(1))
    gateway.kill()
    raise SystemExit("the gateway did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--portcullis", required=True, help="the portcullis executable")
    ap.add_argument("--size", type=parse_size, default=1 << 30, help="bytes each way (e.g. 64MiB, 1GiB; default 1GiB)")
    ap.add_argument("--cpu", default=None, help="pin the gateway to this CPU (taskset -c)")
    ap.add_argument("--max-growth-mib", type=float, default=None, help="fail when VmHWM grows more than this over the warm-up")
    args = ap.parse_args()
    upstream = Upstream(); upstream.start()
    expected = pattern_sha256(args.size)
    with tempfile.TemporaryDirectory(prefix="tls-bulk-") as directory:
        gateway, port = start_gateway(args, directory, upstream.port)
        try:
            client = Client(port)
            status, _ = client.upload(1)                           # warm-up: handshake, pools, first buffers
            assert status == 200, f"warm-up answered {status}"
            result = {"size": args.size, "expected_sha256": expected,
                      "baseline_rss_kib": status_kib(gateway.pid, "VmRSS"), "baseline_hwm_kib": status_kib(gateway.pid, "VmHWM")}
            started = time.time()
            status, answer = client.upload(args.size)
            result.update(upload_status=status, upload_seconds=round(time.time() - started, 3), upload_bytes=answer.get("bytes"),
                          upload_sha256=answer.get("sha256"), upload_hwm_kib=status_kib(gateway.pid, "VmHWM"))
            started = time.time()
            status, got, digest = client.download(args.size)
            result.update(download_status=status, download_seconds=round(time.time() - started, 3), download_bytes=got,
                          download_sha256=digest, final_hwm_kib=status_kib(gateway.pid, "VmHWM"))
        finally:
            gateway.terminate()
            try: gateway.wait(10)
            except subprocess.TimeoutExpired: gateway.kill()
    result["upload_intact"] = result["upload_sha256"] == expected and result["upload_bytes"] == args.size
    result["download_intact"] = result["download_sha256"] == expected and result["download_bytes"] == args.size
    result["hwm_growth_mib"] = round((result["final_hwm_kib"] - result["baseline_hwm_kib"]) / 1024, 1)
    mib = args.size / (1 << 20)
    print(f"upload   {mib:.0f} MiB in {result['upload_seconds']} s, status {result['upload_status']}, "
          f"SHA-256 {'equal' if result['upload_intact'] else 'DIFFERENT'}", file=sys.stderr)
    print(f"download {mib:.0f} MiB in {result['download_seconds']} s, status {result['download_status']}, "
          f"SHA-256 {'equal' if result['download_intact'] else 'DIFFERENT'}", file=sys.stderr)
    print(f"gateway VmHWM {result['baseline_hwm_kib'] / 1024:.1f} MiB after warm-up, {result['upload_hwm_kib'] / 1024:.1f} after the "
          f"upload, {result['final_hwm_kib'] / 1024:.1f} after the download (+{result['hwm_growth_mib']} MiB)", file=sys.stderr)
    print(json.dumps(result))
    ok = result["upload_intact"] and result["download_intact"] and result["upload_status"] == 200 and result["download_status"] == 200
    if args.max_growth_mib is not None and result["hwm_growth_mib"] > args.max_growth_mib: ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
