#!/usr/bin/env python3
"""Issue #10 fault 3, measured black-box: one client pipelines requests to a route the gateway
answers itself (e.g. 401 without a token) and never reads the answers, while a second client makes
normal requests. Prints the gateway's RSS before, at its peak and after, how much the flooding
client could send, and the second client's results.

  loadtest/tools/pipelined_flood.py --port 8080 --pid $(pgrep -f 'portcullis serve') --megabytes 100
"""
import argparse, json, os, socket, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idle_connections import rss_kib  # one RSS reader for the tools


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--path", default="/v1/port-calls/1")
    ap.add_argument("--megabytes", type=int, default=100)
    ap.add_argument("--stall-seconds", type=float, default=3.0, help="give up once sending has stalled this long")
    a = ap.parse_args()

    before = rss_kib(a.pid)
    peak = [before]
    stop = threading.Event()
    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_kib(a.pid)); time.sleep(0.05)
    threading.Thread(target=sample, daemon=True).start()

    normal = {"ok": 0, "failed": 0, "max_ms": 0.0}
    def other_client():
        while not stop.is_set():
            t = time.time()
            try:
                c = socket.create_connection(("127.0.0.1", a.port), timeout=5)
                c.sendall(f"GET {a.path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".encode())
                data = b""
                while True:
                    x = c.recv(65536)
                    if not x: break
                    data += x
                c.close()
                normal["ok" if data.startswith(b"HTTP/1.1 ") else "failed"] += 1
                normal["max_ms"] = max(normal["max_ms"], (time.time() - t) * 1000)
            except OSError:
                normal["failed"] += 1
            time.sleep(0.05)
    threading.Thread(target=other_client, daemon=True).start()

    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", a.port))
    s.setblocking(False)
    batch = (f"GET {a.path} HTTP/1.1\r\nHost: a\r\n\r\n" * 1000).encode()
    target = a.megabytes << 20
    sent, last = 0, time.time()
    view = memoryview(batch); off = 0
    while sent < target and time.time() - last < a.stall_seconds:
        try:
            n = s.send(view[off:])
            sent += n; off = (off + n) % len(batch); last = time.time()
        except BlockingIOError:
            time.sleep(0.01)
    time.sleep(1)
    stop.set()
    print(json.dumps({"sent_bytes": sent, "target_bytes": target, "sender_stalled": sent < target,
                      "rss_before_kib": before, "rss_peak_kib": peak[0], "rss_after_kib": rss_kib(a.pid),
                      "rss_growth_mib": round((peak[0] - before) / 1024, 1), "other_client": normal}))
    s.close()

main()
