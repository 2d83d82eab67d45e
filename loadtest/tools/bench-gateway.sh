#!/usr/bin/env bash
# GATEWAY_CMD for ../shared/bench/compare.sh with the access log set explicitly: the harness's
# gateway.json does not mention `access_log`, so Portcullis would log every request (its default)
# while the harness's nginx runs with `access_log off`.
#
#   GATEWAY_CMD="$PWD/loadtest/tools/bench-gateway.sh off" ../shared/bench/compare.sh       # like nginx: no log
#   GATEWAY_CMD="$PWD/loadtest/tools/bench-gateway.sh /tmp/gw-access.log" ...               # JSON access log to a file
set -euo pipefail
mode=${1:-off}
bin="$(cd "$(dirname "$0")/../.." && pwd)/.build/release/portcullis"
out="${BENCH_GATEWAY_CONFIG%.json}.access-$$.json"
python3 - "$BENCH_GATEWAY_CONFIG" "$out" "$mode" <<'PY'
import json, sys
src, dst, mode = sys.argv[1:4]
config = json.load(open(src))
config["access_log"] = {"enabled": False} if mode == "off" else {"enabled": True, "path": mode}
json.dump(config, open(dst, "w"))
PY
exec "$bin" serve --config "$out"
