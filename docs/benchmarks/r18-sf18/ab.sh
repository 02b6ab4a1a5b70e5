#!/bin/sh
# sf18: before (main's jar) and after (this branch), back to back under one hold of the benchmark lock
# run from the repository root, after the install; main.jar: main's ivr-server.jar copied into ivr-server/target/ as ivr-server-main.jar, this branch's as ivr-server-sf18.jar
J=$(./ivr java-home)/bin/java; export JCMDX=$(./ivr java-home)/bin/jcmd
echo "start $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
$J -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr --ivr-jar ivr-server/target/ivr-server-main.jar \
  --levels 1000,2000 --search-steps 0 --warmup 120s --hold 30s --ramp 1500 --name sf18-before --out target/bench --work target/bench-work-before &
lg=$!; docs/benchmarks/r18-sf18/jt.sh $lg target/bench/jt-before & wait $lg
echo "after $(date -u +%H:%M:%S) $(uptime)"; ps -eo pcpu,comm --sort=-pcpu | head -5
$J -Xmx3g -jar loadgen/target/loadgen.jar compare --scenario simple --servers ivr,stock-raised --ivr-jar ivr-server/target/ivr-server-sf18.jar \
  --levels 1000,2000 --search-steps 0 --warmup 120s --hold 30s --ramp 1500 --name sf18-after --out target/bench --work target/bench-work-after &
lg=$!; docs/benchmarks/r18-sf18/jt.sh $lg target/bench/jt-after & wait $lg
echo "end $(date -u +%H:%M:%S) $(uptime)"
