#!/bin/bash
# One customer-service run at 10,000 calls with the GC log this round read (cs23), then pauses.py on it.
# usage: [HOLD=150s] docs/benchmarks/r23-cs23/run.sh NAME IVR_JAR [SERVER_JVM_OPT...]   (from the repository's root)
# writes target/cs23/NAME/{gc.log,out/,tl/,work/,loadgen.txt,pauses.txt}; then: (cd target/cs23 && python3
# ../../docs/benchmarks/r23-cs23/gcsum.py --csv NAME...) for the table. LOADGEN_OPTS: further options of the
# load generator's compare (r25-cs25/run.sh adds --histogram).
set -u
N=$1; JAR=$2; shift 2
B="$(pwd)/target/cs23"
mkdir -p $B/$N
J=$(./ivr java-home)/bin/java
EXTRA=()
for o in "$@"; do EXTRA+=("--server-jvm-opt=$o"); done
echo "start $(date -u +%T) load $(cat /proc/loadavg)" > $B/$N/meta.txt
flock /tmp/ivr-bench.lock $J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario customer-service \
    --servers ivr --levels 10000 --search-steps 0 --hold ${HOLD:-60s} --warmup 60s --settle 30s \
    --ivr-jar $JAR --name $N --out $B/$N/out --work $B/$N/work --timeline $B/$N/tl \
    "--server-jvm-opt=-Xlog:gc*,gc+phases=debug,gc+age=trace,safepoint:file=$B/$N/gc.log:time,uptime" "${EXTRA[@]}" ${LOADGEN_OPTS:-} \
    > $B/$N/loadgen.txt 2>&1
echo "end $(date -u +%T) rc $?" >> $B/$N/meta.txt
python3 docs/benchmarks/r21-cs21/pauses.py $B/$N/gc.log $B/$N/tl/ivr-customer-service-10000-timeline.csv > $B/$N/pauses.txt 2>&1
