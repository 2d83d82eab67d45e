#!/usr/bin/env python3
"""Hold N idle keep-alive connections to a gateway and report its resident memory.

Each connection first completes one request (so it is a real keep-alive client, not a bare TCP
connect), then stays open and silent. RSS of the gateway process is read from /proc/PID/status
at each step. Used for the "10,000 idle connections under 100 MiB" figure in BENCHMARKS.md:

    loadtest/tools/idle_connections.py --pid $(pgrep -f 'portcullis serve') \
        --port 8080 --path /v1/status --steps 0,1000,10000
"""
import argparse, resource, socket, ssl, time

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="/v1/status")
    ap.add_argument("--steps", default="0,1000,10000")
    ap.add_argument("--settle", type=float, default=2.0, help="seconds to wait before reading RSS")
    ap.add_argument("--tls", action="store_true", help="connect with TLS (certificate not checked: a local test gateway)")
    ap.add_argument("--hold", type=float, default=0, help="then keep the last step's count of idle connections open for this many seconds, reopening those the gateway closes (idle timeout) every 10 s")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    request = f"GET {a.path} HTTP/1.1\r\nHost: {a.host}\r\n\r\n".encode()
    held = []
    context = None
    if a.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    print("connections,rss_kib,rss_mib")
    def fill(target):
        while len(held) < target:
            s = socket.create_connection((a.host, a.port))
            if context: s = context.wrap_socket(s, server_hostname=a.host)
            s.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    raise SystemExit(f"connection {len(held)} closed before answering")
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                body += s.recv(65536)
            held.append(s)
    target = 0
    for target in [int(s) for s in a.steps.split(",")]:
        fill(target)
        time.sleep(a.settle)
        kib = rss_kib(a.pid)
        print(f"{len(held)},{kib},{kib / 1024:.1f}", flush=True)
    end = time.time() + a.hold
    while time.time() < end:
        time.sleep(min(10, max(0, end - time.time())))
        alive = []
        for s in held:
            s.setblocking(False)   # an SSLSocket takes no recv flags (MSG_DONTWAIT)
            try:
                closed = s.recv(1) == b""
            except (BlockingIOError, ssl.SSLWantReadError):
                closed = False
            except OSError:
                closed = True
            s.setblocking(True)
            if closed: s.close()
            else: alive.append(s)
        held[:] = alive
        fill(target)
    for s in held:
        s.close()

if __name__ == "__main__":
    main()
