#!/usr/bin/env bash
# Loopback scale-out test: 3 Portcullis replicas behind HAProxy (health checks on /readyz), load from
# `loadtest` through HAProxy, and during the run: replica 2 reloaded RELOADS times in a row (SIGHUP,
# alternating two configurations) and replica 1 drained with SIGTERM (then started again, as a rolling
# restart would). Passes when no request failed: no transport error and no non-2xx response.
#
#   deploy/scale-test.sh                     (about a minute; needs haproxy: apt-get install -y haproxy)
#   BIN_DIR=.build/debug DURATION=20 RELOADS=50 CONNECTIONS=32 deploy/scale-test.sh
#
# Prints the figures (recorded in BENCHMARKS.md). Ports BASE_PORT..BASE_PORT+40 on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN_DIR="${BIN_DIR:-.build/release}"
DURATION="${DURATION:-20}"
RELOADS="${RELOADS:-50}"
CONNECTIONS="${CONNECTIONS:-32}"
BASE_PORT="${BASE_PORT:-18600}"
DRAIN_DELAY_MS="${DRAIN_DELAY_MS:-2000}"

command -v haproxy >/dev/null || { echo "haproxy not found: apt-get install -y haproxy" >&2; exit 2; }
if [ ! -x "$BIN_DIR/portcullis" ] || [ ! -x "$BIN_DIR/loadtest" ]; then
    [ "$BIN_DIR" = .build/release ] || { echo "no portcullis/loadtest in $BIN_DIR" >&2; exit 2; }
    swift build -c release --product portcullis
    swift build -c release --product loadtest
fi

work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

gw_port() { echo $((BASE_PORT + 10 * $1)); }
admin_port() { echo $((BASE_PORT + 10 * $1 + 1)); }
demo_port() { echo $((BASE_PORT + 10 * $1 + 2)); }

# Replica i's configuration; variant "b" adds a route (what the reloads switch between).
write_config() {
    local i=$1 variant=$2 extra=""
    [ "$variant" = b ] && extra='{ "methods": ["GET"], "path": "/v1/vessels/**", "upstream": "demo", "public": true },'
    cat > "$work/replica$i.json" <<JSON
{
  "listen": "127.0.0.1:$(gw_port "$i")", "workers": 1,
  "admin": { "listen": "127.0.0.1:$(admin_port "$i")" },
  "demo_api": { "listen": "127.0.0.1:$(demo_port "$i")" },
  "upstreams": { "demo": { "targets": ["http://127.0.0.1:$(demo_port "$i")"] } },
  "routes": [ $extra { "methods": ["GET"], "path": "/v1/status", "upstream": "demo", "public": true } ],
  "timeouts": { "drain_delay_ms": $DRAIN_DELAY_MS, "shutdown_grace_ms": 5000 }
}
JSON
}

replica_pid=()
start_replica() {
    local i=$1
    "$BIN_DIR/portcullis" serve --config "$work/replica$i.json" 2>> "$work/replica$i.log" &
    replica_pid[$i]=$!
    pids+=("$!")
    for _ in $(seq 100); do
        curl -fs "http://127.0.0.1:$(admin_port "$i")/readyz" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "replica $i did not become ready" >&2; cat "$work/replica$i.log" >&2; exit 1
}

for i in 1 2 3; do write_config "$i" a; start_replica "$i"; done

cat > "$work/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option http-keep-alive
    # A request is re-sent only when it cannot have reached a gateway (connection refused or reset
    # before any byte of a response); counted below as "HAProxy retries".
    retries 2
    retry-on conn-failure empty-response
    option redispatch 1
frontend gateways
    bind 127.0.0.1:$BASE_PORT
    default_backend portcullis
frontend stats
    bind 127.0.0.1:$((BASE_PORT + 9))
    stats enable
    stats uri /stats
backend portcullis
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 1 rise 2
    server r1 127.0.0.1:$(gw_port 1) check port $(admin_port 1)
    server r2 127.0.0.1:$(gw_port 2) check port $(admin_port 2)
    server r3 127.0.0.1:$(gw_port 3) check port $(admin_port 3)
CFG
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 &
pids+=("$!")
servers_up() { curl -fs "http://127.0.0.1:$((BASE_PORT + 9))/stats;csv" | awk -F, '$1=="portcullis" && $18=="UP" && $2 ~ /^r/ {n++} END {print n+0}'; }
for _ in $(seq 100); do [ "$(servers_up)" = 3 ] && break; sleep 0.1; done
[ "$(servers_up)" = 3 ] || { echo "HAProxy does not see 3 replicas up" >&2; cat "$work/haproxy.log" >&2; exit 1; }

echo "3 replicas up behind HAProxy; loadtest: $CONNECTIONS connections, ${DURATION}s"
"$BIN_DIR/loadtest" --url "http://127.0.0.1:$BASE_PORT/v1/status" --connections "$CONNECTIONS" \
    --duration "$DURATION" --warmup 1 --json "$work/report.json" > "$work/loadtest.txt" 2> "$work/loadtest.err" &
load_pid=$!
pids+=("$load_pid")

sleep 3
echo "t+3s: $RELOADS reloads of replica 2 (SIGHUP every 100 ms)"
for n in $(seq "$RELOADS"); do
    if [ $((n % 2)) = 1 ]; then write_config 2 b; else write_config 2 a; fi
    kill -HUP "${replica_pid[2]}"
    sleep 0.1
done
echo "t+$((3 + RELOADS / 10))s: SIGTERM to replica 1 (drain_delay_ms $DRAIN_DELAY_MS)"
drain_start=$(date +%s.%N)
kill -TERM "${replica_pid[1]}"
set +e; wait "${replica_pid[1]}"; drain_status=$?; set -e
drain_end=$(date +%s.%N)
echo "replica 1 exited with status $drain_status after $(echo "$drain_end - $drain_start" | bc) s; starting it again"
start_replica 1
wait "$load_pid" || true

reloaded=$(grep -c '"configuration reloaded"' "$work/replica2.log" || true)
reload_failed=$(grep -c '"configuration reload failed' "$work/replica2.log" || true)
retries=$(curl -fs "http://127.0.0.1:$((BASE_PORT + 9))/stats;csv" | awk -F, '$1=="portcullis" && $2=="BACKEND" {print $16}')
cat "$work/loadtest.txt"
python3 - "$work/report.json" "$reloaded" "$reload_failed" "$drain_status" "${retries:-?}" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))["run"]
reloaded, reload_failed, drain_status, retries = sys.argv[2:6]
non2xx = sum(n for code, n in report["statusCounts"].items() if not code.startswith("2"))
errors = sum(report["errors"].values())
lat = report["latency"]
print("scale-test figures")
print(f"  requests            {report['requests']}")
print(f"  throughput          {report['throughput']:.0f} req/s")
print(f"  latency p50 / p99   {lat['p50Nanoseconds'] / 1000:.0f} / {lat['p99Nanoseconds'] / 1000:.0f} us")
print(f"  status counts       {report['statusCounts']}")
print(f"  transport errors    {errors} {report['errors'] or ''}")
print(f"  replica 2 reloads   {reloaded} applied, {reload_failed} refused")
print(f"  replica 1 drain     exit status {drain_status}")
print(f"  HAProxy retries     {retries}")
failed = errors + non2xx
print(f"  FAILED REQUESTS     {failed}")
sys.exit(0 if failed == 0 and drain_status == "0" and reload_failed == "0" else 1)
PY
