#!/bin/sh
# sf22 step 1b: main's jar, as slot1.sh's first run but a 240 s warm-up (is the C2 burst over by then?).
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
echo "start $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
$J -XX:+UseZGC -Xms3g -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr \
  --ivr-jar ivr-server/target/ivr-server-main.jar --levels 2000 --search-steps 0 --hold 30s --warmup 240s --ramp 1500 \
  --name main-threads-w240 --out target/bench --work target/bench-work-main-w240 &
lg=$!; docs/benchmarks/r22-sf22/jt.sh $lg target/bench/jt-main-w240 & wait $lg
echo "end $(date -u +%H:%M:%S) $(uptime)"
