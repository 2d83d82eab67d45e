#!/usr/bin/env bash
# Exact allocations and reference-count operations per token verification (issue 14), from uprobes
# (probe_libc:malloc/free, probe_libswiftCore:swift_retain/swift_release; see `perf probe -l`).
#
#   loadtest/tools/verify_counts.sh BIN verify [RS256|ES256|EdDSA]   `bench verify --alg ALG`
#   loadtest/tools/verify_counts.sh BIN tokens                       `bench tokens`, every token a miss
#
# verify: parse, key selection, signature and claims, as `bench verify` runs them.
# tokens: the gateway's whole check (`TokenAuthenticator.check`: digest, cache lookup, parse, issuer,
# JWKS key, signature, claims, identity headers, cache insert) over 20,000 distinct RS256 tokens from
# ../shared/bench/tokens.py, with the benchmark configuration plus `"token_cache": {"max_entries": 0}`
# so that every check is a cache miss.
#
# Each count is the difference of a 1 s and a 3 s run divided by the difference of the operations
# the two runs report, so key generation, fixtures and start-up cancel out. Counts do not depend on
# the host's load, only on what the code does per verification.
set -euo pipefail
BIN=$1; MODE=${2:-verify}; ALG=${3:-RS256}
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
EV=probe_libc:malloc,probe_libc:free,probe_libswiftCore:swift_retain,probe_libswiftCore:swift_release
if [ "$MODE" = tokens ]; then
    python3 "$ROOT/../shared/bench/tokens.py" --dir "$WORK/bt" --distinct 20000 >/dev/null
    python3 - "$ROOT/../shared/bench/conf/gateway.json" "$WORK" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
for k, v in {"@GATEWAY_PORT@": "18099", "@UPSTREAM_PORT@": "18098", "@ISSUER@": "https://auth.porttask.example",
             "@JWKS@": sys.argv[2] + "/bt/jwks.json", "@AUDIENCE@": "porttask-api", "@SCOPE@": "read:port_calls"}.items():
    text = text.replace(k, v)
config = json.loads(text)
config["token_cache"] = {"max_entries": 0}
json.dump(config, open(sys.argv[2] + "/gateway.json", "w"))
PY
    run() { perf stat -x, -e $EV -o "$WORK/stat.$1" -- "$BIN" bench tokens --config "$WORK/gateway.json" \
                --tokens "$WORK/bt/tokens/valid-rs256-many.txt" --seconds "$1" | sed -n 's/.*, \([0-9]*\) accepted/\1/p'; }
else
    run() { perf stat -x, -e $EV -o "$WORK/stat.$1" -- "$BIN" bench verify --alg "$ALG" --seconds "$1" | sed -n 's/.*, \([0-9]*\) operations/\1/p'; }
fi
o1=$(run 1); o3=$(run 3)
python3 - "$WORK" "$o1" "$o3" <<'PY'
import sys
work, o1, o3 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def read(s):
    d = {}
    for line in open(f"{work}/stat.{s}"):
        f = line.strip().split(",")
        if len(f) > 3 and f[0].isdigit(): d[f[2]] = int(f[0])
    return d
a, b = read(1), read(3)
print(f"operations: {o1} (1 s) / {o3} (3 s)")
for k in a: print(f"{k}: {(b[k] - a[k]) / (o3 - o1):.2f} per operation")
PY
