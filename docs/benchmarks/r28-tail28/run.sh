#!/bin/bash
# One simple-flow run of ivr at one level (tail28), steady ramp, with what is needed to attribute its slow replies:
# the load generator's timeline and slow replies (--timeline), the server's GC and safepoint log (wall clock), and a
# kernel scheduler trace of both CPUs (perf sched:sched_switch + sched:sched_wakeup, CLOCK_MONOTONIC; clock.txt holds
# CLOCK_REALTIME - CLOCK_MONOTONIC read before and after, to put the trace on the wall clock).
# The trace starts PERF_DELAY (165) s after the start: the plateau of a 2,000-call level with the 120 s warm-up begins
# ~200-250 s after it (PERF=0: no trace).
# usage: [LEVEL=2000] [LOADGEN_OPTS=...] docs/benchmarks/r28-tail28/run.sh NAME IVR_JAR [SERVER_JVM_OPT...]  (repository root)
# writes target/t28/NAME/{gc.log,perf.data,clock.txt,out/,tl/,work/,loadgen.txt,meta.txt}
set -u
N=$1; JAR=$2; shift 2
L=${LEVEL:-2000}
B="$(pwd)/target/t28/$N"
mkdir -p "$B"
J=$(./ivr java-home)/bin/java
EXTRA=()
for o in "$@"; do EXTRA+=("--server-jvm-opt=$o"); done
off() { python3 -c 'import time;print("%.6f" % (time.clock_gettime(time.CLOCK_REALTIME)-time.clock_gettime(time.CLOCK_MONOTONIC)))'; }
echo "start $(date -u +%T) load $(cat /proc/loadavg)" > "$B/meta.txt"
echo "before $(off)" > "$B/clock.txt"
if [ "${PERF:-1}" = 1 ]; then
  # from PERF_DELAY seconds on (the prompts' pre-rendering at the start switches threads 100,000 times a second)
  sleep "${PERF_DELAY:-165}" && exec taskset -c 0 perf record -q -k CLOCK_MONOTONIC -m 2048 -e sched:sched_switch -e sched:sched_wakeup -a -o "$B/perf.data" 2> "$B/perf.err" &
  PP=$!
fi
if [ -n "${IDLE_AT:-}" ]; then
  # IDLE_AT=S: S seconds after the start, the server's background writers and loops (BackgroundThreads' names) are
  # moved to SCHED_IDLE from outside (chrt), the kernel then preempts them whenever a call's thread wakes
  ( sleep "$IDLE_AT"
    sp=$(pgrep -f -- "--config $B/work" | head -1)
    for t in /proc/$sp/task/*; do
      c=$(cat $t/comm 2>/dev/null)
      case "$c" in journal-outbox|crm-writer|crm-outbox|journal-kpis|journal-tail|webhook-poller|callback-sweep|recording-upk*)
        chrt -i -p 0 "${t##*/}" && echo "$(date -u +%T) $c ${t##*/} $(chrt -p ${t##*/} | tr '\n' ' ')" >> "$B/idle.txt";;
      esac
    done ) &
fi
"$J" -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple \
    --servers ivr --levels "$L" --search-steps 0 --hold "${HOLD:-30s}" --warmup "${WARMUP:-120s}" --ramp 1500 --steady-ramp \
    --ivr-jar "$JAR" --name "$N" --out "$B/out" --work "$B/work" --timeline "$B/tl" \
    "--server-jvm-opt=-Xlog:gc*,safepoint:file=$B/gc.log:time,uptime,tags" --slow-ms "${SLOW_MS:-1}" "${EXTRA[@]}" ${LOADGEN_OPTS:-} 2>&1 \
  | while IFS= read -r line; do echo "$(date -u +%T.%3N) $line"; done > "$B/loadgen.txt"
echo "end $(date -u +%T) rc ${PIPESTATUS[0]}" >> "$B/meta.txt"
[ "${PERF:-1}" = 1 ] && { kill -TERM $PP 2>/dev/null; wait $PP; }
echo "after $(off)" >> "$B/clock.txt"
