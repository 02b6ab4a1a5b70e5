#!/bin/sh
# sf22 step 1: main's jar at 2,000 calls of the simple flow, once with the threads' CPU windows, once with JFR.
# Run from the repository root after the install; ivr-server/target/ivr-server-main.jar is main's jar.
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
mkdir -p target/bench
echo "start $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr \
  --ivr-jar ivr-server/target/ivr-server-main.jar --levels 2000 --search-steps 0 --hold 30s --warmup 120s --ramp 1500 \
  --name main-threads --out target/bench --work target/bench-work-main &
lg=$!; docs/benchmarks/r22-sf22/jt.sh $lg target/bench/jt-main & wait $lg
echo "jfr $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr \
  --ivr-jar ivr-server/target/ivr-server-main.jar --levels 2000 --search-steps 0 --hold 30s --warmup 120s --ramp 1500 \
  --jfr target/bench/jfr-main --name main-jfr --out target/bench --work target/bench-work-main-jfr
echo "end $(date -u +%H:%M:%S) $(uptime)"
