#!/usr/bin/env bash
# Exact per-request counts for Portcullis and nginx as plain proxies (issue 14): system calls by type,
# context switches, and the process's user/kernel CPU time, both proxies pinned to one core in turn,
# against the upstream nginx of ../shared/bench (its configs, via lib.sh) with wrk -t1 -c$CONNECTIONS.
#
#   loadtest/tools/syscalls_per_request.sh /abs/path/.build/release/portcullis > report.txt
#
# Targets: nginx (the anchor of ../shared/bench, `access_log off`), portcullis (the public route of
# bench-public-route.json, access log off like nginx), portcullis-log (the same with its default access log).
# Each measurement is a wrk run of $DURATION s after a $WARMUP s warm-up; requests are wrk's count.
#   perf pass ($ROUNDS interleaved rounds): `perf stat -p PID` on syscall tracepoints (in-kernel
#     counters: exact, and light enough that the proxy batches events as it does unobserved), context
#     switches, task-clock; plus voluntary/nonvoluntary switches summed over /proc/PID/task/*/status
#     and utime/stime of /proc/PID/stat (all threads).
#   strace pass (STRACE=1): `strace -c -f -p PID`, every call type (exact too, but ptrace stops each
#     call, so the proxy runs slower and each epoll round carries more events: read the call mix
#     from it, the epoll and switch rates from the perf pass).
# Counts are exact. The CPU-time lines are timings on a shared 2-core host: quote them as such.
# (`perf trace -s` was tried for per-call kernel time: its clock has ~10 µs steps on this VM.)
set -euo pipefail
BIN=${1:?usage: $0 /abs/path/portcullis}
: "${DURATION:=4}" "${WARMUP:=2}" "${CONNECTIONS:=32}" "${ROUNDS:=3}" "${STRACE:=1}" "${TARGETS:=nginx portcullis portcullis-log}"
export UPSTREAM_PORT=${UPSTREAM_PORT:-9200} NGINX_PORT=${NGINX_PORT:-9201} GATEWAY_PORT=${GATEWAY_PORT:-9203} GATEWAY_LOG_PORT=${GATEWAY_LOG_PORT:-9204}
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_HOME=${BENCH_HOME:-$(cd "$HERE/../../../shared/bench" 2>/dev/null && pwd || echo /work/shared/bench)}
RUN=$(mktemp -d /tmp/syscalls-per-request.XXXXXX)
mkdir -p "$RUN/logs" "$RUN/tmp"
# shellcheck source=/dev/null
source "$BENCH_HOME/lib.sh"
trap 'stop_all; rm -rf "$RUN"' EXIT

start_upstream
start_nginx_proxy
NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -1)   # the worker (by parent PID): it does the proxying
start_gateway() {  # start_gateway NAME PORT LOG(true|false); sets LAST_PID
    # bench-public-route.json with our ports, and the access log on or off: the nginx anchor runs with
    # `access_log off`, Portcullis's default is on, so `portcullis` is the like-for-like target and
    # `portcullis-log` the same binary with its default access log (JSON lines to its log file).
    sed -e "s|9103|$2|" -e "s|9100|$UPSTREAM_PORT|" -e "1s|^{|{ \"access_log\": { \"enabled\": $3 },|" \
        "$HERE/bench-public-route.json" >"$RUN/$1.json"
    start_bg "$1" "$PROXY_CPU" "$BIN" serve --config "$RUN/$1.json"
    wait_http "http://127.0.0.1:$2/v1/port-calls/42" 20 "$LAST_PID" || die "$1 did not start"
}
GATEWAY_PID= GATEWAY_LOG_PID=
if [[ " $TARGETS " == *" portcullis "* ]]; then start_gateway gateway "$GATEWAY_PORT" false; GATEWAY_PID=$LAST_PID; fi
if [[ " $TARGETS " == *" portcullis-log "* ]]; then start_gateway gateway-log "$GATEWAY_LOG_PORT" true; GATEWAY_LOG_PID=$LAST_PID; fi

url_of() { case $1 in nginx) echo "http://127.0.0.1:$NGINX_PORT/v1/port-calls/42" ;;
                      portcullis) echo "http://127.0.0.1:$GATEWAY_PORT/v1/port-calls/42" ;;
                      portcullis-log) echo "http://127.0.0.1:$GATEWAY_LOG_PORT/v1/port-calls/42" ;; esac; }
pid_of() { case $1 in nginx) echo "$NGINX_WORKER" ;; portcullis) echo "$GATEWAY_PID" ;; portcullis-log) echo "$GATEWAY_LOG_PID" ;; esac; }
wrk_run() { taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$1"s "$2"; }
requests() { awk '/requests in/ {print $1}' "$1"; }
ctxt() {  # voluntary nonvoluntary, summed over the process's threads
    cat /proc/"$1"/task/*/status | awk '/^voluntary_ctxt/ {v+=$2} /^nonvoluntary_ctxt/ {n+=$2} END {print v, n}'
}
cputicks() { awk '{print $14, $15}' /proc/"$1"/stat; }   # utime stime, clock ticks, all threads
HZ=$(getconf CLK_TCK)
SYSCALLS="read write readv writev recvfrom sendto getsockopt recvmsg sendmsg epoll_wait epoll_pwait epoll_ctl futex accept4 close sched_yield io_uring_enter"
EVENTS="raw_syscalls:sys_enter,context-switches,cpu-migrations,task-clock"
for s in $SYSCALLS; do EVENTS+=",syscalls:sys_enter_$s"; done

perf_pass() {  # perf_pass TARGET ROUND
    local t=$1 url pid out v0 n0 u0 s0 v1 n1 u1 s1 req
    url=$(url_of "$t") pid=$(pid_of "$t") out=$RUN/$t.perf.$2
    wrk_run "$WARMUP" "$url" >/dev/null
    read -r v0 n0 < <(ctxt "$pid"); read -r u0 s0 < <(cputicks "$pid")
    perf stat -x';' -e "$EVENTS" -p "$pid" -o "$out.stat" -- \
        taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION"s "$url" >"$out.wrk"
    read -r v1 n1 < <(ctxt "$pid"); read -r u1 s1 < <(cputicks "$pid")
    req=$(requests "$out.wrk")
    echo "=== $t, round $2: $req requests in ${DURATION}s (pid $pid, $(ls /proc/"$pid"/task | wc -l) threads)"
    awk -F';' -v req="$req" '$1 ~ /^[0-9.]+$/ && $1 > 0 {printf "   %-36s %14s  %9.4f /req\n", $3, $1, $1 / req}' "$out.stat"
    awk -v req="$req" -v v="$((v1 - v0))" -v n="$((n1 - n0))" -v u="$((u1 - u0))" -v s="$((s1 - s0))" -v hz="$HZ" 'BEGIN {
        printf "   voluntary / nonvoluntary switches  %d / %d  (%.4f / %.4f per req)\n", v, n, v / req, n / req
        printf "   CPU us/req user %.2f  kernel %.2f  (kernel share %.0f%%)\n", u / hz * 1e6 / req, s / hz * 1e6 / req, 100 * s / (u + s) }'
}

strace_pass() {  # strace_pass TARGET
    local t=$1 url pid out spid req
    url=$(url_of "$t") pid=$(pid_of "$t") out=$RUN/$t.strace
    wrk_run "$WARMUP" "$url" >/dev/null
    strace -c -f -p "$pid" -o "$out" 2>"$out.err" &
    spid=$!
    for _ in {1..50}; do grep -q attached "$out.err" 2>/dev/null && break; sleep 0.1; done
    wrk_run "$DURATION" "$url" >"$out.wrk"
    kill -INT "$spid"; wait "$spid" || true
    req=$(requests "$out.wrk")
    echo "=== $t, strace -c -f: $req requests in ${DURATION}s (slowed by ptrace: more events per epoll round)"
    awk -v req="$req" '$NF ~ /^[a-z_0-9]+$/ && $NF != "total" && $NF != "syscall" && NF >= 5 {
        calls = (NF == 6) ? $4 : $(NF-1); printf "   %-16s %10d  %8.4f /req\n", $NF, calls, calls / req }' "$out"
}

for ((r = 1; r <= ROUNDS; r++)); do for t in $TARGETS; do perf_pass "$t" "$r"; done; done
[[ $STRACE == 1 ]] && for t in $TARGETS; do strace_pass "$t"; done
exit 0
