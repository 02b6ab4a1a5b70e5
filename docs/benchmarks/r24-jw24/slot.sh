#!/bin/sh
# jw24's slot: main's jar and this branch's at 2,000 calls of the simple flow, back to back, each with perf23's jt.sh
# windows (threads' CPU), then this branch's once more with JFR if there is time. Run from the repository root after
# the install; ivr-server/target/ivr-server-main.jar is main's jar (75cc231), ivr-server/target/ivr-server-jw24.jar
# this branch's. STOP (HHMM, UTC): no run starts at or after it.
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
mkdir -p target/bench
run() { # JAR NAME [--jfr DIR]
  echo "start $2 $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
  $J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr \
    --ivr-jar ivr-server/target/ivr-server-$1.jar --levels 2000 --search-steps 0 --hold 30s --warmup 120s --ramp 1500 \
    --name $2 --out target/bench --work target/bench-work-$2 $3 $4 &
  lg=$!; docs/benchmarks/r23-perf23/jt.sh $lg target/bench/jt-$2 & wait $lg; wait
}
timely() { [ "$(date -u +%H%M)" -lt "${STOP:-2031}" ] || { echo "no time for $1 ($(date -u +%H:%M:%S))"; exit 0; }; }
timely main; run main main
timely jw24; run jw24 jw24
timely jw24-jfr; run jw24 jw24-jfr --jfr target/bench/jfr-jw24
echo "end $(date -u +%H:%M:%S) $(uptime)"
