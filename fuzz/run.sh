#!/usr/bin/env bash
# Builds the libFuzzer binary (once, again when a source changed) and runs one fuzz target.
#
#   fuzz/run.sh <target> [seconds] [extra libFuzzer flags...]   e.g. fuzz/run.sh request-parser 60
#   fuzz/run.sh list                                             the targets
#   fuzz/run.sh build                                            build only
#
# New inputs that reach new coverage are written to .build/fuzz/work/<target>/ (the committed
# corpus fuzz/corpus/<target>/ is read, never written); crashes to .build/fuzz/crashes/<target>/.
# Merge useful ones into the committed corpus with `fuzz/run.sh <target> merge`.
# Environment: FUZZ_JOBS (parallel jobs, default 1), FUZZ_MAX_LEN (default 4096), FUZZ_RSS_MB (default 2048).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
B="$ROOT/.build/fuzz"
BIN="$B/portcullis-fuzz"
mkdir -p "$B/modules"

# The modules the fuzz targets reach, in dependency order (see Package.swift).
MODULES="Locks TextCoding PortcullisCrypto HTTP1 Policy IO PortcullisTLS JOSE Config"

targets() { grep -o 'FuzzTarget(name: "[a-z-]*"' "$ROOT/fuzz/Invariants/FuzzTarget.swift" | cut -d'"' -f2; }

build() {
    local newest
    newest=$(find "$ROOT/Sources" "$ROOT/fuzz/Invariants" "$ROOT/fuzz/Entry" -name '*.swift' -newer "$BIN" 2>/dev/null | head -1 || true)
    if [ -x "$BIN" ] && [ -z "$newest" ]; then return; fi
    echo "building $BIN (libFuzzer + AddressSanitizer)..." >&2
    local flags=(-swift-version 6 -O -g -enable-testing -sanitize=fuzzer,address -parse-as-library -I "$B/modules"
                 -Xcc -fmodule-map-file="$ROOT/Sources/COpenSSL/module.modulemap"
                 -Xcc -fmodule-map-file="$ROOT/Sources/CSystem/module.modulemap")
    # Dependency order (Package.swift): each module becomes a static library plus its .swiftmodule.
    for m in $MODULES; do
        swiftc "${flags[@]}" -wmo -module-name "$m" -emit-module -emit-module-path "$B/modules/$m.swiftmodule" \
            -emit-library -static -o "$B/modules/lib$m.a" $(find "$ROOT/Sources/$m" -name '*.swift' | sort)
    done
    swiftc "${flags[@]}" -module-name PortcullisFuzz -o "$BIN" \
        $(find "$ROOT/fuzz/Invariants" "$ROOT/fuzz/Entry" -name '*.swift' | sort) \
        -L "$B/modules" $(for m in $MODULES; do echo "-l$m"; done | tac) -lssl -lcrypto 2>&1 \
        | grep -v "Cannot export local symbol '__asan" >&2 || true
    [ -x "$BIN" ] || { echo "fuzz build failed" >&2; exit 1; }
}

case "${1:-}" in
    ""|-h|--help) sed -n 2,12p "$0"; exit 0 ;;
    list) targets; exit 0 ;;
    build) build; exit 0 ;;
esac
TARGET="$1"
targets | grep -qx "$TARGET" || { echo "unknown target $TARGET; one of:" >&2; targets >&2; exit 2; }
build
CORPUS="$ROOT/fuzz/corpus/$TARGET"
WORK="$B/work/$TARGET"
CRASHES="$B/crashes/$TARGET"
mkdir -p "$CORPUS" "$WORK" "$CRASHES"
export PORTCULLIS_FUZZ_TARGET="$TARGET"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:symbolize=1}"
if [ "${2:-}" = merge ]; then
    # Adds to the committed corpus only the work inputs that reach coverage it lacks.
    exec "$BIN" -merge=1 -max_len="${FUZZ_MAX_LEN:-4096}" "$CORPUS" "$WORK"
fi
SECONDS_TO_RUN="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
PARALLEL=()
[ "${FUZZ_JOBS:-1}" -gt 1 ] && PARALLEL=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")
exec "$BIN" "$WORK" "$CORPUS" -max_total_time="$SECONDS_TO_RUN" -max_len="${FUZZ_MAX_LEN:-4096}" \
    -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -timeout=10 -print_final_stats=1 -artifact_prefix="$CRASHES/" \
    "${PARALLEL[@]}" "$@"
