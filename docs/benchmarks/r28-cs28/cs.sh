#!/bin/bash
# One customer-service run at 10,000 callers, as r23-cs23/run.sh (the same compare, GC log and pauses.py), but
# without taking the benchmark lock itself: run it under `flock /tmp/ivr-bench.lock` (slot.sh does, once for a
# slot's runs). Then gcplateau.py reads the plateau for G1 and Shenandoah alike.
# usage: [HOLD=60s] docs/benchmarks/r28-cs28/cs.sh NAME IVR_JAR [SERVER_JVM_OPT...]   (from the repository's root)
# writes target/cs23/NAME/{gc.log,out/,tl/,work/,loadgen.txt,pauses.txt,plateau.txt,meta.txt}
set -u
N=$1; JAR=$2; shift 2
B="$(pwd)/target/cs23"
mkdir -p $B/$N
J=$(./ivr java-home)/bin/java
EXTRA=()
for o in "$@"; do EXTRA+=("--server-jvm-opt=$o"); done
echo "start $(date -u +%T) load $(cat /proc/loadavg) opts $*" > $B/$N/meta.txt
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario customer-service \
    --servers ivr --levels 10000 --search-steps 0 --hold ${HOLD:-60s} --warmup 60s --settle 30s \
    --ivr-jar $JAR --name $N --out $B/$N/out --work $B/$N/work --timeline $B/$N/tl \
    "--server-jvm-opt=-Xlog:gc*,gc+phases=debug,gc+age=trace,safepoint:file=$B/$N/gc.log:time,uptime" "${EXTRA[@]}" \
    > $B/$N/loadgen.txt 2>&1
echo "end $(date -u +%T) rc $?" >> $B/$N/meta.txt
python3 docs/benchmarks/r21-cs21/pauses.py $B/$N/gc.log $B/$N/tl/ivr-customer-service-10000-timeline.csv > $B/$N/pauses.txt 2>&1
python3 docs/benchmarks/r28-cs28/gcplateau.py $B/$N > $B/$N/plateau.txt 2>&1
