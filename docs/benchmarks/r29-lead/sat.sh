#!/bin/bash
# The lead's saturation runs of the twenty-fifth round, each with the writers' backlog sampled (pending.sh).
# usage (from the repository's root; holds the benchmark lock once for all runs):
#   docs/benchmarks/r29-lead/sat.sh cs NAME JAR [SERVER_JVM_OPT...]       customer-service, 10,000 callers (r28-cs28/cs.sh)
#   docs/benchmarks/r29-lead/sat.sh simple NAME JAR LEVEL                 simple flow, steady ramp, 120 s warm-up
# writes target/sat29/NAME/{loadgen.txt,pending.txt,meta.txt,out/}; cs runs also target/cs23/NAME/.
set -u
KIND=$1; N=$2; JAR=$3; shift 3
B="$(pwd)/target/sat29/$N"; rm -rf "$B"; mkdir -p "$B"
J=$(./ivr java-home)/bin/java
echo "start $(date -u +%T) load $(cat /proc/loadavg) $KIND $JAR $*" > "$B/meta.txt"
if [ "$KIND" = cs ]; then
  W="$(pwd)/target/cs23/$N/work"; rm -rf "$(pwd)/target/cs23/$N"
  docs/benchmarks/r28-cs28/cs.sh "$N" "$JAR" "$@" &
else
  W="$B/work"
  $J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --levels "$1" \
    --search-steps 0 --hold 30s --warmup 120s --ramp 1500 --steady-ramp --ivr-jar "$JAR" --name "$N" --out "$B/out" \
    --work "$W" > "$B/loadgen.txt" 2>&1 &
fi
RUN=$!
docs/benchmarks/r29-lead/pending.sh "$W/ivr-data" "$B/pending.txt" &
S=$!
wait $RUN
kill $S
echo "end $(date -u +%T)" >> "$B/meta.txt"
[ "$KIND" = cs ] && cp "$(pwd)/target/cs23/$N/loadgen.txt" "$B/"
grep -E "calls: reached" "$B/loadgen.txt"
