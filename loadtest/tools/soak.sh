#!/usr/bin/env bash
# Soak test (issue #10): the release gateway under mixed traffic for DURATION seconds while faults are
# injected; RSS, open descriptors and threads are sampled every 10 s.
#
#   swift build -c release && DURATION=1800 loadtest/tools/soak.sh
#
# Traffic (loadtest, open loop): token route with valid / expired / bad-signature / wrong-scope
# tokens and requests without a token, a public route, and 100 KiB uploads; plus 2,000 idle
# keep-alive connections and slow-header clients. Two upstreams: "stable" (never touched) and
# "flaky" (killed and restarted). Faults, every FAULT_PERIOD seconds in turn: flaky upstream down
# for 10 s; JWKS endpoint (a separate `portcullis dev-issuer`) down for 10 s; key rotation at the
# issuer followed by a freshly minted token (unknown kid -> refetch); 200 slow-header clients.
#
# Pass criteria printed at the end: the gateway process never died, every 5xx is explained (only
# routes of the flaky upstream may see 502/503/504, and the stable routes none), RSS and descriptor
# count flat after warm-up (last sample vs the sample at WARMUP seconds).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-1800}
WARMUP=${WARMUP:-120}
FAULT_PERIOD=${FAULT_PERIOD:-60}
BIN=${BIN:-.build/release}
OUT=${OUT:-/tmp/portcullis-soak-$(date +%Y%m%d-%H%M%S)}
GW=${GW_PORT:-18380}; ADMIN=$((GW + 1)); ISSUER=$((GW + 10)); STABLE=$((GW + 20)); FLAKY=$((GW + 21))
mkdir -p "$OUT/keys" "$OUT/nginx-stable" "$OUT/nginx-flaky"
for b in portcullis loadtest; do [ -x "$BIN/$b" ] || { echo "build first: swift build -c release" >&2; exit 1; }; done
command -v nginx >/dev/null || { echo "needs nginx (apt-get install nginx)" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || true

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; stop_nginx stable; stop_nginx flaky; }
trap cleanup EXIT

nginx_conf() {  # $1 name, $2 port
    cat > "$OUT/nginx-$1/nginx.conf" <<EOF
worker_processes 1; pid $OUT/nginx-$1/nginx.pid; error_log $OUT/nginx-$1/error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $OUT/nginx-$1; client_max_body_size 1m;
  server { listen 127.0.0.1:$2; keepalive_requests 100000;
    location / { default_type application/json; return 200 '{"ok":true}'; } } }
EOF
}
start_nginx() { nginx -p "$OUT/nginx-$1" -c "$OUT/nginx-$1/nginx.conf"; }
stop_nginx() { [ -f "$OUT/nginx-$1/nginx.pid" ] && kill "$(cat "$OUT/nginx-$1/nginx.pid")" 2>/dev/null; rm -f "$OUT/nginx-$1/nginx.pid"; true; }
nginx_conf stable "$STABLE"; nginx_conf flaky "$FLAKY"
start_nginx stable; start_nginx flaky

cat > "$OUT/issuer.json" <<EOF
{ "listen": "127.0.0.1:$((GW + 30))", "upstreams": { "none": { "targets": ["http://127.0.0.1:9"] } },
  "routes": [ { "path": "/unused", "upstream": "none", "public": true } ],
  "dev_issuer": { "listen": "127.0.0.1:$ISSUER", "issuer": "http://127.0.0.1:$ISSUER", "audience": "soak",
    "keys_dir": "$OUT/keys", "access_token_ttl_seconds": 86400,
    "clients": [ { "client_id": "soak", "client_secret": "soak-secret", "grant_types": ["client_credentials"],
                   "scopes": ["read:port_calls", "write:port_calls", "read:vessels"] } ] } }
EOF
cat > "$OUT/gateway.json" <<EOF
{ "listen": "127.0.0.1:$GW", "workers": 1,
  "upstreams": { "stable": { "targets": ["http://127.0.0.1:$STABLE"] },
                 "flaky": { "targets": ["http://127.0.0.1:$FLAKY"] } },
  "routes": [
    { "name": "status", "methods": ["GET"], "path": "/v1/status", "upstream": "stable", "public": true },
    { "name": "read", "methods": ["GET"], "path": "/v1/port-calls/**", "upstream": "stable", "scopes": ["read:port_calls"] },
    { "name": "upload", "methods": ["POST"], "path": "/v1/port-calls/**", "upstream": "stable", "scopes": ["write:port_calls"] },
    { "name": "flaky", "methods": ["GET"], "path": "/v1/vessels/**", "upstream": "flaky", "scopes": ["read:vessels"] } ],
  "issuers": [ { "issuer": "http://127.0.0.1:$ISSUER", "jwks_uri": "http://127.0.0.1:$ISSUER/.well-known/jwks.json",
                 "audiences": ["soak"], "algorithms": ["RS256", "ES256"] } ],
  "admin": { "listen": "127.0.0.1:$ADMIN" },
  "access_log": { "enabled": true, "path": "$OUT/access.log" },
  "log": { "level": "info" } }
EOF
start_issuer() { "$BIN/portcullis" dev-issuer --config "$OUT/issuer.json" >> "$OUT/issuer.log" 2>&1 & issuer_pid=$!; pids+=("$issuer_pid"); }
start_issuer
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$ISSUER/.well-known/jwks.json" >/dev/null && break; sleep 0.1; done
"$BIN/portcullis" serve --config "$OUT/gateway.json" > "$OUT/gateway.log" 2>&1 &
gw_pid=$!; pids+=("$gw_pid")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$ADMIN/readyz" >/dev/null && break; sleep 0.1; done
echo "soak: ${DURATION}s, gateway pid $gw_pid, output in $OUT" >&2

# Traffic.
body=$(head -c 102400 /dev/zero | tr '\0' 'x')
printf '{"name":"upload","requests":[{"name":"100k","method":"POST","path":"/v1/port-calls/1","bearer":true,"body":"%s"}]}' "$body" > "$OUT/upload.json"
lt() {  # $1 name, rest: loadtest arguments
    local name=$1; shift
    "$BIN/loadtest" "$@" --duration "$DURATION" --warmup 0 --json "$OUT/$name.json" > "$OUT/$name.txt" 2>&1 &
    pids+=("$!")
}
auth=(--token-from-issuer "http://127.0.0.1:$ISSUER" --client-id soak --client-secret soak-secret)
lt tokens --url "http://127.0.0.1:$GW/v1/port-calls/1" "${auth[@]}" --scope "read:port_calls" --wrong-scope "read:vessels" \
   --mix valid=85,expired=5,bad-signature=5,wrong-scope=5 --distinct-tokens 200 --rate 400 --connections 32
lt public --url "http://127.0.0.1:$GW/v1/status" --rate 300 --connections 16
lt notoken --url "http://127.0.0.1:$GW/v1/port-calls/2" --rate 50 --connections 4
lt uploads --url "http://127.0.0.1:$GW/v1/port-calls/1" --scenario "$OUT/upload.json" "${auth[@]}" --scope "write:port_calls" --rate 20 --connections 4
lt flaky --url "http://127.0.0.1:$GW/v1/vessels/1" "${auth[@]}" --scope "read:vessels" --rate 100 --connections 8
python3 loadtest/tools/idle_connections.py --pid "$gw_pid" --port "$GW" --path /v1/status --steps 2000 --hold "$DURATION" > "$OUT/idle.txt" 2>&1 &
pids+=("$!")

slow_headers() {  # $1 count: clients that send a head one byte per second (closed by header_read_timeout)
    python3 - "$GW" "$1" <<'EOF' >> "$OUT/slow.txt" 2>&1 &
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for _ in range(n):
    try: socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    except OSError: pass
head = b"GET /v1/status HTTP/1.1\r\nHost: a\r\n\r\n"
for i in range(len(head)):
    for s in socks:
        try: s.send(head[i:i + 1])
        except OSError: pass
    time.sleep(1)
print("slow-header clients done", len(socks))
EOF
}

# Sampler.
echo "t,rss_kib,fds,threads" > "$OUT/samples.csv"
( start=$(date +%s)
  while kill -0 "$gw_pid" 2>/dev/null; do
      t=$(( $(date +%s) - start ))
      rss=$(awk '/VmRSS/ {print $2}' "/proc/$gw_pid/status"); thr=$(awk '/Threads/ {print $2}' "/proc/$gw_pid/status")
      fds=$(ls "/proc/$gw_pid/fd" | wc -l)
      echo "$t,$rss,$fds,$thr" >> "$OUT/samples.csv"
      sleep 10
  done ) &
pids+=("$!")

# Faults.
end=$(( $(date +%s) + DURATION )); step=0
echo "t,fault" > "$OUT/faults.csv"; t0=$(date +%s)
while [ "$(date +%s)" -lt $(( end - FAULT_PERIOD )) ]; do
    sleep "$FAULT_PERIOD"
    now=$(( $(date +%s) - t0 ))
    case $(( step % 4 )) in
        0) echo "$now,flaky upstream down 10s" >> "$OUT/faults.csv"; stop_nginx flaky; sleep 10; start_nginx flaky ;;
        1) echo "$now,jwks endpoint down 10s" >> "$OUT/faults.csv"; kill "$issuer_pid"; sleep 10; start_issuer ;;
        2) echo "$now,key rotation + fresh token" >> "$OUT/faults.csv"
           curl -sf -X POST "http://127.0.0.1:$ISSUER/admin/rotate-keys" >/dev/null || true
           tok=$(curl -sf -u soak:soak-secret -d grant_type=client_credentials -d scope=read:port_calls "http://127.0.0.1:$ISSUER/oauth/token" \
                 | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' || true)
           code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "http://127.0.0.1:$GW/v1/port-calls/9")
           echo "$now,fresh token after rotation -> $code" >> "$OUT/faults.csv" ;;
        3) echo "$now,200 slow-header clients" >> "$OUT/faults.csv"; slow_headers 200 ;;
    esac
    step=$((step + 1))
done
wait_for=$(( end - $(date +%s) )); [ "$wait_for" -gt 0 ] && sleep "$wait_for"
sleep 5

# Verdict.
alive=yes; kill -0 "$gw_pid" 2>/dev/null || alive=no
curl -s "http://127.0.0.1:$ADMIN/metrics" > "$OUT/metrics.txt" || true
python3 - "$OUT" "$WARMUP" "$alive" <<'EOF'
import csv, json, sys, os
out, warmup, alive = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = list(csv.DictReader(open(f"{out}/samples.csv")))
after = [r for r in rows if int(r["t"]) >= warmup] or rows
first, last = after[0], after[-1]
peak = max(int(r["rss_kib"]) for r in after)
print(f"gateway alive at the end: {alive}")
print(f"samples: {len(rows)}; after warm-up ({warmup}s): RSS {int(first['rss_kib'])//1024} -> {int(last['rss_kib'])//1024} MiB (peak {peak//1024}), "
      f"fds {first['fds']} -> {last['fds']}, threads {first['threads']} -> {last['threads']}")
unexplained = 0
for name in ["tokens", "public", "notoken", "uploads", "flaky"]:
    try: run = json.load(open(f"{out}/{name}.json"))["run"]
    except Exception as e: print(f"{name}: no report ({e})"); unexplained += 1; continue
    st = {int(k): v for k, v in run.get("statusCounts", run.get("status_counts", {})).items()}
    fivexx = {k: v for k, v in st.items() if k >= 500}
    errs = run.get("errors", {})
    if name != "flaky": unexplained += sum(fivexx.values())
    print(f"{name}: statuses {dict(sorted(st.items()))} transport errors {errs}")
print(f"unexplained 5xx (5xx on routes whose upstream is never touched): {unexplained}")
EOF
echo "faults:"; cat "$OUT/faults.csv"
