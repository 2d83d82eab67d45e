#!/usr/bin/env bash
# Runs the test suite under the sanitizers (separate build folders, so the normal build is untouched):
#   ThreadSanitizer:  IO and Gateway tests (the threaded code: event loops, timers, the JWKS fetcher)
#   AddressSanitizer: every test
# Usage: .ci/sanitizers.sh [thread|address]...   (default: both). Exit status non-zero on any report,
# any failed test, or a run that did not finish.
# TSAN_FILTER / ASAN_FILTER narrow the run while iterating (a `swift test --filter` pattern).
# Reports from every sanitized process, the test process and the `portcullis`/`loadtest` children
# the tests start, are written to .build-<kind>/reports/ and counted there.
# Slow (two extra full builds); not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(thread address)
status=0
for kind in "${kinds[@]}"; do
    reports="$PWD/.build-$kind/reports"
    rm -rf "$reports"
    mkdir -p "$reports"
    case "$kind" in
        thread)
            filter=(--filter "${TSAN_FILTER:-IOTests|GatewayTests}")
            # .ci/tsan-suppressions.txt (if present) names each suppressed frame and why.
            suppressions=""
            [ -f .ci/tsan-suppressions.txt ] && suppressions=":suppressions=$PWD/.ci/tsan-suppressions.txt"
            export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}$suppressions:log_path=$reports/tsan" ;;
        address)
            filter=()
            [ -n "${ASAN_FILTER:-}" ] && filter=(--filter "$ASAN_FILTER")
            export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}:log_path=$reports/asan" ;;
        *) echo "unknown sanitizer $kind (thread or address)" >&2; exit 2 ;;
    esac
    echo "== swift test --sanitize=$kind ${filter[*]}" >&2
    log=".build-$kind/sanitizer.log"
    swift test --scratch-path ".build-$kind" --sanitize="$kind" "${filter[@]}" >"$log" 2>&1 || true
    grep -E "Executed [0-9]+ tests|error:|Fatal error|SUMMARY:" "$log" | tail -20 >&2 || true
    # One headline per report; a report file without one (e.g. the sanitizer's own CHECK failure)
    # counts once: a sanitized process writes a file only when it has something to report.
    found=0
    for f in "$reports"/*; do
        [ -e "$f" ] || continue
        n=$(grep -cE "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|Sanitizer: CHECK failed" "$f" || true)
        found=$((found + (n > 0 ? n : 1)))
    done
    if [ "$found" -gt 0 ]; then
        grep -hE "SUMMARY:|Sanitizer: CHECK failed" "$reports"/* | sort | uniq -c | sort -rn >&2 || true
    fi
    executed=$(grep -oE "Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -1 || true)
    echo "== $kind: ${executed:-no test summary (the run did not finish)}; sanitizer reports: $found (in $reports)" >&2
    if [ "$found" -ne 0 ] || [ -z "$executed" ] || ! grep -qE "with 0 failures" <<<"$executed"; then
        echo "== $kind: FAILED (see $log)" >&2
        status=1
    else
        echo "== $kind: clean" >&2
    fi
done
exit $status
