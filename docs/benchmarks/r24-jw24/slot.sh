#!/bin/sh
# jw24's slot, perf23's runs (docs/benchmarks/r23-perf23/slot.sh) for this round: main's jar, this branch's, then this
# branch's with JFR, each a 2,000-call level of the simple flow with perf23's jt.sh windows (threads' CPU). Run from the
# repository root after the install: ivr-server/target/ivr-server-main.jar is main's jar (75cc231),
# ivr-server/target/ivr-server-jw24.jar this branch's. No run starts at or after STOP (HHMM, UTC).
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
mkdir -p target/bench
for spec in "main main" "jw24 jw24" "jw24 jw24-jfr --jfr target/bench/jfr-jw24"; do
  set -- $spec
  [ "$(date -u +%H%M)" -lt "${STOP:-2031}" ] || { echo "no time for $2 ($(date -u +%H:%M:%S))"; break; }
  echo "start $2 $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
  jar=ivr-server/target/ivr-server-$1.jar; name=$2; shift 2
  $J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --ivr-jar $jar \
    --levels 2000 --search-steps 0 --hold 30s --warmup 120s --ramp 1500 --name $name --out target/bench \
    --work target/bench-work-$name "$@" &
  lg=$!; docs/benchmarks/r23-perf23/jt.sh $lg target/bench/jt-$name & wait $lg; wait
done
echo "end $(date -u +%H:%M:%S) $(uptime)"
