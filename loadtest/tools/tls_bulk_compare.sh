#!/usr/bin/env bash
# 1 GiB through TLS, both ways: the gateway beside nginx terminating TLS in front of the same upstream.
#   loadtest/tools/tls_bulk_compare.sh [rounds]        (release build; default 3 interleaved rounds; SIZE_MB=64 for a smoke run)
# Upstream: nginx on 127.0.0.1:9250 serving a 1 GiB random file (GET /big.bin) and a Python sink on :9251
# that answers each POST with the SHA-256 of its body. In front, each pinned to CPU 0: nginx-tls
# (:9252, one worker, proxy_buffering off, proxy_request_buffering off: streams both ways like the gateway)
# and the gateway (:9253, `tls` on, two public routes, access log off). curl runs on CPU 1.
# Prints, per round and target, seconds and the hash check; then each target's median and peak RSS.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ROUNDS=${1:-3}
SIZE_MB=${SIZE_MB:-1024}   # smaller for a smoke run
W=$(mktemp -d /tmp/tls-bulk.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
mkdir -p "$W/logs" "$W/tmp"
chmod 755 "$W"   # nginx workers run as nobody when started as root
head -c $((SIZE_MB * 1048576)) /dev/urandom > "$W/big.bin"
chmod 644 "$W/big.bin"
SUM=$(sha256sum "$W/big.bin" | cut -d' ' -f1)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/key.pem" -out "$W/cert.pem" \
    -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
cat > "$W/nginx.conf" <<NGINX
worker_processes 1; daemon off; pid $W/nginx.pid; error_log $W/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off; client_body_temp_path $W/tmp/b; proxy_temp_path $W/tmp/p;
    fastcgi_temp_path $W/tmp/f; uwsgi_temp_path $W/tmp/u; scgi_temp_path $W/tmp/s;
    server { listen 127.0.0.1:9250; location = /big.bin { alias $W/big.bin; } }
    upstream plain { server 127.0.0.1:9250; keepalive 16; }
    upstream sink { server 127.0.0.1:9251; }
    server {
        listen 127.0.0.1:9252 ssl; ssl_certificate $W/cert.pem; ssl_certificate_key $W/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3; client_max_body_size 0;
        proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; proxy_request_buffering off;
        location /big.bin { proxy_pass http://plain; }
        location /upload { proxy_pass http://sink; }
    }
}
NGINX
cat > "$W/sink.py" <<'PY'
import hashlib, http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        h, left = hashlib.sha256(), int(self.headers.get("Content-Length", "0"))
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 20)); h.update(chunk); left -= len(chunk)
        body = h.hexdigest().encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", 9251), Sink).serve_forever()
PY
cat > "$W/gateway.json" <<JSON
{"listen": "127.0.0.1:9253", "workers": 1, "access_log": {"enabled": false},
 "upstreams": {"files": {"targets": ["http://127.0.0.1:9250"]}, "sink": {"targets": ["http://127.0.0.1:9251"]}},
 "routes": [{"methods": ["GET"], "path": "/big.bin", "upstream": "files", "public": true},
            {"methods": ["POST"], "path": "/upload", "upstream": "sink", "public": true}],
 "limits": {"max_body_bytes": 2147483648},
 "tls": {"certificates": [{"certificate_file": "$W/cert.pem", "private_key_file": "$W/key.pem"}]}}
JSON
taskset -c 1 python3 "$W/sink.py" & 
taskset -c 0 nginx -c "$W/nginx.conf" -p "$W" &
taskset -c 0 "$ROOT/.build/release/portcullis" serve --config "$W/gateway.json" > "$W/logs/gateway.log" 2>&1 &
GW=$!
sleep 2
declare -A times
for r in $(seq "$ROUNDS"); do
    for t in nginx-tls:9252 gateway:9253; do
        name=${t%%:*}; port=${t##*:}
        s=$(date +%s.%N); got=$(taskset -c 1 curl -sk "https://127.0.0.1:$port/big.bin" | sha256sum | cut -d' ' -f1); e=$(date +%s.%N)
        down=$(echo "$e - $s" | bc); [ "$got" = "$SUM" ] && ok=hash-equal || ok=HASH-MISMATCH
        s=$(date +%s.%N); up=$(taskset -c 1 curl -sk -X POST -H "Content-Type: application/octet-stream" -T "$W/big.bin" "https://127.0.0.1:$port/upload"); e=$(date +%s.%N)
        upt=$(echo "$e - $s" | bc); [ "$up" = "$SUM" ] && uok=hash-equal || uok="HASH-MISMATCH($up)"
        echo "round $r $name: download ${down}s $ok; upload ${upt}s $uok"
        times["$name-down"]+="$down "; times["$name-up"]+="$upt "
    done
done
med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for k in nginx-tls-down gateway-down nginx-tls-up gateway-up; do echo "median $k: $(echo "${times[$k]}" | med) s"; done
echo "gateway peak RSS: $(grep VmHWM /proc/$GW/status | awk '{print $2, $3}')"
