#!/bin/bash
# One simple-flow run at 5,000 calls of one server (t26): the lead's ladder's settings at one level, the server's GC and
# safepoint log (decorated with the wall-clock time), the load generator's timeline with each reply over 5 ms
# (--timeline: NAME-slow.csv), and sched.py's samples of the server's threads every 50 ms (pinned to the load
# generator's CPU 0); then tail.py on them.
# LOADGEN_OPTS: further options of the compare (e.g. --jfr DIR: a JFR recording of the plateau).
# usage: [SERVER=ivr|stock-raised] [LEVEL=5000] docs/benchmarks/r26-t26/run.sh NAME IVR_JAR [SERVER_JVM_OPT...]   (from the repository's root)
# writes target/t26/NAME/{gc.log,sched.txt,out/,tl/,work/,loadgen.txt,tail.txt,meta.txt}
set -u
N=$1; JAR=$2; shift 2
S=${SERVER:-ivr}; L=${LEVEL:-5000}
B="$(pwd)/target/t26/$N"
mkdir -p $B
J=$(./ivr java-home)/bin/java
D=$(dirname "$0")
EXTRA=()
for o in "$@"; do EXTRA+=("--server-jvm-opt=$o"); done
echo "start $(date -u +%T) load $(cat /proc/loadavg)" > $B/meta.txt
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple \
    --servers $S --levels $L --search-steps 0 --hold ${HOLD:-30s} --warmup ${WARMUP:-120s} --ramp 1500 \
    --ivr-jar $JAR --name $N --out $B/out --work $B/work --timeline $B/tl \
    "--server-jvm-opt=-Xlog:gc*,safepoint:file=$B/gc.log:time,uptime,tags" "${EXTRA[@]}" ${LOADGEN_OPTS:-} > $B/loadgen.txt 2>&1 &
LG=$!
taskset -c 0 python3 $D/sched.py $LG $B/sched.txt 0.05 &
SP=$!
wait $LG
echo "end $(date -u +%T) rc $?" >> $B/meta.txt
wait $SP
python3 $D/tail.py $B/tl/$S-simple-$L-slow.csv $B/sched.txt $B/gc.log 20 > $B/tail.txt 2>&1
