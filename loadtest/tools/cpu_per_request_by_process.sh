#!/usr/bin/env bash
# CPU per request of each process of a keep-alive benchmark, over HTTPS, the way compare.sh places them:
# the proxy alone on CPU 0, the upstream nginx (`return 200`) and wrk -t1 -c32 sharing CPU 1. A 3 s
# `perf stat` window opened 2 s into a 6 s wrk run (after the handshakes), per response the upstream
# wrote (its write/writev calls); wrk's p50/p99 over its whole 6 s run. Answers "which process's work limits req/s": when CPU 1 is the
# saturated one, what the proxy hands the upstream costs throughput even if the proxy itself is cheap.
#
#   loadtest/tools/cpu_per_request_by_process.sh PROXY TOKEN_FILE JWKS_FILE
#     PROXY: nginx       a plain nginx TLS proxy (the harness's nginx-tls anchor: it adds no header)
#            nginx-same  the same nginx forwarding what the gateway adds (X-Forwarded-For/-Proto/-Host,
#                        X-Request-Id, traceparent, three identity headers with static values)
#            /abs/path/portcullis   the gateway, RS256 token route (scope read:port_calls)
#     TOKEN_FILE: an RS256 access token of issuer https://auth.porttask.example, audience porttask-api
#                 (../shared/bench/compare.sh with KEEP_RUN=1 leaves them in $RUN/bench/tokens/);
#     JWKS_FILE:  its JWKS ($RUN/bench/jwks.json).
set -euo pipefail
PROXY=${1:?usage: $0 nginx|nginx-same|/abs/path/portcullis TOKEN_FILE JWKS_FILE}
TOKEN=$(cat "${2:?token file}"); JWKS=${3:?jwks file}
D=$(mktemp -d /tmp/cpu-by-process.XXXXXX); cd "$D"; mkdir -p b p f u s
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out cert.pem -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
TEMPS="client_body_temp_path $D/b; proxy_temp_path $D/p; fastcgi_temp_path $D/f; uwsgi_temp_path $D/u; scgi_temp_path $D/s;"
cat > up.conf <<NGINX
worker_processes 1; daemon off; pid $D/up.pid; error_log $D/up.err warn; events { worker_connections 1024; }
http { access_log off; $TEMPS
  server { listen 127.0.0.1:9400; keepalive_requests 100000000; location / { return 200 '{"ok":true}'; } } }
NGINX
SAME=""
[ "$PROXY" = nginx-same ] && SAME='proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Host $http_host; proxy_set_header X-Request-Id $request_id;
  proxy_set_header traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00; proxy_set_header X-Auth-Subject bench-user;
  proxy_set_header X-Auth-Client-Id bench-client; proxy_set_header X-Auth-Scopes read:port_calls;'
cat > px.conf <<NGINX
worker_processes 1; daemon off; pid $D/px.pid; error_log $D/px.err warn; events { worker_connections 1024; }
http { access_log off; $TEMPS
  upstream u { server 127.0.0.1:9400; keepalive 64; }
  ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:SSL:10m; ssl_session_tickets on;
  server { listen 127.0.0.1:9410 ssl; ssl_certificate $D/cert.pem; ssl_certificate_key $D/key.pem; keepalive_requests 100000000;
    location / { proxy_pass http://u; proxy_http_version 1.1; proxy_set_header Connection ""; $SAME } } }
NGINX
cat > gw.json <<JSON
{"listen": "127.0.0.1:9410", "workers": 1, "access_log": {"enabled": false},
 "upstreams": {"u": {"targets": ["http://127.0.0.1:9400"]}},
 "issuers": [{"issuer": "https://auth.porttask.example", "jwks_file": "$JWKS", "audiences": ["porttask-api"],
              "algorithms": ["RS256", "ES256"], "clock_skew_seconds": 60}],
 "routes": [{"methods": ["GET"], "path": "/v1/port-calls/**", "upstream": "u", "scopes": ["read:port_calls"]}],
 "tls": {"certificates": [{"certificate_file": "$D/cert.pem", "private_key_file": "$D/key.pem"}]}}
JSON
taskset -c 1 nginx -c "$D/up.conf" -p "$D" & UP=$!
if [ "${PROXY#nginx}" != "$PROXY" ]; then
  taskset -c 0 nginx -c "$D/px.conf" -p "$D" & PX=$!; sleep 0.5; PID=$(pgrep -f "nginx: worker" -P "$(cat px.pid)")
else
  taskset -c 0 "$PROXY" serve --config gw.json > gw.log 2>&1 & PX=$!; PID=$PX; sleep 1
fi
trap 'kill $UP $PX 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
sleep 0.5
URL=https://127.0.0.1:9410/v1/port-calls/1
taskset -c 1 wrk -t1 -c32 -d1s -H "Authorization: Bearer $TOKEN" "$URL" > /dev/null 2>&1   # warm-up
taskset -c 1 wrk -t1 -c32 -d6s --latency -H "Authorization: Bearer $TOKEN" "$URL" > wrk.txt 2>&1 & LOAD=$!
sleep 2
UPW=$(pgrep -f "nginx: worker" -P "$(cat up.pid)"); WRK=$(pgrep -x wrk)
perf stat -x, -e task-clock,syscalls:sys_enter_write,syscalls:sys_enter_writev -p "$UPW" -o up.txt -- sleep 3 &
perf stat -x, -e task-clock -p "$WRK" -o wrk.stat -- sleep 3 &
perf stat -x, -e task-clock -p "$PID" -o proxy.txt -- sleep 3
wait $LOAD 2>/dev/null || true; sleep 0.2
grep -q "Non-2xx" wrk.txt && { echo "non-2xx answers: check the token and JWKS" >&2; exit 1; }
n=$(awk -F, '/sys_enter_write/ {n += $1} END {print n}' up.txt)
us() { awk -F, -v n="$n" '/task-clock/ {printf "%.2f", $1 * 1000 / n}' "$1"; }
lat() { awk -v q="$1" '$1 == q {print $2}' wrk.txt; }
echo "$PROXY: $n responses in 3 s; CPU µs per request: proxy $(us proxy.txt), upstream $(us up.txt), wrk $(us wrk.stat); latency over the 6 s run: p50 $(lat 50%), p99 $(lat 99%)"
