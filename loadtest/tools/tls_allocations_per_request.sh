#!/usr/bin/env bash
# Exact allocations per TLS keep-alive request in steady state (issue 11): the public route over
# HTTPS, upstream nginx returning a tiny JSON body, wrk -t1 -c32; a 3 s `perf stat` window opened 2 s
# into a 6 s wrk run (after wrk's 32 handshakes), divided by the SSL_write calls of the window (one
# per response). Needs the uprobes probe_libc:malloc/free and probe_libssl:SSL_read/SSL_write
# (`perf probe -l`). Prints the same counts for the idle process first (2 s, no connection open).
#
#   loadtest/tools/tls_allocations_per_request.sh /abs/path/.build/release/portcullis [client|upstream]
#
# client (default): wrk speaks HTTPS to the gateway, the gateway plain HTTP to nginx.
# upstream: wrk speaks plain HTTP to the gateway, the gateway HTTPS to nginx (a pooled upstream TLS
# connection per wrk connection; the upstream's certificate is verified against the generated one).
#
# Counts are exact: they do not depend on the host's load, only on what the process does per request.
set -euo pipefail
BIN=${1:?usage: $0 /abs/path/portcullis [client|upstream]}
SIDE=${2:-client}
UP=${UPSTREAM_PORT:-9530} GW=${GATEWAY_PORT:-9531}
D=$(mktemp -d /tmp/tls-allocations.XXXXXX)
cd "$D"
mkdir -p b p f u s
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out cert.pem -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
UPSTREAM_SSL=""; [ "$SIDE" = upstream ] && UPSTREAM_SSL=ssl
cat > up.conf <<NGINX
worker_processes 1; daemon off; pid $D/up.pid; error_log $D/err.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $D/b; proxy_temp_path $D/p; fastcgi_temp_path $D/f;
  uwsgi_temp_path $D/u; scgi_temp_path $D/s;
  server { listen 127.0.0.1:$UP $UPSTREAM_SSL; keepalive_requests 100000000;
    ssl_certificate $D/cert.pem; ssl_certificate_key $D/key.pem;
    location / { return 200 '{"ok":true}'; } } }
NGINX
if [ "$SIDE" = upstream ]; then
  TARGET=$(printf '{"targets": ["https://127.0.0.1:%s"], "tls": {"ca_file": "%s/cert.pem"}}' "$UP" "$D")
  LISTENER_TLS=""; SCHEME=http
else
  TARGET=$(printf '{"targets": ["http://127.0.0.1:%s"]}' "$UP"); SCHEME=https
  LISTENER_TLS=$(printf ', "tls": {"certificates": [{"certificate_file": "%s/cert.pem", "private_key_file": "%s/key.pem"}]}' "$D" "$D")
fi
cat > gw.json <<JSON
{"listen": "127.0.0.1:$GW", "workers": 1, "access_log": {"enabled": false},
 "upstreams": {"u": $TARGET},
 "routes": [{"methods": ["GET"], "path": "/v1/port-calls/**", "upstream": "u", "public": true}] $LISTENER_TLS}
JSON
taskset -c 1 nginx -c "$D/up.conf" -p "$D" & UPSTREAM=$!
taskset -c 0 "$BIN" serve --config gw.json > gw.log 2>&1 & PID=$!
trap 'kill $UPSTREAM $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
sleep 1
URL=$SCHEME://127.0.0.1:$GW/v1/port-calls/1
taskset -c 1 wrk -t1 -c32 -d1s "$URL" > /dev/null 2>&1   # warm-up
EVENTS=raw_syscalls:sys_enter,probe_libssl:SSL_read,probe_libssl:SSL_write,probe_libc:malloc,probe_libc:free
perf stat -x, -e $EVENTS -p $PID -o idle.txt -- sleep 2
taskset -c 1 wrk -t1 -c32 -d6s "$URL" > wrk.txt 2>&1 & LOAD=$!
sleep 2
perf stat -x, -e $EVENTS -p $PID -o window.txt -- sleep 3
wait $LOAD
echo "$BIN ($SIDE side TLS): idle 2 s, no connection open (counts)"
awk -F, '/^[0-9]/ {printf "  %-28s %10d\n", $3, $1}' idle.txt
responses=$(awk -F, '/SSL_write/ {print $1}' window.txt)
echo "3 s window inside the 6 s run: $responses responses (SSL_write calls); per request:"
awk -F, -v r="$responses" '/^[0-9]/ {printf "  %-28s %10.2f\n", $3, $1 / r}' window.txt
