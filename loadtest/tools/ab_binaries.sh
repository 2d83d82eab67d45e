#!/usr/bin/env bash
# A/B of gateway binaries, back to back on one pinned core: keep-alive over TLS (or SCHEME=http), public
# route, an nginx upstream answering `return 200`; prints CPU µs per request (from /proc/PID/stat) and
# req/s per round. wrk -t1 -c32 and the upstream on CPU 1, the gateway on CPU 0.
#   loadtest/tools/ab_binaries.sh ROUNDS BIN...     e.g. ab_binaries.sh 3 /tmp/old/portcullis .build/release/portcullis
ROUNDS=$1; shift
BINS=(); for b in "$@"; do BINS+=("$(realpath "$b")"); done
mkdir -p /tmp/ab && cd /tmp/ab
cat > up.conf <<'NGINX'
worker_processes 1; daemon off; pid /tmp/ab/up.pid; error_log /tmp/ab/err.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path /tmp/ab/b; proxy_temp_path /tmp/ab/p; fastcgi_temp_path /tmp/ab/f;
  uwsgi_temp_path /tmp/ab/u; scgi_temp_path /tmp/ab/s;
  server { listen 127.0.0.1:9400; keepalive_requests 100000000; location / { return 200 '{"ok":true}'; } } }
NGINX
[ -f cert.pem ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out cert.pem -days 7 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
cat > gw.json <<JSON
{"listen": "127.0.0.1:9410", "workers": 1, "access_log": {"enabled": false},
 "upstreams": {"u": {"targets": ["http://127.0.0.1:9400"]}},
 "routes": [{"methods": ["GET"], "path": "/v1/port-calls/**", "upstream": "u", "public": true}],
 "tls": {"certificates": [{"certificate_file": "/tmp/ab/cert.pem", "private_key_file": "/tmp/ab/key.pem"}]}}
JSON
taskset -c 1 nginx -c /tmp/ab/up.conf -p /tmp/ab & UP=$!; sleep 0.5
trap 'kill $UP 2>/dev/null' EXIT
SCHEME=${SCHEME:-https}
if [ "$SCHEME" = http ]; then python3 -c "
import json; c=json.load(open('gw.json')); del c['tls']; json.dump(c, open('gw.json','w'))"; fi
# Builds older than the access log (session 5) refuse its key; they log nothing anyway.
python3 -c "
import json; c=json.load(open('gw.json')); del c['access_log']; json.dump(c, open('gw-legacy.json','w'))"
for r in $(seq $ROUNDS); do
  for bin in "${BINS[@]}"; do
    cfg=gw.json; $bin check --config gw.json > /dev/null 2>&1 || cfg=gw-legacy.json
    taskset -c 0 $bin serve --config $cfg > /dev/null 2>&1 & pid=$!; sleep 1
    taskset -c 1 wrk -t1 -c32 -d2s $SCHEME://127.0.0.1:9410/v1/port-calls/1 > /dev/null 2>&1
    t0=$(awk '{print $14+$15}' /proc/$pid/stat)
    out=$(taskset -c 1 wrk -t1 -c32 -d5s $SCHEME://127.0.0.1:9410/v1/port-calls/1 2>&1)
    t1=$(awk '{print $14+$15}' /proc/$pid/stat)
    reqs=$(echo "$out" | grep -oE "^ +[0-9]+ requests" | grep -oE "[0-9]+")
    echo "round $r $bin: $reqs req, $(echo "scale=2; ($t1-$t0)*10000/$reqs" | bc) µs/req, $(echo "$out" | grep Requests/sec)"
    kill $pid; wait $pid 2>/dev/null
  done
done
