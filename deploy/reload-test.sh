#!/usr/bin/env bash
# Reloads under load, one gateway, no load balancer in between: `loadtest` drives the gateway
# directly while RELOADS SIGHUPs in a row (every INTERVAL seconds) switch its configuration between two
# files (a route added / removed, an upstream setting changed). Passes when no request failed: no
# transport error and no non-2xx response; every reload must be applied.
#
#   deploy/reload-test.sh                       (about 15 s)
#   BIN_DIR=.build/debug RELOADS=50 INTERVAL=0.1 CONNECTIONS=32 deploy/reload-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN_DIR="${BIN_DIR:-.build/release}"
RELOADS="${RELOADS:-50}"
INTERVAL="${INTERVAL:-0.1}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-18700}"
if [ ! -x "$BIN_DIR/portcullis" ] || [ ! -x "$BIN_DIR/loadtest" ]; then
    [ "$BIN_DIR" = .build/release ] || { echo "no portcullis/loadtest in $BIN_DIR" >&2; exit 2; }
    swift build -c release --product portcullis
    swift build -c release --product loadtest
fi
work=$(mktemp -d)
gateway_pid=""
trap '[ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

write_config() {   # variant a or b
    local extra="" timeout=2000
    if [ "$1" = b ]; then
        extra='{ "methods": ["GET"], "path": "/v1/vessels/**", "upstream": "demo", "public": true },'
        timeout=1500
    fi
    cat > "$work/portcullis.json.tmp" <<JSON
{
  "listen": "127.0.0.1:$PORT", "admin": { "listen": "127.0.0.1:$((PORT + 1))" },
  "demo_api": { "listen": "127.0.0.1:$((PORT + 2))" },
  "upstreams": { "demo": { "targets": ["http://127.0.0.1:$((PORT + 2))"], "connect_timeout_ms": $timeout } },
  "routes": [ $extra { "methods": ["GET"], "path": "/v1/status", "upstream": "demo", "public": true } ]
}
JSON
    mv "$work/portcullis.json.tmp" "$work/portcullis.json"   # atomic: a reload never reads half a file
}

write_config a
"$BIN_DIR/portcullis" serve --config "$work/portcullis.json" 2> "$work/gateway.log" &
gateway_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$((PORT + 1))/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
duration=$(python3 -c "print(max(5, int($RELOADS * $INTERVAL) + 4))")
"$BIN_DIR/loadtest" --url "http://127.0.0.1:$PORT/v1/status" --connections "$CONNECTIONS" --duration "$duration" \
    --warmup 1 --json "$work/report.json" > "$work/loadtest.txt" 2> "$work/loadtest.err" &
load_pid=$!
sleep 2
for n in $(seq "$RELOADS"); do
    if [ $((n % 2)) = 1 ]; then write_config b; else write_config a; fi
    kill -HUP "$gateway_pid"
    sleep "$INTERVAL"
done
wait "$load_pid" || true
applied=$(grep -c '"configuration reloaded"' "$work/gateway.log" || true)
refused=$(grep -c '"configuration reload failed' "$work/gateway.log" || true)
cat "$work/loadtest.txt"
python3 - "$work/report.json" "$applied" "$refused" "$RELOADS" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))["run"]
applied, refused, asked = (int(x) for x in sys.argv[2:5])
non2xx = sum(n for code, n in report["statusCounts"].items() if not code.startswith("2"))
errors = sum(report["errors"].values())
print("reload-test figures")
print(f"  requests           {report['requests']} ({report['throughput']:.0f} req/s)")
print(f"  reloads            {applied} applied, {refused} refused, {asked} sent")
print(f"  non-2xx / errors   {non2xx} / {errors} {report['errors'] or ''}")
failed = errors + non2xx
print(f"  FAILED REQUESTS    {failed}")
# SIGHUPs that arrive during a reload are coalesced by the kernel: fewer may apply than were sent.
sys.exit(0 if failed == 0 and applied > 0 and refused == 0 else 1)
PY
