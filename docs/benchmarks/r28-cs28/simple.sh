#!/bin/bash
# One simple-flow run at 2,000 and 5,000 calls (the task's command: --steady-ramp, 120 s warm-up, 30 s plateaus) with
# the server's GC and safepoint log, without taking the benchmark lock itself (run it under flock /tmp/ivr-bench.lock).
# usage: docs/benchmarks/r28-cs28/simple.sh NAME IVR_JAR [SERVER_JVM_OPT...]   (from the repository's root)
# writes target/cs23/NAME/{gc.log,out/,tl/,work/,loadgen.txt,meta.txt,plateau-2000.txt,plateau-5000.txt}
set -u
N=$1; JAR=$2; shift 2
B="$(pwd)/target/cs23/$N"
mkdir -p $B
J=$(./ivr java-home)/bin/java
EXTRA=()
for o in "$@"; do EXTRA+=("--server-jvm-opt=$o"); done
echo "start $(date -u +%T) load $(cat /proc/loadavg) opts $*" > $B/meta.txt
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple \
    --servers ivr --levels ${LEVELS:-2000,5000} --search-steps 0 --hold 30s --warmup 120s --ramp 1500 --steady-ramp \
    --ivr-jar $JAR --name $N --out $B/out --work $B/work --timeline $B/tl \
    "--server-jvm-opt=-Xlog:gc*,safepoint:file=$B/gc.log:time,uptime" "${EXTRA[@]}" > $B/loadgen.txt 2>&1
echo "end $(date -u +%T) rc $?" >> $B/meta.txt
for l in $(echo ${LEVELS:-2000,5000} | tr , ' '); do
  python3 docs/benchmarks/r28-cs28/gcplateau.py --level $l $B > $B/plateau-$l.txt 2>&1
done
