#!/usr/bin/env python3
"""Differential check of request framing: Portcullis's RequestParser against h11 (pip install h11).

For every input of the request-parser corpus (and any extra folders given), both parsers read the
bytes as a server would (pipelined requests answered in turn, no EOF) and report the complete
messages with their body lengths and whether they rejected. Every input where they disagree on
accept/reject or on a body length is listed, grouped by the two verdicts.

    fuzz/tools/h11_differential.py [folder...]        (default: fuzz/corpus/request-parser)

Portcullis's side comes from the fuzz binary (fuzz/run.sh build) in PORTCULLIS_FUZZ_DESCRIBE mode.
"""
import collections, json, os, subprocess, sys
import h11

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, ".build", "fuzz", "portcullis-fuzz")

def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return format(h, "x")

def portcullis(paths):
    """Framing of each file by the fuzz binary, matched to the file by the FNV-1a hash it prints."""
    env = dict(os.environ, PORTCULLIS_FUZZ_TARGET="request-parser", PORTCULLIS_FUZZ_DESCRIBE="1",
               ASAN_OPTIONS="detect_leaks=0")
    by_hash = {}
    for i in range(0, len(paths), 500):
        run = subprocess.run([BIN] + paths[i:i + 500], env=env, capture_output=True, text=True, errors="replace")
        for line in run.stdout.split("\n"):
            if line.startswith("{"):
                result = json.loads(line)
                by_hash[result["fnv"]] = result
    return [by_hash[fnv(open(p, "rb").read())] for p in paths]

def h11_framing(data):
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(data)
    messages, method, body, open_ = [], None, 0, False
    try:
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                return {"messages": messages, "error": None, "partial": open_ or conn.trailing_data[0] != b""}
            if event is h11.PAUSED:
                # A 404 (not 200/101): a CONNECT or Upgrade is refused, so h11 keeps reading HTTP/1.1.
                conn.send(h11.Response(status_code=404, headers=[("Content-Length", "0")]))
                conn.send(h11.EndOfMessage())
                if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                    return {"messages": messages, "error": None, "partial": conn.trailing_data[0] != b"", "closed": True}
                conn.start_next_cycle()
                continue
            if isinstance(event, h11.Request):
                method, body, open_ = event.method.decode("latin-1"), 0, True
            elif isinstance(event, h11.Data):
                body += len(event.data)
            elif isinstance(event, h11.EndOfMessage):
                messages.append({"method": method, "body": body}); open_ = False
            elif isinstance(event, h11.ConnectionClosed):
                return {"messages": messages, "error": None, "partial": False}
    except h11.RemoteProtocolError as e:
        if str(e) == "Got data when expecting EOF":   # after a non-keep-alive request: h11 closes
            return {"messages": messages, "error": None, "partial": False, "closed": True}
        return {"messages": messages, "error": str(e), "partial": open_}

def verdict(result, upto):
    return "reject" if result["error"] else ("accept" if len(result["messages"]) >= upto else "incomplete")

def main():
    folders = sys.argv[1:] or [os.path.join(ROOT, "fuzz", "corpus", "request-parser")]
    paths = sorted(os.path.join(f, n) for f in folders for n in os.listdir(f))
    ours = portcullis(paths)
    for p in ours:
        # The connection closes after a request that is not keep-alive: later bytes are never parsed.
        for i, m in enumerate(p["messages"]):
            if not m["keepAlive"]:
                if i + 1 < len(p["messages"]) or p["error"] or p["partial"]:
                    p["messages"], p["error"], p["partial"] = p["messages"][:i + 1], None, False
                break
    groups = collections.defaultdict(list)
    agree = 0
    for path, p in zip(paths, ours):
        data = open(path, "rb").read()
        h = h11_framing(data)
        # Compare message by message; after h11 closes (Connection: close / HTTP/1.0) it reads no
        # further requests, so only that many are compared.
        limit = len(h["messages"]) if h.get("closed") else None
        pm, hm = p["messages"][:limit], h["messages"]
        n = min(len(pm), len(hm))
        lengths = [(a["body"], b["body"]) for a, b in zip(pm[:n], hm[:n]) if a["body"] != b["body"]]
        if lengths:
            groups[("body length differs", "", "")].append((path, lengths))
            continue
        if len(pm) == len(hm) and bool(p["error"]) == bool(h["error"]) or (h.get("closed") and len(pm) >= len(hm)):
            agree += 1
            continue
        pv = f"portcullis {'rejects (' + p['error'] + ')' if p['error'] else 'accepts'} after {len(p['messages'])} message(s)"
        hv = f"h11 {'rejects (' + h['error'] + ')' if h['error'] else 'accepts'} after {len(h['messages'])} message(s)"
        if p["error"] and len(pm) <= len(hm):
            side = "portcullis stricter"
        elif not p["error"] and p["partial"] and len(pm) == len(hm):
            side = "portcullis still reading the head (rejects or times out when it ends)"
        else:
            side = "portcullis MORE LENIENT"
        groups[(side, p["error"] or "-", (h["error"] or "-")[:70])].append((path, None))
    print(f"{len(paths)} inputs: {agree} agree, {len(paths) - agree} differ")
    for (side, ours_, theirs), items in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
        example = os.path.relpath(items[0][0], ROOT)
        print(f"- {side}: {len(items)} | ours: {ours_} | h11: {theirs} | e.g. {example}")

if __name__ == "__main__":
    main()
