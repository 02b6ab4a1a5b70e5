#!/bin/sh
# js25's runs (twenty-first round): each "JAR NAME [compare options...]" spec is one 2,000-call level of the simple
# flow with perf23's jt.sh windows (threads' CPU and each thread's write calls). Run from the repository root after
# the install: ivr-server/target/ivr-server-JAR.jar with lib/ beside it. No run starts at or after STOP (HHMM, UTC).
# Usage: STOP=HHMM flock /tmp/ivr-bench.lock sh docs/benchmarks/r25-js25/slot.sh "main main-w300 --warmup 300s --jfr target/bench/jfr-main" "main main"
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
mkdir -p target/bench
for spec in "$@"; do
  set -- $spec
  [ "$(date -u +%H%M)" -lt "${STOP:-2400}" ] || { echo "no time for $2 ($(date -u +%H:%M:%S))"; break; }
  echo "start $2 $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
  jar=ivr-server/target/ivr-server-$1.jar; name=$2; shift 2
  case "$*" in *--warmup*) warm="" ;; *) warm="--warmup 120s" ;; esac
  $J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --ivr-jar $jar \
    --levels 2000 --search-steps 0 --hold 30s $warm --ramp 1500 --name $name --out target/bench \
    --work target/bench-work-$name "$@" &
  lg=$!; docs/benchmarks/r23-perf23/jt.sh $lg target/bench/jt-$name & wait $lg; wait
done
echo "end $(date -u +%H:%M:%S) $(uptime)"
