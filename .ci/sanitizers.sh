#!/usr/bin/env bash
# Runs the test suite under the sanitizers (separate build folders, so the normal build is untouched):
#   ThreadSanitizer:  IO and Gateway tests (the threaded code: event loops, timers, the JWKS fetcher)
#   AddressSanitizer: every test
# Usage: .ci/sanitizers.sh [thread|address]...   (default: both). Exit status non-zero on any report.
# Slow (two extra full builds); not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(thread address)
status=0
for kind in "${kinds[@]}"; do
    case "$kind" in
        thread)
            filter=(--filter 'IOTests|GatewayTests')
            export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}" ;;
        address)
            # TLSConnectionPairTests and the loadtest end-to-end tests spawn with Foundation's Process, whose
            # findMaximumOpenFromProcSelfFD over-reads dirent records (a heap-buffer-overflow in
            # swift-corelibs-foundation, not in Portcullis); ASan stops at the first report, so that
            # classes are skipped until they spawn with posix_spawn like the other process tests.
            filter=(--skip "${ASAN_SKIP:-TLSConnectionPairTests|LoadtestCoreTests.*EndToEndTests}")
            export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}" ;;
        *) echo "unknown sanitizer $kind (thread or address)" >&2; exit 2 ;;
    esac
    echo "== swift test --sanitize=$kind ${filter[*]}" >&2
    mkdir -p ".build-$kind"
    if ! swift test --scratch-path ".build-$kind" --sanitize="$kind" "${filter[@]}" 2>&1 | tee ".build-$kind/sanitizer.log" | grep -E "Executed [0-9]+ tests|error:|WARNING: ThreadSanitizer|ERROR: AddressSanitizer|SUMMARY:"; then
        status=1
    fi
    if grep -qE "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|with [1-9][0-9]* failures?" ".build-$kind/sanitizer.log" \
        || ! grep -q "Executed" ".build-$kind/sanitizer.log"; then
        echo "== $kind: FAILED (see .build-$kind/sanitizer.log)" >&2
        status=1
    else
        echo "== $kind: clean" >&2
    fi
done
exit $status
