#!/bin/bash
# One customer-service run at 10,000 callers (cs30): r28-cs28/cs.sh's compare (no lock of its own: run it under
# `flock /tmp/ivr-bench.lock`), plus what is needed to attribute its slow replies: the load generator's slow replies
# (--timeline, --slow-ms), the GC log with the pacer's lines, and a kernel scheduler trace (perf sched:sched_switch +
# sched:sched_wakeup, CLOCK_MONOTONIC, both CPUs) of PERF_LEN (20) s from PERF_DELAY (235) s after the start (the
# 60 s plateau begins ~213 s after it; PERF=0: no trace). clock.txt: CLOCK_REALTIME - CLOCK_MONOTONIC before/after.
# usage: [LOADGEN_OPTS=--steady-ramp] [PERF=1] docs/benchmarks/r30-cs30/run.sh NAME IVR_JAR [SERVER_JVM_OPT...]
# IDLE_RE=REGEX: from 10 s after the start, every 5 s, the server's threads whose name (comm) matches the extended
# regex are moved to SCHED_IDLE from outside (chrt -i; each once, logged in idle.txt), e.g. '^(Shenandoah|C2 Compiler)';
# with IDLE_NICE=N they are reniced to N instead (renice -n N, SCHED_OTHER kept).
# writes target/cs30/NAME/{gc.log,perf.data,clock.txt,out/,tl/,work/,loadgen.txt,meta.txt,plateau.txt}
set -u
N=$1; JAR=$2; shift 2
B="$(pwd)/target/cs30/$N"
mkdir -p "$B"
J=$(./ivr java-home)/bin/java
EXTRA=()
for o in "$@"; do EXTRA+=("--server-jvm-opt=$o"); done
off() { python3 -c 'import time;print("%.6f" % (time.clock_gettime(time.CLOCK_REALTIME)-time.clock_gettime(time.CLOCK_MONOTONIC)))'; }
echo "start $(date -u +%T) load $(cat /proc/loadavg) opts $* loadgen ${LOADGEN_OPTS:-} idle ${IDLE_RE:-} nice ${IDLE_NICE:-}" > "$B/meta.txt"
echo "before $(off)" > "$B/clock.txt"
if [ "${PERF:-1}" = 1 ]; then
  ( sleep "${PERF_DELAY:-235}" && echo "perf $(date -u +%T.%N)" >> "$B/meta.txt" && \
    taskset -c 0 perf record -q -k CLOCK_MONOTONIC -m 4096 -e sched:sched_switch -e sched:sched_wakeup -a \
      -o "$B/perf.data" -- sleep "${PERF_LEN:-20}" 2> "$B/perf.err" ) &
  PP=$!
fi
# background: the server's threads' CPU and the machine's other processes, every 5 s (top -H of the server)
( sleep 200; for i in $(seq 1 20); do echo "== $(date -u +%T) $(cat /proc/loadavg)"; top -b -n1 -w 200 | sed -n 7,14p; sleep 5; done ) > "$B/top.txt" 2>&1 &
TP=$!
if [ -n "${IDLE_RE:-}" ]; then
  ( taskset -p -c 0 $BASHPID > /dev/null; declare -A done; sleep 10; while :; do
      sp=$(pgrep -f -- " run --config $B/work" | head -1)
      [ -z "$sp" ] && { sleep 5; continue; }
      for t in /proc/$sp/task/*; do
        id=${t##*/}; [ -n "${done[$id]:-}" ] && continue
        read -r c < $t/comm 2>/dev/null || continue
        if [[ "$c" =~ $IDLE_RE ]]; then
          if [ -n "${IDLE_NICE:-}" ]; then
            renice -n "$IDLE_NICE" -p "$id" > /dev/null && echo "$(date -u +%T) $sp $c $id nice $(cut -d")" -f2- /proc/$sp/task/$id/stat | awk '{print $17}')" >> "$B/idle.txt"
          else
            chrt -i -p 0 "$id" && echo "$(date -u +%T) $sp $c $id $(chrt -p $id | tr '\n' ' ')" >> "$B/idle.txt"
          fi
          done[$id]=1
        fi
      done
      sleep 5
    done ) &
  IP=$!
fi
"$J" -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario customer-service \
    --servers ivr --levels 10000 --search-steps 0 --hold "${HOLD:-60s}" --warmup 60s --settle 30s \
    --ivr-jar "$JAR" --name "$N" --out "$B/out" --work "$B/work" --timeline "$B/tl" --slow-ms "${SLOW_MS:-1}" \
    "--server-jvm-opt=-Xlog:gc*,gc+phases=debug,safepoint:file=$B/gc.log:time,uptime,tags" "${EXTRA[@]}" ${LOADGEN_OPTS:-} \
    > "$B/loadgen.txt" 2>&1
echo "end $(date -u +%T) rc $?" >> "$B/meta.txt"
[ "${PERF:-1}" = 1 ] && wait $PP
kill $TP 2>/dev/null
[ -n "${IDLE_RE:-}" ] && kill $IP 2>/dev/null
echo "after $(off)" >> "$B/clock.txt"
python3 docs/benchmarks/r28-cs28/gcplateau.py "$B" > "$B/plateau.txt" 2>&1
